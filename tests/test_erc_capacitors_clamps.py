"""A reversed electrolytic capacitor, and a zener that clamps a line, seen alike by both gates."""

import pytest

from circuit.gates import check_circuit
from circuit.model import Circuit
from circuit.spice_gate import run_spice_gate
from tests.erc_util import build, findings, rules

CASES = [
    ("ERC-CAP-REVERSED",
     build("U1=arduino-uno C1=electrolytic-capacitor(100u)", "C1:-~U1:5V C1:+~U1:GND"),
     build("U1=arduino-uno C1=electrolytic-capacitor(100u)", "C1:+~U1:5V C1:-~U1:GND")),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(library, rule, bad, good):
    assert rule in rules(bad, library)
    assert rule not in rules(good, library)


def test_reversed_cap_is_one_finding_with_a_swap(library):
    (f,) = findings(CASES[0][1], library, "ERC-CAP-REVERSED")
    assert f.fix == "swap_wires(C1:+, C1:-)"
    rep = check_circuit(CASES[0][1], library)
    assert [g.rule for g in rep.findings] == ["ERC-CAP-REVERSED"] and "Simulated: C1" in rep.findings[0].message


def test_small_polarized_cap_value_is_treated_as_ceramic(library):
    doc = build("U1=arduino-uno C1=capacitor(100n)", "C1:-~U1:5V C1:+~U1:GND")
    assert "ERC-CAP-REVERSED" not in rules(doc, library)


def test_zener_clamp_keeps_a_5v_feed_off_a_3v3_pin_in_both_gates(library):
    parts = "U1=esp32-devkit-v1 R1=resistor(1k) P1=power-supply-5v"
    wires = "P1:+~R1:1 R1:2~U1:D34 P1:-~U1:GND"
    assert "ERC-PULLUP-OVERVOLTAGE" in rules(build(parts, wires), library)
    clamped = build(parts + " Z1=zener-3v3", wires + " Z1:K~U1:D34 Z1:A~U1:GND")
    assert not [f for f in findings(clamped, library) if f.severity.blocking]
    spice = run_spice_gate(Circuit.model_validate(clamped), library)
    assert spice.ok, [str(f) for f in spice.findings]
