"""Inflections, derivations and slips of the parts' words as a weaker keyword match (knowledge.word_kin, keywords)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from knowledge.keywords import KeywordIndex, part_words
from knowledge.library import Library
from knowledge.retrieval import Retriever
from knowledge.word_kin import KIN, SLIP, WordKin

# a small vocabulary of its own, so each reading below depends on these words alone
_WORDS = ("detects motion moving moves detection charging charge battery vibration vibrate accelerometer display "
          "temperature sensor sensing motor meter measures water blink blinking rotation led").split()


def _kin() -> WordKin:
    return WordKin(_WORDS)


def test_a_family_joins_the_forms_of_one_word_and_the_nouns_made_from_it():
    kin = _kin()
    assert dict(kin.related("moved")) == {"move": KIN, "moving": KIN}  # "moves", "moving" (light stems)
    assert dict(kin.related("detector")) == {"detect": KIN, "detection": KIN}  # an agent noun: its verb
    assert dict(kin.related("movement")) == {"move": KIN, "moving": KIN}  # a -ment noun: its verb
    assert dict(kin.related("charger"))["charge"] == KIN
    assert dict(kin.related("vibrating")) == {"vibration": KIN, "vibrate": KIN}


def test_no_family_is_read_from_a_stem_too_short_or_from_a_base_the_words_lack():
    kin = _kin()
    assert kin.related("motors") == ()  # its own word; "motor" is never "mot"
    assert kin.related("metering") == ()  # "meter" is not "met", "measure" is another word
    assert kin.related("motion") == () and kin.related("led") == ()
    assert kin.family("motor") == "motor" and kin.family("meter") == "meter"


def test_a_slip_reads_the_word_it_slips_from_and_a_real_word_is_never_a_slip():
    kin = _kin()
    assert dict(kin.related("acelerometer")) == {"accelerometer": SLIP}
    assert dict(kin.related("dispaly")) == {"display": SLIP}
    assert dict(kin.related("temprature")) == {"temperature": SLIP}
    assert dict(kin.related("blinkng"))["blink"] == SLIP  # "blinking", whose light stem is "blink"
    assert kin.related("toaster") == () and kin.related("waiter") == ()  # English words, not slips of "water"
    assert kin.related("kitchen") == ()


def test_two_families_equally_near_give_no_slip():
    kin = WordKin(["heater", "header"])
    assert kin.related("heamer") == ()


@lru_cache(maxsize=1)
def _library_keywords() -> tuple[KeywordIndex, KeywordIndex, dict[str, int]]:
    """The library's keyword index with kin, the same words read by identity alone, and each part's row."""
    recs = list(Library.default())
    return (KeywordIndex.of_records(recs), KeywordIndex([part_words(r) for r in recs]),
            {r.key: i for i, r in enumerate(recs)})


def test_a_kin_word_scores_below_the_word_itself_and_above_nothing():
    kw, exact, pos = _library_keywords()
    typed = kw.scores("accelerometer")
    slipped = kw.scores("acelerometer")
    row = pos["adxl345"]
    assert 0 < slipped[row] < typed[row]
    assert np.isclose(slipped[row], SLIP * typed[row])
    assert int(np.argmax(slipped)) == int(np.argmax(typed))
    assert not exact.scores("acelerometer").any()  # identity alone: nothing
    moves = kw.scores("moves")[pos["pir-motion"]]  # its texts say "moving", not "moves"
    assert exact.scores("moves")[pos["pir-motion"]] == 0 and 0 < moves < exact.scores("moving")[pos["pir-motion"]]


def test_a_word_said_in_another_form_is_missing_only_in_part():
    kw, exact, pos = _library_keywords()
    row = pos["as608-fingerprint-sensor"]
    with_kin, without = kw.missing("fingerprnt reader"), exact.missing("fingerprnt reader")
    assert with_kin[row] < 1.0 and without[row] == exact.missing("reader")[row]
    share, rarest = kw.unexplained("fingerprnt", row)
    assert share < 0.5 and rarest == 0.0
    assert exact.unexplained("fingerprnt", row) == (1.0, 1.0)  # identity alone: a word no part uses


def test_a_slip_keeps_its_first_letter_and_a_real_word_of_either_spelling_is_none():
    kin = WordKin(["delivery", "fire", "power", "powering", "display", "sensor", "sensor", "sense"])
    assert kin.related("azdelivery") == ()  # a brand's letters before a word, not a slip of it
    assert kin.related("fibre") == ()  # British for fiber: a word, not a slip of "fire"
    assert kin.related("powerline") == ()  # two words written as one
    assert kin.slip("dispaly") == "display"
    assert kin.slip("sensr") == "sensor"  # of the family's words, the one the texts use most


def test_a_short_word_is_a_slip_only_by_the_edits_short_words_allow():
    kin = WordKin(["black", "board", "soil", "walk", "four", "sensor"])
    assert kin.slip("blak") == "black" and kin.slip("bord") == "board"  # a letter dropped from five
    assert kin.slip("soic") is None and kin.slip("flur") is None  # a package, another language's word
    assert kin.slip("wala") is None and kin.slip("para") is None  # other languages' grammar words


def test_a_request_is_read_as_meant_with_its_slips_written_right():
    kin = _kin()
    assert kin.read("Acelerometer breakout for a DHT22") == "accelerometer breakout for a dht22"
    assert kin.read("a motor that moves") is None  # no slip: read as typed


def test_a_misspelt_request_reaches_the_part_its_right_spelling_does():
    r = Retriever.default()
    typed, meant = r.search("acelerometer breakout"), r.search("accelerometer breakout")
    assert not typed.ood and typed.best.key == meant.best.key
    assert Library.default()[typed.best.key].category == "sensor"
