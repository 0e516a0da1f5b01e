"""Motors and coils above their rated voltage, judged alike by the ERC and the SPICE gate."""

import pytest

from circuit.findings import Severity
from circuit.gates import check_circuit
from circuit.model import Circuit
from circuit.spice_gate import run_spice_gate
from tests.erc_util import build, findings, rules

DRIVE = "U1:D7~R1:1 R1:2~Q1:B Q1:E~U1:GND D1:K~K1:COIL1 D1:A~K1:COIL2 K1:COIL2~Q1:C B1:-~U1:GND"
RELAY = "U1=arduino-uno K1=relay-5v Q1=2n3904 R1=resistor(1k) D1=1n4148"
PUMP = "U1=esp32-devkit-v1 M1=water-pump-12v Q1=irlz44n R1=resistor(220) R2=resistor(10k) D1=1n4007"
PUMP_W = "U1:D32~R1:1 R1:2~Q1:G R2:1~Q1:G R2:2~U1:GND M1:-~Q1:D Q1:S~U1:GND D1:K~M1:+ D1:A~M1:- B1:-~U1:GND M1:+~B1:+"

CASES = [
    # a 5 V relay coil switched from a 12 V supply (5.8 x the heat); from the 5 V rail it is right
    ("ERC-LOAD-OVERVOLTAGE",
     build(RELAY + " B1=power-supply-12v", f"K1:COIL1~B1:+ {DRIVE}"),
     build(RELAY + " B1=power-supply-5v", f"K1:COIL1~B1:+ {DRIVE}")),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(library, rule, bad, good):
    assert rule in rules(bad, library)
    assert rule not in rules(good, library)


def test_coil_over_its_rating_is_major_in_both_gates(library):
    doc = CASES[0][1]
    (f,) = findings(doc, library, "ERC-LOAD-OVERVOLTAGE")
    assert f.severity is Severity.MAJOR and "2.4 times" in f.message
    spice = [g for g in run_spice_gate(Circuit.model_validate(doc), library).findings if g.rule == "SPICE-LOAD-OVERVOLTAGE"]
    assert [g.severity for g in spice] == [Severity.MAJOR]
    merged = [g for g in check_circuit(doc, library).findings if "K1" in g.where]
    assert [g.rule for g in merged] == ["ERC-LOAD-OVERVOLTAGE"]


@pytest.mark.parametrize("volts,severity", [("12", None), ("24", Severity.MINOR)])
def test_a_12v_pump_on_24v_runs_beyond_its_rating(library, volts, severity):
    doc = build(PUMP + f" B1=battery-generic(voltage={volts})", PUMP_W)
    got = [f.severity for f in findings(doc, library, "ERC-LOAD-OVERVOLTAGE")]
    assert got == ([severity] if severity else [])


def test_small_motor_at_12v_is_major(library):
    doc = build(PUMP.replace("water-pump-12v", "dc-motor") + " B1=power-supply-12v", PUMP_W)
    (f,) = findings(doc, library, "ERC-LOAD-OVERVOLTAGE")
    assert f.severity is Severity.MAJOR and "4.0 times the top of its range" in f.message
    assert "made for 1.5 V to 3 V" in f.message


@pytest.mark.parametrize("volts,severity", [("1.5", None), ("3", None), ("3.3", None), ("5", Severity.MINOR),
                                            ("6", Severity.MINOR), ("9", Severity.MAJOR)])
def test_small_motor_is_judged_against_the_top_of_its_range(library, volts, severity):
    """The FA-130RA runs from 1.5 V (nominal) to 3.0 V: 3 V is inside its datasheet range."""
    doc = build(PUMP.replace("water-pump-12v", "dc-motor") + f" B1=battery-generic(voltage={volts})", PUMP_W)
    got = [f.severity for f in findings(doc, library, "ERC-LOAD-OVERVOLTAGE")]
    assert got == ([severity] if severity else [])
    spice = [g.severity for g in run_spice_gate(Circuit.model_validate(doc), library).findings
             if g.rule == "SPICE-LOAD-OVERVOLTAGE"]
    assert spice == got
