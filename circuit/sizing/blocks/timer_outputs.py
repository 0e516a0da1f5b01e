"""555 circuits named for what their output does in time: a delay-on timer and a fading (breathing) LED.

Both use the behavioural NE555 of :mod:`circuit.sizing.blocks.timers_regulators` (its comparators at 1/3 and
2/3 VCC, the latch, the output at VCC − 1.7 V).

Delay-on: the timing capacitor C1 hangs from the supply to TRIG and THR, and R1 runs from them to a start node.
Before the start the start node sits at the supply (or the circuit is not yet powered), C1 is empty, THR is above
2/3 VCC and the output is low. At the start (power applied with the start node on ground, or a button pulling it
to ground) C1 charges through R1: TRIG falls, and when it passes 1/3 VCC the output rises,
t = ln3·R1·C1 ≈ 1.1·R1·C1 after the start, and stays high while the start node is held low. With a button, a
pull-up on the start node and a diode from it to TRIG/THR empty C1 at once when the button is let go, so the
output falls (the load goes off) and the next press times afresh.

Fade: an astable (RA, RB, C1) at the breathing rate feeds RF into a large CF; the capacitor's voltage rises and
falls in ramps, an NPN emitter follower copies it (less one VBE) onto the LED through RL, so the LED current
ramps up and down instead of stepping. Measured: the LED current's peak, how dark it gets (``depth``: 1 − min/peak)
and the share of each period it spends between 10 % and 90 % of its swing (``ramp``: about 0 for a blink, 0.8
for a triangle).
"""

from __future__ import annotations

import math

import numpy as np

from circuit.led_colors import COLOUR_VF, DEFAULT_COLOUR
from circuit.sizing.block import Infeasible, Param, Slot, default_key, fmt
from circuit.sizing.devices import device_card, led_model_vf
from circuit.sizing.measure import frequency_and_duty
from circuit.sizing.spec import Spec
from circuit.sizing.blocks.timers_regulators import C_SERIES, LN2, NE555, NE555_PINS, _TIMER_SLOTS, _Timer555
from circuit.units import nearest_e

LN3 = math.log(3)
V_BE = 0.65  # an NPN's base-emitter drop at the milliamps an LED draws
V_DROP = 1.7  # the NE555's output high below VCC (a CMOS 555's record states its own: spice.params.v_drop_high)
V_SAT = 0.2  # an NPN's collector-emitter drop when it is driven hard
FOLLOWER_HEADROOM = 0.8  # V: what the follower's ramp must rise above the LED's drop for a fade to show
SINK_HEADROOM = 0.3  # V: what the supply must leave above the LED's drop and a saturated switch


def timer_model(drop: float) -> str:
    """The behavioural 555 with its output high ``drop`` below the supply (the timer's own record)."""
    return NE555.replace("v(vcc,gnd) - 1.7", f"v(vcc,gnd) - {drop:g}")


class Delay555(_Timer555):
    """t = ln3·R1·C1: the output rises (the load it drives comes on) that long after the start."""

    key = "ne555_delay"
    title = "NE555 delay-on timer"
    description = ("555 timer delay-on (on-delay) timer: a load switches on a set time after power is applied or a "
                   "button is pressed, not at once; a resistor and a capacitor set the delay.")
    measures = {"delay": "s"}
    ports = {"start": "start node: ground, or pulled up and taken to ground by a button", "out": "output (high after the delay)",
             "vcc": "supply", "0": "ground"}
    slots = (
        Slot("delay", "s", "delay: switches on after, comes on later, waits before, turn-on delay, power-on delay",
             required=True, tol=0.1),
    ) + _TIMER_SLOTS

    def params(self):
        return [Param("R1", "R", 1e3, 2.2e6, tolerance=0.05), Param("C1", "C", 1e-9, 1000e-6, series=C_SERIES)]

    def guess(self, specs):
        t = specs["delay"].target
        c = nearest_e(min(max(t / (LN3 * 220e3), 1e-9), 1000e-6), C_SERIES)  # R1 near 220 kΩ
        return {"R1": t / (LN3 * c), "C1": c}

    def predict(self, v):
        return {"delay": LN3 * v["R1"] * v["C1"]}

    def build(self, v):
        return (f"C1 vcc thr {fmt(v['C1'])} IC=0\nR1 thr start {fmt(v['R1'])}\nCCTRL ctrl 0 10n\n"
                f"{NE555_PINS}XU1 0 thr out vcc ctrl thr dis vcc NE555\n{NE555}")

    def decks(self, v):
        t = self.predict(v)["delay"]
        vcc = fmt(self.env["vcc"])
        # the start node falls to ground at t/10 (a press, or the timing network powered)
        return [("tran", f"NE555 delay-on\n{self.build(v)}{self.supply()}"
                         f"VSTART start 0 PULSE({vcc} 0 {fmt(t * 0.1)} 1u 1u {fmt(t * 10)} {fmt(t * 20)})\n"
                         f"RLOAD out 0 1k\n.ic v(ctrl)={fmt(self.env['vcc'] * 2 / 3)}\n"
                         f".tran {fmt(t / 2000)} {fmt(t * 2)} 0 {fmt(t / 2000)} uic\n.end\n")]

    def read(self, res, v):
        r = res["tran"]
        t, out = np.real(r["time"]), np.real(r["out"])
        start = self.predict(v)["delay"] * 0.1
        level = (out.max() + out.min()) / 2
        if out.max() - out.min() < 1.0 or out[t <= start].max(initial=0.0) > level:
            raise ValueError("the output never switched, or was already on before the start")
        after = np.where((t > start) & (out > level))[0]
        if len(after) == 0:
            raise ValueError("the output never switched on")
        return {"delay": float(t[after[0]] - start)}


