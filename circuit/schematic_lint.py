"""Schematic lint: read back the SVG the renderer wrote and check that a person can trust it.

The lint parses the drawing itself (text, wire segments, ground symbols, pin tips), not the
plan it was drawn from, so it catches what a reader would see. Rules:

- ``text-overlap``: two text boxes overlap (labels printed over each other).
- ``text-on-wire``: text sits on a wire of another net (a label reads as belonging to it).
- ``ground-on-signal``: a ground symbol on a net that is not the circuit ground.
- ``wire-through-pin``: a wire passes through a pin it is not connected to.
- ``too-tall``: the drawing is taller than 2,500 px for 40 parts or fewer.
- ``text-off-sheet``: text runs past the edge of the drawing (a long title).
- ``companion-far``: a part drawn without a wire (every pin on a supply or ground: a decoupling or
  bulk capacitor) sits more than COMPANION_REACH from the pin it serves (``data-serves``).
- ``wire-detour``: a wire runs the long way round (round a board, out to a far gap): longer than
  DETOUR_RATIO times the rectilinear spanning length of the pins it joins, plus DETOUR_SLACK.

Beside the rules, a measure: ``measures["flow"]``, how many parts with a signal direction (from their
records, :mod:`circuit.signal_flow`) sit on their side of the controller: inputs left, outputs right.

What the lint reads from the SVG (written by :mod:`circuit.render.sheet`): ``data-net`` on every
wire and port group, ``data-part`` (and ``data-count`` for an array drawn once) on every part,
``<circle class="pin-tip" r="0" data-pin data-net data-dir>`` at every pin tip, and the font sizes
from the sheet's own style sheet. Text widths are estimated with the renderer's metric.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from circuit.netlist import Netlist
from circuit.render import render_svg
from circuit.render.geometry import Box, text_width
from circuit.signal_flow import INPUT, directions

SVG = "{http://www.w3.org/2000/svg}"
MAX_HEIGHT = 2500.0   # px, for a drawing of at most MAX_PARTS parts
MAX_PARTS = 40
PIN_REACH = 5.0       # px of a pin's lead, inward from its tip, that no other net's wire may touch
DETOUR_RATIO = 3.0    # a wire may run this many times the spanning length of its pins ...
DETOUR_SLACK = 300.0  # ... plus this many px (each pin's way out of its part, a step round a label)
COMPANION_REACH = 360.0  # px from a companion drawn without a wire (a decoupling capacitor) to the pin it serves
RULES = ("text-overlap", "text-on-wire", "ground-on-signal", "wire-through-pin", "too-tall", "text-off-sheet",
         "wire-detour", "companion-far")

__all__ = ["Issue", "LintReport", "lint_svg", "lint_circuit", "flow_measure", "RULES"]


@dataclass(frozen=True)
class Issue:
    rule: str
    message: str


@dataclass
class LintReport:
    issues: list[Issue] = field(default_factory=list)
    parts: int = 0
    height: float = 0.0
    measures: dict = field(default_factory=dict)   # how the wires run (see ``wire_measures``)

    @property
    def ok(self) -> bool:
        return not self.issues

    def by_rule(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in self.issues:
            out[i.rule] = out.get(i.rule, 0) + 1
        return out

    def summary(self) -> str:
        return "ok" if self.ok else ", ".join(f"{k}×{v}" for k, v in sorted(self.by_rule().items()))


# ---- geometry from the SVG -------------------------------------------------------------
Matrix = tuple[float, float, float, float, float, float]   # a b c d e f, as SVG's matrix()
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
_TF = re.compile(r"(translate|rotate|scale|matrix)\s*\(([^)]*)\)")


def _mul(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2, a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _transform(text: str | None) -> Matrix:
    m = IDENTITY
    for op, args in _TF.findall(text or ""):
        v = [float(x) for x in re.split(r"[\s,]+", args.strip()) if x]
        if op == "translate":
            n = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0.0)
        elif op == "scale":
            n = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        elif op == "rotate":
            r = math.radians(v[0])
            n = (math.cos(r), math.sin(r), -math.sin(r), math.cos(r), 0, 0)
            if len(v) == 3:
                n = _mul(_mul((1, 0, 0, 1, v[1], v[2]), n), (1, 0, 0, 1, -v[1], -v[2]))
        else:
            n = tuple(v[:6])  # type: ignore[assignment]
        m = _mul(m, n)
    return m


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def _font_sizes(root: ET.Element) -> dict[str, float]:
    css = "".join("".join(s.itertext()) for s in root.iter(SVG + "style"))
    out = {}
    for sel, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        size = re.search(r"font-size:\s*([\d.]+)", body)
        if size:
            # bold text runs about 10 % wider than the regular metric (DejaVu Sans Bold)
            em = float(size.group(1)) * (1.12 if re.search(r"font-weight:\s*bold", body) else 1.0)
            for name in re.findall(r"\.([\w-]+)", sel):
                out[name] = em
    return out


@dataclass(frozen=True)
class _Text:
    text: str
    box: Box
    net: str | None
    owner: str | None   # the part it belongs to


@dataclass(frozen=True)
class _Seg:
    x0: float
    y0: float
    x1: float
    y1: float
    net: str

    def hits_box(self, b: Box) -> bool:
        """True when the segment passes through the inside of ``b`` (touching an edge does not count)."""
        lo_x, hi_x = min(self.x0, self.x1), max(self.x0, self.x1)
        lo_y, hi_y = min(self.y0, self.y1), max(self.y0, self.y1)
        if hi_x <= b.x or lo_x >= b.right or hi_y <= b.y or lo_y >= b.bottom:
            return False
        if self.x0 == self.x1 or self.y0 == self.y1:
            return True
        # a slanted line: clip against the box (Liang-Barsky)
        t0, t1 = 0.0, 1.0
        dx, dy = self.x1 - self.x0, self.y1 - self.y0
        for p, q in ((-dx, self.x0 - b.x), (dx, b.right - self.x0), (-dy, self.y0 - b.y), (dy, b.bottom - self.y0)):
            if p == 0:
                if q < 0:
                    return False
                continue
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
        return t0 < t1

    def touches(self, x: float, y: float, tol: float = 0.5) -> bool:
        """The point lies on the segment (within ``tol``)."""
        lo_x, hi_x = min(self.x0, self.x1), max(self.x0, self.x1)
        lo_y, hi_y = min(self.y0, self.y1), max(self.y0, self.y1)
        if not (lo_x - tol <= x <= hi_x + tol and lo_y - tol <= y <= hi_y + tol):
            return False
        dx, dy = self.x1 - self.x0, self.y1 - self.y0
        n = math.hypot(dx, dy)
        if n < 1e-9:
            return math.hypot(x - self.x0, y - self.y0) <= tol
        return abs(dy * (x - self.x0) - dx * (y - self.y0)) / n <= tol


@dataclass(frozen=True)
class _Pin:
    part: str
    pin: str
    net: str | None
    x: float
    y: float
    dx: float
    dy: float
    block: bool = False   # a pin of a module or board (drawn as a block)


@dataclass
class _Sheet:
    texts: list[_Text] = field(default_factory=list)
    wires: list[_Seg] = field(default_factory=list)
    routes: list[_Seg] = field(default_factory=list)   # the wires proper (not a net label's stub)
    labelled: set[str] = field(default_factory=set)    # nets with a net label (part of it not wired)
    serves: dict[str, tuple[str, str]] = field(default_factory=dict)   # companion -> (part, pin) it serves
    grounds: list[tuple[str, float, float]] = field(default_factory=list)   # (net, x, y)
    ground_dirs: list[tuple[float, float]] = field(default_factory=list)   # which way each ground symbol points
    rail_dirs: list[tuple[float, float]] = field(default_factory=list)     # which way each rail label points
    pins: list[_Pin] = field(default_factory=list)
    parts: int = 0
    height: float = 0.0
    bounds: Box | None = None


def _read(svg: str) -> _Sheet:
    root = ET.fromstring(svg)
    sizes = _font_sizes(root)
    sheet = _Sheet()
    vb = [v for v in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if v]
    if len(vb) == 4:
        sheet.bounds = Box(*(float(v) for v in vb))
        sheet.height = sheet.bounds.h
    else:
        sheet.height = float(re.sub(r"[^\d.]", "", root.get("height") or "0") or 0)

    def walk(el: ET.Element, m: Matrix, net: str | None, part: str | None, ctx: frozenset[str]) -> None:
        m = _mul(m, _transform(el.get("transform")))
        net = el.get("data-net", net) if el.tag != SVG + "circle" else net
        tag = el.tag[len(SVG):] if el.tag.startswith(SVG) else el.tag
        cls = (el.get("class") or "").split()
        if tag == "g":
            ctx = ctx | {c for c in cls if c in ("net", "port", "block")}
        if tag == "g" and el.get("data-part") is not None:
            part = el.get("data-part")
            sheet.parts += int(el.get("data-count") or 1)
            if el.get("data-serves") and ":" in el.get("data-serves"):
                sheet.serves[part] = tuple(el.get("data-serves").split(":", 1))  # type: ignore[assignment]
        if tag == "g" and "netlabel" in cls and net is not None:
            sheet.labelled.add(net)
        if tag == "g" and "gnd" in cls and net is not None:
            sheet.grounds.append((net, *_apply(m, 0, 0)))
            (x0, y0), (x1, y1) = _apply(m, 0, 0), _apply(m, 0, 12)
            sheet.ground_dirs.append((x1 - x0, y1 - y0))
        if tag == "g" and "rail" in cls and "port" in cls:
            line = el.find(SVG + "line")
            if line is not None:
                (x0, y0), (x1, y1) = (_apply(m, float(line.get("x1", 0)), float(line.get("y1", 0))),
                                      _apply(m, float(line.get("x2", 0)), float(line.get("y2", 0))))
                sheet.rail_dirs.append((x1 - x0, y1 - y0))
        if tag == "text":
            s = "".join(el.itertext())
            size = max((sizes.get(c, 0.0) for c in cls), default=0.0) or 10.0
            x, y = _apply(m, float(el.get("x", 0)), float(el.get("y", 0)))
            w = text_width(s, size)
            anchor = el.get("text-anchor", "start")
            x0 = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
            sheet.texts.append(_Text(s, Box(x0, y - 0.75 * size, w, 0.95 * size), net, part))
            return
        if tag == "circle" and "pin-tip" in cls:
            x, y = _apply(m, float(el.get("cx", 0)), float(el.get("cy", 0)))
            dx, dy = (float(v) for v in (el.get("data-dir") or "0,0").split(","))
            sheet.pins.append(_Pin(part or "?", el.get("data-pin") or "?", el.get("data-net"), x, y, dx, dy,
                                   "block" in ctx))
            return
        if net is not None and tag in ("line", "polyline"):
            if tag == "line":
                pts = [(float(el.get("x1", 0)), float(el.get("y1", 0))), (float(el.get("x2", 0)), float(el.get("y2", 0)))]
            else:
                nums = [float(v) for v in re.split(r"[\s,]+", (el.get("points") or "").strip()) if v]
                pts = list(zip(nums[0::2], nums[1::2]))
            pts = [_apply(m, *p) for p in pts]
            for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                sheet.wires.append(_Seg(ax, ay, bx, by, net))
                if "net" in ctx and "port" not in ctx:
                    sheet.routes.append(sheet.wires[-1])
        for child in el:
            walk(child, m, net, part, ctx)

    walk(root, IDENTITY, None, None, frozenset())
    return sheet


# ---- how the wires run ---------------------------------------------------------------------
def _span(points: list[tuple[float, float]]) -> float:
    """Length of the rectilinear minimum spanning tree over ``points`` (a wire can be no shorter than
    about two thirds of it, and a tidy one is no longer)."""
    if len(points) < 2:
        return 0.0
    inside = {0}
    best = {i: abs(points[i][0] - points[0][0]) + abs(points[i][1] - points[0][1]) for i in range(1, len(points))}
    total = 0.0
    while best:
        j = min(best, key=best.get)
        total += best.pop(j)
        inside.add(j)
        for i in best:
            best[i] = min(best[i], abs(points[i][0] - points[j][0]) + abs(points[i][1] - points[j][1]))
    return total


def _bends(segs: list[_Seg]) -> int:
    """Corners in a wire drawn as maximal straight runs (a path of k runs has k - 1 corners)."""
    return max(0, len(segs) - 1)


@dataclass(frozen=True)
class _Net:
    name: str
    segs: list[_Seg]
    pins: list[_Pin]          # the pins its wire reaches
    length: float
    span: float


def _nets(sheet: _Sheet) -> list[_Net]:
    by_net: dict[str, list[_Seg]] = {}
    for w in sheet.routes:
        by_net.setdefault(w.net, []).append(w)
    out = []
    for name, segs in sorted(by_net.items()):
        pins = [p for p in sheet.pins if p.net == name and any(w.touches(p.x, p.y) for w in segs)]
        length = sum(abs(w.x1 - w.x0) + abs(w.y1 - w.y0) for w in segs)
        out.append(_Net(name, segs, pins, length, _span([(p.x, p.y) for p in pins])))
    return out


def wire_measures(nets: list[_Net], labelled: set[str]) -> dict:
    """``bends``: corners of each wire joining exactly two pins; ``module_bends``: the same for wires
    from a module or board to another; ``wire_length`` and ``span_length``: total wire drawn and total
    rectilinear spanning length of the pins it joins (their ratio is 1.0 without detours)."""
    two = [n for n in nets if len(n.pins) == 2 and n.name not in labelled]
    return {
        "bends": [_bends(n.segs) for n in two],
        "module_bends": [_bends(n.segs) for n in two if all(p.block for p in n.pins)],
        "wire_length": sum(n.length for n in nets),
        "span_length": sum(n.span for n in nets),
    }


def _companion_distances(sheet: _Sheet) -> dict[str, float]:
    """Companion drawn without a wire -> how far (px, along the grid) its nearest pin is from the pin it serves."""
    tips: dict[tuple[str, str], _Pin] = {(p.part, p.pin): p for p in sheet.pins}
    out = {}
    for comp, (pid, pin) in sorted(sheet.serves.items()):
        target = tips.get((pid, pin))
        own = [p for p in sheet.pins if p.part == comp]
        if target is None or not own:
            continue
        out[comp] = min(abs(p.x - target.x) + abs(p.y - target.y) for p in own)
    return out


# ---- the rules -----------------------------------------------------------------------------
def _overlap(a: Box, b: Box, tol: float = 1.0) -> bool:
    return min(a.right, b.right) - max(a.x, b.x) > tol and min(a.bottom, b.bottom) - max(a.y, b.y) > tol


def flow_measure(sheet: _Sheet, flow: tuple[str | None, dict[str, int]] | None) -> tuple[int, int]:
    """(parts on their side, parts with a direction): an input (``circuit.signal_flow``) drawn left of the
    controller, an output right of it. A part's place is the mean x of its pin tips (a member of an array
    drawn once has none and is not counted)."""
    if not flow or flow[0] is None:
        return (0, 0)
    xs: dict[str, list[float]] = {}
    for p in sheet.pins:
        xs.setdefault(p.part, []).append(p.x)
    hub = xs.get(flow[0])
    if not hub:
        return (0, 0)
    hub_x = (min(hub) + max(hub)) / 2
    ok = total = 0
    for pid, d in flow[1].items():
        if pid not in xs:
            continue
        cx = sum(xs[pid]) / len(xs[pid])
        total += 1
        ok += (cx < hub_x) == (d == INPUT)
    return (ok, total)


def lint_svg(svg: str, ground_nets: set[str] | frozenset[str],
             flow: tuple[str | None, dict[str, int]] | None = None) -> LintReport:
    """Check a schematic SVG. ``ground_nets``: the nets that are the circuit ground (``Netlist.ground_nets``);
    ``flow``: the controller and each part's signal direction (``circuit.signal_flow.directions``), measured
    as ``measures["flow"]`` = [parts on their side, parts with a direction] (a measure, not a rule)."""
    sheet = _read(svg)
    nets = _nets(sheet)
    rep = LintReport(parts=sheet.parts, height=sheet.height, measures=wire_measures(nets, sheet.labelled))
    rep.measures["flow"] = list(flow_measure(sheet, flow))
    rep.measures.update(parts=sheet.parts, height=sheet.height,
                        grounds_down=sum(dy > 0 for _, dy in sheet.ground_dirs), grounds=len(sheet.ground_dirs),
                        rails_up=sum(dy < 0 for _, dy in sheet.rail_dirs), rails=len(sheet.rail_dirs))
    add = rep.issues.append
    texts = sorted(sheet.texts, key=lambda t: t.box.x)
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if b.box.x >= a.box.right:
                break
            if _overlap(a.box, b.box):
                add(Issue("text-overlap", f"'{a.text}' overlaps '{b.text}'"))
    if sheet.bounds is not None:
        inside = sheet.bounds.grown(2)
        for t in sheet.texts:
            if t.box.x < inside.x or t.box.right > inside.right or t.box.y < inside.y or t.box.bottom > inside.bottom:
                add(Issue("text-off-sheet", f"'{t.text}' runs off the drawing"))
    for t in sheet.texts:
        shrunk = t.box.grown(-0.5)
        for w in sheet.wires:
            if w.net != t.net and w.hits_box(shrunk):
                add(Issue("text-on-wire", f"'{t.text}'" + (f" (net {t.net})" if t.net else "")
                          + f" sits on a wire of net {w.net}"))
                break
    for net, x, y in sheet.grounds:
        if net not in ground_nets:
            add(Issue("ground-on-signal", f"a ground symbol at ({x:.0f}, {y:.0f}) is on net {net}, "
                                          f"which is not the circuit ground"))
    for p in sheet.pins:
        inner = (p.x - p.dx * PIN_REACH, p.y - p.dy * PIN_REACH)
        for w in sheet.wires:
            if w.net == p.net:
                continue
            if w.touches(p.x, p.y) or w.touches(*inner) or w.touches((p.x + inner[0]) / 2, (p.y + inner[1]) / 2):
                add(Issue("wire-through-pin", f"a wire of net {w.net} runs through {p.part}:{p.pin}"
                                              + (f" (net {p.net})" if p.net else " (not connected)")))
                break
    for n in nets:
        if n.name not in sheet.labelled and len(n.pins) >= 2 and n.length > DETOUR_RATIO * n.span + DETOUR_SLACK:
            add(Issue("wire-detour", f"the wire of net {n.name} runs {n.length:.0f} px to join pins "
                                     f"{n.span:.0f} px apart ({', '.join(f'{p.part}:{p.pin}' for p in n.pins)})"))
    for comp, far in _companion_distances(sheet).items():
        rep.measures.setdefault("companion_px", []).append(far)
        if far > COMPANION_REACH:
            add(Issue("companion-far", f"{comp} is drawn {far:.0f} px from {':'.join(sheet.serves[comp])}, the pin it "
                                       f"serves (at most {COMPANION_REACH:.0f} px)"))
    if sheet.parts <= MAX_PARTS and sheet.height > MAX_HEIGHT:
        add(Issue("too-tall", f"the drawing is {sheet.height:.0f} px tall for {sheet.parts} parts "
                              f"(at most {MAX_HEIGHT:.0f} px up to {MAX_PARTS} parts)"))
    return rep


def lint_circuit(circuit, library=None, svg: str | None = None) -> LintReport:
    """Render ``circuit`` (unless its ``svg`` is given) and lint it against its netlist's ground nets."""
    if svg is None:
        svg = render_svg(circuit, library)
    nl = Netlist(circuit, library)
    return lint_svg(svg, nl.ground_nets, directions(nl))
