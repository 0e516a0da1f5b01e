"""Features a request asks that tell parts of one kind apart (issue 18), read against typed record fields
(knowledge.asked_features): a display that draws (``display``), a sensor that senses without touching (``contact``),
and the hook in retrieval."""

from __future__ import annotations

import pytest

from knowledge.asked_features import CONNECTOR, FAILS, NO_RADIO, OTHER_BUS, OTHER_FORM, TOUCHES, AskedFeatures
from knowledge.library import Library
from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def lib() -> Library:
    return Library.default()


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


@pytest.fixture(scope="module")
def features(retriever) -> AskedFeatures:
    return retriever._features


def test_records_type_what_a_display_shows_and_whether_a_sensor_touches(lib):
    assert lib["ssd1306"].display == "graphic" and lib["ili9341"].display == "graphic"
    assert lib["lcd-i2c"].display == "character" and lib["lcd2004"].display == "character"
    assert lib["tm1637"].display == "segment"
    assert lib["hc-sr04"].contact is False and lib["mlx90614"].contact is False
    assert lib["water-level-sensor"].contact is True and lib["soil-moisture-sensor"].contact is True
    assert lib["bme280"].contact is None  # untyped: left alone


def test_drawing_is_read_by_meaning_word_by_word(features):
    assert features.read("sketch a little icon of a cloud on the panel").graphic
    assert features.read("plot a curve of the pressure on the screen").graphic
    assert not features.read("print the humidity on a screen").graphic
    assert not features.read("show two numbers on a display").graphic


def test_touching_refused_is_read_with_its_negation(features):
    assert features.read("how deep the grain is in the silo, never touching the grain").no_contact
    assert features.read("take the temperature of the oven door with no contact").no_contact
    assert not features.read("a pad to touch to wake the lamp").no_contact  # touching asked, not refused
    assert not features.read("how deep the grain is in the silo").no_contact


def test_a_feature_moves_only_where_the_first_candidates_differ_in_it(features):
    first = ["lcd-i2c", "ssd1306", "sh1106"]
    deltas = features.deltas("sketch a little icon of a cloud on the panel", first)
    assert deltas["lcd-i2c"] == pytest.approx(-FAILS) and deltas["lcd2004"] == pytest.approx(-FAILS)
    assert "ssd1306" not in deltas and "tm1637" in deltas
    # all graphic among the first: nothing to tell apart, and the words are not read
    assert features.deltas("sketch a little icon of a cloud on the panel", ["ssd1306", "sh1106"]) == {}
    deltas = features.deltas("how deep the grain is in the silo, never touching the grain",
                             ["water-level-sensor", "hc-sr04"])
    assert deltas["water-level-sensor"] == pytest.approx(-TOUCHES) and "hc-sr04" not in deltas
    assert features.deltas("how deep the grain is in the silo", ["water-level-sensor", "hc-sr04"]) == {}


def test_retrieval_ranks_by_the_feature_asked(retriever, lib):
    best = retriever.search("sketch a little icon of a cloud on a small screen").best
    assert best is not None and lib[best.key].display == "graphic"
    best = retriever.search("water level sensor that works without touching the water").best
    assert best is not None and lib[best.key].contact is False
    # touching not refused: the level sensor named stays first
    best = retriever.search("water level sensor for a tank").best
    assert best is not None and best.key == "water-level-sensor"


def test_a_laser_ranger_stated_with_its_reach_reads_the_reach(retriever):
    # "a 4 m laser ...": the length is how far it sees, not the size of a laser
    best = retriever.search("3.5 m laser tof distance module").best
    assert best is not None and retriever.library[best.key].provides[0].range_m >= 3.5


def test_words_only_boards_names_use_ask_for_a_board_not_the_bare_chip(features, retriever):
    assert {"arduino", "pico", "xiao"} <= features._board_words
    assert "board" not in features._board_words and "module" not in features._board_words  # other parts' names too
    first = ["atmega328p", "arduino-nano", "arduino-nano-every"]
    deltas = features.deltas("a compact arduino that plugs into a breadboard", first)
    assert deltas.get("atmega328p") == pytest.approx(-OTHER_FORM) and "arduino-nano" not in deltas
    # the bare chip asked, or named outright: no change
    assert "atmega328p" not in features.deltas("the bare arduino chip", first)
    assert "atmega328p" not in features.deltas("an arduino atmega328p", first, named=["atmega328p"])
    best = retriever.search("a compact arduino that plugs into a breadboard").best
    assert best is not None and retriever.library[best.key].category == "microcontroller"
    assert retriever.library[best.key].package is None


def test_the_buses_are_the_librarys_own_pin_functions(features):
    words = features._bus_words
    assert words["spi"] == "spi" and words["mosi"] == "spi" and words["sda"] == "i2c" and words["uart"] == "uart"
    assert "can" not in words and "usb" not in words  # a grammar word; a bus a record field types
    assert features._buses["ssd1306"] == {"i2c"} and "spi" in features._buses["ssd1309"]
    assert "logic-level-shifter" not in features._buses  # types no bus: left alone


def test_a_bus_named_moves_the_siblings_that_do_not_speak_it(features):
    assert features.read("a 128x64 oled on the spi bus").bus == {"spi"}
    assert features.read("lcd that only needs sda and scl").bus == {"i2c"}
    assert features.read("an oled display, not spi").bus == frozenset()  # refused, not asked
    deltas = features.deltas("an oled on the spi bus", ["ssd1306", "ssd1309", "sh1106"])
    assert deltas["ssd1306"] == pytest.approx(-OTHER_BUS) and "ssd1309" not in deltas
    # all of the first speak it (or none differ): nothing moves
    assert features.deltas("an oled on the i2c bus", ["ssd1306", "sh1106"]) == {}


