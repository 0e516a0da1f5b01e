"""Retrieval benchmark: top-1/top-3 accuracy, OOD precision/recall and warm latency.

    .venv/bin/python benchmarks/retrieval_bench.py [--backend numpy|chroma] [--failures]

Runs every query of ``benchmarks/retrieval_queries.jsonl`` once through
``Retriever.search`` (single queries, model and index already warm) against the current
library. Headline figures are on the held-out split (the OOD threshold was fitted on the
calibration split by ``calibrate_ood.py``); the calibration split and the whole set are shown too.

- top-1: in-library queries whose first match is the expected part AND not flagged OOD;
- top-3: in-library queries with the expected part among the first three matches;
- OOD precision/recall: of the queries flagged, how many are truly out-of-library / of the
  out-of-library queries, how many were flagged;
- latency: wall time of each search() call (p50/p95), p50 of the queries that had to run the
  model (the others name a part outright, or equal an indexed text, and reuse its vector), and
  p50 CPU time of the calling thread (what the search costs when the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from query_split import check_expected, correct, load_queries  # noqa: E402

WARMUP = ["warm up the model", "a part", "sensor module", "voltage regulator", "motor"]
# Per-class held-out top-1 targets (issue 19); OOD classes are scored by recall of the flag.
CLASS_TARGETS = {"functional": 0.85, "misspelling": 0.95, "vendor": 0.90, "language": 0.75}
PLAIN = ("name", "alias", "part_number", "description")  # the queries that named parts plainly (>= 97 %)


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    i = min(len(v) - 1, max(0, int(round(p / 100 * (len(v) - 1)))))
    return v[i]


def metrics(rows):
    inlib = [r for r in rows if r["expect"] is not None]
    ood = [r for r in rows if r["expect"] is None]
    top1 = sum(1 for r in inlib if correct(r, r["keys"], r["ood"]))
    top3 = sum(1 for r in inlib if set(r["accept"]) & set(r["keys"][:3]))
    flagged = [r for r in rows if r["ood"]]
    tp = sum(1 for r in flagged if r["expect"] is None)
    lat = [r["ms"] for r in rows]
    model_lat = [r["ms"] for r in rows if r["model"]]
    cpu = [r["cpu"] for r in rows]
    return {
        "n": len(rows),
        "n_in": len(inlib),
        "n_ood": len(ood),
        "top1": top1 / len(inlib) if inlib else float("nan"),
        "top3": top3 / len(inlib) if inlib else float("nan"),
        "prec": tp / len(flagged) if flagged else 1.0,
        "rec": tp / len(ood) if ood else float("nan"),
        "p50": pct(lat, 50),
        "p95": pct(lat, 95),
        "p50_model": pct(model_lat, 50),
        "p50_cpu": pct(cpu, 50),
        "n_model": len(model_lat),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--queries", type=Path, default=None)
    ap.add_argument("--backend", choices=["numpy", "chroma"], default="numpy",
                    help="semantic search over the in-memory matrix (numpy) or through Chroma's HNSW index")
    ap.add_argument("--failures", action="store_true", help="list every miss, calibration split included")
    ap.add_argument("--calibration", type=Path, default=None,
                    help="OOD calibration file (default knowledge/ood_calibration.json)")
    ap.add_argument("--dump", type=Path, default=None,
                    help="write each query's top-3 keys, OOD decision and confidence (JSON lines) to this file, to "
                         "diff two versions' answers (benchmarks/answers_diff.py)")
    args = ap.parse_args(argv)

    from rich.console import Console
    from rich.table import Table

    from knowledge.library import Library
    from knowledge.ood import OODModel
    from knowledge.retrieval import Retriever

    con = Console(width=max(Console().width, 150))
    queries = load_queries(args.queries)
    lib = Library.default()
    missing = check_expected(queries, lib)
    if missing:
        print(f"error: the queries expect parts the library lacks: {', '.join(missing)}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    model = OODModel.load(args.calibration)
    retr = Retriever(lib, semantic=args.backend, ood_model=model)
    build_s = time.perf_counter() - t0
    for q in WARMUP:
        retr.search(q)
    rows = []
    for q in queries:
        t, c = time.perf_counter(), time.thread_time()
        res = retr.search(q["q"], k=5)
        ms = (time.perf_counter() - t) * 1000
        cpu = (time.thread_time() - c) * 1000
        # (asked after the search: reading the request first would warm what the search remembers of its words)
        needs_model = retr.needs_model(q["q"])
        rows.append({**q, "ood": res.ood, "keys": [m.key for m in res.matches], "ms": ms, "cpu": cpu,
                     "model": needs_model, "conf": res.confidence, "outright": res.named_outright})
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({"q": r["q"], "top3": r["keys"][:3], "ood": r["ood"],
                                     "conf": round(r["conf"], 4)}) + "\n")
    stale = [r["q"] for r in rows if r["expect"] is None and r["outright"]]
    if stale:  # a record added since the query was written: it is no longer out of library
        print(f"warning: {len(stale)} out-of-library queries name a library part outright; relabel them: "
              + "; ".join(stale), file=sys.stderr)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    table = Table(title=f"retrieval: {len(lib)} parts, {len(queries)} queries, backend {args.backend}, "
                        f"OOD model {model.source}, {os.cpu_count()} CPUs, load average {load:.1f}")
    for col in ("split", "queries", "in-lib", "OOD", "top-1", "top-3", "OOD prec", "OOD rec",
                "p50 ms", "p95 ms", "p50 ms (model)", "p50 cpu ms"):
        table.add_column(col, justify="right" if col != "split" else "left")
    splits = {"held_out": [r for r in rows if r["split"] == "held_out"],
              "calibration": [r for r in rows if r["split"] == "calibration"], "all": rows}
    out = {}
    for name, rs in splits.items():
        m = metrics(rs)
        out[name] = m
        table.add_row(name, str(m["n"]), str(m["n_in"]), str(m["n_ood"]), f"{m['top1']:.1%}", f"{m['top3']:.1%}",
                      f"{m['prec']:.1%}", f"{m['rec']:.1%}", f"{m['p50']:.1f}", f"{m['p95']:.1f}",
                      f"{m['p50_model']:.1f} ({m['n_model']})", f"{m['p50_cpu']:.1f}")
    con.print(table)

    kinds = Table(title="held-out by kind (calibration split beside it)")
    # ranked first: the first match is right, the out-of-library flag aside (what ranking gets right;
    # 'correct' minus it is what the flag threw away)
    for col in ("kind", "queries", "correct", "ranked first", "target", "calibration split"):
        kinds.add_column(col)
    held = splits["held_out"]
    by_class: dict[str, float] = {}
    for kind in sorted({r["kind"] for r in rows}):
        rs = [r for r in held if r["kind"] == kind]
        cs = [r for r in splits["calibration"] if r["kind"] == kind]
        if not rs:
            continue
        ok = sum(1 for r in rs if correct(r, r["keys"], r["ood"]))
        cok = sum(1 for r in cs if correct(r, r["keys"], r["ood"]))
        ranked = sum(1 for r in rs if r["expect"] is not None and correct(r, r["keys"], False))
        by_class[kind] = ok / len(rs)
        tgt = CLASS_TARGETS.get(kind)
        kinds.add_row(kind, str(len(rs)), f"{ok}/{len(rs)} ({ok / len(rs):.0%})",
                      f"{ranked}/{len(rs)}" if any(r["expect"] is not None for r in rs) else "",
                      f">= {tgt:.0%}" if tgt else "", f"{cok}/{len(cs)}" if cs else "")
    plain = [r for r in held if r["kind"] in PLAIN]
    plain_top1 = sum(1 for r in plain if correct(r, r["keys"], r["ood"])) / len(plain) if plain else float("nan")
    kinds.add_row("plain names (name+alias+part_number+description)", str(len(plain)), f"{plain_top1:.1%}", "",
                  ">= 97%", "")
    con.print(kinds)

    batches = sorted({r["batch"] for r in rows if r.get("batch")})
    if batches:  # queries written in one session, before the mechanism they test changed
        bt = Table(title="query batches (by split)")
        for col in ("batch", "split", "queries", "in-lib top-1", "functional", "OOD prec", "OOD rec"):
            bt.add_column(col)
        for b in batches:
            for name in ("held_out", "calibration"):
                rs = [r for r in splits[name] if r.get("batch") == b]
                m = metrics(rs)
                fn = [r for r in rs if r["kind"] == "functional"]
                fok = sum(1 for r in fn if correct(r, r["keys"], r["ood"]))
                bt.add_row(b, name, str(len(rs)), f"{m['top1']:.1%}", f"{fok}/{len(fn)}", f"{m['prec']:.1%}",
                           f"{m['rec']:.1%}")
        con.print(bt)

    misses = [r for r in (rows if args.failures else held) if not correct(r, r["keys"], r["ood"])]
    if misses:
        ft = Table(title=f"misses ({'all splits' if args.failures else 'held-out'})")
        for col in ("query", "expect", "got", "ood", "conf"):
            ft.add_column(col)
        for r in misses:
            ft.add_row(r["q"], str(r["expect"]), ", ".join(r["keys"][:3]), str(r["ood"]), f"{r['conf']:.2f}")
        con.print(ft)

    h = out["held_out"]
    classes_ok = all(by_class.get(c, 0.0) >= t for c, t in CLASS_TARGETS.items())
    ok = (classes_ok and plain_top1 >= 0.97 and h["prec"] >= 0.9 and h["rec"] >= 0.9 and h["p50"] <= 20)
    # issue 18's bar: every query, not only the plain ones, and the out-of-library flag at 95 % both ways
    short = [f"{name} {v:.1%} < {t:.0%}" for name, v, t in
             (("top1", h["top1"], 0.97), ("ood_precision", h["prec"], 0.95), ("ood_recall", h["rec"], 0.95)) if v < t]
    if h["p50"] > 20:
        short.append(f"p50 {h['p50']:.1f}ms > 20ms")
    per = " ".join(f"{c}={by_class.get(c, float('nan')):.0%}" for c in CLASS_TARGETS)
    print(f"SUMMARY retrieval held-out n={h['n']} top1={h['top1']:.1%} top3={h['top3']:.1%} {per} "
          f"plain={plain_top1:.1%} ood_precision={h['prec']:.1%} ood_recall={h['rec']:.1%} "
          f"p50={h['p50']:.1f}ms p95={h['p95']:.1f}ms p50_cpu={h['p50_cpu']:.1f}ms "
          f"(all n={out['all']['n']} top1={out['all']['top1']:.1%}; index ready in {build_s:.1f}s; "
          f"class targets {'met' if ok else 'NOT met'}; library targets "
          f"{'met' if not short else 'NOT met: ' + ', '.join(short)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
