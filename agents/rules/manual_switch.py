"""No controller: a button or switch the request names switches a load by hand.

Without a board a button has no pin to report to; it is the switch itself. It goes in the load's
supply line when the load's current (running and peak) is within the contact's rating; otherwise
the contact drives an NPN transistor's base (through a resistor sized for saturation) and the
transistor carries the load, with a flyback diode across an inductive load. Reads the plan and the
records only.
"""

from __future__ import annotations

from agents.models import Need
from agents.rules import parts as P
from agents.rules.analog import two
from agents.rules.context import PlanContext
from agents.rules.load_switch import add_flyback, base_resistor, load_ratings, named_keys
from circuit.switch_choice import pick_bjt
from circuit.units import format_value

CONTACT_MARGIN = 0.8  # a contact carries at most this share of its rated current


def switch_loads(ctx: PlanContext, switches: list[Need]) -> None:
    """Each named switch takes the next load that runs straight from a rail."""
    b = ctx.b
    loads = [p for p in b.plan.parts if P.is_two_terminal(b.lib[p.type])
             and b.lib[p.type].category not in ("passive", "power", "input", "sensor")]
    for n in switches:
        for _ in range(n.qty):
            feed = _next_feed(ctx, loads)
            if feed is None:
                b.unmet(f"{n.phrase}: there is no load for it to switch and no controller to read it.")
                return
            load, wire, rail = feed
            loads.remove(load)
            _insert(ctx, n, load, wire, rail)


def _next_feed(ctx: PlanContext, loads):
    """(load part, the wire that feeds it from a rail, that rail) of the next load fed directly."""
    b = ctx.b
    rails = {r.endpoint: r for r in b.rails}
    for part in loads:
        served = {part.id} | {p.id for p in b.plan.parts if p.serves == part.id}
        for w in b.plan.wires:
            for rail_ep, other in ((w.a, w.b), (w.b, w.a)):
                if rail_ep in rails and other.split(":", 1)[0] in served:
                    return part, w, rails[rail_ep]
    return None


def _insert(ctx: PlanContext, n: Need, load, wire, rail) -> None:
    b = ctx.b
    rec = b.lib[load.type]
    srec = b.lib[n.key]
    c1, c2 = (srec.spice.terminals + ["", ""])[:2] if len(srec.spice.terminals) >= 2 else P.two_terminals(srec)
    _, i, peak = load_ratings(rec, load.attrs)
    if P.led_pins(rec)[0]:
        i = peak = rec.ratings.if_nom or 0.02
    rating = srec.ratings.i_rated
    fed = wire.b if wire.a == rail.endpoint else wire.a
    sid = b.add(n.key, f"{n.phrase}: switches {load.id} by hand (no controller)", dict(n.attrs))
    if rating is None or peak <= CONTACT_MARGIN * rating:
        b.plan.wires.remove(wire)
        b._wired.discard(frozenset((wire.a, wire.b)))
        b.wire(rail.endpoint, f"{sid}:{c1}", "power", f"{rail.name} through {sid}")
        b.wire(f"{sid}:{c2}", fed, wire.kind, f"{sid} closes: {load.id} runs")
        b.note(f"{sid} switches {load.id} directly: {format_value(peak, 'A')} is within its "
               f"{format_value(rating, 'A') if rating else 'unrated'} contact.")
        return
    # too much for the contact: it drives a transistor that carries the load on its low side
    plus, minus = P.two_terminals(rec)
    ground = b.ground
    gwire = next((w for w in b.plan.wires if {w.a, w.b} == {f"{load.id}:{minus}", ground}), None)
    qkey = pick_bjt(b.lib, rail.volts, peak, named=named_keys(ctx))
    if gwire is None or qkey is None:
        b.unmet(f"{load.id} draws {format_value(peak, 'A')}, more than {sid}'s contact, and no transistor fits.")
        return
    qid = b.add(qkey, f"carries {load.id}'s current; {sid} drives its base")
    bp, cp, ep = P.bjt_pins(b.rec(qid))
    b.plan.wires.remove(gwire)
    b._wired.discard(frozenset((gwire.a, gwire.b)))
    b.wire(f"{load.id}:{minus}", f"{qid}:{cp}", "load", f"{qid} collector sinks {load.id}")
    b.to_ground(f"{qid}:{ep}", "emitter to ground")
    rb, formula, why = base_resistor(b.rec(qid), rail.volts, peak, None)
    rid = b.add("resistor", f"base resistor of {qid}", serves=qid)
    r1, r2 = two(ctx, rid)
    b.power(f"{sid}:{c1}", rail, 0.0, f"{rail.name} to {sid}")
    b.wire(f"{sid}:{c2}", f"{rid}:{r1}", "signal", f"{sid} closes: base current flows")
    b.wire(f"{rid}:{r2}", f"{qid}:{bp}", "signal", f"base of {qid}")
    b.value(rid, rb, "Ω", formula, why)
    if rec.flags.inductive:
        add_flyback(ctx, load.id, f"{load.id}:{plus}", f"{load.id}:{minus}", rail.volts, peak, fast=False)
    b.note(f"{load.id} draws {format_value(peak, 'A')}, more than {sid}'s {format_value(rating, 'A')} contact: "
           f"{sid} switches {qid}'s base and {qid} carries the load.")
