"""Pull-ups: for buttons (the controller pin's internal pull-up when it has one, else 10 kΩ),
for I2C buses no module pulls up already (value from the rise-time and sink-current limits), and
for single-wire data lines (DHT22, DS18B20)."""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.builder import Board, DesignBuilder
from agents.rules.context import PlanContext
from circuit.units import format_value, nearest_e

BUTTON_PULL = 10e3
DATA_PULL = 10e3
I2C_RISE_MAX = 1e-6       # standard mode (100 kHz) rise time, I2C spec UM10204 table 10
I2C_SINK = 3e-3           # V_OL 0.4 V at 3 mA
I2C_CAP_PER_DEVICE = 10e-12
I2C_CAP_WIRING = 50e-12


def declare_internal_pullup(b: DesignBuilder, board: Board, pin: str, user: str,
                            low_when: str | None = None) -> None:
    """Record that firmware enables the pin's internal pull-up (pinMode(pin, INPUT_PULLUP))."""
    part = b.plan.part(board.id)
    if part is not None:
        pins = [p for p in str(part.attrs.get("pullups", "")).split(",") if p]
        if pin not in pins:
            pins.append(pin)
        part.attrs["pullups"] = ",".join(pins)
    b.set_attr(user, "pull", f"internal pull-up on {board.id}:{pin}")
    b.note(f"{board.id}:{pin} uses the controller's internal pull-up for {user}: in firmware, "
           f"pinMode({pin}, INPUT_PULLUP); the pin reads LOW {low_when or f'while {user} is pressed'}.")


def resistor_pull(b: DesignBuilder, node_ep: str, rail_ep: str | None, ohms: float, why: str, serves: str,
                  formula: str = "", to_ground: bool = False) -> str:
    rid = b.add("resistor", why, serves=serves)
    r1, r2 = P.two_terminals(b.rec(rid))
    b.wire(f"{rid}:{r1}", node_ep, "signal", why)
    if to_ground:
        b.to_ground(f"{rid}:{r2}", why)
    elif rail_ep is not None:
        b.wire(f"{rid}:{r2}", rail_ep, "power", why)
    b.value(rid, ohms, "Ω", formula, why)
    return rid


def data_pullup(ctx: PlanContext, data_ep: str, volts: float, pid: str) -> None:
    """A pull-up on a single-wire data line: the value the part's record states for that pin
    (``requires.companions``, kind pullup-resistor), else ``DATA_PULL``."""
    rail = ctx.b.find_rail(volts - 0.15, volts + 0.15)
    if rail is None:
        return
    pin = data_ep.split(":", 1)[-1]
    stated = next((c.typical for c in ctx.b.rec(pid).requires.companions
                   if c.kind == "pullup-resistor" and c.pins[:1] == [pin] and c.typical), None)
    ohms = stated or DATA_PULL
    why = "the value its datasheet gives" if stated else "the data line idles high"
    resistor_pull(ctx.b, data_ep, rail.endpoint, ohms, f"pull-up on {pid}'s data line", pid,
                  f"{format_value(ohms, 'Ω')} to {rail.name}: {why}; the sensor pulls it low to talk")


def i2c_pullup_value(volts: float, devices: int) -> tuple[float, str]:
    cap = I2C_CAP_WIRING + I2C_CAP_PER_DEVICE * (devices + 1)
    r_max = I2C_RISE_MAX / (0.8473 * cap)
    r_min = (volts - 0.4) / I2C_SINK
    target = min(4.7e3, r_max)
    r = nearest_e(max(target, r_min), "E12", "nearest")
    formula = (f"Rmin = ({format_value(volts, 'V')} − 0.4 V)/3 mA = {format_value(r_min, 'Ω')}; "
               f"Rmax = 1 µs/(0.8473 × {format_value(cap, 'F')}) = {format_value(r_max, 'Ω')}; "
               f"chose {format_value(r, 'Ω')}")
    return r, formula


def i2c_pullups(ctx: PlanContext, board: Board, force: bool = False) -> None:
    """Pull SDA and SCL up to the lowest bus voltage unless a module on the bus already does."""
    members = ctx.i2c.get(board.id, [])
    if not members:
        return
    b = ctx.b
    has_own = [pid for pid, _ in members if b.rec(pid).flags.onboard_pullups]
    volts = min(v for _, v in members)
    lift = _too_low_for_the_board(ctx, board, members)
    if has_own and not force and lift is None:
        b.note(f"The I2C bus uses the pull-ups on {', '.join(dict.fromkeys(has_own))}; no extra resistors needed.")
        return
    if lift is not None:
        level, vih = lift
        volts = board.logic
        b.note(f"The module pull-ups hold the I2C bus at {format_value(level, 'V')}, too close to {board.id}'s "
               f"input-high threshold ({format_value(vih, 'V')}); pull-ups to {format_value(volts, 'V')} lift it "
               f"(the modules' I2C pins tolerate it).")
    rail = b.find_rail(volts - 0.15, volts + 0.15)
    if rail is None:
        return
    sda = board.alloc.shared.get("i2c_sda")
    scl = board.alloc.shared.get("i2c_scl")
    r, formula = i2c_pullup_value(volts, len(set(p for p, _ in members)))
    why_extra = " (asked for; they sit in parallel with the module's own)" if has_own else ""
    for pin, label in ((sda, "SDA"), (scl, "SCL")):
        if pin is None:
            continue
        resistor_pull(b, f"{board.id}:{pin.name}", rail.endpoint, r, f"I2C {label} pull-up{why_extra}", board.id, formula)


def _too_low_for_the_board(ctx: PlanContext, board: Board, members) -> tuple[float, float] | None:
    """(pull-up level, board VIH) when modules pull the bus up to a level the board barely reads as
    HIGH and every I2C pin on the bus tolerates the board's logic level; else None."""
    b = ctx.b
    vih = board.rec.supply.vih_min
    if not vih:
        return None
    levels = []
    for pid, v in members:
        rec = b.rec(pid)
        if rec.flags.onboard_pullups:
            levels.append(rec.supply.logic_level if rec.flags.onboard_regulator and rec.supply.logic_level else v)
        for p in rec.pins:
            if {"i2c_sda", "i2c_scl"} & set(p.functions) and p.v_max is not None and p.v_max < board.logic:
                return None
    if not levels or min(levels) >= vih + 0.4:
        return None
    return min(levels), vih
