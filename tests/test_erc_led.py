"""LED rules: no current limit, reversed, resistor out of range (and the pin it overloads)."""

import pytest

from circuit.findings import Severity
from tests.erc_util import build, findings, rules

UNO = "U1=arduino-uno"


def led_on_d13(r="220", extra_parts="", extra_wires=""):
    return build(f"{UNO} R1=resistor({r}) LED1=led(color=red) {extra_parts}",
                 f"U1:D13~R1:1 R1:2~LED1:+ LED1:-~U1:GND {extra_wires}")


TRANSISTOR = "Q1=npn-transistor RB=resistor(1k) LED1=led-white"
TRANSISTOR_W = "U1:D9~RB:1 RB:2~Q1:B Q1:E~U1:GND LED1:-~Q1:C"

CASES = [
    ("ERC-LED-NO-RESISTOR",
     build(f"{UNO} LED1=led", "U1:D13~LED1:+ LED1:-~U1:GND"),
     led_on_d13()),
    # resistor on the cathode side counts too
    ("ERC-LED-NO-RESISTOR",
     build(f"{UNO} LED1=led", "U1:5V~LED1:+ LED1:-~U1:GND"),
     build(f"{UNO} LED1=led R1=resistor(330)", "U1:5V~LED1:+ LED1:-~R1:1 R1:2~U1:GND")),
    # an LED switched by a transistor still needs its own resistor
    ("ERC-LED-NO-RESISTOR",
     build(f"{UNO} {TRANSISTOR}", f"{TRANSISTOR_W} U1:5V~LED1:+"),
     build(f"{UNO} {TRANSISTOR} R1=resistor(100)", f"{TRANSISTOR_W} U1:5V~R1:1 R1:2~LED1:+")),
    # two LEDs in series straight across a 9 V battery
    ("ERC-LED-NO-RESISTOR",
     build("B1=battery-9v LED1=led LED2=led", "B1:VCC~LED1:+ LED1:-~LED2:+ LED2:-~B1:GND"),
     build("B1=battery-9v LED1=led LED2=led R1=resistor(270)", "B1:VCC~R1:1 R1:2~LED1:+ LED1:-~LED2:+ LED2:-~B1:GND")),
    ("ERC-LED-REVERSED",
     build(f"{UNO} R1=resistor(220) LED1=led", "U1:D13~R1:1 R1:2~LED1:- LED1:+~U1:GND"),
     led_on_d13()),
    ("ERC-LED-RESISTOR-RANGE", led_on_d13("68"), led_on_d13("330")),
    # 10 ohm from 5 V is ~300 mA: no current limit at all
    ("ERC-LED-NO-RESISTOR", led_on_d13("10"), led_on_d13("220")),
    ("ERC-LED-RESISTOR-RANGE", led_on_d13("1M"), led_on_d13("1k")),
    ("ERC-GPIO-OVERCURRENT", led_on_d13("68"), led_on_d13("220")),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(library, rule, bad, good):
    assert rule in rules(bad, library)
    assert rule not in rules(good, library)


def test_blink_circuit_is_clean(library):
    assert findings(led_on_d13(), library) == []


def test_no_resistor_fix_sizes_the_resistor(library):
    (f,) = findings(build(f"{UNO} LED1=led(color=red)", "U1:D13~LED1:+ LED1:-~U1:GND"), library, "ERC-LED-NO-RESISTOR")
    assert f.severity is Severity.MAJOR
    # (5 V - 2.0 V) / 15 mA = 200 Ω -> 220 Ω (E12, rounded up)
    assert f.fix == "insert_series_resistor(LED1:+, 220 Ω)"
    assert "resistor" in f.message


def test_blue_led_on_3v3_gets_a_smaller_resistor(library):
    doc = build("U1=esp32-devkit-v1 LED1=led(color=blue)", "U1:D2~LED1:+ LED1:-~U1:GND")
    (f,) = findings(doc, library, "ERC-LED-NO-RESISTOR")
    assert f.fix == "insert_series_resistor(LED1:+, 10 Ω)" or "Ω" in f.fix
    # 3.3 V - 3.2 V leaves 0.1 V: a few ohms are enough, far below the red LED's value
    assert "220" not in f.fix


def test_range_fix_names_the_resistor(library):
    (f,) = findings(led_on_d13("68"), library, "ERC-LED-RESISTOR-RANGE")
    assert f.fix == "set_value(R1, 220 Ω)"
    assert f.severity is Severity.MINOR


def test_led_that_cannot_reach_its_forward_voltage_is_dim_not_overdriven(library):
    # 3 red LEDs in series on 3.3 V: no current at all; not an over-current problem
    doc = build("U1=esp32-devkit-v1 LED1=led LED2=led", "U1:3V3~LED1:+ LED1:-~LED2:+ LED2:-~U1:GND")
    assert "ERC-LED-NO-RESISTOR" not in rules(doc, library)
