"""The plan under construction: parts with designators, wires with reasons, rails with their
current budgets, controller pins handed out by capability, and values with their math."""

from __future__ import annotations

from dataclasses import dataclass, field

from agents.models import PinUse, Plan, PlannedPart, Rail, ValueChoice, Wire
from agents.rules import parts as P
from agents.rules.pin_allocator import Allocation, PinAllocator
from circuit.units import format_value
from knowledge.library import Library
from knowledge.record import ComponentRecord


@dataclass
class RailInfo:
    name: str
    volts: float
    endpoint: str
    budget: float | None
    owner: str
    kind: str = "board"          # board | regulator | source
    load: float = 0.0
    domain: str = "main"
    peak: float = 0.0             # sum of the peak currents of what it feeds
    feeds: list[str] = field(default_factory=list)

    def headroom(self) -> float:
        return float("inf") if self.budget is None else self.budget - self.load


@dataclass
class Board:
    id: str
    rec: ComponentRecord
    alloc: PinAllocator

    @property
    def logic(self) -> float:
        return P.logic_level(self.rec) or 5.0


class DesignBuilder:
    def __init__(self, library: Library, title: str = ""):
        self.lib = library
        self.plan = Plan(title=title)
        self.boards: list[Board] = []
        self.rails: list[RailInfo] = []
        self.domain = "main"          # a separate circuit (the second board of a radio link) is its own domain
        self.grounds: dict[str, str] = {}
        self._wired: set[frozenset[str]] = set()
        self.deferred_ground: dict[str, list[tuple[str, str]]] = {}
        self.pin_prefs: dict[str, dict] = {}  # board type -> {(part type, instance, function): [pins]}

    @property
    def ground(self) -> str | None:
        return self.grounds.get(self.domain)

    # ---- parts -------------------------------------------------------------------------
    def rec(self, pid: str) -> ComponentRecord:
        part = self.plan.part(pid)
        if part is None:
            raise KeyError(pid)
        return self.lib[part.type]

    def add(self, key: str, role: str, attrs: dict | None = None, serves: str | None = None) -> str:
        rec = self.lib[key]
        prefix = rec.designator or "U"
        used = {p.id for p in self.plan.parts}
        i = 1
        while f"{prefix}{i}" in used:
            i += 1
        pid = f"{prefix}{i}"
        self.plan.parts.append(PlannedPart(id=pid, type=key, attrs=dict(attrs or {}), role=role, serves=serves))
        return pid

    def parts_of(self, *keys: str) -> list[PlannedPart]:
        return [p for p in self.plan.parts if p.type in keys]

    def set_attr(self, pid: str, name: str, value) -> None:
        part = self.plan.part(pid)
        if part is not None:
            part.attrs[name] = value

    # ---- wiring ------------------------------------------------------------------------
    def wire(self, a: str, b: str, kind: str = "signal", why: str = "") -> None:
        if a == b:
            return
        key = frozenset((a, b))
        if key in self._wired:
            return
        self._wired.add(key)
        self.plan.wires.append(Wire(a=a, b=b, kind=kind, why=why))

    def to_ground(self, endpoint: str, why: str = "") -> None:
        if self.ground is None:
            self.deferred_ground.setdefault(self.domain, []).append((endpoint, why))
            return
        self.wire(endpoint, self.ground, "ground", why or "common ground")

    def set_ground(self, endpoint: str) -> None:
        if self.ground is None:
            self.grounds[self.domain] = endpoint
            for ep, why in self.deferred_ground.pop(self.domain, []):
                self.wire(ep, endpoint, "ground", why or "common ground")

    def guard_ground(self, cell: list[str], protected: str, cell_negative: str, why: str = "") -> None:
        """Put a protection circuit in the ground path: the cell's ground endpoints ``cell`` leave the common
        ground (every wire that reached them now reaches ``protected``, the part's protected ground, P-) and
        go only to the part's cell-side pin ``cell_negative`` (B-). A cell whose - is the circuit's ground
        bypasses the protection's switch, so over-discharge and short-circuit cut-off would not work."""
        moved = set(cell)
        kept = []
        for w in self.plan.wires:
            a = protected if w.a in moved else w.a
            bb = protected if w.b in moved else w.b
            self._wired.discard(frozenset((w.a, w.b)))
            if a == bb or frozenset((a, bb)) in self._wired:
                continue
            w.a, w.b = a, bb
            self._wired.add(frozenset((a, bb)))
            kept.append(w)
        self.plan.wires[:] = kept
        for dom, root in list(self.grounds.items()):
            if root in moved:
                self.grounds[dom] = protected
        for ep in cell:
            self.wire(ep, cell_negative, "ground", why or "the cell's - to the protection's cell-side pin only")

    def ground_part(self, pid: str, why: str = "") -> None:
        """Wire every ground pin (one per internal group) of a part to the common ground."""
        for g in P.ground_pins(self.rec(pid)):
            self.to_ground(f"{pid}:{g.name}", why or f"{pid} ground")

    # ---- rails -------------------------------------------------------------------------
    def add_rail(self, name: str, volts: float, endpoint: str, budget: float | None, owner: str,
                 kind: str = "board") -> RailInfo:
        r = RailInfo(name=name, volts=volts, endpoint=endpoint, budget=budget, owner=owner, kind=kind, domain=self.domain)
        self.rails.append(r)
        return r

    def domain_rails(self) -> list[RailInfo]:
        return [r for r in self.rails if r.domain == self.domain]

    def find_rail(self, lo: float | None, hi: float | None, current: float = 0.0,
                  prefer: float | None = None, exclude_kinds: tuple[str, ...] = ()) -> RailInfo | None:
        cands = []
        for r in self.rails:
            if r.kind in exclude_kinds or r.domain != self.domain:
                continue
            if lo is not None and r.volts < lo - 1e-6:
                continue
            if hi is not None and r.volts > hi + 1e-6:
                continue
            if r.headroom() < current - 1e-9:
                continue
            cands.append(r)
        if not cands:
            return None

        def score(r: RailInfo) -> tuple:
            pref = 0 if prefer is not None and abs(r.volts - prefer) < 0.05 else 1
            return (pref, 0 if r.kind != "source" else 1, -r.headroom() if r.budget is not None else -1e9)

        return sorted(cands, key=score)[0]

    def power(self, endpoint: str, rail: RailInfo, current: float, why: str = "") -> None:
        rail.load += current
        who = endpoint.split(":", 1)[0]
        if who not in rail.feeds:
            rail.feeds.append(who)
        self.wire(endpoint, rail.endpoint, "power", why or f"{rail.name} supply")

    # ---- controller pins -----------------------------------------------------------------
    def add_board(self, pid: str) -> Board:
        alloc = PinAllocator(pid, self.rec(pid), prefs=self.pin_prefs.get(self.rec(pid).key, {}),
                             identity=self.identity)
        b = Board(pid, self.rec(pid), alloc)
        self.boards.append(b)
        return b

    def identity(self, user: str) -> tuple[str, int] | None:
        """(type, instance number among parts of that type) of a part id, for stable pins across edits."""
        pid = user.split(":", 1)[0].split(" ", 1)[0]
        part = self.plan.part(pid)
        if part is None:
            return None
        same = [p.id for p in self.plan.parts if p.type == part.type]
        return part.type, same.index(pid)

    def remember_pins(self, previous) -> None:
        """Pin uses of a previous plan of this design, so an edit keeps the wiring the user has."""
        if previous is None:
            return
        types = {p.id: p.type for p in previous.parts}
        order: dict[str, list[str]] = {}
        for p in previous.parts:
            order.setdefault(p.type, []).append(p.id)
        for use in previous.pins:
            board_id, pin = use.pin.split(":", 1)
            btype = types.get(board_id)
            pid = use.serves.split(":", 1)[0].split(" ", 1)[0]
            if btype is None or pid not in types:
                continue
            fn = use.function.replace(" (software)", "")
            key = (types[pid], order[types[pid]].index(pid), fn)
            self.pin_prefs.setdefault(btype, {}).setdefault(key, []).append(pin)

    def board(self, pid: str | None = None) -> Board | None:
        if pid is None:
            return self.boards[0] if self.boards else None
        for b in self.boards:
            if b.id == pid:
                return b
        return None

    def use_pin(self, board: Board, alloc: Allocation, serves: str, why: str = "") -> str:
        ep = f"{board.id}:{alloc.pin.name}"
        fn = alloc.function + (" (software)" if alloc.software else "")
        self.plan.pins.append(PinUse(pin=ep, function=fn, serves=serves, why=why))
        return ep

    # ---- reasoning -----------------------------------------------------------------------
    def value(self, pid: str, value: float, unit: str, formula: str = "", why: str = "",
              attr: str = "value") -> str:
        text = format_value(value, unit)
        self.set_attr(pid, attr, text)
        self.plan.values.append(ValueChoice(part=pid, value=text, formula=formula, why=why))
        return text

    def note(self, text: str) -> None:
        if text not in self.plan.notes:
            self.plan.notes.append(text)

    def unmet(self, text: str) -> None:
        """Something the design needs that the plan could not provide: it fails the design, plainly."""
        if text not in self.plan.unmet:
            self.plan.unmet.append(text)

    def finish(self) -> Plan:
        self.plan.rails = [
            Rail(name=r.name, volts=r.volts, source=r.endpoint, budget_a=r.budget, load_a=round(r.load, 4), feeds=r.feeds)
            for r in self.rails if r.feeds or r.kind != "board"
        ]
        return self.plan
