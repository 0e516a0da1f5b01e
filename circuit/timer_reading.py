"""What a timer in a finished circuit does, read from its wiring and values and proven by SPICE.

A design with no controller that blinks, flashes, beeps, alternates or times something does what was
asked only when a timing part is wired in the right mode with the right values: a 555 whose TRIG and
THR share the timing capacitor's node runs free (astable); one whose THR and DISCH share it and whose
TRIG is driven from elsewhere gives one pulse per trigger (monostable); one whose TRIG and THR share a capacitor
from the supply that charges through a resistor to a start node, with nothing on DISCH, switches its output high
a set time after the start (delay-on). An astable whose output is smoothed by RF and CF into an NPN emitter follower lighting an
LED fades it: the LED current is simulated and must ramp. The timing network (the
resistors from the supply to DISCH and from DISCH to THR, the capacitor from THR to ground, a steering
diode across RB) is read from the nets, and its frequency, duty cycle or pulse length is measured by
simulating the sizing engine's model of that block (:mod:`circuit.sizing.blocks.timers_regulators`)
with the values the circuit carries; where the simulation cannot run, the datasheet's formula is used
and the reading says so.

The outputs the timer lights or sounds are read too: a load from OUT to ground is on while OUT is high,
one from the supply to OUT is on while it is low; both phases lit is an alternating pair.

Nothing here reads request text: which mode and figure the request asked for is the caller's (the typed
requirement, or a benchmark's expectation). A part is a timer because its pins are the 555's (trigger,
threshold, discharge, output), never because of its name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from circuit.led_colors import forward_voltage
from circuit.model import Circuit, split_endpoint
from circuit.netlist import Net, Netlist
from circuit.sizing.blocks import make_block
from circuit.units import parse_value
from knowledge.library import Library
from knowledge.record import ComponentRecord

TIMER_PINS = ("TRIG", "THR", "DISCH", "CTRL", "RESET", "OUT", "VCC")
OUTPUT_CATEGORIES = ("indicator", "audio", "actuator", "module")
Mode = Literal["astable", "monostable", "delay", "unknown"]


def is_timer(rec: ComponentRecord | None) -> bool:
    """A part with the 555's pins (trigger, threshold, discharge, output)."""
    return rec is not None and all(rec.pin(n) is not None for n in TIMER_PINS)


@dataclass
class TimerReading:
    pid: str
    mode: Mode = "unknown"
    frequency_hz: float | None = None
    duty: float | None = None
    pulse_s: float | None = None
    delay_s: float | None = None           # delay-on: how long after the start the output switches
    fade: dict[str, float] = field(default_factory=dict)  # a fading LED it drives: i_peak, depth, ramp (simulated)
    method: str = ""                       # "SPICE" or "datasheet formula"
    phases: dict[str, list[str]] = field(default_factory=dict)  # "high"/"low" -> outputs lit in that phase
    why: str = ""                          # what could not be read

    @property
    def alternates(self) -> bool:
        return bool(self.phases.get("high")) and bool(self.phases.get("low"))

    def describe(self) -> str:
        if self.mode == "astable" and self.frequency_hz and self.fade:
            return (f"{self.pid} astable at {self.frequency_hz:.3g} Hz fading {', '.join(self.phases.get('fade', []))} "
                    f"(LED current ramps {self.fade['ramp'] * 100:.0f} % of each period, peak "
                    f"{self.fade['i_peak'] * 1e3:.3g} mA, {self.fade['depth'] * 100:.0f} % deep; {self.method})")
        if self.mode == "astable" and self.frequency_hz:
            return f"{self.pid} astable at {self.frequency_hz:.3g} Hz ({self.method})"
        if self.mode == "monostable" and self.pulse_s:
            return f"{self.pid} one-shot of {self.pulse_s:.3g} s ({self.method})"
        if self.mode == "delay" and self.delay_s:
            return f"{self.pid} delay-on of {self.delay_s:.3g} s ({self.method})"
        return f"{self.pid} {self.mode}" + (f" ({self.why})" if self.why else "")


