"""The functions a goal needs, when a request names only the goal ("a points board for the quiz", "a chime for
the allotment").

Understanding reads parts and functions from the request's clauses; a goal names neither, and its words often
read as no capability clearly enough for a clause to ask for one. Then the reading is empty and there would be
nothing to design, though a person asking for a thing to be built expects a design: the parts the thing is made
of. A device has two sides (``needs.SIDES``): something that answers (an output: what it shows, sounds, lights
or moves) and something that notices (an input: what a person works, or what it senses). Both are read here by
meaning, from the records (:mod:`knowledge.goal_fit`: each capability's own texts and the typical-use and
description texts of the records that provide it), never from a list of goal words:

1. the output: the output capability the goal fits best, among those whose records are all themselves the
   output (a display, a light, a sounder, a motor: record ``category``), not a part that switches or drives
   another; one that understanding read as answering a clause (``Requirements.asked``) first; a goal that fits
   none at ``OUTPUT_FLOOR`` is too vague to design, and stays so;
2. the input: a sensing capability that notices something by itself (no person works it on purpose, record
   ``person``) when the goal reads it clearly (``needs.FREE``, ``needs.MARGIN`` ahead of the next); else a
   person works the thing: the input a person works that the goal reads clearly, else the one of the most
   common record a person works (:mod:`knowledge.preference`, fewest pins first), where a controller reads it
   (with none, an input would have to switch the output itself; and where a clause says what sets the thing off,
   ``needs.CONDITION``, what notices that is asked, not a button: none is added unasked).

The goal is read from the clauses that name the thing to be built (an indefinite noun phrase: "a ..."; not the
user's own thing, "my ..."), without the words of a board named in them, and not from what it is for or
where it goes, so a request that names no thing ("hello there", "build something") stays empty.

The parts for these functions, the board and the wiring are chosen as for any request (``agents.rules.needs``,
the planner); the requirement gate holds the design to the output read here.
"""

from __future__ import annotations

import re

from agents.rules.part_search import lib_cache, retriever
from agents.understand.needs import CONDITION, DEFINITE, FREE, MARGIN, PURPOSE, THING_OPENERS, clauses
from agents.understand.requirements import AskedFunction, NeededFunction, Requirements
from knowledge.capabilities import capability_index
from knowledge.goal_fit import CapabilityFit, GoalFits
from knowledge.library import Library
from knowledge.preference import most_preferred

__all__ = ["read_goal"]

# the least fit of an output to a goal: below it the goal reads as nothing in particular (set on the project's
# request sets, the goal-only phrasing style, not per request)
OUTPUT_FLOOR = 0.25
# records that are themselves an output a person sees, hears or that moves (not a driver or a switch for another)
OUTPUT_CATEGORIES = frozenset({"display", "indicator", "audio", "actuator"})
OUT = ("act", "communicate")
SENSE = "sense"
KEEPS_TIME = "compute"  # the direction of a function only a controller's firmware or a timer keeps
OPERATES = "operates"
# a noun phrase naming a thing to be built: an indefinite opener ("a ..."), not the user's own thing ("my ...": it is
# acted on, as in ``needs``)
_A_THING = re.compile(r"\b(?:" + "|".join(sorted(THING_OPENERS - DEFINITE)) + r")\s+[a-z0-9]", re.IGNORECASE)


def read_goal(text: str, library: Library, req: Requirements) -> list[str]:
    """Add to ``req`` the needs a goal-only request implies; return the notes saying so ([] when the request
    names parts or functions of its own, or reads as no goal)."""
    if not _names_nothing(req, library):
        return []
    fits = _fits(text, library, req)
    if not fits:
        return []
    out = [f for f in fits if f.direction in OUT and f.categories <= OUTPUT_CATEGORIES
           and f.capability not in req.constraints.forbidden]
    # a clause understanding read too loosely to ask for one function still says which outputs answer it
    # (``req.asked``): the best-fitting of those, else the best output at ``OUTPUT_FLOOR``
    read = {cap for a in req.asked for cap in a.any_of}
    shown = next((f for f in out if f.capability in read), None)
    if shown is None and (not out or out[0].score < OUTPUT_FLOOR):
        return []
    shown = shown or out[0]
    heard = _input(fits, library, req, any(c.joined_by in CONDITION for c in clauses(text.lower())))
    words = " ".join(text.split())
    notes = []
    for f in (shown, heard):
        if f is None:
            continue
        req.needs.append(NeededFunction(capability=f.capability, words=words, score=round(f.score, 3)))
        notes.append(f"the goal '{words}' names no part: it needs {f.capability} "
                     f"(read by meaning, {f.score:.2f} from {f.key}'s texts).")
    req.asked.append(AskedFunction(words=words, any_of=[shown.capability], score=round(shown.score, 3)))
    return notes


