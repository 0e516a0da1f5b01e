"""The netlist view of a CircuitJSON document: nets are connected groups of pins.

Net names are stable: ground is ``GND``; a net fed by a supply rail takes the rail's name
(``5V``, ``3V3``, ``VIN``, ``12V``...), otherwise nets are ``N1``, ``N2``... in order of their
first pin in the document. Pins that a part joins internally (a board's several GND pins)
are one node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from circuit.model import Circuit, Part, split_endpoint
from circuit.units import parse_value
from knowledge.library import Library
from knowledge.record import ComponentRecord, Pin


@dataclass
class Net:
    name: str
    pins: list[str] = field(default_factory=list)  # endpoints "U1:D13", in first-seen order

    def parts(self) -> list[str]:
        out: list[str] = []
        for e in self.pins:
            pid = e.split(":", 1)[0]
            if pid not in out:
                out.append(pid)
        return out


class _DSU:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.order: dict[str, int] = {}

    def add(self, x: str) -> None:
        if x not in self.parent:
            self.parent[x] = x
            self.order[x] = len(self.order)

    def find(self, x: str) -> str:
        self.add(x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        # keep the earliest-seen element as the root so names are stable
        if self.order[ra] <= self.order[rb]:
            self.parent[rb] = ra
        else:
            self.parent[ra] = rb


def rail_name(voltage: float) -> str:
    """3.3 → '3V3', 5.0 → '5V', 12 → '12V', 1.8 → '1V8'."""
    if abs(voltage - round(voltage)) < 1e-6:
        return f"{int(round(voltage))}V"
    whole = int(voltage)
    frac = f"{voltage:.2f}".split(".")[1].rstrip("0")
    return f"{whole}V{frac}"


_RAIL_PIN = re.compile(r"^\+?(\d+(?:[.V]\d+)?)V?$", re.IGNORECASE)


class Netlist:
    """Nets of a circuit, with the records of its parts for electrical queries."""

    def __init__(self, circuit: Circuit, library: Library | None = None):
        self.circuit = circuit
        self.library = library or Library.default()
        self.parts: dict[str, Part] = {p.id: p for p in circuit.parts}
        dsu = _DSU()
        for c in circuit.connections:
            a, b = self._canonical(c.source), self._canonical(c.target)
            if a and b:
                dsu.union(a, b)
        # join pins a part connects internally (same name, or same group)
        for pid, part in self.parts.items():
            rec = self.library.get(part.type)
            if rec is None:
                continue
            groups: dict[str, list[str]] = {}
            for p in rec.pins:
                if p.group:
                    ep = f"{pid}:{p.name}"
                    if ep not in groups.setdefault(p.group, []):
                        groups[p.group].append(ep)
            for eps in groups.values():
                if len(eps) > 1 and any(e in dsu.parent for e in eps):
                    for e in eps[1:]:
                        dsu.union(eps[0], e)
        members: dict[str, list[str]] = {}
        for x in sorted(dsu.parent, key=lambda k: dsu.order[k]):
            members.setdefault(dsu.find(x), []).append(x)
        self._net_of: dict[str, Net] = {}
        self.nets: list[Net] = []
        self.ground_nets: set[str] = set()  # the circuit ground(s): a source's or a board's ground pin
        groups_in_order = [members[root] for root in sorted(members, key=lambda r: dsu.order[r])]
        # Special names first, strongest claim first: the ground (or rail) that a source or the
        # board itself provides is "GND" ("5V"); a module's switched ground is "GND_2".
        claims = []
        for i, pins in enumerate(groups_in_order):
            base, strength = self._base_name(pins)
            if base is not None:
                claims.append((base, -strength, i))
        # Only a source's or a board's ground is the circuit ground. A net of module ground pins alone
        # (a buzzer's low side switched by a transistor) is named for the part whose low side it is,
        # so nobody wires it to ground; without any source ground, the strongest module ground is GND.
        if any(base == "GND" and -neg >= 2 for base, neg, _ in claims):
            renamed = []
            for base, neg, i in claims:
                if base == "GND" and -neg < 2:
                    pid = next((ep.split(":", 1)[0] for ep in groups_in_order[i]
                                if (pin := self.pin(ep)) is not None and pin.type == "ground"), "NET")
                    renamed.append((f"{pid}_LOW", neg, i))
                else:
                    renamed.append((base, neg, i))
            claims = renamed
        names: dict[int, str] = {}
        used: set[str] = set()
        for base, _neg, i in sorted(claims):
            name, k = base, 2
            while name in used:
                name = f"{base}_{k}"
                k += 1
            names[i] = name
            used.add(name)
        counter = 0
        for i, pins in enumerate(groups_in_order):
            name = names.get(i)
            if name is None and (low := self._low_side_of(pins)) is not None and low not in used:
                name = names[i] = low
                used.add(name)
            if name is None:
                counter += 1
                while f"N{counter}" in used:
                    counter += 1
                name = f"N{counter}"
                used.add(name)
            net = Net(name=name, pins=pins)
            if name == "GND" or name.startswith("GND_"):
                self.ground_nets.add(name)
            self.nets.append(net)
            for p in pins:
                self._net_of[p] = net

    # ---- construction helpers ---------------------------------------------------------
    def _canonical(self, endpoint: str) -> str | None:
        sp = split_endpoint(endpoint)
        if sp is None:
            return None
        pid, pin = sp
        part = self.parts.get(pid)
        if part is None:
            return None
        rec = self.library.get(part.type)
        if rec is not None:
            p = rec.pin(pin)
            if p is None:
                return None
            pin = p.name
        return f"{pid}:{pin}"

    def _low_side_of(self, pins: list[str]) -> str | None:
        """``LOAD_LOW`` for a net joining one load (a part whose record only acts: a motor, a buzzer, a fan)
        to a transistor's collector or drain that switches it, else None: a switched low side is named for
        its load, as a load's own ground pin switched by a transistor is, so nobody wires it to ground."""
        switched = loads = 0
        load = None
        for ep in pins:
            pin = self.pin(ep)
            if pin is None:
                continue
            if {"collector", "drain"} & set(pin.functions):
                switched += 1
                continue
            rec = self.record(ep.split(":", 1)[0])
            dirs = {c.direction for c in rec.provides} if rec is not None else set()
            if "act" in dirs and "sense" not in dirs and not ({"emitter", "source", "base", "gate"} & set(pin.functions)):
                if ep.split(":", 1)[0] != load:
                    loads += 1
                    load = ep.split(":", 1)[0]
        return f"{load}_LOW" if switched == 1 and loads == 1 else None

    def _base_name(self, pins: list[str]) -> tuple[str | None, int]:
        """(GND / rail name / None, strength of the claim). Ground wins over rails on one net; a net
        with a source's or a board's ground pin outranks a net of module grounds alone; a rail is
        named for the highest voltage a power pin on it provides."""
        ground_strength = 0
        rails: list[float] = []
        named: list[str] = []
        if any((pin := self.pin(ep)) is not None and "cell_negative" in pin.functions for ep in pins):
            # a cell's - on a protection circuit's cell-side pin (B-): not the circuit's ground, which is
            # the protection's switched side; a wire to ground here would bypass the protection
            return "CELL_NEG", 3
        for ep in pins:
            pin = self.pin(ep)
            if pin is None:
                continue
            rec = self.record(ep.split(":", 1)[0])
            is_source = rec is not None and (rec.category in ("power", "microcontroller") or rec.spice.kind in ("battery", "regulator"))
            if pin.type == "ground":
                ground_strength = max(ground_strength, 2 if is_source else 1)
            elif pin.type == "power_out":
                v = self.rail_voltage_of_pin(ep)
                if v is not None:
                    rails.append(v)
                elif pin.name.upper() in ("VIN", "VCC", "VBAT"):
                    named.append(pin.name.upper())
        if ground_strength:
            return "GND", ground_strength + len(pins) / 1000
        if rails:
            return rail_name(max(rails)), 1
        if named:
            return sorted(named)[0], 0
        return None, 0

    # ---- queries ---------------------------------------------------------------------
    def record(self, part_id: str) -> ComponentRecord | None:
        part = self.parts.get(part_id)
        return self.library.get(part.type) if part else None

    def pin(self, endpoint: str) -> Pin | None:
        # memoised: rules ask about every pin of a net for every pin of it (a 10,000-pin net stays fast)
        cache = self.__dict__.setdefault("_pin_memo", {})
        if endpoint in cache:
            return cache[endpoint]
        sp = split_endpoint(endpoint)
        if sp is None:
            return None
        rec = self.record(sp[0])
        found = rec.pin(sp[1]) if rec else None
        cache[endpoint] = found
        return found

    def net_of(self, endpoint: str) -> Net | None:
        cache = self.__dict__.setdefault("_net_memo", {})
        if endpoint in cache:
            return cache[endpoint]
        ep = self._canonical(endpoint)
        found = self._net_of.get(ep) if ep else None
        cache[endpoint] = found
        return found

    def net(self, name: str) -> Net | None:
        by_name = self.__dict__.get("_by_name")
        if by_name is None or len(by_name) != len(self.nets):
            by_name = self.__dict__["_by_name"] = {}
            for n in self.nets:
                by_name.setdefault(n.name, n)
        return by_name.get(name)

    def connected(self, a: str, b: str) -> bool:
        na = self.net_of(a)
        return na is not None and na is self.net_of(b)

    def is_connected(self, endpoint: str) -> bool:
        """True when the pin has at least one wire (directly or through an internal group)."""
        return self.net_of(endpoint) is not None

    def part_pins(self, part_id: str) -> list[str]:
        """Endpoints of every pin of the part (connected or not), unique by name."""
        rec = self.record(part_id)
        if rec is None:
            return [e for e in self._net_of if e.startswith(part_id + ":")]
        return [f"{part_id}:{n}" for n in rec.pin_names]

    def pins_on(self, net: Net | str, *types: str) -> list[tuple[str, Pin | None]]:
        if isinstance(net, str):
            net = self.net(net)  # type: ignore[assignment]
            if net is None:
                return []
        out = []
        for ep in net.pins:
            p = self.pin(ep)
            if not types or (p is not None and p.type in types):
                out.append((ep, p))
        return out

    def neighbours(self, endpoint: str) -> list[str]:
        """Other pins on the same net."""
        net = self.net_of(endpoint)
        ep = self._canonical(endpoint)
        return [p for p in net.pins if p != ep] if net else []

    def rail_voltage_of_pin(self, endpoint: str) -> float | None:
        """The voltage a power_out pin provides: its v_out, an attr override, or its name (5V, 3.3V, 3V3)."""
        sp = split_endpoint(endpoint)
        if sp is None:
            return None
        part = self.parts.get(sp[0])
        pin = self.pin(endpoint)
        if part is None or pin is None or pin.type != "power_out":
            return None
        for key in ("voltage", f"{pin.name}_voltage", "v_out"):
            if key in part.attrs:
                try:
                    return parse_value(part.attrs[key], "V")
                except ValueError:
                    pass
        if pin.v_out is not None:
            return pin.v_out
        m = _RAIL_PIN.match(pin.name.replace(",", "."))
        if m:
            txt = m.group(1).upper().replace("V", ".")
            try:
                return float(txt)
            except ValueError:
                return None
        rec = self.record(sp[0])
        if rec is not None and rec.ratings.v_out is not None:
            return rec.ratings.v_out
        if rec is not None and rec.ratings.v_nominal is not None:
            return rec.ratings.v_nominal
        return None

    def net_voltage(self, net: Net | str) -> float | None:
        """Nominal voltage of a net fed by a rail (0 for ground); None when no rail drives it."""
        if isinstance(net, str):
            net = self.net(net)  # type: ignore[assignment]
            if net is None:
                return None
        volts = []
        for ep, p in self.pins_on(net):
            if p is None:
                continue
            if p.type == "ground":
                return 0.0
            if p.type == "power_out":
                v = self.rail_voltage_of_pin(ep)
                if v is not None:
                    volts.append(v)
        return max(volts) if volts else None

    def summary(self) -> dict[str, list[str]]:
        return {n.name: list(n.pins) for n in self.nets}
