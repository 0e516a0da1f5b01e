"""A display named by its kind alone, inside a clause about something else: "print the temperature from a
DS18B20 on a small screen", "show humidity on a little display using an ESP32".

A word that only names a kind ("screen", "display") is no part by itself (:data:`agents.rules.mentions.GENERIC`);
where its clause is read as a whole, the part the clause names (the sensor) explains it and the screen is lost.
Its noun phrase ("a small screen") is read on its own against the records' capabilities: when it reads, clearly
enough (``FREE``), as something only displays do, it asks for that, and the requirement gate takes any display
it reads as that clearly. Nothing is added where the request names a display already, asks for one by meaning, or rules
that out.
"""

from __future__ import annotations

import re

from agents.rules.mentions import GENERIC
from agents.rules.part_search import looks_like_part_number
from agents.understand.needs import FREE, clauses, is_filler
from agents.understand.requirements import AskedFunction, NeededFunction, Requirements
from knowledge.capabilities import capability_index
from knowledge.english import english_frequency
from knowledge.library import Library

ARTICLES = {"a", "an", "the", "my", "our", "some", "one"}
NEGATOR = re.compile(r"\b(?:no|not|without|never|avoid)\b(?:\s+[a-z-]+){0,2}\s*$")
EVERYDAY = 10000  # a word at least this frequent in the English list's corpus is an everyday word
MODIFIERS = 2  # the words a kind word's noun phrase may carry before it ("a small colour screen")


def _display_only(library: Library) -> set[str]:
    """The output capabilities every provider of which is a display."""
    cats: dict[str, set[str]] = {}
    for r in library:
        for c in r.provides:
            if c.direction == "act":
                cats.setdefault(c.capability, set()).add(r.category)
    return {cap for cap, cs in cats.items() if cs == {"display"}}


def _noun_phrase(low: str, start: int, end: int) -> str:
    """The kind word with the modifiers before it and its article ("on a small screen": "a small screen")."""
    words = low[:start].split()
    kept: list[str] = []
    while words and len(kept) < MODIFIERS and not is_filler(words[-1].strip(",.;:()")) \
            and words[-1][-1:].isalnum() and words[-1].strip(",.;:()") == words[-1]:
        kept.insert(0, words.pop())
    if words and words[-1] in ARTICLES:
        kept.insert(0, words.pop())
    return " ".join(kept + [low[start:end]])


def kind_words(low: str, named_spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """(start, end) of the words of ``low`` that only name a kind (:data:`GENERIC`), outside the parts named and
    not ruled out ("no display")."""
    out = []
    negated = [c for c in clauses(low) if c.negated]
    for m in re.finditer(r"[a-z]+", low):
        if m.group(0) not in GENERIC or any(a <= m.start() < z for a, z, _ in named_spans):
            continue
        if any(c.start <= m.start() < c.end for c in negated) or NEGATOR.search(low[max(0, m.start() - 30):m.start()]):
            continue
        out.append(m.span())
    return out


def _described_kind(words: str, only: set[str], library: Library) -> bool:
    """An unknown phrase that is a kind word with everyday words before it ("a tiny screen"): words this common
    in English (``EVERYDAY``) describe the thing (its size, its colour), they name no technology the library
    could lack ("a holographic display" stays unknown); read as a display, it is the kind, not a missing part."""
    toks = words.split()
    if len(toks) < 2 or toks[-1] not in GENERIC or any(looks_like_part_number(t) for t in toks):
        return False
    if not all(english_frequency(t) >= EVERYDAY for t in toks[:-1] if t not in ARTICLES):
        return False
    try:
        hits = capability_index(library).rank([words])[0]
    except Exception:  # no embedding model here: it stays unknown
        return False
    return bool(hits) and hits[0].score >= FREE and hits[0].capability in only


def display_named_by_kind(low: str, named_spans: list[tuple[int, int, str]], req: Requirements,
                          library: Library) -> None:
    """``named_spans``: (start, end, key) in ``low`` of the parts the request names."""
    only = _display_only(library)
    kept = [u for u in req.unknown if not _described_kind(u.words, only, library)]
    if len(kept) < len(req.unknown):
        req.notes += [f"'{u.words}' is a display described, not a part the library lacks."
                      for u in req.unknown if u not in kept]
        req.unknown = kept
    kinds = kind_words(low, named_spans)
    if not kinds:
        return
    if any(library[p.key].category == "display" for p in req.named_parts if p.key in library) \
            or any(n.capability in only for n in req.needs) or any(set(a.any_of) & only for a in req.asked):
        return
    phrases = [_noun_phrase(low, a, z) for a, z in kinds]
    try:
        ranked = capability_index(library).rank(phrases)
    except Exception:  # no embedding model here: the kind word asks for nothing
        return
    ruled_out = set(req.constraints.forbidden)
    for phrase, hits in zip(phrases, ranked):
        if not hits or hits[0].score < FREE or hits[0].capability not in only or hits[0].capability in ruled_out:
            continue
        top = hits[0]
        # (the gate takes any display the words read as clearly enough: the kind named, not which one)
        close = [h.capability for h in hits if h.score >= FREE and h.capability in only and h.capability not in ruled_out]
        req.needs.append(NeededFunction(capability=top.capability, words=phrase, score=round(top.score, 3)))
        req.asked.append(AskedFunction(words=phrase, any_of=list(dict.fromkeys(close)), score=round(top.score, 3)))
        req.notes.append(f"'{phrase}' names a display by its kind: {top.capability}.")
        return  # one display for the kind words of one request
