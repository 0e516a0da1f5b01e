"""Apply the machine-readable fix hints the ERC emits.

``apply_fixes(circuit, findings, library) -> (new_circuit, applied)`` works on a copy and applies
each hint it understands; a hint it cannot apply safely is skipped (and not listed in
``applied``). Every operation keeps the other connections intact: when a pin is detached, the
parts that were wired *through* it are wired to each other, so a daisy-chained net stays one net.

Hints (endpoints are ``part:pin``; values are engineering strings such as ``220 Ω``):

=================================================  ================================================
``insert_series_resistor(P:pin, R)``               a new resistor between the pin and its net
``set_value(R1, R)``                                change a part's value
``add_pullup(P:pin, R)`` / ``add_pulldown(...)``    a resistor from the pin to the logic rail / ground
``add_flyback_diode(M:supply_side, M:other)``       a rectifier rated for the coil, cathode to the supply side
``add_decoupling_cap(U:VCC, C)``                    a capacitor from the pin to ground
``add_capacitor(U:A, U:B, C)``                      a capacitor between two pins (electrolytic from
                                                    1 µF up, + to the higher voltage)
``own_supply(P:pin, V, I)``                         the pin leaves its rail for a supply of its own
                                                    rated for I (or a converter rated for it), grounds
                                                    joined
``insert_voltage_divider(P:pin, Rtop, Rbottom)``    the pin is fed through a divider from its old net
``connect(A, B)``                                   a new wire
``remove_connection(A, B)``                         delete the wire(s) between A and B
``remove_duplicate_connection(A, B)``               keep one of several identical wires
``swap_wires(P:a, P:b)``                            exchange every wire at the two pins
``move_wire(P:pin, Q:pin)``                         detach the pin and wire it to Q:pin instead
``rewire(P:pin, P:other)``                          every wire at the pin moves to the other pin
``remove_part(X)``                                  delete a part (neighbours stay connected)
``insert_transistor_driver(P:pin, LOAD)``           a low-side NPN / logic-level N-MOSFET switch
``isolate_mains(X, ...)``                           the safe mains structure around X (circuit/mains_fix.py)
``add_isolated_supply(U)``                          an isolated AC-DC module powering U's rail
=================================================  ================================================

``insert_transistor_driver`` takes a motor, coil or module off a GPIO (:mod:`circuit.driver_choice`
picks the part and the values): the load is powered from a supply rail that suits its rating,
the transistor switches its low side, the pin drives the base or gate through a resistor with a
pull-down, and an inductive load gets a flyback diode across it, band toward the supply.
"""

from __future__ import annotations

import re
from typing import Callable

from circuit import mains_fix
from circuit.driver_choice import DriverError, plan_driver
from circuit.erc import run_erc
from circuit.erc.context import ErcContext
from circuit.findings import Finding
from circuit.fix_error import FixError
from circuit.flyback_choice import pick_flyback
from circuit.model import Circuit, Connection, Part, split_endpoint
from circuit.netlist import Netlist
from circuit.power_choice import SupplyError, choose_supply
from circuit.spice_gate import run_spice_gate
from circuit.units import UnitError, format_value, parse_value
from knowledge.library import Library

_HINT = re.compile(r"^\s*([a-z_]+)\s*\((.*)\)\s*$")


def parse_hint(hint: str) -> tuple[str, list[str]]:
    m = _HINT.match(hint or "")
    if not m:
        raise FixError(f"not a fix hint: {hint!r}")
    args = [a.strip() for a in m.group(2).split(",")] if m.group(2).strip() else []
    return m.group(1), args


