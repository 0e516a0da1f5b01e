"""A temperature stated to hold with a part that heats or cools asks the temperature read; temperatures are read in
Celsius and Fahrenheit as people write them; a part read by meaning whose own words state a far bigger rating is
not that part; "the pump" after "a relay" is another part, not the relay."""

import pytest

from agents.understand.rules import understand_rules
from circuit.quantities import degrees_after, find_quantities
from knowledge.library import Library


@pytest.fixture(scope="module")
def lib():
    return Library.default()


@pytest.mark.parametrize("text, celsius", [
    ("holds 37.5 C", 37.5),
    ("below 4 degrees celsius", 4.0),
    ("a -18 deg C freezer", -18.0),
    ("keep it at 75°F", 23.9),
    ("98.6 degrees fahrenheit", 37.0),
    ("at 25°C", 25.0),
])
def test_temperatures_as_written(text, celsius):
    temps = [q for q in find_quantities(text) if q.unit == "°C"]
    assert len(temps) == 1 and temps[0].value == pytest.approx(celsius, abs=0.05)


def test_no_temperature_where_none_is_written():
    # a battery's C-rate is glued to its figure; an angle has no scale; "75 F" is a capacitance
    assert not [q for q in find_quantities("a 3S 25C lipo") if q.unit == "°C"]
    q = find_quantities("turn the servo 90 degrees")[0]
    assert q.unit == "" and degrees_after("turn the servo 90 degrees", q)
    assert find_quantities("keep it at 75 F")[0].unit == "F"


def test_lower_case_watts():
    assert [(q.value, q.unit) for q in find_quantities("a 2kw heater and a 15w pad")] == [(2000.0, "W"), (15.0, "W")]


def _needs(req):
    return {n.capability for n in req.needs}


@pytest.mark.parametrize("request_text", [
    "keep my 3D printer enclosure at 40 degrees with a 12V heater and a fan",
    "an incubator heating pad that holds 37.5 C",
    "keep the battery box above 5 degrees C in winter with a heating element",
    "keep my cheese cave at 12 degrees with a peltier module",
])
def test_a_held_temperature_asks_a_sensor(lib, request_text):
    req = understand_rules(request_text, lib)
    assert "sense-temperature" in _needs(req)
    assert any(a.any_of == ["sense-temperature"] for a in req.asked)


@pytest.mark.parametrize("request_text", [
    "a 12V heating pad switched on and off by a push button and a mosfet",   # no value to hold
    "a servo that turns 40 degrees each time I press a button",               # degrees of angle, nothing heats
])
def test_no_sensor_without_a_held_temperature(lib, request_text):
    assert "sense-temperature" not in _needs(understand_rules(request_text, lib))


def test_a_heater_is_a_part_not_the_source(lib):
    req = understand_rules("a thermostat for my reptile tank that controls a 12V heat mat with an arduino", lib)
    assert "heater-pad-12v" in {p.key for p in req.named_parts}


def test_a_far_bigger_rating_names_another_thing(lib):
    req = understand_rules("a relay to control the 2kW immersion heater", lib)
    assert "heater-pad-12v" not in {p.key for p in req.named_parts}
    assert any("2kw" in n and "rating" in n for n in req.notes)
    small = understand_rules("a relay to control the 15W heat mat", lib)
    assert "heater-pad-12v" in {p.key for p in small.named_parts}


@pytest.mark.parametrize("request_text, load", [
    ("a relay to control the water pump", "water-pump-12v"),
    ("a relay to switch the heat mat", "heater-pad-12v"),
])
def test_the_load_after_a_switch_is_another_part(lib, request_text, load):
    keys = {p.key for p in understand_rules(request_text, lib).named_parts}
    assert {"relay-module", load} <= keys
