"""Findings: what every gate (schema, ERC, SPICE, judge) reports, in one format.

A finding says which rule fired, how bad it is, what a beginner should understand, which
parts/pins are involved, and a machine-readable fix hint the repair loop can apply, e.g.
``insert_series_resistor(LED1:A, 220 Ω)``.
"""

from __future__ import annotations

from enum import Enum
from typing import Iterable

from pydantic import BaseModel, Field


class Severity(str, Enum):
    CRITICAL = "Critical"
    MAJOR = "Major"
    MINOR = "Minor"
    WARNING = "Warning"

    @property
    def blocking(self) -> bool:
        """Critical and Major findings fail a design (Pass@1)."""
        return self in (Severity.CRITICAL, Severity.MAJOR)

    @property
    def rank(self) -> int:
        return {"Critical": 0, "Major": 1, "Minor": 2, "Warning": 3}[self.value]


class Finding(BaseModel):
    rule: str = Field(description="Rule id, e.g. ERC-LED-NO-RESISTOR")
    severity: Severity
    message: str = Field(description="Plain-language explanation a beginner understands")
    where: list[str] = Field(default_factory=list, description="Part ids and partId:pin endpoints involved")
    fix: str | None = Field(default=None, description="Machine-readable fix hint, e.g. insert_series_resistor(LED1:A, 220 Ω)")
    source: str = Field(default="erc", description="Which gate produced it: schema, erc, spice, judge")

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "where": list(self.where),
            "fix": self.fix,
        }

    def __str__(self) -> str:
        loc = f" [{', '.join(self.where)}]" if self.where else ""
        fix = f"  fix: {self.fix}" if self.fix else ""
        return f"{self.severity.value}: {self.rule}{loc}: {self.message}{fix}"


def passes(findings: Iterable[Finding]) -> bool:
    """Pass@1: no Critical and no Major finding."""
    return not any(f.severity.blocking for f in findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity.rank, f.rule, f.where))


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for f in findings:
        counts[f.severity.value] += 1
    return counts
