"""Correlative comparatives: "the nearer my bumper gets, the faster it beeps".

"The" + a comparative ("nearer", "hotter", "more light") + a clause with its own subject says how one thing
follows another. The first such clause is the condition (what is noticed); the one after it, the answer.
A request may put the answer first and the condition after it, with no second "the": "a buzzer that sounds
quicker the nearer my bumper gets". Either way, the comparative clause that comes first in the request (or
the only one) is the condition. The grammar decides: the comparative is told by the English lexicon
(:mod:`knowledge.comparatives`), the clause by a subject opened by a determiner, possessive or pronoun
right after it ("the lower threshold is 20" is a noun phrase, no clause) and a word that can be a verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.comparatives import is_comparative
from knowledge.verbs import base_forms

_TOKEN = re.compile(r"[a-z]+(?:'s)?", re.IGNORECASE)
_DEGREE = {"more", "less", "fewer"}  # "the more light there is"
# what opens a clause's subject right after the comparative: an article, a possessive or demonstrative,
# a pronoun
_SUBJECT_OPENERS = {"the", "a", "an", "my", "our", "your", "his", "her", "their", "its", "this", "that", "these",
                    "those", "it", "they", "you", "we", "i", "he", "she", "there", "someone", "something",
                    "anyone", "anything", "somebody", "people"}
_PRONOUNS = {"it", "they", "you", "we", "i", "he", "she", "there", "someone", "something", "anyone", "anything",
             "somebody", "people"}
_SUBJECT_WORDS = 4  # how far the verb may stand after the comparative


@dataclass(frozen=True)
class Correlative:
    start: int  # where "the" stands in the text
    condition: bool  # the first in the request: what sets the answer off


def correlatives(text: str) -> list[Correlative]:
    """The correlative comparative clauses of ``text``, in order; the first is the condition."""
    toks = [(m.group(0).lower(), m.start()) for m in _TOKEN.finditer(text)]
    found = []
    for i, (w, at) in enumerate(toks):
        if w != "the" or i + 2 >= len(toks):
            continue
        j = i + 1
        if toks[j][0] in _DEGREE:
            j += 1  # "the more light there is": the degree word, then what there is more of
            if j + 1 >= len(toks) or toks[j][0] in _SUBJECT_OPENERS:
                continue
        elif not is_comparative(toks[j][0]):
            continue
        if _has_clause(toks[j + 1:j + 1 + _SUBJECT_WORDS]):
            found.append(at)
    return [Correlative(at, k == 0) for k, at in enumerate(found)]


def _has_clause(after: list[tuple[str, int]]) -> bool:
    """Words after the comparative open a subject (an article, a possessive, a pronoun) and go on to a word
    that can be its verb ("my bumper gets", "the attic gets", "it gets", "there is")."""
    if not after or after[0][0] not in _SUBJECT_OPENERS:
        return False
    subject = 1 if after[0][0] in _PRONOUNS else 0  # a pronoun is the whole subject
    for w, _ in after[1:]:
        word = w.removesuffix("'s")
        if subject and (base_forms(word) or word in {"is", "are", "was", "were", "gets", "get"}) and w == word:
            return True
        subject += 1
    return False
