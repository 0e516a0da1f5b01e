"""Which controller pin serves which part, read from the circuit and the records.

A controller pin reaches the part it serves directly, through a series passive (an LED's resistor),
through a pass-through part (a level shifter's channel, ``knowledge/maps/bridges.yaml``) or through a
switch element (a transistor's base or a MOSFET's gate switches the load on its collector/drain).
Rails and ground stop the walk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from circuit.model import Circuit, Part
from circuit.netlist import Netlist
from knowledge.bridges import signal_bridges
from knowledge.library import Library
from knowledge.record import ComponentRecord, Pin

__all__ = ["PinLink", "ServedPart", "controller_of", "served_parts", "arduino_pin"]

_SWITCH_INPUT = {"base": ("collector",), "gate": ("drain",)}


@dataclass
class PinLink:
    mcu_pin: str            # the controller's pin name (D9)
    code_pin: str           # how firmware names it (9, A0, 26)
    part_pin: str           # the served part's pin (TRIG, + ...)
    via: list[str] = field(default_factory=list)  # parts on the way (R2, Q1)


@dataclass
class ServedPart:
    part: Part
    record: ComponentRecord
    links: list[PinLink] = field(default_factory=list)
    switched_by: str | None = None  # Q1 when a transistor switches it

    def pin(self, name: str) -> PinLink | None:
        return next((lk for lk in self.links if lk.part_pin == name), None)


def controller_of(circuit: Circuit, library: Library) -> Part | None:
    """The board that runs the firmware; with none, a part that runs its own (record ``programmable``: an ESP-01)."""
    recs = [(p, library.get(p.type)) for p in circuit.parts]
    for p, rec in recs:
        if rec is not None and rec.is_mcu:
            return p
    return next((p for p, rec in recs if rec is not None and rec.programmable), None)


def arduino_pin(pin: Pin) -> str | None:
    """The number (or A-constant) firmware uses for a controller pin, from its name and aliases."""
    for a in pin.aliases:
        m = re.fullmatch(r"GPIO(\d+)", a)
        if m:
            return m.group(1)
    m = re.fullmatch(r"A(\d+)", pin.name)
    if m:
        return pin.name
    for a in pin.aliases:
        if a.isdigit():
            return a
    m = re.fullmatch(r"(?:D|GP|IO|P)(\d+)", pin.name)
    if m:
        return m.group(1)
    if re.fullmatch(r"P[A-K]\d{1,2}", pin.name):
        return pin.name  # a port pin (PA0, PB12): STM32duino defines these names as pin numbers
    return pin.name if pin.name.isdigit() else None


def _is_rail(nl: Netlist, endpoint: str) -> bool:
    net = nl.net_of(endpoint)
    return net is None or nl.net_voltage(net) is not None or any(
        p is not None and p.type in ("power_out", "ground") for _, p in nl.pins_on(net))


def served_parts(circuit: Circuit, library: Library | None = None, mcu: Part | None = None) -> list[ServedPart]:
    """Every part a controller pin reaches, with the pins it reaches, in circuit order."""
    library = library or Library.default()
    mcu = mcu or controller_of(circuit, library)
    if mcu is None:
        return []
    nl = Netlist(circuit, library)
    mrec = library.get(mcu.type)
    bridges = signal_bridges()
    found: dict[str, ServedPart] = {}

    def add(pid: str, pin_name: str, link: PinLink, switched_by: str | None = None) -> None:
        part = nl.parts[pid]
        rec = library.get(part.type)
        if rec is None:
            return
        sp = found.setdefault(pid, ServedPart(part, rec))
        if switched_by:
            sp.switched_by = switched_by
        if not any(lk.part_pin == pin_name and lk.mcu_pin == link.mcu_pin for lk in sp.links):
            sp.links.append(PinLink(link.mcu_pin, link.code_pin, pin_name, list(link.via)))

    for pin in mrec.pins:
        if pin.type not in ("digital_io", "digital_in", "digital_out", "analog_in", "analog_out"):
            continue
        start = f"{mcu.id}:{pin.name}"
        if nl.net_of(start) is None or _is_rail(nl, start):
            continue
        code = arduino_pin(pin)
        if code is None:
            continue
        seen_nets: set[int] = set()
        frontier = [(start, [])]
        while frontier:
            ep, via = frontier.pop(0)
            net = nl.net_of(ep)
            if net is None or id(net) in seen_nets or len(via) > 3 or (via and _is_rail(nl, ep)):
                continue
            seen_nets.add(id(net))
            for other in net.pins:
                pid, pname = other.split(":", 1)
                if pid == mcu.id or pid in via:
                    continue
                rec = nl.record(pid)
                if rec is None:
                    continue
                link = PinLink(pin.name, code, pname, via)
                p = rec.pin(pname)
                if rec.spice.kind == "resistor" and len(rec.pin_names) == 2:
                    far = next(n for n in rec.pin_names if n != pname)
                    frontier.append((f"{pid}:{far}", via + [pid]))
                    continue
                pair = next((b if a == pname else a for a, b in bridges.get(rec.key, []) if pname in (a, b)), None)
                if pair:
                    frontier.append((f"{pid}:{pair}", via + [pid]))
                    continue
                fn = next((f for f in (p.functions if p else []) if f in _SWITCH_INPUT), None)
                if fn:
                    for out_fn in _SWITCH_INPUT[fn]:
                        for q in rec.pins_with(out_fn):
                            qe = f"{pid}:{q.name}"
                            for load in nl.neighbours(qe):
                                lid, lpin = load.split(":", 1)
                                lrec = nl.record(lid)
                                if lid == mcu.id or lrec is None or lrec.category in ("passive", "semiconductor", "power"):
                                    continue
                                add(lid, lpin, PinLink(pin.name, code, lpin, via + [pid]), switched_by=pid)
                    add(pid, pname, link)
                    continue
                if rec.spice.kind == "capacitor":
                    continue
                add(pid, pname, link)
    order = {p.id: i for i, p in enumerate(circuit.parts)}
    return sorted(found.values(), key=lambda s: order.get(s.part.id, 0))