class Fade555(_Timer555):
    """An astable at the breathing rate (RA, RB, C1 given), RF into CF, an NPN emitter follower, RL and the LED."""

    key = "ne555_fade"
    title = "NE555 fading LED"
    description = ("555 timer breathing LED: a slow oscillator charges a large capacitor through a resistor and a "
                   "transistor follows its voltage, so an LED fades up and down smoothly instead of blinking.")
    measures = {"frequency": "Hz", "i_peak": "A", "depth": "", "ramp": ""}
    ports = {"vcc": "supply", "0": "ground"}
    default_env = {"vcc": 9.0, "v_min": 4.5, "v_max": 16.0, "RA": 10e3, "RB": 100e3, "C1": 10e-6,
                   "vf": COLOUR_VF[DEFAULT_COLOUR], "i_led": 0.015, "v_drop": V_DROP}
    slots = (
        Slot("i_peak", "A", "LED current at the brightest point of the fade", tol=0.25),
        Slot("frequency", "Hz", "breathing rate: fades in and out, how often, rate", tol=0.1),
    ) + _TIMER_SLOTS

    def params(self):
        return [Param("RF", "R", 1e3, 100e3, tolerance=0.05), Param("CF", "C", 1e-6, 2200e-6, series=C_SERIES),
                Param("RL", "R", 10, 10e3, tolerance=0.05)]

    def period(self) -> float:
        e = self.env
        return LN2 * (e["RA"] + 2 * e["RB"]) * e["C1"]

    def default_specs(self):
        return [Spec("i_peak", "=", self.env["i_led"], 0.25, unit="A"), Spec("ramp", ">=", 0.4),
                Spec("depth", ">=", 0.8)]

    def check_feasible(self, specs):
        super().check_feasible(specs)
        vf, drop = self.env["vf"], self.env["v_drop"]
        if self.env["vcc"] - drop - V_BE - vf < FOLLOWER_HEADROOM:
            raise Infeasible(f"at {self.env['vcc']:g} V the 555's output (VCC − {drop:g} V) less a VBE leaves too "
                             f"little above the LED's {vf:g} V to fade it through a follower")

    def guess(self, specs):
        period = self.period()
        e = self.env
        vh = e["vcc"] - e["v_drop"]
        vf = e["vf"]
        duty = (e["RA"] + e["RB"]) / (e["RA"] + 2 * e["RB"])
        mean = 0.1 + duty * (vh - 0.1)
        # the capacitor swings about its mean; its bottom where the LED just goes dark (a VBE and a little under
        # the LED's drop), so the whole swing is a ramp of light: swing = vh·tanh(T/4τ) gives the time constant
        swing = min(max(2 * (mean - (V_BE + vf - 0.3)), 0.2 * vh), 0.9 * vh)
        tau = period / (4 * math.atanh(swing / vh))
        cf = nearest_e(tau / 10e3, C_SERIES)
        rf = tau / cf
        top = mean + swing / 2 - V_BE
        i = specs["i_peak"].target if "i_peak" in specs else e["i_led"]
        return {"RF": rf, "CF": cf, "RL": max((top - vf) / i, 10.0)}

    def build(self, v):
        e = self.env
        q = default_key("npn-switch")
        return (f"RA vcc dis {fmt(e['RA'])}\nRB dis thr {fmt(e['RB'])}\nC1 thr 0 {fmt(e['C1'])}\nCCTRL ctrl 0 10n\n"
                f"{NE555_PINS}XU1 0 thr out vcc ctrl thr dis vcc NE555\n{timer_model(e['v_drop'])}"
                f"RF out f {fmt(v['RF'])}\nCF f 0 {fmt(v['CF'])}\n*@ Q1 key={q}\nQ1 vcc f e QF\n"
                f".model QF {device_card(q, 'npn')}\nRL e a {fmt(v['RL'])}\nD1 a 0 DLED\n"
                f".model DLED {led_model_vf(self.env['vf'])}\n")

    def decks(self, v):
        period = self.period()
        settle = 5 * v["RF"] * v["CF"]
        t_end = settle + 4 * period
        step = period / 300
        return [("tran", f"NE555 fading LED\n{self.build(v)}{self.supply()}.ic v(ctrl)={fmt(self.env['vcc'] * 2 / 3)}\n"
                         f".tran {fmt(step)} {fmt(t_end)} 0 {fmt(step)} uic\n.end\n")]

    def read(self, res, v):
        r = res["tran"]
        t = np.real(r["time"])
        i = (np.real(r["e"]) - np.real(r["a"])) / v["RL"]
        return self._fade_measures(t, i)

    def _fade_measures(self, t, i) -> dict[str, float]:
        """The LED current's peak, depth and ramp over the last three periods (the filter has settled)."""
        period = self.period()
        keep = t >= t[-1] - 3 * period
        tt, ii = t[keep], i[keep]
        grid = np.linspace(tt[0], tt[-1], 3000)
        ig = np.interp(grid, tt, ii)
        lo, hi = float(ig.min()), float(ig.max())
        if hi <= 1e-4:
            raise ValueError("the LED never lights")
        band = (ig > lo + 0.1 * (hi - lo)) & (ig < lo + 0.9 * (hi - lo))
        fd = frequency_and_duty(grid, ig, skip=0)
        return {"i_peak": hi, "depth": 1 - max(lo, 0.0) / hi, "ramp": float(band.mean()),
                "frequency": fd[0] if fd else 1 / period}


