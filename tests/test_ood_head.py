"""The head noun of what a request asks for (knowledge.ood_head), the unit words of stated values
(knowledge.lexical.unit_words), and a name word and a number read as a part number only where they stand together."""

from __future__ import annotations

from functools import lru_cache

import pytest

from knowledge.lexical import LexicalIndex, unit_words
from knowledge.library import Library
from knowledge.ood_head import head_noun, head_words


@pytest.mark.parametrize("query, noun", [
    ("gsm antenna", "antenna"),                       # a name: its last word is the thing
    ("an infrared thermometer gun", "gun"),
    ("gps antenna with an sma plug", "antenna"),      # the words before "with"
    ("a relay board for the coffee machine", "board"),  # the words before a context cue
    ("a servo that turns a dial", ""),                # a sentence with no cue: its last word is what the verb acts on
    ("12v 2a supply", "supply"),                      # values are no head
])
def test_the_head_noun_is_the_last_word_of_the_thing_asked(query, noun):
    assert head_noun(query) == noun


def test_head_words_are_the_thing_asked_apart_from_what_it_is_for():
    assert head_words("a Raspberry Pi Zero for a tiny Linux project") == ["raspberry", "pi", "zero"]
    assert head_words("Raspberry Pi Zero") == []      # nothing splits it: the whole request is the name


@pytest.mark.parametrize("query, units", [
    ("meanwell 5 volt 20 amp psu", {"volt", "amp"}),
    ("12 volt supply rated for 8 amps", {"volt", "amps"}),
    ("5v 2a supply", set()),                          # written as a number and a letter: nothing spelled out
    ("a display with 2 rows", set()),                 # a count, not a unit
])
def test_unit_words_are_the_spelled_units_of_stated_numbers(query, units):
    assert unit_words(query) == units


@lru_cache(maxsize=1)
def _lexical() -> LexicalIndex:
    return LexicalIndex(Library.default())


def test_a_name_word_and_a_number_apart_by_a_comma_are_no_part_number():
    assert _lexical().match("text lcd, 2 rows, 16 characters each").unknown_part_numbers == []
    assert "nema23" in _lexical().match("NEMA 23 stepper motor").unknown_part_numbers
