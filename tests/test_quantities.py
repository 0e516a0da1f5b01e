"""Quantities in running text (circuit.quantities): one test per written form."""

import math
import subprocess
import sys

import pytest

from circuit import quantities
from circuit.quantities import QuantityError, find_quantities, parse_quantity


def one(text):
    qs = find_quantities(text)
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize("text,value", [("4k7", 4700.0), ("1M5", 1.5e6), ("2R2", 2.2), ("4u7", 4.7e-6)])
def test_resistor_codes(text, value):
    q = one(text)
    assert q.value == pytest.approx(value) and q.scaled


def test_code_r_is_ohms():
    assert one("a 2R2 resistor").unit == "Ω"
    q = one("100R")
    assert q.value == 100 and q.unit == "Ω"


def test_bare_prefix():
    q = one("feedback 47k")
    assert q.value == 47e3 and q.unit == "" and q.scaled


@pytest.mark.parametrize("text,value,unit", [
    ("10 uF", 10e-6, "F"), ("0.1µF", 1e-7, "F"), ("1.5 kOhm", 1500, "Ω"), ("4.7kΩ", 4700, "Ω"), ("3.3V", 3.3, "V"),
    ("12 mA", 0.012, "A"), ("500 ms", 0.5, "s"), ("250 us", 250e-6, "s"), ("38 kHz", 38e3, "Hz"), ("2 W", 2, "W"),
])
def test_prefix_and_unit(text, value, unit):
    q = one(text)
    assert q.value == pytest.approx(value) and q.unit == unit


@pytest.mark.parametrize("text,value,unit", [
    ("12 volts", 12, "V"), ("20 milliamps", 0.02, "A"), ("3 amps", 3, "A"), ("300 hertz", 300, "Hz"),
    ("2 seconds", 2, "s"), ("10 kilohms", 1e4, "Ω"), ("12-volt supply", 12, "V"),
])
def test_spelled_units(text, value, unit):
    q = one(text)
    assert q.value == pytest.approx(value) and q.unit == unit


@pytest.mark.parametrize("text,value,unit", [
    ("a pump drawing half an amp", 0.5, "A"), ("a quarter of an amp", 0.25, "A"), ("one and a half seconds", 1.5, "s"),
    ("for half a minute", 30, "s"), ("2 and a half volts", 2.5, "V"), ("three quarters of an hour", 2700, "s"),
])
def test_fractions_said_in_words(text, value, unit):
    q = one(text)
    assert q.value == pytest.approx(value) and q.unit == unit and text.endswith(q.raw)


@pytest.mark.parametrize("text", ["a half-bridge driver", "half the LEDs", "a half wave rectifier", "a third LED"])
def test_a_fraction_of_no_unit_is_no_quantity(text):
    assert find_quantities(text) == []


def test_plus_minus_supply():
    q = one("±12 V rails")
    assert q.value == 12 and q.unit == "V" and q.plus_minus


def test_decibels_as_ratio():
    q = one("20 dB")
    assert q.unit == "dB" and q.ratio == pytest.approx(10)


@pytest.mark.parametrize("text,peak", [("100 mVpp", 0.05), ("1 Vpk", 1.0), ("2 Vrms", 2 * math.sqrt(2)),
                                       ("2 V peak-to-peak", 1.0), ("3 V rms", 3 * math.sqrt(2))])
def test_ac_amplitudes(text, peak):
    assert one(text).peak == pytest.approx(peak)


def test_percent():
    q = one("60% duty")
    assert q.unit == "%" and q.ratio == pytest.approx(0.6)


@pytest.mark.parametrize("text,lo,hi,unit", [("0–24 V", 0, 24, "V"), ("9 to 12 V", 9, 12, "V"), ("9-12V", 9, 12, "V"),
                                             ("3 to 5 kHz", 3e3, 5e3, "Hz")])
def test_ranges(text, lo, hi, unit):
    q = one(text)
    assert q.is_range and q.low == pytest.approx(lo) and q.value == pytest.approx(hi) and q.unit == unit


def test_a_conversion_is_not_a_range():
    qs = find_quantities("12 V to 5 V")
    assert [q.value for q in qs] == [12, 5]


@pytest.mark.parametrize("text", ["gain -4.7", "gain −4.7"])
def test_signs(text):
    assert one(text).value == pytest.approx(-4.7)


def test_unit_never_read_out_of_a_word():
    q = one("gain -4.7 using an LM358")
    assert q.value == pytest.approx(-4.7) and q.unit == ""
    assert one("5 a day").unit == ""          # "a" is not amperes
    assert one("12 in series").unit == ""     # "in" is not inches


def test_part_numbers_are_not_values():
    assert find_quantities("2N2222 and 1N4148 with an LM358 on 74HC14") == []


def test_decimal_comma():
    assert one("4,7 kOhm").value == pytest.approx(4700)


def test_positions_point_into_the_text():
    text = "a red LED at 12 mA from 5 V"
    qs = find_quantities(text)
    assert [text[q.start:q.end] for q in qs] == ["12 mA", "5 V"]


def test_parse_quantity_checks_unit():
    assert parse_quantity("4k7").value == 4700
    with pytest.raises(QuantityError):
        parse_quantity("10 uF", unit="V")
    with pytest.raises(QuantityError):
        parse_quantity("ten volts")


# ---- the unit registry: loaded on first use, its definitions cached in the home ---------------------
def test_the_design_runner_and_the_web_chat_start_without_pint():
    """pint costs ~0.2 s to import; it loads when a unit is first read, not when a command starts."""
    code = ("import sys, pipelines.commands.design_run, pipelines.commands.serve_run; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pint'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.fixture
def fresh_registry():
    quantities._registry.cache_clear()
    quantities._unit_of.cache_clear()
    yield
    quantities._registry.cache_clear()
    quantities._unit_of.cache_clear()


def test_unit_definitions_are_cached_in_the_home(tmp_path, monkeypatch, fresh_registry):
    monkeypatch.setenv("CIRCUITSMITH_HOME", str(tmp_path))
    assert one("100 mA").unit == "A"
    assert any((tmp_path / "cache" / "pint").iterdir())


def test_units_are_read_when_the_home_cannot_hold_the_cache(tmp_path, monkeypatch, fresh_registry):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("CIRCUITSMITH_HOME", str(blocked / "home"))
    q = one("12 V")
    assert q.value == 12 and q.unit == "V"


@pytest.mark.parametrize("text,hz", [
    ("blink about twice a second", 2.0), ("3 times per minute", 0.05), ("60 beats per minute", 1.0),
    ("once every 4 seconds", 0.25), ("ten times a second", 10.0), ("3 pulses per 2 seconds", 1.5),
])
def test_a_count_over_a_time_is_a_frequency(text, hz):
    (q,) = find_quantities(text)
    assert q.unit == "Hz" and q.value == pytest.approx(hz)


@pytest.mark.parametrize("text,unit", [
    ("5 volts per second", "V"),          # a slew rate's volts, not 5 Hz
    ("read it every 2 seconds", "s"),     # an interval stays a time
    ("give a 555 monostable a 250 us pulse", "s"),  # "a 250 us" is a value, not "per 250 us"
])
def test_a_rate_needs_a_count_of_something_over_a_time(text, unit):
    assert [q.unit for q in find_quantities(text) if q.unit] == [unit]
