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
from knowledge.word_kin import WordKin

if TYPE_CHECKING:  # pragma: no cover
    from knowledge.record import ComponentRecord

K1 = 1.2   # term-frequency saturation (the usual Okapi values)
B = 0.75   # length normalisation


def words(text: str) -> list[str]:
    """The words of a text that can carry meaning: folded, stemmed, no filler, no values."""
    return [stem(t) for t in typed_words(text)]


def typed_words(text: str) -> list[str]:
    """The words of ``words`` as typed (folded, not stemmed): what their inflections and slips are read from."""
    return [t for t in tokens(text) if len(t) > 1 and t not in FILLER and not is_value(t)]


def part_texts(rec: "ComponentRecord") -> list[str]:
    """A part's own texts: name, key, aliases, description, typical use and capability descriptions."""
    return [rec.name, rec.key.replace("-", " "), *rec.aliases, rec.description, rec.typical_use or "",
            *(c.description for c in (getattr(rec, "provides", None) or []))]


def part_words(rec: "ComponentRecord") -> list[str]:
    return words(" ".join(part_texts(rec)))


class KeywordIndex:
    """BM25 weights of every word of every part, in the order of ``keys``."""

    def __init__(self, docs: Sequence[Iterable[str]], kin: WordKin | None = None):
        # a request word's inflections, derivations and slips among the parts' words: a weaker match than the
        # word itself, beside it (knowledge.word_kin); None reads identity alone
        self.kin = kin
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
        typed = [typed_words(" ".join(part_texts(r))) for r in records]
        return cls([[stem(t) for t in ws] for ws in typed], WordKin(t for ws in typed for t in ws))

    def _terms(self, text: str, keep: Iterable[str] | None = None,
               context: Iterable[str] = ()) -> list[tuple[str, int | None, list[tuple[int, float]]]]:
        """The request's distinct words (stemmed) that some part uses or is kin to: each with its own column (None
        when no part uses it) and the columns of its kin with their weights (``knowledge.word_kin``), no kin word
        in ``context``. ``keep``: only these stems."""
        keep = None if keep is None else set(keep)
        context = set(context)
        out: dict[str, tuple[str, int | None, list[tuple[int, float]]]] = {}
        for t in typed_words(text):
            w = stem(t)
            if w in out or (keep is not None and w not in keep):
                continue
            kin = [(self.column[c], wt) for c, wt in self.kin.related(t)
                   if c in self.column and c not in context] if self.kin else []
            col = self.column.get(w)
            if col is not None or kin:
                out[w] = (w, col, kin)
        return list(out.values())

    def _said(self, col: int | None, kin: list[tuple[int, float]], rows=slice(None)) -> np.ndarray:
        """How fully each part says a request word: 1 where it uses the word, a kin word's weight where it uses
        only that (the strongest), 0 where neither."""
        has = (self.weights[rows, col] > 0).astype(np.float32) if col is not None else np.zeros(
            self.weights[rows, 0].shape, dtype=np.float32)
        for c, wt in kin:
            has = np.maximum(has, wt * (self.weights[rows, c] > 0))
        return has

    def _idf(self, col: int | None, kin: list[tuple[int, float]]) -> float:
        """The rarity a request word weighs with: its own, or (a word no part uses) its strongest kin word's."""
        if col is not None:
            return float(self.idf[col])
        return float(self.idf[max(kin, key=lambda ck: ck[1])[0]])

    def unexplained(self, text: str, row: int, skip: Iterable[str] = ()) -> tuple[float, float]:
        """Of the request's words, weighted by rarity (IDF; a word no part uses weighs most): the
        share the part ``row`` does not use, and the rarest such word's weight over the maximum. Another
        language's grammar words and the words in ``skip`` are left out (``lexical.evidence_words``). A word
        the part says only in another form, or a slip of one of its words, counts as said in part (``_said``),
        and as unsaid for the rarest when no more than half said."""
        ws = set(evidence_words(words(text), skip))
        if not ws:
            return 0.0, 0.0
        terms = {w: (col, kin) for w, col, kin in self._terms(text, keep=ws)}
        total = miss = top = 0.0
        for w in ws:
            col, kin = terms.get(w, (None, []))
            idf = self.max_idf if col is None and not kin else self._idf(col, kin)
            total += idf
            lack = 1.0 - (float(self._said(col, kin, row)) if col is not None or kin else 0.0)
            if lack > 0:
                miss += idf * lack
                if lack >= 0.5:
                    top = max(top, idf)
        return (miss / total if total else 0.0), top / (self.max_idf or 1.0)

    def missing(self, text: str, skip: Iterable[str] = (), context: Iterable[str] = ()) -> np.ndarray:
        """Per part: the rarity-weighted (IDF) share of the request's words that some part uses (or is kin to) and
        this part does not (0: its own words hold every one of them; a kin word only: in part). Words in ``skip``
        (what names the request's context) are left out, and so is a kin word in ``context`` (``scores``)."""
        skip = set(skip)
        terms = [t for t in self._terms(text, context=context) if t[0] not in skip]
        if not terms:
            return np.zeros(self.weights.shape[0], dtype=np.float32)
        idf = np.asarray([self._idf(col, kin) for _, col, kin in terms], dtype=np.float32)
        lacks = np.stack([1.0 - self._said(col, kin) for _, col, kin in terms], axis=1)
        return (lacks @ idf) / float(idf.sum() or 1.0)

    def scores(self, text: str, skip: Iterable[str] = (), context: Iterable[str] = ()) -> np.ndarray:
        """BM25 of the request against every part (0 where they share no word); words in ``skip`` (what
        names the request's context) are left out. A part that holds only a kin word of a request word
        (``knowledge.word_kin``) scores that word's weight times the kin's weight, at the rarity of the request's
        own word where some part uses it; never through a kin word in ``context`` (the words naming what the wanted
        part serves: "servos" of "a regulator to run two servos" is no evidence for a servo)."""
        skip = set(skip)
        out = np.zeros(self.weights.shape[0], dtype=np.float32)
        for w, col, kin in self._terms(text, context=context):
            if w in skip:
                continue
            best = self.weights[:, col] if col is not None else np.zeros_like(out)
            for c, wt in kin:
                # a kin word rarer than the request's own counts with the own word's rarity: a part that says
                # "regulation" once is no better evidence for "regulator" than one that says "regulator"
                rarity = min(1.0, float(self.idf[col] / self.idf[c])) if col is not None and self.idf[c] > 0 else 1.0
                best = np.maximum(best, wt * rarity * self.weights[:, c])
            out += best
        return out
