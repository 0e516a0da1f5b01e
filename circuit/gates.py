"""All gates in one call: load (structural checks) + ERC + SPICE operating-point gate.

``check_circuit(source, library)`` accepts a path, JSON text, a dict or a Circuit, and returns a
:class:`GateReport`: the loaded circuit, every finding de-duplicated and sorted by severity, and
whether the design passes (Pass@1: no Critical and no Major finding).
Unreadable input raises :class:`circuit.load.CircuitReadError`.

The two gates see many faults from two sides: the ERC reads the wiring ("LED1 has no resistor"),
the simulation measures it ("LED1 would carry 97 mA"). :func:`merge_overlaps` (circuit/finding_merge.py) folds findings that
describe the same fault on the same part or pin into one, so a report lists each fault once: the
ERC's explanation (it says why and what to do), the worst severity of the group, every part
involved, and the simulation's numbers appended ("Simulated: LED1 would carry 96.8 mA ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from circuit.erc import dedupe, run_erc
from circuit.finding_merge import fault_keys, merge_overlaps
from circuit.findings import Finding, Severity, count_by_severity, passes, sort_findings
from circuit.load import load_circuit
from circuit.model import Circuit
from circuit.spice_gate import run_spice_gate
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


def _not_run(rule: str, why: str) -> Finding:
    """A gate that could not run fails closed: a Major finding (skipping it is the user's flag, --no-spice)."""
    return Finding(rule=rule, severity=Severity.MAJOR,
                   message=f"The SPICE check could not run on this circuit ({why}), so nothing proves it is safe "
                           "to build; fix what stops it, or skip the check explicitly with --no-spice.",
                   where=[], source="spice")


def _spice_findings(circuit: Circuit, library: Library) -> tuple[Any, list[Finding], bool]:
    try:
        report = run_spice_gate(circuit, library)
    except Exception as e:  # the gate promises findings, not crashes; keep the check usable if it slips
        return None, [_not_run("SPICE-GATE-ERROR", f"{type(e).__name__}: {str(e)[:200]}")], False
    findings = list(getattr(report, "findings", []) or [])
    ran = not any(f.rule in NOT_RUN_RULES for f in findings)
    return report, findings, ran


# Findings that say the SPICE gate did not run (each Major: a gate that could not run fails closed).
NOT_RUN_RULES = {"SPICE-NOT-RUN", "SPICE-GATE-ERROR", "SPICE-UNAVAILABLE"}


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
        circuit=loaded.circuit, findings=sort_findings(merge_overlaps(dedupe(findings))), spice=report,
        spice_ran=spice_ran,
    )


__all__ = ["GateReport", "check_circuit", "merge_overlaps", "fault_keys"]
