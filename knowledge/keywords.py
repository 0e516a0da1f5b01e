"""Keyword evidence: Okapi BM25 of a request against each part's own words.

The semantic vectors judge a request as a whole; a rare word the request shares with a part
("clap", "thermocouple", "keyfob") is evidence they blur. Each part is one document: its name,
key, aliases, description, typical use and capability descriptions, in the lexical module's
tokens (folded, stemmed, filler and values dropped). The BM25 weight of every (part, word) pair
is computed once, so scoring a request is a sum of a few matrix columns.

Written here (thirty lines of numpy) rather than through a BM25 package: the weights are a
dense part x word matrix searched in microseconds, and the package's sparse-matrix imports would
cost a cold ``design`` more than the whole search does.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from knowledge.lexical import FILLER, evidence_words, is_value, stem, tokens

if TYPE_CHECKING:  # pragma: no cover
    from knowledge.record import ComponentRecord

K1 = 1.2   # term-frequency saturation (the usual Okapi values)
B = 0.75   # length normalisation


def words(text: str) -> list[str]:
    """The words of a text that can carry meaning: folded, stemmed, no filler, no values."""
    return [stem(t) for t in tokens(text) if len(t) > 1 and t not in FILLER and not is_value(t)]


def part_texts(rec: "ComponentRecord") -> list[str]:
    """A part's own texts: name, key, aliases, description, typical use and capability descriptions."""
    return [rec.name, rec.key.replace("-", " "), *rec.aliases, rec.description, rec.typical_use or "",
            *(c.description for c in (getattr(rec, "provides", None) or []))]


def part_words(rec: "ComponentRecord") -> list[str]:
    return words(" ".join(part_texts(rec)))


class KeywordIndex:
    """BM25 weights of every word of every part, in the order of ``keys``."""

    def __init__(self, docs: Sequence[Iterable[str]]):
        counts = [Counter(d) for d in docs]
        self.column: dict[str, int] = {}
        rows, cols, tf = [], [], []
        for i, c in enumerate(counts):
            for w, f in c.items():
                rows.append(i)
                cols.append(self.column.setdefault(w, len(self.column)))
                tf.append(f)
        n = len(counts)
        self.weights = np.zeros((n, len(self.column)), dtype=np.float32)
        self.idf = np.zeros(len(self.column), dtype=np.float32)
        self.max_idf = float(np.log1p((n + 0.5) / 0.5))  # the IDF of a word no part uses
        if not rows:
            return
        rows_a, cols_a, tf_a = np.asarray(rows), np.asarray(cols), np.asarray(tf, dtype=np.float32)
        lengths = np.bincount(rows_a, weights=tf_a, minlength=n).astype(np.float32)
        df = np.bincount(cols_a, minlength=len(self.column)).astype(np.float32)
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        self.idf = idf.astype(np.float32)
        norm = K1 * (1 - B + B * lengths / (float(lengths.mean()) or 1.0))
        self.weights[rows_a, cols_a] = idf[cols_a] * tf_a * (K1 + 1) / (tf_a + norm[rows_a])

    @classmethod
    def of_records(cls, records: Sequence["ComponentRecord"]) -> "KeywordIndex":
        return cls([part_words(r) for r in records])

    def unexplained(self, text: str, row: int, skip: Iterable[str] = ()) -> tuple[float, float]:
        """Of the request's words, weighted by rarity (IDF; a word no part uses weighs most): the
        share the part ``row`` does not use, and the rarest such word's weight over the maximum. Another
        language's grammar words and the words in ``skip`` are left out (``lexical.evidence_words``)."""
        ws = set(evidence_words(words(text), skip))
        if not ws:
            return 0.0, 0.0
        total = miss = top = 0.0
        for w in ws:
            col = self.column.get(w)
            idf = self.max_idf if col is None else float(self.idf[col])
            total += idf
            if col is None or self.weights[row, col] <= 0:
                miss += idf
                top = max(top, idf)
        return (miss / total if total else 0.0), top / (self.max_idf or 1.0)

    def missing(self, text: str, skip: Iterable[str] = ()) -> np.ndarray:
        """Per part: the rarity-weighted (IDF) share of the request's words that some part uses and this
        part does not (0: its own words hold every one of them). Words in ``skip`` (what names the
        request's context) are left out."""
        skip = set(skip)
        cols = sorted({self.column[w] for w in words(text) if w in self.column and w not in skip})
        if not cols:
            return np.zeros(self.weights.shape[0], dtype=np.float32)
        idf = self.idf[cols]
        lacks = (self.weights[:, cols] <= 0).astype(np.float32)
        return (lacks @ idf) / float(idf.sum() or 1.0)

    def scores(self, text: str, skip: Iterable[str] = ()) -> np.ndarray:
        """BM25 of the request against every part (0 where they share no word); words in ``skip`` (what
        names the request's context) are left out."""
        skip = set(skip)
        cols = sorted({self.column[w] for w in words(text) if w in self.column and w not in skip})
        if not cols:
            return np.zeros(self.weights.shape[0], dtype=np.float32)
        return self.weights[:, cols].sum(axis=1)
