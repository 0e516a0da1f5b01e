"""SVG schematics: the drawing parses, shows every part and net, and its geometry is clean."""

from __future__ import annotations

import itertools
import time
import xml.etree.ElementTree as ET

import pytest

from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.render import layout, plan, render_svg
from circuit.render.geometry import GRID
from knowledge.library import Library
from knowledge.record import ComponentRecord
from tests.circuit_util import SVG, circuit


BLINK = circuit(
    "Blink an LED with a button on an Arduino Uno",
    [("U1", "arduino-uno"), ("R1", "resistor", {"value": "220"}), ("LED1", "led", {"color": "red"}),
     ("SW1", "push-button")],
    [("U1:D13", "R1:1"), ("R1:2", "LED1:+"), ("LED1:-", "U1:GND"), ("SW1:1", "U1:D2"), ("SW1:2", "U1:GND")],
)

DRIVERS = circuit(
    "Transistor drivers",
    [("U1", "arduino-uno"), ("R1", "resistor", {"value": "1k"}), ("Q1", "2n2222"),
     ("R2", "resistor", {"value": "150"}), ("LED1", "led-green"), ("R3", "resistor", {"value": "10k"}),
     ("Q2", "irlz44n"), ("R4", "resistor", {"value": "100"}), ("D1", "1n4007"),
     ("R5", "resistor", {"value": "470"}), ("Z1", "zener-3v3"), ("Q3", "2n3906"), ("R6", "resistor", {"value": "4k7"})],
    [("U1:D9", "R1:1"), ("R1:2", "Q1:B"), ("Q1:E", "U1:GND"), ("Q1:C", "LED1:-"), ("LED1:+", "R2:2"),
     ("R2:1", "U1:5V"), ("U1:D3", "R4:1"), ("R4:2", "Q2:G"), ("Q2:G", "R3:1"), ("R3:2", "U1:GND"),
     ("Q2:S", "U1:GND"), ("Q2:D", "D1:A"), ("D1:C", "U1:5V"), ("U1:5V", "R5:1"), ("R5:2", "Z1:C"),
     ("Z1:A", "U1:GND"), ("R5:2", "U1:A0"), ("U1:D7", "R6:1"), ("R6:2", "Q3:B"), ("Q3:E", "U1:5V")],
)

ESP32_BUZZER = circuit(
    "ESP32: button, LED and buzzer",
    [("U1", "esp32-devkit-v1"), ("SW1", "push-button"), ("R1", "resistor", {"value": "330"}), ("LED1", "led-red"),
     ("BZ1", "buzzer")],
    [("SW1:1", "U1:D4"), ("SW1:2", "U1:GND"), ("U1:D2", "R1:1"), ("R1:2", "LED1:+"), ("LED1:-", "U1:GND"),
     ("U1:D5", "BZ1:VCC"), ("BZ1:GND", "U1:GND")],
)

OLED_DHT = circuit(
    "Uno with an I2C OLED and a DHT22",
    [("U1", "arduino-uno"), ("U2", "ssd1306"), ("U3", "dht22"), ("R1", "resistor", {"value": "10k"})],
    [("U2:SDA", "U1:A4"), ("U2:SCL", "U1:A5"), ("U2:VCC", "U1:5V"), ("U2:GND", "U1:GND"), ("U3:VCC", "U1:5V"),
     ("U3:GND", "U1:GND"), ("U3:DATA", "U1:D2"), ("R1:1", "U1:5V"), ("R1:2", "U3:DATA")],
)

COIL_DRIVER = circuit(
    "Relay coil driven by an NPN transistor, relay module for a motor",
    [("U1", "arduino-uno"), ("R1", "resistor", {"value": "1k"}), ("Q1", "2n2222"), ("K1", "solenoid"),
     ("D1", "1n4007"), ("PS1", "power-supply-12v"), ("K2", "relay-module"), ("M1", "dc-motor")],
    [("U1:D7", "R1:1"), ("R1:2", "Q1:B"), ("Q1:E", "U1:GND"), ("Q1:C", "K1:-"), ("K1:+", "PS1:+"),
     ("D1:A", "K1:-"), ("D1:C", "PS1:+"), ("PS1:-", "U1:GND"),
     ("K2:IN", "U1:D8"), ("K2:VCC", "U1:5V"), ("K2:GND", "U1:GND"), ("K2:COM", "PS1:+"), ("K2:NO", "M1:+"),
     ("M1:-", "PS1:-")],
)

