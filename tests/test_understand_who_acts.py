"""Who acts decides the trigger (issue 11): a person who signals on purpose works an input; a person who only
comes by is sensed. And a request's opening wish ("I'd love ...") is not the thing it names.

The requests here are phrased for these tests (not taken from any benchmark). Assertions read what the
records say a person does to each input (``Capability.person``), so they hold as records are added.
"""

from __future__ import annotations

import pytest

from agents.understand.needs import clauses
from agents.understand.rules import understand_rules
from agents.understand.spelling import compound_head
from agents.understand.who_acts import structure
from knowledge.capabilities import person_roles


def _needs(text: str, library) -> set[str]:
    return {n.capability for n in understand_rules(text, library).needs}


@pytest.mark.parametrize("text", [
    "a buzzer at the flat door so the courier can let me know a delivery is waiting",
    "a bell in the kitchen so my flatmates can tell us dinner is needed upstairs",
])
def test_a_person_who_signals_works_an_input(library, text):
    roles = person_roles(library)
    caps = _needs(text, library)
    assert any(roles.get(c) == "operates" for c in caps), caps
    assert not any(roles.get(c) == "noticed" for c in caps), caps  # they are not noticed: they act


@pytest.mark.parametrize("text", [
    "a buzzer at the flat door that goes off when the courier walks up",
    "a bell in the kitchen that rings whenever a flatmate comes in",
    "a lamp that warns us when the twins creep into the larder",  # read faintly as a colour, not a person
])
def test_a_person_who_only_comes_by_is_noticed(library, text):
    roles = person_roles(library)
    caps = _needs(text, library)
    assert any(roles.get(c) == "noticed" for c in caps), caps


def test_a_thing_that_tells_us_is_sensed_not_pressed(library):
    # the subject is a thing, not a person: what it "tells" is what is sensed
    roles = person_roles(library)
    caps = _needs("a gadget so the letterbox can tell us when post arrives", library)
    assert not any(roles.get(c) == "operates" for c in caps), caps


def test_subject_and_verb_are_read_from_grammar():
    assert structure("the kids can signal me from the shed") == ("the kids", "can signal me from the shed")
    assert structure("guests announce themselves")[0] == "guests"
    assert structure("it gets dark") is None  # no one in particular acts
    assert structure("tells us") is None


def test_the_opening_wish_is_not_the_thing():
    assert clauses("I'd love a chime by the porch so that it rings")[0].text == "a chime by the porch"
    assert clauses("Could you make me a speedometer for my scooter")[0].text == "a speedometer"
    # a thing named by a word that asks for nothing is kept whole
    assert clauses("could you make me a little circuit that beeps")[0].text == "could you make me a little circuit"


def test_a_chime_after_an_opening_wish_is_still_rung_by_a_press(library):
    caps = _needs("we would like a chime for the surgery waiting room", library)
    assert "button-input" in caps and "make-sound" in caps, caps


@pytest.mark.parametrize("text", ["a hall buzzer that sounds as guests arrive",
                                  "a shop buzzer that beeps as customers walk in"])
def test_as_before_a_subject_and_its_verb_opens_a_clause(library, text):
    # "as guests arrive" is when it sounds: the guests are noticed
    roles = person_roles(library)
    assert any(roles.get(c) == "noticed" for c in _needs(text, library)), text


def test_a_part_described_after_a_comma_asks_for_nothing_more(library):
    # "..., glowing by the pond" says what the LED named before it does: no colour LED is asked
    caps = _needs("a garden LED, glowing by the pond", library)
    assert not caps & {"color-light", "addressable-leds"}, caps


@pytest.mark.parametrize("text", ["carport led, on at nightfall, no mcu",
                                  "stable led, on from nightfall, no controller"])
def test_a_time_of_day_is_read_as_the_end_of_the_light(library, text):
    req = understand_rules(text, library)
    assert "sense-light" in {n.capability for n in req.needs}, req.needs
    assert "trigger:low" in req.preferences, req.preferences


def test_a_time_after_which_it_acts_asks_for_what_notices_it(library):
    # "after sundown" says when: the light is sensed ("sundown" is not cut to "down"; which end it names,
    # MiniLM does not tell clearly, so no end is read)
    req = understand_rules("a gate LED that turns on after sundown with no controller", library)
    assert "sense-light" in {n.capability for n in req.needs}, req.needs


def test_a_verb_and_its_particle_are_no_compound_with_a_head(library):
    assert compound_head("sundown", ["sun", "down"], library) is None
    assert compound_head("countdown", ["count", "down"], library) is None
