"""insert_transistor_driver(PIN, LOAD): a motor, coil or module comes off a GPIO onto a transistor."""

import pytest

from circuit.driver_choice import pick_switch
from circuit.findings import Finding, Severity, passes
from circuit.fixes import apply_fixes
from circuit.gates import check_circuit
from circuit.netlist import Netlist
from tests.erc_util import build


def _repair(doc, library):
    rep = check_circuit(doc, library)
    assert not rep.passed
    hints = [f.fix for f in rep.findings if f.severity.blocking]
    new, applied = apply_fixes(rep.circuit, [f for f in rep.findings if f.severity.blocking], library)
    after = check_circuit(new, library)
    return hints, new, applied, after


def _part(circuit, type_):
    return next(p for p in circuit.parts if p.type == type_)


def test_relay_coil_on_an_uno_pin_gets_an_npn_driver_and_passes_both_gates(library):
    hints, new, applied, after = _repair(build("U1=arduino-uno K1=relay-5v", "U1:D7~K1:COIL1 K1:COIL2~U1:GND"), library)
    assert hints == ["insert_transistor_driver(U1:D7, K1)"]
    assert after.passed and after.spice_ran, [str(f) for f in after.findings]
    nl = Netlist(new, library)
    q = _part(new, "2n3904").id  # 71 mA coil: a small NPN (a BC547's 100 mA is under 1.5 x the load)
    # base resistor: 7.1 mA base current (forced gain 10) from 5 V less 0.85 V -> 581 Ω -> 560 Ω (E12, down)
    rb = next(p for p in new.parts if p.type == "resistor" and nl.connected(f"{p.id}:2", f"{q}:B"))
    assert rb.attrs["value"] == "560" and nl.connected(f"{rb.id}:1", "U1:D7")
    assert any(p.type == "resistor" and p.attrs["value"] == "10k" for p in new.parts)  # the base pull-down
    d = _part(new, "1n4007").id  # flyback across the coil, band to the supply: a power rectifier (provides rectify)
    assert nl.connected(f"{d}:K", "U1:5V") and nl.connected(f"{d}:K", "K1:COIL1")
    assert nl.connected(f"{d}:A", "K1:COIL2") and nl.connected(f"{q}:C", "K1:COIL2")
    assert nl.connected(f"{q}:E", "U1:GND") and not nl.connected("U1:D7", "K1:COIL1")
    # the simulation agrees: the coil gets its current, the pin gives only base current
    assert 0.06 < after.spice.current("K1:COIL1") < 0.08
    assert -0.015 < after.spice.current("U1:D7") < 0


def test_coil_sunk_by_the_pin_keeps_its_rail(library):
    hints, new, applied, after = _repair(build("U1=arduino-uno K1=relay-5v", "U1:5V~K1:COIL1 K1:COIL2~U1:D7"), library)
    assert after.passed, [str(f) for f in after.findings]
    assert Netlist(new, library).connected("K1:COIL1", "U1:5V")


def test_vibration_motor_on_an_esp32_pin_runs_from_3v3(library):
    hints, new, applied, after = _repair(build("U1=esp32-devkit-v1 M1=vibration-motor", "U1:D4~M1:+ M1:-~U1:GND"),
                                         library)
    assert after.passed, [str(f) for f in after.findings]
    nl = Netlist(new, library)
    assert nl.connected("M1:+", "U1:3V3")  # a 3 V motor: the 3.3 V rail, not 5 V
    rb = next(p for p in new.parts if p.type == "resistor" and p.attrs["value"] != "10k")
    assert rb.attrs["value"] == "270"  # (3.3 - 0.85) V / 8 mA = 306 Ω -> 270 Ω


