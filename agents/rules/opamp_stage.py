"""An op-amp gain stage (non-inverting or inverting, single supply, mid-supply bias for the
inverting one) with its gain resistors sized for the asked gain and its output on an ADC pin.
"""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.analog import key_by_kind, supply_rail, two
from agents.rules.builder import Board, RailInfo
from agents.rules.context import PlanContext
from agents.rules.decoupling import add_cap
from agents.rules.module_wiring import wire_module
from agents.rules.values import inverting, noninverting


def block_opamp(ctx: PlanContext, board: Board | None, by_kind, inverting_stage: bool = False) -> set[int]:
    b = ctx.b
    ok = None
    for n in by_kind.get("module", []) + by_kind.get("other", []):
        if b.lib[n.key].spice.kind == "opamp":
            ok = n
    okey = ok.key if ok else key_by_kind(ctx, "opamp")
    if okey is None:
        b.unmet("The library has no op-amp.")
        return set()
    rec = b.lib[okey]
    rail = _opamp_rail(ctx, board, rec)
    if rail is None:
        return set()
    if ctx.ident.numbers.get("split_supply_v"):
        b.note(f"The request asks for a ±{ctx.ident.numbers['split_supply_v']:g} V supply; this stage runs from a "
               f"single {rail.volts:g} V rail with its input biased at mid-supply (a split supply is not built).")
    g = ctx.ident.numbers.get("gain") or 10.0
    # sized with the chosen op-amp's own model (its record) on the rail it runs from
    env = {"opamp": okey, "vcc": rail.volts, "vee": 0.0}
    s, formula = (inverting if inverting_stage else noninverting)(g, env=env)
    uid = b.add(okey, f"{'inverting' if inverting_stage else 'non-inverting'} amplifier, gain {g:g}")
    pins = {p.name.upper(): p.name for p in rec.pins}
    inp = next((p.name for p in rec.pins if p.name.upper() in ("IN1+", "+IN", "IN+", "INA+", "1IN+", "NONINV")), None)
    inn = next((p.name for p in rec.pins if p.name.upper() in ("IN1-", "-IN", "IN-", "INA-", "1IN-", "INV")), None)
    out = next((p.name for p in rec.pins if p.name.upper() in ("OUT1", "OUT", "OUTA", "1OUT", "OUT A")), None)
    for p in P.power_in_pins(rec):
        if _negative_supply(p):
            b.to_ground(f"{uid}:{p.name}", "negative supply at ground (single supply)")
            continue
        b.power(f"{uid}:{p.name}", rail, rec.supply.current_typ or 0.001, f"{rail.name} supplies the op-amp")
    b.ground_part(uid)
    add_cap(b, rail.endpoint, 100e-9, f"decoupling for {uid}", uid)
    if not (inp and inn and out):
        b.note(f"{uid}: wire the gain resistors to its inputs and output per its pinout ({', '.join(pins.values())}).")
        return set()
    rf = b.add("resistor", "feedback resistor RF", serves=uid)
    rg = b.add("resistor", "gain resistor RG/RIN", serves=uid)
    f1, f2 = two(ctx, rf)
    g1, g2 = two(ctx, rg)
    b.wire(f"{uid}:{out}", f"{rf}:{f1}", "signal", "feedback from the output")
    b.wire(f"{rf}:{f2}", f"{uid}:{inn}", "signal", "into the inverting input")
    b.wire(f"{rg}:{g1}", f"{uid}:{inn}", "signal", "gain-setting resistor")
    b.value(rf, s.values["RF"], "Ω", formula, f"sets the gain with {rg} ({s.method})")
    b.value(rg, s.values.get("RG", s.values.get("RIN", 10e3)), "Ω", formula, "sets the gain with RF")
    # the input: a named sensor's analog output, else a potentiometer as a test source
    src_ep = None
    used = {id(ok)} if ok else set()
    for n in by_kind.get("module", []):
        rec2 = b.lib[n.key]
        outs = [p for p in P.signal_pins(rec2) if p.type == "analog_out"]
        if outs and n is not ok and rec2.spice.kind != "opamp":
            mid = b.add(n.key, "signal source for the amplifier", dict(n.attrs))
            wire_module(ctx, mid, None)
            src_ep = f"{mid}:{outs[0].name}"
            used.add(id(n))
            break
    if src_ep is None and "screw-terminal" in b.lib:
        # no named source: the signal comes in on a terminal (ground beside it)
        tid = b.add("screw-terminal", "signal input", serves=uid)
        t1, t2 = two(ctx, tid)
        b.to_ground(f"{tid}:{t2}", "signal ground")
        src_ep = f"{tid}:{t1}"
        if not inverting_stage:
            rb = b.add("resistor", "input bias to ground", serves=uid)
            r1, r2 = two(ctx, rb)
            b.wire(f"{rb}:{r1}", src_ep, "signal", "keeps the input at a DC level when nothing is connected")
            b.to_ground(f"{rb}:{r2}", "input bias")
            b.value(rb, 100e3, "Ω", "R_bias ≫ source impedance", "defines the input's DC level (0 V) on a single supply")
    if inverting_stage:
        bias = _mid_bias(ctx, rail, uid)
        b.wire(bias, f"{uid}:{inp}", "signal", "non-inverting input at mid-supply")
        if src_ep:
            b.wire(src_ep, f"{rg}:{g2}", "signal", "input signal")
    else:
        b.to_ground(f"{rg}:{g2}", "RG to ground")
        if src_ep:
            b.wire(src_ep, f"{uid}:{inp}", "signal", "input signal")
        else:
            b.to_ground(f"{uid}:{inp}", "input (connect your signal here)")
    if board is not None:
        alloc = board.alloc.take("adc", uid, "in")
        ep = b.use_pin(board, alloc, f"{uid}:{out}", "reads the amplifier's output")
        b.wire(ep, f"{uid}:{out}", "signal", "amplifier output to the ADC")
    return used


