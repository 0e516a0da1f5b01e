"""Analog building blocks: voltage divider, RC and LC filters, a regulated DC supply, a
potentiometer rheostat, a transistor switch (light-activated or not), an op-amp gain stage, and
two-terminal resistive sensors (LDR, FSR, flex, thermistor) read through a divider.

Values come from :mod:`agents.rules.values` (the SPICE sizing engine when present, else the
closed-form equations on the E-series) with the math written into the plan.
"""

from __future__ import annotations

from agents.models import Need
from agents.rules import parts as P
from agents.rules.builder import Board, RailInfo
from agents.rules.context import PlanContext
from agents.rules.power_tree import converter_kind, is_converter, source_volts
from agents.rules.values import divider, inverting, lc_lowpass, noninverting, rc_lowpass
from circuit.units import format_value, nearest_e
from knowledge.record import ComponentRecord


# ---- library look-ups by capability -------------------------------------------------------
def key_by_kind(ctx: PlanContext, kind: str, prefer: tuple[str, ...] = (), polarized: bool | None = None) -> str | None:
    lib = ctx.b.lib
    for k in prefer:
        if k in lib and lib[k].spice.kind == kind:
            return k
    cands = [r for r in lib if r.spice.kind == kind]
    if polarized is not None:
        pol = [r for r in cands if r.flags.polarized == polarized]
        cands = pol or cands
    cands.sort(key=lambda r: (len(r.key), r.key))
    return cands[0].key if cands else None


def capacitor(ctx: PlanContext, farads: float) -> str | None:
    return key_by_kind(ctx, "capacitor", polarized=farads >= 1e-6)


def named(by_kind: dict[str, list[Need]], kind: str, spice_kind: str | None, ctx: PlanContext) -> Need | None:
    for n in by_kind.get(kind, []):
        if spice_kind is None or ctx.b.lib[n.key].spice.kind == spice_kind:
            return n
    return None


def pot_pins(rec: ComponentRecord) -> tuple[str, str, str]:
    """(end A, wiper, end B) of a potentiometer."""
    names = [p.name for p in P.unique_pins(rec) if p.type != "nc"]
    wiper = None
    for p in P.unique_pins(rec):
        if p.name.upper() in ("OUT", "W", "WIPER", "SIG", "2") or p.type == "analog_out" or "data" in p.functions:
            wiper = p.name
            break
    if wiper is None and len(names) == 3:
        wiper = names[1]
    ends = [n for n in names if n != wiper]
    return ends[0], wiper, ends[-1]


def _two(ctx: PlanContext, pid: str) -> tuple[str, str]:
    return P.two_terminals(ctx.b.rec(pid))


def supply_rail(ctx: PlanContext, board: Board | None, volts: float | None = None) -> RailInfo | None:
    """The rail an analog block runs from: the board's logic rail, else a named/new source."""
    b = ctx.b
    if volts is not None:
        r = b.find_rail(volts - 0.3, volts + 0.3)
        if r is not None:
            return r
    if board is not None:
        r = ctx.logic_rail(board)
        if r is not None and (volts is None or abs(r.volts - volts) < 0.3):
            return r
    live = [r for r in b.domain_rails() if r.kind in ("regulator", "source")]
    if live and volts is None:
        return sorted(live, key=lambda r: (r.kind != "regulator", r.volts))[0]
    v = volts or ctx.ident.supply_volts or 9.0
    return ctx.power.source_for(v, 0.5, "supply for the circuit")


# ---- blocks ---------------------------------------------------------------------------------
def build_topologies(ctx: PlanContext, board: Board | None, by_kind: dict[str, list[Need]]) -> set[int]:
    used: set[int] = set()
    for topo in ctx.ident.topologies:
        fn = BLOCKS.get(topo)
        if fn is not None:
            used |= fn(ctx, board, by_kind) or set()
    return used


