"""The highest voltage a source gives in use: what a circuit that measures it must take.

A battery is above its nominal voltage when full or on its charger (a 12 V lead-acid at 14.4 V, a Li-ion cell at
4.2 V), a solar panel open-circuit, an adapter at the top of its tolerance. The record says it
(``ratings.v_peak``, for the nominal voltage); a part set to another voltage (a generic battery of 36 V) scales
it. A record that does not say is taken 20 % above its voltage, and says so.
"""

from __future__ import annotations

from circuit.part_ratings import source_volts
from knowledge.record import ComponentRecord

__all__ = ["UNSTATED_MARGIN", "source_peak"]

UNSTATED_MARGIN = 1.2  # a source whose record gives no peak: this far above its voltage (a charging battery's share)


def source_peak(part, rec: ComponentRecord) -> tuple[float | None, str]:
    """(volts, where the figure comes from) for a source ``part`` (a planned or circuit part: ``.attrs``)."""
    volts = source_volts(part, rec)
    if volts is None:
        outs = [p.v_out for p in rec.pins_of_type("power_out") if p.v_out]
        volts = outs[0] if outs else None
    if volts is None:
        return None, "no voltage known"
    peak, nominal = rec.ratings.v_peak, rec.ratings.v_nominal
    if peak and nominal:
        if abs(volts - nominal) <= 1e-6:
            return peak, f"{rec.key}'s record: {peak:g} V at most in use"
        return volts * peak / nominal, (f"{rec.key}'s record scaled to {volts:g} V: {peak:g} V at most for "
                                        f"{nominal:g} V nominal")
    if peak:
        return peak, f"{rec.key}'s record: {peak:g} V at most in use"
    return volts * UNSTATED_MARGIN, f"{volts:g} V + 20 % (the record gives no peak)"
