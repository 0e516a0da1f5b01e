"""A comparator stage: an input (a resistive sensor's divider, a pot's wiper, a sensor module's analog
output, or a terminal) against a reference (a named pot, a stated threshold, else mid-supply), and an
output that drives what the request switches (an LED, a load through a transistor, a relay module's
input) or a controller's digital input.

Which input goes to which comparator input follows the records and the requirements, never wording:
the output is active when the input crosses the reference in the stated direction
(``trigger:low`` = below it, e.g. when it gets dark or cold; else above it), an open-collector output
(the record's ``open_drain`` pin function) sinks an LED and is pulled up for anything else, a push-pull
op-amp output sources. The chip is the one named (a comparator, or an op-amp used as one), else a
record that provides ``compare-threshold``.
"""

from __future__ import annotations

from agents.models import Need
from agents.rules import parts as P
from agents.rules.analog import key_by_kind, pot_pins, supply_rail, two
from agents.rules.builder import Board, RailInfo
from agents.rules.context import DriveOutput, PlanContext
from agents.rules.decoupling import add_cap
from agents.rules.divider_block import resistance_range
from agents.rules.kinds import kind_of
from agents.rules.led_driver import _series_resistor, add_led
from agents.rules.load_switch import add_flyback, load_ratings, low_side_switch
from agents.rules.module_wiring import wire_module
from agents.rules.opamp_stage import _negative_supply, _opamp_rail
from circuit.units import format_value, nearest_e
from knowledge.preference import preference

COMPARE = "compare-threshold"
PULLUP_OHMS = 10e3


def is_comparator_chip(rec) -> bool:
    return rec.spice.kind == "opamp" or any(c.capability == COMPARE for c in rec.provides)


def _pins(rec) -> tuple[str | None, str | None, str | None]:
    """(IN+, IN-, OUT) of the first channel: the record's units (OUT, IN-, IN+) when it lists them."""
    if rec.requires.units:
        out, inn, inp = rec.requires.units[0][:3]
        return inp, inn, out
    names = [p.name for p in rec.pins]
    up = {n.upper(): n for n in names}
    inp = next((up[k] for k in ("1IN+", "IN1+", "+IN", "IN+", "INA+", "NONINV") if k in up), None)
    inn = next((up[k] for k in ("1IN-", "IN1-", "-IN", "IN-", "INA-", "INV") if k in up), None)
    out = next((up[k] for k in ("1OUT", "OUT1", "OUT", "OUTA", "OUT A") if k in up), None)
    return inp, inn, out


def _chip(ctx: PlanContext, by_kind) -> tuple[Need | None, str | None]:
    lib = ctx.b.lib
    for kind in ("module", "other"):
        for n in by_kind.get(kind, []):
            if any(c.capability == COMPARE for c in lib[n.key].provides):
                return n, n.key
    for kind in ("module", "other"):
        for n in by_kind.get(kind, []):
            if lib[n.key].spice.kind == "opamp":
                return n, n.key
    cands = sorted((r for r in lib if any(c.capability == COMPARE for c in r.provides)),
                   key=lambda r: (len(r.pins), preference(r)))
    return None, (cands[0].key if cands else key_by_kind(ctx, "opamp"))


def _rail(ctx: PlanContext, board: Board | None, rec) -> RailInfo | None:
    return _opamp_rail(ctx, board, rec)


def _cm_high(rec, rail: RailInfo) -> float:
    """The highest input voltage the chip compares correctly on this rail (record: input_common_mode)."""
    cm = rec.requires.input_common_mode
    return rail.volts + cm[1] - 0.2 if cm else rail.volts


def _divider(ctx: PlanContext, rail: RailInfo, uid: str, top: float, bottom: float, why: str) -> str:
    b = ctx.b
    r1 = b.add("resistor", f"{why} (top)", serves=uid)
    r2 = b.add("resistor", f"{why} (bottom)", serves=uid)
    a1, a2 = two(ctx, r1)
    c1, c2 = two(ctx, r2)
    b.power(f"{r1}:{a1}", rail, rail.volts / (top + bottom), why)
    b.wire(f"{r1}:{a2}", f"{r2}:{c1}", "signal", why)
    b.to_ground(f"{r2}:{c2}", f"{why} to ground")
    v = rail.volts * bottom / (top + bottom)
    formula = (f"V = {format_value(rail.volts, 'V')} × {format_value(bottom, 'Ω')}/({format_value(top, 'Ω')} + "
               f"{format_value(bottom, 'Ω')}) = {format_value(v, 'V')}")
    b.value(r1, top, "Ω", formula, why)
    b.value(r2, bottom, "Ω", formula, why)
    return f"{r2}:{c1}"


def _pot(ctx: PlanContext, rail: RailInfo, n: Need, uid: str, role: str) -> str:
    b = ctx.b
    pid = b.add(n.key, role, dict(n.attrs))
    a, w, c = pot_pins(b.rec(pid))
    b.power(f"{pid}:{a}", rail, rail.volts / 10e3, f"{pid} across the supply")
    b.to_ground(f"{pid}:{c}", f"{pid} to ground")
    return f"{pid}:{w}"