def _value(part, unit: str) -> float | None:
    v = part.attrs.get("value")
    if v is None:
        return None
    try:
        return parse_value(v, unit)
    except ValueError:
        return None


class _Reader:
    def __init__(self, circuit: Circuit, library: Library):
        self.c, self.lib = circuit, library
        self.nl = Netlist(circuit, library)

    def rec(self, pid: str) -> ComponentRecord | None:
        p = self.nl.parts.get(pid)
        return self.lib.get(p.type) if p is not None else None

    def net(self, pid: str, pin: str) -> Net | None:
        rec = self.rec(pid)
        p = rec.pin(pin) if rec is not None else None
        return self.nl.net_of(f"{pid}:{p.name}") if p is not None else None

    def two_ends(self, pid: str) -> tuple[Net | None, Net | None]:
        rec = self.rec(pid)
        if rec is None:
            return None, None
        names = list(rec.spice.terminals[:2]) if len(rec.spice.terminals) >= 2 else [p.name for p in rec.pins[:2]]
        if len(names) < 2:
            return None, None
        return self.nl.net_of(f"{pid}:{names[0]}"), self.nl.net_of(f"{pid}:{names[1]}")

    def between(self, kind: str, a: Net | None, b: Net | None) -> list[str]:
        """Parts of SPICE kind ``kind`` with one end on net ``a`` and the other on ``b`` (None: any net)."""
        out = []
        for pid in self.nl.parts:
            rec = self.rec(pid)
            if rec is None or rec.spice.kind != kind:
                continue
            x, y = self.two_ends(pid)
            if x is None or y is None:
                continue
            if (x is a and (b is None or y is b)) or (y is a and (b is None or x is b)):
                out.append(pid)
        return out

    def other_end(self, pid: str, net: Net) -> Net | None:
        x, y = self.two_ends(pid)
        return y if x is net else x if y is net else None

    def is_ground(self, net: Net | None) -> bool:
        return net is not None and (net.name in self.nl.ground_nets or self.nl.net_voltage(net) == 0.0)

    def rail(self, net: Net | None) -> float | None:
        v = self.nl.net_voltage(net) if net is not None else None
        return v if v else None


def read_timers(circuit: Circuit, library: Library, simulate: bool = True) -> list[TimerReading]:
    """Every 555-like part of the circuit, with its mode, timing and the outputs it drives."""
    r = _Reader(circuit, library)
    out = []
    for pid in r.nl.parts:
        if not is_timer(r.rec(pid)):
            continue
        out.append(_read_one(r, pid, simulate))
    return out


def supply_range(rec: ComponentRecord) -> tuple[float, float]:
    """A timer's recommended supply range from its record (the NE555's 4.5-16 V where it states none)."""
    return rec.supply.v_min or 4.5, rec.supply.v_max or 16.0


