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
    ("with two resistors", "with 2 resistors"),         # a count
    ("one LED", "one LED"),                             # an article as much as a number
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


def test_i2c_pullup_read_and_sized_inside_the_window():
    from pipelines.sizing import run_sizing, summary

    r = parse_request_rules("SDA/SCL pull-ups for a 3.3 V I2C bus running at 100 kHz, 300 pF load")
    assert r.block == "i2c_pullup"
    assert r.env["f_scl"] == pytest.approx(100e3) and r.env["c_bus"] == pytest.approx(300e-12)
    s = summary(run_sizing(request=r, mc_runs=0))
    rp = s["values"]["R1"]
    # Standard-mode: rises within 1 us against 300 pF, and a device sinks at most 3 mA at 0.4 V
    assert (3.3 - 0.4) / 3e-3 <= rp <= 1e-6 / (0.8473 * 300e-12)
    assert s["measures"]["t_rise"] <= 1e-6 and s["pass"]


def test_i2c_pullup_impossible_says_why():
    from pipelines.sizing import run_sizing

    r = parse_request_rules("I2C pull-up for 400 kHz, 3.3 V bus, 700 pF of cable")
    state = run_sizing(request=r, mc_runs=0)
    assert state["error"].startswith("cannot be met") and "capacitance" in state["error"]


def test_value_said_of_an_actuator_is_the_loads():
    r = parse_request_rules("NPN to run a 24 V solenoid at 150 mA from a 5 V pin")
    assert r.block == "bjt_switch" and r.env["vload"] == pytest.approx(24.0)


def test_not_met_names_the_part_at_its_limit():
    from circuit.sizing.blocks import make_block
    from circuit.sizing.optimize import size

    res = size(make_block("bjt_switch", {"i_load": 0.3, "vload": 12.0, "v_drive": 5.0}), [], budget=40)
    assert not res.met and "RB is at its lowest" in res.message


def test_signs_said_in_words():
    assert spelled_to_digits("gain of minus six on plus or minus nine volts") == "gain of -6 on ±9 volts"
    r = parse_request_rules("inverting stage, gain of minus six, plus and minus 9 V rails")
    assert r.block == "inverting_amplifier" and r.env["vee"] == pytest.approx(-9.0)


def test_values_go_where_the_whole_request_fits_best():
    # "on at" also reads as a supply; the supply is the value the request calls one
    r = parse_request_rules("hysteresis comparator, trips on at 7 V and off at 6 V, 15 V single supply")
    specs = {s.name: s.target for s in r.specs}
    assert r.block == "schmitt_trigger" and r.env["vcc"] == pytest.approx(15.0)
    assert specs == {"v_th_high": pytest.approx(7.0), "v_th_low": pytest.approx(6.0)}


def test_one_slot_of_a_unit_takes_the_value():
    r = parse_request_rules("common-emitter amplifier, gain 8, biased at 1.5 mA, 9 V")
    assert {s.name: s.target for s in r.specs}["ic"] == pytest.approx(1.5e-3)


def test_a_range_sets_a_condition_at_its_top():
    r = parse_request_rules("voltage divider for a 0-36 V input giving 3 V")
    assert r.env["vin"] == pytest.approx(36.0)


def test_gain_from_the_levels_in_and_out():
    r = parse_request_rules("non-inverting op-amp taking a 20 mV microphone signal up to 1 V, 9 V supply")
    assert {s.name: s.target for s in r.specs}["gain"] == pytest.approx(50.0)


def test_load_named_by_the_head_of_an_actuator_name():
    r = parse_request_rules("MOSFET for a 12 V pump drawing 2 A from a 3.3 V pin")
    assert r.block == "mosfet_switch" and r.env["vload"] == pytest.approx(12.0)


def test_unsigned_gain_keeps_the_phase():
    assert parse_request_rules("op-amp with a gain of 12").block == "noninverting_amplifier"
    assert parse_request_rules("an inverting op-amp stage with a gain of 7 on 9 V").block == "inverting_amplifier"


def test_value_said_of_a_microcontroller_is_the_drive():
    r = parse_request_rules("MOSFET to switch a 24 V LED strip at 2 A from a 3.3 V Raspberry Pi Pico pin")
    assert r.block == "mosfet_switch"
    assert r.env["v_drive"] == pytest.approx(3.3) and r.env["vload"] == pytest.approx(24.0)


