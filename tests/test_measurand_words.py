"""The quantity a request's own words name when its sentence reads as several (knowledge.measurand_words), and a
request read as measuring a quantity, which asks for no part that only acts (knowledge.retrieval)."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.measurand_words import named_quantity, request_words, sensing_words
from knowledge.retrieval import Retriever

ACCELERATION = {"adxl345", "mpu6050", "lsm6ds3", "mpu9250", "icm-20948"}
MICROPHONES = {"max4466", "max9814", "electret-mic", "inmp441", "sound-sensor-big", "sound-sensor-small"}


@pytest.fixture(scope="module")
def default_retriever() -> Retriever:
    return Retriever.default()


def test_the_words_read_one_by_one():
    """Content words only; a verb with its object straight after it is what is done; a hyphenated word whole."""
    assert request_words("dim the lamp when the hall goes quiet") == ["lamp", "hall", "quiet"]  # "goes": filler
    words = request_words("log the g-force of the sled at 3.3 V")
    assert "g-force" in words and "log" not in words and "3.3" not in words


def test_a_word_names_the_contender_it_reads_as_clearly():
    """Among contenders the sentence reads about equally, the one a single word reads as by NAMES and LEAD."""
    texts = np.eye(4, dtype=np.float32)            # one text per entry, entries 0..3
    starts = np.arange(4)
    alike = np.eye(4, dtype=bool)
    word = np.asarray([[0.0, 0.9, 0.3, 0.0]], dtype=np.float32)
    contenders = np.asarray([True, True, True, False])
    assert named_quantity(word, texts, starts, contenders, alike)[0] == 1
    # the same word with a rival just behind it names nothing, and an entry out of the contenders is never named
    close = np.asarray([[0.0, 0.6, 0.58, 0.0]], dtype=np.float32)
    assert named_quantity(close, texts, starts, contenders, alike)[0] is None
    elsewhere = np.asarray([[0.0, 0.0, 0.0, 0.9]], dtype=np.float32)
    assert named_quantity(elsewhere, texts, starts, contenders, alike)[0] is None
    # entries served by the same parts are no rivals
    alike[1, 2] = alike[2, 1] = True
    assert named_quantity(close, texts, starts, contenders, alike)[0] == 1


def test_a_word_that_reads_as_what_a_part_does_is_no_quantity():
    quantity = np.asarray([[1.0, 0.0]], dtype=np.float32)
    doing = np.asarray([[0.0, 1.0]], dtype=np.float32)
    words = np.asarray([[0.8, 0.6], [0.6, 0.8]], dtype=np.float32)
    assert np.array_equal(sensing_words(words, quantity, doing), words[:1])


@pytest.mark.parametrize("query,keys", [
    # where it happens reads as another quantity (a van's route); the predicate names the one asked
    ("log every bump the delivery van takes on the motorway", ACCELERATION),
])
def test_the_predicate_outweighs_the_thing_it_happens_to(default_retriever, query, keys):
    res = default_retriever.search(query)
    assert res.best is not None and res.best.key in keys, res.as_dict()


def test_a_request_to_measure_what_an_actuator_makes_asks_for_a_sensor(default_retriever):
    """A vibration motor makes vibration; a request to measure how much something vibrates asks for a part that
    senses it, the motor that only acts ranks below."""
    res = default_retriever.search("measure how hard the spin dryer vibrates")
    keys = [m.key for m in res.matches]
    assert keys[0] in ACCELERATION and ("vibration-motor" not in keys or keys.index("vibration-motor") > 0), keys


def test_the_words_are_read_only_where_the_sentence_leaves_the_quantity_open(library):
    """A sentence that reads clearly as one quantity needs no word reading (no model call for its words); one that
    reads two about equally, each served and read as sensing, asks for them."""
    from knowledge.embedding import get_embedder
    from knowledge.measurands import MeasurandIndex

    idx = MeasurandIndex(library)
    emb = get_embedder()
    asked = []

    def words(text):
        def read():
            asked.append(text)
            return np.asarray(emb.encode(request_words(text)), dtype=np.float32)
        return read

    clear = "how noisy it is"
    assert idx.sensed(emb.encode_query(clear), words=words(clear)).measurand == "sound"
    assert asked == []
    open_ = "how much the scaffold tower sways on a windy day"
    idx.sensed(emb.encode_query(open_), words=words(open_))
    assert asked == [open_]
