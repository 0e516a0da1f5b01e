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
from circuit.render.arrays import Array
from circuit.render.geometry import DOWN, GRID, LEFT, RIGHT, UP, Box, clean_text, text_width
from circuit.render.place import MARGIN, Placed, Placer
from circuit.render.route import Cell, NetRoute, Router
from knowledge.library import Library

PAD = 2 * GRID
TITLE_H = 4 * GRID
TITLE_LINE = 20          # px between wrapped title lines
TITLE_SIZE = 16 * 1.12   # bold 16 px text runs about 10 % wider than the regular metric
TITLE_LINES = 6
MIN_TITLE_W = 480        # px: a small drawing still gives its title this much room
FLOW_TALL = 1800.0       # px: a placement taller than this is tried again with the board's sides balanced
CUT_ROUNDS = 3           # placement/routing rounds that open room for nets no wire could reach
CUT_WIDTH = 3 * GRID
DETOUR = 2               # a wire longer than this many times its pins' spanning length ...
DETOUR_SLACK = 10        # ... plus this many grid steps went the long way round
FAR_LABEL = 4            # on a crowded sheet a label may go this many times LABEL_REACH out
LABEL_REACH = 10         # grid steps a net label may move out along its pin to find a clear spot
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
HAZARD_SIGN = "\u26a0 "


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
    title_lines: list[str] = field(default_factory=list)
    arrays: dict[str, Array] = field(default_factory=dict)   # drawn part -> the array it stands for
    serves: dict[str, tuple[str, str]] = field(default_factory=dict)   # companion -> (part, pin) it serves


def _cell(p: tuple[float, float]) -> Cell:
    return (int(round(p[0] / GRID)), int(round(p[1] / GRID)))


def make_plan(circuit: Circuit, library: Library) -> Plan:
    netlist = Netlist(circuit, library)
    placer = Placer(netlist)
    placed = placer.run()
    if _height(placed) > FLOW_TALL:
        # keeping inputs left and outputs right made it tall: balance the board's sides by pin count instead
        alt = Placer(netlist, side_min=0)
        alt_placed = alt.run()
        if _height(alt_placed) < _height(placed):
            placer, placed = alt, alt_placed
    plan = Plan(clean_text(circuit.title or "Untitled circuit", 300), netlist, placed, placer.kinds,
                arrays=placer.arrays, serves=placer.serves)
    hm = HazardMap(circuit, library, netlist)
    only, straddle = _hazard_sides(hm, netlist)
    _move_aside(placed, only)
    # a net the router could not wire gets room: the parts beyond its pin move away (a cut through the
    # sheet, so every straight wire stays straight), and all nets are routed again
    fps, content, plan.routes = _route(placer, placed)
    labels, crowded = _place_labels(plan.routes, fps)
    for _ in range(CUT_ROUNDS):
        failed = [r for r in plan.routes if r.labelled]
        if not failed:
            break
        before = {pid: (pl.x, pl.y) for pid, pl in placed.items()}
        if not _make_room(placed, failed):
            break
        trial = _route(placer, placed)
        trial_labels = _place_labels(trial[2], trial[0])
        # better: fewer nets without a wire, or as many but their labels now find clear spots
        if (sum(1 for r in trial[2] if r.labelled), trial_labels[1]) >= (len(failed), crowded):
            for pid, (x, y) in before.items():   # no better: keep the tighter drawing
                placed[pid].x, placed[pid].y = x, y
            break
        fps, content, plan.routes = trial
        labels, crowded = trial_labels
    for r in plan.routes:
        cells = r.cells()
        if cells:
            pts = [(c[0] * GRID, c[1] * GRID) for c in cells]
            content = content.union(Box.around(pts, GRID))
    for box in labels:
        content = content.union(box)
    content = _mark_hazard(plan, hm, only, straddle, fps, content)
    width = max(content.w + 2 * PAD, MIN_TITLE_W)
    plan.title_lines = _wrap_title(plan.title, width - 2 * PAD)
    title_h = TITLE_H + (len(plan.title_lines) - 1) * TITLE_LINE
    x0, y0 = math.floor(content.x - PAD), math.floor(content.y - PAD - title_h)
    plan.bounds = Box(x0, y0, math.ceil(max(content.right + PAD, x0 + width) - x0),
                      math.ceil(content.bottom + PAD - y0))
    return plan


