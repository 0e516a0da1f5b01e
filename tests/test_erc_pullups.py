"""Pull-up rules: floating switch inputs, open-drain without pull-up, redundant and over-voltage pull-ups."""

import pytest

from tests.erc_util import build, findings, rules

UNO_SW = "U1=arduino-uno SW1=push-button"
ESP = "U1=esp32-devkit-v1"
PSU = "PS1=power-supply-5v"
# a DS1307 RTC module (pull-ups to its own VCC) on the ESP32's I2C pins
RTC_W = "U2:SDA~U1:D21 U2:SCL~U1:D22 U2:GND~U1:GND PS1:-~U1:GND"

CASES = [
    ("ERC-FLOATING-INPUT",
     build(UNO_SW, "U1:D2~SW1:1 SW1:2~U1:GND"),
     build(UNO_SW + " R1=resistor(10k)", "U1:D2~SW1:1 SW1:2~U1:GND U1:D2~R1:1 R1:2~U1:5V")),
    # the internal pull-up counts once it is declared on the board
    ("ERC-FLOATING-INPUT",
     build(UNO_SW, "U1:D2~SW1:1 SW1:2~U1:GND"),
     build("U1=arduino-uno(input_pullup=D2) SW1=push-button", "U1:D2~SW1:1 SW1:2~U1:GND")),
    # a button to 3.3 V needs a pull-down
    ("ERC-FLOATING-INPUT",
     build(f"{ESP} SW1=push-button", "U1:3V3~SW1:1 SW1:2~U1:D4"),
     build(f"{ESP} SW1=push-button R1=resistor(10k)", "U1:3V3~SW1:1 SW1:2~U1:D4 U1:D4~R1:1 R1:2~U1:GND")),
    ("ERC-OPEN-DRAIN-NO-PULLUP",
     build("U1=arduino-uno S1=dht22", "S1:VCC~U1:5V S1:GND~U1:GND S1:DATA~U1:D2"),
     build("U1=arduino-uno S1=dht22 R1=resistor(10k)", "S1:VCC~U1:5V S1:GND~U1:GND S1:DATA~U1:D2 S1:DATA~R1:1 R1:2~U1:5V")),
    ("ERC-REDUNDANT-PULLUP",
     build(UNO_SW + " R1=resistor(10k) R2=resistor(10k)",
           "U1:D2~SW1:1 SW1:2~U1:GND U1:D2~R1:1 R1:2~U1:5V U1:D2~R2:1 R2:2~U1:5V"),
     build(UNO_SW + " R1=resistor(10k)", "U1:D2~SW1:1 SW1:2~U1:GND U1:D2~R1:1 R1:2~U1:5V")),
    # external pull-ups on an I2C module that already has them
    ("ERC-REDUNDANT-PULLUP",
     build("U1=arduino-uno U2=mpu6050 R1=resistor(4.7k)",
           "U2:VCC~U1:5V U2:GND~U1:GND U2:SDA~U1:A4 U2:SCL~U1:A5 U2:SDA~R1:1 R1:2~U1:5V"),
     build("U1=arduino-uno U2=mpu6050", "U2:VCC~U1:5V U2:GND~U1:GND U2:SDA~U1:A4 U2:SCL~U1:A5")),
    # a 5 V-powered RTC module pulls the ESP32's I2C pins to 5 V; an MPU6050 module pulls to its own 3.3 V
    ("ERC-PULLUP-OVERVOLTAGE",
     build(f"{ESP} {PSU} U2=ds1307", "PS1:+~U2:5V " + RTC_W),
     build(f"{ESP} {PSU} U2=mpu6050", "PS1:+~U2:VCC " + RTC_W)),
    ("ERC-PULLUP-OVERVOLTAGE",
     build(f"{ESP} {PSU} SW1=push-button R1=resistor(10k)", "U1:D4~SW1:1 SW1:2~U1:GND U1:D4~R1:1 R1:2~PS1:+ PS1:-~U1:GND"),
     build(f"{ESP} SW1=push-button R1=resistor(10k)", "U1:D4~SW1:1 SW1:2~U1:GND U1:D4~R1:1 R1:2~U1:3V3")),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(library, rule, bad, good):
    assert rule in rules(bad, library)
    assert rule not in rules(good, library)


def test_floating_input_fix_and_message(library):
    (f,) = findings(build(UNO_SW, "U1:D2~SW1:1 SW1:2~U1:GND"), library, "ERC-FLOATING-INPUT")
    assert f.fix == "add_pullup(U1:D2, 10 kΩ)"
    assert "INPUT_PULLUP" in f.message  # the Uno pin has an internal pull-up to offer


def test_esp32_input_only_pin_without_pullup_gets_no_internal_hint(library):
    (f,) = findings(build(f"{ESP} SW1=push-button", "U1:D34~SW1:1 SW1:2~U1:GND"), library, "ERC-FLOATING-INPUT")
    assert "INPUT_PULLUP" not in f.message


def test_pullup_overvoltage_fix_moves_module_supply(library):
    doc = build(f"{ESP} {PSU} U2=ds1307", "PS1:+~U2:5V " + RTC_W)
    fs = findings(doc, library, "ERC-PULLUP-OVERVOLTAGE")
    assert fs and all(f.severity.value == "Critical" for f in fs)


def test_a_divider_is_not_a_pull_up_to_its_top_rail(library):
    # 9 V through 30k/10k into A0 sits at 2.25 V: a battery monitor, not a pull-up to 9 V
    from circuit.gates import check_circuit

    def doc(r1, r2):
        return {"version": 1, "parts": [{"id": "U1", "type": "arduino-uno"}, {"id": "BT1", "type": "battery-9v"},
                                        {"id": "R1", "type": "resistor", "attrs": {"value": r1}},
                                        {"id": "R2", "type": "resistor", "attrs": {"value": r2}}],
                "connections": [["BT1:VCC", "R1:1"], ["R1:2", "U1:A0"], ["R2:1", "U1:A0"], ["R2:2", "U1:GND"],
                                ["BT1:GND", "U1:GND"]]}

    assert check_circuit(doc("30k", "10k"), library).passed
    bad = check_circuit(doc("10k", "30k"), library)  # 6.75 V on a 5 V pin
    assert not bad.passed and any("OVERVOLTAGE" in f.rule for f in bad.findings)
