"""The typed facts the rules classify by (``actuator``, ``drives``, pin ``v_range``, ``ratings.colour``,
``requires.free_pins``) are validated on load and required by ``kb check`` where the kind needs them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from knowledge.completeness import missing_fields
from knowledge.record import ComponentRecord


def _rec(library, key: str, **changes) -> ComponentRecord:
    data = library[key].model_dump()
    data.update(changes)
    return ComponentRecord.model_validate(data)


@pytest.mark.parametrize("key,changes,words", [
    ("bme280", {"actuator": "dc-motor"}, "actuator"),                    # a sensor is no motor
    ("buzzer", {"actuator": "stepper"}, "motor or coil"),               # a stepper has winding leads
    ("l298n", {"drives": ["dc-motor", "dc-motor"]}, "twice"),
    ("bme280", {"drives": ["stepper"]}, "drives"),                      # nothing to drive a motor with
    ("lcd1602", {"requires": {"free_pins": ["D9"]}}, "free_pins"),
    ("rgb-led", {"ratings": {"colour": "red", "vf": 2.0}}, None),       # an LED may state its colour
    ("resistor", {"ratings": {"colour": "red"}}, "colour"),             # a resistor may not
])
def test_typed_kind_fields_are_validated_on_load(key, changes, words, library):
    if words is None:
        _rec(library, key, **changes)
        return
    with pytest.raises(ValidationError, match=words):
        _rec(library, key, **changes)


def test_a_pin_range_is_ordered(library):
    data = library["l298n"].model_dump()
    pin = next(p for p in data["pins"] if p["name"] == "12V")
    pin["v_range"] = (35.0, 5.0)
    with pytest.raises(ValidationError, match="v_range"):
        ComponentRecord.model_validate(data)


@pytest.mark.parametrize("key,field,gap", [
    ("dc-motor", "actuator", "actuator"),
    ("passive-buzzer", "actuator", "actuator"),
    ("l293d", "drives", "drives"),
    ("ldr", "ratings", "ratings.r_low_high"),
])
def test_kb_check_requires_the_typed_kind_facts(key, field, gap, library):
    rec = library[key]
    assert not missing_fields(rec), missing_fields(rec)
    blank = {"actuator": None, "drives": [], "ratings": {**rec.ratings.model_dump(), "r_low_high": None}}[field]
    assert any(g.startswith(gap) for g in missing_fields(_rec(library, key, **{field: blank})))


def test_kb_check_requires_an_adjustable_regulators_reference_and_open_pin_check(library):
    data = library["lm317"].model_dump()
    data["spice"]["params"] = {}
    data["requires"]["required_pins"] = []
    gaps = missing_fields(ComponentRecord.model_validate(data))
    assert any("v_ref" in g for g in gaps) and any("ADJ" in g for g in gaps), gaps


def test_every_motor_driver_says_what_it_drives_and_every_motor_what_it_is(library):
    drivers = [r for r in library if r.drives]
    assert {"dc-motor", "stepper"} <= {d for r in drivers for d in r.drives}
    # a dual H-bridge runs two DC motors or one bipolar stepper; a step/dir driver only steppers
    assert set(library["l298n"].drives) == {"dc-motor", "stepper"} == set(library["tb6612fng"].drives)
    assert library["a4988"].drives == ["stepper"]
    assert library["relay-dpdt"].actuator is None  # a relay that can reverse a motor is not a motor
