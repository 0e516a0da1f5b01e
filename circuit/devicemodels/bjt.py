"""Bipolar transistor: Gummel-Poon ``NPN``/``PNP`` card from the datasheet.

Simulated test points and the parameters fitted to them:

* hFE at each IC/VCE (the base servoed so the collector carries the test current) -> BF, and IKF
  (points above the main current), ISE/NE (points below it)
* VCE(sat) at IC/IB (base and collector current forced)                          -> RC (and BR)
* VBE(sat) at IC/IB and VBE(on) at IC/VCE                                          -> IS (and RB)
* fT at its IC/VCE (AC current gain, single-pole extrapolation)                   -> TF
* Cob at VCB and Cib at VEB (AC)                                                  -> CJC, CJE

hFE printed only as a minimum at other currents ("hFE min 40 at 0.1 mA") describes the shape of
the curve, not a typical device: those points are scaled by the main point's target/min ratio
(the basis says so). Defaults when the datasheet is silent (flagged): VAF 100 V, BR 1, RB 10 Ω,
IKF = IC max, ISE 0, NE 1.5, junction VJ 0.75 V and M 0.33, CJE 2 x CJC, TR 50 x TF.
"""

from __future__ import annotations

import math
import re

import numpy as np

from circuit.units import format_value

from .device import Device, Spec
from .fitting import Bench, Free, Target, ac_at, at_level, fit_stage, num, run_bench, signed
from circuit.sim import SimulationError

from .model import VT, DeviceModel, ModelError
from .verification import Verification

__all__ = ["build_bjt", "is_pnp"]


def is_pnp(dev: Device) -> bool:
    if dev.polarity:
        return str(dev.polarity).lower() == "pnp"
    if re.search(r"\bpnp\b", dev.part.lower()) or "pnp" in dev.notes.lower().split():
        return True
    for q in ("VCEO", "IC_max", "VCE_sat"):
        v = dev.value(q)
        if v is not None and v < 0:
            return True
    return False



def _ma(x: float) -> str:
    return format_value(x, "A")


def _card_body(p: dict, keys: list[str]) -> str:
    return " ".join(f"{k}={num(p[k])}" for k in keys if k in p)


_DC_KEYS = ["IS", "BF", "NF", "VAF", "IKF", "NKF", "ISE", "NE", "BR", "RB", "RC", "RE"]
_AC_KEYS = _DC_KEYS + ["CJE", "VJE", "MJE", "CJC", "VJC", "MJC", "TF"]


def _vbe_at(p: dict, mtype: str, s: float, ic: float, vce: float) -> float | None:
    """The base-emitter voltage that makes the collector carry ``ic`` at ``vce`` (DC sweep)."""
    body = [f".model QV {mtype}({_card_body(p, _DC_KEYS)})", f"Vc c 0 DC {num(s * vce)}", "Vsw b 0 DC 0",
            "Q1 c b 0 QV", f".dc Vsw {num(s * 0.2)} {num(s * 2.5)} {num(s * 0.002)}"]
    try:
        res = Bench("bjt bias", [], lambda _: body, lambda r, v: []).simulate([p])
    except SimulationError:
        return None
    hit = at_level(res["vc#branch"], ic, res["v-sweep"])
    return abs(hit[0]) if hit else None


