"""Passive blocks: voltage divider, LED resistor, RC/RL low- and high-pass, series RLC band-pass."""

from __future__ import annotations

import math

import numpy as np

from circuit.led_colors import DEFAULT_COLOUR, colour_vf
from circuit.sizing.block import Block, Infeasible, Param, Slot, fmt
from circuit.sizing.devices import LED_VF, led_model_vf
from circuit.sizing.measure import bandpass, highpass_corner, lowpass_corner
from circuit.units import format_value

TWO_PI = 2 * math.pi


class VoltageDivider(Block):
    key = "voltage_divider"
    title = "Voltage divider"
    description = ("Resistive voltage divider (potential divider): two resistors in series across an input voltage, the "
                   "output taken from their junction is a fixed fraction of the input; gets a lower voltage out of a "
                   "higher rail or supply with only two resistors, scaling a voltage down, e.g. for an ADC input, to sense a battery's "
                   "voltage, or a reference.")
    measures = {"vout": "V", "ratio": "", "r_source": "Ω", "i_divider": "A"}
    default_env = {"vin": 5.0, "r_load": 1e9, "i_load": 0.0}
    ports = {"in": "the voltage to divide", "out": "divided output", "0": "ground"}
    slots = (
        Slot("vout", "V", "output voltage: the divided voltage out, gives, giving, down to, into, produce, for the ADC",
             required=True, tol=0.02),
        Slot("vin", "V", "input voltage being divided: from a supply, rail, battery, in", role="env", prior=0.2),
        Slot("ratio", "", "ratio: the fraction of the input voltage that comes out, the factor it is divided or "
             "scaled down by", role="env"),
        Slot("i_divider", "A", "current through the divider resistors, the bleed current it draws", op="<=",
             inequality=True),
        Slot("r_source", "Ω", "source impedance or output resistance of the divider", op="<=", inequality=True),
        Slot("r_load", "Ω", "load resistance on the output", role="env"),
        Slot("i_load", "A", "load current: what the circuit, sensor or module fed from the output draws", role="env"),
        Slot("R1", "Ω", "top resistor, upper resistor from the input", role="fixed"),
        Slot("R2", "Ω", "bottom resistor, lower resistor to ground", role="fixed"),
    )

    def params(self):
        return [Param("R1", "R", 10, 10e6), Param("R2", "R", 10, 10e6)]

    @classmethod
    def derived_specs(cls, env):
        """The output a stated ratio gives of a stated input. A divider only divides: a ratio above 1 is the
        factor it divides by ("by 4", "a factor of 5"), one below 1 the fraction it keeps ("a third")."""
        ratio, vin = env.get("ratio"), env.get("vin")
        if not ratio or not vin or ratio <= 0 or ratio == 1:
            return {}
        return {"vout": vin * (ratio if ratio < 1 else 1 / ratio)}

    def adapt(self, specs):
        """A load that draws a stated current at the output is a resistance of vout / i_load there."""
        i, v = float(self.env.get("i_load") or 0.0), specs.get("vout")
        if i > 0 and v and v.target > 0:
            self.env["r_load"] = v.target / i

    def notes(self, values):
        if float(self.env.get("i_load") or 0.0) <= 0:
            return []
        return [f"sized for a load drawing {format_value(self.env['i_load'], 'A')} at the output: when its current "
                "changes, a divider's output moves with it; a regulator holds a supply steady and wastes less"]

    def check_feasible(self, specs):
        vin = self.env["vin"]
        v = specs.get("vout")
        if v and not (0 < v.target < vin):
            raise Infeasible(f"a divider can only give an output between 0 and its input ({format_value(vin, 'V')}); "
                             f"{format_value(v.target, 'V')} is outside that")

    def guess(self, specs):
        vin = self.env["vin"]
        ratio = specs["ratio"].target if "ratio" in specs else specs["vout"].target / vin if "vout" in specs else 0.5
        fx = self.fixed
        if "R1" in fx:
            return {"R1": fx["R1"], "R2": fx["R1"] * ratio / (1 - ratio)}
        if "R2" in fx:
            return {"R2": fx["R2"], "R1": fx["R2"] * (1 - ratio) / ratio}
        if "r_source" in specs:
            rs = specs["r_source"].target * 0.8
            return {"R1": rs / ratio, "R2": rs / (1 - ratio)}
        total = vin / (specs["i_divider"].target * 0.8) if "i_divider" in specs else 20e3
        return {"R1": total * (1 - ratio), "R2": total * ratio}

    def predict(self, v):
        r2l = 1 / (1 / v["R2"] + 1 / self.env["r_load"])
        ratio = r2l / (v["R1"] + r2l)
        return {"vout": self.env["vin"] * ratio, "ratio": ratio, "r_source": 1 / (1 / v["R1"] + 1 / r2l),
                "i_divider": self.env["vin"] / (v["R1"] + r2l)}

    def build(self, v):
        return f"R1 in out {fmt(v['R1'])}\nR2 out 0 {fmt(v['R2'])}\n"

    def decks(self, v):
        return [("op", f"voltage divider\n{self.build(v)}VIN in 0 DC {fmt(self.env['vin'])}\n"
                       f"RL out 0 {fmt(self.env['r_load'])}\n.op\n.end\n")]

    def read(self, res, v):
        op = res["op"]
        vout = op.node("out")
        i = -op.current("vin")
        vin = self.env["vin"]
        r2l = 1 / (1 / v["R2"] + 1 / self.env["r_load"])
        return {"vout": vout, "ratio": vout / vin, "r_source": 1 / (1 / v["R1"] + 1 / r2l), "i_divider": i}


