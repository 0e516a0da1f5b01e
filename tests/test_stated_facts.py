"""Facts a request states that tell sibling parts apart (issue 18), read against the records' typed facts
(knowledge.stated_facts): a package named, a mounting style, surviving a reversed supply, rows and columns of
text, and heat refused while converting, and the hook in retrieval."""

from __future__ import annotations

import pytest

from knowledge import families
from knowledge.lexical import values
from knowledge.library import Library
from knowledge.retrieval import Retriever
from knowledge.stated_facts import (AGAINST, BOARD, CARD, CARE, GRID, ISOLATE, MOUNT, PACKAGE, RATING, REVERSE, VERSION, WASTE, StatedFacts,
                                   asked_quantities, standard_form)


@pytest.fixture(scope="module")
def lib() -> Library:
    return Library.default()


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


@pytest.fixture(scope="module")
def facts(retriever) -> StatedFacts:
    return retriever._stated


def test_records_type_the_facts_that_tell_siblings_apart(lib):
    assert lib["mmbt3906"].package == "SOT-23" and lib["2n3906"].package == "TO-92"
    assert lib["lm2940-5.0"].ratings.v_reverse_max == pytest.approx(15.0)
    assert lib["lm7805"].ratings.v_reverse_max is None
    assert lib["lcd2004"].text_grid == (20, 4) and lib["lcd-i2c"].text_grid == (16, 2)
    assert lib["atmega328p"].package == "DIP-28" and lib["arduino-nano"].package is None  # a chip, a board
    # the family tables write the package of every row they generate, without its pinout
    made = {rec["key"]: rec for rec in families.records()}
    assert made["bc337"]["package"] == "TO-92" and made["ss34"]["package"] == "SMA"
    assert all(rec.get("package") for rec in made.values() if rec["category"] == "semiconductor")


def test_a_package_is_read_against_the_librarys_own_packages(facts):
    assert facts.read("an npn in to-92").package == "TO-92"
    assert facts.read("an npn in TO92").package == "TO-92"
    assert facts.read("sot-23 mosfet").package == "SOT-23"
    assert facts.read("switch up to 3 A").package is None  # "to 3" with a space: no TO-3
    assert facts.read("rated to 220 V").package is None
    assert facts.read("an npn transistor").package is None
    assert facts.read("a to do list display").package is None


def test_mounting_reversal_grid_and_heat_are_read_by_meaning(facts):
    assert facts.read("an smd pnp").mount == "surface"
    assert facts.read("surface mount npn").mount == "surface"
    assert facts.read("through-hole diode").mount == "through-hole"
    assert facts.read("switch a fan through a transistor").mount is None  # a grammar word, no mounting style
    assert facts.read("regulator that survives reverse polarity").reverse
    assert facts.read("5 V regulator that tolerates a battery wired backwards").reverse
    assert not facts.read("5 V regulator for a car").reverse
    r = facts.read("a display with four lines of 20 characters")
    assert (r.rows, r.columns) == (4, 20)
    assert facts.read("3 rows of buttons").rows == 3
    assert facts.read("12 V to 5 V without much heat").no_heat
    assert not facts.read("12 V to 5 V").no_heat


def test_how_many_leds_is_read_from_a_count_or_one_led_named_singular(facts, lib):
    assert lib["ws2812b"].led_count == 1 and lib["ws2812-ring"].led_count == 16
    assert facts.read("ws2812 led").leds == 1
    assert facts.read("a panel of 64 pixels").leds == 64
    assert facts.read("neopixel ring light").leds is None  # "ring": only a many-LED part's name says it
    assert facts.read("addressable leds").leds is None     # plural, no count
    d = facts.deltas("ws2812 led", ["ws2812-matrix", "ws2812-ring", "ws2812b"])
    # only a count a record contradicts moves a part: a plain LED types no count and is one LED too
    assert d.get("ws2812b", 0.0) == 0.0 and d["ws2812-ring"] == pytest.approx(-GRID)
    assert facts.deltas("a 60 led ws2812 strip", ["ws2812b", "ws2812-ring"]) == {}  # no part carries 60


