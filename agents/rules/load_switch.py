"""Loads a pin cannot drive by itself (motors, solenoids, pumps, relay coils, buzzers, lamps):
a low-side transistor switch sized from the load's current and voltage, a base or gate resistor
with the math shown, a gate pull-down, and a flyback diode across anything inductive.

Which transistor (an NPN or a logic-level N-MOSFET, from the records' ratings) is decided by
:mod:`circuit.switch_choice`, the one owner of that choice (the ERC fixer asks it too); this module
wires what it chose.
"""

from __future__ import annotations

from agents.models import ValueChoice
from agents.rules import parts as P
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from circuit.flyback_choice import pick_flyback
from circuit.switch_choice import choose_switch, forced_beta
from circuit.units import format_value, nearest_e, parse_value
from knowledge.record import ComponentRecord


def named_keys(ctx: PlanContext) -> tuple[str, ...]:
    """The parts the request names (explicit needs): a choice among equals takes these first."""
    return tuple(n.key for n in ctx.ident.needs if n.key and n.explicit)


def base_resistor(rec: ComponentRecord, v_drive: float, i_c: float, i_pin: float | None) -> tuple[float, str, str]:
    vbe = rec.ratings.vbe_on or 0.7
    beta = forced_beta(rec)  # Darlingtons saturate at far lower base current
    i_b = i_c / beta
    if i_pin:
        i_b = min(i_b, 0.75 * i_pin)
    exact = (v_drive - vbe) / i_b
    ohms = nearest_e(exact, "E24", mode="down")
    actual = (v_drive - vbe) / ohms
    formula = (f"I_B = I_C/{beta:g} = {format_value(i_c, 'A')}/{beta:g} = {format_value(i_c / beta, 'A')}; "
               f"R_B = ({format_value(v_drive, 'V')} − {format_value(vbe, 'V')}) / {format_value(i_b, 'A')} = "
               f"{format_value(exact, 'Ω')} → {format_value(ohms, 'Ω')} (E24, rounded down)")
    why = f"saturates the transistor with {format_value(actual, 'A')} of base current"
    if i_pin:
        why += f", inside the pin's {format_value(i_pin, 'A')}"
    return ohms, formula, why


def gate_resistor(v_drive: float, i_pin: float | None) -> tuple[float, str, str]:
    i = 0.75 * (i_pin or 0.02)
    exact = v_drive / i
    ohms = nearest_e(max(exact, 100.0), "E12", mode="up")
    formula = f"R_G ≥ {format_value(v_drive, 'V')} / {format_value(i, 'A')} = {format_value(exact, 'Ω')} → {format_value(ohms, 'Ω')}"
    why = "limits the pin's current while it charges the gate capacitance"
    return ohms, formula, why


def add_flyback(ctx: PlanContext, load: str, plus_ep: str, minus_ep: str, v: float, i: float, fast: bool) -> str | None:
    b = ctx.b
    key = pick_flyback(b.lib, v, i, fast)
    if key is None:
        b.note(f"{load} is inductive: add a flyback diode across it (none in the library fits).")
        return None
    did = b.add(key, f"flyback diode across {load}", serves=load)
    a, k = P.two_terminals(b.rec(did))
    b.wire(f"{did}:{k}", plus_ep, "load", f"flyback: cathode to the supply side of {load}")
    b.wire(f"{did}:{a}", minus_ep, "load", f"flyback: anode to the switched side of {load}")
    rec = b.rec(did)
    b.plan.values.append(_choice(did, rec.name, f"V_R {format_value(rec.ratings.vr_max or 0, 'V')} ≥ 2 × "
                                 f"{format_value(v, 'V')}, I_F {format_value(rec.ratings.if_max or 0, 'A')} ≥ "
                                 f"{format_value(i, 'A')}",
                                 f"carries {load}'s coil current when the switch opens, so the voltage spike cannot kill the switch"))
    return did


def _choice(pid, value, formula, why):
    return ValueChoice(part=pid, value=value, formula=formula, why=why)


