"""Hybrid part retrieval: which library part does a request mean, and is it in the library at all?

``Retriever.default().search("ultrasonic distance sensor")`` fuses
- semantic similarity (all-MiniLM-L6-v2 vectors of each part's name, key, aliases,
  description and typical use, stored in the Chroma index; searched in numpy over the same
  vectors, or through Chroma with ``semantic="chroma"``),
- exact part numbers anywhere in the request (``IRLZ44N``, ``hc-sr04`` = ``HCSR04``),
- a request that is a whole key, name or alias, and typo-tolerant name matching (rapidfuzz),

into one score per part, and flags requests for parts the library does not hold
(``knowledge.ood``: a logistic model calibrated on labelled queries). A flagged result still
lists the best near-misses, ranked, so a person can choose.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from knowledge.index import PartIndex, RetrievalError
from knowledge.lexical import LexicalHit, LexicalIndex, fold
from knowledge.ood import OODFeatures, OODModel

__all__ = ["Match", "SearchResult", "Retriever", "RetrievalError"]

# Fusion constants (documented in fused_score).
_EXACT = 1.0
_PART_NUMBER = 0.95
_FUZZY_FLOOR = 0.82
_AGREEMENT = 0.15
_SCALE = 1.0 + _AGREEMENT


@dataclass(frozen=True)
class Match:
    key: str
    score: float
    name: str = ""

    def as_dict(self) -> dict:
        return {"key": self.key, "score": round(self.score, 4), "name": self.name}


@dataclass
class SearchResult:
    query: str
    ood: bool
    matches: list[Match]
    confidence: float
    note: str = ""
    features: OODFeatures | None = field(default=None, repr=False, compare=False)

    @property
    def best(self) -> Match | None:
        """The part the request means, or None when it is out-of-distribution."""
        return None if self.ood or not self.matches else self.matches[0]

    def as_dict(self) -> dict:
        out = {
            "query": self.query,
            "ood": self.ood,
            "confidence": round(self.confidence, 4),
            "matches": [m.as_dict() for m in self.matches],
        }
        if self.note:
            out["note"] = self.note
        return out


def lexical_score(key: str, hit: LexicalHit) -> float:
    """0..1 lexical evidence that the request names this part."""
    s = 0.0
    if key in hit.exact:
        s = _EXACT
    pn = hit.part_number.get(key)
    if pn:
        s = max(s, _PART_NUMBER * pn)
    fz = hit.fuzzy.get(key, 0.0)
    if fz >= _FUZZY_FLOOR:
        s = max(s, 0.95 * fz)
    return s


def fused_score(sem: float, lex: float) -> float:
    """The stronger of the two signals, plus a bonus when both agree, scaled to 0..1."""
    return (max(sem, lex) + _AGREEMENT * min(max(sem, 0.0), lex)) / _SCALE


class Retriever:
    """Search one library; build with ``Retriever.default()`` or ``Retriever(library, ...)``."""

    def __init__(
        self,
        library,
        *,
        index: PartIndex | None = None,
        index_path: Path | None = None,
        client=None,
        embedder_factory=None,
        progress: bool = True,
        semantic: str = "numpy",
        ood_model: OODModel | None = None,
    ):
        if semantic not in ("numpy", "chroma"):
            raise ValueError("semantic must be 'numpy' or 'chroma'")
        self.library = library
        self.semantic = semantic
        if index is None:
            index = PartIndex(
                library, client=client, embedder_factory=embedder_factory, progress=progress, path=index_path
            )
        self.index = index.ensure()
        self._embedder_factory = self.index.embedder_factory
        self.lexical = LexicalIndex(library)
        self.ood_model = ood_model or OODModel.load()
        self._prepare()

    # ---- construction -----------------------------------------------------------------------
    _default_lock = threading.Lock()
    _default: "Retriever | None" = None

    @classmethod
    def default(cls) -> "Retriever":
        """The retriever over ``Library.default()``, rebuilt when the library changes."""
        from knowledge.library import Library

        lib = Library.default()
        with cls._default_lock:
            cur = cls._default
            if cur is None or cur.library is not lib:
                cur = cls(lib)
                cls._default = cur
            return cur

    def _prepare(self) -> None:
        idx = self.index
        self.part_keys: list[str] = []
        starts: list[int] = []
        for row, key in enumerate(idx.keys):
            if not self.part_keys or self.part_keys[-1] != key:
                self.part_keys.append(key)
                starts.append(row)
        self._starts = np.asarray(starts, dtype=np.intp)
        self._key_pos = {k: i for i, k in enumerate(self.part_keys)}
        missing = [r.key for r in self.library if r.key not in self._key_pos]
        if missing:
            raise RetrievalError(f"the index lacks parts {missing[:5]}; delete the index folder to rebuild it")
        # texts already embedded: a request equal to a name/alias reuses its vector
        self._vector_of_text: dict[str, int] = {}
        for row, (fld, text) in enumerate(zip(idx.fields, idx.texts)):
            if fld in ("name", "key", "alias"):
                self._vector_of_text.setdefault(" ".join(fold(text).split()), row)

    # ---- semantic ---------------------------------------------------------------------------
    def _cached_vector(self, query: str) -> np.ndarray | None:
        row = self._vector_of_text.get(" ".join(fold(query).split()))
        return None if row is None else self.index.matrix[row]

    def _vectors(self, queries: Sequence[str]) -> list[np.ndarray]:
        out: list[np.ndarray | None] = [self._cached_vector(q) for q in queries]
        todo = [i for i, v in enumerate(out) if v is None]
        if todo:
            emb = self._embedder_factory()
            if len(todo) == 1:
                out[todo[0]] = emb.encode_query(queries[todo[0]])
            else:
                vecs = emb.encode([queries[i] for i in todo])
                for i, v in zip(todo, vecs):
                    out[i] = v
        return out  # type: ignore[return-value]

    def _semantic(self, vec: np.ndarray) -> np.ndarray:
        """Best cosine per part (order of ``self.part_keys``)."""
        if self.semantic == "chroma":
            per = np.full(len(self.part_keys), -1.0, dtype=np.float32)
            for row, cos in self.index.chroma_query(vec, n=80):
                p = self._key_pos[self.index.keys[row]]
                per[p] = max(per[p], cos)
            floor = per[per > -1].min() if (per > -1).any() else 0.0
            per[per == -1] = floor
            return per
        sims = self.index.similarities(vec)
        return np.maximum.reduceat(sims, self._starts)

    # ---- search -----------------------------------------------------------------------------
    def _empty(self, query: str, note: str) -> SearchResult:
        return SearchResult(query=query, ood=True, matches=[], confidence=0.0, note=note)

    def _rank(self, query: str, vec: np.ndarray, k: int) -> SearchResult:
        hit = self.lexical.match(query)
        sem = self._semantic(vec)
        lex = np.zeros(len(self.part_keys), dtype=np.float32)
        for key in set(hit.exact) | set(hit.part_number) | set(hit.fuzzy):
            pos = self._key_pos.get(key)
            if pos is not None:
                lex[pos] = lexical_score(key, hit)
        fused = (np.maximum(sem, lex) + _AGREEMENT * np.minimum(np.maximum(sem, 0.0), lex)) / _SCALE
        # ties (two parts share an alias): a key beats a name beats an alias, then meaning decides
        tie = fused + 1e-3 * sem
        for key, level in hit.exact.items():
            pos = self._key_pos.get(key)
            if pos is not None:
                tie[pos] += 1e-3 * level
        order = np.argsort(-tie, kind="stable")
        top = [int(i) for i in order[: max(k, 2)]]
        best = top[0]
        best_key = self.part_keys[best]
        second = float(fused[top[1]]) if len(top) > 1 else 0.0
        content = hit.content
        feats = OODFeatures(
            semantic=float(sem[best]),
            lexical=float(lex[best]),
            coverage=self.lexical.coverage(content, best_key),
            unknown_words=(len(hit.unknown_words) / len(content)) if content else 0.0,
            unknown_part_number=1.0 if hit.unknown_part_numbers else 0.0,
            margin=float(fused[best]) - second,
        )
        if best_key in hit.exact:
            confidence = 1.0  # the request is this part's key, name or alias
        else:
            confidence = self.ood_model.probability(feats)
        ood = confidence < self.ood_model.threshold
        names = self.lexical.names
        matches = [
            Match(self.part_keys[i], float(min(1.0, max(0.0, fused[i]))), names.get(self.part_keys[i], ""))
            for i in top[:k]
        ]
        note = "not in the library; closest parts listed" if ood else ""
        return SearchResult(query=query, ood=ood, matches=matches, confidence=float(confidence), note=note,
                            features=feats)

    def search(self, query: str, k: int = 5) -> SearchResult:
        """The ``k`` best parts for a request, with an out-of-distribution flag."""
        return self.search_batch([query], k=k)[0]

    def search_batch(self, queries: Iterable[str], k: int = 5) -> list[SearchResult]:
        """Search many requests; the model runs once over all of them."""
        queries = [str(q) for q in queries]
        k = max(1, int(k))
        results: list[SearchResult | None] = [None] * len(queries)
        live: list[int] = []
        for i, q in enumerate(queries):
            if not q.strip():
                results[i] = self._empty(q, "empty query")
            elif not self.part_keys:
                results[i] = self._empty(q, "the component library is empty; add parts with 'circuitsmith kb add FILE'")
            else:
                live.append(i)
        if live:
            vecs = self._vectors([queries[i] for i in live])
            for i, v in zip(live, vecs):
                results[i] = self._rank(queries[i], v, k)
        return results  # type: ignore[return-value]

    def resolve(self, name: str) -> Match | None:
        """The canonical part for a name (key, alias, part number, description), or None if unknown."""
        if name in self.library:
            rec = self.library[name]
            return Match(rec.key, 1.0, rec.name)
        res = self.search(name, k=1)
        return res.best

    def explain(self, query: str) -> dict:
        """The evidence behind a search (for debugging and calibration)."""
        res = self.search(query, k=5)
        hit = self.lexical.match(query)
        return {
            "result": res.as_dict(),
            "features": res.features.as_dict() if res.features else None,
            "lexical": {
                "exact": hit.exact,
                "part_number": hit.part_number,
                "fuzzy": dict(sorted(hit.fuzzy.items(), key=lambda kv: -kv[1])[:5]),
                "unknown_part_numbers": hit.unknown_part_numbers,
                "unknown_words": hit.unknown_words,
                "content": hit.content,
            },
        }

