"""The sizing reader on values said in words, limits, the band a filter keeps, negation and requests that
leave out what the block needs (it asks, naming the slot)."""

from __future__ import annotations

import pytest

from agents.filter_band import action
from agents.size import SizingParseError, parse_request_rules
from circuit.spelled_numbers import spelled_to_digits


@pytest.mark.parametrize("text,want", [
    ("a four point seven k resistor", "a 4.7 k resistor"),
    ("sixty eight kilohms on top", "68 kilohms on top"),
    ("one hundred and fifty milliamps", "150 milliamps"),
    ("louder by twelve times", "louder by 12 times"),
    ("wait two seconds", "wait 2 seconds"),
    ("with two resistors", "with two resistors"),      # a count, not a value
    ("a one-shot timer", "a one-shot timer"),           # part of a name
    ("second order filter", "second order filter"),     # an ordinal is no value
])
def test_spelled_numbers(text, want):
    assert spelled_to_digits(text) == want


def test_spelled_value_is_read():
    r = parse_request_rules("potential divider, three point three volts out from nine volts")
    assert r.block == "voltage_divider"
    assert {s.name: s.target for s in r.specs}["vout"] == pytest.approx(3.3)
    assert r.env["vin"] == pytest.approx(9.0)


def test_stated_limit_fills_the_blocks_one_limit():
    r = parse_request_rules("divider taking 48 V to 5 V, pulling no more than 20 microamps")
    specs = {s.name: (s.op, s.target) for s in r.specs}
    assert r.block == "voltage_divider"
    assert specs["i_divider"] == ("<=", pytest.approx(20e-6))


def test_direction_adverb_leads_to_the_second_value():
    r = parse_request_rules("resistor divider taking 18 V down to 6 V")
    assert {s.name: s.target for s in r.specs}["vout"] == pytest.approx(6.0)
    assert r.env["vin"] == pytest.approx(18.0)


def test_filter_band_by_action():
    if action("remove") is None:
        pytest.skip("no embedding model here")
    assert parse_request_rules("a filter that passes only what lies higher than 3 kHz").block == "rc_highpass"
    assert parse_request_rules("a filter to get rid of anything over 3 kHz").block == "rc_lowpass"
    assert parse_request_rules("filter to strip out whatever lies below 30 Hz").block == "rc_highpass"


def test_negated_word():
    r = parse_request_rules("op-amp gain of 4, output not inverted, 9 V supply")
    assert r.block == "noninverting_amplifier"


@pytest.mark.parametrize("text,slot", [
    ("current limiting resistor for a yellow LED", "i_led"),
    ("high-pass filter for a guitar pickup", "f_c"),
    ("NPN switch from a 3.3 V pin", "i_load"),
])
def test_under_specified_asks(text, slot):
    with pytest.raises(SizingParseError) as e:
        parse_request_rules(text)
    assert slot in str(e.value)
