"""LED rules: every LED needs a current limit, the resistor must be in a sane range, and the
LED must face the right way.

For each LED segment (anode pin → cathode pin) the chain is followed up from the anode to what
drives it and down from the cathode to where the current returns. With a stiff source (a rail or
an output pin) at the top, a stiff sink (ground, an output pin, a transistor) at the bottom and
no resistor in between, nothing limits the current. With resistors, the current is
``(V_source − ΣVf) / ΣR`` and must lie between 0.5 mA (visible) and the LED's maximum; above twice
the maximum the resistor is no current limit at all and the LED is reported as unprotected.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext, fmt, fmt_ma
from circuit.erc.paths import PathEnd, led_vf, role, walk
from circuit.findings import Severity
from circuit.units import format_value, nearest_e

RULES = {
    "ERC-LED-NO-RESISTOR": (Severity.MAJOR, "An LED is driven with nothing to limit its current."),
    "ERC-LED-REVERSED": (Severity.MAJOR, "An LED is wired backwards (anode to ground, cathode to the supply)."),
    "ERC-LED-RESISTOR-RANGE": (Severity.MINOR, "An LED's series resistor is too small (over-current) or too large (too dim)."),
}

I_VISIBLE = 0.5e-3
NO_LIMIT_FACTOR = 2.0  # a resistor letting through more than 2 x IF(max) is no current limit at all


def segments(ctx: ErcContext, pid: str) -> list[tuple[str, str]]:
    """(anode endpoint, cathode endpoint) pairs of an LED part (one for a plain LED, one per colour/segment)."""
    rec = ctx.rec(pid)
    anodes = [f"{pid}:{p.name}" for p in rec.pins if role(ctx, f"{pid}:{p.name}") == "anode"]
    cathodes = [f"{pid}:{p.name}" for p in rec.pins if role(ctx, f"{pid}:{p.name}") == "cathode"]
    anodes, cathodes = list(dict.fromkeys(anodes)), list(dict.fromkeys(cathodes))
    part = ctx.parts[pid]
    common = str(part.attrs.get("common", "")).strip().lower()
    if common in ("anode", "ca", "common anode", "common_anode", "+"):
        # the record describes the common-cathode variant: the common pins become anodes
        if len(cathodes) < len(anodes):
            anodes, cathodes = cathodes, anodes
    if not anodes or not cathodes:
        return []
    # pair each "segment" pin with the common pin(s)
    if len(anodes) >= len(cathodes):
        return [(a, cathodes[0]) for a in anodes]
    return [(anodes[0], k) for k in cathodes]


def _target_current(ctx: ErcContext, pid: str, up: PathEnd, down: PathEnd) -> float:
    rec = ctx.rec(pid)
    i = rec.ratings.if_nom or 0.02
    if rec.ratings.if_max:
        i = min(i, 0.75 * rec.ratings.if_max)
    for end in (up, down):
        if end.kind == "gpio" and end.i_max:
            i = min(i, 0.75 * end.i_max)
    return i


def _resistor_for(headroom: float, current: float) -> float:
    return nearest_e(max(headroom, 0.1) / current, "E12", "up")


def check(ctx: ErcContext) -> None:
    in_reported_chain: set[str] = set()
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or not ctx.is_led(pid) or pid in in_reported_chain:
            continue
        segs = segments(ctx, pid)
        multi = len(segs) > 1
        common_anode = multi and len({a for a, _ in segs}) == 1
        for anode, cathode in segs:
            if not ctx.connected(anode) or not ctx.connected(cathode):
                continue
            up = walk(ctx, anode, "source")
            down = walk(ctx, cathode, "sink")
            # the side that gets the resistor: the per-segment pin of a multi-LED part, else the anode
            seg_pin = cathode if common_anode else anode
            name = f"{ctx.label(pid)}" + (f" (pin {ctx.pin_name(seg_pin)})" if multi else "")
            vf = led_vf(ctx, pid, ctx.pin_name(anode), ctx.pin_name(cathode)) + up.vdrop + down.vdrop
            # reversed: the anode side returns to ground and the cathode side is driven high
            if up.kind in ("gnd", "sink") and down.kind in ("rail", "gpio") and (down.volts or 0) > 0:
                ctx.add(
                    "ERC-LED-REVERSED", Severity.MAJOR,
                    f"{name} is wired backwards: its anode (+, the long leg) goes toward ground and its cathode "
                    f"(−, the flat side) toward {down.ep}. An LED only conducts from + to −, so it will never light. "
                    "Turn it around.",
                    [anode, cathode],
                    f"swap_wires({anode}, {cathode})" if not multi else None,
                )
                continue
            if not (up.kind in ("rail", "gpio") and (up.volts or 0) > 0 and down.kind in ("gnd", "gpio", "sink")):
                continue
            v_src = up.volts or 0.0
            headroom = v_src - vf
            resistors = up.resistors + down.resistors
            r_total = up.r_total + down.r_total
            i_target = _target_current(ctx, pid, up, down)
            if not resistors:
                if headroom <= 0.05:
                    continue  # the supply cannot even reach the forward voltage: no current flows
                in_reported_chain.update(up.leds + down.leds)  # one resistor fixes the whole series string
                r_fix = _resistor_for(headroom, i_target)
                ctx.add(
                    "ERC-LED-NO-RESISTOR", Severity.MAJOR,
                    f"{name} is connected from {up.ep} ({fmt(v_src, 'V')}) to {down.ep} with no resistor. "
                    "An LED does not limit its own current: it will draw far more than its "
                    f"{fmt_ma(rec.ratings.if_max)} maximum and burn out (and can damage the pin driving it). "
                    f"Put a {format_value(r_fix, 'Ω')} resistor in series.",
                    [seg_pin, up.ep, down.ep],
                    f"insert_series_resistor({seg_pin}, {format_value(r_fix, 'Ω')})",
                )
                continue
            if up.r_unknown or down.r_unknown or r_total <= 0:
                continue
            current = max(headroom, 0.0) / r_total
            i_max = rec.ratings.if_max or 0.03
            single = resistors[0] if len(resistors) == 1 else None
            r_good = _resistor_for(headroom, i_target)
            fix = f"set_value({single}, {format_value(r_good, 'Ω')})" if single else None
            if current > i_max * NO_LIMIT_FACTOR:
                ctx.add(
                    "ERC-LED-NO-RESISTOR", Severity.MAJOR,
                    f"The resistor for {name} is far too small to limit its current: "
                    f"{format_value(r_total, 'Ω')} from {fmt(v_src, 'V')} lets about {fmt_ma(current)} through, "
                    f"more than twice the LED's {fmt_ma(i_max)} maximum. The LED will burn out. "
                    f"Use about {format_value(r_good, 'Ω')}.",
                    [seg_pin] + resistors, fix,
                )
            elif current > i_max * 1.05:
                ctx.add(
                    "ERC-LED-RESISTOR-RANGE", Severity.MINOR,
                    f"The resistor for {name} is too small: {format_value(r_total, 'Ω')} from {fmt(v_src, 'V')} "
                    f"lets about {fmt_ma(current)} through, more than the LED's {fmt_ma(i_max)} maximum. "
                    f"Use about {format_value(r_good, 'Ω')}.",
                    [seg_pin] + resistors, fix,
                )
            elif current < I_VISIBLE:
                why = ("the supply is below the LED's forward voltage" if headroom <= 0
                       else f"only about {fmt_ma(current)} flows")
                ctx.add(
                    "ERC-LED-RESISTOR-RANGE", Severity.MINOR,
                    f"The resistor for {name} is too large ({format_value(r_total, 'Ω')}): {why}, "
                    "so the LED will be barely visible or dark."
                    + (f" Use about {format_value(r_good, 'Ω')}." if headroom > 0 else ""),
                    [seg_pin] + resistors, fix if headroom > 0 else None,
                )
            # the pin driving (or sinking) the LED must survive the current
            for end in (up, down):
                if end.kind == "gpio" and end.i_max and current > end.i_max * 1.05:
                    ctx.add(
                        "ERC-GPIO-OVERCURRENT", Severity.MAJOR,
                        f"{end.ep} would carry about {fmt_ma(current)} through {name}, but the pin is rated "
                        f"for {fmt_ma(end.i_max)}. Use a larger resistor (about {format_value(r_good, 'Ω')}).",
                        [end.ep, pid] + resistors, fix,
                    )
