"""Functional requests ranked by what a part's records say it does (issue 18, retr-top1).

Phrasings here are not benchmark queries; each names an event or a use in everyday words and the part
whose datasheet function serves it must rank first.
"""

from __future__ import annotations

import pytest

from knowledge.lexical import action_clause
from knowledge.retrieval import Retriever

ACCELEROMETERS = {"adxl345", "mpu6050", "lsm6ds3", "mpu9250", "icm-20948"}


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


@pytest.mark.parametrize("query", [
    "notice when the bin is bumped by a car",
    "find out if the laptop bag was dropped",
    "sense a jolt on the trailer hitch",
    "notice when the crate is shaken",
    "tell whether the tablet lies flat or stands upright",
])
def test_a_jolt_a_fall_or_which_way_a_thing_lies_ranks_an_accelerometer_first(retriever, query):
    """An accelerometer's tap, free-fall and activity interrupts and its gravity reading are what these
    events are; the records say so in plain words, so a tilt switch, a light or a temperature sensor
    (which share the request's other words) no longer rank above it."""
    res = retriever.search(query, k=3)
    assert res.matches[0].key in ACCELEROMETERS, res.as_dict()


def test_the_action_clause_is_the_words_before_a_condition_clause():
    assert action_clause("text me when the door opens") == "text me"
    assert action_clause("send my phone a message if the tank runs dry") == "send my phone a message"
    # a single verb before the clause takes the clause as its object: no separate action
    assert action_clause("detect when the box falls") == "" and action_clause("know if the door is open") == ""
    assert action_clause("a relay module") == "" and action_clause("text me when") == ""


@pytest.mark.parametrize("query", [
    "sms my wife whenever the dog door opens",
    "give me a call if the chest freezer door is left open",
])
def test_a_message_before_a_condition_ranks_the_part_that_carries_it(retriever, query):
    """The condition ("the door opens") is what the message reports; the cellular modem carries it."""
    res = retriever.search(query, k=3)
    assert res.matches[0].key in {"sim800l", "a7670", "sim7600"}, res.as_dict()


def test_once_an_action_carries_a_message_parts_that_carry_none_step_down(retriever):
    """"drop me a text" reads as a message (its best capability sends SMS); displays that show text and carry
    no message step down below the modem (the low-drop diode's "drop" still leads: a keyword, not a message)."""
    keys = [m.key for m in retriever.search("drop me a quick text when the kettle boils", k=5).matches]
    assert "sim800l" in keys[:2], keys
    assert all(keys.index("sim800l") < keys.index(k) for k in ("nokia-5110", "lcd1602") if k in keys), keys


def test_an_ordinary_output_before_a_condition_still_ranks_the_conditions_sensor(retriever):
    """Switching a heater is what any output pin and a relay do; the part the request turns on is the
    sensor of its condition, so an action that carries no message leaves the whole request to decide."""
    res = retriever.search("turn the heater on when the room gets cold", k=3)
    assert retriever.library[res.matches[0].key].provides[0].capability == "sense-temperature", res.as_dict()


@pytest.mark.parametrize("query,wanted", [
    ("join twenty sensor nodes on one 800 m cable", {"max485"}),
    ("chain many boards on a long pair of wires across the factory", {"max485"}),
    ("how many watts is the circuit drawing", {"ina219", "ina226"}),
    ("watts a dc load consumes over the day", {"ina219", "ina226"}),
])
def test_a_datasheet_fact_said_in_a_capability_ranks_its_part(retriever, query, wanted):
    """RS-485's many nodes on one long twisted pair (32 unit loads, 1200 m) and the INA219's power register
    are capabilities of those records; a need stated by them finds the part."""
    res = retriever.search(query, k=3)
    assert res.matches[0].key in wanted, res.as_dict()


def test_a_source_named_after_from_stays_in_the_words_that_describe_the_wanted_part():
    """Where a board is set aside as context, the source after "from" is kept in the rest that is searched:
    it says what the wanted part takes in ("from a 9 V battery": a regulator's input), so the rest still
    describes a part and the board named beside it ("for my esp32") does not win."""
    r = Retriever.default()
    hit = r.lexical.match("a 3.3 v regulator for my esp32 from a 9 v battery")
    assert "battery" in hit.wanted.split() and "esp32" not in hit.wanted.split()
    res = r.search("a 3.3 v regulator for my esp32 from a 9 v battery", k=3)
    assert res.matches[0].key in {"ams1117-3.3", "lp2950-3.3", "lm1117-3.3", "ld1117", "mcp1700-3.3",
                                  "ap2112k-3.3", "xc6206-3.3", "ht7333-ldo"}, res.as_dict()


def test_obstacle_avoidance_ranks_a_distance_sensor_first(retriever):
    """The HC-SR04's typical use (obstacle avoidance) is a capability in plain words: a vehicle that must
    turn before it reaches a wall wants the ranging sensor, not the mains input or a compass its other
    words brush against."""
    res = retriever.search("a robot vacuum that turns away before it hits the wall", k=3)
    assert res.matches[0].key in {"hc-sr04", "vl53l0x", "vl53l1x", "tf-luna"}, res.as_dict()


def test_how_much_of_something_there_is_is_a_question_to_sense():
    from knowledge.lexical import asks_degree
    assert asks_degree("how loud the shop gets") and asks_degree("see how much power the fan draws")
    assert not asks_degree("how to wire a relay") and not asks_degree("how do I power it")
    assert not asks_degree("measure the temperature")


@pytest.mark.parametrize("query", ["how loud the shop gets", "how loud my workshop is"])
def test_how_loud_a_place_is_ranks_a_sound_sensor_not_an_amplifier(retriever, query):
    """An amplifier makes things louder (an act capability the words fit best); the question asks for a
    reading, so the parts that only act step down."""
    res = retriever.search(query, k=3)
    assert "sense" in {c.direction for c in retriever.library[res.matches[0].key].provides}, res.as_dict()
