"""A board the library lacks, named by a family word of its boards and a model word none of them is named by
(knowledge.board_model), read from the real library's records; and the thing a request asks for (ood_head.thing_asked)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from knowledge.board_model import BoardModels
from knowledge.lexical import LexicalIndex
from knowledge.library import Library
from knowledge.ood_head import thing_asked


@lru_cache(maxsize=1)
def _lexical() -> LexicalIndex:
    return LexicalIndex(Library.default())


@lru_cache(maxsize=1)
def _models() -> BoardModels:
    lex = _lexical()
    return BoardModels(Library.default(), lex.name_vocab, lex.knows)


def test_family_words_are_read_from_the_boards_names():
    families = _models().families
    assert {"arduino", "pi", "xiao", "nano"} <= set(families)
    assert "module" not in families and "sensor" not in families  # words for kinds of part name no family


@pytest.mark.parametrize("phrase, pair", [
    ("teensy 3.6", ("teensy", "3.6")),               # a number where the family's board puts another
    ("Raspberry Pi Zero 2", ("pi", "zero")),
    ("Orange Pi 5", ("pi", "5")),                     # a number where the family's boards put "pico"
    ("Raspberry Pi Zero 2 W board", ("pi", "zero")),  # ids and a kind word may close the name
    ("Pi Zero", ("pi", "zero")),                      # a word other records' names use, no pi board's
    ("Arduino Portenta", ("arduino", "portenta")),    # a word no text of the library uses
    ("seeed xiao esp32c6", ("xiao", "esp32c6")),      # a chip id no XIAO of the library carries
])
def test_a_model_word_the_family_lacks_is_a_board_the_library_lacks(phrase, pair):
    assert _models().lacking(phrase) == pair


@pytest.mark.parametrize("phrase", [
    "Raspberry Pi Pico W",        # the family's own models
    "Arduino Nano Every",
    "seeed xiao rp2040",
    "arduino nano evry",          # a slip of a model word the family has
    "arduino board",              # a word for a kind of part
    "cheap arduino clone",        # ordinary words the library's texts use
    "arduino compatible",         # another family's word without a digit describes
    "arduino pro mini 3.3v",      # a value
    "arduino 5 volt",
    "esp32 weather station",      # words that are no part of a name follow: a thing built on the board
])
def test_the_library_s_own_boards_and_plain_words_are_no_missing_model(phrase):
    assert _models().lacking(phrase) is None


def test_the_thing_asked_is_the_words_before_a_cue_or_with():
    assert thing_asked("Orange Pi 5 to host a small web server") == "orange pi 5"
    assert thing_asked("esp32 board with a camera") == "esp32 board"
    assert thing_asked("drive a motor for the gate") == ""  # what is to be done, no thing


def test_a_piece_of_a_part_number_is_a_model_only_where_another_family_carries_it():
    def lacking(phrase):
        hit = _lexical().parts_named(phrase)
        return _models().lacking(phrase, hit.revision, hit.pn_tokens)

    assert lacking("seeed xiao nrf52840") == ("xiao", "nrf52840")  # the chip of another family's board
    assert lacking("xiao rp 2040") is None                          # the family's own chip, written apart
    assert lacking("atmega328p pu") is None                         # the package suffix of the chip's own number
