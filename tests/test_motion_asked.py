"""The motion a request asks an actuator to make, against the records' typed motions (knowledge.motion_asked)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from knowledge.library import Library
from knowledge.motion_asked import leading_verbs
from knowledge.record import Capability
from knowledge.retrieval import Retriever

SERVOS = {"servo", "sg90", "mg996r"}
STEPPERS = {"stepper-motor", "nema17", "28byj-48", "biaxial-stepper"}
STEP_DRIVERS = {"a4988", "drv8825", "tmc2208", "tmc2209", "tb6600", "uln2003-driver"}  # they make the steps too
BRIDGES = {"l298n", "l293d", "l9110s", "drv8833", "tb6612fng", "mx1508", "drv8871", "bts7960"}


@lru_cache(maxsize=1)
def _retriever() -> Retriever:
    return Retriever.default()


def test_a_motion_is_typed_on_actuating_capabilities_only():
    Capability(capability="servo-position", direction="act", motion="angle", description="move an arm to an angle")
    with pytest.raises(ValueError):
        Capability(capability="sense-tilt", direction="sense", motion="angle", description="detect a tilt")


def test_the_actuators_state_the_motion_they_make():
    lib = Library.default()
    expected = {**{k: "angle" for k in SERVOS}, **{k: "steps" for k in STEPPERS | STEP_DRIVERS},
                **{k: "reversible" for k in BRIDGES}, "dc-motor": "continuous", "solenoid": "linear",
                "vibration-motor": "vibration"}
    for key, motion in expected.items():
        acts = [c for c in lib[key].provides if c.direction == "act"]
        assert acts and all(c.motion == motion for c in acts), key
    # sensors that share a motion's word sense it, they make none
    for key in ("tilt-switch", "analog-joystick", "rotary-encoder"):
        assert not any(c.motion for c in lib[key].provides), key


def test_a_capabilitys_leading_verbs_include_those_joined_by_or_and_and():
    assert leading_verbs("aim or point something in a chosen direction") == ["aim", "point"]
    assert leading_verbs("open and close a lid with a servo motor") == ["open", "close"]
    assert leading_verbs("dual H-bridge for two motors") == []


def test_a_verb_names_a_motion_only_where_every_actuating_capability_it_opens_makes_that_motion():
    verbs = _retriever()._motion.verbs
    assert verbs.get("steer") == "angle"      # a thumb joystick's "steer or move" senses a person steering
    assert verbs.get("index") == "steps" and verbs.get("reverse") == "reversible"
    assert "move" not in verbs and "turn" not in verbs and "run" not in verbs  # opened by several kinds of part


@pytest.mark.parametrize("query, family", [
    ("tilt a mirror toward the window from a microcontroller", SERVOS),
    ("steer a toy boat's rudder from a pico", SERVOS),
    ("index a spice rack carousel to each jar in turn", STEPPERS),
    ("reverse the motor that winds a model crane's hook", BRIDGES),
])
def test_a_motion_asked_ranks_the_actuators_that_make_it(query, family):
    res = _retriever().search(query)
    assert res.matches[0].key in family, [m.key for m in res.matches]


@pytest.mark.parametrize("query, sensors", [
    ("detect when the mailbox post is tilted over", {"tilt-switch", "mpu6050", "adxl345", "lsm6ds3"}),
    ("measure how far a crane jib tilts", {"mpu6050", "adxl345", "lsm6ds3", "mpu9250", "icm-20948", "tilt-switch"}),
])
def test_a_request_to_sense_the_motion_still_gets_a_sensor(query, sensors):
    res = _retriever().search(query)
    assert res.matches[0].key in sensors, [m.key for m in res.matches]


def test_what_a_motion_verb_acts_on_is_moved_not_wanted():
    r = _retriever()
    moved = {r.part_keys[p] for p in r._motion.moved("tilt the small solar panel toward the light")}
    assert {"solar-panel-12v", "solar-panel-6v"} <= moved
    assert not r._motion.moved("tilt the mirror toward the window")  # nothing in it names a part
    res = r.search("aim a small solar panel at the sun from a pico")
    assert res.matches[0].key in SERVOS, [m.key for m in res.matches]


def test_a_motion_verb_used_as_a_modifier_names_no_motion():
    from knowledge.motion_asked import takes_object
    assert takes_object("reverse the fan motor") and takes_object("open and close a hatch")
    assert not takes_object("reverse polarity protected regulator")


def test_an_adverb_of_manner_before_the_verb_is_read_past():
    from knowledge.motion_asked import without_manner
    assert without_manner("slowly index the platter round") == "index the platter round"
    assert without_manner("only the servo") == "only the servo"
    res = _retriever().search("gently shake a wristband to wake its wearer")
    assert res.matches[0].key == "vibration-motor", [m.key for m in res.matches]


def test_a_named_dc_motor_asked_to_move_something_to_and_fro_is_run_both_ways():
    res = _retriever().search("swing a garden gate open and shut with a dc motor")
    assert res.matches[0].key in BRIDGES, [m.key for m in res.matches]
    res = _retriever().search("spin a fan with a dc motor")  # spinning is what the motor does by itself
    assert res.matches[0].key not in BRIDGES, [m.key for m in res.matches]
