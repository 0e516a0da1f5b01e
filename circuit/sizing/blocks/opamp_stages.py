"""Op-amp stages: inverting, non-inverting, difference and summing amplifiers, integrator,
differentiator, unity-gain Sallen-Key low-pass, comparator and Schmitt trigger.

Testbenches run the op-amp macromodel (GBW, slew, swing from the chosen part's record) from the
supply in ``env``. On a single supply the mid-rail reference is a built divider with its bypass
capacitor and the input is AC-coupled, exactly as the netlist a person builds, so gain-bandwidth
limits, swing, loading and clipping show up in the measures, not only the textbook ratio.
"""

from __future__ import annotations

import math
from abc import abstractmethod

import numpy as np

from circuit.sim import SimulationError, simulate
from circuit.sizing.block import Block, DefaultPart, Infeasible, Param, Slot, fmt
from circuit.sizing.devices import find_record, opamp
from circuit.sizing.measure import crossing_freq, db
from circuit.units import format_value

TWO_PI = 2 * math.pi


# the level a gain stage is to bring its input to: with the input amplitude it states the gain (out / in)
OUT_LEVEL = Slot("out_amplitude", "V", "output signal amplitude: the level the signal is amplified up to, brought "
                 "up to, output swing", role="env", peak=True)
GAIN_FROM_LEVELS = {"gain": ("out_amplitude", "amplitude")}

OPAMP_SLOTS = (
    Slot("vcc", "V", "supply voltage: the op-amp runs at or from this rail, single supply or ± split rails, powered from, on",
         role="env", pair="vee", prior=0.2),
    Slot("amplitude", "V", "input signal amplitude: the size of the signal coming in, peak, peak-to-peak or rms, "
         "input level of the source, sensor or microphone", role="env", peak=True),
    Slot("f_signal", "Hz", "frequency of the input signal: a sine, tone or test signal", role="env"),
    Slot("r_load", "Ω", "load resistance the output drives, into a load of", role="env"),
)


class _OpAmpBlock(Block):
    """Op-amp stages. On a single supply (``vee`` = 0) the signal reference is a built mid-rail:
    a divider RB1/RB2 bypassed by CB, with the input AC-coupled through CIN; on split rails the
    reference is ground. Either way the netlist is the circuit a person builds."""

    device = "opamp"
    default_env = {"opamp": DefaultPart("opamp-single-supply"), "vcc": 5.0, "vee": 0.0, "r_load": 10e3, "amplitude": 0.0,
                   "f_signal": 1e3}
    ports = {"in": "signal input", "out": "output", "vcc": "positive supply", "vee": "negative supply (0 V on one supply)",
             "0": "ground"}
    needs_bias = True
    slots = OPAMP_SLOTS

    @property
    def oa(self):
        """The chosen op-amp's model, looked up once per part name (the search asks for it per candidate)."""
        key = str(self.env["opamp"])
        cached = self.__dict__.get("_oa_cache")
        if cached is None or cached[0] != key:
            cached = (key, opamp(key))
            self.__dict__["_oa_cache"] = cached
        return cached[1]

    @property
    def single(self) -> bool:
        return abs(self.env["vee"]) < 1e-9 and self.needs_bias

    @property
    def ref(self) -> str:
        return "ref" if self.single else "0"

    @property
    def vref(self) -> float:
        return (self.env["vcc"] + self.env["vee"]) / 2 if self.single else 0.0

    def model_lines(self) -> str:
        rec = find_record(str(self.env["opamp"]), ("opamp",))
        key = rec.key if rec else str(self.env["opamp"]).lower()
        return f"*@ XU1 key={key}\n" if rec else f"*@ XU1 key={key} pins=IN+,IN-,V+,V-,OUT\n"

    def bias_lines(self) -> str:
        """The mid-rail reference of a single-supply stage: a divider and its bypass capacitor."""
        if not self.single:
            return ""
        return "RB1 vcc ref 100k\nRB2 ref 0 100k\nCB ref 0 10u\n"

    def coupled_input(self, node: str) -> str:
        """The input into ``node``: through CIN with RBIAS to the reference on one supply, direct on split rails."""
        if not self.single:
            return ""
        return f"CIN in {node} 10u\nRBIAS {node} ref 100k\n"

    def input_node(self, node: str) -> str:
        return node if self.single else "in"

    def supply_lines(self) -> str:
        """The testbench's supplies."""
        return f"VCC vcc 0 DC {fmt(self.env['vcc'])}\nVEE vee 0 DC {fmt(self.env['vee'])}\n"

    def x(self, inp: str, inn: str, out: str) -> str:
        """The op-amp: its part line and its macromodel (from the part's record)."""
        return f"{self.model_lines()}XU1 {inp} {inn} vcc vee {out} {self.oa.model_name}\n{self.oa.subckt()}\n"

    def check_supply(self):
        span = self.env["vcc"] - self.env["vee"]
        if span > self.oa.v_supply_max:
            raise Infeasible(f"{self.env['opamp']} takes at most {format_value(self.oa.v_supply_max, 'V')} across its "
                             f"supply pins; {format_value(span, 'V')} would damage it")

    def _ac_sweep(self, hi_hint: float) -> str:
        return f".ac dec 40 1 {fmt(max(hi_hint * 100, 1e6))}\n"

    def load_lines(self) -> str:
        """The testbench load: AC-coupled to ground on one supply."""
        if self.single:
            return f"CL out lo 100u\nRL lo 0 {fmt(self.env['r_load'])}\n"
        return f"RL out 0 {fmt(self.env['r_load'])}\n"

    def swing(self) -> tuple[float, float]:
        """The output's reachable range on this supply (the datasheet's output headroom)."""
        return self.env["vee"] + self.oa.v_drop_low, self.env["vcc"] - self.oa.v_drop_high


