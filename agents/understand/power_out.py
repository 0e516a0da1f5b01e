"""Power made for the user's own device is handed out: "a charger for my phone" is an output port.

A clause whose object is the user's device and which gives it a voltage ("gives my phone 5 V": a quantity
in volts, read with the units library) hands power out the same way.

A source named with the output side right after it ("usb 5v out", "a 5 V USB output") is what the design
gives out, not what it runs from: the side is read with the record model's own name for it (the ``out``
of a ``power_out`` pin), and the port whose outward capability the source's words read best is asked for.

A thing named before a clause "for <the user's device>" ("... into a charger for my phone", "a USB charger
for a smartwatch") is made for that device, and the device is no part of the design (no library name
answers to its words), and the thing holds no part of the design: it is plugged in. When the thing's
head noun reads as power first (a charger, an adapter), the design gives that power out to the device,
so of the head noun's close readings the one that acts outward (the records' ``direction: act``) is
what is asked. A part the thing's words were resolved to that does nothing outward (a charger for a
cell, read from "USB charger") was a misreading of the thing and is dropped: the device is not a cell
the design charges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import get_args

from agents.rules.power_tree import is_source
from agents.understand.needs import DEFINITE, FREE, SECOND_MARGIN, THING_OPENERS, content_words, is_filler
from agents.understand.requirements import NeededFunction
from circuit.quantities import find_quantities
from knowledge.capabilities import capability_index
from knowledge.library import Library
from knowledge.record import ComponentRecord, PinType

PURPOSE = "for"
MAX_DEVICE_WORDS = 3  # "my phone", "an old tablet", "a kid's smartwatch": a short noun phrase
OUTWARD = "act"
OWNED = re.compile(r"\b(?:my|our|your|his|her|their)\s+([a-z0-9-]+(?:\s+[a-z0-9-]+){0,2})")  # the user's thing
MAX_ACTION_WORDS = 2  # "charge", "top up": what is done to the device, not a sentence about it
# the side a pin gives power on, as the record model names it ("power_out" -> "out"): "usb 5v out", "output"
OUT_SIDE = next(t.split("_", 1)[1] for t in get_args(PinType) if t.startswith("power_") and t != "power_in")
FROM = "of"  # "out of": where a thing comes from, not a side it gives power on


@dataclass
class PowerOut:
    needs: list[NeededFunction] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)  # keys of parts misread from the thing's words
    things: list[str] = field(default_factory=list)  # the things' words: read here, not as power taken in
    actions: list[str] = field(default_factory=list)  # clauses whose power goes to the user's device
    notes: list[str] = field(default_factory=list)

    def replaces(self, need: NeededFunction, lib: Library) -> bool:
        """A need read from the same words as power taken in: the capabilities of a dropped part read from a
        thing's words, or a power reading of a clause whose power goes to the user's device."""
        words = " ".join(need.words.lower().split())
        misread = {c.capability for k in self.dropped if (r := lib.get(k)) is not None for c in r.provides}
        if need.capability in misread and any(t in words for t in self.things):
            return True
        return (words in self.actions or words in self.things) and _direction(lib, need.capability) == "power"


def power_for_a_device(low: str, cls, mention_spans: list[tuple[int, int]], named_spans: list[tuple[int, int, str]],
                       lib: Library) -> PowerOut:
    """``cls``: the request's clauses (:func:`agents.understand.needs.clauses` of ``low``); ``mention_spans``:
    where any library name stands (generic words too); ``named_spans``: (start, end, key) of named parts."""
    out = PowerOut()
    _source_named_as_output(low, named_spans, lib, out)
    _thing_for_a_device(low, cls, mention_spans, named_spans, lib, out)
    _power_done_to_a_device(low, cls, mention_spans, lib, out)
    return out


def _source_named_as_output(low: str, named_spans, lib: Library, out: PowerOut) -> None:
    """A source named with the output side right after it ("usb 5v out", "5v usb output"): the design gives that
    power out through a port, so the port whose outward capability the source's words read best is asked for
    and the source is dropped."""
    found, made = [], []
    for s, e, key in named_spans:
        rec = lib.get(key)
        after = re.match(r"[\s-]*(?:[a-z][\s-]+)?([a-z]+)(?:\s+([a-z]+))?", low[e:])  # (a lone letter ends a name: "usb-a")
        if rec is not None and _made_from_another_source(low, e, rec, named_spans, lib):
            made.append((s, e, key))
            continue
        if rec is None or not is_source(rec) or after is None or not after.group(1).startswith(OUT_SIDE) \
                or after.group(2) == FROM:
            continue
        found.append((s, e + after.end(1), key))
    # made from the source named after it: the reading that parts taking power in give (a regulator or a
    # converter, not an adapter)
    if made:
        converting = {c.capability for r in lib if r.pins_of_type("power_in") and not r.is_mcu
                      for c in r.provides if c.direction == "power"}
        _ask_in_place(low, made, converting, lib, out, "the design makes this supply from the source named after it")
    if found:
        ports = {c.capability for r in lib if _is_port(r) for c in r.provides if c.direction == OUTWARD}
        _ask_in_place(low, found, ports, lib, out, "the design gives this power out")


def _ask_in_place(low: str, spans, allowed: set[str], lib: Library, out: PowerOut, what: str) -> None:
    """Each named source at ``spans`` (start, end, key) is asked as the best reading of its words among
    ``allowed`` (at least ``FREE``), in place of the source, which is dropped."""
    try:
        ranked = capability_index(lib).rank([low[s:e] for s, e, _ in spans])
    except Exception:  # no embedding model here: nothing is read by meaning
        return
    for (s, e, key), hits in zip(spans, ranked):
        h = next((h for h in hits if h.capability in allowed and h.score >= FREE), None)
        if h is None:
            continue
        words = " ".join(low[s:e].split())
        out.needs.append(NeededFunction(capability=h.capability, words=words, score=round(h.score, 3)))
        out.dropped.add(key)
        out.things.append(words)
        out.notes.append(f"'{words}': {what} ({h.capability}); it is not the source.")


def _made_from_another_source(low: str, end: int, rec: ComponentRecord, named_spans, lib: Library) -> bool:
    """A standalone source (no power input of its own: an adapter) named, then "from" and another source
    right after it ("a 12 V supply from four lithium cells"): an adapter runs from nothing in a design, so it is
    the power the design makes out of the other source."""
    if not is_source(rec) or rec.pins_of_type("power_in"):
        return False
    link = re.match(r"\s+(?:from|off)\s+(?:(?:a|an|the|my|one|two|three|four)\s+)?", low[end:])
    if link is None:
        return False
    at = end + link.end()
    return any(s == at and (r := lib.get(k)) is not None and is_source(r) and r.key != rec.key
               for s, _, k in named_spans)


def _thing_for_a_device(low: str, cls, mention_spans, named_spans, lib: Library, out: PowerOut) -> None:
    """A thing named for the user's device: "... into a charger for my phone"."""
    found = []
    for prev, c in zip(cls, cls[1:]):
        if c.joined_by != PURPOSE or c.negated or prev.negated or low[prev.end:c.start].strip() != PURPOSE:
            continue
        first = re.findall(r"[a-z']+", c.text.lower())[:1]
        device = content_words(c.text)
        if not first or first[0] not in THING_OPENERS | DEFINITE or not 1 <= len(device) <= MAX_DEVICE_WORDS:
            continue
        if any(a < c.end and c.start < z for a, z in mention_spans):
            continue  # "a charger for the battery": a part of the design, not the user's device
        thing = _trailing_noun_phrase(low, prev.start, prev.end)
        if thing is None or any(a < thing[1] and thing[0] < z for a, z in mention_spans):
            continue  # (a thing holding parts of the design, "a board running 8 servos", is the design itself)
        found.append((thing, c.text))
    if not found:
        return
    try:
        ranked = capability_index(lib).rank([low[a:z].split()[-1] for (a, z), _ in found])
    except Exception:  # no embedding model here: nothing is read by meaning
        return
    for ((a, z), device), hits in zip(found, ranked):
        if not hits or hits[0].direction != "power":
            continue  # the thing is not about power ("a lamp for my desk"): other readings decide
        given = [h for h in hits if h.direction == OUTWARD and h.score >= max(FREE, hits[0].score - SECOND_MARGIN)]
        if not given:
            continue
        h = given[0]
        words = f"{' '.join(low[a:z].split())} {PURPOSE} {device}"
        out.needs.append(NeededFunction(capability=h.capability, words=words, score=round(h.score, 3)))
        out.things.append(" ".join(low[a:z].split()))
        for s, e, key in named_spans:
            rec = lib.get(key)
            if rec is not None and a <= s and e <= z and not any(x.direction == OUTWARD for x in rec.provides):
                out.dropped.add(key)
                out.notes.append(f"'{words}': the device is plugged in, so the design gives power out "
                                 f"({h.capability}); '{low[s:e]}' is not {rec.name}.")


