"""Part numbers one character off a library part: a slip of it, another real part, or its ordering code.

Runs on a small library of real records copied from knowledge/parts (the lexical index builds in well
under a second; one test builds a small embedding index).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.lexical import LexicalIndex, part_number_slip
from knowledge.library import Library
from knowledge.real_parts import RealParts, real_parts
from knowledge.retrieval import Retriever
from tests.library_util import copy_records

SUBSET = ["mpu6050", "mpu9250", "mcp2515", "atmega328p", "tb6600", "nema17", "tp4056", "tp4056-unprotected",
          "ads1115", "l293d", "irlz44n", "bme280", "ds18b20", "hx711", "pcf8574", "gps", "max485", "nrf24l01"]


@pytest.fixture(scope="module")
def parts_dir(tmp_path_factory) -> Path:
    return copy_records(tmp_path_factory.mktemp("parts"), SUBSET)


@pytest.fixture(scope="module")
def lex(parts_dir) -> LexicalIndex:
    return LexicalIndex(Library.from_dirs([parts_dir]))


def test_the_shipped_list_of_real_part_numbers_knows_kicads_parts_and_their_ordering_codes():
    real = real_parts()
    assert len(real) > 10000
    assert real.knows("MCP2551") and real.knows("mcp2551-i/p")  # listed as MCP2551-I-P: the package after it
    assert real.knows("ATmega328PB") and real.base_of("atmega328pb") and real.base_of("atmega328p")
    assert real.knows("HT7533")  # HT75xx: KiCad's x stands for the voltage digits
    for slip in ("bme208", "dth22", "mpu6005", "ds3213", "pcf8475", "xh711", "nrf204l01"):
        assert not real.knows(slip), slip
    assert not real.knows("fc16")  # too short to tell from a prefix


def test_real_parts_matches_names_placeholders_and_suffixes_only_after_a_digit():
    real = RealParts(["mcp2551ip", "ht75??", "lm358", "atmega328pba"])
    assert real.knows("mcp2551") and real.knows("ht7533") and real.knows("lm358")
    assert real.knows("atmega328")  # letters after its last digit: ATmega328PB-A is an ATmega328 part
    assert not real.knows("mcp255") and not real.knows("lm35")  # a digit short is no suffix
    assert not real.knows("atmega328pb")  # a suffix is taken only after the number's last digit


def test_slips_cover_swaps_one_apart_a_moved_letter_a_neighbouring_key_and_an_extra_character():
    for typed, known in [("pcf8475", "pcf8574"), ("dsb1820", "ds18b20"), ("bne280", "bme280"), ("ds18n20", "ds18b20"),
                         ("xh711", "hx711"), ("nrf204l01", "nrf24l01"), ("ssd13066", "ssd1306")]:
        assert part_number_slip(typed, known), (typed, known)
    for typed, known in [("max3485", "max485"),   # a digit ahead of the number: another part of the family
                         ("sh1107", "sh1106"), ("bc338", "bc337"), ("bmp180", "bmp280"),  # a changed digit
                         ("sim800c", "sim800l"),  # letters that are not neighbours on the keyboard
                         ("vme280", "bme280")]:   # a changed first character
        assert not part_number_slip(typed, known), (typed, known)


def test_a_real_part_one_swap_off_a_library_part_is_that_other_part_not_a_slip(lex):
    hit = lex.match("MCP2551 CAN transceiver")  # KiCad lists it: the transceiver beside the MCP2515
    assert hit.slips == {} and "mcp2515" not in hit.part_number and "mcp2551" in hit.unknown_part_numbers
    hit = lex.match("MPU-6500 module")  # the MPU-9250's notes name it
    assert hit.slips == {} and "mpu6050" not in hit.part_number and "mpu6500" in hit.unknown_part_numbers
    hit = lex.match("bme208")  # no real part: a slip of the BME280
    assert hit.slips == {"bme208": "bme280"} and "bme280" in hit.part_number


def test_an_ordering_code_names_the_part_but_a_sibling_with_letters_added_does_not(lex):
    for query, key in [("IRLZ44NPBF", "irlz44n"), ("L293DNE", "l293d"), ("ADS1115IDGSR", "ads1115"),
                       ("ATMEGA328P-PU", "atmega328p")]:
        hit = lex.match(query)
        if key:
            assert key in hit.part_number and not hit.unknown_part_numbers, (query, hit)
    hit = lex.match("ATmega328PB")  # a part of its own beside the ATmega328P
    assert "atmega328p" not in hit.part_number and hit.unknown_part_numbers == ["atmega328pb"]
    hit = lex.match("l293d with sot23 package")  # a word typed apart is no ordering code
    assert hit.part_number.get("l293d") == 1.0


def test_a_size_an_alias_serves_is_not_the_parts_number(lex):
    # TB6600's alias "nema 23 stepper driver": NEMA 23 is a size of the motor family (the library holds NEMA 17)
    hit = lex.match("NEMA 23 motor")
    assert "tb6600" not in hit.part_number and "nema23" in hit.unknown_part_numbers
    assert "tb6600" in lex.match("nema 23 stepper driver").exact  # the alias itself still names it
    assert "nema17" in lex.match("nema 17 stepper motor").part_number


def test_a_hyphenated_module_code_in_an_alias_is_its_number_not_a_size(tmp_path):
    """"FC-16" (the MAX7219 matrix module) and "FC-37" (the rain sensor) put two numbers beside "fc", as
    NEMA 17/23 do, but each is typed as one identifier: the module's code, which names it inside a request."""
    lex = LexicalIndex(Library.from_dirs([copy_records(tmp_path / "parts", ["max7219", "rain-sensor", "tb6600",
                                                                              "nema17"])]))
    hit = lex.match("FC-16 matrix")
    assert "max7219" in hit.part_number and not hit.unknown_part_numbers, hit
    assert "rain-sensor" in lex.match("fc-37 rain board").part_number
    assert "tb6600" not in lex.match("NEMA 23 motor").part_number  # a word and a number written apart: a size


