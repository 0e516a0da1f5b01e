"""Filters: an RC low/high-pass (a PWM pin through it makes a simple DAC) and an LC low-pass
between a supply (or a switching regulator) and its loads, whose output becomes a filtered rail.
"""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.analog import capacitor, key_by_kind, supply_rail, two
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.decoupling import cap_rating
from agents.rules.values import lc_lowpass, rc_lowpass
from circuit.units import format_value


def block_rc(ctx: PlanContext, board: Board | None, by_kind, highpass: bool = False) -> set[int]:
    b = ctx.b
    fc = ctx.ident.numbers.get("cutoff_hz") or (1e3 if not highpass else 100.0)
    s, formula = rc_lowpass(fc, highpass=highpass)
    ckey = capacitor(ctx, s.values["C1"])
    if ckey is None:
        b.unmet("The library has no capacitor for the filter.")
        return set()
    r = b.add("resistor", "filter resistor")
    c = b.add(ckey, "filter capacitor")
    r1, r2 = two(ctx, r)
    c1, c2 = two(ctx, c)
    if board is not None:
        alloc = board.alloc.take("pwm", r, "out", fallback_gpio=True)
        src = b.use_pin(board, alloc, r, "filter input (PWM)")
    else:
        rail = supply_rail(ctx, board)
        src = rail.endpoint if rail else None
    if highpass:
        if src:
            b.wire(src, f"{c}:{c1}", "signal", "filter input")
        b.wire(f"{c}:{c2}", f"{r}:{r1}", "signal", "filter output")
        b.to_ground(f"{r}:{r2}", "filter resistor to ground")
        out = f"{r}:{r1}"
    else:
        if src:
            b.wire(src, f"{r}:{r1}", "signal", "filter input")
        b.wire(f"{r}:{r2}", f"{c}:{c1}", "signal", "filter output")
        b.to_ground(f"{c}:{c2}", "filter capacitor to ground")
        out = f"{r}:{r2}"
    b.value(r, s.values["R1"], "Ω", formula, f"sets the corner frequency with the capacitor ({s.method})")
    b.value(c, s.values["C1"], "F", formula, f"corner at {format_value(fc, 'Hz')} ({'high' if highpass else 'low'}-pass)")
    if board is not None:
        alloc = board.alloc.take("adc", r, "in")
        ep = b.use_pin(board, alloc, out, "reads the filtered signal")
        b.wire(ep, out, "signal", "filter output to the ADC")
        if not highpass:
            b.note("A PWM pin through this RC low-pass makes a simple DAC: the capacitor averages the PWM.")
    return {id(n) for n in by_kind.get("passive", [])}


def block_lc(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    """LC low-pass between a supply (or a switching regulator's output) and its load: the filtered
    output becomes a rail the loads use."""
    b = ctx.b
    ind = key_by_kind(ctx, "inductor")
    if ind is None:
        b.unmet("The library has no inductor for the LC filter.")
        return set()
    convs = [r for r in b.domain_rails() if r.kind == "regulator"]
    srcs = [r for r in b.domain_rails() if r.kind == "source"]
    switching = bool(convs) or "switching" in " ".join(ctx.ident.notes)
    if convs:
        src = convs[-1]
    elif srcs:
        src = srcs[-1]
    else:
        motors = [n for n in by_kind.get("motor", []) + by_kind.get("load", [])]
        v = ctx.ident.load_volts or ctx.ident.supply_volts
        if v is None and motors:
            v = P.supply_range(b.lib[motors[0].key])[1]
        src = ctx.power.source_for(v or 12.0, 2.0, "supply whose noise is filtered")
    if src is None:
        return set()
    fc = ctx.ident.numbers.get("cutoff_hz")
    if switching:
        l, fc = 10e-6, fc or 5e3
        why = "well below the regulator's switching frequency (LM2596: 150 kHz), so its ripple is attenuated ~40 dB/decade"
    else:
        l, fc = 100e-6, fc or 1e3
        why = "below the motor's PWM and brush noise, so the line stays quiet"
    vals, formula = lc_lowpass(fc, l)
    ckey = capacitor(ctx, vals["C1"])
    lid = b.add(ind, "LC filter inductor (series)")
    cid = b.add(ckey, "LC filter capacitor (shunt)") if ckey else None
    l1, l2 = two(ctx, lid)
    b.power(f"{lid}:{l1}", src, 0.0, f"{src.name} into the filter")
    b.value(lid, vals["L1"], "H", formula, f"series choke: blocks the noise, passes DC ({why})")
    out_ep = f"{lid}:{l2}"
    if cid:
        c1, c2 = two(ctx, cid)
        b.wire(out_ep, f"{cid}:{c1}", "power", "filter output")
        b.to_ground(f"{cid}:{c2}", "filter capacitor to ground")
        b.value(cid, vals["C1"], "F", formula, "shunt capacitor: shorts the noise to ground above the corner frequency")
        if (b.lib[ckey].ratings.v_rated or 0) < 1.5 * src.volts:
            b.set_attr(cid, "voltage", format_value(cap_rating(src.volts), "V"))
    i_rating = b.lib[ind].ratings.i_rated
    rail = b.add_rail(f"{src.name}_F", src.volts, out_ep, i_rating or src.budget, lid, kind="regulator")
    b.note(f"The LC filter ({lid}, {cid}) passes DC and attenuates noise above {format_value(vals['f_c'], 'Hz')}; "
           f"its output is the filtered rail {rail.name}. Choose a low-ESR capacitor rated above "
           f"{format_value(src.volts * 1.5, 'V')}, and an inductor rated for the load current.")
    return {id(n) for n in by_kind.get("passive", [])}
