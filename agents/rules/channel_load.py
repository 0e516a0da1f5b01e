"""Loads fed at one common pin whose channels return through pins of their own (a common-anode RGB LED
strip: +12V, R, G, B). Each channel is a load by itself: the common pin goes to a rail the record's
supply range takes, and every channel pin is switched to ground by its own low-side transistor on a
PWM pin, sized by the channel's current (the record's rated current, a length's worth where the request
states one). Read from the record's data only: a SPICE load with one ``power_in`` pin, two or more
passive channel pins and no logic pin, its current limited on the part (no series resistor needed).
"""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.load_switch import load_ratings, low_side_switch
from circuit.units import format_value
from knowledge.record import ComponentRecord


def channel_pins(rec: ComponentRecord) -> list[str]:
    """The pins each channel's current returns through (passive, not the common supply pin)."""
    return [p.name for p in P.unique_pins(rec) if p.type == "passive"]


def is_channel_load(rec: ComponentRecord) -> bool:
    return (rec.spice.kind == "load" and not rec.flags.needs_series_resistor
            and len(P.power_in_pins(rec)) == 1 and len(channel_pins(rec)) >= 2 and not P.signal_pins(rec))


def add_channel_load(ctx: PlanContext, key: str, attrs: dict, board: Board | None, prefer: str | None = None,
                     role: str = "load") -> str:
    b = ctx.b
    rec = b.lib[key]
    pid = b.add(key, role, attrs)
    common = P.power_in_pins(rec)[0].name
    channels = channel_pins(rec)
    v, i, peak = load_ratings(rec, attrs)  # one channel's
    total = i * len(channels)
    rail = ctx.power.rail_for(rec, P.power_in_pins(rec)[0], total, v, pid)
    if rail is None:
        b.unmet(f"{pid} needs a {format_value(v or 12.0, 'V')} supply.")
        return pid
    b.power(f"{pid}:{common}", rail, total, f"{rail.name} feeds {pid}'s common {common} "
                                            f"({len(channels)} × {format_value(i, 'A')} at full brightness)")
    if board is None:
        for ch in channels:
            b.to_ground(f"{pid}:{ch}", f"{pid} {ch} return")
        return pid
    for ch in channels:
        low_side_switch(ctx, board, pid, f"{pid}:{ch}", rail.volts, peak, pwm=True, prefer=prefer)
    b.note(f"{pid}: each of {', '.join(channels)} sinks up to {format_value(peak, 'A')} through its own switch; "
           f"PWM on each sets that channel's brightness.")
    return pid
