"""An NPN transistor switching an LED: driven by a light sensor's divider (dark-activated), a
sensor module's output, or a controller pin, with the base resistor sized for saturation.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.rules import parts as P
from agents.rules.analog import named, pot_pins, supply_rail, two
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.divider_block import resistance_range
from agents.rules.led_resistor import led_resistor
from agents.rules.load_switch import add_flyback, base_resistor, load_ratings, named_keys
from agents.rules.module_wiring import wire_module
from circuit.switch_choice import pick_bjt
from circuit.units import format_value, nearest_e


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
    load = (by_kind.get("load") or [None])[0] if led is None and by_kind.get("resistive_sensor") else None
    if load is not None and P.is_two_terminal(b.lib[load.key]):
        # a light sensor and a two-terminal load (a buzzer), no LED: the sensor's divider switches the load
        switched = _switch_load(ctx, rail, load)
        if switched is None:
            return set()
        qid, lid, i_c = switched
        used.add(id(load))
        return used | _drive_base(ctx, board, by_kind, rail, qid, lid, i_c)
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


def _switch_load(ctx: PlanContext, rail, n):
    """A two-terminal load (a buzzer, a relay coil) from the rail into an NPN's collector, with a flyback
    diode when its record says it is inductive: (transistor id, load id, collector current)."""

    b = ctx.b
    lrec = b.lib[n.key]
    if not P.is_two_terminal(lrec):
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
    plus, minus = P.two_terminals(lrec)
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
        # dark-activated: fixed resistor from the rail to the base node, the sensor from base to ground
        sid = b.add(sensor.key, "light sensor in the base divider", dict(sensor.attrs))
        r_lo, r_hi = resistance_range(b.lib[sensor.key])
        rtop_exact = (rail.volts - 0.7) / (lr.current / 10)
        rtop = nearest_e(rtop_exact, "E12", "down")
        tid = b.add("resistor", "base divider top (sets the switching point)", serves=qid)
        t1, t2 = two(ctx, tid)
        s1, s2 = P.two_terminals(b.lib[sensor.key])
        b.power(f"{tid}:{t1}", rail, 0.0, "divider top")
        b.wire(f"{tid}:{t2}", f"{qid}:{bp}", "signal", "base node")
        b.wire(f"{sid}:{s1}", f"{qid}:{bp}", "signal", "sensor from the base to ground")
        b.to_ground(f"{sid}:{s2}", "sensor to ground")
        b.value(tid, rtop, "Ω", f"I_B ≥ I_C/10: R ≤ ({format_value(rail.volts, 'V')} − 0.7 V)/{format_value(lr.current / 10, 'A')} "
                f"= {format_value(rtop_exact, 'Ω')} → {format_value(rtop, 'Ω')}",
                "in the dark the sensor's resistance rises, the base voltage passes 0.7 V and the LED turns on; "
                "in light the sensor pulls the base low")
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
