"""The SPICE gate (metric 2 of dual-metric validation): simulate the DC operating point and judge it.

:func:`run_spice_gate` netlists the circuit (:mod:`circuit.spice_netlist`), solves it with ngspice
(:func:`circuit.sim.simulate`), and applies the rules of :mod:`circuit.spice_checks`. A circuit
with switches, buttons or potentiometers is solved twice: as drawn (switches open, knobs at
their ``position`` or half way) and with every switch pressed and every knob turned fully up,
since that is when a button or a pot on a 5 V rail brings 5 V to a 3.3 V pin.

The gate never raises for a circuit: a netlist problem, a simulation that does not converge or
runs past its timeout, even a bug in a rule, comes back as a finding.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from circuit.findings import Finding, Severity, passes, sort_findings
from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.sim import SimulationError, simulate
from circuit.spice_checks import OperatingPoint, run_checks
from circuit.spice_netlist import Deck, build_deck
from circuit.spice_safe import comment_text
from knowledge.library import Library

__all__ = ["SpiceReport", "Scenario", "run_spice_gate", "simulation_findings"]

log = logging.getLogger(__name__)


@dataclass
class Scenario:
    """One solved deck: the circuit as drawn, or with its switches pressed."""

    name: str  # "as drawn" | "switches pressed"
    deck: Deck
    node_voltages: dict[str, float] = field(default_factory=dict)
    currents: dict[str, dict[str, float]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    solved: bool = False


@dataclass
class SpiceReport:
    findings: list[Finding] = field(default_factory=list)
    node_voltages: dict[str, float] = field(default_factory=dict)   # net name -> V (as drawn)
    currents: dict[str, dict[str, float]] = field(default_factory=dict)  # part -> pin -> A into the part (as drawn)
    deck: Deck | None = None
    scenarios: list[Scenario] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No Critical or Major finding."""
        return passes(self.findings)

    def current(self, endpoint: str) -> float:
        """Current into a part through ``"PART:PIN"`` (as drawn), A."""
        pid, pin = endpoint.split(":", 1)
        return self.currents.get(pid, {}).get(pin, 0.0)


def simulation_findings(deck_text: str, timeout: float = 10.0):
    """Run a deck; return ``(result, [])`` or ``(None, [finding])`` when it fails, never raising."""
    try:
        return simulate(deck_text, timeout=timeout), []
    except SimulationError as e:
        text = comment_text(str(e), limit=300)
        if "not installed" in text or "cannot start ngspice" in text:
            return None, [Finding(
                rule="SPICE-UNAVAILABLE", severity=Severity.MAJOR,
                message=f"The SPICE gate could not run: {text}. Nothing proves the circuit is safe to build; "
                        "install ngspice, or skip the check explicitly with --no-spice.", where=[], source="spice",
            )]
        if "did not finish within" in text:
            why = f"the simulation ran past its {timeout:g} s limit and was stopped"
        else:
            why = f"ngspice found no steady operating point ({text})"
        return None, [Finding(
            rule="SPICE-NO-CONVERGENCE", severity=Severity.MAJOR,
            message=(f"The circuit could not be simulated: {why}. Look for supplies tied together, loops of "
                     "parts with no resistance, or parts with impossible values."),
            where=[], source="spice",
        )]


def _when(switches: list[str], knobs: list[str]) -> str:
    def names(ids: list[str]) -> str:
        return ", ".join(ids[:3]) + ("..." if len(ids) > 3 else "")

    parts = []
    if switches:
        parts.append(f"while {names(switches)} {'is' if len(switches) == 1 else 'are'} pressed")
    if knobs:
        parts.append(f"with {names(knobs)} turned fully up")
    return f" (this happens {' and '.join(parts)})"


def _scenario(circuit: Circuit, library: Library, nl: Netlist, name: str, switches: str, timeout: float,
              knobs: str = "drawn") -> Scenario:
    deck = build_deck(circuit, library, switches=switches, netlist=nl, knobs=knobs)
    sc = Scenario(name=name, deck=deck)
    if not deck.element_of_part:  # nothing is wired to anything: there is no operating point to find
        deck.notes.append("nothing to simulate: no part is wired to another")
        return sc
    result, failed = simulation_findings(deck.text, timeout)
    if result is None:
        sc.findings = failed
        return sc
    op = OperatingPoint(deck, result, nl)
    sc.node_voltages = op.node_voltages()
    sc.currents = op.currents()
    sc.findings = run_checks(op)
    sc.solved = True
    return sc


def run_spice_gate(circuit: Circuit, library: Library | None = None, timeout: float = 10) -> SpiceReport:
    """Simulate ``circuit``'s DC operating point and check every pin, LED, rail and device rating."""
    library = library or Library.default()
    report = SpiceReport()
    try:
        nl = Netlist(circuit, library)
        drawn = _scenario(circuit, library, nl, "as drawn", "open", timeout)
        report.scenarios.append(drawn)
        report.deck = drawn.deck
        report.node_voltages, report.currents = drawn.node_voltages, drawn.currents
        findings = list(drawn.deck.findings) + drawn.findings
        report.notes = list(drawn.deck.notes)
        switches = [d.pid for d in drawn.deck.devices if d.kind == "switch" and not d.info.get("closed")]
        knobs = [d.pid for d in drawn.deck.devices if d.kind == "potentiometer" and d.info.get("position", 1) < 1]
        if (switches or knobs) and drawn.solved:
            pressed = _scenario(circuit, library, nl, "switches pressed", "closed", timeout, knobs="full")
            report.scenarios.append(pressed)
            seen = {(f.rule, tuple(f.where)) for f in findings}
            when = _when(switches, knobs)
            for f in pressed.findings:
                if (f.rule, tuple(f.where)) in seen:
                    continue
                seen.add((f.rule, tuple(f.where)))
                where = f.where + [p for p in (switches + knobs)[:3] if p not in f.where]
                findings.append(f.model_copy(update={"message": f.message + when, "where": where}))
    except Exception as e:  # the gate reports; it never takes the pipeline down
        log.exception("SPICE gate failed")
        findings = [Finding(
            rule="SPICE-NOT-RUN", severity=Severity.MAJOR,
            message=f"The SPICE gate could not check this circuit ({type(e).__name__}: {comment_text(e, 200)}), "
                    "so nothing proves it is safe to build.",
            where=[], source="spice",
        )]
    report.findings = sort_findings(findings)
    return report
