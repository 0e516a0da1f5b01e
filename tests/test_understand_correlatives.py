"""Correlative comparatives ("the warmer it gets, the faster the fan turns"), a clause read several close ways
that another clause settles, and a sounder asked for twice.

The requests here are phrased for these tests (not taken from any benchmark).
"""

from __future__ import annotations

import pytest

from agents.understand.correlative import correlatives
from agents.understand.needs import clauses
from agents.understand.rules import understand_rules
from knowledge import comparatives
from knowledge.library import Library


def _clauses(text: str) -> dict[str, tuple[str, bool]]:
    return {c.text: (c.joined_by, c.answers) for c in clauses(text)}


@pytest.mark.parametrize("text, condition, answer", [
    ("the warmer it gets, the faster the fan turns", "the warmer it gets", "the faster the fan turns"),
    ("the colder the porch gets the longer the heater stays on", "the colder the porch gets",
     "the longer the heater stays on"),
    ("a lamp that glows dimmer the brighter our kitchen is", "the brighter our kitchen is", None),
    ("the more light there is, the slower it blinks", "the more light there is", "the slower it blinks"),
])
def test_the_first_correlative_is_the_condition_and_the_next_the_answer(text, condition, answer):
    got = _clauses(text)
    assert got[condition] == ("as", False)
    if answer:
        assert got[answer] == ("", True)


@pytest.mark.parametrize("text", ["set the lower threshold to 20 degrees", "the higher voltage goes to pin 3",
                                  "use the faster motor for the fan", "log the number of visitors"])
def test_a_comparative_inside_a_noun_phrase_opens_no_clause(text):
    assert correlatives(text) == []


def test_the_comparatives_come_from_the_lexicon_not_from_words_ending_in_er():
    assert all(comparatives.is_comparative(w) for w in ("hotter", "nearer", "drier", "brighter"))
    assert not any(comparatives.is_comparative(w) for w in ("water", "timer", "user", "heater", "power"))


def test_the_shipped_comparative_list_is_lemminflects(tmp_path):
    pytest.importorskip("lemminflect")
    out = tmp_path / "comparatives.txt"
    comparatives.build(out)
    assert out.read_text(encoding="utf-8") == comparatives.DATA.read_text(encoding="utf-8")


def _caps(text: str, library: Library) -> set[str]:
    return {n.capability for n in understand_rules(text, library).needs}


@pytest.mark.parametrize("text, sensed", [
    ("a beeper that chirps quicker the closer my car gets to the fence", "sense-distance"),
    ("a fan that turns faster the warmer the loft becomes", "sense-temperature"),
])
def test_the_correlative_condition_asks_for_what_notices_it(text, sensed, library):
    assert sensed in _caps(text, library)


def test_the_answer_of_a_correlative_asks_for_what_responds(library):
    text = "the darker the landing becomes, the brighter my night lamp should glow"
    req = understand_rules(text, library)
    by_words = {n.words: n.capability for n in req.needs}
    assert by_words.get("the darker the landing becomes") == "sense-light"
    answer = by_words.get("the brighter my night lamp should glow")
    assert answer in {"indicator-light", "color-light", "light-strip"}  # a light that glows, not one that senses

def test_a_clause_another_clause_settles_asks_for_no_guess_of_its_own(library):
    req = understand_rules("a parking sensor that chirps faster as my van backs closer to the garage wall", library)
    caps = {n.capability for n in req.needs}
    assert "sense-distance" in caps and "sense-magnet" not in caps
    # the gate still holds the clause to any of its readings
    assert any("sense-distance" in a.any_of and len(a.any_of) > 1 for a in req.asked)