class LedDriver(Block):
    key = "led_driver"
    title = "LED with series resistor"
    description = ("LED with a series current-limiting resistor: the resistor drops the supply voltage minus the LED's "
                   "forward voltage and sets the LED current; an indicator light driven from a supply or a logic pin.")
    measures = {"i_led": "A", "p_resistor": "W"}
    default_env = {"vsupply": 5.0, "color": "red", "vf": 0.0, "n_leds": 1}  # vf 0: the colour's typical forward voltage
    ports = {"vs": "supply or driving pin", "0": "ground"}
    slots = (
        Slot("i_led", "A", "LED current: the current through the LED, run it at, about", required=True, tol=0.1),
        Slot("vsupply", "V", "supply voltage feeding the LED: from a pin, rail, battery, supply, off, on", role="env",
             prior=0.2),
        Slot("vf", "V", "LED forward voltage: Vf", role="env"),
        Slot("n_leds", "", "number of LEDs in series: a string or chain of LEDs", role="env"),
        Slot("R1", "Ω", "series resistor", role="fixed"),
    )

    def params(self):
        return [Param("R1", "R", 10, 1e6, tolerance=0.05)]

    def _vf(self):
        """The stated forward voltage, else the colour's typical one."""
        if float(self.env.get("vf") or 0.0) > 0:
            return float(self.env["vf"])
        return colour_vf(self.env["color"], LED_VF[DEFAULT_COLOUR])

    @property
    def n(self) -> int:
        """LEDs in series on the one resistor."""
        return max(1, int(round(float(self.env.get("n_leds") or 1))))

    def _vf_total(self) -> float:
        return self.n * self._vf()

    def check_feasible(self, specs):
        vf = self._vf_total()
        if self.env["vsupply"] <= vf:
            led = (f"{self.n} LEDs in series" if self.n > 1 else "the LED" if float(self.env.get("vf") or 0.0) > 0
                   else f"a {self.env['color']} LED")
            raise Infeasible(f"{led} need{'s' if self.n == 1 else ''} about {format_value(vf, 'V')} to light; the supply "
                             f"({format_value(self.env['vsupply'], 'V')}) is not enough")

    def guess(self, specs):
        i = specs["i_led"].target if "i_led" in specs else 0.01
        return {"R1": (self.env["vsupply"] - self._vf_total()) / i}

    def predict(self, v):
        i = max(self.env["vsupply"] - self._vf_total(), 0) / v["R1"]
        return {"i_led": i, "p_resistor": i * i * v["R1"]}

    def build(self, v):
        color = str(self.env["color"])
        nodes = ["a"] + [f"k{i}" for i in range(1, self.n)] + ["0"]
        leds = "".join(f"*@ D{i + 1} key=led color={color}\nD{i + 1} {nodes[i]} {nodes[i + 1]} DLED\n" for i in range(self.n))
        return f"R1 vs a {fmt(v['R1'])}\n{leds}.model DLED {led_model_vf(self._vf())}\n"

    def decks(self, v):
        return [("op", f"LED driver\n{self.build(v)}VS vs 0 DC {fmt(self.env['vsupply'])}\n.op\n.end\n")]

    def read(self, res, v):
        op = res["op"]
        i = -op.current("vs")
        vr = op.node("vs") - op.node("a")
        return {"i_led": i, "p_resistor": vr * i}