def low_side_switch(ctx: PlanContext, board: Board | None, load: str, minus_ep: str, v_load: float, i_peak: float,
                    pwm: bool = False, prefer: str | None = None, control_ep: str | None = None,
                    v_drive: float | None = None, i_pin: float | None = None) -> str | None:
    """Switch ``minus_ep`` to ground with a transistor driven from a controller pin (or ``control_ep``)."""
    b = ctx.b
    if control_ep is None:
        if board is None:
            return None
        alloc = board.alloc.take("pwm" if pwm else "gpio", load, "out", fallback_gpio=True)
        control_ep = b.use_pin(board, alloc, load, f"switches {load}" + (" (PWM)" if pwm else ""))
        v_drive = alloc.pin.v_out or board.logic
        i_pin = alloc.pin.i_max
    v_drive = v_drive or 5.0
    choice = choose_switch(b.lib, v_load, i_peak, v_drive, i_pin, prefer, named_keys(ctx))
    if choice is None:
        b.unmet(f"No transistor in the library can switch {format_value(i_peak, 'A')} for {load}.")
        return None
    if choice.kind == "nmos":
        key, fully_on = choice.key, choice.fully_on
        qid = b.add(key, f"low-side switch for {load}", serves=load)
        g, d, s = P.fet_pins(b.rec(qid))
        rg, f1, w1 = gate_resistor(v_drive, i_pin)
        rid = b.add("resistor", f"gate resistor of {qid}", serves=qid)
        r1, r2 = P.two_terminals(b.rec(rid))
        b.wire(control_ep, f"{rid}:{r1}", "signal", f"drives the gate of {qid}")
        b.wire(f"{rid}:{r2}", f"{qid}:{g}", "signal", f"gate of {qid}")
        b.value(rid, rg, "Ω", f1, w1)
        pd = b.add("resistor", f"gate pull-down of {qid}", serves=qid)
        p1, p2 = P.two_terminals(b.rec(pd))
        b.wire(f"{pd}:{p1}", f"{qid}:{g}", "signal", "keeps the gate low")
        b.to_ground(f"{pd}:{p2}", "gate pull-down to ground")
        b.value(pd, 100e3, "Ω", "100 kΩ ≫ R_G, so it does not load the drive",
                f"holds {qid} off while the controller boots or its pin floats")
        b.wire(minus_ep, f"{qid}:{d}", "load", f"{qid} switches {load}")
        b.to_ground(f"{qid}:{s}", f"{qid} source to ground")
        r = b.rec(qid).ratings
        b.plan.values.append(_choice(qid, b.rec(qid).name,
                                     f"V_DS {format_value(r.vds_max or 0, 'V')} ≥ 1.5 × {format_value(v_load, 'V')}; "
                                     f"I_D {format_value(r.id_max or 0, 'A')} ≥ 2 × {format_value(i_peak, 'A')}; "
                                     f"R_DS(on) rated at V_GS {format_value(r.rds_on_vgs or 0, 'V')}",
                                     f"a logic-level MOSFET {'fully on' if fully_on else 'on (not fully enhanced)'} at the "
                                     f"{format_value(v_drive, 'V')} gate drive"))
        if not fully_on:
            b.note(f"{qid} is not fully enhanced at {format_value(v_drive, 'V')}; it will run warm near "
                   f"{format_value(i_peak, 'A')}.")
        return qid
    qid = b.add(choice.key, f"low-side switch for {load}", serves=load)
    bp, cp, ep = P.bjt_pins(b.rec(qid))
    rb, formula, why = base_resistor(b.rec(qid), v_drive, i_peak, i_pin)
    rid = b.add("resistor", f"base resistor of {qid}", serves=qid)
    r1, r2 = P.two_terminals(b.rec(rid))
    b.wire(control_ep, f"{rid}:{r1}", "signal", f"drives the base of {qid}")
    b.wire(f"{rid}:{r2}", f"{qid}:{bp}", "signal", f"base of {qid}")
    b.value(rid, rb, "Ω", formula, why)
    b.wire(minus_ep, f"{qid}:{cp}", "load", f"{qid} switches {load}")
    b.to_ground(f"{qid}:{ep}", f"{qid} emitter to ground")
    return qid


SOUNDER_DESIGNATORS = {"BZ", "LS", "SP"}  # buzzers and speakers: signals, not power loads


def _free_relay(b) -> tuple[str, str, str] | None:
    """(part, COM, NO) of a placed relay module whose contacts switch nothing yet."""
    wired = {ep for w in b.plan.wires for ep in (w.a, w.b)}
    for part in b.plan.parts:
        rec = b.lib[part.type]
        com = next((p.name for p in rec.pins if "contact_common" in p.functions), None)
        no = next((p.name for p in rec.pins if "contact_no" in p.functions), None)
        if com and no and any(p.type == "power_in" for p in rec.pins) and \
                f"{part.id}:{com}" not in wired and f"{part.id}:{no}" not in wired:
            return part.id, com, no
    return None


