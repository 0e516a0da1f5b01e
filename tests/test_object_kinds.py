"""Kinds of everyday object a request senses, and the temperatures they imply (knowledge.object_kinds), read against
the temperature sensors' typed spans, and the hook in retrieval."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.embedding_cache import VectorCache
from knowledge.library import Library
from knowledge.object_kinds import DRY, OUT_OF_SPAN, UNWATCHED, VECTORS_FILE, ObjectKind, ObjectKinds, covers, load_catalog
from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


@pytest.fixture(scope="module")
def kinds(retriever) -> ObjectKinds:
    return retriever._objects


def _vec(retriever, text):
    return retriever._encode([text])[0]


def test_catalog_is_valid_and_typed(tmp_path):
    cat = load_catalog()
    assert len({k.kind for k in cat}) == len(cat)
    assert all(k.temperature_c is None or k.temperature_c[0] <= k.temperature_c[1] for k in cat)
    bad = tmp_path / "bad.yaml"
    bad.write_text('- kind: x\n  description: "a thing"\n  temperature_c: [10, -10]\n', encoding="utf-8")
    with pytest.raises(ValueError):
        load_catalog(bad)
    found, missing = VectorCache.load(VECTORS_FILE).lookup([k.description for k in cat])
    assert not missing, "knowledge/object_kind_vectors.npz is stale: run python -m knowledge.object_kinds"


def test_records_type_the_span_they_read():
    lib = Library.default()
    assert lib["ds18b20"].temperature_span == (-55.0, 125.0)
    assert lib["dht11"].temperature_span == (0.0, 50.0)
    assert lib["max6675"].temperature_span == (0.0, 1024.0)
    assert lib["max31855"].temperature_span[1] > 1024.0  # the MAX31855 reads a K-type junction beyond the MAX6675
    typed = [r for r in lib if r.temperature_span is not None]
    senses = {r.key for r in lib if any(c.capability == "sense-temperature" for c in r.provides)}
    assert {r.key for r in typed} <= senses | {"mlx90614"}


def test_objects_are_read_as_their_kind_clearly_or_not_at_all(retriever, kinds):
    def kind(text):
        k = kinds.read(_vec(retriever, text))
        return k.kind if k else None
    assert kind("how cold the chest freezer gets inside") == "freezer"
    assert kind("the temperature in the flue of a wood burner") == "stove"
    assert kind("the water in the tropical aquarium") == "aquarium"
    assert kind("a temperature sensor") is None  # no object: nothing in particular
    assert kind("an npn transistor rated for 2 A") is None


def test_a_span_that_leaves_out_the_object_loses_where_a_sibling_covers_it(retriever, kinds):
    spans = retriever._temperature_spans
    stove = kinds.temperature_deltas(_vec(retriever, "how hot the chimney of my log burner gets"), [],
                                     ["ntc-thermistor", "ds18b20", "max6675"], spans)
    assert stove["ntc-thermistor"] == -OUT_OF_SPAN and stove["ds18b20"] == -OUT_OF_SPAN
    assert "max6675" not in stove and "max31855" not in stove
    freezer = kinds.temperature_deltas(_vec(retriever, "the chest freezer in the garage"), [], ["dht11", "ds18b20"],
                                       spans)
    assert freezer["dht11"] == -OUT_OF_SPAN and "ds18b20" not in freezer
    # a temperature stated in °C is read before any kind: the MAX6675 stops at 1024 °C
    stated = kinds.temperature_deltas(_vec(retriever, "a kiln"), [1250.0], ["max6675", "max31855"], spans)
    assert stated["max6675"] == -OUT_OF_SPAN and "max31855" not in stated
    # no candidate that types a span, or no part that reads the temperature at all: nothing moves
    assert kinds.temperature_deltas(_vec(retriever, "the chest freezer"), [], ["relay-module"], spans) == {}
    assert kinds.temperature_deltas(_vec(retriever, "the sun"), [5000.0], ["max31855"], spans) == {}


def test_covers_is_the_whole_span():
    assert covers((-55, 125), (-30, -10)) and not covers((0, 50), (-30, -10)) and not covers((0, 1024), (20, 1300))



def test_retrieval_reads_the_object_behind_a_temperature(retriever):
    assert retriever.search("how hot does the flue of my wood stove get").matches[0].key in {"max6675", "max31855"}
    assert retriever.search("read a pottery kiln firing at 1250 °C").matches[0].key == "max31855"
    assert retriever.search("measure the temperature of water in an aquarium").matches[0].key == "ds18b20"


def test_a_container_of_a_solid_is_no_liquid_for_a_wetted_sensor(retriever, kinds):
    lib = Library.default()
    assert lib["water-level-sensor"].wetted and lib["rain-sensor"].wetted and not lib["hc-sr04"].wetted
    wetted = retriever._wetted
    bin_ = kinds.contents_deltas(_vec(retriever, "how full is the wheelie bin outside"), wetted)
    assert bin_ == {k: -DRY for k in wetted}
    assert kinds.contents_deltas(_vec(retriever, "how full is the water tank in the loft"), wetted) == {}
    assert kinds.contents_deltas(_vec(retriever, "a water level sensor"), wetted) == {}
    assert retriever.search("tell me when the kitchen bin needs taking out").matches[0].key != "water-level-sensor"


def test_what_is_watched_of_a_store_is_how_full_it_is(retriever, kinds):
    senses = retriever._sensing_slugs
    assert "rain-sensor" in senses and "relay-module" not in senses and "sim800l" not in senses
    store = kinds.store_deltas(_vec(retriever, "how full is the water tank in the loft"), senses)
    assert store["rain-sensor"] == -UNWATCHED and store["soil-moisture-sensor"] == -UNWATCHED
    assert "water-level-sensor" not in store and "hc-sr04" not in store and "water-pump-12v" not in store
    assert kinds.store_deltas(_vec(retriever, "detect rain falling on the roof"), senses) == {}
    # asked how much there is: a part that neither senses nor carries data gives no reading of it
    mute = retriever._mute
    assert "dc-barrel-jack" in mute and "sim800l" not in mute and "water-level-sensor" not in mute
    asked = kinds.store_deltas(_vec(retriever, "how full is the water tank in the loft"), senses, True, mute)
    assert asked["dc-barrel-jack"] == -UNWATCHED and "water-level-sensor" not in asked and "sim800l" not in asked
    assert "dc-barrel-jack" not in store
