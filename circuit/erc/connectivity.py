"""Connectivity: parts wired to nothing, half-wired two-terminal parts, unconnected inputs,
and the same wire listed twice."""

from __future__ import annotations

from circuit.erc.context import ErcContext
from circuit.findings import Severity

RULES = {
    "ERC-UNCONNECTED-PART": (Severity.WARNING, "A part is not connected to anything."),
    "ERC-DANGLING-PIN": (Severity.WARNING, "A two-terminal part (resistor, LED, capacitor, button...) has only one end connected."),
    "ERC-UNCONNECTED-INPUT": (Severity.WARNING, "An input pin of an IC or module is left unconnected (floating)."),
    "ERC-DUPLICATE-WIRE": (Severity.MINOR, "The same connection is listed twice."),
}


def check(ctx: ErcContext) -> None:
    seen: dict[frozenset, int] = {}
    for i, c in enumerate(ctx.circuit.connections):
        key = frozenset((c.source, c.target))
        if key in seen:
            ctx.add(
                "ERC-DUPLICATE-WIRE", Severity.MINOR,
                f"The wire {c.source} → {c.target} is listed twice (connections[{seen[key]}] and "
                f"connections[{i}]). It does no harm electrically, but the duplicate clutters the wiring list.",
                [c.source, c.target], f"remove_duplicate_connection({c.source}, {c.target})",
            )
        else:
            seen[key] = i
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None:
            continue
        eps = [f"{pid}:{n}" for n in rec.pin_names]
        used = [e for e in eps if ctx.connected(e)]
        if not used:
            ctx.add(
                "ERC-UNCONNECTED-PART", Severity.WARNING,
                f"{ctx.label(pid)} is not connected to anything, so it does nothing. Wire it up or remove it.",
                [pid],
            )
            continue
        if len(eps) == 2 and len(used) == 1:
            loose = next(e for e in eps if e not in used)
            ctx.add(
                "ERC-DANGLING-PIN", Severity.WARNING,
                f"Only one end of {ctx.label(pid)} is connected ({used[0]}); {loose} goes nowhere, so no current "
                "can flow through it.",
                [loose],
            )
            continue
        if rec.is_mcu:
            continue
        loose_inputs = [
            f"{pid}:{p.name}" for p in rec.pins
            if p.type == "digital_in" and not p.pullup and not p.pulldown and not ctx.connected(f"{pid}:{p.name}")
            and "uart_rx" not in p.functions  # a one-way serial link is reported by the bus rules
            and p.name not in rec.requires.required_pins  # a required input is Major (circuit.erc.required_pins)
        ]
        loose_inputs = list(dict.fromkeys(loose_inputs))
        if loose_inputs:
            names = ", ".join(ctx.pin_name(e) for e in loose_inputs)
            ctx.add(
                "ERC-UNCONNECTED-INPUT", Severity.WARNING,
                f"{ctx.label(pid)} has unconnected input pin{'s' if len(loose_inputs) > 1 else ''} ({names}). "
                "A floating input picks up noise and can make the chip behave randomly; tie unused inputs to "
                "ground or the supply (or to a pin) as its datasheet says.",
                loose_inputs,
            )
