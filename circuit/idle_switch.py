"""A switch that stands beside the one doing its job: wired at its input, its load side wired to nothing.

A driver, a MOSFET module or a relay takes part in a design by what it switches: its load side (record pins
with a load function: a drain, a collector, a motor output, a relay contact, a driver's coil output). One whose
input is wired but whose load side is not switches nothing; where another part of the same kind does switch a
load in the same design, the first is a bystander, and a request that named it is not answered by it (a named
MOSFET board placed beside a transistor that carries the strip's current).

Only where another part does the switching: a relay module whose contacts are left for the user's own appliance
(nothing in the design to switch) still stands for the switch asked for.
"""

from __future__ import annotations

from circuit.model import Circuit
from knowledge.library import Library
from knowledge.record import ComponentRecord

# the pins a part switches a load through (record pin functions)
LOAD_FUNCTIONS = {"drain", "collector", "motor", "contact_no", "contact_nc", "contact_common"}
DRIVEN_OUTPUT = "coil"  # a driver's output pin that takes a coil or a winding (on a digital output)


def load_pins(rec: ComponentRecord) -> set[str]:
    return {p.name for p in rec.pins if p.type not in ("power_in", "ground", "power_out")
            and (LOAD_FUNCTIONS & set(p.functions) or (p.type == "digital_out" and DRIVEN_OUTPUT in p.functions))}


def _acts(rec: ComponentRecord) -> set[str]:
    return {c.capability for c in rec.provides if c.direction == "act"}


def idle_switches(circuit: Circuit, library: Library, wired: dict[str, set[str]]) -> dict[str, str]:
    """{part id: id of the part doing its job} for each wired part whose load side is wired to nothing while another
    part providing one of its switching capabilities has its load side wired. ``wired``: part id -> pins wired."""
    sides = {}
    for p in circuit.parts:
        rec = library.get(p.type)
        if rec is None or p.id not in wired or rec.is_mcu:
            continue
        pins = load_pins(rec)
        if pins and _acts(rec):
            sides[p.id] = (rec, bool(pins & wired[p.id]))
    out = {}
    for pid, (rec, switching) in sides.items():
        if switching:
            continue
        doer = next((q for q, (r, s) in sides.items() if q != pid and s and _acts(r) & _acts(rec)), None)
        if doer is not None:
            out[pid] = doer
    return out


__all__ = ["LOAD_FUNCTIONS", "idle_switches", "load_pins"]
