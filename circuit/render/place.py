"""Placement: where each part goes on the sheet.

1. Seed: the microcontroller (or the busiest part) sits in the middle. What hangs off each
   of its pins is grown breadth-first over the signal nets as a branch in front of that pin,
   each part oriented so its pin faces back to its partner (ground pins point down, supply
   pins up; a transistor's base or gate faces its driver); branches are stacked in pin order
   along each side and the board's side pins are spaced to line up with them. Parts with no
   signal path to the board form their own groups, each moved as one to a free spot near a
   part it shares supply nets with (a decoupling capacitor near its IC).
2. Force-directed refinement: pins that face each other are pulled into line (each pin wants
   its partner out in front of it), overlapping footprints push apart.
3. Symbols whose pins ended up pointing away from their partners are turned; module pins are
   put on the side facing what they connect to.
4. Snap to the grid and legalise: parts are fixed one at a time at the nearest free spot,
   preferring spots where a wire to an already fixed part runs straight, so no two
   footprints (symbol, labels, ground/rail symbols) overlap.

Power and ground nets do not pull parts together: they are drawn as labels, not wires.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from circuit.model import Part
from circuit.net_kinds import net_kind
from circuit.netlist import Netlist
from circuit.render.arrays import Array, find_arrays
from circuit.render.geometry import DOWN, GRID, LEFT, RIGHT, UP, Box, clean_text, snap, snap_up
from circuit.render.shapes import (
    TWO_TERMINAL, Shape, block_pin_names, block_shape, default_sides, port_box, symbol_roles, symbol_shape,
)
from circuit.signal_flow import part_direction
from knowledge.record import ComponentRecord

GAP = 3 * GRID          # free space kept between footprints (room for two wire tracks)
MARGIN = GRID           # footprint = drawing + labels + this margin
REACH = 3 * GRID        # how far in front of a pin its partner should sit
WRAP_MIN = 6            # branches on one side of a board before a too-tall stack wraps into two columns
WRAP_HEIGHT = 1200.0    # px: a side's stack of branches taller than this wraps
SIDE_SHARE = 0.6       # most of a board's wired pins one side may take when signals flow one way
SIDE_MIN = 8            # ... once it has more than this many (a few more lines on one side do not make it tall;
                        # a drawing that is tall all the same is placed again with the share alone: see sheet)
COMPANION_KINDS = {"capacitor", "capacitor_polarized", "resistor", "diode", "zener", "inductor"}
FAN_OUT = True
TUCK = 24               # grid steps round the ideal spot searched for a free place by a served pin
ALIGN_REACH = 24        # grid steps a part may move, when legalised, to make several wires straight
CROSS_PULL = 0.5        # how hard two facing modules pull their pins level
PERP = 0.0              # pins at right angles: any L-shaped wire is fine, no pull


@dataclass
class PartInfo:
    part: Part
    rec: ComponentRecord | None
    kind: str
    roles: dict[str, str]
    names: list[str]                      # pins shown
    hidden: int
    pin_net: dict[str, str] = field(default_factory=dict)   # pin -> net name (connected pins)


@dataclass
class Placed:
    info: PartInfo
    shape: Shape
    x: float = 0.0
    y: float = 0.0
    ports: dict[str, tuple[str, str]] = field(default_factory=dict)   # pin -> (gnd|rail, label)

    def tip(self, pin: str) -> tuple[float, float]:
        t = self.shape.pins[pin]
        return (self.x + t.x, self.y + t.y)

    def local_footprint(self) -> Box:
        b = self.shape.extent
        lb = self.shape.label_box()
        if lb is not None:
            b = b.union(lb)
        for pin, (kind, text) in self.ports.items():
            if pin in self.shape.pins:
                b = b.union(port_box(kind, self.shape.pins[pin], text))
        return b.grown(MARGIN)

    def footprint(self) -> Box:
        return self.local_footprint().moved(self.x, self.y)


def _away(pl: Placed, toward: dict[str, tuple[float, float]]) -> float:
    """How much a part's pins point away from where their partners are (0 = all face them)."""
    bad = 0.0
    for pin, (tx, ty) in toward.items():
        t = pl.shape.pins.get(pin)
        if t is None:
            continue
        vx, vy = tx - (pl.x + t.x), ty - (pl.y + t.y)
        n = (vx * vx + vy * vy) ** 0.5
        if n > 1e-6:
            bad += max(0.0, -(t.dir[0] * vx + t.dir[1] * vy) / n)
    return bad


def part_infos(netlist: Netlist) -> list[PartInfo]:
    infos = []
    for part in netlist.circuit.parts:
        if part.id not in netlist.parts or netlist.parts[part.id] is not part:
            continue  # a duplicate id: the netlist keeps one part per id
        rec = netlist.library.get(part.type)
        pin_net: dict[str, str] = {}
        for net in netlist.nets:
            for ep in net.pins:
                pid, pin = ep.split(":", 1)
                if pid == part.id:
                    pin_net[pin] = net.name
        if rec is not None:
            all_names = [n for n in rec.pin_names if rec.pin(n).type != "nc" or n in pin_net]
        else:
            all_names = sorted(pin_net)
        kind, roles = symbol_roles(rec, all_names, part)
        if kind == "block":
            names, hidden = block_pin_names(rec, part.id, set(pin_net))
            if rec is None:
                names = all_names
        else:
            names, hidden = all_names, 0
        infos.append(PartInfo(part, rec, kind, roles, names, hidden, pin_net))
    return infos


