"""What a compound modifier asks for: "a light-sensitive switch", "a heat-sensitive alarm", "a
sound-activated relay".

A hyphenated modifier whose second piece is a participle or adjective (…-ed, …-ive, …-ent, …-ing) says
what drives the thing it describes: its first piece names the stimulus, never what the thing does (the
noun after it does that, and is read on its own). So its reading is the sensing capability that the
whole compound and its first piece together match best by meaning (the sum of the two scores):
"light-activated" reads as light sensing, though the compound alone is closer to an LED, and
"light-sensitive" as light sensing rather than colour sensing. The compound must match it at least as
clearly as a clause asking for a function (``needs.FREE``). (How a thing is powered, "battery-powered",
is read with the power source.)
"""

from __future__ import annotations

import re

from agents.understand.needs import FREE
from knowledge.lexical import GRAMMAR_WORDS
from knowledge.verbs import base_forms
from agents.understand.requirements import AskedFunction, NeededFunction
from knowledge.capabilities import capability_index
from knowledge.library import Library

_COMPOUND = re.compile(r"\b([a-z][a-z0-9]*)-([a-z]+(?:ed|ive|ent|ing))\b", re.IGNORECASE)
# the same modifier written without its hyphen ("a heat activated siren", "a sound controlled lamp"): a noun, a
# past participle, and the noun it describes after it (not a clause's verb: "the fan turned on", "LEDs wired to")
_OPEN_COMPOUND = re.compile(r"\b([a-z][a-z0-9]*)\s+([a-z]+ed)(?=\s+([a-z][a-z0-9-]*))", re.IGNORECASE)
SENSE = "sense"
POWER = "power"


def _open_compounds(text: str) -> list[tuple[str, str]]:
    """(compound, first piece) of the modifiers written without a hyphen."""
    out = []
    for m in _OPEN_COMPOUND.finditer(text):
        first, after = m.group(1).lower(), m.group(3).lower()
        if first in GRAMMAR_WORDS or after in GRAMMAR_WORDS or first.isdigit() or not base_forms(m.group(2).lower()):
            continue
        out.append((f"{m.group(1)}-{m.group(2)}", m.group(1)))
    return out


def compound_needs(text: str, library: Library, have: set[str]) -> tuple[list[NeededFunction], list[AskedFunction]]:
    """Needs (and the gate's clauses) read from the request's compound modifiers; ``have``: the
    capabilities already asked for or provided by named parts."""
    found = [(m.group(0), m.group(1)) for m in _COMPOUND.finditer(text)]
    open_ = _open_compounds(text)
    found += open_
    if not found:
        return [], []
    try:
        ranked = capability_index(library).rank([t for c in found for t in c])
    except Exception:  # no embedding model here: nothing is read by meaning
        return [], []
    needs: list[NeededFunction] = []
    asked: list[AskedFunction] = []
    for i, (compound, first) in enumerate(found):
        whole, piece = ranked[2 * i], ranked[2 * i + 1]
        alone = {h.capability: h.score for h in piece}
        drivers = sorted((h for h in whole if h.direction == SENSE and h.capability in alone),
                         key=lambda h: -(h.score + alone[h.capability]))
        if not drivers:
            continue
        hit = drivers[0]
        cap = hit.capability
        if hit.score < FREE or cap in have:
            continue
        if (compound, first) in open_ and (whole[0].direction == POWER or piece[0].direction in (POWER, "compute")):
            # ("solar powered", "arduino controlled": how it is powered or run, not what sets it off)
            continue
        have.add(cap)
        needs.append(NeededFunction(capability=cap, words=compound, score=round(hit.score, 3)))
        asked.append(AskedFunction(words=compound, any_of=[cap], score=round(hit.score, 3)))
    return needs, asked
