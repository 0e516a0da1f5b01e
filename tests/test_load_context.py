"""The electrical conditions a request's context sets (a load's current, a board's logic level, a mains voltage)
against parts' typed ratings: parts that cannot meet them rank lower."""

from __future__ import annotations

import pytest

from knowledge.library import Library
from knowledge.load_context import BRIDGE, CONTACTS, ENDS, ONE_WAY, SHORT, UNDRIVEN, Conditions, LoadFacts, \
    number_words, stated_amounts
from knowledge.retrieval import Retriever
from tests.library_util import copy_records

PARTS = ["esp32-devkit-v1", "arduino-uno", "ams1117-3.3", "lp2950-3.3", "ht7333-ldo", "irlz44n", "irf520n",
         "2n3904", "2n2222", "relay-module", "ssr-40da", "mains-input", "sim800l", "lm2596-buck-converter"]


def test_numbers_and_fractions_written_in_words_are_read_as_quantities():
    assert number_words("switch half an amp") == "switch 0.5 amp"
    assert stated_amounts("npn transistor that can switch half an amp", "A") == [0.5]
    assert stated_amounts("sink a quarter amp from a coil", "A") == [0.25]
    assert stated_amounts("one and a half amps", "A") == [1.5]
    assert stated_amounts("three hundred milliamps", "A") == pytest.approx([0.3])
    assert stated_amounts("rated for one amp at 5 V", "A") == [1.0]
    assert stated_amounts("rated for one amp at 5 V", "V") == [5.0]
    # a fraction that is no quantity's, and words that are no numbers, state nothing
    assert stated_amounts("half the time an led is on", "A") == []
    assert stated_amounts("an esp-01 wifi module", "A") == []


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    lib = Library.from_dirs([copy_records(tmp_path_factory.mktemp("parts"), PARTS)])
    keys = [r.key for r in lib]
    return lib, LoadFacts.of_library(lib, keys, ["esp32-devkit-v1", "arduino-uno"])


def test_conditions_come_from_the_named_parts_records(facts):
    lib, f = facts
    cond, powered = f.conditions("3.3 V regulator for an esp32", ["esp32-devkit-v1"])
    assert cond.logic_level == pytest.approx(lib["esp32-devkit-v1"].supply.logic_level)
    assert powered == pytest.approx(lib["esp32-devkit-v1"].supply.current_max)
    cond, powered = f.conditions("supply for a sim800l", ["sim800l"], ["sim800l"])
    assert cond.current == pytest.approx(lib["sim800l"].supply.current_max) and cond.logic_level is None
    # the board that drives the wanted part is no load of it, nor is a power part (a supply, a socket)
    assert f.conditions("an analog voltage from the esp32", ["esp32-devkit-v1"], [])[0].current is None
    assert f.conditions("a charger for the mains", ["mains-input"], ["mains-input"]) == (Conditions(), 0.0)
    # a voltage inside the range of the library's mains source is mains; a 12 V one is not
    assert f.conditions("switch a 230 V heater", [])[0].mains == 230.0
    assert f.conditions("switch a 12 V pump", [])[0].mains is None
    assert f.conditions("a blue led", []) == (Conditions(), 0.0)


