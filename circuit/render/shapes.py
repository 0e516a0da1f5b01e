"""What each part looks like on the schematic: its symbol kind, pin tips, extent and labels.

The symbol comes from the part's record (``spice.kind``, pin functions, flags, designator),
never from a list of part keys, so a new record draws correctly: a two-terminal part whose
SPICE kind is ``resistor`` gets the resistor zigzag, a three-pin ``npn`` the BJT symbol, and
anything without a standard symbol (modules, sensors, ICs, boards) a labelled block with its
pin names on the sides: power pins on top, ground at the bottom, inputs left, outputs right,
I/O pins on the side that faces what they connect to.

Coordinates are local to the part; symbols are centred on (0, 0), blocks have their body's
top-left corner at (0, 0). Every pin tip lies on the grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from circuit.capacitor_polarity import capacitance, is_polar
from circuit.model import Part
from circuit.units import UnitError, format_value, parse_value
from circuit.render.geometry import DOWN, GRID, LEFT, RIGHT, UP, Box, clean_text, rotate, snap, snap_up, text_width
from knowledge.record import ComponentRecord

LABEL_SIZE = 11.0   # part id / value
PIN_SIZE = 9.0      # pin names inside blocks
RAIL_SIZE = 10.0    # rail labels (5V, 3V3)
BLOCK_PIN_PITCH = 2 * GRID
STUB = 2 * GRID     # block pin stub length
BIG_BLOCK = 16      # blocks with more pins than this show only the connected ones

TWO_TERMINAL = {"resistor", "capacitor", "capacitor_polarized", "inductor", "coil", "diode", "led", "zener",
                "switch", "battery", "load"}


@dataclass
class PinTip:
    name: str
    x: int
    y: int
    dir: tuple[int, int]


@dataclass
class Label:
    text: str
    x: float
    y: float          # baseline
    anchor: str       # start | middle | end
    size: float
    css: str          # class name: pid, val, pin, name, note


@dataclass
class Shape:
    part_id: str
    kind: str                     # symbol kind, or "block"
    rot: int = 0                  # symbols: rotation of the canonical (vertical) drawing
    mirror: bool = False          # symbols: flipped left-right before the rotation
    roles: dict[str, str] = field(default_factory=dict)   # symbol role -> pin name
    pins: dict[str, PinTip] = field(default_factory=dict)
    extent: Box = field(default_factory=lambda: Box(0, 0, 0, 0))   # drawing incl. stubs
    labels: list[Label] = field(default_factory=list)
    sides: dict[str, list[str]] = field(default_factory=dict)       # blocks only
    hidden_pins: int = 0
    color: str | None = None      # LED colour
    look: str | None = None       # a power source: battery, adapter, usb, bench (record.source_kind)
    value: str = ""
    title: str = ""               # what the part is (record name), for tooltips
    body: Box | None = None       # blocks: the rectangle, top-left at (0, 0)

    def label_box(self) -> Box | None:
        boxes = []
        for lb in self.labels:
            w = text_width(lb.text, lb.size)
            x0 = lb.x if lb.anchor == "start" else lb.x - w if lb.anchor == "end" else lb.x - w / 2
            boxes.append(Box(x0, lb.y - lb.size * 0.85, w, lb.size * 1.1))
        if not boxes:
            return None
        out = boxes[0]
        for b in boxes[1:]:
            out = out.union(b)
        return out


# ---- which symbol -------------------------------------------------------------------
def _fn(rec: ComponentRecord, name: str) -> set[str]:
    p = rec.pin(name)
    return set(p.functions) if p else set()


def _by_role(rec: ComponentRecord, names: list[str], roles: dict[str, tuple[str, ...]]) -> dict[str, str] | None:
    """Map symbol roles (collector, base ...) to pin names by pin function, then pin name."""
    out: dict[str, str] = {}
    for role, words in roles.items():
        hit = [n for n in names if role in _fn(rec, n)]
        if not hit:
            hit = [n for n in names if n.upper() in words]
        if len(hit) != 1:
            return None
        out[role] = hit[0]
    return out if len(set(out.values())) == len(out) else None


def symbol_roles(rec: ComponentRecord | None, names: list[str], part: Part | None = None) -> tuple[str, dict[str, str]]:
    """The symbol kind for a record, and which pin plays which role in it ("block" when none fits).
    ``part`` gives the value that decides whether a generic capacitor is drawn polarized (from 1 µF:
    :mod:`circuit.capacitor_polarity`); without it (no value known) a polarized record counts as polar."""
    if rec is None:
        return "block", {}
    kind = rec.spice.kind
    n = len(names)
    if kind in ("resistor", "capacitor", "inductor", "diode", "led", "zener", "switch", "battery", "load") and n == 2:
        if kind == "load" and (rec.category not in ("actuator", "audio") or rec.flags.protected_driver):
            return "block", {}
        order = list(names)
        terms = [t for t in rec.spice.terminals if t in names]
        if len(set(terms)) == 2:
            order = terms
        first = [n_ for n_ in names if _fn(rec, n_) & {"anode", "led_anode"} or n_ in ("+", "A")]
        if kind == "battery":
            first = [p.name for p in rec.pins if p.type == "power_out" and p.name in names] or [
                n_ for n_ in names if n_ in ("+", "VCC", "BAT+", "V+")]
        if len(first) == 1 and first[0] != order[0]:
            order = [first[0], [x for x in names if x != first[0]][0]]
        sym = kind
        if kind == "capacitor" and (is_polar(rec, capacitance(rec, part.attrs)) if part is not None
                                    else rec.flags.polarized):
            sym = "capacitor_polarized"
        if kind == "load" and rec.flags.inductive and not rec.designator.upper().startswith("M"):
            sym = "coil"   # solenoid, relay coil: drawn as the winding it is
        return sym, {"a": order[0], "b": order[1]}
    if kind in ("npn", "pnp") and n == 3:
        roles = _by_role(rec, names, {"collector": ("C",), "base": ("B",), "emitter": ("E",)})
        if roles is None and len(rec.spice.terminals) == 3:
            roles = dict(zip(("collector", "base", "emitter"), rec.spice.terminals))
        return (kind, roles) if roles else ("block", {})
    if kind in ("nmos", "pmos") and n == 3:
        roles = _by_role(rec, names, {"drain": ("D",), "gate": ("G",), "source": ("S",)})
        if roles is None and len(rec.spice.terminals) == 3:
            roles = dict(zip(("drain", "gate", "source"), rec.spice.terminals))
        return (kind, roles) if roles else ("block", {})
    if kind == "potentiometer" and n == 3:
        wiper = [x for x in names if x.upper() in ("OUT", "W", "WIPER", "SIG", "2")
                 or (rec.pin(x) and rec.pin(x).type in ("analog_out", "digital_out"))]
        if len(wiper) == 1:
            ends = [x for x in names if x != wiper[0]]
            return "potentiometer", {"a": ends[0], "b": ends[1], "wiper": wiper[0]}
    return "block", {}


# ---- canonical symbol geometry (vertical; terminal a on top) --------------------------
_CANON_PINS: dict[str, dict[str, tuple[tuple[int, int], tuple[int, int]]]] = {
    "two": {"a": ((0, -3 * GRID), UP), "b": ((0, 3 * GRID), DOWN)},
    "npn": {"base": ((-3 * GRID, 0), LEFT), "collector": ((GRID, -3 * GRID), UP), "emitter": ((GRID, 3 * GRID), DOWN)},
    "pnp": {"base": ((-3 * GRID, 0), LEFT), "emitter": ((GRID, -3 * GRID), UP), "collector": ((GRID, 3 * GRID), DOWN)},
    "nmos": {"gate": ((-3 * GRID, 0), LEFT), "drain": ((GRID, -3 * GRID), UP), "source": ((GRID, 3 * GRID), DOWN)},
    "pmos": {"gate": ((-3 * GRID, 0), LEFT), "source": ((GRID, -3 * GRID), UP), "drain": ((GRID, 3 * GRID), DOWN)},
    "potentiometer": {"a": ((0, -3 * GRID), UP), "b": ((0, 3 * GRID), DOWN), "wiper": ((3 * GRID, 0), RIGHT)},
}
_CANON_EXTENT = {
    "led": Box(-12, -30, 36, 60),
    "npn": Box(-30, -30, 54, 60), "pnp": Box(-30, -30, 54, 60),
    "nmos": Box(-30, -30, 54, 60), "pmos": Box(-30, -30, 54, 60),
    "potentiometer": Box(-12, -30, 42, 60),
    "battery": Box(-18, -30, 36, 60),   # wide enough for a bench supply's cabinet
    "load": Box(-15, -30, 30, 60),
}


def _canon(kind: str) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    return _CANON_PINS.get(kind, _CANON_PINS["two"])


def _rot_dir(d: tuple[int, int], deg: int) -> tuple[int, int]:
    x, y = rotate(d, deg)
    return (int(round(x)), int(round(y)))


def _rot_box(b: Box, deg: int) -> Box:
    pts = [rotate(p, deg) for p in ((b.x, b.y), (b.right, b.y), (b.x, b.bottom), (b.right, b.bottom))]
    return Box.around(pts)


# ---- values ---------------------------------------------------------------------------
_CSS_COLOURS = {"red", "green", "blue", "yellow", "orange", "white", "purple", "pink", "cyan", "magenta",
                "amber", "violet", "warmwhite", "uv", "ir"}
_SVG_COLOUR = {"amber": "orange", "warmwhite": "#fff4d6", "uv": "violet", "ir": "#8b0000"}


def part_value(part: Part, rec: ComponentRecord | None) -> str:
    """The value a reader needs next to the symbol: 220 Ω, 100 nF, 'red' for an LED."""
    if rec is not None and rec.value_attr:
        raw = part.attrs.get(rec.value_attr, rec.default_value)
        if raw is None:
            return ""
        try:
            return format_value(parse_value(raw, rec.value_unit), rec.value_unit or "")
        except (UnitError, ValueError, TypeError):
            return clean_text(raw, 16)
    for key in ("value", "color", "model", "part"):
        if key in part.attrs and str(part.attrs[key]).strip():
            return clean_text(part.attrs[key], 16)
    return ""


def led_colour(part: Part) -> str | None:
    c = str(part.attrs.get("color", "")).strip().lower().replace(" ", "")
    return _SVG_COLOUR.get(c, c) if c in _CSS_COLOURS else None


def source_look(rec: ComponentRecord | None) -> str:
    """How a power source is drawn, from its record: ``source_kind``, else a cell is a battery; a source
    the record does not describe is drawn as a plain DC source ("dc")."""
    if rec is None:
        return "dc"
    if rec.source_kind:
        return rec.source_kind
    if rec.safety.cell is not None or rec.ratings.capacity_ah is not None:
        return "battery"
    return "dc"


def short_name(rec: ComponentRecord | None, part: Part) -> str:
    if rec is None:
        return clean_text(f"unknown part '{part.type}'", 30)
    return clean_text(rec.name, 40)


# ---- building shapes ------------------------------------------------------------------
def symbol_shape(part: Part, rec: ComponentRecord | None, kind: str, roles: dict[str, str], rot: int,
                 mirror: bool = False) -> Shape:
    """A symbol turned by ``rot`` degrees; ``mirror`` flips it left-right first (base/gate on the right)."""
    canon_kind = kind if kind in _CANON_PINS else "two"
    sh = Shape(part_id=part.id, kind=kind, rot=rot % 360, roles=dict(roles), mirror=mirror)
    flip = (lambda p: (-p[0], p[1])) if mirror else (lambda p: p)  # noqa: E731
    for role, (pos, d) in _canon(canon_kind).items():
        name = roles[role]
        x, y = rotate(flip(pos), rot)
        sh.pins[name] = PinTip(name, int(round(x)), int(round(y)), _rot_dir(flip(d), rot))
    ext = _CANON_EXTENT.get(kind, Box(-12, -30, 24, 60))
    if mirror:
        ext = Box(-ext.right, ext.y, ext.w, ext.h)
    sh.extent = _rot_box(ext, rot)
    sh.value = part_value(part, rec)
    sh.color = led_colour(part) if kind == "led" else None
    sh.look = source_look(rec) if kind == "battery" else None
    sh.title = short_name(rec, part)
    lines = [(clean_text(part.id, 24), "pid")]
    if sh.value:
        lines.append((sh.value, "val"))
    e = sh.extent
    vertical = sh.rot in (0, 180)
    if vertical or kind in ("npn", "pnp", "nmos", "pmos", "potentiometer"):
        # beside the symbol, on the side away from a base/gate/wiper lead
        left = any(t.dir == RIGHT for t in sh.pins.values()) and kind not in TWO_TERMINAL
        x, anchor = (e.x - 4, "end") if left else (e.right + 4, "start")
        top = -(len(lines) * 13) / 2 + 10
        sh.labels = [Label(t, x, top + i * 13, anchor, LABEL_SIZE, c) for i, (t, c) in enumerate(lines)]
    else:
        sh.labels = [Label(lines[0][0], 0, e.y - 4, "middle", LABEL_SIZE, lines[0][1])]
        if len(lines) > 1:
            sh.labels.append(Label(lines[1][0], 0, e.bottom + 12, "middle", LABEL_SIZE, lines[1][1]))
    return sh


def default_sides(rec: ComponentRecord | None, names: list[str]) -> dict[str, list[str]]:
    """Block pin sides from the record's pin types; I/O pins split between left and right."""
    sides: dict[str, list[str]] = {"top": [], "bottom": [], "left": [], "right": []}
    io: list[str] = []
    for n in names:
        p = rec.pin(n) if rec else None
        t = p.type if p else "passive"
        if t in ("power_in", "power_out"):
            sides["top"].append(n)
        elif t == "ground":
            sides["bottom"].append(n)
        elif t in ("digital_in", "analog_in"):
            sides["left"].append(n)
        elif t in ("digital_out", "analog_out"):
            sides["right"].append(n)
        else:
            io.append(n)
    # I/O pins (and passive ones such as a driver's motor outputs) balance the two sides,
    # keeping their record order: the first ones left, the rest right
    n_left = max(0, min(len(io), (len(io) + len(sides["right"]) - len(sides["left"])) // 2))
    sides["left"] += io[:n_left]
    sides["right"] += io[n_left:]
    return sides


def _column_ys(names: list[str], targets: dict[str, float]) -> list[float]:
    """Pin positions down one side: at their targets where given, else one pitch apart."""
    ys: list[float | None] = [targets.get(n) for n in names]
    for i in range(1, len(ys)):   # forward: keep order and the minimum pitch
        if ys[i - 1] is not None and (ys[i] is None or ys[i] < ys[i - 1] + BLOCK_PIN_PITCH):
            ys[i] = ys[i - 1] + BLOCK_PIN_PITCH
    first = next((i for i, y in enumerate(ys) if y is not None), None)
    if first is None:
        return [i * BLOCK_PIN_PITCH for i in range(len(names))]
    for i in range(first - 1, -1, -1):
        ys[i] = ys[i + 1] - BLOCK_PIN_PITCH
    return [float(y) for y in ys]


def block_shape(part: Part, rec: ComponentRecord | None, sides: dict[str, list[str]], hidden: int = 0,
                pin_y: dict[str, float] | None = None) -> Shape:
    """A labelled block. ``pin_y`` (pin -> y in any common frame) spaces side pins to line up with
    what they connect to, so the wires to a stack of branches run straight."""
    sh = Shape(part_id=part.id, kind="block", sides={k: list(v) for k, v in sides.items()}, hidden_pins=hidden)
    sh.title = short_name(rec, part)
    sh.value = part_value(part, rec) if rec is None or rec.value_attr else ""
    left, right, top, bottom = sides["left"], sides["right"], sides["top"], sides["bottom"]
    pin_w = lambda names: max((text_width(clean_text(n, 12), PIN_SIZE) for n in names), default=0.0)  # noqa: E731
    # centre text: id, then the part name wrapped into lines of ~18 characters
    name_lines = _wrap(sh.title, 20)[:3]
    centre = [(clean_text(part.id, 24), "pid", 12.0)] + [(t, "name", 9.5) for t in name_lines]
    if sh.value:
        centre.append((sh.value, "val", 10.0))
    if hidden:
        centre.append((f"+{hidden} unused pins", "note", 8.5))
    centre_w = max(text_width(t, s) for t, _, s in centre)
    # top/bottom pins need room for their names and for the rail labels drawn above them
    tb_pitch = max(4 * GRID, snap_up(max(pin_w(top), pin_w(bottom)) + 12, 2 * GRID))
    width = max(2 * max(pin_w(left), pin_w(right)) + centre_w + 24,
                tb_pitch * (max(len(top), len(bottom)) + 0.5),
                6 * GRID)
    width = snap_up(width, 2 * GRID)
    rows = max(len(left), len(right))
    centre_h = len(centre) * 13 + 8
    tb_text = (14 if top else 0) + (14 if bottom else 0)
    height = max((rows + 1) * BLOCK_PIN_PITCH, centre_h + tb_text + 8, 6 * GRID)
    height = snap_up(height, 2 * GRID)
    ys = {}
    if pin_y and any(n in pin_y for n in left + right):
        targets = {n: float(snap(pin_y[n])) for n in left + right if n in pin_y}
        raw = dict(zip(left, _column_ys(left, targets)))
        raw.update(zip(right, _column_ys(right, targets)))
        top_room = 2 * BLOCK_PIN_PITCH if top else BLOCK_PIN_PITCH
        shift = top_room - min(raw.values())
        ys = {n: int(y + shift) for n, y in raw.items()}
        bottom_room = 2 * BLOCK_PIN_PITCH if bottom else BLOCK_PIN_PITCH
        height = snap_up(max(height, max(ys.values()) + bottom_room), 2 * GRID)
    sh.extent = Box(-STUB if left else 0, -STUB if top else 0,
                    width + (STUB if left else 0) + (STUB if right else 0),
                    height + (STUB if top else 0) + (STUB if bottom else 0))
    sh.body = Box(0, 0, width, height)

    def column(names: list[str], x: int, d: tuple[int, int]) -> None:
        y0 = (height - (len(names) - 1) * BLOCK_PIN_PITCH) // 2  # a grid multiple: both terms are
        for i, n in enumerate(names):
            y = ys.get(n, int(y0 + i * BLOCK_PIN_PITCH))
            sh.pins[n] = PinTip(n, x, y, d)
            sh.labels.append(Label(clean_text(n, 12), 4 if d == LEFT else width - 4, y + 3,
                                   "start" if d == LEFT else "end", PIN_SIZE, "pin"))

    def row(names: list[str], y: int, d: tuple[int, int]) -> None:
        span = (len(names) - 1) * tb_pitch
        x0 = (width - span) // 2
        for i, n in enumerate(names):
            x = int(x0 + i * tb_pitch)
            sh.pins[n] = PinTip(n, x, y, d)
            ty = 12 if d == UP else height - 5
            sh.labels.append(Label(clean_text(n, 12), x, ty, "middle", PIN_SIZE, "pin"))

    column(left, -STUB, LEFT)
    column(right, width + STUB, RIGHT)
    row(top, -STUB, UP)
    row(bottom, height + STUB, DOWN)
    # centre text, vertically centred between the top and bottom pin names
    inner_top = 14 if top else 0
    inner_bottom = height - (14 if bottom else 0)
    y = (inner_top + inner_bottom) / 2 - (len(centre) * 13) / 2 + 11
    for t, css, size in centre:
        sh.labels.append(Label(t, width / 2, y, "middle", size, css))
        y += 13
    return sh


def _wrap(text: str, width: int) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        lines.append(cur)
    return [clean_text(line, width + 4) for line in lines] or [""]


def block_pin_names(rec: ComponentRecord | None, part_id: str, connected: set[str]) -> tuple[list[str], int]:
    """Pins a block shows: all of them for small parts, only the wired ones for big boards."""
    if rec is None:
        return sorted(connected), 0
    names = [p.name for p in rec.pins if p.type != "nc" or p.name in connected]
    names = list(dict.fromkeys(names))
    if len(names) > BIG_BLOCK:
        shown = [n for n in names if n in connected]
        return shown, len(names) - len(shown)
    return names, 0


def rail_label_width(text: str) -> float:
    return max(16.0, text_width(text, RAIL_SIZE) + 4)


def port_box(kind: str, tip: PinTip, text: str = "") -> Box:
    """Area a ground symbol or rail label takes at a pin tip (local coordinates)."""
    d = tip.dir
    if kind == "gnd":
        canon = Box(-11, 0, 22, 22)  # pointing down
        deg = {DOWN: 0, LEFT: 90, UP: 180, RIGHT: 270}[d]
        b = _rot_box(canon, deg)
    else:
        w = rail_label_width(text)
        if d == UP:
            b = Box(-w / 2, -30, w, 30)
        elif d == DOWN:
            b = Box(-w / 2, 0, w, 30)
        elif d == RIGHT:
            b = Box(0, -9, 16 + w, 18)
        else:
            b = Box(-16 - w, -9, 16 + w, 18)
    return b.moved(tip.x, tip.y)


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])
