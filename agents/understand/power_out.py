"""Power made for the user's own device is handed out: "a charger for my phone" is an output port.

A thing named before a clause "for <the user's device>" ("... into a charger for my phone", "a USB charger
for a smartwatch") is made for that device, and the device is no part of the design (no library name
answers to its words): it is plugged in. When the thing's head noun reads as power (a charger, an
adapter: a power capability among its close readings), the design gives that power out to the device,
so of those close readings the one that acts outward (the records' ``direction: act``) is what is asked. A part the thing's words were
resolved to that does nothing outward (a charger for a cell, read from "USB charger") was a misreading
of the thing and is dropped: the device is not a cell the design charges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.understand.needs import DEFINITE, FREE, SECOND_MARGIN, THING_OPENERS, content_words, is_filler
from agents.understand.requirements import NeededFunction
from knowledge.capabilities import capability_index
from knowledge.library import Library

PURPOSE = "for"
MAX_DEVICE_WORDS = 3  # "my phone", "an old tablet", "a kid's smartwatch": a short noun phrase
OUTWARD = "act"


@dataclass
class PowerOut:
    needs: list[NeededFunction] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)  # keys of parts misread from the thing's words
    things: list[str] = field(default_factory=list)  # the things' words: read here, not as power taken in

    def misread(self, lib: Library) -> set[str]:
        """The capabilities of the dropped parts: read from the thing's words, they were the same misreading."""
        return {c.capability for k in self.dropped if (r := lib.get(k)) is not None for c in r.provides}
    notes: list[str] = field(default_factory=list)


def power_for_a_device(low: str, cls, mention_spans: list[tuple[int, int]], named_spans: list[tuple[int, int, str]],
                       lib: Library) -> PowerOut:
    """``cls``: the request's clauses (:func:`agents.understand.needs.clauses` of ``low``); ``mention_spans``:
    where any library name stands (generic words too); ``named_spans``: (start, end, key) of named parts."""
    out = PowerOut()
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
        if thing is None:
            continue
        found.append((thing, c.text))
    if not found:
        return out
    try:
        ranked = capability_index(lib).rank([low[a:z].split()[-1] for (a, z), _ in found])
    except Exception:  # no embedding model here: nothing is read by meaning
        return out
    for ((a, z), device), hits in zip(found, ranked):
        close = [h for h in hits if h.score >= max(FREE, hits[0].score - SECOND_MARGIN)] if hits else []
        given = [h for h in close if h.direction == OUTWARD]
        if not given or not any(h.direction == "power" for h in close):
            continue  # the thing is not about power ("a lamp for my desk"): other readings decide
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
    return out


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
