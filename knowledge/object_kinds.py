"""Kinds of everyday object a request watches or keeps, and what being that kind implies.

A request names the thing it senses as often as the quantity: "how cold the chest freezer gets", "the flue of the
wood burner", "the soup on the hob". No record is a freezer, and the words that name one say nothing of its
temperature; a person knows a freezer holds -18 °C and a stove pipe runs at a few hundred degrees, so a sensor rated
from 0 °C cannot read the first, nor one rated to 125 °C the second. ``knowledge/object_kinds.yaml`` says so once per
kind (cold stores, rooms and warm boxes, liquids on the hob, ovens, stoves and kilns), each described in one sentence
and typed with the temperatures it runs at; a container, with what it holds (a liquid, or a solid: rubbish, grain).

``ObjectKinds.read`` reads a request (its unit vector) against those descriptions: the kind it comes nearest, where
it comes near enough (``READ``) and nearer it than any rival kind whose temperatures differ (``LEAD``): "the
temperature inside the fridge" reads as a fridge, "a temperature sensor" as nothing in particular.
``ObjectKinds.temperature_deltas`` reads the kind's temperatures against the parts' typed ``temperature_span``: among
the first candidates a temperature sensor rated for a span that leaves out the object's loses, where a sibling
covers it (``knowledge.stated_facts``' rule: a fact decides among siblings only). A temperature the request
states in °C (the units library: "1250 °C") is read the same way, before any kind. ``ObjectKinds.contents_deltas``
reads what a container holds against the parts typed ``wetted`` (a water level strip reads the water that wets its
traces): where it holds a solid ("how full the kitchen bin is"), they read nothing of it and lose.
``ObjectKinds.store_deltas`` reads a store (a water butt, a fuel tank, a bin) against the parts' typed capabilities:
what is watched of a store is how full it is (its ``watched_by`` slugs: a level, a distance down to its contents, a
weight), and a sensor that senses something else (rain falling on a plate) loses.

Refresh the shipped vectors after the catalog changes::

    .venv/bin/python -m knowledge.object_kinds
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from knowledge.catalog_reading import CatalogVectors
from knowledge.embedding_cache import refresh_command, save_embedded
from knowledge.yaml_load import safe_load

__all__ = ["ObjectKind", "ObjectKinds", "load_catalog", "READ", "LEAD", "OUT_OF_SPAN", "DRY", "CONTENTS"]

CATALOG_FILE = Path(__file__).resolve().parent / "object_kinds.yaml"
VECTORS_FILE = Path(__file__).resolve().parent / "object_kind_vectors.npz"
READ = 0.40         # the cosine from which a request reads as being about a kind of object at all
LEAD = 0.04         # ... and how far nearer than any rival kind whose temperatures differ
OUT_OF_SPAN = 0.15  # a temperature sensor whose typed span leaves out the temperatures of what it is to sense
DRY = 0.25          # a sensor that reads a liquid by being wetted, where what the container holds is solid
UNWATCHED = 0.15    # a sensor none of whose capabilities senses how full a store is, where the request reads as one
CONTENTS = ("liquid", "solid")


@dataclass(frozen=True)
class ObjectKind:
    kind: str
    description: str
    temperature_c: tuple[float, float] | None = None  # the temperatures it runs at in use, °C
    contents: str | None = None  # what a container holds: "liquid" or "solid"
    watched_by: tuple[str, ...] = ()  # for a store: the capability slugs that sense how full it is

    @property
    def implies(self) -> tuple:
        """What being this kind implies, all of it: two kinds that imply the same are no rivals."""
        return self.temperature_c, self.contents, self.watched_by


def load_catalog(path: Path | None = None) -> list[ObjectKind]:
    """The catalog, validated: every entry a kind and a description, no kind twice, a temperature span low to high."""
    path = Path(path) if path else CATALOG_FILE
    data = safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of object kinds")
    out: list[ObjectKind] = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict) or not all(item.get(k) for k in ("kind", "description")):
            raise ValueError(f"{path}: entry {n} needs kind and description")
        if any(k.kind == item["kind"] for k in out):
            raise ValueError(f"{path}: kind {item['kind']!r} listed twice")
        span = item.get("temperature_c")
        if span is not None:
            if not (isinstance(span, list) and len(span) == 2 and float(span[0]) <= float(span[1])):
                raise ValueError(f"{path}: entry {n}: temperature_c must be [low, high]")
            span = (float(span[0]), float(span[1]))
        contents = item.get("contents")
        if contents is not None and contents not in CONTENTS:
            raise ValueError(f"{path}: entry {n}: contents must be one of {CONTENTS}")
        watched = item.get("watched_by") or []
        if not isinstance(watched, list) or not all(isinstance(w, str) and w for w in watched):
            raise ValueError(f"{path}: entry {n}: watched_by must be a list of capability slugs")
        out.append(ObjectKind(str(item["kind"]), str(item["description"]), span, contents, tuple(watched)))
    return out


def covers(span: tuple[float, float], need: tuple[float, float]) -> bool:
    """Whether a part's typed temperature span reads every temperature of ``need``."""
    return span[0] <= need[0] and need[1] <= span[1]


