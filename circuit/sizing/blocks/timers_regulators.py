"""NE555 astable and monostable, LM317 and zener regulators.

The NE555 is a behavioural model of its datasheet block diagram: comparators at 2/3 and 1/3 of
VCC, an SR latch (a state node with a 1 ns memory), the discharge transistor and an output that
swings to VCC − 1.7 V (TI NE555 SLFS022: VOH typ VCC − 1.4 to 1.7 V).
"""

from __future__ import annotations

import math

import numpy as np

from circuit.sizing.block import Block, Infeasible, Param, fmt
from circuit.sizing.devices import ZENER_MODEL
from circuit.sizing.measure import frequency_and_duty
from circuit.units import format_value

LN2 = math.log(2)

NE555 = """.subckt NE555 gnd trig out reset ctrl thr disch vcc
R1 vcc ctrl 5k
R2 ctrl lo 5k
R3 lo gnd 5k
Bset sraw gnd V = (v(reset,gnd) < 0.7) ? 0 : ((v(trig,gnd) < v(lo,gnd)) ? 1 : ((v(thr,gnd) > v(ctrl,gnd)) ? 0 : (v(state,gnd) > 0.5 ? 1 : 0)))
Rmem sraw state 1k
Cmem state gnd 1p
Bout out gnd V = v(state,gnd) > 0.5 ? max(v(vcc,gnd) - 1.7, 0) : 0.1
Sdis disch gnd gnd state SDIS
.model SDIS SW(VT=-0.5 VH=0.01 RON=10 ROFF=100Meg)
.ends NE555
"""


class _Timer555(Block):
    default_env = {"vcc": 5.0}

    def supply(self) -> str:
        return f"VCC vcc 0 DC {fmt(self.env['vcc'])}\n{NE555}"

    def check_feasible(self, specs):
        if not (4.5 <= self.env["vcc"] <= 16):
            raise Infeasible("the NE555 runs from 4.5 V to 16 V (TI NE555 recommended operating conditions)")


class Astable555(_Timer555):
    """f = 1.44/((RA + 2RB)C), duty = (RA + RB)/(RA + 2RB)."""

    key = "ne555_astable"
    title = "NE555 astable oscillator"
    words = ("555 astable", "555 oscillator", "555 timer", "ne555", "astable", "square wave generator", "blinker")
    measures = {"frequency": "Hz", "duty": ""}

    def params(self):
        return [Param("RA", "R", 1e3, 1e6, tolerance=0.05), Param("RB", "R", 1e3, 1e6, tolerance=0.05),
                Param("C1", "C", 1e-9, 100e-6)]

    def check_feasible(self, specs):
        super().check_feasible(specs)
        d = specs.get("duty")
        if d and d.op == "=" and d.target <= 0.5:
            raise Infeasible("a plain 555 astable has a duty cycle above 50 % (it charges through RA + RB and discharges "
                             "through RB alone); add a diode across RB for duty cycles of 50 % or less")

    def guess(self, specs):
        f = specs["frequency"].target
        d = specs["duty"].target if "duty" in specs else 0.6
        c = 10e-9 if f > 1e3 else (100e-9 if f > 10 else 10e-6)
        total = 1 / (f * LN2 * c)  # RA + 2RB
        rb = total * (1 - d)
        ra = max(total - 2 * rb, 1e3)
        return {"RA": ra, "RB": rb, "C1": c}

    def predict(self, v):
        ra, rb, c = v["RA"], v["RB"], v["C1"]
        return {"frequency": 1 / (LN2 * (ra + 2 * rb) * c), "duty": (ra + rb) / (ra + 2 * rb)}

    def decks(self, v):
        f = self.predict(v)["frequency"]
        period = 1 / f
        t_end = 8 * period
        return [("tran", f"NE555 astable\n{self.supply()}RA vcc dis {fmt(v['RA'])}\nRB dis thr {fmt(v['RB'])}\n"
                         f"C1 thr 0 {fmt(v['C1'])}\nCCTRL ctrl 0 10n\nXU1 0 thr out vcc ctrl thr dis vcc NE555\n"
                         f".tran {fmt(period / 400)} {fmt(t_end)} 0 {fmt(period / 400)} uic\n.end\n")]

    def read(self, res, v):
        r = res["tran"]
        fd = frequency_and_duty(r["time"], r["out"], skip=1)
        if fd is None:
            raise ValueError("no oscillation")
        return {"frequency": fd[0], "duty": fd[1]}


