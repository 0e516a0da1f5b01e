"""Sine oscillators: Wien bridge (diode-stabilised) and op-amp RC phase-shift.

Both are simulated from power-up (``uic``) long enough to see the oscillation build; the measures
are the steady frequency and the output amplitude, so "does it start?" is a spec like any other.
"""

from __future__ import annotations

import math

import numpy as np

from circuit.sizing.block import DefaultPart, Infeasible, Param, Slot, default_key, fmt
from circuit.sizing.blocks.opamp_stages import OPAMP_SLOTS, _OpAmpBlock
from circuit.sizing.measure import amplitude, frequency_and_duty
from circuit.units import format_value

TWO_PI = 2 * math.pi


class _Oscillator(_OpAmpBlock):
    measures = {"frequency": "Hz", "amplitude": "V"}
    cycles = 60
    needs_bias = False
    ports = {"out": "sine output", "vcc": "positive supply", "vee": "negative supply", "0": "ground"}
    slots = (
        Slot("frequency", "Hz", "oscillation frequency of the sine wave, oscillating at, tone", required=True, tol=0.1),
        Slot("amplitude", "V", "output amplitude of the sine, swing", op=">=", inequality=True),
    ) + OPAMP_SLOTS[:1]

    def _check_speed(self, specs, factor: float):
        self.check_supply()
        f = specs.get("frequency")
        if f and f.target * factor > self.oa.gbw / 5:
            raise Infeasible(f"a {self.title.lower()} at {format_value(f.target, 'Hz')} needs loop gain "
                             f"{factor:g} there, more than the {self.env['opamp'].upper()}'s {format_value(self.oa.gbw, 'Hz')} "
                             "GBW can hold: use a faster op-amp")

    def read(self, res, v):
        r = res["tran"]
        t, out = np.real(r["time"]), np.real(r["out"])
        keep = t > t[-1] * 0.5
        amp = amplitude(out[keep], frac=1.0)
        if amp < 0.05:
            return {"frequency": 0.0, "amplitude": amp}
        fd = frequency_and_duty(t[keep], out[keep], level=float(np.mean(out[keep])), skip=1)
        if fd is None:
            return {"frequency": 0.0, "amplitude": amp}
        return {"frequency": fd[0], "amplitude": amp}

    def _tran(self, f: float) -> str:
        period = 1 / f
        # a 1 µs current kick into node a stands in for power-up noise
        return f"IKICK 0 a PULSE(0 1m 0 1n 1n 1u {fmt(10 * self.cycles * period)})\n.tran {fmt(period / 200)} {fmt(self.cycles * period)} 0 {fmt(period / 200)} uic\n"


class WienBridge(_Oscillator):
    """f = 1/(2πRC); gain 1 + (RF + RF/3)/RG ≈ 3.3 to start, falling towards 1 + RF/RG < 3 as the diodes conduct."""

    key = "wien_bridge_oscillator"
    title = "Wien-bridge oscillator"
    description = ("Wien-bridge sine-wave oscillator: an op-amp with a series and a parallel RC network in positive "
                   "feedback, amplitude stabilised by diodes, makes a low-distortion sine at 1/(2πRC).")
    default_env = {"opamp": DefaultPart("opamp-split-supply"), "vcc": 12.0, "vee": -12.0, "r_load": 10e3}

    def params(self):
        return [Param("R", "R", 1e3, 1e6), Param("C", "C", 100e-12, 10e-6), Param("RF", "R", 1e3, 1e6), Param("RG", "R", 1e3, 1e6)]

    def check_feasible(self, specs):
        self._check_speed(specs, 3)

    def guess(self, specs):
        f = specs["frequency"].target
        r = 10e3
        return {"R": r, "C": 1 / (TWO_PI * r * f), "RG": 10e3, "RF": 17e3}

    def predict(self, v):
        g_small = 1 + (v["RF"] * 4 / 3) / v["RG"]
        g_large = 1 + v["RF"] / v["RG"]
        starts = g_small > 3.05 and g_large < 3.0
        return {"frequency": 1 / (TWO_PI * v["R"] * v["C"]) if starts else 0.0, "amplitude": 1.0 if starts else 0.0}

    def build(self, v):
        d = "D(IS=2.5n N=1.75 RS=0.6)"
        dk = default_key("signal-diode")
        return (f"R1 out a {fmt(v['R'])}\nC1 a p {fmt(v['C'])}\nR2 p 0 {fmt(v['R'])}\nC2 p 0 {fmt(v['C'])}\n"
                f"RG fb 0 {fmt(v['RG'])}\nRF out m {fmt(v['RF'])}\nRD m fb {fmt(v['RF'] / 3)}\n"
                f"*@ D1 key={dk}\nD1 m fb DS\n*@ D2 key={dk}\nD2 fb m DS\n.model DS {d}\n{self.x('p', 'fb', 'out')}")

    def decks(self, v):
        f = 1 / (TWO_PI * v["R"] * v["C"])
        return [("tran", f"Wien bridge\n{self.build(v)}{self.supply_lines()}{self._tran(f)}.end\n")]


class PhaseShift(_Oscillator):
    """Three RC high-pass sections into an inverting amplifier: f = 1/(2πRC√6), needs gain RF/R ≥ 29."""

    key = "phase_shift_oscillator"
    title = "RC phase-shift oscillator"
    description = ("RC phase-shift sine oscillator: three RC sections shift the phase 180° around an inverting op-amp "
                   "amplifier with a gain of 29 or more.")
    default_env = {"opamp": DefaultPart("opamp-split-supply"), "vcc": 12.0, "vee": -12.0, "r_load": 10e3}

    def params(self):
        return [Param("R", "R", 1e3, 1e6), Param("C", "C", 100e-12, 10e-6), Param("RF", "R", 10e3, 10e6)]

    def check_feasible(self, specs):
        self._check_speed(specs, 29)

    def guess(self, specs):
        f = specs["frequency"].target
        r = 10e3
        return {"R": r, "C": 1 / (TWO_PI * r * f * math.sqrt(6)), "RF": 33 * r}

    def predict(self, v):
        starts = v["RF"] / v["R"] >= 29
        return {"frequency": 1 / (TWO_PI * v["R"] * v["C"] * math.sqrt(6)) if starts else 0.0,
                "amplitude": 1.0 if starts else 0.0}

    def build(self, v):
        return (f"C1 out a {fmt(v['C'])}\nR1 a 0 {fmt(v['R'])}\nC2 a b {fmt(v['C'])}\nR2 b 0 {fmt(v['R'])}\n"
                f"C3 b c {fmt(v['C'])}\nR3 c fb {fmt(v['R'])}\nRF fb out {fmt(v['RF'])}\n{self.x('0', 'fb', 'out')}")

    def decks(self, v):
        f = 1 / (TWO_PI * v["R"] * v["C"] * math.sqrt(6))
        return [("tran", f"RC phase shift\n{self.build(v)}{self.supply_lines()}{self._tran(f)}.end\n")]
