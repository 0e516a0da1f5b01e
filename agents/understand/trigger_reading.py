"""Which end of a sensed quantity the request wants the output switched on at ("beeps when a torch
shines on it": bright; "an LED that comes on at dusk": dark).

Read from the clauses that state a condition (joined by when/once/if ...) or that asked for the sensing
function, for each sensing capability in play (asked for, or provided by a named part):

- a word of the trade for the low end (dark, cold, below: :mod:`agents.understand.vocabulary`) says low;
- else the clause is compared by meaning with the descriptions records give of each end of what the
  capability senses (``provides[].end``: "notice when it gets dark, at dusk or at night"); one end must
  match clearly better than the other (``POLE_MARGIN``).

A clause that matches neither clearly says nothing, and a capability read both ways is left unread:
the requirement gate holds a design only to a direction the request stated.
"""

from __future__ import annotations

from agents.rules.text import normalize
from agents.understand.needs import CONDITION, clauses
from agents.understand.requirements import Requirements, Trigger
from agents.understand.vocabulary import TERMS
from knowledge.capabilities import capability_index
from knowledge.library import Library

POLE_MARGIN = 0.05
LOW = "trigger:low"
HIGH = "trigger:high"
_LOW_TERMS = [t for t in TERMS if LOW in t.preferences]
WHEN = CONDITION | {"after"}  # the joining words that state when: a condition, or a time ("on after dark")


def _says_low(text: str) -> bool:
    low = normalize(text)
    return any(t.matches(low) for t in _LOW_TERMS)


def sensing_capabilities(req: Requirements, library: Library) -> list[str]:
    caps = [n.capability for n in req.needs
            if any(c.capability == n.capability and c.direction == "sense" for r in library for c in r.provides)]
    for p in req.named_parts:
        rec = library.get(p.key)
        if rec is not None and not rec.is_mcu:
            caps += [c.capability for c in rec.provides if c.direction == "sense"]
    return list(dict.fromkeys(caps))


def _by_meaning(library: Library, capability: str, text: str) -> str | None:
    try:
        index = capability_index(library)
        rows = [i for i, e in enumerate(index.entries) if e.capability == capability and e.end]
        if not rows:
            return None
        sims = index.vectors[rows] @ index.embed([text])[0]
    except Exception:  # no embedding model here: only the trade's words are read
        return None
    best: dict[str, float] = {}
    for i, s in zip(rows, sims):
        end = index.entries[i].end
        best[end] = max(best.get(end, -1.0), float(s))
    hi, lo = best.get("high", -1.0), best.get("low", -1.0)
    if hi - lo >= POLE_MARGIN:
        return "high"
    if lo - hi >= POLE_MARGIN:
        return "low"
    return None


def read_triggers(text: str, req: Requirements, library: Library) -> list[Trigger]:
    caps = sensing_capabilities(req, library)
    if not caps:
        return []
    candidates = [c.text for c in clauses(text) if c.joined_by in WHEN and not c.negated]
    candidates += [n.words for n in req.needs if n.capability in caps and n.words]
    candidates = list(dict.fromkeys(candidates))
    found: dict[str, set[tuple[str, str]]] = {}
    for cap in caps:
        for words in candidates:
            end = "low" if _says_low(words) else _by_meaning(library, cap, words)
            if end:
                found.setdefault(cap, set()).add((end, words))
    out = []
    for cap in caps:
        ends = {e for e, _ in found.get(cap, set())}
        if len(ends) == 1:
            end = ends.pop()
            words = next(w for e, w in sorted(found[cap]) if e == end)
            out.append(Trigger(capability=cap, when=end, words=words))
        elif not ends and _says_low(text):
            out.append(Trigger(capability=cap, when="low", words=text))
    return out


def apply_triggers(text: str, req: Requirements, library: Library) -> None:
    """Fill ``req.triggers`` and the planner's matching preference (``trigger:low`` / ``trigger:high``)."""
    req.triggers = read_triggers(text, req, library)
    ends = {t.when for t in req.triggers}
    if len(ends) == 1:  # (with none read, the trade's words keep what they said: "drops below 2.5 V")
        req.preferences = [p for p in req.preferences if p not in (LOW, HIGH)]
        req.preferences.append(LOW if "low" in ends else HIGH)
