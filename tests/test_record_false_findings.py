"""Record facts whose absence made the gates report faults that are not there (seen in generated designs)."""

from __future__ import annotations

import pytest

from circuit.erc.levels import receiver_vih
from circuit.erc import ErcContext
from circuit.load import load_circuit
from circuit.netlist import Netlist
from circuit.power_feed import fed_power_pins
from circuit.spice_gate import run_spice_gate
from tests.erc_util import build, findings, rules

BOARD_5V = [("esp8266-nodemcu", "VIN", "GND"), ("esp32-s3-devkitc", "5V", "GND"),
            ("esp32-c3-devkitm", "5V", "GND"), ("stm32-bluepill", "5V", "G")]


@pytest.mark.parametrize("board,pin,gnd", BOARD_5V)
def test_usb_5v_pin_powers_a_module(library, board, pin, gnd):
    """The pin carries USB's 5 V out: a 5 V module powered from it has power."""
    doc = build(f"U1={board} S1=hc-sr04", f"U1:{pin}~S1:VCC S1:GND~U1:{gnd}")
    assert "ERC-NO-POWER" not in rules(doc, library)
    rep = run_spice_gate(load_circuit(doc, library).circuit, library)
    assert rep.current("S1:VCC") > 0.001  # the module draws its supply current from the board's pin


@pytest.mark.parametrize("board,pin,gnd", BOARD_5V)
def test_usb_5v_pin_is_an_input_when_fed_from_outside(library, board, pin, gnd):
    doc = build(f"U1={board} PS=power-supply-5v", f"PS:+~U1:{pin} PS:-~U1:{gnd}")
    circuit = load_circuit(doc, library).circuit
    assert f"U1:{pin}" in fed_power_pins(Netlist(circuit, library))
    assert not {"ERC-RAILS-SHORTED", "ERC-NO-POWER"} & rules(doc, library)
    assert "SPICE-SUPPLY-BACKFEED" not in {f.rule for f in run_spice_gate(circuit, library).findings}


def test_line_sensor_d0_has_its_own_pull_up(library):
    doc = build("U1=arduino-uno S1=tcrt5000", "U1:5V~S1:VCC S1:GND~U1:GND S1:D0~U1:D2")
    assert "ERC-OPEN-DRAIN-NO-PULLUP" not in rules(doc, library)
    # that pull-up goes to the module's supply: run from 5 V it lifts a 3.3 V pin too high
    doc = build("U1=esp32-devkit-v1 S1=tcrt5000", "U1:VIN~S1:VCC S1:GND~U1:GND S1:D0~U1:D4")
    (f,) = findings(doc, library, "ERC-PULLUP-OVERVOLTAGE")
    assert "U1:D4" in f.where
    doc = build("U1=esp32-devkit-v1 S1=tcrt5000", "U1:3V3~S1:VCC S1:GND~U1:GND S1:D0~U1:D4")
    assert not findings(doc, library)


def test_bluetooth_key_pin_may_stay_open(library):
    doc = build("U1=arduino-uno B1=hc05 R1=resistor(1k) R2=resistor(2k)",
                "U1:5V~B1:VCC B1:GND~U1:GND B1:TX~U1:D10 U1:D11~R1:1 R1:2~B1:RX R2:1~B1:RX R2:2~U1:GND")
    unconnected = findings(doc, library, "ERC-UNCONNECTED-INPUT")
    assert not [f for f in unconnected if "B1:KEY" in f.where]


@pytest.mark.parametrize("servo", ["sg90", "mg996r", "servo"])
def test_servo_signal_takes_a_3v3_pulse(library, servo):
    rec = library[servo]
    sig = next(p.name for p in rec.pins if p.type == "digital_in")
    doc = build(f"U1=esp32-devkit-v1 M1={servo}", f"U1:VIN~M1:VCC M1:GND~U1:GND U1:D13~M1:{sig}")
    assert not {"ERC-LOGIC-LEVEL-MARGINAL", "ERC-LOGIC-LEVEL-TOO-LOW"} & rules(doc, library)
    vih, _vcc, stated = receiver_vih(ErcContext(load_circuit(doc, library).circuit, library), "M1")
    assert stated and 2.0 <= vih <= 2.5


def test_pico_agnd_is_the_ground(library):
    doc = build("U1=raspberry-pi-pico T1=tmp36 R1=resistor(330) L1=led",
                "U1:3V3~T1:VCC T1:GND~U1:AGND T1:OUT~U1:GP26 U1:GP15~R1:1 R1:2~L1:+ L1:-~U1:GND")
    nl = Netlist(load_circuit(doc, library).circuit, library)
    assert nl.connected("U1:AGND", "U1:GND") and nl.connected("T1:GND", "L1:-")
    assert not findings(doc, library)
