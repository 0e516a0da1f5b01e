"""Load voltage: a motor, coil or solenoid across more than its rated voltage.

The voltage across the load is the highest rail reaching one lead (switches pressed) against
ground, or a transistor that switches the other lead to ground. The policy (how far over is
Minor, how far Major) is :mod:`circuit.load_rating`, shared with the SPICE gate.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext, fmt
from circuit.erc.inductive_loads import coil_terminals
from circuit.findings import Severity
from circuit.load_rating import is_motor, load_overvoltage, rated_top, rating_words

RULES = {
    "ERC-LOAD-OVERVOLTAGE": (Severity.MAJOR, "A motor, coil or solenoid is powered well above its rated voltage."),
}


def _low_side(ctx: ErcContext, ep: str) -> bool:
    g = ctx.group(ep)
    if g is None:
        return False
    if ctx.grounds_in(g):
        return True
    return any((p := ctx.pin(o)) is not None and {"collector", "drain"} & set(p.functions) for o in g.pins)


def check(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        v_top = rated_top(rec)
        if not v_top:
            continue
        terms = [t for t in coil_terminals(ctx, pid) if ctx.connected(t)]
        if len(terms) != 2 or len(coil_terminals(ctx, pid)) != 2:
            continue
        a, b = terms
        for hi, lo in ((a, b), (b, a)):
            v = ctx.group_voltage(hi, switched=True)
            if not v or not _low_side(ctx, lo):
                continue
            sev = load_overvoltage(rec, v)
            if sev is None:
                break
            what = ("it runs faster and hotter than it is made for and wears out early" if sev is Severity.MINOR
                    else "it overheats and burns out") if is_motor(rec) else (
                "its coil runs hot" if sev is Severity.MINOR else "its coil overheats and burns out")
            rail = next((ep for ep, rv in ctx.rails_in(ctx.group(hi, switched=True)) if rv == v), hi)
            ctx.add(
                "ERC-LOAD-OVERVOLTAGE", sev,
                f"{ctx.label(pid)} is {rating_words(rec)} but gets {fmt(v, 'V')} from {rail} "
                f"({v / v_top:.1f} times {'the top of its range' if v_top != rec.ratings.v_rated else 'its rating'}): "
                f"{what}. Power it from a supply within its rating.",
                [pid, rail],
            )
            break