class _Amplifier(_OpAmpBlock):
    """Common reading of gain (the mid-band magnitude) and upper -3 dB bandwidth for amplifier stages,
    and the clipping check at the stated input amplitude."""

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
                    f"{format_value(need, 'Hz')}, but the {str(self.env['opamp']).upper()} has {format_value(self.oa.gbw, 'Hz')}: "
                    f"use a faster op-amp, or split the gain over two stages")

    def read(self, res, v):
        ac = res["ac"]
        f, h = ac["frequency"], ac["out"]
        m = db(h)
        i = int(np.argmax(m))
        gain = float(abs(h[i]))
        bw = crossing_freq(f, m, m[i] - 3.0103, "down", start=i)
        return {"gain": gain, "bandwidth": bw if bw is not None else math.nan, "r_in": self._r_in(v)}

    def stimulus(self) -> str:
        return "VIN in 0 DC 0 AC 1\n"

    def deck(self, v, analysis: str, stim: str | None = None) -> str:
        return (f"{self.title}\n{self.build(v)}{self.supply_lines()}{stim or self.stimulus()}{self.load_lines()}"
                f"{analysis}.end\n")

    def decks(self, v):
        return [("ac", self.deck(v, self._ac_sweep(self.oa.gbw)))]

    def notes(self, v):
        """Simulate the stated input amplitude at the signal frequency: report the output and any clipping."""
        amp = float(self.env.get("amplitude") or 0.0)
        if amp <= 0:
            return []
        f = float(self.env.get("f_signal") or 1e3)
        g = abs(self.predict(v).get("gain", 1.0))
        per = 1 / f
        stim = f"VIN in 0 DC 0 SIN(0 {fmt(amp)} {fmt(f)})\n"
        deck = self.deck(v, f".tran {fmt(per / 200)} {fmt(12 * per)} {fmt(6 * per)} {fmt(per / 200)}\n", stim)
        try:
            r = simulate(deck)
        except SimulationError as e:
            return [f"could not simulate the {format_value(amp, 'V')} peak input: {e}"]
        out = np.real(r["out"])
        peak = float((out.max() - out.min()) / 2)
        lo, hi = self.swing()
        want = g * amp
        clipped = peak < 0.95 * want or out.max() > hi - 0.02 or out.min() < lo + 0.02
        head = (f"input {format_value(amp, 'V')} peak at {format_value(f, 'Hz')}: output {format_value(peak, 'V')} peak "
                f"(expected {format_value(want, 'V')}), output swing {format_value(lo, 'V')} to {format_value(hi, 'V')}")
        if clipped:
            return [f"CLIPPING: {head}; lower the gain or the input, or use a wider supply or a rail-to-rail op-amp"]
        return [f"no clipping: {head}"]


