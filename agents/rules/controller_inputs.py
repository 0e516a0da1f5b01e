"""A module that runs the design itself holds its own enable and reset inputs at their running level.

A development board carries the pull-ups that keep its chip enabled and out of reset. A programmable module
running the design as its controller (an ESP-01: record ``programmable``, not a board) may not: its record
says which inputs must be held (``requires.tie``: CH_PD high) and which are reset inputs with no pull of
their own (function ``reset``, no ``pullup``): each gets a 10 kΩ resistor to the level it runs at, so a
button or a programmer can still pull it the other way. Reads the record only (the same reading
:func:`agents.rules.module_wiring.input_policy` gives a module's inputs when it is a peripheral).
"""

from __future__ import annotations

from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.module_wiring import input_policy
from agents.rules.pullups import resistor_pull
from circuit.units import format_value

HOLD = 10e3  # holds an enable or reset input at its level; a pin or a button can still override it


def hold_own_inputs(ctx: PlanContext, bd: Board) -> list[str]:
    """Pull the controller module's enable and reset inputs to their running level; returns the pins held."""
    rec = bd.rec
    if rec.is_mcu:
        return []  # a board's own pull-ups hold them
    held = []
    for pin in rec.pins:
        if pin.type != "digital_in" or not (pin.name in rec.requires.tie or "reset" in pin.functions):
            continue
        ep = f"{bd.id}:{pin.name}"
        level = input_policy(rec, pin)
        if level not in ("high", "low") or any(ep in (w.a, w.b) for w in ctx.b.plan.wires):
            continue
        rail = ctx.logic_rail(bd) if level == "high" else None
        if level == "high" and rail is None:
            continue
        why = f"holds {bd.id}'s {pin.name} {level} so it runs"
        resistor_pull(ctx.b, ep, rail.endpoint if rail is not None else None, HOLD, why, bd.id,
                      f"{format_value(HOLD, 'Ω')} to {rail.name if rail is not None else 'ground'}: the level "
                      f"{bd.id} runs at, which a button or programmer can still override", to_ground=level == "low")
        held.append(pin.name)
    if held:
        ctx.b.note(f"{bd.id}'s {', '.join(held)} {'are' if len(held) > 1 else 'is'} held at the running level by "
                   f"{format_value(HOLD, 'Ω')} (its record: no pull of its own on the module).")
    return held
