"""Close readings of one clause that are two ways of doing one thing: which one the clause asks for.

A clause read two close ways on one side of a device ("shows grams on a display": a text or a graphic display;
"alert me on my phone": a text message or a beep; "buzzes": a buzzer or a vibration motor) asks for one part
for that role, not both: the readings are alternatives (``needs``), the gate takes either. Which one is asked of
the planner is the best reading, unless the clause says it in the name of the parts that give one of them: a word
of the clause and a word of those parts' names are one word with its endings ("buzzes" and "buzzer",
``knowledge.word_kin.affixed``) and no other alternative's parts are named so. Read from the records' own names
and aliases, not from a list of words.
"""

from __future__ import annotations

from knowledge.lexical import tokens
from knowledge.library import Library
from knowledge.word_kin import affixed

__all__ = ["one_of", "said_apart"]

SHORTEST = 4  # letters of the shortest clause word matched against the parts' names ("on", "my" never)


def _names(library: Library, capability: str) -> set[str]:
    """The words of the names and aliases of the records that provide ``capability``."""
    out: set[str] = set()
    for r in library:
        if any(c.capability == capability for c in r.provides):
            for text in [r.name, *r.aliases]:
                out.update(t for t in tokens(text) if t.isalpha())
    return out


def _said_by_name(library: Library, capability: str, words: list[str]) -> bool:
    names = _names(library, capability)
    return any(affixed(w, n) for w in words if len(w) >= SHORTEST and w.isalpha() for n in names if len(n) >= SHORTEST)


def one_of(library: Library, alternatives: list, words: list[str]):
    """The alternative a clause asks for (``alternatives``: its close readings of one side, best first; ``words``:
    its content words, lower case): the one whose parts' names the clause says, where exactly one is; else the
    best."""
    named = [h for h in alternatives if _said_by_name(library, h.capability, words)]
    return named[0] if len(named) == 1 else alternatives[0]


def said_apart(library: Library, best, other, word_hits, floor: float, margin: float) -> bool:
    """Whether a clause asks for ``other`` beside its ``best`` reading of the same side, not in its place: a word of
    the clause reads ``other`` on its own, at ``floor`` or closer and ``margin`` ahead of ``best`` ("its coordinates
    every hour": "coordinates" is a position), and their parts are of different kinds (record ``category``: two
    kinds of display are one display). ``word_hits``: each content word's readings, best first."""
    kind = library[best.key].category if best.key in library else None
    if other.key in library and library[other.key].category == kind:
        return False
    for hits in word_hits:
        mine = next((h.score for h in hits if h.capability == other.capability), None)
        theirs = next((h.score for h in hits if h.capability == best.capability), 0.0)
        if mine is not None and mine >= floor and mine - theirs >= margin:
            return True
    return False
