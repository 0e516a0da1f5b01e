"""Component values for analog building blocks: from the sizing engine (E-series search with
SPICE in the loop), else (when it cannot size the block) from the closed-form equations rounded
to the E-series. Either way the result says which, and carries the math for the report."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from circuit.sizing.blocks import make_block
from circuit.sizing.optimize import size
from circuit.sizing.spec import Spec
from circuit.units import format_value, nearest_e

TWO_PI = 2 * math.pi


@dataclass
class Sized:
    values: dict[str, float]
    measures: dict[str, float] = field(default_factory=dict)
    method: str = "analytic (E-series)"


def size_block(block: str, env: dict, specs: list[tuple[str, str, float, float]], analytic: dict[str, float],
               series: str = "E24") -> Sized:
    """specs: (name, op, target, tol). Falls back to ``analytic`` rounded to the series."""
    try:
        blk = make_block(block, env)
        res = size(blk, [Spec(n, op, t, tol) for n, op, t, tol in specs], series=series, budget=40)
        if res.met and res.values:
            return Sized(dict(res.values), dict(res.measures), "SPICE-sized (E-series search)")
    except Exception:  # the engine could not size it: the closed form still gives a sound value
        pass
    return _rounded(analytic, series)


def _rounded(values: dict[str, float], series: str) -> Sized:
    out = {}
    for k, v in values.items():
        s = "E6" if k.upper().startswith(("C", "L")) else series
        out[k] = nearest_e(v, s)
    return Sized(out)


def divider(vin: float, vout: float, total: float = 20e3) -> tuple[Sized, str]:
    ratio = vout / vin
    s = size_block("voltage_divider", {"vin": vin}, [("vout", "=", vout, 0.03)],
                   {"R1": total * (1 - ratio), "R2": total * ratio})
    r1, r2 = s.values["R1"], s.values["R2"]
    v = vin * r2 / (r1 + r2)
    formula = (f"Vout = Vin × R2/(R1+R2) = {format_value(vin, 'V')} × {format_value(r2, 'Ω')}/"
               f"({format_value(r1, 'Ω')}+{format_value(r2, 'Ω')}) = {format_value(v, 'V')}")
    return s, formula


def rc_lowpass(fc: float, r: float = 10e3, highpass: bool = False) -> tuple[Sized, str]:
    c = 1 / (TWO_PI * r * fc)
    s = size_block("rc_highpass" if highpass else "rc_lowpass", {}, [("f_c", "=", fc, 0.1)], {"R1": r, "C1": c})
    r1, c1 = s.values["R1"], s.values["C1"]
    f = 1 / (TWO_PI * r1 * c1)
    formula = f"f_c = 1/(2π·R·C) = 1/(2π × {format_value(r1, 'Ω')} × {format_value(c1, 'F')}) = {format_value(f, 'Hz')}"
    return s, formula


def lc_lowpass(fc: float, l: float) -> tuple[dict[str, float], str]:
    c = 1 / ((TWO_PI * fc) ** 2 * l)
    c_e = nearest_e(c, "E6")
    f = 1 / (TWO_PI * math.sqrt(l * c_e))
    z0 = math.sqrt(l / c_e)
    formula = (f"f_c = 1/(2π√(LC)) = 1/(2π√({format_value(l, 'H')} × {format_value(c_e, 'F')})) = "
               f"{format_value(f, 'Hz')}; Z0 = √(L/C) = {format_value(z0, 'Ω')}")
    return {"L1": l, "C1": c_e, "f_c": f, "z0": z0}, formula


def noninverting(gain: float, rg: float = 10e3, env: dict | None = None) -> tuple[Sized, str]:
    """``env``: the chosen op-amp (its record's key) and its supply (vcc, vee), for the sizing engine."""
    s = size_block("noninverting_amplifier", env or {}, [("gain", "=", gain, 0.03)], {"RG": rg, "RF": rg * (gain - 1)})
    rf, rg_ = s.values["RF"], s.values["RG"]
    g = 1 + rf / rg_
    formula = f"G = 1 + RF/RG = 1 + {format_value(rf, 'Ω')}/{format_value(rg_, 'Ω')} = {g:.3g}"
    return s, formula


def inverting(gain: float, rin: float = 10e3, env: dict | None = None) -> tuple[Sized, str]:
    s = size_block("inverting_amplifier", env or {}, [("gain", "=", -abs(gain), 0.03)],
                   {"RIN": rin, "RF": rin * abs(gain)})
    rf, ri = s.values["RF"], s.values["RIN"]
    formula = f"G = −RF/RIN = −{format_value(rf, 'Ω')}/{format_value(ri, 'Ω')} = {-rf / ri:.3g}"
    return s, formula