class NonInvertingAmplifier(_Amplifier):
    key = "noninverting_amplifier"
    title = "Non-inverting amplifier"
    description = ("Non-inverting op-amp amplifier: the signal goes into the op-amp's + input and the output follows it "
                   "in phase, multiplied by a voltage gain of 1 + RF/RG set by a feedback resistor and a resistor to ground; "
                   "a preamp or buffer stage that amplifies a sensor or microphone signal, output in phase.")
    slots = (
        Slot("gain", "", "voltage gain, Av: amplify by, multiplies the signal by, times, amplification, in dB", required=True, tol=0.02),
        Slot("bandwidth", "Hz", "bandwidth: the gain must hold at and up to this frequency, flat to, -3 dB bandwidth",
             op=">=", inequality=True),
        Slot("RF", "Ω", "feedback resistor from the output back", role="fixed"),
        Slot("RG", "Ω", "gain resistor, bottom resistor to ground", role="fixed"),
    ) + OPAMP_SLOTS + (OUT_LEVEL,)
    ratios = GAIN_FROM_LEVELS

    def params(self):
        return [Param("RF", "R", 1e3, 1e6), Param("RG", "R", 100, 1e6)]

    def ideal_gain(self, v):
        return 1 + v["RF"] / v["RG"]

    def noise_gain(self, v):
        return 1 + v["RF"] / v["RG"]

    def check_feasible(self, specs):
        g = specs.get("gain")
        if g and g.target < 1:
            raise Infeasible("a non-inverting amplifier has a gain of at least 1; use a divider or an inverting stage")
        super().check_feasible(specs)

    def guess(self, specs):
        g = specs["gain"].target
        if g <= 1:
            raise Infeasible("a non-inverting amplifier has a gain of at least 1; use a divider or an inverting stage")
        fx = self.fixed
        if "RF" in fx:
            return {"RF": fx["RF"], "RG": fx["RF"] / (g - 1)}
        rg = fx.get("RG", 10e3)
        return {"RG": rg, "RF": rg * (g - 1)}

    def build(self, v):
        p = self.input_node("p")
        return (f"{self.bias_lines()}{self.coupled_input(p)}{self.x(p, 'fb', 'out')}RF out fb {fmt(v['RF'])}\n"
                f"RG fb {self.ref} {fmt(v['RG'])}\n")


class InvertingAmplifier(_Amplifier):
    key = "inverting_amplifier"
    title = "Inverting amplifier"
    description = ("Inverting op-amp amplifier: the signal goes through an input resistor into the op-amp's − input and "
                   "comes out inverted, turned upside down (its polarity reversed or flipped: negative gain, 180° "
                   "phase), scaled by −RF/RIN; its input impedance is RIN.")
    measures = {"gain": "", "bandwidth": "Hz", "r_in": "Ω"}
    inverting = True
    slots = (
        Slot("gain", "", "voltage gain, Av, negative or inverting gain: amplify by, times, in dB", required=True, tol=0.02),
        Slot("bandwidth", "Hz", "bandwidth: the gain must hold at and up to this frequency, -3 dB bandwidth", op=">=",
             inequality=True),
        Slot("r_in", "Ω", "input impedance or input resistance the source sees", op=">=", inequality=True),
        Slot("RIN", "Ω", "input resistor in series with the input", role="fixed"),
        Slot("RF", "Ω", "feedback resistor from the output back", role="fixed"),
    ) + OPAMP_SLOTS + (OUT_LEVEL,)
    ratios = GAIN_FROM_LEVELS

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
        fx = self.fixed
        if "RF" in fx:
            return {"RF": fx["RF"], "RIN": fx["RF"] / g}
        rin = fx.get("RIN", specs["r_in"].target * 1.2 if "r_in" in specs else 10e3)
        return {"RIN": rin, "RF": rin * g}

    def build(self, v):
        n = self.input_node("i")
        cin = "CIN in i 10u\n" if self.single else ""
        return (f"{self.bias_lines()}{cin}RIN {n} fb {fmt(v['RIN'])}\nRF fb out {fmt(v['RF'])}\n"
                f"{self.x(self.ref, 'fb', 'out')}")


