"""Op-amp stages: inverting, non-inverting, difference and summing amplifiers, integrator,
differentiator, unity-gain Sallen-Key low-pass, comparator and Schmitt trigger.

Testbenches run the op-amp macromodel (GBW, slew, swing from its datasheet) from the supply in
``env`` (single supply by default, signals referenced to mid-rail), so gain-bandwidth limits,
swing and loading show up in the measures, not only the textbook ratio.
"""

from __future__ import annotations

import math
from abc import abstractmethod

import numpy as np

from circuit.sizing.block import Block, Infeasible, Param, fmt
from circuit.sizing.devices import opamp
from circuit.sizing.measure import crossing_freq, db, lowpass_corner
from circuit.units import format_value

TWO_PI = 2 * math.pi


class _OpAmpBlock(Block):
    default_env = {"opamp": "lm358", "vcc": 5.0, "vee": 0.0, "r_load": 10e3}

    @property
    def oa(self):
        return opamp(str(self.env["opamp"]))

    @property
    def vref(self) -> float:
        return (self.env["vcc"] + self.env["vee"]) / 2

    def supply_lines(self) -> str:
        return (f"VCC vcc 0 DC {fmt(self.env['vcc'])}\nVEE vee 0 DC {fmt(self.env['vee'])}\n"
                f"VREF ref 0 DC {fmt(self.vref)}\n{self.oa.subckt()}\n")

    def x(self, inp: str, inn: str, out: str) -> str:
        return f"XU1 {inp} {inn} vcc vee {out} {self.oa.model_name}\n"

    def check_supply(self):
        span = self.env["vcc"] - self.env["vee"]
        if span > self.oa.v_supply_max:
            raise Infeasible(f"{self.env['opamp']} takes at most {format_value(self.oa.v_supply_max, 'V')} across its "
                             f"supply pins; {format_value(span, 'V')} would damage it")

    def _ac_sweep(self, hi_hint: float) -> str:
        return f".ac dec 40 1 {fmt(max(hi_hint * 100, 1e6))}\n"


class _Amplifier(_OpAmpBlock):
    """Common reading of gain (at 10 Hz... low band) and -3 dB bandwidth for amplifier stages."""

    measures = {"gain": "", "bandwidth": "Hz"}
    inverting = False

    @abstractmethod
    def noise_gain(self, v) -> float:
        """1 + feedback ratio: the gain the op-amp's GBW divides."""

    @abstractmethod
    def ideal_gain(self, v) -> float:
        """The signal gain with an ideal op-amp."""

    def predict(self, v):
        g = self.ideal_gain(v)
        ng = self.noise_gain(v)
        a = self.oa.avol
        g_real = g / (1 + ng / a)
        return {"gain": abs(g_real), "bandwidth": self.oa.gbw / ng, "r_in": self._r_in(v)}

    def _r_in(self, v) -> float:
        return 1e12

    def check_feasible(self, specs):
        self.check_supply()
        g = specs.get("gain")
        bw = specs.get("bandwidth")
        if g and bw and bw.op in (">=", "="):
            ng = abs(g.target) + (1 if self.inverting else 0)
            need = ng * bw.target
            if need > self.oa.gbw * 0.98:
                raise Infeasible(
                    f"gain {g.target:g} with {format_value(bw.target, 'Hz')} bandwidth needs a gain-bandwidth product of "
                    f"{format_value(need, 'Hz')}, but the {self.env['opamp'].upper()} has {format_value(self.oa.gbw, 'Hz')}: "
                    f"use a faster op-amp, or split the gain over two stages")

    def read(self, res, v):
        ac = res["ac"]
        f, h = ac["frequency"], ac["out"]
        m = db(h)
        gain = float(abs(h[0]))
        bw = crossing_freq(f, m, m[0] - 3.0103, "down")
        return {"gain": gain, "bandwidth": bw if bw is not None else math.nan, "r_in": self._r_in(v)}