def _read_one(r: _Reader, pid: str, simulate: bool) -> TimerReading:
    t = TimerReading(pid)
    trig, thr, dis = r.net(pid, "TRIG"), r.net(pid, "THR"), r.net(pid, "DISCH")
    vcc = r.rail(r.net(pid, "VCC"))
    lo, hi = supply_range(r.rec(pid))
    # (the output's drop below the supply: the record's, else the NE555's VOH)
    span = {"v_min": lo, "v_max": hi, "v_drop": float(r.rec(pid).spice.params.get("v_drop_high", 1.7))}
    if thr is None or trig is None:
        t.why = "its trigger or threshold is not wired"
        return t
    caps = [c for c in r.between("capacitor", thr, None) if r.is_ground(r.other_end(c, thr))]
    c = max((v for x in caps if (v := _value(r.nl.parts[x], "F"))), default=None)
    dis_used = dis is not None and len(set(dis.parts())) > 1
    if trig is thr and not dis_used:
        # delay-on: a capacitor from the supply to TRIG/THR charges through a resistor to a start node (ground,
        # or a node a button takes to ground) and nothing discharges it through DISCH
        t.mode = "delay"
        up = [x for x in r.between("capacitor", thr, None) if r.rail(r.other_end(x, thr))]
        c = max((v for x in up if (v := _value(r.nl.parts[x], "F"))), default=None)
        rs = [x for x in r.between("resistor", thr, None) if not r.rail(r.other_end(x, thr))]
        rv = _value(r.nl.parts[rs[0]], "Ω") if rs else None
        if None in (rv, c, vcc):
            t.why = "its timing resistor, capacitor or supply could not be read"
        else:
            _measure(t, "ne555_delay", {"vcc": vcc, **span}, {"R1": rv, "C1": c}, simulate)
    elif trig is thr and dis is not None and dis is not thr:
        t.mode = "astable"
        rbs = r.between("resistor", dis, thr)
        ras = [x for x in r.between("resistor", dis, None) if r.rail(r.other_end(x, dis))]
        ra = _value(r.nl.parts[ras[0]], "Ω") if ras else None
        rb = _value(r.nl.parts[rbs[0]], "Ω") if rbs else None
        diode = bool(r.between("diode", dis, thr))
        if None in (ra, rb, c, vcc):
            t.why = "its timing resistors, capacitor or supply could not be read"
        else:
            _measure(t, "ne555_astable", {"vcc": vcc, "diode": diode, **span}, {"RA": ra, "RB": rb, "C1": c},
                     simulate)
            _fade(r, pid, t, {"vcc": vcc, **span, "RA": ra, "RB": rb, "C1": c}, simulate)
    elif thr is dis and trig is not thr:
        t.mode = "monostable"
        rs = [x for x in r.between("resistor", thr, None) if r.rail(r.other_end(x, thr))]
        rv = _value(r.nl.parts[rs[0]], "Ω") if rs else None
        if None in (rv, c, vcc):
            t.why = "its timing resistor, capacitor or supply could not be read"
        else:
            _measure(t, "ne555_monostable", {"vcc": vcc, **span}, {"R1": rv, "C1": c}, simulate)
    else:
        t.why = "its trigger, threshold and discharge are wired as neither an astable nor a one-shot"
    _phases(r, pid, t)
    return t


def _measure(t: TimerReading, block: str, env: dict, values: dict, simulate: bool) -> None:
    blk = make_block(block, env)
    blk.env.update(env)  # (the steering diode is a variant of the block, not a condition it keeps)
    got: dict = {}
    if simulate:
        try:
            ev = blk.evaluate(values)
            got = ev.measures if not ev.error else {}
        except Exception:  # the simulator could not run: the datasheet's formula reads it
            got = {}
    t.method = "SPICE" if got else "datasheet formula"
    got = got or (blk.predict(values) or {})
    t.frequency_hz = got.get("frequency")
    t.duty = got.get("duty")
    t.pulse_s = got.get("pulse_width")
    t.delay_s = got.get("delay")


def _phases(r: _Reader, pid: str, t: TimerReading) -> None:
    """The outputs lit while OUT is high (OUT -> [R] -> load -> ground, or through a switch it drives) and
    while it is low (supply -> load -> [R] -> OUT)."""
    out = r.net(pid, "OUT")
    if out is None:
        return
    # the nets one series resistor away from OUT count as OUT (an LED's current limit)
    near = {id(out): out}
    for x in r.between("resistor", out, None):
        n = r.other_end(x, out)
        if n is not None:
            near[id(n)] = n
    # a low-side switch whose control input is OUT's: its switched node is pulled low while OUT is high
    switched = {}
    for qid in r.nl.parts:
        rec = r.rec(qid)
        if rec is None or rec.spice.kind not in ("npn", "nmos") or len(rec.spice.terminals) < 3:
            continue
        top, ctl, bottom = (r.nl.net_of(f"{qid}:{n}") for n in rec.spice.terminals[:3])
        if ctl is not None and id(ctl) in near and top is not None and r.is_ground(bottom):
            switched[id(top)] = top
    for lid, part in r.nl.parts.items():
        rec = r.rec(lid)
        if lid == pid or rec is None or rec.category not in OUTPUT_CATEGORIES or rec.is_mcu:
            continue
        a, k = r.two_ends(lid)
        if a is None or k is None:
            continue
        if id(a) in near and r.is_ground(k):
            t.phases.setdefault("high", []).append(lid)
        elif id(k) in near and r.rail(a):
            t.phases.setdefault("low", []).append(lid)
        elif id(k) in switched and r.rail(a):
            t.phases.setdefault("high", []).append(lid)
        elif id(a) in near or id(k) in near:
            t.phases.setdefault("high", []).append(lid)  # driven from OUT some other way


