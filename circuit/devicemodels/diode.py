"""Diode: ``.model NAME D(IS N RS CJO VJ M BV IBV TT)`` from the datasheet.

* IS, RS, N are fitted to the forward points (VF at its IF, plus every other VF/IF pair): one
  point fits IS (N and RS are defaults), two fit IS and RS, three or more fit all three.
* CJO is fitted to CJ at its reverse voltage (AC simulation at the datasheet frequency).
* BV = VRRM and IBV = the leakage IR at the highest reverse voltage listed (derived, not simulated).
* TT = trr / ln 2 (switching from IF to an equal reverse current; derived, not simulated).

Defaults when the datasheet is silent: N 1.8 for a junction diode, 1.05 for a Schottky (a VF
below 0.45 V at 1 mA or more, or "schottky" in the text); RS so the ohmic drop is 10 % of VF at
the rated average current; VJ 0.7 V, M 0.5.
"""

from __future__ import annotations

import math

import numpy as np

from circuit.units import format_value

from .device import Device
from .fitting import Bench, Free, Target, fit_stage, num, run_bench
from .model import VT, DeviceModel, ModelError
from .verification import Verification

__all__ = ["build_diode"]


def _is_schottky(dev: Device, vf_points: list[tuple[float, float]]) -> bool:
    if "schottky" in dev.text():
        return True
    return any(v < 0.45 and i >= 1e-3 for i, v in vf_points)


def _forward_targets(dev: Device, defaults: dict[str, str]) -> list[tuple[Target, float]]:
    out = []
    for s in dev.specs("VF", keys=("IF",)):
        i_f = s.cond("IF")
        t = s.target
        if t is None or t <= 0:
            continue
        if i_f is None:
            if out or any(x.cond("IF") for x in dev.specs("VF", keys=("IF",))):
                continue  # a VF without its current next to ones with it: not a test point
            i_f = dev.rating("IF_avg") or dev.rating("IF_cont")
            if not i_f:
                continue
            defaults["VF test current"] = f"{format_value(abs(i_f), 'A')}: VF given without IF, taken at the rated current"
        i_f = abs(i_f)
        out.append((Target("VF", f"IF={format_value(i_f, 'A')}", abs(t), s.basis, "V"), i_f))
    out.sort(key=lambda ti: ti[1])
    return out