class NonInvertingAmplifier(_Amplifier):
    key = "noninverting_amplifier"
    title = "Non-inverting amplifier"
    words = ("non-inverting amplifier", "noninverting amplifier", "non inverting amplifier", "non-inverting amp")

    def params(self):
        return [Param("RF", "R", 1e3, 1e6), Param("RG", "R", 100, 1e6)]

    def ideal_gain(self, v):
        return 1 + v["RF"] / v["RG"]

    def noise_gain(self, v):
        return 1 + v["RF"] / v["RG"]

    def guess(self, specs):
        g = specs["gain"].target
        if g <= 1:
            raise Infeasible("a non-inverting amplifier has a gain of at least 1; use a divider or an inverting stage")
        rg = 10e3
        return {"RG": rg, "RF": rg * (g - 1)}

    def decks(self, v):
        return [("ac", f"non-inverting amplifier\n{self.supply_lines()}VIN in ref DC 0 AC 1\n"
                       f"{self.x('in', 'fb', 'out')}RF out fb {fmt(v['RF'])}\nRG fb ref {fmt(v['RG'])}\n"
                       f"RL out ref {fmt(self.env['r_load'])}\n{self._ac_sweep(self.oa.gbw)}.end\n")]


class InvertingAmplifier(_Amplifier):
    key = "inverting_amplifier"
    title = "Inverting amplifier"
    words = ("inverting amplifier", "inverting amp")
    measures = {"gain": "", "bandwidth": "Hz", "r_in": "Ω"}
    inverting = True

    def params(self):
        return [Param("RF", "R", 1e3, 1e6), Param("RIN", "R", 100, 1e6)]

    def ideal_gain(self, v):
        return -v["RF"] / v["RIN"]

    def noise_gain(self, v):
        return 1 + v["RF"] / v["RIN"]

    def _r_in(self, v):
        return v["RIN"]

    def guess(self, specs):
        g = abs(specs["gain"].target)
        rin = specs["r_in"].target if "r_in" in specs else 10e3
        return {"RIN": rin, "RF": rin * g}

    def decks(self, v):
        return [("ac", f"inverting amplifier\n{self.supply_lines()}VIN in ref DC 0 AC 1\n"
                       f"RIN in fb {fmt(v['RIN'])}\nRF fb out {fmt(v['RF'])}\n{self.x('ref', 'fb', 'out')}"
                       f"RL out ref {fmt(self.env['r_load'])}\n{self._ac_sweep(self.oa.gbw)}.end\n")]


class DifferenceAmplifier(_Amplifier):
    """V_out = (R2/R1)(V2 − V1) with R3 = R1, R4 = R2."""

    key = "difference_amplifier"
    title = "Difference amplifier"
    words = ("difference amplifier", "differential amplifier", "subtractor")
    measures = {"gain": "", "bandwidth": "Hz", "cmrr_db": "dB"}
    inverting = True

    def params(self):
        return [Param("R1", "R", 1e3, 1e6), Param("R2", "R", 1e3, 1e6), Param("R3", "R", 1e3, 1e6), Param("R4", "R", 1e3, 1e6)]

    def ideal_gain(self, v):
        return v["R2"] / v["R1"]

    def noise_gain(self, v):
        return 1 + v["R2"] / v["R1"]

    def guess(self, specs):
        g = specs["gain"].target
        return {"R1": 10e3, "R2": 10e3 * g, "R3": 10e3, "R4": 10e3 * g}

    def predict(self, v):
        out = super().predict(v)
        # differential gain with mismatched ratios: average; CMRR from the ratio mismatch
        a, b = v["R2"] / v["R1"], v["R4"] / v["R3"]
        out["gain"] = (a + b * (1 + a) / (1 + b)) / 2
        acm = abs(b * (1 + a) / (1 + b) - a)
        out["cmrr_db"] = 20 * math.log10(out["gain"] / acm) if acm > 0 else 140.0
        return out

    def decks(self, v):
        common = (f"{self.supply_lines()}R1 a fb {fmt(v['R1'])}\nR2 fb out {fmt(v['R2'])}\n"
                  f"R3 b p {fmt(v['R3'])}\nR4 p ref {fmt(v['R4'])}\n{self.x('p', 'fb', 'out')}RL out ref {fmt(self.env['r_load'])}\n")
        dm = f"difference amplifier (differential)\nVA a ref DC 0 AC -0.5\nVB b ref DC 0 AC 0.5\n{common}{self._ac_sweep(self.oa.gbw)}.end\n"
        cm = f"difference amplifier (common mode)\nVA a ref DC 0 AC 1\nVB b ref DC 0 AC 1\n{common}.ac dec 5 10 100\n.end\n"
        return [("ac", dm), ("cm", cm)]

    def read(self, res, v):
        out = super().read(res, v)
        acm = float(abs(res["cm"]["out"][0]))
        out["cmrr_db"] = 20 * math.log10(out["gain"] / acm) if acm > 0 else 140.0
        return out