class DifferenceAmplifier(_Amplifier):
    """V_out = (R2/R1)(V2 − V1) with R3 = R1, R4 = R2."""

    key = "difference_amplifier"
    title = "Difference amplifier"
    description = ("Difference (differential) amplifier: one op-amp and four resistors that subtract two input signals "
                   "and amplify their difference by R2/R1 while rejecting what they have in common (CMRR).")
    measures = {"gain": "", "bandwidth": "Hz", "cmrr_db": "dB"}
    inverting = True
    ports = {"a": "inverting input", "b": "non-inverting input", "out": "output", "vcc": "positive supply",
             "vee": "negative supply", "0": "ground"}
    slots = (
        Slot("gain", "", "differential gain: amplify the difference by, times", required=True, tol=0.02),
        Slot("cmrr_db", "dB", "common-mode rejection ratio CMRR", op=">=", inequality=True),
        Slot("bandwidth", "Hz", "bandwidth", op=">=", inequality=True),
    ) + OPAMP_SLOTS

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
        a, b = v["R2"] / v["R1"], v["R4"] / v["R3"]
        out["gain"] = (a + b * (1 + a) / (1 + b)) / 2
        acm = abs(b * (1 + a) / (1 + b) - a)
        out["cmrr_db"] = 20 * math.log10(out["gain"] / acm) if acm > 0 else 140.0
        return out

    def build(self, v):
        return (f"{self.bias_lines()}R1 a fb {fmt(v['R1'])}\nR2 fb out {fmt(v['R2'])}\nR3 b p {fmt(v['R3'])}\n"
                f"R4 p {self.ref} {fmt(v['R4'])}\n{self.x('p', 'fb', 'out')}")

    def decks(self, v):
        dm = self.deck(v, self._ac_sweep(self.oa.gbw), "VA a 0 DC 0 AC -0.5\nVB b 0 DC 0 AC 0.5\n")
        cm = self.deck(v, ".ac dec 5 100 1k\n", "VA a 0 DC 0 AC 1\nVB b 0 DC 0 AC 1\n")
        return [("ac", dm), ("cm", cm)]

    def notes(self, v):
        return []

    def read(self, res, v):
        out = super().read(res, v)
        acm = float(np.max(np.abs(res["cm"]["out"])))
        out["cmrr_db"] = 20 * math.log10(out["gain"] / acm) if acm > 0 else 140.0
        return out


class SummingAmplifier(_Amplifier):
    """Inverting summer: V_out = −(RF/R1·V1 + RF/R2·V2)."""

    key = "summing_amplifier"
    title = "Summing amplifier"
    description = ("Summing amplifier (mixer, adder): two input signals, each through its own resistor, added "
                   "at the op-amp's − input; each input has its own gain RF/R1 and RF/R2, the sum comes out sign-reversed.")
    measures = {"gain1": "", "gain2": "", "bandwidth": "Hz"}
    inverting = True
    ports = {"a": "input 1", "b": "input 2", "out": "output", "vcc": "positive supply", "vee": "negative supply",
             "0": "ground"}
    slots = (
        Slot("gain1", "", "gain of the first input, input 1", required=True, tol=0.02),
        Slot("gain2", "", "gain of the second input, input 2", tol=0.02),
    ) + OPAMP_SLOTS

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

    def build(self, v):
        a, b = ("ia", "ib") if self.single else ("a", "b")
        cin = "CIN1 a ia 10u\nCIN2 b ib 10u\n" if self.single else ""
        return (f"{self.bias_lines()}{cin}R1 {a} fb {fmt(v['R1'])}\nR2 {b} fb {fmt(v['R2'])}\nRF fb out {fmt(v['RF'])}\n"
                f"{self.x(self.ref, 'fb', 'out')}")

    def decks(self, v):
        d1 = self.deck(v, self._ac_sweep(self.oa.gbw), "VA a 0 DC 0 AC 1\nVB b 0 DC 0\n")
        d2 = self.deck(v, ".ac dec 5 100 1k\n", "VA a 0 DC 0\nVB b 0 DC 0 AC 1\n")
        return [("ac", d1), ("ac2", d2)]

    def notes(self, v):
        return []

    def read(self, res, v):
        f, h = res["ac"]["frequency"], res["ac"]["out"]
        m = db(h)
        i = int(np.argmax(m))
        bw = crossing_freq(f, m, m[i] - 3.0103, "down", start=i)
        return {"gain1": float(abs(h[i])), "gain2": float(np.max(np.abs(res["ac2"]["out"]))),
                "bandwidth": bw if bw is not None else math.nan}


