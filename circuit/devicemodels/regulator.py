"""Linear regulator: a behavioural ``.subckt NAME in out com`` (fixed) or ``in out adj``
(adjustable) from the datasheet.

The model: the output is the nominal voltage (or VREF above ADJ) moved by the line regulation,
never above the input minus the dropout, behind an output resistance (the load regulation) with a
current limit; the input carries the load current plus the quiescent current to GND (ADJ current
out of ADJ for an adjustable part).

Simulated test points: VOUT (or VREF) at a light load, IQ (GND pin) or IADJ, the dropout at its
load current (input swept down until the output falls 1 %), load regulation over its current
range and line regulation over its input range (in V, % or %/V as printed). VOUT/VREF, dropout,
output resistance and line sensitivity are fitted; IQ/IADJ are set and checked.

Defaults when the datasheet is silent (flagged): dropout 2 V, output resistance 10 mΩ, no line
sensitivity, current limit 1.5 x the rated output current, test input VOUT + dropout + 2 V.
"""

from __future__ import annotations

import math
import re

import numpy as np

from circuit.units import format_value

from .device import Device, Spec
from .fitting import Bench, Free, Target, fit_stage, num, run_bench
from .model import DeviceModel, ModelError
from .verification import Verification

__all__ = ["build_regulator", "regulator_subckt"]

_NUM = r"[-+]?\d+(?:\.\d+)?"
_PREFIX = {"": 1.0, "m": 1e-3, "u": 1e-6, "µ": 1e-6, "k": 1e3}


def regulator_subckt(name: str, f: dict, adjustable: bool) -> str:
    lim, rout = f["ilim"], max(f["rout"], 1e-5)
    if adjustable:
        ref = f"V(adj)+{num(f['vref'])}+{num(f['kline'])}*(V(in)-V(out)-{num(f['head_nom'])})"
        lines = [
            f".subckt {name} in out adj",
            "* circuitsmith adjustable regulator from datasheet figures: OUT sits VREF above ADJ",
            f"Bref o1 0 V=max(0,min({ref},V(in)-{num(f['vdrop'])}))",
            f"Bout in out I=min({num(lim)},max({num(-lim / 100)},(V(o1)-V(out))/{num(rout)}))",
            f"Iadj in adj DC {num(f['iadj'])}",
            f".ends {name}",
        ]
    else:
        ref = f"{num(f['vout'])}+{num(f['kline'])}*(V(in,com)-{num(f['vin_nom'])})"
        io = f"min({num(lim)},max({num(-lim / 100)},(V(o1,com)-V(out,com))/{num(rout)}))"
        lines = [
            f".subckt {name} in out com",
            "* circuitsmith linear regulator from datasheet figures",
            f"Bref o1 com V=max(0,min({ref},V(in,com)-{num(f['vdrop'])}))",
            f"Bout com out I={io}",
            f"Bin in com I={io}",
            f"Iq in com DC {num(f['iq'])}",
            f".ends {name}",
        ]
    return "\n".join(lines)


def _quantity(text: str) -> float | None:
    m = re.fullmatch(rf"\s*({_NUM})\s*([mµu]?)[AV]?\s*", text)
    return float(m.group(1)) * _PREFIX[m.group(2)] if m else None


def _range(spec: Spec, keys: tuple[str, ...], vout: float) -> tuple[float, float] | None:
    """A test range such as IO=5mA to 1.5A, VI=7 to 25V, 10mA≤IOUT≤1A or (VOUT+1.5V)≤VIN≤12V."""
    for k in keys:
        v = spec.conditions.get(k)
        if isinstance(v, list) and len(v) == 2 and None not in v:
            return float(v[0]), float(v[1])
    text = spec.conditions_text.replace("−", "-").replace("<=", "≤")
    for k in keys:
        m = re.search(rf"(\(?[^,;≤]*?\)?)\s*≤\s*{re.escape(k)}\s*≤\s*([^,;)]+)", text)
        if not m:
            continue
        lo_t, hi_t = m.group(1).strip().strip("()"), m.group(2).strip()
        hi = _quantity(hi_t)
        lo = _quantity(lo_t)
        if lo is None:
            mm = re.fullmatch(rf"VOUT\s*\+\s*({_NUM})\s*V?", lo_t.replace(" ", ""))
            lo = vout + float(mm.group(1)) if mm else None
        if lo is not None and hi is not None:
            return lo, hi
    return None