class SummingAmplifier(_Amplifier):
    """Inverting summer: V_out = −(RF/R1·V1 + RF/R2·V2)."""

    key = "summing_amplifier"
    title = "Summing amplifier"
    words = ("summing amplifier", "summer", "adder", "mixer")
    measures = {"gain1": "", "gain2": "", "bandwidth": "Hz"}
    inverting = True

    def params(self):
        return [Param("RF", "R", 1e3, 1e6), Param("R1", "R", 1e3, 1e6), Param("R2", "R", 1e3, 1e6)]

    def ideal_gain(self, v):
        return v["RF"] / v["R1"]

    def noise_gain(self, v):
        return 1 + v["RF"] / v["R1"] + v["RF"] / v["R2"]

    def check_feasible(self, specs):
        self.check_supply()

    def guess(self, specs):
        g1 = specs["gain1"].target if "gain1" in specs else 1.0
        g2 = specs["gain2"].target if "gain2" in specs else 1.0
        rf = 10e3 * max(g1, g2)
        return {"RF": rf, "R1": rf / g1, "R2": rf / g2}

    def predict(self, v):
        ng = self.noise_gain(v)
        k = 1 / (1 + ng / self.oa.avol)
        return {"gain1": v["RF"] / v["R1"] * k, "gain2": v["RF"] / v["R2"] * k, "bandwidth": self.oa.gbw / ng}

    def decks(self, v):
        base = f"{self.supply_lines()}R1 a fb {fmt(v['R1'])}\nR2 b fb {fmt(v['R2'])}\nRF fb out {fmt(v['RF'])}\n{self.x('ref', 'fb', 'out')}"
        d1 = f"summer input 1\nVA a ref DC 0 AC 1\nVB b ref DC 0\n{base}{self._ac_sweep(self.oa.gbw)}.end\n"
        d2 = f"summer input 2\nVA a ref DC 0\nVB b ref DC 0 AC 1\n{base}.ac dec 5 10 100\n.end\n"
        return [("ac", d1), ("ac2", d2)]

    def read(self, res, v):
        f, h = res["ac"]["frequency"], res["ac"]["out"]
        m = db(h)
        bw = crossing_freq(f, m, m[0] - 3.0103, "down")
        return {"gain1": float(abs(h[0])), "gain2": float(abs(res["ac2"]["out"][0])),
                "bandwidth": bw if bw is not None else math.nan}


class _UnityGainBlock(_OpAmpBlock):
    """Integrator and differentiator: specified by the frequency where |gain| crosses 1."""

    measures = {"f_unity": "Hz"}
    crossing = "down"

    def read(self, res, v):
        f, h = res["ac"]["frequency"], res["ac"]["out"]
        fu = crossing_freq(f, db(h), 0.0, self.crossing)
        return {"f_unity": fu if fu is not None else math.nan}


