"""A voltage or current the request measures, said with its range and no part for it: "measure 0-30 V with an
ESP32", "a voltmeter for up to 25 volts", "the current it draws, up to 2 A".

A quantity the units library reads in volts or amps (:func:`circuit.quantities.find_quantities`, ranges
included) is the top of a measured range when nothing else explains it (it is no rating of a part named right
after or around it, no threshold of something watched, no value another reading holds: the stated source's, a
load's, a named part's supply or draw; no single value said of the noun after it, "a 48 V pack"; and the
request names no source part to be measured: those are the source's) and the words of its sentence up to it, with the quantity read as the name of what it
is (:data:`QUANTITY_OF`), read best, by meaning (the capability index), as the first of the capabilities that serve
the measurand of that name (``knowledge/measurands.yaml``), clearly ahead of every reading that serves another
quantity (or at all ahead, where the clause reading already asked for that capability from the same words).

What it sets: ``constraints.targets["measured_v"]`` (or ``"measured_a"``), the top of the range, and the sensing
need that carries it (the need the clause reading gave, else a new one). Readings the same words were taken as
elsewhere are the measurement's, not parts to build: a supply or converter need for that voltage ("upto 15v"
read as a 15 V regulator), a source part named by the quantity ("0-24V DC" read as a 24 V adapter).
"""

from __future__ import annotations

import re
from functools import lru_cache

from agents.rules.power_tree import is_source
from agents.rules.text import NUMBER_WORDS, stem
from agents.understand.needs import clauses, is_filler
from agents.understand.requirements import NeededFunction, Requirements
from agents.understand.vocabulary import COMPARING
from circuit.quantities import find_quantities
from circuit.units import UnitError, parse_value
from knowledge.capabilities import capability_index
from knowledge.library import Library
from knowledge.measurands import load_catalog

__all__ = ["QUANTITY_OF", "TARGET_OF", "read_measured_ranges", "read_unranged_measurement"]

QUANTITY_OF = {"V": "voltage", "A": "current"}          # the unit's quantity, as the measurand catalog names it
TARGET_OF = {"V": "measured_v", "A": "measured_a"}      # where the top of the range is kept (constraints.targets)
FLOOR = 0.52   # the words must read as sensing the quantity this clearly ...
LEAD = 0.05    # ... and this far ahead of any reading that serves another quantity
MAX_COUNT = 8  # a count of inputs in digits ("4 voltages"), not a figure
_SENTENCE = re.compile(r"[.;!?](?:\s|$)")
_KIND = re.compile(r"\s*[ad]c\b")  # "24 V DC": the kind of voltage, written as part of the quantity


@lru_cache(maxsize=1)
def _measurand_capability() -> dict[str, tuple[str, ...]]:
    """The capabilities that serve each quantity (its first: the one a reading of it asks for)."""
    names = set(QUANTITY_OF.values())
    return {m.measurand: m.capabilities for m in load_catalog() if m.measurand in names and m.capabilities}


def _rating_of_named(low: str, start: int, end: int, named_spans) -> bool:
    """The quantity lies inside a part's name, or the part's name follows it ("a 12 V fan", "a 0-25V sensor")."""
    return any(a < end and start < z or 0 <= a - end <= 2 and not low[end:a].strip() for a, z, _ in named_spans)


def _window(low: str, start: int, end: int, name: str, named_spans) -> str:
    """The sentence up to the quantity, the parts it names blanked, the quantity read as its name."""
    s = max((m.end() for m in _SENTENCE.finditer(low, 0, start)), default=0)
    chars = list(low[s:start])
    for a, z, _ in named_spans:
        for i in range(max(a, s), min(z, start)):
            chars[i - s] = " "
    return re.sub(r"\s+", " ", "".join(chars) + name).strip()


