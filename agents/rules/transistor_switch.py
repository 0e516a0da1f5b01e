"""An NPN transistor switching an LED: driven by a resistive sensor's divider (on at the end of its range the
request named, dark-activated unless it said the high end), a sensor module's output, or a controller pin, with the base resistor sized for saturation.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.rules import parts as P
from agents.rules.analog import named, pot_pins, supply_rail, two
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.led_resistor import led_resistor
from agents.rules.load_switch import add_flyback, base_resistor, load_ratings, named_keys
from agents.rules.module_wiring import wire_module
from circuit.switch_choice import pick_bjt
from circuit.units import UnitError, format_value, nearest_e, parse_value


@dataclass
class _Current:
    current: float


def block_transistor_switch(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    """An NPN transistor switching an LED (or a named load): driven by a light sensor's divider or
    digital output, a button, or a controller pin."""
    b = ctx.b
    rail = supply_rail(ctx, board)
    if rail is None:
        return set()
    used: set[int] = set()
    led = (by_kind.get("led") or [None])[0]
    loads = [n for n in by_kind.get("load", []) + by_kind.get("relay_coil", []) if _load_terminals(b.lib[n.key])]
    # a light sensor's divider, or no controller at all, drives the base: the block switches the named load
    # (with a controller, the load's own rule switches it from a pin, with the transistor the request names)
    load = loads[0] if led is None and loads and (by_kind.get("resistive_sensor") or board is None) else None
    if load is not None:
        # a two-terminal load (a buzzer) or a relay's coil, no LED: the transistor switches it
        switched = _switch_load(ctx, rail, load)
        if switched is None:
            return set()
        qid, lid, i_c = switched
        used.add(id(load))
        return used | _drive_base(ctx, board, by_kind, rail, qid, lid, i_c)
    if led is None and _something_else_to_switch(ctx, by_kind):
        return set()  # the part that is switched is placed by its own rule: no LED that nobody asked for
    led_key = led.key if led else ("led" if "led" in b.lib else None)
    if led_key is None:
        return set()
    lrec = b.lib[led_key]
    vf = P.vf_of(lrec, led.attrs if led else {})
    lr = led_resistor(rail.volts - 0.2, vf, lrec.ratings.if_nom)
    count = max(1, min(led.qty if led else 1, 16))  # each LED on its own resistor, all through one transistor
    total = lr.current * count
    qkey = pick_bjt(b.lib, rail.volts, total, named=named_keys(ctx))
    if qkey is None:
        return set()
    qid = None
    lid = None
    for i in range(count):
        lid_i = b.add(led_key, "LED switched by the transistor", dict(led.attrs) if led else {})
        rid = b.add("resistor", f"current limit for {lid_i}", serves=lid_i)
        if qid is None:
            qid = b.add(qkey, f"switch for {lid_i}" + (f" and {count - 1} more LEDs" if count > 1 else ""))
            lid = lid_i
        bp, cp, ep = P.bjt_pins(b.rec(qid))
        la, lk = P.two_terminals(lrec)
        r1, r2 = two(ctx, rid)
        b.power(f"{rid}:{r1}", rail, lr.current, f"{rail.name} to the LED branch")
        b.wire(f"{rid}:{r2}", f"{lid_i}:{la}", "signal", "into the LED")
        b.wire(f"{lid_i}:{lk}", f"{qid}:{cp}", "load", f"{qid} collector sinks the LED current")
        b.value(rid, lr.ohms, "Ω", lr.formula.replace(format_value(rail.volts - 0.2, 'V'), f"({format_value(rail.volts, 'V')} − 0.2 V V_CE(sat))"), lr.why)
    b.to_ground(f"{qid}:{ep}", "emitter to ground")
    if led:
        used.add(id(led))
    return used | _drive_base(ctx, board, by_kind, rail, qid, lid, total)


V_OFF = 0.5  # V: a silicon transistor's base below this conducts next to nothing


def _fixed_span(sensor, transistor, volts: float, i_c: float, high: bool) -> tuple[float, float] | None:
    """The fixed resistor's bounds (R_min, R_max) for a base divider that is off at one end of the sensor's
    range (record: ``r_low_high``) and drives the transistor on at the other, with base current to spare
    (half its gain); ``None`` when the record gives no range or no value meets both."""
    if not sensor.ratings.r_low_high or volts <= 0.7:
        return None
    r_low, r_high = sensor.ratings.r_low_high  # at the low and at the high end of what it senses
    r_on, r_off = (r_high, r_low) if high else (r_low, r_high)
    i_b = 2 * i_c / (transistor.ratings.hfe or 100)
    if high:  # the sensor on top: off while its resistance holds the base below V_OFF
        r_max = r_off * V_OFF / (volts - V_OFF)
        spare = (volts - 0.7) / r_on - i_b
        r_min = 0.7 / spare if spare > 0 else float("inf")
    else:  # the fixed resistor on top, the sensor below
        r_min = r_off * (volts - V_OFF) / V_OFF
        r_max = (volts - 0.7) / (i_b + 0.7 / r_on)
    if not 0 < r_min < r_max:
        return None
    # and off at the sensor's nominal value (its drawn state) where that still leaves a value: the output
    # switches on beyond it, toward the end the request named
    try:
        nominal = parse_value(sensor.default_value, sensor.value_unit or "Ω") if sensor.default_value else None
    except UnitError:
        nominal = None
    if nominal:
        rest = (r_min, min(r_max, nominal * V_OFF / (volts - V_OFF))) if high else \
            (max(r_min, nominal * (volts - V_OFF) / V_OFF), r_max)
        if rest[0] < rest[1]:
            return rest
    return r_min, r_max


# kinds of needs that are not something a transistor switch turns on: its supply, its controller, its own
# parts and what drives its base
_NOT_SWITCHED = {"board", "source", "converter", "transistor", "passive", "diode", "resistive_sensor", "pot", "button"}


def _something_else_to_switch(ctx: PlanContext, by_kind) -> bool:
    """The request names an output of its own (a module, a motor, a relay module): the switch stands for that,
    and the demonstration LED of a bare "transistor switch" is not added."""
    for kind, needs in by_kind.items():
        if kind in _NOT_SWITCHED or not needs:
            continue
        if kind == "module" and all(ctx.b.lib[n.key].category == "sensor" for n in needs):
            continue  # a sensor module drives the base (its output), it is not the load
        return True
    return False


def _load_terminals(rec) -> tuple[str, str] | None:
    """(supply side, switched side) of a load the transistor can sit under: a two-terminal part's leads, or
    a relay's coil pins (record: pin function ``coil``)."""
    if P.is_two_terminal(rec):
        return P.two_terminals(rec)
    coils = [p.name for p in P.unique_pins(rec) if "coil" in p.functions]
    return (coils[0], coils[1]) if len(coils) == 2 and not P.power_in_pins(rec) else None


