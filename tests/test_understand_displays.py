"""Reading display requests: which build of a named display the bus stated asks for, a grid of pixels as a
count, words that say more of a part named just before, a kind of part ruled out, and a screen named that
shows what its clause asks to be shown.

The requests here are phrased for these tests (not taken from any benchmark). Assertions read the records'
typed data (pin functions, categories, capabilities), so they hold as records are added.
"""

from __future__ import annotations

from agents.understand.interface_reading import buses
from agents.understand.rules import understand_rules
from circuit.requirement_gate import check_requirements
from agents.understand.requirements import NeededFunction, Requirements, AskedFunction, Constraints


def _displays(req, library) -> list:
    return [p for p in req.named_parts if library[p.key].category == "display"]


def test_a_bus_stated_for_a_character_lcd_picks_the_build_that_talks_over_it(library):
    i2c = _displays(understand_rules("a 20x4 LCD over I2C on a Nano", library), library)
    assert len(i2c) == 1 and "i2c" in buses(library[i2c[0].key]), i2c
    plain = _displays(understand_rules("a 16x2 character LCD, the kind with no I2C backpack, on a Mega", library),
                      library)
    assert len(plain) == 1 and "i2c" not in buses(library[plain[0].key]) and buses(library[plain[0].key]), plain
    spi = _displays(understand_rules("an SPI OLED on a Pico", library), library)
    assert len(spi) == 1 and "spi" in buses(library[spi[0].key]), spi


def test_a_part_number_is_kept_whatever_bus_is_said(library):
    # no SPI build of that part number in the library: the part named stays
    req = understand_rules("SSD1306 over SPI on a Pico", library)
    assert [p.key for p in _displays(req, library)] == ["ssd1306"]


def test_a_bus_word_before_a_display_name_is_one_part_not_a_list(library):
    # "an I2C 1602 LCD": the bus word is not a second LCD listed before the first
    req = understand_rules("an I2C 1602 LCD and a Nano", library)
    shown = _displays(req, library)
    assert len(shown) == 1 and "i2c" in buses(library[shown[0].key]), req.named_parts


def test_words_in_brackets_after_a_part_say_more_of_it(library):
    req = understand_rules("a 20x4 character LCD (parallel) on a Mega", library)
    assert not req.needs and not req.asked, (req.needs, req.asked)
    assert "parallel" in buses(library[_displays(req, library)[0].key])
    req = understand_rules("a 32x8 WS2812B panel (256 lights) on an ESP32", library)
    assert not req.needs, req.needs


def test_a_grid_before_one_pixel_of_a_chain_is_its_count(library):
    req = understand_rules("a 16x16 WS2812B panel on an ESP32", library)
    assert [(p.key, p.count) for p in _displays(req, library)] == [("ws2812b", 256)]
    # a character display's format is not a count
    req = understand_rules("a 16x2 LCD on a Nano", library)
    assert [p.count for p in _displays(req, library)] == [1]


def test_a_part_number_then_the_name_of_its_kind_is_one_part(library):
    req = understand_rules("a MAX7219 eight digit seven segment module on a Nano", library)
    assert [(p.key, p.count) for p in _displays(req, library)] == [("max7219", 1)], req.named_parts
    assert not req.needs, req.needs


def test_a_kind_ruled_out_by_name_rules_out_every_part_of_it(library):
    req = understand_rules("an ESP32 showing the date on an SSD1306, with no RTC chip", library)
    clocks = {r.key for r in library if any(c.capability == "keep-time" for c in r.provides)}
    forbidden = set(req.constraints.forbidden)
    assert clocks and all(k in forbidden or any(c.capability in forbidden for c in library[k].provides)
                          for k in clocks), forbidden
    assert not any(n.capability == "keep-time" for n in req.needs)


def test_a_screen_named_shows_what_its_clause_asks_shown(library):
    # "shows a countdown" reads as showing digits; the round screen named is the display that shows it
    req = understand_rules("a GC9A01 screen that shows a countdown, on an ESP32", library)
    shows = {c.capability for r in library if r.category == "display" for c in r.provides}
    assert not [n for n in req.needs if n.capability in shows], req.needs
    assert not [a for a in req.asked if set(a.any_of) & shows], req.asked


def _doc(parts, wires):
    return {"version": 1, "title": "t", "parts": [{"id": i, "type": t, "attrs": a} for i, t, a in parts],
            "connections": [[a, b, "green", []] for a, b in wires]}


