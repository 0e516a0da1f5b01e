"""Issue 15's drawing cases not covered elsewhere, checked on the SVG the renderer writes:

- a regulator's input and output capacitors are drawn by the regulator's pins, not wherever there was room;
- thirty plain LEDs, each with its own resistor, do not become a 3,700 px column (each side's stack wraps
  into two columns);
- every power source in the library is drawn by its kind (a wall adapter or a barrel jack is never a battery):
  the look comes from the record (``source_kind``, a cell chemistry), and only cells are drawn as batteries.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from circuit.model import Part
from circuit.render import plan, render_svg
from circuit.render.shapes import symbol_roles
from circuit.schematic_lint import MAX_HEIGHT, lint_circuit
from knowledge.library import Library
from tests.circuit_util import SVG, circuit


def _pin_distance(p, comp: str, part: str, pin: str) -> float:
    x, y = p.placed[part].tip(pin)
    c = p.placed[comp]
    return min(abs(c.tip(n)[0] - x) + abs(c.tip(n)[1] - y) for n in c.shape.pins)


@pytest.mark.parametrize("reg,board,load,load_pins", [
    ("lm7805", "arduino-nano", "dht22", ("VCC", "GND", "DATA")),
    ("ams1117-3.3", "esp32-devkit-v1", "bme280", ("3.3V", "GND", "SDA")),
])
def test_regulator_capacitors_sit_by_the_regulator(library: Library, reg, board, load, load_pins):
    """A 9 V battery through a linear regulator, its input and output capacitors wired to IN and OUT in the
    document: each is drawn within reach of the pin it serves, closer to it than to any other part's pin."""
    vcc, gnd, sig = load_pins
    supply = "U1:5V" if board == "arduino-nano" else "U1:3V3"
    c = circuit(
        "Regulated supply from a battery",
        [("BT1", "battery-9v"), ("U2", reg), ("C1", "electrolytic-capacitor", {"value": "10uF"}),
         ("C2", "electrolytic-capacitor", {"value": "22uF"}), ("U1", board), ("U3", load)],
        [("BT1:VCC", "U2:IN"), ("BT1:GND", "U2:GND"), ("C1:+", "U2:IN"), ("C1:-", "U2:GND"),
         ("C2:+", "U2:OUT"), ("C2:-", "U2:GND"), ("U2:OUT", supply), ("U2:GND", "U1:GND"),
         (f"U3:{vcc}", supply), (f"U3:{gnd}", "U1:GND"), (f"U3:{sig}", "U1:D4")],
    )
    p = plan(c, library)
    for cap, pin in (("C1", "IN"), ("C2", "OUT")):
        far = _pin_distance(p, cap, "U2", pin)
        assert far <= 250, f"{cap} is drawn {far:.0f} px from U2:{pin}"
        others = [_pin_distance(p, cap, pid, n) for pid, pl in p.placed.items()
                  if pid not in ("U2", "C1", "C2") for n in pl.shape.pins]
        assert far <= min(others), f"{cap} sits nearer another part than the regulator pin it serves"
    rep = lint_circuit(c, library, render_svg(c, library))
    assert rep.ok, [i.message for i in rep.issues]


def test_thirty_leds_with_their_resistors_are_not_a_tall_column(library: Library):
    """Thirty indicator LEDs on thirty pins of a Mega (each line its own, so nothing folds): the drawing
    stays under the lint's height limit and passes it (it was 3,468 px: two columns of fifteen branches)."""
    parts = [("U1", "arduino-mega")]
    wires = []
    for i in range(1, 31):
        parts += [(f"R{i}", "resistor", {"value": "220"}), (f"LED{i}", "led")]
        wires += [(f"U1:D{i + 21}", f"R{i}:1"), (f"R{i}:2", f"LED{i}:+"), (f"LED{i}:-", "U1:GND")]
    c = circuit("Thirty indicator LEDs", parts, wires)
    svg = render_svg(c, library)
    root = ET.fromstring(svg)
    height = float(root.get("viewBox").replace(",", " ").split()[3])
    assert height <= MAX_HEIGHT, f"{height:.0f} px tall"
    rep = lint_circuit(c, library, svg)
    assert rep.parts == 61 and rep.ok, [i.message for i in rep.issues][:5]
    # each branch is drawn (nothing folds): every resistor and LED is a part of its own in the SVG
    drawn = {g.get("data-part") for g in root.iter(SVG + "g") if g.get("data-part")}
    assert {f"R{i}" for i in range(1, 31)} | {f"LED{i}" for i in range(1, 31)} <= drawn


def _sources(library: Library) -> list[str]:
    out = []
    for key in library.keys():
        rec = library.get(key)
        kind, _ = symbol_roles(rec, [p.name for p in rec.pins], Part(id="X1", type=key))
        if kind == "battery":
            out.append(key)
    return out


