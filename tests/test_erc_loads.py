"""Inductive loads and GPIO load rules."""

import pytest

from tests.erc_util import build, findings, rules

# a motor on a 9 V battery, switched low-side by an NPN from an Uno pin
MOTOR = "U1=arduino-uno B1=aa-battery-pack M1=dc-motor Q1=tip120 RB=resistor(1k)"  # 6 V: a 130 motor is rated 1.5-3 V
MOTOR_W = "B1:VCC~M1:+ M1:-~Q1:C Q1:E~B1:GND B1:GND~U1:GND U1:D9~RB:1 RB:2~Q1:B"

RELAY = "U1=arduino-uno K1=relay-5v Q1=2n2222 RB=resistor(1k) PS1=power-supply-12v SOL1=solenoid"
RELAY_W = "U1:5V~K1:COIL1 K1:COIL2~Q1:C Q1:E~U1:GND U1:D7~RB:1 RB:2~Q1:B PS1:+~K1:COM K1:NO~SOL1:+ SOL1:-~PS1:-"

CASES = [
    ("ERC-INDUCTIVE-NO-FLYBACK",
     build(MOTOR, MOTOR_W),
     build(MOTOR + " D1=1n4007", MOTOR_W + " D1:K~M1:+ D1:A~M1:-")),
    ("ERC-FLYBACK-REVERSED",
     build(MOTOR + " D1=1n4007", MOTOR_W + " D1:A~M1:+ D1:K~M1:-"),
     build(MOTOR + " D1=1n4007", MOTOR_W + " D1:K~M1:+ D1:A~M1:-")),
    # a bare relay: only the coil needs the diode; its contacts switch a separate 12 V circuit
    ("ERC-INDUCTIVE-NO-FLYBACK",
     build(RELAY, RELAY_W),
     build(RELAY + " D1=1n4148", RELAY_W + " D1:K~K1:COIL1 D1:A~K1:COIL2")),
    # a motor straight on a pin: over-current (and no flyback)
    ("ERC-GPIO-OVERCURRENT",
     build("U1=arduino-uno M1=dc-motor", "U1:D9~M1:+ M1:-~U1:GND"),
     build(MOTOR + " D1=1n4007", MOTOR_W + " D1:K~M1:+ D1:A~M1:-")),
    # a base with no resistor
    ("ERC-GPIO-OVERCURRENT",
     build(MOTOR.replace(" RB=resistor(1k)", "") + " D1=1n4007",
           "B1:VCC~M1:+ M1:-~Q1:C Q1:E~B1:GND B1:GND~U1:GND U1:D9~Q1:B D1:K~M1:+ D1:A~M1:-"),
     build(MOTOR + " D1=1n4007", MOTOR_W + " D1:K~M1:+ D1:A~M1:-")),
    # a 100 Ω "pull-down" on an output pin
    ("ERC-GPIO-OVERCURRENT",
     build("U1=arduino-uno R1=resistor(100)", "U1:D8~R1:1 R1:2~U1:GND"),
     build("U1=arduino-uno R1=resistor(10k)", "U1:D8~R1:1 R1:2~U1:GND")),
    # an ESP-01 (80 mA) powered from a GPIO instead of the 3.3 V rail
    ("ERC-GPIO-OVERCURRENT",
     build("U1=esp32-devkit-v1 U2=esp-01", "U1:D4~U2:VCC U2:GND~U1:GND U2:CH_PD~U1:3V3"),
     build("U1=esp32-devkit-v1 U2=esp-01", "U1:3V3~U2:VCC U2:GND~U1:GND U2:CH_PD~U1:3V3")),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(library, rule, bad, good):
    assert rule in rules(bad, library)
    assert rule not in rules(good, library)


def test_flyback_fix_puts_cathode_on_supply_side(library):
    (f,) = findings(build(MOTOR, MOTOR_W), library, "ERC-INDUCTIVE-NO-FLYBACK")
    assert f.fix == "add_flyback_diode(M1:+, M1:-)"


def test_motor_behind_a_mechanical_switch_needs_no_diode(library):
    doc = build("B1=battery-9v SW1=push-button M1=dc-motor", "B1:VCC~SW1:1 SW1:2~M1:+ M1:-~B1:GND")
    assert "ERC-INDUCTIVE-NO-FLYBACK" not in rules(doc, library)


def test_good_motor_driver_passes(library):
    doc = build(MOTOR + " D1=1n4007", MOTOR_W + " D1:K~M1:+ D1:A~M1:-")
    blocking = [f for f in findings(doc, library) if f.severity.blocking]
    assert blocking == []


def test_module_powered_from_pin_fix_moves_it_to_the_rail(library):
    doc = build("U1=esp32-devkit-v1 U2=esp-01", "U1:D4~U2:VCC U2:GND~U1:GND U2:CH_PD~U1:3V3")
    (f,) = findings(doc, library, "ERC-GPIO-OVERCURRENT")
    assert f.fix == "move_wire(U2:VCC, U1:3V3)"


def test_relay_fix_puts_diode_across_the_coil_not_the_contacts(library):
    (f,) = findings(build(RELAY, RELAY_W), library, "ERC-INDUCTIVE-NO-FLYBACK")
    assert f.fix == "add_flyback_diode(K1:COIL1, K1:COIL2)"
    # isolated contacts: the 12 V supply needs no common ground with the board
    assert "ERC-NO-COMMON-GROUND" not in rules(build(RELAY, RELAY_W), library)
