"""NE555 astable and monostable, LM317 and zener regulators.

The NE555 is a behavioural model of its datasheet block diagram: comparators at 2/3 and 1/3 of
VCC, an SR latch (a state node with a 1 ns memory), the discharge transistor and an output that
swings to VCC − 1.7 V (TI NE555 SLFS022: VOH typ VCC − 1.4 to 1.7 V). Its node order follows the
package pins (GND, TRIG, OUT, RESET, CTRL, THR, DISCH, VCC), the ``ne555`` record's pin names.
"""

from __future__ import annotations

import math

import numpy as np

from circuit.sizing.block import Block, Infeasible, Param, Slot, default_key, fmt
from circuit.sizing.devices import device_card
from circuit.sizing.measure import frequency_and_duty
from circuit.sizing.spec import Spec
from circuit.units import format_value, nearest_e
from knowledge.library import Library

LN2 = math.log(2)
V_DIODE = 0.65  # 1N4148 forward drop at the few mA a 555 timing network carries
C_SERIES = "E6"  # timing capacitors come in E6 values (10, 22, 47 µF); the resistors (E24) trim the time

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
NE555_PINS = "*@ XU1 key=ne555 pins=GND,TRIG,OUT,RESET,CTRL,THR,DISCH,VCC\n"

_TIMER_SLOTS = (
    Slot("vcc", "V", "supply voltage the 555 runs from: battery, rail, powered from", role="env", prior=0.2),
)


class _Timer555(Block):
    device = "ne555"
    default_env = {"vcc": 5.0, "v_min": 4.5, "v_max": 16.0}  # (v_min, v_max: the timer's supply range, the NE555's)

    def supply(self) -> str:
        return f"VCC vcc 0 DC {fmt(self.env['vcc'])}\n"

    def check_feasible(self, specs):
        # the timer's recommended supply range: the NE555's unless the env carries the part's own (v_min, v_max
        # from its record: a CMOS 555 runs from 2 V); the timing is the same, set by the 1/3 and 2/3 thresholds
        lo, hi = self.env["v_min"], self.env["v_max"]
        if not (lo <= self.env["vcc"] <= hi):
            raise Infeasible(f"the timer runs from {lo:g} V to {hi:g} V (its recommended operating conditions; "
                             "TI NE555: 4.5-16 V)")