def _switch_load(ctx: PlanContext, rail, n):
    """A two-terminal load (a buzzer, a relay coil) from the rail into an NPN's collector, with a flyback
    diode when its record says it is inductive: (transistor id, load id, collector current)."""

    b = ctx.b
    lrec = b.lib[n.key]
    terms = _load_terminals(lrec)
    if terms is None:
        return None
    lv, li, peak = load_ratings(lrec, n.attrs)
    qkey = pick_bjt(b.lib, max(rail.volts, lv or 0.0), max(li, peak or 0.0), named=named_keys(ctx))
    if qkey is None:
        return None
    lid = b.add(n.key, "load switched by the transistor", dict(n.attrs))
    own = ctx.power.rail_for(lrec, None, li, lv or rail.volts, lid)  # the load's own voltage, from its record
    if own is None:
        b.unmet(f"{lid} needs a {format_value(lv or rail.volts, 'V')} supply.")
        return None
    qid = b.add(qkey, f"switch for {lid}")
    bp, cp, ep = P.bjt_pins(b.rec(qid))
    plus, minus = terms
    rail = own
    b.power(f"{lid}:{plus}", rail, li, f"{rail.name} to {lid}")
    b.wire(f"{lid}:{minus}", f"{qid}:{cp}", "load", f"{qid} collector sinks {lid}'s current")
    b.to_ground(f"{qid}:{ep}", "emitter to ground")
    if lrec.flags.inductive:
        add_flyback(ctx, lid, f"{lid}:{plus}", f"{lid}:{minus}", rail.volts, max(li, peak or 0.0), fast=False)
    return qid, lid, li


