"""One fault, one finding: the ERC and the SPICE gate describing the same fault are merged."""

import re

import pytest

from circuit.erc import dedupe, run_erc
from circuit.findings import Severity
from circuit.gates import check_circuit
from circuit.model import Circuit
from circuit.spice_gate import run_spice_gate
from tests.erc_util import build
from tests.test_spice_gate import led_current_by_hand

UNO_LED = build("U1=arduino-uno LED1=led(color=red)", "U1:D13~LED1:+ LED1:-~U1:GND")


def _about(report, part):
    return [f for f in report.findings if part in f.where or any(w.startswith(part + ":") for w in f.where)]


def test_led_without_resistor_is_listed_once_with_the_simulated_current(library):
    rep = check_circuit(UNO_LED, library)
    (f,) = _about(rep, "LED1")
    assert f.rule == "ERC-LED-NO-RESISTOR" and f.severity is Severity.MAJOR
    assert "no resistor" in f.message  # the rule check's explanation
    # the measured current: 5 V behind the pin's 25 Ω into a red LED (1.85 V at 20 mA), about 98 mA
    m = re.search(r"Simulated: LED1 would carry ([\d.]+) mA.*would source ([\d.]+) mA", f.message)
    expected = 1e3 * led_current_by_hand(5.0, 25)
    assert m and float(m.group(1)) == pytest.approx(expected, rel=0.02) and m.group(1) == m.group(2)
    assert f.fix == "insert_series_resistor(LED1:+, 220 Ω)"
    assert "U1:D13" in f.where
    assert [d["rule"] for d in rep.as_json()["findings"]] == ["ERC-LED-NO-RESISTOR"]


def test_two_leds_without_resistors_stay_two_faults(library):
    doc = build("U1=arduino-uno LED1=led LED2=led", "U1:D13~LED1:+ LED1:-~U1:GND U1:D12~LED2:+ LED2:-~U1:GND")
    rep = check_circuit(doc, library)
    assert sorted(f.fix for f in rep.findings) == ["insert_series_resistor(LED1:+, 220 Ω)",
                                                   "insert_series_resistor(LED2:+, 220 Ω)"]


def test_motor_on_a_gpio_is_one_fault_with_a_driver_fix(library):
    doc = build("U1=arduino-uno M1=dc-motor", "U1:D9~M1:+ M1:-~U1:GND")
    erc_rules = {f.rule for f in run_erc(doc, library)}
    assert {"ERC-GPIO-OVERCURRENT", "ERC-INDUCTIVE-NO-FLYBACK"} <= erc_rules  # the rule check alone says both
    rep = check_circuit(doc, library)
    (f,) = _about(rep, "M1")
    assert f.rule == "ERC-GPIO-OVERCURRENT" and f.fix == "insert_transistor_driver(U1:D9, M1)"
    assert "flyback" in f.message and "Simulated: D9 of U1" in f.message


def test_overvoltage_on_a_pin_is_one_critical_finding(library):
    doc = build("U1=esp32-devkit-v1 S1=hc-sr04 P1=power-supply-5v",
                "P1:+~U1:VIN P1:-~U1:GND S1:VCC~P1:+ S1:GND~U1:GND S1:TRIG~U1:D5 S1:ECHO~U1:D18")
    rep = check_circuit(doc, library)
    on_pin = [f for f in rep.findings if "U1:D18" in f.where]
    assert len(on_pin) == 1 and on_pin[0].severity is Severity.CRITICAL
    assert on_pin[0].rule == "ERC-PIN-OVERVOLTAGE" and "Simulated: D18 of U1" in on_pin[0].message
    assert on_pin[0].fix.startswith("insert_voltage_divider(U1:D18")


def test_a_5v_pullup_on_3v3_pins_is_one_critical_finding_per_resistor(library):
    doc = build("U1=esp32-devkit-v1 S1=bh1750 R1=resistor(4.7k) R2=resistor(4.7k) P1=power-supply-5v",
                "S1:VCC~U1:3V3 S1:GND~U1:GND S1:SDA~U1:D21 S1:SCL~U1:D22 R1:1~U1:D21 R2:1~U1:D22 "
                "R1:2~P1:+ R2:2~P1:+ P1:-~U1:GND")
    rep = check_circuit(doc, library)
    assert sorted((f.rule, f.severity.value, f.fix) for f in rep.findings if f.severity.blocking) == [
        ("ERC-PULLUP-OVERVOLTAGE", "Critical", "move_wire(R1:2, U1:3V3)"),
        ("ERC-PULLUP-OVERVOLTAGE", "Critical", "move_wire(R2:2, U1:3V3)"),
    ]


def test_pressed_switch_short_keeps_when_it_happens(library):
    doc = build("U1=arduino-uno SW1=push-button", "U1:5V~SW1:1 SW1:2~U1:GND")
    rep = check_circuit(doc, library)
    (f,) = rep.findings
    assert f.rule == "ERC-SWITCH-SHORTS-SUPPLY"
    assert "would carry" in f.message and f.message.count("this happens while SW1 is pressed") == 1


def test_design_pipeline_merge_goes_through_dedupe(library):
    # the design pipeline joins its ERC and SPICE findings with circuit.erc.dedupe
    circuit = Circuit.model_validate(UNO_LED)
    merged = dedupe(run_erc(circuit, library) + run_spice_gate(circuit, library).findings)
    assert [f.rule for f in merged] == ["ERC-LED-NO-RESISTOR"]
    assert dedupe(run_erc(circuit, library)) == run_erc(circuit, library)  # the rule check alone is unchanged