def test_facts_move_only_siblings_of_the_first_candidates(facts):
    d = facts.deltas("surface mount pnp transistor", ["pnp-transistor", "2n3906", "bc557"])
    assert d["mmbt3906"] == pytest.approx(MOUNT) and d["bc807"] == pytest.approx(MOUNT)
    assert d["2n3906"] == pytest.approx(-AGAINST * MOUNT)
    assert d["pnp-transistor"] == pytest.approx(-AGAINST * MOUNT)  # a stand-in for any member
    assert "mmbt3904" not in d  # an NPN: no candidate is one
    assert facts.deltas("surface mount pnp transistor", ["dht22", "bme280"]) == {}
    d = facts.deltas("5 V regulator for a reversed battery", ["lm7805", "lp2950-5.0"])
    # a 5 V regulator not rated for it gives what the rated one gives: the fact contradicts it outright; one that
    # gives another voltage (an adjustable buck) loses less
    assert d["lm2940-5.0"] == pytest.approx(REVERSE) and d["lm7805"] == pytest.approx(-AGAINST * REVERSE)
    assert d["lm2596-buck-converter"] == pytest.approx(-REVERSE)
    assert facts.read("5 V regulator that lives through the battery leads being swapped").reverse
    d = facts.deltas("lcd showing 4 lines", ["lcd1602", "lcd2004"])
    assert d["lcd2004"] == pytest.approx(GRID) and d["lcd1602"] == pytest.approx(-GRID)
    d = facts.deltas("a 3.3 V regulator in TO-92", ["ams1117-3.3", "mcp1700-3.3"])
    assert d["ams1117-3.3"] == pytest.approx(-AGAINST * PACKAGE)
    assert d["mcp1700-3.3"] == pytest.approx(PACKAGE) and d["lp2950-3.3"] == pytest.approx(PACKAGE)
    # refusing heat while converting 24 V to 5 V: a linear regulator burns most of the power, a buck little
    # (by how far the share of power each keeps sits from the middle: the buck gains what the linear one loses)
    d = facts.deltas("5 V from 24 V without heat", ["lm7805"], pairs=[(24.0, 5.0)])
    assert d["lm7805"] < 0 < d["lm2596-buck-converter"]
    assert d["lm2596-buck-converter"] - d["lm7805"] == pytest.approx(WASTE * (0.85 - 5.0 / 24.0), abs=0.02)
    # asking it to stay cool is refusing heat; a word that names no heat ("temperature") is not
    assert facts.read("regulator from 12 V to 5 V that stays cool").no_heat
    assert facts.read("drop 12 V to 5 V without it heating up").no_heat
    assert not facts.read("12 V to 5 V, and measure the temperature").no_heat
    assert not facts.read("12 V to 5 V for a motor that runs at 2 A").no_heat  # running is no running cool


def test_a_current_asked_is_read_from_the_values_asked_one_per_unit():
    assert asked_quantities({"12v", "2a"}) == {"V": 12.0, "A": 2.0}
    assert asked_quantities({"500ma"}) == {"A": pytest.approx(0.5)}
    assert asked_quantities({"5v", "12v"}) == {}  # two voltages: a conversion's ends, no one voltage asked
    assert asked_quantities({"10k", "16x2"}) == {}


