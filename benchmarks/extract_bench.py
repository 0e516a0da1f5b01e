"""Datasheet extraction and model benchmark over the labelled datasheets.

For each labelled PDF in ``shared/datasets/datasheets`` the full pipeline runs (ingest, focus,
extract, model fit, verification by simulation, report) in worker processes, then the extraction
is scored against the hand-checked labels (:mod:`knowledge.datasheet.scoring`):

- EM: labelled parameters read with the right kind (rating/min/typ/max) and within 1 %;
- precision / recall / F1: values within 1 % of a labelled parameter (any kind); predictions of
  quantities the labels never mention count against precision;
- coverage: labelled parameters for which any value was produced;
- LLM tokens (0 offline), CPU seconds per datasheet, and throughput on ``--jobs`` workers;
- models: the share of generated models whose datasheet test points all agree within 10 %, and
  the share of test points that agree.

The target part of each job is the first word of the label's ``part`` field (as an engineer
would pass ``--part``); ``--no-part`` lets the pipeline infer it from the file name and text.
Prints a table, then one summary line.

    python benchmarks/extract_bench.py [--jobs 2] [--no-part] [--llm] [--json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("MPLBACKEND", "Agg")
SHARED = Path(os.environ.get("CIRCUITSMITH_SHARED", REPO.parent / "shared")) / "datasets" / "datasheets"


def _rebuild(params_json: dict):
    """An Extraction with the parameters of a PARAMS.json (names back to quantity + kind)."""
    from knowledge.datasheet.catalog import CATALOG
    from knowledge.datasheet.model import Extraction, ParamValue

    names = {s.name for specs in CATALOG.values() for s in specs}
    params = []
    for key, e in params_json.get("params", {}).items():
        q = key
        suffix = f"_{e['kind']}"
        if key not in names and key.endswith(suffix) and key[: -len(suffix)] in names:
            q = key[: -len(suffix)]
        params.append(ParamValue(name=q, kind=e["kind"], value=e["value"], unit=e.get("unit", ""), conditions=e.get("conditions", {}),
                                 page=e.get("page", 0), source=e.get("source", ""), method=e.get("method", "table")))
    return Extraction(file=params_json.get("file", ""), part=params_json.get("part"), device_class=params_json.get("class", ""),
                      params=params, llm_tokens=params_json.get("llm_tokens", 0))


def _job(args: tuple[str, str, str | None, bool]) -> dict:
    pdf, out_root, part, use_llm = args
    from pipelines.datasheet import process_datasheet

    c0, w0 = time.process_time(), time.perf_counter()
    row = process_datasheet(pdf, out_root, part, use_llm if use_llm else False)
    row["cpu"] = time.process_time() - c0
    row["wall"] = time.perf_counter() - w0
    if row.get("status") == "ok":
        pj = json.loads((Path(row["dir"]) / "PARAMS.json").read_text(encoding="utf-8"))
        row["params_json"] = pj
    return row


def _warm() -> None:
    from pipelines.datasheet_batch import _warm_imports

    _warm_imports()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--no-part", action="store_true", help="do not pass the labelled part number")
    ap.add_argument("--llm", action="store_true", help="allow the LLM for leftovers when one is configured")
    ap.add_argument("--json", action="store_true", help="also print the per-file rows as JSON lines")
    args = ap.parse_args(argv)

    from rich.console import Console
    from rich.table import Table

    from knowledge.datasheet.scoring import Score, label_part, score_extraction

    labels = sorted((SHARED / "labels").glob("*.json"))
    if not labels:
        print(f"no labelled datasheets under {SHARED}", file=sys.stderr)
        return 2
    jobs_in = []
    label_of = {}
    with tempfile.TemporaryDirectory(prefix="extract-bench-") as tmp:
        for lf in labels:
            lab = json.loads(lf.read_text(encoding="utf-8"))
            pdf = SHARED / "pdfs" / (lf.stem + ".pdf")
            label_of[pdf.name] = lab
            jobs_in.append((str(pdf), tmp, None if args.no_part else label_part(lab), args.llm))
        _warm()
        ctx = mp.get_context("fork")
        w0 = time.perf_counter()
        with ctx.Pool(processes=max(1, args.jobs), maxtasksperchild=25) as pool:
            rows = pool.map(_job, jobs_in, chunksize=1)
        wall = time.perf_counter() - w0

    console = Console(width=150)
    table = Table(title="Datasheet extraction benchmark (labelled development set)")
    for col in ("File", "Class", "Labels", "EM", "P", "R", "F1", "Cov", "Tokens", "CPU s", "Model", "Points"):
        table.add_column(col)
    total = Score()
    models = verified = points = points_ok = tokens = 0
    cpu = []
    for row in rows:
        lab = label_of[row["file"]]
        if row.get("status") != "ok":
            table.add_row(row["file"][:34], "-", str(len(lab.get("params", {}))), "0", "-", "-", "-", "-", "-", f"{row.get('cpu', 0):.2f}",
                          "error", row.get("error", "")[:40])
            total.labels += len(lab.get("params", {}))
            continue
        ex = _rebuild(row["params_json"])
        s = score_extraction(ex, lab)
        total += s
        tokens += int(row.get("llm_tokens", 0))
        cpu.append(row["cpu"])
        m = row.get("model", "none")
        if row.get("points"):
            models += 1
            verified += m == "verified"
            points += row["points"]
            points_ok += row["points_passed"]
        table.add_row(row["file"][:34], row.get("class") or "-", str(s.labels), f"{s.em:.2f}", f"{s.precision:.2f}", f"{s.recall:.2f}",
                      f"{s.f1:.2f}", f"{s.coverage:.2f}", str(row.get("llm_tokens", 0)), f"{row['cpu']:.2f}", m,
                      f"{row.get('points_passed', 0)}/{row.get('points', 0)}")
        if args.json:
            print(json.dumps({"file": row["file"], "em": s.em, "precision": s.precision, "recall": s.recall, "f1": s.f1,
                              "misses": [d for d in s.details if d[4] != "ok"], "cpu": row["cpu"], "model": m}, default=str))
    console.print(table)
    n = len(rows)
    mean_cpu = sum(cpu) / len(cpu) if cpu else 0.0
    print(
        f"extract_bench: {n} datasheets, EM={total.em:.3f} P={total.precision:.3f} R={total.recall:.3f} F1={total.f1:.3f} "
        f"coverage={total.coverage:.3f} over {total.labels} labelled params; LLM tokens={tokens}; "
        f"{mean_cpu:.2f} CPU-s/datasheet, {n / wall:.2f} datasheets/s wall on {args.jobs} workers "
        f"({(args.jobs / mean_cpu) if mean_cpu else 0:.2f}/s at full use of {args.jobs} cores); "
        f"models verified {verified}/{models} ({(verified / models * 100) if models else 0:.0f}%), "
        f"test points within 10%: {points_ok}/{points} ({(points_ok / points * 100) if points else 0:.0f}%)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