class _Editor:
    def __init__(self, circuit: Circuit, library: Library):
        self.c = circuit
        self.lib = library

    # ---- endpoints --------------------------------------------------------------------
    def canon(self, ep: str) -> str:
        sp = split_endpoint(ep)
        if sp is None:
            raise FixError(f"{ep!r} is not a part:pin endpoint")
        part = self.c.part(sp[0])
        if part is None:
            raise FixError(f"no part {sp[0]!r}")
        rec = self.lib.get(part.type)
        if rec is None:
            return ep
        p = rec.pin(sp[1])
        if p is None:
            raise FixError(f"{part.type} {sp[0]} has no pin {sp[1]!r}")
        return f"{sp[0]}:{p.name}"

    def _pin_type(self, ep: str) -> str | None:
        part = self.c.part(ep.split(":", 1)[0])
        rec = self.lib.get(part.type) if part is not None else None
        pin = rec.pin(ep.split(":", 1)[1]) if rec is not None and ":" in ep else None
        return pin.type if pin is not None else None

    def same(self, a: str, b: str) -> bool:
        try:
            return self.canon(a) == self.canon(b)
        except FixError:
            return a == b

    def wires_at(self, ep: str) -> list[Connection]:
        return [c for c in self.c.connections if self.same(c.source, ep) or self.same(c.target, ep)]

    def neighbours(self, ep: str) -> list[str]:
        out = []
        for c in self.wires_at(ep):
            other = c.target if self.same(c.source, ep) else c.source
            if other not in out:
                out.append(other)
        return out

    def detach(self, ep: str) -> list[str]:
        """Remove every wire at ``ep``; chain its former neighbours so they stay connected."""
        nbrs = self.neighbours(ep)
        wires = self.wires_at(ep)
        color = wires[0].color if wires else "green"
        self.c.connections = [c for c in self.c.connections if c not in wires]
        for a, b in zip(nbrs, nbrs[1:]):
            self.c.connections.append(Connection(source=a, target=b, color=color))
        return nbrs

    def pin_of(self, pid: str, *functions: str) -> str:
        part = self.c.part(pid)
        rec = self.lib.get(part.type) if part else None
        if rec is None:
            raise FixError(f"no record for {pid}")
        for p in rec.pins:
            if set(functions) & set(p.functions):
                return f"{pid}:{p.name}"
        raise FixError(f"{pid} has no {'/'.join(functions)} pin")

    def new_part(self, type_: str, prefix: str, near: str, attrs: dict | None = None) -> str:
        if type_ not in self.lib:
            raise FixError(f"the library has no {type_!r} part to add")
        pid = self.c.next_id(prefix)
        anchor = self.c.part(near.split(":", 1)[0])
        n = len(self.c.parts)
        top = (anchor.top if anchor else 0) + 40 + 10 * (n % 5)
        left = (anchor.left if anchor else 0) + 60 + 10 * (n % 7)
        self.c.parts.append(Part(id=pid, type=type_, attrs=dict(attrs or {}), top=top, left=left))
        return pid

    def two_pins(self, pid: str) -> tuple[str, str]:
        rec = self.lib[self.c.part(pid).type]
        names = rec.pin_names
        return f"{pid}:{names[0]}", f"{pid}:{names[1]}"

    # ---- rails --------------------------------------------------------------------------
    def _netlist(self):
        return Netlist(self.c, self.lib)

    def ground_pin(self, near: str) -> str:
        ctx = ErcContext(self.c, self.lib)
        pid = near.split(":", 1)[0]
        part = self.c.part(pid)
        rec = self.lib.get(part.type) if part else None
        if rec is not None:
            for p in rec.pins_of_type("ground"):
                ep = f"{pid}:{p.name}"
                if ctx.is_ground(ep):
                    return ep
        # any ground pin on a populated ground net
        best = None
        for g in ctx.groups():
            gnds = ctx.grounds_in(g)
            if gnds:
                score = len(g.pins)
                if best is None or score > best[0]:
                    best = (score, sorted(gnds, key=lambda e: not ctx.is_mcu(ctx.part_of(e)))[0])
        if best:
            return best[1]
        ep = ctx.ground_pin_for()
        if ep is None:
            raise FixError("the circuit has no ground pin to connect to")
        return ep

    def logic_rail(self, ep: str) -> str:
        """The supply rail a pull-up on this pin's line should go to: the lowest logic level on the line."""
        ctx = ErcContext(self.c, self.lib)
        net = ctx.net(ep)
        pins = net.pins if net is not None else [ep]
        levels = []
        for o in pins:
            v = ctx.logic_level(ctx.part_of(o))
            if v:
                levels.append(v)
        for v in sorted(set(levels)) or [5.0, 3.3]:
            rail = ctx.rail_pin_for(v, prefer=next((p for p in ctx.parts if ctx.is_mcu(p)), None))
            if rail:
                return rail
        raise FixError(f"no supply rail to pull {ep} up to")

    # ---- operations ---------------------------------------------------------------------
    def insert_series_resistor(self, ep: str, value: str) -> str:
        ep = self.canon(ep)
        nbrs = self.neighbours(ep)
        if not nbrs:
            raise FixError(f"{ep} has no wire to insert a resistor into")
        rid = self.new_part("resistor", "R", ep, {"value": _value(value, "Ω")})
        r1, r2 = self.two_pins(rid)
        for c in self.wires_at(ep):
            if self.same(c.source, ep):
                c.source = r1
            else:
                c.target = r1
        self.c.connect(r2, ep)
        return f"inserted {rid} ({value}) in series with {ep}"

    def set_value(self, pid: str, value: str) -> str:
        part = self.c.part(pid)
        if part is None:
            raise FixError(f"no part {pid!r}")
        rec = self.lib.get(part.type)
        attr = rec.value_attr if rec and rec.value_attr else "value"
        part.attrs[attr] = _value(value, rec.value_unit if rec else None)
        return f"set {pid} to {value}"

    def _add_pull(self, ep: str, value: str, to: str) -> str:
        ep = self.canon(ep)
        target = self.logic_rail(ep) if to == "up" else self.ground_pin(ep)
        rid = self.new_part("resistor", "R", ep, {"value": _value(value, "Ω")})
        r1, r2 = self.two_pins(rid)
        self.c.connect(r1, ep)
        self.c.connect(r2, target, "red" if to == "up" else "black")
        return f"added pull-{to} {rid} ({value}) from {ep} to {target}"

    def add_pullup(self, ep: str, value: str) -> str:
        return self._add_pull(ep, value, "up")

    def add_pulldown(self, ep: str, value: str) -> str:
        return self._add_pull(ep, value, "down")

    def add_flyback_diode(self, supply_side: str, other: str) -> str:
        supply_side, other = self.canon(supply_side), self.canon(other)
        kind = self._flyback_key(supply_side)
        if kind is None:
            raise FixError("the library has no rectifier diode")
        did = self.new_part(kind, "D", supply_side)
        self.c.connect(self.pin_of(did, "cathode"), supply_side)
        self.c.connect(self.pin_of(did, "anode"), other)
        return f"added flyback diode {did} ({kind}) across {supply_side.split(':')[0]}, cathode to {supply_side}"

    def _flyback_key(self, supply_side: str) -> str | None:
        """The flyback diode :mod:`circuit.flyback_choice` chooses for the coil at ``supply_side``: for the
        coil's current and its supply when the record and the circuit say them."""
        part = self.c.part(supply_side.split(":", 1)[0])
        rec = self.lib.get(part.type) if part else None
        v = ErcContext(self.c, self.lib).group_voltage(supply_side)
        i = None
        if rec is not None:
            r = rec.ratings
            i = r.i_rated or ((v / r.r_coil) if v and r.r_coil else None) or rec.supply.current_max or rec.supply.current_typ
        return pick_flyback(self.lib, v, i)

    def add_decoupling_cap(self, ep: str, value: str) -> str:
        ep = self.canon(ep)
        kind = "capacitor" if "capacitor" in self.lib else None
        if kind is None:
            raise FixError("the library has no capacitor part")
        cid = self.new_part(kind, "C", ep, {"value": _value(value, "F")})
        rec = self.lib[kind]
        pos = next((p.name for p in rec.pins if "anode" in p.functions or p.name in ("+", "1")), rec.pin_names[0])
        neg = next(n for n in rec.pin_names if n != pos)
        self.c.connect(f"{cid}:{pos}", ep, "red")
        self.c.connect(f"{cid}:{neg}", self.ground_pin(ep), "black")
        return f"added decoupling capacitor {cid} ({value}) from {ep} to ground"

    def add_capacitor(self, a: str, b: str, value: str) -> str:
        a, b = self.canon(a), self.canon(b)
        farads = parse_value(value, "F")
        kind = _capacitor_key(self.lib, farads)
        if kind is None:
            raise FixError("the library has no capacitor part")
        ctx = ErcContext(self.c, self.lib)
        va, vb = ctx.group_voltage(a, switched=True), ctx.group_voltage(b, switched=True)
        hi, lo = (b, a) if (vb or 0) > (va or 0) else (a, b)
        rec = self.lib[kind]
        cid = self.new_part(kind, rec.designator or "C", hi, {"value": _farads(farads)})
        pos = next((p.name for p in rec.pins if p.name == "+" or "anode" in p.functions), rec.pin_names[0])
        neg = next(n for n in rec.pin_names if n != pos)
        top = max(va or 0, vb or 0)
        if rec.ratings.v_rated is not None and top and rec.ratings.v_rated < 1.5 * top:
            self.c.part(cid).attrs["voltage"] = format_value(_cap_rating(top), "V")
        self.c.connect(f"{cid}:{pos}", hi, "red")
        self.c.connect(f"{cid}:{neg}", lo, "black")
        return f"added {cid} ({_farads(farads).replace('u', ' µF')} {rec.name}) between {hi} and {lo}"

    def own_supply(self, ep: str, volts: str, amps: str) -> str:
        """Move the pin off its rail onto a supply of its own rated for ``amps`` (a converter from a
        source that can carry it when no single supply fits); the new grounds join the circuit's."""
        ep = self.canon(ep)
        pid = ep.split(":", 1)[0]
        load = self.lib[self.c.part(pid).type]
        try:
            plan = choose_supply(self.c, self.lib, load, parse_value(volts, "V"), parse_value(amps, "A"), exclude=pid)
        except (SupplyError, UnitError, ValueError) as e:
            raise FixError(str(e)) from e
        gnd = self.ground_pin(ep)
        own = [n for n in self.neighbours(ep) if self._stays_with(n, pid)]
        self.detach(ep)
        for n in own:  # the load's own capacitors and its flyback diode move with its pin
            self.detach(n)
            self.c.connect(n, ep, "red")
        done = []
        feed = plan.existing
        if plan.source is not None:
            sid = self.new_part(plan.source, self.lib[plan.source].designator or "PS", ep)
            src = self.lib[plan.source]
            feed = f"{sid}:{src.pins_of_type('power_out')[0].name}"
            self.c.connect(f"{sid}:{src.pins_of_type('ground')[0].name}", gnd, "black")
            done.append(f"{sid} ({src.name})")
        if plan.converter is not None:
            conv = self.lib[plan.converter]
            attrs = {"voltage": format_value(plan.volts, "V")} if plan.set_voltage else {}
            uid = self.new_part(plan.converter, conv.designator or "U", ep, attrs)
            self.c.connect(f"{uid}:{conv.pins_of_type('power_in')[0].name}", feed, "red")
            self.c.connect(f"{uid}:{conv.pins_of_type('ground')[0].name}", gnd, "black")
            feed = f"{uid}:{conv.pins_of_type('power_out')[0].name}"
            done.append(f"{uid} ({conv.name}{', set to ' + format_value(plan.volts, 'V') if plan.set_voltage else ''})")
        self.c.connect(ep, feed, "red")
        if not done:
            return f"moved {ep} onto {feed} for its {amps} peaks, grounds joined at {gnd} ({plan.why})"
        return (f"gave {pid} its own supply for {amps} peaks: {' feeding '.join(done) or feed} -> {ep}, "
                f"grounds joined at {gnd} ({plan.why})")

    def _stays_with(self, ep: str, load: str) -> bool:
        """A capacitor at the load's supply pin, or a two-terminal part across the load (its flyback
        diode): it belongs to the load and moves with the pin."""
        part = self.c.part(ep.split(":", 1)[0])
        rec = self.lib.get(part.type) if part else None
        if rec is None or len(rec.pin_names) != 2:
            return False
        if rec.spice.kind == "capacitor":
            return True
        name = ep.split(":", 1)[1]
        p = rec.pin(name)
        other = f"{part.id}:{next(n for n in rec.pin_names if p is None or n != p.name)}"
        return any(n.split(":", 1)[0] == load for n in self.neighbours(other))

    def insert_voltage_divider(self, ep: str, top: str, bottom: str) -> str:
        ep = self.canon(ep)
        gnd = self.ground_pin(ep)
        nbrs = self.detach(ep)
        if not nbrs:
            raise FixError(f"{ep} is not connected")
        r_top = self.new_part("resistor", "R", ep, {"value": _value(top, "Ω")})
        r_bot = self.new_part("resistor", "R", ep, {"value": _value(bottom, "Ω")})
        t1, t2 = self.two_pins(r_top)
        b1, b2 = self.two_pins(r_bot)
        self.c.connect(nbrs[0], t1)
        self.c.connect(t2, ep)
        self.c.connect(b1, ep)
        self.c.connect(b2, gnd, "black")
        return f"inserted a divider {r_top} {top} / {r_bot} {bottom} in front of {ep}"

    def connect(self, a: str, b: str) -> str:
        a, b = self.canon(a), self.canon(b)
        self.c.connect(a, b, "black" if "GND" in (a + b).upper() else "green")
        return f"connected {a} to {b}"

    def remove_connection(self, a: str, b: str) -> str:
        before = len(self.c.connections)
        self.c.connections = [
            c for c in self.c.connections
            if not ((self.same(c.source, a) and self.same(c.target, b)) or (self.same(c.source, b) and self.same(c.target, a)))
        ]
        if len(self.c.connections) == before:
            raise FixError(f"no wire between {a} and {b}")
        return f"removed the wire {a} - {b}"

    def remove_duplicate_connection(self, a: str, b: str) -> str:
        out, kept = [], False
        for c in self.c.connections:
            match = (self.same(c.source, a) and self.same(c.target, b)) or (self.same(c.source, b) and self.same(c.target, a))
            if match and kept:
                continue
            kept = kept or match
            out.append(c)
        if len(out) == len(self.c.connections):
            raise FixError(f"no duplicate wire {a} - {b}")
        self.c.connections = out
        return f"removed duplicate wire {a} - {b}"

    def swap_wires(self, a: str, b: str) -> str:
        a, b = self.canon(a), self.canon(b)
        for c in self.c.connections:
            for attr in ("source", "target"):
                v = getattr(c, attr)
                if self.same(v, a):
                    setattr(c, attr, b)
                elif self.same(v, b):
                    setattr(c, attr, a)
        return f"swapped the wires of {a} and {b}"

    def move_wire(self, ep: str, target: str) -> str:
        ep, target = self.canon(ep), self.canon(target)
        if self._pin_type(ep) == "power_in" and self._pin_type(target) == "power_out" \
                and ep.split(":", 1)[0] == target.split(":", 1)[0]:
            raise FixError(f"{ep} cannot be fed from {target}: a part's own output does not feed its input")
        self.detach(ep)
        self.c.connect(ep, target)
        return f"moved {ep} to {target}"

    def rewire(self, ep: str, target: str) -> str:
        """Every wire that ends at ``ep`` ends at ``target`` instead (move a signal to another pin)."""
        ep, target = self.canon(ep), self.canon(target)
        wires = self.wires_at(ep)
        if not wires:
            raise FixError(f"{ep} has no wire to move")
        for c in wires:
            if self.same(c.source, ep):
                c.source = target
            else:
                c.target = target
        return f"moved the wires from {ep} to {target}"

    def insert_transistor_driver(self, pin_ep: str, load_id: str) -> str:
        pin_ep = self.canon(pin_ep)
        try:
            plan = plan_driver(self.c, self.lib, pin_ep, load_id)
        except DriverError as e:
            raise FixError(str(e)) from e
        if plan.always_on:  # a module whose signal pins are wired: power it from the rail, do not lift its ground
            self.detach(plan.high)
            self.c.connect(plan.high, plan.rail, "red")
            return (f"powered {load_id} from {plan.rail} instead of {pin_ep} (always on: its signal pins are "
                    "wired, so its ground is not switched)")
        sw = self.lib[plan.switch]
        qid = self.new_part(plan.switch, sw.designator or "Q", pin_ep)
        roles = ("collector", "base", "emitter") if sw.spice.kind == "npn" else ("drain", "gate", "source")
        q_out, q_in, q_com = (self.pin_of(qid, r) for r in roles)
        gnd = self.ground_pin(pin_ep)
        # the load: its high side to the rail, its low side(s) to the switch
        if plan.high_stays:
            self.detach(plan.low[0])
        else:
            self.detach(plan.high)
            self.c.connect(plan.high, plan.rail, "red")
            for ep in plan.low:
                self.detach(ep)
        for ep in plan.low:
            self.c.connect(ep, q_out)
        self.c.connect(q_com, gnd, "black")
        rb = self.new_part("resistor", "R", pin_ep, {"value": _value(plan.r_drive, "Ω")})
        b1, b2 = self.two_pins(rb)
        self.c.connect(pin_ep, b1)
        self.c.connect(b2, q_in)
        rp = self.new_part("resistor", "R", pin_ep, {"value": _value(plan.r_pulldown, "Ω")})
        p1, p2 = self.two_pins(rp)
        self.c.connect(p1, q_in)
        self.c.connect(p2, gnd, "black")
        done = [f"{qid} ({sw.name}) switches {load_id} from {plan.rail}", f"{rb} {plan.r_drive} to its "
                f"{roles[1]}", f"{rp} {plan.r_pulldown} pull-down"]
        if plan.diode:
            did = self.new_part(plan.diode, "D", plan.high)
            self.c.connect(self.pin_of(did, "cathode"), plan.high)
            self.c.connect(self.pin_of(did, "anode"), plan.low[0])
            done.append(f"flyback diode {did} ({plan.diode})")
        return f"drove {load_id} from {pin_ep} through a transistor: " + ", ".join(done) + f" ({plan.why})"

    def isolate_mains(self, pid: str, *rebuilt: str) -> str:
        return mains_fix.isolate_mains(self, pid, *rebuilt)

    def add_isolated_supply(self, pid: str) -> str:
        return mains_fix.add_isolated_supply(self, pid)

    def remove_part(self, pid: str) -> str:
        part = self.c.part(pid)
        if part is None:
            raise FixError(f"no part {pid!r}")
        rec = self.lib.get(part.type)
        names = rec.pin_names if rec else sorted({
            e.split(":", 1)[1] for c in self.c.connections for e in (c.source, c.target) if e.startswith(pid + ":")})
        for n in names:
            self.detach(f"{pid}:{n}")
        self.c.parts = [p for p in self.c.parts if p.id != pid]
        return f"removed {pid}"


