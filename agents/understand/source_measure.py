"""A clause that reads a named source: "the voltage of my 12 V car battery", "what the solar panel is putting
out", "the 5 V supply's voltage".

A clause naming a part is mostly explained by it ("an LED that blinks": the LED). A power source (a battery, a
panel, an adapter: a record that gives a rail and takes none) senses nothing, so when every part a clause names
besides its controller is a source and what the clause asks besides them reads as sensing, that sensing is asked
of the source (a measurement whose input is the source), not answered by it; readings of power in such a
clause are the source's own. The reading is the capability
index's (by meaning); what counts as a source is the records' pins.
"""

from __future__ import annotations

from agents.rules.power_tree import is_source
from knowledge.library import Library

__all__ = ["measures_named_source"]

# what the clause asks besides its named parts must read as sensing this clearly (the clause reading's FREE in
# agents.understand.needs), and ahead of its next reading that is not power (which the named source answers)
FLOOR = 0.40
LEAD = 0.03


def measures_named_source(library: Library, inside: list[tuple[int, int, str]], others: list) -> bool:
    """``inside``: (start, end, key) of the parts the clause names; ``others``: the capability readings of what
    it asks besides them, best first. True when a part it names is a source, no part it names senses anything,
    and the clause's best reading besides them is a clear sensing one."""
    named = [library[k] for _, _, k in inside if k in library and not library[k].is_mcu]
    if not any(is_source(r) for r in named):
        return False
    rest = [h for h in others if h.direction != "power"]
    if not rest or rest[0].direction != "sense" or rest[0].score < FLOOR:
        return False
    if others[0].direction == "power" and others[0].score - rest[0].score >= LEAD:
        return False  # what it asks reads as a supply ("a variable power supply from a 12 V adapter"): no reading
    if any(c.direction == "sense" for r in named for c in r.provides):
        return False  # a sensor the clause names answers what it senses ("an INA219 measuring a battery")
    return len(rest) == 1 or rest[0].score - rest[1].score >= LEAD
