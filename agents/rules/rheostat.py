"""A rheostat from a potentiometer: a variable series resistor, with a fixed minimum resistor, that
sets an LED's current.
"""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.analog import named, pot_pins, supply_rail, two
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.led_resistor import led_resistor
from circuit.units import format_value, nearest_e


def block_rheostat(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    """A potentiometer as a variable resistor in series with a fixed minimum resistor and an LED."""
    b = ctx.b
    pot = named(by_kind, "pot", None, ctx)
    led = (by_kind.get("led") or [None])[0]
    if pot is None or led is None:
        return set()
    rail = supply_rail(ctx, board)
    if rail is None:
        return set()
    lrec = b.lib[led.key]
    vf = P.vf_of(lrec, led.attrs)
    imax = lrec.ratings.if_max or 0.03
    rmin = led_resistor(rail.volts, vf, imax * 0.66)
    pid = b.add(pot.key, "rheostat (variable series resistor)", dict(pot.attrs))
    lid = b.add(led.key, "LED whose brightness the rheostat sets", dict(led.attrs))
    rid = b.add("resistor", "minimum current limit", serves=lid)
    a, w, c = pot_pins(b.lib[pot.key])
    r1, r2 = two(ctx, rid)
    la, lk = P.two_terminals(lrec)
    b.power(f"{pid}:{a}", rail, rmin.current, f"{rail.name} into the rheostat")
    b.wire(f"{pid}:{w}", f"{pid}:{c}", "signal", "unused end tied to the wiper (a classic rheostat)")
    b.wire(f"{pid}:{w}", f"{rid}:{r1}", "signal", "rheostat to the fixed resistor")
    b.wire(f"{rid}:{r2}", f"{lid}:{la}", "signal", "into the LED")
    b.to_ground(f"{lid}:{lk}", "LED cathode to ground")
    b.value(rid, rmin.ohms, "Ω", rmin.formula,
            f"with the rheostat at 0 Ω the LED still gets at most {format_value(rmin.current, 'A')}")
    r_pot = nearest_e((rail.volts - vf) / 0.001, "E3", "up")
    b.value(pid, r_pot, "Ω", f"R_total = ({format_value(rail.volts, 'V')} − {format_value(vf, 'V')})/1 mA = "
            f"{format_value((rail.volts - vf) / 0.001, 'Ω')} → {format_value(r_pot, 'Ω')}",
            "turned fully up, the LED dims to about 1 mA")
    return {id(pot), id(led)} | {id(n) for n in by_kind.get("passive", [])}
