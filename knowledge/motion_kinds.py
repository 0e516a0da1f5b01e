"""How a thing is moved, read by meaning: the manner words of a request against short sentences typed by motion.

A request says what it moves and, often in its last words, how: "focus a camera lens [in repeatable tiny
increments]", "open a coop door [with a gear motor turning both ways]", "push a plunger [by tiny measured
amounts]". What is moved (a lens, a door, a plunger) draws the request's vector toward the parts that name such
things; the manner names the motion. ``knowledge/motion_kinds.yaml`` describes each typed motion
(``Capability.motion``) as a manner of moving, with no object and no part named.

``MotionKinds.read`` reads a text's vector against those sentences: the motion nearest (the best of its sentences),
its cosine and its lead over the next motion. Whether the request asks for a motion at all is the caller's reading
(``knowledge.motion_asked``).

Refresh the shipped vectors after the catalog changes::

    .venv/bin/python -m knowledge.motion_kinds
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, get_args

import numpy as np

from knowledge.catalog_reading import CatalogVectors
from knowledge.embedding_cache import refresh_command, save_embedded
from knowledge.record import Motion
from knowledge.yaml_load import safe_load

__all__ = ["MotionKind", "MotionKinds", "load_catalog"]

CATALOG_FILE = Path(__file__).resolve().parent / "motion_kinds.yaml"
VECTORS_FILE = Path(__file__).resolve().parent / "motion_kind_vectors.npz"
MOTIONS = tuple(get_args(Motion))


@dataclass(frozen=True)
class MotionKind:
    motion: str
    description: str


def load_catalog(path: Path | None = None) -> list[MotionKind]:
    """The catalog, validated: every entry a typed motion and a description, no description twice."""
    path = Path(path) if path else CATALOG_FILE
    data = safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of motion descriptions")
    out: list[MotionKind] = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict) or not all(item.get(k) for k in ("motion", "description")):
            raise ValueError(f"{path}: entry {n} needs motion and description")
        if item["motion"] not in MOTIONS:
            raise ValueError(f"{path}: entry {n}: motion must be one of {MOTIONS}")
        if any(k.description == item["description"] for k in out):
            raise ValueError(f"{path}: entry {n}: description listed twice")
        out.append(MotionKind(str(item["motion"]), str(item["description"])))
    return out


@dataclass(frozen=True)
class MotionReading:
    motion: str | None  # the motion read nearest (None: an empty catalog)
    cos: float          # its best sentence's cosine
    lead: float         # over the best sentence of any other motion


class MotionKinds(CatalogVectors):
    """The catalog's sentences as unit vectors (the shipped file first, the embedder for any it lacks)."""

    def __init__(self, embedder_factory: Callable | None = None, shipped: bool = True,
                 catalog: list[MotionKind] | None = None):
        self.catalog = catalog if catalog is not None else load_catalog()
        self.motions = np.asarray([k.motion for k in self.catalog], dtype=object)
        self._init_vectors([k.description for k in self.catalog], VECTORS_FILE, embedder_factory, shipped)

    def read(self, vec: np.ndarray) -> MotionReading:
        """The motion a text (its unit vector) reads nearest, its cosine and its lead over any other motion."""
        if not self.catalog:
            return MotionReading(None, -1.0, 0.0)
        sims = self.vectors @ np.asarray(vec, dtype=np.float32)
        j = int(np.argmax(sims))
        other = sims[self.motions != self.motions[j]]
        return MotionReading(str(self.motions[j]), float(sims[j]),
                             float(sims[j] - other.max()) if len(other) else float(sims[j]))


def refresh(path: Path | None = None) -> int:
    return save_embedded([k.description for k in load_catalog()], Path(path) if path else VECTORS_FILE)


def main(argv: list[str] | None = None) -> int:
    return refresh_command(argv, prog="python -m knowledge.motion_kinds", what="motion descriptions",
                           refresh=refresh, default=VECTORS_FILE)


if __name__ == "__main__":
    sys.exit(main())
