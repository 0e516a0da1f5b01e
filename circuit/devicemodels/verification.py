"""The verification report: every datasheet test point, what the model gives there, and whether
the two agree within the tolerance (10 % by default). A model that misses is marked failed."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from circuit.units import format_value

__all__ = ["TestPoint", "Verification", "TOLERANCE", "format_quantity"]

TOLERANCE = 0.10

_UNIT_SIGN = {"ohm": "Ω", "Ohm": "Ω", "1": "", "V/V": "", "": ""}


def format_quantity(value: float | None, unit: str) -> str:
    """A value for the report in engineering notation (slew rates in V/µs, ratios plain)."""
    if value is None or not math.isfinite(value):
        return "-"
    if unit == "V/s":
        return f"{value / 1e6:.3g} V/µs"
    if unit in ("1", "V/V", ""):
        return f"{value:.4g}"
    if unit in ("%", "%/V", "dB"):
        return f"{value:.3g} {unit}"
    return format_value(value, _UNIT_SIGN.get(unit, unit))


@dataclass
class TestPoint:
    """One datasheet figure checked by simulation at the datasheet's own test conditions."""

    name: str                 # "VF", "RDS_on", "hFE", "GBW" ...
    conditions: str           # "IF=10 mA" - the conditions the simulation used
    datasheet: float          # the value the model must reproduce (see Spec.target)
    basis: str                # "typ", "max", "mid of min..max", ...
    unit: str
    simulated: float | None = None
    tolerance: float = TOLERANCE
    note: str = ""

    __test__ = False  # not a pytest class

    @property
    def error(self) -> float | None:
        """Relative error (simulated - datasheet) / |datasheet|; None when the simulation failed."""
        if self.simulated is None or not math.isfinite(self.simulated):
            return None
        if self.datasheet == 0:
            return 0.0 if self.simulated == 0 else math.inf
        return (self.simulated - self.datasheet) / abs(self.datasheet)

    @property
    def passed(self) -> bool:
        e = self.error
        return e is not None and abs(e) <= self.tolerance + 1e-12

    def row(self) -> dict:
        e = self.error
        return {
            "name": self.name,
            "conditions": self.conditions,
            "datasheet": self.datasheet,
            "basis": self.basis,
            "simulated": self.simulated,
            "unit": self.unit,
            "error": e,
            "pass": self.passed,
            "note": self.note,
        }


@dataclass
class Verification:
    """All test points of one model, the defaults it had to assume and how the fit went."""

    part: str
    points: list[TestPoint] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)  # parameter -> why/what default
    fit: dict = field(default_factory=dict)                 # stage -> {"nfev", "cost", "ok", "message"}
    errors: list[str] = field(default_factory=list)         # simulations that failed outright

    @property
    def n_passed(self) -> int:
        return sum(p.passed for p in self.points)

    @property
    def fraction(self) -> float:
        return self.n_passed / len(self.points) if self.points else 0.0

    @property
    def passed(self) -> bool:
        """True only when there is at least one test point and every one agrees."""
        return bool(self.points) and not self.errors and all(p.passed for p in self.points)

    def point(self, name: str) -> TestPoint | None:
        return next((p for p in self.points if p.name == name), None)

    def failed(self) -> list[TestPoint]:
        return [p for p in self.points if not p.passed]

    def table(self) -> list[list[str]]:
        """Rows of text: test, conditions, datasheet (basis), simulated, error, verdict."""
        rows = []
        for p in self.points:
            e = p.error
            rows.append([
                p.name,
                p.conditions,
                f"{format_quantity(p.datasheet, p.unit)} ({p.basis})",
                format_quantity(p.simulated, p.unit),
                "-" if e is None else f"{e * 100:+.1f}%",
                "pass" if p.passed else "FAIL",
            ])
        return rows

    def summary(self) -> str:
        state = "verified" if self.passed else "NOT verified"
        s = f"{self.part}: {state}, {self.n_passed}/{len(self.points)} test points within {TOLERANCE:.0%}"
        if self.defaults:
            s += f", {len(self.defaults)} default parameter(s)"
        if self.errors:
            s += f", {len(self.errors)} simulation error(s)"
        return s

    def as_dict(self) -> dict:
        return {
            "part": self.part,
            "passed": self.passed,
            "fraction": self.fraction,
            "points": [p.row() for p in self.points],
            "defaults": dict(self.defaults),
            "fit": dict(self.fit),
            "errors": list(self.errors),
        }