def block_comparator(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    b = ctx.b
    chip_need, key = _chip(ctx, by_kind)
    if key is None:
        b.unmet("The library has no comparator or op-amp.")
        return set()
    rec = b.lib[key]
    rail = _rail(ctx, board, rec)
    if rail is None:
        return set()
    used: set[int] = {id(chip_need)} if chip_need else set()
    uid = b.add(key, "comparator: switches when the input crosses the reference")
    inp, inn, out = _pins(rec)
    for p in P.power_in_pins(rec):
        if _negative_supply(p):
            b.to_ground(f"{uid}:{p.name}", "negative supply at ground (single supply)")
        else:
            b.power(f"{uid}:{p.name}", rail, rec.supply.current_typ or 0.001, f"{rail.name} supplies {uid}")
    b.ground_part(uid)
    add_cap(b, rail.endpoint, 100e-9, f"decoupling for {uid}", uid)
    if not (inp and inn and out):
        b.note(f"{uid}: wire its inputs and output per its pinout.")
        return used

    # -- the input: a resistive sensor in a divider, a sensor module's analog output, a pot, a terminal
    sensor = (by_kind.get("resistive_sensor") or [None])[0]
    pots = list(by_kind.get("pot", []))
    module = next((n for n in by_kind.get("module", []) if n is not chip_need and b.lib[n.key].category == "sensor"
                   and any(p.type == "analog_out" for p in P.signal_pins(b.lib[n.key]))), None)
    signal, what = None, "the input"
    if sensor is not None:
        sid = b.add(sensor.key, "sensor on top of the input divider", dict(sensor.attrs))
        lo, hi = resistance_range(b.lib[sensor.key])
        fixed = (lo * hi) ** 0.5
        top_v = _cm_high(rec, rail)
        if top_v < rail.volts:
            # at the sensor's lowest resistance the node must stay inside the input range
            fixed = min(fixed, 0.5 * lo * top_v / (rail.volts - top_v))  # with margin below its stated minimum
        fixed = nearest_e(fixed, "E12", "down")
        s1, s2 = P.two_terminals(b.lib[sensor.key])
        rid = b.add("resistor", "input divider (bottom)", serves=uid)
        r1, r2 = two(ctx, rid)
        b.power(f"{sid}:{s1}", rail, rail.volts / (lo + fixed), f"{sid} from {rail.name}")
        b.wire(f"{sid}:{s2}", f"{rid}:{r1}", "signal", "sensor divider node")
        b.to_ground(f"{rid}:{r2}", "divider to ground")
        b.value(rid, fixed, "Ω", f"R = √(R_min × R_max) = √({format_value(lo, 'Ω')} × {format_value(hi, 'Ω')})",
                f"puts the divider's swing around mid-supply over {sid}'s range (its resistance falls as the quantity rises)")
        signal, what = f"{rid}:{r1}", f"{sid}'s divider"
        used.add(id(sensor))
    elif module is not None:
        mid = b.add(module.key, "sensor feeding the comparator", dict(module.attrs))
        wire_module(ctx, mid, None)
        outs = [p for p in P.signal_pins(b.lib[module.key]) if p.type == "analog_out"]
        signal, what = f"{mid}:{outs[0].name}", mid
        used.add(id(module))
    elif pots:
        signal = _pot(ctx, rail, pots[0], uid, "input: the wiper is the compared voltage")
        what = "the pot's wiper"
        used.add(id(pots.pop(0)))
    elif "screw-terminal" in b.lib:
        tid = b.add("screw-terminal", "signal input", serves=uid)
        t1, t2 = two(ctx, tid)
        b.to_ground(f"{tid}:{t2}", "signal ground")
        signal = f"{tid}:{t1}"
        rb = b.add("resistor", "input bias to ground", serves=uid)
        q1, q2 = two(ctx, rb)
        b.wire(f"{rb}:{q1}", signal, "signal", "keeps the input at 0 V when nothing is connected")
        b.to_ground(f"{rb}:{q2}", "input bias")
        b.value(rb, 100e3, "Ω", "R_bias ≫ source impedance", "defines the input's level when it is open")

    # -- the reference: a named pot (adjustable), a stated threshold, else mid-supply
    threshold = ctx.ident.numbers.get("threshold_v")
    if pots:
        ref = _pot(ctx, rail, pots[0], uid, "reference: sets the switching point")
        used.add(id(pots[0]))
        ref_what = "the pot's wiper (adjustable)"
    else:
        vt = threshold if threshold and 0 < threshold < rail.volts else rail.volts / 2
        vt = min(vt, _cm_high(rec, rail) - 0.1)
        bottom = 10e3
        top = bottom * (rail.volts - vt) / vt
        top = nearest_e(top, "E24")
        ref = _divider(ctx, rail, uid, top, bottom, "reference divider")
        ref_what = f"{format_value(rail.volts * bottom / (top + bottom), 'V')}"

    # -- the output: what it drives, and whether the active level is high or low
    open_collector = any("open_drain" in p.functions for p in rec.pins if p.name == out)
    out_ep = f"{uid}:{out}"
    leds = by_kind.get("led", [])
    loads = [n for k in ("load", "relay_coil") for n in by_kind.get(k, [])]
    relay_mods = [n for n in by_kind.get("module", []) if n is not chip_need and n is not module
                  and any(p.type == "digital_in" for p in P.signal_pins(b.lib[n.key]))]
    sink = bool(leds) and open_collector and not loads and not relay_mods
    low = "trigger:low" in ctx.options
    # the output is high when IN+ > IN-; an LED sunk by an open collector lights when it is low
    active_high = not sink
    signal_on_plus = (not low) == active_high
    b.wire(signal, f"{uid}:{inp if signal_on_plus else inn}", "signal", f"{what} into the comparator")
    b.wire(ref, f"{uid}:{inn if signal_on_plus else inp}", "signal", f"reference: {ref_what}")
    b.note(f"{uid} switches when {what} goes {'below' if low else 'above'} the reference ({ref_what}).")

    if open_collector and not sink:
        # pulled up to what reads it: the controller's logic rail when the output goes to a controller
        up = ctx.logic_rail(board) if board is not None and not (leds or loads or relay_mods) else None
        up = up or rail
        pu = b.add("resistor", f"output pull-up of {uid}", serves=uid)
        u1, u2 = two(ctx, pu)
        b.power(f"{pu}:{u1}", up, up.volts / PULLUP_OHMS, "pull-up")
        b.wire(f"{pu}:{u2}", out_ep, "signal", f"{uid}'s open-collector output needs a pull-up")
        b.value(pu, PULLUP_OHMS, "Ω", f"I = {format_value(rail.volts, 'V')}/{format_value(PULLUP_OHMS, 'Ω')}",
                "an open-collector output only pulls low: the resistor makes the high level")
    i_out = (rec.spice.params or {}).get("iout_max") or 0.015
    if leds:
        for n in leds:
            for _ in range(n.qty):
                if sink:
                    lid = b.add(n.key, "LED switched by the comparator", dict(n.attrs))
                    lrec = b.lib[n.key]
                    an, ca = P.two_terminals(lrec)
                    _series_resistor(ctx, lid, lrec, dict(n.attrs), rail.endpoint, rail.volts, None, f"{lid}:{an}", lid)
                    b.wire(f"{lid}:{ca}", out_ep, "signal", f"{uid}'s output sinks the LED current when low")
                    rail.load += lrec.ratings.if_nom or 0.015
                else:
                    headroom = (rec.spice.params or {}).get("vout_headroom_high", 1.5)
                    add_led(ctx, n.key, dict(n.attrs), None, drive=DriveOutput(out_ep, rail.volts - headroom, i_out, uid),
                            role="LED switched by the comparator")
            used.add(id(n))
    for n in relay_mods:
        mid = b.add(n.key, "switched by the comparator", dict(n.attrs))
        ins = [p for p in P.signal_pins(b.lib[n.key]) if p.type == "digital_in"]
        wire_module(ctx, mid, None, skip={p.name for p in ins})
        b.wire(out_ep, f"{mid}:{ins[0].name}", "signal", f"{uid} drives {mid}'s input")
        used.add(id(n))
    for n in loads:
        lrec = b.lib[n.key]
        terminals = None
        if kind_of(lrec) == "relay_coil":
            coils = [p.name for p in P.unique_pins(lrec) if "coil" in p.functions]
            terminals = (coils[0], coils[1])
        pid = b.add(n.key, "load switched by the comparator", dict(n.attrs))
        plus, minus = terminals or P.two_terminals(lrec)
        v, i, peak = load_ratings(lrec, n.attrs)
        lr = ctx.power.rail_for(lrec, None, i, v or rail.volts, pid)
        if lr is None:
            b.unmet(f"{pid} needs a {format_value(v or rail.volts, 'V')} supply.")
            continue
        b.power(f"{pid}:{plus}", lr, i, f"{lr.name} powers {pid}")
        i_drive = rail.volts / PULLUP_OHMS if open_collector else i_out
        low_side_switch(ctx, None, pid, f"{pid}:{minus}", lr.volts, peak, control_ep=out_ep, v_drive=rail.volts,
                        i_pin=i_drive, prefer="bjt" if i_drive < 0.005 and peak < 0.5 else None)
        if lrec.flags.inductive or terminals:
            add_flyback(ctx, pid, f"{pid}:{plus}", f"{pid}:{minus}", lr.volts, peak, fast=False)
        used.add(id(n))
    if not (leds or loads or relay_mods) and board is not None:
        alloc = board.alloc.take("gpio", uid, "in")
        ep = b.use_pin(board, alloc, out_ep, f"reads {uid}'s output")
        b.wire(ep, out_ep, "signal", f"{uid}'s output to the controller")
    return used