class Integrator(_UnityGainBlock):
    """Inverting integrator with a DC-gain-limiting resistor RF = 100·R (unity-gain frequency 1/(2πRC))."""

    key = "integrator"
    title = "Op-amp integrator"
    words = ("integrator", "integrating amplifier")

    def params(self):
        return [Param("R1", "R", 1e3, 1e6), Param("C1", "C", 100e-12, 10e-6)]

    def check_feasible(self, specs):
        self.check_supply()
        f = specs.get("f_unity")
        if f and f.target > self.oa.gbw / 3:
            raise Infeasible(f"an integrator crossing unity gain at {format_value(f.target, 'Hz')} needs an op-amp much faster "
                             f"than the {self.env['opamp'].upper()} ({format_value(self.oa.gbw, 'Hz')} GBW)")

    def guess(self, specs):
        f = specs["f_unity"].target
        r = 10e3
        return {"R1": r, "C1": 1 / (TWO_PI * r * f)}

    def predict(self, v):
        return {"f_unity": 1 / (TWO_PI * v["R1"] * v["C1"])}

    def decks(self, v):
        f = self.predict(v)["f_unity"]
        return [("ac", f"integrator\n{self.supply_lines()}VIN in ref DC 0 AC 1\nR1 in fb {fmt(v['R1'])}\n"
                       f"C1 fb out {fmt(v['C1'])}\nRF fb out {fmt(100 * v['R1'])}\n{self.x('ref', 'fb', 'out')}"
                       f".ac dec 60 {fmt(f / 1000)} {fmt(f * 100)}\n.end\n")]


class Differentiator(_UnityGainBlock):
    """Inverting differentiator (C1 in, RF feedback) with a small input resistor RS = RF/30 for stability."""

    key = "differentiator"
    title = "Op-amp differentiator"
    words = ("differentiator", "differentiating amplifier")
    crossing = "up"

    def params(self):
        return [Param("RF", "R", 1e3, 1e6), Param("C1", "C", 100e-12, 10e-6)]

    def guess(self, specs):
        f = specs["f_unity"].target
        r = 10e3
        return {"RF": r, "C1": 1 / (TWO_PI * r * f)}

    def predict(self, v):
        return {"f_unity": 1 / (TWO_PI * v["RF"] * v["C1"])}

    def check_feasible(self, specs):
        self.check_supply()
        f = specs.get("f_unity")
        if f and f.target > self.oa.gbw / 30:
            raise Infeasible(f"a differentiator with unity gain at {format_value(f.target, 'Hz')} needs gain to keep rising above "
                             f"it, which the {self.env['opamp'].upper()}'s {format_value(self.oa.gbw, 'Hz')} GBW cannot give")

    def decks(self, v):
        f = self.predict(v)["f_unity"]
        return [("ac", f"differentiator\n{self.supply_lines()}VIN in ref DC 0 AC 1\nRS in m {fmt(v['RF'] / 30)}\n"
                       f"C1 m fb {fmt(v['C1'])}\nRF fb out {fmt(v['RF'])}\n{self.x('ref', 'fb', 'out')}"
                       f".ac dec 60 {fmt(f / 100)} {fmt(f * 10)}\n.end\n")]


class SallenKeyLowPass(_OpAmpBlock):
    """Unity-gain Sallen-Key low-pass: f0 = 1/(2π√(R1R2C1C2)), Q = √(R1R2C1C2)/(C2(R1+R2))."""

    key = "sallen_key_lowpass"
    title = "Sallen-Key low-pass filter"
    words = ("sallen-key", "sallen key", "active low-pass", "active lowpass", "active filter", "second-order low-pass",
             "butterworth")
    measures = {"f_c": "Hz", "q": ""}

    def params(self):
        return [Param("R1", "R", 1e3, 1e6), Param("R2", "R", 1e3, 1e6), Param("C1", "C", 100e-12, 10e-6),
                Param("C2", "C", 100e-12, 10e-6)]

    def guess(self, specs):
        fc = specs["f_c"].target
        q = specs["q"].target if "q" in specs else 0.7071
        r = 10e3
        # equal resistors: Q = 0.5·√(C1/C2); f0 = 1/(2πR√(C1C2))
        c2 = 1 / (TWO_PI * r * fc * 2 * q)
        c1 = 4 * q * q * c2
        return {"R1": r, "R2": r, "C1": c1, "C2": c2}

    def _f0q(self, v):
        p = v["R1"] * v["R2"] * v["C1"] * v["C2"]
        f0 = 1 / (TWO_PI * math.sqrt(p))
        q = math.sqrt(p) / (v["C2"] * (v["R1"] + v["R2"]))
        return f0, q

    def predict(self, v):
        f0, q = self._f0q(v)
        # -3 dB frequency of a 2nd-order low-pass with this Q
        a = 1 - 1 / (2 * q * q)
        fc = f0 * math.sqrt(a + math.sqrt(a * a + 1))
        return {"f_c": fc, "q": q}

    def check_feasible(self, specs):
        self.check_supply()
        f = specs.get("f_c")
        if f and f.target > self.oa.gbw / 10:
            raise Infeasible(f"a unity-gain Sallen-Key at {format_value(f.target, 'Hz')} needs an op-amp with GBW well above "
                             f"{format_value(10 * f.target, 'Hz')}; the {self.env['opamp'].upper()} has {format_value(self.oa.gbw, 'Hz')}")

    def decks(self, v):
        f0, _ = self._f0q(v)
        return [("ac", f"Sallen-Key low-pass\n{self.supply_lines()}VIN in ref DC 0 AC 1\nR1 in a {fmt(v['R1'])}\n"
                       f"R2 a p {fmt(v['R2'])}\nC1 a out {fmt(v['C1'])}\nC2 p ref {fmt(v['C2'])}\n{self.x('p', 'out', 'out')}"
                       f".ac dec 100 {fmt(f0 / 100)} {fmt(f0 * 20)}\n.end\n")]

    def read(self, res, v):
        f, h = res["ac"]["frequency"], res["ac"]["out"]
        fc = lowpass_corner(f, h)
        ph = np.unwrap(np.angle(h))
        # Q = |H(f0)| / |H(0)| where the phase passes −90°
        idx = np.where(ph <= -math.pi / 2)[0]
        q = math.nan
        if len(idx):
            i = int(idx[0])
            q = float(abs(h[i]) / abs(h[0]))
        return {"f_c": fc if fc is not None else math.nan, "q": q}


