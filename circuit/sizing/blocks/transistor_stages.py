"""Transistor blocks: NPN and N-MOSFET low-side switches, common-emitter amplifier.

The transistor is the part the request names (its record's SPICE card and ratings), else the
block's default (the record whose ``default_for`` names the job); limits (collector/drain current, hFE) come
from the record's ratings.
"""

from __future__ import annotations

import math

import numpy as np

from circuit.sizing.block import Block, DefaultPart, Infeasible, Param, Slot, fmt
from circuit.sizing.devices import device_card, find_record
from circuit.sizing.spec import Spec
from circuit.units import format_value

FORCED_BETA = 10.0  # collector over base current for a hard-saturated switch (datasheets' VCE(sat) at IC/IB = 10)

_LOAD_SLOTS = (
    Slot("i_load", "A", "load current: the coil, relay, lamp, motor, solenoid, fan or load draws, drawing, switching",
         role="env", prior=0.2),
    Slot("v_drive", "V", "drive voltage of the logic pin: GPIO, microcontroller, Arduino, logic level, driven from, "
         "driving from, gate drive", role="env", prior=0.1),
    Slot("vload", "V", "load supply voltage: the load's rail, a relay, lamp or motor rated at", role="env", prior=0.12),
    Slot("r_load", "Ω", "load resistance", role="env"),
)


class _LowSideSwitch(Block):
    device_kind = "npn"
    ports = {"drive": "logic pin", "c": "load's low side", "0": "ground"}
    requires_one_of = (("i_load",), ("r_load",))  # the drive a switch needs follows from the load it carries

    def derive_env(self) -> None:
        i = float(self.env.get("i_load") or 0.0)
        if i > 0:
            self.env["r_load"] = self.env["vload"] / i

    @property
    def i_need(self) -> float:
        return self.env["vload"] / self.env["r_load"]

    def record(self):
        return find_record(str(self.env[self.part_key]), (self.device_kind,))

    part_key = "transistor"


class BjtSwitch(_LowSideSwitch):
    """NPN low-side switch driven from a logic pin through RB, with RBE to keep it off when the pin floats.

    Specs: ``ic`` (load current reached), ``vce_sat`` (saturated), ``i_pin`` (what the GPIO sources),
    ``overdrive`` (forced beta margin: hFE·IB / IC)."""

    key = "bjt_switch"
    title = "NPN transistor low-side switch"
    description = ("NPN bipolar transistor (BJT) low-side switch: a logic pin drives the base through a base resistor "
                   "and the transistor saturates to switch a relay coil, lamp, solenoid or LED strip to ground.")
    device = "npn"
    measures = {"ic": "A", "vce_sat": "V", "i_pin": "A", "overdrive": ""}
    default_env = {"vload": 5.0, "r_load": 120.0, "i_load": 0.0, "v_drive": 5.0, "transistor": DefaultPart("npn-switch"),
                   "hfe_min": 75.0}
    slots = (
        Slot("i_pin", "A", "pin current, base current or GPIO current the logic output may source", op="<=",
             inequality=True),
        Slot("vce_sat", "V", "saturation voltage: the collector-emitter drop of the saturated transistor", op="<=", inequality=True),
    ) + _LOAD_SLOTS

    def params(self):
        return [Param("RB", "R", 100, 1e6, tolerance=0.05)]

    def default_specs(self):
        return [Spec("ic", ">=", 0.95 * self.i_need, unit="A"), Spec("vce_sat", "<=", 0.3, unit="V")]

    def check_feasible(self, specs):
        rec = self.record()
        ic_max = rec.ratings.ic_max if rec and rec.ratings and rec.ratings.ic_max else None
        if ic_max and self.i_need > ic_max:
            raise Infeasible(f"the load needs {format_value(self.i_need, 'A')}, beyond the "
                             f"{str(self.env['transistor']).upper()}'s {format_value(ic_max, 'A')} collector rating: "
                             f"use a power transistor or a logic-level MOSFET")
        if self.env["v_drive"] <= 0.8:
            raise Infeasible(f"a {format_value(self.env['v_drive'], 'V')} pin cannot forward-bias the base (about 0.7 V)")
        rb = next(p for p in self.params() if p.name == "RB")
        ib_need, ib_max = self.i_need / FORCED_BETA, (self.env["v_drive"] - 0.8) / rb.lo
        if ib_need > ib_max:
            raise Infeasible(f"to saturate at {format_value(self.i_need, 'A')} the base needs about "
                             f"{format_value(ib_need, 'A')} (a forced gain of {FORCED_BETA:g}), more than a "
                             f"{format_value(self.env['v_drive'], 'V')} pin gives through the smallest base resistor "
                             f"({format_value(rb.lo, 'Ω')}: {format_value(ib_max, 'A')}), and more than a logic pin "
                             f"should source: use a logic-level MOSFET or a Darlington")
        ip = specs.get("i_pin")
        if ip and ip.op == "<=" and self.i_need / self.env["hfe_min"] > ip.target:
            raise Infeasible(f"to switch {format_value(self.i_need, 'A')} the base needs at least "
                             f"{format_value(self.i_need / self.env['hfe_min'], 'A')} (hFE {self.env['hfe_min']:g}), more than the "
                             f"pin may give ({format_value(ip.target, 'A')}): use a Darlington or a logic-level MOSFET")

    def guess(self, specs):
        ib = self.i_need / FORCED_BETA  # hard saturation
        if "i_pin" in specs and specs["i_pin"].op == "<=":
            ib = min(ib, specs["i_pin"].target * 0.8)
        return {"RB": (self.env["v_drive"] - 0.8) / ib}

    def predict(self, v):
        ib = max(self.env["v_drive"] - 0.8, 0) / v["RB"] - 0.7 / 10e3
        ic_max = self.i_need
        ic = min(ic_max, ib * 150)
        return {"ic": ic, "vce_sat": 0.1 if ib * 150 > ic_max else self.env["vload"] - ic * self.env["r_load"],
                "i_pin": ib + 0.7 / 10e3, "overdrive": self.env["hfe_min"] * ib / ic_max}

    def build(self, v):
        key = self.record().key if self.record() else str(self.env["transistor"])
        return (f"RB drive b {fmt(v['RB'])}\nRBE b 0 10k\n*@ Q1 key={key}\nQ1 c b 0 QSW\n"
                f".model QSW {device_card(key, 'npn')}\n")

    def decks(self, v):
        return [("op", f"BJT switch\n{self.build(v)}VL vl 0 DC {fmt(self.env['vload'])}\nVD drive 0 DC {fmt(self.env['v_drive'])}\n"
                       f"RLOAD vl c {fmt(self.env['r_load'])}\n.op\n.end\n")]

    def read(self, res, v):
        op = res["op"]
        ic = -op.current("vl")
        ip = -op.current("vd")
        ib = ip - op.node("b") / 10e3
        return {"ic": ic, "vce_sat": op.node("c"), "i_pin": ip, "overdrive": self.env["hfe_min"] * ib / self.i_need}