def _fade(r: _Reader, pid: str, t: TimerReading, env: dict, simulate: bool) -> None:
    """An LED the astable fades: OUT -> RF -> a node with a capacitor to ground, which an NPN follows (base on
    it, collector on a rail), its emitter through RL into the LED to ground (block ``ne555_fade``); or which
    drives an NPN's base through RBASE (emitter on ground), the LED and its RL hanging from a rail into the
    collector (block ``ne555_fade_sink``). The LED current is simulated with the values the circuit carries."""
    out = r.net(pid, "OUT")
    if out is None:
        return
    for rf in r.between("resistor", out, None):
        f = r.other_end(rf, out)
        cfs = [x for x in r.between("capacitor", f, None) if r.is_ground(r.other_end(x, f))]
        cf = max((v for x in cfs if (v := _value(r.nl.parts[x], "F"))), default=None)
        if f is None or cf is None:
            continue
        for col, base, em in _npn_nets(r):
            if base is not f or not r.rail(col) or em is None:
                continue
            for rl in r.between("resistor", em, None):
                a = r.other_end(rl, em)
                for lid in r.nl.parts:
                    lrec = r.rec(lid)
                    if lrec is None or lrec.spice.kind != "led":
                        continue
                    la, lk = r.two_ends(lid)
                    rv = _value(r.nl.parts[rf], "Ω")
                    rlv = _value(r.nl.parts[rl], "Ω")
                    if la is not a or not r.is_ground(lk) or None in (rv, rlv):
                        continue
                    if _show_fade(r, t, "ne555_fade", env, {"RF": rv, "CF": cf, "RL": rlv}, lid, simulate):
                        return
        if _fade_sink(r, t, env, simulate, rf, f, cf):
            return


def _npn_nets(r: _Reader):
    """(collector, base, emitter) nets of each NPN transistor in the netlist."""
    for qid in r.nl.parts:
        rec = r.rec(qid)
        if rec is not None and rec.spice.kind == "npn" and len(rec.spice.terminals) >= 3:
            yield tuple(r.nl.net_of(f"{qid}:{n}") for n in rec.spice.terminals[:3])


def _fade_sink(r: _Reader, t: TimerReading, env: dict, simulate: bool, rf: str, f, cf: float) -> bool:
    """The low-side fade stage on the ramp node ``f``: RBASE from it to an NPN's base, the emitter on ground, an
    LED's cathode on the collector and its anode through RL from a rail. True when a fade was shown."""
    for rb in r.between("resistor", f, None):
        if rb == rf:
            continue
        base = r.other_end(rb, f)
        for col, b, em in _npn_nets(r):
            if b is not base or not r.is_ground(em) or col is None:
                continue
            for lid in r.nl.parts:
                lrec = r.rec(lid)
                if lrec is None or lrec.spice.kind != "led":
                    continue
                la, lk = r.two_ends(lid)
                if lk is not col or la is None:
                    continue
                for rl in r.between("resistor", la, None):
                    if not r.rail(r.other_end(rl, la)):
                        continue
                    vals = {"RF": _value(r.nl.parts[rf], "Ω"), "CF": cf, "RBASE": _value(r.nl.parts[rb], "Ω"),
                            "RL": _value(r.nl.parts[rl], "Ω")}
                    if None in vals.values():
                        continue
                    if _show_fade(r, t, "ne555_fade_sink", env, vals, lid, simulate):
                        return True
    return False


