"""Words that only say where a part came from (knowledge.provenance), and things named with what they have
(knowledge.products.feature_head): read from the library, never from a list of makers or products."""

from __future__ import annotations

import pytest

from knowledge.products import feature_head
from knowledge.provenance import candidates, provenance_words, resolves, strip
from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def _words(r: Retriever, query: str) -> list[str]:
    return provenance_words([r.lexical.match(query)], r.lexical, r._encode, r._products.vectors)[0]


def test_a_name_no_record_uses_beside_a_resolved_part_number_is_provenance(retriever):
    # invented maker names: no record, no English word list and no product catalog knows them
    assert _words(retriever, "Vorquix BMP180 board") == ["vorquix"]
    assert _words(retriever, "an HC-05 from zentrolab") == ["zentrolab"]
    # no part number that resolves to a record: the name is evidence like any other word
    assert _words(retriever, "Vorquix barometer board") == []
    assert not resolves(retriever.lexical.match("Vorquix XQ9921 barometer"))  # a number the library lacks
    assert _words(retriever, "Vorquix XQ9921 barometer") == []


def test_words_that_say_what_a_part_is_or_works_with_are_no_provenance(retriever):
    lex = retriever.lexical
    # English words say what the part is ("waterproof"); a word a record's texts use says what it works with
    # (a firmware the descriptions name); a part's own name words name it
    for query in ("DS18B20 waterproof", "rp2040 board for micropython", "BMP180 barometer"):
        assert candidates(lex.match(query), lex) == [], query
    # a name that reads as a finished product is the product asked for, not who made the part
    assert "dashcam" in candidates(lex.match("dashcam MPU6050"), lex)
    assert _words(retriever, "dashcam MPU6050") == []


def test_strip_drops_whole_pieces_and_keeps_the_rest():
    assert strip("Vorquix BMP180 board", ["vorquix"]) == "BMP180 board"
    assert strip("Zen-Trol HC-05 module", ["zen", "trol"]) == "HC-05 module"
    assert strip("Vorquix BMP180", []) == "Vorquix BMP180"
    assert strip("Vorquix", ["vorquix"]) == "Vorquix"  # nothing would be left: the request as typed


def test_a_maker_beside_a_library_part_number_keeps_the_request_in_library(retriever):
    plain = retriever.search("BMP180 breakout")
    for query in ("Vorquix BMP180 breakout", "BMP180 breakout by Zentrolab"):
        res = retriever.search(query)
        assert res.query == query and not res.ood and res.matches[0].key == "bmp180", res.as_dict()
        assert res.confidence >= plain.confidence - 1e-6, (res.confidence, plain.confidence)
    # beside a part number the library lacks, the maker changes nothing: still out of library
    assert retriever.search("Vorquix BMP585 breakout").ood


def test_the_head_of_a_thing_named_with_what_it_has():
    assert feature_head("a toaster with a timer") == "a toaster"
    assert feature_head("motor driver without a heatsink") == "motor driver"
    assert feature_head("blink the lamp with a relay") == ""   # what is to be done, not a thing
    assert feature_head("with a timer") == ""                  # nothing named before it
    assert feature_head("a toaster for the kitchen") == ""     # no "with"


@pytest.mark.parametrize("query,product", [
    ("a toaster with an NE555", "kitchen-appliance"),
    ("a video doorbell with an ESP32-CAM", "video-doorbell"),
    ("a quadcopter with an MPU6050", "drone"),
])
def test_a_product_named_with_a_part_it_contains_is_the_product(retriever, query, product):
    res = retriever.search(query)
    assert res.product == product and res.ood, res.as_dict()


@pytest.mark.parametrize("query,key", [
    ("a ds18b20 probe with a long cable", "ds18b20"),
    ("motor driver board with two h-bridges", "l298n"),
])
def test_a_part_named_with_a_feature_stays_in_library(retriever, query, key):
    res = retriever.search(query)
    assert not res.ood and res.product is None, res.as_dict()
    assert key in [m.key for m in res.matches], res.as_dict()
