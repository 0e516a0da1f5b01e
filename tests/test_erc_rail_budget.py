"""Supply budget in the rule check: what a rail pin powers must not draw more than it can give."""

import pytest

from circuit.gates import check_circuit
from tests.erc_util import build, findings, rules

ESP01 = "U2:GND~U1:GND U2:CH_PD~U2:VCC U2:RST~U2:VCC"
MOTOR = "U1:D9~R1:1 R1:2~Q1:G R3:1~Q1:G R3:2~U1:GND M1:-~Q1:D Q1:S~U1:GND D1:K~M1:+ D1:A~M1:-"
MOTOR_PARTS = "U1=arduino-uno M1=dc-motor Q1=irlz44n R1=resistor(220) R3=resistor(10k) D1=1n4007"

CASES = [
    # an ESP-01 (80 mA, Wi-Fi peaks far more) on the Uno's 50 mA 3.3 V pin; an AMS1117 from 5 V feeds it
    ("ERC-SUPPLY-OVERLOAD",
     build("U1=arduino-uno U2=esp-01", f"U2:VCC~U1:3.3V {ESP01}"),
     build("U1=arduino-uno U2=esp-01 U3=ams1117-3.3 C1=capacitor(10u) C2=capacitor(10u)",
           f"U3:IN~U1:5V U3:GND~U1:GND U3:OUT~U2:VCC C1:+~U3:IN C1:-~U1:GND C2:+~U3:OUT C2:-~U1:GND {ESP01}")),
    # a 130 motor (660 mA running) from the Uno's 500 mA 5 V pin; a 4 x AA pack carries it
    ("ERC-SUPPLY-OVERLOAD",
     build(MOTOR_PARTS, f"M1:+~U1:5V {MOTOR}"),
     build(MOTOR_PARTS + " B1=aa-battery-pack", f"M1:+~B1:+ B1:-~U1:GND {MOTOR}")),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(library, rule, bad, good):
    assert rule in rules(bad, library)
    assert rule not in rules(good, library)


def test_budget_names_the_rail_and_the_loads_and_agrees_with_spice(library):
    doc = CASES[0][1]
    (f,) = findings(doc, library, "ERC-SUPPLY-OVERLOAD")
    assert f.where[:2] == ["U1:3.3V", "U2"] and "50 mA" in f.message and "80 mA" in f.message
    rep = check_circuit(doc, library)
    # the ESP-01's transmit peaks are a finding of their own (ERC-PEAK-CURRENT, with the fix)
    assert {g.rule for g in rep.findings if "U1:3.3V" in g.where} == {"ERC-SUPPLY-OVERLOAD", "ERC-PEAK-CURRENT"}
    (merged,) = [g for g in rep.findings if g.rule == "ERC-SUPPLY-OVERLOAD"]
    assert merged.rule == "ERC-SUPPLY-OVERLOAD" and "Simulated: the 3.3V pin of U1" in merged.message