class Monostable555(_Timer555):
    """Pulse width t = 1.1·R·C."""

    key = "ne555_monostable"
    title = "NE555 monostable (one-shot)"
    words = ("555 monostable", "monostable", "one-shot", "one shot", "pulse stretcher", "timer delay")
    measures = {"pulse_width": "s"}

    def params(self):
        return [Param("R1", "R", 1e3, 1e6, tolerance=0.05), Param("C1", "C", 1e-9, 1000e-6)]

    def guess(self, specs):
        t = specs["pulse_width"].target
        c = 10e-9 if t < 1e-3 else (1e-6 if t < 0.1 else 100e-6)
        return {"R1": t / (1.1 * c), "C1": c}

    def predict(self, v):
        return {"pulse_width": math.log(3) * v["R1"] * v["C1"]}

    def decks(self, v):
        t = self.predict(v)["pulse_width"]
        return [("tran", f"NE555 monostable\n{self.supply()}VTRIG trig 0 PULSE({fmt(self.env['vcc'])} 0 {fmt(t * 0.1)} 1n 1n "
                         f"{fmt(t * 0.05)} {fmt(t * 10)})\nR1 vcc thr {fmt(v['R1'])}\nC1 thr 0 {fmt(v['C1'])}\n"
                         f"CCTRL ctrl 0 10n\nXU1 0 trig out vcc ctrl thr thr vcc NE555\n"
                         f".tran {fmt(t / 2000)} {fmt(t * 2)} 0 {fmt(t / 2000)} uic\n.end\n")]

    def read(self, res, v):
        r = res["tran"]
        t, out = np.real(r["time"]), np.real(r["out"])
        level = (out.max() + out.min()) / 2
        hi = np.where(out > level)[0]
        if len(hi) == 0:
            raise ValueError("no pulse")
        return {"pulse_width": float(t[hi[-1]] - t[hi[0]])}


class LM317Regulator(Block):
    """VOUT = 1.25 V·(1 + R2/R1) + IADJ·R2 (TI LM317 SLVS044: VREF 1.25 V, IADJ 50 µA, dropout ~2 V at 1 A)."""

    key = "lm317_regulator"
    title = "LM317 adjustable regulator"
    words = ("lm317", "adjustable regulator", "adjustable voltage regulator", "linear regulator")
    measures = {"vout": "V", "p_dissipation": "W", "i_min_load_ok": ""}
    default_env = {"vin": 12.0, "i_load": 0.1, "p_max": 2.0}

    def params(self):
        return [Param("R1", "R", 100, 1e3), Param("R2", "R", 100, 10e3)]

    def check_feasible(self, specs):
        v = specs.get("vout")
        if v and v.target > self.env["vin"] - 2.0:
            raise Infeasible(f"the LM317 needs about 2 V of headroom: {format_value(v.target, 'V')} out needs at least "
                             f"{format_value(v.target + 2, 'V')} in (have {format_value(self.env['vin'], 'V')})")
        if v and v.target < 1.25:
            raise Infeasible("the LM317 cannot regulate below its 1.25 V reference")
        if v:
            p = (self.env["vin"] - v.target) * self.env["i_load"]
            if p > self.env["p_max"]:
                raise Infeasible(f"dropping {format_value(self.env['vin'] - v.target, 'V')} at "
                                 f"{format_value(self.env['i_load'], 'A')} burns {format_value(p, 'W')} in the LM317, more than "
                                 f"its heatsink allows ({format_value(self.env['p_max'], 'W')}): a switching buck converter is needed")

    def guess(self, specs):
        v = specs["vout"].target
        r1 = 240.0
        return {"R1": r1, "R2": r1 * (v / 1.25 - 1)}

    def predict(self, v):
        vout = 1.25 * (1 + v["R2"] / v["R1"]) + 50e-6 * v["R2"]
        return {"vout": vout, "p_dissipation": (self.env["vin"] - vout) * self.env["i_load"],
                "i_min_load_ok": 1.0 if 1.25 / v["R1"] >= 3.5e-3 else 0.0}

    def decks(self, v):
        return [("op", f"LM317\nVIN vin 0 DC {fmt(self.env['vin'])}\nBREG o 0 V = min(v(vin) - 2.0, v(adj) + 1.25)\n"
                       f"RO o out 0.01\nIADJ out adj DC 50u\nR1 out adj {fmt(v['R1'])}\nR2 adj 0 {fmt(v['R2'])}\n"
                       f"ILOAD out 0 DC {fmt(self.env['i_load'])}\n.op\n.end\n")]

    def read(self, res, v):
        vout = res["op"].node("out")
        return {"vout": vout, "p_dissipation": (self.env["vin"] - vout) * self.env["i_load"],
                "i_min_load_ok": 1.0 if 1.25 / v["R1"] >= 3.5e-3 else 0.0}