class FadeSink555(Fade555):
    """The fade for a low supply: the LED and RL hang from the supply into an NPN's collector, its emitter on
    ground, its base fed from CF through RBASE. A follower puts a VBE and the LED's drop under the ramp, which a
    3 V supply cannot clear; here the LED only needs the supply above its drop and a saturated switch, and the
    collector current follows the base current the ramp pushes through RBASE, up to RL's limit."""

    key = "ne555_fade_sink"
    title = "NE555 fading LED (low-side stage)"
    description = ("555 timer breathing LED from a low supply: a slow oscillator charges a large capacitor, which "
                   "drives a transistor's base through a resistor; the LED in its collector fades up and down.")

    def params(self):
        return [Param("RF", "R", 1e3, 100e3, tolerance=0.05), Param("CF", "C", 1e-6, 2200e-6, series=C_SERIES),
                Param("RBASE", "R", 1e3, 1e6, tolerance=0.05), Param("RL", "R", 1.0, 10e3, tolerance=0.05)]

    def check_feasible(self, specs):
        _Timer555.check_feasible(self, specs)
        vf = self.env["vf"]
        if self.env["vcc"] - vf - V_SAT < SINK_HEADROOM:
            raise Infeasible(f"at {self.env['vcc']:g} V the LED's {vf:g} V drop and a switch leave nothing to fade "
                             "it with: a supply above the LED's forward voltage is needed")

    def guess(self, specs):
        e = self.env
        vh = e["vcc"] - e["v_drop"]
        duty = (e["RA"] + e["RB"]) / (e["RA"] + 2 * e["RB"])
        mean = 0.1 + duty * (vh - 0.1)
        # the ramp swings about its mean from where the base just conducts (a VBE) upward
        swing = min(max(2 * (mean - V_BE), 0.2 * vh), 0.9 * vh)
        tau = self.period() / (4 * math.atanh(swing / vh))
        cf = nearest_e(tau / 10e3, C_SERIES)
        top = mean + swing / 2
        i = specs["i_peak"].target if "i_peak" in specs else e["i_led"]
        rl = max((e["vcc"] - e["vf"] - V_SAT) / i, 1.0)
        beta = 100.0  # a small NPN's gain near saturation: the brightest point of the ramp just saturates it
        return {"RF": tau / cf, "CF": cf, "RBASE": min(max(beta * max(top - V_BE, 0.05) / i, 1e3), 1e6), "RL": rl}

    def build(self, v):
        e = self.env
        q = default_key("npn-switch")
        return (f"RA vcc dis {fmt(e['RA'])}\nRB dis thr {fmt(e['RB'])}\nC1 thr 0 {fmt(e['C1'])}\nCCTRL ctrl 0 10n\n"
                f"{NE555_PINS}XU1 0 thr out vcc ctrl thr dis vcc NE555\n{timer_model(e['v_drop'])}"
                f"RF out f {fmt(v['RF'])}\nCF f 0 {fmt(v['CF'])}\nRBASE f b {fmt(v['RBASE'])}\n*@ Q1 key={q}\n"
                f"Q1 k b 0 QF\n.model QF {device_card(q, 'npn')}\nRL vcc a {fmt(v['RL'])}\nD1 a k DLED\n"
                f".model DLED {led_model_vf(self.env['vf'])}\n")

    def read(self, res, v):
        r = res["tran"]
        t = np.real(r["time"])
        i = (self.env["vcc"] - np.real(r["a"])) / v["RL"]
        return self._fade_measures(t, i)




def fade_stage(env: dict) -> str:
    """The fade stage a supply allows: the follower where its ramp clears a VBE and the LED's drop, else the
    low-side stage (block keys)."""
    try:
        Fade555(env=dict(env)).check_feasible({})
        return Fade555.key
    except Infeasible:
        return FadeSink555.key


__all__ = ["Delay555", "Fade555", "FadeSink555", "fade_stage", "timer_model"]
