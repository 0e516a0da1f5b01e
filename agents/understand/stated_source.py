"""The words that state the design's source are answered by that source, not by a part they read as.

"... running from a 36 V supply" says what the design runs from: understanding reads the voltage as the source
(:class:`~agents.understand.requirements.PowerSource`), and the planner and the gates hold the design to it (the
source check, the input-rating check). Read by meaning as well, the same words can land between several power
readings (a 24 V adapter, a 5 V regulator) with none clearly ahead; asked of the design, they would fail it for
lacking a part the request never wanted. An asked reading whose words hold the stated source's voltage (a
quantity in volts, read with the units library) and whose best reading is power is that statement: it is
dropped, and the source stands for it.
"""

from __future__ import annotations

from agents.understand.requirements import Requirements
from circuit.quantities import find_quantities
from knowledge.library import Library

TOLERANCE = 0.05  # a voltage within 5 % of the source's is the source's


def _direction(lib: Library, capability: str) -> str | None:
    return next((c.direction for r in lib for c in r.provides if c.capability == capability), None)


def answered_by_the_source(req: Requirements, lib: Library) -> list[str]:
    """Drop the asked readings that are the source statement; returns notes."""
    src = req.constraints.source
    if src is None or src.volts is None:
        return []
    volts = src.total_volts

    def states_it(words: str) -> bool:
        return any(q.unit == "V" and abs(q.value - volts) <= TOLERANCE * volts for q in find_quantities(words))

    kept, notes = [], []
    for a in req.asked:
        if a.any_of and _direction(lib, a.any_of[0]) == "power" and states_it(a.words):
            notes.append(f"'{a.words}' states the source ({volts:g} V): the source answers it.")
            continue
        kept.append(a)
    req.asked = kept
    return notes