def _power_done_to_a_device(low: str, cls, mention_spans, lib: Library, out: PowerOut) -> None:
    """A clause whose action reads as power and whose object is the user's own device ("to charge my
    earbuds", "tops up my phone"): the power goes out to the device through a port, the capability of the
    records that are ports (``category: interface``) acting outward on a rail they are given (their pins
    take a rail and nothing else); of those, the one the clause reads best."""
    ports = {c.capability for r in lib if _is_port(r) for c in r.provides if c.direction == OUTWARD}
    if not ports or any(n.capability in ports for n in out.needs):
        return
    found = []
    for c in cls:
        if c.negated:
            continue
        owned = [m for m in OWNED.finditer(c.text.lower())]
        device = {w for m in owned for w in m.group(1).split()}
        action = [w for w in content_words(c.text) if w not in device]
        if not owned or not 1 <= len(action) <= MAX_ACTION_WORDS:
            continue
        if any(a < c.end and c.start < z for a, z in mention_spans):
            continue  # a part of the design is in the clause: it is not only about the user's device
        found.append((c, " ".join(action)))
    if not found:
        return
    try:
        ranked = capability_index(lib).rank([a for _, a in found] + [c.text for c, _ in found])
    except Exception:  # no embedding model here: nothing is read by meaning
        return
    for (c, action), verb, whole in zip(found, ranked, ranked[len(found):]):
        volts = any(q.unit == "V" for q in find_quantities(c.text))  # what it gives is a voltage: power
        if not volts and (not verb or verb[0].direction != "power"):
            continue  # the action is not about power ("text my phone")
        h = next((h for h in whole if h.capability in ports), None)
        if h is None:
            continue
        words = " ".join(c.text.lower().split())
        out.needs.append(NeededFunction(capability=h.capability, words=c.text, score=round(h.score, 3)))
        out.actions.append(words)
        out.notes.append(f"'{c.text}': the power goes out to the user's device ({h.capability}).")
        return


def _is_port(rec: ComponentRecord) -> bool:
    """A port: an interface whose pins take a rail and hand it on (power in, ground, nothing else)."""
    return rec.category == "interface" and any(p.type == "power_in" for p in rec.pins) \
        and all(p.type in ("power_in", "ground", "nc") for p in rec.pins)


def _direction(lib: Library, capability: str) -> str | None:
    return next((c.direction for r in lib for c in r.provides if c.capability == capability), None)


def _trailing_noun_phrase(low: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the words that end a clause after its last article, joining word or symbol
    ("turn an old 18650 into a charger" -> "charger"; "can it become a usb charger" -> "usb charger")."""
    words = list(re.finditer(r"\S+", low[start:end]))
    first = None
    for w in reversed(words):
        t = w.group(0)
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", t) or is_filler(t):
            break
        first = w
    if first is None or not words[-1].group(0).isalpha():
        return None
    return start + first.start(), start + words[-1].end()
