"""Specifications a sized circuit must meet: ``gain = 11 ± 2 %``, ``bandwidth >= 50 kHz``."""

from __future__ import annotations

import math
from dataclasses import dataclass

from circuit.units import format_value


@dataclass(frozen=True)
class Spec:
    name: str          # a measurable of the block: "gain", "f_c", "i_led" ...
    op: str            # "=", ">=", "<="
    target: float
    tol: float = 0.02  # relative tolerance for "=" (0.02 = ±2 %)
    unit: str = ""

    def __post_init__(self) -> None:
        if self.op not in ("=", ">=", "<="):
            raise ValueError(f"spec operator must be =, >= or <=, not {self.op!r}")
        if not math.isfinite(self.target):
            raise ValueError(f"spec {self.name}: target must be a finite number")

    def met(self, value: float | None) -> bool:
        if value is None or not math.isfinite(value):
            return False
        if self.op == "=":
            return abs(value - self.target) <= self.tol * max(abs(self.target), 1e-30)
        if self.op == ">=":
            return value >= self.target * (1 - 1e-9) if self.target >= 0 else value >= self.target
        return value <= self.target * (1 + 1e-9) if self.target >= 0 else value <= self.target

    def error(self, value: float | None) -> float:
        """Relative violation: 0 when met, growing with the miss (used as the optimiser's cost)."""
        if value is None or not math.isfinite(value):
            return 10.0
        scale = max(abs(self.target), 1e-30)
        if self.op == "=":
            return max(0.0, abs(value - self.target) / scale - self.tol)
        if self.op == ">=":
            return max(0.0, (self.target - value) / scale)
        return max(0.0, (value - self.target) / scale)

    def rel_error(self, value: float | None) -> float:
        """Relative distance from the target (reported as 'spec error')."""
        if value is None or not math.isfinite(value):
            return math.inf
        if self.op != "=" and self.met(value):
            return 0.0
        return abs(value - self.target) / max(abs(self.target), 1e-30)

    def describe(self) -> str:
        t = format_value(self.target, self.unit)
        if self.op == "=":
            return f"{self.name} = {t} ± {self.tol * 100:g} %"
        return f"{self.name} {'≥' if self.op == '>=' else '≤'} {t}"
