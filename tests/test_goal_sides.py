"""A goal is completed from what the thing is (agents.understand.goal_parts, product_noun, goal_people): a timer
named as the thing is a timer to build, not the 555 chip; what a clock or timer keeps is shown (and a timer's end
sounded); a meter of what happens by itself takes the sensor that notices each event; several people each get an
input. Every phrasing here is written for these tests, none is a benchmark request.
"""

from __future__ import annotations

import pytest

from agents.understand.goal_parts import notices_events
from agents.understand.goal_people import people_count, per_person
from agents.understand.product_noun import names_the_product
from agents.understand.rules import understand_rules
from knowledge.capabilities import capability_index
from knowledge.library import Library


@pytest.fixture(scope="module")
def lib() -> Library:
    return Library.default()


def _providers(lib, capability):
    return [r for r in lib if any(c.capability == capability for c in r.provides)]


def _categories(lib, req):
    return {r.category for n in req.needs for r in _providers(lib, n.capability)}


def test_a_chip_named_by_what_the_thing_is_for_is_the_thing(lib):
    """The 555's record never speaks of workouts: "an interval timer" is a timer to build, shown and sounded."""
    req = understand_rules("an interval timer for my workouts", lib)
    assert "ne555" not in {p.key for p in req.named_parts}, req.named_parts
    cats = _categories(lib, req)
    assert "display" in cats and "audio" in cats, req.needs


@pytest.mark.parametrize("phrase, key, product", [
    ("laundry timer", "ne555", True),     # a use the record never names, a chip
    ("555 timer", "ne555", False),        # a part number
    ("oscillator timer", "ne555", False), # the record's own word
    ("garden led", "led", False),         # the part is itself what a person sees
])
def test_names_the_product_reads_the_records_own_words_and_kind(lib, phrase, key, product):
    assert names_the_product(phrase, f"a {phrase}", lib[key]) is product


def test_a_clock_shows_the_time_it_keeps(lib):
    req = understand_rules("an alarm clock for the guest room", lib)
    caps = {n.capability for n in req.needs}
    assert "keep-time" in caps
    assert any(r.category == "display" for c in caps for r in _providers(lib, c)), caps


def test_a_meter_of_turns_takes_the_sensor_that_notices_each_one(lib):
    """A readout of how fast something turns: a sensor that fires once a turn, not a button."""
    req = understand_rules("an rpm display for the wind turbine", lib)
    sensed = [n for n in req.needs if any(c.capability == n.capability and c.direction == "sense"
                                          for r in lib for c in r.provides)]
    assert sensed and all(any(notices_events(r) and r.category == "sensor" for r in _providers(lib, n.capability))
                          for n in sensed), req.needs
    assert not any(n.capability == "button-input" for n in req.needs)


def test_notices_events_is_read_from_pins(lib):
    assert notices_events(lib["a3144"]) and notices_events(lib["reed-switch"])
    assert not notices_events(lib["bme280"])           # a value over a bus
    assert not notices_events(lib["flame-sensor"])     # a voltage that a comparator only cuts into events


def test_people_are_counted_by_meaning(lib):
    embed = capability_index(lib).embed
    assert people_count("a game buzzer for five contestants", embed) == 5
    assert people_count("a counter with six kids taking turns", embed) == 6
    assert people_count("two digits and three lamps", embed) == 1


def test_each_person_gets_an_input(lib):
    req = understand_rules("a game show panel for five contestants", lib)
    worked = [n for n in req.needs if any(c.capability == n.capability and c.person == "operates"
                                          for r in lib for c in r.provides)]
    assert worked and all(n.count == 5 for n in worked), req.needs


def test_a_named_output_shared_by_several_people_gets_an_input_each(lib):
    req = understand_rules("a buzzer box for five contestants", lib)
    assert any(lib[p.key].category in ("audio", "actuator") for p in req.named_parts), req.named_parts
    worked = [n for n in req.needs if any(c.capability == n.capability and c.person == "operates"
                                          for r in lib for c in r.provides)]
    assert worked and worked[0].count == 5, req.needs
    plain = understand_rules("a buzzer box for the workshop", lib)
    assert not any(n.capability == worked[0].capability for n in plain.needs), plain.needs


def test_people_named_one_by_one_are_counted(lib):
    embed = capability_index(lib).embed
    assert people_count("my sister and I want a game", embed) == 2
    assert people_count("Tom, his three cousins and me", embed) == 5
    assert people_count("a lamp and a fan", embed) == 1
    assert people_count("a red and green LED", embed) == 1


def test_handed_to_each_is_grammar_over_people(lib):
    embed = capability_index(lib).embed
    assert per_person("a box where each of us has a switch", embed)
    assert per_person("a knob per contestant", embed)
    assert per_person("one lever apiece", embed)
    assert not per_person("a counter that beeps each time the door opens", embed)


def test_a_named_input_handed_to_each_person_comes_once_per_person(lib):
    req = understand_rules("my dad and I want a quiz box where each of us gets a push button", lib)
    buttons = [p for p in req.named_parts if p.key == "push-button"]
    assert buttons and buttons[0].count == 2, req.named_parts
    # named with no word handing it out, it is the one asked for
    one = understand_rules("a score display for two teams with a reset push button", lib)
    assert [p.count for p in one.named_parts if p.key == "push-button"] == [1], one.named_parts


def test_a_goal_with_its_output_read_still_gets_an_input_per_person(lib):
    req = understand_rules("a game timer for three players", lib)
    worked = [n for n in req.needs if any(c.capability == n.capability and c.person == "operates"
                                          for r in lib for c in r.provides)]
    assert worked and worked[0].count == 3, req.needs
    alone = understand_rules("a game timer for the kitchen", lib)
    assert not any(n.count > 1 for n in alone.needs), alone.needs


def test_a_thing_read_as_two_worked_inputs_alike_asks_for_the_most_common(lib):
    req = understand_rules("a clicker for the front desk", lib)
    assert any("alike" in n for n in req.notes), req.notes  # (read as a knob's click and a button's alike)
    worked = [n.capability for n in req.needs if any(c.capability == n.capability and c.person == "operates"
                                                     for r in lib for c in r.provides)]
    assert worked == ["button-input"], req.needs
