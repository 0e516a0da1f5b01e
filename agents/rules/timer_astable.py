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
from agents.rules.decoupling import add_cap, cap_key, cap_rating
from agents.rules.led_resistor import CannotLight, led_resistor
from agents.rules.load_switch import add_flyback, can_drive_directly, load_ratings, low_side_switch
from agents.rules.values import size_block
from circuit.requirement_gate import family
from circuit.sizing.blocks import make_block
from circuit.sizing.blocks.timer_outputs import fade_stage
from circuit.sizing.spec import Spec
from circuit.switch_choice import pick_bjt
from circuit.timer_reading import supply_range
from circuit.units import format_value
from knowledge.preference import commonness_rank
from knowledge.role_defaults import default_part

TIMER_PINS = ("TRIG", "THR", "DISCH", "CTRL", "RESET", "OUT", "VCC")
BLINK_HZ = 1.0  # an LED blinker: about once a second, slow enough to see
FADE_HZ = 0.3  # a breathing light: about three seconds a breath
DELAY_S = 5.0  # a delay-on with no stated time: a few seconds
TONE_HZ = 1000.0  # a sounder without its own oscillator: a clear tone in the ear's most sensitive octaves


def is_555(rec) -> bool:
    """A timer with the 555's pins (trigger, threshold, discharge, output)."""
    return all(rec.pin(n) is not None for n in TIMER_PINS)


def timer_for(lib, volts: float, key: str) -> str:
    """``key`` when its supply range takes ``volts``; else the library's 555 whose range does (the most common
    first), else ``key``."""
    lo, hi = supply_range(lib[key])
    if lo <= volts <= hi:
        return key
    fits = [r for r in lib if is_555(r) and supply_range(r)[0] <= volts <= supply_range(r)[1]]
    fits.sort(key=lambda r: (commonness_rank(r), r.key))
    return fits[0].key if fits else key


def output_drop(rec) -> float:
    """How far below the supply the 555's output high sits (record ``spice.params.v_drop_high``; the NE555
    datasheet's VOH, VCC − 1.7 V, where the record states none)."""
    return float(rec.spice.params.get("v_drop_high", 1.7))


def output_high(rec, volts: float) -> float:
    """The 555's output HIGH level at this supply: the supply less its record's drop (``spice.params.v_drop_high``;
    the NE555 datasheet's VOH, VCC - 1.7 V, where the record states none)."""
    return max(volts - output_drop(rec), 0.5)


def sizing_env(rec, volts: float) -> dict:
    """The 555 sizing blocks' env for this timer at this supply: its own supply range."""
    lo, hi = supply_range(rec)
    return {"vcc": volts, "v_min": lo, "v_max": hi, "v_drop": output_drop(rec)}


