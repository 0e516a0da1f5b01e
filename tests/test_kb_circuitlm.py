"""The CircuitLM parts in our knowledge base: every part of the CircuitLM component library
(``../shared/datasets/circuitlm_component_library.json``) exists under the same key with all its
pin names, and its record is electrically meaningful - supplies with grounds, MCU pins with
limits, 3.3 V pins that say they are 3.3 V, semiconductors with SPICE models, coils flagged as
coils, and internal connections (a module's several GND pins) declared as groups.

Each check walks every CircuitLM part and reports all offenders at once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.units import parse_value
from knowledge.library import BUILTIN_DIR, parse_record
from knowledge.record import ComponentRecord

SEMI_KINDS = {"diode", "led", "zener", "npn", "pnp", "nmos", "pmos"}


@pytest.fixture(scope="module")
def circuitlm(shared_dir: Path) -> dict[str, dict]:
    path = shared_dir / "datasets" / "circuitlm_component_library.json"
    return json.loads(path.read_text(encoding="utf-8"))["components"]


@pytest.fixture(scope="module")
def records(circuitlm, library) -> dict[str, ComponentRecord]:
    return {k: library.get(k) for k in circuitlm if library.get(k) is not None}


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n  " + "\n  ".join(problems)


# ---- coverage of the benchmark library --------------------------------------------------------

def test_every_circuitlm_part_exists_with_all_its_pin_names(circuitlm, library):
    assert len(circuitlm) >= 70, "the CircuitLM library should hold 73 parts"
    problems = []
    for key, spec in circuitlm.items():
        rec = library.get(key)
        if rec is None:
            problems.append(f"{key}: no record")
            continue
        for name in dict.fromkeys(spec["pins"]):
            pin = rec.pin(name)
            if pin is None:
                problems.append(f"{key}: pin {name!r} missing")
            elif pin.name != name:
                problems.append(f"{key}: pin {name!r} exists only as an alias of {pin.name!r}")
    assert not problems, _report(problems)


def test_every_circuitlm_record_file_validates_on_its_own(circuitlm):
    problems = []
    for key in circuitlm:
        path = BUILTIN_DIR / f"{key}.yaml"
        if not path.is_file():
            problems.append(f"{key}: no file {path.name}")
            continue
        try:
            rec = parse_record(str(path), yaml.safe_load(path.read_text(encoding="utf-8")))
        except Exception as e:  # the message names the file and the field
            problems.append(str(e))
            continue
        if rec.key != key:
            problems.append(f"{path.name} holds key {rec.key!r}")
    assert not problems, _report(problems)


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


# CircuitLM aliases given to another record because that is the part a person means by them
# (an alias names one part only: tests/test_kb_records.py). (CircuitLM key, alias) -> holder.
REASSIGNED = {
    ("ac-power-output", "relay output"): "relay-module",   # the outlet is the load end; the relay is the switch
    ("ac-power-output", "mains control"): "relay-module",
    ("battery-9v", "battery"): "battery-generic",          # a battery in general, not a 9 V PP3
    ("esp32-devkit-v1", "microcontroller"): "arduino-uno",  # the beginner's default board
    ("franzininho", "microcontroller"): "arduino-uno",
    ("electret-mic", "audio sensor"): "max4466",           # a module with an amplified output, not a bare capsule
    ("bts7960", "motor driver"): "l298n",                  # the common hobby motor driver
    ("uln2003-driver", "motor driver"): "l298n",
    ("uln2003-driver", "stepper driver"): "a4988",         # the common bipolar stepper driver (CircuitLM's too)
    ("diode", "signal diode"): "1n4148",                   # diode is a 1N4007-class rectifier
    ("18650-battery", "lipo cell"): "lipo-1s",             # an 18650 is Li-ion, not LiPo
    ("stepper-motor", "unipolar stepper"): "28byj-48",     # stepper-motor is bipolar; 28BYJ-48 is the unipolar one
}


def test_circuitlm_aliases_are_kept_unless_another_part_is_meant(circuitlm, records, library):
    """A CircuitLM alias stays on its part, unless it is another record's key or name (\"active
    buzzer\" is active-buzzer) or is listed in REASSIGNED, whose holder must then carry it."""
    named = {_compact(r.key): r.key for r in library} | {_compact(r.name): r.key for r in library}
    problems = []
    for key, rec in records.items():
        have = {_compact(a) for a in rec.aliases}
        for alias in circuitlm[key]["aliases"]:
            c = _compact(alias)
            if c in have or named.get(c, key) != key:
                continue
            holder = REASSIGNED.get((key, alias.lower()))
            if holder is None:
                problems.append(f"{key}: CircuitLM alias {alias!r} dropped")
            elif c not in {_compact(a) for a in library[holder].aliases}:
                problems.append(f"{key}: CircuitLM alias {alias!r} given to {holder}, which does not carry it")
    for (key, alias), holder in REASSIGNED.items():
        if _compact(alias) in {_compact(a) for a in library[key].aliases}:
            problems.append(f"{key}: alias {alias!r} is listed as reassigned to {holder} but is still here")
    assert not problems, _report(problems)


