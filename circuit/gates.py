"""All gates in one call: load (structural checks) + ERC + SPICE operating-point gate.

``check_circuit(source, library)`` accepts a path, JSON text, a dict or a Circuit, and returns a
:class:`GateReport`: the loaded circuit, every finding de-duplicated and sorted by severity, and
whether the design passes (Pass@1: no Critical and no Major finding).
Unreadable input raises :class:`circuit.load.CircuitReadError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from circuit.erc import dedupe, run_erc
from circuit.findings import Finding, Severity, count_by_severity, passes, sort_findings
from circuit.load import load_circuit
from circuit.model import Circuit
from knowledge.library import Library


@dataclass
class GateReport:
    circuit: Circuit
    findings: list[Finding] = field(default_factory=list)
    spice: Any = None  # circuit.spice_gate.SpiceReport when the SPICE gate ran
    spice_ran: bool = False

    @property
    def passed(self) -> bool:
        return passes(self.findings)

    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    def as_json(self) -> dict:
        return {"pass": self.passed, "findings": [f.as_dict() for f in self.findings]}


def _spice_findings(circuit: Circuit, library: Library) -> tuple[Any, list[Finding], bool]:
    try:
        from circuit.spice_gate import run_spice_gate
    except ModuleNotFoundError as e:
        if e.name in ("circuit.spice_gate",):
            return None, [], False  # the SPICE gate is not installed in this build
        raise
    try:
        report = run_spice_gate(circuit, library)
    except Exception as e:  # the gate promises findings, not crashes; keep the check usable if it slips
        return None, [Finding(
            rule="SPICE-GATE-ERROR", severity=Severity.WARNING,
            message=f"The SPICE check could not run on this circuit ({type(e).__name__}: {e}); "
                    "only the rule check was applied.",
            where=[], source="spice",
        )], False
    return report, list(getattr(report, "findings", []) or []), True


def check_circuit(
    source: str | Path | dict | Circuit, library: Library | None = None, spice: bool = True
) -> GateReport:
    library = library or Library.default()
    loaded = load_circuit(source, library)
    findings = list(loaded.findings)
    findings += run_erc(loaded.circuit, library, structural=False)
    report, spice_ran = None, False
    if spice:
        report, extra, spice_ran = _spice_findings(loaded.circuit, library)
        findings += extra
    return GateReport(
        circuit=loaded.circuit, findings=sort_findings(dedupe(findings)), spice=report, spice_ran=spice_ran
    )


__all__ = ["GateReport", "check_circuit"]
