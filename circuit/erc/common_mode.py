"""Input common-mode range: a single-supply analog stage needs its inputs biased inside the range
its record states (``requires.input_common_mode``, offsets from the negative and positive supply:
an LM358 takes 0 V to V+ − 1.5 V, an LM741 stays 2 V inside both rails).

The check runs where the circuit fixes an input's DC level: tied to a rail or ground, or set by a
resistor divider between them (:func:`circuit.erc.bias.dc_level`). Outside the range the stage
does not amplify or compare correctly (the output latches or inverts): a Major finding.
"""

from __future__ import annotations

from circuit.erc.bias import dc_level
from circuit.erc.context import V_TOL, ErcContext, fmt
from circuit.findings import Severity

RULES = {
    "ERC-INPUT-COMMON-MODE": (Severity.MAJOR, "An analog input is biased outside the part's input common-mode range "
                              "(e.g. an LM358 input above V+ − 1.5 V on a single supply)."),
}


def supply_span(ctx: ErcContext, pid: str) -> tuple[float, float] | None:
    """(lowest, highest) voltage on the part's supply and ground pins, when both are known."""
    rec = ctx.rec(pid)
    volts = []
    for p in rec.pins_of_type("power_in", "ground"):
        ep = f"{pid}:{p.name}"
        if not ctx.connected(ep):
            continue
        v = ctx.group_voltage(ep)
        if v is None:
            return None
        volts.append(v)
    if len(volts) < 2 or max(volts) <= min(volts):
        return None
    return min(volts), max(volts)


def check(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or rec.requires.input_common_mode is None:
            continue
        span = supply_span(ctx, pid)
        if span is None:
            continue
        lo_off, hi_off = rec.requires.input_common_mode
        lo, hi = span[0] + lo_off, span[1] + hi_off
        for p in rec.pins_of_type("analog_in"):
            if p.name not in rec.requires.required_pins:
                continue
            ep = f"{pid}:{p.name}"
            v = dc_level(ctx, ep)
            if v is None or lo - V_TOL <= v <= hi + V_TOL:
                continue
            ctx.add(
                "ERC-INPUT-COMMON-MODE", Severity.MAJOR,
                f"{p.name} of {ctx.label(pid)} sits at {fmt(v, 'V')}, outside its input range of {fmt(lo, 'V')} to "
                f"{fmt(hi, 'V')} on a {fmt(span[0], 'V')}-{fmt(span[1], 'V')} supply: the stage cannot amplify or "
                "compare there. Bias the input inside that range (a divider to mid-supply), or use a rail-to-rail part.",
                [ep],
            )
