"""How much of a part sold by length the request asks for: "a 5 m 12 V LED strip", "16 ft of LED tape".

A record rated per length (``ratings.per_length``: its current and power are for that many metres, an LED
strip's per metre) is a load whose draw scales with the length the request gives it. The length is a number
with a unit of distance, read with the units library (:func:`circuit.quantities.metres_of`: m, metres, cm,
ft, feet), said in the part's own sentence: the nearest before its name ("a 5 m ... strip", "three metres of
... strip", "a 2.5 m shelf with ... strip") or right after it ("a strip 4 m long"). The part gets a
``length`` attribute in metres and, unless the request states its current, a ``current`` attribute of its
record's rated current scaled by that length: what the planner sizes its switch and supply for and what the
rating gate holds the design to (the same attribute a stated current, "a 3 A motor", sets).
"""

from __future__ import annotations

import re

from agents.rules.text import NUMBER_WORDS, spelled_number, token_spans
from circuit.quantities import metres_of
from knowledge.library import Library

AFTER_WORDS = 2  # "a strip 4 m long", "LED tape, 3 m": the length right after the name
_GLUED = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")  # "16ft", "5m"
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
# a length is said of a part in its own stretch of words: punctuation and the words that join clauses end it
_SENTENCE = re.compile(r"[.,;:!?()]|\b(?:and|but|or|while|then|so|that|which|who|when|if|until)\b")


def _lengths(low: str) -> list[tuple[float, int, int]]:
    """(metres, start, end) of every length the text states."""
    toks = token_spans(low)
    words = [t for t, _, _ in toks]
    out = []
    for i, (tok, start, end) in enumerate(toks):
        glued = _GLUED.match(tok)
        if glued and (per := metres_of(glued.group(2))):
            out.append((float(glued.group(1)) * per, start, end))
            continue
        if i == 0:
            continue
        per = metres_of(tok) or metres_of(low[start:end])
        if not per:
            continue
        prev, p_start, _ = toks[i - 1]
        if _NUMBER.match(prev):
            out.append((float(prev) * per, p_start, end))
        elif (n := spelled_number(words, i - 1)) is not None:
            out.append((float(n) * per, p_start, end))
    return out


def read_lengths(low: str, named: list, lib: Library) -> list[str]:
    """``named``: (mention, NamedPart) pairs over ``low``; a part rated per length gets the length stated for
    it (``attrs["length"]``, metres). Returns notes saying what was read."""
    todo = [(m, p) for m, p in named if (rec := lib.get(p.key)) is not None and rec.ratings.per_length]
    if not todo:
        return []
    lengths = _lengths(low)
    spans = [(m.char_start, m.char_end) for m, _ in named]
    notes = []
    for m, p in todo:
        if "length" in p.attrs:
            continue
        # (a length before another part's name is that part's)
        before = [x for x in lengths if x[2] <= m.char_start and not _SENTENCE.search(low[x[2]:m.char_start])
                  and not any(x[2] <= a and z <= m.char_start for a, z in spans)]
        after = [x for x in lengths if x[1] >= m.char_end and len(low[m.char_end:x[1]].split()) <= AFTER_WORDS
                 and not _SENTENCE.search(low[m.char_end:x[1]])]
        found = before[-1] if before else (after[0] if after else None)
        if found is None:
            continue
        metres = round(found[0], 3)
        p.attrs["length"] = f"{metres:g} m"
        said_as = low[found[1]:found[2]]
        if found in before and re.match(r"\s*of\b", low[found[2]:m.char_start]) \
                and p.count > 1 and p.count in _figures(said_as):
            # "5 metres of LED strip": the figure is how much of the one part, not a count of parts
            p.count = 1
        rec = lib[p.key]
        said = f"read '{low[found[1]:found[2]]}' as the length of {p.words or p.key}: {metres:g} m"
        if rec.ratings.i_rated and "current" not in p.attrs:  # a current the request states stays its own
            amps = float(f"{rec.ratings.i_rated * metres / rec.ratings.per_length:.3g}")
            p.attrs["current"] = f"{amps:g} A"
            said += (f", drawing {amps:g} A ({rec.ratings.i_rated:g} A per {rec.ratings.per_length:g} m of it, "
                     "its record)")
        notes.append(said + ".")
    return notes


def _figures(words: str) -> set[int]:
    """The whole numbers a length is said with, in digits or words ("5 metres", "three metres")."""
    return {int(w) if w.isdigit() else NUMBER_WORDS[w] for w in re.findall(r"[a-z0-9]+", words)
            if w.isdigit() or (w in NUMBER_WORDS and w not in ("a", "an"))}