NEGATIVE_SUPPLY = {"V-", "VEE", "VSS", "-VS", "VCC-", "V−"}


def _negative_supply(pin) -> bool:
    return pin.name.upper() in NEGATIVE_SUPPLY or any(a.upper() in NEGATIVE_SUPPLY for a in pin.aliases)


def _opamp_rail(ctx: PlanContext, board: Board | None, rec) -> RailInfo | None:
    """The rail the op-amp runs from, within its record's supply range: the board's logic rail or the
    stated source when they fit, else the stated source's voltage (a supply of that voltage)."""
    lo, hi = rec.supply.v_min, rec.supply.v_max
    rail = supply_rail(ctx, board)
    if rail is not None and (lo is None or rail.volts >= lo - 1e-6) and (hi is None or rail.volts <= hi + 1e-6):
        return rail
    fits = ctx.b.find_rail(lo, hi)
    if fits is not None:
        return fits
    v = ctx.ident.supply_volts
    if v is None or (lo is not None and v < lo) or (hi is not None and v > hi):
        v = next((x for x in (5.0, 9.0, 12.0, 15.0) if (lo is None or x >= lo) and (hi is None or x <= hi)), lo)
    return ctx.power.source_for(v, 0.05, f"supply for the {rec.name}") if v else rail


def _mid_bias(ctx: PlanContext, rail: RailInfo, uid: str) -> str:
    b = ctx.b
    r1 = b.add("resistor", "mid-supply bias (top)", serves=uid)
    r2 = b.add("resistor", "mid-supply bias (bottom)", serves=uid)
    a1, a2 = two(ctx, r1)
    c1, c2 = two(ctx, r2)
    b.power(f"{r1}:{a1}", rail, rail.volts / 20e3, "bias divider")
    b.wire(f"{r1}:{a2}", f"{r2}:{c1}", "signal", "mid-supply point")
    b.to_ground(f"{r2}:{c2}", "bias divider bottom")
    for r in (r1, r2):
        b.value(r, 10e3, "Ω", "equal resistors: V = Vcc/2", "biases a single-supply amplifier at mid-supply")
    return f"{r2}:{c1}"
