"""How far above its rating a motor or a coil may run: one policy for the ERC and the SPICE gate.

A load's rating is ``ratings.v_rated`` (its nominal voltage) and, where its datasheet gives an
operating range, ``supply.v_min``-``supply.v_max`` (a Mabuchi FA-130RA: nominal 1.5 V, range
1.5-3.0 V; a 12 V fan: 7-13.8 V). The policy judges the TOP of what the datasheet allows: the
range's top when the record states a range, else the nominal voltage.

A coil (relay, solenoid, stepper phase) is a resistor: its current grows with the voltage and its
heat with the square, so 20 % over is a Minor finding (it runs hot) and 50 % over (2.25 x the heat)
a Major one (it burns). A brushed motor's current is set by the torque it drives, not by the
voltage, so running it above its range mostly makes it faster, hotter and shorter-lived: a Minor
finding 20 % over the top of its range; at twice that top even its no-load current and the arcing
at its brushes destroy it (Major).
"""

from __future__ import annotations

from circuit.findings import Severity
from circuit.units import format_value
from knowledge.record import ComponentRecord

__all__ = ["rated_voltage", "rated_top", "rating_words", "is_motor", "load_overvoltage", "load_undervoltage", "rated_bottom"]

COIL_MINOR, COIL_MAJOR = 1.2, 1.5
MOTOR_MINOR, MOTOR_MAJOR = 1.2, 2.0
# Below its rating: a relay or solenoid coil must reach its must-operate voltage, at most 75 % of
# nominal (Songle SRD: pull-in <= 75 %), or it never pulls in; a brushed motor below the bottom of its
# range runs weak (Minor) and under 80 % of it does not start against its load (Major).
COIL_PULL_IN = 0.75
MOTOR_STALL = 0.8


def rated_voltage(rec: ComponentRecord | None) -> float | None:
    """The nominal voltage of a motor or coil load; None for parts this policy does not judge."""
    if rec is None or rec.category == "passive" or rec.flags.protected_driver:
        return None
    if not (rec.flags.inductive or rec.category == "actuator"):
        return None
    return rec.ratings.v_rated


def rated_top(rec: ComponentRecord | None) -> float | None:
    """The most the load's datasheet allows: the top of its operating range, else its nominal voltage."""
    v = rated_voltage(rec)
    if not v:
        return None
    top = rec.supply.v_max
    return top if top is not None and top > v else v


def rating_words(rec: ComponentRecord) -> str:
    """'rated 5 V' or 'made for 1.5 V to 3 V (1.5 V nominal)', for messages."""
    v, top = rated_voltage(rec), rated_top(rec)
    if v is None or top is None:
        return "rated for less"
    if top == v:
        return f"rated {format_value(v, 'V')}"
    lo = rec.supply.v_min if rec.supply.v_min is not None else v
    return f"made for {format_value(lo, 'V')} to {format_value(top, 'V')} ({format_value(v, 'V')} nominal)"


def is_motor(rec: ComponentRecord) -> bool:
    return rec.actuator == "dc-motor"


def load_overvoltage(rec: ComponentRecord | None, volts: float) -> Severity | None:
    """The severity of running this load at ``volts`` (None when it is within its rating)."""
    top = rated_top(rec)
    if not top or volts <= 0:
        return None
    minor, major = (MOTOR_MINOR, MOTOR_MAJOR) if is_motor(rec) else (COIL_MINOR, COIL_MAJOR)
    ratio = volts / top
    if ratio > major + 0.02:
        return Severity.MAJOR
    if ratio > minor + 0.02:
        return Severity.MINOR
    return None


def rated_bottom(rec: ComponentRecord | None) -> float | None:
    """The least the load's datasheet allows: the bottom of its operating range, else its nominal voltage."""
    v = rated_voltage(rec)
    if not v:
        return None
    lo = rec.supply.v_min
    return lo if lo is not None and lo < v else v


def load_undervoltage(rec: ComponentRecord | None, volts: float) -> Severity | None:
    """The severity of running this load at ``volts`` below its rating (None when it is enough)."""
    v = rated_voltage(rec)
    if not v or volts <= 0:
        return None
    if is_motor(rec):
        bottom = rated_bottom(rec)
        if volts < MOTOR_STALL * bottom - 0.05:
            return Severity.MAJOR
        if volts < bottom - 0.1:
            return Severity.MINOR
        return None
    if volts < COIL_PULL_IN * v - 0.05:
        return Severity.MAJOR
    return None
