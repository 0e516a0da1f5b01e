"""Which side of a stated frequency a request keeps: "only frequencies above 1 kHz" asked to pass is a
high-pass; the same words asked to be taken away make a low-pass.

Filter theory has two actions on a band, passing it and stopping it. The side is a comparison (a closed
class of words the reader already reads: above, over, higher than / below, under, up to); the action is
an open class of verbs, read by meaning: the clause that leads to the comparison is compared with the two
actions, each said in its common verbs (``PASS`` and ``STOP``). A clause clearly nearer one of them
(``MARGIN``) decides; otherwise nothing is read (0 also without an embedding model).

    kept_band("let through only frequencies", "above")  -> "high"
    kept_band("get rid of everything", "above")         -> "low"
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from agents.rules.part_search import semantic_enabled
from knowledge.embedding import get_embedder

# the two things a filter does to a band, each in its common verbs (the passband and the stopband)
PASS = ("pass", "let through", "keep", "allow", "let these frequencies pass through")
STOP = ("remove", "block", "cut out", "reject", "filter out", "get rid of")
MARGIN = 0.08  # how much nearer one action than the other the clause must lie (mean cosine difference)
MAX_WORDS = 8
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def _anchors():
    emb = get_embedder()
    return emb.encode(list(PASS)), emb.encode(list(STOP))


@lru_cache(maxsize=1024)
def action(clause: str) -> str | None:
    """"pass" or "stop" for the words that lead to a frequency, by meaning; None when they say neither
    clearly or no embedding model is at hand."""
    words = _WORD.findall(clause.lower())[-MAX_WORDS:]
    if not words or not semantic_enabled():
        return None
    try:
        a, b = _anchors()
        v = get_embedder().encode([" ".join(words)])[0]
    except Exception:  # no embedding model here: nothing is read by meaning
        return None
    d = float(np.mean(a @ v) - np.mean(b @ v))
    if d >= MARGIN:
        return "pass"
    if d <= -MARGIN:
        return "stop"
    return None


def kept_band(clause: str, side: str) -> str | None:
    """The band a filter must keep ("low" or "high") when the request acts (``clause``) on the frequencies on
    ``side`` ("above" or "below") of a value; None when the action cannot be read."""
    act = action(clause)
    if act is None:
        return None
    above = side == "above"
    return "high" if above == (act == "pass") else "low"
