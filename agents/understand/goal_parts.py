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

import numpy as np

from agents.rules.part_search import lib_cache, retriever
from agents.understand.goal_people import people_count, per_person
from agents.understand.needs import CONDITION, DEFINITE, FREE, MARGIN, PURPOSE, THING_OPENERS, clauses
from agents.understand.requirements import AskedFunction, NeededFunction, Requirements
from knowledge.capabilities import capability_index
from knowledge.goal_fit import CapabilityFit, GoalFits
from knowledge.library import Library
from knowledge.measurands import READS_AS_MEASURING, MeasurandIndex
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
# the capability of a clock, which keeps the time of day (record ``provides``): a time kept is a time to read
CLOCK = "keep-time"
# records that notice something (record ``category``), and the pin functions of a bus a reading is sent over
EVENT_CATEGORIES = frozenset({"sensor", "input"})
BUS_FUNCTIONS = ("i2c", "spi", "uart", "i2s", "onewire", "one_wire", "clock", "data")
# records that show what a device keeps, and those that sound (record ``category``)
SHOWS = frozenset({"display"})
SOUNDS = frozenset({"audio"})
TIMING = "timing"  # the capability of a timer (record ``provides``), whose texts say what a timer does
# a noun phrase naming a thing to be built: an indefinite opener ("a ..."), not the user's own thing ("my ...": it is
# acted on, as in ``needs``)
_A_THING = re.compile(r"\b(?:" + "|".join(sorted(THING_OPENERS - DEFINITE)) + r")\s+[a-z0-9]", re.IGNORECASE)


def read_goal(text: str, library: Library, req: Requirements) -> list[str]:
    """Add to ``req`` the needs a goal-only request implies; return the notes saying so ([] when the request
    names parts or functions of its own, or reads as no goal)."""
    ties = _worked_ties(library, req)
    if not _names_only_a_goal(req, library):
        return ties + _inputs_per_person(text, library, req)
    fits = _fits(text, library, req)
    if not fits:
        return []
    has = [n.capability for n in req.needs]
    if has and not _opens_with_the_thing(text):
        return []  # (what it needs was read from a request about parts, "an ESP32 reading a probe": not a goal)
    ruled = _ruled_out_kinds(req, library)
    out = [f for f in fits if f.direction in OUT and f.categories <= OUTPUT_CATEGORIES
           and f.capability not in req.constraints.forbidden and not (f.categories and f.categories <= ruled)]
    set_off = any(c.joined_by in CONDITION for c in clauses(text.lower()))
    added: list[CapabilityFit] = []
    shown = None
    # (what the request reads by meaning is its own: the goal only adds the side it lacks where nothing else
    # says what sets the thing off, and an input only to a goal read as nothing else)
    if not any(_is_output(library, c) for c in has) and not (has and set_off):
        # a clause understanding read too loosely to ask for one function still says which outputs answer it
        # (``req.asked``): the best-fitting of those, else the best output at ``OUTPUT_FLOOR``
        read = {cap for a in req.asked for cap in a.any_of}
        shown = next((f for f in out if f.capability in read), None)
        if shown is None and out and out[0].score >= OUTPUT_FLOOR:
            shown = out[0]
        if shown is None and not req.needs:
            return []  # (a goal that fits no output and asks for nothing else is too vague to design)
        if shown is not None:
            added.append(shown)
    if not any(_direction(library, c) == SENSE for c in has):
        # (a goal read as more than a time kept takes only a meter's sensor: what it measures, read by meaning)
        heard = _input(text, fits, library, req, set_off,
                       measured_only=any(_direction(library, c) != KEEPS_TIME for c in has))
        if heard is not None:
            added.append(heard)
    chosen = has + [f.capability for f in added]
    # the thing itself keeps time: a clock, or a timer named as the thing ("a kitchen timer": a timing read from
    # the noun phrase that names it, not how an output behaves, "a lamp that turns off after an hour")
    timer = not req.constraints.no_controller and any(
        _timed(library, n.capability) and _A_THING.search(n.words) for n in req.needs)
    if (CLOCK in chosen or timer) and not any(_shows(library, c) for c in chosen):
        # the time a clock or a timer keeps is there to be read: it is shown, whatever else it does
        face = _best_by(library, [f for f in out if f.categories <= SHOWS], CLOCK)
        if face is not None:
            added.append(face)
            chosen.append(face.capability)
    if timer and not any(_sounds(library, c) for c in chosen):
        # and a timer's end is announced: the sounder that best answers the timing's own texts
        bell = _best_by(library, [f for f in out if f.categories & SOUNDS], TIMING)
        if bell is not None:
            added.append(bell)
    words = " ".join(text.split())
    notes = ties
    for f in added:
        req.needs.append(NeededFunction(capability=f.capability, words=words, score=round(f.score, 3)))
        notes.append(f"the goal '{words}' names no part: it needs {f.capability} "
                     f"(read by meaning, {f.score:.2f} from {f.key}'s texts).")
    # several people taking part each work an input of their own ("for three teams", "a chess clock for two
    # players"): the input a person works that was read, else the one the goal fits best
    people = _people(text, library)
    worked = [n for n in req.needs if _worked(library, n.capability)]
    if people > 1 and not worked and not req.constraints.no_controller:
        pick = _worked_input([f for f in fits if f.direction == SENSE and f.person == OPERATES
                              and f.capability not in req.constraints.forbidden], library)
        if pick is not None:
            req.needs.append(NeededFunction(capability=pick.capability, words=words, score=round(pick.score, 3)))
            worked = [req.needs[-1]]
    for n in worked:
        if people > n.count:
            n.count = people
            notes.append(f"'{words}' is for {people} people: {people} x {n.capability}, one each.")
    for f in added:
        if f.direction in OUT:
            req.asked.append(AskedFunction(words=words, any_of=[f.capability], score=round(f.score, 3)))
    return notes