def test_a_radio_asked_or_refused_of_a_board(features):
    assert features.read("a pico that can join my wifi").radio == {"wifi"}
    assert features.read("plain pico, no radio needed").no_radio == {"radio"}
    assert not features.read("a pico on a wired network").radio
    first = ["raspberry-pi-pico", "raspberry-pi-pico-2", "raspberry-pi-pico-w"]
    deltas = features.deltas("a pico that can join my wifi", first)
    assert deltas["raspberry-pi-pico"] == pytest.approx(-NO_RADIO) and "raspberry-pi-pico-w" not in deltas
    deltas = features.deltas("plain pico, no radio needed", first)
    assert deltas["raspberry-pi-pico-w"] == pytest.approx(-NO_RADIO) and "raspberry-pi-pico" not in deltas
    # "bluetooth-le" carries bluetooth: the BLE nano is not moved for a bluetooth board
    assert "arduino-nano-33-ble" not in features.deltas("arduino nano with bluetooth",
                                                        ["arduino-nano-33-ble", "arduino-nano"])


def test_retrieval_ranks_by_bus_and_radio(retriever):
    assert retriever.search("128x64 oled that talks over spi", k=3).matches[0].key == "ssd1309"
    assert retriever.search("raspberry pi pico that can join my wifi", k=3).matches[0].key == "raspberry-pi-pico-w"
    assert retriever.search("raspberry pi pico", k=3).matches[0].key == "raspberry-pi-pico"


def test_a_stated_size_or_resolution_is_read_from_numbers(lib):
    from knowledge.display_facts import stated_inches, stated_pixels
    assert stated_inches("a 2.4 inch oled") == [2.4] and stated_inches("écran OLED de 1,3 pouce") == [1.3]
    assert stated_inches('a 1.3" oled') == [1.3] and stated_inches("a 2 in 1 board") == []
    assert stated_pixels("a screen with 320 x 240 pixels") == [(320, 240)] and stated_pixels("128 by 64") == [(128, 64)]
    assert lib["ssd1309"].diagonal_in == (2.42, 2.42) and lib["ili9341"].pixels == (240, 320)


def test_a_display_of_the_size_stated_gains_and_one_of_another_loses(lib):
    from knowledge.display_facts import AGAINST, FITS, DisplayFacts
    facts = DisplayFacts(lib)
    deltas = facts.deltas("a 2.4 inch oled", ["sh1106", "ssd1309", "ssd1306"])
    assert deltas["ssd1309"] == pytest.approx(FITS) and deltas["ili9341"] == pytest.approx(FITS)
    assert deltas["sh1106"] == pytest.approx(-AGAINST * FITS) and "lcd1602" not in deltas  # untyped: left alone
    # a number no display holds is not a display's: nothing moves
    assert facts.deltas("a 7 inch screen", ["ili9341", "ssd1306"]) == {}
    assert facts.deltas("16x2 lcd", ["lcd-i2c", "ssd1306"]) == {}
    # no display among the first: nothing moves
    assert facts.deltas("a 2.4 inch wide relay", ["relay-module"]) == {}


def test_retrieval_ranks_displays_by_stated_size_and_resolution(retriever):
    assert retriever.search("a 2.4 inch oled", k=3).matches[0].key == "ssd1309"
    assert retriever.search("colour screen with 320 x 240 pixels", k=3).matches[0].key == "ili9341"
    assert retriever.search("0.96 inch oled", k=3).matches[0].key == "ssd1306"


def test_a_usb_connector_named_by_the_typed_values_own_words(features):
    from knowledge.usb_connector import connector_words
    words = connector_words(["usb-c", "micro-b", "mini-b", "usb-b", "none"])
    assert words == {"usb-c": {"c"}, "micro-b": {"micro"}, "mini-b": {"mini"}, "usb-b": {"b"}}
    assert features.connectors("arduino nano with a usb-c socket") == {"usb-c"}
    assert features.connectors("a board with usb type c") == {"usb-c"}
    assert features.connectors("the nano with the old mini usb connector") == {"mini-b"}
    assert features.connectors("micro usb b cable") == {"micro-b"}  # the micro-B, not the full-size B
    assert features.connectors("takes a square usb b printer cable") == {"usb-b"}
    assert features.connectors("power an esp32 from a usb-c charger") == frozenset()  # what it is fed from
    assert features.connectors("esp32 board with usb") == frozenset()


def test_a_board_of_another_connector_loses(features):
    deltas = features.deltas("stm32 dev board with usb-c", ["stm32-bluepill", "stm32-blackpill"])
    assert deltas["stm32-bluepill"] == pytest.approx(-CONNECTOR) and "stm32-blackpill" not in deltas


def test_a_board_named_then_with_a_connector_is_the_board_wanted(retriever):
    hit = retriever.lexical.match("the nano with the old mini usb connector")
    assert not hit.wanted  # the board described, not context for a usb part
    assert retriever.lexical.match("pico with more ram and a faster chip").wanted  # untyped: as before
    assert retriever.search("the nano with the old mini usb connector", k=3).matches[0].key == "arduino-nano"
    assert retriever.search("stm32 dev board with usb-c", k=3).matches[0].key == "stm32-blackpill"