class _UnityGainBlock(_Amplifier):
    """Integrator and differentiator: specified by the frequency where |gain| crosses 1."""

    measures = {"f_unity": "Hz"}
    crossing = "down"

    def noise_gain(self, v):
        return 1.0

    def ideal_gain(self, v):
        return 1.0

    def read(self, res, v):
        f, h = res["ac"]["frequency"], res["ac"]["out"]
        m = db(h)
        start = int(np.argmax(m)) if self.crossing == "down" else 0
        fu = crossing_freq(f, m, 0.0, self.crossing, start=start)
        return {"f_unity": fu if fu is not None else math.nan}

    def notes(self, v):
        return []


class Integrator(_UnityGainBlock):
    """Inverting integrator with a DC-gain-limiting resistor RF = 100·R (unity-gain frequency 1/(2πRC))."""

    key = "integrator"
    title = "Op-amp integrator"
    description = ("Op-amp integrator: an input resistor and a feedback capacitor make the output the time integral of "
                   "the input; its gain falls 20 dB per decade and crosses unity (0 dB) at 1/(2πRC). A large resistor "
                   "across the capacitor limits the DC gain.")
    slots = (
        Slot("f_unity", "Hz", "unity-gain frequency where the gain crosses 1 (0 dB)", required=True, tol=0.1),
    ) + OPAMP_SLOTS

    def params(self):
        return [Param("R1", "R", 1e3, 1e6), Param("C1", "C", 100e-12, 10e-6)]

    def check_feasible(self, specs):
        self.check_supply()
        f = specs.get("f_unity")
        if f and f.target > self.oa.gbw / 3:
            raise Infeasible(f"an integrator crossing unity gain at {format_value(f.target, 'Hz')} needs an op-amp much faster "
                             f"than the {str(self.env['opamp']).upper()} ({format_value(self.oa.gbw, 'Hz')} GBW)")

    def guess(self, specs):
        f = specs["f_unity"].target
        r = 10e3
        return {"R1": r, "C1": 1 / (TWO_PI * r * f)}

    def predict(self, v):
        return {"f_unity": 1 / (TWO_PI * v["R1"] * v["C1"])}

    def build(self, v):
        n = self.input_node("i")
        cin = "CIN in i 100u\n" if self.single else ""
        return (f"{self.bias_lines()}{cin}R1 {n} fb {fmt(v['R1'])}\nC1 fb out {fmt(v['C1'])}\n"
                f"RF fb out {fmt(100 * v['R1'])}\n{self.x(self.ref, 'fb', 'out')}")

    def decks(self, v):
        f = self.predict(v)["f_unity"]
        return [("ac", self.deck(v, f".ac dec 60 {fmt(f / 1000)} {fmt(f * 100)}\n"))]


