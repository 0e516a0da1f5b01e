"""Whether a request asks for a finished product, instrument or assembly, and whether any record is that thing.

The library holds single parts and modules. A request can name a whole thing as if it were one part ("a
multimeter", "a smart doorbell with a camera", "a 3D printer"), and nearest-neighbour search over the library's
texts always finds *some* part it is built around (the current sensor, the camera board, the stepper motor).
Nothing in those texts says what else could be asked for. ``knowledge/products.yaml`` is that other side: a
taxonomy of finished things, independent of the library, each with the capability slugs a record carries when it
*is* that thing and the slugs of the parts it is built from. Which products the library serves is read from the
records' typed ``provides`` (a slug any record carries), never from their words.

For a request (its vector) the reading compares two cosines, as ``knowledge.measurands`` does for quantities:

- the best product no record is ("a variable bench supply": the bench power supply);
- the best the library can answer: a product a record is, or any text of any record (what each part is
  called and what it does).

When the first is ahead by ``margin`` or more, the request asks for a thing no part of the library is
(``ProductReading.unserved``), whichever part ranks first; ``ProductIndex.parts_for`` names the library's parts
it could be built from.

Refresh the shipped vectors after the catalog changes::

    .venv/bin/python -m knowledge.products
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ClassVar, Iterable

import numpy as np

from knowledge.catalog_reading import CatalogReading, CatalogVectors, best_unserved, load_entries, slug_list
from knowledge.embedding_cache import refresh_command, save_embedded
from knowledge.lexical import GRAMMAR_WORDS, content_tokens, opening_verb, tokens

CATALOG_FILE = Path(__file__).resolve().parent / "products.yaml"
VECTORS_FILE = Path(__file__).resolve().parent / "product_vectors.npz"
# cosine lead of an unserved product over all the library answers: calibrate_ood.py's choice on the calibration split
# (2026-12-07: of the margins that rule out no in-library calibration request, the best-scoring run is its first)
MARGIN = 0.02
# the cosine from which a request reads as naming that product at all: below it a lead is a lead among unrelated
# texts (a request about nothing in the catalog sits nearer one product than another)
READS_AS_PRODUCT = 0.5
# the cosine below which a request reads as no product at all, however its lead over the library's texts falls (a word of
# another language, a bare part name: every cosine is low, and their differences say nothing): the raw lead the OOD
# model weighs (``OODFeatures.product``) is then none (-1). Calibration split, 2026-12-07: the in-library requests whose
# raw lead came near zero mostly read below it (0.13-0.31: "Relais", "moteur pas à pas", "Seeeduino XIAO"), the
# out-of-library ones near zero above it (0.36-0.48) but one
READS_AT_ALL = 0.35


@dataclass(frozen=True)
class Product:
    product: str                    # slug of the kind of thing (multimeter, 3d-printer)
    description: str                # what it is, as a person would name and describe it
    capabilities: tuple[str, ...]   # capability slugs a record carries when it is this thing
    built_from: tuple[str, ...] = ()  # capability slugs of the parts it is usually built from
    part: bool = False              # a kind of single part or module (a triac), not a finished thing


@dataclass(frozen=True)
class ProductReading(CatalogReading):
    """What a request reads as asking for: the best unserved product and how far it leads the library (the served
    side: any product a record is or any record's text)."""

    reads_as: ClassVar[float] = READS_AS_PRODUCT


def load_catalog(path: Path | None = None) -> list[Product]:
    """The catalog, validated: every entry needs a slug, a description and at least one capability slug."""
    path = Path(path) if path else CATALOG_FILE
    return [Product(str(item["product"]), str(item["description"]),
                    slug_list(item["capabilities"], path, n, "capabilities"),
                    slug_list(item.get("built_from"), path, n, "built_from"), bool(item.get("part", False)))
            for n, item in load_entries(path, "product")]


class ProductIndex(CatalogVectors):
    """The catalog's products as unit vectors, which of them the library serves, and the parts each is built from.

    Vectors come from the shipped file (``product_vectors.npz``); a description missing there is embedded by
    ``embedder_factory`` the first time a reading needs it (or always, with ``shipped=False``: an index built
    with another embedder must compare vectors of one model)."""

    def __init__(self, library: Iterable, embedder_factory: Callable | None = None, shipped: bool = True,
                 catalog: list[Product] | None = None):
        self.catalog = catalog if catalog is not None else load_catalog()
        records = list(library)
        provided: dict[str, list[str]] = {}  # capability slug -> keys of the records that provide it
        for rec in records:
            for cap in getattr(rec, "provides", None) or []:
                keys = provided.setdefault(cap.capability, [])
                if rec.key not in keys:
                    keys.append(rec.key)
        self._provided = provided
        self.served = np.asarray([any(s in provided for s in p.capabilities) for p in self.catalog], dtype=bool)
        self._init_vectors([p.description for p in self.catalog], VECTORS_FILE, embedder_factory, shipped)

    def index_of(self, slug: str | None) -> int | None:
        """The position of a product in the catalog (and its vectors), or None."""
        return next((j for j, p in enumerate(self.catalog) if p.product == slug), None)

    def product(self, slug: str) -> Product | None:
        return next((p for p in self.catalog if p.product == slug), None)

    def parts_for(self, slug: str, limit: int = 2) -> list[tuple[str, list[str]]]:
        """The kinds of part a product is built from that the library has, each with up to ``limit`` keys of the
        records providing it (in catalog order; kinds no record provides are left out)."""
        prod = self.product(slug)
        if prod is None:
            return []
        return [(slug_, self._provided[slug_][:limit]) for slug_ in prod.built_from if slug_ in self._provided]

    def claims(self, row_vectors: np.ndarray, keys: list[str], fields: list[str],
               row_slugs: list[tuple[str, ...]], doing: np.ndarray | None = None) -> np.ndarray:
        """Which texts of the library's records name a product as what their part goes into (product x text).

        A text claims a product when its part is one the product is built from (a capability text's own slug, a
        name's any slug of its record, is among the product's ``built_from``) and the text reads as that product
        (cosine >= ``READS_AS_PRODUCT``) more than as its own part: than the part's name and description and, for
        a name or alias, than its other names ("electric lock" of a solenoid reads as a smart lock before "solenoid
        lock"; "WiFi Camera Module" reads as its "camera module" first). A capability text claims only where its
        record states that capability again in words that do not ("the USB output of a power bank" beside "a USB-A
        output socket"): "take photos or stream video with a camera" is how the camera board says what it does.
        Nor does a capability that says what the part does (``doing``: it opens with a verb, "generate a square
        wave ..."), only one that says what the part is within the product ("the cell inside ...").
        Descriptions and typical uses claim nothing here (a use names the products a part goes into by design).
        Such a text says where the part goes, not that the library holds the product: only the records' typed
        ``provides`` say that, so it answers no request for that product (``read``)."""
        n = len(row_slugs)
        out = np.zeros((len(self.catalog), n), dtype=bool)
        if not self.catalog or not n:
            return out
        vecs = np.asarray(row_vectors, dtype=np.float32)
        names = np.asarray([f in ("name", "key", "alias") for f in fields], dtype=bool)
        capability = np.asarray([f == "capability" for f in fields], dtype=bool)
        rows_of: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            rows_of.setdefault(key, []).append(i)
        own = np.full(n, -1.0, dtype=np.float32)  # each name's or capability's cosine with its part's identity
        for key, rows in rows_of.items():
            ident = [i for i in rows if fields[i] in ("name", "description")]
            for i in rows:
                if names[i] or capability[i]:
                    others = [r for r in (rows if names[i] else ident) if r != i
                              and (names[r] or fields[r] == "description")]
                    own[i] = float((vecs[others] @ vecs[i]).max()) if others else -1.0
        cos = (vecs @ self.vectors.T).T
        may = names | (capability & ~(np.asarray(doing, dtype=bool) if doing is not None else False))
        reads = (cos >= READS_AS_PRODUCT) & (cos > own[None, :]) & may[None, :]
        for j, prod in enumerate(self.catalog):
            if self.served[j] or not prod.built_from:
                continue
            parts = set(prod.built_from)
            out[j] = reads[j] & np.fromiter((bool(parts.intersection(s)) for s in row_slugs), dtype=bool, count=n)
            if (out[j] & capability).any():  # a capability claims only beside a plain statement of the same one
                plain = {(keys[i], row_slugs[i]) for i in np.flatnonzero(capability & ~out[j])}
                out[j] &= ~capability | np.fromiter(((k, sl) in plain for k, sl in zip(keys, row_slugs)),
                                                    dtype=bool, count=n)
        return out

    def read(self, vec: np.ndarray, answered: float, row_sims: np.ndarray | None = None,
             rows: np.ndarray | None = None, claims: np.ndarray | None = None) -> ProductReading:
        """The reading of one request vector; ``answered``: the request's best cosine with any text of the
        library's records (what its parts are called and what they do). With ``row_sims`` (the request's cosine
        with every indexed text), ``rows`` (the texts that answer) and ``claims`` (``ProductIndex.claims``), the
        texts that name the best unserved product as what their part goes into answer nothing for it."""
        if not self.catalog:
            return ProductReading(None, 0.0, answered)
        j, score, best_served, sims = best_unserved(self.vectors, self.served, vec, answered)
        if j is not None and row_sims is not None and claims is not None and claims[j].any():
            keep = rows & ~claims[j]
            answered = float(row_sims[keep].max()) if keep.any() else 0.0
            best_served = max(float(sims[self.served].max()) if self.served.any() else -1.0, answered)
        return ProductReading(None if j is None else self.catalog[j].product, score, best_served, sims)


# prepositions that join a thing and what it has or lacks ("a toaster | with a timer", "a quadcopter | without a
# camera"): grammar, not wording
_ACCOMPANIMENT = frozenset(("with", "without"))
_ARTICLES = frozenset(("a", "an", "the"))


def feature_head(text: str) -> str:
    """The words before the first "with" or "without", when a content word stands there and one follows: the
    thing asked for, apart from what it has ("a toaster | with a timer", "a motor driver | with current sensing").
    "" when there is no such split. Whether the head is a finished product or a part is for the reading
    (``ProductIndex.read``) to say. A head that opens with a verb taking its object ("blink | the lamp with ...",
    "drive | my fan without ...") is what is to be done, not a thing: no split."""
    toks = tokens(text)
    for i, t in enumerate(toks):
        if t in _ACCOMPANIMENT:
            head = " ".join(toks[:i])
            if (content_tokens(head) and content_tokens(" ".join(toks[i + 1:]))
                    and not (i > 1 and opening_verb(head) and (toks[1] in _ARTICLES or toks[1] in GRAMMAR_WORDS))):
                return head
            return ""
    return ""


def note_for(index: ProductIndex, slug: str, names: dict[str, str] | None = None) -> str:
    """What a request for an unserved product is told: what it asks for, and which library parts it could be
    built from ("a multimeter is a finished product; the library has parts it is built from: sense current
    (INA219 ...)")."""
    built = index.parts_for(slug)
    what = slug.replace("-", " ")
    prod = index.product(slug)
    head = (f"a {what} is a kind of part the library does not hold" if prod is not None and prod.part else
            f"a {what} is a finished product, instrument or assembly, not a part the library holds")
    if not built:
        return head + "; closest parts listed"
    names = names or {}
    kinds = "; ".join(f"{cap.replace('-', ' ')}: {', '.join(names.get(k, k) for k in keys)}" for cap, keys in built)
    if prod is not None and prod.part:
        return f"{head}; the library's parts nearest its job: {kinds}"
    return f"{head}; parts it is built from that the library has: {kinds}"


def refresh(path: Path | None = None) -> int:
    return save_embedded([p.description for p in load_catalog()], Path(path) if path else VECTORS_FILE)


def main(argv: list[str] | None = None) -> int:
    return refresh_command(argv, prog="python -m knowledge.products", what="product descriptions",
                           refresh=refresh, default=VECTORS_FILE)


if __name__ == "__main__":
    sys.exit(main())