def block_divider(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    if by_kind.get("resistive_sensor"):
        return set()  # the sensor and its fixed resistor are the divider
    for n in by_kind.get("module", []):
        rec = ctx.b.lib[n.key]
        if rec.category == "sensor" and any(p.type == "analog_out" for p in rec.pins):
            return set()  # a sensor module with an analog output is its own divider
    b = ctx.b
    rail = supply_rail(ctx, board)
    if rail is None:
        return set()
    vin = rail.volts
    vout = ctx.ident.numbers.get("vout")
    if not vout or not 0 < vout < vin:
        vout = vin / 2
        if board is not None:
            vout = min(vout, board.logic * 0.9)
    s, formula = divider(vin, vout)
    r1 = b.add("resistor", "divider top (R1)")
    r2 = b.add("resistor", "divider bottom (R2)")
    a1, a2 = _two(ctx, r1)
    c1, c2 = _two(ctx, r2)
    b.power(f"{r1}:{a1}", rail, vin / (s.values["R1"] + s.values["R2"]), "divider input")
    b.wire(f"{r1}:{a2}", f"{r2}:{c1}", "signal", "divider tap (Vout)")
    b.to_ground(f"{r2}:{c2}", "divider bottom")
    b.value(r1, s.values["R1"], "Ω", formula, f"top of the divider ({s.method})")
    b.value(r2, s.values["R2"], "Ω", formula, f"bottom of the divider: the tap sits at {format_value(vout, 'V')}")
    if board is not None:
        alloc = board.alloc.take("adc", r2, "in")
        ep = b.use_pin(board, alloc, f"{r2}:{c1}", "reads the divider's output")
        b.wire(ep, f"{r2}:{c1}", "signal", "divider output to the ADC")
    return {id(n) for n in by_kind.get("passive", []) if b.lib[n.key].spice.kind == "resistor"}


def sensor_divider(ctx: PlanContext, key: str, attrs: dict, board: Board | None) -> str:
    """A two-terminal resistive sensor (LDR, FSR, flex) read through a divider with a fixed
    resistor equal to the geometric mean of its resistance range (best sensitivity)."""
    b = ctx.b
    rec = b.lib[key]
    pid = b.add(key, "resistive sensor (read as a voltage divider)", attrs)
    rail = supply_rail(ctx, board)
    t1, t2 = P.two_terminals(rec)
    r_lo, r_hi = _resistance_range(rec)
    r_fixed = nearest_e((r_lo * r_hi) ** 0.5, "E12")
    rid = b.add("resistor", f"fixed half of {pid}'s divider", serves=pid)
    a1, a2 = _two(ctx, rid)
    if rail is not None:
        b.power(f"{pid}:{t1}", rail, rail.volts / (r_fixed + r_lo), f"{pid} top of the divider")
    b.wire(f"{pid}:{t2}", f"{rid}:{a1}", "signal", "divider tap")
    b.to_ground(f"{rid}:{a2}", "divider bottom")
    v = rail.volts if rail else 5.0
    formula = (f"R = √(R_min × R_max) = √({format_value(r_lo, 'Ω')} × {format_value(r_hi, 'Ω')}) → "
               f"{format_value(r_fixed, 'Ω')}; Vout = {format_value(v, 'V')} × R/(R + R_sensor)")
    b.value(rid, r_fixed, "Ω", formula, f"gives the widest voltage swing over {pid}'s range")
    if board is not None:
        alloc = board.alloc.take("adc", pid, "in")
        ep = b.use_pin(board, alloc, f"{pid} divider", f"reads {pid} as a voltage")
        b.wire(ep, f"{rid}:{a1}", "signal", f"{pid} divider output to the ADC")
    return pid


def _resistance_range(rec: ComponentRecord) -> tuple[float, float]:
    import re

    text = f"{rec.description} {rec.notes}"
    vals = []
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*(k|M)?\s*(?:Ω|ohm|Ohm)", text):
        mult = {"k": 1e3, "M": 1e6}.get(m.group(2) or "", 1.0)
        vals.append(float(m.group(1)) * mult)
    if len(vals) >= 2:
        return max(min(vals), 100.0), max(vals)
    return 1e3, 100e3


def pot_to_adc(ctx: PlanContext, key: str, attrs: dict, board: Board | None) -> str:
    b = ctx.b
    rec = b.lib[key]
    pid = b.add(key, "potentiometer (sets a level the controller reads)", attrs)
    a, w, c = pot_pins(rec)
    rail = supply_rail(ctx, board)
    if rail is not None:
        b.power(f"{pid}:{a}", rail, 0.0005, f"{pid} end to {rail.name}")
    b.to_ground(f"{pid}:{c}", f"{pid} end to ground")
    if board is not None:
        alloc = board.alloc.take("adc", pid, "in")
        ep = b.use_pin(board, alloc, f"{pid}:{w}", f"reads {pid}'s wiper")
        b.wire(ep, f"{pid}:{w}", "signal", f"{pid} wiper to the ADC")
    if not b.plan.part(pid).attrs.get("value"):
        b.value(pid, 10e3, "Ω", "10 kΩ across the rail draws 0.5 mA at 5 V",
                "a standard value: low enough for the ADC's input, high enough to waste little current")
    return pid


def block_rc(ctx: PlanContext, board: Board | None, by_kind, highpass: bool = False) -> set[int]:
    b = ctx.b
    fc = ctx.ident.numbers.get("cutoff_hz") or (1e3 if not highpass else 100.0)
    s, formula = rc_lowpass(fc, highpass=highpass)
    ckey = capacitor(ctx, s.values["C1"])
    if ckey is None:
        b.unmet("The library has no capacitor for the filter.")
        return set()
    r = b.add("resistor", "filter resistor")
    c = b.add(ckey, "filter capacitor")
    r1, r2 = _two(ctx, r)
    c1, c2 = _two(ctx, c)
    if board is not None:
        alloc = board.alloc.take("pwm", r, "out", fallback_gpio=True)
        src = b.use_pin(board, alloc, r, "filter input (PWM)")
    else:
        rail = supply_rail(ctx, board)
        src = rail.endpoint if rail else None
    if highpass:
        if src:
            b.wire(src, f"{c}:{c1}", "signal", "filter input")
        b.wire(f"{c}:{c2}", f"{r}:{r1}", "signal", "filter output")
        b.to_ground(f"{r}:{r2}", "filter resistor to ground")
        out = f"{r}:{r1}"
    else:
        if src:
            b.wire(src, f"{r}:{r1}", "signal", "filter input")
        b.wire(f"{r}:{r2}", f"{c}:{c1}", "signal", "filter output")
        b.to_ground(f"{c}:{c2}", "filter capacitor to ground")
        out = f"{r}:{r2}"
    b.value(r, s.values["R1"], "Ω", formula, f"sets the corner frequency with the capacitor ({s.method})")
    b.value(c, s.values["C1"], "F", formula, f"corner at {format_value(fc, 'Hz')} ({'high' if highpass else 'low'}-pass)")
    if board is not None:
        alloc = board.alloc.take("adc", r, "in")
        ep = b.use_pin(board, alloc, out, "reads the filtered signal")
        b.wire(ep, out, "signal", "filter output to the ADC")
        if not highpass:
            b.note("A PWM pin through this RC low-pass makes a simple DAC: the capacitor averages the PWM.")
    return {id(n) for n in by_kind.get("passive", [])}


def block_lc(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    """LC low-pass between a supply (or a switching regulator's output) and its load: the filtered
    output becomes a rail the loads use."""
    b = ctx.b
    ind = key_by_kind(ctx, "inductor")
    if ind is None:
        b.unmet("The library has no inductor for the LC filter.")
        return set()
    convs = [r for r in b.domain_rails() if r.kind == "regulator"]
    srcs = [r for r in b.domain_rails() if r.kind == "source"]
    switching = bool(convs) or "switching" in " ".join(ctx.ident.notes)
    if convs:
        src = convs[-1]
    elif srcs:
        src = srcs[-1]
    else:
        motors = [n for n in by_kind.get("motor", []) + by_kind.get("load", [])]
        v = ctx.ident.load_volts or ctx.ident.supply_volts
        if v is None and motors:
            v = P.supply_range(b.lib[motors[0].key])[1]
        src = ctx.power.source_for(v or 12.0, 2.0, "supply whose noise is filtered")
    if src is None:
        return set()
    fc = ctx.ident.numbers.get("cutoff_hz")
    if switching:
        l, fc = 10e-6, fc or 5e3
        why = "well below the regulator's switching frequency (LM2596: 150 kHz), so its ripple is attenuated ~40 dB/decade"
    else:
        l, fc = 100e-6, fc or 1e3
        why = "below the motor's PWM and brush noise, so the line stays quiet"
    vals, formula = lc_lowpass(fc, l)
    ckey = capacitor(ctx, vals["C1"])
    lid = b.add(ind, "LC filter inductor (series)")
    cid = b.add(ckey, "LC filter capacitor (shunt)") if ckey else None
    l1, l2 = _two(ctx, lid)
    b.power(f"{lid}:{l1}", src, 0.0, f"{src.name} into the filter")
    b.value(lid, vals["L1"], "H", formula, f"series choke: blocks the noise, passes DC ({why})")
    out_ep = f"{lid}:{l2}"
    if cid:
        c1, c2 = _two(ctx, cid)
        b.wire(out_ep, f"{cid}:{c1}", "power", "filter output")
        b.to_ground(f"{cid}:{c2}", "filter capacitor to ground")
        b.value(cid, vals["C1"], "F", formula, "shunt capacitor: shorts the noise to ground above the corner frequency")
        from agents.rules.decoupling import cap_rating

        if (b.lib[ckey].ratings.v_rated or 0) < 1.5 * src.volts:
            b.set_attr(cid, "voltage", format_value(cap_rating(src.volts), "V"))
    i_rating = b.lib[ind].ratings.i_rated
    rail = b.add_rail(f"{src.name}_F", src.volts, out_ep, i_rating or src.budget, lid, kind="regulator")
    b.note(f"The LC filter ({lid}, {cid}) passes DC and attenuates noise above {format_value(vals['f_c'], 'Hz')}; "
           f"its output is the filtered rail {rail.name}. Choose a low-ESR capacitor rated above "
           f"{format_value(src.volts * 1.5, 'V')}, and an inductor rated for the load current.")
    return {id(n) for n in by_kind.get("passive", [])}


def block_dc_supply(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    """DC input → reverse-polarity diode → linear regulator with its capacitors → regulated rail,
    with a power LED."""
    b = ctx.b
    if any(r.kind == "regulator" for r in b.domain_rails()):
        return set()
    vout = ctx.ident.numbers.get("vout") or 5.0
    vin = ctx.ident.supply_volts or 9.0
    src = next((r for r in b.domain_rails() if r.kind == "source"), None) or ctx.power.source_for(vin, 1.0, "DC input")
    if src is None:
        b.unmet("No DC source in the library.")
        return set()
    feed = src
    rail = ctx.power.regulated(feed, vout, 0.2, f"({format_value(vout, 'V')} output)")
    if rail is None:
        return set()
    led = next((n for n in by_kind.get("led", [])), None)
    led_key = led.key if led else ("led-green" if "led-green" in b.lib else ("led" if "led" in b.lib else None))
    if led_key and not by_kind.get("led"):
        from agents.rules.led_driver import add_led

        add_led(ctx, led_key, {}, None, role="power-on indicator")
    b.note(f"Regulated {format_value(rail.volts, 'V')} output at {rail.endpoint}; the input must stay "
           f"{format_value(vout + 2, 'V')} or more for the regulator to hold its output.")
    return set()


def _val(pid, value, formula, why):
    from agents.models import ValueChoice

    return ValueChoice(part=pid, value=value, formula=formula, why=why)


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
    from agents.rules.led_resistor import led_resistor

    lrec = b.lib[led.key]
    vf = P.vf_of(lrec, led.attrs)
    imax = lrec.ratings.if_max or 0.03
    rmin = led_resistor(rail.volts, vf, imax * 0.66)
    pid = b.add(pot.key, "rheostat (variable series resistor)", dict(pot.attrs))
    lid = b.add(led.key, "LED whose brightness the rheostat sets", dict(led.attrs))
    rid = b.add("resistor", "minimum current limit", serves=lid)
    a, w, c = pot_pins(b.lib[pot.key])
    r1, r2 = _two(ctx, rid)
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


def block_transistor_switch(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    """An NPN transistor switching an LED (or a named load): driven by a light sensor's divider or
    digital output, a button, or a controller pin."""
    b = ctx.b
    from agents.rules.led_resistor import led_resistor
    from agents.rules.load_switch import base_resistor, pick_bjt

    rail = supply_rail(ctx, board)
    if rail is None:
        return set()
    used: set[int] = set()
    led = (by_kind.get("led") or [None])[0]
    led_key = led.key if led else ("led" if "led" in b.lib else None)
    if led_key is None:
        return set()
    lrec = b.lib[led_key]
    vf = P.vf_of(lrec, led.attrs if led else {})
    lr = led_resistor(rail.volts - 0.2, vf, lrec.ratings.if_nom)
    qkey = pick_bjt(b.lib, rail.volts, lr.current)
    if qkey is None:
        return set()
    lid = b.add(led_key, "LED switched by the transistor", dict(led.attrs) if led else {})
    rid = b.add("resistor", f"current limit for {lid}", serves=lid)
    qid = b.add(qkey, f"switch for {lid}")
    bp, cp, ep = P.bjt_pins(b.rec(qid))
    la, lk = P.two_terminals(lrec)
    r1, r2 = _two(ctx, rid)
    b.power(f"{rid}:{r1}", rail, lr.current, f"{rail.name} to the LED branch")
    b.wire(f"{rid}:{r2}", f"{lid}:{la}", "signal", "into the LED")
    b.wire(f"{lid}:{lk}", f"{qid}:{cp}", "load", f"{qid} collector sinks the LED current")
    b.to_ground(f"{qid}:{ep}", "emitter to ground")
    b.value(rid, lr.ohms, "Ω", lr.formula.replace(format_value(rail.volts - 0.2, 'V'), f"({format_value(rail.volts, 'V')} − 0.2 V V_CE(sat))"), lr.why)
    if led:
        used.add(id(led))
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
        r_lo, r_hi = _resistance_range(b.lib[sensor.key])
        rtop_exact = (rail.volts - 0.7) / (lr.current / 10)
        rtop = nearest_e(rtop_exact, "E12", "down")
        tid = b.add("resistor", "base divider top (sets the switching point)", serves=qid)
        t1, t2 = _two(ctx, tid)
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
        from agents.rules.module_wiring import wire_module

        mid = b.add(light.key, "sensor that drives the transistor", dict(light.attrs))
        wire_module(ctx, mid, None)
        rec = b.lib[light.key]
        outs = [p for p in P.signal_pins(rec) if p.type == "digital_out"] or [p for p in P.signal_pins(rec) if p.type == "analog_out"]
        if outs:
            drive_ep = f"{mid}:{outs[0].name}"
            i_pin = outs[0].i_max
        used.add(id(light))
    elif board is not None:
        alloc = board.alloc.take("gpio", qid, "out")
        drive_ep = b.use_pin(board, alloc, qid, f"switches {lid} through {qid}")
        v_drive, i_pin = alloc.pin.v_out or board.logic, alloc.pin.i_max
    rb, formula, why = base_resistor(b.rec(qid), v_drive, lr.current, i_pin)
    bid = b.add("resistor", f"base resistor of {qid}", serves=qid)
    b1, b2 = _two(ctx, bid)
    if drive_ep:
        b.wire(drive_ep, f"{bid}:{b1}", "signal", f"drives {qid}")
    else:
        b.power(f"{bid}:{b1}", rail, 0.0, "base drive")
    b.wire(f"{bid}:{b2}", f"{qid}:{bp}", "signal", f"base of {qid}")
    b.value(bid, rb, "Ω", formula, why)
    return used


def block_opamp(ctx: PlanContext, board: Board | None, by_kind, inverting_stage: bool = False) -> set[int]:
    b = ctx.b
    ok = None
    for n in by_kind.get("module", []) + by_kind.get("other", []):
        if b.lib[n.key].spice.kind == "opamp":
            ok = n
    okey = ok.key if ok else key_by_kind(ctx, "opamp", prefer=("lm358", "mcp6002"))
    if okey is None:
        b.unmet("The library has no op-amp.")
        return set()
    rail = supply_rail(ctx, board)
    if rail is None:
        return set()
    g = ctx.ident.numbers.get("gain") or 10.0
    s, formula = (inverting if inverting_stage else noninverting)(g)
    uid = b.add(okey, f"{'inverting' if inverting_stage else 'non-inverting'} amplifier, gain {g:g}")
    rec = b.lib[okey]
    pins = {p.name.upper(): p.name for p in rec.pins}
    inp = next((p.name for p in rec.pins if p.name.upper() in ("IN1+", "+IN", "IN+", "INA+", "1IN+", "NONINV")), None)
    inn = next((p.name for p in rec.pins if p.name.upper() in ("IN1-", "-IN", "IN-", "INA-", "1IN-", "INV")), None)
    out = next((p.name for p in rec.pins if p.name.upper() in ("OUT1", "OUT", "OUTA", "1OUT", "OUT A")), None)
    for p in P.power_in_pins(rec):
        b.power(f"{uid}:{p.name}", rail, 0.001, f"{rail.name} supplies the op-amp")
    b.ground_part(uid)
    from agents.rules.decoupling import add_cap

    add_cap(b, rail.endpoint, 100e-9, f"decoupling for {uid}", uid)
    if not (inp and inn and out):
        b.note(f"{uid}: wire the gain resistors to its inputs and output per its pinout ({', '.join(pins.values())}).")
        return set()
    rf = b.add("resistor", "feedback resistor RF", serves=uid)
    rg = b.add("resistor", "gain resistor RG/RIN", serves=uid)
    f1, f2 = _two(ctx, rf)
    g1, g2 = _two(ctx, rg)
    b.wire(f"{uid}:{out}", f"{rf}:{f1}", "signal", "feedback from the output")
    b.wire(f"{rf}:{f2}", f"{uid}:{inn}", "signal", "into the inverting input")
    b.wire(f"{rg}:{g1}", f"{uid}:{inn}", "signal", "gain-setting resistor")
    b.value(rf, s.values["RF"], "Ω", formula, f"sets the gain with {rg} ({s.method})")
    b.value(rg, s.values.get("RG", s.values.get("RIN", 10e3)), "Ω", formula, "sets the gain with RF")
    # the input: a named sensor's analog output, else a potentiometer as a test source
    src_ep = None
    for n in by_kind.get("module", []):
        rec2 = b.lib[n.key]
        outs = [p for p in P.signal_pins(rec2) if p.type == "analog_out"]
        if outs:
            from agents.rules.module_wiring import wire_module

            mid = b.add(n.key, "signal source for the amplifier", dict(n.attrs))
            wire_module(ctx, mid, None)
            src_ep = f"{mid}:{outs[0].name}"
            break
    if inverting_stage:
        bias = _mid_bias(ctx, rail, uid)
        b.wire(bias, f"{uid}:{inp}", "signal", "non-inverting input at mid-supply")
        if src_ep:
            b.wire(src_ep, f"{rg}:{g2}", "signal", "input signal")
    else:
        b.to_ground(f"{rg}:{g2}", "RG to ground")
        if src_ep:
            b.wire(src_ep, f"{uid}:{inp}", "signal", "input signal")
        else:
            b.to_ground(f"{uid}:{inp}", "input (connect your signal here)")
    if board is not None:
        alloc = board.alloc.take("adc", uid, "in")
        ep = b.use_pin(board, alloc, f"{uid}:{out}", "reads the amplifier's output")
        b.wire(ep, f"{uid}:{out}", "signal", "amplifier output to the ADC")
    return {id(ok)} if ok else set()


def _mid_bias(ctx: PlanContext, rail: RailInfo, uid: str) -> str:
    b = ctx.b
    r1 = b.add("resistor", "mid-supply bias (top)", serves=uid)
    r2 = b.add("resistor", "mid-supply bias (bottom)", serves=uid)
    a1, a2 = _two(ctx, r1)
    c1, c2 = _two(ctx, r2)
    b.power(f"{r1}:{a1}", rail, rail.volts / 20e3, "bias divider")
    b.wire(f"{r1}:{a2}", f"{r2}:{c1}", "signal", "mid-supply point")
    b.to_ground(f"{r2}:{c2}", "bias divider bottom")
    for r in (r1, r2):
        b.value(r, 10e3, "Ω", "equal resistors: V = Vcc/2", "biases a single-supply amplifier at mid-supply")
    return f"{r2}:{c1}"


BLOCKS = {
    "divider": block_divider,
    "rc_lowpass": block_rc,
    "rc_highpass": lambda c, bd, k: block_rc(c, bd, k, highpass=True),
    "lc_lowpass": block_lc,
    "dc_supply": block_dc_supply,
    "rheostat": block_rheostat,
    "transistor_switch": block_transistor_switch,
    "light_sensor_switch": block_transistor_switch,
    "opamp_noninverting": block_opamp,
    "opamp_inverting": lambda c, bd, k: block_opamp(c, bd, k, inverting_stage=True),
}