def test_parts_whose_ratings_cannot_meet_the_conditions_rank_lower(facts):
    lib, f = facts
    pos = {k: i for i, k in enumerate(f.keys)}
    # an ESP32's peak current: the 1 A LDO supplies it, the 100 mA and 250 mA ones do not
    d = f.adjust("3.3 V regulator for an esp32", ["esp32-devkit-v1"])
    assert d[pos["ams1117-3.3"]] == 0 and d[pos["lp2950-3.3"]] == -SHORT and d[pos["ht7333-ldo"]] == -SHORT
    # half an amp: the 200 mA transistor falls short, the 600 mA one does not
    d = f.adjust("npn transistor that can switch half an amp", [])
    assert d[pos["2n3904"]] == -SHORT and d[pos["2n2222"]] == 0
    # a 5 V board's pin drives a logic-level gate, not one rated at 10 V; a bipolar transistor is left alone
    d = f.adjust("switch a 12 V led strip from the arduino", ["arduino-uno"])
    assert d[pos["irf520n"]] == pytest.approx(-UNDRIVEN) and d[pos["irlz44n"]] == 0 and d[pos["2n2222"]] == 0
    # mains from a board: contacts rated for it rank up, one-way transistor paths down, the mains source is an end
    d = f.adjust("switch a 230 V heater with an esp32", ["esp32-devkit-v1"])
    assert d[pos["ssr-40da"]] == pytest.approx(CONTACTS) and d[pos["relay-module"]] == pytest.approx(CONTACTS)
    assert d[pos["irlz44n"]] <= -ONE_WAY and d[pos["mains-input"]] == pytest.approx(-ENDS)
    assert d[pos["lm2596-buck-converter"]] == 0  # a converter is no end
    # mains without a board: the switches still rank as before, the source is not set aside
    d = f.adjust("switch a 230 V heater", [])
    assert d[pos["relay-module"]] == 0 and d[pos["mains-input"]] == 0 and d[pos["irf520n"]] == pytest.approx(-ONE_WAY)
    # nothing stated: nothing moves
    assert not f.adjust("a blue led", []).any()


def test_retrieval_ranks_by_the_conditions(library):
    r = Retriever.default()
    assert r.search("turn a 12 V LED strip on and off from the arduino").matches[0].key not in (
        "irf520n", "irf530n", "irfz44n", "irf540n", "irf520-module")
    top = r.search("switch a 230 V heater with an esp32").matches[0].key
    assert top in ("ssr-40da", "relay-module", "relay-5v"), top
    top = r.search("which ldo can keep up with the current spikes of an esp32 dev board").matches[0].key
    assert Library.default()[top].ratings.i_out_max >= Library.default()["esp32-devkit-v1"].supply.current_max


def test_a_named_part_powered_from_a_voltage_it_does_not_take_implies_a_conversion(facts):
    lib, f = facts
    # the SIM800L's record takes 4.5-5.5 V: from 12 V, the lowest fixed regulator output inside that range, or
    # (this small library has no 5 V regulator) the range's lowest voltage
    lo = lib["sim800l"].supply.v_min
    assert f.implied_pairs("supply for a sim800l from 12 V", ["sim800l"]) == [(12.0, lo)]
    assert LoadFacts.of_library(Library.default(), ["sim800l", "lm7805"], []).implied_pairs(
        "supply for a sim800l from 12 V", ["sim800l"]) == [(12.0, 5.0)]
    # a part that works from the input as it is implies nothing, nor does a request that states its output
    assert f.implied_pairs("power an esp32 from 9 V", ["esp32-devkit-v1"]) == []
    assert f.implied_pairs("5 V for a sim800l from 12 V", ["sim800l"]) == []
    # a voltage that is no input ("a 12 V sim800l") and a power part named are no conversion either
    assert f.implied_pairs("a 12 V supply for a sim800l", ["sim800l"]) == []
    assert f.implied_pairs("from 230 V", ["mains-input"]) == []


def test_retrieval_ranks_the_converters_an_implied_conversion_needs(library):
    r = Retriever.default()
    lib = Library.default()
    res = r.search("supply for a sim800l from 12 V that copes with its 2 A bursts")
    top = lib[res.matches[0].key]
    assert top.ratings.i_out_max >= lib["sim800l"].supply.current_max and top.ratings.v_in_max >= 12.0, res.as_dict()


def test_a_rating_beyond_every_first_part_of_a_load_carrying_kind_is_a_part_the_library_lacks(facts):
    lib, f = facts
    relays = ["ssr-40da", "relay-module"]
    assert f.beyond_first("solid state relay for a 100 A heater", relays)
    assert not f.beyond_first("solid state relay for a 30 A heater", relays)  # the SSR's contacts carry 40 A
    assert f.beyond_first("a 3.3 V ldo that supplies 5 amps", ["ams1117-3.3", "lp2950-3.3"])
    assert not f.beyond_first("a 3.3 V ldo that supplies half an amp", ["ams1117-3.3", "lp2950-3.3"])
    assert f.beyond_first("logic level mosfet rated for 400 V", ["irlz44n", "irf520n"])
    assert not f.beyond_first("mosfet for a 48 V motor", ["irlz44n", "irf520n"])  # the IRF520N takes 100 V
    # parts that carry no load of their own (a board, a sensor) say nothing of a current stated beside them
    assert not f.beyond_first("an esp32 that switches 100 A", ["esp32-devkit-v1", "ssr-40da"])