class Differentiator(_UnityGainBlock):
    """Inverting differentiator (C1 in, RF feedback) with a small input resistor RS = RF/30 for stability."""

    key = "differentiator"
    title = "Op-amp differentiator"
    description = ("Op-amp differentiator: an input capacitor and a feedback resistor make the output proportional to "
                   "the rate of change of the input; its gain rises 20 dB per decade through unity at 1/(2πRC).")
    crossing = "up"
    slots = (
        Slot("f_unity", "Hz", "unity-gain frequency where the gain crosses 1 (0 dB)", required=True, tol=0.1),
    ) + OPAMP_SLOTS

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
                             f"it, which the {str(self.env['opamp']).upper()}'s {format_value(self.oa.gbw, 'Hz')} GBW cannot give")

    def build(self, v):
        return (f"{self.bias_lines()}RS in m {fmt(v['RF'] / 30)}\nC1 m fb {fmt(v['C1'])}\nRF fb out {fmt(v['RF'])}\n"
                f"{self.x(self.ref, 'fb', 'out')}")

    def decks(self, v):
        f = self.predict(v)["f_unity"]
        return [("ac", self.deck(v, f".ac dec 60 {fmt(f / 100)} {fmt(f * 10)}\n"))]


class SallenKeyLowPass(_Amplifier):
    """Unity-gain Sallen-Key low-pass: f0 = 1/(2π√(R1R2C1C2)), Q = √(R1R2C1C2)/(C2(R1+R2))."""

    key = "sallen_key_lowpass"
    passes = "low"
    title = "Sallen-Key low-pass filter"
    description = ("Sallen-Key active low-pass filter: a second-order (two-pole, 12 dB/octave, −40 dB/decade) op-amp "
                   "filter with two resistors and two capacitors around a unity-gain buffer; Butterworth, Bessel or "
                   "Chebyshev response set by its Q; used as an anti-aliasing filter.")
    measures = {"f_c": "Hz", "q": ""}
    slots = (
        Slot("f_c", "Hz", "cut-off frequency, corner, -3 dB point of the filter, roll-off above", required=True, tol=0.1),
        Slot("q", "", "quality factor Q (0.707 Butterworth)", tol=0.05),
    ) + OPAMP_SLOTS
    # filter responses named by word: their pole Q (Butterworth maximally flat, Bessel linear phase)
    named_values = {"butterworth": ("q", 0.7071), "bessel": ("q", 0.5774)}

    def params(self):
        return [Param("R1", "R", 1e3, 1e6), Param("R2", "R", 1e3, 1e6), Param("C1", "C", 100e-12, 10e-6),
                Param("C2", "C", 100e-12, 10e-6)]

    def noise_gain(self, v):
        return 1.0

    def ideal_gain(self, v):
        return 1.0

    def guess(self, specs):
        fc = specs["f_c"].target
        q = specs["q"].target if "q" in specs else 0.7071
        r = 10e3
        # equal resistors: Q = 0.5·√(C1/C2); f0 = 1/(2πR√(C1C2)); f_c from f0 by the Q
        a = 1 - 1 / (2 * q * q)
        f0 = fc / math.sqrt(a + math.sqrt(a * a + 1))
        c2 = 1 / (TWO_PI * r * f0 * 2 * q)
        c1 = 4 * q * q * c2
        return {"R1": r, "R2": r, "C1": c1, "C2": c2}

    def _f0q(self, v):
        p = v["R1"] * v["R2"] * v["C1"] * v["C2"]
        f0 = 1 / (TWO_PI * math.sqrt(p))
        q = math.sqrt(p) / (v["C2"] * (v["R1"] + v["R2"]))
        return f0, q

    def predict(self, v):
        f0, q = self._f0q(v)
        a = 1 - 1 / (2 * q * q)
        fc = f0 * math.sqrt(a + math.sqrt(a * a + 1))
        return {"f_c": fc, "q": q, "gain": 1.0}

    def check_feasible(self, specs):
        self.check_supply()
        f = specs.get("f_c")
        if f and f.target > self.oa.gbw / 10:
            raise Infeasible(f"a unity-gain Sallen-Key at {format_value(f.target, 'Hz')} needs an op-amp with GBW well above "
                             f"{format_value(10 * f.target, 'Hz')}; the {str(self.env['opamp']).upper()} has {format_value(self.oa.gbw, 'Hz')}")

    def build(self, v):
        a0 = self.input_node("s")
        return (f"{self.bias_lines()}{self.coupled_input(a0)}R1 {a0} a {fmt(v['R1'])}\nR2 a p {fmt(v['R2'])}\n"
                f"C1 a out {fmt(v['C1'])}\nC2 p {self.ref} {fmt(v['C2'])}\n{self.x('p', 'out', 'out')}")

    def decks(self, v):
        f0, _ = self._f0q(v)
        return [("ac", self.deck(v, f".ac dec 100 {fmt(f0 / 100)} {fmt(f0 * 20)}\n"))]

    def read(self, res, v):
        f, h = np.real(res["ac"]["frequency"]), res["ac"]["out"]
        f0, _ = self._f0q(v)
        i0 = int(np.argmin(np.abs(np.log(f / (f0 / 10)))))  # the pass band, above any input coupling
        m = db(h)
        fc = crossing_freq(f, m, m[i0] - 3.0103, "down", start=i0)
        ph = np.unwrap(np.angle(h))
        idx = np.where(ph - ph[i0] <= -math.pi / 2)[0]
        q = float(abs(h[int(idx[0])]) / abs(h[i0])) if len(idx) else math.nan
        return {"f_c": fc if fc is not None else math.nan, "q": q}


