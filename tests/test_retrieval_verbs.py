"""A request's opening verb and the thing it acts on (knowledge.verbs, knowledge.lexical, knowledge.retrieval)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from knowledge import verbs
from knowledge.lexical import LexicalIndex, capability_verbs, opening_verb
from knowledge.library import Library
from knowledge.retrieval import Retriever


@lru_cache(maxsize=1)
def _lexical() -> LexicalIndex:
    return LexicalIndex(Library.default())


def test_the_shipped_verb_list_is_lemminflects_verbs(tmp_path):
    out = tmp_path / "verbs.txt"
    n = verbs.build(out)
    assert n > 5000 and out.read_text() == verbs.DATA.read_text()
    assert verbs.can_be_verb("measure") and verbs.can_be_verb("recharge") and verbs.can_be_verb("light")
    assert not verbs.can_be_verb("dual") and not verbs.can_be_verb("digital") and not verbs.can_be_verb("native")


def test_an_inflected_word_has_its_verbs_base_forms():
    assert "charge" in verbs.base_forms("charging") and "play" in verbs.base_forms("plays")
    assert "stop" in verbs.base_forms("stopped") and "switch" in verbs.base_forms("switches")
    assert verbs.base_forms("digital") == set() and verbs.base_forms("sensors") == set()


def test_an_adjective_or_a_hyphenated_modifier_opening_a_text_is_no_verb():
    assert opening_verb("measure how far the wall is") == "measure"
    assert opening_verb("plays MP3 files from a card") == "play"
    assert opening_verb("light up an LED") == "light"
    assert opening_verb("dual H-bridge: two brushed DC motors") is None
    assert opening_verb("digital temperature readings of water") is None
    assert opening_verb("low-drop Schottky diode for reverse-polarity protection") is None
    assert opening_verb("double-pole changeover contacts") is None
    assert opening_verb("the sensor") is None and opening_verb("a board that") is None


def test_a_capability_does_the_verbs_of_its_opening_phrase_not_the_nouns_after_them():
    assert capability_verbs("light up an LED, blink or glow") == {"light", "blink", "glow"}
    assert capability_verbs("open and close a lid with a servo") == {"open", "close"}
    assert capability_verbs("turn a shaft by precise steps with a stepper motor") == {"turn"}
    assert capability_verbs("plays MP3 files from a card") == {"play"}
    assert capability_verbs("dual H-bridge: two motors, forward and reverse") == set()


def test_a_verbs_capabilities_index_holds_no_adjectives():
    r = Retriever.default()
    assert "measure" in r._verb_parts and "charge" in r._verb_parts
    assert not {"dual", "digital", "native", "low", "miniature", "individually"} & set(r._verb_parts)


def test_a_part_the_opening_verb_acts_on_that_does_not_do_it_is_what_the_wanted_part_works_on():
    lx = _lexical()
    hit = lx.match("recharge the 18650 in my portable project")
    assert "18650-battery" in hit.acted_keys and "tp4056" not in hit.acted_keys  # a charger charges: re-charge
    assert "dc-motor" in lx.match("reverse a small dc motor from the arduino").acted_keys
    assert "nema17" in lx.match("step the nema 17 motor of my camera slider").acted_keys  # it turns, by steps
    # the named part does it itself: it is the wanted part
    assert not lx.match("blink an led").acted_keys
    assert not lx.match("sound a buzzer as an alarm").acted_keys
    assert not lx.match("switch a relay module from a pin").acted_keys
    # no article or possessive after the first word: a name, not a verb and its object
    assert not lx.match("single channel relay board").acted_keys
    assert not lx.match("strain gauge load cell for a kitchen scale").acted_keys


def test_the_part_that_does_the_action_outranks_the_part_it_acts_on():
    r = Retriever.default()
    res = r.search("reverse a small dc motor from the arduino", k=3)
    assert res.matches[0].key != "dc-motor" and r.library[res.matches[0].key].drives, res.as_dict()
    res = r.search("recharge the 18650 in my portable project", k=3)
    assert res.matches[0].key != "18650-battery", res.as_dict()
    assert r.search("blink an led", k=1).matches[0].key == "led"
    res = r.search("step the nema 17 motor of my camera slider", k=3)  # its name and words say what is stepped
    assert r.library[res.matches[0].key].drives and "nema17" not in [m.key for m in res.matches], res.as_dict()


def test_object_words_naming_only_parts_that_work_another_way_than_the_verb_are_what_is_worked_on():
    """A card stores (its capability's direction is not a sensor's); the words of the object name only a sensor,
    which neither stores nor works the way storing parts do: those words are no evidence for it."""
    lx = _lexical()
    assert {"soil", "moisture"} <= lx.match("save the soil moisture values to a memory card").acted_words
    # the sensor does the verb itself: its words stay evidence
    assert lx.match("measure the soil moisture in a pot").acted_words == set()


def test_an_object_phrase_holds_one_article():
    from knowledge.lexical import _object_positions, tokens
    toks = tokens("run the project off a 12 v adapter")
    assert {toks[i] for i in _object_positions(toks)} == {"the", "project", "off"}


@pytest.mark.parametrize("query, wanted", [
    ("save the soil moisture values to a memory card", {"micro-sd-card"}),
    ("keep the two wheel robot balanced upright", {"mpu6050", "adxl345", "lsm6ds3", "mpu9250", "icm-20948"}),
    ("measure the soil moisture in a pot", {"soil-moisture-sensor"}),
])
def test_the_part_that_does_the_verb_outranks_the_parts_its_object_names(query, wanted):
    assert Retriever.default().search(query).matches[0].key in wanted