def test_a_family_prefix_with_another_number_is_an_unknown_part_number_but_a_count_is_not(lex):
    assert "neo7m" in lex.match("NEO-7M gps module").unknown_part_numbers  # beside the NEO-6M
    assert lex.match("9-axis imu").unknown_part_numbers == []


@pytest.fixture(scope="module")
def retriever(parts_dir, tmp_path_factory) -> Retriever:
    return Retriever(Library.from_dirs([parts_dir]), index_path=tmp_path_factory.mktemp("index"), progress=False)


def test_the_part_whose_key_is_the_number_typed_ranks_before_one_that_says_more(retriever):
    for query in ("tp4056 charger", "tp4065 charger"):  # the plain module, not the one "without protection"
        res = retriever.search(query)
        assert res.matches[0].key == "tp4056", res.as_dict()
    res = retriever.search("MPU-6500 module")
    assert not res.named_outright and res.features.unknown_part_number == 1.0 and res.features.other_part == 1.0


# ---- versions of boards, names written out inside a request, a board named by its own kind --------------

BOARDS = ["teensy-40", "raspberry-pi-pico", "raspberry-pi-pico-2", "raspberry-pi-pico-w", "tm1637", "7-segment-display",
          "esp32-devkit-v1", "esp8266-nodemcu", "micro-sd-card", "stm32-blackpill", "stm32-bluepill", "arduino-uno",
          "seeed-xiao-esp32c3", "esp32-s3-devkitc"]


@pytest.fixture(scope="module")
def boards(tmp_path_factory) -> Retriever:
    dest = copy_records(tmp_path_factory.mktemp("boards"), BOARDS)
    return Retriever(Library.from_dirs([dest]), index_path=tmp_path_factory.mktemp("bindex"), progress=False)


def test_a_board_named_in_another_version_beside_a_need_is_not_in_the_library(boards):
    res = boards.search("teensy 4.1 board with sd slot")  # the Teensy is context, but the library holds the 4.0
    assert res.variant and res.ood, res.as_dict()
    res = boards.search("teensy 4.0 board with sd slot")
    assert not res.variant, res.as_dict()


def test_a_name_joining_two_versions_no_part_holds_is_not_in_the_library(boards):
    res = boards.search("Raspberry Pi Pico 2 W")  # the Pico 2 and the Pico W, not a Pico 2 W
    assert not res.named_outright and res.variant and res.ood, res.as_dict()
    for query, key in [("raspberry pi pico w", "raspberry-pi-pico-w"), ("pico 2 board", "raspberry-pi-pico-2")]:
        res = boards.search(query)
        assert res.matches[0].key == key and not res.ood, res.as_dict()


def test_a_board_named_with_another_parts_chip_where_its_own_names_carry_a_sibling_chip_is_not_in_the_library(boards):
    res = boards.search("seeed xiao esp32s3")  # the XIAO holds an ESP32-C3; the ESP32-S3 is the DevKitC's
    assert res.variant and res.ood, res.as_dict()
    res = boards.search("seeed xiao esp32c3 board")
    assert res.matches[0].key == "seeed-xiao-esp32c3" and not res.ood, res.as_dict()


def test_names_written_out_end_to_end_inside_a_request_name_their_part(boards):
    hit = boards.lexical.match("4 digit 7 segment clock display")  # two of the TM1637's aliases
    assert hit.phrase["tm1637"] == 1.0 and hit.phrase.get("7-segment-display", 0.0) < 0.5
    assert boards.search("4 digit 7 segment clock display").matches[0].key == "tm1637"


