"""What a request wants measured, and whether any part of the library measures it.

A sentence embedding puts "the oxygen dissolved in the fish tank water" close to the water-level strip and
"blood glucose" close to the pulse oximeter: nearest-neighbour search over the library's own texts always
finds *some* sensor, and nothing in those texts says what else could be measured. This module adds that
other side. ``knowledge/measurands.yaml`` is a taxonomy of what sensors measure, independent of the library,
each quantity with the capability slugs a record carries when it senses it. Which quantities the library
serves is read from the records' typed ``provides`` (a slug any record carries), never from their words.

For a request (its vector) the reading compares two cosines:

- the best quantity no record serves ("measure the pH of the soil": pH);
- the best the library can answer: a served quantity, or any capability text of any record.

When the first is ahead by ``margin`` or more, the request asks to measure something no part of the library
measures (``MeasurandReading.unserved``), whichever sensor ranks first.

Refresh the shipped vectors after the catalog changes::

    .venv/bin/python -m knowledge.measurands
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ClassVar, Iterable

import numpy as np

from knowledge.catalog_reading import CatalogReading, CatalogVectors, best_unserved, load_entries, slug_list
from knowledge.embedding_cache import refresh_command, save_embedded

CATALOG_FILE = Path(__file__).resolve().parent / "measurands.yaml"
VECTORS_FILE = Path(__file__).resolve().parent / "measurand_vectors.npz"
MARGIN = 0.1  # cosine lead of an unserved quantity over all the library answers (calibrate_ood.py refits it)
# the cosine from which a request reads as asking to measure that quantity at all: below it a lead is a lead
# among unrelated texts ("raspbery pico" sits nearer one quantity than another, measuring nothing)
READS_AS_MEASURING = 0.35


@dataclass(frozen=True)
class Measurand:
    measurand: str                  # slug of the quantity (ph, wind-speed)
    description: str                # what is measured, as a person would ask for it
    capabilities: tuple[str, ...]   # capability slugs a record carries when it senses this quantity


@dataclass(frozen=True)
class MeasurandReading(CatalogReading):
    """What a request reads as measuring: the best unserved quantity and how far it leads the library (the served
    side: any served quantity or any record's capability text)."""

    reads_as: ClassVar[float] = READS_AS_MEASURING


def load_catalog(path: Path | None = None) -> list[Measurand]:
    """The catalog, validated: every entry needs a slug, a description and at least one capability slug."""
    path = Path(path) if path else CATALOG_FILE
    return [Measurand(str(item["measurand"]), str(item["description"]),
                      slug_list(item["capabilities"], path, n, "capabilities"))
            for n, item in load_entries(path, "measurand")]


class MeasurandIndex(CatalogVectors):
    """The catalog's quantities as unit vectors, and which of them the library serves.

    Vectors come from the shipped file (``measurand_vectors.npz``); a description missing there is embedded
    by ``embedder_factory`` the first time a reading needs it (or always, with ``shipped=False``: an index
    built with another embedder must compare vectors of one model)."""

    def __init__(self, library: Iterable, embedder_factory: Callable | None = None, shipped: bool = True,
                 catalog: list[Measurand] | None = None):
        self.catalog = catalog if catalog is not None else load_catalog()
        self._of_part = {rec.key: np.asarray([any(s in slugs for s in m.capabilities) for m in self.catalog], dtype=bool)
                         for rec in library
                         for slugs in [{c.capability for c in (getattr(rec, "provides", None) or [])}]}
        self.served = np.zeros(len(self.catalog), dtype=bool)
        for mask in self._of_part.values():
            self.served |= mask
        self._init_vectors([m.description for m in self.catalog], VECTORS_FILE, embedder_factory, shipped)

    def fit(self, reading: MeasurandReading, key: str) -> float:
        """How much better a part measures what the request reads as measuring than anything unserved does: the
        best cosine of a quantity the part's capabilities serve minus that of the best unserved quantity (0 for a
        part that measures nothing in the catalog)."""
        mask = self._of_part.get(key)
        if reading.sims is None or mask is None or not mask.any():
            return 0.0
        own = float(reading.sims[mask].max())
        return own - (reading.unserved_score if reading.unserved else 0.0)

    def read(self, vec: np.ndarray, answered: float) -> MeasurandReading:
        """The reading of one request vector; ``answered``: the request's best cosine with any capability text
        of the library's records (what the library's parts say they do)."""
        if not self.catalog:
            return MeasurandReading(None, 0.0, answered)
        j, score, best_served, sims = best_unserved(self.vectors, self.served, vec, answered)
        return MeasurandReading(None if j is None else self.catalog[j].measurand, score, best_served, sims)


def refresh(path: Path | None = None) -> int:
    return save_embedded([m.description for m in load_catalog()], Path(path) if path else VECTORS_FILE)


def main(argv: list[str] | None = None) -> int:
    return refresh_command(argv, prog="python -m knowledge.measurands", what="measurand descriptions",
                           refresh=refresh, default=VECTORS_FILE)


if __name__ == "__main__":
    sys.exit(main())
