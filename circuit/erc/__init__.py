"""The electrical rule check (ERC): deterministic rules over the netlist and the knowledge base.

``run_erc(circuit, library)`` returns :class:`~circuit.findings.Finding` objects, each with a rule
id, a severity, a plain-language message, the parts/pins involved and, where the repair is
unambiguous, a machine-readable fix hint that :func:`circuit.fixes.apply_fixes` can apply.

It first re-runs the structural checks of :func:`circuit.load.load_circuit` (hallucinated part
types, pins and ids, malformed endpoints), so ``run_erc`` alone catches an invented part; the
electrical rules then run on the cleaned circuit. Rule families, one module each:

==================  ==============================================================
power               shorts, rails tied together, outputs on rails, over/under-voltage,
                    missing power or ground, supplies without a common ground
led_current         LED without a current limit, resistor out of range, LED reversed
inductive_loads     motors/coils without a flyback path, flyback diode reversed
load_voltage        motors/coils above their rated voltage
gpio_load           loads drawing more than a GPIO can give
pin_capability      an input-only pin wired to something it must drive
pullups             floating switch inputs, open-drain without pull-up, redundant
                    pull-ups, pull-ups above a pin's rating
buses               I2C/SPI/UART crossed, bus on a pin without the function, I2C
                    without pull-ups, UART wired one way
levels              3.3 V outputs into 5 V inputs (VIH too low or marginal)
drivers             two outputs on one net
decoupling          ICs without a decoupling capacitor
capacitors          electrolytic capacitors wired backwards
connectivity        unconnected parts and inputs, half-wired parts, duplicate wires
required_pins       inputs a record marks as required left floating (op-amp, bridge,
                    STEP/DIR/RESET, enable pins)
peak_current        a part's peak/stall current above a source or converter on its
                    power path, or a part needing its own supply on a board rail
companions          companions a record declares (bulk/regulator capacitors, series
                    data resistors, pull-ups) missing or out of range
common_mode         analog inputs biased outside the record's common-mode range
signal_drive        a speaker or oscillator-less buzzer on steady DC (record: requires.signal_drive)
regulator_backfeed  a board's regulated rail pin (3V3) fed from outside while its regulator is fed
                    too (USB or VIN): two supplies on one rail
safety              hazardous voltages touching the low-voltage side, mains without fuse
                    or isolated supply, parts beyond rating on the hazardous side, cells
==================  ==============================================================

``load_voltage`` also reports loads powered well below their rating (ERC-LOAD-UNDERVOLTAGE).

Pass@1 for a design is "no Critical and no Major finding" (:func:`circuit.findings.passes`).
"""

from __future__ import annotations

import logging

from circuit.erc import (
    buses,
    capacitors,
    common_mode,
    companions,
    connectivity,
    decoupling,
    drivers,
    gpio_load,
    inductive_loads,
    led_current,
    levels,
    load_voltage,
    peak_current,
    pin_capability,
    power,
    pullups,
    regulator_backfeed,
    required_pins,
    safety,
    signal_drive,
)
from circuit.erc.context import ErcContext
from circuit.finding_merge import merge_overlaps
from circuit.findings import Finding, Severity, sort_findings
from circuit.load import load_circuit
from circuit.model import Circuit
from knowledge.library import Library

log = logging.getLogger(__name__)

FAMILIES = [
    power, led_current, inductive_loads, load_voltage, gpio_load, pin_capability, pullups, buses, levels, drivers, decoupling,
    capacitors, connectivity, required_pins, peak_current, companions, common_mode, safety, signal_drive,
    regulator_backfeed,
]

# Structural rules from circuit.load that run_erc re-runs.
STRUCTURAL_RULES = {
    "ERC-UNKNOWN-PART": (Severity.CRITICAL, "A part type that is not in the component library (hallucinated)."),
    "ERC-UNKNOWN-PIN": (Severity.CRITICAL, "A wire goes to a pin the part does not have (hallucinated)."),
    "ERC-UNKNOWN-PART-ID": (Severity.CRITICAL, "A wire goes to a part id that does not exist."),
    "ERC-SELF-CONNECTION": (Severity.MINOR, "A wire connects a pin to itself."),
}

RULES: dict[str, tuple[Severity, str]] = dict(STRUCTURAL_RULES)
for _fam in FAMILIES:
    RULES.update(_fam.RULES)


def dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop repeats of the same rule on the same parts/pins (first one wins). When the list holds
    SPICE findings next to the ERC's, findings that describe the same fault are also folded into one
    (:func:`circuit.finding_merge.merge_overlaps`)."""
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.rule, tuple(sorted(f.where)))
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    if any(f.source == "spice" for f in out) and any(f.source != "spice" for f in out):
        out = merge_overlaps(out)
    return out


def run_erc(circuit: Circuit | dict, library: Library | None = None, *, structural: bool = True) -> list[Finding]:
    """All ERC findings for a circuit, sorted by severity."""
    library = library or Library.default()
    loaded = load_circuit(circuit, library)
    findings: list[Finding] = list(loaded.findings) if structural else []
    ctx = ErcContext(loaded.circuit, library)
    for fam in FAMILIES:
        try:
            fam.check(ctx)
        except Exception as e:  # a rule that could not run fails closed: a Major finding, never a pass or a crash
            name = getattr(fam, "__name__", str(fam)).rsplit(".", 1)[-1]
            log.exception("ERC rule family %s failed", name)
            ctx.findings.append(Finding(
                rule="ERC-RULE-ERROR", severity=Severity.MAJOR, source="erc", where=[],
                message=f"The {name} rules could not check this circuit ({type(e).__name__}: {str(e)[:160]}), "
                        "so nothing proves that part of it is right.",
            ))
    findings.extend(ctx.findings)
    return sort_findings(dedupe(findings))


__all__ = ["run_erc", "RULES", "FAMILIES", "dedupe", "ErcContext"]
