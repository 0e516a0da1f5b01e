"""The schematic sheet: plan the drawing (place, route) and write it as SVG.

Signal nets are wires; ground nets get a ground symbol at each pin and supply nets a rail
label (5V, 3V3) at each pin, the way hand-drawn schematics stay readable. Every part is a
``<g class="part" data-part="ID">`` and every net a ``<g data-net="NAME">`` with a tooltip,
so tools and tests can find them. All user text goes through svgwrite, which escapes it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import svgwrite

from circuit.hazard import HazardMap
from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.render import symbols
from circuit.render.geometry import DOWN, GRID, LEFT, RIGHT, UP, Box, clean_text, text_width
from circuit.render.place import Placed, Placer
from circuit.render.route import Cell, NetRoute, Router
from knowledge.library import Library

PAD = 2 * GRID
TITLE_H = 4 * GRID
WIRE = "#1f4e9c"
RAIL = "#b3261e"
CSS = """
text { font-family: 'DejaVu Sans', Arial, Helvetica, sans-serif; fill: #111; }
.title { font-size: 16px; font-weight: bold; }
.pid { font-size: 11px; font-weight: bold; }
.val { font-size: 11px; fill: #333; }
.name { font-size: 9.5px; fill: #333; }
.pin { font-size: 9px; fill: #222; }
.note { font-size: 8.5px; fill: #777; font-style: italic; }
.rail { font-size: 10px; font-weight: bold; fill: #b3261e; }
.netlabel { font-size: 9.5px; font-weight: bold; fill: #1f4e9c; }
.letter { font-size: 12px; font-weight: bold; }
.hazard { font-size: 11px; font-weight: bold; fill: #b3261e; }
"""
HAZARD = "#d32f2f"


@dataclass
class Plan:
    title: str
    netlist: Netlist
    placed: dict[str, Placed]
    kinds: dict[str, str]
    routes: list[NetRoute] = field(default_factory=list)
    bounds: Box = field(default_factory=lambda: Box(0, 0, 0, 0))
    hazard: list[tuple[str, Box]] = field(default_factory=list)  # (part id, dashed boundary) on the hazardous side
    hazard_label: tuple[str, float, float] | None = None           # text and where it sits
    hazard_nets: set[str] = field(default_factory=set)


def _cell(p: tuple[float, float]) -> Cell:
    return (int(round(p[0] / GRID)), int(round(p[1] / GRID)))


def make_plan(circuit: Circuit, library: Library) -> Plan:
    netlist = Netlist(circuit, library)
    placer = Placer(netlist)
    placed = placer.run()
    plan = Plan(clean_text(circuit.title or "Untitled circuit", 90), netlist, placed, placer.kinds)
    hm = HazardMap(circuit, library, netlist)
    only, straddle = _hazard_sides(hm, netlist)
    _move_aside(placed, only)
    fps = {pid: pl.footprint() for pid, pl in placed.items()}
    content = None
    for b in fps.values():
        content = b if content is None else content.union(b)
    content = content or Box(0, 0, 20 * GRID, 10 * GRID)

    # pins of signal nets: tip, direction, own footprint; their straight exits are reserved
    nets: list[tuple[str, list[tuple[Cell, tuple[int, int], Box]]]] = []
    reserved: dict[Cell, str] = {}
    for net, eps in placer.signal.items():
        pins = []
        for pid, pin in eps:
            pl = placed.get(pid)
            if pl is None or pin not in pl.shape.pins:
                continue
            tip, d, fp = _cell(pl.tip(pin)), pl.shape.pins[pin].dir, fps[pid]
            pins.append((tip, d, fp))
            c = tip
            while Router._inside(c, fp):
                c = (c[0] + d[0], c[1] + d[1])
            reserved.setdefault(c, net)
        if len(pins) >= 2:
            nets.append((net, pins))

    def spread(item):
        cells = [p[0] for p in item[1]]
        return (max(c[0] for c in cells) - min(c[0] for c in cells) + max(c[1] for c in cells) - min(c[1] for c in cells))

    def route_all(order):
        router = Router(list(fps.values()), content, reserved)
        return [router.route_net(net, pins) for net, pins in order]

    order = sorted(nets, key=spread, reverse=True)
    plan.routes = route_all(order)
    failed = {r.name for r in plan.routes if r.labelled}
    if failed:
        # rip up and retry once with the nets that found no way through routed first
        retry = route_all([n for n in order if n[0] in failed] + [n for n in order if n[0] not in failed])
        if sum(1 for r in retry if r.labelled) < len(failed):
            plan.routes = retry
    for r in plan.routes:
        cells = r.cells()
        if cells:
            pts = [(c[0] * GRID, c[1] * GRID) for c in cells]
            content = content.union(Box.around(pts, GRID))
        for c, d in r.labelled:
            w = text_width(r.name, 9.5) + 24
            x, y = c[0] * GRID, c[1] * GRID
            content = content.union(Box(x - w, y - 10, 2 * w, 20))
    content = _mark_hazard(plan, hm, only, straddle, fps, content)
    title_w = text_width(plan.title, 16) + 2 * PAD
    x0, y0 = math.floor(content.x - PAD), math.floor(content.y - PAD - TITLE_H)
    plan.bounds = Box(x0, y0, math.ceil(max(content.right + PAD, x0 + title_w) - x0),
                      math.ceil(content.bottom + PAD - y0))
    return plan


def _hazard_sides(hm: HazardMap, netlist: Netlist) -> tuple[set[str], set[str]]:
    """(parts wholly on the hazardous side, parts straddling a barrier: a relay, an isolated supply)."""
    hz = set(hm.hazardous_pins)
    only, straddle = set(), set()
    for pid in hm.hazardous_parts:
        wired = [ep for ep in netlist.part_pins(pid) if netlist.net_of(ep) is not None]
        (only if all(ep in hz for ep in wired) else straddle).add(pid)
    return only, straddle


def _move_aside(placed: dict[str, Placed], only: set[str]) -> None:
    """The parts wholly on the hazardous side move, as placed, to the right of everything else, so one
    boundary can hold them."""
    rest = [pl.footprint() for pid, pl in placed.items() if pid not in only]
    group = [placed[pid].footprint() for pid in only if pid in placed]
    if not rest or not group:
        return
    dx = max(b.right for b in rest) + 4 * GRID - min(b.x for b in group)
    if dx <= 0:
        return
    dx = math.ceil(dx / GRID) * GRID
    for pid in only:
        if pid in placed:
            placed[pid].x += dx


def _mark_hazard(plan: Plan, hm: HazardMap, only: set[str], straddle: set[str], fps: dict[str, Box],
                 content: Box) -> Box:
    """The hazardous side (circuit/hazard.py): one dashed boundary round the parts wholly on it, a dashed
    box round each part that straddles a barrier, and a label."""
    what = hm.headline()
    if what is None:
        return content
    plan.hazard_nets = {n.name for n in plan.netlist.nets if hm.net_class(n.name).hazardous}
    boxes = [fps[pid] for pid in only if pid in fps]
    if boxes:
        side = boxes[0]
        for bx in boxes[1:]:
            side = side.union(bx)
        plan.hazard.append(("hazardous side", side.grown(8)))
    plan.hazard += [(pid, fps[pid].grown(6)) for pid in sorted(straddle) if pid in fps]
    if not plan.hazard:
        return content
    top = plan.hazard[0][1]
    text = f"DANGER {what}: hazardous side (dashed)"
    plan.hazard_label = (text, top.x, top.y - 6)
    for _, box in plan.hazard:
        content = content.union(box)
    return content.union(Box(top.x, top.y - 20, text_width(text, 11) + 4, 20))


# ---- drawing ---------------------------------------------------------------------------
def _port_gnd(dwg, parent, net: str, x: float, y: float, d: tuple[int, int]) -> None:
    deg = {DOWN: 0, LEFT: 90, UP: 180, RIGHT: 270}[d]
    g = dwg.g(class_="port gnd", transform=f"translate({x:g},{y:g}) rotate({deg})")
    g.attribs["data-net"] = net
    g.set_desc(title=f"{net} (ground)")
    symbols.ground(dwg, g)
    parent.add(g)


def _port_rail(dwg, parent, net: str, x: float, y: float, d: tuple[int, int], css: str = "rail",
               colour: str = RAIL) -> None:
    g = dwg.g(class_=f"port {css}")
    g.attribs["data-net"] = net
    g.set_desc(title=f"{net} (supply rail)" if css == "rail" else f"net {net}")
    ex, ey = x + d[0] * 12, y + d[1] * 12
    g.add(dwg.line((x, y), (ex, ey), stroke=colour, stroke_width=1.6))
    if d in (UP, DOWN):
        g.add(dwg.line((ex - 7, ey), (ex + 7, ey), stroke=colour, stroke_width=2))
        ty = ey - 4 if d == UP else ey + 13
        g.add(dwg.text(net, insert=(ex, ty), text_anchor="middle", class_=css))
    else:
        g.add(dwg.line((ex, ey - 6), (ex, ey + 6), stroke=colour, stroke_width=2))
        tx = ex + 4 if d == RIGHT else ex - 4
        g.add(dwg.text(net, insert=(tx, ey + 3.5), text_anchor="start" if d == RIGHT else "end", class_=css))
    parent.add(g)


def _draw_part(dwg, parent, pl: Placed) -> None:
    sh = pl.shape
    part = pl.info.part
    g = dwg.g(class_=f"part {sh.kind}", transform=f"translate({pl.x:g},{pl.y:g})")
    g.attribs["data-part"] = clean_text(part.id, 64)
    g.attribs["data-type"] = clean_text(part.type, 64)
    g.set_desc(title=clean_text(f"{part.id}: {sh.title}" + (f", {sh.value}" if sh.value else ""), 120))
    if sh.kind == "block":
        body = sh.body
        g.add(dwg.rect((body.x, body.y), (body.w, body.h), rx=3, fill="#f6f6ef", stroke=symbols.INK,
                       stroke_width=1.6))
        for t in sh.pins.values():
            bx = 0 if t.dir == LEFT else body.w if t.dir == RIGHT else t.x
            by = 0 if t.dir == UP else body.h if t.dir == DOWN else t.y
            g.add(dwg.line((bx, by), (t.x, t.y), stroke=symbols.INK, stroke_width=1.4))
    else:
        tf = (f"rotate({sh.rot})" if sh.rot else "") + (" scale(-1,1)" if sh.mirror else "")
        sym = dwg.g(transform=tf.strip()) if tf else dwg.g()
        symbols.DRAW[sh.kind](dwg, sym, sh)
        g.add(sym)
        if sh.kind == "load":
            letter = clean_text((pl.info.rec.designator if pl.info.rec else "M")[:2], 2)
            g.add(dwg.text(letter, insert=(0, 4.5), text_anchor="middle", class_="letter"))
    for lb in sh.labels:
        g.add(dwg.text(lb.text, insert=(round(lb.x, 1), round(lb.y, 1)), text_anchor=lb.anchor, class_=lb.css))
    for pin, (kind, net) in pl.ports.items():
        t = sh.pins.get(pin)
        if t is None:
            continue
        if kind == "gnd":
            _port_gnd(dwg, g, net, t.x, t.y, t.dir)
        else:
            _port_rail(dwg, g, net, t.x, t.y, t.dir)
    parent.add(g)


def _draw_route(dwg, parent, r: NetRoute, netlist: Netlist, hazardous: bool = False) -> None:
    colour = HAZARD if hazardous else WIRE
    g = dwg.g(class_="net hazard-net" if hazardous else "net")
    g.attribs["data-net"] = r.name
    net = netlist.net(r.name)
    pins = ", ".join(net.pins) if net else ""
    g.set_desc(title=clean_text(f"net {r.name}: {pins}", 300))
    for a, b in r.segments():
        g.add(dwg.line((a[0] * GRID, a[1] * GRID), (b[0] * GRID, b[1] * GRID), stroke=colour, stroke_width=1.6,
                       stroke_linecap="round"))
    for c in r.junctions():
        g.add(dwg.circle(center=(c[0] * GRID, c[1] * GRID), r=3.2, fill=colour, stroke="none"))
    for c, d in r.labelled:
        _port_rail(dwg, g, r.name, c[0] * GRID, c[1] * GRID, d, css="netlabel", colour=WIRE)
    parent.add(g)


def draw(plan: Plan) -> str:
    b = plan.bounds
    dwg = svgwrite.Drawing(size=(f"{b.w:g}px", f"{b.h:g}px"), profile="full", debug=False)
    dwg.viewbox(b.x, b.y, b.w, b.h)
    dwg.defs.add(dwg.style(CSS))
    dwg.add(dwg.rect((b.x, b.y), (b.w, b.h), fill="#ffffff"))
    dwg.add(dwg.text(plan.title, insert=(b.x + PAD, b.y + PAD + 12), class_="title"))
    wires = dwg.g(class_="wires")
    for r in plan.routes:
        _draw_route(dwg, wires, r, plan.netlist, r.name in plan.hazard_nets)
    parts = dwg.g(class_="parts")
    for pl in plan.placed.values():
        _draw_part(dwg, parts, pl)
    dwg.add(wires)
    dwg.add(parts)
    if plan.hazard:
        zone = dwg.g(class_="hazard-zone")
        zone.set_desc(title=clean_text(plan.hazard_label[0] if plan.hazard_label else "hazardous side", 200))
        for pid, box in plan.hazard:
            r = dwg.rect((box.x, box.y), (box.w, box.h), rx=4, fill="none", stroke=HAZARD, stroke_width=1.6,
                         stroke_dasharray="6,4")
            r.attribs["data-part"] = clean_text(pid, 64)
            zone.add(r)
        if plan.hazard_label:
            text, x, y = plan.hazard_label
            zone.add(dwg.text("\u26a0 " + clean_text(text, 160), insert=(x, y), class_="hazard"))
        dwg.add(zone)
    return dwg.tostring()


__all__ = ["Plan", "make_plan", "draw"]
