"""A rail the design makes for nothing in it is brought out on a terminal.

A converter the request asks for ("5 V out of one lithium cell", "a steady 3.3 V from a 12 V battery")
whose output feeds no part of the design is the product itself: its output and ground go to a wire
terminal (a record that provides ``wire-terminal``), where the user connects what it is for. Without
one the converter's output hangs in the air and the design provides nothing.
"""

from __future__ import annotations

from agents.rules.context import PlanContext
from agents.rules.power_tree import is_converter
from circuit.units import format_value
from knowledge.capabilities import providers
from knowledge.preference import preference

TERMINAL = "wire-terminal"


def bring_out_unused_rails(ctx: PlanContext) -> None:
    b = ctx.b
    for rail in list(b.rails):
        part = b.plan.part(rail.owner)
        if rail.kind != "regulator" or part is None or not is_converter(b.lib[part.type]) or _consumed(ctx, rail):
            continue
        key = _terminal(ctx)
        if key is None:
            b.unmet(f"{rail.name} ({rail.endpoint}) feeds nothing and the library has no terminal to bring it out on.")
            continue
        pins = [p.name for p in b.lib[key].pins]
        if len(pins) < 2:
            continue
        saved, b.domain = b.domain, rail.domain
        tid = b.add(key, f"{format_value(rail.volts, 'V')} output", serves=rail.owner)
        b.power(f"{tid}:{pins[0]}", rail, 0.0, f"{rail.name} out to the terminal")
        b.to_ground(f"{tid}:{pins[1]}", f"{tid} output ground")
        b.domain = saved
        b.note(f"{tid} brings out the {format_value(rail.volts, 'V')} rail of {rail.owner} "
               f"({pins[0]}: +, {pins[1]}: ground) for what it powers.")


def _consumed(ctx: PlanContext, rail) -> bool:
    """Something in the design takes the rail: a part it feeds, or a wire from its output to a part
    other than the capacitors that steady it."""
    b = ctx.b
    if rail.feeds:
        return True
    for w in b.plan.wires:
        if rail.endpoint not in (w.a, w.b):
            continue
        other = (w.b if w.a == rail.endpoint else w.a).split(":", 1)[0]
        part = b.plan.part(other)
        if part is not None and other != rail.owner and b.lib[part.type].spice.kind != "capacitor":
            return True
    return False


def _terminal(ctx: PlanContext) -> str | None:
    keys = [k for k in providers(ctx.b.lib, TERMINAL)
            if sum(1 for p in ctx.b.lib[k].pins if p.type == "passive") >= 2]
    return min(keys, key=lambda k: preference(ctx.b.lib[k])) if keys else None