class Astable555(_Timer555):
    """Plain: f = 1/(ln2·(RA + 2RB)·C), duty = (RA + RB)/(RA + 2RB) > 50 %.
    With a steering diode across RB (for duty cycles of 50 % or less): C charges through RA and the
    diode, discharges through RB: t_high = RA·C·ln((VCC − Vd − VCC/3)/(VCC − Vd − 2VCC/3)), t_low = ln2·RB·C."""

    key = "ne555_astable"
    title = "NE555 astable oscillator"
    description = ("555 timer astable multivibrator: a free-running square-wave oscillator, clock or blinker; two "
                   "resistors and a timing capacitor set its frequency and duty cycle (high time).")
    measures = {"frequency": "Hz", "duty": ""}
    ports = {"out": "square-wave output", "vcc": "supply", "0": "ground"}
    slots = (
        Slot("frequency", "Hz", "oscillation frequency, rate, blink rate, clock, square wave at, runs at", required=True, tol=0.1),
        Slot("duty", "%", "duty cycle: the fraction of each period the output is high, high time", tol=0.05),
        Slot("t_high", "s", "on time: how long the output stays high or on, on for", role="env"),
        Slot("t_low", "s", "off time: how long the output stays low or off, off for", role="env"),
    ) + _TIMER_SLOTS

    @classmethod
    def derived_specs(cls, env):
        """The frequency and duty of an on time and an off time."""
        th, tl = float(env.get("t_high") or 0), float(env.get("t_low") or 0)
        if th > 0 and tl > 0:
            return {"frequency": 1 / (th + tl), "duty": th / (th + tl)}
        return {}

    def adapt(self, specs) -> None:
        d = specs.get("duty")
        # a plain 555 is always above 50 %: near or below it, a diode across RB
        self.env["diode"] = bool(d and d.target < 0.55)

    def params(self):
        return [Param("RA", "R", 1e3, 1e6, tolerance=0.05), Param("RB", "R", 1e3, 1e6, tolerance=0.05),
                Param("C1", "C", 1e-9, 100e-6, series=C_SERIES)]

    def check_feasible(self, specs):
        super().check_feasible(specs)
        d = specs.get("duty")
        if d and not (0.05 <= d.target <= 0.95):
            raise Infeasible(f"a 555 astable reaches duty cycles between about 5 % and 95 %; {d.target * 100:g} % is outside")

    def _k_high(self) -> float:
        vcc = self.env["vcc"]
        return math.log((vcc - V_DIODE - vcc / 3) / (vcc - V_DIODE - 2 * vcc / 3))

    def guess(self, specs):
        f = specs["frequency"].target
        d = specs["duty"].target if "duty" in specs else 0.6
        # the timing capacitor that puts RA + 2RB near 30 kΩ (well inside 1 kΩ..1 MΩ), as an E6 value
        c = nearest_e(min(max(1 / (f * LN2 * 30e3), 1e-9), 100e-6), "E6")
        if self.env.get("diode"):
            period = 1 / f
            return {"RA": d * period / (self._k_high() * c), "RB": (1 - d) * period / (LN2 * c), "C1": c}
        total = 1 / (f * LN2 * c)  # RA + 2RB
        rb = total * (1 - d)
        ra = max(total - 2 * rb, 1e3)
        return {"RA": ra, "RB": rb, "C1": c}

    def predict(self, v):
        ra, rb, c = v["RA"], v["RB"], v["C1"]
        if self.env.get("diode"):
            th, tl = self._k_high() * ra * c, LN2 * rb * c
            return {"frequency": 1 / (th + tl), "duty": th / (th + tl)}
        return {"frequency": 1 / (LN2 * (ra + 2 * rb) * c), "duty": (ra + rb) / (ra + 2 * rb)}

    def build(self, v):
        diode = ""
        if self.env.get("diode"):
            dk = default_key("signal-diode")
            diode = f"*@ D1 key={dk}\nD1 dis thr DSIG\n.model DSIG {device_card(dk, 'diode')}\n"
        return (f"RA vcc dis {fmt(v['RA'])}\nRB dis thr {fmt(v['RB'])}\n{diode}C1 thr 0 {fmt(v['C1'])}\nCCTRL ctrl 0 10n\n"
                f"{NE555_PINS}XU1 0 thr out vcc ctrl thr dis vcc NE555\n{NE555}")

    def decks(self, v):
        f = self.predict(v)["frequency"]
        period = 1 / f
        t_end = 8 * period
        # the control pin's 10 nF starts charged (it settles in ~0.3 ms at power-up, longer than a fast period)
        return [("tran", f"NE555 astable\n{self.build(v)}{self.supply()}.ic v(ctrl)={fmt(self.env['vcc'] * 2 / 3)}\n"
                         f".tran {fmt(period / 400)} {fmt(t_end)} 0 {fmt(period / 400)} uic\n.end\n")]

    def read(self, res, v):
        r = res["tran"]
        fd = frequency_and_duty(r["time"], r["out"], skip=1)
        if fd is None:
            raise ValueError("no oscillation")
        return {"frequency": fd[0], "duty": fd[1]}

    def notes(self, v):
        if not self.env.get("diode"):
            return []
        return ["duty cycle at or below 50 %: a diode (1N4148) across RB lets C1 charge through RA alone; a plain 555 "
                "stays above 50 % (duty = (RA + RB)/(RA + 2RB)), reaching about 52 % only with RB ≥ 12·RA"]


