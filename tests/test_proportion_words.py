"""Fractions and multiples said in words (circuit/proportion_words.py) and what the sizing reader makes of them:
a 555's duty, a divider's ratio of its input, an inverting stage's gain."""

from __future__ import annotations

import pytest

from agents.size import parse_request_rules
from circuit.proportion_words import find_proportions


@pytest.mark.parametrize("text,want", [
    ("the LED is on half the time", [0.5]),
    ("high for 3 quarters of the period", [0.75]),
    ("two thirds", [pytest.approx(2 / 3)]),
    ("a fifth of the input", [0.2]),
    ("split it in half", [0.5]),
    ("halve the voltage", [0.5]),
    ("the signal doubled", [2.0]),
    ("the third LED", []),            # an ordinal, not a fraction
    ("a half-bridge driver", []),     # part of a name
])
def test_proportions_found(text, want):
    assert [q.value for q in find_proportions(text)] == want
    assert all(q.proportion and q.unit == "" for q in find_proportions(text))


def _specs(r):
    return {s.name: s.target for s in r.specs}


def test_fraction_of_the_time_is_a_duty():
    r = parse_request_rules("555 square wave at 200 Hz whose output is high a quarter of the time")
    assert r.block == "ne555_astable"
    assert _specs(r)["duty"] == pytest.approx(0.25)


def test_fraction_of_an_input_is_a_dividers_output():
    r = parse_request_rules("two resistors giving two thirds of a 6 V battery")
    assert r.block == "voltage_divider"
    assert _specs(r)["vout"] == pytest.approx(4.0)
    assert r.env["vin"] == pytest.approx(6.0)


def test_a_factor_a_divider_divides_by():
    r = parse_request_rules("bring an 18 V rail down by a factor of 6 with a resistor divider")
    assert r.block == "voltage_divider"
    assert _specs(r)["vout"] == pytest.approx(3.0)


def test_halving_a_stated_voltage():
    r = parse_request_rules("halve 8 volts with a divider")
    assert r.block == "voltage_divider"
    assert _specs(r)["vout"] == pytest.approx(4.0)


def test_polarity_reversed_is_the_inverting_stage():
    r = parse_request_rules("op-amp stage that reverses the polarity of its input, gain of 3, on ±12 V")
    assert r.block == "inverting_amplifier"
    assert _specs(r)["gain"] == pytest.approx(3.0)
