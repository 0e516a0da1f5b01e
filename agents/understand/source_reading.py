"""A generic source refined by the word that qualifies it: "a rechargeable battery pack".

A name like "battery pack" answers to the library's generic source, the record whose voltage an
attribute sets. A word before it that the name does not hold says which kind of source is meant. The
word is read by meaning against the records' capability descriptions: when it clearly names a power
capability the generic record provides, the source is the specific record of the same source kind
whose description of that capability the qualified phrase reads best (the rechargeable lithium cell,
not a 12 V pack of no stated kind). A word that names nothing clearly leaves the generic source as named.
"""

from __future__ import annotations

import re

from agents.rules.power_tree import configurable, is_source
from agents.understand.needs import POWER_WORD, POWER_WORD_MARGIN, NEGATION, is_filler
from knowledge.capabilities import capability_index
from knowledge.library import Library
from knowledge.record import ComponentRecord

MAX_QUALIFIERS = 2  # the words of a noun phrase before its name: "a small rechargeable battery pack"
MIN_WORD = 3  # shorter is a unit symbol after a figure ("12 v"), not a word that qualifies


def qualifier(low: str, start: int, name: str) -> str:
    """The words right before a name, in its own noun phrase: from the last punctuation or filler word
    (an article, a joining word) up to the name; a figure or its unit ends them too."""
    before = re.split(r"[.,;:!?()\[\]]", low[max(0, start - 60):start])[-1]
    out: list[str] = []
    for w in reversed(before.split()):
        if not w.isalpha() or len(w) < MIN_WORD or is_filler(w) or NEGATION.match(w) or w in name.split() \
                or len(out) == MAX_QUALIFIERS:
            break
        out.append(w)
    return " ".join(reversed(out))


def refine_generic_sources(low: str, named: list, lib: Library) -> list[str]:
    """``named``: (mention, NamedPart) pairs; a generic source qualified clearly is set to the specific
    record in place. Returns notes saying what was read."""
    todo = []
    for m, p in named:
        rec = lib[p.key]
        if not (is_source(rec) and configurable(rec) and rec.source_kind):
            continue
        q = qualifier(low, m.char_start, m.text)
        if q:
            todo.append((m, p, rec, q))
    if not todo:
        return []
    try:
        index = capability_index(lib)
        hits = index.rank([q for _, _, _, q in todo])
        rows = index.embed([f"{q} {m.text}" for m, _, _, q in todo]) @ index.vectors.T
    except Exception:  # no embedding model here: the source stays as named
        return []
    notes = []
    for (m, p, rec, q), word, row in zip(todo, hits, rows):
        own = {c.capability for c in rec.provides if c.direction == "power"}
        if len(word) < 2 or word[0].capability not in own or word[0].score < POWER_WORD \
                or word[0].score - word[1].score < POWER_WORD_MARGIN:
            continue
        best = _best_source(lib, index, row, rec, word[0].capability)
        if best is not None:
            notes.append(f"read '{q} {m.text}' as {best.name} (the {rec.source_kind} that '{q}' describes).")
            p.key = best.key
    return notes


def _best_source(lib: Library, index, row, generic: ComponentRecord, capability: str) -> ComponentRecord | None:
    """The source of the generic record's kind whose description of ``capability`` the phrase (its
    similarity ``row`` over the index's entries) reads best, when it reads it better than the generic one."""
    score: dict[str, float] = {}
    for e, s in zip(index.entries, row):
        if e.capability == capability and e.end is None:
            score[e.key] = max(score.get(e.key, -1.0), float(s))
    cands = [r for r in lib if r.key in score and r.key != generic.key and is_source(r) and not configurable(r)
             and r.source_kind == generic.source_kind]
    best = max(cands, key=lambda r: (score[r.key], r.key), default=None)
    if best is None or score[best.key] <= score.get(generic.key, -1.0):
        return None
    return best