class Comparator(_OpAmpBlock):
    """Comparator: input on +, a reference divider R1 (V+ to ref) / R2 (ref to ground) on −."""

    key = "comparator"
    title = "Op-amp comparator"
    description = ("Op-amp comparator with a resistor-divider reference: the output switches high when the input rises "
                   "past one threshold (trip point, reference voltage) set by two resistors from the supply; a level or "
                   "threshold detector.")
    measures = {"v_threshold": "V", "i_reference": "A"}
    needs_bias = False
    slots = (
        Slot("v_threshold", "V", "threshold voltage where the comparator trips, switches, reference level, trip point",
             required=True, tol=0.02),
        Slot("i_reference", "A", "current drawn by the reference divider", op="<=", inequality=True),
        Slot("vcc", "V", "supply voltage: runs at or from this rail, powered from, on a supply", role="env",
             pair="vee", prior=0.2),
    )

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

    def build(self, v):
        return f"R1 vcc m {fmt(v['R1'])}\nR2 m vee {fmt(v['R2'])}\n{self.x('in', 'm', 'out')}"

    def decks(self, v):
        return [("dc", f"comparator\n{self.build(v)}{self.supply_lines()}VIN in 0 DC 0\n"
                       f".dc VIN {fmt(self.env['vee'])} {fmt(self.env['vcc'])} 0.001\n.end\n")]

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
    """Inverting Schmitt trigger: input on −; + pin fed by RA (to V+), RB (to V−) and RF (from the output)."""

    key = "schmitt_trigger"
    title = "Schmitt trigger (comparator with hysteresis)"
    description = ("Schmitt trigger: a comparator with hysteresis (positive feedback) that switches at an upper "
                   "threshold when the input rises and at a lower threshold when it falls, so noise cannot make it chatter; "
                   "set by two thresholds or a threshold and a hysteresis width.")
    measures = {"v_th_high": "V", "v_th_low": "V", "hysteresis": "V"}
    default_env = {**_OpAmpBlock.default_env, "v_center": 0.0}
    # both thresholds, or one and the width, or the width alone (centred on v_center, mid-supply by default)
    requires_one_of = (("v_th_high", "v_th_low"), ("hysteresis",))
    needs_bias = False
    slots = (
        Slot("v_th_high", "V", "upper threshold: switches when the input rises above, going up, rising trip, turn on above",
             tol=0.03, prior=0.15),
        Slot("v_th_low", "V", "lower threshold: switches when the input falls below, going down, falling trip, off below",
             tol=0.03, prior=0.15),
        Slot("hysteresis", "V", "hysteresis width: the gap between the two thresholds", tol=0.1),
        Slot("v_center", "V", "centre of the hysteresis window: the thresholds sit around it, centred at, midpoint",
             role="env"),
        Slot("vcc", "V", "supply voltage: runs at or from this rail, powered from, on a supply", role="env", pair="vee", prior=0.2),
    )

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
                             f"{str(self.env['opamp']).upper()} on this supply)")
        for k in ("v_th_high", "v_th_low"):
            s = specs.get(k)
            if s and not (self.env["vee"] < s.target < self.env["vcc"]):
                raise Infeasible(f"the {'upper' if k == 'v_th_high' else 'lower'} threshold "
                                 f"({format_value(s.target, 'V')}) must lie between the supply rails "
                                 f"({format_value(self.env['vee'], 'V')} to {format_value(self.env['vcc'], 'V')})")
        hi, lo = specs.get("v_th_high"), specs.get("v_th_low")
        if not (hi and lo) and not h:
            raise Infeasible("a Schmitt trigger needs both switching thresholds, or the hysteresis width")
        if hi and lo and hi.target <= lo.target:
            raise Infeasible("the upper threshold must be above the lower one")
        if hi and lo and hi.target - lo.target >= voh - vol:
            raise Infeasible(f"thresholds {format_value(hi.target - lo.target, 'V')} apart need more output swing than the "
                             f"{str(self.env['opamp']).upper()} has on this supply ({format_value(voh - vol, 'V')})")

    def guess(self, specs):
        voh, vol = self._rails()
        hi = specs["v_th_high"].target if "v_th_high" in specs else None
        lo = specs["v_th_low"].target if "v_th_low" in specs else None
        hy = specs["hysteresis"].target if "hysteresis" in specs else 0.5
        if hi is None and lo is None:
            mid = self.env.get("v_center") or (self.env["vcc"] + self.env["vee"]) / 2
            hi, lo = mid + hy / 2, mid - hy / 2
        elif hi is None:
            hi = lo + hy
        elif lo is None:
            lo = hi - hy
        # hysteresis = (voh-vol)·gf/gt ; lower threshold = (vcc·ga + vee·gb + vol·gf)/gt
        gt = 1 / 10e3
        gf = (hi - lo) / (voh - vol) * gt
        rest = lo * gt - vol * gf
        ga = (rest - self.env["vee"] * (gt - gf)) / (self.env["vcc"] - self.env["vee"])
        gb = gt - gf - ga
        ga, gb, gf = max(ga, 1e-7), max(gb, 1e-7), max(gf, 1e-8)
        return {"RA": 1 / ga, "RB": 1 / gb, "RF": 1 / gf}

    def predict(self, v):
        hi, lo = self._thresholds(v)
        return {"v_th_high": hi, "v_th_low": lo, "hysteresis": hi - lo}

    def build(self, v):
        return (f"RA vcc p {fmt(v['RA'])}\nRB p vee {fmt(v['RB'])}\nRF out p {fmt(v['RF'])}\n"
                f"{self.x('p', 'in', 'out')}")

    def decks(self, v):
        vcc, vee = self.env["vcc"], self.env["vee"]
        t = 20e-3
        return [("tran", f"Schmitt trigger\n{self.build(v)}{self.supply_lines()}"
                         f"VIN in 0 PWL(0 {fmt(vee)} {fmt(t / 2)} {fmt(vcc)} {fmt(t)} {fmt(vee)})\n"
                         f".tran {fmt(t / 4000)} {fmt(t)}\n.end\n")]

    def read(self, res, v):
        r = res["tran"]
        t, vin, out = (np.real(r[k]) for k in ("time", "in", "out"))
        mid = (out.max() + out.min()) / 2
        half = len(t) // 2
        down = np.where((out[:-1] > mid) & (out[1:] <= mid))[0]
        up = np.where((out[:-1] < mid) & (out[1:] >= mid))[0]
        d = [i for i in down if i < half]
        u = [i for i in up if i >= half]
        if not d or not u:
            raise ValueError("the output did not switch both ways")
        hi, lo = float(vin[d[0]]), float(vin[u[0]])
        return {"v_th_high": hi, "v_th_low": lo, "hysteresis": hi - lo}
