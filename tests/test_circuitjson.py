import json

import pytest

from circuit.load import CircuitReadError, load_circuit
from circuit.model import Circuit, schema
from circuit.netlist import Netlist

BLINK = {
    "version": 1,
    "title": "Blink <script>",
    "parts": [
        {"id": "U1", "type": "arduino-uno", "attrs": {}, "top": 0, "left": 0, "rotate": 0},
        {"id": "R1", "type": "resistor", "attrs": {"value": "220"}, "top": 10, "left": 200, "rotate": 90},
        {"id": "LED1", "type": "led", "attrs": {"color": "red"}, "top": 10, "left": 300, "rotate": 0},
        {"id": "SW1", "type": "push-button", "attrs": {}, "top": 100, "left": 300, "rotate": 0},
    ],
    "connections": [
        ["U1:D13", "R1:1", "green", []],
        ["R1:2", "LED1:A", "green", []],
        ["LED1:-", "U1:GND", "black", []],
        ["U1:D2", "SW1:1", "blue", []],
        ["SW1:2", "U1:GND", "black", []],
    ],
}


def test_roundtrip_identical(library):
    res = load_circuit(BLINK, library)
    assert res.findings == []
    once = res.circuit.to_dict()
    twice = Circuit.model_validate(json.loads(json.dumps(once))).to_dict()
    assert once == twice
    assert once["connections"][0] == ["U1:D13", "R1:1", "green", []]
    # the LED's "A" alias is stored under its canonical pin name
    assert once["connections"][1] == ["R1:2", "LED1:+", "green", []]


def test_schema_file_describes_document():
    s = schema()
    assert s["required"] == ["version", "parts", "connections"]
    assert "parts" in s["properties"]


def test_netlist_names_and_queries(library):
    c = load_circuit(BLINK, library).circuit
    nl = Netlist(c, library)
    names = {n.name for n in nl.nets}
    assert "GND" in names
    gnd = nl.net("GND")
    assert set(gnd.pins) == {"LED1:-", "U1:GND", "SW1:2"}
    assert nl.connected("U1:D13", "R1:1")
    assert not nl.connected("U1:D13", "LED1:+")
    assert nl.net_of("R1:2").name.startswith("N")
    # names are stable across rebuilds
    assert Netlist(c, library).summary() == nl.summary()


def test_rail_names(library):
    doc = {"version": 1, "parts": [{"id": "U1", "type": "arduino-uno"}, {"id": "R1", "type": "resistor"}],
           "connections": [["U1:5V", "R1:1"], ["U1:3.3V", "R1:2"]]}
    nl = Netlist(load_circuit(doc, library).circuit, library)
    assert {n.name for n in nl.nets} == {"5V", "3V3"}
    assert nl.net_voltage("5V") == 5.0


def test_untrusted_input_becomes_findings(library):
    doc = {
        "version": 1,
        "parts": [
            {"id": "U1", "type": "arduino-uno"},
            {"id": "U1", "type": "led"},
            {"id": "X1", "type": "flux-capacitor"},
            {"id": "1bad", "type": "led"},
            "not a part",
        ],
        "connections": [["U1:D99", "X1:1"], ["U1:D13"], ["nocolon", "U1:GND"], ["U1:D2", "U9:1"], 7],
    }
    res = load_circuit(doc, library)
    rules = sorted(f.rule for f in res.findings)
    assert "SCHEMA-DUPLICATE-ID" in rules
    assert "ERC-UNKNOWN-PART" in rules
    assert "ERC-UNKNOWN-PIN" in rules
    assert "SCHEMA-PART-ID" in rules
    assert "SCHEMA-ENDPOINT" in rules
    assert "ERC-UNKNOWN-PART-ID" in rules
    unknown_pin = next(f for f in res.findings if f.rule == "ERC-UNKNOWN-PIN")
    assert unknown_pin.where == ["U1:D99"] and "connections[0]" in unknown_pin.message
    assert [p.id for p in res.circuit.parts] == ["U1", "X1"]


def test_unreadable_input_raises(tmp_path):
    p = tmp_path / "c.json"
    p.write_text("{not json")
    with pytest.raises(CircuitReadError, match="not valid JSON"):
        load_circuit(p)
    with pytest.raises(CircuitReadError):
        load_circuit(tmp_path / "missing.json")
    p.write_text("[1, 2]")
    with pytest.raises(CircuitReadError, match="JSON object"):
        load_circuit(p)


def test_switched_module_ground_does_not_take_the_name_gnd(library):
    # the buzzer's ground is switched by a transistor; the board's ground is the real GND
    doc = {"version": 1, "parts": [{"id": "U1", "type": "arduino-uno"}, {"id": "BZ1", "type": "buzzer"},
                                   {"id": "Q1", "type": "npn-transistor"}],
           "connections": [["BZ1:GND", "Q1:C"], ["BZ1:VCC", "U1:5V"], ["Q1:E", "U1:GND"]]}
    nl = Netlist(load_circuit(doc, library).circuit, library)
    assert nl.net_of("U1:GND").name == "GND"
    assert nl.net_of("BZ1:GND").name == "BZ1_LOW"   # named for its load, never a second "ground"
    assert nl.ground_nets == {"GND"}


def test_rail_named_for_the_highest_source_on_it(library):
    doc = {"version": 1, "parts": [{"id": "U1", "type": "esp32-devkit-v1"}, {"id": "BT1", "type": "battery-9v"}],
           "connections": [["BT1:VCC", "U1:VIN"], ["BT1:GND", "U1:GND"]]}
    nl = Netlist(load_circuit(doc, library).circuit, library)
    assert nl.net_of("U1:VIN").name == "9V"
    assert nl.net_voltage(nl.net_of("U1:VIN")) == 9.0