def test_a_current_asked_picks_the_sibling_rated_nearest_above_it(facts):
    # 12 V at 2 A: the 2.08 A adapter before the 8.5 A one; the 5 V supplies give another voltage
    d = facts.deltas("12 volt 2 amp supply", ["power-supply-12v-8a", "power-supply-12v"], asked={"12v", "2a"})
    assert d["power-supply-12v"] > d["power-supply-12v-8a"] > 0
    assert d["power-supply-5v-4a"] < 0 and d["usb-5v-supply"] == pytest.approx(-2 * RATING)  # short, and 5 V
    # 3 A at 5 V: the 2 A adapter falls short; the 4 A one is nearest above
    d = facts.deltas("5 V adapter for 3 A", ["power-supply-5v", "power-supply-5v-6a"], asked={"5v", "3a"})
    assert d["power-supply-5v"] == pytest.approx(-RATING)
    assert 0 < d["power-supply-5v-10a"] < d["power-supply-5v-6a"] < d["power-supply-5v-4a"]
    # an NPN for 1 A, stated bare: the small-signal ones fall short, and it is bought by its rating: the 1.5 A
    # BD139 before the 3 A TIP31C, the 15 A 2N3055 another product
    d = facts.deltas("npn for 1 A", ["2n3904", "2n2222", "tip31c"], asked={"1a"})
    assert d["2n2222"] == pytest.approx(-RATING) and d["2n3904"] == pytest.approx(-RATING)
    assert d["bd139"] > d["tip31c"] > 0 > d["2n3055"]
    assert "bd140" not in d  # a PNP: no candidate is one
    # ... the same current carried to a load it serves: headroom is no worse there (the heat it makes decides)
    d = facts.deltas("npn to carry 1 A to a pump", ["2n3904", "2n2222", "tip31c"], asked={"1a"}, in_use=True)
    assert d["2n2222"] == pytest.approx(-RATING)
    assert "bd139" not in d and "tip31c" not in d and "2n3055" not in d
    assert facts.deltas("npn for 1 A", ["dht22", "bme280"], asked={"1a"}) == {}  # nothing typed among them
    # an optocoupler for 2 A: none of its kind is rated for it, so the fact chooses nothing (the library lacks it)
    assert facts.deltas("optocoupler for 2 A", ["pc817"], asked={"2a"}) == {}


def test_a_voltage_to_block_ranks_down_the_siblings_rated_below_it(facts):
    # a schottky for 40 V: the 20 V and 30 V ones fall short where the 40 V ones block it
    d = facts.deltas("schottky rated for 40 V", ["1n5817", "1n5818", "1n5819"], asked={"40v"})
    assert d["1n5817"] == pytest.approx(-RATING) and d["1n5818"] == pytest.approx(-RATING)
    assert "1n5819" not in d and "ss54" not in d
    # an N-MOSFET for 200 V: only the IRF840 blocks it; the P-channel ones are another kind
    d = facts.deltas("mosfet for 200 V", ["irf540n", "mosfet"], asked={"200v"})
    assert d["irf540n"] == pytest.approx(-RATING) and "irf840" not in d and "irf9540" not in d
    # none of the kind blocks it: no choice among siblings (the library lacks the part)
    assert facts.deltas("npn rated for 1000 V", ["2n2222", "tip31c"], asked={"1000v"}) == {}
    # an LED's reverse rating is no rating it is chosen by
    assert facts.deltas("a 12 V led", ["led-red", "ir-led"], asked={"12v"}) == {}


def test_a_usb_connector_and_a_breadboard_fit_pick_among_boards(facts, lib):
    assert lib["arduino-nano"].usb == "mini-b" and lib["arduino-nano"].breadboard is True
    assert lib["arduino-uno"].usb == "usb-b" and lib["arduino-uno"].breadboard is False
    assert lib["arduino-pro-mini-5v"].usb == "none"
    r = facts.read("a breadboard friendly board with usb")
    assert r.usb is True and r.breadboard
    assert facts.read("a board without usb").usb is False
    assert facts.read("an arduino with wifi").usb is None and not facts.read("an arduino with wifi").breadboard
    d = facts.deltas("breadboard friendly arduino with usb", ["arduino-uno", "arduino-nano", "atmega328p"])
    assert d["arduino-nano"] == pytest.approx(2 * BOARD)  # both met
    assert d["arduino-uno"] == pytest.approx(BOARD - AGAINST * BOARD)  # USB, but no breadboard
    assert d["arduino-pro-mini-5v"] == pytest.approx(BOARD - AGAINST * BOARD)  # a breadboard, but no USB
    assert d["atmega328p"] == pytest.approx(BOARD - AGAINST * BOARD)  # a DIP chip: a breadboard, no USB
    d = facts.deltas("an atmega328 board without usb", ["arduino-nano", "arduino-pro-mini-5v"])
    assert d["arduino-pro-mini-5v"] == pytest.approx(BOARD) and d["arduino-nano"] == pytest.approx(-AGAINST * BOARD)


