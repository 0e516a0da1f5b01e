"""How a thing is moved, read apart from what is moved (knowledge.motion_kinds, knowledge.motion_asked: manner_words
and the manner reading), and a kind of DC load no record is switched from a pin (knowledge.acted_on.kind_switch).

Phrasings here are not benchmark queries: each moves an everyday thing and says how in its last words, or asks the
same movement's thing to be sensed.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from knowledge.embedding_cache import VectorCache
from knowledge.motion_asked import manner_words
from knowledge.motion_kinds import MOTIONS, VECTORS_FILE, load_catalog
from knowledge.retrieval import Retriever

SERVOS = {"servo", "sg90", "mg996r"}
STEPPERS = {"stepper-motor", "nema17", "28byj-48", "biaxial-stepper", "a4988", "drv8825", "tmc2208", "tmc2209",
            "tb6600", "uln2003-driver"}
BRIDGES = {"l298n", "l293d", "l9110s", "drv8833", "tb6612fng", "mx1508", "drv8871", "bts7960"}
LOGIC_FETS = {"irlz44n", "irlb8721", "ao3400", "irlml6344", "d4184", "mosfet", "fqp30n06l", "irl540n", "stp55nf06l",
              "irlz34n", "irf520-module"}


@lru_cache(maxsize=1)
def _retriever() -> Retriever:
    return Retriever.default()


def _first(query: str) -> str:
    return _retriever().search(query).matches[0].key


def test_the_catalog_is_typed_by_motion_and_its_vectors_are_shipped():
    kinds = load_catalog()
    assert kinds and {k.motion for k in kinds} <= set(MOTIONS)
    # every motion the records type has a manner to be read by
    assert {k.motion for k in kinds} == set(MOTIONS)
    found, missing = VectorCache.load(VECTORS_FILE).lookup([k.description for k in kinds])
    assert not missing, "knowledge/motion_kind_vectors.npz is stale: run python -m knowledge.motion_kinds"


def test_the_manner_is_the_words_after_what_is_moved():
    assert manner_words("turn the tap handle in small exact steps") == "in small exact steps"
    # what the moved thing belongs to is moved too; an adverb before the verb is read past
    assert manner_words("slowly lift the lid of the toy box to a set angle") == "to a set angle"
    # a verb taking its object with no article: everything after the verb
    assert manner_words("dispense birdseed one scoop at a time") == "birdseed one scoop at a time"
    assert manner_words("reverse the motor") == ""


def test_the_manner_reads_as_its_motion():
    r = _retriever()
    read = lambda words: r._manner(words).motion  # noqa: E731
    assert read("in small exact steps") == "steps"
    assert read("back and forth, forwards then in reverse") == "reversible"
    assert read("to a chosen angle, held there") == "angle"


@pytest.mark.parametrize("query,family", [
    # what is moved (a vent, a door) reads as a servo's flap; how it is moved asks a motor run both ways
    ("open and shut the greenhouse vent with a gear motor that runs both ways", BRIDGES),
    ("raise the little garage door with a gear motor turning either way", BRIDGES),
    # a plunger pushed reads as a solenoid's; in exact small amounts, as a stepper's
    ("drive the pipette plunger down in tiny repeatable steps", STEPPERS),
])
def test_a_manner_said_outright_ranks_the_actuators_that_make_it(query, family):
    assert _first(query) in family


def test_a_place_after_the_object_is_no_manner():
    # "on the shelf" is where the thing is: the whole request does not read as a motion clearly, nothing is asked
    r = _retriever()
    q = "spin a glass ornament on the shelf"
    vec = r._encode([q])[0]
    sims = r._doc_similarities(vec)
    motion, how = r._motion.asked(q, sims, r.lexical.verb_directions, frozenset(), r._manner,
                                  r._motion_kinds.read(vec))
    assert how != "manner"


def test_a_sensing_request_reads_no_manner():
    r = _retriever()
    q = "detect when the hatch has swung to its end position"
    vec = r._encode([q])[0]
    sims = r._doc_similarities(vec)
    assert r._motion.asked(q, sims, r.lexical.verb_directions, frozenset(), r._manner,
                           r._motion_kinds.read(vec))[1] != "manner"


def test_a_kind_of_dc_load_no_record_is_takes_a_switch_a_pin_turns_fully_on():
    r = _retriever()
    acted = r._acted
    pos = r._key_pos
    delta = acted.kind_switch([24.0], 3.3)
    assert delta is not None
    up = {k for k in ("irlz44n", "irf540n", "ao3401", "tip120", "relay-module") if delta[pos[k]] > 0}
    assert up == {"irlz44n"}  # a logic-level N-MOSFET: no 10 V gate, no P-type, no darlington, no contacts
    assert delta[pos["esp32-devkit-v1"]] < 0
    # no level given, a voltage the pin reaches, a mains voltage: not this rule's
    assert acted.kind_switch([24.0], None) is None
    assert acted.kind_switch([3.3], 3.3) is None
    assert acted.kind_switch([230.0], 3.3) is None
    assert _first("switch a 12 v heated seat cushion from an esp32 pin") in LOGIC_FETS