class _FirstOrder(Block):
    """RC or RL first-order filter driven from a source with impedance, into a load."""

    kind = "RC"
    highpass = False

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        cls.passes = "high" if cls.highpass else "low"
    measures = {"f_c": "Hz", "gain_pass": ""}
    default_env = {"r_source": 50.0, "r_load": 1e7}
    ports = {"in": "input", "out": "output", "0": "ground"}

    @classmethod
    def derived_specs(cls, env):
        """A corner stated as a time constant: f_c = 1 / (2π·τ)."""
        tau = float(env.get("tau") or 0.0)
        return {"f_c": 1 / (TWO_PI * tau)} if tau > 0 else {}

    def params(self):
        if self.kind == "RC":
            return [Param("R1", "R", 100, 1e6), Param("C1", "C", 100e-12, 100e-6)]
        return [Param("R1", "R", 1, 100e3), Param("L1", "L", 1e-6, 1.0)]

    def guess(self, specs):
        fc = specs["f_c"].target
        fx = self.fixed
        if self.kind == "RC":
            if "C1" in fx:
                return {"C1": fx["C1"], "R1": 1 / (TWO_PI * fx["C1"] * fc)}
            r = fx.get("R1", specs["r_in"].target if "r_in" in specs else 10e3)
            return {"R1": r, "C1": 1 / (TWO_PI * r * fc)}
        r = fx.get("R1", 1e3 if fc > 1e4 else 100.0)
        return {"R1": r, "L1": r / (TWO_PI * fc)}

    def predict(self, v):
        rl, rs = self.env["r_load"], self.env["r_source"]
        if self.kind == "RC":
            if self.highpass:
                return {"f_c": 1 / (TWO_PI * (rs + 1 / (1 / v["R1"] + 1 / rl)) * v["C1"]), "gain_pass": 1.0}
            return {"f_c": 1 / (TWO_PI * (1 / (1 / (v["R1"] + rs) + 1 / rl)) * v["C1"]), "gain_pass": 1.0}
        return {"f_c": (v["R1"] + rs) / (TWO_PI * v["L1"]), "gain_pass": 1.0}

    def build(self, v):
        if self.kind == "RC" and not self.highpass:
            return f"R1 in out {fmt(v['R1'])}\nC1 out 0 {fmt(v['C1'])}\n"
        if self.kind == "RC":
            return f"C1 in out {fmt(v['C1'])}\nR1 out 0 {fmt(v['R1'])}\n"
        if not self.highpass:
            return f"L1 in out {fmt(v['L1'])}\nR1 out 0 {fmt(v['R1'])}\n"
        return f"R1 in out {fmt(v['R1'])}\nL1 out 0 {fmt(v['L1'])}\n"

    def decks(self, v):
        fc = self.predict(v)["f_c"]
        lo, hi = fc / 1000, fc * 1000
        # the source's own impedance sits between the ideal source and the filter's input
        deck = (f"{self.title}\n{self.build(v)}VIN src 0 DC 0 AC 1\nRS src in {fmt(self.env['r_source'])}\n"
                f"RL out 0 {fmt(self.env['r_load'])}\n.ac dec 60 {fmt(lo)} {fmt(hi)}\n.end\n")
        return [("ac", deck)]

    def read(self, res, v):
        ac = res["ac"]
        f, h = ac["frequency"], ac["out"]
        fc = highpass_corner(f, h) if self.highpass else lowpass_corner(f, h)
        g = abs(h[-1]) if self.highpass else abs(h[0])
        return {"f_c": fc if fc is not None else math.nan, "gain_pass": float(g)}


def _filter_slots(kind: str, part: str) -> tuple[Slot, ...]:
    return (
        Slot("f_c", "Hz", f"cut-off frequency, corner, -3 dB point of the filter, break frequency where the {kind} rolls off",
             required=True, tol=0.1),
        Slot("tau", "s", "time constant of the filter, tau", role="env"),
        Slot("r_source", "Ω", "source impedance driving the filter", role="env"),
        Slot("r_load", "Ω", "load resistance on the output", role="env"),
        Slot("R1", "Ω", "the filter's resistor", role="fixed"),
        Slot(part, "F" if part == "C1" else "H", "the filter's " + ("capacitor" if part == "C1" else "inductor"),
             role="fixed"),
    )


