"""Capacitors: an electrolytic capacitor wired backwards.

Only capacitors with a polarity count (:mod:`circuit.capacitor_polarity`: an electrolytic, or a
generic capacitor of 1 µF or more; below that it is ceramic or film in practice, as the SPICE gate
and the schematic also assume): with its + lead on the lower voltage it leaks, heats and can vent.
"""

from __future__ import annotations

from circuit.capacitor_polarity import is_polar
from circuit.erc.context import ErcContext, fmt
from circuit.findings import Severity

RULES = {
    "ERC-CAP-REVERSED": (Severity.MAJOR, "An electrolytic capacitor is wired backwards (its + lead on the lower voltage)."),
}


def check(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or not ctx.is_capacitor(pid) or not is_polar(rec, ctx.value(pid)):
            continue
        if len(rec.spice.terminals) != 2:
            continue
        plus, minus = (f"{pid}:{n}" for n in rec.spice.terminals)
        vp, vm = ctx.group_voltage(plus), ctx.group_voltage(minus)
        if vp is None or vm is None or vm <= vp + 0.5:
            continue
        ctx.add(
            "ERC-CAP-REVERSED", Severity.MAJOR,
            f"{ctx.label(pid)} is wired backwards: its + lead is at {fmt(vp, 'V')} and its "
            f"- lead (the striped side) at {fmt(vm, 'V')}. Reversed, it leaks, heats up and can burst. Turn it round.",
            [pid, plus, minus], f"swap_wires({plus}, {minus})",
        )
