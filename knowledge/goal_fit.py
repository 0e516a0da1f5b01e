"""How well a goal fits each capability the library's records provide, read by meaning.

A request that names only a goal ("a points board for the quiz", "a rpm readout for the mill") names no part, and as a
whole it often reads as no single capability: the goal is a product, and what a product is built from shows
less in a part's capability texts than in its typical use, where a record says which products the part goes
into ("counters, clocks and scoreboards"). So the fit of a text to a capability slug is the best cosine of the
text with any of:

- the capability's own texts (``provides[].description``);
- the typical-use and description texts of the records that provide it.

The texts are the retriever's indexed texts (``knowledge.index``: one row per text, already embedded); no word
list is read. Each fit carries the capability's typed ``direction`` (sense, act ...) and how a person takes
part in it (``person``: operates it on purpose, or is noticed by it), so a reader can take one capability per
side of a device (``agents.understand.goal_parts``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CapabilityFit", "GoalFits"]

_OWN = "capability"
_PART_TEXTS = ("use", "description")  # a record's texts that speak for every capability it provides


@dataclass(frozen=True)
class CapabilityFit:
    capability: str
    direction: str
    person: str | None
    score: float
    key: str  # the record whose text fit best
    categories: frozenset[str] = frozenset()  # the categories of the records that provide it


class GoalFits:
    """The capabilities of a library against the rows of an index of its texts."""

    def __init__(self, library, keys, fields, ids):
        caps: dict[str, int] = {}
        info: list[tuple[str, str | None]] = []
        cats: list[set[str]] = []
        for rec in library:
            for c in getattr(rec, "provides", None) or []:
                if c.capability not in caps:
                    caps[c.capability] = len(info)
                    info.append((c.direction, c.person))
                    cats.append(set())
                cats[caps[c.capability]].add(rec.category)
                if info[caps[c.capability]][1] is None and c.person:
                    info[caps[c.capability]] = (c.direction, c.person)
        rows: list[int] = []
        cols: list[int] = []
        for row, (key, fld, doc_id) in enumerate(zip(keys, fields, ids)):
            rec = library.get(key)
            provided = getattr(rec, "provides", None) or [] if rec is not None else []
            if fld == _OWN:
                n = int(str(doc_id).rsplit("|", 1)[-1])
                if n < len(provided):
                    rows.append(row)
                    cols.append(caps[provided[n].capability])
            elif fld in _PART_TEXTS:
                for c in {c.capability for c in provided}:
                    rows.append(row)
                    cols.append(caps[c])
        self.slugs = list(caps)
        self.info = info
        self.categories = [frozenset(c) for c in cats]
        self._rows = np.asarray(rows, dtype=np.intp)
        self._cols = np.asarray(cols, dtype=np.intp)
        self._keys = list(keys)

    @classmethod
    def of_index(cls, library, index) -> "GoalFits":
        return cls(library, index.keys, index.fields, index.ids)

    def rank(self, sims: np.ndarray) -> list[CapabilityFit]:
        """One fit per capability, best first, for a text's cosines with every indexed text."""
        if not len(self._rows):
            return []
        vals = sims[self._rows]
        order = np.argsort(-vals, kind="stable")  # best first: a capability's first row is its best
        cols, first = np.unique(self._cols[order], return_index=True)
        best = np.full(len(self.slugs), -np.inf, dtype=np.float64)
        at = np.full(len(self.slugs), -1, dtype=np.intp)
        best[cols] = vals[order][first]
        at[cols] = self._rows[order][first]
        out = [CapabilityFit(s, self.info[i][0], self.info[i][1], float(best[i]), self._keys[at[i]], self.categories[i])
               for i, s in enumerate(self.slugs) if at[i] >= 0]
        return sorted(out, key=lambda f: -f.score)