FILTERS = circuit(
    "Divider, RC and LC filters, potentiometer",
    [("U1", "arduino-uno"), ("BT1", "battery-9v"), ("R1", "resistor", {"value": "20k"}), ("R2", "resistor", {"value": "10k"}),
     ("R3", "resistor", {"value": "10k"}), ("C1", "capacitor", {"value": "1uF"}), ("L1", "inductor", {"value": "100uH"}),
     ("C2", "capacitor", {"value": "10uF"}), ("RV1", "potentiometer")],
    [("BT1:VCC", "R1:1"), ("R1:2", "R2:1"), ("R2:2", "BT1:GND"), ("R1:2", "U1:A0"), ("BT1:GND", "U1:GND"),
     ("U1:D9", "R3:1"), ("R3:2", "C1:+"), ("C1:-", "U1:GND"), ("R3:2", "U1:A1"),
     ("U1:D3", "L1:1"), ("L1:2", "C2:+"), ("C2:-", "U1:GND"),
     ("RV1:VCC", "U1:5V"), ("RV1:GND", "U1:GND"), ("RV1:OUT", "U1:A2")],
)

MOTOR_DRIVER = circuit(
    "Two DC motors with an L298N",
    [("U1", "arduino-uno"), ("U2", "l298n"), ("M1", "dc-motor"), ("M2", "dc-motor"), ("PS1", "power-supply-12v")],
    [("U2:IN1", "U1:D8"), ("U2:IN2", "U1:D9"), ("U2:IN3", "U1:D10"), ("U2:IN4", "U1:D11"), ("U2:ENA", "U1:D5"),
     ("U2:ENB", "U1:D6"), ("U2:OUT1", "M1:+"), ("U2:OUT2", "M1:-"), ("U2:OUT3", "M2:+"), ("U2:OUT4", "M2:-"),
     ("U2:12V", "PS1:+"), ("U2:GND", "PS1:-"), ("U2:GND", "U1:GND")],
)

DESIGNS = [BLINK, DRIVERS, ESP32_BUZZER, OLED_DHT, COIL_DRIVER, FILTERS, MOTOR_DRIVER]
_PLANS: dict = {}


def planned(design: Circuit, library: Library):
    """(plan, svg) of a design, made once per test session."""
    if design.title not in _PLANS:
        _PLANS[design.title] = (plan(design, library), render_svg(design, library))
    return _PLANS[design.title]


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(SVG + "text")]


@pytest.mark.parametrize("design", DESIGNS, ids=lambda c: c.title)
def test_svg_parses_and_shows_every_part_and_net(design: Circuit, library: Library):
    root = parsed(planned(design, library)[1])
    parts = {g.get("data-part") for g in root.iter(SVG + "g") if g.get("data-part")}
    assert parts == {p.id for p in design.parts}
    shown = texts(root)
    for p in design.parts:
        assert p.id in shown, f"{p.id} has no visible label"
    nets_drawn = {g.get("data-net") for g in root.iter(SVG + "g") if g.get("data-net")}
    for net in Netlist(design, library).nets:
        assert net.name in nets_drawn, f"net {net.name} is not drawn"
    titles = ["".join(t.itertext()) for t in root.iter(SVG + "text") if t.get("class") == "title"]
    assert " ".join(titles) == design.title   # wrapped into lines that fit the drawing


def test_values_printed_in_engineering_notation(library: Library):
    shown = texts(parsed(planned(DRIVERS, library)[1])) + texts(parsed(planned(FILTERS, library)[1]))
    for v in ("1 kΩ", "150 Ω", "10 kΩ", "4.7 kΩ", "1 µF", "100 µH", "20 kΩ"):
        assert v in shown


@pytest.mark.parametrize("design", DESIGNS, ids=lambda c: c.title)
def test_no_two_parts_overlap_and_pins_sit_on_the_grid(design: Circuit, library: Library):
    p = planned(design, library)[0]
    boxes = {pid: pl.footprint() for pid, pl in p.placed.items()}
    assert set(boxes) == {p.id for p in design.parts}
    for (a, ba), (b, bb) in itertools.combinations(boxes.items(), 2):
        assert not ba.overlaps(bb), f"{a} {ba} overlaps {b} {bb}"
    for pid, pl in p.placed.items():
        for name in pl.shape.pins:
            x, y = pl.tip(name)
            assert x % GRID == 0 and y % GRID == 0, f"{pid}:{name} is off the grid at {x},{y}"
            assert boxes[pid].contains(x, y)


