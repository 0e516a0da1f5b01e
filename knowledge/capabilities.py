"""What the library's parts can do, matched by meaning.

Every record lists what it ``provides`` (a capability slug with a description written the way a
person would ask for it). :class:`CapabilityIndex` embeds those descriptions once (the bundled
MiniLM; vectors are shipped in ``knowledge/capability_vectors.npz`` so a cold start does not pay for
them) and ranks capabilities for a piece of request text by cosine similarity. The vocabulary grows
by adding records, not code.

Refresh the shipped vectors after the descriptions change::

    .venv/bin/python -m knowledge.capabilities
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from knowledge.embedding import get_embedder
from knowledge.embedding_cache import VectorCache, refresh_command, save_embedded
from knowledge.library import BUILTIN_DIR, Library

VECTORS_FILE = Path(__file__).resolve().parent / "capability_vectors.npz"


@dataclass(frozen=True)
class CapabilityEntry:
    key: str          # the record that provides it
    capability: str   # slug
    direction: str
    description: str
    end: str | None = None  # the end of a sensed quantity the description speaks of (high, low)
    person: str | None = None  # how a person takes part: operates it on purpose, or is noticed by it
    behaviour: str | None = None  # the behaviour in time of an output it speaks of (blink, one-shot ...)


@dataclass(frozen=True)
class CapabilityHit:
    capability: str
    key: str
    score: float
    direction: str


def entries(library: Library) -> list[CapabilityEntry]:
    return [CapabilityEntry(r.key, c.capability, c.direction, c.description, c.end, person=c.person,
                            behaviour=c.behaviour)
            for r in sorted(library, key=lambda r: r.key) for c in r.provides]


def providers(library: Library, capability: str) -> list[str]:
    """Keys of the records that provide ``capability``, in library order."""
    return [r.key for r in library if any(c.capability == capability for c in r.provides)]


def person_roles(library: Library) -> dict[str, str]:
    """Capability slug -> how a person takes part in it (``operates``, ``noticed``), as the records state."""
    return {c.capability: c.person for r in library for c in r.provides if c.person}


def provides(library: Library, key: str, capability: str) -> bool:
    rec = library.get(key)
    return rec is not None and any(c.capability == capability for c in rec.provides)


class CapabilityIndex:
    """Capability descriptions as unit vectors; ``rank`` scores texts against them."""

    def __init__(self, library: Library, embedder=None, cache: VectorCache | None = None):
        self.library = library
        self.entries = entries(library)
        self._embedder = embedder
        texts = [e.description for e in self.entries]
        cache = cache if cache is not None else VectorCache.load(VECTORS_FILE)
        found, missing = cache.lookup(texts)
        vecs = np.zeros((len(texts), 384), dtype=np.float32)
        for i, v in found.items():
            vecs[i] = v
        if missing:  # a record added or edited since the vectors were shipped: embed just those
            fresh = self.embedder.encode([texts[i] for i in missing])
            vecs[missing] = fresh
        self.vectors = vecs
        # descriptions of one end of a sensed quantity (``end``) tell which way a condition goes, and those of
        # a behaviour in time (``behaviour``) what an output does; they are not ranked for what a request needs
        # (the capability's own descriptions are): a behaviour is served by a controller's firmware where
        # there is one (:mod:`agents.understand.timing_reading`)
        self._ranked = np.array([e.end is None and e.behaviour is None for e in self.entries], dtype=bool)
        self._seen: dict[str, np.ndarray] = {}

    @property
    def embedder(self):
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        # one short text at a time through the transformer is several times faster than the
        # batch path on a small CPU; a clause seen before is not embedded again
        return np.stack([self._query(t) for t in texts])

    def _query(self, text: str) -> np.ndarray:
        v = self._seen.get(text)
        if v is None:
            v = self.embedder.encode_query(text)
            if len(self._seen) > 4096:
                self._seen.clear()
            self._seen[text] = v
        return v

    def rank(self, texts: Sequence[str], ends: bool = False) -> list[list[CapabilityHit]]:
        """Per text: the best hit of every capability slug, best first; ``ends``: the descriptions of one
        end of a sensed quantity count too (a condition: "once it grows dark")."""
        if not texts or not self.entries:
            return [[] for _ in texts]
        sims = self.embed(texts) @ self.vectors.T
        out = []
        for row in sims:
            best: dict[str, CapabilityHit] = {}
            for j in np.argsort(-row):
                if not (ends or self._ranked[j]):
                    continue
                e = self.entries[j]
                if e.capability not in best:
                    best[e.capability] = CapabilityHit(e.capability, e.key, float(row[j]), e.direction)
            out.append(sorted(best.values(), key=lambda h: -h.score))
        return out


_INDEX: dict[int, tuple[Library, CapabilityIndex]] = {}


def capability_index(library: Library) -> CapabilityIndex:
    """One index per library object (Library.default() returns the same object until records change)."""
    hit = _INDEX.get(id(library))
    if hit is None or hit[0] is not library:
        _INDEX.clear()
        hit = _INDEX[id(library)] = (library, CapabilityIndex(library))
    return hit[1]


def refresh(library: Library | None = None, path: Path | None = None) -> int:
    library = library if library is not None else Library.from_dirs([BUILTIN_DIR])
    return save_embedded([e.description for e in entries(library)], Path(path) if path else VECTORS_FILE)


def main(argv: list[str] | None = None) -> int:
    return refresh_command(argv, prog="python -m knowledge.capabilities",
                           what="capability descriptions", refresh=refresh, default=VECTORS_FILE)


if __name__ == "__main__":
    sys.exit(main())