def _names_nothing(req: Requirements, library: Library) -> bool:
    """The request asks for no part, no power, no block and nothing that notices or answers of its own: a board at
    most, and no function but one a controller's firmware keeps ("a timer for ...": a timing)."""
    if req.unknown or req.analog_blocks or any(_direction(library, n.capability) != KEEPS_TIME for n in req.needs):
        return False
    # (a source, a converter or a charger named or a supply stated is power asked for: a design of its own, "top
    # up a cell from a panel", "run my gadget off the scooter's battery")
    return req.constraints.source is None and all(library[p.key].is_mcu for p in req.named_parts)


def _direction(library: Library, capability: str) -> str | None:
    return next((c.direction for r in library for c in r.provides if c.capability == capability), None)


def _without(clause: str, words: list[str]) -> str:
    for w in words:
        clause = re.sub(r"\b" + re.escape(w) + r"\b", " ", clause)
    return " ".join(clause.split())


def _fits(text: str, library: Library, req: Requirements) -> list[CapabilityFit]:
    """Per capability, its best fit over the readings of the goal (its clauses, see below); best first."""
    r = retriever()
    if r is None:
        return []
    cache = lib_cache(library)
    goal = cache.get("goal_fits")
    if goal is None or goal[0] is not r.index:
        goal = cache["goal_fits"] = (r.index, GoalFits.of_index(library, r.index))
    # the clauses that name the thing: a noun phrase ("a ...", "my ..."; not "something cool"), not negated, and
    # not what it is for or where it goes ("for the allotment shed": context, as in ``needs.PURPOSE``)
    # (read without the words of the board it names: "a points board on a Pico" is a points board)
    named = [p.words.lower() for p in req.named_parts if p.words]
    readings = list(dict.fromkeys(t for c in clauses(text.lower()) if not c.negated and c.joined_by not in PURPOSE
                                  and _A_THING.search(t := _without(c.text, named))))
    if not readings:
        return []
    try:
        vecs = capability_index(library).embed(readings)
    except Exception:  # no embedding model here: a goal is not read
        return []
    best: dict[str, CapabilityFit] = {}
    for vec in vecs:
        for f in goal[1].rank(r.index.similarities(vec)):
            if f.capability not in best or f.score > best[f.capability].score:
                best[f.capability] = f
    return sorted(best.values(), key=lambda f: -f.score)


def _input(fits: list[CapabilityFit], library: Library, req: Requirements, set_off: bool) -> CapabilityFit | None:
    """What notices: a sensing the goal reads clearly, else what a person works (see the module's text)."""
    ruled_out = set(req.constraints.forbidden)
    sensed = [f for f in fits if f.direction == SENSE and f.person != OPERATES and f.capability not in ruled_out]
    if sensed and sensed[0].score >= FREE and (len(sensed) == 1 or sensed[0].score - sensed[1].score >= MARGIN):
        return sensed[0]
    worked = [f for f in fits if f.direction == SENSE and f.person == OPERATES and f.capability not in ruled_out]
    if not worked or req.constraints.no_controller or set_off:
        # (with no controller an input must switch the output itself; and a request that says what sets the thing
        # off, "... when the post comes", asks for what notices that, not for a button: none is added unasked)
        return None
    if worked[0].score >= FREE and (len(worked) == 1 or worked[0].score - worked[1].score >= MARGIN):
        return worked[0]
    slugs = {f.capability: f for f in worked}
    recs = [r for r in library if any(c.capability in slugs for c in r.provides)]
    rec = most_preferred(recs, fit=lambda r: (len(r.pins),))
    if rec is None:
        return None
    return next(slugs[c.capability] for c in rec.provides if c.capability in slugs)
