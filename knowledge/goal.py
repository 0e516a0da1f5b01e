"""The need behind a goal: which part a request hinges on, read from the records' typed capabilities.

A request often states an outcome and the condition that sets it off: "sound the siren | if someone walks into the
shed", "open the curtains | when it gets bright outside". The output it names (a siren, a curtain motor) is what any
pin drives; what the request needs is the part that senses its condition. Each indexed capability text carries its
record's typed ``direction`` (sense, act, communicate ...) and, for sensing, how a person takes part (``person``:
operates it on purpose, or is noticed by it). A condition clause whose best-fitting capability senses something no
person works on purpose is the need: the part that senses it is wanted and the action is context. A condition a
person works on purpose ("when the button is pressed") is only the trigger of the action, which stays the need; an
action that carries a message ("text me when ...") is read before this (``knowledge.retrieval``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from knowledge.keywords import part_texts, words
from knowledge.lexical import tokens

__all__ = ["CapabilityRows", "refers_back"]

_BACK = frozenset("it them".split())  # pronouns that stand for a thing named before


def refers_back(clause: str) -> bool:
    """Whether a condition clause holds a pronoun for a thing named before it ("when someone jostles it": the
    action's object), so the clause alone does not say what the condition happens to. Grammar, not wording."""
    return any(t in _BACK for t in tokens(clause))


@dataclass(frozen=True)
class CapabilityRows:
    """The typed capabilities behind an index's capability texts, row by row.

    ``direction``: per indexed text, its capability's direction ("" for names, descriptions, uses);
    ``operated``: per indexed text, whether a person works that capability on purpose;
    ``senses_unawares``: per part (the retriever's part order), whether any of its capabilities senses something
    no person works on purpose (a motion sensor; not a button or a knob, which only sense a person's hand);
    ``sensing_words``: the words the texts of the parts that sense so use (stemmed, ``keywords.words``)."""

    direction: np.ndarray
    operated: np.ndarray
    senses_unawares: np.ndarray
    sensing_words: frozenset[str] = frozenset()

    @classmethod
    def of_index(cls, library, keys, fields, ids, part_keys) -> "CapabilityRows":
        """Read from an index's rows (``keys``, ``fields``, ``ids``: one per indexed text, a capability text's id
        ending in ``|n``, its position in the record's ``provides``) and the parts' order."""
        direction = np.full(len(keys), "", dtype=object)
        operated = np.zeros(len(keys), dtype=bool)
        pos = {k: i for i, k in enumerate(part_keys)}
        unawares = np.zeros(len(part_keys), dtype=bool)
        vocab: set[str] = set()
        for row, (key, fld, doc_id) in enumerate(zip(keys, fields, ids)):
            if fld != "capability":
                continue
            caps = getattr(library[key], "provides", None) or []
            n = int(str(doc_id).rsplit("|", 1)[-1])
            if n >= len(caps):
                continue
            direction[row] = caps[n].direction
            operated[row] = caps[n].person == "operates"
            if caps[n].direction == "sense" and caps[n].person != "operates" and key in pos:
                unawares[pos[key]] = True
        for key in part_keys:
            if unawares[pos[key]]:
                vocab.update(w for text in part_texts(library[key]) for w in words(text))
        return cls(direction=direction, operated=operated, senses_unawares=unawares, sensing_words=frozenset(vocab))

    def unsensed_words(self, text: str) -> set[str]:
        """The words of a condition clause that no part which senses it uses ("garage" of "an intruder moves in the
        garage"): where it happens or to what, not what is sensed; no keyword evidence for the part that senses it."""
        return {w for w in words(text) if w not in self.sensing_words}

    def best(self, sims: np.ndarray) -> int | None:
        """The capability row a text fits best (its cosines with every indexed text), or None without any."""
        typed = self.direction != ""
        if not typed.any():
            return None
        return int(np.argmax(np.where(typed, sims, -np.inf)))

    def sensed_condition(self, sims: np.ndarray) -> bool:
        """Whether a condition clause (its cosines with every indexed text) reads as something to sense that no
        person works on purpose: its best-fitting capability senses and is not operated ("someone walks into the
        shed", "it gets bright outside"; not "the button is pressed")."""
        row = self.best(sims)
        return row is not None and self.direction[row] == "sense" and not bool(self.operated[row])
