"""Power rules: shorts, rails tied, outputs on rails, over/under-voltage, power/ground, common ground."""

import pytest

from tests.erc_util import build, findings, rules

UNO_LED = "U1=arduino-uno R1=resistor(220) LED1=led(color=red)"
UNO_LED_W = "U1:D13~R1:1 R1:2~LED1:+ LED1:-~U1:GND"

CASES = [
    # rail straight to ground, and through a zero-ohm link / an inductor
    ("ERC-SUPPLY-SHORT",
     build(UNO_LED, UNO_LED_W + " U1:5V~U1:GND"),
     build(UNO_LED, UNO_LED_W)),
    ("ERC-SUPPLY-SHORT",
     build(UNO_LED + " R2=resistor(0)", UNO_LED_W + " U1:5V~R2:1 R2:2~U1:GND"),
     build(UNO_LED + " R2=resistor(10k)", UNO_LED_W + " U1:5V~R2:1 R2:2~U1:GND")),
    ("ERC-RAILS-SHORTED",
     build("U1=arduino-uno", "U1:5V~U1:3.3V"),
     build("U1=arduino-uno R1=resistor(10k) R2=resistor(10k)", "U1:5V~R1:1 R1:2~R2:1 R2:2~U1:3.3V")),
    ("ERC-OUTPUT-TO-RAIL",
     build(UNO_LED, UNO_LED_W + " U1:D7~U1:5V"),
     build(UNO_LED, UNO_LED_W)),
    ("ERC-OUTPUT-TO-RAIL",
     build("U1=esp32-devkit-v1", "U1:D4~U1:GND"),
     build("U1=esp32-devkit-v1 R1=resistor(10k)", "U1:D4~R1:1 R1:2~U1:GND")),
    # an Uno output (5 V) straight into an ESP32 GPIO (3.6 V max)
    ("ERC-PIN-OVERVOLTAGE",
     build("U1=arduino-uno U2=esp32-devkit-v1", "U1:D3~U2:D4 U1:GND~U2:GND"),
     build("U1=arduino-uno U2=esp32-devkit-v1 R1=resistor(10k) R2=resistor(18k)",
           "U1:D3~R1:1 R1:2~U2:D4 U2:D4~R2:1 R2:2~U2:GND U1:GND~U2:GND")),
    # a button feeding 5 V into an ESP32 pin
    ("ERC-PIN-OVERVOLTAGE",
     build("U1=esp32-devkit-v1 U2=arduino-uno SW1=push-button R1=resistor(10k)",
           "U2:5V~SW1:1 SW1:2~U1:D4 U1:D4~R1:1 R1:2~U1:GND U1:GND~U2:GND"),
     build("U1=esp32-devkit-v1 SW1=push-button R1=resistor(10k)",
           "U1:3V3~SW1:1 SW1:2~U1:D4 U1:D4~R1:1 R1:2~U1:GND")),
    # a 9 V battery into the ESP32's VIN (a 5 V rail that also accepts 4.5-12 V) is how it is powered; its
    # 3V3 pin takes 3.0-3.6 V only (the record's v_range), and an Uno's 3.3V pin is a rail, no input at all
    ("ERC-PIN-OVERVOLTAGE",
     build("U1=esp32-devkit-v1 B1=battery-9v", "B1:VCC~U1:3V3 B1:GND~U1:GND"),
     build("U1=esp32-devkit-v1 B1=battery-9v", "B1:VCC~U1:VIN B1:GND~U1:GND")),
    ("ERC-RAILS-SHORTED",
     build("U1=arduino-uno B1=battery-9v", "B1:VCC~U1:3.3V B1:GND~U1:GND"),
     build("U1=arduino-uno B1=battery-9v", "B1:VCC~U1:VIN B1:GND~U1:GND")),
    ("ERC-SWITCH-SHORTS-SUPPLY",
     build(UNO_LED + " SW1=push-button", UNO_LED_W + " U1:5V~SW1:1 SW1:2~U1:GND"),
     build(UNO_LED + " SW1=push-button(internal_pullup=true)", UNO_LED_W + " U1:D2~SW1:1 SW1:2~U1:GND")),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(library, rule, bad, good):
    assert rule in rules(bad, library)
    assert rule not in rules(good, library)


def test_short_message_and_fix(library):
    bad = build(UNO_LED, UNO_LED_W + " U1:5V~U1:GND")
    (f,) = findings(bad, library, "ERC-SUPPLY-SHORT")
    assert f.severity.value == "Critical"
    assert "U1:5V" in f.where and "short" in f.message
    assert f.fix == "remove_connection(U1:5V, U1:GND)"


def test_push_button_alone_is_not_a_short(library):
    # a normally-open button between a GPIO and ground is the ordinary input circuit
    doc = build("U1=arduino-uno SW1=push-button R1=resistor(10k)", "U1:D2~SW1:1 SW1:2~U1:GND U1:D2~R1:1 R1:2~U1:5V")
    assert not {"ERC-SUPPLY-SHORT", "ERC-SWITCH-SHORTS-SUPPLY"} & rules(doc, library)


def test_closed_jumper_is_a_wire(library):
    doc = build("U1=arduino-uno SW1=push-button(closed=true)", "U1:5V~SW1:1 SW1:2~U1:GND")
    assert "ERC-SUPPLY-SHORT" in rules(doc, library)


def test_overvoltage_fix_is_a_divider(library):
    bad = build("U1=arduino-uno U2=esp32-devkit-v1", "U1:D3~U2:D4 U1:GND~U2:GND")
    (f,) = findings(bad, library, "ERC-PIN-OVERVOLTAGE")
    assert f.fix.startswith("insert_voltage_divider(U2:D4,")
