"""Op-amp: a behavioural macromodel ``.subckt NAME inp inn vcc vee out`` from the datasheet.

The model: input offset (VOS) and bias currents (IB +- IOS/2) at the pins; a transconductance
stage whose current saturates at the slew-rate limit (tanh) into one dominant pole (open-loop gain
AVOL, unity-gain frequency GBW); a stiff clamp holding the integrating node, and so the output,
inside the swing (VOH/VOL headroom from the rails); an output stage with output resistance
and a smooth current limit; the supply current IQ between the rails, and the output current drawn
from the rail it comes from.

Simulated test points (at a supply of 5 V, or the nearest the datasheet allows): GBW (AC, open
loop, unity-gain crossing), AVOL (AC, well below the pole), SR (transient, unity-gain follower,
20-80 % of a large step), VOS (follower), IB (current into IN+), IQ (supply current; a figure for
"both/all amplifiers" is compared with that many copies). GBW, AVOL and SR are fitted; the others
are set from the datasheet and checked.

Defaults when the datasheet is silent (flagged): GBW 1 MHz, SR = 2 pi GBW x 0.1 V, AVOL 100 dB,
VOS 0 (a max-only offset spreads around zero), IB 0, IQ 1 mA, output headroom 0.2 V to each rail,
output resistance 50 Ω, output current limit 20 mA. CMRR and PSRR are not modelled.
"""

from __future__ import annotations

import math
import re

import numpy as np

from circuit.units import format_value

from .device import Device, Spec
from .fitting import Bench, Free, Target, fit_stage, num, run_bench
from .model import DeviceModel
from .verification import Verification

__all__ = ["build_opamp", "opamp_subckt", "PORTS"]

PORTS = ["inp", "inn", "vcc", "vee", "out"]
GM = 1e-3  # transconductance of the input stage (internal scaling only)


def opamp_subckt(name: str, f: dict) -> str:
    """The macromodel text for figures ``f`` (gbw, sr, avol, vos, ib_p, ib_n, iq, hh, hl, rout, ilim, rin)."""
    c1 = GM / (2 * math.pi * f["gbw"])
    isr = f["sr"] * c1
    r1 = f["avol"] / GM
    io = f"{num(f['ilim'])}*tanh((V(o1)-V(out))/{num(f['ilim'] * f['rout'])})"
    lines = [
        f".subckt {name} inp inn vcc vee out",
        "* circuitsmith op-amp macromodel from datasheet figures",
        f"Vos inp1 inp DC {num(f['vos'])}",
        f"Ibp inp vee DC {num(f['ib_p'])}",
        f"Ibn inn vee DC {num(f['ib_n'])}",
        f"Rin inp1 inn {num(f['rin'])}",
        "Bmid mid 0 V=0.5*(V(vcc)+V(vee))",
        f"Bgm mid n1 I={num(isr)}*tanh({num(GM / isr)}*(V(inp1)-V(inn)))",
        f"R1 n1 mid {num(r1)}",
        f"C1 n1 mid {num(c1)}",
        # a stiff piecewise-linear clamp holds the integrating node (and so the output) in the swing
        f"Bcl n1 mid I=10*(max(0,V(n1)-V(vcc)+{num(f['hh'])})-max(0,V(vee)+{num(f['hl'])}-V(n1)))",
        "Eo1 o1 0 n1 0 1",
        f"Bo 0 out I={io}",
        f"Iq vcc vee DC {num(f['iq'])}",
        f"Bsrc vcc 0 I=max(0,{io})",
        f"Bsnk 0 vee I=max(0,-{io})",
        f".ends {name}",
    ]
    return "\n".join(lines)


def _amplifiers(spec: Spec | None, dev: Device) -> int:
    """How many amplifiers a supply-current figure covers ("both amplifiers", "all op amps")."""
    if spec is None:
        return 1
    text = (spec.conditions_text or "").lower()
    if "per amplifier" in text or "per op amp" in text or "per channel" in text:
        return 1
    if re.search(r"\b(both|all)\s+(op\s*amps?|amplifiers|channels)\b", text) or "both amplifiers" in text:
        return 4 if re.search(r"\b(quad|four)\b", dev.text()) else 2
    return 1


