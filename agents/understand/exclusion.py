"""Words that rule out what they are said of, read by meaning: "leave out any microcontroller", "skip the relay",
"omit the OLED", "exclude any MCU".

A closed class of negating words ("no", "without", "not") is read by the rules; a verb that leaves a thing out is
an open class, so it is read by meaning instead. English marks absence and presence with one pair of prepositions,
"without" and "with": the words that open a clause before the thing they are said of (its verb phrase, up to the
article or determiner that opens the noun phrase) rule it out when their meaning lies clearly nearer "without" than
"with" (``EXCLUDES``). Words that take the thing in ("use", "add", "include", "wire up", "leave the ... on") lie
nearer "with" or in the middle.

``EXCLUDES`` was set over the verb phrases that open the clauses of the request benchmark and the retrieval
queries (about 3 300 distinct): the verbs of leaving out score 0.126 to 0.19; the highest of the rest ("get ... out
of", "isolate", "turns off by itself") 0.116 and below. A verb phrase holding a figure or more than
``MAX_WORDS`` words is not read (it describes something; it does not rule a thing out).
"""

from __future__ import annotations

import re
from functools import lru_cache

from agents.rules.part_search import semantic_enabled
from knowledge.embedding import get_embedder

ABSENT, PRESENT = "without", "with"  # English's preposition pair for a thing left out and a thing kept
EXCLUDES = 0.12  # how much nearer "without" than "with" the words must lie
MAX_WORDS = 4
# the words that open a noun phrase: the verb phrase before them says what is done with the thing
DETERMINERS = frozenset({"a", "an", "the", "any", "my", "our", "your", "its", "their", "this", "that", "these",
                         "those", "some", "all"})
_WORD = re.compile(r"[a-z0-9]+")


def verb_phrase(words: str) -> str:
    """The words that open a clause, up to the determiner that opens its noun phrase ("please leave out any
    microcontroller": "please leave out"); the whole when no determiner follows them."""
    out = []
    for w in _WORD.findall(words.lower().replace("'", "")):
        if w in DETERMINERS:
            break
        out.append(w)
    return " ".join(out)


def excludes(words: str) -> bool:
    """Whether ``words`` (a clause's verb phrase) rule out what they are said of, by meaning."""
    words = " ".join(_WORD.findall(words.lower().replace("'", "")))
    if not words or len(words.split()) > MAX_WORDS or any(ch.isdigit() for ch in words):
        return False
    return _nearer_absent(words) >= EXCLUDES


def _nearer_absent(words: str) -> float:
    """How much nearer "without" than "with" the words lie (cosine); 0 where no embedding model is at hand."""
    return nearer(words, ABSENT, PRESENT)


@lru_cache(maxsize=4096)
def nearer(words: str, first: str, second: str) -> float:
    """How much nearer ``first`` than ``second`` the words lie (cosine difference); 0 where no embedding model
    is at hand (nothing is read by meaning then)."""
    if not semantic_enabled():
        return 0.0
    try:
        v = get_embedder().encode([words, first, second])
    except Exception:  # no embedding model here
        return 0.0
    return float(v[0] @ v[1] - v[0] @ v[2])


__all__ = ["EXCLUDES", "excludes", "verb_phrase"]