def test_charging_protection_sunlight_and_isolation_pick_among_the_parts_that_type_them(facts, lib):
    assert lib["cn3791-solar-charger"].charger_input == "solar" and lib["tp4056"].charger_input == "usb"
    r = facts.read("a lithium charger with a protection circuit")
    assert r.charger and r.protection and r.solar is None
    assert facts.read("charge a cell from sunlight").solar
    assert facts.read("a cell with no protection").protection is False
    assert facts.read("galvanically isolated input").isolation
    assert not facts.read("a lithium cell for a torch").isolation
    # a charger with protection: the charger that protects, not a protection board that charges nothing
    d = facts.deltas("lithium charger with a protection circuit", ["bms-1s", "tp4056-unprotected"])
    assert "tp4056" not in d  # meets both: only those that do not move
    assert d["bms-1s"] == pytest.approx(-AGAINST * CARE)  # protects, charges nothing
    assert d["tp4056-unprotected"] == pytest.approx(-AGAINST * CARE)  # charges, protects nothing
    # charging from sunlight: the USB chargers lose; the panel charges nothing and is left alone
    d = facts.deltas("charge an 18650 from sunlight", ["tp4056", "cn3791-solar-charger", "solar-panel-6v"])
    assert d["tp4056"] < 0 and "cn3791-solar-charger" not in d and "solar-panel-6v" not in d
    # a cell with no protection: the protected pouch loses
    d = facts.deltas("a bare 18650 with no protection", ["18650-battery", "lipo-1s"])
    assert "18650-battery" not in d and d["lipo-1s"] == pytest.approx(-AGAINST * CARE)
    # isolation asked: a part with a typed barrier gains; the current sensor types none
    d = facts.deltas("galvanically isolate an input", ["acs712", "pc817"])
    assert d["pc817"] == pytest.approx(ISOLATE) and "acs712" not in d


def test_a_card_standard_named_picks_the_reader_that_lists_it(facts, lib):
    assert "FeliCa" in lib["pn532"].card_standards and "FeliCa" not in lib["mfrc522"].card_standards
    assert standard_form("ISO/IEC 14443B") == "14443b" and standard_form("FeliCa") == "felica"
    assert facts.read("reads felica and iso 14443 b tags").standards >= {"felica", "14443b"}
    assert facts.read("an nfc reader").standards == frozenset()
    d = facts.deltas("a reader for felica cards", ["mfrc522", "pn532"])
    assert d["pn532"] == pytest.approx(CARD) and d["mfrc522"] == pytest.approx(-AGAINST * CARD)
    assert facts.deltas("a reader for mifare fobs", ["mfrc522", "pn532"]) == {}  # both read MIFARE: no choice


def test_a_package_a_name_carries_is_no_part_number_of_it(retriever):
    lex = retriever.lexical
    # "TIP41C ... (TO-220)", an alias "sot-223 5v regulator": the package's number names no part
    assert "220" not in lex.pn and "223" not in lex.pn
    assert lex.match("a TO-92 3.3V LDO").packages == {"to92"}
    assert lex.match("up to 92 parts").packages == frozenset()  # "to 92" with a space: no package
    assert lex.match("3.3 V regulator, SOT-223").part_number == {}
    # an alias written beside another package is no outright name: the package decides among the siblings
    # ... while a thing for a part in a package is still an accessory of it, not a part
    assert retriever.search("a heatsink for a to-220 mosfet").ood
    res = retriever.search("ldo 3.3v in to92")
    assert not res.named_outright and res.matches[0].key in {"mcp1700-3.3", "ht7333-ldo", "lp2950-3.3"}