def _inputs_per_person(text: str, library: Library, req: Requirements) -> list[str]:
    """A thing several people stated take part in: an input a person works named once and handed to each of them
    ("each of us gets a button", "a button per player") comes once per person; a thing whose output is named ("a
    quiz buzzer for three teams") gets an input of their own for each, the one a person works that the goal
    fits best."""
    if req.unknown or req.analog_blocks:
        return []
    mine = [p for p in req.named_parts if _works(library, p.key)]
    if mine:
        # (named with no word handing it out, the input is the one the request asks for: "a scoreboard for two
        # teams with a reset button")
        one = [p for p in mine if p.count == 1]
        if len(one) != 1 or len(mine) != 1 or not _handed_out(text, library):
            return []
        people = _people(text, library)
        if people < 2:
            return []
        one[0].count = people
        return [f"'{' '.join(text.split())}' is for {people} people: {people} x {one[0].key}, one each."]
    if req.constraints.source is not None or req.constraints.no_controller \
            or not _opens_with_the_thing(text) or any(_direction(library, n.capability) == SENSE for n in req.needs):
        return []
    if not all(library[p.key].is_mcu or library[p.key].category in OUTPUT_CATEGORIES for p in req.named_parts):
        return []
    people = _people(text, library)
    if people < 2:
        return []
    words = " ".join(text.split())
    # (the thing may be named by the output alone, "a quiz buzzer": then read with its words)
    fits = _fits(text, library, req) or _fits(text, library, req, keep_named=True)
    ruled_out = set(req.constraints.forbidden)
    worked = [f for f in fits if f.direction == SENSE and f.person == OPERATES and f.capability not in ruled_out]
    pick = _worked_input(worked, library)
    if pick is None:
        return []
    req.needs.append(NeededFunction(capability=pick.capability, words=words, count=people, score=round(pick.score, 3)))
    return [f"'{words}' is for {people} people: {people} x {pick.capability}, one each."]


def _worked_ties(library: Library, req: Requirements) -> list[str]:
    """A clause read as several inputs a person works, none clearly ahead ("a clicker": a rotary knob's click or a
    push button's), asks for the one of the most common record a person works, as a goal's input is chosen
    (``_worked_input``); one clearly ahead stays."""
    notes = []
    for a in req.asked:
        worked = [c for c in a.any_of if _worked(library, c) and _direction(library, c) == SENSE]
        need = next((n for n in req.needs if n.capability in worked and n.words == a.words), None)
        if len(worked) < 2 or need is None:
            continue
        try:
            hits = {h.capability: h.score for h in capability_index(library).rank([a.words])[0]}
        except Exception:  # no embedding model here: the reading stays
            return notes
        ranked = sorted(worked, key=lambda c: -hits.get(c, 0.0))
        if hits.get(ranked[0], 0.0) - hits.get(ranked[1], 0.0) >= MARGIN:
            continue
        recs = [r for r in library if any(c.capability in worked for c in r.provides)]
        rec = most_preferred(recs, fit=lambda r: (len(r.pins),))
        pick = next((c.capability for c in rec.provides if c.capability in worked), None) if rec else None
        if pick is not None and pick != need.capability:
            notes.append(f"'{a.words}' reads as {' or '.join(ranked)} alike: the most common, {pick}.")
            need.capability = pick
    return notes


def _names_only_a_goal(req: Requirements, library: Library) -> bool:
    """The request asks for no part, no power and no block of its own: a board at most. What it needs, read by
    meaning, may be one side of the thing ("a chess clock": a clock that shows digits); the goal completes it."""
    if req.unknown or req.analog_blocks:
        return False
    if any(_direction(library, n.capability) == "power" for n in req.needs):
        return False
    # (a source, a converter or a charger named or a supply stated is power asked for: a design of its own, "top
    # up a cell from a panel", "run my gadget off the scooter's battery")
    return req.constraints.source is None and all(library[p.key].is_mcu for p in req.named_parts)