def _value(spec: Spec | None) -> float | None:
    return None if spec is None or spec.target is None else spec.target


def build_regulator(dev: Device, name: str) -> DeviceModel:
    defaults: dict[str, str] = {}
    vout_s, vref_s = dev.spec("VOUT_nom") or dev.spec("VOUT"), dev.spec("VREF")
    adjustable = vout_s is None and vref_s is not None
    if vout_s is None and vref_s is None:
        raise ModelError(f"{dev.short_part}: a regulator model needs VOUT (fixed) or VREF (adjustable)")
    f: dict[str, float] = {}
    v_set = abs(_value(vref_s) if adjustable else _value(vout_s))
    f["vout"] = v_set
    f["vref"] = v_set
    drop_s = dev.spec("VDROP")
    f["vdrop"] = abs(_value(drop_s)) if _value(drop_s) else 2.0
    if not _value(drop_s):
        defaults["VDROP"] = "2 V: no dropout in the datasheet"
    iout_s = dev.spec("IOUT_max")
    i_max = abs(next((x for x in (iout_s.rating, iout_s.max, iout_s.target) if x), 1.0)) if iout_s else 1.0
    # the current limit; a short-circuit figure is a foldback value at high input, not the limit
    lim_s = dev.spec("I_limit")
    f["ilim"] = max(abs(_value(lim_s)), 1.05 * i_max) if _value(lim_s) else 1.5 * i_max
    if not _value(lim_s):
        defaults["ILIM"] = f"{format_value(f['ilim'], 'A')}: 1.5 x the rated output current"
    iq_s, iadj_s = dev.spec("IQ"), dev.spec("IADJ")
    f["iq"] = abs(_value(iq_s)) if _value(iq_s) else 0.0
    f["iadj"] = abs(_value(iadj_s)) if _value(iadj_s) else 0.0
    if not adjustable and not _value(iq_s):
        defaults["IQ"] = "0: no quiescent current in the datasheet"
    if adjustable and not _value(iadj_s):
        defaults["IADJ"] = "0: no ADJ pin current in the datasheet"
    f["rout"] = 0.01
    f["kline"] = 0.0
    f["vin_nom"] = v_set + f["vdrop"] + 2.0
    f["head_nom"] = f["vdrop"] + 2.0
    v_test = v_set  # the bench's output voltage (ADJ grounded for an adjustable part)

    notes: list[str] = []

    def vout_for(spec: Spec | None) -> float:
        """The output a test runs at: the fixed output, or for an adjustable part VO from the
        conditions (its ADJ pin held at VO - VREF), else VREF (ADJ grounded)."""
        if adjustable and spec is not None:
            vo = spec.cond("VO")
            if vo and vo > v_set:
                return vo
        return v_test

    def vin_for(spec: Spec | None, vo: float) -> float:
        vin = None
        if spec is not None:
            for k in ("VIN", "VI"):
                x = spec.conditions.get(k)
                if isinstance(x, float):
                    vin = x
            for k in ("VIN-VOUT", "VI-VO", "VIN-VOUT)"):
                x = spec.conditions.get(k)
                if isinstance(x, float):
                    vin = vo + x
        return floor_vin(vin if vin is not None else vo + f["head_nom"], vo)

    def floor_vin(vin: float, vo: float) -> float:
        """Test inputs stay out of dropout (a condition that reads lower is a reading error)."""
        low = vo + f["vdrop"] + 0.3
        if vin < low:
            notes.append(f"a test input of {format_value(vin, 'V')} is in dropout; tested at {format_value(low, 'V')}")
            return low
        return vin

    # ---- operating-point tests: each test is one regulator at (VIN, load, output voltage)
    tests: list[tuple[str, float, float, float]] = []  # (key, vin, iload, vout)
    targets: list[Target] = []
    label = "VREF" if adjustable else "VOUT"
    main = vref_s if adjustable else vout_s
    i_light = 0.01
    vin0 = vin_for(None, v_test)
    tests.append(("v", vin0, i_light, v_test))
    targets.append(Target(label, f"VIN={format_value(vin0, 'V')}, IO={format_value(i_light, 'A')}",
                          v_set, main.basis, "V"))
    if adjustable and _value(iadj_s):
        targets.append(Target("IADJ", f"VIN={format_value(vin0, 'V')}", f["iadj"], iadj_s.basis, "A"))
    if not adjustable and _value(iq_s):
        targets.append(Target("IQ", f"VIN={format_value(vin0, 'V')}, GND pin", f["iq"], iq_s.basis, "A"))
    free = [Free("vref" if adjustable else "vout", 0.5 * v_set, 2 * v_set, log=False, step=1e-4 * v_set)]

    load_s, line_s = dev.spec("load_reg"), dev.spec("line_reg")
    reg_tests: list[tuple[str, Target, int, int]] = []
    if _value(load_s):
        rng = _range(load_s, ("IO", "IOUT", "IL"), v_test)
        if rng and rng[1] > rng[0] > 0:
            vo = vout_for(load_s)
            vin = vin_for(load_s, vo)
            tests += [("l1", vin, rng[0], vo), ("l2", vin, rng[1], vo)]
            unit = load_s.unit
            at = f", VO={format_value(vo, 'V')}" if vo != v_test else ""
            targets.append(Target("load_reg", f"IO={format_value(rng[0], 'A')} to {format_value(rng[1], 'A')}{at}",
                                  abs(load_s.target), load_s.basis, unit))
            reg_tests.append(("load", targets[-1], len(tests) - 2, len(tests) - 1))
            dv = abs(load_s.target) * (vo / 100 if unit.startswith("%") else 1.0)
            f["rout"] = max(dv / max(rng[1] - rng[0], 1e-6), 1e-5)
            free.append(Free("rout", 1e-6, 100.0))
    if "rout" not in [x.name for x in free]:
        defaults["ROUT"] = "10 mΩ: output resistance (no load regulation in the datasheet)"
    if _value(line_s):
        rng = _range(line_s, ("VI", "VIN"), v_test)
        head = _range(line_s, ("VI-VO", "VIN-VOUT"), v_test)
        if rng is None and head is not None:
            rng = (v_test + head[0], v_test + head[1])
        if rng:
            rng = (floor_vin(rng[0], v_test), rng[1])
        if rng and rng[1] > rng[0]:
            tests += [("n1", rng[0], i_light, v_test), ("n2", rng[1], i_light, v_test)]
            unit = line_s.unit
            targets.append(Target("line_reg", f"VIN={format_value(rng[0], 'V')} to {format_value(rng[1], 'V')}",
                                  abs(line_s.target), line_s.basis, unit))
            reg_tests.append(("line", targets[-1], len(tests) - 2, len(tests) - 1))
            dv = abs(line_s.target) * (v_test / 100 if unit.startswith("%") else 1.0)
            if unit == "%/V":
                dv *= rng[1] - rng[0]
            f["kline"] = dv / (rng[1] - rng[0])
            f["vin_nom"] = rng[0]
            f["head_nom"] = rng[0] - v_test
            free.append(Free("kline", 0.0, 1.0, log=False, step=1e-6))
    if not any(k == "line" for k, *_ in reg_tests):
        defaults["line sensitivity"] = "0: no line regulation in the datasheet"

    ports = "in out adj" if adjustable else "in out com"  # "gnd" would be ngspice's ground

    def op_body(variants: list[dict]) -> list[str]:
        lines = []
        for v, fv in enumerate(variants):
            lines.append(regulator_subckt(f"RG{v}", fv, adjustable))
            for k, (_, vin, iload, vo) in enumerate(tests):
                tag = f"{v}_{k}"
                v_adj = vo - fv["vref"] if adjustable else 0.0
                lines += [f"Vi{tag} in{tag} 0 DC {num(vin)}", f"Rl{tag} out{tag} 0 {num(vo / iload)}",
                          f"Vg{tag} g{tag} 0 DC {num(max(v_adj, 0.0))}", f"X{tag} in{tag} out{tag} g{tag} RG{v}"]
        lines.append(".op")
        return lines

    def op_measure(res, v: int) -> list[float]:
        out_v = [res.node(f"out{v}_{k}") for k in range(len(tests))]
        vals = []
        for t in targets:
            if t.name in ("VOUT", "VREF"):
                vals.append(out_v[0])
            elif t.name in ("IQ", "IADJ"):
                vals.append(abs(res.current(f"vg{v}_0")))
            else:
                kind, _, a, b = next(r for r in reg_tests if r[1] is t)
                dv = abs(out_v[a] - out_v[b])
                ref = out_v[a]
                if t.unit.startswith("%"):
                    dv = dv / ref * 100
                if t.unit == "%/V":
                    dv /= abs(tests[b][1] - tests[a][1])
                vals.append(dv)
        return vals

    op = Bench("regulator dc", targets, op_body, op_measure)
    i_test = max([t[2] for t in tests] + [abs(drop_s.cond("IO") or drop_s.cond("IOUT") or 0.0) if drop_s else 0.0])
    if f["ilim"] < 1.1 * i_test:
        notes.append(f"current limit raised from {format_value(f['ilim'], 'A')} to carry the "
                     f"{format_value(i_test, 'A')} test current")
        f["ilim"] = 1.1 * i_test

    # ---- dropout: input swept down at the test load until the output falls 1 %
    drop_targets: list[Target] = []
    i_drop = None
    if _value(drop_s):
        i_drop = abs(drop_s.cond("IO") or drop_s.cond("IOUT") or 0.0) or i_max
        drop_targets.append(Target("VDROP", f"IO={format_value(i_drop, 'A')}, output 1 % low", abs(drop_s.target),
                                   drop_s.basis, "V"))
        free.append(Free("vdrop", 0.05, 10.0, log=False, step=1e-4))
    v_hi = v_test + 3 * f["vdrop"] + 3.0

    def drop_body(variants: list[dict]) -> list[str]:
        lines = ["Vsw sw 0 DC 0"]
        for v, fv in enumerate(variants):
            lines.append(regulator_subckt(f"RD{v}", fv, adjustable))
            lines += [f"Vi{v} sw in{v} DC 0", f"Rl{v} out{v} 0 {num(v_test / (i_drop or 1e-3))}", f"Vg{v} g{v} 0 DC 0",
                      f"X{v} in{v} out{v} g{v} RD{v}"]
        lines.append(f".dc Vsw {num(v_hi)} {num(0.3 * v_test)} {num(-v_hi / 4000)}")
        return lines

    def drop_measure(res, v: int) -> list[float]:
        vin = np.real(res["v-sweep"])
        vo = np.real(res[f"out{v}"])
        nominal = vo[0]
        k = np.nonzero(vo < 0.99 * nominal)[0]
        if len(k) == 0 or k[0] == 0:
            return [math.nan]
        i = int(k[0])
        level = 0.99 * nominal
        t = (vo[i - 1] - level) / (vo[i - 1] - vo[i]) if vo[i - 1] != vo[i] else 0.0
        vin_at = vin[i - 1] + t * (vin[i] - vin[i - 1])
        return [float(vin_at - level)]

    drop = Bench("regulator dropout", drop_targets, drop_body, drop_measure)
    fit_info = {"dc": fit_stage([op, drop], f, free)}

    verification = Verification(dev.short_part, defaults=defaults, fit=fit_info)
    for bench in (op, drop):
        pts, err = run_bench(bench, f)
        verification.points += pts
        if err:
            verification.errors.append(err)
    figures = {("VREF" if adjustable else "VOUT"): f["vref" if adjustable else "vout"], "VDROP": f["vdrop"],
               "ROUT": f["rout"], "line sensitivity": f["kline"], "ILIM": f["ilim"],
               ("IADJ" if adjustable else "IQ"): f["iadj" if adjustable else "iq"]}
    return DeviceModel(
        part=dev.short_part, device_class="regulator", kind="regulator", name=name, params=dict(f),
        terminals=["IN", "OUT", "ADJ"] if adjustable else ["IN", "OUT", "GND"], device=dev,
        verification=verification, model_type=None, subckt=regulator_subckt(name, f, adjustable),
        ports=ports.split(), defaults=defaults, figures=figures,
        notes=["adjustable" if adjustable else "fixed output"] + sorted(set(notes)),
    )
