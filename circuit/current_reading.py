"""A current measured in series: which pins of a current sensor carry the measured current, and how much.

A current sensor's record names its current path by its pins: the two passive pins rated for the current they
carry (``i_max``: a shunt's VIN+/VIN-, a Hall sensor's IP+/IP-). The path takes the lower of the two ratings. The
requirement gate reads a current measurement from the nets: both path pins wired, on two different nets, each
with something beyond the sensor on it (an input terminal, a load, a rail).
"""

from __future__ import annotations

from knowledge.record import ComponentRecord

__all__ = ["CURRENT", "MEASURED_A", "carries_current", "path_pins", "path_rating"]

CURRENT = "sense-current"  # the capability a current measurement provides
MEASURED_A = "measured_a"  # Requirements targets / Identification.numbers: the top of a current range measured


def path_pins(rec: ComponentRecord) -> list:
    """The two pins the measured current flows through (passive pins with a current rating), or none."""
    pins = [p for p in rec.pins if p.type == "passive" and p.i_max]
    return pins if len(pins) == 2 else []


def path_rating(rec: ComponentRecord) -> float | None:
    """The most current the record's path takes: the lower rating of its two pins."""
    pins = path_pins(rec)
    return min(p.i_max for p in pins) if pins else None


def carries_current(rec: ComponentRecord, amps: float) -> bool:
    rating = path_rating(rec)
    return rating is not None and rating >= amps