def _opens_with_the_thing(text: str) -> bool:
    """The request opens with the thing to build, an indefinite noun phrase ("a chess clock ..."), so what it needs
    was read from the thing itself."""
    cls = clauses(text.lower())
    return bool(cls) and not cls[0].negated and re.match(
        r"\W*(?:" + "|".join(sorted(THING_OPENERS - DEFINITE)) + r")\s+[a-z0-9]", cls[0].text.lower()) is not None


def _ruled_out_kinds(req: Requirements, library: Library) -> set[str]:
    """The kinds of part the request rules out ("no display"): a ruled-out part's or capability's providers all
    of one record category."""
    kinds: set[str] = set()
    for item in req.constraints.forbidden:
        recs = [library[item]] if item in library else [r for r in library
                                                         if any(c.capability == item for c in r.provides)]
        cats = {r.category for r in recs}
        if len(cats) == 1:
            kinds |= cats
    return kinds


def _is_output(library: Library, capability: str) -> bool:
    """Records that provide it are all themselves an output a person sees, hears or that moves."""
    recs = [r for r in library if any(c.capability == capability and c.direction in OUT for c in r.provides)]
    return bool(recs) and all(r.category in OUTPUT_CATEGORIES for r in recs)


def _shows(library: Library, capability: str) -> bool:
    """Some record that provides it is a display."""
    return any(r.category in SHOWS and any(c.capability == capability for c in r.provides) for r in library)


def _sounds(library: Library, capability: str) -> bool:
    """Some record that provides it is a sounder."""
    return any(r.category in SOUNDS and any(c.capability == capability for c in r.provides) for r in library)


def _timed(library: Library, capability: str) -> bool:
    """A function in time only a controller's firmware or a timer keeps (direction compute, described by the
    records as behaviours in time: blinking, a delay, a one-shot)."""
    return any(c.capability == capability and c.direction == KEEPS_TIME and c.behaviour
               for r in library for c in r.provides)


def _worked(library: Library, capability: str) -> bool:
    """A person works it on purpose (record ``person``)."""
    return any(c.capability == capability and c.person == OPERATES for r in library for c in r.provides)


def _works(library: Library, key: str) -> bool:
    """A record a person works on purpose (some capability it provides, record ``person``)."""
    return any(c.person == OPERATES and c.direction == SENSE for c in library[key].provides)


def _people(text: str, library: Library) -> int:
    try:
        return people_count(text, capability_index(library).embed)
    except Exception:  # no embedding model here: one input
        return 1


def _handed_out(text: str, library: Library) -> bool:
    try:
        return per_person(text, capability_index(library).embed)
    except Exception:  # no embedding model here: nothing is read as handed out
        return False


def _direction(library: Library, capability: str) -> str | None:
    return next((c.direction for r in library for c in r.provides if c.capability == capability), None)


def _without(clause: str, words: list[str]) -> str:
    for w in words:
        clause = re.sub(r"\b" + re.escape(w) + r"\b", " ", clause)
    return " ".join(clause.split())


def _best_by(library: Library, outs: list[CapabilityFit], capability: str) -> CapabilityFit | None:
    """Of the outputs that fit the goal, the one that best answers what ``capability`` does: ranked by that
    capability's own texts (the records' ``provides`` descriptions: what a clock keeps, what a timer does at its
    end), not by the goal's words; the goal's best where no text can be read."""
    if not outs:
        return None
    texts = sorted({c.description for r in library for c in r.provides if c.capability == capability})
    ranked = _ranked(texts, library) if texts else {}
    if not all(f.capability in ranked for f in outs):
        return outs[0]
    return max(outs, key=lambda f: ranked[f.capability].score)


def _ranked(texts: list[str], library: Library) -> dict[str, CapabilityFit]:
    """Per capability, its best fit over ``texts`` ({} without a model)."""
    r = retriever()
    if r is None:
        return {}
    cache = lib_cache(library)
    goal = cache.get("goal_fits")
    if goal is None or goal[0] is not r.index:
        goal = cache["goal_fits"] = (r.index, GoalFits.of_index(library, r.index))
    try:
        vecs = capability_index(library).embed(texts)
    except Exception:  # no embedding model here
        return {}
    best: dict[str, CapabilityFit] = {}
    for vec in vecs:
        for f in goal[1].rank(r.index.similarities(vec)):
            if f.capability not in best or f.score > best[f.capability].score:
                best[f.capability] = f
    return best


