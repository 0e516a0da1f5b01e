"""apply_fixes: every fix hint the rules emit repairs its finding without breaking other wires."""

import importlib
import pkgutil
import re

import pytest

import tests
from circuit.erc import run_erc
from circuit.fixes import OPERATIONS, apply_fixes, parse_hint
from circuit.load import load_circuit
from circuit.model import Circuit
from circuit.netlist import Netlist
from knowledge.library import Library


def _all_cases():
    out = []
    for m in pkgutil.iter_modules(tests.__path__):
        if m.name.startswith("test_erc_") and m.name != "test_erc_fixes":
            mod = importlib.import_module(f"tests.{m.name}")
            out += [(m.name, *c) for c in getattr(mod, "CASES", [])]
    return out


def _fixable():
    lib = Library.default()
    out = []
    for mod, rule, bad, _good in _all_cases():
        # replace_part / rename_pin (from the loader) need a model to choose; the rest are mechanical
        fs = [f for f in run_erc(bad, lib) if f.rule == rule and f.fix and parse_hint(f.fix)[0] in OPERATIONS]
        if fs:
            out.append(pytest.param(rule, bad, fs, id=f"{mod}-{rule}-{len(out)}"))
    return out


FIXABLE = _fixable()


def _named_endpoints(hints):
    eps = set()
    for h in hints:
        _, args = parse_hint(h)
        for a in args:
            if ":" in a:
                eps.add(a)
            elif re.match(r"^[A-Za-z]\w*$", a):
                eps.add(a + ":*")
    return eps


@pytest.mark.parametrize("rule,bad,fs", FIXABLE)
def test_fix_removes_the_finding_and_keeps_other_wires(library, rule, bad, fs):
    circuit = Circuit.model_validate(bad)  # as written, aliases and all
    new, applied = apply_fixes(circuit, fs, library)
    assert applied, f"no fix applied for {[f.fix for f in fs]}"
    after = {f.rule for f in run_erc(new, library)}
    assert rule not in after, f"{rule} still there after {applied}"
    # the input circuit is untouched
    assert circuit.to_dict() == Circuit.model_validate(bad).to_dict()
    # every original wire whose ends the fix did not name is still a connection
    touched = _named_endpoints(f.fix for f in fs)
    nl = Netlist(new, library)
    ids = {p.id for p in new.parts}
    # each operation did what it says
    before = Netlist(load_circuit(circuit, library).circuit, library)
    for f in fs:
        op, args = parse_hint(f.fix)
        if op == "rewire":  # whatever was on the old pin is now on the new one
            for n in before.neighbours(args[0]):
                assert nl.connected(n, args[1]), f"{n} not moved to {args[1]}"
        elif op in ("move_wire", "connect"):
            assert nl.connected(args[0], args[1])
        elif op == "swap_wires":
            for a, b in ((args[0], args[1]), (args[1], args[0])):
                for n in before.neighbours(a):
                    if n != b:
                        assert nl.connected(n, b), f"{n} not moved to {b}"
    for c in circuit.connections:
        ends = (c.source, c.target)
        if any(e in touched or e.split(":")[0] + ":*" in touched for e in ends):
            continue
        if all(e.split(":")[0] in ids for e in ends):
            assert nl.connected(*ends), f"{ends} broken by {applied}"


def test_every_rule_with_a_fix_is_exercised():
    assert len(FIXABLE) >= 10


def test_unknown_or_bad_hints_are_skipped(library):
    from circuit.findings import Finding, Severity

    circuit = load_circuit({"version": 1, "parts": [{"id": "U1", "type": "arduino-uno"}], "connections": []}, library).circuit
    fs = [
        Finding(rule="X", severity=Severity.MAJOR, message="m", fix="launch_rockets(U1)"),
        Finding(rule="X", severity=Severity.MAJOR, message="m", fix="connect(U1:NOPE, U1:GND)"),
        Finding(rule="X", severity=Severity.MAJOR, message="m", fix="not a hint"),
    ]
    new, applied = apply_fixes(circuit, fs, library)
    assert applied == []
    assert new.to_dict() == circuit.to_dict()


def test_insert_series_resistor_keeps_daisy_chain(library):
    doc = {"version": 1, "parts": [{"id": "U1", "type": "arduino-uno"}, {"id": "LED1", "type": "led"}, {"id": "LED2", "type": "led"}],
           "connections": [["U1:D13", "LED1:+", "green", []], ["LED1:+", "LED2:+", "green", []],
                           ["LED1:-", "U1:GND", "black", []], ["LED2:-", "U1:GND", "black", []]]}
    circuit = load_circuit(doc, library).circuit
    fs = [f for f in run_erc(circuit, library) if f.rule == "ERC-LED-NO-RESISTOR"]
    new, applied = apply_fixes(circuit, fs, library)
    assert len(applied) == 2
    assert "ERC-LED-NO-RESISTOR" not in {f.rule for f in run_erc(new, library)}
    assert len([p for p in new.parts if p.type == "resistor"]) == 2


def test_one_repair_that_cures_several_findings_is_not_followed_by_stale_fixes(library):
    # 12 V wired straight to a GPIO that also drives an LED: removing that wire ends the over-voltage
    # and the LED over-current too, so no divider is added and R1 keeps its value
    from circuit.fixes import apply_fixes
    from circuit.gates import check_circuit

    doc = {"version": 1, "parts": [{"id": "U1", "type": "arduino-uno"}, {"id": "PS1", "type": "power-supply-12v"},
                                   {"id": "R1", "type": "resistor", "attrs": {"value": "220"}}, {"id": "LED1", "type": "led"}],
           "connections": [["U1:D9", "R1:1"], ["R1:2", "LED1:+"], ["LED1:-", "U1:GND"], ["PS1:+", "U1:D9"],
                           ["PS1:-", "U1:GND"]]}
    rep = check_circuit(doc, library)
    assert len([f for f in rep.findings if f.fix]) >= 2
    new, applied = apply_fixes(rep.circuit, rep.findings, library)
    assert len(applied) == 1 and "removed the wire" in applied[0]
    assert [p.id for p in new.parts] == ["U1", "PS1", "R1", "LED1"]
    assert new.part("R1").attrs["value"] == "220"
    assert check_circuit(new, library).passed