class Monostable555(_Timer555):
    """Pulse width t = ln3·R·C ≈ 1.1·R·C."""

    key = "ne555_monostable"
    title = "NE555 monostable (one-shot)"
    description = ("555 timer monostable (one-shot): a trigger pulse starts one output pulse of fixed length set by a "
                   "resistor and a capacitor; a pulse stretcher, delay or timer after a button press.")
    measures = {"pulse_width": "s"}
    ports = {"trig": "trigger input (active low)", "out": "output pulse", "vcc": "supply", "0": "ground"}
    slots = (
        Slot("pulse_width", "s", "pulse width: length of the output pulse, on time, high for, delay, duration",
             required=True, tol=0.1),
    ) + _TIMER_SLOTS

    def params(self):
        return [Param("R1", "R", 1e3, 1e6, tolerance=0.05), Param("C1", "C", 1e-9, 1000e-6, series=C_SERIES)]

    def guess(self, specs):
        t = specs["pulse_width"].target
        c = nearest_e(min(max(t / (1.1 * 50e3), 1e-9), 1000e-6), "E6")  # R1 near 50 kΩ
        return {"R1": t / (1.1 * c), "C1": c}

    def predict(self, v):
        return {"pulse_width": math.log(3) * v["R1"] * v["C1"]}

    def build(self, v):
        return (f"R1 vcc thr {fmt(v['R1'])}\nC1 thr 0 {fmt(v['C1'])}\nCCTRL ctrl 0 10n\n"
                f"{NE555_PINS}XU1 0 trig out vcc ctrl thr thr vcc NE555\n{NE555}")

    def decks(self, v):
        t = self.predict(v)["pulse_width"]
        return [("tran", f"NE555 monostable\n{self.build(v)}{self.supply()}"
                         f"VTRIG trig 0 PULSE({fmt(self.env['vcc'])} 0 {fmt(t * 0.1)} 1n 1n {fmt(t * 0.05)} {fmt(t * 10)})\n"
                         f".ic v(ctrl)={fmt(self.env['vcc'] * 2 / 3)}\n"
                         f".tran {fmt(t / 2000)} {fmt(t * 2)} 0 {fmt(t / 2000)} uic\n.end\n")]

    def read(self, res, v):
        r = res["tran"]
        t, out = np.real(r["time"]), np.real(r["out"])
        level = (out.max() + out.min()) / 2
        hi = np.where(out > level)[0]
        if len(hi) == 0:
            raise ValueError("no pulse")
        return {"pulse_width": float(t[hi[-1]] - t[hi[0]])}


LM317 = """.subckt LM317 in out adj
BREG o 0 V = min(v(in) - 2.0, v(adj) + 1.25)
RO o out 0.01
IADJ in adj DC 50u
.ends LM317
"""


class LM317Regulator(Block):
    """VOUT = 1.25 V·(1 + R2/R1) + IADJ·R2 (TI LM317 SLVS044: VREF 1.25 V, IADJ 50 µA, dropout ~2 V at 1 A)."""

    key = "lm317_regulator"
    title = "LM317 adjustable regulator"
    description = ("LM317 adjustable linear voltage regulator: two resistors from its output to the adjust pin set a "
                   "fixed output voltage below the input; a regulated supply rail.")
    device = "lm317"
    measures = {"vout": "V", "p_dissipation": "W", "i_min_load_ok": ""}
    default_env = {"vin": 12.0, "i_load": 0.1, "p_max": 2.0}
    ports = {"vin": "unregulated input", "out": "regulated output", "0": "ground"}
    slots = (
        Slot("vout", "V", "output voltage: set to, giving, out, produce", required=True, tol=0.02),
        Slot("vin", "V", "input voltage: from an adapter, battery, supply, in, input", role="env", prior=0.2),
        Slot("i_load", "A", "load current drawn from the output", role="env"),
        Slot("R1", "Ω", "top resistor between the output and the adjust pin", role="fixed"),
        Slot("R2", "Ω", "bottom resistor from the adjust pin to ground", role="fixed"),
    )

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
                                 f"its heatsink allows ({format_value(self.env['p_max'], 'W')}): a switching (buck) regulator wastes far less")

    def guess(self, specs):
        v = specs["vout"].target
        r1 = self.fixed.get("R1", 240.0)
        if "R2" in self.fixed:
            r2 = self.fixed["R2"]
            return {"R2": r2, "R1": 1.25 * r2 / (v - 1.25 - 50e-6 * r2)}
        return {"R1": r1, "R2": r1 * (v / 1.25 - 1)}

    def predict(self, v):
        vout = 1.25 * (1 + v["R2"] / v["R1"]) + 50e-6 * v["R2"]
        return {"vout": vout, "p_dissipation": (self.env["vin"] - vout) * self.env["i_load"],
                "i_min_load_ok": 1.0 if 1.25 / v["R1"] >= 3.5e-3 else 0.0}

    def build(self, v):
        return (f"CI vin 0 100n\n*@ XU1 key=lm317\nXU1 vin out adj LM317\nR1 out adj {fmt(v['R1'])}\n"
                f"R2 adj 0 {fmt(v['R2'])}\nCO out 0 1u\n{LM317}")

    def decks(self, v):
        return [("op", f"LM317\n{self.build(v)}VIN vin 0 DC {fmt(self.env['vin'])}\n"
                       f"ILOAD out 0 DC {fmt(self.env['i_load'])}\n.op\n.end\n")]

    def read(self, res, v):
        vout = res["op"].node("out")
        return {"vout": vout, "p_dissipation": (self.env["vin"] - vout) * self.env["i_load"],
                "i_min_load_ok": 1.0 if 1.25 / v["R1"] >= 3.5e-3 else 0.0}


