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


def test_typed_limits_of_what_a_part_does_rule_out_a_rating_past_every_one(library):
    """RatedKinds: the kind is what the part does (its capability slugs), the limits its typed ratings."""
    from knowledge.rating_gap import RatedKinds, asked_amounts, kin_slugs, rated_limits

    assert kin_slugs("step-down", "step-down-compact") and kin_slugs("regulate-5v", "regulate-3v3")
    assert kin_slugs("step-down-compact", "step-down-high-current") and not kin_slugs("step-down", "stepper-drive")

    rated = RatedKinds(library)
    buck = "lm2596-buck-converter"
    assert "mini-360-buck-converter" in rated.same_kind(buck)  # another part that steps a voltage down
    assert sorted(asked_amounts({"400v", "10000mah", "500ma", "10k"})) == [("a", 0.5), ("ah", 10.0), ("v", 400.0)]
    assert rated.beyond({"400v"}, buck)            # every step-down converter takes 40 V at most
    assert not rated.beyond({"24v", "5v"}, buck)   # within them
    assert rated.beyond({"10000mah"}, "lipo-1s")   # no cell holds 10 Ah
    assert not rated.beyond({"2000mah"}, "lipo-1s")  # the 18650 holds 2.6 Ah
    assert rated.beyond({"12a"}, "tb6600") and not rated.beyond({"3a"}, "tb6600")
    # a relay's typed ratings are its coil's: they say nothing of the voltage its contacts switch
    assert "v" not in rated_limits(library["relay-module"].ratings)
    assert not rated.beyond({"230v"}, "relay-module")
    # a source's output voltage is a set point, not a limit
    assert not rated.beyond({"20v"}, "usb-c-pd-trigger")
    # another part ranked first that is rated for it keeps the request in library
    assert not rated.beyond({"400v"}, buck, first=["irf840"])
