"""The searchable texts of a part: its display name, its key, each alias, its description, its
typical use and each capability it provides, one :class:`Doc` each with a stable id. The Chroma
index (knowledge/index.py) stores them, and the shipped vector cache (knowledge/embedding_cache.py)
holds their vectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from knowledge.library import Library
    from knowledge.record import ComponentRecord


@dataclass(frozen=True)
class Doc:
    id: str
    key: str
    field: str
    text: str


def _norm_space(text: str) -> str:
    return " ".join(str(text).split())


def part_documents(rec: "ComponentRecord") -> list[Doc]:
    """The searchable texts of one part, each a Chroma entry with a stable id."""
    docs: list[Doc] = []
    seen: set[str] = set()

    def add(fld: str, text: str, i: int = 0) -> None:
        text = _norm_space(text)
        low = text.lower()
        if not text or low in seen:
            return
        seen.add(low)
        docs.append(Doc(f"{rec.key}|{fld}|{i}", rec.key, fld, text))

    add("name", rec.name)
    add("key", rec.key.replace("-", " ").replace("_", " "))
    for i, alias in enumerate(rec.aliases):
        add("alias", alias, i)
    add("description", rec.description)
    if rec.typical_use:
        add("use", rec.typical_use)
    for i, cap in enumerate(getattr(rec, "provides", None) or []):
        if getattr(cap, "behaviour", None) is None:  # (what an output does in time: a controller does it too)
            add("capability", cap.description, i)
    return docs


def library_documents(library: "Library") -> list[Doc]:
    docs: list[Doc] = []
    for rec in sorted(library, key=lambda r: r.key):
        docs.extend(part_documents(rec))
    return docs