def test_a_timed_behaviour_is_a_wired_controllers_firmware(library):
    timed = next(c.capability for r in library for c in r.provides if c.behaviour)
    req = Requirements(needs=[NeededFunction(capability=timed, words="counts down")],
                       asked=[AskedFunction(words="counts down", any_of=[timed])],
                       constraints=Constraints(board="arduino-uno"))
    with_board = _doc([("U1", "arduino-uno", {}), ("U2", "tm1637", {})],
                      [("U1:5V", "U2:VCC"), ("U1:GND", "U2:GND"), ("U1:D2", "U2:CLK"), ("U1:D3", "U2:DIO")])
    check = check_requirements(with_board, req, library)
    assert check.passed, [f.message for f in check.findings]
    # with no controller wired, nothing does it: the gate fails
    no_board = _doc([("U2", "tm1637", {}), ("B1", "battery-9v", {})], [("B1:+", "U2:VCC"), ("B1:-", "U2:GND")])
    check = check_requirements(no_board, Requirements(needs=req.needs, asked=req.asked), library)
    assert not check.passed
    assert {"REQ-FUNCTION-MISSING", "REQ-ASKED-UNANSWERED"} <= {f.rule for f in check.findings}


def test_a_grid_of_chained_panels_is_how_many_panels(library):
    # a chained module with a grid of its own (8x8): a larger grid is a whole number of them
    req = understand_rules("a 32x8 MAX7219 scrolling sign on a Nano", library)
    shown = _displays(req, library)
    assert len(shown) == 1 and shown[0].count == 4, shown


def test_a_size_in_inches_is_no_unknown_part(library):
    # "1.8 inch" is a size: the decimal point is no full stop, and the screen is the one named
    req = understand_rules("an ST7735 1.8 inch screen on an Arduino Nano", library)
    assert not req.unknown, req.unknown
    assert [p.key for p in _displays(req, library)] == ["st7735"]



def _display_caps(library) -> set[str]:
    return {c.capability for r in library if r.category == "display" for c in r.provides if c.direction == "act"}


def test_a_display_named_by_its_kind_inside_another_clause_is_asked_for(library):
    # the sensor named explains the clause; the screen at its end is a part of its own
    req = understand_rules("I'd love my Nano to print the air pressure from a BMP280 on a tiny screen", library)
    shows = _display_caps(library)
    assert [n for n in req.needs if n.capability in shows], req.needs
    assert [a for a in req.asked if set(a.any_of) & shows], req.asked
    # ruled out, it is not asked for
    req = understand_rules("a Nano logging the air pressure from a BMP280 to serial, without a screen", library)
    assert not [n for n in req.needs if n.capability in shows], req.needs


def test_a_clause_saying_a_named_displays_bus_asks_for_no_part(library):
    # "with an I2C adapter" says how the LCD named before is built: no expander, no unknown adapter
    req = understand_rules("a Mega and a 20x4 LCD with an I2C adapter showing the date", library)
    shown = _display_caps(library)
    assert [p for p in req.named_parts if "i2c" in buses(library[p.key]) and library[p.key].category == "display"]
    assert not req.unknown, req.unknown
    assert not [n for n in req.needs if n.capability not in shown], req.needs


def test_a_screen_described_in_everyday_words_is_no_missing_part(library):
    # "a tiny screen" is a screen of some size, not a part the library lacks; a part number it lacks still is
    req = understand_rules("a Pico reading a DHT22 and showing it on a tiny screen", library)
    assert not req.unknown, req.unknown
    assert [n for n in req.needs if n.capability in _display_caps(library)], req.needs


def test_a_bus_said_of_a_named_part_asks_for_no_interface_part(library):
    interface = {c.capability for r in library for c in r.provides if c.direction == "interface"}
    req = understand_rules("a Pico reading a BMP280 over I2C and a buzzer", library)
    assert not [n for n in req.needs if n.capability in interface], req.needs
    # the adapter said after a part number is that part's own build
    req = understand_rules("LCD2004 with I2C adapter on a Nano", library)
    shown = _displays(req, library)
    assert len(shown) == 1 and "i2c" in buses(library[shown[0].key]) and not req.unknown, (req.named_parts, req.unknown)


def test_a_pin_only_another_build_has_picks_that_build(library):
    # a knob "for contrast" is for a contrast pin: the character LCD build that has one (record pin functions)
    req = understand_rules("a Nano, a 16x2 LCD and a 10k trimmer for contrast", library)
    shown = _displays(req, library)
    assert len(shown) == 1 and any("contrast" in p.functions for p in library[shown[0].key].pins), shown
    # words naming one kind of display keep to that kind: an OLED is not swapped for a graphic LCD
    req = understand_rules("an OLED with high contrast on a Pico", library)
    shown = _displays(req, library)
    assert len(shown) == 1 and "oled" in library[shown[0].key].name.lower(), shown


def test_a_part_number_before_a_word_like_side_is_still_a_part(library):
    # two displays named by number, the second followed by "side": both are parts
    req = understand_rules("an SH1106 and an SSD1306 side by side on one ESP32", library)
    assert len(_displays(req, library)) == 2, req.named_parts
