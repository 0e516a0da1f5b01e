"""GPIO load: what hangs directly on an output pin must draw no more than the pin can give.

Checked per output pin with a known current limit (``i_max``): a module powered from the pin
(its typical supply current), a motor/coil/buzzer wired to it (its rated current, or V/R of the
coil), a transistor base with no resistor (the base-emitter junction is a diode to ground) and a
resistor straight to a rail or ground (V/R). LED paths are checked by the LED rules, which also
report a pin overloaded through an LED resistor under this rule id.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext, fmt_ma
from circuit.erc.inductive_loads import coil_terminals
from circuit.erc.power import _rail_in_range
from circuit.findings import Severity
from circuit.units import format_value

RULES = {
    "ERC-GPIO-OVERCURRENT": (Severity.MAJOR, "A load draws more current than the GPIO pin driving it can source or sink."),
}


def _load_current(ctx: ErcContext, ep: str, v_pin: float) -> tuple[float | None, str] | None:
    """Current drawn through pin ``ep`` of a load part when the GPIO drives it, with a short description."""
    pid = ctx.part_of(ep)
    rec = ctx.rec(pid)
    p = ctx.pin(ep)
    if rec is None or p is None:
        return None
    if p.type == "power_in":
        i = rec.supply.current_typ
        return (i, "to power it") if i is not None else None
    if p.type == "ground":
        return None
    r = rec.ratings
    is_load = rec.flags.inductive or (rec.category == "actuator" and (r.i_rated or r.r_coil))
    if rec.category == "passive":
        return None  # an inductor or a fuse is not a load that draws a rated current

    if is_load and not rec.flags.protected_driver and p.type == "passive" and ep in coil_terminals(ctx, pid):
        if r.i_rated is not None:
            return r.i_rated, "when running"
        if r.r_coil:
            return v_pin / r.r_coil, "through its coil"
        return None, "(a coil typically draws hundreds of mA)"
    return None


def _power_only(rec) -> bool:
    """A module with only supply pins (an active buzzer module): powering it is switching it on."""
    return all(p.type in ("power_in", "ground", "nc") for p in rec.pins)


def _base_without_resistor(ctx: ErcContext, ep: str) -> bool:
    p = ctx.pin(ep)
    if p is None or "base" not in p.functions:
        return False
    pid = ctx.part_of(ep)
    rec = ctx.rec(pid)
    emitter = next((f"{pid}:{q.name}" for q in rec.pins if "emitter" in q.functions), None)
    if emitter is None:
        return False
    return ctx.is_ground(emitter) or ctx.is_rail(emitter)


def check(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None:
            continue
        for p in rec.pins:
            if not ctx.can_drive(p) or ctx.is_open_drain(p) or p.i_max is None:
                continue
            g_ep = f"{pid}:{p.name}"
            if not ctx.connected(g_ep):
                continue
            v = ctx.drive_voltage(g_ep) or 0.0
            if ctx.is_ground(g_ep) or ctx.is_rail(g_ep):
                continue  # an output on a rail is reported by the power rules
            for o in ctx.others_on_net(g_ep):
                oid = ctx.part_of(o)
                if _base_without_resistor(ctx, o):
                    ctx.add(
                        "ERC-GPIO-OVERCURRENT", Severity.MAJOR,
                        f"{g_ep} drives the base of transistor {oid} with no resistor. The base-emitter junction "
                        "behaves like a diode to ground, so the pin would push far more than its "
                        f"{fmt_ma(p.i_max)} limit. Put a 1 kΩ resistor in series with the base.",
                        [g_ep, o], f"insert_series_resistor({o}, {format_value(1e3, 'Ω')})",
                    )
                    continue
                if ctx.is_resistor(oid):
                    other = ctx.other_terminal(o)
                    r = ctx.value(oid)
                    if other is None or r is None or r <= 0:
                        continue
                    gv = ctx.group_voltage(other)
                    if gv is None:
                        continue
                    i = max(v - gv, gv) / r  # driving against a rail or ground through the resistor
                    if i > p.i_max * 1.05:
                        ctx.add(
                            "ERC-GPIO-OVERCURRENT", Severity.MAJOR,
                            f"{g_ep} sees {format_value(r, 'Ω')} ({oid}) straight to "
                            f"{'ground' if gv == 0 else format_value(gv, 'V')}: driving it would take about "
                            f"{fmt_ma(i)}, more than the pin's {fmt_ma(p.i_max)}. Use at least "
                            f"{format_value(max(v, gv) / (p.i_max * 0.5), 'Ω')} (10 kΩ for a pull-up/pull-down).",
                            [g_ep, oid],
                        )
                    continue
                load = _load_current(ctx, o, v)
                if load is None:
                    continue
                i, how = load
                if i is not None and i <= p.i_max * 1.05:
                    continue
                orec = ctx.rec(oid)
                amount = f"about {fmt_ma(i)} {how}" if i is not None else f"a large current {how}"
                fix = None
                if ctx.pin(o).type == "power_in" and _power_only(orec):
                    # a buzzer or a lamp module: switching its supply is what the pin was for
                    fix = f"insert_transistor_driver({g_ep}, {oid})"
                    advice = ("Power it from a supply rail and switch its ground with a transistor "
                              "(an NPN or a logic-level MOSFET) driven from the pin through a resistor.")
                elif ctx.pin(o).type == "power_in":
                    rail = _rail_in_range(ctx, orec, orec.supply.v_abs_max or 99, pid, oid)
                    fix = f"move_wire({o}, {rail})" if rail else None
                    advice = f"Power it from a supply rail{f' ({rail})' if rail else ''} instead of a pin."
                else:
                    advice = ("Drive it through a transistor or MOSFET (with a flyback diode) or a driver "
                              "module such as a ULN2003 or L298N, and power it from a supply rail.")
                    fix = f"insert_transistor_driver({g_ep}, {oid})"
                ctx.add(
                    "ERC-GPIO-OVERCURRENT", Severity.MAJOR,
                    f"{ctx.label(oid)} is wired straight to {g_ep} and needs {amount}, but the pin can give only "
                    f"{fmt_ma(p.i_max)}. The pin will be overloaded and can be damaged. {advice}",
                    [g_ep, o], fix,
                )
