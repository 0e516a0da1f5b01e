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

The other way round, a request that names the event or state to sense rather than a part ("the jolt when a crate
is dropped", "which way a boat points") reads as a quantity through each entry's ``signs``: what the quantity shows
up as (an acceleration as a jolt, shaking or a fall). ``MeasurandIndex.sensed`` reads the request's vector against
every entry's description and signs; where a quantity the library serves reads best, clearly, and better than
anything the library's parts do to a load (a request to shake, tilt or fill something acts, it does not sense),
the parts whose capabilities serve it are the ones that measure what is asked (``Sensed.parts``).

Refresh the shipped vectors after the catalog changes::

    .venv/bin/python -m knowledge.measurands
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ClassVar, Iterable, Sequence

import numpy as np

from knowledge.catalog_reading import CatalogReading, CatalogVectors, best_unserved, load_entries, slug_list
from knowledge.embedding_cache import refresh_command, save_embedded
from knowledge.measurand_words import named_quantity

CATALOG_FILE = Path(__file__).resolve().parent / "measurands.yaml"
VECTORS_FILE = Path(__file__).resolve().parent / "measurand_vectors.npz"
MARGIN = 0.1  # cosine lead of an unserved quantity over all the library answers (calibrate_ood.py refits it)
# the cosine from which a request reads as asking to measure that quantity at all: below it a lead is a lead
# among unrelated texts ("raspbery pico" sits nearer one quantity than another, measuring nothing)
READS_AS_MEASURING = 0.35
# the cosine from which a request reads as naming a quantity to sense by its description or signs, and how far the
# best such quantity must lead the best quantity its parts do not serve (fitted on the calibration split)
SENSED = 0.30
SENSED_LEAD = 0.06


@dataclass(frozen=True)
class Measurand:
    measurand: str                  # slug of the quantity (ph, wind-speed)
    description: str                # what is measured, as a person would ask for it
    capabilities: tuple[str, ...]   # capability slugs a record carries when it senses this quantity
    signs: tuple[str, ...] = ()     # what the quantity shows up as: the events and states a person notices
    amounts: tuple[str, ...] = ()   # how much of it there is, as a person asks (how far, how steep, how hard)
    unit: str = ""                  # the unit its values are written in, as circuit.quantities reads them ("°C")
    changed_by: tuple[str, ...] = ()  # capability slugs of the parts that change it (a heater, a cooler)


@dataclass(frozen=True)
class MeasurandReading(CatalogReading):
    """What a request reads as measuring: the best unserved quantity and how far it leads the library (the served
    side: any served quantity or any record's capability text)."""

    reads_as: ClassVar[float] = READS_AS_MEASURING


def load_catalog(path: Path | None = None) -> list[Measurand]:
    """The catalog, validated: every entry needs a slug, a description and at least one capability slug."""
    path = Path(path) if path else CATALOG_FILE
    return [Measurand(str(item["measurand"]), str(item["description"]),
                      slug_list(item["capabilities"], path, n, "capabilities"),
                      tuple(str(t) for t in item.get("signs") or ()),
                      tuple(str(t) for t in item.get("amounts") or ()),
                      str(item.get("unit") or ""),
                      slug_list(item["changed_by"], path, n, "changed_by") if item.get("changed_by") else ())
            for n, item in load_entries(path, "measurand")]


@dataclass(frozen=True)
class Sensed:
    """The quantity a request reads as asking to sense, by its description or signs (``MeasurandIndex.sensed``)."""

    measurand: str | None = None     # slug of the quantity (None: no served quantity reads clearly)
    score: float = 0.0               # its best cosine with the request
    parts: frozenset[str] = frozenset()  # keys of the records whose capabilities serve it
    lead: float = 0.0                # how far it leads its rivals and what the parts do other than sense
    amount: bool = False             # an amount of it is asked (its description or an amount read best), not an event
    serving: frozenset[str] = frozenset()  # keys of every record serving it (``parts`` may keep only some)


def _texts(m: Measurand) -> tuple[str, ...]:
    return (m.description, *m.amounts, *m.signs)


# the pin functions that carry a reading as data (a bus, a one-wire line): a part with one, or with an analog output,
# reports how much of a quantity there is; one whose only output is a digital line reports a state (a tilt switch)
_DATA_FUNCTIONS = frozenset({"i2c_sda", "spi_miso", "uart_tx", "i2s", "data"})


def reports_amount(rec) -> bool:
    """Whether a record's pins carry an amount (an analog output or a data line), not only an on/off state."""
    return any(p.type == "analog_out" or _DATA_FUNCTIONS.intersection(p.functions)
               for p in getattr(rec, "pins", None) or [])


class _SignTexts(CatalogVectors):
    """Every entry's description, amounts and signs as unit vectors (rows grouped by entry, in catalog order), and
    which rows ask an amount of the quantity (its description and amounts)."""

    def __init__(self, catalog: list[Measurand], embedder_factory: Callable | None, shipped: bool):
        texts = [t for m in catalog for t in _texts(m)]
        self.starts = np.cumsum([0] + [len(_texts(m)) for m in catalog[:-1]]).astype(np.intp)
        self.amount = np.asarray([i <= len(m.amounts) for m in catalog for i in range(len(_texts(m)))], dtype=bool)
        self._init_vectors(texts, VECTORS_FILE, embedder_factory, shipped)


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
        self._signs = _SignTexts(self.catalog, embedder_factory, shipped)
        self._parts_of = [frozenset(k for k, mask in self._of_part.items() if mask[j]) for j in range(len(self.catalog))]
        self._amount_parts = frozenset(rec.key for rec in library if reports_amount(rec))
        self.measuring = frozenset(k for k, mask in self._of_part.items() if mask.any())  # parts measuring any entry
        # entries served by some of the same parts (acceleration, orientation and rotation rate, by one IMU): no
        # rivals of each other, whichever reads best decides which of those parts measure what is asked
        self._alike = np.asarray([[bool(a & b) for b in self._parts_of] for a in self._parts_of],
                                 dtype=bool).reshape(len(self.catalog), len(self.catalog))
        self._rows = self._owners = np.zeros(0, dtype=np.intp)  # index texts speaking for a quantity (bind_rows)

    def bind_rows(self, row_slugs: Sequence[Iterable[str]], sensing: np.ndarray) -> None:
        """Join a search index's texts to the quantities: a text that states a sensing capability (``sensing``)
        speaks for every quantity its slugs (``row_slugs``, one entry per text) serve. What the records say they
        sense ("detect single and double taps") is then read beside each quantity's own description and signs."""
        rows, owners = [], []
        for j, m in enumerate(self.catalog):
            wanted = set(m.capabilities)
            for r, slugs in enumerate(row_slugs):
                if sensing[r] and wanted.intersection(slugs):
                    rows.append(r)
                    owners.append(j)
        self._rows = np.asarray(rows, dtype=np.intp)
        self._owners = np.asarray(owners, dtype=np.intp)

    def sensed(self, vec: np.ndarray, row_sims: np.ndarray | None = None, acts: float = -1.0,
               degree: bool = False, words: Callable[[], np.ndarray] | None = None) -> Sensed:
        """The served quantity a request reads as asking to sense: the best entry by its description, any of its
        signs or any text a record serving it says it senses (``row_sims``: the request's cosine with the texts of
        the index bound by ``bind_rows``), when that entry is served, reaches ``SENSED`` and leads by
        ``SENSED_LEAD`` both every entry none of its parts serve (an unserved one, or one other parts serve:
        "dropped" reads as a drop and as drops of rain) and ``acts``, the request's best cosine with what
        the library's parts do other than sense (a request to shake a controller or fill a tank acts on the thing
        the quantity belongs to). ``Sensed.lead`` is that margin.

        Where an amount of the quantity is asked (``degree``: the request asks how much; or the entry's description
        or one of its amounts reads best of its own texts: "how steep the ramp is"), the parts are those of its
        parts whose pins report an amount (``reports_amount``), where any does: a switch that only changes state
        past a set point (a tilt switch) tells that it tipped, not how far.

        Where the best entry leads its rivals by less than ``SENSED_LEAD``, or is one no part serves, the request's
        words are read one by one (``words``: their unit vectors, asked only then): the entry among those the sentence
        reads about equally that one word names clearly is the quantity asked (``knowledge.measurand_words``: "record
        how much the bridge trembles" reads nearly as much as the load cell's bridge; "trembles" names the quantity)."""
        if not self.catalog:
            return Sensed()
        text_sims = self._signs.vectors @ np.asarray(vec, dtype=np.float32)
        sims = np.maximum.reduceat(text_sims, self._signs.starts)
        own = sims.copy()  # by the catalog's own texts, without what the records say
        if row_sims is not None and len(self._rows):
            np.maximum.at(sims, self._owners, row_sims[self._rows])
        j = int(np.argmax(sims))
        score = float(sims[j])
        if score < SENSED:
            return Sensed()
        rivals = sims[~self._alike[j]]
        ahead = score - (float(rivals.max()) if len(rivals) else -1.0)
        contenders = sims >= score - SENSED_LEAD
        # (words are read only where one of the contenders could come out of it: a served one the request reads as
        # sensing more than as anything the parts do)
        if ((ahead < SENSED_LEAD or not self.served[j]) and words is not None
                and bool(np.any(contenders & self.served & (own - acts >= SENSED_LEAD)))):
            # several quantities read about equally: the one a word of the request names (the predicate, not the
            # thing it happens to)
            k, word_lead = named_quantity(words(), self._signs.vectors, self._signs.starts, contenders, self._alike)
            if k is not None and self.served[k] and sims[k] >= SENSED:
                j, score, ahead = k, float(sims[k]), word_lead
        if not self.served[j]:
            return Sensed()
        # (what the parts do is weighed against the quantity's own texts: a record's sensing text may say what its
        # readings go to, "log temperature and humidity", and a request to store readings shares those words)
        lead = min(ahead, float(own[j]) - acts)
        if lead < SENSED_LEAD:
            return Sensed()
        start = int(self._signs.starts[j])
        end = start + len(_texts(self.catalog[j]))
        amount = degree or bool(self._signs.amount[start + int(np.argmax(text_sims[start:end]))])
        parts = self._parts_of[j]
        if amount and parts & self._amount_parts:
            parts = parts & self._amount_parts
        return Sensed(self.catalog[j].measurand, score, parts, lead, amount, self._parts_of[j])

    @property
    def text_vectors(self) -> np.ndarray:
        """Every entry's description, amounts and signs as unit vectors (the texts ``sensed`` reads)."""
        return self._signs.vectors

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
    return save_embedded([t for m in load_catalog() for t in _texts(m)],
                         Path(path) if path else VECTORS_FILE)


def main(argv: list[str] | None = None) -> int:
    return refresh_command(argv, prog="python -m knowledge.measurands", what="measurand descriptions and signs",
                           refresh=refresh, default=VECTORS_FILE)


if __name__ == "__main__":
    sys.exit(main())