class RCLowPass(_FirstOrder):
    key, title, kind, highpass = "rc_lowpass", "RC low-pass filter", "RC", False
    description = ("Passive first-order RC low-pass filter: a series resistor and a capacitor to ground pass low "
                   "frequencies and attenuate above the corner at −20 dB/decade; smooths PWM, removes noise, anti-aliasing "
                   "for slow signals.")
    slots = _filter_slots("low-pass", "C1")


class RCHighPass(_FirstOrder):
    key, title, kind, highpass = "rc_highpass", "RC high-pass filter", "RC", True
    description = ("Passive first-order RC high-pass filter: a series capacitor and a resistor to ground block DC and "
                   "low frequencies, passing frequencies above the corner; AC coupling, removes hum and offset.")
    slots = _filter_slots("high-pass", "C1")


class RLLowPass(_FirstOrder):
    key, title, kind, highpass = "rl_lowpass", "RL low-pass filter", "RL", False
    description = ("Passive first-order RL low-pass filter with an inductor in series and a resistor to ground; "
                   "passes low frequencies through the inductor (coil, choke).")
    slots = _filter_slots("low-pass", "L1")


class RLHighPass(_FirstOrder):
    key, title, kind, highpass = "rl_highpass", "RL high-pass filter", "RL", True
    description = ("Passive first-order RL high-pass filter with a series resistor and an inductor (coil) to ground; "
                   "passes high frequencies.")
    slots = _filter_slots("high-pass", "L1")


class RLCBandPass(Block):
    """Series L-C with the output across R: a band-pass centred on 1/(2π√LC), Q = √(L/C)/R."""

    key = "rlc_bandpass"
    passes = "band"
    title = "Series RLC band-pass filter"
    description = ("Series RLC band-pass filter: a series inductor-capacitor pair resonates at a centre frequency "
                   "and pass a band around it, its width set by the resistor (Q); a tuned LC resonant filter.")
    measures = {"f0": "Hz", "q": "", "bandwidth": "Hz"}
    default_env = {"r_source": 0.0}
    ports = {"in": "input", "out": "output (across R1)", "0": "ground"}
    slots = (
        Slot("f0", "Hz", "centre frequency, resonance, resonant frequency, centred on, tuned to", required=True, tol=0.1),
        Slot("q", "", "quality factor Q, selectivity", tol=0.1),
        Slot("bandwidth", "Hz", "bandwidth of the pass band, how wide the band is", tol=0.1),
    )

    def params(self):
        return [Param("R1", "R", 1, 100e3), Param("L1", "L", 1e-6, 1.0), Param("C1", "C", 10e-12, 100e-6)]

    def guess(self, specs):
        f0 = specs["f0"].target
        q = specs["q"].target if "q" in specs else (f0 / specs["bandwidth"].target if "bandwidth" in specs else 1.0)
        l = 10e-3 if f0 < 20e3 else 100e-6
        c = 1 / ((TWO_PI * f0) ** 2 * l)
        return {"L1": l, "C1": c, "R1": math.sqrt(l / c) / q}

    def predict(self, v):
        f0 = 1 / (TWO_PI * math.sqrt(v["L1"] * v["C1"]))
        r = v["R1"] + self.env["r_source"]
        q = math.sqrt(v["L1"] / v["C1"]) / r
        return {"f0": f0, "q": q, "bandwidth": f0 / q}

    def build(self, v):
        return f"L1 in m {fmt(v['L1'])}\nC1 m out {fmt(v['C1'])}\nR1 out 0 {fmt(v['R1'])}\n"

    def decks(self, v):
        f0 = self.predict(v)["f0"]
        rs = max(self.env["r_source"], 1e-3)
        return [("ac", f"RLC band-pass\n{self.build(v)}VIN src 0 DC 0 AC 1\nRS src in {fmt(rs)}\n"
                       f".ac dec 400 {fmt(f0 / 100)} {fmt(f0 * 100)}\n.end\n")]

    def read(self, res, v):
        bp = bandpass(res["ac"]["frequency"], res["ac"]["out"])
        if bp is None:
            raise ValueError("no band-pass peak in the sweep")
        f0, _, bw, q = bp
        return {"f0": f0, "q": q, "bandwidth": bw}


