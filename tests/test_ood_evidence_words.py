"""Which words of a request are evidence about the part at all (knowledge.lexical.evidence_words): another
language's grammar words and a revision mark are neither known nor unknown words, so a request in Spanish
or German, or one naming a module's revision, is not read as holding words the library lacks."""

from __future__ import annotations

from functools import lru_cache

import pytest

from knowledge.lexical import LexicalIndex, content_tokens, evidence_words, revision_tokens
from knowledge.library import Library


@lru_cache(maxsize=1)
def lexical() -> LexicalIndex:
    return LexicalIndex(Library.default())


@pytest.mark.parametrize("text, marks", [
    ("MAX7219 matrix board v2.1", {"v2", "1"}),
    ("relay board rev 3", {"rev", "3"}),
    ("ESP8266 board rev. C", {"rev", "c"}),
    ("encoder module version 4", {"version", "4"}),
    ("a 12 v 2 a supply", set()),         # volts and amps, not a revision
    ("Arduino Uno R3", set()),            # a board's R3 is its own board, not a revision mark
    ("ld1117v33 regulator", set()),       # a voltage version glued to a part number
    ("revolution counter", set()),
])
def test_revision_marks_are_read_as_such_and_nothing_else(text, marks):
    assert set(revision_tokens(text)) == marks


def test_grammar_words_of_the_alias_languages_are_no_evidence_but_their_content_words_are():
    content = content_tokens("Drucksensor für den Keller")
    assert "fur" in content and "den" in content  # content words by the English filler list ...
    assert evidence_words(content) == ["drucksensor", "keller"]  # ... but no evidence about the part
    assert evidence_words(["de", "la"]) == ["de", "la"]  # nothing else left: every word counts
    assert evidence_words(content_tokens("sensor board rev 2"), revision_tokens("sensor board rev 2")) == ["sensor",
                                                                                                        "board"]


def test_another_languages_grammar_words_are_not_unknown_words():
    for text in ("Gassensor für die Küche", "sensor de gas para la cocina", "capteur de gaz pour la cuisine"):
        hit = lexical().match(text)
        unknown = set(hit.unknown_words)
        assert not unknown & {"fur", "die", "de", "para", "la", "pour"}, (text, unknown)


def test_a_grammar_word_and_a_count_are_no_part_number():
    # "de 8" is not a part named "DE8": the aliases' grammar word "de" is no name word
    hit = lexical().match("placa de 8 canais")
    assert not hit.unknown_part_numbers, hit.unknown_part_numbers
    # while a real name word beside a number still reads as a part number the library lacks
    assert lexical().match("NEMA 34 motor").unknown_part_numbers == ["nema34"]


def test_a_revision_mark_adds_no_unknown_word_and_no_number_gap():
    from knowledge.retrieval import Retriever

    retr = Retriever(Library.default())
    plain, revised = retr.search_batch(["MAX7219 dot matrix module", "MAX7219 dot matrix module rev 4"], k=3)
    assert plain.matches[0].key == revised.matches[0].key == "max7219"
    assert revised.features.number_gap == 0.0 and revised.features.unknown_words == plain.features.unknown_words
    assert revised.features.rare_gap == pytest.approx(plain.features.rare_gap)