def block_timer_astable(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    b = ctx.b
    timer = next((n for ns in by_kind.values() for n in ns if n.key and is_555(b.lib[n.key])), None)
    if timer is None:
        return set()
    rail = supply_rail(ctx, None)
    if rail is not None:
        # a timer the request did not name, or named by its bare number ("a 555"), runs from the supply there
        # is: the 555 (same pins, same timing) whose record's supply range takes it ("flashing LEDs on one
        # Li-ion cell": a CMOS 555 from 2 V); a part number named in full stays
        fits = timer_for(b.lib, rail.volts, timer.key)
        if not timer.explicit or fits in family(timer.key, b.lib, timer.phrase):
            timer.key = fits
    rec = b.lib[timer.key]
    lo, hi = supply_range(rec)
    if rail is None or not lo <= rail.volts <= hi:
        rail = ctx.power.source_for(9.0, 0.1, f"supply for the {rec.name} ({lo:g}-{hi:g} V)")
    if rail is None:
        b.unmet(f"No {lo:g}-{hi:g} V supply in the library for the {rec.name}.")
        return set()
    v = rail.volts
    button = (by_kind.get("button") or [None])[0]
    behaviour = ctx.ident.behaviour
    if behaviour == "delay":
        return _delay_on(ctx, timer, button, rail, by_kind)
    if behaviour == "one-shot" or (behaviour is None and button is not None and board is None):
        if button is None:
            b.unmet(f"The {rec.name} one-shot needs something to start it: no button or trigger input is asked for.")
            return set()
        return _monostable(ctx, timer, button, rail, by_kind)
    # a load that sounds only on a square wave (record: signal_drive) is driven at a tone a person hears
    tone = any(b.lib[n.key].requires.signal_drive for k in ("load", "relay_coil") for n in by_kind.get(k, []))
    fade = behaviour == "fade" and bool(by_kind.get("led"))
    f = ctx.ident.numbers.get("frequency_hz") or ctx.ident.numbers.get("cutoff_hz") or (
        TONE_HZ if tone else FADE_HZ if fade else BLINK_HZ)
    c = 10e-6 if f < 10 else (100e-9 if f < 1e3 else 10e-9)
    rb = 0.4 / (f * c * 0.693 * 1.25)  # RA ≈ RB/4: about 55 % duty
    analytic = {"RA": max(rb / 4, 1e3), "RB": rb, "C1": c}
    s = size_block("ne555_astable", sizing_env(rec, v), [("frequency", "=", f, 0.05)], analytic)
    ra, rb, c = s.values["RA"], s.values["RB"], s.values["C1"]
    formula = (f"f = 1.44/((RA + 2·RB)·C) = 1.44/(({format_value(ra, 'Ω')} + 2×{format_value(rb, 'Ω')})"
               f"×{format_value(c, 'F')}) = {1.44 / ((ra + 2 * rb) * c):.3g} Hz")

    u = b.add(timer.key, f"{rec.name} astable oscillator ({f:g} Hz)", dict(timer.attrs))
    pn = {n: rec.pin(n).name for n in TIMER_PINS}
    _power_up(b, u, pn, rec, rail)
    b.wire(f"{u}:{pn['TRIG']}", f"{u}:{pn['THR']}", "signal", "TRIG and THR together: the capacitor sets both")
    ra_id = b.add("resistor", "RA: charges the timing capacitor", serves=u)
    rb_id = b.add("resistor", "RB: charges and discharges the timing capacitor", serves=u)
    a1, a2 = two(ctx, ra_id)
    b1, b2 = two(ctx, rb_id)
    b.power(f"{ra_id}:{a1}", rail, v / (ra + rb), "RA from the supply")
    b.wire(f"{ra_id}:{a2}", f"{u}:{pn['DISCH']}", "signal", "RA to DISCH")
    b.wire(f"{rb_id}:{b1}", f"{u}:{pn['DISCH']}", "signal", "RB from DISCH")
    b.wire(f"{rb_id}:{b2}", f"{u}:{pn['THR']}", "signal", "RB to THR/TRIG")
    b.value(ra_id, ra, "Ω", formula, f"RA ({s.method})")
    b.value(rb_id, rb, "Ω", formula, f"RB ({s.method})")
    key = _timing_cap(b, u, pn, c, v, formula, s.method, "THR/TRIG")
    if key is None:
        return set()
    _bypass(b, u, pn, v, key)
    used = {id(timer)}
    out = rec.pin(pn["OUT"])
    # OUT swings to VCC less its record's drop (NE555 datasheet VOH: VCC − 1.7 V; a CMOS 555 nearly to VDD)
    v_high = output_high(rec, v)
    counter = _counter(b, by_kind)
    if counter is not None and by_kind.get("led"):
        used |= _clock_counter(ctx, counter, rail, f"{u}:{pn['OUT']}", by_kind)
        b.note(f"{u} clocks the counter at about {f:g} Hz from {format_value(v, 'V')}.")
        return used
    if fade:
        used |= _fade_leds(ctx, u, f"{u}:{pn['OUT']}", rail, {"RA": ra, "RB": rb, "C1": c}, by_kind)
        used |= _drive_loads(ctx, u, f"{u}:{pn['OUT']}", out, v, by_kind, f"at {f:g} Hz")
        b.note(f"{u} runs as an astable oscillator at about {f:g} Hz from {format_value(v, 'V')}; its output, "
               f"smoothed by a resistor and a large capacitor, ramps the LED current up and down.")
        return used
    used |= _leds_on_output(ctx, u, f"{u}:{pn['OUT']}", out, v_high, by_kind, "LED blinked by {u}",
                            alternate=(behaviour == "alternate", rail))
    used |= _drive_loads(ctx, u, f"{u}:{pn['OUT']}", out, v, by_kind, f"at {f:g} Hz")
    b.note(f"{u} runs as an astable oscillator at about {f:g} Hz from {format_value(v, 'V')}.")
    return used


def _counter(b, by_kind):
    """A counter the 555 clocks: a part with a clock input and several outputs that are not its own clock."""
    for ns in by_kind.values():
        for n in ns:
            rec = b.lib[n.key]
            clock = [p for p in rec.pins if p.type == "digital_in" and "clock" in p.functions]
            outs = [p for p in rec.pins if p.type == "digital_out" and "clock" not in p.functions]
            if clock and len(outs) >= 4 and not is_555(rec):
                return n
    return None


def _clock_counter(ctx: PlanContext, n, rail, clock_ep: str, by_kind) -> set[int]:
    """The 555's output clocks the counter; its outputs light the LEDs in turn, each through its own resistor;
    its reset and clock-inhibit inputs are held low (record: tie them low when unused)."""
    b = ctx.b
    rec = b.lib[n.key]
    cid = b.add(n.key, "counter: lights one output after another", dict(n.attrs))
    for p in P.power_in_pins(rec):
        b.power(f"{cid}:{p.name}", rail, rec.supply.current_max or 0.001, f"{rail.name} powers {cid}")
    for g in P.ground_pins(rec):
        b.to_ground(f"{cid}:{g.name}", f"{cid} ground")
    clock = next(p for p in rec.pins if p.type == "digital_in" and "clock" in p.functions)
    b.wire(clock_ep, f"{cid}:{clock.name}", "signal", f"the 555 clocks {cid}")
    for p in rec.pins:
        if p.type == "digital_in" and p is not clock and set(p.functions) & {"reset", "enable"}:
            b.to_ground(f"{cid}:{p.name}", f"{p.name} held low (not used)")
    add_cap(b, rail.endpoint, 100e-9, f"decoupling for {cid}", cid, volts=rail.volts)
    outs = [p for p in rec.pins if p.type == "digital_out" and "clock" not in p.functions]
    outs.sort(key=lambda p: (len(p.name), p.name))
    used = {id(n)}
    leds = [(m, i) for m in by_kind.get("led", []) for i in range(m.qty)]
    for (m, _), out in zip(leds, outs):
        lrec = b.lib[m.key]
        la, lk = P.two_terminals(lrec)
        lid = b.add(m.key, f"LED on {cid}:{out.name}", dict(m.attrs))
        lr = led_resistor(rail.volts, P.vf_of(lrec, m.attrs), lrec.ratings.if_nom, out.i_max)
        rid = b.add("resistor", f"current limit for {lid}", serves=lid)
        r1, r2 = two(ctx, rid)
        b.wire(f"{cid}:{out.name}", f"{rid}:{r1}", "signal", f"{cid} output {out.name} drives {lid}")
        b.wire(f"{rid}:{r2}", f"{lid}:{la}", "signal", "into the LED")
        b.to_ground(f"{lid}:{lk}", "LED cathode to ground")
        b.value(rid, lr.ohms, "Ω", lr.formula, lr.why)
        used.add(id(m))
    if len(leds) > len(outs):
        b.note(f"{cid} has {len(outs)} outputs: {len(leds) - len(outs)} LEDs are left over.")
    return used


ONE_SHOT_S = 5.0  # a one-shot timer with no stated length: a few seconds


def _monostable(ctx: PlanContext, timer, button, rail, by_kind) -> set[int]:
    """The 555 one-shot of its datasheet ('circuit for monostable operation'): TRIG held high by a resistor,
    the button pulls it low and starts one output pulse of t = 1.1·R·C; THR and DISCH tied, R from VCC,
    C to ground. The output drives what the request switches for the length of the pulse."""
    b = ctx.b
    rec = b.lib[timer.key]
    v = rail.volts
    t_s = ctx.ident.numbers.get("duration_s") or ONE_SHOT_S
    c = 100e-6 if t_s >= 5 else (10e-6 if t_s >= 0.5 else 1e-6)
    s = size_block("ne555_monostable", sizing_env(rec, v), [("pulse_width", "=", t_s, 0.05)],
                   {"R1": t_s / (1.1 * c), "C1": c})
    r, c = s.values["R1"], s.values["C1"]
    formula = f"t = 1.1·R·C = 1.1 × {format_value(r, 'Ω')} × {format_value(c, 'F')} = {1.1 * r * c:.3g} s"
    u = b.add(timer.key, f"{rec.name} one-shot ({t_s:g} s after the button)", dict(timer.attrs))
    pn = {n: rec.pin(n).name for n in TIMER_PINS}
    _power_up(b, u, pn, rec, rail)
    b.wire(f"{u}:{pn['THR']}", f"{u}:{pn['DISCH']}", "signal", "THR and DISCH together: the capacitor's node")
    rid = b.add("resistor", "R: charges the timing capacitor", serves=u)
    a1, a2 = two(ctx, rid)
    b.power(f"{rid}:{a1}", rail, v / r, "R from the supply")
    b.wire(f"{rid}:{a2}", f"{u}:{pn['THR']}", "signal", "R to THR/DISCH")
    b.value(rid, r, "Ω", formula, f"sets the pulse length ({s.method})")
    key = _timing_cap(b, u, pn, c, v, formula, s.method, "THR/DISCH")
    if key is None:
        return set()
    # the trigger: held high, the button pulls it low
    pu = b.add("resistor", "TRIG pull-up (idle high)", serves=u)
    p1, p2 = two(ctx, pu)
    b.power(f"{pu}:{p1}", rail, v / 10e3, "TRIG pull-up")
    b.wire(f"{pu}:{p2}", f"{u}:{pn['TRIG']}", "signal", "TRIG idles high")
    b.value(pu, 10e3, "Ω", "10 kΩ", "holds TRIG above 1/3 VCC until the button is pressed")
    sw = b.add(button.key, "starts the timer", dict(button.attrs))
    s1, s2 = P.two_terminals(b.lib[button.key])
    b.wire(f"{sw}:{s1}", f"{u}:{pn['TRIG']}", "signal", "the button pulls TRIG low: the pulse starts")
    b.to_ground(f"{sw}:{s2}", "button to ground")
    _bypass(b, u, pn, v, key)
    used = {id(timer), id(button)}
    out_ep = f"{u}:{pn['OUT']}"
    out = rec.pin(pn["OUT"])
    used |= _leds_on_output(ctx, u, out_ep, out, output_high(rec, v), by_kind, "LED lit by {u} for the pulse")
    used |= _drive_loads(ctx, u, out_ep, out, v, by_kind, "for the pulse")
    b.note(f"{u} runs as a one-shot: a press of {sw} sets its output high for about {1.1 * r * c:.3g} s.")
    return used


def _fade_leds(ctx: PlanContext, u: str, out_ep: str, rail, astable: dict[str, float], by_kind) -> set[int]:
    """The breathing stage: OUT through RF into a large CF, and an NPN that the capacitor's ramps drive, so
    the LED current follows them. Where the timer's output (its record's drop below the supply) leaves a VBE
    and the LED's drop under the ramp with room to spare, an emitter follower (block ``ne555_fade``: collector
    on the rail, each LED through its RL from the emitter); on a lower supply (3 V) the follower would light
    nothing, so the low-side stage (block ``ne555_fade_sink``: CF drives the base through RBASE, each LED and
    its RL hang from the rail into the collector). The values are sized by simulating the chosen stage."""
    b, used = ctx.b, set()
    leds = [(n, i) for n in by_kind.get("led", []) for i in range(n.qty)]
    if not leds:
        return used
    first = leds[0][0]
    lrec = b.lib[first.key]
    vf = P.vf_of(lrec, first.attrs)
    i_led = 0.75 * (lrec.ratings.if_nom or 0.02)
    env = {**sizing_env(b.rec(u), rail.volts), **astable, "vf": vf, "i_led": i_led}
    stage = fade_stage(env)
    try:
        blk = make_block(stage, env)
        blk.check_feasible({})
        analytic = blk.guess({})
    except Exception as e:  # the stage cannot be built at this supply (the block says why)
        b.unmet(f"The LEDs should fade with no controller, but {e}.")
        return used
    s = size_block(stage, env, [], analytic)
    rf, cf, rl = s.values["RF"], s.values["CF"], s.values["RL"]
    tau = f"τ = RF·CF = {format_value(rf, 'Ω')} × {format_value(cf, 'F')} = {rf * cf:.3g} s"
    qkey = pick_bjt(b.lib, rail.volts, i_led * len(leds))
    if qkey is None:
        b.unmet("The LEDs should fade with no controller, but the library has no NPN transistor to follow the ramp.")
        return used
    rid = b.add("resistor", "RF: smooths the timer's output into a ramp", serves=u)
    r1, r2 = two(ctx, rid)
    b.wire(out_ep, f"{rid}:{r1}", "signal", f"{u} output into the ramp filter")
    b.value(rid, rf, "Ω", tau, f"with CF sets how slowly the light swells and dims ({s.method})")
    ckey = cap_key(b, polarized=True)
    if ckey is None:
        b.unmet("The library has no capacitor for the fade's ramp.")
        return used
    cid = b.add(ckey, "CF: the ramp the LED follows", serves=u)
    k1, k2 = P.two_terminals(b.lib[ckey])
    b.wire(f"{rid}:{r2}", f"{cid}:{k1}", "signal", "RF into CF: the ramp node")
    b.to_ground(f"{cid}:{k2}", "CF to ground")
    b.value(cid, cf, "F", tau, f"ramp capacitor ({s.method})")
    if b.lib[ckey].ratings.v_rated is not None and b.lib[ckey].ratings.v_rated < 1.5 * rail.volts:
        b.set_attr(cid, "voltage", format_value(cap_rating(rail.volts), "V"))
    qrec = b.lib[qkey]
    qc, qb, qe = qrec.spice.terminals[:3]
    got = s.measures
    shown = (f"simulated: the LED current ramps {got['ramp'] * 100:.0f} % of each period up to "
             f"{got['i_peak'] * 1e3:.3g} mA" if got.get("ramp") is not None else "the stage's closed form")
    if stage != "ne555_fade":
        return used | _sink_stage(ctx, u, rail, leds, (qkey, qc, qb, qe), (cid, k1), s, shown, i_led)
    qid = b.add(qkey, "emitter follower: the LED current follows the ramp", serves=u)
    b.power(f"{qid}:{qc}", rail, i_led * len(leds), f"{rail.name} feeds the follower's collector")
    b.wire(f"{cid}:{k1}", f"{qid}:{qb}", "signal", "the ramp drives the follower's base")
    for n, _ in leds:
        nrec = b.lib[n.key]
        la, lk = P.two_terminals(nrec)
        lid = b.add(n.key, f"LED faded by {u}", dict(n.attrs))
        rl_id = b.add("resistor", f"RL: sets the peak current of {lid}", serves=lid)
        a1, a2 = two(ctx, rl_id)
        b.wire(f"{qid}:{qe}", f"{rl_id}:{a1}", "signal", "from the follower's emitter")
        b.wire(f"{rl_id}:{a2}", f"{lid}:{la}", "signal", "into the LED")
        b.to_ground(f"{lid}:{lk}", "LED cathode to ground")
        b.value(rl_id, rl, "Ω", f"I_peak = (V_CF,max − VBE − Vf)/RL ({shown})", f"peak LED current ({s.method})")
        used.add(id(n))
    return used


def _sink_stage(ctx: PlanContext, u: str, rail, leds, q, ramp, s, shown: str, i_led: float) -> set[int]:
    """The low-side fade stage (block ``ne555_fade_sink``): CF's ramp into the NPN's base through RBASE, the
    emitter on ground, each LED and its RL from the rail into the collector."""
    b, used = ctx.b, set()
    qkey, qc, qb, qe = q
    cid, node = ramp
    qid = b.add(qkey, "low-side switch: the LED current follows the ramp on its base", serves=u)
    rbid = b.add("resistor", "RBASE: the ramp's current into the transistor's base", serves=u)
    r1, r2 = two(ctx, rbid)
    b.wire(f"{cid}:{node}", f"{rbid}:{r1}", "signal", "the ramp into the base resistor")
    b.wire(f"{rbid}:{r2}", f"{qid}:{qb}", "signal", "the base resistor to the transistor's base")
    b.to_ground(f"{qid}:{qe}", "emitter to ground")
    b.value(rbid, s.values["RBASE"], "Ω", f"I_B = (V_CF − VBE)/RBASE; I_LED = β·I_B up to RL's limit ({shown})",
            f"sets how far up the ramp the LED reaches full brightness ({s.method})")
    for n, _ in leds:
        nrec = b.lib[n.key]
        la, lk = P.two_terminals(nrec)
        lid = b.add(n.key, f"LED faded by {u}", dict(n.attrs))
        rl_id = b.add("resistor", f"RL: sets the peak current of {lid}", serves=lid)
        a1, a2 = two(ctx, rl_id)
        b.power(f"{rl_id}:{a1}", rail, i_led, f"{rail.name} feeds {lid} through its RL")
        b.wire(f"{rl_id}:{a2}", f"{lid}:{la}", "signal", "into the LED")
        b.wire(f"{lid}:{lk}", f"{qid}:{qc}", "load", "LED cathode to the transistor's collector")
        b.value(rl_id, s.values["RL"], "Ω", f"I_peak = (VCC − Vf − VCE(sat))/RL ({shown})",
                f"peak LED current ({s.method})")
        used.add(id(n))
    return used


def _delay_on(ctx: PlanContext, timer, button, rail, by_kind) -> set[int]:
    """The 555 delay-on timer (block ``ne555_delay``): the timing capacitor from the supply to TRIG/THR, R from
    them to a start node. With no button the start node is ground: the output rises t = 1.1·R·C after power-up.
    With a button the start node is pulled up and the button takes it to ground: the output rises t after the
    press while it is held; a diode from the start node to TRIG/THR empties the capacitor when it is let go.
    The output drives what the request switches, as an astable's does."""
    b = ctx.b
    rec = b.lib[timer.key]
    v = rail.volts
    t_s = ctx.ident.numbers.get("duration_s") or DELAY_S
    blk = make_block("ne555_delay", sizing_env(rec, v))
    analytic = blk.guess({"delay": Spec("delay", "=", t_s, 0.05)})
    s = size_block("ne555_delay", sizing_env(rec, v), [("delay", "=", t_s, 0.05)], analytic)
    r, c = s.values["R1"], s.values["C1"]
    formula = f"t = 1.1·R·C = 1.1 × {format_value(r, 'Ω')} × {format_value(c, 'F')} = {1.1 * r * c:.3g} s"
    start = "a press of the button" if button is not None else "power-up"
    u = b.add(timer.key, f"{rec.name} delay-on timer ({t_s:g} s after {start})", dict(timer.attrs))
    pn = {n: rec.pin(n).name for n in TIMER_PINS}
    _power_up(b, u, pn, rec, rail)
    b.wire(f"{u}:{pn['TRIG']}", f"{u}:{pn['THR']}", "signal", "TRIG and THR together: the capacitor's node")
    key = cap_key(b, polarized=c >= 1e-6)
    if key is None:
        b.unmet("The library has no capacitor for the 555's timing.")
        return set()
    cid = b.add(key, "timing capacitor (from the supply: empty at the start)", serves=u)
    k1, k2 = P.two_terminals(b.lib[key])
    b.power(f"{cid}:{k1}", rail, 0.0, "timing capacitor from the supply")
    b.wire(f"{cid}:{k2}", f"{u}:{pn['THR']}", "signal", "timing capacitor on TRIG/THR")
    b.value(cid, c, "F", formula, f"timing capacitor ({s.method})")
    if b.lib[key].ratings.v_rated is not None and b.lib[key].ratings.v_rated < 1.5 * v:
        b.set_attr(cid, "voltage", format_value(cap_rating(v), "V"))
    rid = b.add("resistor", "R: charges the timing capacitor from the start", serves=u)
    a1, a2 = two(ctx, rid)
    b.wire(f"{rid}:{a1}", f"{u}:{pn['THR']}", "signal", "R from TRIG/THR")
    b.value(rid, r, "Ω", formula, f"sets the delay ({s.method})")
    used = {id(timer)}
    if button is None:
        b.to_ground(f"{rid}:{a2}", "R to ground: the delay starts at power-up")
    else:
        pu = b.add("resistor", "start-node pull-up (no press: no delay running)", serves=u)
        p1, p2 = two(ctx, pu)
        b.power(f"{pu}:{p1}", rail, v / 10e3, "start-node pull-up")
        b.wire(f"{pu}:{p2}", f"{rid}:{a2}", "signal", "the start node")
        b.value(pu, 10e3, "Ω", "10 kΩ", "holds the start node high, so the capacitor stays empty until a press")
        sw = b.add(button.key, "starts the delay (held)", dict(button.attrs))
        s1, s2 = P.two_terminals(b.lib[button.key])
        b.wire(f"{sw}:{s1}", f"{rid}:{a2}", "signal", "the button takes the start node to ground")
        b.to_ground(f"{sw}:{s2}", "button to ground")
        dkey = default_part(b.lib, "signal-diode").key
        did = b.add(dkey, "empties the timing capacitor when the button is let go", serves=u)
        d_a, d_k = P.two_terminals(b.lib[dkey])
        b.wire(f"{did}:{d_a}", f"{rid}:{a2}", "signal", "diode from the start node")
        b.wire(f"{did}:{d_k}", f"{u}:{pn['THR']}", "signal", "into TRIG/THR")
        used.add(id(button))
    _bypass(b, u, pn, v, key)
    out_ep = f"{u}:{pn['OUT']}"
    out = rec.pin(pn["OUT"])
    used |= _leds_on_output(ctx, u, out_ep, out, output_high(rec, v), by_kind, "LED lit by {u} after the delay")
    used |= _drive_loads(ctx, u, out_ep, out, v, by_kind, "after the delay")
    b.note(f"{u} runs as a delay-on timer: its output rises about {1.1 * r * c:.3g} s after {start}"
           + (" (held) and falls when the button is let go." if button is not None else "."))
    return used


def _power_up(b, u: str, pn: dict[str, str], rec, rail) -> None:
    b.power(f"{u}:{pn['VCC']}", rail, 0.01, f"{rail.name} powers {u}")
    b.wire(f"{u}:{pn['RESET']}", f"{u}:{pn['VCC']}", "power", "RESET held high (not used)")
    for g in P.ground_pins(rec):
        b.to_ground(f"{u}:{g.name}", f"{u} ground")


def _timing_cap(b, u: str, pn: dict[str, str], c: float, v: float, formula: str, method: str, node: str) -> str | None:
    """The timing capacitor from THR's node to ground, valued and voltage-rated; its library key, or None."""
    key = cap_key(b, polarized=c >= 1e-6)
    if key is None:
        b.unmet("The library has no capacitor for the 555's timing.")
        return None
    cid = b.add(key, "timing capacitor", serves=u)
    k1, k2 = P.two_terminals(b.lib[key])
    b.wire(f"{cid}:{k1}", f"{u}:{pn['THR']}", "signal", f"timing capacitor on {node}")
    b.to_ground(f"{cid}:{k2}", "timing capacitor to ground")
    b.value(cid, c, "F", formula, f"timing capacitor ({method})")
    if b.lib[key].ratings.v_rated is not None and b.lib[key].ratings.v_rated < 1.5 * v:
        b.set_attr(cid, "voltage", format_value(cap_rating(v), "V"))
    return key


def _bypass(b, u: str, pn: dict[str, str], v: float, fallback_key: str) -> None:
    """10 nF on CTRL (datasheet) and 100 nF on VCC."""
    ctl = b.add(cap_key(b) or fallback_key, "CTRL bypass (datasheet: 10 nF to ground)", serves=u)
    t1, t2 = P.two_terminals(b.rec(ctl))
    b.wire(f"{ctl}:{t1}", f"{u}:{pn['CTRL']}", "signal", "CTRL decoupled")
    b.to_ground(f"{ctl}:{t2}", "CTRL capacitor to ground")
    b.value(ctl, 10e-9, "F", "10 nF", "keeps noise off the 2/3 VCC threshold")
    add_cap(b, f"{u}:{pn['VCC']}", 100e-9, f"decoupling for {u}", u, volts=v)


V_OL = 0.1  # the 555's output low level at a few mA (TI NE555 SLFS022: VOL 0.1 V at 10 mA)


def _leds_on_output(ctx: PlanContext, u: str, out_ep: str, out, v_high: float, by_kind, label: str,
                    alternate: tuple[bool, object] = (False, None)) -> set[int]:
    """Each LED asked for, through its current-limit resistor, from the timer's output (high at v_high). To
    alternate (``alternate``: (True, the timer's rail)), every second LED hangs from the rail into the output
    instead: lit while the output is low, so the two sets take turns."""
    b, used = ctx.b, set()
    turns, rail = alternate
    k = 0
    for n in by_kind.get("led", []):
        lrec = b.lib[n.key]
        la, lk = P.two_terminals(lrec)
        for _ in range(n.qty):
            low = turns and rail is not None and k % 2 == 1
            k += 1
            lid = b.add(n.key, label.format(u=u) + (" (while the output is low)" if low else ""), dict(n.attrs))
            vf = P.vf_of(lrec, n.attrs)
            try:
                lr = led_resistor(rail.volts - V_OL if low else v_high, vf, lrec.ratings.if_nom, out.i_max)
            except CannotLight as e:
                b.unmet(f"{lid} on the output of {u} (high at {format_value(v_high, 'V')}): {e}.")
                continue
            rid = b.add("resistor", f"current limit for {lid}", serves=lid)
            r1, r2 = two(ctx, rid)
            if low:
                b.power(f"{lid}:{la}", rail, lrec.ratings.if_nom or 0.01, f"{rail.name} feeds {lid}")
                b.wire(f"{lid}:{lk}", f"{rid}:{r1}", "signal", "out of the LED")
                b.wire(f"{rid}:{r2}", out_ep, "signal", f"{u} output sinks {lid}: lit while it is low")
            else:
                b.wire(out_ep, f"{rid}:{r1}", "signal", f"{u} output drives {lid}")
                b.wire(f"{rid}:{r2}", f"{lid}:{la}", "signal", "into the LED")
                b.to_ground(f"{lid}:{lk}", "LED cathode to ground")
            b.value(rid, lr.ohms, "Ω", lr.formula, lr.why)
        used.add(id(n))
    return used


def _drive_loads(ctx: PlanContext, u: str, out_ep: str, out, v: float, by_kind, how: str) -> set[int]:
    """Loads (a buzzer, a speaker, a relay coil) on the 555's output: directly when the output can carry
    them (record ratings), else through a low-side transistor from a rail they fit."""
    b = ctx.b
    used: set[int] = set()
    for n in [m for k in ("load", "relay_coil") for m in by_kind.get(k, [])]:
        lrec = b.lib[n.key]
        pid = b.add(n.key, f"switched by {u} {how}", dict(n.attrs))
        plus, minus = P.two_terminals(lrec)
        lv, li, peak = load_ratings(lrec, n.attrs)
        if can_drive_directly(lrec, output_high(b.rec(u), v), out.i_max, n.attrs):
            b.wire(out_ep, f"{pid}:{plus}", "signal", f"{u}'s output drives {pid}")
            b.to_ground(f"{pid}:{minus}", f"{pid} return")
        else:
            lr = ctx.power.rail_for(lrec, None, li, lv or v, pid)
            if lr is None:
                b.unmet(f"{pid} needs a {format_value(lv or v, 'V')} supply.")
                continue
            b.power(f"{pid}:{plus}", lr, li, f"{lr.name} powers {pid}")
            low_side_switch(ctx, None, pid, f"{pid}:{minus}", lr.volts, peak, control_ep=out_ep,
                            v_drive=output_high(b.rec(u), v), i_pin=out.i_max)
            if lrec.flags.inductive:
                add_flyback(ctx, pid, f"{pid}:{plus}", f"{pid}:{minus}", lr.volts, peak, fast=False)
        used.add(id(n))
    return used