def test_bjt_that_cannot_saturate_says_so():
    from pipelines.sizing import run_sizing

    state = run_sizing(request=parse_request_rules("NPN switch for a 600 mA lamp from a 3.3 V pin"), mc_runs=0)
    assert state["error"].startswith("cannot be met") and "MOSFET" in state["error"]


def test_stated_forward_voltage_sets_the_led():
    from pipelines.sizing import run_sizing, summary

    r = parse_request_rules("LED with a forward voltage of 2.9 V on a 5 V rail at 10 mA")
    assert r.env["vf"] == pytest.approx(2.9)
    s = summary(run_sizing(request=r, mc_runs=0))
    assert s["pass"] and 180 <= s["values"]["R1"] <= 240  # (5 - 2.9) V / 10 mA = 210 ohm


def test_a_question_about_an_led_asks_for_its_current():
    with pytest.raises(SizingParseError, match="i_led"):
        parse_request_rules("Which resistor goes with an amber LED on a 12V adapter?")


def test_a_passive_by_its_short_name():
    r = parse_request_rules("low-pass at 300 Hz using a 220n cap")
    assert r.env["fixed"] == {"C1": pytest.approx(220e-9)}


def test_content_word_beats_a_preposition():
    r = parse_request_rules("divider from 12 V to 5 V with 22k on the bottom")
    assert r.env["fixed"] == {"R2": pytest.approx(22e3)}


@pytest.mark.parametrize("text,value,unit", [
    ("8ma", 8e-3, "A"), ("100ua", 100e-6, "A"), ("47nf", 47e-9, "F"), ("10uh", 10e-6, "H"), ("1 mhz", 1e6, "Hz"),
])
def test_lower_case_units_as_engineers_type_them(text, value, unit):
    from circuit.quantities import find_quantities

    (q,) = find_quantities(text)
    assert q.unit == unit and q.value == pytest.approx(value)


def test_rail_names_and_spaced_prefixes():
    assert spelled_to_digits("from 12v to 3v3") == "from 12v to 3.3 V"
    assert spelled_to_digits("at 15 milli amps") == "at 15 milliamps"
    r = parse_request_rules("yellow led on 3V3 at 4 milli amps")
    assert r.block == "led_driver" and r.env["vsupply"] == pytest.approx(3.3)


def test_the_one_part_of_its_kind_takes_a_bare_value():
    r = parse_request_rules("highpass 120Hz 47nF")
    assert r.env["fixed"] == {"C1": pytest.approx(47e-9)}


def test_gain_by_its_symbol():
    r = parse_request_rules("non-inverting op-amp, Av = 21, 9 V")
    assert {s.name: s.target for s in r.specs}["gain"] == pytest.approx(21.0)


def test_555_from_on_and_off_times():
    r = parse_request_rules("555 flasher, on for 0.3 s and off for 0.7 s")
    specs = {s.name: s.target for s in r.specs}
    assert r.block == "ne555_astable"
    assert specs["frequency"] == pytest.approx(1.0) and specs["duty"] == pytest.approx(0.3)


def test_leds_in_series_share_the_resistor():
    from pipelines.sizing import run_sizing, summary

    r = parse_request_rules("three red LEDs in series on a 12 V supply at 10 mA")
    assert r.env["n_leds"] == pytest.approx(3)
    s = summary(run_sizing(request=r, mc_runs=0))
    assert s["pass"] and len([p for p in s["parts"] if p[0].startswith("D")]) == 3
    assert parse_request_rules("a 3mm green LED at 5 mA from 5 V").env.get("n_leds") is None  # a size, no count


def test_divider_sized_for_its_load():
    from pipelines.sizing import run_sizing, summary

    r = parse_request_rules("two resistors to get 2.5 V from 9 V for a circuit that draws 0.5 mA")
    assert r.env["i_load"] == pytest.approx(0.5e-3)
    s = summary(run_sizing(request=r, mc_runs=0))
    r1, r2 = s["values"]["R1"], s["values"]["R2"]
    rl = 2.5 / 0.5e-3
    loaded = 9 * (1 / (1 / r2 + 1 / rl)) / (r1 + 1 / (1 / r2 + 1 / rl))
    assert s["pass"] and loaded == pytest.approx(2.5, rel=0.03) and s["notes"]


def test_filter_corner_as_a_time_constant():
    r = parse_request_rules("RC high-pass, time constant 2 ms")
    assert {s.name: s.target for s in r.specs}["f_c"] == pytest.approx(1 / (2 * 3.141592653589793 * 2e-3))