def test_the_other_version_of_a_named_part_is_its_nearest_sibling_that_meets_the_fact(facts):
    d = facts.deltas("the surface-mount version of the 2n3904", ["2n3904"], named=["2n3904"])
    assert d["mmbt3904"] > d["bc817"] > 0  # both SOT-23 NPNs; the MMBT3904 has the 2N3904's ratings
    d = facts.deltas("through-hole version of the mmbt3906", ["mmbt3906"], named=["mmbt3906"])
    assert max(d, key=d.get) == "2n3906"
    # the kind asked is the named part's: a surface-mount diode among the first meets the fact but is another kind
    d = facts.deltas("surface mount version of the 2n3906", ["ss14", "2n3906"], named=["2n3906"])
    assert d["ss14"] == pytest.approx(-AGAINST * MOUNT) and d["mmbt3906"] > 0
    assert "ss24" not in d  # (a diode not among the first is left alone)
    # with no part named, the fact moves every kind among the first
    assert facts.deltas("surface mount schottky diode", ["ss14", "1n5819"])["ss14"] == pytest.approx(MOUNT)


def test_what_a_part_does_to_a_cell_is_asked_by_a_verb_too(facts):
    reading = facts.read("charge a lipo from usb and protect it from short circuits")
    assert reading.charger and reading.protection
    assert facts.read("isolate the 24 V signal from the board").isolation
    assert facts.read("charge a lipo without any protection circuit").protection is False


def test_a_number_of_amperes_in_words_is_a_value():
    assert values("an npn rated for one amp") == {"1a"}
    assert values("through-hole npn rated for 100 milliamps") == {"100ma"}
    assert values("one of the leds") == set()


def test_a_board_asked_beside_a_chip_named_picks_the_boards_named_for_that_chip(facts):
    assert facts.read("an atmega328p development board").form == "board"
    assert facts.read("just the bare chip").form == "chip"
    d = facts.deltas("atmega328p dev board", ["esp32-devkit-v1"], named=["atmega328p", "arduino-nano", "arduino-uno"])
    assert d["arduino-nano"] == pytest.approx(VERSION) and d["arduino-uno"] == pytest.approx(VERSION)
    assert d["atmega328p"] == pytest.approx(-AGAINST * MOUNT)
    assert "esp32-devkit-v1" not in d  # "board" also names what any module comes on: no gain for every board


@pytest.mark.parametrize("query, expect", [
    ("smd pnp small signal transistor", {"mmbt3906", "bc807"}),
    ("the sot-23 version of the 2n3906", {"mmbt3906"}),
    ("leaded through-hole equivalent of the mmbt3904", {"2n3904"}),
    ("3.3 V linear regulator, TO-92 package", {"mcp1700-3.3", "ht7333-ldo", "lp2950-3.3"}),
    ("5 V ldo rated for reverse polarity", {"lm2940-5.0"}),
    ("a 5 v regulator that copes with the battery connected backwards", {"lm2940-5.0"}),
    ("take 12 V down to 5 V and keep it cool", {"lm2596-buck-converter", "xl4015-buck-converter",
                                                "mp1584-buck-converter", "mini-360-buck-converter"}),
    ("an npn transistor for 1 amp", {"bd139"}),
    ("n-channel mosfet rated for 200 V", {"irf840"}),
    ("character lcd with 2 lines of 16 characters", {"lcd1602", "lcd-i2c"}),
    ("an atmega328p based development board", {"arduino-uno", "arduino-nano", "arduino-pro-mini-5v",
                                               "arduino-pro-mini-3v3"}),
    ("a 12 volt 2 amp wall adapter", {"power-supply-12v"}),
    ("5 V supply that can give 3 A", {"power-supply-5v-4a"}),
    ("an arduino that plugs into a breadboard and has usb", {"arduino-nano", "arduino-nano-every"}),
    ("a small atmega328 board that has no usb on it", {"arduino-pro-mini-5v", "arduino-pro-mini-3v3"}),
    ("li-ion charging board that has protection built in", {"tp4056"}),
    ("recharge a lithium battery using the sun", {"cn3791-solar-charger"}),
    ("electrically isolated way to read a 24 V signal", {"pc817"}),
    ("13.56 MHz module that reads ISO 14443B tags", {"pn532"}),
    ("3.3 V regulator, SOT-223", {"ams1117-3.3", "lm1117-3.3", "ld1117"}),
])
def test_retrieval_ranks_the_sibling_the_stated_fact_picks(retriever, query, expect):
    assert retriever.search(query, k=3).matches[0].key in expect
