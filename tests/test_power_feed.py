"""A board's VIN fed from outside is a supply input, and both gates say so.

The ESP32 DevKit V1's VIN gives USB's 5 V out, or takes 4.5-12 V (15 V absolute) into its AMS1117.
A 9 V battery there is legitimate. Its 3V3 pin takes 3.0-3.6 V in from a regulated 3.3 V source (the
record's v_range), so 5 V or 12 V there is an overvoltage; an Uno's 3.3V pin is a rail only.
"""

import pytest

from circuit.findings import Severity
from circuit.gates import check_circuit
from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.power_feed import accepts_power_in, fed_power_pins
from circuit.spice_gate import run_spice_gate
from tests.erc_util import build

ESP_9V = build("U1=esp32-devkit-v1 B1=battery-9v R1=resistor(330) LED1=led(color=red)",
               "B1:VCC~U1:VIN B1:GND~U1:GND U1:D2~R1:1 R1:2~LED1:+ LED1:-~U1:GND")


def test_the_record_decides_which_rail_pins_take_power_in(library):
    esp = library["esp32-devkit-v1"]
    assert accepts_power_in(esp, esp.pin("VIN"))
    assert accepts_power_in(esp, esp.pin("3V3"))  # its v_range: 3.0-3.6 V in, bypassing the AMS1117
    for key in ("esp32-s3-devkitc", "esp32-c3-devkitm"):  # Espressif's DevKits: USB, 5V or 3V3, one at a time
        assert library[key].pin("3V3").v_range == (3.0, 3.6) and accepts_power_in(library[key], library[key].pin("3V3"))
    uno = library["arduino-uno"]
    assert not accepts_power_in(uno, uno.pin("5V"))  # a rail only (Vin is its power_in)
    assert not accepts_power_in(uno, uno.pin("3.3V"))  # a rail only: no v_range
    bat = library["battery-9v"]
    assert not accepts_power_in(bat, bat.pin("VCC"))


def test_vin_is_fed_directly_and_through_a_power_switch(library):
    assert fed_power_pins(Netlist(Circuit.model_validate(ESP_9V), library)) == {"U1:VIN": "B1:VCC"}
    doc = build("U1=esp32-devkit-v1 B1=battery-9v SW1=slide-switch", "B1:VCC~SW1:1 SW1:2~U1:VIN B1:GND~U1:GND")
    assert fed_power_pins(Netlist(Circuit.model_validate(doc), library)) == {"U1:VIN": "B1:VCC"}
    alone = build("U1=esp32-devkit-v1 S1=hc-sr04", "U1:VIN~S1:VCC U1:GND~S1:GND")
    assert fed_power_pins(Netlist(Circuit.model_validate(alone), library)) == {}  # USB 5 V out


def test_9v_battery_on_esp32_vin_passes_both_gates(library):
    rep = check_circuit(ESP_9V, library)
    assert rep.passed, [str(f) for f in rep.findings]
    assert not [f for f in rep.findings if f.rule.startswith("SPICE-SUPPLY")]
    # the board's draw (100 mA) plus the LED comes out of the battery, which sags under it
    i_batt = -rep.spice.current("B1:VCC")
    i_led = rep.spice.current("LED1:+")
    assert 0.002 < i_led < 0.01
    assert abs(i_batt - (0.1 + i_led)) < 0.002
    assert 8.5 < rep.spice.node_voltages[Netlist(rep.circuit, library).net_of("U1:VIN").name] < 9.0


def test_9v_battery_through_a_power_switch_passes_pressed_or_not(library):
    doc = build("U1=esp32-devkit-v1 B1=battery-9v SW1=slide-switch", "B1:VCC~SW1:1 SW1:2~U1:VIN B1:GND~U1:GND")
    rep = check_circuit(doc, library)
    assert rep.passed, [str(f) for f in rep.findings]


