"""Wokwi diagram.json: the part map (data) and the export of real designs."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from circuit.model import Circuit
from circuit.wokwi import to_wokwi
from knowledge.wokwi_map import wokwi_map
from pipelines.design import design

MAP = wokwi_map()


@pytest.mark.parametrize("key", sorted(MAP))
def test_map_entry_covers_every_pin_of_its_record(key, library):
    rec = library.get(key)
    assert rec is not None, f"{key} is mapped to Wokwi but is not in the library"
    entry = MAP[key]
    for pin in rec.pins:
        if pin.type == "nc" or pin.name in entry.unmapped:
            continue
        target = entry.pin(pin.name)
        assert target is not None, f"{key}:{pin.name} has no Wokwi pin and is not listed as unmapped"
        assert target in entry.wokwi_pins
    # two of our pins never land on one Wokwi pin unless the part joins them internally (several GNDs)
    targets = Counter(entry.pin(p.name) for p in rec.pins if entry.pin(p.name))
    for target, n in targets.items():
        if n > 1:
            names = [p.name for p in rec.pins if entry.pin(p.name) == target]
            assert len(set(names)) == 1 or all(p.type == "ground" for p in rec.pins if p.name in names), (key, target, names)


def test_attributes_are_strings_and_values_plain_numbers():
    c = Circuit.model_validate({"parts": [
        {"id": "U1", "type": "arduino-uno"}, {"id": "R1", "type": "resistor", "attrs": {"value": "4.7 kΩ"}},
        {"id": "LED1", "type": "led", "attrs": {"color": "blue"}}],
        "connections": [["U1:D9", "R1:1"], ["R1:2", "LED1:+"], ["LED1:-", "U1:GND"]]})
    d = to_wokwi(c).diagram
    attrs = {p["id"]: p["attrs"] for p in d["parts"]}
    assert attrs["R1"] == {"value": "4700"}
    assert attrs["LED1"] == {"color": "blue"}
    assert all(isinstance(v, str) for a in attrs.values() for v in a.values())
    assert ["U1:9", "R1:1", "green", []] in d["connections"]
    assert ["LED1:C", "U1:GND.1", "green", []] in d["connections"]


def test_demo_design_maps_one_to_one(tmp_path):
    turn = design("Blink an LED with a button on an Arduino Uno", backend="rules", out_dir=str(tmp_path))
    circuit = Circuit.model_validate(turn["circuit"])
    written = json.loads((tmp_path / "diagram.json").read_text())
    assert written["version"] == 1 and {p["id"] for p in written["parts"]} == {p.id for p in circuit.parts}
    result = to_wokwi(circuit)
    assert not result.missing and not result.dropped
    # every connection of ours is exactly one Wokwi connection, between the mapped pins
    assert len(written["connections"]) == len(circuit.connections)
    types = {p.id: p.type for p in circuit.parts}
    for ours, theirs in zip(circuit.connections, written["connections"]):
        for ep, wep in ((ours.source, theirs[0]), (ours.target, theirs[1])):
            pid, pin = ep.split(":", 1)
            wpid, wpin = wep.split(":", 1)
            assert wpid == pid
            rec_pin = next(p for p in circuit.parts if p.id == pid)
            assert MAP[types[pid]].pin(pin) == wpin, (ep, wep, rec_pin.type)
    assert "Wokwi" in (tmp_path / "report.md").read_text()


def test_parts_wokwi_lacks_are_listed_and_pass_through_parts_bridged():
    c = Circuit.model_validate({"parts": [
        {"id": "U1", "type": "arduino-uno"}, {"id": "U2", "type": "ssd1306"},
        {"id": "U3", "type": "logic-level-shifter"}, {"id": "C1", "type": "ceramic-capacitor"}],
        "connections": [["U1:A4", "U3:HV1"], ["U3:LV1", "U2:SDA"], ["U1:A5", "U3:HV2"], ["U3:LV2", "U2:SCL"],
                        ["C1:1", "U1:5V"], ["C1:2", "U1:GND"]]})
    result = to_wokwi(c)
    assert any(m.startswith("U3 ") for m in result.missing) and any(m.startswith("C1 ") for m in result.missing)
    conns = [frozenset(x[:2]) for x in result.diagram["connections"]]
    assert {"U1:A4", "U2:SDA"} in conns and {"U1:A5", "U2:SCL"} in conns
    assert "U3" in result.note() or "level" in result.note()


@pytest.mark.parametrize("key", sorted(MAP))
def test_every_mapped_part_exports_with_pins_of_its_record(key, library):
    """Each mapped part exports to its Wokwi type, every pin the map names is a pin (or alias) of our record,
    and a wire on each of its pins lands on the Wokwi pin the map gives (two copies wired pin to pin)."""
    rec, entry = library.get(key), MAP[key]
    assert rec is not None
    for ours in list(entry.pins) + list(entry.unmapped):
        assert rec.pin(ours) is not None, f"{key}: the map names pin {ours!r}, which the record does not have"
    wired = [p.name for p in rec.pins if p.type != "nc" and p.name not in entry.unmapped]
    wired = list(dict.fromkeys(wired))
    c = Circuit.model_validate({"parts": [{"id": "U1", "type": key}, {"id": "U2", "type": key}],
                                "connections": [[f"U1:{n}", f"U2:{n}"] for n in wired]})
    result = to_wokwi(c, library)
    assert not result.missing and not result.dropped, (result.missing, result.dropped)
    assert [p["type"] for p in result.diagram["parts"]] == [entry.type, entry.type]
    assert all(isinstance(v, str) for p in result.diagram["parts"] for v in p["attrs"].values())
    got = [(a.split(":", 1)[1], b.split(":", 1)[1]) for a, b, *_ in result.diagram["connections"]]
    assert got == [(entry.pin(n), entry.pin(n)) for n in wired]
    assert all(w in entry.wokwi_pins for pair in got for w in pair)
