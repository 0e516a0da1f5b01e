"""Capacitors: an electrolytic capacitor wired backwards.

Only capacitors of 1 µF or more whose record is polarized count (below that a part is ceramic or
film in practice, as the SPICE gate also assumes): with its + lead on the lower voltage it leaks,
heats and can vent.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext, fmt
from circuit.findings import Severity

RULES = {
    "ERC-CAP-REVERSED": (Severity.MAJOR, "An electrolytic capacitor is wired backwards (its + lead on the lower voltage)."),
}
POLAR_FROM = 1e-6


def check(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or not ctx.is_capacitor(pid) or not rec.flags.polarized:
            continue
        if (ctx.value(pid) or 0) < POLAR_FROM or len(rec.spice.terminals) != 2:
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
