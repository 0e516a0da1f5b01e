"""The planner's choice among parts that do the same job, held to the currents the request states.

A request that states what a load draws ("a 3 A motor") needs the part that carries that current to be
rated for it: the driver, the switch, the converter. The requirement gate (:mod:`circuit.rating_gate`)
fails a design whose parts are not; this module makes the planner choose one that is in the first place,
from the records' typed ratings (:func:`circuit.part_ratings.current_rating`), never from part names.

- :func:`load_amps_for`: the largest current a stated load that ``rec`` would carry draws (each unit: "two
  1 A motors" is 1 A a motor); a part that lists what it ``drives`` carries only those loads;
- :func:`rated_for`: the candidates rated for a current (a part whose record states no rating is kept,
  it cannot be judged); none rated: all of them, and the gate says which rating the design misses.
"""

from __future__ import annotations

from agents.understand.requirements import Requirements
from circuit.part_ratings import current_rating, is_primary_source
from circuit.rating_gate import MARGIN, stated_amps
from knowledge.library import Library
from knowledge.record import ComponentRecord

__all__ = ["stated_loads", "load_amps_for", "rated_for"]


def stated_loads(req: Requirements, lib: Library) -> list[tuple[ComponentRecord, float]]:
    """(record, amps each) of every named load whose current the request states: not a controller, a source
    or a converter (they give current; they do not draw it from a driver)."""
    out = []
    for np in req.named_parts:
        rec = lib.get(np.key)
        amps = stated_amps(np.attrs.get("current"))
        if rec is None or amps is None or rec.is_mcu or is_primary_source(rec) or rec.category == "power":
            continue
        out.append((rec, amps))
    return out


def load_amps_for(rec: ComponentRecord, loads: list[tuple[ComponentRecord, float]]) -> float | None:
    """The current ``rec`` must carry for the stated ``loads``: the largest of them it would drive (by its
    record's ``drives``: a DC-motor driver carries the motors, not an LED); None when none is stated."""
    served = [a for load, a in loads if not rec.drives or load.actuator in rec.drives]
    return max(served) if served else None


def rated_for(cands: list[ComponentRecord], loads: list[tuple[ComponentRecord, float]]) -> list[ComponentRecord]:
    """The candidates rated for the stated loads they would carry; all of them when none is (the requirement
    gate then names the rating the design misses and the library's lack)."""
    if not loads:
        return cands

    def fits(r: ComponentRecord) -> bool:
        amps = load_amps_for(r, loads)
        rating = current_rating(r)
        return amps is None or rating is None or amps <= rating * (1 + MARGIN)

    rated = [r for r in cands if fits(r)]
    return rated or cands
