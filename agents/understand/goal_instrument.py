"""A goal that is an instrument: what it measures is asked, as a need the requirement gate holds the design to.

A request that names only a goal ("a kitchen scale", "a gadget that tells me how heavy the flour is", "a plant
minder that lets me know when it is thirsty") names no part and often no function its clauses read clearly
enough: the capability index reads "a kitchen scale" a little nearer an oven thermometer than a load cell, and the
goal's reading (:mod:`agents.understand.goal_parts`) then falls back to what a person works (a button) beside a
display. The design passes the gates, measuring nothing: the gate only holds a design to what was asked.

Here three readings of the whole request must agree before the goal is taken to measure something:

1. the retriever's best part for the request (the search index over the records' names, descriptions and
   typical uses, by meaning and by word) senses something by itself: a capability of direction ``sense`` that
   no person works on purpose (record ``person``), ``needs.MARGIN`` ahead of every part that senses none of it;
2. the request reads as measuring a quantity the library serves (``knowledge.measurands``: its description at
   ``READS_AS_MEASURING`` or closer) that one of that part's capabilities serves;
3. that quantity is among the request's best quantities, served or not (within ``MEASURED_MARGIN`` of the
   best): a request about something no part measures (a breath's alcohol) is not answered by a look-alike.

The request is read without the clauses that say what the thing is for (``needs.PURPOSE``: "for a toy fire
engine" is context, no fire to sense). Then that sensing is asked of the planner (a need) and of the gate (``Requirements.asked``), before the goal's
other side is read; a request whose sensing understanding already read, that names parts (other than a board or
an output), power or blocks of its own, or that names the thing and then what it has ("X with ...": that list is
the ask, as in ``needs``), is left alone.
"""

from __future__ import annotations

import numpy as np

from agents.rules.part_search import lib_cache, semantic
from agents.understand.needs import MARGIN, PURPOSE, _compounds_by_head, _names_the_project, clauses
from agents.understand.requirements import AskedFunction, NeededFunction, Requirements
from knowledge.capabilities import capability_index
from knowledge.library import Library
from knowledge.measurands import MARGIN as MEASURED_MARGIN, READS_AS_MEASURING, MeasurandIndex

__all__ = ["read_instrument"]

SENSE = "sense"
# records that are themselves an output a person sees or hears (record ``category``): named, they say where the
# reading goes, not what is measured
OUTPUTS = frozenset({"display", "indicator", "audio"})
OPERATES = "operates"
LOOK = 5  # parts of the retriever's answer read: the best, and the best of those that sense something else


def _noticing(library: Library, capability: str) -> bool:
    """Some record senses it by itself (direction sense, not worked by a person on purpose)."""
    return any(c.capability == capability and c.direction == SENSE and c.person != OPERATES
               for r in library for c in r.provides)


def _goal_only(req: Requirements, library: Library) -> bool:
    """The request names no part but a board or an output (what it shows or sounds on: "... on an lcd"), no power,
    no block and nothing the library lacks."""
    if req.unknown or req.analog_blocks or req.constraints.source is not None or req.constraints.no_controller:
        return False
    if any(c.direction == "power" for n in req.needs for r in library for c in r.provides
           if c.capability == n.capability):
        return False
    return all(library[p.key].is_mcu or library[p.key].category in OUTPUTS for p in req.named_parts
               if p.key in library)


def _measurands(library: Library) -> MeasurandIndex | None:
    cache = lib_cache(library)
    if "instrument_measurands" not in cache:
        try:
            cache["instrument_measurands"] = MeasurandIndex(library)
        except Exception:  # no catalog or vectors here: nothing reads as measured
            cache["instrument_measurands"] = None
    return cache["instrument_measurands"]


def read_instrument(text: str, library: Library, req: Requirements) -> list[str]:
    """Ask for what a goal-only request measures where three readings agree (see the module's text); the notes
    saying so ([] when nothing is added)."""
    cls = clauses(text)
    if cls and _names_the_project(cls, cls[0]):
        return []  # ("a fire engine model with a siren and a light": what it has is the ask, its name is context)
    if not _goal_only(req, library) or any(_noticing(library, n.capability) for n in req.needs) \
            or any(_noticing(library, c.capability) for p in req.named_parts if p.key in library
                   for c in library[p.key].provides):
        return []
    # (read without what it is for: "a siren noise for a toy fire engine" is a siren, not a fire to sense)
    read = text
    for i in reversed(range(1, len(cls))):
        if cls[i].joined_by in PURPOSE:
            read = read[:cls[i - 1].end] + read[cls[i].end:]
    # (and each compound word by its head, as the clauses are read: a "dustbin" is a bin, not dust to measure)
    read = " ".join(_compounds_by_head(read, library).split())
    found = semantic(read, k=LOOK)
    if not found or not found[1] or found[1][0][0] not in library:
        return []
    key, top = found[1][0]
    caps = [c.capability for c in library[key].provides
            if c.direction == SENSE and c.person != OPERATES and c.capability not in req.constraints.forbidden]
    # (clearly ahead of every part that senses none of it: "a fire truck toy with a siren" finds a flame sensor a
    # hair ahead of the light and the sounder it asks for)
    rival = next((s for k, s in found[1][1:] if k not in library
                  or not {c.capability for c in library[k].provides} & set(caps)), None)
    if rival is not None and top - rival < MARGIN:
        return []
    index = _measurands(library)
    if not caps or index is None or index.vectors is None or not len(index.vectors):
        return []
    try:
        vec = capability_index(library).embed([" ".join(read.split())])[0]
    except Exception:  # no embedding model here
        return []
    sims = index.vectors @ vec
    best = float(sims.max())
    agreed = [(float(sims[j]), cap) for j in np.argsort(-sims)
              if index.served[j] and sims[j] >= READS_AS_MEASURING and sims[j] >= best - MEASURED_MARGIN
              for cap in index.catalog[int(j)].capabilities if cap in caps]
    if not agreed:
        return []
    score, cap = agreed[0]
    words = " ".join(text.split())
    req.needs.append(NeededFunction(capability=cap, words=words, score=round(score, 3)))
    req.asked.append(AskedFunction(words=words, any_of=[cap], score=round(score, 3)))
    return [f"'{words}' reads as measuring what {key} senses ({cap}): the retriever's part and the quantity read "
            f"({score:.2f}) agree."]