def _height(placed: dict[str, Placed]) -> float:
    boxes = [pl.footprint() for pl in placed.values()]
    return max(b.bottom for b in boxes) - min(b.y for b in boxes) if boxes else 0.0


def _route(placer: Placer, placed: dict[str, Placed]) -> tuple[dict[str, Box], Box, list[NetRoute]]:
    """Route every signal net over the placement: (footprints, content box, routes)."""
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
    spans = {net: _span([p[0] for p in pins]) for net, pins in nets}
    routes = route_all(order)
    failed = {r.name for r in routes if r.labelled}
    detoured = {r.name for r in routes if _detour(r, spans[r.name]) > 0}
    if failed or detoured:
        # rip up and retry once with the nets that found no way through, then those that went the long
        # way round (round a board, through a gap far off), routed first
        first = [n for n in order if n[0] in failed] + [n for n in order if n[0] in detoured - failed]
        retry = route_all(first + [n for n in order if n[0] not in failed | detoured])
        if _route_cost(retry, spans) < _route_cost(routes, spans):
            routes = retry
        if any(_detour(r, spans[r.name]) for r in routes):
            # still the long way round: the short nets first leave the long ones the outer tracks
            retry = route_all(sorted(nets, key=spread))
            if _route_cost(retry, spans) < _route_cost(routes, spans):
                routes = retry
    return fps, content, routes


def _span(cells: list[Cell]) -> int:
    """Length (grid steps) of the rectilinear spanning tree over ``cells``: about what a tidy wire takes."""
    if len(cells) < 2:
        return 0
    best = {c: abs(c[0] - cells[0][0]) + abs(c[1] - cells[0][1]) for c in cells[1:]}
    total = 0
    while best:
        j = min(best, key=best.get)
        total += best.pop(j)
        for c in best:
            best[c] = min(best[c], abs(c[0] - j[0]) + abs(c[1] - j[1]))
    return total


def _detour(r: NetRoute, span: int) -> int:
    """Grid steps a net's wire runs past DETOUR times its spanning length (plus a pin's way out)."""
    return max(0, len(r.edges) - DETOUR * span - DETOUR_SLACK) if not r.labelled else 0


def _route_cost(routes: list[NetRoute], spans: dict[str, int]) -> tuple[int, int, int]:
    """Nets without a wire, then grid steps of detour, then total wire: lower is better."""
    return (sum(1 for r in routes if r.labelled), sum(_detour(r, spans[r.name]) for r in routes),
            sum(len(r.edges) for r in routes))


def _make_room(placed: dict[str, Placed], failed: list[NetRoute]) -> bool:
    """Open a channel in front of each pin that got a label instead of a wire: every part wholly beyond
    a line across the sheet there moves on by CUT_WIDTH. False when no part could move."""
    cuts: set[tuple[int, int, int]] = set()   # (axis, position, side): axis 0 = a vertical line at x
    for r in failed:
        c, d = r.labelled[0]
        axis = 0 if d[0] else 1
        cuts.add((axis, (c[axis] + d[axis]) * GRID, d[axis]))
    moved = False
    for axis, pos, sign in sorted(cuts):
        for pl in placed.values():
            fp = pl.footprint()
            lo, hi = (fp.x, fp.right) if axis == 0 else (fp.y, fp.bottom)
            if (sign > 0 and lo >= pos) or (sign < 0 and hi <= pos):
                if axis == 0:
                    pl.x += sign * CUT_WIDTH
                else:
                    pl.y += sign * CUT_WIDTH
                moved = True
    return moved


def _label_geometry(name: str, c: Cell, d: tuple[int, int], reach: int) -> tuple[Box, list[Cell]]:
    """The box a net label takes (bar and text) ``reach`` grid steps out from ``c``, and the cells its stub crosses."""
    x, y = c[0] * GRID, c[1] * GRID
    ex, ey = x + d[0] * (12 + reach * GRID), y + d[1] * (12 + reach * GRID)
    w = text_width(name, 9.5) + 6
    if d == RIGHT:
        box = Box(ex - 1, ey - 8, w + 5, 16)
    elif d == LEFT:
        box = Box(ex - w - 4, ey - 8, w + 5, 16)
    elif d == UP:
        box = Box(ex - max(w / 2, 8), ey - 14, max(w, 16), 15)
    else:
        box = Box(ex - max(w / 2, 8), ey - 1, max(w, 16), 16)
    stub = [(c[0] + d[0] * k, c[1] + d[1] * k) for k in range(1, reach + 2)]
    return box, stub


