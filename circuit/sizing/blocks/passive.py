"""Passive blocks: voltage divider, LED driver, RC/RL low- and high-pass, series RLC band-pass."""

from __future__ import annotations

import math

from circuit.sizing.block import Block, Infeasible, Param, fmt
from circuit.led_colors import DEFAULT_COLOUR, colour_vf
from circuit.sizing.devices import LED_VF, led_model
from circuit.sizing.measure import bandpass, highpass_corner, lowpass_corner
from circuit.units import format_value

TWO_PI = 2 * math.pi


class VoltageDivider(Block):
    key = "voltage_divider"
    title = "Voltage divider"
    words = ("voltage divider", "divider", "resistor divider", "potential divider")
    measures = {"vout": "V", "ratio": "", "r_source": "Ω", "i_divider": "A"}
    default_env = {"vin": 5.0, "r_load": 1e9}

    def params(self):
        return [Param("R1", "R", 10, 10e6), Param("R2", "R", 10, 10e6)]

    def check_feasible(self, specs):
        vin = self.env["vin"]
        v = specs.get("vout")
        if v and not (0 < v.target < vin):
            raise Infeasible(f"a divider can only give an output between 0 and its input ({format_value(vin, 'V')}); "
                             f"{format_value(v.target, 'V')} is outside that")

    def guess(self, specs):
        vin = self.env["vin"]
        ratio = specs["ratio"].target if "ratio" in specs else specs["vout"].target / vin if "vout" in specs else 0.5
        if "r_source" in specs:
            rs = specs["r_source"].target
            return {"R1": rs / ratio, "R2": rs / (1 - ratio)}
        if "i_divider" in specs:
            total = vin / specs["i_divider"].target
        else:
            total = 20e3
        return {"R1": total * (1 - ratio), "R2": total * ratio}

    def predict(self, v):
        r2l = 1 / (1 / v["R2"] + 1 / self.env["r_load"])
        ratio = r2l / (v["R1"] + r2l)
        return {"vout": self.env["vin"] * ratio, "ratio": ratio, "r_source": 1 / (1 / v["R1"] + 1 / r2l),
                "i_divider": self.env["vin"] / (v["R1"] + r2l)}

    def decks(self, v):
        return [("op", f"voltage divider\nVIN in 0 DC {fmt(self.env['vin'])}\nR1 in out {fmt(v['R1'])}\n"
                       f"R2 out 0 {fmt(v['R2'])}\nRL out 0 {fmt(self.env['r_load'])}\n.op\n.end\n")]

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
    words = ("led resistor", "led driver", "current limiting resistor", "led current", "led")
    measures = {"i_led": "A", "p_resistor": "W"}
    default_env = {"vsupply": 5.0, "color": "red"}

    def params(self):
        return [Param("R1", "R", 10, 1e6, tolerance=0.05)]

    def _vf(self):
        return colour_vf(self.env["color"], LED_VF[DEFAULT_COLOUR])

    def check_feasible(self, specs):
        vf = self._vf()
        if self.env["vsupply"] <= vf:
            raise Infeasible(f"a {self.env['color']} LED needs about {format_value(vf, 'V')} to light; the supply "
                             f"({format_value(self.env['vsupply'], 'V')}) is not enough")

    def guess(self, specs):
        i = specs["i_led"].target if "i_led" in specs else 0.01
        return {"R1": (self.env["vsupply"] - self._vf()) / i}

    def predict(self, v):
        i = max(self.env["vsupply"] - self._vf(), 0) / v["R1"]
        return {"i_led": i, "p_resistor": i * i * v["R1"]}

    def decks(self, v):
        return [("op", f"LED driver\nVS vs 0 DC {fmt(self.env['vsupply'])}\nR1 vs a {fmt(v['R1'])}\nD1 a 0 DLED\n"
                       f".model DLED {led_model(str(self.env['color']))}\n.op\n.end\n")]

    def read(self, res, v):
        op = res["op"]
        i = -op.current("vs")
        vr = op.node("vs") - op.node("a")
        return {"i_led": i, "p_resistor": vr * i}


