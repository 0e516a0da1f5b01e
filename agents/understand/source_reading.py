"""A generic source refined by the word that qualifies it: "a rechargeable battery pack".

A name like "battery pack" answers to the library's generic source, the record whose voltage an
attribute sets. A word before it that the name does not hold, or a relative clause right after it ("a
battery pack I can recharge"), says which kind of source is meant. The
word is read by meaning against the records' capability descriptions: when it clearly names a power
capability the generic record provides, the source is the specific record of the same source kind
whose description of that capability the qualified phrase reads best (the rechargeable lithium cell,
not a 12 V pack of no stated kind). A word that names nothing clearly leaves the generic source as named.

Words that clearly name charging ("a battery pack that charges from USB") say the source is one a charger
charges: of the cells the chargers providing that capability charge (record data: charge voltage against
the cell's nominal voltage), the one of the same source kind whose description the phrase reads best.
"""

from __future__ import annotations

import re

from agents.rules.power_tree import charges, configurable, is_source
from agents.understand.needs import NEGATION, POWER_WORD, POWER_WORD_MARGIN, content_words, is_filler, is_joiner
from knowledge.capabilities import capability_index
from knowledge.library import Library
from knowledge.record import ComponentRecord

MAX_QUALIFIERS = 2  # the words of a noun phrase before its name: "a small rechargeable battery pack"
RELATIVE_OPENERS = {"i", "you", "we", "they", "that", "which"}  # "a pack (that) I can recharge"
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


def relative_clause(low: str, end: int) -> str:
    """The relative clause right after a name that says more of it, up to punctuation or a joining word
    ("a battery pack I can recharge, with ...": "i can recharge"; "a pack that recharges from usb"); ""
    when the words after the name do not open one (a subject pronoun, or a relative pronoun)."""
    words = re.split(r"[.,;:!?()\[\]]", low[end:end + 80])[0].split()
    if not words or words[0] not in RELATIVE_OPENERS:
        return ""
    out = [words[0]]
    for w in words[1:]:
        if is_joiner(w):
            break
        out.append(w)
    return " ".join(out)


def refine_generic_sources(low: str, named: list, lib: Library) -> list[str]:
    """``named``: (mention, NamedPart) pairs; a generic source qualified clearly is set to the specific
    record in place. Returns notes saying what was read."""
    todo = []  # (mention, part, record, qualifying words, the phrase they qualify): each reading on its own
    for m, p in named:
        rec = lib[p.key]
        if not (is_source(rec) and configurable(rec) and rec.source_kind):
            continue
        lead, rel = qualifier(low, m.char_start, m.text), relative_clause(low, m.char_end)
        if lead:
            todo.append((m, p, rec, lead, f"{lead} {m.text}"))
        if content_words(rel):
            todo.append((m, p, rec, " ".join(content_words(rel)), f"{m.text} {rel}"))
    if not todo:
        return []
    try:
        index = capability_index(lib)
        hits = index.rank([q for _, _, _, q, _ in todo])
        rows = index.embed([phrase for *_, phrase in todo]) @ index.vectors.T
    except Exception:  # no embedding model here: the source stays as named
        return []
    notes = []
    done: set[int] = set()
    for (m, p, rec, q, phrase), word, row in zip(todo, hits, rows):
        own = {c.capability for c in rec.provides if c.direction == "power"}
        if id(p) in done or len(word) < 2 or word[0].score < POWER_WORD \
                or word[0].score - word[1].score < POWER_WORD_MARGIN:
            continue
        charged = _charged_cells(lib, word[0].capability) if word[0].capability not in own else None
        if word[0].capability not in own and not charged:
            continue
        if charged:  # the source is one that is charged: read by the generic's own capability, among those cells
            best = next((b for c in sorted(own) if (b := _best_source(lib, index, row, rec, c, charged)) is not None),
                        None)
        else:
            best = _best_source(lib, index, row, rec, word[0].capability)
        if best is not None:
            notes.append(f"read '{phrase}' as {best.name} (the {rec.source_kind} that '{q}' describes).")
            p.key = best.key
            done.add(id(p))
    return notes


def _charged_cells(lib: Library, capability: str) -> set[str]:
    """Keys of the cells that the chargers providing ``capability`` charge (empty: no charger provides it)."""
    chargers = [r for r in lib if r.safety.charger and any(c.capability == capability for c in r.provides)]
    return {r.key for r in lib if is_source(r) and any(charges(c, r) for c in chargers)}


def _best_source(lib: Library, index, row, generic: ComponentRecord, capability: str,
                 among: set[str] | None = None) -> ComponentRecord | None:
    """The source of the generic record's kind whose description of ``capability`` the phrase (its
    similarity ``row`` over the index's entries) reads best, when it reads it better than the generic one
    (``among``: only these keys; the generic one is then no rival: the words said it is not that)."""
    score: dict[str, float] = {}
    for e, s in zip(index.entries, row):
        if e.capability == capability and e.end is None:
            score[e.key] = max(score.get(e.key, -1.0), float(s))
    cands = [r for r in lib if r.key in score and r.key != generic.key and is_source(r) and not configurable(r)
             and r.source_kind == generic.source_kind and (among is None or r.key in among)]
    best = max(cands, key=lambda r: (score[r.key], r.key), default=None)
    if best is None or (among is None and score[best.key] <= score.get(generic.key, -1.0)):
        return None
    return best
