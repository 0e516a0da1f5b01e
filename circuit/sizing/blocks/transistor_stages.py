"""Transistor blocks: BJT and MOSFET low-side switches, common-emitter amplifier."""

from __future__ import annotations

import math

import numpy as np

from circuit.sizing.block import Block, Infeasible, Param, fmt
from circuit.sizing.devices import BJT_MODELS, MOSFET_MODELS
from circuit.units import format_value


class BjtSwitch(Block):
    """NPN low-side switch driven from a logic pin through RB, with RBE to keep it off when the pin floats.

    Specs: ``ic`` (load current reached), ``vce_sat`` (saturated), ``i_pin`` (what the GPIO sources),
    ``overdrive`` (forced beta margin: hFE·IB / IC)."""

    key = "bjt_switch"
    title = "NPN transistor low-side switch"
    words = ("bjt switch", "transistor switch", "npn switch", "low-side switch", "transistor driver")
    measures = {"ic": "A", "vce_sat": "V", "i_pin": "A", "overdrive": ""}
    default_env = {"vload": 12.0, "r_load": 120.0, "v_drive": 5.0, "transistor": "2n2222", "hfe_min": 75.0}

    def params(self):
        return [Param("RB", "R", 100, 1e6, tolerance=0.05)]

    def check_feasible(self, specs):
        i_need = self.env["vload"] / self.env["r_load"]
        if i_need > 0.8 and self.env["transistor"] in ("2n2222", "2n3904", "bc547"):
            raise Infeasible(f"the load needs {format_value(i_need, 'A')}, beyond a small-signal "
                             f"{self.env['transistor'].upper()}'s rating: use a power transistor or a logic-level MOSFET")
        ip = specs.get("i_pin")
        if ip and ip.op == "<=" and i_need / self.env["hfe_min"] > ip.target:
            raise Infeasible(f"to switch {format_value(i_need, 'A')} the base needs at least "
                             f"{format_value(i_need / self.env['hfe_min'], 'A')} (hFE {self.env['hfe_min']:g}), more than the "
                             f"pin may give ({format_value(ip.target, 'A')}): use a Darlington or a logic-level MOSFET")

    def guess(self, specs):
        ic = self.env["vload"] / self.env["r_load"]
        ib = ic / 10  # forced beta of 10 for hard saturation
        if "i_pin" in specs and specs["i_pin"].op == "<=":
            ib = min(ib, specs["i_pin"].target * 0.8)
        return {"RB": (self.env["v_drive"] - 0.8) / ib}

    def predict(self, v):
        ib = max(self.env["v_drive"] - 0.8, 0) / v["RB"] - 0.7 / 10e3
        ic_max = self.env["vload"] / self.env["r_load"]
        ic = min(ic_max, ib * 150)
        return {"ic": ic, "vce_sat": 0.1 if ib * 150 > ic_max else self.env["vload"] - ic * self.env["r_load"],
                "i_pin": ib + 0.7 / 10e3, "overdrive": self.env["hfe_min"] * ib / ic_max}

    def decks(self, v):
        card = BJT_MODELS[self.env["transistor"]]
        return [("op", f"BJT switch\nVL vl 0 DC {fmt(self.env['vload'])}\nVD drive 0 DC {fmt(self.env['v_drive'])}\n"
                       f"RB drive b {fmt(v['RB'])}\nRBE b 0 10k\nRLOAD vl c {fmt(self.env['r_load'])}\nQ1 c b 0 QSW\n"
                       f".model QSW {card}\n.op\n.end\n")]

    def read(self, res, v):
        op = res["op"]
        ic = -op.current("vl")
        ip = -op.current("vd")
        ib = ip - op.node("b") / 10e3
        ic_max = self.env["vload"] / self.env["r_load"]
        return {"ic": ic, "vce_sat": op.node("c"), "i_pin": ip, "overdrive": self.env["hfe_min"] * ib / ic_max}


class MosfetSwitch(Block):
    """N-MOSFET low-side switch: gate resistor RG from the pin, pull-down RPD. Specs: ``vds_on``,
    ``i_gate_peak`` (charging current the pin must give), ``t_rise`` (drain fall time 90→10 %), ``i_load``."""

    key = "mosfet_switch"
    title = "MOSFET low-side switch"
    words = ("mosfet switch", "mosfet driver", "logic-level mosfet", "n-channel switch", "mosfet")
    measures = {"vds_on": "V", "i_gate_peak": "A", "t_switch": "s", "i_load": "A"}
    default_env = {"vload": 12.0, "r_load": 12.0, "v_drive": 5.0, "mosfet": "irlz44n"}

    def params(self):
        return [Param("RG", "R", 10, 10e3, tolerance=0.05), Param("RPD", "R", 1e3, 1e6, tolerance=0.05)]

    def guess(self, specs):
        rg = 220.0
        if "i_gate_peak" in specs:
            rg = self.env["v_drive"] / (specs["i_gate_peak"].target * 0.8)
        return {"RG": rg, "RPD": 100e3}

    def check_feasible(self, specs):
        if self.env["mosfet"] == "2n7000" and self.env["vload"] / self.env["r_load"] > 0.2:
            raise Infeasible("a 2N7000 carries at most 200 mA continuously; this load needs a power MOSFET such as the IRLZ44N")

    def predict(self, v):
        i_load = self.env["vload"] / self.env["r_load"]
        vg = self.env["v_drive"] * v["RPD"] / (v["RPD"] + v["RG"])
        rds = 0.025 if vg >= 4 else 0.05
        return {"vds_on": i_load * rds, "i_gate_peak": self.env["v_drive"] / v["RG"], "t_switch": v["RG"] * 3e-9 * 2.2,
                "i_load": i_load}

    def decks(self, v):
        card = MOSFET_MODELS[self.env["mosfet"]]
        base = (f"VL vl 0 DC {fmt(self.env['vload'])}\nRLOAD vl d {fmt(self.env['r_load'])}\n"
                f"RG drive g {fmt(v['RG'])}\nRPD g 0 {fmt(v['RPD'])}\nM1 d g 0 MSW\n.model MSW {card}\n")
        op = f"MOSFET switch (on)\nVD drive 0 DC {fmt(self.env['v_drive'])}\n{base}.op\n.end\n"
        tr = (f"MOSFET switch (turn-on)\nVD drive 0 PULSE(0 {fmt(self.env['v_drive'])} 100n 5n 5n 10u 20u)\n{base}"
              f".tran 1n 5u\n.end\n")
        return [("op", op), ("tran", tr)]

    def read(self, res, v):
        op, tr = res["op"], res["tran"]
        t, vd, id_ = np.real(tr["time"]), np.real(tr["d"]), np.real(tr["vd#branch"])
        vl = self.env["vload"]
        vd_on = op.node("d")
        hi, lo = vl - 0.1 * (vl - vd_on), vd_on + 0.1 * (vl - vd_on)
        i90 = np.argmax(vd < hi)
        i10 = np.argmax(vd < lo)
        t_sw = float(t[i10] - t[i90]) if i10 > i90 else math.nan
        return {"vds_on": vd_on, "i_gate_peak": float(np.max(-id_)), "t_switch": t_sw, "i_load": -op.current("vl")}