class _FirstOrder(Block):
    """RC or RL first-order filter driven from a source with impedance, into a load."""

    kind = "RC"
    highpass = False
    measures = {"f_c": "Hz", "gain_pass": ""}
    default_env = {"r_source": 50.0, "r_load": 1e7}

    def params(self):
        if self.kind == "RC":
            return [Param("R1", "R", 100, 1e6), Param("C1", "C", 100e-12, 100e-6)]
        return [Param("R1", "R", 1, 100e3), Param("L1", "L", 1e-6, 1.0)]

    def guess(self, specs):
        fc = specs["f_c"].target
        if self.kind == "RC":
            r = specs.get("r_in").target if "r_in" in specs else 10e3
            return {"R1": r, "C1": 1 / (TWO_PI * r * fc)}
        r = 1e3 if fc > 1e4 else 100.0
        return {"R1": r, "L1": r / (TWO_PI * fc)}

    def predict(self, v):
        rl, rs = self.env["r_load"], self.env["r_source"]
        if self.kind == "RC":
            if self.highpass:
                return {"f_c": 1 / (TWO_PI * (rs + 1 / (1 / v["R1"] + 1 / rl)) * v["C1"]), "gain_pass": 1.0}
            return {"f_c": 1 / (TWO_PI * (1 / (1 / (v["R1"] + rs) + 1 / rl)) * v["C1"]), "gain_pass": 1.0}
        return {"f_c": (v["R1"] + rs) / (TWO_PI * v["L1"]), "gain_pass": 1.0}

    def decks(self, v):
        fc = self.predict(v)["f_c"]
        lo, hi = fc / 1000, fc * 1000
        if self.kind == "RC" and not self.highpass:
            body = f"R1 s out {fmt(v['R1'])}\nC1 out 0 {fmt(v['C1'])}\n"
        elif self.kind == "RC":
            body = f"C1 s out {fmt(v['C1'])}\nR1 out 0 {fmt(v['R1'])}\n"
        elif not self.highpass:
            body = f"L1 s out {fmt(v['L1'])}\nR1 out 0 {fmt(v['R1'])}\n"
        else:
            body = f"R1 s out {fmt(v['R1'])}\nL1 out 0 {fmt(v['L1'])}\n"
        deck = (f"{self.title}\nVIN in 0 DC 0 AC 1\nRS in s {fmt(self.env['r_source'])}\n{body}"
                f"RL out 0 {fmt(self.env['r_load'])}\n.ac dec 60 {fmt(lo)} {fmt(hi)}\n.end\n")
        return [("ac", deck)]

    def read(self, res, v):
        ac = res["ac"]
        f, h = ac["frequency"], ac["out"]
        fc = highpass_corner(f, h) if self.highpass else lowpass_corner(f, h)
        g = abs(h[-1]) if self.highpass else abs(h[0])
        return {"f_c": fc if fc is not None else math.nan, "gain_pass": float(g)}


class RCLowPass(_FirstOrder):
    key, title, kind, highpass = "rc_lowpass", "RC low-pass filter", "RC", False
    words = ("rc low-pass", "rc lowpass", "low-pass filter", "lowpass filter", "low pass filter", "rc filter")


class RCHighPass(_FirstOrder):
    key, title, kind, highpass = "rc_highpass", "RC high-pass filter", "RC", True
    words = ("rc high-pass", "rc highpass", "high-pass filter", "highpass filter", "high pass filter")


class RLLowPass(_FirstOrder):
    key, title, kind, highpass = "rl_lowpass", "RL low-pass filter", "RL", False
    words = ("rl low-pass", "rl lowpass", "rl low pass", "rl low-pass filter", "rl lowpass filter", "rl filter")


class RLHighPass(_FirstOrder):
    key, title, kind, highpass = "rl_highpass", "RL high-pass filter", "RL", True
    words = ("rl high-pass", "rl highpass", "rl high pass", "rl high-pass filter", "rl highpass filter")


class RLCBandPass(Block):
    """Series L-C with the output across R: a band-pass centred on 1/(2π√LC), Q = √(L/C)/R."""

    key = "rlc_bandpass"
    title = "Series RLC band-pass filter"
    words = ("rlc band-pass", "band-pass", "bandpass", "band pass", "lc filter", "rlc filter", "resonant")
    measures = {"f0": "Hz", "q": "", "bandwidth": "Hz"}
    default_env = {"r_source": 0.0}

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

    def decks(self, v):
        f0 = self.predict(v)["f0"]
        rs = max(self.env["r_source"], 1e-3)
        return [("ac", f"RLC band-pass\nVIN in 0 DC 0 AC 1\nRS in s {fmt(rs)}\nL1 s m {fmt(v['L1'])}\n"
                       f"C1 m out {fmt(v['C1'])}\nR1 out 0 {fmt(v['R1'])}\n.ac dec 400 {fmt(f0 / 100)} {fmt(f0 * 100)}\n.end\n")]

    def read(self, res, v):
        bp = bandpass(res["ac"]["frequency"], res["ac"]["out"])
        if bp is None:
            raise ValueError("no band-pass peak in the sweep")
        f0, _, bw, q = bp
        return {"f0": f0, "q": q, "bandwidth": bw}