class ZenerRegulator(Block):
    """Series resistor + zener shunt regulator. Specs: ``vout``, ``line_regulation`` (ΔVout over the input range),
    ``p_zener`` (worst case, no load at max input)."""

    key = "zener_regulator"
    title = "Zener shunt regulator"
    words = ("zener regulator", "zener", "shunt regulator", "zener diode regulator")
    measures = {"vout": "V", "line_regulation": "V", "p_zener": "W", "iz_min": "A"}
    default_env = {"vin_min": 9.0, "vin_max": 12.0, "vz": 5.1, "i_load": 0.01, "pz_max": 1.0, "iz_knee": 1e-3}

    def params(self):
        return [Param("RS", "R", 10, 100e3, tolerance=0.05)]

    def check_feasible(self, specs):
        if self.env["vin_min"] <= self.env["vz"] + 0.5:
            raise Infeasible("the input must stay above the zener voltage (plus the resistor's drop) to regulate")

    def guess(self, specs):
        i_total = self.env["i_load"] + 5e-3
        return {"RS": (self.env["vin_min"] - self.env["vz"]) / i_total}

    def predict(self, v):
        vz = self.env["vz"]
        i_min = (self.env["vin_min"] - vz) / v["RS"] - self.env["i_load"]
        i_max = (self.env["vin_max"] - vz) / v["RS"]
        return {"vout": vz, "line_regulation": 2 * (i_max - i_min) + 0.0, "p_zener": vz * i_max, "iz_min": i_min}

    def decks(self, v):
        model = ZENER_MODEL.format(bv=fmt(self.env["vz"]))
        body = (f"RS vin out {fmt(v['RS'])}\nDZ 0 out DZ\n.model DZ {model}\n")
        lo = f"zener at VIN min\nVIN vin 0 DC {fmt(self.env['vin_min'])}\nILOAD out 0 DC {fmt(self.env['i_load'])}\n{body}.op\n.end\n"
        hi = f"zener at VIN max, no load\nVIN vin 0 DC {fmt(self.env['vin_max'])}\n{body}.op\n.end\n"
        hl = f"zener at VIN max\nVIN vin 0 DC {fmt(self.env['vin_max'])}\nILOAD out 0 DC {fmt(self.env['i_load'])}\n{body}.op\n.end\n"
        return [("lo", lo), ("hi", hi), ("hl", hl)]

    def read(self, res, v):
        v_lo, v_hl = res["lo"].node("out"), res["hl"].node("out")
        v_hi = res["hi"].node("out")
        iz_hi = (self.env["vin_max"] - v_hi) / v["RS"]
        iz_min = (self.env["vin_min"] - v_lo) / v["RS"] - self.env["i_load"]
        return {"vout": v_lo, "line_regulation": abs(v_hl - v_lo), "p_zener": v_hi * iz_hi, "iz_min": iz_min}
