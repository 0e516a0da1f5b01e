"""A condition joined by "as" with a subject and verb of its own ("spins faster as my room gets hotter"), a clause
saying what the thing named before it does (no second part does it), and counting things that pass a beam.

The requests here are phrased for these tests (not taken from any benchmark).
"""

from __future__ import annotations

import pytest

from agents.understand.needs import clauses
from agents.understand.rules import understand_rules
from knowledge.verbs import base_forms


def _joined(text: str) -> dict[str, str]:
    return {c.text: c.joined_by for c in clauses(text)}


@pytest.mark.parametrize("text, clause", [
    ("a heater that turns off as my shed warms up", "my shed warms up"),
    ("blink faster as the tank empties", "the tank empties"),
    ("a light that dims as our hall gets brighter", "our hall gets brighter"),
    ("a bell that rings as guests arrive", "guests arrive"),
])
def test_as_opening_a_clause_with_its_verb_is_a_condition(text, clause):
    assert _joined(text).get(clause) == "as"


@pytest.mark.parametrize("text, piece", [("use the buzzer as the alarm clock", "the alarm clock"),
                                         ("wire it as the timer", "the timer")])
def test_as_before_a_noun_phrase_alone_is_a_role_not_a_condition(text, piece):
    assert _joined(text).get(piece) == ""


def test_ies_forms_read_as_their_verb():
    assert base_forms("dries") == {"dry"} and base_forms("empties") == {"empty"}
    assert base_forms("batteries") == set()


def _caps(req) -> set[str]:
    return {n.capability for n in req.needs}


@pytest.mark.parametrize("text", ["I'd like a fan to blow harder as my attic heats up",
                                  "a fan that spins faster when the workshop gets hot"])
def test_what_the_fan_does_is_the_fan_and_the_condition_asks_for_a_sensor(text, library):
    caps = _caps(understand_rules(text, library))
    assert {"cooling-fan", "sense-temperature"} <= caps
    assert "spin-motor" not in caps  # no second motor to do the fan's spinning


def test_a_verb_on_one_thing_asks_for_that_thing_once(library):
    caps = _caps(understand_rules("switch on a fan if the loft gets hot", library))
    assert "cooling-fan" in caps and "spin-motor" not in caps


@pytest.mark.parametrize("text", ["count the runners crossing the finish line with an infrared beam",
                                  "a tally of boxes passing through a light barrier on the belt"])
def test_things_passing_a_beam_ask_for_a_break_beam(text, library):
    req = understand_rules(text, library)
    named = {c.capability for p in req.named_parts for c in library[p.key].provides}
    assert "sense-beam-break" in _caps(req) | named


@pytest.mark.parametrize("text", ["sound a buzzer below 11.5 V on my 12 V battery bank",
                                  "an LED that lights above 13.8 V, run from a 12 V battery"])
def test_a_voltage_after_a_comparison_is_a_threshold_not_an_output_to_make(text, library):
    req = understand_rules(text, library)
    assert not [n for n in req.needs if n.target.get("volts")], req.needs


def test_a_condition_about_a_pronoun_read_faintly_asks_for_nothing(library):
    """'when it runs flat' (the battery, said before) is no orientation to sense, read faintly as one."""
    req = understand_rules("a small torch I can recharge over USB whenever it runs flat", library)
    assert not {n.capability for n in req.needs} & {"sense-orientation", "sense-tilt"}, req.needs
