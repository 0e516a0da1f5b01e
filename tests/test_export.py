"""Exports: bill of materials, breadboard wiring list, and the output folder."""

from __future__ import annotations

import csv
import io
import json
import os
import re

import pytest

from circuit import export
from circuit.export import bom_csv, wiring_markdown, write_outputs
from circuit.load import load_circuit
from circuit.model import Circuit
from knowledge.library import Library
from tests.circuit_util import circuit


TRAFFIC = circuit(
    "Traffic light with a button",
    [("U1", "arduino-uno"),
     ("R1", "resistor", {"value": "220"}), ("R2", "resistor", {"value": "220 Ω"}), ("R10", "resistor", {"value": "0.22k"}),
     ("R4", "resistor", {"value": "10k"}),
     ("LED1", "led", {"color": "red"}), ("LED2", "led", {"color": "yellow"}), ("LED3", "led", {"color": "green"}),
     ("SW1", "push-button")],
    [("U1:D13", "R1:1"), ("R1:2", "LED1:+"), ("LED1:-", "U1:GND"),
     ("U1:D12", "R2:1"), ("R2:2", "LED2:+"), ("LED2:-", "U1:GND"),
     ("U1:D11", "R10:1"), ("R10:2", "LED3:+"), ("LED3:-", "U1:GND"),
     ("U1:5V", "R4:1"), ("R4:2", "U1:D2"), ("SW1:1", "U1:D2"), ("SW1:2", "U1:GND")],
)


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# ---- BOM --------------------------------------------------------------------------------
def test_bom_groups_identical_parts_and_values(library: Library):
    text = bom_csv(TRAFFIC, library)
    assert text.splitlines()[0] == "designators,part key,description,value,quantity"
    table = rows(text)
    by_des = {r["designators"]: r for r in table}
    # 220, "220 Ω" and "0.22k" are the same value; natural order puts R10 after R2
    assert by_des["R1 R2 R10"]["quantity"] == "3"
    assert by_des["R1 R2 R10"]["value"] == "220 Ω"
    assert by_des["R1 R2 R10"]["part key"] == "resistor"
    assert by_des["R4"]["value"] == "10 kΩ" and by_des["R4"]["quantity"] == "1"
    # LEDs of different colours are different lines
    assert {by_des[f"LED{i}"]["value"] for i in (1, 2, 3)} == {"red", "yellow", "green"}
    assert by_des["U1"]["description"] == library["arduino-uno"].name
    assert sum(int(r["quantity"]) for r in table) == len(TRAFFIC.parts)


def test_bom_cells_cannot_become_spreadsheet_formulas(library: Library):
    c = circuit("x", [("R1", "resistor", {"value": "=HYPERLINK(\"http://x\")"}), ("U1", "no-such-part")], [])
    table = rows(bom_csv(c, library))
    for r in table:
        for v in r.values():
            assert not v.startswith(("=", "+", "-", "@")), v
    unknown = next(r for r in table if r["designators"] == "U1")
    assert "not in the component library" in unknown["description"]


# ---- wiring list ---------------------------------------------------------------------------
def steps(md: str) -> list[str]:
    return [line for line in md.splitlines() if re.match(r"^\d+\. ", line)]


def test_wiring_has_one_step_per_wire_in_beginner_words(library: Library):
    md = wiring_markdown(TRAFFIC, library)
    lines = steps(md)
    assert len(lines) == len(TRAFFIC.connections)
    assert "1. " in lines[0]
    text = "\n".join(lines)
    assert "Connect Arduino Uno Rev3 U1 pin D13 to resistor R1 (220 Ω) leg 1." in text
    assert "LED LED1 (red) anode (+, the longer leg)" in text
    assert "cathode (−, the shorter leg" in text
    assert "push button SW1 leg 1" in text
    # every wire is there: both of its ends are named in a step
    for c in TRAFFIC.connections:
        a, b = c.source.split(":")[0], c.target.split(":")[0]
        assert any(f" {a} " in ln + " " and f" {b} " in ln + " " for ln in lines), (c.source, c.target)


def test_wiring_puts_supply_and_ground_first(library: Library):
    md = wiring_markdown(TRAFFIC, library)
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads[0].startswith("## Supply rail 5V")
    assert heads[1].startswith("## Ground")
    assert all(h.startswith("## Signal") for h in heads[2:])
    # the ground section holds every wire to GND
    ground = md.split("## Ground")[1].split("## ")[0]
    assert len(steps(ground)) == 4


def test_wiring_names_transistor_and_diode_legs(library: Library):
    c = circuit("driver", [("U1", "arduino-uno"), ("R1", "resistor", {"value": "1k"}), ("Q1", "2n2222"),
                           ("D1", "1n4007")],
                [("U1:D9", "R1:1"), ("R1:2", "Q1:B"), ("Q1:E", "U1:GND"), ("Q1:C", "D1:A"), ("D1:C", "U1:5V")])
    text = "\n".join(steps(wiring_markdown(c, library)))
    assert "base (pin B)" in text and "emitter (pin E)" in text
    assert "cathode (the end with the band)" in text and "anode (the end without the band)" in text


