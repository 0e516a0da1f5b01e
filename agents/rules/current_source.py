"""A constant-current source from an adjustable regulator that holds its output a reference voltage above its
adjustment pin (an LM317: record ``spice.params.v_ref`` and a pin of function ``vref``): its output feeds the
adjustment pin through one set resistor, R = VREF / I, and the load (the request's LEDs, in series) hangs
from the adjustment pin to ground. The regulator keeps VREF across R whatever the load's voltage, so the
LEDs need no resistors of their own, as long as the input stays above the LEDs' voltage plus VREF plus the
regulator's dropout (record ``ratings.dropout``)."""

from __future__ import annotations

from agents.models import Need
from agents.rules import parts as P
from agents.rules.analog import supply_rail, two
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.power_tree import feedback_pin, regulates_current
from circuit.units import format_value, nearest_e
from knowledge.preference import most_preferred

I_DEFAULT = 0.02  # an indicator LED's nominal current when neither the request nor the LED's record gives one


def block_current_source(ctx: PlanContext, board: Board | None, by_kind: dict[str, list[Need]]) -> set[int]:
    b = ctx.b
    reg = next((n for n in by_kind.get("converter", []) if regulates_current(b.lib[n.key])), None)
    key = reg.key if reg is not None else getattr(most_preferred([r for r in b.lib if regulates_current(r)]), "key", None)
    leds = by_kind.get("led", [])
    if key is None or not leds:
        b.unmet("A constant-current source needs an adjustable regulator with a reference pin and LEDs to feed.")
        return set()
    rec = b.lib[key]
    v_ref = rec.spice.params["v_ref"]
    chain = [(n, b.lib[n.key]) for n in leds for _ in range(n.qty)]
    want = ctx.ident.numbers.get("current_a")
    i_set = want or min((r.ratings.if_nom for _, r in chain if r.ratings.if_nom), default=I_DEFAULT)
    v_leds = sum(P.vf_of(r, n.attrs) for n, r in chain)
    headroom = v_ref + (rec.ratings.dropout or 2.0)
    rail = supply_rail(ctx, board, ctx.ident.supply_volts) if ctx.ident.supply_volts else None
    if rail is None:
        volts = next((v for v in (5.0, 9.0, 12.0, 24.0) if v >= v_leds + headroom), v_leds + headroom)
        rail = ctx.power.source_for(volts, i_set, "input supply for the constant-current source")
    if rail is None:
        b.unmet("The library has no source for the constant-current source.")
        return set()
    if rail.volts < v_leds + headroom:
        b.note(f"{rail.name} ({format_value(rail.volts, 'V')}) is below the {format_value(v_leds + headroom, 'V')} "
               f"the LEDs ({format_value(v_leds, 'V')}) and the regulator ({format_value(v_ref, 'V')} reference + "
               f"{format_value(headroom - v_ref, 'V')} dropout) need: the current will fall short of the set value.")
    pin_in = P.power_in_pins(rec)[0].name
    pin_out = rec.pins_of_type("power_out")[0].name
    adj = feedback_pin(rec).name
    pid = b.add(key, f"constant-current regulator: {format_value(i_set, 'A')} through the LEDs",
                dict(reg.attrs) if reg is not None else {})
    b.power(f"{pid}:{pin_in}", rail, i_set, f"{rail.name} into the current regulator")
    ohms = nearest_e(v_ref / i_set, "E24")
    made = v_ref / ohms
    rid = b.add("resistor", "current-set resistor", serves=pid)
    r1, r2 = two(ctx, rid)
    b.wire(f"{pid}:{pin_out}", f"{rid}:{r1}", "power", "regulator output into the set resistor")
    b.wire(f"{rid}:{r2}", f"{pid}:{adj}", "signal", f"{adj} holds {format_value(v_ref, 'V')} below the output: "
                                                     "that voltage across the set resistor sets the current")
    b.value(rid, ohms, "Ω", f"R = VREF / I = {format_value(v_ref, 'V')} / {format_value(i_set, 'A')} → "
                           f"{format_value(ohms, 'Ω')} ({format_value(made, 'A')})",
            f"sets the LED current; dissipates {format_value(v_ref * made, 'W')}")
    if v_ref * made > 0.25:
        b.set_attr(rid, "power", format_value(0.5 if v_ref * made < 0.4 else 1.0, "W"))
    node = f"{rid}:{r2}"
    for i, (n, r) in enumerate(chain):
        an, ca = P.led_pins(r)
        lid = b.add(n.key, f"LED {i + 1} of the constant-current string", dict(n.attrs))
        b.wire(node, f"{lid}:{an[0].name}", "power", "constant current into the LED string" if i == 0 else "LEDs in series")
        node = f"{lid}:{ca[0].name}"
    b.to_ground(node, "end of the LED string to ground")
    b.note(f"{pid} holds {format_value(made, 'A')} through {len(chain)} LED(s) in series "
           f"(about {format_value(v_leds, 'V')}), whatever their forward voltages; no series resistors are needed.")
    return {id(n) for n in leds} | ({id(reg)} if reg is not None else set())
