"""Which quantity a request's own words name, when its sentence reads as several quantities about equally.

A sentence vector reads a request as a whole, and in a request to sense something the thing it is sensed on takes
up most of the words: "record how much the model bridge trembles" reads nearly as much as the load-cell bridge as
the trembling, "measure how much the motor vibrates" as a motor's speed as its shaking, "notice when the baby starts
crying in the cot" as the baby's temperature as her cries. The quantity asked is named by one word of the predicate
(trembles, vibrates, crying), the rest name where it happens.

Read one by one, each content word of the request sits near the catalog texts (description, amounts and signs,
``knowledge.measurands``) of the quantity it names, if any: "trembles" near "shaking or trembling", "bridge" near
nothing in particular. Among the quantities the sentence reads about equally (``contenders``), the one a single word
names best, by ``NAMES`` or more and by ``LEAD`` over every contender not served by the same parts, is the quantity
asked. The words are embedded one by one only for such a request (a sentence that reads clearly as one quantity, or
as none, needs no word reading); a batch of requests has them embedded with the requests
(``knowledge.word_senses.word_vectors``).
"""

from __future__ import annotations

import re

import numpy as np

from knowledge.lexical import FILLER, is_value, opening_verb, tokens
from knowledge.word_senses import NEGATIONS

NAMES = 0.45   # cosine of a single word with a quantity's text from which the word names that quantity
LEAD = 0.12    # ... and by which it must lead the best word cosine of every contender served by other parts

# prepositions of place and time: the words after one up to the next clause say where or when a thing happens
# ("in the wind", "at night", "on this slope"), not what happens
_WHERE = frozenset("in on at inside outside under near during behind beside along across around above below beneath "
                   "into onto through past towards toward upstairs downstairs".split())
_CLAUSE = frozenset("when whenever while if and or but that which who so because until once".split())
_COMPOUND = re.compile(r"[a-z]+(?:-[a-z]+)+")  # a hyphenated word is one word ("g-force", "free-fall")


def request_words(text: str) -> list[str]:
    """The content words of a request, each once: letters only, two or more, no grammar or filler word, no value,
    not the verb a request opens with ("light the path": what is to be done, not what is sensed), no word of a
    phrase saying where or when ("in the wind", "at night");
    a hyphenated compound as written ("g-force") besides its halves."""
    toks = tokens(text)
    placed, at = set(), False  # the words of a phrase saying where or when (up to the next clause)
    for i, t in enumerate(toks):
        at = t in _WHERE or (at and t not in _CLAUSE)
        if at:
            placed.add(i)
    words = [t for i, t in enumerate(toks)
             if len(t) >= 2 and t.isalpha() and t not in FILLER and t not in NEGATIONS and not is_value(t)
             and i not in placed
             and not (i == 0 and opening_verb(text) is not None)]
    words += _COMPOUND.findall(text.lower())
    return list(dict.fromkeys(words))


def sensing_words(words: np.ndarray, quantity_texts: np.ndarray, doing_texts: np.ndarray) -> np.ndarray:
    """The rows of ``words`` that read more as some quantity's text than as anything a part does other than sense
    (``doing_texts``: unit vectors of those capability texts): "beep" in "wake me up with a beep" is what a buzzer
    makes, not a sound to listen for."""
    if not len(words) or not len(doing_texts):
        return words
    return words[(words @ quantity_texts.T).max(axis=1) > (words @ doing_texts.T).max(axis=1)]


def named_quantity(words: np.ndarray, texts: np.ndarray, starts: np.ndarray, contenders: np.ndarray,
                   alike: np.ndarray) -> tuple[int | None, float]:
    """Of the ``contenders`` (a mask over catalog entries), the entry a single word names: (its index, its lead), or
    (None, 0.0). ``words``: unit vectors of the request's words; ``texts``: the catalog texts' unit vectors, grouped by
    entry from ``starts``; ``alike[j]``: the entries served by some of the same parts as entry j (no rivals)."""
    if not len(words) or not contenders.any():
        return None, 0.0
    best = np.maximum.reduceat((np.asarray(words, dtype=np.float32) @ texts.T).max(axis=0), starts)
    k = int(np.argmax(np.where(contenders, best, -np.inf)))
    rivals = best[contenders & ~alike[k]]
    lead = float(best[k] - (rivals.max() if len(rivals) else 0.0))
    if best[k] < NAMES or lead < LEAD:
        return None, 0.0
    return k, lead


__all__ = ("NAMES", "LEAD", "request_words", "sensing_words", "named_quantity")