def test_a_board_named_with_its_own_kind_is_wanted_not_context(boards):
    hit = boards.lexical.match("ESP-WROOM-32 dev board")  # "dev board" is what the ESP32 DevKit is
    assert "esp32-devkit-v1" in hit.host_keys and hit.wanted == ""
    assert boards.search("ESP-WROOM-32 dev board").matches[0].key == "esp32-devkit-v1"
    hit = boards.lexical.match("a micro sd card reader for my arduino uno")  # a need beside the board
    assert hit.wanted



# ---- a slip the rest of the request sets aside -----------------------------------------------------------

SENSORS = ["dht22", "aht20", "sht31", "bme280", "ssd1306", "ssd1351", "ssd1309", "sh1106", "ds18b20"]


@pytest.fixture(scope="module")
def sensors(tmp_path_factory) -> Retriever:
    dest = copy_records(tmp_path_factory.mktemp("sensors"), SENSORS)
    return Retriever(Library.from_dirs([dest]), index_path=tmp_path_factory.mktemp("sindex"), progress=False)


def test_a_slip_whose_part_the_rest_of_the_request_does_not_fit_leaves_the_number_unknown(sensors):
    """am2320 is one swap off the AM2302 (the DHT22's alias), yet "over i2c" fits the I2C AHT20 better than
    the one-wire DHT22: the number is read as typed, a part number no part is called by."""
    res = sensors.search("aosong am2320 temperature and humidity over i2c")
    assert not res.named_outright, res.as_dict()
    assert res.features.unknown_part_number == 1.0 and res.features.slip == 0.0 and res.features.lexical == 0.0
    # the same slip with nothing beside it that another part says better stays a slip of the DHT22
    for query in ("am2302 humidity sensor", "dht222 sensor"):
        res = sensors.search(query)
        assert res.matches[0].key == "dht22" and res.named_outright and not res.ood, res.as_dict()


def test_a_slip_beside_another_size_than_its_parts_names_state_is_not_near_certain(sensors):
    """ssd1315 is one swap off the SSD1351, whose names say 1.5 inch: "0.96 inch" is another size of it,
    so the slip does not name the SSD1351 outright (the 0.96 inch size is the SSD1306's)."""
    res = sensors.search("ssd1315 0.96 inch oled board")
    assert not res.named_outright and res.ood, res.as_dict()
    res = sensors.search("sdd1306 display")  # a slip of the SSD1306 itself stays that part
    assert res.matches[0].key == "ssd1306" and res.named_outright, res.as_dict()


# ---- identifiers typed with separators, ordering codes with digits, sibling numbers, quantities ---------

TYPED = ["ams1117-3.3", "ams1117-5.0", "lm2596-buck-converter", "lp2950-3.3", "lp2950-5.0", "lm358", "lm2904",
         "bss138", "attiny85", "si2301", "lm2940-5.0", "dht22", "dht11", "gps", "nema17", "tb6600",
         "arduino-nano-33-iot", "power-supply-5v", "power-supply-5v-20a", "power-supply-12v", "relay-module",
         "mcp1700-3.3", "ads1115", "hx711", "lcd2004", "lcd1602", "tp4056"]


@pytest.fixture(scope="module")
def typed(tmp_path_factory) -> LexicalIndex:
    return LexicalIndex(Library.from_dirs([copy_records(tmp_path_factory.mktemp("typed"), TYPED)]))


def test_a_number_and_a_unit_word_is_a_quantity_not_a_part_number(typed):
    from knowledge.lexical import is_part_number, is_value, values
    assert is_value("5volt") and is_value("12volts") and is_value("3amps") and not is_part_number("5volt")
    assert not is_value("28byj") and not is_value("20su")  # letters that are no unit: a part number's
    # the supplies' aliases "5 volt supply", "12 volt supply" give no part number "5volt" or "12volt"
    assert typed.match("5 volt regulator").part_number == {}
    assert typed.match("lm358 on a 12 volt rail").unknown_part_numbers == []
    assert typed.match("12 volt 2 amp wall wart").unknown_part_numbers == []  # not "volt2"
    assert values("twelve volt fan") == {"12v"} and "twelve" not in typed.match("twelve volt fan").content


def test_an_identifier_typed_with_separators_is_read_whole_decimals_and_all(typed):
    hit = typed.match("LM2596S-5.0 module")  # an alias of the buck board: no unknown "lm2596s5"
    assert "lm2596-buck-converter" in hit.part_number and hit.unknown_part_numbers == [], hit
    hit = typed.match("LP2950CZ-3.3G regulator")  # the 3.3 V one and its ordering letter, not the 5 V one
    assert set(hit.part_number) == {"lp2950-3.3"} and hit.unknown_part_numbers == [], hit
    hit = typed.match("AMS1117-1.8 regulator")  # another voltage of the family: a part number the library lacks
    assert "ams111718" in hit.unknown_part_numbers


