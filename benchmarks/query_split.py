"""The labelled retrieval queries and their fixed calibration / held-out split.

``benchmarks/retrieval_queries.jsonl`` holds one query a line: ``{"q", "expect": key or null,
"kind"}`` (kind: name, alias, part_number, description, misspelling, ood). Each query falls in
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
        item["split"] = split_of(item["q"])
        out.append(item)
    return out


def check_expected(queries: list[dict], library) -> list[str]:
    """Expected keys the library does not hold (the query file is out of date)."""
    return sorted({q["expect"] for q in queries if q["expect"] is not None and q["expect"] not in library})
