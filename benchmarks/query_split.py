"""The labelled retrieval queries and their fixed calibration / held-out split.

``benchmarks/retrieval_queries.jsonl`` holds one query a line: ``{"q", "expect": key or null,
"kind", "accept": [other keys just as right]}`` (kind: name, alias, part_number, description,
misspelling, ood, and the classes of issue 19 written from ``retrieval_categories.md``:
functional, vendor, language, ood_lookalike). Each query falls in
the calibration split or the held-out split by a hash of its text, so the split never depends
on file order and a query never moves between splits.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

QUERIES = Path(__file__).resolve().parent / "retrieval_queries.jsonl"


def split_of(query: str) -> str:
    h = int(hashlib.sha256(query.strip().lower().encode()).hexdigest(), 16)
    return "calibration" if h % 2 == 0 else "held_out"


def load_queries(path: Path | None = None) -> list[dict]:
    path = Path(path) if path else QUERIES
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            raise SystemExit(f"{path}:{n}: not JSON ({e.msg})")
        if "q" not in item or "expect" not in item:
            raise SystemExit(f"{path}:{n}: needs 'q' and 'expect'")
        item.setdefault("kind", "ood" if item["expect"] is None else "other")
        item["accept"] = ([item["expect"]] + list(item.get("accept") or [])) if item["expect"] else []
        item["split"] = split_of(item["q"])
        out.append(item)
    return out


def check_expected(queries: list[dict], library) -> list[str]:
    """Expected keys the library does not hold (the query file is out of date)."""
    return sorted({k for q in queries for k in q.get("accept") or [] if k not in library})


def correct(query: dict, keys: list[str], ood: bool) -> bool:
    """An in-library query: its first match is an acceptable part and not flagged; else: flagged."""
    if query["expect"] is None:
        return ood
    return not ood and bool(keys) and keys[0] in query["accept"]