def build_bjt(dev: Device, name: str) -> DeviceModel:
    pnp = is_pnp(dev)
    s = -1.0 if pnp else 1.0
    mtype = "PNP" if pnp else "NPN"
    defaults: dict[str, str] = {}
    p: dict[str, float] = {"NF": 1.0}

    # ---- datasheet test points
    hfe_specs = [x for x in dev.specs("hFE", keys=("IC", "VCE")) if x.target and x.cond("IC")]
    if not hfe_specs:
        bare = [x for x in dev.specs("hFE", keys=("IC", "VCE")) if x.target]
        if not bare:
            raise ModelError(f"{dev.short_part}: a transistor model needs hFE (with its collector current)")
        ic_guess = 0.1 * abs(dev.rating("IC_max") or 0.1)
        bare[0].conditions["IC"] = ic_guess
        hfe_specs = bare[:1]
        defaults["hFE test current"] = f"{_ma(ic_guess)}: hFE given without IC, taken at a tenth of IC max"
    main = hfe_specs[0]
    ic_main = abs(main.cond("IC"))
    ratio = 1.0
    if main.min is not None and main.target and main.typ is None:
        ratio = abs(main.target / main.min)
    hfe_pts: list[tuple[float, float, Target]] = []  # (IC, VCE, target)
    for x in hfe_specs:
        ic, vce = abs(x.cond("IC")), abs(x.cond("VCE") or 5.0)
        value, basis = x.target, x.basis
        if x is not main and x.typ is None and x.max is None and x.min is not None and ratio != 1.0:
            value, basis = x.min * ratio, f"min x {ratio:.3g} (main point's target/min)"
        hfe_pts.append((ic, vce, Target("hFE", f"IC={_ma(ic)}, VCE={format_value(vce, 'V')}", abs(value), basis, "1",
                                        weight=2.0 if x is main else 1.0)))
    hfe_pts.sort(key=lambda t: t[0])

    def pairs(q: str, keys: tuple[str, str]) -> list[tuple[float, float, Spec]]:
        out = []
        for x in dev.specs(q, keys=keys):
            a, b = x.cond(keys[0]), x.cond(keys[1])
            if x.target and a and b:
                out.append((abs(a), abs(b), x))
        return out

    sat = pairs("VCE_sat", ("IC", "IB"))
    vbe_sat = pairs("VBE_sat", ("IC", "IB"))
    vbe_on = pairs("VBE_on", ("IC", "VCE"))

    # ---- starting point
    hfe_main = next(t.value for ic, _, t in hfe_pts if ic == ic_main)
    p["BF"] = 1.2 * hfe_main
    p["VAF"] = 100.0
    defaults["VAF"] = "100 V: Early voltage (not in the datasheet)"
    hfe_top = max(t.value for _, _, t in hfe_pts)
    free: list[Free] = [Free("BF", 0.5 * hfe_top, 10 * hfe_top)]  # a forward beta a transistor can have
    vbe_targets = [(ic, vb.target, ic / hfe_main) for ic, vce, vb in vbe_on] + \
                  [(ic, vb.target, ib) for ic, ib, vb in vbe_sat]
    p["RB"] = 10.0
    if vbe_targets:
        ic0, v0, ib0 = min(vbe_targets, key=lambda t: abs(t[1]))
        vj = min(abs(v0), 0.8)
        p["IS"] = ic0 * math.exp(-vj / VT)
        if abs(v0) > 0.8:
            p["RB"] = max((abs(v0) - vj) / ib0, 1.0)
        if len(vbe_targets) >= 2:
            free += [Free("IS", 1e-22, 1e-6), Free("RB", 0.01, 1e5)]
        elif abs(v0) > 0.8:
            # one VBE point far above a junction's 0.6-0.8 V (a power transistor at amps): the excess is the
            # ohmic drop, so RB is fitted and IS stays at the junction's value (fitting IS instead gives a
            # junction that conducts amps at 0.4 V)
            free.append(Free("RB", 0.01, 1e5))
            defaults["IS"] = f"{p['IS']:.3g} A: a 0.8 V junction at {format_value(ic0, 'A')} (one VBE point, fitted by RB)"
        else:
            free.append(Free("IS", 1e-22, 1e-6))
            defaults["RB"] = f"{format_value(p['RB'], 'Ω')}: base resistance (one VBE point fits IS only)"
    else:
        p["IS"] = 1e-14
        defaults["IS"] = "10 fA: no VBE in the datasheet"
        defaults["RB"] = "10 Ω: base resistance (not in the datasheet)"
    above = [t for t in hfe_pts if t[0] > 1.5 * ic_main]
    below = [t for t in hfe_pts if t[0] < ic_main / 1.5]
    ic_max = abs(dev.rating("IC_max") or 0.0)
    if above:
        p["IKF"] = 2 * max(t[0] for t in above)
        p["NKF"] = 0.5
        free.append(Free("IKF", 1e-6, 1e3))
        free.append(Free("NKF", 0.3, 1.5, log=False, step=0.005))
    else:
        p["IKF"] = ic_max or 10 * ic_main
        defaults["IKF"] = f"{_ma(p['IKF'])}: high-current roll-off at the rated collector current"
    p["NE"] = 1.5
    if below:
        ic_lo, _, t_lo = below[0]
        ib_extra = ic_lo / t_lo.value - ic_lo / p["BF"]
        p["ISE"] = max(ib_extra, 1e-3 * ic_lo / t_lo.value) / (ic_lo / p["IS"]) ** (1 / p["NE"])
        free.append(Free("ISE", 1e-25, 1e-6))
        if len(below) >= 2:
            free.append(Free("NE", 1.05, 4.0, log=False, step=0.005))
        else:
            defaults["NE"] = "1.5: low-current emission coefficient (one low-current hFE point)"
    else:
        p["ISE"] = 0.0
        defaults["ISE"] = "0: no hFE below the main test current"
    p["BR"] = 1.0
    p["RC"] = 1.0
    # the hFE points must stay out of saturation: IC x RC well below their VCE
    rc_cap = min(vce / ic for ic, vce, _ in hfe_pts)
    if sat:
        ic_s, ib_s, x = sat[0]
        forced_beta = ic_s / ib_s
        v_int = VT * math.log((1 + (forced_beta + 1) / p["BR"]) / max(1 - forced_beta / p["BF"], 0.05))
        if len(sat) >= 2:
            (i1, _, x1), (i2, _, x2) = sat[0], sat[-1]
            rc0 = (abs(x2.target) - abs(x1.target)) / (i2 - i1) if i2 != i1 else 1.0
        else:
            rc0 = (abs(x.target) - v_int) / ic_s
        p["RC"] = min(max(rc0, 0.01), 0.3 * rc_cap)
        free.append(Free("RC", 1e-4, max(0.6 * rc_cap, 2e-4)))
        free.append(Free("BR", 1e-4, 100.0))
    else:
        p["RC"] = min(1.0, 0.3 * rc_cap)
        defaults["RC"] = f"{format_value(p['RC'], 'Ω')}: collector resistance (no VCE(sat) in the datasheet)"
        defaults["BR"] = "1: reverse beta (not in the datasheet)"

    # ---- DC benches: a VBE sweep finds each hFE / VBE(on) point; forced currents give the saturation points
    sweep_targets: list[Target] = [t for _, _, t in hfe_pts]
    sweep_pts = [(ic, vce) for ic, vce, _ in hfe_pts]
    sweep_kind = ["hFE"] * len(hfe_pts)
    for ic, vce, x in vbe_on:
        sweep_pts.append((ic, vce))
        sweep_kind.append("VBE_on")
        sweep_targets.append(Target("VBE_on", f"IC={_ma(ic)}, VCE={format_value(vce, 'V')}", x.target, x.basis, "V"))
    op_targets: list[Target] = []
    forced: list[tuple[float, float, str]] = []
    for group, label in ((sat, "VCE_sat"), (vbe_sat, "VBE_sat")):
        for ic, ib, x in group:
            forced.append((ic, ib, label))
            op_targets.append(Target(label, f"IC={_ma(ic)}, IB={_ma(ib)}", x.target, x.basis, "V"))
    v_stop = 2.5

    def sweep_body(variants: list[dict]) -> list[str]:
        lines = [f"Vsw sw 0 DC 0"]
        for v, pv in enumerate(variants):
            lines.append(f".model QS{v} {mtype}({_card_body(pv, _DC_KEYS)})")
            for k, (ic, vce) in enumerate(sweep_pts):
                tag = f"{v}_{k}"
                lines += [
                    f"Vc{tag} c{tag} 0 DC {num(s * vce)}",
                    f"Vb{tag} sw b{tag} DC 0",
                    f"Q{tag} c{tag} b{tag} 0 QS{v}",
                ]
        lines.append(f".dc Vsw {num(s * 0.2)} {num(s * v_stop)} {num(s * 0.01)}")
        return lines

    def sweep_measure(res, v: int) -> list[float]:
        out = []
        vbe = res["v-sweep"]
        for k, ((ic, _), kind, t) in enumerate(zip(sweep_pts, sweep_kind, sweep_targets)):
            i_c, i_b = res[f"vc{v}_{k}#branch"], res[f"vb{v}_{k}#branch"]
            # base current interpolated in log space (it is exponential in VBE like IC)
            hit = at_level(i_c, ic, np.log(np.maximum(np.abs(i_b), 1e-300)), vbe)
            if hit is None:  # the device cannot carry the test current at this VCE: a graded miss
                reach = float(np.max(np.abs(i_c)))
                ib_end = float(abs(i_b[-1])) or math.nan
                out.append(reach / ib_end * reach / ic if kind == "hFE" else signed(v_stop * ic / max(reach, 1e-30), t.value))
                continue
            log_b, vb = hit
            out.append(ic / math.exp(log_b) if kind == "hFE" else signed(vb, t.value))
        return out

    def op_body(variants: list[dict]) -> list[str]:
        lines = []
        for v, pv in enumerate(variants):
            lines.append(f".model QD{v} {mtype}({_card_body(pv, _DC_KEYS)})")
            for k, (ic, ib, _) in enumerate(forced):
                tag = f"{v}_{k}"
                lines += [
                    f"Ifb{tag} 0 fb{tag} DC {num(s * ib)}",
                    f"Ifc{tag} 0 fc{tag} DC {num(s * ic)}",
                    f"Qf{tag} fc{tag} fb{tag} 0 QD{v}",
                ]
        lines.append(".op")
        return lines

    def op_measure(res, v: int) -> list[float]:
        return [signed(res.node(f"{'fc' if label == 'VCE_sat' else 'fb'}{v}_{k}"), t.value)
                for k, ((_, _, label), t) in enumerate(zip(forced, op_targets))]

    sweep = Bench("bjt gain", sweep_targets, sweep_body, sweep_measure)
    op = Bench("bjt saturation", op_targets, op_body, op_measure)
    free = free[: max(1, len(sweep_targets) + len(op_targets))]
    fit_info = {"dc": fit_stage([sweep, op], p, free, max_iter=40, goal=0.01)}

    # ---- AC: fT, Cob, Cib
    p.update(VJC=0.75, MJC=0.33, VJE=0.75, MJE=0.33)
    ac_targets: list[Target] = []
    ac_free: list[Free] = []
    cob = dev.spec("Cob", keys=("VCB",))
    cib = dev.spec("Cib", keys=("VEB",))
    ft = dev.spec("fT", keys=("IC", "VCE"))
    vcb = abs(cob.cond("VCB") or 10.0) if cob else 10.0
    veb = abs(cib.cond("VEB") or 0.5) if cib else 0.5
    f_cap = abs((cob or cib).cond("f") or 1e6) if (cob or cib) else 1e6
    if cob is not None and cob.target:
        p["CJC"] = abs(cob.target) * (1 + vcb / p["VJC"]) ** p["MJC"]
        ac_free.append(Free("CJC", 1e-16, 1e-8))
        ac_targets.append(Target("Cob", f"VCB={format_value(vcb, 'V')}, IE=0, f={format_value(f_cap, 'Hz')}",
                                 abs(cob.target), cob.basis, "F"))
    else:
        p["CJC"] = 5e-12
        defaults["CJC"] = "5 pF: no Cob in the datasheet"
    if cib is not None and cib.target:
        p["CJE"] = abs(cib.target) * (1 + veb / p["VJE"]) ** p["MJE"]
        ac_free.append(Free("CJE", 1e-16, 1e-8))
        ac_targets.append(Target("Cib", f"VEB={format_value(veb, 'V')}, IC=0, f={format_value(f_cap, 'Hz')}",
                                 abs(cib.target), cib.basis, "F"))
    else:
        p["CJE"] = 2 * p["CJC"]
        defaults["CJE"] = "2 x CJC: no Cib in the datasheet"
    ft_pt = None
    if ft is not None and ft.target:
        ic_f = abs(ft.cond("IC") or ic_main)
        vce_f = abs(ft.cond("VCE") or 10.0)
        f_t = abs(ft.target)
        p["TF"] = max(1 / (2 * math.pi * f_t) - (p["CJE"] + p["CJC"]) * VT / ic_f, 1e-13)
        ac_free.insert(0, Free("TF", 1e-14, 1e-5))
        ft_pt = (ic_f, vce_f, f_t)
        ac_targets.insert(0, Target("fT", f"IC={_ma(ic_f)}, VCE={format_value(vce_f, 'V')}", f_t, ft.basis, "Hz"))
    else:
        p["TF"] = 1e-9
        defaults["TF"] = "1 ns: no fT in the datasheet"
    defaults.update({"VJC": "0.75 V (junction potential, not in the datasheet)", "MJC": "0.33 (grading)",
                     "VJE": "0.75 V (junction potential, not in the datasheet)", "MJE": "0.33 (grading)"})
    f_lo, f_hi = (ft_pt[2] / 1e5, ft_pt[2] / 10) if ft_pt else (f_cap, f_cap)
    vbe_ft = _vbe_at(p, mtype, s, ft_pt[0], ft_pt[1]) if ft_pt else 0.0
    if vbe_ft is None:
        vbe_ft = 0.0
        ac_targets = [t for t in ac_targets if t.name != "fT"]
        ac_free = [f for f in ac_free if f.name != "TF"]
        ft_pt = None

    def ac_body(variants: list[dict]) -> list[str]:
        lines = []
        for v, pv in enumerate(variants):
            lines.append(f".model QA{v} {mtype}({_card_body(pv, _AC_KEYS)})")
            if ft_pt:  # biased at the VBE that gives the test current (found by the DC sweep)
                ic, vce, _ = ft_pt
                lines += [
                    f"Vt{v} ct{v} 0 DC {num(s * vce)}",
                    f"Vbt{v} bst{v} 0 DC {num(s * vbe_ft)}",
                    f"Lbt{v} bst{v} bt{v} 1e6",
                    f"Iact{v} 0 bt{v} DC 0 AC 1",
                    f"Qt{v} ct{v} bt{v} 0 QA{v}",
                ]
            lines += [
                f"Vcb{v} cb{v} 0 DC {num(s * vcb)} AC 1",
                f"Qcb{v} cb{v} 0 0 QA{v}",
                f"Veb{v} eb{v} 0 DC {num(s * veb)} AC 1",
                f"Qeb{v} 0 0 eb{v} QA{v}",
            ]
        lines.append(f".ac dec 20 {num(min(f_lo, f_cap))} {num(max(f_hi, f_cap) * 1.001)}")
        return lines

    def ac_measure(res, v: int) -> list[float]:
        out = []
        for t in ac_targets:
            if t.name == "fT":
                b0 = abs(ac_at(res, f"vt{v}#branch", f_lo))
                h = abs(ac_at(res, f"vt{v}#branch", f_hi))
                f_act = float(abs(ac_at(res, "frequency", f_hi)))
                d = 1 / h ** 2 - 1 / b0 ** 2
                out.append(f_act / math.sqrt(d) if d > 0 else math.nan)
            elif t.name == "Cob":
                out.append(abs(ac_at(res, f"vcb{v}#branch", f_cap).imag) / (2 * math.pi * f_cap))
            else:
                out.append(abs(ac_at(res, f"veb{v}#branch", f_cap).imag) / (2 * math.pi * f_cap))
        return out

    ac = Bench("bjt ac", ac_targets, ac_body, ac_measure)
    if ac_targets:
        fit_info["ac"] = fit_stage(ac, p, ac_free)
    p["TR"] = 50 * p["TF"]
    defaults["TR"] = "50 x TF: reverse transit time (not in the datasheet)"

    verification = Verification(dev.short_part, defaults=defaults, fit=fit_info)
    for bench in (sweep, op, ac):
        pts, err = run_bench(bench, p)
        verification.points += pts
        if err:
            verification.errors.append(err)
    order = _AC_KEYS + ["TR"]
    params = {k: p[k] for k in order if k in p and not (k == "ISE" and p[k] == 0.0)}
    return DeviceModel(
        part=dev.short_part, device_class="bjt", kind=mtype.lower(), name=name, params=params,
        terminals=["C", "B", "E"], device=dev, verification=verification, model_type=mtype, defaults=defaults,
        notes=[mtype],
    )