def read_measured_ranges(text: str, low: str, req: Requirements, library: Library, named_spans) -> list[str]:
    """Set the measured ranges the request states; return notes on what was read. ``low``: ``text`` normalized,
    where the spans of ``named_spans`` are (the quantities are read from ``text``, whose case tells "2 A" from
    "2 a", where the two line up)."""
    caps = _measurand_capability()
    index = None
    notes: list[str] = []
    read: list[tuple[int, str]] = []  # (sentence start, capability) of the quantities read so far
    for q in find_quantities(text if len(text) == len(low) else low):
        name = QUANTITY_OF.get(q.unit)
        if name is None or name not in caps or q.value <= 0 or q.plus_minus or q.qualifier:
            continue
        # a source read from the quantity alone, its words nothing but the voltage ("0-24V DC" as a 24 V adapter),
        # is the quantity's, not a part named
        kind = _KIND.match(low, q.end)
        said = [(q.start, kind.end() if kind else q.end)]
        own = [(a, z, k) for a, z, k in named_spans if k in library and is_source(library[k])
               and any(x <= a and z <= y for x, y in said)]
        named = [s for s in named_spans if s not in own]
        if _rating_of_named(low, q.start, q.end, named):
            continue
        if any(k in library and is_source(library[k]) for _, _, k in named):
            continue  # a source the request names is what it measures: its own voltage, not a range to size
        if _explained(q, req, library, {k for _, _, k in own}):
            continue
        if not q.is_range and _qualifies_a_noun(low, kind.end() if kind else q.end):
            continue  # "the 24 V rail of my supply", "a 48 V pack": one value said of a thing is that thing's voltage
        before = re.findall(r"[a-z]+", low[max(0, q.start - 24):q.start])
        if before and before[-1] in COMPARING:
            continue  # "below 11.8 V": a threshold of what is watched
        window = _window(low, q.start, q.end, name, named)
        if len(window.split()) < 2:
            continue
        index = index or capability_index(library)
        hits = index.rank([window])[0]
        if not hits:
            continue
        serves, top = caps[name], hits[0]
        cap = serves[0]
        s = max((m.end() for m in _SENTENCE.finditer(low, 0, q.start)), default=0)
        # (a quantity read before it in the sentence answers its own reading: "up to 12 V and up to 2 A")
        before_read = {c for at, c in read if at == s and c != cap}
        rivals = [h.score for h in hits if h.capability not in serves and h.capability not in before_read]
        # the clause reading (agents.understand.needs) read the same words as the quantity's first capability:
        # two readings agree, and the lead over the rest need not be as wide
        agreed = any(n.capability == cap and n.words and n.words in low[s:q.end] for n in req.needs)
        if top.capability != cap or top.score < FLOOR \
                or (rivals and top.score - max(rivals) < (0.0 if agreed else LEAD)):
            continue
        read.append((s, cap))
        key = TARGET_OF[q.unit]
        value = max(q.value, req.constraints.targets.get(key, 0.0))
        req.constraints.targets[key] = value
        words = low[s:q.end].strip()
        need = next((n for n in req.needs if n.capability == cap), None)
        if need is None:
            need = NeededFunction(capability=cap, words=words, target={key: value}, score=round(top.score, 3))
            req.needs.append(need)
        else:
            need.target[key] = value
        need.count = max(need.count, _counted(words, name))
        notes.append(f"'{q.raw}' is the range measured ({name} up to {q.value:g} {q.unit}): an input read by {cap}.")
        notes += _not_a_supply(req, library, q, own)
    return notes


