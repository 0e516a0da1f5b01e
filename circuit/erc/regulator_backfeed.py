"""A board's regulated rail fed from outside while its own regulator is fed too: two supplies on one rail.

A development board's regulated pin that also takes a supply (its record gives the pin a ``v_range``: an
ESP32 DevKit's 3V3 pin takes 3.0-3.6 V from a regulated source, bypassing the on-board regulator) is an
input only while nothing feeds the board's regulator. When another of the board's supply inputs is fed
as well (USB 5 V on VIN, an adapter on the 5V pin, a cell on VSYS), the board's regulator drives that rail
too: the outside source and the regulator fight over it, one back-feeds the other, and which one wins
changes with load and temperature. The pins and their ranges are read from the records; which pins an
outside supply reaches comes from :mod:`circuit.power_feed`, as for every other power rule.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext
from circuit.findings import Severity
from circuit.power_feed import accepts_power_in, upstream_source

RULES = {
    "ERC-REGULATOR-BACKFEED": (Severity.MAJOR, "A board's regulated rail pin is fed from outside while its own "
                                               "regulator is fed too (USB or VIN): two supplies drive one rail."),
}


def _feed(ctx: ErcContext, pid: str, pin) -> str | None:
    """The outside source that reaches this supply pin of the board, or None."""
    ep = f"{pid}:{pin.name}"
    if not ctx.connected(ep):
        return None
    if pin.type == "power_out":
        return ctx.fed.get(ctx.canonical(ep)) or ctx.fed.get(ep)
    if pin.type == "power_in":
        return upstream_source(ctx.nl, ep)
    return None


def check(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or not (rec.flags.onboard_regulator or rec.is_mcu):
            continue
        supply = [p for p in rec.pins if p.type in ("power_in", "power_out")]
        # the regulated pins that take a supply over their own range (bypassing the board's regulator)
        bypass = [p for p in supply if p.v_range is not None and accepts_power_in(rec, p)]
        for reg in bypass:
            outside = _feed(ctx, pid, reg)
            if outside is None:
                continue
            lo = reg.v_range[0]
            others = [(p, src) for p in supply if p.name != reg.name and p.v_range is None
                      and (src := _feed(ctx, pid, p)) is not None
                      and (p.v_out or p.v_max or lo) > lo]  # an input upstream of the regulator, not another rail
            if not others:
                continue
            p, src = others[0]
            ctx.add(
                "ERC-REGULATOR-BACKFEED", Severity.MAJOR,
                f"{ctx.label(pid)} takes {reg.name} from {outside} while {p.name} is also fed from {src}: the "
                f"board's own regulator then drives {reg.name} too, so two supplies fight over one rail and one "
                f"back-feeds the other. Feed the board one way: take {reg.name}'s outside supply away and let the "
                f"board make it from {p.name}, or leave {p.name} (and the USB socket) unpowered while {reg.name} "
                "is fed.",
                [f"{pid}:{reg.name}", outside, f"{pid}:{p.name}", src],
            )
