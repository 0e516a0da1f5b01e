"""Choosing among equals: which record wins when several meet a need equally well.

Every picker (a switch for a load, a flyback diode, a regulator, an op-amp, a comparator, a Zener,
a sounder ...) first ranks the records by what the need asks (ratings that carry the load, the
right kind, a named part first). What is left tied is settled here, from record data and never
from the order the files happen to load in or from a part number written in code:

1. ``commonness`` (knowledge/record.py): a staple part (in the usual starter kits, stocked by every
   hobby shop) before a common one, a common one before a specialist one (high voltage, low noise,
   a niche package), and a numbered part before a generic stand-in for its class;
2. the record key, so the choice is stable whatever order the library was loaded in.

Adding records to the library therefore never changes a choice unless a new record is a better fit
by the need's own criteria or is more common than the part chosen before.
"""

from __future__ import annotations

from typing import Callable, Iterable

from knowledge.record import ComponentRecord

__all__ = ["COMMONNESS_RANK", "commonness_rank", "mount_rank", "preference", "is_generic", "most_preferred"]

COMMONNESS_RANK = {"staple": 0, "common": 1, "specialist": 2, "generic": 3}


def commonness_rank(rec: ComponentRecord) -> int:
    """0 for a staple part ... 3 for a generic stand-in."""
    return COMMONNESS_RANK[rec.commonness]


def mount_rank(rec: ComponentRecord) -> int:
    """0 for a part that comes through-hole, 1 for one that comes only surface-mount (``flags.surface_mount``):
    a breadboard build takes the through-hole part when both fit (the switch and flyback pickers)."""
    return 1 if rec.flags.surface_mount else 0


def is_generic(rec: ComponentRecord) -> bool:
    """A stand-in for any part of its class (no part number)."""
    return rec.commonness == "generic"


def preference(rec: ComponentRecord) -> tuple[int, str]:
    """The tie-break among records that meet a need equally: more common first, then the key."""
    return (commonness_rank(rec), rec.key)


def most_preferred(records: Iterable[ComponentRecord],
                   fit: Callable[[ComponentRecord], tuple] | None = None) -> ComponentRecord | None:
    """The record with the best ``fit`` (a tuple, smaller is better), ties settled by :func:`preference`;
    None when there are no records."""
    best, best_rank = None, None
    for r in records:
        rank = ((fit(r) if fit else ()), preference(r))
        if best_rank is None or rank < best_rank:
            best, best_rank = r, rank
    return best
