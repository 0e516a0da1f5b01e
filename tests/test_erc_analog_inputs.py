"""Analog signals into ADC pins: a sensor's voltage is not a logic level, and a knob's wiper can
reach the full voltage across it."""

from circuit.findings import Severity
from circuit.gates import check_circuit
from tests.erc_util import build, findings, rules


def test_analog_sensor_output_is_not_a_weak_logic_high(library):
    doc = build("U1=arduino-nano S1=lm35", "S1:+VS~U1:5V S1:GND~U1:GND S1:VOUT~U1:A0")
    assert not {"ERC-LOGIC-LEVEL-TOO-LOW", "ERC-LOGIC-LEVEL-MARGINAL"} & rules(doc, library)
    assert check_circuit(doc, library).passed


def test_pot_across_5v_on_a_3v3_adc_pin_is_critical_in_both_gates(library):
    doc = build("U1=esp32-devkit-v1 RV1=potentiometer(10k)", "RV1:VCC~U1:VIN RV1:GND~U1:GND RV1:OUT~U1:D34")
    (f,) = findings(doc, library, "ERC-PIN-OVERVOLTAGE")
    assert f.severity is Severity.CRITICAL and f.where[:2] == ["U1:D34", "RV1"]
    assert f.fix == "move_wire(RV1:VCC, U1:3V3)"
    rep = check_circuit(doc, library)
    (merged,) = [g for g in rep.findings if "U1:D34" in g.where]
    assert merged.severity is Severity.CRITICAL and "Simulated: D34 of U1" in merged.message  # knob turned up


def test_pot_across_3v3_on_the_same_pin_is_fine(library):
    doc = build("U1=esp32-devkit-v1 RV1=potentiometer(10k)", "RV1:VCC~U1:3V3 RV1:GND~U1:GND RV1:OUT~U1:D34")
    assert "ERC-PIN-OVERVOLTAGE" not in rules(doc, library)
    assert check_circuit(doc, library).passed
