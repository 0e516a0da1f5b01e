"""All gates in one call: load (structural checks) + ERC + SPICE operating-point gate.

``check_circuit(source, library)`` accepts a path, JSON text, a dict or a Circuit, and returns a
:class:`GateReport`: the loaded circuit, every finding de-duplicated and sorted by severity, and
whether the design passes (Pass@1: no Critical and no Major finding).
Unreadable input raises :class:`circuit.load.CircuitReadError`.

The two gates see many faults from two sides: the ERC reads the wiring ("LED1 has no resistor"),
the simulation measures it ("LED1 would carry 97 mA"). :func:`merge_overlaps` folds findings that
describe the same fault on the same part or pin into one, so a report lists each fault once: the
ERC's explanation (it says why and what to do), the worst severity of the group, every part
involved, and the simulation's numbers appended ("Simulated: LED1 would carry 96.8 mA ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re

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


def _not_run(rule: str, why: str) -> Finding:
    """A gate that could not run fails closed: a Major finding (skipping it is the user's flag, --no-spice)."""
    return Finding(rule=rule, severity=Severity.MAJOR,
                   message=f"The SPICE check could not run on this circuit ({why}), so nothing proves it is safe "
                           "to build; fix what stops it, or skip the check explicitly with --no-spice.",
                   where=[], source="spice")


def _spice_findings(circuit: Circuit, library: Library) -> tuple[Any, list[Finding], bool]:
    try:
        from circuit.spice_gate import run_spice_gate
    except ModuleNotFoundError as e:
        if e.name in ("circuit.spice_gate",):
            return None, [_not_run("SPICE-NOT-RUN", "the SPICE gate is not installed in this build")], False
        raise
    try:
        report = run_spice_gate(circuit, library)
    except Exception as e:  # the gate promises findings, not crashes; keep the check usable if it slips
        return None, [_not_run("SPICE-GATE-ERROR", f"{type(e).__name__}: {str(e)[:200]}")], False
    findings = list(getattr(report, "findings", []) or [])
    ran = not any(f.rule in NOT_RUN_RULES for f in findings)
    return report, findings, ran


# Findings that say the SPICE gate did not run (each Major: a gate that could not run fails closed).
NOT_RUN_RULES = {"SPICE-NOT-RUN", "SPICE-GATE-ERROR", "SPICE-UNAVAILABLE"}


# ---- one fault, one finding ---------------------------------------------------------------------
# Rules that describe the same fault, by fault class; each rule names its subject (the LED, the pin).
_LED_CURRENT = {"ERC-LED-NO-RESISTOR", "SPICE-LED-OVERCURRENT"}
_LED_DIM = {"SPICE-LED-DIM"}
_LED_REVERSED = {"ERC-LED-REVERSED", "SPICE-LED-REVERSED"}
_PIN_CURRENT = {"ERC-GPIO-OVERCURRENT", "SPICE-PIN-OVERCURRENT"}
_OVER_VOLTAGE = {"ERC-PIN-OVERVOLTAGE", "ERC-PULLUP-OVERVOLTAGE", "SPICE-OVERVOLTAGE", "SPICE-SUPPLY-HIGH",
                 "ERC-SUPPLY-ABOVE-RATED"}
_RAILS = {"ERC-RAILS-SHORTED", "SPICE-SUPPLY-BACKFEED"}
_UNDER_VOLTAGE = {"ERC-SUPPLY-UNDERVOLTAGE", "SPICE-SUPPLY-LOW"}
_SWITCH_SHORT = {"ERC-SWITCH-SHORTS-SUPPLY", "SPICE-SWITCH-OVERCURRENT"}
_DIODE = {"ERC-FLYBACK-REVERSED", "SPICE-DIODE-OVERCURRENT"}


def _part(ep: str) -> str:
    return ep.split(":", 1)[0]


def fault_keys(f: Finding) -> set[tuple[str, str]]:
    """(fault class, subject) pairs a finding describes; two findings sharing one describe one fault."""
    w = list(f.where)
    if not w:
        return set()
    keys: set[tuple[str, str]] = set()
    rule = f.rule
    if rule in _LED_CURRENT:
        keys.add(("led-current", _part(w[0])))
    elif rule == "ERC-LED-RESISTOR-RANGE":
        keys.add(("led-dim" if "too large" in f.message else "led-current", _part(w[0])))
    elif rule in _LED_DIM:
        keys.add(("led-dim", _part(w[0])))
    elif rule in _LED_REVERSED:
        keys.add(("led-reversed", _part(w[0])))
    elif rule in _PIN_CURRENT:
        keys.add(("pin-current", w[0]))
        # a module powered from the pin sags below its supply range: the same overloaded pin
        keys.update(("under-voltage", x) for x in w[1:] if ":" in x)
        # a pin overloaded through an LED is that LED's missing (or too small) resistor
        keys.update(("led-current", x) for x in w[1:] if ":" not in x)
    elif rule == "ERC-INDUCTIVE-NO-FLYBACK" and len(w) > 1:
        keys.add(("pin-current", w[1]))  # a coil straight on a GPIO: one fault, one fix (a driver)
    elif rule == "ERC-PULLUP-OVERVOLTAGE":  # one pull-up lifting several pins: one fault, one fix
        keys.update(k for x in w if ":" in x for k in (("over-voltage", x), ("rails", x)))
    elif rule in _OVER_VOLTAGE:
        keys.update({("over-voltage", w[0]), ("rails", w[0])})
    elif rule in _RAILS:
        keys.update(("rails", x) for x in w if ":" in x)
    elif rule == "ERC-SUPPLY-SHORT":
        keys.update(("short", x) for x in w if ":" in x)
    elif rule == "ERC-SUPPLY-OVERLOAD":
        keys.add(("short", w[0]))
    elif rule == "SPICE-SUPPLY-OVERLOAD":
        keys.add(("short", w[0]))
        # drawn through a pressed switch, or through a diode that conducts where it should block
        keys.update(k for x in w[1:] if ":" not in x for k in (("switch-short", x), ("diode", x)))
    elif rule in ("ERC-LOAD-OVERVOLTAGE", "SPICE-LOAD-OVERVOLTAGE"):
        keys.add(("load-voltage", _part(w[0])))
    elif rule in ("ERC-CAP-REVERSED", "SPICE-CAP-REVERSED"):
        keys.add(("cap-reversed", _part(w[0])))
    elif rule in _UNDER_VOLTAGE:
        keys.add(("under-voltage", w[0]))
    elif rule in _SWITCH_SHORT:
        keys.add(("switch-short", _part(w[0])))
    elif rule in _DIODE:
        keys.add(("diode", _part(w[0])))
    return keys


_WHEN = re.compile(r"\s*\(this happens [^)]*\)\.?\s*$")
_QUANTITY = re.compile(r"\d(?:\.\d+)?\s?[pnuµmkM]?(?:A|V|W|Ω)\b")

# Which finding of a merged group speaks for it: the ERC's explanation of the cause first.
PRIMARY_ORDER = [
    "ERC-SUPPLY-SHORT", "ERC-RAILS-SHORTED", "ERC-SWITCH-SHORTS-SUPPLY", "ERC-PIN-OVERVOLTAGE",
    "ERC-PULLUP-OVERVOLTAGE", "ERC-LED-REVERSED", "ERC-LED-NO-RESISTOR", "ERC-LED-RESISTOR-RANGE",
    "ERC-GPIO-OVERCURRENT", "ERC-INDUCTIVE-NO-FLYBACK", "ERC-FLYBACK-REVERSED", "ERC-SUPPLY-UNDERVOLTAGE",
    "ERC-SUPPLY-ABOVE-RATED", "ERC-SUPPLY-OVERLOAD",
]


def _when(text: str) -> str:
    m = _WHEN.search(text)
    return m.group(0).strip().rstrip(".") if m else ""


def _measurement(f: Finding) -> str:
    """What the simulation measured, without its advice: 'LED1 would carry 96.8 mA (its limit is 30 mA)'."""
    text = _WHEN.sub("", f.message.strip())
    clauses = [c.strip() for c in re.split(r":\s", text)]
    claim = clauses[0]
    if not _QUANTITY.search(claim):
        # 'LED1 is the wrong way round: it has 5 V across it backwards, so it stays dark.'
        more = next((c for c in clauses[1:] if _QUANTITY.search(c)), None)
        if more:
            claim += ": " + re.split(r",\s(?:so|which)\b|\.\s", more)[0]
    claim = re.split(r",\s(?:so|which)\b", claim)[0].rstrip(". ")
    return claim[:1].lower() + claim[1:] if claim.startswith("The ") else claim


def merge_overlaps(findings: list[Finding]) -> list[Finding]:
    """Fold findings that describe the same fault on the same part or pin into one (see the module doc)."""
    n = len(findings)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for i, f in enumerate(findings):
        for k in fault_keys(f):
            if k in owner:
                parent[find(i)] = find(owner[k])
            else:
                owner[k] = i
    groups: dict[int, list[Finding]] = {}
    for i, f in enumerate(findings):
        groups.setdefault(find(i), []).append(f)
    out = []
    for members in groups.values():
        if len(members) == 1:
            out.append(members[0])
            continue
        ranked = sorted(members, key=lambda f: (
            f.source == "spice", f.severity.rank,
            PRIMARY_ORDER.index(f.rule) if f.rule in PRIMARY_ORDER else len(PRIMARY_ORDER)))
        primary = ranked[0]
        severity = min((f.severity for f in members), key=lambda s: s.rank)
        where = list(dict.fromkeys(x for f in [primary] + ranked[1:] for x in f.where))
        fix = primary.fix or next((f.fix for f in sorted(members, key=lambda f: f.severity.rank) if f.fix), None)
        message = primary.message
        sims = [f for f in ranked[1:] if f.source == "spice"]
        numbers = list(dict.fromkeys(m for f in sims if (m := _measurement(f)) and m not in message))
        if numbers:
            whens = {_when(f.message) for f in sims}
            when = next(iter(whens)) if len(whens) == 1 else ""
            message = message.rstrip() + " Simulated: " + "; ".join(numbers) + (f" {when}" if when else "") + "."
        out.append(primary.model_copy(update={"severity": severity, "where": where, "fix": fix, "message": message}))
    return out


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
