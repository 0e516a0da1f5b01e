"""How far above its rated voltage a motor or a coil may run: one policy for the ERC and the SPICE gate.

``ratings.v_rated`` is a load's nominal voltage. A coil (relay, solenoid, stepper phase) is a
resistor: its current grows with the voltage and its heat with the square, so 20 % over is a
Minor finding (it runs hot) and 50 % over (2.25 x the heat) a Major one (it burns). A brushed
motor's current is set by the torque it drives, not by the voltage, so running it above its
nominal voltage mostly makes it faster, hotter and shorter-lived: a Minor finding above 1.5 x
(a 130-size motor's datasheet range is 1.5-3 V, a 12 V pump's 6-12 V); beyond 4 x its nominal
voltage even its no-load current and the arcing at its brushes destroy it (Major).
"""

from __future__ import annotations

from circuit.findings import Severity
from knowledge.record import ComponentRecord

__all__ = ["rated_voltage", "is_motor", "load_overvoltage"]

COIL_MINOR, COIL_MAJOR = 1.2, 1.5
MOTOR_MINOR, MOTOR_MAJOR = 1.5, 4.0


def rated_voltage(rec: ComponentRecord | None) -> float | None:
    """The nominal voltage of a motor or coil load; None for parts this policy does not judge."""
    if rec is None or rec.category == "passive" or rec.flags.protected_driver:
        return None
    if not (rec.flags.inductive or rec.category == "actuator"):
        return None
    return rec.ratings.v_rated


def is_motor(rec: ComponentRecord) -> bool:
    return any("motor" in p.functions for p in rec.pins) and "stepper" not in f"{rec.key} {rec.name}".lower()


def load_overvoltage(rec: ComponentRecord | None, volts: float) -> Severity | None:
    """The severity of running this load at ``volts`` (None when it is within its rating)."""
    v_rated = rated_voltage(rec)
    if not v_rated or volts <= 0:
        return None
    minor, major = (MOTOR_MINOR, MOTOR_MAJOR) if is_motor(rec) else (COIL_MINOR, COIL_MAJOR)
    ratio = volts / v_rated
    if ratio > major + 0.02:
        return Severity.MAJOR
    if ratio > minor + 0.02:
        return Severity.MINOR
    return None