def test_retrieval_rules_out_a_rating_no_part_of_the_kind_meets(library):
    r = Retriever.default()
    res = r.search("logic level mosfet rated for 400 V")
    assert res.ood and res.beyond_reach and res.matches, res.as_dict()
    res = r.search("logic level mosfet for a 24 V pump")
    assert not res.beyond_reach, res.as_dict()


def test_a_named_part_at_a_conversions_output_is_its_load_not_the_part_wanted(facts):
    lib, f = facts
    # the ESP32 board's record takes 4.5-12 V, the SIM800L's 4.5-5.5 V: from 24 V to 5 V both are far ends (the
    # converter named is none), from 12 V to 3.3 V the SIM800L is not
    assert f.load_ends([(24.0, 5.0)], ["esp32-devkit-v1", "sim800l", "lm2596-buck-converter"]) == {
        "esp32-devkit-v1", "sim800l"}
    assert f.load_ends([(12.0, 3.3)], ["sim800l"]) == set()
    # a part that works from the input as well is no far end
    assert f.load_ends([(9.0, 5.0)], ["esp32-devkit-v1"]) == set()


def test_retrieval_ranks_the_regulator_not_the_load_it_feeds(library):
    r = Retriever.default()
    for query in ("3v3 regulator to run an esp-01 wifi module off 5 volts",
                  "regulator to run two sg90 servos off a 9 V battery"):
        res = r.search(query)
        top = Library.default()[res.matches[0].key]
        assert top.ratings is not None and top.ratings.v_out is not None and not top.source_kind, res.as_dict()


def test_a_supply_voltage_stated_ranks_down_the_converters_that_cannot_take_it(facts):
    lib, f = facts
    pos = {k: i for i, k in enumerate(f.keys)}
    assert f.conditions("buck converter to run things from a 36 V battery", [])[0].supply_in == 36.0
    d = f.adjust("buck converter to run things from a 36 V battery", [])
    # the LM2596 module takes 40 V; the LDOs take 15 V and less; a part that converts nothing is left alone
    assert d[pos["lm2596-buck-converter"]] == 0 and d[pos["ams1117-3.3"]] == -SHORT and d[pos["irlz44n"]] == 0
    assert f.beyond_first("buck converter from 60 V", ["lm2596-buck-converter", "ams1117-3.3"])
    assert not f.beyond_first("buck converter from 30 V", ["lm2596-buck-converter", "ams1117-3.3"])


def test_a_signal_above_the_boards_logic_level_ranks_the_interface_that_takes_it(tmp_path):
    keys = ["esp32-devkit-v1", "pc817", "logic-level-shifter", "cd4051", "irlz44n"]
    lib = Library.from_dirs([copy_records(tmp_path / "parts", keys)])
    f = LoadFacts.of_library(lib, keys, ["esp32-devkit-v1"])
    pos = {k: i for i, k in enumerate(keys)}
    query = "read a 24 V PLC output on an esp32 pin"
    d = f.adjust(query, ["esp32-devkit-v1"], signal=True)
    # the optocoupler's LED takes any voltage through its resistor; the shifter's and the mux's pins are rated lower
    assert d[pos["pc817"]] == pytest.approx(BRIDGE)
    assert d[pos["logic-level-shifter"]] == pytest.approx(-BRIDGE) and d[pos["cd4051"]] == pytest.approx(-BRIDGE)
    assert d[pos["irlz44n"]] == 0  # no interface part: left alone
    # acting on a load, a supply the board runs from, or a voltage within its logic: nothing of this
    assert not f.adjust(query, ["esp32-devkit-v1"], signal=False)[pos["pc817"]]
    assert not f.adjust("esp32 running from 24 V", ["esp32-devkit-v1"], signal=True)[pos["pc817"]]
    assert not f.adjust("read a 3.3 V signal on an esp32", ["esp32-devkit-v1"], signal=True)[pos["pc817"]]