class Placer:
    def __init__(self, netlist: Netlist, side_min: int = SIDE_MIN):
        self.netlist = netlist
        self.side_min = side_min   # wired pins a side keeps whatever its share (see _group_sides)
        self.kinds = {n.name: net_kind(netlist, n) for n in netlist.nets}
        self.labels = {n.name: n.name for n in netlist.nets}
        # arrays (a strip, parallel copies) are drawn once: the first member stands for the rest
        self.arrays: dict[str, Array] = {a.first: a for a in find_arrays(netlist, self.kinds)}
        hidden = {pid for a in self.arrays.values() for pid in a.hidden}
        self.infos = [i for i in part_infos(netlist) if i.part.id not in hidden]
        self.by_id = {i.part.id: i for i in self.infos}
        moved: dict[tuple[str, str], str] = {}   # (drawn part, pin) -> the net it shows instead of its own
        for a in self.arrays.values():
            info = self.by_id.get(a.first)
            for pin, net in a.pin_net.items():
                if info is not None and pin in info.pin_net:
                    moved[(a.first, pin)] = net
                    info.pin_net[pin] = net
        # signal nets as lists of (part, pin)
        self.signal: dict[str, list[tuple[str, str]]] = {}
        for n in netlist.nets:
            if self.kinds[n.name] != "signal":
                continue
            eps = []
            for ep in n.pins:
                pid, pin = ep.split(":", 1)
                if pid in self.by_id and (pid, pin) not in moved:
                    eps.append((pid, pin))
            eps += [ep for ep, net in moved.items() if net == n.name]
            self.signal[n.name] = eps
        self.placed: dict[str, Placed] = {}
        self.fixed: dict[str, tuple[dict[str, list[str]], dict[str, float]]] = {}   # blocks with set pin spacing
        self.serves: dict[str, tuple[str, str]] = {}   # companion drawn without a wire -> (part, pin) it serves
        self.fanned: dict[str, list[str]] = {}
        self.pinned: set[str] = set()   # branches wrapped into a second column: the force step leaves them
        self.anchor: dict[str, str] = {}   # a companion drawn without a wire -> the part it serves (moves with it)   # a module off the board -> the branches stacked along its pins

    # ---- shapes ----------------------------------------------------------------------
    def _ports(self, info: PartInfo) -> dict[str, tuple[str, str]]:
        out = {}
        for pin, net in info.pin_net.items():
            k = self.kinds.get(net)
            if k in ("gnd", "rail"):
                out[pin] = (k, self.labels[net])
        return out

    def _power_role(self, info: PartInfo) -> tuple[str | None, str | None]:
        """The symbol roles that sit on ground and on a rail."""
        g = r = None
        for role, pin in info.roles.items():
            k = self.kinds.get(info.pin_net.get(pin, ""))
            if k == "gnd" and g is None:
                g = role
            elif k == "rail" and r is None:
                r = role
        return g, r

    def make_shape(self, info: PartInfo, toward: dict[str, tuple[float, float]] | None = None,
                   origin: tuple[float, float] = (0.0, 0.0)) -> Shape:
        """The part's shape, turned so pins face their partners (``toward``: pin -> partner position).
        The part an array is drawn as carries the array's name and count instead of its own id."""
        sh = self._shape(info, toward, origin)
        arr = self.arrays.get(info.part.id)
        if arr is not None:
            for lb in sh.labels:
                if lb.css == "pid" and lb.text == clean_text(info.part.id, 24):
                    lb.text = arr.label()
                    break
        return sh

    def _shape(self, info: PartInfo, toward: dict[str, tuple[float, float]] | None = None,
               origin: tuple[float, float] = (0.0, 0.0)) -> Shape:
        toward = toward or {}
        if info.part.id in self.fixed:
            sides, pin_y = self.fixed[info.part.id]
            return block_shape(info.part, info.rec, sides, info.hidden, pin_y)
        if info.kind == "block":
            sides = default_sides(info.rec, info.names)
            if not toward:
                sides = self._group_sides(info, sides)
            # a wired signal pin goes on the side facing what it connects to; unwired ones keep
            # the record's convention (inputs left, outputs right)
            flex = [n for n in sides["left"] + sides["right"] if n in toward]
            for n in flex:
                for s in ("left", "right"):
                    if n in sides[s]:
                        sides[s].remove(n)
                sides["left" if toward[n][0] < origin[0] else "right"].append(n)
            order = {n: i for i, n in enumerate(info.names)}
            for s in ("left", "right"):
                sides[s].sort(key=lambda n: (toward[n][1], order.get(n, 0)) if n in toward else (1e9, order.get(n, 0)))
            for s in ("top", "bottom"):
                sides[s].sort(key=lambda n: (toward[n][0], order.get(n, 0)) if n in toward else (1e9, order.get(n, 0)))
            return block_shape(info.part, info.rec, sides, info.hidden)
        rot = self._rotation(info, toward, origin)
        mirror = False
        side_pin = next((info.roles[r] for r in ("base", "gate", "wiper") if r in info.roles), None)
        if side_pin is not None and side_pin in toward:
            # base/gate/wiper on the side where what drives it is
            facing = -1 if info.kind != "potentiometer" else (1 if rot == 0 else -1)
            mirror = (toward[side_pin][0] - origin[0]) * facing < 0
        return symbol_shape(info.part, info.rec, info.kind, info.roles, rot, mirror)

    def _group_sides(self, info: PartInfo, sides: dict[str, list[str]]) -> dict[str, list[str]]:
        """A block's wired signal pins, grouped by the part they lead to, each group kept on one
        side (a motor driver's six inputs all face the driver), the groups balanced between the
        right and the left side in pin order."""
        wired = [n for n in sides["left"] + sides["right"]
                 if self.kinds.get(info.pin_net.get(n, "")) == "signal"]
        if not wired:
            return sides
        order = {n: i for i, n in enumerate(info.names)}
        groups: dict[str, list[str]] = {}
        # parts wired to each other past the block (a radio behind a level shifter) are one group, so
        # they land on one side, next to each other, and their wires need not cross the block
        cluster = self._clusters(info.part.id)
        for n in sorted(wired, key=lambda n: order.get(n, 0)):
            dest = self._destination(info.part.id, info.pin_net[n])
            groups.setdefault(cluster.get(dest, dest) if dest else n, []).append(n)
        out = {k: [n for n in v if n not in wired] for k, v in sides.items()}
        # signals flow left to right: what feeds the block (a sensor's output, a button, a knob) goes
        # on the left, what it drives on the right; the rest balances the two sides
        flow = {key: self._flow(info.part.id, pins) for key, pins in groups.items()}
        for key, pins in groups.items():
            if flow[key]:
                out["left" if flow[key] < 0 else "right"] += pins
        # ... but past SIDE_MIN pins no side takes more than SIDE_SHARE of them (a board driving many loads would be
        # one tall column): the last groups move over
        for sign, side, other in ((1, "right", "left"), (-1, "left", "right")):
            keys = [k for k in groups if flow[k] == sign]
            while (len(keys) > 1 and sum(len(groups[k]) for k in keys) > SIDE_SHARE * len(wired)
                   and sum(len(groups[k]) for k in keys) > self.side_min):
                k = keys.pop()
                flow[k] = -sign
                out[side] = [n for n in out[side] if n not in groups[k]]
                out[other] += groups[k]
        on_right = sum(len(p) for k, p in groups.items() if flow[k] > 0)
        on_left = sum(len(p) for k, p in groups.items() if flow[k] < 0)
        for key, pins in groups.items():
            if flow[key]:
                continue
            side = "right" if on_right <= on_left else "left"
            out[side] += pins
            if side == "right":
                on_right += len(pins)
            else:
                on_left += len(pins)
        for s in ("left", "right"):
            out[s].sort(key=lambda n: order.get(n, 0))
        return out

    def _clusters(self, hub: str) -> dict[str, str]:
        """Part -> the first part of its cluster: parts joined by signal nets that do not reach ``hub``
        (what is wired together beyond the hub, not merely through its pins or a bus it is on)."""
        parent: dict[str, str] = {}

        def find(a: str) -> str:
            while parent.setdefault(a, a) != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for eps in self.signal.values():
            pids = [p for p, _ in eps]
            if hub in pids:
                continue
            for p in pids[1:]:
                ra, rb = find(pids[0]), find(p)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
        return {p: find(p) for p in list(parent)}

    def _destination(self, pid: str, net: str) -> str | None:
        """The part a pin's signal leads to: the first other part on its net, or, through a series resistor
        (a two-terminal part whose other end goes on to one part), the part beyond it, so the eight
        resistors to a display's segments count as one group, the display."""
        others = [o for o, _ in self.signal.get(net, []) if o != pid]
        if not others:
            return None
        seen = {pid}
        cur, via = others[0], net
        for _ in range(3):
            info = self.by_id[cur]
            if len(others) != 1 or info.kind not in ("resistor", "capacitor", "inductor", "diode"):
                break
            ends = [n for n in info.pin_net.values() if n != via and self.kinds.get(n) == "signal"]
            seen.add(cur)
            beyond = [o for o, _ in self.signal.get(ends[0], []) if o not in seen] if len(ends) == 1 else []
            if len({*beyond}) != 1:
                break
            cur, via, others = beyond[0], ends[0], beyond
        return cur

    def _flow(self, pid: str, pins: list[str]) -> int:
        """Which way signals on these pins of ``pid`` run: -1 into it (from a part whose record only senses,
        an output, a switch, a knob), +1 out of it (to a part that only acts, an input or a load), 0 when
        neither the records nor the pin types say."""
        score = 0
        info = self.by_id[pid]
        for pin in pins:
            net = info.pin_net.get(pin, "")
            dest = self._destination(pid, net)
            d = part_direction(self.by_id[dest].rec) if dest in self.by_id else 0
            if d:   # what the line leads to, past a series resistor: a sensor feeds it, an LED is driven
                score += d
                continue
            for opid, opin in self.signal.get(net, []):
                if opid == pid:
                    continue
                o = self.by_id[opid]
                p = o.rec.pin(opin) if o.rec else None
                if o.kind in ("switch", "potentiometer") or (p is not None and p.type in ("digital_out", "analog_out")):
                    score -= 1
                elif p is not None and p.type in ("digital_in", "analog_in") or o.kind in ("led", "resistor"):
                    score += 1
        return (score > 0) - (score < 0)

    def _rotation(self, info: PartInfo, toward: dict[str, tuple[float, float]], origin: tuple[float, float]) -> int:
        if info.kind not in TWO_TERMINAL and info.kind != "potentiometer":
            return 0
        g, r = self._power_role(info)
        if info.kind == "potentiometer":
            return 180 if g == "a" or (g is None and r == "b") else 0
        if g is not None and r is not None and g != r:
            return 0 if g == "b" else 180
        if g is not None:
            return 0 if g == "b" else 180
        if r is not None:
            return 0 if r == "a" else 180
        # signal on both ends: point terminal a towards its partners, b towards its partners
        pa, pb = toward.get(info.roles["a"]), toward.get(info.roles["b"])
        if pa is None and pb is None:
            return 270
        if pa is not None and pb is not None:
            dx, dy = pb[0] - pa[0], pb[1] - pa[1]
        elif pa is not None:
            dx, dy = origin[0] - pa[0], origin[1] - pa[1]
        else:
            dx, dy = pb[0] - origin[0], pb[1] - origin[1]
        if abs(dx) >= abs(dy):
            return 270 if dx >= 0 else 90   # a on the left / right
        return 0 if dy >= 0 else 180        # a on top / bottom

    def _place(self, info: PartInfo, shape: Shape, x: float, y: float) -> Placed:
        pl = Placed(info, shape, x, y, self._ports(info))
        self.placed[info.part.id] = pl
        return pl

    # ---- 1. seed ---------------------------------------------------------------------
    def hub(self, infos: list[PartInfo]) -> PartInfo:
        """The part everything is placed around: the microcontroller, else a block, else the busiest part."""
        return max(infos, key=lambda i: (i.rec is not None and i.rec.is_mcu, i.kind == "block",
                                         len(i.pin_net), -self.infos.index(i)))

    def partners(self, pid: str) -> list[tuple[str, str, str]]:
        """(my pin, other part, other pin) over signal nets."""
        out = []
        info = self.by_id[pid]
        for pin, net in info.pin_net.items():
            for opid, opin in self.signal.get(net, []):
                if opid != pid:
                    out.append((pin, opid, opin))
        return out

    def seed(self) -> list[str]:
        order: list[str] = []
        while len(self.placed) < len(self.infos):
            served = None
            root = self.hub([i for i in self.infos if i.part.id not in self.placed])
            shape = self.make_shape(root)
            if not self.placed:
                x, y = 0.0, 0.0
            else:
                # a part with no signal path to what is placed: by the pin it serves (a decoupling
                # capacitor at its IC's supply pin), else next to a part it shares power nets with,
                # else under everything
                served = self._served_pin(root)
                anchor = self._power_buddy(root)
                allb = [pl.footprint() for pl in self.placed.values()]
                if served is not None:
                    pl_s, pin = served
                    (px, py), d = pl_s.tip(pin), pl_s.shape.pins[pin].dir
                    ext = shape.extent
                    # out in front of the pin, just beside its rail label or ground symbol; the group
                    # then moves to the nearest free spot
                    cx = px + d[0] * (REACH + ext.w / 2) + (3 * GRID if d[0] == 0 else 0)
                    cy = py + d[1] * (REACH + ext.h / 2)
                    x, y = cx - ext.cx, cy - ext.cy
                elif anchor is not None:
                    fp = anchor.footprint()
                    x, y = fp.right + GAP - shape.extent.x + MARGIN, fp.cy
                else:
                    bottom = max(b.bottom for b in allb)
                    x, y = min(b.x for b in allb) - shape.extent.x, bottom + GAP - shape.extent.y + MARGIN
            before = [pl.footprint() for pl in self.placed.values()]
            self._place(root, shape, snap(x), snap(y))
            ids = [root.part.id]
            if root.kind == "block":
                ids += self._branches(root.part.id)
            ids += self._grow(root.part.id)
            if before:
                # the new group moves as one to the nearest spot where it overlaps nothing
                dx, dy = self._free_offset(self._union(ids), before)
                self._shift(ids, dx, 0)
                self._shift(ids, dy, 1)
                if served is not None and root.kind in COMPANION_KINDS:
                    self.anchor[root.part.id] = served[0].info.part.id   # it moves with the part it serves
            order += ids
        return order

    @staticmethod
    def _free_offset(box: Box, fixed: list[Box], gap: float = GAP) -> tuple[int, int]:
        if not any(box.overlaps(b, gap) for b in fixed):
            return (0, 0)
        for r in range(1, 400):
            ring = []
            for k in range(-r, r + 1):
                ring += [(k, -r), (k, r), (-r, k), (r, k)]
            ring.sort(key=lambda d: abs(d[0]) + abs(d[1]))
            for dx, dy in ring:
                if not any(box.moved(dx * GRID, dy * GRID).overlaps(b, gap) for b in fixed):
                    return (dx * GRID, dy * GRID)
        return (0, 0)  # pragma: no cover - the sheet is unbounded

    def _branches(self, root: str) -> list[str]:
        """Around a block: what hangs off each pin is laid out as a branch in front of that pin,
        branches stacked in pin order along each side; the block's side pins are then spaced
        (and ordered) to line up with what they connect to, so the wires run straight."""
        order: list[str] = []
        targets: dict[str, float] = {}
        for side in ("left", "right", "top", "bottom"):
            if side == "top":
                self._respace(root, targets)
            hub = self.placed[root]
            axis = 1 if side in ("left", "right") else 0
            chains: list[tuple[str, list[str]]] = []
            for pin in hub.shape.sides.get(side, []):
                ids = self._grow(root, only_pin=pin)
                if ids:
                    chains.append((pin, ids))
            cursor = None
            misalign = []
            for pin, ids in chains:
                box = self._union(ids)
                lo = box.y if axis else box.x
                if cursor is not None and lo < cursor:
                    self._shift(ids, snap_up(cursor - lo), axis)
                    box = self._union(ids)
                cursor = (box.bottom if axis else box.right) + GAP
                first = self.placed[ids[0]]
                for mine, opid, opin in self.partners(ids[0]):
                    if opid == root and opin == pin and mine in first.shape.pins:
                        misalign.append(hub.tip(pin)[axis] - first.tip(mine)[axis])
                        break
                order += ids
            if axis:
                self._wrap(root, side, chains)
                targets.update(self._side_targets(root, side, {i for _, ids in chains for i in ids}))
            elif misalign:
                mean = snap(sum(misalign) / len(misalign))
                for _, ids in chains:
                    self._shift(ids, mean, axis)
        return order

    def _wrap(self, root: str, side: str, chains: list[tuple[str, list[str]]]) -> None:
        """A side stacked taller than WRAP_HEIGHT with small branches (thirty LEDs, each with its resistor, on
        thirty pins) becomes two columns: every second branch moves out beyond the first column, its wire
        running to it through a gap kept between two branches of the first column, so the side is about half
        as tall. The moved branches are pinned there (the force step leaves them)."""
        if len(chains) < WRAP_MIN or any(self.placed[i].shape.kind == "block" for _, ids in chains for i in ids):
            return
        boxes = [self._union(ids) for _, ids in chains]
        if boxes[-1].bottom - boxes[0].y <= WRAP_HEIGHT:
            return
        hub = self.placed[root]
        wire_at: dict[int, float] = {}
        for k, (pin, ids) in enumerate(chains):
            first = self.placed[ids[0]]
            mine = next((m for m, o, op in self.partners(ids[0]) if o == root and op == pin and m in first.shape.pins),
                        None)
            if mine is None or first.shape.pins[mine].dir != (LEFT if side == "right" else RIGHT):
                return   # the branch is not entered from the board's side: a wire could not pass straight
            wire_at[k] = first.tip(mine)[1]
        sign = 1 if side == "right" else -1
        inner = [k for k in range(len(chains)) if k % 2 == 0]
        outer = [k for k in range(len(chains)) if k % 2 == 1]
        edge = max(boxes[k].right for k in inner) if sign > 0 else min(boxes[k].x for k in inner)
        slot = snap_up(GAP + 2 * GRID, 2 * GRID)    # room between two inner branches for a wire to pass
        cursor_in, cursor_out = boxes[0].y, boxes[0].y
        for k in range(0, len(chains), 2):
            ids, box = chains[k][1], boxes[k]
            self._shift(ids, snap(cursor_in - box.y), 1)
            bottom = box.bottom + snap(cursor_in - box.y)
            cursor_in = bottom + GAP
            if k + 1 >= len(chains):
                break
            o_ids, o_box = chains[k + 1][1], boxes[k + 1]
            off = wire_at[k + 1] - o_box.y
            y_w = max(snap(bottom + slot / 2), snap_up(cursor_out + off))
            dx = (edge + GAP - o_box.x) if sign > 0 else (edge - GAP - o_box.right)
            self._shift(o_ids, snap(dx) if sign > 0 else -snap_up(-dx), 0)
            self._shift(o_ids, y_w - wire_at[k + 1], 1)
            cursor_out = o_box.bottom + (y_w - wire_at[k + 1]) + GAP
            cursor_in = max(cursor_in, y_w + slot / 2)
        for _, ids in chains:
            self.pinned.update(ids)

    def _side_targets(self, root: str, side: str, ids: set[str]) -> dict[str, float]:
        """Where each pin on a side of the block should be (y) to meet its partner in ``ids``:
        level with a partner pin that faces the block, one REACH above one that faces up."""
        hub = self.placed[root]
        out_dir = LEFT if side == "left" else RIGHT
        out: dict[str, float] = {}
        for pin in hub.shape.sides.get(side, []):
            best = None
            for mine, opid, opin in self.partners(root):
                if mine != pin or opid not in ids or opin not in self.placed[opid].shape.pins:
                    continue
                o = self.placed[opid]
                t = o.shape.pins[opin]
                facing = t.dir == (-out_dir[0], -out_dir[1])
                y = o.tip(opin)[1] + t.dir[1] * REACH
                if best is None or (facing and not best[0]):
                    best = (facing, y)
            if best is not None:
                out[pin] = best[1]
        return out

    def _respace(self, root: str, targets: dict[str, float]) -> None:
        """Rebuild the block with its side pins at ``targets`` (absolute y), ordered by them."""
        pl = self.placed[root]
        if not targets or all(abs(pl.tip(n)[1] - y) < 0.5 for n, y in targets.items() if n in pl.shape.pins):
            return
        sides = {k: list(v) for k, v in pl.shape.sides.items()}
        for s in ("left", "right"):
            pos = {n: i for i, n in enumerate(sides[s])}
            sides[s].sort(key=lambda n: (targets.get(n, float("inf")), pos[n]))
        self.fixed[root] = (sides, dict(targets))
        shape = self.make_shape(pl.info)
        pin = next(n for n in targets if n in shape.pins)
        pl.shape = shape
        pl.y = targets[pin] - shape.pins[pin].y

    def _union(self, ids: list[str]) -> Box:
        box = self.placed[ids[0]].footprint()
        for i in ids[1:]:
            box = box.union(self.placed[i].footprint())
        return box

    def _shift(self, ids: list[str], amount: float, axis: int) -> None:
        for i in ids:
            if axis:
                self.placed[i].y += amount
            else:
                self.placed[i].x += amount

    def _grow(self, root: str, only_pin: str | None = None) -> list[str]:
        """Breadth-first from ``root``: each new part goes in front of the pin it connects to."""
        order, queue = [], [root]
        mine = [root]
        # growing one pin's branch, the parts wired straight to the root's other pins are left to their
        # own branches (a resistor between the board and a display sits in front of its board pin, not
        # beyond the display)
        theirs = ({opid for pin, opid, _ in self.partners(root) if pin != only_pin and pin in self.placed[root].shape.pins}
                  if only_pin is not None else set())
        while queue:
            pid = queue.pop(0)
            p = self.placed[pid]
            if FAN_OUT and pid != root and self._fans_out(pid):
                # a module reached through another (a shift register off the board) lays out what
                # hangs off its pins the way the board does: one branch per pin, stacked along its side
                ids = self._branches(pid)
                self.fanned[pid] = list(ids)
                mine += ids
                order += ids
                continue
            # small parts first, right at the pin; modules after them, further out
            for pin, opid, opin in sorted(self.partners(pid), key=lambda t: self.by_id[t[1]].kind == "block"):
                if opid in self.placed or pin not in p.shape.pins:
                    continue
                if only_pin is not None and pid == root and pin != only_pin:
                    continue
                if pid != root and opid in theirs and self._shared(opid, pid) <= self._shared(opid, root):
                    continue
                q = self.by_id[opid]
                ax, ay = p.tip(pin)
                d = p.shape.pins[pin].dir
                guess = (ax + d[0] * 8 * GRID, ay + d[1] * 8 * GRID)
                toward = {opin: (ax, ay)}
                if q.kind == "block":
                    # a module passing signals on (a level shifter): pins to placed parts face them, pins to
                    # parts not placed yet face away, so what they lead to goes beyond it
                    for qpin, o, o_pin in self.partners(opid):
                        if qpin in toward:
                            continue
                        op = self.placed.get(o)
                        toward[qpin] = (op.tip(o_pin) if op is not None and o_pin in op.shape.pins
                                        else (guess[0] + d[0] * 40 * GRID, guess[1] + d[1] * 40 * GRID))
                shape = self.make_shape(q, toward, guess)
                if opin not in shape.pins:
                    continue
                b = shape.pins[opin]
                rb = REACH + self._room(q, shape, opin)
                tx = ax + d[0] * REACH - b.dir[0] * rb - b.x
                ty = ay + d[1] * REACH - b.dir[1] * rb - b.y
                # clear of what this branch already holds: further out along the pin, or, for a
                # part hanging off sideways (an LED under a resistor), further along its own pin
                step = (-b.dir[0], -b.dir[1]) if (b.dir[0] * d[0] + b.dir[1] * d[1]) == 0 else d
                pl = self._place(q, shape, tx, ty)
                local = pl.local_footprint()
                # the nearest clear spot, out along the pin or along the part's own pin (never
                # tucked in beside the block it hangs from)
                dirs = (d,) if local.moved(tx, ty).overlaps(self.placed[root].footprint(), GAP) else (step, d)
                if q.kind == "block" and len(dirs) > 1:
                    # a module beside another module on the same net (a bus) is stacked below it,
                    # so both hang off one trunk; past small parts it just moves further out
                    near = [o for o in mine if o != root
                            and local.moved(tx, ty).overlaps(self.placed[o].footprint(), GAP)]
                    dirs = ((abs(d[1]), abs(d[0])),) if any(self.placed[o].shape.kind == "block" for o in near) else (d,)
                # a group keeps clear of itself here; groups are moved clear of each other after
                avoid = mine
                best = None
                for k in range(0, 80):
                    for st in dirs:
                        x, y = tx + st[0] * k * GRID, ty + st[1] * k * GRID
                        if not any(local.moved(x, y).overlaps(self.placed[o].footprint(), GAP) for o in avoid):
                            best = (x, y)
                            break
                    if best:
                        break
                x, y = best or (tx, ty)
                pl.x, pl.y = x, y
                mine.append(opid)
                order.append(opid)
                queue.append(opid)
        return order

    def _shared(self, a: str, b: str) -> int:
        """How many signal nets join parts ``a`` and ``b``."""
        return sum(1 for eps in self.signal.values() if {a, b} <= {p for p, _ in eps})

    def _room(self, info: PartInfo, shape: Shape, pin: str) -> float:
        """Extra space in front of a module's side for the wires that come into it (one track per wired
        pin on that side beyond the first), so seven lines converging on a display's pins have room to
        turn instead of going round it. None for a module whose branches sit level with its pins."""
        if shape.kind != "block" or info.part.id in self.fanned:
            return 0.0
        side = next((k for k, v in shape.sides.items() if pin in v), None)
        if side is None:
            return 0.0
        wired = [n for n in shape.sides[side] if self.kinds.get(info.pin_net.get(n, "")) == "signal"]
        return max(0, len(wired) - 2) * GRID

    def _fans_out(self, pid: str) -> bool:
        """A block with more than one pin leading to parts not placed yet, each a branch of its own (what
        hangs off those pins leads back to nothing placed: else it belongs between the two)."""
        if self.by_id[pid].kind != "block":
            return False
        p = self.placed[pid]
        pins = {pin for pin, opid, _ in self.partners(pid) if opid not in self.placed and pin in p.shape.pins}
        return len(pins) > 1 and not self._reaches_placed(pid)

    def _reaches_placed(self, pid: str) -> bool:
        """Whether what hangs off ``pid``'s unplaced partners (not through ``pid``) reaches a placed part."""
        seen = {pid}
        queue = [opid for _, opid, _ in self.partners(pid) if opid not in self.placed]
        while queue:
            q = queue.pop()
            if q in seen:
                continue
            seen.add(q)
            for _, opid, _ in self.partners(q):
                if opid in seen:
                    continue
                if opid in self.placed:
                    return True
                queue.append(opid)
        return False

    def _served_pin(self, info: PartInfo) -> tuple[Placed, str] | None:
        """The placed pin this part was wired to in the document (a capacitor's wire to its IC's VCC):
        a supply pin of a part that is not a board first, then any supply or ground pin."""
        nl = self.netlist
        best = None
        for conn in nl.circuit.connections:
            for mine, other in ((conn.source, conn.target), (conn.target, conn.source)):
                if not mine.startswith(info.part.id + ":"):
                    continue
                ep = nl._canonical(other)
                if ep is None:
                    continue
                pid, pin = ep.split(":", 1)
                pl = self.placed.get(pid)
                if pl is None or pid == info.part.id or pin not in pl.shape.pins:
                    continue
                p = nl.pin(ep)
                rank = (pl.info.rec is not None and pl.info.rec.is_mcu,
                        p is None or p.type != "power_in", pl.info.kind in TWO_TERMINAL)
                if best is None or rank < best[0]:
                    best = (rank, pl, pin)
        return (best[1], best[2]) if best else None

    def _power_buddy(self, info: PartInfo) -> Placed | None:
        """The placed part sharing the most supply/ground nets with ``info`` (its IC, for a decoupling cap)."""
        nets = {n for n in info.pin_net.values() if self.kinds.get(n) != "signal"}
        best, score = None, 0
        for pl in self.placed.values():
            share = len(nets & set(pl.info.pin_net.values()))
            if share > score:
                best, score = pl, share
        return best

    # ---- 2. forces -------------------------------------------------------------------
    def relax(self, hub_id: str, rounds: int = 120) -> None:
        ids = list(self.placed)
        pairs = []
        for name, eps in self.signal.items():
            for i, (pa, na) in enumerate(eps):
                for pb, nb in eps[i + 1:]:
                    if pa != pb and pa in self.placed and pb in self.placed:
                        pairs.append((pa, na, pb, nb, 1.0 / max(1, len(eps) - 1)))
        room = {}
        for pa, na, pb, nb, _ in pairs:
            for pid, pin in ((pa, na), (pb, nb)):
                if (pid, pin) not in room:
                    pl = self.placed[pid]
                    room[(pid, pin)] = 0.0 if pid == hub_id else self._room(pl.info, pl.shape, pin)
        for it in range(rounds):
            fx = {i: 0.0 for i in ids}
            fy = {i: 0.0 for i in ids}
            for pa, na, pb, nb, w in pairs:
                A, B = self.placed[pa], self.placed[pb]
                if na not in A.shape.pins or nb not in B.shape.pins:
                    continue
                (ax, ay), (bx, by) = A.tip(na), B.tip(nb)
                da, db = A.shape.pins[na].dir, B.shape.pins[nb].dir
                # b wants to sit in front of a, a in front of b
                ra, rb = REACH + room[(pa, na)], REACH + room[(pb, nb)]
                tbx, tby = ax + da[0] * ra - db[0] * rb, ay + da[1] * ra - db[1] * rb
                tax, tay = bx + db[0] * rb - da[0] * ra, by + db[1] * rb - da[1] * ra
                # springs are stiff along the pin's direction, soft across it, so a stack of
                # branches fanning out from a board keeps its order instead of collapsing
                # pins facing each other want to line up (stiff along their axis); pins at right
                # angles are happy with any L-shaped wire (soft)
                facing = da[0] == -db[0] and da[1] == -db[1]
                # two modules facing each other also want their pins level, so the wires between them
                # run straight (a small part keeps its place in its stack)
                across = CROSS_PULL if facing and A.shape.kind == "block" and B.shape.kind == "block" else PERP
                kx = 1.0 if facing and da[0] else across
                ky = 1.0 if facing and da[1] else across
                fx[pb] += 0.15 * w * (tbx - bx) * kx
                fy[pb] += 0.15 * w * (tby - by) * ky
                fx[pa] += 0.15 * w * (tax - ax) * kx
                fy[pa] += 0.15 * w * (tay - ay) * ky
            fps = {i: self.placed[i].footprint() for i in ids}
            for i_, a in enumerate(ids):
                for b in ids[i_ + 1:]:
                    A, B = fps[a], fps[b]
                    if not A.overlaps(B, GAP):
                        continue
                    px = min(A.right + GAP - B.x, B.right + GAP - A.x)
                    py = min(A.bottom + GAP - B.y, B.bottom + GAP - A.y)
                    if px < py:
                        s = 1 if B.cx >= A.cx else -1
                        fx[b] += s * px * 0.5
                        fx[a] -= s * px * 0.5
                    else:
                        s = 1 if B.cy >= A.cy else -1
                        fy[b] += s * py * 0.5
                        fy[a] -= s * py * 0.5
            step = 1.0 if it < rounds * 0.7 else 0.5
            moves = {}
            for i in ids:
                if i == hub_id:
                    continue
                moves[i] = (max(-2 * GRID, min(2 * GRID, fx[i] * step)), max(-2 * GRID, min(2 * GRID, fy[i] * step)))
            # a module's stacked branches move with it (they stay in front of its pins)
            for b, members in self.fanned.items():
                bx, by = moves.get(b, (0.0, 0.0))
                for m in members:
                    if m in moves:
                        moves[m] = (moves[m][0] + bx, moves[m][1] + by)
            for c, served in self.anchor.items():
                if c in moves and served in moves:
                    moves[c] = (moves[c][0] + moves[served][0], moves[c][1] + moves[served][1])
            for i, (mx, my) in moves.items():
                if i in self.pinned:
                    continue
                self.placed[i].x += mx
                self.placed[i].y += my

    # ---- 3. re-orient from the neighbours' positions ----------------------------------------
    def reorient(self) -> None:
        """Turn symbols whose pins point away from their partners; re-side block I/O pins."""
        for pid, pl in self.placed.items():
            sums: dict[str, list[float]] = {}
            for pin, opid, opin in self.partners(pid):
                o = self.placed.get(opid)
                if o is None or opin not in o.shape.pins:
                    continue
                x, y = o.tip(opin)
                w = 4.0 if o.shape.kind == "block" else 1.0   # a module's pin faces the board first
                acc = sums.setdefault(pin, [0.0, 0.0, 0.0])
                acc[0] += w * x
                acc[1] += w * y
                acc[2] += w
            toward = {pin: (a[0] / a[2], a[1] / a[2]) for pin, a in sums.items()}
            fp = pl.footprint()
            shape = self.make_shape(pl.info, toward, (fp.cx, fp.cy))
            old = pl.local_footprint()
            trial = Placed(pl.info, shape, pl.x, pl.y, pl.ports)
            new = trial.local_footprint()
            trial.x += old.cx - new.cx    # keep the centre where it was
            trial.y += old.cy - new.cy
            if shape.kind != "block" and _away(trial, toward) >= _away(pl, toward) - 0.3:
                continue
            pl.shape, pl.x, pl.y = shape, trial.x, trial.y

    # ---- 4. grid + legalise ------------------------------------------------------------
    def legalise(self, order: list[str]) -> None:
        fixed: list[Box] = []
        done: set[str] = set()
        # a part served by companions drawn without a wire (its decoupling capacitor) keeps room for them in
        # front of the pins they serve until they are fixed: index in ``fixed`` -> (its own box, companions)
        keep: dict[int, tuple[Box, set[str]]] = {}
        by_served: dict[str, list[str]] = {}
        for c, served in self.anchor.items():
            by_served.setdefault(served, []).append(c)
        for pid in order:
            pl = self.placed[pid]
            want = (snap(pl.x), snap(pl.y))
            spot_for = self._companion_spot(pl) if pid in self.anchor else None
            if spot_for is not None:
                want = spot_for
            cands = [want]
            for pin, opid, opin in self.partners(pid):
                if opid not in done or pin not in pl.shape.pins:
                    continue
                o = self.placed[opid]
                if opin not in o.shape.pins:
                    continue
                ox, oy = o.tip(opin)
                t, od = pl.shape.pins[pin], o.shape.pins[opin].dir
                if od in (LEFT, RIGHT) and t.dir[1] == 0:
                    cands.append((want[0], oy - t.y))
                elif od in (UP, DOWN) and t.dir[0] == 0:
                    cands.append((ox - t.x, want[1]))
            local = pl.local_footprint()
            room = local
            for c in by_served.get(pid, []):
                spot_c = self._companion_spot(self.placed[c], (0.0, 0.0))
                if spot_c is not None:
                    room = room.union(self.placed[c].local_footprint().moved(*spot_c))
            # what this part must keep clear of: every fixed box, a served part's own box (not the room it
            # keeps) when this is its companion
            against = [keep[i][0] if i in keep and pid in keep[i][1] else b for i, b in enumerate(fixed)]
            spot = None
            # spots where wires to already fixed parts run straight come first: the spot that makes the
            # most wires straight (a module level with the board's pins it faces), then the nearest; a
            # part may move further for more straight wires
            votes: dict[tuple[float, float], int] = {}
            for c in cands[1:]:
                votes[c] = votes.get(c, 0) + 1
            aligned = sorted(votes, key=lambda c: (-votes[c], abs(c[0] - want[0]) + abs(c[1] - want[1])))
            for cx, cy in aligned + [want]:
                reach = min(ALIGN_REACH, 6 + 4 * (votes.get((cx, cy), 1) - 1)) * GRID
                if abs(cx - want[0]) + abs(cy - want[1]) > reach:
                    continue
                if not any(room.moved(cx, cy).overlaps(b, GAP) for b in against):
                    spot = (cx, cy)
                    break
            if spot is None:
                spot = self._nearest_free(room, want, against)
            pl.x, pl.y = spot
            if room is not local:
                keep[len(fixed)] = (local.moved(*spot), set(by_served[pid]))
            fixed.append(room.moved(*spot))
            done.add(pid)
            for _, comps in keep.values():
                comps.discard(pid)
            for i in [i for i, (own, comps) in keep.items() if not comps]:
                fixed[i] = keep.pop(i)[0]   # its companions are fixed: the room it kept is free again

    @classmethod
    def _nearest_free(cls, local: Box, want: tuple[int, int], fixed: list[Box], gap: float = GAP) -> tuple[int, int]:
        dx, dy = cls._free_offset(local.moved(*want), fixed, gap)
        return (want[0] + dx, want[1] + dy)

    def run(self) -> dict[str, Placed]:
        order = self.seed()
        if not order:
            return {}
        self.relax(order[0])
        self.reorient()
        self.relax(order[0], rounds=60)
        self.legalise(self._companions_first(order))
        self._tuck_companions()
        self.serves = self._companions()
        return self.placed

    def _companion_spot(self, comp: Placed, served_at: tuple[float, float] | None = None) -> tuple[int, int] | None:
        """Where a companion drawn without a wire goes: out in front of the pin it serves, just beside that
        pin's rail label or ground symbol (``served_at``: where the served part is, if not where it is now)."""
        served = self._served_pin(comp.info)
        if served is None:
            return None
        pl_s, pin = served
        t = pl_s.shape.pins[pin]
        bx, by = served_at if served_at is not None else (pl_s.x, pl_s.y)
        px, py, d = bx + t.x, by + t.y, t.dir
        ext = comp.shape.extent
        cx = px + d[0] * (REACH + ext.w / 2) + (3 * GRID if d[0] == 0 else 0)
        cy = py + d[1] * (REACH + ext.h / 2)
        return snap(cx - ext.cx), snap(cy - ext.cy)

    def _companions_first(self, order: list[str]) -> list[str]:
        """``order`` with each companion drawn without a wire moved to just after the part it serves, so it
        is fixed by that part before other parts take the room around it."""
        out = [pid for pid in order if pid not in self.anchor]
        for c, served in self.anchor.items():
            if c in order:
                out.insert(out.index(served) + 1 if served in out else len(out), c)
        return out

    def _tuck_companions(self) -> None:
        """Each companion drawn without a wire (a decoupling capacitor) moves to the free spot nearest the
        pin it serves, once everything else is fixed, when that is nearer than where it ended up."""
        for c in self.anchor:
            pl = self.placed[c]
            served = self._served_pin(pl.info)
            if served is None:
                continue
            pl_s, pin = served
            (px, py), d = pl_s.tip(pin), pl_s.shape.pins[pin].dir
            ext = pl.shape.extent
            cx = px + d[0] * (REACH + ext.w / 2) + (3 * GRID if d[0] == 0 else 0)
            cy = py + d[1] * (REACH + ext.h / 2)
            others = [o.footprint() for pid, o in self.placed.items() if pid != c]
            local = pl.local_footprint()
            x0, y0 = snap(cx - ext.cx), snap(cy - ext.cy)

            def far(x: float, y: float) -> float:
                return min(abs(x + t.x - px) + abs(y + t.y - py) for t in pl.shape.pins.values())

            # the free spot (it has no wire of its own: one track of clearance is enough) whose nearest pin
            # is closest to the served pin, in front of it or beside it
            best = self._nearest_free(local, (x0, y0), others, GRID)
            best, best_far = min(((pl.x, pl.y), best), key=lambda s: far(*s)), min(far(pl.x, pl.y), far(*best))
            for i in range(-TUCK, TUCK + 1):
                for j in range(-TUCK, TUCK + 1):
                    x, y = x0 + i * GRID, y0 + j * GRID
                    f = far(x, y)
                    if f < best_far and not any(local.moved(x, y).overlaps(b, GRID) for b in others):
                        best, best_far = (x, y), f
            pl.x, pl.y = best

    def _companions(self) -> dict[str, tuple[str, str]]:
        """Parts drawn without a wire (every pin on a supply or ground: a decoupling or bulk capacitor)
        -> the pin they serve (the one the document wires them to), which they should sit by."""
        out = {}
        for pid, pl in self.placed.items():
            kinds = {self.kinds.get(n) for n in pl.info.pin_net.values()}
            if pl.info.kind not in COMPANION_KINDS or not kinds or not kinds <= {"gnd", "rail"}:
                continue
            served = self._served_pin(pl.info)
            if served is not None:
                out[pid] = (served[0].info.part.id, served[1])
        return out
