"""Decoupling: a bare IC (or a regulator) needs a capacitor from its supply pin to ground.

Modules and boards carry their own (records flag ``decoupling_onboard``), so only parts in the
``ic`` category and bare regulators are checked. Any capacitor between the supply pin's net and
ground counts.
"""

from __future__ import annotations

from circuit.erc.companions import capacitor_companion_pins
from circuit.erc.context import ErcContext
from circuit.findings import Severity
from circuit.units import format_value

RULES = {
    "ERC-NO-DECOUPLING": (Severity.WARNING, "An IC's supply pin has no decoupling capacitor to ground."),
}


def _needs_decoupling(ctx: ErcContext, pid: str) -> bool:
    rec = ctx.rec(pid)
    if rec is None or rec.flags.decoupling_onboard or rec.is_mcu:
        return False
    return rec.category == "ic" or rec.spice.kind in ("regulator", "opamp")


def _has_cap(ctx: ErcContext, ep: str) -> bool:
    g = ctx.group(ep)
    if g is None:
        return False
    for o in g.pins:
        cid = ctx.part_of(o)
        if not ctx.is_capacitor(cid):
            continue
        other = ctx.other_terminal(o)
        if other is not None and ctx.is_ground(other):
            return True
    return False


def check(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        if not _needs_decoupling(ctx, pid):
            continue
        rec = ctx.rec(pid)
        regulator = rec.spice.kind == "regulator"
        pins = rec.pins_of_type("power_in") + (rec.pins_of_type("power_out") if regulator else [])
        by_record = capacitor_companion_pins(ctx, pid)  # the record states these: ERC-COMPANION-* checks them
        for p in pins:
            ep = f"{pid}:{p.name}"
            if ep in by_record or not ctx.connected(ep) or ctx.is_ground(ep) or _has_cap(ctx, ep):
                continue
            value = 10e-6 if regulator else 100e-9
            what = ("a regulator needs capacitors on its input and output to stay stable"
                    if regulator else "an IC needs a 100 nF capacitor right at its supply pin to absorb "
                    "the current spikes of its switching")
            ctx.add(
                "ERC-NO-DECOUPLING", Severity.WARNING,
                f"{p.name} of {ctx.label(pid)} has no capacitor to ground: {what}. Without it the chip can "
                "reset or misbehave at random.",
                [ep], f"add_decoupling_cap({ep}, {format_value(value, 'F')})",
            )