def test_9v_battery_on_uno_vin_passes_and_carries_the_5v_rail_loads(library):
    doc = build("U1=arduino-uno B1=battery-9v M1=servo",
                "B1:VCC~U1:VIN B1:GND~U1:GND U1:5V~M1:VCC M1:GND~U1:GND U1:D9~M1:DATA")
    rep = check_circuit(doc, library)
    assert rep.passed, [str(f) for f in rep.findings]
    i_servo = rep.spice.current("M1:VCC")
    assert i_servo > 0.05
    assert abs(-rep.spice.current("B1:VCC") - (library["arduino-uno"].supply.current_typ + i_servo)) < 0.005


@pytest.mark.parametrize("supply", ["power-supply-12v", "power-supply-5v"])
def test_a_supply_above_the_esp32_3v3_pins_range_is_critical_in_both_gates(supply, library):
    """The 3V3 pin takes 3.0-3.6 V in (its record's v_range); 5 V or 12 V there destroys the chip."""
    doc = build(f"U1=esp32-devkit-v1 P1={supply}", "P1:+~U1:3V3 P1:-~U1:GND")
    rep = check_circuit(doc, library, spice=False)
    assert any(f.rule == "ERC-PIN-OVERVOLTAGE" and f.severity is Severity.CRITICAL for f in rep.findings)
    spice = run_spice_gate(Circuit.model_validate(doc), library)
    over = [f for f in spice.findings if f.rule == "SPICE-OVERVOLTAGE"]
    assert over and over[0].severity is Severity.CRITICAL and "U1:3V3" in over[0].where
    merged = check_circuit(doc, library)
    assert not merged.passed
    assert [f.severity for f in merged.findings if "U1:3V3" in f.where] == [Severity.CRITICAL]


def test_a_supply_on_a_rail_only_3v3_pin_is_two_supplies_shorted(library):
    """An Uno's 3.3V pin states no input range: a 5 V supply there fights its regulator."""
    doc = build("U1=arduino-uno P1=power-supply-5v", "P1:+~U1:3.3V P1:-~U1:GND")
    rep = check_circuit(doc, library, spice=False)
    assert any(f.rule == "ERC-RAILS-SHORTED" and f.severity is Severity.CRITICAL for f in rep.findings)
    spice = run_spice_gate(Circuit.model_validate(doc), library)
    back = [f for f in spice.findings if f.rule == "SPICE-SUPPLY-BACKFEED"]
    assert back and back[0].severity is Severity.CRITICAL and "U1:3.3V" in back[0].where
    assert not any(f.rule == "SPICE-SUPPLY-OVERLOAD" for f in spice.findings)  # the same current, said once


def test_vin_above_its_absolute_maximum_is_critical_in_both_gates(library):
    doc = build("U1=esp32-devkit-v1 B1=battery-generic(voltage=18)", "B1:+~U1:VIN B1:-~U1:GND")
    erc = check_circuit(doc, library, spice=False)
    assert any(f.rule == "ERC-PIN-OVERVOLTAGE" and f.severity is Severity.CRITICAL for f in erc.findings)
    spice = run_spice_gate(Circuit.model_validate(doc), library)
    (f,) = [f for f in spice.findings if f.rule == "SPICE-OVERVOLTAGE"]
    assert f.severity is Severity.CRITICAL and "divider" not in f.message
    assert not any(f.rule == "SPICE-SUPPLY-BACKFEED" for f in spice.findings)


def test_lipo_on_esp32_vin_is_undervoltage_not_a_backfeed(library):
    doc = build("U1=esp32-devkit-v1 B1=lipo-1s", "B1:+~U1:VIN B1:-~U1:GND")
    rep = check_circuit(doc, library)
    got = {f.rule for f in rep.findings}
    assert "ERC-SUPPLY-UNDERVOLTAGE" in got
    assert not {"SPICE-SUPPLY-BACKFEED", "SPICE-SUPPLY-OVERLOAD", "ERC-RAILS-SHORTED"} & got

