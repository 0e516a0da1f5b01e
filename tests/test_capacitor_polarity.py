"""Which capacitors have a polarity (circuit.capacitor_polarity): the schematic draws them the way
the ERC and the SPICE gate check them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from circuit.capacitor_polarity import capacitance, is_polar
from circuit.load import load_circuit
from circuit.render import render_svg
from circuit.spice_gate import run_spice_gate
from tests.erc_util import build, findings

SVG = "{http://www.w3.org/2000/svg}"


def _symbols(doc, library) -> dict[str, str]:
    root = ET.fromstring(render_svg(load_circuit(doc, library).circuit, library))
    return {g.get("data-part"): (g.get("class") or "").split()[1] for g in root.iter(SVG + "g") if g.get("data-part")}


def test_symbol_follows_kind_and_value(library):
    doc = build(
        "U1=arduino-uno C1=capacitor(100n) C2=capacitor(10u) C3=ceramic-capacitor(10u) "
        "C4=electrolytic-capacitor(470n) C5=capacitor C6=capacitor(1u)",
        "U1:5V~C1:+ C1:-~U1:GND U1:5V~C2:+ C2:-~U1:GND U1:5V~C3:1 C3:2~U1:GND U1:5V~C4:+ C4:-~U1:GND "
        "U1:3.3V~C5:+ C5:-~U1:GND U1:3.3V~C6:+ C6:-~U1:GND",
    )
    kinds = _symbols(doc, library)
    assert kinds["C1"] == "capacitor"               # a generic 100 nF is a ceramic: no polarity
    assert kinds["C5"] == "capacitor"               # no value: its default 100 nF
    assert kinds["C2"] == "capacitor_polarized" and kinds["C6"] == "capacitor_polarized"  # from 1 µF
    assert kinds["C3"] == "capacitor"               # a ceramic never has one
    assert kinds["C4"] == "capacitor_polarized"     # an electrolytic always has one


def test_the_gates_agree_with_the_drawing(library):
    # reversed across 5 V: the small generic capacitor is a ceramic (fine), the electrolytic is not
    doc = build("U1=arduino-uno C1=capacitor(100n) C4=electrolytic-capacitor(470n)",
                "U1:GND~C1:+ C1:-~U1:5V U1:GND~C4:+ C4:-~U1:5V")
    erc = {f.where[0] for f in findings(doc, library, "ERC-CAP-REVERSED")}
    rep = run_spice_gate(load_circuit(doc, library).circuit, library)
    spice = {f.where[0] for f in rep.findings if f.rule == "SPICE-CAP-REVERSED"}
    assert erc == spice == {"C4"}
    assert _symbols(doc, library) == {"U1": "block", "C1": "capacitor", "C4": "capacitor_polarized"}


def test_polarity_rule(library):
    generic, ceramic, electrolytic = library["capacitor"], library["ceramic-capacitor"], library["electrolytic-capacitor"]
    assert not is_polar(generic, 470e-9) and is_polar(generic, 1e-6) and not is_polar(generic, None)
    assert not is_polar(ceramic, 100e-6) and is_polar(electrolytic, 100e-9) and is_polar(electrolytic, None)
    assert capacitance(generic, {"value": "4u7"}) == pytest.approx(4.7e-6) and capacitance(generic, {}) == pytest.approx(100e-9)
    assert capacitance(generic, {"value": "big"}) is None