def test_records_carry_text_for_retrieval_and_a_datasheet_source(records):
    problems = []
    for key, rec in records.items():
        if len(rec.description) < 40:
            problems.append(f"{key}: description too short to retrieve by")
        if len(rec.typical_use) < 20:
            problems.append(f"{key}: no typical_use")
        if len(rec.source) < 20:
            problems.append(f"{key}: source does not name a datasheet")
        if len(rec.aliases) < 3:
            problems.append(f"{key}: only {len(rec.aliases)} aliases")
    assert not problems, _report(problems)


# ---- electrical sanity --------------------------------------------------------------------------

def test_every_powered_part_has_a_ground(records):
    problems = [f"{k}: power_in pins {[p.name for p in r.pins_of_type('power_in')]} but no ground pin"
                for k, r in records.items() if r.pins_of_type("power_in") and not r.pins_of_type("ground")]
    assert not problems, _report(problems)


def test_supply_ranges_and_currents_are_ordered(records):
    problems = []
    for key, rec in records.items():
        s = rec.supply
        if s.v_min is not None and s.v_max is not None and not s.v_min <= s.v_max:
            problems.append(f"{key}: supply v_min {s.v_min} > v_max {s.v_max}")
        if s.v_max is not None and s.v_abs_max is not None and not s.v_max <= s.v_abs_max:
            problems.append(f"{key}: supply v_max {s.v_max} > v_abs_max {s.v_abs_max}")
        if s.current_typ is not None and s.current_max is not None and not s.current_typ <= s.current_max:
            problems.append(f"{key}: current_typ {s.current_typ} > current_max {s.current_max}")
        if s.vih_min is not None and s.logic_level is not None and not s.vih_min < s.logic_level:
            problems.append(f"{key}: vih_min {s.vih_min} is not below its logic level {s.logic_level}")
        for p in rec.pins:
            if p.v_max is not None and p.v_min is not None and not p.v_min < p.v_max:
                problems.append(f"{key}:{p.name} v_min {p.v_min} >= v_max {p.v_max}")
            if p.type == "power_in" and p.v_max is not None and s.v_min is not None and p.v_max < s.v_min:
                problems.append(f"{key}:{p.name} v_max {p.v_max} is below the supply minimum {s.v_min}")
    assert not problems, _report(problems)


def test_every_rail_says_its_voltage(records):
    """A power_out pin without a voltage makes an unnamed, unsimulatable rail."""
    problems = []
    for key, rec in records.items():
        for p in rec.pins_of_type("power_out"):
            known = p.v_out is not None or rec.ratings.v_out is not None or rec.ratings.v_nominal is not None \
                or rec.value_attr == "voltage"
            if not known:
                problems.append(f"{key}:{p.name} is a rail of unknown voltage")
    assert not problems, _report(problems)