def _capacitor_key(lib: Library, farads: float) -> str | None:
    """An electrolytic for bulk values (1 µF and up), a ceramic below; the generic capacitor otherwise."""
    for key in (("electrolytic-capacitor", "capacitor") if farads >= 1e-6 else ("ceramic-capacitor", "capacitor")):
        if key in lib:
            return key
    return None


def _farads(farads: float) -> str:
    """Capacitor values the way they are printed on the part: 1000u, 22u, 100n."""
    if farads >= 1e-6:
        return f"{farads * 1e6:.4g}u"
    return _value(format_value(farads, "F"), "F")


def _cap_rating(volts: float) -> float:
    """The smallest standard capacitor voltage at least 1.5 × the voltage across it."""
    for r in (6.3, 10.0, 16.0, 25.0, 35.0, 50.0, 63.0, 100.0):
        if r >= 1.5 * volts:
            return r
    return 100.0


def _value(text: str, unit: str | None) -> str:
    """Store values the way people write them ('220 Ω' -> '220', '4.7 kΩ' -> '4.7k', '100 nF' -> '100n')."""
    try:
        v = parse_value(text, unit)
    except (UnitError, ValueError) as e:
        raise FixError(f"bad value {text!r}: {e}") from e
    return format_value(v).replace(" ", "").replace("µ", "u")


