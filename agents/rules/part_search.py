"""Finding library parts by what they do: word coverage over each record's name, aliases,
description and typical use (an offline complement to the semantic retriever), and the
retriever itself when it is installed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Callable

from agents.rules.text import stem, tokens
from circuit.quantities import find_quantities
from knowledge.library import Library
from knowledge.record import ComponentRecord
from knowledge.retrieval import Retriever

_STOP = {"a", "an", "the", "of", "for", "to", "and", "or", "with", "module", "board", "using", "use", "my", "in", "on"}


@dataclass
class Hit:
    key: str
    score: float


def record_words(rec: ComponentRecord) -> set[str]:
    text = " ".join([rec.key.replace("-", " "), rec.name, " ".join(rec.aliases), rec.description, rec.typical_use])
    return set(tokens(text))


def lib_cache(lib: Library) -> dict:
    """A per-library-object cache (Library.default() returns the same object until the records change)."""
    cache = getattr(lib, "_design_cache", None)
    if cache is None:
        cache = {}
        try:
            lib._design_cache = cache
        except AttributeError:  # pragma: no cover - a library type without a __dict__
            pass
    return cache


def _words(lib: Library, rec: ComponentRecord) -> set[str]:
    words = lib_cache(lib).setdefault("record_words", {})
    w = words.get(rec.key)
    if w is None:
        w = record_words(rec)
        words[rec.key] = w
    return w


def search_words(lib: Library, query: str, predicate: Callable[[ComponentRecord], bool] | None = None,
                 k: int = 5) -> list[Hit]:
    """Records ranked by how many of the query's words they mention (name/alias words count double)."""
    q = [t for t in tokens(query) if t not in _STOP]
    if not q:
        return []
    hits = []
    for rec in lib:
        if predicate is not None and not predicate(rec):
            continue
        words = _words(lib, rec)
        strong = set(tokens(" ".join([rec.key.replace("-", " "), rec.name, " ".join(rec.aliases)])))
        score = sum((2.0 if t in strong else 1.0) for t in q if t in words)
        if score <= 0:
            continue
        # each query word must be there for a full score; normalise by query length
        cover = sum(1 for t in q if t in words) / len(q)
        hits.append(Hit(rec.key, score * cover - 0.01 * len(rec.pins) / 10))
    hits.sort(key=lambda h: (-h.score, h.key))
    return hits[:k]


def best_word_match(lib: Library, query: str, predicate=None, min_cover: float = 0.99) -> str | None:
    q = [t for t in tokens(query) if t not in _STOP]
    if not q:
        return None
    for h in search_words(lib, query, predicate, k=5):
        words = _words(lib, lib[h.key])
        cover = sum(1 for t in q if t in words) / len(q)
        if cover >= min_cover:
            return h.key
    return None


# ---- the semantic retriever, when the knowledge base provides it --------------------------------
_RETRIEVER = None
_RETRIEVER_ERR: str | None = None


def semantic_enabled() -> bool:
    """CIRCUITSMITH_SEMANTIC=0 keeps retrieval lexical (names, aliases, part numbers, record words):
    no embedding model to load, for small machines and quick starts."""
    return os.environ.get("CIRCUITSMITH_SEMANTIC", "1").strip().lower() not in ("0", "false", "no", "off")


def retriever():
    """knowledge.retrieval.Retriever.default(), or None when it is not installed, cannot start, or
    semantic retrieval is switched off."""
    global _RETRIEVER, _RETRIEVER_ERR
    if not semantic_enabled():
        return None
    if _RETRIEVER is not None or _RETRIEVER_ERR is not None:
        return _RETRIEVER
    try:
        _RETRIEVER = Retriever.default()
    except Exception as e:  # not installed yet, or its index cannot be built here
        _RETRIEVER_ERR = f"{type(e).__name__}: {e}"
        _RETRIEVER = None
    return _RETRIEVER


def semantic(query: str, k: int = 5):
    """(ood, [(key, score)]) from the retriever, or None without one."""
    r = retriever()
    if r is None:
        return None
    try:
        res = r.search(query, k=k)
    except Exception:
        return None
    return bool(getattr(res, "ood", False)), [(m.key, float(m.score)) for m in getattr(res, "matches", [])]


def resolve_query(lib: Library, query: str, predicate=None) -> str | None:
    """A functional query ("ultrasonic distance sensor") to a library key: every query word in a
    record first, then the semantic retriever, then the best partial word match."""
    key = best_word_match(lib, query, predicate)
    if key:
        return key
    sem = semantic(query)
    if sem is not None:
        ood, matches = sem
        for k, _ in matches:
            if k in lib and (predicate is None or predicate(lib[k])):
                if not ood:
                    return k
                break
    key = best_word_match(lib, query, predicate, min_cover=0.6)
    return key


PART_NUMBER = re.compile(r"^(?=.*[a-z])(?=.*\d)[a-z0-9]{4,}$")
MEASURE = re.compile(r"^\d+(\.\d+)?(v|mv|a|ma|mah|w|hz|khz|mhz|m|cm|mm|km|s|ms|x\d+|k|kg|g|nm|mw|db|ohm|f|uf|nf|pf|uh|mh)?$")


def looks_like_part_number(tok: str) -> bool:
    return bool(PART_NUMBER.match(tok)) and not MEASURE.match(tok) and not re.match(r"^\dv\d$", tok) \
        and not re.match(r"^\d+x\d+$", tok) and not is_figure_with_unit(tok)


def is_figure_with_unit(tok: str) -> bool:
    """The whole token is a figure with a unit the units library reads ("24vdc", "12volt"): a quantity, no part."""
    qs = find_quantities(tok)
    return len(qs) == 1 and qs[0].unit not in ("", "%") and qs[0].start == 0 and qs[0].end == len(tok)


def stemmed(word: str) -> str:
    return stem(word)
