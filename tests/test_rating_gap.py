"""A kind of part the library holds, asked for at a rating none of those parts has, is a part the library lacks
(knowledge.rating_gap)."""

from __future__ import annotations

from knowledge.library import Library
from knowledge.rating_gap import KindIndex, lacks_rating, rating_value
from knowledge.retrieval import Retriever
from tests.library_util import copy_records


def test_only_ratings_count_not_values_a_generic_part_takes():
    assert rating_value("12v") and rating_value("2.5a") and rating_value("100w") and rating_value("2000mah")
    assert not rating_value("10k") and not rating_value("16x2") and not rating_value("0.96in")
    assert not rating_value("100uf") and not rating_value("470ohm")


def test_a_kind_is_the_noun_a_name_ends_in_within_its_category():
    heads = {"supply": {"psu-5", "psu-12"}, "panel": {"pv-6", "matrix"}}
    kinds = KindIndex(heads, {"psu-5": "power", "psu-12": "power", "pv-6": "power", "matrix": "display"})
    assert kinds.same_kind("psu-5") == {"psu-5", "psu-12"}
    assert kinds.same_kind("pv-6") == {"pv-6"}  # an LED matrix "panel" is no solar panel
    assert kinds.same_kind("nameless") == {"nameless"}


def test_a_rating_is_lacking_only_where_every_part_of_the_kind_states_another():
    kinds = KindIndex({"supply": {"psu-5", "psu-12"}}, {"psu-5": "power", "psu-12": "power"})
    assert lacks_rating({"12v", "10a"}, {"psu-5": -1, "psu-12": -1}, "psu-12", kinds)
    assert not lacks_rating({"12v", "1a"}, {"psu-5": -1, "psu-12": 1}, "psu-5", kinds)  # another of the kind has it
    assert not lacks_rating({"12v"}, {"psu-5": -1}, "psu-5", kinds)  # psu-12 states no voltage: it may have it
    assert not lacks_rating({"10k"}, {"psu-5": -1, "psu-12": -1}, "psu-5", kinds)  # no rating asked
    assert not lacks_rating(set(), {"psu-5": -1, "psu-12": -1}, "psu-5", kinds)


def test_supplies_and_panels_at_ratings_the_library_lacks_are_out_of_library(tmp_path):
    keys = ["power-supply-5v", "power-supply-5v-4a", "power-supply-12v", "power-supply-24v", "solar-panel-6v",
            "solar-panel-12v", "ws2812-matrix", "relay-module", "water-pump-12v"]
    lib = Library.from_dirs([copy_records(tmp_path / "parts", keys)])
    r = Retriever(lib, index_path=tmp_path / "index", progress=False)
    for query in ("36 volt 3 amp supply", "12 V supply rated 8 A", "a 20 W solar panel for the shed roof"):
        res = r.search(query)
        assert res.beyond_reach and res.ood and res.ruled_out, (query, res.as_dict())
    for query, key in (("a 5 volt 3 amp supply", "power-supply-5v-4a"), ("12 V 1.5 A adapter", "power-supply-12v"),
                       ("1 W solar panel", "solar-panel-6v")):
        res = r.search(query)
        assert not res.beyond_reach and not res.ood and res.matches[0].key == key, (query, res.as_dict())
    # a value that describes what the wanted part serves asks nothing of it
    res = r.search("a relay to switch my 24 V pump")
    assert not res.beyond_reach, res.as_dict()
