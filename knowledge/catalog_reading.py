"""A catalog kept independent of the library, read against one request vector.

``knowledge.measurands`` (what sensors measure), ``knowledge.products`` (finished things) and
``knowledge.destinations`` (where data is got to) are lists of entries with a description and the capability slugs
a record carries when it serves the entry. They need the same pieces, kept here once: the catalog file read and validated, the descriptions as unit vectors (the shipped vector
file first, the embedder for any description it lacks), and the best entry no record serves beside the best the
library answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ClassVar

import numpy as np

from knowledge.embedding import DIM, get_embedder
from knowledge.embedding_cache import VectorCache
from knowledge.yaml_load import safe_load


@dataclass(frozen=True)
class CatalogReading:
    """A request read against a catalog: its best unserved entry and how far that leads the library. A catalog's
    reading sets ``reads_as``, the cosine from which a request reads as asking for an entry at all (below it a
    lead is a lead among unrelated texts)."""

    reads_as: ClassVar[float] = 0.0
    unserved: str | None   # slug of the best entry no record serves (None: every entry is served)
    unserved_score: float  # its cosine with the request
    served_score: float    # the best cosine of a served entry or of the library's own texts
    sims: np.ndarray | None = field(default=None, repr=False, compare=False)  # cosine with every catalog entry

    @property
    def lead(self) -> float:
        """How far the best unserved entry is ahead of everything the library answers (may be negative; -1 when
        no entry is unserved or the request does not read as asking for it at all)."""
        if not self.unserved or self.unserved_score < self.reads_as:
            return -1.0
        return self.unserved_score - self.served_score


def description_vectors(texts: list[str], vectors_file: Path, shipped: bool, factory: Callable) -> np.ndarray:
    """The texts as unit vectors: from ``vectors_file`` where it holds them (with ``shipped``), the rest (or all,
    without it: vectors of one model are compared) embedded by ``factory()``."""
    vecs = np.zeros((len(texts), DIM), dtype=np.float32)
    missing = list(range(len(texts)))
    if shipped:
        found, missing = VectorCache.load(vectors_file).lookup(texts)
        for i, v in found.items():
            vecs[i] = v
    if missing:
        vecs[missing] = np.asarray(factory().encode([texts[i] for i in missing]), dtype=np.float32)
    return vecs


class CatalogVectors:
    """A catalog index's texts as unit vectors, made on first use by ``description_vectors``: from the shipped
    ``vectors_file`` (with ``shipped``), any text it lacks (or all, without it) embedded by ``embedder_factory``."""

    def _init_vectors(self, texts: list[str], vectors_file: Path, embedder_factory: Callable | None,
                      shipped: bool) -> None:
        self._texts = texts
        self._vectors_file = vectors_file
        self._factory = embedder_factory or get_embedder
        self._shipped = shipped
        self._vectors: np.ndarray | None = None

    @property
    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            self._vectors = description_vectors(self._texts, self._vectors_file, self._shipped, self._factory)
        return self._vectors


def best_unserved(vectors: np.ndarray, served: np.ndarray, vec: np.ndarray,
                  answered: float) -> tuple[int | None, float, float, np.ndarray | None]:
    """(index of the best entry no record serves or None, its cosine, the best the library answers: a served
    entry's cosine or ``answered``, the cosine with every entry or None for an empty catalog)."""
    if not len(vectors):
        return None, 0.0, answered, None
    sims = vectors @ np.asarray(vec, dtype=np.float32)
    best_served = max(float(sims[served].max()) if served.any() else -1.0, answered)
    if served.all():
        return None, 0.0, best_served, sims
    j = int(np.argmax(np.where(served, -np.inf, sims)))
    return j, float(sims[j]), best_served, sims


def slug_list(value, path: Path, n: int, name: str) -> tuple[str, ...]:
    """A field of capability slugs: one slug, a list of them, or nothing."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        raise ValueError(f"{path}: entry {n}: {name} must be a list of capability slugs")
    return tuple(str(v) for v in value)


def load_entries(path: Path, slug_field: str) -> list[tuple[int, dict]]:
    """The catalog file's entries, validated: a list of mappings, each with its slug (``slug_field``), a
    description and at least one capability slug, no slug twice. Returns (entry number, mapping) pairs."""
    data = safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of {slug_field}s")
    out, seen = [], set()
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict) or not all(item.get(k) for k in (slug_field, "description", "capabilities")):
            raise ValueError(f"{path}: entry {n} needs {slug_field}, description and capabilities")
        slug = str(item[slug_field])
        if slug in seen:
            raise ValueError(f"{path}: {slug_field} {slug!r} listed twice")
        seen.add(slug)
        out.append((n, item))
    return out
