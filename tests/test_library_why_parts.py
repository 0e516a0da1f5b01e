"""Requests that name an everyday maker part (issue 18's list) produce a design with that part, not a stop."""

from __future__ import annotations

import pytest

from agents.rules.parts import is_load_supply_pin
from pipelines.design import design

# (request, the library key the design must contain); written before the records were added
CASES = [
    ("an LM386 audio amplifier driving an 8 ohm speaker from an Arduino Uno", "lm386"),
    ("read a K-type thermocouple with a MAX31855 on an ESP32", "max31855"),
    ("INA226 power monitor measuring a 12 V load, read by an Arduino Nano", "ina226"),
    ("a small 6V solar panel charging an 18650 cell through a solar Li-ion charger", "solar-panel-6v"),
    ("a solar lithium charger module keeping an 18650 topped up from a 6 V panel", "cn3791-solar-charger"),
    ("show the time on an SH1106 1.3 inch OLED with an ESP32", "sh1106"),
    ("ST7789 240x240 IPS display on a Raspberry Pi Pico", "st7789"),
    ("an e-paper display showing the weather from an ESP32", "epaper-display"),
    ("MAX98357 I2S amplifier playing sound on a speaker from an ESP32", "max98357a"),
    ("PCA9685 servo driver moving four SG90 servos from an Arduino Uno", "pca9685"),
    ("TMC2208 stepper driver running a NEMA 17 from an Arduino Uno", "tmc2208"),
    ("LD2410 mmWave presence sensor turning on an LED with an ESP32", "ld2410"),
    ("CCS811 air quality sensor on an Arduino Nano", "ccs811"),
    ("SGP30 air quality sensor logging on an ESP32", "sgp30"),
    ("PN532 NFC reader on an Arduino Uno", "pn532"),
    ("a USB-C PD trigger board powering a 12 V fan", "usb-c-pd-trigger"),
    ("a bare ATtiny85 blinking an LED from 3 AA batteries", "attiny85"),
    ("a standalone ATmega328P chip blinking an LED on a breadboard", "atmega328p"),
    ("MAX6675 thermocouple module on an Arduino Uno", "max6675"),
]

# a second phrasing of each part issue 18's Why lists, written before they were run: the part named the way a
# maker would write it, in another setting (another board, another purpose, fewer or more words)
SECOND = [
    ("a practice amp: an LM386 with a volume pot driving a small speaker from an Arduino Nano", "lm386"),
    ("ESP32 kiln thermometer: a type K thermocouple on a MAX31855 breakout", "max31855"),
    ("log the current and voltage of a 5 V load with an INA226 on an ESP32", "ina226"),
    ("a small solar panel keeps an 18650 charged for an ESP32 weather node", "solar-panel-6v"),
    ("Arduino Nano showing readings on a 1.3 inch SH1106 I2C OLED", "sh1106"),
    ("an ESP32 drawing a clock face on an ST7789 TFT", "st7789"),
    ("a Raspberry Pi Pico updating an e-ink screen", "epaper-display"),
    ("ESP32 internet radio: MAX98357A I2S amp into a 4 ohm speaker", "max98357a"),
    ("an ESP32 moving eight SG90 servos through a PCA9685 16-channel PWM board", "pca9685"),
    ("a silent stepper: TMC2208 driving a NEMA17 from an ESP32", "tmc2208"),
    ("an Arduino Uno lights an LED when the LD2410 radar sees someone", "ld2410"),
    ("ESP32 reading eCO2 and TVOC from a CCS811", "ccs811"),
    ("Arduino Uno air quality monitor with an SGP30", "sgp30"),
    ("read NFC tags with a PN532 module on an ESP32", "pn532"),
    ("a USB-C PD trigger board takes 12 V from a USB-C charger to run a 12 V LED strip", "usb-c-pd-trigger"),
    ("a solar Li-ion charger charging an 18650 from a 6 V panel, the cell powering an ESP32", "cn3791-solar-charger"),
    ("an ATtiny85 chip fading an LED, powered from a 5 V USB supply", "attiny85"),
    ("ATmega328P on a breadboard with a push button and an LED, fed from a 9 V battery", "atmega328p"),
]


