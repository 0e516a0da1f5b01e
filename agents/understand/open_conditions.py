"""Conditions the request states that the reading left open: what sets the design off must be noticed.

A clause joined by a condition word ("... when the gate swings shut", "... if the cellar floods") says what
sets the design off; something in the design has to notice it. Understanding answers most of them: a sensing
need read from the clause, a trigger, a timed behaviour, a part the clause names, a person who works an input.
Where none of that came of a condition (its readings were too faint or too close to choose), the design cannot be
shown to notice it, and a design that PASSes anyway says more than is true.

Such a clause is recorded in ``Requirements.unread`` with its closest readings as something that notices (any
direction but an output or a supply, as :mod:`agents.understand.needs` reads a condition); the requirement gate
holds the design to one of them (``REQ-CONDITION-UNREAD``) and fails closed where none is wired. A clause whose
close readings a named part or a need already gives is read, not open.
"""

from __future__ import annotations

import re

from agents.understand.needs import CONDITION, MARGIN, NOT_A_TRIGGER, clauses, content_words
from agents.understand.requirements import AskedFunction, Requirements
from knowledge.capabilities import capability_index
from knowledge.library import Library

# a reading below this is no reading at all: the clause says nothing a part could notice ("if you can")
FLOOR = 0.20
# the one asking, then a modal of ability: what follows is what they are able to do ("... that I can refill
# when it is empty"): a condition of their own act, which they notice, not the design
_SPEAKER_ABLE = re.compile(r"\b(?:i|we)\s+(?:can|could|may)\b", re.IGNORECASE)


def _squash(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _overlaps(a: str, b: str) -> bool:
    a, b = _squash(a), _squash(b)
    return bool(a) and bool(b) and (a in b or b in a)


def _explained_by_words(clause: str, req: Requirements) -> bool:
    said = [n.words for n in req.needs] + [a.words for a in req.asked] + [t.words for t in req.triggers] \
        + [t.words for t in req.timing] + [p.words for p in req.named_parts] + list(req.descriptive)
    return any(w and (_overlaps(w, clause) or _squash(w) and f" {_squash(w)} " in f" {_squash(clause)} ")
               for w in said)


def _given(req: Requirements, library: Library) -> set[str]:
    """The capabilities the request's reading already gives: its needs' and its named parts'."""
    have = {n.capability for n in req.needs} | {c for a in req.asked for c in a.any_of}
    for p in req.named_parts:
        rec = library.get(p.key)
        if rec is not None:
            have |= {c.capability for c in rec.provides}
    return have


def open_conditions(text: str, req: Requirements, library: Library) -> list[AskedFunction]:
    """The condition clauses of ``text`` nothing in ``req`` reads, each with its close noticing readings."""
    conds = [c for c in clauses(text) if c.joined_by in CONDITION and not c.negated and not c.heading
             and content_words(c.text) and not _explained_by_words(c.text, req)
             and not _SPEAKER_ABLE.search(re.split(r"[.!?;]", text[:c.start])[-1])]
    if not conds:
        return []
    try:
        index = capability_index(library)
        ranked = index.rank([c.text for c in conds], ends=True)
    except Exception:  # no embedding model here: nothing can be shown open (the needs were not read by meaning either)
        return []
    have = _given(req, library)
    out = []
    for c, hits in zip(conds, ranked):
        noticing = [h for h in hits if h.direction not in NOT_A_TRIGGER]
        if not noticing or noticing[0].score < FLOOR:
            continue
        close = [h for h in noticing if h.score >= noticing[0].score - MARGIN]
        if {h.capability for h in close} & have:
            continue  # read: a need or a named part gives one of its readings
        out.append(AskedFunction(words=c.text, any_of=[h.capability for h in close], score=round(noticing[0].score, 3)))
    return out


def apply_open_conditions(text: str, req: Requirements, library: Library) -> None:
    req.unread = open_conditions(text, req, library)
    for a in req.unread:
        req.notes.append(f"the condition '{a.words}' was not read as anything the design notices "
                         f"(closest: {', '.join(a.any_of)})")


__all__ = ["FLOOR", "apply_open_conditions", "open_conditions"]