def _drive_base(ctx: PlanContext, board, by_kind, rail, qid: str, lid: str, i_c: float) -> set[int]:
    """What drives the transistor's base: a light sensor's divider or a sensor module's output, a knob,
    or a controller pin; the base resistor sized for ``i_c``."""

    b = ctx.b
    used: set[int] = set()
    bp, cp, ep = P.bjt_pins(b.rec(qid))
    lr = _Current(i_c)
    sensor = (by_kind.get("resistive_sensor") or [None])[0]
    light = None
    for n in by_kind.get("module", []):
        rec = b.lib[n.key]
        if rec.category == "sensor":
            light = n
            break
    if sensor is not None:
        # the sensor's resistance falls as what it senses rises (light, heat, force): on at the low end
        # (dark-activated) it sits from the base to ground under a fixed resistor from the rail; on at the
        # high end ("trigger:high") the two swap places, the sensor from the rail to the base
        high = "trigger:high" in ctx.options
        sid = b.add(sensor.key, "sensor in the base divider", dict(sensor.attrs))
        r_fixed_exact = (rail.volts - 0.7) / (lr.current / 10)
        r_fixed = nearest_e(r_fixed_exact, "E12", "down")
        span = _fixed_span(b.lib[sensor.key], b.rec(qid), rail.volts, lr.current, high)
        if span is not None:
            r_fixed_exact = (span[0] * span[1]) ** 0.5
            r_fixed = nearest_e(r_fixed_exact, "E12")
        tid = b.add("resistor", f"base divider {'bottom' if high else 'top'} (sets the switching point)", serves=qid)
        t1, t2 = two(ctx, tid)
        s1, s2 = P.two_terminals(b.lib[sensor.key])
        upper, lower = ((sid, s1, s2), (tid, t1, t2)) if high else ((tid, t1, t2), (sid, s1, s2))
        b.power(f"{upper[0]}:{upper[1]}", rail, 0.0, "divider top")
        b.wire(f"{upper[0]}:{upper[2]}", f"{qid}:{bp}", "signal", "base node")
        b.wire(f"{lower[0]}:{lower[1]}", f"{qid}:{bp}", "signal", "from the base to ground")
        b.to_ground(f"{lower[0]}:{lower[2]}", "divider bottom to ground")
        why = ("as the sensed quantity rises the sensor's resistance falls, the base voltage passes 0.7 V and the load "
               "turns on; at the low end the fixed resistor holds the base low") if high else (
               "in the dark the sensor's resistance rises, the base voltage passes 0.7 V and the load turns on; "
               "in light the sensor pulls the base low")
        if span is not None:
            formula = (f"off at one end of {sid}'s range needs R {'≤' if high else '≥'} "
                       f"{format_value(span[1] if high else span[0], 'Ω')}, on at the other needs R "
                       f"{'≥' if high else '≤'} {format_value(span[0] if high else span[1], 'Ω')}: "
                       f"√(R_min × R_max) = {format_value(r_fixed_exact, 'Ω')} → {format_value(r_fixed, 'Ω')}")
        else:
            formula = (f"I_B ≥ I_C/10: R ≤ ({format_value(rail.volts, 'V')} − 0.7 V)/{format_value(lr.current / 10, 'A')} "
                       f"= {format_value(r_fixed_exact, 'Ω')} → {format_value(r_fixed, 'Ω')}")
        b.value(tid, r_fixed, "Ω", formula, why)
        used.add(id(sensor))
        return used
    # a module or controller output drives the base through a resistor
    drive_ep, v_drive, i_pin = None, rail.volts, None
    if light is not None:
        mid = b.add(light.key, "sensor that drives the transistor", dict(light.attrs))
        wire_module(ctx, mid, None)
        rec = b.lib[light.key]
        outs = [p for p in P.signal_pins(rec) if p.type == "digital_out"] or [p for p in P.signal_pins(rec) if p.type == "analog_out"]
        if outs:
            drive_ep = f"{mid}:{outs[0].name}"
            i_pin = outs[0].i_max
        used.add(id(light))
    elif by_kind.get("pot"):
        # a knob sets the base drive: the wiper feeds the base resistor (brightness by hand)
        pot = by_kind["pot"][0]
        pid = b.add(pot.key, f"sets {qid}'s base drive", dict(pot.attrs))
        a, w, c = pot_pins(b.rec(pid))
        b.power(f"{pid}:{a}", rail, rail.volts / 10e3, f"{pid} across the supply")
        b.to_ground(f"{pid}:{c}", f"{pid} to ground")
        drive_ep = f"{pid}:{w}"
        used.add(id(pot))
    elif board is not None:
        alloc = board.alloc.take("gpio", qid, "out")
        drive_ep = b.use_pin(board, alloc, qid, f"switches {lid} through {qid}")
        v_drive, i_pin = alloc.pin.v_out or board.logic, alloc.pin.i_max
    rb, formula, why = base_resistor(b.rec(qid), v_drive, lr.current, i_pin)
    bid = b.add("resistor", f"base resistor of {qid}", serves=qid)
    b1, b2 = two(ctx, bid)
    if drive_ep:
        b.wire(drive_ep, f"{bid}:{b1}", "signal", f"drives {qid}")
    else:
        b.power(f"{bid}:{b1}", rail, 0.0, "base drive")
    b.wire(f"{bid}:{b2}", f"{qid}:{bp}", "signal", f"base of {qid}")
    b.value(bid, rb, "Ω", formula, why)
    return used