class ObjectKinds(CatalogVectors):
    """The catalog's descriptions as unit vectors (the shipped file first, the embedder for any it lacks)."""

    def __init__(self, embedder_factory: Callable | None = None, shipped: bool = True,
                 catalog: list[ObjectKind] | None = None):
        self.catalog = catalog if catalog is not None else load_catalog()
        self._init_vectors([k.description for k in self.catalog], VECTORS_FILE, embedder_factory, shipped)

    def read(self, vec: np.ndarray) -> ObjectKind | None:
        """The kind a request (its unit vector) reads as clearly: at least ``READ``, and ``LEAD`` nearer than any
        kind that implies something else; None where it reads as none."""
        if not self.catalog:
            return None
        sims = self.vectors @ np.asarray(vec, dtype=np.float32)
        j = int(np.argmax(sims))
        best = self.catalog[j]
        if float(sims[j]) < READ:
            return None
        rivals = [float(s) for k, s in zip(self.catalog, sims) if k.implies != best.implies]
        if rivals and float(sims[j]) - max(rivals) < LEAD:
            return None
        return best

    def temperature_deltas(self, vec: np.ndarray, stated: Sequence[float], first: Sequence[str],
                           spans: Mapping[str, tuple[float, float]]) -> dict[str, float]:
        """Score change per part key: the temperatures a request asks a sensor to read (``stated``, °C, else those
        of the kind of object it reads as) against the typed spans (``spans``: key -> (low, high) °C) of the parts
        that type one. Only where one of the first candidates (``first``) types a span and some typed part covers the
        temperatures (a sibling rated for them): then each typed part whose span leaves them out loses."""
        typed = [k for k in first if k in spans]
        if not typed:
            return {}
        if stated:
            need = (min(stated), max(stated))
        else:
            kind = self.read(vec)
            if kind is None or kind.temperature_c is None:
                return {}
            need = kind.temperature_c
        if not any(covers(span, need) for span in spans.values()):
            return {}  # no part reads it: a sensor the library lacks, not a choice among siblings
        return {k: -OUT_OF_SPAN for k, span in spans.items() if not covers(span, need)}


    def contents_deltas(self, vec: np.ndarray, wetted: Iterable[str]) -> dict[str, float]:
        """Score change per part key where the request reads clearly as a container of a solid (a bin, a hopper): a
        sensor that reads a liquid by being wetted (``wetted``: typed keys) reads nothing there, and loses (whatever
        ranks first: what the request reads as sensing is credited after the facts are read)."""
        wetted = set(wetted)
        if not wetted:
            return {}
        kind = self.read(vec)
        if kind is None or kind.contents != "solid":
            return {}
        return {k: -DRY for k in wetted}


    def store_deltas(self, vec: np.ndarray, senses: Mapping[str, frozenset[str]], degree: bool = False,
                     mute: Iterable[str] = ()) -> dict[str, float]:
        """Score change per part key where the request reads clearly as a store (a water butt, a fuel tank, a bin):
        what is watched of a store is how full it is, so a part that only senses (``senses``: key -> the slugs of its
        sensing capabilities, for the parts that act on nothing) and carries none of the store's ``watched_by`` slugs
        loses (a rain plate reads rain falling on it, not the water in a barrel). Parts that act or carry data are
        left alone: what is done with a store, or where its reading is sent, is another need; but where the request
        asks how much there is (``degree``: "how full is the water butt"), a part that neither senses nor carries
        data (``mute``: a jack, a supply, a pump) gives no reading of it and loses as well."""
        kind = self.read(vec)
        if kind is None or not kind.watched_by:
            return {}
        watched = set(kind.watched_by)
        if not any(slugs & watched for slugs in senses.values()):
            return {}  # no part watches it: a sensor the library lacks
        out = {k: -UNWATCHED for k, slugs in senses.items() if not slugs & watched}
        if degree:
            out.update({k: -UNWATCHED for k in mute})
        return out


def refresh(path: Path | None = None) -> int:
    return save_embedded([k.description for k in load_catalog()], Path(path) if path else VECTORS_FILE)


def main(argv: list[str] | None = None) -> int:
    return refresh_command(argv, prog="python -m knowledge.object_kinds", what="object kind descriptions",
                           refresh=refresh, default=VECTORS_FILE)


if __name__ == "__main__":
    sys.exit(main())