def _zener_record(vz: float):
    best = None
    for rec in Library.default():
        if rec.spice and rec.spice.kind == "zener" and rec.ratings and rec.ratings.vz:
            d = abs(rec.ratings.vz - vz)
            if best is None or d < best[0]:
                best = (d, rec)
    return best[1] if best and best[0] < 0.05 else None


class ZenerRegulator(Block):
    """Series resistor + zener shunt regulator. Specs: ``vout``, ``line_regulation`` (ΔVout over the input range),
    ``p_zener`` (worst case, no load at max input)."""

    key = "zener_regulator"
    title = "Zener shunt regulator"
    description = ("Zener diode shunt regulator: a series resistor feeds a zener diode that clamps the output to its "
                   "zener voltage over a range of input voltages and load currents; a simple reference or low-current rail.")
    device = "zener"
    measures = {"vout": "V", "line_regulation": "V", "p_zener": "W", "iz_min": "A"}
    default_env = {"vin_min": 9.0, "vin_max": 12.0, "vz": 5.1, "i_load": 0.01, "pz_max": 1.0, "iz_knee": 1e-3}
    ports = {"vin": "unregulated input", "out": "regulated output", "0": "ground"}
    slots = (
        Slot("vout", "V", "output voltage: the zener voltage, regulated output, clamps to, a zener of", required=True,
             tol=0.05),
        Slot("vin_max", "V", "input voltage range the regulator is fed from, between, from", role="env",
             range_keys=("vin_min", "vin_max"), prior=0.2),
        Slot("i_load", "A", "load current drawn", role="env"),
        Slot("p_zener", "W", "zener power dissipation", op="<=", inequality=True),
    )

    def params(self):
        return [Param("RS", "R", 10, 100e3, tolerance=0.05)]

    def adapt(self, specs) -> None:
        if "vout" in specs:  # the output is the zener's voltage
            self.env["vz"] = specs["vout"].target

    def default_specs(self):
        return [Spec("iz_min", ">=", self.env["iz_knee"], unit="A")]

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

    def build(self, v):
        rec = _zener_record(self.env["vz"])
        if rec is not None:  # the record's terminals are (A, K): anode to ground, cathode on the output
            return f"RS vin out {fmt(v['RS'])}\n*@ DZ key={rec.key}\nDZ 0 out DZM\n.model DZM {rec.spice.model}\n"
        return (f"RS vin out {fmt(v['RS'])}\n*@ DZ key=diode pins=+,- vz={self.env['vz']:g}\nDZ 0 out DZM\n"
                f".model DZM {ZENER_MODEL.format(bv=fmt(self.env['vz']))}\n")

    def decks(self, v):
        body = self.build(v)
        lo = f"zener at VIN min\n{body}VIN vin 0 DC {fmt(self.env['vin_min'])}\nILOAD out 0 DC {fmt(self.env['i_load'])}\n.op\n.end\n"
        hi = f"zener at VIN max, no load\n{body}VIN vin 0 DC {fmt(self.env['vin_max'])}\n.op\n.end\n"
        hl = f"zener at VIN max\n{body}VIN vin 0 DC {fmt(self.env['vin_max'])}\nILOAD out 0 DC {fmt(self.env['i_load'])}\n.op\n.end\n"
        return [("lo", lo), ("hi", hi), ("hl", hl)]

    def read(self, res, v):
        v_lo, v_hl = res["lo"].node("out"), res["hl"].node("out")
        v_hi = res["hi"].node("out")
        iz_hi = (self.env["vin_max"] - v_hi) / v["RS"]
        iz_min = (self.env["vin_min"] - v_lo) / v["RS"] - self.env["i_load"]
        return {"vout": v_lo, "line_regulation": abs(v_hl - v_lo), "p_zener": v_hi * iz_hi, "iz_min": iz_min}


ZENER_MODEL = "D(IS=1n RS=2 N=1.2 BV={bv} IBV=5m)"
