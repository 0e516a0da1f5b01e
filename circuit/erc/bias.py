"""DC bias of a net: is something holding it at a level, and at which voltage.

An input is *biased* when its net has a DC path to something that sets a level: an output, a
rail, ground, another pin that its module pulls up or down, or any of those through resistors (a divider, a feedback resistor, a pot). A
capacitor alone passes no DC, so an AC-coupled input with no bias resistor floats. The level is
known when the net sits on a rail or ground, or between resistors whose far ends are rails or
ground (a divider: the conductance-weighted mean of those voltages).
"""

from __future__ import annotations

from circuit.erc.context import ErcContext

RESISTIVE = ("resistor", "potentiometer")
DRIVING_TYPES = ("digital_out", "analog_out", "digital_io", "power_out")
MAX_HOPS = 4


def _drives(ctx: ErcContext, ep: str, own: str) -> bool:
    if ep == own:
        return False
    p = ctx.pin(ep)
    if p is None:
        return False
    if p.type == "ground":
        return True
    if (p.pullup or p.pulldown) and not ctx.is_mcu(ctx.part_of(ep)):
        return True  # a pin pulled on its module (an A4988's SLEEP) holds a pin tied to it (RESET)
    return p.type in DRIVING_TYPES and "input_only" not in p.functions


def _resistive(ctx: ErcContext, pid: str) -> bool:
    return ctx.kind(pid) in RESISTIVE


def biased(ctx: ErcContext, ep: str) -> bool:
    """True when the pin's net has a DC path (wires and resistors) to an output, a rail or ground."""
    own = ctx.canonical(ep)
    if ctx.net(own) is None:
        return False
    seen_nets: set[str] = set()
    frontier = [ctx.net(own)]
    for _ in range(MAX_HOPS + 1):
        nxt = []
        for net in frontier:
            if net is None or net.name in seen_nets:
                continue
            seen_nets.add(net.name)
            if ctx.group_voltage(net.pins[0]) is not None:
                return True
            for o in net.pins:
                if _drives(ctx, o, own):
                    return True
                pid = ctx.part_of(o)
                if _resistive(ctx, pid):
                    rec = ctx.rec(pid)
                    for n in rec.pin_names:
                        other = ctx.net(f"{pid}:{n}")
                        if other is not None and other.name not in seen_nets:
                            nxt.append(other)
        frontier = nxt
        if not frontier:
            break
    return False


def dc_level(ctx: ErcContext, ep: str) -> float | None:
    """The DC voltage on the pin's net when the circuit fixes it: a rail, ground, or a resistor
    divider between rails/ground with nothing else driving the net. None when it is not known."""
    own = ctx.canonical(ep)
    net = ctx.net(own)
    if net is None:
        return None
    v = ctx.group_voltage(own)
    if v is not None:
        return v
    conductance = weighted = 0.0
    for o in net.pins:
        if o == own:
            continue
        pid = ctx.part_of(o)
        p = ctx.pin(o)
        if p is None:
            return None
        if ctx.is_capacitor(pid):
            continue  # no DC through a capacitor
        if ctx.kind(pid) == "resistor":
            r = ctx.value(pid)
            far = ctx.other_terminal(o)
            fv = ctx.group_voltage(far) if far is not None else None
            if r is None or r <= 0 or fv is None:
                return None
            conductance += 1.0 / r
            weighted += fv / r
            continue
        if p.type in ("analog_in", "digital_in") and "input_only" not in p.functions and ctx.part_of(o) != ctx.part_of(own):
            continue  # another high-impedance input on the same node
        if ctx.part_of(o) == ctx.part_of(own) and p.type == "analog_in":
            continue
        return None  # something else sets the level (an output, a sensor, a pot wiper)
    return weighted / conductance if conductance else None


__all__ = ["biased", "dc_level"]
