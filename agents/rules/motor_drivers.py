"""Motors through drivers: a DC motor takes one H-bridge (two outputs), a stepper two (four
outputs). The driver's logic supply goes on the logic rail, its motor supply on a rail at the
motors' voltage with a bulk capacitor, its inputs on controller pins (enable/PWM inputs on PWM
pins). A motor with no driver to go to gets a MOSFET low-side switch and a flyback diode (one
direction), or, for a stepper, the library's stepper driver."""

from __future__ import annotations

from agents.models import Need
from agents.rules import parts as P
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.decoupling import add_cap
from agents.rules.kinds import is_stepper
from agents.rules.load_switch import add_load, load_ratings, named_keys
from agents.rules.module_wiring import wire_module
from agents.rules.rated_choice import rated_for
from circuit.rating_gate import stated_amps
from circuit.units import format_value
from knowledge.preference import preference
from knowledge.record import ComponentRecord

BULK_CAP = 100e-6


def driver_outputs(rec: ComponentRecord) -> list[str]:
    """The pins a driver puts its load on: the record gives them the ``motor`` (or ``coil``) function."""
    out = []
    for p in P.unique_pins(rec):
        if p.type in ("power_in", "ground", "digital_in", "analog_in", "nc", "power_out"):
            continue
        if {"i2c_sda", "i2c_scl", "spi_mosi", "spi_miso", "spi_sck", "uart_tx", "uart_rx"} & set(p.functions):
            continue
        if {"motor", "coil"} & set(p.functions):
            out.append(p.name)
    return out


def drives_steppers(rec: ComponentRecord) -> bool:
    """The record's ``drives`` lists steppers."""
    return "stepper" in rec.drives


def drives_dc(rec: ComponentRecord) -> bool:
    """The record's ``drives`` lists DC motors."""
    return "dc-motor" in rec.drives


def _load_supply_window(drv: ComponentRecord, pin, motor: ComponentRecord) -> tuple[float, float]:
    """Voltages the driver's motor input takes; a current-chopping stepper driver may run the motor
    from well above its rated voltage, a plain H-bridge passes its supply straight to the motor."""
    hi = pin.v_max or drv.ratings.v_in_max or 35.0
    lo = pin.v_range[0] if pin.v_range else (drv.supply.v_min or 0.0)
    if pin.v_range:
        hi = min(hi, pin.v_range[1])
    if not is_stepper(motor):
        mlo, mhi = P.supply_range(motor)
        if mlo is not None and mhi is not None and mhi >= lo:
            lo, hi = max(lo, mlo), min(hi, max(mhi, lo))
    return lo, hi


def _stated_source(ctx: PlanContext, drv: ComponentRecord, pin, motor: ComponentRecord, amps: float, dpid: str):
    """The source the request states (a battery pack) feeds the driver's motor input whenever the driver
    takes its voltage, even above the motor's own rating: the PWM duty sets what the motor sees. A
    second source for the motors would contradict the request."""
    if not ctx.ident.supply_volts:
        return None
    hi = pin.v_max or drv.ratings.v_in_max or 35.0
    lo = drv.supply.v_min or 0.0
    rail = ctx.b.find_rail(lo, hi, amps, ctx.ident.supply_volts, exclude_kinds=("board", "regulator"))
    if rail is None or abs(rail.volts - ctx.ident.supply_volts) > 0.3:
        return None
    mlo, mhi = P.supply_range(motor)
    if mhi is not None and rail.volts > mhi + 1e-6 and not is_stepper(motor):
        duty = mhi / rail.volts
        ctx.b.note(f"{dpid} runs its motors from the stated {format_value(rail.volts, 'V')} supply; the motors are "
                   f"rated up to {format_value(mhi, 'V')}, so keep their PWM duty at or below {duty:.0%}.")
    return rail


def _named(ctx: PlanContext, pid: str) -> bool:
    part = ctx.b.plan.part(pid)
    return part is not None and any(n.explicit and n.key == part.type for n in ctx.ident.needs)


def _motor_volts(ctx: PlanContext, rec: ComponentRecord) -> float:
    if ctx.ident.load_volts:
        return ctx.ident.load_volts
    return rec.ratings.v_rated or (rec.supply.v_max or 6.0)


