"""Series paths: follow a two-terminal chain (resistors, LEDs, diodes, switches) from a pin
until it reaches something stiff — a rail, ground, an output pin or a transistor switch.

The LED rules use it to find out what drives an LED, what it returns to, and which resistors
sit in between.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from circuit.erc.context import ErcContext
from circuit.led_colors import COLOUR_VF, DEFAULT_COLOUR, forward_voltage

SINK_FUNCTIONS = {"collector", "drain"}


@dataclass
class PathEnd:
    kind: str  # rail | gnd | gpio | sink | open | branch | blocked | other | loop
    ep: str | None = None
    volts: float | None = None
    i_max: float | None = None
    resistors: list[str] = field(default_factory=list)
    r_total: float = 0.0
    r_unknown: bool = False
    vdrop: float = 0.0
    leds: list[str] = field(default_factory=list)

    @property
    def stiff(self) -> bool:
        return self.kind in ("rail", "gnd", "gpio", "sink")


def _classify(ctx: ErcContext, ep: str) -> tuple[str, float | None, float | None] | None:
    p = ctx.pin(ep)
    if p is None:
        return None
    if p.type == "ground":
        return ("gnd", 0.0, None)
    if p.type == "power_out":
        if ep in ctx.fed:  # a board's VIN fed from outside carries that supply's voltage
            return ("rail", ctx.group_voltage(ep, switched=True), p.i_max)
        v = ctx.nl.rail_voltage_of_pin(ep)
        return ("rail", v, p.i_max)
    if ctx.can_drive(p) and not ctx.is_open_drain(p):
        return ("gpio", ctx.drive_voltage(ep), p.i_max)
    if p.type in ("digital_out", "digital_io") and ctx.is_open_drain(p):
        return ("sink", 0.0, p.i_max)
    if SINK_FUNCTIONS & set(p.functions):
        return ("sink", 0.0, None)
    return None


def _stiff_on(ctx: ErcContext, net) -> list[tuple[str, tuple]]:
    """(pin, classification) of the net's stiff pins, found once per net (a 2,000-pin net stays linear)."""
    memo = ctx.__dict__.setdefault("_stiff_memo", {})
    if id(net) not in memo or memo[id(net)][0] is not net:
        memo[id(net)] = (net, [(o, c) for o in net.pins if (c := _classify(ctx, o)) is not None])
    return memo[id(net)][1]


_PRIORITY = {
    "source": ("rail", "gpio", "sink", "gnd"),
    "sink": ("gnd", "sink", "gpio", "rail"),
}


def role(ctx: ErcContext, ep: str) -> str | None:
    p = ctx.pin(ep)
    if p is None:
        return None
    fs = set(p.functions)
    if fs & {"anode", "led_anode"}:
        return "anode"
    if fs & {"cathode", "led_cathode"}:
        return "cathode"
    return None


def led_vf(ctx: ErcContext, pid: str, *pins: str | None) -> float:
    """Forward voltage of an LED, or of the channel of a multi-LED part that ``pins`` name
    (:func:`circuit.led_colors.forward_voltage`: RGB channels, a colour attr, the record's vf)."""
    rec = ctx.rec(pid)
    if rec is None:
        return COLOUR_VF[DEFAULT_COLOUR]
    part = ctx.parts.get(pid)
    return forward_voltage(rec, part.attrs if part else None, [p for p in pins if p]).vf


def walk(ctx: ErcContext, ep: str, toward: str, max_steps: int = 8) -> PathEnd:
    """Follow the series chain from pin ``ep`` toward the ``source`` (up) or the ``sink`` (down)."""
    acc = PathEnd(kind="open")
    cur = ep
    visited = {ctx.part_of(ep)}
    for _ in range(max_steps):
        net = ctx.net(cur)
        if net is None:
            acc.kind = "open"
            return acc
        here = ctx.part_of(cur)
        stiff = [(c, o) for o, c in _stiff_on(ctx, net) if ctx.part_of(o) != here]
        if stiff:
            order = _PRIORITY[toward]
            stiff.sort(key=lambda t: order.index(t[0][0]))
            (kind, volts, imax), o = stiff[0]
            acc.kind, acc.ep, acc.volts, acc.i_max = kind, o, volts, imax
            return acc
        others = [p for p in net.pins if ctx.part_of(p) != here]
        # LEDs in parallel (same role as where we stand) are not in our series path
        my_role = role(ctx, cur) if ctx.is_led(here) else None
        cands = [o for o in others if not (my_role and ctx.is_led(ctx.part_of(o)) and role(ctx, o) == my_role)]
        if not cands:
            acc.kind = "open"
            return acc
        if len(cands) > 1:
            acc.kind, acc.ep = "branch", cands[0]
            return acc
        nxt = cands[0]
        pid = ctx.part_of(nxt)
        if pid in visited:
            acc.kind, acc.ep = "loop", nxt
            return acc
        other = ctx.other_terminal(nxt)
        if other is None:
            acc.kind, acc.ep = "other", nxt
            return acc
        if ctx.is_resistor(pid):
            v = ctx.value(pid)
            acc.resistors.append(pid)
            if v is None:
                acc.r_unknown = True
            else:
                acc.r_total += v
        elif ctx.is_led(pid) or ctx.is_diode(pid):
            r = role(ctx, nxt)
            forward = (r == "cathode") if toward == "source" else (r == "anode")
            if not forward:
                acc.kind, acc.ep = "blocked", nxt
                return acc
            acc.vdrop += led_vf(ctx, pid, ctx.pin_name(nxt), ctx.pin_name(other)) if ctx.is_led(pid) else 0.7
            if ctx.is_led(pid):
                acc.leds.append(pid)
        elif ctx.is_switch(pid) or ctx.kind(pid) == "inductor":
            pass
        else:
            acc.kind, acc.ep = "other", nxt
            return acc
        visited.add(pid)
        cur = other
    acc.kind = "loop"
    return acc