class RCDebounce(Block):
    """Switch to ground with a pull-up R1 to VCC and C1 across the switch through R2: pressing discharges C1
    through R2, releasing charges it through R1 + R2; the logic input (a Schmitt-trigger input) sees the
    capacitor. Debounce time: the release delay until the input crosses its high threshold,
    t = (R1 + R2)·C1·ln(VCC / (VCC − V_T+))."""

    key = "rc_debounce"
    title = "RC switch debounce"
    description = ("RC debounce for a push button or mechanical switch: a pull-up resistor and a capacitor slow the "
                   "contact's edges so the bounce is filtered out before a Schmitt-trigger logic input; the debounce "
                   "time is how long the input takes to change after the contact settles.")
    measures = {"t_debounce": "s", "t_press": "s", "i_switch": "A"}
    default_env = {"vcc": 5.0, "v_high_frac": 0.6, "v_low_frac": 0.3}
    ports = {"vcc": "supply", "in": "to the (Schmitt-trigger) logic input", "0": "ground",
             "press": "the button's state in simulation (closed above 0.5 V)"}
    slots = (
        Slot("t_debounce", "s", "debounce time, settle time, delay, filter time for the contact bounce", required=True, tol=0.1),
        Slot("vcc", "V", "logic supply voltage the pull-up goes to", role="env", prior=0.2),
        Slot("R1", "Ω", "pull-up resistor", role="fixed"),
        Slot("C1", "F", "debounce capacitor", role="fixed"),
    )

    def params(self):
        return [Param("R1", "R", 1e3, 1e6), Param("C1", "C", 1e-9, 100e-6)]

    def _k_rel(self) -> float:
        return math.log(1 / (1 - self.env["v_high_frac"]))

    def guess(self, specs):
        t = specs["t_debounce"].target
        fx = self.fixed
        if "C1" in fx:
            return {"C1": fx["C1"], "R1": t / (fx["C1"] * self._k_rel()) - 100}
        r = fx.get("R1", 10e3 if t < 0.02 else 47e3)
        return {"R1": r, "C1": t / ((r + 100) * self._k_rel())}

    def predict(self, v):
        rt = v["R1"] + 100
        t_rel = rt * v["C1"] * self._k_rel()
        t_press = 100 * v["C1"] * math.log(1 / self.env["v_low_frac"])
        return {"t_debounce": t_rel, "t_press": t_press, "i_switch": self.env["vcc"] / 100}

    def build(self, v):
        return (f"R1 vcc in {fmt(v['R1'])}\nC1 in 0 {fmt(v['C1'])}\nR2 in sw 100\n"
                f"*@ S1 key=push-button pins=1,2\nS1 sw 0 press 0 SWB\n.model SWB SW(VT=0.5 VH=0.1 RON=0.05 ROFF=1G)\n")

    def decks(self, v):
        t = self.predict(v)["t_debounce"]
        # held closed, then released at t_rel: the delay until the input crosses the logic high threshold
        t_rel = 2 * t
        deck = (f"RC debounce\n{self.build(v)}VCC vcc 0 DC {fmt(self.env['vcc'])}\n"
                f"VP press 0 PWL(0 1 {fmt(t_rel)} 1 {fmt(t_rel + t / 1000)} 0)\n"
                f".ic v(in)=0\n.tran {fmt(t / 500)} {fmt(t_rel + 4 * t)} 0 {fmt(t / 500)} uic\n.end\n")
        return [("tran", deck)]

    def read(self, res, v):
        r = res["tran"]
        t, vin = np.real(r["time"]), np.real(r["in"])
        t_rel = 2 * self.predict(v)["t_debounce"]
        # the release edge: the input crossing V_T+ of the logic input
        level = self.env["v_high_frac"] * self.env["vcc"]
        above = np.where((vin[:-1] < level) & (vin[1:] >= level))[0]
        if len(above) == 0:
            raise ValueError("the input never rose past the logic threshold")
        i = int(above[-1])
        tc = t[i] + (level - vin[i]) * (t[i + 1] - t[i]) / (vin[i + 1] - vin[i])
        return {"t_debounce": float(tc - t_rel), "t_press": self.predict(v)["t_press"],
                "i_switch": self.env["vcc"] / 100}