def test_an_ordering_code_may_hold_digits_but_never_another_number_or_version():
    from knowledge.lexical import ordering_tail
    for tail, separated in [("dr2g", False), ("lt1g", False), ("cdst1ge3", False), ("20su", True), ("13f", True),
                            ("nopb", True), ("g", False)]:
        assert ordering_tail(tail, separated), tail
    for tail, separated in [("20su", False),  # digits glued to the number change the number
                            ("12", True), ("18", True),  # another voltage or size: LM2596S-12, AMS1117-1.8
                            ("c6", True), ("s3", True)]:  # a version id: ESP32-C6
        assert not ordering_tail(tail, separated), tail


def test_ordering_codes_with_digits_name_their_part(typed):
    for query, key in [("LM358DR2G", "lm358"), ("BSS138LT1G", "bss138"), ("attiny85-20su chip", "attiny85"),
                       ("SI2301CDS-T1-GE3", "si2301"), ("LM2940CT-5.0/NOPB", "lm2940-5.0")]:
        hit = typed.match(query)
        assert key in hit.part_number and not hit.unknown_part_numbers and not hit.unknown_words, (query, hit)


def test_a_sibling_number_of_a_part_is_another_version_of_it(typed):
    from knowledge.lexical import sibling_number
    for a, b in [("dht20", "dht22"), ("neo7m", "neo6m"), ("ams111718", "ams111733"), ("irlz24n", "irlz44n")]:
        assert sibling_number(a, b), (a, b)
    for a, b in [("lm35", "lm358"), ("vl53l4cd", "vl53l0x"), ("dht22", "dht22")]:
        assert not sibling_number(a, b), (a, b)
    for query, key in [("DHT20 temperature humidity sensor", "dht22"), ("NEO-7M gps module", "gps"),
                       ("ams1117-2.5 ldo", "ams1117-3.3"), ("arduino nano 33 ble", "arduino-nano-33-iot"),
                       ("Arduino Nano 33 BLE Sense", "arduino-nano-33-iot")]:
        hit = typed.match(query)
        assert key in typed.version_conflicts(query, hit), query
    for query in ("nano 33 iot board", "arduino nano 33 iott", "NEO-6M gps module", "AMS1117-5.0 regulator"):
        assert typed.version_conflicts(query, typed.match(query)) == {}, query
    query = "big stepper driver for a nema 23 at 4 A"  # the motor the driver serves, not a NEMA 17 wanted
    assert ("nema23", 0, "nema23") not in typed.version_conflicts(query, typed.match(query)).get("nema17", set())


def test_a_current_a_part_falls_short_of_outweighs_a_voltage_that_fits(typed):
    hit = typed.match("5 volt 20 amp power supply")
    assert hit.values["power-supply-5v"] == -1 and hit.values["power-supply-5v-20a"] == 1
    assert "power-supply-5v" in hit.short and "power-supply-5v-20a" not in hit.short  # 2 A cannot give 20 A
    hit = typed.match("12V 5A power supply")  # the 12 V supply gives 2 A; the 5 V 20 A one gives 5 V
    assert hit.values["power-supply-12v"] == -1 and hit.values["power-supply-5v-20a"] == -1
    hit = typed.match("12 volt 2 amp wall adapter")
    assert hit.values["power-supply-12v"] == 1 and not hit.short & {"power-supply-12v", "power-supply-5v-20a"}


def test_a_part_named_by_its_number_in_another_voltage_is_a_version_the_library_lacks(typed):
    for query, key in [("MCP1700 1.8 V LDO", "mcp1700-3.3"), ("AMS1117 1.8V regulator", "ams1117-3.3")]:
        assert key in typed.version_conflicts(query, typed.match(query)), query
    for query in ("MCP1700 3.3 V LDO", "ams1117 5v regulator", "ams1117 for a 12 volt rail"):
        hit = typed.match(query)
        assert not any(slot[0] == "volt" for slots in typed.version_conflicts(query, hit).values() for slot in slots)


def test_four_digits_and_a_letter_are_a_part_number_not_amperes(typed):
    from knowledge.lexical import is_part_number, values
    assert is_part_number("2004a") and values("2004A display") == set()
    assert "lcd2004" in typed.match("2004A HD44780 display with 16 pins").part_number


def test_a_part_wanted_after_a_filler_verb_is_not_what_another_part_works_on(typed):
    hit = typed.match("need an ADS1115IDGSR adc for my sensor")
    assert "ads1115" in hit.part_number and "ads1115" not in hit.acted_keys