class Comparator(_OpAmpBlock):
    """Comparator: input on +, a reference divider R1 (V+ to ref) / R2 (ref to ground) on −."""

    key = "comparator"
    title = "Comparator with divider reference"
    words = ("comparator", "threshold detector", "voltage comparator")
    measures = {"v_threshold": "V", "i_reference": "A"}

    def params(self):
        return [Param("R1", "R", 1e3, 1e6), Param("R2", "R", 1e3, 1e6)]

    def check_feasible(self, specs):
        self.check_supply()
        t = specs.get("v_threshold")
        if t and not (self.env["vee"] < t.target < self.env["vcc"]):
            raise Infeasible(f"the threshold must lie between the supply rails ({format_value(self.env['vee'], 'V')} to "
                             f"{format_value(self.env['vcc'], 'V')})")

    def guess(self, specs):
        t = specs["v_threshold"].target
        span = self.env["vcc"] - self.env["vee"]
        k = (t - self.env["vee"]) / span
        total = 100e3
        return {"R1": total * (1 - k), "R2": total * k}

    def predict(self, v):
        span = self.env["vcc"] - self.env["vee"]
        return {"v_threshold": self.env["vee"] + span * v["R2"] / (v["R1"] + v["R2"]),
                "i_reference": span / (v["R1"] + v["R2"])}

    def decks(self, v):
        return [("dc", f"comparator\n{self.supply_lines()}VIN in 0 DC 0\nR1 vcc m {fmt(v['R1'])}\nR2 m vee {fmt(v['R2'])}\n"
                       f"{self.x('in', 'm', 'out')}.dc VIN {fmt(self.env['vee'])} {fmt(self.env['vcc'])} 0.001\n.end\n")]

    def read(self, res, v):
        r = res["dc"]
        vin = np.real(r.get("v-sweep") if r.get("v-sweep") is not None else r["in"])
        out = np.real(r["out"])
        mid = (out.max() + out.min()) / 2
        i = int(np.argmax(out > mid))
        if i == 0:
            raise ValueError("output never switched")
        span = self.env["vcc"] - self.env["vee"]
        return {"v_threshold": float(vin[i]), "i_reference": span / (v["R1"] + v["R2"])}