# the small boards the issue lists (a board on USB leaves its supply inputs open: only its nets are checked)
BOARDS = [
    ("Raspberry Pi Pico W reading a DHT22", "raspberry-pi-pico-w"),
    ("ESP32-C3 SuperMini blinking an LED", "esp32-c3-supermini"),
    ("STM32 Black Pill reading a button and lighting an LED", "stm32-blackpill"),
    ("Arduino Nano Every driving an SG90 servo", "arduino-nano-every"),
    ("Arduino Nano 33 IoT with a BME280", "arduino-nano-33-iot"),
]


@pytest.mark.parametrize("request_text,key", BOARDS, ids=[k for _, k in BOARDS])
def test_a_request_naming_a_small_board_designs_on_it(request_text, key, library):
    circuit, ids = designed_with(request_text, key, library)
    assert len(ids) == 1, [p["type"] for p in circuit["parts"]]
    peers = {e.split(":", 1)[0] for a, b, *_ in circuit["connections"] for e in (a, b)
             if ids[0] in (a.split(":", 1)[0], b.split(":", 1)[0])} - {ids[0]}
    assert len(peers) >= 1, f"{key} is wired to nothing"


def designed_with(request_text, key, library):
    """The rules design of the request, which must pass, and the ids of its parts of type ``key``."""
    assert key in library
    turn = design(request_text, backend="rules")
    assert not turn.get("stopped"), turn.get("stopped")
    assert turn["passed"], turn.get("findings")
    circuit = turn["circuit"]
    return circuit, [p["id"] for p in circuit["parts"] if p["type"] == key]


def test_every_part_of_the_why_list_is_asked_for_twice():
    """Each of the 18 parts issue 18's Why names (LM386 ... ATmega328P) has two phrasings here."""
    why = {"lm386", "max31855", "ina226", "solar-panel-6v", "sh1106", "st7789", "epaper-display", "max98357a",
           "pca9685", "tmc2208", "ld2410", "ccs811", "sgp30", "pn532", "usb-c-pd-trigger", "cn3791-solar-charger",
           "attiny85", "atmega328p"}
    assert len(why) == 18
    for key in why:
        assert sum(k == key for _, k in CASES + SECOND) >= 2, key


@pytest.mark.parametrize("request_text,key", CASES + SECOND, ids=[f"{k}-{i}" for i, (_, k) in enumerate(CASES + SECOND)])
def test_a_request_naming_the_part_designs_with_it(request_text, key, library):
    circuit, ids = designed_with(request_text, key, library)
    assert ids, [p["type"] for p in circuit["parts"]]
    for pid in ids:
        assert_wired(pid, library[key], circuit)


def assert_wired(pid, rec, circuit):
    """The part shares nets with other parts, every ground group and every logic supply pin is wired (a bare
    chip's VCC and AVCC alike)."""
    wired, others = set(), set()
    for a, b, *_ in circuit["connections"]:
        for mine, other in ((a, b), (b, a)):
            if mine.split(":", 1)[0] == pid:
                wired.add(mine.split(":", 1)[1])
                if other.split(":", 1)[0] != pid:
                    others.add(other.split(":", 1)[0])
    assert others, f"{pid} is connected to nothing"
    grounds: dict[str, set] = {}
    for p in rec.pins:
        if p.type == "ground":
            grounds.setdefault(p.group or p.name, set()).add(p.name)
    for group, names in grounds.items():
        assert names & wired, f"{pid}: no ground of {sorted(names)} is wired (wired: {sorted(wired)})"
    for p in rec.pins:
        if p.type == "power_in" and not is_load_supply_pin(rec, p):
            assert p.name in wired, f"{pid}: supply pin {p.name} is not wired (wired: {sorted(wired)})"


def test_a_chip_restated_in_parentheses_is_the_board_that_carries_it(library):
    """With bare chips in the library, "ATtiny85 (Franzininho board)" still names one controller, the board."""
    from agents.understand.rules import understand_rules

    def keys(text):
        return [p.key for p in understand_rules(text, library).named_parts if library[p.key].is_mcu]

    assert keys("ATtiny85 (Franzininho board) driving a single WS2812B pixel") == ["franzininho"]
    assert keys("an Arduino Uno (ATmega328P) blinking an LED") == ["arduino-uno"]
    assert keys("a bare ATtiny85 blinking an LED") == ["attiny85"]
    assert sorted(keys("an Arduino Nano and an ATtiny85 talking over I2C")) == ["arduino-nano", "attiny85"]

