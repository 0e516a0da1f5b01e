"""Candidate records per retrieval query, for auditing accept lists by hand (not by ranker output).

In-library queries: the records that share a capability slug (``provides``) with a part the query
already accepts, and are not accepted yet. Out-of-library queries: records whose key, name or an
alias shares a part-number-like token with the query (a named thing that may now be a record).
Prints one block per query; a person judges each candidate from the query text and ``kb show KEY``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from query_split import load_queries  # noqa: E402

from knowledge.library import Library  # noqa: E402


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", text.lower().replace("-", "")) if len(t) >= 3 and re.search(r"\d", t)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kind", action="append", help="only these query kinds")
    args = ap.parse_args(argv)
    lib = Library.default()
    caps = {r.key: {c.capability for c in r.provides} for r in lib}
    names = {r.key: _tokens(" ".join([r.key, r.name, *r.aliases])) for r in lib}
    for q in load_queries():
        if args.kind and q["kind"] not in args.kind:
            continue
        if q["expect"] is not None:
            want = set().union(*(caps.get(k, set()) for k in q["accept"]))
            cands = sorted(k for k, c in caps.items() if c & want and k not in q["accept"])
        else:
            toks = _tokens(q["q"])
            cands = sorted(k for k, t in names.items() if t & toks)
        print(f"[{q['kind']}/{q['split']}] {q['q']!r} accept={q['accept'] or 'OOD'}")
        if cands:
            print("    candidates: " + ", ".join(cands))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
