"""Choosing the flyback diode across a coil (relay, motor, solenoid), from the records' ratings.

This module owns the choice; the designer (:mod:`agents.rules.load_switch`, :mod:`agents.rules.companions`)
and the ERC fixer (:mod:`circuit.driver_choice`, the ``add_flyback_diode`` fix in :mod:`circuit.fixes`)
all ask it. A diode fits when its reverse rating is at least twice the coil's supply and its
forward rating carries the coil current (either check is skipped when the value is unknown). Among
those that fit: a through-hole part, a Schottky exactly when the coil is switched fast (PWM: no
reverse-recovery time) and otherwise a junction diode whose record provides ``rectify`` (a power
rectifier before a signal diode), the most common part (knowledge/preference.py), the smallest
rating, the key.
"""

from __future__ import annotations

from knowledge.library import Library
from knowledge.preference import commonness_rank, mount_rank, preference

__all__ = ["RECTIFY", "pick_flyback"]

RECTIFY = "rectify"  # the capability of a record made to carry power current one way (not a signal diode)


def pick_flyback(lib: Library, v: float | None, i: float | None, fast: bool = False) -> str | None:
    """The key of the flyback diode for a coil at ``v`` volts carrying ``i`` amps; None when no diode fits."""
    best = None
    for rec in lib:
        if rec.spice.kind != "diode":
            continue
        r = rec.ratings
        if v and r.vr_max is not None and r.vr_max < 2 * v:
            continue
        cap = r.if_max or r.if_nom
        if i and cap is not None and cap < i:
            continue
        rectifier = fast or any(c.capability == RECTIFY for c in rec.provides)
        score = (mount_rank(rec), 0 if rec.flags.schottky == fast else 1, 0 if rectifier else 1, commonness_rank(rec),
                 cap or 0, preference(rec))
        if best is None or score < best[0]:
            best = (score, rec.key)
    return best[1] if best else None