@pytest.mark.parametrize("design", DESIGNS, ids=lambda c: c.title)
def test_wires_connect_every_pin_and_never_run_together(design: Circuit, library: Library):
    p = planned(design, library)[0]
    nl = p.netlist
    routed = {r.name: r for r in p.routes}
    for net in nl.nets:
        if p.kinds[net.name] != "signal":
            continue
        r = routed[net.name]
        tips = {(int(p.placed[e.split(':')[0]].tip(e.split(':')[1])[0] // GRID),
                 int(p.placed[e.split(':')[0]].tip(e.split(':')[1])[1] // GRID)) for e in net.pins}
        assert tips == r.tips
        if r.labelled:
            continue  # drawn with net labels instead of a wire
        adj: dict = {}
        for a, b in r.edges:
            adj.setdefault(a, set()).add(b)
            adj.setdefault(b, set()).add(a)
        start = next(iter(tips))
        seen, todo = {start}, [start]
        while todo:
            for n in adj.get(todo.pop(), ()):
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        assert tips <= seen, f"net {net.name} is drawn in pieces"
    # two nets never share a wire segment or a bend (that would look like one net)
    for r1, r2 in itertools.combinations(p.routes, 2):
        assert not (r1.edges & r2.edges), f"{r1.name} and {r2.name} run along each other"
        assert not (set(r1.junctions()) & r2.cells())


@pytest.mark.parametrize("design", DESIGNS, ids=lambda c: c.title)
def test_typical_designs_are_wired_not_labelled(design: Circuit, library: Library):
    """Net labels are the fallback when no wire fits; a beginner's design should need none."""
    p = planned(design, library)[0]
    assert [r.name for r in p.routes if r.labelled] == []


def test_a_board_and_a_driver_line_up_pin_for_pin(library: Library):
    """Six wires from the Uno to the L298N run straight across, in the driver's pin order."""
    p = planned(MOTOR_DRIVER, library)[0]
    uno, drv = p.placed["U1"], p.placed["U2"]
    for a, b in (("D8", "IN1"), ("D9", "IN2"), ("D10", "IN3"), ("D11", "IN4"), ("D5", "ENA"), ("D6", "ENB")):
        assert uno.tip(a)[1] == drv.tip(b)[1], (a, b)
    r = next(r for r in p.routes if p.netlist.net(r.name).pins[0] in ("U2:IN1", "U1:D8"))
    assert len(r.segments()) == 1   # one straight segment, no bends


@pytest.mark.parametrize("design", DESIGNS, ids=lambda c: c.title)
def test_wires_do_not_cross_parts_they_do_not_connect_to(design: Circuit, library: Library):
    p = planned(design, library)[0]
    for r in p.routes:
        net = p.netlist.net(r.name)
        on_net = {e.split(":")[0] for e in net.pins}
        for (x0, y0), (x1, y1) in r.segments():
            seg = (min(x0, x1) * GRID, min(y0, y1) * GRID, max(x0, x1) * GRID, max(y0, y1) * GRID)
            for pid, pl in p.placed.items():
                if pid in on_net:
                    continue
                body = pl.shape.extent.moved(pl.x, pl.y)
                inside = seg[0] < body.right and seg[2] > body.x and seg[1] < body.bottom and seg[3] > body.y
                assert not inside, f"wire of {r.name} runs through {pid}"


def test_power_nets_are_symbols_not_wires(library: Library):
    root = parsed(planned(DRIVERS, library)[1])
    gnd_ports = [g for g in root.iter(SVG + "g") if g.get("data-net") == "GND" and "gnd" in (g.get("class") or "")]
    # one ground symbol per ground pin: U1 GND, Q1 E, R3, Q2 S, Z1 A
    assert len(gnd_ports) == 5
    rails = [g for g in root.iter(SVG + "g") if g.get("data-net") == "5V" and "rail" in (g.get("class") or "")]
    assert len(rails) == 5   # U1 5V, R2, D1 cathode, R5, Q3 emitter
    assert all("5V" in "".join(g.itertext()) for g in rails)
    wired = {g.get("data-net") for g in root.iter(SVG + "g") if (g.get("class") or "") == "net"}
    assert "GND" not in wired and "5V" not in wired


def _kinds(svg: str) -> dict[str, str]:
    root = parsed(svg)
    return {g.get("data-part"): (g.get("class") or "").split()[1] for g in root.iter(SVG + "g") if g.get("data-part")}


def test_symbols_follow_the_record(library: Library):
    kind = _kinds(planned(DRIVERS, library)[1])
    assert kind["U1"] == "block"
    assert kind["R1"] == "resistor" and kind["LED1"] == "led" and kind["D1"] == "diode" and kind["Z1"] == "zener"
    assert kind["Q1"] == "npn" and kind["Q3"] == "pnp" and kind["Q2"] == "nmos"
    kind = _kinds(planned(FILTERS, library)[1])
    assert kind["BT1"] == "battery" and kind["RV1"] == "potentiometer" and kind["L1"] == "inductor"
    assert kind["C1"].startswith("capacitor")
    kind = _kinds(planned(COIL_DRIVER, library)[1])
    assert kind["K1"] == "coil" and kind["M1"] == "load" and kind["K2"] == "block" and kind["PS1"] == "battery"
    kind = _kinds(planned(ESP32_BUZZER, library)[1])
    assert kind["SW1"] == "switch" and kind["BZ1"] == "block" and kind["U1"] == "block"


def test_block_pins_sit_on_the_sides_their_types_say(library: Library):
    p = planned(OLED_DHT, library)[0]
    oled = p.placed["U2"].shape
    assert "VCC" in oled.sides["top"] and "GND" in oled.sides["bottom"]
    # wired signal pins face the board they connect to
    u1 = p.placed["U1"].footprint()
    side = "left" if p.placed["U2"].footprint().cx > u1.cx else "right"
    assert {"SDA", "SCL"} <= set(oled.sides[side])
    # an unconnected board pin is not drawn on a big board; the note says how many are hidden
    uno = p.placed["U1"].shape
    assert "D13" not in uno.pins and uno.hidden_pins > 0


def test_a_new_record_draws_from_its_spice_kind(library: Library):
    """A part key nobody has seen: the symbol comes from spice.kind and pin functions, not the key."""
    rec = ComponentRecord.model_validate({
        "key": "zz-custom-fet", "name": "Custom FET", "category": "semiconductor", "designator": "Q",
        "description": "test part", "source": "test record",
        "spice": {"kind": "pmos", "terminals": ["DR", "GT", "SR"]},
        "pins": [{"name": "GT", "type": "passive", "functions": ["gate"]},
                 {"name": "DR", "type": "passive", "functions": ["drain"]},
                 {"name": "SR", "type": "passive", "functions": ["source"]}],
    })
    lib = Library(list(library) + [rec])
    c = circuit("custom", [("U1", "arduino-uno"), ("Q9", "zz-custom-fet")],
                [("U1:D5", "Q9:GT"), ("Q9:SR", "U1:5V"), ("Q9:DR", "U1:GND")])
    p = plan(c, lib)
    sh = p.placed["Q9"].shape
    assert sh.kind == "pmos"
    # source on top, drain at the bottom, as a high-side P-MOSFET is drawn
    assert sh.pins["SR"].y < sh.pins["DR"].y


def test_unknown_part_type_still_draws_as_a_block(library: Library):
    c = circuit("mystery", [("U1", "arduino-uno"), ("X1", "no-such-part")], [("U1:D4", "X1:SIG"), ("X1:GND", "U1:GND")])
    root = parsed(render_svg(c, library))
    assert "X1" in texts(root)
    assert any("no-such-part" in t for t in texts(root))


def test_empty_circuit_renders(library: Library):
    root = parsed(render_svg(Circuit(title="Nothing yet"), library))
    assert "Nothing yet" in texts(root)


HOSTILE = '<script>alert(1)</script>" onload="alert(2)'


def test_layout_matches_the_drawing(library: Library):
    """``layout`` is the geometry the SVG is drawn from: each part group sits at its footprint."""
    boxes = layout(BLINK, library)
    root = parsed(render_svg(BLINK, library))
    for g in root.iter(SVG + "g"):
        pid = g.get("data-part")
        if pid:
            x, y = (float(v) for v in g.get("transform")[len("translate("):-1].split(","))
            assert boxes[pid].contains(x, y)


def test_user_text_is_escaped(library: Library):
    c = circuit(HOSTILE + "\x01\x08",
                [("U1", "arduino-uno"), (HOSTILE, "resistor", {"value": HOSTILE}),
                 ("LED1", "led", {"color": '"/><script>x</script>'}), ("X1", HOSTILE)],
                [("U1:D13", f"{HOSTILE}:1"), (f"{HOSTILE}:2", "LED1:+"), ("LED1:-", "U1:GND"),
                 ("X1:<b>", "U1:D4")])
    svg = render_svg(c, library)
    assert "<script" not in svg
    root = parsed(svg)   # control characters were dropped, so the document still parses
    for el in root.iter():
        assert not el.tag.endswith("script")
        assert not any(a.lower().startswith("on") for a in el.attrib), el.attrib
    parts = {g.get("data-part") for g in root.iter(SVG + "g") if g.get("data-part")}
    assert HOSTILE in parts   # the id survives intact as data, escaped in the markup
    assert any(HOSTILE[:40] in t for t in texts(root))


def test_a_busy_design_renders_quickly(library: Library):
    parts = [("U1", "arduino-uno")]
    wires = []
    for i, pin in enumerate(["D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10", "D11", "D12", "D13"], 1):
        parts += [(f"R{i}", "resistor", {"value": "330"}), (f"LED{i}", "led")]
        wires += [(f"U1:{pin}", f"R{i}:1"), (f"R{i}:2", f"LED{i}:+"), (f"LED{i}:-", "U1:GND")]
    c = circuit("Twelve LEDs", parts, wires)
    t = time.perf_counter()
    boxes = layout(c, library)
    svg = render_svg(c, library)
    assert time.perf_counter() - t < 10
    parsed(svg)
    for (a, ba), (b, bb) in itertools.combinations(boxes.items(), 2):
        assert not ba.overlaps(bb), f"{a} overlaps {b}"
