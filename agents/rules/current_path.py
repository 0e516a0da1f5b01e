"""The current the user brings through a current sensor: "measure the current my gadget draws, up to 2 A".

A current sensor's record names its current path: the two passive pins rated for the current they carry (``i_max``:
a shunt's VIN+/VIN-, a Hall sensor's IP+/IP-). A current the request measures (``numbers["measured_a"]``, read by
:mod:`agents.understand.measured_range`) flows from the user's supply to the user's load, neither of which is a
part of the design: the path goes in series between two input terminals (records that provide
:data:`~circuit.voltage_reading.INPUT_TERMINAL`), the supply's on one, the load's on the other, their returns on
the common ground (a high-side sensor reads the bus voltage against it).
"""

from __future__ import annotations

from agents.rules.context import PlanContext
from circuit.current_reading import CURRENT, MEASURED_A, path_pins, path_rating
from circuit.units import format_value
from circuit.voltage_reading import INPUT_TERMINAL
from knowledge.capabilities import providers

__all__ = ["wire_current_paths"]


def wire_current_paths(ctx: PlanContext) -> None:
    """With a current measured, each current sensor whose path nothing carries yet (no load of the design was put
    through it: :mod:`agents.rules.current_sense`) goes in series between a supply-in and a load-out terminal."""
    b = ctx.b
    if not ctx.ident.numbers.get(MEASURED_A):
        return
    for part in list(b.plan.parts):
        rec = b.lib[part.type]
        if not any(c.capability == CURRENT for c in rec.provides) or not path_pins(rec):
            continue
        names = {f"{part.id}:{p.name}" for p in path_pins(rec)}
        if any(w.a in names or w.b in names for w in b.plan.wires):
            continue  # already in a load's path
        _wire_path(ctx, part.id)


def _wire_path(ctx: PlanContext, pid: str) -> None:
    b = ctx.b
    amps = ctx.ident.numbers.get(MEASURED_A)
    rec = b.lib[b.plan.part(pid).type]
    pins = path_pins(rec)
    terminal = next(iter(sorted(providers(b.lib, INPUT_TERMINAL), key=lambda k: len(b.lib[k].pins))), None)
    if terminal is None:
        b.note(f"{pid}'s current path needs input terminals; the library has none.")
        return
    rating = path_rating(rec)
    ends = []
    for pin, side in zip(pins, ("supply in", "load out")):
        tid = b.add(terminal, f"{side}: the current measured, up to {format_value(amps, 'A')}, flows through "
                              f"{pid}", serves=pid)
        trec = b.lib[terminal]
        plus, minus = (p.name for p in trec.pins[:2])
        b.wire(f"{tid}:{plus}", f"{pid}:{pin.name}", "power", f"{side} through {pid}'s {pin.name}")
        b.to_ground(f"{tid}:{minus}", f"{tid} {minus}: the return, on the common ground")
        ends.append(tid)
    b.note(f"The current measured flows from {ends[0]} through {pid} ({pins[0].name} to {pins[1].name}) to {ends[1]}: "
           f"up to {format_value(amps, 'A')} of the {format_value(rating, 'A')} its path is rated for.")
