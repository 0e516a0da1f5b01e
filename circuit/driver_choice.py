"""Choosing a transistor driver for a load that a GPIO cannot drive by itself.

:func:`plan_driver` decides, for ``insert_transistor_driver(PIN, LOAD)`` (:mod:`circuit.fixes`),
how a motor, relay coil, solenoid or module comes off the pin:

* **supply**: the load is powered from a rail in the circuit that suits it (a coil's rated voltage
  within -15 %/+25 %, a module's supply range) and can give its current; a coil already hanging
  from a rail stays there;
* **switch**: the low-side NPN or logic-level N-MOSFET that :mod:`circuit.switch_choice` chooses
  for the load's peak current at its supply voltage from this pin (the same choice the designer
  makes: an NPN for loads up to 300 mA whose base current the pin can give, else a MOSFET that is
  logic-level at the pin's voltage; the most common, then the smallest, that carries it);
* **base/gate resistor**: NPN ``(V_pin - V_BE) / I_B`` rounded down in E12 (more base current, still
  under 75 % of the pin's limit); MOSFET ``V_pin / I_pin(max)`` rounded up in E12, which keeps the gate's
  charging peak within the pin's rating;
* **pull-down** 10 kΩ from base/gate to ground (47 kΩ if 10 kΩ would take over 20 % of a small base
  current), so the load stays off while the MCU boots;
* **flyback diode** across an inductive load, band toward the supply: the one
  :mod:`circuit.flyback_choice` chooses for the running current and the supply (the designer's choice).

A module with its signal pins wired keeps its ground: lifting the ground of a part that talks to
the MCU back-feeds it through those pins, so it is powered from the rail instead (always on).
"""

from __future__ import annotations

from dataclasses import dataclass

from circuit.erc.context import ErcContext
from circuit.erc.inductive_loads import coil_terminals
from circuit.flyback_choice import pick_flyback
from circuit.model import Circuit
from circuit.switch_choice import DARLINGTON_HFE, choose_switch, forced_beta
from circuit.units import format_value, nearest_e
from knowledge.library import Library
from knowledge.record import ComponentRecord

__all__ = ["DriverPlan", "DriverError", "plan_driver", "pick_switch"]


class DriverError(ValueError):
    """No driver can be planned for this pin and load (the message says why)."""


@dataclass
class DriverPlan:
    switch: str | None          # library key of the transistor (None when always_on)
    r_drive: str                # base/gate resistor, e.g. "560 Ω"
    r_pulldown: str
    diode: str | None           # library key of the flyback diode, or None
    rail: str                   # endpoint the load is powered from
    high: str                   # the load's supply-side terminal (or a module's power pin)
    low: list[str]              # the load's terminals the switch takes to ground
    high_stays: bool = False    # the high side already hangs from the rail
    always_on: bool = False
    why: str = ""


@dataclass
class _Switch:
    key: str
    rec: ComponentRecord
    r_drive: float
    r_pulldown: float
    why: str


def _ohms(x: float) -> str:
    return format_value(x, "Ω")


def pick_switch(library: Library, v_pin: float, i_pin: float, i_load: float, i_peak: float,
                v_supply: float | None) -> _Switch | None:
    """The switch :mod:`circuit.switch_choice` chooses for this load and pin (the designer's choice,
    from the records' ratings), with its base or gate resistor and pull-down."""
    choice = choose_switch(library, v_supply or v_pin, max(i_load, i_peak), v_pin, i_pin)
    if choice is None:
        return None
    rec = library[choice.key]
    r = rec.ratings
    if choice.kind == "npn":
        beta = forced_beta(rec)
        vbe = r.vbe_on or (1.4 if (r.hfe or 100.0) >= DARLINGTON_HFE else 0.7)
        i_b = i_load / beta
        rb = nearest_e((v_pin - vbe) / i_b, "E12", "down")
        while (v_pin - vbe) / rb > 0.75 * i_pin:
            rb = nearest_e(rb * 1.05, "E12", "up")
        rpd = 10e3 if vbe / 10e3 <= 0.2 * (v_pin - vbe) / rb else 47e3
        why = (f"{format_value(i_load, 'A')} load current needs {format_value(i_b, 'A')} base current at a forced "
               f"gain of {beta:g}: ({format_value(v_pin, 'V')} - {format_value(vbe, 'V')}) / "
               f"{format_value(i_b, 'A')} ≈ {_ohms((v_pin - vbe) / i_b)}, {_ohms(rb)} in E12")
        return _Switch(choice.key, rec, rb, rpd, why)
    rg = nearest_e(v_pin / i_pin, "E12", "up")
    why = (f"logic-level at {format_value(v_pin, 'V')}, rated {format_value(r.id_max or 0, 'A')}; gate resistor "
           f"{format_value(v_pin, 'V')} / {format_value(i_pin, 'A')} pin limit ≈ {_ohms(v_pin / i_pin)}, "
           f"{_ohms(rg)} in E12")
    return _Switch(choice.key, rec, rg, 10e3, why)