def test_wiring_escapes_user_text(library: Library):
    c = circuit('<img src=x onerror=alert(1)> [click](javascript:alert(2))',
                [("U1", "arduino-uno"), ("R1", "resistor", {"value": "<b>220</b>"})], [("U1:D13", "R1:1")])
    md = wiring_markdown(c, library)
    assert "<img" not in md and "<b>" not in md
    assert "[click](" not in md


def test_wiring_lists_a_wire_to_a_missing_part_instead_of_dropping_it(library: Library):
    c = circuit("loose", [("U1", "arduino-uno")], [("U1:D13", "R9:1")])
    md = wiring_markdown(c, library)
    assert "could not be placed on a net" in md
    assert "R9 pin 1 (no part with that id)" in md


def test_wiring_of_an_empty_circuit_says_so(library: Library):
    assert "no connections yet" in wiring_markdown(Circuit(title="empty"), library)


# ---- output folder ---------------------------------------------------------------------------
def test_write_outputs_writes_every_file_inside_the_folder(tmp_path, library: Library):
    out = tmp_path / "nested" / "out"
    paths = write_outputs(TRAFFIC, library, out, report_md="# Report\nall good")
    assert set(paths) == {"circuit.json", "schematic.svg", "schematic.png", "netlist.cir", "bom.csv", "wiring.md", "report.md",
                          "diagram.json", "firmware/sketch.ino"}
    for name, p in paths.items():
        assert p == out / name and p.is_file() and p.stat().st_size > 0
    written = sorted(str(f.relative_to(out)) for f in out.rglob("*") if f.is_file())
    assert written == sorted(paths)   # no temp files left behind
    # the files are what the functions produce
    again = load_circuit(json.loads(paths["circuit.json"].read_text(encoding="utf-8")), library)
    assert again.circuit.to_dict() == TRAFFIC.to_dict()
    assert paths["bom.csv"].read_text(encoding="utf-8") == bom_csv(TRAFFIC, library)
    assert paths["wiring.md"].read_text(encoding="utf-8") == wiring_markdown(TRAFFIC, library)
    assert paths["schematic.svg"].read_text(encoding="utf-8").lstrip().startswith("<svg")
    deck = paths["netlist.cir"].read_text(encoding="utf-8")
    assert ".op" in deck and deck.rstrip().endswith(".end")
    assert paths["report.md"].read_text(encoding="utf-8") == "# Report\nall good\n"


def test_report_is_only_written_when_given(tmp_path, library: Library):
    paths = write_outputs(TRAFFIC, library, tmp_path)
    assert "report.md" not in paths and not (tmp_path / "report.md").exists()


def test_hostile_title_cannot_move_files_out_of_the_folder(tmp_path, library: Library):
    out = tmp_path / "out"
    c = circuit("../../escape/<evil>", [("U1", "arduino-uno"), ("R1", "resistor")], [("U1:D13", "R1:1")])
    write_outputs(c, library, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert all(p.parent == out for p in out.iterdir())


def test_a_failing_export_keeps_the_earlier_files_and_leaves_no_temp_files(tmp_path, library: Library, monkeypatch):
    import circuit.export as export

    (tmp_path / "bom.csv").write_text("old", encoding="utf-8")

    def broken(*a, **k):
        raise RuntimeError("netlister broke")

    monkeypatch.setattr(export, "build_deck", broken)  # the netlister as the exporter calls it
    with pytest.raises(RuntimeError):
        write_outputs(TRAFFIC, library, tmp_path)
    assert (tmp_path / "bom.csv").read_text(encoding="utf-8") == bom_csv(TRAFFIC, library)
    assert (tmp_path / "schematic.svg").is_file()
    assert not (tmp_path / "netlist.cir").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_output_path_that_is_a_file_is_a_clear_error(tmp_path, library: Library):
    f = tmp_path / "out"
    f.write_text("I am a file", encoding="utf-8")
    with pytest.raises(NotADirectoryError, match="not a folder"):
        write_outputs(TRAFFIC, library, f)


def test_only_the_fixed_names_can_be_written(tmp_path):
    with pytest.raises(ValueError):
        export._write_atomic(tmp_path, "../x.txt", "no")


def test_small_generic_capacitor_is_not_described_as_polarized(library):
    from circuit.export import pin_phrase
    from circuit.model import Part

    rec = library.get("capacitor")
    small = pin_phrase(Part(id="C1", type="capacitor", attrs={"value": "100n"}), rec, "+")
    bulk = pin_phrase(Part(id="C2", type="capacitor", attrs={"value": "100u"}), rec, "+")
    assert "longer leg" not in small
    assert "longer leg" in bulk