def build_diode(dev: Device, name: str) -> DeviceModel:
    defaults: dict[str, str] = {}
    fwd = _forward_targets(dev, defaults)
    if not fwd:
        raise ModelError(f"{dev.short_part}: no forward voltage with its test current (VF at IF) to fit a diode model")
    points = [(i, t.value) for t, i in fwd]
    schottky = _is_schottky(dev, points)
    p: dict[str, float] = {}
    i_rated = dev.rating("IF_avg") or dev.rating("IF_cont") or max(i for i, _ in points)
    i_rated = abs(i_rated)

    # ---- starting point from the diode equation
    n_def = 1.05 if schottky else 1.8
    p["N"] = n_def
    vf_top = points[-1][1]
    p["RS"] = max(1e-3, 0.1 * vf_top / i_rated)
    if len(points) >= 2:
        (i1, v1), (i2, v2) = points[0], points[-1]
        rs = (v2 - v1 - n_def * VT * math.log(i2 / i1)) / (i2 - i1)
        p["RS"] = min(max(rs, 1e-3), 1e4)
    i1, v1 = points[0]
    p["IS"] = min(max(i1 * math.exp(-(v1 - i1 * p["RS"]) / (p["N"] * VT)), 1e-30), 1e-2)

    free = [Free("IS", 1e-30, 1e-2)]
    if len(points) >= 2:
        free.append(Free("RS", 1e-4, 1e4))
    else:
        defaults["RS"] = f"{format_value(p['RS'], 'Ω')}: ohmic drop 10 % of VF at the rated {format_value(i_rated, 'A')}"
    if len(points) >= 3:
        free.append(Free("N", 0.5, 4.0, log=False, step=0.005))
    else:
        defaults["N"] = f"{p['N']:g}: typical emission coefficient of a {'Schottky' if schottky else 'junction'} diode"

    targets = [t for t, _ in fwd]
    currents = [i for _, i in fwd]

    def dc_body(variants: list[dict]) -> list[str]:
        lines = []
        for v, pv in enumerate(variants):
            lines.append(f".model DM{v} D(IS={num(pv['IS'])} N={num(pv['N'])} RS={num(pv['RS'])})")
            for k, i_f in enumerate(currents):
                lines.append(f"I{v}_{k} 0 a{v}_{k} DC {num(i_f)}")
                lines.append(f"D{v}_{k} a{v}_{k} 0 DM{v}")
        lines.append(".op")
        return lines

    def dc_measure(res, v: int) -> list[float]:
        return [res.node(f"a{v}_{k}") for k in range(len(currents))]

    dc = Bench("diode forward", targets, dc_body, dc_measure)
    fit_info = {"forward": fit_stage(dc, p, free)}

    # ---- junction capacitance
    p["VJ"], p["M"] = 0.7, 0.5
    ac_targets: list[Target] = []
    cj = dev.spec("CJ", keys=("VR",))
    vr_cj, f_cj = 0.0, 1e6
    if cj is not None and cj.target and cj.target > 0:
        defaults["VJ"] = "0.7 V: junction potential (not in the datasheet)"
        defaults["M"] = "0.5: abrupt-junction grading (not in the datasheet)"
        vr_cj = abs(cj.cond("VR", 0.0) or 0.0)
        f_cj = abs(cj.cond("f", 1e6) or 1e6)
        p["CJO"] = cj.target * (1 + vr_cj / p["VJ"]) ** p["M"]
        ac_targets.append(Target("CJ", f"VR={format_value(vr_cj, 'V')}, f={format_value(f_cj, 'Hz')}",
                                 cj.target, cj.basis, "F"))
    else:
        p["CJO"] = 0.0
        defaults["CJO"] = "0: no junction capacitance in the datasheet"

    def ac_body(variants: list[dict]) -> list[str]:
        lines = []
        for v, pv in enumerate(variants):
            lines.append(f".model DC{v} D(IS={num(pv['IS'])} N={num(pv['N'])} RS={num(pv['RS'])} "
                         f"CJO={num(pv['CJO'])} VJ={num(pv['VJ'])} M={num(pv['M'])})")
            lines.append(f"V{v} a{v} 0 DC {num(-vr_cj)} AC 1")
            lines.append(f"D{v} a{v} 0 DC{v}")
        lines.append(f".ac lin 1 {num(f_cj)} {num(f_cj)}")
        return lines

    def ac_measure(res, v: int) -> list[float]:
        i = res[f"v{v}#branch"][0]
        return [abs(np.imag(i)) / (2 * math.pi * f_cj)]

    ac = Bench("diode capacitance", ac_targets, ac_body, ac_measure)
    if ac_targets:
        fit_info["capacitance"] = fit_stage(ac, p, [Free("CJO", 1e-16, 1e-6)])

    # ---- breakdown and recovery (derived figures, not simulated)
    vrrm = dev.rating("VRRM") or dev.rating("VR")
    if vrrm:
        p["BV"] = abs(vrrm)
        leak = [(abs(s.cond("VR") or 0.0), abs(s.target)) for s in dev.specs("IR", keys=("VR",)) if s.target]
        if leak:
            p["IBV"] = max(leak)[1]
        else:
            p["IBV"] = 1e-5
            defaults["IBV"] = "10 µA: breakdown knee current (no leakage figure)"
    trr = dev.spec("trr")
    if trr is not None and trr.target and trr.target > 0:
        p["TT"] = trr.target / math.log(2)
    else:
        p["TT"] = 0.0
        defaults["TT"] = "0: no reverse-recovery time in the datasheet"

    verification = Verification(dev.short_part, defaults=defaults, fit=fit_info)
    for bench in (dc, ac):
        pts, err = run_bench(bench, p)
        verification.points += pts
        if err:
            verification.errors.append(err)
    order = ["IS", "N", "RS", "CJO", "VJ", "M", "BV", "IBV", "TT"]
    dropped = {"TT"} if p["TT"] == 0.0 else set()
    if p["CJO"] == 0.0:
        dropped |= {"CJO", "VJ", "M"}
    params = {k: p[k] for k in order if k in p and k not in dropped}
    return DeviceModel(
        part=dev.short_part, device_class="diode", kind="diode", name=name, params=params,
        terminals=["A", "K"], device=dev, verification=verification, model_type="D", defaults=defaults,
        notes=["Schottky" if schottky else "junction diode"],
    )