def test_every_power_source_is_drawn_by_its_kind(library: Library):
    sources = _sources(library)
    assert len(sources) >= 10
    looks = {}
    for key in sources:
        rec = library.get(key)
        plus = next(p.name for p in rec.pins if p.type == "power_out")
        minus = next(p.name for p in rec.pins if p.type == "ground")
        c = circuit("Source", [("PS1", key), ("R1", "resistor", {"value": "1k"}), ("LED1", "led")],
                    [(f"PS1:{plus}", "R1:1"), ("R1:2", "LED1:+"), ("LED1:-", f"PS1:{minus}")])
        root = ET.fromstring(render_svg(c, library))
        looks[key] = next(g.get("data-source") for g in root.iter(SVG + "g") if g.get("data-part") == "PS1")
        cell = rec.safety.cell is not None or rec.ratings.capacity_ah is not None
        if rec.source_kind:
            assert looks[key] == rec.source_kind, (key, looks[key])
        # only a cell is drawn as a battery; a wall adapter, a jack, a USB port never is
        assert (looks[key] == "battery") == (rec.source_kind == "battery" or (cell and not rec.source_kind)), \
            (key, looks[key])
    assert {"battery", "adapter", "usb"} <= set(looks.values()), looks


def test_signal_flow_is_measured_on_the_drawing(library: Library):
    """Inputs (by their records: a button senses) left of the controller, outputs (an LED acts) right: the
    measure counts both on their side; the same drawing mirrored left-right counts neither."""
    from circuit.netlist import Netlist
    from circuit.schematic_lint import lint_svg
    from circuit.signal_flow import INPUT, OUTPUT, directions

    c = circuit("Blink an LED with a button on an Arduino Uno",
                [("U1", "arduino-uno"), ("R1", "resistor", {"value": "220"}), ("LED1", "led", {"color": "red"}),
                 ("SW1", "push-button")],
                [("U1:D13", "R1:1"), ("R1:2", "LED1:+"), ("LED1:-", "U1:GND"), ("SW1:1", "U1:D2"),
                 ("SW1:2", "U1:GND")])
    nl = Netlist(c, library)
    flow = directions(nl)
    assert flow == ("U1", {"LED1": OUTPUT, "SW1": INPUT})
    svg = render_svg(c, library)
    assert lint_svg(svg, nl.ground_nets, flow).measures["flow"] == [2, 2]
    root = ET.fromstring(svg)
    ET.register_namespace("", SVG[1:-1])
    mirror = ET.Element(SVG + "g", {"transform": "scale(-1, 1)"})
    for child in [ch for ch in root if ch.tag != SVG + "style"]:
        root.remove(child)
        mirror.append(child)
    root.append(mirror)
    assert lint_svg(ET.tostring(root, encoding="unicode"), nl.ground_nets, flow).measures["flow"] == [0, 2]
    # no controller, no direction: nothing to measure
    bare = circuit("LED on a battery", [("BT1", "battery-9v"), ("R1", "resistor"), ("LED1", "led")],
                   [("BT1:VCC", "R1:1"), ("R1:2", "LED1:+"), ("LED1:-", "BT1:GND")])
    assert lint_circuit(bare, library).measures["flow"] == [0, 0]


def test_a_switched_low_side_is_named_for_its_load_and_never_grounded(library: Library):
    """A motor on a MOSFET's drain and an active buzzer on a transistor's collector (their pins are plain
    + and -, not ground pins): each low side is named for its load, carries no ground symbol, and the
    drawing's pin tips say so; the true ground keeps its symbols."""
    from circuit.netlist import Netlist

    c = circuit(
        "fan and buzzer on transistors",
        [("U1", "arduino-uno"), ("PS1", "power-supply-12v"), ("M1", "dc-motor"), ("Q1", "irlz44n"),
         ("R1", "resistor", {"value": "220"}), ("D1", "1n4007"), ("BZ1", "active-buzzer"), ("Q2", "2n2222"),
         ("R2", "resistor", {"value": "1k"})],
        [("PS1:-", "U1:GND"), ("M1:+", "PS1:+"), ("M1:-", "Q1:D"), ("D1:A", "Q1:D"), ("D1:C", "PS1:+"),
         ("Q1:S", "U1:GND"), ("U1:D5", "R1:1"), ("R1:2", "Q1:G"),
         ("BZ1:+", "U1:5V"), ("BZ1:-", "Q2:C"), ("Q2:E", "U1:GND"), ("U1:D7", "R2:1"), ("R2:2", "Q2:B")],
    )
    nl = Netlist(c, library)
    assert nl.net_of("M1:-").name == "M1_LOW" and nl.net_of("BZ1:-").name == "BZ1_LOW"
    assert {"M1_LOW", "BZ1_LOW"}.isdisjoint(nl.ground_nets)
    svg = render_svg(c, library)
    root = ET.fromstring(svg)
    grounds = {g.get("data-net") for g in root.iter(SVG + "g") if "gnd" in (g.get("class") or "").split()}
    assert grounds == {"GND"}
    tips = {(t.get("data-pin"), t.get("data-net")) for t in root.iter(SVG + "circle")
            if "pin-tip" in (t.get("class") or "")}
    assert {("-", "M1_LOW"), ("D", "M1_LOW"), ("-", "BZ1_LOW"), ("C", "BZ1_LOW")} <= tips
    assert lint_circuit(c, library, svg).ok