def test_every_mcu_has_a_rail_and_limited_gpios(records):
    mcus = {k: r for k, r in records.items() if r.is_mcu}
    assert {"arduino-uno", "esp32-devkit-v1", "esp32-cam", "franzininho"} <= set(mcus)
    problems = []
    for key, rec in mcus.items():
        if not rec.pins_of_type("power_out"):
            problems.append(f"{key}: no power_out rail to feed modules from")
        if rec.supply.logic_level not in (3.3, 5.0):
            problems.append(f"{key}: logic level {rec.supply.logic_level}")
        gpios = rec.pins_of_type("digital_io")
        if len(gpios) < 5:
            problems.append(f"{key}: only {len(gpios)} GPIOs")
        for p in gpios:
            if p.v_max is None or p.i_max is None or p.v_out is None:
                problems.append(f"{key}:{p.name} lacks v_max/i_max/v_out")
            elif not (0 < p.i_max <= 0.04):
                problems.append(f"{key}:{p.name} i_max {p.i_max} A is not a GPIO current")
    assert not problems, _report(problems)


def test_3v3_parts_do_not_claim_5v_pins(records):
    """Every digital_io on a 3.3 V MCU stays under 4 V; every 3.3 V-logic part that is not 5 V
    tolerant keeps its signal inputs under 4 V too (where it states a limit)."""
    problems = []
    for key, rec in records.items():
        if rec.supply.logic_level != 3.3 or rec.supply.five_v_tolerant:
            continue
        for p in rec.pins:
            if rec.is_mcu and p.type == "digital_io" and (p.v_max is None or p.v_max >= 4.0):
                problems.append(f"{key}:{p.name} (3.3 V MCU GPIO) v_max {p.v_max}")
            elif p.type in ("digital_in", "digital_io") and p.v_max is not None and p.v_max >= 4.0:
                problems.append(f"{key}:{p.name} (3.3 V logic input) v_max {p.v_max}")
    assert not problems, _report(problems)


def test_known_3v3_only_and_5v_parts_say_so(records):
    """Facts the gates rely on, straight from the datasheets."""
    r = records
    assert r["esp32-devkit-v1"].supply.five_v_tolerant is False
    assert r["esp32-devkit-v1"].pin("D21").v_max <= 3.6
    assert "input_only" in r["esp32-devkit-v1"].pin("D34").functions
    assert not r["esp32-devkit-v1"].pin("VP").pullup  # GPIO34-39: no internal pull-ups
    assert r["hc-sr04"].pin("ECHO").v_out == 5.0 and r["hc-sr04"].supply.v_min >= 4.5
    assert r["nrf24l01"].pin("VCC").v_max <= 3.6 and r["nrf24l01"].supply.five_v_tolerant
    assert r["esp-01"].pin("RX").v_max <= 3.6
    assert r["dht22"].supply.v_min == 3.3 and "open_drain" in r["dht22"].pin("DATA").functions
    assert r["ssd1306"].flags.onboard_regulator and r["ssd1306"].flags.onboard_pullups
    assert r["relay-module"].flags.protected_driver and 0.06 <= r["relay-module"].ratings.i_rated <= 0.09
    assert r["servo"].ratings.i_stall >= 0.5
    assert r["gas-sensor"].supply.current_typ >= 0.1  # the MQ heater, never from a GPIO


def test_every_semiconductor_has_a_spice_model(records):
    problems = []
    for key, rec in records.items():
        is_semi = rec.category == "semiconductor" or rec.spice.kind in SEMI_KINDS or rec.flags.needs_series_resistor
        if not is_semi:
            continue
        if rec.spice.kind not in SEMI_KINDS and not rec.spice.subckt:
            problems.append(f"{key}: semiconductor simulated as {rec.spice.kind!r}")
        elif rec.spice.kind in SEMI_KINDS and not rec.spice.model:
            problems.append(f"{key}: no model card")
        if rec.spice.kind in SEMI_KINDS and len(rec.spice.terminals) < (3 if rec.spice.kind in ("npn", "pnp", "nmos", "pmos") else 2):
            problems.append(f"{key}: spice.terminals incomplete {rec.spice.terminals}")
    assert not problems, _report(problems)


def test_leds_say_how_much_current_they_take(records):
    problems = []
    for key, rec in records.items():
        if rec.flags.needs_series_resistor and not (rec.ratings.vf and rec.ratings.if_max):
            problems.append(f"{key}: needs a series resistor but has no vf/if_max to size it")
    assert not problems, _report(problems)