def read_unranged_measurement(low: str, req: Requirements, library: Library, named_spans) -> list[str]:
    """A clause naming no part that reads best, by meaning, as measuring a voltage or current (the first capability
    of the measurand), with no range said: "a voltmeter with an ESP32 and an OLED". A reading that a part named in
    another clause gives (the OLED shows) is no rival: that part answers it already. Asked when no need has it yet
    (the planner sizes the input for what the library's voltage board takes)."""
    firsts = {c[0] for c in _measurand_capability().values()}
    have = {c.capability for p in req.named_parts if p.key in library for c in library[p.key].provides}
    if have & firsts or any(n.capability in firsts for n in req.needs):
        return []
    cls = [c for c in clauses(low) if not c.negated and not c.names_part
           and not any(a < c.end and c.start < z for a, z, _ in named_spans)]
    if not cls:
        return []
    index = capability_index(library)
    for c, hits in zip(cls, index.rank([c.text for c in cls])):
        if not hits or hits[0].capability not in firsts or hits[0].score < FLOOR:
            continue
        top = hits[0]
        serves = next(v for v in _measurand_capability().values() if v[0] == top.capability)
        rivals = [h.score for h in hits if h.capability not in serves and h.capability not in have]
        if rivals and top.score - max(rivals) < LEAD:
            continue
        req.needs.append(NeededFunction(capability=top.capability, words=c.text, score=round(top.score, 3)))
        return [f"'{c.text}' reads as measuring ({top.capability}) with no range said."]
    return []


def _qualifies_a_noun(low: str, end: int) -> bool:
    """The quantity stands before a word that asks for something by itself (a noun it describes), not before a
    joining word, a punctuation mark or the end."""
    nxt = re.match(r"\s*([a-z]+)", low[end:])
    return nxt is not None and not is_filler(nxt.group(1))


def _explained(q, req: Requirements, library: Library, own: set[str]) -> bool:
    """Another reading of the request already holds the quantity: the stated source's voltage (unless read from
    the quantity alone), a load's or logic voltage, a threshold or output asked, a named part's stated supply,
    voltage or current ("a pump that pulls 8 A", "the Pico needs 12 V")."""
    c = req.constraints
    known: set[float | None] = set()
    if q.unit == "V":
        src = c.source if c.source is not None and c.source.key not in own else None
        known |= {src.total_volts if src else None, src.volts if src else None, c.load_volts, c.logic_volts,
                  c.targets.get("split_supply_v"), c.targets.get("threshold_v"), c.targets.get("vout")}
    for p in req.named_parts:
        for v in p.attrs.values():
            try:
                known.add(parse_value(str(v), q.unit))
            except (UnitError, ValueError):
                continue
    return any(k is not None and abs(k - q.value) < 0.05 for k in known)


def _counted(words: str, name: str) -> int:
    """How many of the quantity the words count ("two voltages, each up to 20 V"): a count right before its name."""
    toks = re.findall(r"[a-z0-9]+", words)
    for i, t in enumerate(toks[1:], 1):
        if stem(t) == name and t != name:  # the name in the plural, after its count
            c = toks[i - 1]
            n = int(c) if c.isdigit() and int(c) <= MAX_COUNT else NUMBER_WORDS.get(c)
            if n and n > 1:
                return n
    return 1


def _not_a_supply(req: Requirements, library: Library, q, own) -> list[str]:
    """What the quantity's words were also read as (a supply or converter for that voltage, a source part read
    from it, ``own``) is the measurement's."""
    notes = []
    if q.unit != "V":
        return notes
    same = [n for n in req.needs if _direction(library, n.capability) == "power"
            and abs((n.target.get("volts") or -1.0) - q.value) < 0.05]
    if same:
        req.needs = [n for n in req.needs if n not in same]
        notes.append(f"'{q.raw}' is measured, not a supply: " + ", ".join(n.capability for n in same) + " dropped.")
    inside = {k for _, _, k in own}
    src = req.constraints.source
    gone = [p for p in req.named_parts if p.key in inside and is_source(library[p.key])]
    if gone:
        req.named_parts = [p for p in req.named_parts if p not in gone]
        notes.append(f"'{q.raw}' is measured, not a source: " + ", ".join(p.key for p in gone) + " dropped.")
    if src is not None and src.key in {p.key for p in gone}:
        req.constraints.source = None
    return notes


def _direction(library: Library, capability: str) -> str | None:
    return next((c.direction for r in library for c in r.provides if c.capability == capability), None)