OPERATIONS: dict[str, Callable] = {
    name: getattr(_Editor, name)
    for name in (
        "insert_series_resistor", "set_value", "add_pullup", "add_pulldown", "add_flyback_diode",
        "add_decoupling_cap", "add_capacitor", "own_supply", "insert_voltage_divider", "connect", "remove_connection",
        "remove_duplicate_connection", "swap_wires", "move_wire", "rewire", "remove_part",
        "insert_transistor_driver", "isolate_mains", "add_isolated_supply",
    )
}


def apply_fixes(circuit: Circuit, findings: list[Finding], library: Library | None = None) -> tuple[Circuit, list[str]]:
    """Apply every fix hint that can be applied; returns the new circuit and what was done.

    Hints are applied most severe first, and each one only while its finding still holds: after a
    fix changes the circuit the gates are asked again, so one repair that cures several findings
    (removing a wire from 12 V to a pin also ends its over-voltage) is not followed by stale ones
    (a divider in front of a pin that no longer sees 12 V)."""
    library = library or Library.default()
    new = circuit.model_copy(deep=True)
    ed = _Editor(new, library)
    applied: list[str] = []
    done: set[str] = set()
    current: dict[str, set[tuple[str, frozenset]]] = {}

    def still_holds(f: Finding) -> bool:
        if not applied:
            return True  # nothing changed yet: the findings describe this circuit
        gate = "spice" if f.source == "spice" else "erc"
        if gate not in current:
            try:
                if gate == "spice":
                    found = run_spice_gate(ed.c, library).findings
                else:
                    found = run_erc(ed.c, library)
            except Exception:  # a gate that cannot run here must not block the repair
                return True
            current[gate] = {(g.rule, frozenset(g.where)) for g in found}
        return (f.rule, frozenset(f.where)) in current[gate] or any(
            rule == f.rule and where & set(f.where) for rule, where in current[gate]
        )

    for f in sorted(findings, key=lambda x: x.severity.rank):
        if not f.fix or f.fix in done:
            continue
        try:
            name, args = parse_hint(f.fix)
            op = OPERATIONS.get(name)
            if op is None or not still_holds(f):
                continue
            snapshot = ed.c.model_copy(deep=True)
            try:
                applied.append(f"{f.rule}: " + op(ed, *args))
            except (FixError, TypeError, KeyError):
                ed.c = new = snapshot
                continue
            new = ed.c
            done.add(f.fix)
            current.clear()  # the circuit changed: ask the gates again before the next hint
        except FixError:
            continue
    return ed.c, applied


COMPANION_RULES = ("ERC-COMPANION-MISSING", "ERC-COMPANION-VALUE")


def add_companions(circuit: Circuit, findings: list[Finding], library: Library | None = None) -> tuple[Circuit, list[str]]:
    """Add what the records' ``requires.companions`` ask for (of any severity): the design pipeline
    runs this on every synthesized circuit, so a part never ships without the capacitor or resistor
    its record states, whichever agent built the circuit."""
    wanted = [f for f in findings if f.rule in COMPANION_RULES and f.fix]
    if not wanted:
        return circuit, []
    return apply_fixes(circuit, wanted, library)


__all__ = ["apply_fixes", "add_companions", "parse_hint", "FixError", "OPERATIONS", "COMPANION_RULES"]