def _coil_like(rec: ComponentRecord) -> bool:
    r = rec.ratings
    if r.r_coil or r.i_stall or rec.value_unit == "H":
        return True
    return rec.category == "actuator" and any(
        p.type == "passive" and {"coil", "motor"} & set(p.functions) for p in rec.pins
    )


def test_coils_are_flagged_inductive_and_drivers_protected(records):
    problems = []
    for key, rec in records.items():
        if _coil_like(rec) and not rec.flags.inductive:
            problems.append(f"{key}: a coil or motor not flagged inductive")
        if rec.category == "driver" and any({"motor", "coil"} & set(p.functions) for p in rec.pins) \
                and not rec.flags.protected_driver:
            problems.append(f"{key}: a motor driver without protected_driver (flyback diodes)")
    for key in ("dc-motor", "stepper-motor", "solenoid", "relay-module", "servo", "inductor"):
        if key in records and not records[key].flags.inductive:
            problems.append(f"{key}: must be inductive")
    assert not problems, _report(problems)


def test_parametric_passives_have_a_parsable_default(records):
    problems = []
    for key in ("resistor", "capacitor", "inductor", "potentiometer"):
        rec = records.get(key)
        if rec is None or not rec.value_attr:
            problems.append(f"{key}: no value_attr")
            continue
        try:
            v = parse_value(rec.default_value, rec.value_unit)
        except Exception as e:
            problems.append(f"{key}: default {rec.default_value!r} does not parse ({e})")
            continue
        if not v > 0:
            problems.append(f"{key}: default value {v}")
    assert {records[k].value_unit for k in ("resistor", "potentiometer")} == {"Ω"}
    assert records["capacitor"].value_unit == "F" and records["inductor"].value_unit == "H"
    assert not problems, _report(problems)


# ---- internal connections -------------------------------------------------------------------------

SAME_NODE = {
    "esp32-cam": ["GND", "GND1", "GND2"],
    "7-segment-display": ["com", "com1"],
    "lm2596-buck-converter": ["IN-", "OUT-"],
    "lm2596-boost-converter": ["IN-", "OUT-"],
    "tp4056": ["IN-", "OUT-"],
    "load-cell": ["E-", "GND"],
    "bts7960": ["GND", "B-"],
}


def test_pins_joined_inside_a_part_share_a_group(records):
    problems = []
    for key, names in SAME_NODE.items():
        groups = {records[key].pin(n).group for n in names}
        if len(groups) != 1 or None in groups:
            problems.append(f"{key}: {names} should be one group, found {groups}")
    for key, rec in records.items():
        members: dict[str, list] = {}
        for p in rec.pins:
            if p.group:
                members.setdefault(p.group, []).append(p)
        # a group of one joins nothing, unless it only labels a board's ground
        lonely = [g for g, ps in members.items() if len(ps) < 2 and ps[0].type != "ground"]
        if lonely:
            problems.append(f"{key}: group(s) {lonely} join nothing")
    # the TP4056's cell terminal is the protected output itself
    assert records["tp4056"].pin("BAT+").group == records["tp4056"].pin("OUT+").group
    assert not problems, _report(problems)


def test_netlist_joins_grouped_pins(library):
    """A wire to one GND of the ESP32-CAM grounds the others: the netlist makes them one net."""
    doc = {
        "version": 1, "title": "group check",
        "parts": [{"id": "U1", "type": "esp32-cam"}, {"id": "R1", "type": "resistor", "attrs": {"value": "10k"}},
                  {"id": "R2", "type": "resistor", "attrs": {"value": "10k"}}],
        "connections": [["R1:1", "U1:GND1", "black", []], ["R2:1", "U1:GND2", "black", []],
                        ["R1:2", "U1:12", "green", []], ["R2:2", "U1:13", "green", []]],
    }
    nl = Netlist(Circuit.model_validate(doc), library)
    assert nl.connected("R1:1", "R2:1")
    assert nl.net_of("R1:1").name == "GND"
    assert not nl.connected("R1:2", "R2:2")
