"""Spelling correction changes slips of the library's words, never real words the library lacks."""

from __future__ import annotations

import pytest

from agents.understand.spelling import correct, correction

# everyday words (compounds of two real words) that sit one or two edits from a word the records use
ORDINARY = ["treehouse", "lakehouse", "hillway", "shoplight", "parkroom", "roadboard", "schoolgate", "yardboard"]


@pytest.mark.parametrize("word", ORDINARY)
def test_a_compound_of_two_real_words_is_not_corrected(word, library):
    assert correction(word, library) is None


def test_a_request_keeps_its_ordinary_words(library):
    text = "a light in the treehouse that comes on at dusk, and a bell by the schoolgate"
    fixed, fixes = correct(text, library)
    assert fixes == [] and fixed == text


@pytest.mark.parametrize("slip, meant", [("ultrasonik", "ultrasonic"), ("temprature", "temperature"),
                                         ("servoo", "servo"), ("moter", "motor"), ("potentiometr", "potentiometer"),
                                         ("buzer", "buzzer"), ("tempreture", "temperature"),
                                         ("photoresister", "photoresistor")])
def test_a_slip_of_a_part_word_is_still_corrected(slip, meant, library):
    assert correction(slip, library) == meant
    assert (slip, meant) in correct(f"an {slip} sensor on a nano", library)[1]


@pytest.mark.parametrize("slip, meant", [("truns", "turns"), ("sensro", "sensor"), ("motro", "motor"), ("toggel", "toggle")])
def test_two_swapped_letters_are_the_word_with_those_letters(slip, meant, library):
    # a swap keeps every letter: of words as few edits away ("truns": "turns", "runs"), it is the likelier slip
    assert correction(slip, library) == meant


@pytest.mark.parametrize("text, fixed", [("on 4 secnds after", "seconds"), ("5 minuts later", "minute")])
def test_a_slip_after_a_number_is_the_unit_it_is_one_edit_from(text, fixed, library):
    # "secnds" is one edit from "seconds" and from "sends": after a figure, the unit is meant
    assert fixed in correct(text, library)[0]


def test_a_word_after_a_number_that_is_no_unit_slip_stays(library):
    assert correct("4 sends a day", library)[1] == []
