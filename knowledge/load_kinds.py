"""Kinds of load a request switches or powers that no record is, typed by the supply they run on.

A request names the thing its switch works on as often as the switch: "turn the coffee machine on from code", "let a
script stop the toaster". No record is a coffee machine, and the words that name one say nothing of its supply; a
person knows it plugs into the wall. ``knowledge/load_kinds.yaml`` says so once per kind (kitchen appliances, room
and water heaters, mains lights, household machines), each described in one sentence and typed with its supply.

``LoadKinds.read`` reads the words that name what a request works on (a vector) against those descriptions: the best
kind and its cosine. Whether the thing is that kind or one of the library's own loads (a 12 V fan, a car bulb) is the
caller's choice (``knowledge.acted_on``: the nearer of the two, by meaning).

Refresh the shipped vectors after the catalog changes::

    .venv/bin/python -m knowledge.load_kinds
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from knowledge.catalog_reading import CatalogVectors
from knowledge.embedding_cache import refresh_command, save_embedded
from knowledge.yaml_load import safe_load

__all__ = ["LoadKind", "LoadKinds", "load_catalog"]

CATALOG_FILE = Path(__file__).resolve().parent / "load_kinds.yaml"
VECTORS_FILE = Path(__file__).resolve().parent / "load_kind_vectors.npz"
SUPPLIES = ("mains",)


@dataclass(frozen=True)
class LoadKind:
    kind: str
    description: str
    supply: str  # "mains": the house's AC supply


def load_catalog(path: Path | None = None) -> list[LoadKind]:
    """The catalog, validated: every entry a kind, a description and a known supply, no kind twice."""
    path = Path(path) if path else CATALOG_FILE
    data = safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of load kinds")
    out: list[LoadKind] = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict) or not all(item.get(k) for k in ("kind", "description", "supply")):
            raise ValueError(f"{path}: entry {n} needs kind, description and supply")
        if item["supply"] not in SUPPLIES:
            raise ValueError(f"{path}: entry {n}: supply must be one of {SUPPLIES}")
        if any(k.kind == item["kind"] for k in out):
            raise ValueError(f"{path}: kind {item['kind']!r} listed twice")
        out.append(LoadKind(str(item["kind"]), str(item["description"]), str(item["supply"])))
    return out


class LoadKinds(CatalogVectors):
    """The catalog's descriptions as unit vectors (the shipped file first, the embedder for any it lacks)."""

    def __init__(self, embedder_factory: Callable | None = None, shipped: bool = True,
                 catalog: list[LoadKind] | None = None):
        self.catalog = catalog if catalog is not None else load_catalog()
        self.mains = np.asarray([k.supply == "mains" for k in self.catalog], dtype=bool)
        self._init_vectors([k.description for k in self.catalog], VECTORS_FILE, embedder_factory, shipped)

    def read(self, vec: np.ndarray) -> tuple[int | None, float]:
        """The kind a text (its unit vector) reads nearest and the cosine; (None, -1) for an empty catalog."""
        if not self.catalog:
            return None, -1.0
        sims = self.vectors @ np.asarray(vec, dtype=np.float32)
        j = int(np.argmax(sims))
        return j, float(sims[j])


def refresh(path: Path | None = None) -> int:
    return save_embedded([k.description for k in load_catalog()], Path(path) if path else VECTORS_FILE)


def main(argv: list[str] | None = None) -> int:
    return refresh_command(argv, prog="python -m knowledge.load_kinds", what="load kind descriptions",
                           refresh=refresh, default=VECTORS_FILE)


if __name__ == "__main__":
    sys.exit(main())