def _rail_for(ctx: ErcContext, avoid_net, v_lo: float | None, v_hi: float | None, v_target: float | None,
              i_need: float) -> tuple[str, float] | None:
    cands = []
    for _pid, rec, p, ep, v in ctx.rail_pins():
        if v <= 0 or ctx.net(ep) is avoid_net:
            continue
        limit = p.i_max or rec.ratings.i_out_max
        in_range = (v_lo is None or v >= v_lo - 0.1) and (v_hi is None or v <= v_hi + 0.1)
        deficit = max(0.0, i_need - limit) if limit else 0.0
        cands.append(((not in_range, round(deficit, 3), abs(v - (v_target or v)), not rec.is_mcu, ep), ep, v))
    if not cands:
        return None
    _, ep, v = sorted(cands)[0]
    return ep, v


def plan_driver(circuit: Circuit, library: Library, pin_ep: str, load_id: str) -> DriverPlan:
    ctx = ErcContext(circuit, library)
    pin = ctx.pin(pin_ep)
    if pin is None or not ctx.can_drive(pin):
        raise DriverError(f"{pin_ep} is not an output pin")
    rec = ctx.rec(load_id)
    if rec is None:
        raise DriverError(f"no part {load_id!r} in the library")
    pin_net = ctx.net(pin_ep)
    terms = [f"{load_id}:{n}" for n in rec.pin_names if pin_net is not None and ctx.net(f"{load_id}:{n}") is pin_net]
    if not terms:
        raise DriverError(f"{load_id} is not wired to {pin_ep}")
    mcu = ctx.part_of(pin_ep)
    v_pin = ctx.drive_voltage(pin_ep) or pin.v_out or ctx.logic_level(mcu) or 5.0
    i_pin = pin.i_max or 0.02
    t = terms[0]
    tp = ctx.pin(t)
    if tp is not None and tp.type == "power_in":
        s = rec.supply
        i_load = s.current_max or s.current_typ
        if not i_load:
            raise DriverError(f"the library gives no supply current for {rec.name}")
        rail = _rail_for(ctx, pin_net, s.v_min, s.v_max, ctx.logic_level(mcu), i_load)
        if rail is None:
            raise DriverError(f"no supply rail in the circuit can power {load_id}")
        signals = [f"{load_id}:{p.name}" for p in rec.pins if p.type not in ("power_in", "power_out", "ground", "nc")
                   and ctx.connected(f"{load_id}:{p.name}")]
        grounds = [f"{load_id}:{p.name}" for p in rec.pins_of_type("ground")]
        if signals or not grounds:
            return DriverPlan(None, "", "", None, rail[0], t, [], always_on=True,
                              why="its signal pins are wired" if signals else "it has no ground pin to switch")
        low = [g for g in grounds if ctx.connected(g)] or grounds[:1]
        high, high_stays, v_supply, i_peak = t, False, rail[1], i_load
        inductive = rec.flags.inductive and not rec.flags.protected_driver
    else:
        coil = coil_terminals(ctx, load_id)
        if t not in coil:
            raise DriverError(f"{t} is not a supply or coil terminal of {load_id}")
        others = [e for e in coil if e != t]
        if len(others) != 1:
            raise DriverError(f"{load_id} has {len(coil)} coil leads; use a driver module (ULN2003, L298N)")
        o = others[0]
        r = rec.ratings
        if ctx.connected(o) and ctx.is_rail(o):  # the coil hangs from a rail and the pin sinks it
            high, low, high_stays = o, [t], True
            v_supply = ctx.group_voltage(o) or 5.0
            rail_ep = next((ep for ep, _ in ctx.rails_in(ctx.group(o))), o)
        else:
            high, low, high_stays = t, [o], False
            v_t = r.v_rated
            i_guess = r.i_rated or ((v_t / r.r_coil) if v_t and r.r_coil else 0.0)
            rail = _rail_for(ctx, pin_net, v_t and 0.85 * v_t, v_t and 1.25 * v_t, v_t, i_guess)
            if rail is None:
                raise DriverError(f"no supply rail in the circuit can power {load_id}")
            rail_ep, v_supply = rail
        i_load = r.i_rated or ((v_supply / r.r_coil) if r.r_coil else None) or rec.supply.current_typ
        if not i_load:
            raise DriverError(f"the library gives no current for {rec.name}")
        i_peak = max(i_load, r.i_stall or 0.0)
        rail = (rail_ep, v_supply)
        inductive = rec.flags.inductive and not rec.flags.protected_driver
    sw = pick_switch(library, v_pin, i_pin, i_load, i_peak, v_supply)
    if sw is None:
        raise DriverError(f"no transistor in the library switches {format_value(i_load, 'A')} from a "
                          f"{format_value(v_pin, 'V')} pin")
    diode = pick_flyback(library, v_supply, i_load) if inductive else None
    if inductive and diode is None:
        raise DriverError("the library has no flyback diode rated for this load")
    return DriverPlan(sw.key, _ohms(sw.r_drive), _ohms(sw.r_pulldown), diode, rail[0], high, low,
                      high_stays=high_stays, why=sw.why)
