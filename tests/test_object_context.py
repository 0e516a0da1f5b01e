"""Part names used as ordinary nouns (knowledge.object_context): the noun phrase around the word says which sense.

Phrasings here are not benchmark queries: each puts a word that names a part (pot, crystal) in a phrase that names
an everyday thing, or in one that names the part, and checks what the reading and the ranking make of it.
"""

from __future__ import annotations

import pytest

from knowledge.lexical import tokens
from knowledge.object_context import ContextReading, noun_phrases
from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def _phrases(text: str) -> list[str]:
    toks = tokens(text)
    return [" ".join(toks[i] for i in p) for p in noun_phrases(text)]


def test_noun_phrases_split_at_grammar_words_and_join_over_of():
    assert _phrases("pour a pot of tea into the blue cup") == ["pot tea", "blue cup"]
    assert _phrases("the level of my garden tank") == ["level garden tank"]


def test_a_verb_is_no_part_of_a_noun_phrase_unless_an_article_makes_it_a_noun():
    # the verb opening a run, and a verb's -ing form, end the phrase; after an article a word is a noun ("a display")
    assert _phrases("stir a pot of tea steaming on the stove") == ["pot tea", "stove"]
    assert _phrases("mount a display stand") == ["display stand"]


def test_only_a_word_that_names_parts_on_its_own_is_read(retriever):
    senses = retriever._senses
    assert "potentiometer" in senses.parts_named("pot")  # an alias of the potentiometer
    assert "crystal" in senses.parts_named("crystal")
    assert not senses.parts_named("open")  # only describes within names ("normally open")
    # a phrase needs two or more English words, one naming a part; a part number is no everyday thing
    assert senses.candidates("a pot of tea for the guests") == ["pot of tea"]
    assert senses.candidates("an lm7805 regulator for the car") == []


def _read(retriever: Retriever, text: str) -> ContextReading:
    phrases = retriever._senses.candidates(text)
    return retriever._senses.read(phrases, retriever._encode(phrases))


@pytest.mark.parametrize("text,part", [
    ("pour a pot of tea for the guests", "potentiometer"),
    ("light up a crystal glass bowl", "crystal"),
])
def test_a_phrase_far_from_the_named_parts_texts_names_another_thing(retriever, text, part):
    reading = _read(retriever, text)
    assert part in reading.passing, reading
    assert reading.words  # its words: no keyword evidence for the parts they name


@pytest.mark.parametrize("text", ["a slide potentiometer for the mixer", "a quartz crystal oscillator for a clock"])
def test_a_phrase_that_reads_as_the_named_part_is_that_part(retriever, text):
    assert not _read(retriever, text).passing


def test_a_part_named_in_passing_ranks_below_what_the_request_needs(retriever):
    """The glass is what the motor turns: the crystal's name in it is no evidence for the crystal."""
    res = retriever.search("spin a crystal bowl slowly on the shelf", k=3)
    assert res.matches[0].key != "crystal", res.as_dict()
    assert res.matches[0].key in {"dc-motor", "28byj-48", "stepper-motor", "servo", "sg90"}, res.as_dict()


def test_a_part_named_in_its_own_sense_still_ranks_first(retriever):
    assert retriever.search("a 16 mhz crystal to clock my microcontroller", k=3).matches[0].key == "crystal"
    assert retriever.search("a 10k pot to set the volume", k=3).matches[0].key == "potentiometer"
