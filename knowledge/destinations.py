"""Where a request sends or keeps data: a mobile phone, the internet, a computer, another board, a file.

``knowledge/destinations.yaml`` lists the places data can be got to, independent of the library, each described in
a few phrasings and with the capability slugs a record carries when it can get data there. A request's vector is
read against the phrasings (an entry's cosine is its best phrasing's); from ``READS_AS_DESTINATION`` on, the
request reads as getting data to that place (``DestinationReading.destination``), and the parts that can get it
there are those whose records provide one of its slugs (``DestinationIndex.serving``). What the request says of the
data itself (a temperature, where a car has been) is what is sent or kept, not the place.

Refresh the shipped vectors after the catalog changes::

    .venv/bin/python -m knowledge.destinations
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Container, Iterable

import numpy as np

from knowledge.catalog_reading import CatalogVectors, load_entries, slug_list
from knowledge.embedding_cache import refresh_command, save_embedded

CATALOG_FILE = Path(__file__).resolve().parent / "destinations.yaml"
VECTORS_FILE = Path(__file__).resolve().parent / "destination_vectors.npz"
# the cosine from which a request reads as getting data to a place (its best phrasing's): below it the place a
# request sits nearest is only the nearest of unrelated texts
READS_AS_DESTINATION = 0.45
REACHES = 0.25  # a part that gets data to the place a request reads as sending it to
# the cosine by which a place leads the next one when the request reads clearly as getting data there: then what it
# says of the data is what is sent or kept (a request near two places at once, "a phone app" and "a call to my
# phone", may be using the word for a thing, "the phone stand": what it says of that thing stays its need)
CLEAR_PLACE = 0.15


@dataclass(frozen=True)
class Destination:
    destination: str                # slug of the place (mobile-phone, file)
    phrasings: tuple[str, ...]      # the place and the way of reaching it, as a person would ask
    capabilities: tuple[str, ...]   # capability slugs a record carries when it gets data there
    gloss: tuple[str, ...] = ()     # the place in a few words (one or more ways of naming it), read against a
                                    # request's single words
    outside: bool = False           # a person's own device or a service, which no part of a build is (a phone, a
                                    # website): a word naming it names the place, not a part


@dataclass(frozen=True)
class DestinationReading:
    """The place a request reads as getting data to (None: none reads), its cosine, and by how much it leads the
    next place."""

    destination: str | None = None
    score: float = 0.0
    lead: float = 0.0

    @property
    def clear(self) -> bool:
        """Whether the request reads as getting data to its place clearly, ahead of every other place."""
        return self.destination is not None and self.lead >= CLEAR_PLACE


def load_catalog(path: Path | None = None) -> list[Destination]:
    """The catalog, validated: every entry needs a slug, a description (one phrasing or a list) and capability
    slugs."""
    path = Path(path) if path else CATALOG_FILE
    out = []
    for n, item in load_entries(path, "destination"):
        phrasings = slug_list(item["description"], path, n, "description")
        out.append(Destination(str(item["destination"]), phrasings,
                               slug_list(item["capabilities"], path, n, "capabilities"),
                               slug_list(item["gloss"], path, n, "gloss") if item.get("gloss") else (),
                               bool(item.get("outside", False))))
    return out


class DestinationIndex(CatalogVectors):
    """The catalog's phrasings as unit vectors, and the parts that serve each place."""

    def __init__(self, library: Iterable, embedder_factory: Callable | None = None, shipped: bool = True,
                 catalog: list[Destination] | None = None):
        self.catalog = catalog if catalog is not None else load_catalog()
        self._texts = [p for d in self.catalog for p in d.phrasings]
        self._entry = np.asarray([i for i, d in enumerate(self.catalog) for _ in d.phrasings], dtype=np.intp)
        slugs_of = {rec.key: {c.capability for c in (getattr(rec, "provides", None) or [])} for rec in library}
        self._serving = {d.destination: frozenset(k for k, slugs in slugs_of.items() if slugs & set(d.capabilities))
                         for d in self.catalog}
        self._init_vectors(self._texts, VECTORS_FILE, embedder_factory, shipped)

    def serving(self, destination: str | None) -> frozenset[str]:
        """The parts whose records get data to this place (none for an unknown one)."""
        return self._serving.get(destination or "", frozenset())

    def scores(self, vec: np.ndarray) -> np.ndarray:
        """The cosine of one request vector with each place (its best phrasing's), in catalog order."""
        sims = self.vectors @ np.asarray(vec, dtype=np.float32)
        per_entry = np.full(len(self.catalog), -1.0, dtype=np.float32)
        np.maximum.at(per_entry, self._entry, sims)
        return per_entry

    def read(self, vec: np.ndarray) -> DestinationReading:
        """The place one request vector reads as getting data to."""
        if not self._texts:
            return DestinationReading()
        per_entry = self.scores(vec)
        j = int(np.argmax(per_entry))
        score = float(per_entry[j])
        lead = score - float(np.delete(per_entry, j).max()) if len(per_entry) > 1 else score
        return DestinationReading(self.catalog[j].destination if score >= READS_AS_DESTINATION else None, score,
                                  lead)


def reaching(index: DestinationIndex, vec: np.ndarray, hosts: Iterable[str] = (),
             boards: Container[str] = (), fitted: Iterable[str] = (), place: str | None = None) -> dict[str, float]:
    """Score changes for the parts that get data to the place a request reads as sending it to: each gains
    ``REACHES``. When the request names the board it builds on (``hosts``), what that board's record already has
    decides:

    - none of them gets data there: the wanted part is one added to that board, and another board that gets data
      there (``boards``: the parts that are boards) would replace it, so loses as much ("from my uno": the Uno's
      record has no Wi-Fi, so a Wi-Fi module, not a Wi-Fi board);
    - one gets data there itself: that board is the part that does it, and only it gains ("from my esp32": its
      record has Wi-Fi, so no Wi-Fi module is wanted); another board that gets data there would replace it, so
      loses as much.

    ``fitted``: the parts providing the link capability the request fits best, when it fits a link best (the
    retriever's reading): where the request reads as no place, a board named that provides it has what is asked
    ("a web page from the wifi of my nodemcu"); one that lacks it changes nothing then (the request may ask for
    another board: "a board like the pico with wifi").

    ``place``: the place the request's words name where its vector reads as none (``knowledge.place_words``)."""
    serving = index.serving(place or index.read(vec).destination)
    hosts = set(hosts)
    has = serving or frozenset(fitted)
    if hosts & has:  # the board named has it: it gains, and another board that has it would replace it
        return {key: REACHES if key in hosts else -REACHES for key in has if key in hosts or key in boards}
    if not serving:
        return {}
    add_on = bool(hosts)
    return {key: -REACHES if add_on and key in boards else REACHES for key in serving}


def refresh(path: Path | None = None) -> int:
    return save_embedded([p for d in load_catalog() for p in d.phrasings], Path(path) if path else VECTORS_FILE)


def main(argv: list[str] | None = None) -> int:
    return refresh_command(argv, prog="python -m knowledge.destinations", what="destination phrasings",
                           refresh=refresh, default=VECTORS_FILE)


if __name__ == "__main__":
    sys.exit(main())
