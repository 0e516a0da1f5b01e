"""A value the request asks held by a part that changes its quantity: holding it means reading it.

"an incubator that holds 37.5 C and turns the eggs", "keep the printer enclosure at 40 degrees with a 12 V heater and a
fan": the request states a value of a quantity (read with the units library) and asks, or names, a part that changes
that quantity (the measurand catalog types it: ``changed_by``, e.g. a heater or a cooler changes temperature). A
heater switched with nothing reading the temperature holds nothing; when no asked or named part senses the quantity,
its sensing capability is asked, with the value's words, so the planner adds a sensor and the requirement gate holds
the design to it. A bare "degrees" (an angle as often as a temperature) is read as the quantity's only when the
quantity's unit is a temperature and a part that changes temperature is asked.
"""

from __future__ import annotations

from functools import lru_cache

from agents.understand.requirements import AskedFunction, NeededFunction, Requirements
from circuit.quantities import degrees_after, find_quantities
from knowledge.library import Library
from knowledge.measurands import Measurand, load_catalog

TEMPERATURE = "°C"


@lru_cache(maxsize=1)
def _held_quantities() -> tuple[Measurand, ...]:
    """The measurands a stated value can ask held: those with a unit and parts that change them."""
    return tuple(m for m in load_catalog() if m.unit and m.changed_by and m.capabilities)


def _capabilities(req: Requirements, lib: Library) -> set[str]:
    """What the design will hold so far: the named parts' capabilities and the needs (an asked reading with
    alternatives is not yet a part: "hold ... at 68°F" read as sensing or cooling places neither)."""
    caps = {c.capability for p in req.named_parts for c in lib[p.key].provides}
    caps |= {n.capability for n in req.needs}
    return caps


def sensor_for_held_values(text: str, req: Requirements, lib: Library) -> list[str]:
    """Ask the sensing of each quantity whose value the request states while asking a part that changes it; notes."""
    notes: list[str] = []
    caps = _capabilities(req, lib)
    quantities = find_quantities(text)
    for m in _held_quantities():
        if not set(m.changed_by) & caps or set(m.capabilities) & caps:
            continue
        values = [q for q in quantities if q.unit == m.unit
                  or (m.unit == TEMPERATURE and degrees_after(text, q))]
        if not values:
            continue
        q = values[0]
        words = text[q.start:q.end].strip() + (" degrees" if q.unit == "" else "")
        actor = next(c for c in m.changed_by if c in caps)
        req.needs.append(NeededFunction(capability=m.capabilities[0], words=words))
        req.asked.append(AskedFunction(words=words, any_of=list(m.capabilities)))
        caps |= set(m.capabilities)
        notes.append(f"'{words}' is a {m.measurand} to hold with a part that changes it ({actor}): "
                     f"holding it needs the {m.measurand} read ({m.capabilities[0]}).")
    return notes