class CommonEmitter(Block):
    """Voltage-divider-biased common-emitter stage with an emitter resistor split RE1 (unbypassed) + RE2 (bypassed).

    Specs: ``gain`` (midband |vout/vin|), ``vce`` (quiescent, headroom ≈ VCC/2), ``ic`` (quiescent)."""

    key = "common_emitter"
    title = "Common-emitter amplifier"
    words = ("common-emitter", "common emitter", "ce amplifier", "transistor amplifier", "bjt amplifier")
    measures = {"gain": "", "vce": "V", "ic": "A"}
    default_env = {"vcc": 12.0, "transistor": "2n3904", "r_load": 100e3}

    def params(self):
        return [Param("R1", "R", 1e3, 1e6), Param("R2", "R", 1e3, 1e6), Param("RC", "R", 100, 100e3),
                Param("RE1", "R", 10, 10e3), Param("RE2", "R", 10, 10e3)]

    def guess(self, specs):
        vcc = self.env["vcc"]
        ic = specs["ic"].target if "ic" in specs else 1e-3
        g = specs["gain"].target if "gain" in specs else 10
        rc = (vcc / 2 - 0.1 * vcc) / ic if "vce" not in specs else (vcc - specs["vce"].target - 0.1 * vcc) / ic
        re_total = 0.1 * vcc / ic
        re1 = max(rc / g - 0.026 / ic, 10.0)
        re2 = max(re_total - re1, 10.0)
        vb = 0.1 * vcc + 0.65
        r2 = 10 * re_total  # stiff divider: 10× the reflected emitter resistance / β
        r1 = r2 * (vcc - vb) / vb
        return {"R1": r1, "R2": r2, "RC": rc, "RE1": re1, "RE2": re2}

    def predict(self, v):
        vcc = self.env["vcc"]
        rth = v["R1"] * v["R2"] / (v["R1"] + v["R2"])
        vth = vcc * v["R2"] / (v["R1"] + v["R2"])
        beta = 150
        re = v["RE1"] + v["RE2"]
        ie = max(vth - 0.65, 0) / (re + rth / beta)
        ic = ie * beta / (beta + 1)
        vce = vcc - ic * v["RC"] - ie * re
        if ic <= 0:
            return {"gain": 0.0, "vce": vcc, "ic": 0.0}
        rc_eff = v["RC"] * self.env["r_load"] / (v["RC"] + self.env["r_load"])
        gain = rc_eff / (v["RE1"] + 0.02585 / ic)
        return {"gain": gain, "vce": max(vce, 0.1), "ic": ic}

    def decks(self, v):
        card = BJT_MODELS[self.env["transistor"]]
        return [("ac", f"common-emitter\nVCC vcc 0 DC {fmt(self.env['vcc'])}\nVIN in 0 DC 0 AC 1\nCIN in b 10u\n"
                       f"R1 vcc b {fmt(v['R1'])}\nR2 b 0 {fmt(v['R2'])}\nRC vcc c {fmt(v['RC'])}\nQ1 c b e QCE\n"
                       f"RE1 e e2 {fmt(v['RE1'])}\nRE2 e2 0 {fmt(v['RE2'])}\nCE e2 0 1000u\nCOUT c out 10u\n"
                       f"RL out 0 {fmt(self.env['r_load'])}\n.model QCE {card}\n.ac dec 10 1k 10k\n.end\n"),
                ("op", f"common-emitter bias\nVCC vcc 0 DC {fmt(self.env['vcc'])}\nR1 vcc b {fmt(v['R1'])}\n"
                       f"R2 b 0 {fmt(v['R2'])}\nRC vcc c {fmt(v['RC'])}\nQ1 c b e QCE\nRE1 e e2 {fmt(v['RE1'])}\n"
                       f"RE2 e2 0 {fmt(v['RE2'])}\n.model QCE {card}\n.op\n.end\n")]

    def read(self, res, v):
        op = res["op"]
        ic = (self.env["vcc"] - op.node("c")) / v["RC"]
        return {"gain": float(abs(res["ac"]["out"][0])), "vce": op.node("c") - op.node("e"), "ic": ic}

