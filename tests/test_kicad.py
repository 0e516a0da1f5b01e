"""KiCad netlist export (SKiDL, the kicad extra): symbols as data, and netlists that read back as our nets."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# find_spec, not importorskip: importing SKiDL here would open its log files in the folder the tests run from
if importlib.util.find_spec("skidl") is None:
    pytest.skip("the kicad extra (SKiDL) is not installed: pip install -e '.[kicad]'", allow_module_level=True)
pytest.importorskip("sexpdata", reason="the kicad extra (sexpdata) is not installed")

from circuit.kicad import kicad_map, kicad_netlist, read_netlist, symbol_dir  # noqa: E402
from circuit.model import Circuit  # noqa: E402
from circuit.netlist import Netlist  # noqa: E402
from pipelines.design import design  # noqa: E402

needs_symbols = pytest.mark.skipif(symbol_dir() is None, reason="KiCad's symbol libraries are not installed "
                                   "(Debian kicad-symbols; make install adds them)")


def _our_nets(circuit: Circuit) -> set[frozenset[tuple[str, str]]]:
    return {frozenset(tuple(ep.split(":", 1)) for ep in net.pins) for net in Netlist(circuit).nets}


def _read_back(export) -> set[frozenset[tuple[str, str]]]:
    """The netlist's nets, each (ref, symbol pin) turned back into our (part, pin) by the export's pin map."""
    back = {pid: {num: ours for ours, nums in m.items() for num in nums} for pid, m in export.pinmaps.items()}
    return {frozenset((ref, back[ref][num]) for ref, num in nodes) for nodes in read_netlist(export.text).values()}


@needs_symbols
def test_every_mapped_symbol_loads_and_places_every_pin(library):
    keys = sorted(kicad_map())
    c = Circuit.model_validate({"parts": [{"id": f"X{i}", "type": k} for i, k in enumerate(keys)], "connections": []})
    export = kicad_netlist(c, library)
    for i, key in enumerate(keys):
        assert export.symbols[f"X{i}"] == kicad_map()[key].symbol, f"{key}: its symbol did not load or a pin has no place"
        rec = library.get(key)
        assert set(export.pinmaps[f"X{i}"]) == {p.name for p in rec.pins if p.type != "nc"}


def test_symbol_pin_numbers_follow_kicad_conventions(library):
    c = Circuit.model_validate({"parts": [
        {"id": "U1", "type": "arduino-uno"}, {"id": "R1", "type": "resistor", "attrs": {"value": "220"}},
        {"id": "LED1", "type": "led"}],
        "connections": [["U1:D9", "R1:1"], ["R1:2", "LED1:+"], ["LED1:-", "U1:GND"]]})
    export = kicad_netlist(c, library)
    if symbol_dir() is not None:
        assert export.pinmaps["LED1"] == {"+": ["2"], "-": ["1"]}      # KiCad's LED: pin 1 K, pin 2 A
        assert "(value \"220 Ω\")" in export.text or "220" in export.text
    assert _read_back(export) == _our_nets(c)


def test_demo_and_ten_benchmark_designs_round_trip_through_the_kicad_netlist(shared_dir, library):
    prompts = json.loads((shared_dir / "datasets" / "circuitlm_prompts_dev.json").read_text())["prompts"]
    requests = ["Blink an LED with a button on an Arduino Uno"] + [p["prompt"] for p in prompts]
    checked = 0
    for text in requests:
        turn = design(text, backend="rules")
        if not turn.get("circuit"):
            continue
        circuit = Circuit.model_validate(turn["circuit"])
        export = kicad_netlist(circuit, library)
        assert _read_back(export) == _our_nets(circuit), text
        refs = {ref for nodes in read_netlist(export.text).values() for ref, _ in nodes}
        assert refs <= {p.id for p in circuit.parts}
        checked += 1
        if checked == 11:
            break
    assert checked == 11


def test_design_command_writes_the_netlist_on_request(tmp_path):
    from pipelines.cli import main

    out = tmp_path / "out"
    rc = main(["design", "Blink an LED with a button on an Arduino Uno", "-o", str(out), "--json", "--rules",
               "--export", "kicad"])
    assert rc == 0
    text = (out / "kicad" / "netlist.net").read_text()
    assert text.lstrip().startswith("(export") and "(nets" in text
    doc = json.loads((out / "circuit.json").read_text())
    assert read_netlist(text) and len(doc["parts"]) >= 4


def test_the_export_leaves_nothing_in_the_working_folder(tmp_path):
    """SKiDL writes '<script>.log' and '<script>.erc' where it is imported from; an export writes only its own file."""
    root = Path(__file__).resolve().parents[1]
    script = ("import json, os, sys; from circuit.model import Circuit; from circuit import kicad; "
              "kicad._skidl(); print(sorted(os.listdir('.'))); "
              "kicad.kicad_netlist(Circuit.model_validate(json.loads(sys.stdin.read()))); print(sorted(os.listdir('.')))")
    circuit = Circuit.model_validate(design("an LED with a resistor on an Arduino Uno", backend="rules")["circuit"])
    env = dict(os.environ, PYTHONPATH=str(root))
    done = subprocess.run([sys.executable, "-c", script], input=circuit.model_dump_json(), cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[-3:] == ["[]", "[]", ""], done.stdout[-500:]
    assert sorted(p.name for p in tmp_path.iterdir()) == []
