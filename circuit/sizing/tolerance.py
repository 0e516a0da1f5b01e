"""Monte Carlo over part tolerances: how many built copies meet the specs (yield)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from circuit.sizing.block import Block
from circuit.sizing.spec import Spec


@dataclass
class ToleranceResult:
    runs: int
    passed: int
    sims: int
    spread: dict[str, tuple[float, float]]  # measure -> (min, max) over the runs

    @property
    def yield_(self) -> float:
        return self.passed / self.runs if self.runs else 0.0


def monte_carlo(block: Block, values: dict[str, float], specs: list[Spec], runs: int = 50, seed: int = 1,
                tolerances: dict[str, float] | None = None) -> ToleranceResult:
    """Each part drawn uniformly within its tolerance (1 % resistors, 10 % capacitors by default)."""
    rng = random.Random(seed)
    tol = {p.name: p.default_tolerance for p in block.params()}
    tol.update(tolerances or {})
    passed = sims = 0
    lo: dict[str, float] = {}
    hi: dict[str, float] = {}
    for _ in range(runs):
        sample = {n: v * (1 + tol.get(n, 0.0) * rng.uniform(-1, 1)) for n, v in values.items()}
        ev = block.evaluate(sample)
        sims += ev.sims
        if ev.error:
            continue
        for k, v in ev.measures.items():
            lo[k] = min(lo.get(k, v), v)
            hi[k] = max(hi.get(k, v), v)
        if all(s.met(ev.measures.get(s.name)) for s in specs):
            passed += 1
    return ToleranceResult(runs, passed, sims, {k: (lo[k], hi[k]) for k in lo})


YIELD_TARGET = 0.90


def sensitivity(block: Block, values: dict[str, float], specs: list[Spec],
                tolerances: dict[str, float] | None = None) -> list[tuple[str, float]]:
    """Each part moved to both ends of its tolerance alone: how far the specs move, in units of their
    windows (largest first). The first entry is the part to buy tighter."""
    tol = {p.name: p.default_tolerance for p in block.params()}
    tol.update(tolerances or {})
    fixed = set(block.fixed)
    out = []
    for name, t in tol.items():
        if name not in values or t <= 0:
            continue
        worst = 0.0
        for sign in (1, -1):
            ev = block.evaluate({**values, name: values[name] * (1 + sign * t)})
            if ev.error:
                worst = math.inf
                continue
            for s in specs:
                v = ev.measures.get(s.name)
                if v is None or not math.isfinite(v):
                    continue
                window = abs(s.target) * (s.tol if s.op == "=" else 0.05) or 1e-30
                worst = max(worst, abs(v - s.target) / window if s.op == "=" else s.error(v) * abs(s.target) / window)
        out.append((name, worst if name not in fixed else worst * 0.5))
    return sorted(out, key=lambda t: -t[1])