def _show_fade(r: _Reader, t: TimerReading, block: str, env: dict, vals: dict, lid: str, simulate: bool) -> bool:
    """Simulate the fade stage ``block`` with the netlist's values and LED ``lid``; True (and the fade kept on
    ``t``) when the simulation shows one. No simulation, or one that could not run, shows no fade."""
    if not simulate:
        return False
    vf = forward_voltage(r.rec(lid), r.nl.parts[lid].attrs).vf
    try:
        ev = make_block(block, {**env, "vf": vf}).evaluate(vals)
        got = ev.measures if not ev.error else {}
    except Exception:  # the simulator could not run: no fade is shown
        got = {}
    if not got:
        return False
    t.fade = {k: got[k] for k in ("i_peak", "depth", "ramp")}
    t.phases.setdefault("fade", []).append(lid)
    return True


TIMING_MODES = ("blink", "alternate", "one-shot", "delay", "fade")
# a fade: the LED current spends at least this share of each period between 10 % and 90 % of its swing (a blink
# spends almost none), goes at least this deep (1 − min/peak) and peaks at a visible current
FADE_RAMP, FADE_DEPTH, FADE_PEAK_A = 0.3, 0.7, 2e-3
TOLERANCE = 0.2  # a stated figure is met within ±20 % (E-series values and part tolerances)


def answering(readings: list[TimerReading], mode: str, figure: float | None = None,
              tol: float = TOLERANCE) -> TimerReading | None:
    """The timer that does ``mode`` (blink, alternate: an astable lighting its outputs in one phase or in
    both; one-shot: a monostable lighting them for its pulse; delay: a delay-on timer whose output rises after the
    delay, lighting what it drives; fade: an astable whose LED current, simulated, ramps up
    and down) at ``figure`` (Hz for a repeating mode, s for a timed one) within ``tol``; None when none does."""
    for t in readings:
        if mode in ("blink", "alternate") and t.mode == "astable":
            got, shape = t.frequency_hz, (t.alternates if mode == "alternate" else
                                          bool(t.phases.get("high") or t.phases.get("low")))
        elif mode == "one-shot" and t.mode == "monostable":
            got, shape = t.pulse_s, bool(t.phases.get("high"))
        elif mode == "delay" and t.mode == "delay":
            got, shape = t.delay_s, bool(t.phases.get("high"))  # off during the delay, on once the output rises
        elif mode == "fade" and t.mode == "astable" and t.fade:
            got = t.frequency_hz
            shape = (t.fade["ramp"] >= FADE_RAMP and t.fade["depth"] >= FADE_DEPTH
                     and t.fade["i_peak"] >= FADE_PEAK_A)
        else:
            continue
        if shape and (figure is None or (got is not None and abs(got - figure) <= tol * figure)):
            return t
    return None


def driven_by_controller(circuit: Circuit, library: Library) -> bool:
    """A controller is wired in the design: its firmware times the outputs (a board, or a programmable module
    running the design itself, record ``programmable``: an ESP-01 blinking an LED on its own GPIO)."""
    wired = set()
    for conn in circuit.connections:
        for ep in (conn.source, conn.target):
            sp = split_endpoint(ep)
            if sp is not None:
                wired.add(sp[0])
    return any((rec := library.get(p.type)) is not None and (rec.is_mcu or rec.programmable) and p.id in wired
               for p in circuit.parts)


__all__ = ["FADE_DEPTH", "FADE_PEAK_A", "FADE_RAMP", "TIMER_PINS", "TIMING_MODES", "TOLERANCE", "TimerReading", "answering", "driven_by_controller", "is_timer", "read_timers"]
