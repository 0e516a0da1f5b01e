"""Load voltage: a motor, coil or solenoid across more than its rated voltage.

The voltage across the load is the highest rail reaching one lead (switches pressed) against
ground, or a transistor that switches the other lead to ground. The policy (how far over is
Minor, how far Major) is :mod:`circuit.load_rating`, shared with the SPICE gate.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext, fmt
from circuit.erc.inductive_loads import coil_terminals
from circuit.findings import Severity
from circuit.load_rating import is_motor, load_overvoltage, load_undervoltage, rated_bottom, rated_top, rating_words

RULES = {
    "ERC-LOAD-OVERVOLTAGE": (Severity.MAJOR, "A motor, coil or solenoid is powered well above its rated voltage."),
    "ERC-LOAD-UNDERVOLTAGE": (Severity.MAJOR, "A motor, coil or solenoid is powered well below its rated voltage "
                              "(a 12 V motor on a 3 V battery, a 5 V relay coil on 3.3 V): it does not start or pull in."),
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
                _undervoltage(ctx, pid, rec, v, hi)
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


def _undervoltage(ctx: ErcContext, pid: str, rec, v: float, hi: str) -> None:
    sev = load_undervoltage(rec, v)
    if sev is None:
        return
    rail = next((ep for ep, rv in ctx.rails_in(ctx.group(hi, switched=True)) if rv == v), hi)
    bottom = rated_bottom(rec)
    what = (("it runs weak and slow" if sev is Severity.MINOR else "it does not start against its load, stalls and "
             "heats up") if is_motor(rec) else "its coil never reaches the voltage it needs to pull in, so it does not switch")
    ctx.add(
        "ERC-LOAD-UNDERVOLTAGE", sev,
        f"{ctx.label(pid)} is {rating_words(rec)} but gets only {fmt(v, 'V')} from {rail} (it needs at least about "
        f"{fmt(bottom if is_motor(rec) else 0.75 * rated_top(rec), 'V')}): {what}. Power it from a supply within its rating "
        "(switched by a transistor or driver, grounds joined).",
        [pid, rail],
    )
