"""How far a negation reaches: "without USB from a 12 V adapter" rules out USB, not the adapter.

English negates in two ways, and each reaches differently:

* a negating determiner or preposition ("no", "without") negates the noun phrase right after it: the phrase
  ends where a preposition opens another ("without USB | from a 12 V adapter", "no USB power | from ...");
* a negated verb ("not", "never", "-n't") negates what the verb says of its complement, to the end of its
  clause: "is not powered by USB" (| "but by a 9 V battery": a new clause), "never from USB".

Both word classes are closed (grammar words, not request phrases); the clause boundaries are the request
reader's own (punctuation and joining words, :mod:`agents.understand.needs`). The functions here give, for
a stretch of words, the part of it a negation covers.
"""

from __future__ import annotations

import re

NOUN_NEGATORS = frozenset({"no", "without"})
VERB_NEGATORS = frozenset({"not", "never", "dont", "doesnt", "isnt", "wont", "cannot", "cant", "shouldnt", "arent"})
# the prepositions that open a phrase of their own after a noun phrase (where a noun negation's reach ends) and
# that take a verb's complement (what a negated verb is said of)
PREPOSITIONS = frozenset({"from", "by", "on", "off", "over", "via", "with", "through", "at", "in", "into", "onto",
                          "to", "for", "of", "using", "but"})
DETERMINERS = frozenset({"a", "an", "the", "any", "my", "our", "your", "its", "their", "this", "that", "some"})
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).replace("'", ""), m.start(), m.end()) for m in _WORD.finditer(text.lower())]


def noun_phrase_end(text: str) -> int:
    """Where the noun phrase that opens ``text`` ends: before the first preposition after a word of it (the
    whole text when there is none). ``text`` is what follows a "no" or a "without"."""
    seen_content = False
    for w, start, _ in _words(text):
        if w in PREPOSITIONS and seen_content:
            return start
        if w not in DETERMINERS and w not in PREPOSITIONS:
            seen_content = True
    return len(text)


def verb_negation_start(text: str) -> int | None:
    """Where a negated verb inside ``text`` starts its reach, when what it negates is a complement naming a
    thing (a preposition with a word after it: "is not powered by USB", "never from USB"); None otherwise (a
    negated behaviour, "does not flicker", rules nothing out)."""
    ws = _words(text)
    for i, (w, start, _) in enumerate(ws):
        if w not in VERB_NEGATORS:
            continue
        rest = [x for x, _, _ in ws[i + 1:]]
        for j, x in enumerate(rest[:-1]):
            if x in PREPOSITIONS and any(y not in DETERMINERS and y not in PREPOSITIONS for y in rest[j + 1:]):
                return start
        return None
    return None


def negated_at(text: str, start: int, end: int) -> bool:
    """Whether the words at ``text[start:end]`` stand in a negation's reach, within their stretch of the text
    (up to punctuation before them): after a "no"/"without" in the same noun phrase, or after a negated verb
    with no clause-joining word ("but", "and") between."""
    stretch_start = max((m.end() for m in re.finditer(r"[.,;:!?()]", text[:start])), default=0)
    before = text[stretch_start:start]
    ws = _words(before)
    for i in range(len(ws) - 1, -1, -1):
        w = ws[i][0]
        if w in ("but", "and", "or", "so", "then", "while", "instead"):
            return False
        if w in NOUN_NEGATORS:
            return noun_phrase_end(text[stretch_start + ws[i][2]:end]) >= end - stretch_start - ws[i][2]
        if w in VERB_NEGATORS:
            return True
    return False