def load_ratings(rec: ComponentRecord, attrs: dict | None = None) -> tuple[float | None, float, float]:
    """(rated volts, running current, peak current) of a load."""
    v = rec.ratings.v_rated
    if attrs and "voltage" in attrs:
        try:
            v = parse_value(attrs["voltage"], "V")
        except ValueError:
            pass
    if v is None:
        lo, hi = rec.supply.v_min, rec.supply.v_max
        v = hi if hi is not None else lo
    i = rec.ratings.i_rated or rec.supply.current_typ or rec.supply.current_max or 0.1
    if v is not None and rec.ratings.r_coil and not rec.ratings.i_rated:
        i = v / rec.ratings.r_coil
    peak = max(i, rec.ratings.i_stall or 0.0, rec.supply.current_max or 0.0)
    stated = _stated_amps(attrs)
    if stated is not None:  # the request's own figure for its load ("a 3 A motor") over the record's stand-in
        i, peak = stated, max(stated, peak)
    if v is not None and rec.ratings.r_coil:
        # a coil held on DC (a tone pin left HIGH) draws V/R: the switch must carry that too
        peak = max(peak, v / rec.ratings.r_coil)
    return v, i, peak


def _stated_amps(attrs: dict | None) -> float | None:
    """The current the request states the load draws (its ``current`` attribute), A."""
    if not attrs or "current" not in attrs:
        return None
    try:
        amps = parse_value(attrs["current"], "A")
    except ValueError:
        return None
    return amps if amps > 0 else None


def can_drive_directly(rec: ComponentRecord, v_pin: float, i_pin: float | None, attrs: dict | None = None) -> bool:
    v, i, peak = load_ratings(rec, attrs)
    if rec.flags.inductive:
        return False
    if v is not None and not (0.7 * v <= v_pin <= 1.3 * v):
        return False
    return i_pin is not None and peak <= 0.75 * i_pin


def add_load(ctx: PlanContext, key: str, attrs: dict, board: Board | None, pwm: bool = False,
             prefer: str | None = None, role: str = "load", terminals: tuple[str, str] | None = None) -> str:
    """A two-terminal load (or a relay's coil, ``terminals``) switched from the controller, powered
    from a rail its rating needs."""
    b = ctx.b
    rec = b.lib[key]
    pid = b.add(key, role, attrs)
    plus, minus = terminals or P.two_terminals(rec)
    v, i, peak = load_ratings(rec, attrs)
    if board is not None:
        probe = board.alloc.candidates("pwm" if pwm else "gpio", "out")
        pin = probe[0] if probe else None
        if pin is not None and can_drive_directly(rec, pin.v_out or board.logic, pin.i_max, attrs):
            alloc = board.alloc.take("pwm" if pwm else "gpio", pid, "out", fallback_gpio=True)
            ep = b.use_pin(board, alloc, pid, f"drives {pid} directly ({format_value(peak, 'A')} is within the pin's rating)")
            b.wire(ep, f"{pid}:{plus}", "signal", f"drives {pid}")
            b.to_ground(f"{pid}:{minus}", f"{pid} return")
            return pid
    v_load = v or (board.logic if board else 5.0)
    lo, hi = P.supply_range(rec)
    motor = any("motor" in p.functions for p in rec.pins)
    stated = bool(attrs and "voltage" in attrs)
    rated = rec.ratings.v_rated
    if hi is not None and lo is not None and hi > 1.5 * lo and (motor or v is None) and not stated \
            and (rated is None or rated <= lo + 1e-6):
        # a motor's window with no rating inside it: run it at the top of its range (a load rated inside
        # its window, a 12 V fan that takes 7-13.8 V, at its rating; any other load at its rated voltage)
        v_load = hi
    rail = ctx.power.rail_for(rec, None, i, v_load, pid)
    if rail is None:
        b.unmet(f"{pid} needs a {format_value(v_load, 'V')} supply.")
        return pid
    # relay contacts are for power loads; a sounder beeps faster than contacts should click
    sounder = rec.designator in SOUNDER_DESIGNATORS
    relay = _free_relay(b) if board is not None and "pwm" not in ctx.options and terminals is None and not sounder else None
    if relay is not None:
        # the request's relay module switches the load: COM from the supply, NO to the load
        rid, com, no = relay
        b.power(f"{rid}:{com}", rail, i, f"{rail.name} to {rid}'s common contact")
        b.wire(f"{rid}:{no}", f"{pid}:{plus}", "load", f"{rid} closes NO: {pid} runs")
        b.to_ground(f"{pid}:{minus}", f"{pid} return")
        if rec.flags.inductive:
            add_flyback(ctx, pid, f"{pid}:{plus}", f"{pid}:{minus}", rail.volts, peak, fast=False)
        b.note(f"{pid} is switched by {rid}'s contacts (COM from {rail.name}, NO to {pid}).")
        return pid
    b.power(f"{pid}:{plus}", rail, i, f"{rail.name} powers {pid}")
    if board is None:
        b.to_ground(f"{pid}:{minus}", f"{pid} return")
        return pid
    low_side_switch(ctx, board, pid, f"{pid}:{minus}", rail.volts, peak, pwm, prefer)
    if rec.flags.inductive:
        add_flyback(ctx, pid, rail.endpoint, f"{pid}:{minus}", rail.volts, peak, fast=pwm)
    return pid