def test_motor_gets_a_logic_level_mosfet_and_the_battery_pack(library):
    doc = build("U1=arduino-uno M1=dc-motor B1=aa-battery-pack", "U1:D9~M1:+ M1:-~U1:GND B1:-~U1:GND")
    hints, new, applied, after = _repair(doc, library)
    assert after.passed, [str(f) for f in after.findings]
    nl = Netlist(new, library)
    # 0.66 A running, 2.2 A stall: a MOSFET, logic-level at 5 V, rated for the stall
    fet = next(p for p in new.parts if library[p.type].spice.kind == "nmos")
    assert _logic_level(library[fet.type], 5.0, 2.2)
    q = fet.id
    assert nl.connected("M1:+", "B1:+") and nl.connected(f"{q}:D", "M1:-") and nl.connected(f"{q}:S", "U1:GND")
    assert nl.connected(_part(new, "1n4007").id + ":K", "M1:+")
    assert after.spice.current("M1:+") == pytest.approx(0.66, rel=0.05)


def test_buzzer_module_on_a_pin_gets_its_ground_switched(library):
    hints, new, applied, after = _repair(build("U1=arduino-uno BZ1=buzzer", "U1:D8~BZ1:VCC BZ1:GND~U1:GND"), library)
    assert hints == ["insert_transistor_driver(U1:D8, BZ1)"]
    assert after.passed, [str(f) for f in after.findings]
    nl = Netlist(new, library)
    q = _part(new, "bc547").id
    assert nl.connected("BZ1:VCC", "U1:5V") and nl.connected("BZ1:GND", f"{q}:C") and nl.connected(f"{q}:E", "U1:GND")
    assert after.spice.current("BZ1:VCC") == pytest.approx(0.03, rel=0.05)


def test_module_with_wired_signals_is_powered_from_the_rail_instead(library):
    # lifting the ground of a module that talks to the board would back-feed it through its signal pins
    doc = build("U1=arduino-uno K1=relay-module", "U1:D7~K1:VCC K1:GND~U1:GND U1:D8~K1:IN")
    hint = Finding(rule="SPICE-PIN-OVERCURRENT", severity=Severity.MAJOR, message="-", where=["U1:D7", "K1"],
                   fix="insert_transistor_driver(U1:D7, K1)", source="spice")
    new, applied = apply_fixes(check_circuit(doc, library, spice=False).circuit, [hint], library)
    assert len(applied) == 1 and "always on" in applied[0]
    assert Netlist(new, library).connected("K1:VCC", "U1:5V")
    assert passes(check_circuit(new, library).findings)


def _logic_level(rec, v_pin: float, i_need: float) -> bool:
    """An N-MOSFET that turns on from this pin's voltage (its R_DS(on) rated at or below it, or its
    threshold at most half of it) and is rated for the current."""
    r = rec.ratings
    on = (r.rds_on_vgs is not None and r.rds_on_vgs <= v_pin + 0.05) or (r.vgs_th is not None and r.vgs_th <= 0.5 * v_pin)
    return rec.spice.kind == "nmos" and on and (r.id_max or 0) >= i_need


def test_switch_choice_follows_the_load_current(library):
    assert pick_switch(library, 5.0, 0.02, 0.05, 0.05, 5.0).key == "bc547"
    assert pick_switch(library, 5.0, 0.02, 0.1, 0.1, 5.0).key == "2n3904"
    # 150 mA needs 15 mA of base current (forced gain 10), within 75 % of the 20 mA pin: still an NPN, one
    # rated for 1.5 x the load (the designer's rule: circuit/switch_choice.py owns the choice for both)
    sw = pick_switch(library, 5.0, 0.02, 0.15, 0.15, 5.0)
    assert sw.rec.spice.kind == "npn" and sw.rec.ratings.ic_max >= 0.225 and (sw.rec.ratings.hfe or 100) < 500
    # over 300 mA: a MOSFET, logic-level at the pin's 5 V and rated for twice the load
    assert _logic_level(pick_switch(library, 5.0, 0.02, 0.4, 0.4, 5.0).rec, 5.0, 0.8)
    sw = pick_switch(library, 3.3, 0.012, 2.0, 3.0, 12.0)
    assert _logic_level(sw.rec, 3.3, 3.0) and sw.rec.ratings.vds_max >= 18.0  # logic-level at 3.3 V, 1.5 x 12 V
    assert pick_switch(library, 3.3, 0.012, 40.0, 60.0, 12.0) is None  # nothing in the library carries it
