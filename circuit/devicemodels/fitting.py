"""Fitting model parameters to datasheet test points with the simulator in the loop.

A :class:`Bench` is one analysis (``.op``, ``.ac``, ``.tran`` or ``.dc``) that places the device at
each datasheet test condition and reads back the simulated figure. A bench can hold several
copies of the model at once (variants), so one ngspice run gives the residuals *and* the
finite-difference Jacobian: :func:`fit_stage` drives :func:`scipy.optimize.least_squares` with
one simulation per iteration. Residuals are relative errors, so a 10 % miss weighs the same for
a nanoampere as for a volt.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from circuit.sim import SimResult, SimulationError, simulate, spice_number
from knowledge import lazy_imports

from .verification import TestPoint

__all__ = ["Target", "Free", "Bench", "fit_stage", "run_bench", "OPTIONS", "deck_text", "signed", "ac_at", "num", "at_level"]

# Tight tolerances: the fit differentiates simulated values, so they must be better than ngspice's
# default 0.1 %.
OPTIONS = ".options reltol=1e-6 abstol=1e-15 vntol=1e-9 itl1=500 itl2=200"
_PENALTY = 10.0


@dataclass
class Target:
    """A datasheet figure a bench reproduces."""

    name: str
    conditions: str
    value: float
    basis: str
    unit: str
    note: str = ""
    weight: float = 1.0

    def point(self, simulated: float | None) -> TestPoint:
        return TestPoint(self.name, self.conditions, self.value, self.basis, self.unit,
                         simulated=simulated, note=self.note)


@dataclass
class Free:
    """A parameter the fit may move, within [lo, hi]; ``log`` fits its logarithm."""

    name: str
    lo: float
    hi: float
    log: bool = True
    step: float = 0.01  # finite-difference step in the fitted space (decades for log parameters)

    def to_x(self, v: float) -> float:
        v = min(max(v, self.lo), self.hi)
        return math.log10(v) if self.log else v

    def from_x(self, x: float) -> float:
        return 10.0 ** x if self.log else x

    def bounds(self) -> tuple[float, float]:
        return (math.log10(self.lo), math.log10(self.hi)) if self.log else (self.lo, self.hi)


@dataclass
class Bench:
    """One analysis over all of a device's test points of one kind.

    ``deck_body(variants)`` returns the element and model lines for every variant (variant ``i``
    names its elements with suffix ``_i``) plus the analysis card; ``measure(result, i)`` returns
    one simulated value per target for variant ``i`` (NaN where it cannot be read)."""

    name: str
    targets: list[Target]
    deck_body: Callable[[list[dict]], list[str]]
    measure: Callable[[SimResult, int], list[float]]
    timeout: float = 20.0
    sims: int = 0

    def simulate(self, variants: list[dict]) -> SimResult:
        self.sims += 1
        return simulate(deck_text(self.name, self.deck_body(variants)), timeout=self.timeout)


def deck_text(title: str, body: list[str]) -> str:
    return "\n".join([f"circuitsmith device model verification {title}", OPTIONS, *body, ".end", ""])


def num(x: float) -> str:
    return spice_number(x)


def _residuals(bench: Bench, values: list[float]) -> np.ndarray:
    values = list(values) + [math.nan] * (len(bench.targets) - len(values))
    out = []
    for t, v in zip(bench.targets, values):
        if v is None or not math.isfinite(v):
            out.append(_PENALTY)
        else:
            out.append(t.weight * (v - t.value) / abs(t.value) if t.value else t.weight * v)
    return np.array(out, dtype=float)


def _measure(bench: Bench, res: SimResult, k: int) -> list[float]:
    try:
        return list(bench.measure(res, k))
    except (KeyError, ValueError, IndexError, ZeroDivisionError, FloatingPointError):
        return [math.nan] * len(bench.targets)


class _Done(Exception):
    pass


def fit_stage(benches: Bench | list[Bench], params: dict, free: list[Free], max_iter: int = 30,
              goal: float = 2e-3, settle: float = 0.05) -> dict:
    """Move ``free`` parameters of ``params`` (in place) until the benches' targets agree.

    Several benches (an ``.op`` and a ``.dc`` sweep, say) are fitted together, one simulation of
    each per iteration. Returns {"ok", "sims", "cost", "worst", "message", "seconds"}; a simulation
    that fails mid-fit counts as a large residual, never an exception."""
    t0 = time.perf_counter()
    benches = [b for b in ([benches] if isinstance(benches, Bench) else benches) if b.targets]
    info = {"ok": False, "sims": 0, "cost": None, "worst": None, "message": "", "seconds": 0.0}
    if not benches:
        info.update(ok=True, message="no test points")
        return info
    if not free:
        info.update(ok=True, message="nothing to fit")
        return info
    x0 = np.array([f.to_x(params[f.name]) for f in free], dtype=float)
    lo = np.array([f.bounds()[0] for f in free])
    hi = np.array([f.bounds()[1] for f in free])
    x0 = np.clip(x0, lo + 1e-12 * (hi - lo), hi - 1e-12 * (hi - lo))
    cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    best = {"cost": math.inf, "x": x0.copy()}
    sims0 = sum(b.sims for b in benches)

    def params_at(x: np.ndarray) -> dict:
        p = dict(params)
        for f, xi in zip(free, x):
            p[f.name] = f.from_x(float(xi))
        return p

    def evaluate(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        key = tuple(np.round(x, 12))
        if key in cache:
            return cache[key]
        steps = []
        variants = [params_at(x)]
        for i, f in enumerate(free):
            xs = x.copy()
            h = f.step if x[i] + f.step <= hi[i] else -f.step
            xs[i] += h
            steps.append(h)
            variants.append(params_at(xs))
        n = sum(len(b.targets) for b in benches)
        parts: list[list[np.ndarray]] = []
        for bench in benches:
            try:
                res = bench.simulate(variants)
                parts.append([_residuals(bench, _measure(bench, res, k)) for k in range(len(variants))])
            except SimulationError as e:
                info["message"] = f"simulation failed during the fit: {e}"
                parts.append([np.full(len(bench.targets), _PENALTY) for _ in variants])
        r = [np.concatenate([part[k] for part in parts]) for k in range(len(variants))]
        r0 = r[0]
        jac = np.zeros((n, len(free)))
        for i, h in enumerate(steps):
            jac[:, i] = (r[i + 1] - r0) / h
        cache[key] = (r0, jac)
        cost = float(np.sum(r0 ** 2))
        if cost < 0.99 * best["cost"]:
            best["since"] = 0
        else:
            best["since"] = best.get("since", 0) + 1
        if cost < best["cost"]:
            best.update(cost=cost, x=x.copy())
        worst = float(np.max(np.abs(r0)))
        # done: every point at the goal, or all well inside the tolerance and no longer improving
        if worst < goal or (worst < settle and best["since"] >= 5):
            raise _Done
        return r0, jac

    try:
        lazy_imports.scipy_optimize().least_squares(
            lambda x: evaluate(x)[0], x0, jac=lambda x: evaluate(x)[1], bounds=(lo, hi),
            method="trf", max_nfev=max_iter, xtol=1e-8, ftol=1e-5, gtol=1e-10)
    except _Done:
        pass
    except (ValueError, np.linalg.LinAlgError) as e:  # a degenerate Jacobian: keep the best point seen
        info["message"] = f"fit stopped: {e}"
    params.update(params_at(best["x"]))
    r_best = cache.get(tuple(np.round(best["x"], 12)), (None, None))[0]
    info.update(
        ok=r_best is not None and bool(np.max(np.abs(r_best)) <= 0.1),
        sims=sum(b.sims for b in benches) - sims0,
        cost=best["cost"],
        worst=None if r_best is None else float(np.max(np.abs(r_best))),
        seconds=round(time.perf_counter() - t0, 3),
    )
    return info


def run_bench(bench: Bench, params: dict) -> tuple[list[TestPoint], str | None]:
    """Simulate the bench once at ``params`` and return its test points (simulated None on failure)."""
    if not bench.targets:
        return [], None
    try:
        res = bench.simulate([params])
        values = _measure(bench, res, 0)
        err = None
    except SimulationError as e:
        values = [None] * len(bench.targets)
        err = f"{bench.name}: {e}"
    pts = []
    for t, v in zip(bench.targets, values):
        pts.append(t.point(None if v is None or not math.isfinite(v) else float(v)))
    return pts, err


def signed(value: float, like: float) -> float:
    """``value``'s magnitude with the sign of the datasheet figure ``like`` (P-channel and PNP
    figures are printed negative; the benches measure magnitudes)."""
    if value is None or not math.isfinite(value):
        return math.nan
    return math.copysign(abs(value), like if like else 1.0)


def ac_at(res: SimResult, vector: str, freq: float) -> complex:
    """An AC vector's value at the simulated frequency nearest ``freq``."""
    f = np.real(res["frequency"])
    k = int(np.argmin(np.abs(np.log(f / freq))))
    return complex(res[vector][k])


def at_level(level: np.ndarray, target: float, *arrays: np.ndarray) -> list[float] | None:
    """Where a rising current ``level`` (a DC sweep) first reaches ``target``: each of ``arrays``
    interpolated there (linear in log current). None when the sweep never gets there."""
    lv = np.abs(np.real(level))
    hit = np.nonzero(lv >= target)[0]
    if len(hit) == 0 or hit[0] == 0:
        return None
    k = int(hit[0])
    a, b = lv[k - 1], lv[k]
    if a <= 0:
        t = 1.0
    else:
        t = (math.log(target) - math.log(a)) / (math.log(b) - math.log(a)) if b > a else 1.0
    return [float(np.real(arr[k - 1]) + t * (np.real(arr[k]) - np.real(arr[k - 1]))) for arr in arrays]
