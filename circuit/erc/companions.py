"""Companions a record declares (``requires.companions``): the bulk capacitor at a strip or a
motor driver, a regulator's input and output capacitors, a series data resistor, a pull-up.

Each companion is checked where the record says it sits:

* a capacitor companion: the capacitance between the nets of its two pins (the second defaults to
  the part's ground), capacitors in parallel adding up;
* a series resistor: a resistor in the line to the pin from whatever drives it (the controller);
  a pin fed straight by another part of the same kind (the next pixel of a strip) needs none;
* a pull-up / pull-down: a resistor from the pin's net to a rail / to ground.

Missing is ``ERC-COMPANION-MISSING``; present but outside the record's min..max is
``ERC-COMPANION-VALUE``. Both carry the record's severity and a fix hint that adds the part with
the record's typical value (or sets the out-of-range resistor to it). Parts that share one
supply net share one bulk capacitor: the check is made once per net pair.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext
from circuit.findings import Severity
from circuit.units import format_value
from knowledge.record import CAPACITOR_COMPANIONS, CompanionSpec

RULES = {
    "ERC-COMPANION-MISSING": (Severity.MAJOR, "A companion the part's record requires (bulk or regulator capacitor, "
                              "series data resistor, pull-up) is missing; severity as the record states."),
    "ERC-COMPANION-VALUE": (Severity.MAJOR, "A companion the part's record requires is there but its value is outside "
                            "the record's range (an undersized capacitor, a wrong resistor); severity as the record states."),
}



def fmt_value(v: float, unit: str) -> str:
    """Engineering notation, capacitors in µF from 1 µF up (1000 µF, not 1 mF)."""
    if unit == "F" and 1e-6 <= v < 1:
        return f"{v * 1e6:.4g} µF"
    return format_value(v, unit)


def _words(spec: CompanionSpec) -> str:
    return spec.kind.replace("-", " ")


def _range(spec: CompanionSpec, unit: str) -> str:
    if spec.min is not None and spec.max is not None:
        return f"{fmt_value(spec.min, unit)} to {fmt_value(spec.max, unit)}"
    if spec.min is not None:
        return f"at least {fmt_value(spec.min, unit)}"
    return f"at most {fmt_value(spec.max, unit)}"


def _ground_of(ctx: ErcContext, pid: str) -> str | None:
    rec = ctx.rec(pid)
    for p in rec.pins_of_type("ground"):
        return f"{pid}:{p.name}"
    return None


def capacitance_between(ctx: ErcContext, a: str, b: str) -> tuple[float, list[str]]:
    """Total capacitance (F) of the capacitors wired between the hard groups of a and b, and their ids."""
    ga, gb = ctx.group(a), ctx.group(b)
    if ga is None or gb is None or ga.key == gb.key:
        return 0.0, []
    total, ids = 0.0, []
    for pid in ctx.parts:
        if not ctx.is_capacitor(pid):
            continue
        rec = ctx.rec(pid)
        ends = [ctx.group(f"{pid}:{n}") for n in rec.pin_names[:2]]
        keys = {g.key for g in ends if g is not None}
        if keys == {ga.key, gb.key}:
            v = ctx.value(pid)
            if v:
                total += v
                ids.append(pid)
    return total, ids


def _check_capacitor(ctx: ErcContext, pid: str, spec: CompanionSpec, done: set) -> None:
    a = ctx.canonical(f"{pid}:{spec.pins[0]}")
    b = ctx.canonical(f"{pid}:{spec.pins[1]}") if len(spec.pins) > 1 else _ground_of(ctx, pid)
    if b is None or not ctx.connected(a) or not ctx.connected(b):
        return  # an unwired supply is the power rules' finding
    ga, gb = ctx.group(a), ctx.group(b)
    if ga is None or gb is None or ga.key == gb.key:
        return
    key = (spec.kind, frozenset((ga.key, gb.key)))
    if key in done:
        return
    done.add(key)
    total, ids = capacitance_between(ctx, a, b)
    sev = Severity(spec.severity)
    typical = spec.typical or spec.min or spec.max
    what = f"{_words(spec)} ({_range(spec, 'F')} between {spec.pins[0]} and {ctx.pin_name(b)}"
    what += f", {spec.where})" if spec.where else ")"
    fix = f"add_capacitor({a}, {b}, {fmt_value(typical, 'F')})" if typical else None
    if not ids:
        ctx.add(
            "ERC-COMPANION-MISSING", sev,
            f"{ctx.label(pid)} needs a {what} and has none. {_why(spec)}",
            [a, b], fix,
        )
    elif (spec.min is not None and total < spec.min * 0.95) or (spec.max is not None and total > spec.max * 1.05):
        ctx.add(
            "ERC-COMPANION-VALUE", sev,
            f"{ctx.label(pid)} needs a {what}, but {', '.join(ids)} give{'s' if len(ids) == 1 else ''} "
            f"{fmt_value(total, 'F')}. {_why(spec)}",
            [a, b] + ids, fix if spec.min is not None and total < spec.min else None,
        )


def _why(spec: CompanionSpec) -> str:
    if spec.kind == "output-capacitor":
        return "A regulator's output capacitor is part of its stability: too little and it oscillates."
    if spec.kind == "input-capacitor":
        return "Without it the regulator sees the supply wiring's inductance and can ring."
    if spec.kind == "bulk-capacitor":
        return "It holds the supply up through current surges and absorbs the spike when power is connected."
    if spec.kind == "series-resistor":
        return "It damps ringing on the line and protects the input from the controller's edges."
    return "The part's datasheet asks for it."


def _series_resistors(ctx: ErcContext, ep: str) -> list[str]:
    """Resistors in series with the pin: on its net, with their other end not on a rail or ground."""
    out = []
    for o in ctx.others_on_net(ep):
        rid = ctx.part_of(o)
        if not ctx.is_resistor(rid):
            continue
        far = ctx.other_terminal(o)
        if far is not None and ctx.connected(far) and ctx.group_voltage(far) is None:
            out.append(rid)
    return out


def _fed_by_same_kind(ctx: ErcContext, pid: str, ep: str) -> bool:
    """The pin is fed by another part of the same type (a strip's next pixel from the previous one)."""
    rec = ctx.rec(pid)
    return any(ctx.part_of(o) != pid and (r := ctx.rec(ctx.part_of(o))) is not None and r.key == rec.key
               for o in ctx.others_on_net(ep))


def _check_series(ctx: ErcContext, pid: str, spec: CompanionSpec) -> None:
    ep = ctx.canonical(f"{pid}:{spec.pins[0]}")
    if not ctx.connected(ep) or _fed_by_same_kind(ctx, pid, ep) or ctx.group_voltage(ep) is not None:
        return
    sev = Severity(spec.severity)
    typical = spec.typical or spec.min or spec.max
    rs = _series_resistors(ctx, ep)
    what = f"{_words(spec)} of {_range(spec, 'Ω')} in series with {spec.pins[0]}"
    if not rs:
        drivers = [o for o in ctx.others_on_net(ep) if ctx.can_drive(ctx.pin(o))]
        if not drivers:
            return
        ctx.add(
            "ERC-COMPANION-MISSING", sev,
            f"{ctx.label(pid)} needs a {what} ({spec.where or 'from the pin that drives it'}), but {drivers[0]} "
            f"drives it directly. {_why(spec)}",
            [ep, drivers[0]], f"insert_series_resistor({ep}, {fmt_value(typical, 'Ω')})" if typical else None,
        )
        return
    rid = rs[0]
    v = ctx.value(rid)
    if v is None:
        return
    if (spec.min is not None and v < spec.min * 0.95) or (spec.max is not None and v > spec.max * 1.05):
        ctx.add(
            "ERC-COMPANION-VALUE", sev,
            f"{ctx.label(pid)} needs a {what}; {rid} is {fmt_value(v, 'Ω')}. {_why(spec)}",
            [ep, rid], f"set_value({rid}, {fmt_value(typical, 'Ω')})" if typical else None,
        )


def _check_pull(ctx: ErcContext, pid: str, spec: CompanionSpec) -> None:
    ep = ctx.canonical(f"{pid}:{spec.pins[0]}")
    if not ctx.connected(ep):
        return
    up = spec.kind == "pullup-resistor"
    found = []
    for o in ctx.others_on_net(ep):
        rid = ctx.part_of(o)
        far = ctx.other_terminal(o) if ctx.is_resistor(rid) else None
        if far is None:
            continue
        v = ctx.group_voltage(far)
        if v is not None and ((v > 0) if up else (v == 0)):
            found.append(rid)
    sev = Severity(spec.severity)
    typical = spec.typical or spec.min or spec.max
    what = f"{_words(spec)} of {_range(spec, 'Ω')} on {spec.pins[0]}"
    if not found:
        ctx.add(
            "ERC-COMPANION-MISSING", sev, f"{ctx.label(pid)} needs a {what} and has none. {_why(spec)}",
            [ep], f"{'add_pullup' if up else 'add_pulldown'}({ep}, {fmt_value(typical, 'Ω')})" if typical else None,
        )
        return
    v = ctx.value(found[0])
    if v is not None and ((spec.min is not None and v < spec.min * 0.95) or (spec.max is not None and v > spec.max * 1.05)):
        ctx.add(
            "ERC-COMPANION-VALUE", sev, f"{ctx.label(pid)} needs a {what}; {found[0]} is {fmt_value(v, 'Ω')}.",
            [ep, found[0]], f"set_value({found[0]}, {fmt_value(typical, 'Ω')})" if typical else None,
        )


def capacitor_companion_pins(ctx: ErcContext, pid: str) -> set[str]:
    """Endpoints whose capacitors this module checks (the decoupling rule leaves them to it)."""
    rec = ctx.rec(pid)
    if rec is None:
        return set()
    return {ctx.canonical(f"{pid}:{c.pins[0]}") for c in rec.requires.companions if c.kind in CAPACITOR_COMPANIONS}


def check(ctx: ErcContext) -> None:
    done: set = set()
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or not any(ctx.connected(f"{pid}:{n}") for n in rec.pin_names):
            continue
        for spec in rec.requires.companions:
            if spec.kind in CAPACITOR_COMPANIONS:
                _check_capacitor(ctx, pid, spec, done)
            elif spec.kind == "series-resistor":
                _check_series(ctx, pid, spec)
            else:
                _check_pull(ctx, pid, spec)
