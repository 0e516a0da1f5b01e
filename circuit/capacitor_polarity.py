"""Which capacitors have a polarity: the one rule the ERC, the SPICE gate and the schematic share.

* a record without ``flags.polarized`` (``ceramic-capacitor``) never has one;
* a polarized record with ``spice.params.polar_from`` is a capacitor of unknown kind (CircuitLM's
  generic ``capacitor``): from that capacitance up it is taken to be an electrolytic (polar, drawn
  with a + and a curved plate, checked for reverse voltage), below it a ceramic or film part, which
  has no polarity (1 µF: the sizes where electrolytics start and MLCCs are the usual choice below);
* any other polarized record (``electrolytic-capacitor``) is polar at every value.

A part whose value is missing is taken at its record's ``default_value``; an unreadable value counts
as unknown, and an unknown value is polar only when the record is polar at every value.
"""

from __future__ import annotations

from collections.abc import Mapping

from circuit.units import UnitError, parse_value
from knowledge.record import ComponentRecord

__all__ = ["is_polar", "capacitance", "POLAR_FROM_PARAM"]

POLAR_FROM_PARAM = "polar_from"


def capacitance(rec: ComponentRecord, attrs: Mapping | None) -> float | None:
    """The part's capacitance in farads (its value attr, else the record's default); None if unreadable."""
    raw = (attrs or {}).get(rec.value_attr or "value", rec.default_value)
    if raw is None:
        return None
    try:
        return parse_value(raw, rec.value_unit or "F")
    except (UnitError, ValueError, TypeError):
        return None


def is_polar(rec: ComponentRecord | None, farads: float | None) -> bool:
    """Whether a capacitor of this record and value has a + and a - lead."""
    if rec is None or not rec.flags.polarized:
        return False
    threshold = rec.spice.params.get(POLAR_FROM_PARAM)
    if threshold is None:
        return True
    return farads is not None and farads >= threshold * (1 - 1e-9)  # '1u' parsed as 0.99999...e-6 still counts