def place_motors(ctx: PlanContext, board: Board | None, drivers: list[Need], motors: list[Need]) -> set[int]:
    b = ctx.b
    done: set[int] = {id(n) for n in drivers} | {id(n) for n in motors}
    units = [(n, i) for n in motors for i in range(n.qty)]
    # driver instances with their free outputs
    slots: list[dict] = []
    for n in drivers:
        for _ in range(n.qty):
            rec = b.lib[n.key]
            slots.append({"key": n.key, "rec": rec, "outs": driver_outputs(rec), "motors": [], "need": n})
    # a stepper driver built for one motor per board (A4988) holds one stepper
    pending: list[tuple[Need, str]] = []
    for n, _ in units:
        mrec = b.lib[n.key]
        stepper = is_stepper(mrec)
        width = 4 if stepper else 2
        mterms = [p.name for p in P.unique_pins(mrec) if p.type == "passive"]
        if stepper:
            width = min(4, len(mterms)) if len(mterms) >= 4 else 4
        slot = None
        for s in slots:
            if len(s["outs"]) >= width and (drives_steppers(s["rec"]) if stepper else drives_dc(s["rec"]) or len(s["outs"]) >= 2):
                slot = s
                break
        if slot is None and stepper:
            key = _stepper_driver_key(b.lib, mrec, n.attrs)
            if key is not None:
                rec = b.lib[key]
                slot = {"key": key, "rec": rec, "outs": driver_outputs(rec), "motors": [], "need": None}
                slots.append(slot)
                b.note(f"A stepper motor needs a driver: added a {rec.name}.")
        if slot is None:
            pending.append((n, "dc"))
            continue
        outs = [slot["outs"].pop(0) for _ in range(min(width, len(slot["outs"])))]
        slot["motors"].append((n, outs))
    for s in slots:
        _wire_driver(ctx, board, s)
    for n, _ in pending:
        # a MOSFET by default; a transistor the request names switches it when it can (low_side_switch)
        named_bjt = any(b.lib[k].spice.kind == "npn" for k in named_keys(ctx))
        add_load(ctx, n.key, dict(n.attrs), board, pwm=True, prefer=None if named_bjt else "mosfet",
                 role="motor (one direction, speed by PWM)")
    return done


def _stepper_driver_key(lib, motor: ComponentRecord | None = None, attrs: dict | None = None) -> str | None:
    """The stepper driver for ``motor`` (its stated current in ``attrs``: one rated for it, when one is)."""
    cands = [r for r in lib if r.category == "driver" and drives_steppers(r) and len(driver_outputs(r)) >= 4]
    amps = stated_amps((attrs or {}).get("current"))
    if motor is not None and amps is not None:
        cands = rated_for(cands, [(motor, amps)])
    cands.sort(key=lambda r: (drives_dc(r), len(driver_outputs(r)), preference(r)))
    return cands[0].key if cands else None


def _wire_driver(ctx: PlanContext, board: Board | None, slot: dict) -> None:
    b = ctx.b
    rec: ComponentRecord = slot["rec"]
    motors = slot["motors"]
    names = ", ".join(f"{n.key}" for n, _ in motors) or "motors"
    dpid = b.add(slot["key"], f"motor driver for {names}", dict(slot["need"].attrs) if slot["need"] else {})
    all_outs = driver_outputs(rec)
    skip = set(all_outs)
    if motors and all(is_stepper(b.lib[n.key]) for n, _ in motors):
        # a stepper is driven by the direction inputs alone: enables jumpered high on the module stay so
        enables = [p.name for p in rec.pins if p.type == "digital_in" and "enable" in p.functions and p.pullup]
        if enables:
            skip |= set(enables)
            b.note(f"{dpid}'s {', '.join(enables)} stay jumpered high: a stepper needs no speed PWM, "
                   f"the step sequence on the inputs sets its speed.")
    wire_module(ctx, dpid, board, skip=skip)
    # the motor supply
    load_pins = [p for p in P.power_in_pins(rec) if P.is_load_supply_pin(rec, p)]
    if motors:
        mrec = b.lib[motors[0][0].key]
        v = _motor_volts(ctx, mrec)
        i_total = sum(load_ratings(b.lib[n.key], n.attrs)[1] for n, _ in motors)
        rail = None
        if load_pins:
            lo, hi = _load_supply_window(rec, load_pins[0], mrec)
            if not (lo - 1e-6 <= v <= hi + 1e-6):
                v = min(max(v, lo), hi)
            rail = ctx.b.find_rail(lo, hi, i_total, v)
            if rail is None or (rail.kind == "regulator" and not _named(ctx, rail.owner)):
                # a regulator the planner added for another part (the board's) is not the motors' supply
                rail = _stated_source(ctx, rec, load_pins[0], mrec, i_total, dpid) or rail
            if rail is None:
                rail = ctx.power.source_for(v, i_total, f"motor supply for {dpid}")
                if rail is not None:
                    b.note(f"{dpid}'s motor supply: {format_value(v, 'V')}, within the driver's "
                           f"{format_value(lo, 'V')}–{format_value(hi, 'V')} motor input.")
        for p in load_pins:
            if rail is not None:
                b.power(f"{dpid}:{p.name}", rail, i_total, f"motor supply ({format_value(rail.volts, 'V')}) for {dpid}")
        if rail is not None and load_pins and not rec.flags.decoupling_onboard:
            add_cap(b, rail.endpoint, BULK_CAP, f"bulk capacitor on {dpid}'s motor supply", dpid)
    for n, outs in motors:
        mrec = b.lib[n.key]
        mid = b.add(n.key, "stepper motor" if is_stepper(mrec) else "DC motor", dict(n.attrs))
        terms = [p.name for p in P.unique_pins(mrec) if p.type == "passive"]
        for o, t in zip(outs, terms):
            b.wire(f"{dpid}:{o}", f"{mid}:{t}", "load", f"{dpid} output {o} drives {mid}")
        if mrec.flags.inductive and not rec.flags.protected_driver:
            b.note(f"{dpid} has no built-in flyback diodes: fit fast diodes from each output to the motor supply and ground.")
    if rec.flags.protected_driver and motors:
        b.note(f"{dpid} has built-in flyback protection for its motor outputs.")