class MosfetSwitch(_LowSideSwitch):
    """N-MOSFET low-side switch: gate resistor RG from the pin, pull-down RPD. Specs: ``vds_on``,
    ``i_gate_peak`` (charging current the pin must give), ``t_switch`` (drain fall time 90→10 %), ``i_load``."""

    key = "mosfet_switch"
    title = "MOSFET low-side switch"
    description = ("N-channel MOSFET low-side switch: a logic pin drives the gate through a gate resistor with a "
                   "pull-down resistor, and the logic-level FET switches a motor, lamp, fan, LED strip or solenoid to ground.")
    device = "nmos"
    device_kind = "nmos"
    part_key = "mosfet"
    measures = {"vds_on": "V", "i_gate_peak": "A", "t_switch": "s", "i_load": "A"}
    default_env = {"vload": 12.0, "r_load": 12.0, "i_load": 0.0, "v_drive": 5.0, "mosfet": DefaultPart("nmos-switch")}
    slots = (
        Slot("i_gate_peak", "A", "gate current: peak current the pin gives to charge the gate", op="<=", inequality=True),
        Slot("vds_on", "V", "on-state drop: the drain-source voltage while conducting", op="<=", inequality=True),
        Slot("t_switch", "s", "switching time, rise or fall time", op="<=", inequality=True),
    ) + _LOAD_SLOTS

    def params(self):
        return [Param("RG", "R", 10, 10e3, tolerance=0.05), Param("RPD", "R", 1e3, 1e6, tolerance=0.05)]

    def default_specs(self):
        return [Spec("i_load", ">=", 0.95 * self.i_need, unit="A"),
                Spec("vds_on", "<=", max(0.05 * self.env["vload"], 0.1), unit="V")]

    def guess(self, specs):
        rg = 220.0
        if "i_gate_peak" in specs:
            rg = self.env["v_drive"] / (specs["i_gate_peak"].target * 0.8)
        return {"RG": rg, "RPD": 100e3}

    def check_feasible(self, specs):
        rec = self.record()
        r = rec.ratings if rec else None
        if r and r.id_max and self.i_need > r.id_max:
            raise Infeasible(f"the {str(self.env['mosfet']).upper()} carries at most {format_value(r.id_max, 'A')}; this "
                             f"load needs {format_value(self.i_need, 'A')}: choose a power MOSFET")
        if r and r.vgs_th and self.env["v_drive"] < r.vgs_th + 0.5:
            raise Infeasible(f"a {format_value(self.env['v_drive'], 'V')} gate drive barely reaches the "
                             f"{str(self.env['mosfet']).upper()}'s threshold ({format_value(r.vgs_th, 'V')}): use a "
                             f"logic-level MOSFET or a gate driver")
        if r and r.vds_max and self.env["vload"] > r.vds_max:
            raise Infeasible(f"{format_value(self.env['vload'], 'V')} exceeds the {str(self.env['mosfet']).upper()}'s "
                             f"{format_value(r.vds_max, 'V')} drain rating")

    def predict(self, v):
        i_load = self.i_need
        vg = self.env["v_drive"] * v["RPD"] / (v["RPD"] + v["RG"])
        rds = 0.025 if vg >= 4 else 0.05
        return {"vds_on": i_load * rds, "i_gate_peak": self.env["v_drive"] / v["RG"], "t_switch": v["RG"] * 3e-9 * 2.2,
                "i_load": i_load}

    def build(self, v):
        key = self.record().key if self.record() else str(self.env["mosfet"])
        return (f"RG drive g {fmt(v['RG'])}\nRPD g 0 {fmt(v['RPD'])}\n*@ M1 key={key}\nM1 d g 0 MSW\n"
                f".model MSW {device_card(key, 'nmos')}\n")

    def decks(self, v):
        base = f"{self.build(v)}VL vl 0 DC {fmt(self.env['vload'])}\nRLOAD vl d {fmt(self.env['r_load'])}\n"
        op = f"MOSFET switch (on)\n{base}VD drive 0 DC {fmt(self.env['v_drive'])}\n.op\n.end\n"
        tr = (f"MOSFET switch (turn-on)\n{base}VD drive 0 PULSE(0 {fmt(self.env['v_drive'])} 100n 5n 5n 10u 20u)\n"
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
    description = ("Common-emitter amplifier: a single bipolar transistor (BJT) voltage amplifier stage biased by a "
                   "base divider, with collector and emitter resistors, an emitter bypass capacitor and coupling "
                   "capacitors; its voltage gain is about RC/RE1 at a quiescent collector current.")
    device = "npn"
    measures = {"gain": "", "vce": "V", "ic": "A"}
    default_env = {"vcc": 12.0, "transistor": DefaultPart("npn-amplifier"), "r_load": 100e3}
    ports = {"in": "signal input", "out": "output", "vcc": "supply", "0": "ground"}
    slots = (
        Slot("gain", "", "voltage gain of the stage, Av: amplify by, times", required=True, tol=0.1),
        Slot("ic", "A", "quiescent collector current, bias current", tol=0.2),
        Slot("vce", "V", "quiescent collector-emitter voltage", tol=0.15),
        Slot("vcc", "V", "supply voltage: rail, powered from, battery", role="env", prior=0.2),
        Slot("r_load", "Ω", "load resistance", role="env"),
    )

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
        r2 = 10 * re_total
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

    def build(self, v):
        key = find_record(str(self.env["transistor"]), ("npn",))
        k = key.key if key else str(self.env["transistor"])
        return (f"CIN in b 10u\nR1 vcc b {fmt(v['R1'])}\nR2 b 0 {fmt(v['R2'])}\nRC vcc c {fmt(v['RC'])}\n"
                f"*@ Q1 key={k}\nQ1 c b e QCE\nRE1 e e2 {fmt(v['RE1'])}\nRE2 e2 0 {fmt(v['RE2'])}\nCE e2 0 1000u\n"
                f"COUT c out 10u\n.model QCE {device_card(k, 'npn')}\n")

    def decks(self, v):
        supply = f"VCC vcc 0 DC {fmt(self.env['vcc'])}\n"
        return [("ac", f"common-emitter\n{self.build(v)}{supply}VIN in 0 DC 0 AC 1\nRL out 0 {fmt(self.env['r_load'])}\n"
                       f".ac dec 10 1k 10k\n.end\n"),
                ("op", f"common-emitter bias\n{self.build(v)}{supply}VIN in 0 DC 0\nRL out 0 {fmt(self.env['r_load'])}\n"
                       f".op\n.end\n")]

    def read(self, res, v):
        op = res["op"]
        ic = (self.env["vcc"] - op.node("c")) / v["RC"]
        return {"gain": float(abs(res["ac"]["out"][0])), "vce": op.node("c") - op.node("e"), "ic": ic}