class SchmittTrigger(_OpAmpBlock):
    """Inverting Schmitt trigger: input on −; + pin fed by RA (to V+), RB (to ground) and RF (from the output)."""

    key = "schmitt_trigger"
    title = "Schmitt trigger"
    words = ("schmitt trigger", "schmitt", "hysteresis comparator", "comparator with hysteresis")
    measures = {"v_th_high": "V", "v_th_low": "V", "hysteresis": "V"}

    def params(self):
        return [Param("RA", "R", 1e3, 1e6), Param("RB", "R", 1e3, 1e6), Param("RF", "R", 1e3, 10e6)]

    def _rails(self):
        return self.env["vcc"] - self.oa.v_drop_high, self.env["vee"] + self.oa.v_drop_low

    def _thresholds(self, v):
        voh, vol = self._rails()
        ga, gb, gf = 1 / v["RA"], 1 / v["RB"], 1 / v["RF"]
        base = self.env["vcc"] * ga + self.env["vee"] * gb
        hi = (base + voh * gf) / (ga + gb + gf)
        lo = (base + vol * gf) / (ga + gb + gf)
        return hi, lo

    def check_feasible(self, specs):
        self.check_supply()
        voh, vol = self._rails()
        h = specs.get("hysteresis")
        if h and h.target >= voh - vol:
            raise Infeasible(f"the hysteresis cannot exceed the output swing ({format_value(voh - vol, 'V')} for the "
                             f"{self.env['opamp'].upper()} on this supply)")
        for k in ("v_th_high", "v_th_low"):
            s = specs.get(k)
            if s and not (self.env["vee"] < s.target < self.env["vcc"]):
                raise Infeasible(f"{k} must lie between the supply rails")

    def guess(self, specs):
        voh, vol = self._rails()
        hi = specs["v_th_high"].target if "v_th_high" in specs else None
        lo = specs["v_th_low"].target if "v_th_low" in specs else None
        if hi is None and lo is not None and "hysteresis" in specs:
            hi = lo + specs["hysteresis"].target
        if lo is None and hi is not None and "hysteresis" in specs:
            lo = hi - specs["hysteresis"].target
        if hi is None or lo is None:
            mid = self.vref
            hy = specs["hysteresis"].target if "hysteresis" in specs else 0.5
            hi, lo = mid + hy / 2, mid - hy / 2
        # hysteresis = (voh-vol)·gf/gt ; centre = (vcc·ga + vee·gb + vol·gf)/gt
        gt = 1 / 10e3
        gf = (hi - lo) / (voh - vol) * gt
        rest = lo * gt - vol * gf - self.env["vee"] * 0  # = vcc·ga + vee·gb
        ga = (rest - self.env["vee"] * (gt - gf)) / (self.env["vcc"] - self.env["vee"])
        gb = gt - gf - ga
        ga, gb, gf = max(ga, 1e-7), max(gb, 1e-7), max(gf, 1e-8)
        return {"RA": 1 / ga, "RB": 1 / gb, "RF": 1 / gf}

    def predict(self, v):
        hi, lo = self._thresholds(v)
        return {"v_th_high": hi, "v_th_low": lo, "hysteresis": hi - lo}

    def decks(self, v):
        vcc, vee = self.env["vcc"], self.env["vee"]
        t = 20e-3
        return [("tran", f"Schmitt trigger\n{self.supply_lines()}VIN in 0 PWL(0 {fmt(vee)} {fmt(t / 2)} {fmt(vcc)} {fmt(t)} {fmt(vee)})\n"
                         f"RA vcc p {fmt(v['RA'])}\nRB p vee {fmt(v['RB'])}\nRF out p {fmt(v['RF'])}\n{self.x('p', 'in', 'out')}"
                         f".tran {fmt(t / 4000)} {fmt(t)}\n.end\n")]

    def read(self, res, v):
        r = res["tran"]
        t, vin, out, vp = (np.real(r[k]) for k in ("time", "in", "out", "p"))
        mid = (out.max() + out.min()) / 2
        half = len(t) // 2
        # rising input: output falls when vin crosses the upper threshold
        down = np.where((out[:-1] > mid) & (out[1:] <= mid))[0]
        up = np.where((out[:-1] < mid) & (out[1:] >= mid))[0]
        d = [i for i in down if i < half]
        u = [i for i in up if i >= half]
        if not d or not u:
            raise ValueError("the output did not switch both ways")
        hi, lo = float(vin[d[0]]), float(vin[u[0]])
        return {"v_th_high": hi, "v_th_low": lo, "hysteresis": hi - lo}