def _place_labels(routes: list[NetRoute], fps: dict[str, Box]) -> tuple[list[Box], int]:
    """Where each net label goes: out from its pin (straight on, else turned), the first reach at which
    its text meets no other net's wire, label or part, and its stub only crosses other wires at right
    angles (never runs along one or touches its bends and ends). Returns the boxes the labels take."""
    owner: dict[Cell, set[str]] = {}
    axes: dict[Cell, dict[str, set[str]]] = {}
    nodes: dict[Cell, set[str]] = {}
    for r in routes:
        deg: dict[Cell, int] = {}
        for a, b in r.edges:
            ax = "h" if a[1] == b[1] else "v"
            for c in (a, b):
                axes.setdefault(c, {}).setdefault(r.name, set()).add(ax)
                deg[c] = deg.get(c, 0) + 1
        for c in r.cells():
            owner.setdefault(c, set()).add(r.name)
            if deg.get(c, 0) != 2 or len(axes.get(c, {}).get(r.name, ())) > 1 or c in r.tips:
                nodes.setdefault(c, set()).add(r.name)
    taken: list[Box] = [b.grown(2 - MARGIN) for b in fps.values()]   # the drawings, not their margins
    out: list[Box] = []
    crowded = 0

    def stub_ok(name: str, stub: list[Cell], dd: tuple[int, int]) -> bool:
        ax = "h" if dd[1] == 0 else "v"
        for c in stub:
            if nodes.get(c, set()) - {name}:
                return False
            if any(ax in a for n, a in axes.get(c, {}).items() if n != name):
                return False
        return True

    for r in routes:
        placed_labels = []
        for c, d in r.labelled:
            best = None
            turns = (d, (d[1], d[0]), (-d[1], -d[0]))
            # near the pin first; on a crowded sheet further out, never over another net's wire
            for reach in range(0, LABEL_REACH * FAR_LABEL):
                for dd in turns:
                    box, stub = _label_geometry(r.name, c, dd, reach)
                    cells = [(i, j) for i in range(int(box.x // GRID), int(box.right // GRID) + 1)
                             for j in range(int(box.y // GRID), int(box.bottom // GRID) + 1)
                             if box.contains(i * GRID, j * GRID)]
                    if any(owner.get(x, set()) - {r.name} for x in cells + stub[-1:]):
                        continue
                    if not stub_ok(r.name, stub, dd) or any(b.overlaps(box) for b in taken):
                        continue
                    # nor does its stub run through a part or another label
                    if any(b.contains(x * GRID, y * GRID) for x, y in stub for b in taken):
                        continue
                    best = (dd, reach, box, stub)
                    break
                if best:
                    break
            crowded += best is None
            dd, reach, box, stub = best or (d, 0, *_label_geometry(r.name, c, d, 0))
            placed_labels.append((c, dd, reach))
            for x in stub:
                owner.setdefault(x, set()).add(r.name)
                nodes.setdefault(x, set()).add(r.name)
            taken.append(box)
            out.append(box)
        r.labelled = [(c, dd) for c, dd, _ in placed_labels]
        r.reach = {(c, dd): reach for c, dd, reach in placed_labels}
    return out, crowded


def _wrap_title(title: str, width: float) -> list[str]:
    """The title in lines that fit ``width`` px (at most TITLE_LINES; the last one ends in … when cut)."""
    lines: list[str] = []
    cur = ""
    for word in title.split():
        trial = f"{cur} {word}".strip()
        if cur and text_width(trial, TITLE_SIZE) > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    lines = lines or [""]
    if len(lines) > TITLE_LINES:
        lines = lines[:TITLE_LINES]
        lines[-1] = lines[-1].rstrip(".,;: ") + "…"
    return [clean_text(line, 300) for line in lines]


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
    for _, box in plan.hazard:
        content = content.union(box)
    # above everything drawn, so no wire runs through it
    plan.hazard_label = (text, top.x, content.y - 6)
    # as drawn: with its warning sign, in bold (about 12 % wider than the regular metric)
    return content.union(Box(top.x, content.y - 20, text_width(HAZARD_SIGN + text, 11 * 1.12) + 4, 20))


# ---- drawing ---------------------------------------------------------------------------
def _port_gnd(dwg, parent, net: str, x: float, y: float, d: tuple[int, int]) -> None:
    deg = {DOWN: 0, LEFT: 90, UP: 180, RIGHT: 270}[d]
    g = dwg.g(class_="port gnd", transform=f"translate({x:g},{y:g}) rotate({deg})")
    g.attribs["data-net"] = net
    g.set_desc(title=f"{net} (ground)")
    symbols.ground(dwg, g)
    parent.add(g)


def _port_rail(dwg, parent, net: str, x: float, y: float, d: tuple[int, int], css: str = "rail",
               colour: str = RAIL, reach: float = 12) -> None:
    g = dwg.g(class_=f"port {css}")
    g.attribs["data-net"] = net
    g.set_desc(title=f"{net} (supply rail)" if css == "rail" else f"net {net}")
    ex, ey = x + d[0] * reach, y + d[1] * reach
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


def _draw_part(dwg, parent, pl: Placed, array: Array | None = None, serves: tuple[str, str] | None = None) -> None:
    sh = pl.shape
    part = pl.info.part
    g = dwg.g(class_=f"part {sh.kind}", transform=f"translate({pl.x:g},{pl.y:g})")
    g.attribs["data-part"] = clean_text(part.id, 64)
    g.attribs["data-type"] = clean_text(part.type, 64)
    if sh.look:   # a power source: which kind it is drawn as
        g.attribs["data-source"] = sh.look
    if serves is not None:   # a companion drawn without a wire: the pin it serves (the lint checks it is near)
        g.attribs["data-serves"] = clean_text(f"{serves[0]}:{serves[1]}", 130)
    if array is not None:   # one symbol for many identical parts: how many, and which
        g.attribs["data-count"] = str(array.copies)
        g.attribs["data-members"] = clean_text(" ".join(array.members), 2000)
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
    for pin, t in sh.pins.items():
        # each pin tip, invisible, with its net: the schematic lint checks no other net's wire runs through it
        tip = dwg.circle(center=(t.x, t.y), r=0, class_="pin-tip")
        tip.attribs["data-pin"] = clean_text(pin, 64)
        tip.attribs["data-dir"] = f"{t.dir[0]},{t.dir[1]}"
        if pin in pl.info.pin_net:
            tip.attribs["data-net"] = pl.info.pin_net[pin]
        g.add(tip)
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
        _port_rail(dwg, g, r.name, c[0] * GRID, c[1] * GRID, d, css="netlabel", colour=WIRE,
                   reach=12 + r.reach.get((c, d), 0) * GRID)
    parent.add(g)


def draw(plan: Plan) -> str:
    b = plan.bounds
    dwg = svgwrite.Drawing(size=(f"{b.w:g}px", f"{b.h:g}px"), profile="full", debug=False)
    dwg.viewbox(b.x, b.y, b.w, b.h)
    dwg.defs.add(dwg.style(CSS))
    dwg.add(dwg.rect((b.x, b.y), (b.w, b.h), fill="#ffffff"))
    for i, line in enumerate(plan.title_lines or [plan.title]):
        dwg.add(dwg.text(line, insert=(b.x + PAD, b.y + PAD + 12 + i * TITLE_LINE), class_="title"))
    wires = dwg.g(class_="wires")
    for r in plan.routes:
        _draw_route(dwg, wires, r, plan.netlist, r.name in plan.hazard_nets)
    parts = dwg.g(class_="parts")
    for pid, pl in plan.placed.items():
        _draw_part(dwg, parts, pl, plan.arrays.get(pid), plan.serves.get(pid))
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
            zone.add(dwg.text(HAZARD_SIGN + clean_text(text, 160), insert=(x, y), class_="hazard"))
        dwg.add(zone)
    return dwg.tostring()


__all__ = ["Plan", "make_plan", "draw"]
