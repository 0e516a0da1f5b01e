"""A 555 timer on its own: the astable oscillator of its datasheet (TI NE555 SLFS022, figure 'circuit
for astable operation') blinking an LED, with RA, RB and C sized by the sizing engine.

RA from VCC to DISCH, RB from DISCH to THR, THR and TRIG tied, C from THR to ground, 10 nF on CTRL,
RESET to VCC. f = 1.44 / ((RA + 2·RB)·C). A part is treated as a 555 because its pins are the
555's (trigger, threshold, discharge), never because of a name in the request.
"""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.analog import supply_rail, two
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.values import size_block
from circuit.units import format_value

TIMER_PINS = ("TRIG", "THR", "DISCH", "CTRL", "RESET", "OUT", "VCC")
BLINK_HZ = 1.0  # an LED blinker: about once a second, slow enough to see


def is_555(rec) -> bool:
    """A timer with the 555's pins (trigger, threshold, discharge, output)."""
    return all(rec.pin(n) is not None for n in TIMER_PINS)


def block_timer_astable(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    b = ctx.b
    timer = next((n for ns in by_kind.values() for n in ns if n.key and is_555(b.lib[n.key])), None)
    if timer is None:
        return set()
    rec = b.lib[timer.key]
    rail = supply_rail(ctx, None)
    lo, hi = 4.5, 16.0  # NE555 recommended supply range
    if rail is None or not lo <= rail.volts <= hi:
        rail = ctx.power.source_for(9.0, 0.1, f"supply for the {rec.name} (4.5-16 V)")
    if rail is None:
        b.unmet(f"No 4.5-16 V supply in the library for the {rec.name}.")
        return set()
    v = rail.volts
    f = ctx.ident.numbers.get("cutoff_hz") or BLINK_HZ
    c = 10e-6 if f < 10 else (100e-9 if f < 1e3 else 10e-9)
    rb = 0.4 / (f * c * 0.693 * 1.25)  # RA ≈ RB/4: about 55 % duty
    analytic = {"RA": max(rb / 4, 1e3), "RB": rb, "C1": c}
    s = size_block("ne555_astable", {"vcc": v}, [("frequency", "=", f, 0.05)], analytic)
    ra, rb, c = s.values["RA"], s.values["RB"], s.values["C1"]
    formula = (f"f = 1.44/((RA + 2·RB)·C) = 1.44/(({format_value(ra, 'Ω')} + 2×{format_value(rb, 'Ω')})"
               f"×{format_value(c, 'F')}) = {1.44 / ((ra + 2 * rb) * c):.3g} Hz")

    u = b.add(timer.key, f"{rec.name} astable oscillator ({f:g} Hz)", dict(timer.attrs))
    pn = {n: rec.pin(n).name for n in TIMER_PINS}
    b.power(f"{u}:{pn['VCC']}", rail, 0.01, f"{rail.name} powers {u}")
    b.wire(f"{u}:{pn['RESET']}", f"{u}:{pn['VCC']}", "power", "RESET held high (not used)")
    for g in P.ground_pins(rec):
        b.to_ground(f"{u}:{g.name}", f"{u} ground")
    b.wire(f"{u}:{pn['TRIG']}", f"{u}:{pn['THR']}", "signal", "TRIG and THR together: the capacitor sets both")
    ra_id = b.add("resistor", "RA: charges the timing capacitor", serves=u)
    rb_id = b.add("resistor", "RB: charges and discharges the timing capacitor", serves=u)
    a1, a2 = two(ctx, ra_id)
    b1, b2 = two(ctx, rb_id)
    b.power(f"{ra_id}:{a1}", rail, v / (ra + rb), "RA from the supply")
    b.wire(f"{ra_id}:{a2}", f"{u}:{pn['DISCH']}", "signal", "RA to DISCH")
    b.wire(f"{rb_id}:{b1}", f"{u}:{pn['DISCH']}", "signal", "RB from DISCH")
    b.wire(f"{rb_id}:{b2}", f"{u}:{pn['THR']}", "signal", "RB to THR/TRIG")
    from agents.rules.decoupling import add_cap, cap_key, cap_rating

    key = cap_key(b, polarized=c >= 1e-6)
    if key is None:
        b.unmet("The library has no capacitor for the 555's timing.")
        return set()
    cid = b.add(key, "timing capacitor", serves=u)
    k1, k2 = P.two_terminals(b.lib[key])
    b.wire(f"{cid}:{k1}", f"{u}:{pn['THR']}", "signal", "timing capacitor on THR/TRIG")
    b.to_ground(f"{cid}:{k2}", "timing capacitor to ground")
    b.value(ra_id, ra, "Ω", formula, f"RA ({s.method})")
    b.value(rb_id, rb, "Ω", formula, f"RB ({s.method})")
    b.value(cid, c, "F", formula, f"timing capacitor ({s.method})")
    if b.lib[key].ratings.v_rated is not None and b.lib[key].ratings.v_rated < 1.5 * v:
        b.set_attr(cid, "voltage", format_value(cap_rating(v), "V"))
    ctl = b.add(cap_key(b) or key, "CTRL bypass (datasheet: 10 nF to ground)", serves=u)
    t1, t2 = P.two_terminals(b.rec(ctl))
    b.wire(f"{ctl}:{t1}", f"{u}:{pn['CTRL']}", "signal", "CTRL decoupled")
    b.to_ground(f"{ctl}:{t2}", "CTRL capacitor to ground")
    b.value(ctl, 10e-9, "F", "10 nF", "keeps noise off the 2/3 VCC threshold")
    add_cap(b, f"{u}:{pn['VCC']}", 100e-9, f"decoupling for {u}", u, volts=v)
    used = {id(timer)}
    from agents.rules.led_resistor import led_resistor

    out = rec.pin(pn["OUT"])
    v_high = max(v - 1.7, 0.5)  # OUT swings to VCC − 1.7 V (datasheet VOH)
    for n in by_kind.get("led", []):
        lrec = b.lib[n.key]
        la, lk = P.two_terminals(lrec)
        for _ in range(n.qty):
            lid = b.add(n.key, f"LED blinked by {u}", dict(n.attrs))
            lr = led_resistor(v_high, P.vf_of(lrec, n.attrs), lrec.ratings.if_nom, out.i_max)
            rid = b.add("resistor", f"current limit for {lid}", serves=lid)
            r1, r2 = two(ctx, rid)
            b.wire(f"{u}:{pn['OUT']}", f"{rid}:{r1}", "signal", f"{u} output drives {lid}")
            b.wire(f"{rid}:{r2}", f"{lid}:{la}", "signal", "into the LED")
            b.to_ground(f"{lid}:{lk}", "LED cathode to ground")
            b.value(rid, lr.ohms, "Ω", lr.formula, lr.why)
        used.add(id(n))
    b.note(f"{u} runs as an astable oscillator at about {f:g} Hz from {format_value(v, 'V')}.")
    return used