def _thing_readings(text: str, named: list[str]) -> list[str]:
    return list(dict.fromkeys(t for c in clauses(text.lower()) if not c.negated and c.joined_by not in PURPOSE
                              and _A_THING.search(t := _without(c.text, named))))


def _fits(text: str, library: Library, req: Requirements, keep_named: bool = False) -> list[CapabilityFit]:
    """Per capability, its best fit over the readings of the goal (its clauses, see below); best first."""
    # the clauses that name the thing: a noun phrase ("a ...", "my ..."; not "something cool"), not negated, and
    # not what it is for or where it goes ("for the allotment shed": context, as in ``needs.PURPOSE``)
    # (read without the words of the board it names: "a points board on a Pico" is a points board)
    readings = _thing_readings(text, [] if keep_named else [p.words.lower() for p in req.named_parts if p.words])
    if not readings:
        return []
    best = _ranked(readings, library)
    return sorted(best.values(), key=lambda f: -f.score)


def _input(text: str, fits: list[CapabilityFit], library: Library, req: Requirements, set_off: bool,
           measured_only: bool = False) -> CapabilityFit | None:
    """What notices: a sensing the goal reads clearly, a meter's sensor, else what a person works (see the
    module's text); ``measured_only``: only a meter's sensor."""
    ruled_out = set(req.constraints.forbidden)
    sensed = [f for f in fits if f.direction == SENSE and f.person != OPERATES and f.capability not in ruled_out]
    clear = sensed and sensed[0].score >= FREE and (len(sensed) == 1 or sensed[0].score - sensed[1].score >= MARGIN)
    if clear and not measured_only:
        return sensed[0]
    # a meter of what happens by itself ("a rpm readout": how fast a shaft turns): the goal reads as measuring a
    # quantity (``knowledge.measurands``) that a sensor noticing each event serves (a magnet passing, a beam
    # broken: one pulse per event, which the controller counts and times), not anything a person presses
    measured = _measured(text, library) if not (req.constraints.no_controller or set_off) else set()
    events = [f for f in sensed if f.capability in measured
              and (rec := library.get(f.key)) is not None and notices_events(rec)]
    if events:
        return events[0]
    if measured_only:
        return None
    worked = [f for f in fits if f.direction == SENSE and f.person == OPERATES and f.capability not in ruled_out]
    if not worked or req.constraints.no_controller or set_off:
        # (with no controller an input must switch the output itself; and a request that says what sets the thing
        # off, "... when the post comes", asks for what notices that, not for a button: none is added unasked)
        return None
    return _worked_input(worked, library)


def _worked_input(worked: list[CapabilityFit], library: Library) -> CapabilityFit | None:
    """The input a person works that the goal reads clearly, else the one of the most common record a person works
    (fewest pins first)."""
    if not worked:
        return None
    if worked[0].score >= FREE and (len(worked) == 1 or worked[0].score - worked[1].score >= MARGIN):
        return worked[0]
    slugs = {f.capability: f for f in worked}
    recs = [r for r in library if any(c.capability in slugs for c in r.provides)]
    rec = most_preferred(recs, fit=lambda r: (len(r.pins),))
    if rec is None:
        return None
    return next(slugs[c.capability] for c in rec.provides if c.capability in slugs)


def notices_events(rec) -> bool:
    """A sensor whose reading is an event, one edge or contact at a time (record pins: a digital output or switch
    contacts), not a value read over a bus."""
    if rec.category not in EVENT_CATEGORIES:
        return False
    fns = {f for p in rec.pins for f in (p.functions or [])}
    if any(f.startswith(BUS_FUNCTIONS) for f in fns) or any(p.type == "analog_out" for p in rec.pins):
        return False  # (a value: sent over a bus or clocked out, or a voltage a threshold only cuts into events)
    return any(p.type == "digital_out" for p in rec.pins) or any(f.startswith("contact_") for f in fns)


def _measured(text: str, library: Library) -> set[str]:
    """The sensing capabilities of the served quantities the goal reads as measuring (its thing clauses, each at
    ``READS_AS_MEASURING`` or closer to a quantity's description); empty without a model."""
    cache = lib_cache(library)
    index = cache.get("goal_measurands")
    if index is None:
        try:
            index = cache["goal_measurands"] = MeasurandIndex(library)
        except Exception:  # no catalog or vectors here: nothing reads as measured
            return set()
    readings = _thing_readings(text, [])
    if not readings or index.vectors is None or not len(index.vectors):
        return set()
    try:
        vecs = capability_index(library).embed(readings)
    except Exception:
        return set()
    out: set[str] = set()
    for vec in vecs:
        sims = index.vectors @ vec
        for j in np.flatnonzero((sims >= READS_AS_MEASURING) & index.served):
            out.update(index.catalog[int(j)].capabilities)
    return out