def _ratio(spec: Spec | None, value: float | None) -> float | None:
    """AVOL as a ratio: dB figures are converted, V/mV figures are already V/V in the labels."""
    if spec is None or value is None:
        return None
    unit = (spec.unit or "").lower()
    if unit == "db":
        return 10 ** (value / 20)
    if unit in ("v/mv",):
        return value * 1e3
    return value


def _supply(dev: Device) -> float:
    """The supply the benches use: 5 V when the part runs from it, else the nearest end of its range."""
    rng = dev.spec("VS")
    lo = abs(rng.min if rng and rng.min is not None else 3.0)
    hi = abs(rng.max if rng and rng.max is not None else 36.0)
    if lo <= 5.0 <= hi:
        return 5.0
    return lo if lo > 5.0 else hi


def build_opamp(dev: Device, name: str) -> DeviceModel:
    defaults: dict[str, str] = {}
    f: dict[str, float] = {}
    gbw_s, sr_s, avol_s = dev.spec("GBW"), dev.spec("SR"), dev.spec("AVOL")
    vos_s, ib_s, ios_s, iq_s = dev.spec("VOS"), dev.spec("IB"), dev.spec("IOS"), dev.spec("IQ")

    f["gbw"] = abs(gbw_s.target) if gbw_s and gbw_s.target else 1e6
    if not (gbw_s and gbw_s.target):
        defaults["GBW"] = "1 MHz: no gain-bandwidth in the datasheet"
    f["sr"] = abs(sr_s.target) if sr_s and sr_s.target else 2 * math.pi * f["gbw"] * 0.1
    if not (sr_s and sr_s.target):
        defaults["SR"] = f"{f['sr'] / 1e6:.3g} V/µs: 2π·GBW·0.1 V (no slew rate in the datasheet)"
    avol = _ratio(avol_s, avol_s.target if avol_s else None)
    f["avol"] = abs(avol) if avol else 1e5
    if not avol:
        defaults["AVOL"] = "100 dB: no open-loop gain in the datasheet"
    if vos_s is not None and vos_s.typ is not None:
        f["vos"] = vos_s.typ
    else:
        f["vos"] = 0.0
        defaults["VOS"] = "0: only a maximum offset is given; offsets spread around zero"
    ib = ib_s.target if ib_s and ib_s.target is not None else None
    ios = ios_s.target if ios_s and ios_s.target is not None else 0.0
    if ib is None:
        ib = 0.0
        defaults["IB"] = "0: no input bias current in the datasheet"
    f["ib_p"], f["ib_n"] = ib + ios / 2, ib - ios / 2
    n_amp = _amplifiers(iq_s, dev)
    iq_total = abs(iq_s.target) if iq_s and iq_s.target else None
    f["iq"] = iq_total / n_amp if iq_total else 1e-3
    if not iq_total:
        defaults["IQ"] = "1 mA: no supply current in the datasheet"
    vs = _supply(dev)
    voh, vol = dev.spec("VOH"), dev.spec("VOL")
    f["hh"] = 0.2 if not (voh and voh.target) else max(vs - abs(voh.target), 0.001)
    f["hl"] = 0.2 if not (vol and vol.target) else max(abs(vol.target), 0.001)
    if not (voh and voh.target):
        defaults["VOH"] = "0.2 V below V+: output swing not in the datasheet"
    if not (vol and vol.target):
        defaults["VOL"] = "0.2 V above V-: output swing not in the datasheet"
    f["rout"] = 50.0
    defaults["ROUT"] = "50 Ω: open-loop output resistance (not in the datasheet)"
    isc = dev.spec("ISC") or dev.spec("IOUT_sc")
    f["ilim"] = abs(isc.target) if isc and isc.target else 0.02
    if not (isc and isc.target):
        defaults["ILIM"] = "20 mA: output current limit (not in the datasheet)"
    f["rin"] = 1e12
    defaults["RIN"] = "1 TΩ: differential input resistance (not in the datasheet)"

    mid = vs / 2
    cond_vs = f"VS={format_value(vs, 'V')}"
    # ---- AC: open-loop gain and unity-gain crossing (DC-closed, AC-open loop)
    ac_targets: list[Target] = []
    if gbw_s and gbw_s.target:
        ac_targets.append(Target("GBW", f"{cond_vs}, open loop", abs(gbw_s.target), gbw_s.basis, "Hz"))
    if avol:
        unit_note = " (printed in dB)" if (avol_s.unit or "").lower() == "db" else ""
        ac_targets.append(Target("AVOL", f"{cond_vs}, DC", abs(avol), avol_s.basis, "V/V", note=unit_note))

    def ac_body(variants: list[dict]) -> list[str]:
        lines = [f"Vcc vcc 0 DC {num(vs)}"]
        for v, fv in enumerate(variants):
            lines.append(opamp_subckt(f"OA{v}", fv))
            lines += [
                f"Vin{v} inp{v} 0 DC {num(mid)} AC 1",
                f"X{v} inp{v} inn{v} vcc 0 out{v} OA{v}",
                f"Lf{v} out{v} inn{v} 1e12",
                f"Cf{v} inn{v} 0 1e6",
            ]
        f_lo = max(min(fv["gbw"] / fv["avol"] for fv in variants) / 100, 1e-4)
        f_hi = 20 * max(fv["gbw"] for fv in variants)
        lines.append(f".ac dec 40 {num(f_lo)} {num(f_hi)}")
        return lines

    def ac_measure(res, v: int) -> list[float]:
        freq = np.real(res["frequency"])
        gain = np.abs(res[f"out{v}"]) / np.abs(res[f"inp{v}"])
        out = []
        for t in ac_targets:
            if t.name == "AVOL":
                out.append(float(gain[0]))
            else:
                k = np.nonzero(gain < 1.0)[0]
                if len(k) == 0 or k[0] == 0:
                    out.append(math.nan)
                    continue
                i = int(k[0])
                a, b = math.log(gain[i - 1]), math.log(gain[i])
                t_ = a / (a - b)
                out.append(float(math.exp(math.log(freq[i - 1]) + t_ * (math.log(freq[i]) - math.log(freq[i - 1])))))
        return out

    ac = Bench("opamp ac", ac_targets, ac_body, ac_measure)
    fit_info = {}
    free_ac = [Free(k, 1.0, 1e12) for k, t in (("gbw", "GBW"), ("avol", "AVOL")) if any(x.name == t for x in ac_targets)]
    if ac_targets:
        fit_info["ac"] = fit_stage(ac, f, free_ac)

    # ---- transient: slew rate of a unity-gain follower
    tr_targets: list[Target] = []
    amp = 0.3 * (vs - f["hh"] - f["hl"])
    if sr_s and sr_s.target:
        tr_targets.append(Target("SR", f"{cond_vs}, follower, {format_value(2 * amp, 'V')} step", abs(sr_s.target),
                                 sr_s.basis, "V/s"))
    # the run starts from zero (uic: no operating point, whose Newton start the saturated input
    # stage makes hard) and settles at the low level before the step
    t_slew = 2 * amp / f["sr"]
    t_step = 1.5 * (mid + amp) / f["sr"] + 20 / (2 * math.pi * f["gbw"])
    t_stop = t_step + 3 * t_slew + 10 / (2 * math.pi * f["gbw"])

    def tr_body(variants: list[dict]) -> list[str]:
        lines = [f"Vcc vcc 0 DC {num(vs)}",
                 f"Vin inp 0 PULSE({num(mid - amp)} {num(mid + amp)} {num(t_step)} 1n 1n {num(t_stop)} {num(4 * t_stop)})"]
        for v, fv in enumerate(variants):
            lines.append(opamp_subckt(f"OT{v}", fv))
            lines.append(f"X{v} inp out{v} vcc 0 out{v} OT{v}")
        lines.append(f".tran {num(t_stop / 4000)} {num(t_stop)} 0 {num(t_stop / 2000)} uic")
        return lines

    def tr_measure(res, v: int) -> list[float]:
        t = np.real(res["time"])
        y = np.real(res[f"out{v}"])
        lo, hi = mid - amp, mid + amp
        y20, y80 = lo + 0.2 * (hi - lo), lo + 0.8 * (hi - lo)
        after = t >= t_step
        t20 = _cross(t[after], y[after], y20)
        t80 = _cross(t[after], y[after], y80)
        if t20 is None or t80 is None or t80 <= t20:
            return [math.nan]
        return [(y80 - y20) / (t80 - t20)]

    tr = Bench("opamp slew", tr_targets, tr_body, tr_measure)
    if tr_targets:
        fit_info["slew"] = fit_stage(tr, f, [Free("sr", 1.0, 1e12)])

    # ---- DC: offset, bias current, supply current (set from the datasheet, checked here)
    dc_targets: list[Target] = []
    if vos_s is not None and vos_s.typ is not None and vos_s.typ != 0:
        dc_targets.append(Target("VOS", f"{cond_vs}, follower at {format_value(mid, 'V')}", vos_s.typ, "typ", "V"))
    if ib_s is not None and ib_s.target:
        dc_targets.append(Target("IB", f"{cond_vs}, mean of both inputs", ib_s.target, ib_s.basis, "A"))
    if ios_s is not None and ios_s.target:
        dc_targets.append(Target("IOS", f"{cond_vs}, IN+ minus IN-", ios_s.target, ios_s.basis, "A"))
    if iq_total:
        dc_targets.append(Target("IQ", f"{cond_vs}, no load" + (f", {n_amp} amplifiers" if n_amp > 1 else ""),
                                 iq_total, iq_s.basis, "A"))

    def dc_body(variants: list[dict]) -> list[str]:
        lines = []
        for v, fv in enumerate(variants):
            lines.append(opamp_subckt(f"OD{v}", fv))
            lines += [
                f"Vcc{v} vcc{v} 0 DC {num(vs)}",
                f"Vin{v} in{v} 0 DC {num(mid)}",
                f"Vp{v} in{v} inp{v} DC 0",
                f"Vn{v} out{v} inn{v} DC 0",
                f"X{v} inp{v} inn{v} vcc{v} 0 out{v} OD{v}",
            ]
        lines.append(".op")
        return lines

    def dc_measure(res, v: int) -> list[float]:
        out = []
        for t in dc_targets:
            if t.name == "VOS":
                out.append(res.node(f"out{v}") - mid)
            elif t.name == "IB":
                out.append((res.current(f"vp{v}") + res.current(f"vn{v}")) / 2)
            elif t.name == "IOS":
                out.append(res.current(f"vp{v}") - res.current(f"vn{v}"))
            else:
                out.append(abs(res.current(f"vcc{v}")) * n_amp)
        return out

    dc = Bench("opamp dc", dc_targets, dc_body, dc_measure)

    verification = Verification(dev.short_part, defaults=defaults, fit=fit_info)
    for bench in (ac, tr, dc):
        pts, err = run_bench(bench, f)
        verification.points += pts
        if err:
            verification.errors.append(err)
    subckt = opamp_subckt(name, f)
    figures = {"GBW": f["gbw"], "SR": f["sr"], "AVOL": f["avol"], "VOS": f["vos"], "IB+": f["ib_p"], "IB-": f["ib_n"],
               "IQ": f["iq"], "VOH headroom": f["hh"], "VOL headroom": f["hl"], "ROUT": f["rout"], "ILIM": f["ilim"],
               "VS test": vs}
    return DeviceModel(
        part=dev.short_part, device_class="opamp", kind="opamp", name=name, params=dict(f),
        terminals=["IN+", "IN-", "V+", "V-", "OUT"], device=dev, verification=verification, model_type=None,
        subckt=subckt, ports=list(PORTS), defaults=defaults, figures=figures,
        notes=[f"one amplifier; the datasheet's supply current covers {n_amp}" if n_amp > 1 else "one amplifier"],
    )


def _cross(t: np.ndarray, y: np.ndarray, level: float) -> float | None:
    k = np.nonzero(y >= level)[0]
    if len(k) == 0 or k[0] == 0:
        return None
    i = int(k[0])
    y0, y1 = y[i - 1], y[i]
    return float(t[i - 1] + (level - y0) / (y1 - y0) * (t[i] - t[i - 1])) if y1 != y0 else float(t[i])
