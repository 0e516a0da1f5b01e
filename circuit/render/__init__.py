"""SVG schematics of CircuitJSON documents.

``render_svg(circuit, library)`` draws the circuit with standard symbols (resistor zigzag,
capacitors, inductor, diodes, LEDs, zener, BJTs, MOSFETs, push buttons, potentiometers,
batteries), modules and boards as labelled blocks, orthogonal wires for signal nets, and
ground symbols / rail labels for power nets. ``layout(circuit, library)`` returns where each
part sits (its footprint, labels included), so the placement can be checked.
"""

from __future__ import annotations

from circuit.model import Circuit
from circuit.render.geometry import Box
from circuit.render.sheet import Plan, draw, make_plan
from knowledge.library import Library

__all__ = ["render_svg", "layout", "plan", "Box"]


def plan(circuit: Circuit, library: Library | None = None) -> Plan:
    return make_plan(circuit, library or Library.default())


def layout(circuit: Circuit, library: Library | None = None) -> dict[str, Box]:
    """Each part's footprint on the sheet (symbol, pin stubs, labels, ground/rail symbols)."""
    p = plan(circuit, library)
    return {pid: pl.footprint() for pid, pl in p.placed.items()}


def render_svg(circuit: Circuit, library: Library | None = None) -> str:
    """The schematic as an SVG document (a string)."""
    return draw(plan(circuit, library))
