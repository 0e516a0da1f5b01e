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


@pytest.mark.parametrize("request_text,key", CASES, ids=[k for _, k in CASES])
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

