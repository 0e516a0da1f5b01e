"""Design benchmark: the pipeline over the CircuitLM dev prompts (or any prompt file).

Per prompt: Pass@1 (no Critical/Major from the ERC and the SPICE gate), findings per severity,
out-of-library flag, backend per agent, wall time, and requirement coverage (every part the request
names is in the design and wired by its function; see ``benchmarks/coverage.py``, which reads the
request with the knowledge base's lexical index, not the pipeline's identify step). Then Pass@1
overall and by difficulty, coverage overall, parts/pins the library lacks, p50/p95 time (warm
process), and one summary line.

    python benchmarks/design_bench.py [--prompts FILE] [--backend rules|llm] [--only ID ...] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

SHARED = Path(os.environ.get("CIRCUITSMITH_SHARED", ROOT.parent / "shared"))
DEFAULT_PROMPTS = SHARED / "datasets" / "circuitlm_prompts_dev.json"
HALLUCINATION_RULES = {"ERC-UNKNOWN-PART", "ERC-UNKNOWN-PIN", "ERC-UNKNOWN-PART-ID"}


def load_prompts(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data["prompts"] if isinstance(data, dict) else data
    out = []
    for i, p in enumerate(items):
        if isinstance(p, str):
            p = {"id": f"p{i + 1:02d}", "prompt": p}
        out.append({"id": p.get("id", f"p{i + 1:02d}"), "difficulty": p.get("difficulty", "-"), "prompt": p["prompt"]})
    return out


def pct(xs: list[bool]) -> str:
    return f"{100 * sum(xs) / len(xs):.1f}%" if xs else "-"


def quantile(xs: list[float], q: float) -> float:
    if not xs:
        return 0.0
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prompts", type=Path, default=DEFAULT_PROMPTS)
    ap.add_argument("--backend", choices=["rules", "llm"], default="rules")
    ap.add_argument("--only", nargs="*", default=None, help="prompt ids to run")
    ap.add_argument("--json", type=Path, default=None, help="write per-prompt results here")
    args = ap.parse_args(argv)
    console = Console(width=160)
    if not args.prompts.is_file():
        console.print(f"[red]no prompt file at {args.prompts}[/] (set CIRCUITSMITH_SHARED or pass --prompts)")
        return 2
    import tempfile

    os.environ.setdefault("CIRCUITSMITH_HOME", tempfile.mkdtemp(prefix="cs-bench-"))
    from benchmarks.coverage import coverage
    from knowledge.library import Library
    from pipelines.design import design

    library = Library.default()
    prompts = load_prompts(args.prompts)
    if args.only:
        prompts = [p for p in prompts if p["id"] in set(args.only)]
    t0 = time.perf_counter()
    design("Blink an LED on an Arduino Uno", backend=args.backend)  # warm-up: imports, index, ngspice
    warmup = time.perf_counter() - t0

    rows = []
    for p in prompts:
        t = time.perf_counter()
        try:
            turn = design(p["prompt"], backend=args.backend)
            err = None
        except Exception as e:  # a crash is a failed prompt, never a failed benchmark
            turn, err = {}, f"{type(e).__name__}: {e}"
        secs = time.perf_counter() - t
        findings = turn.get("findings") or []
        counts = {s: sum(1 for f in findings if f.get("severity") == s) for s in ("Critical", "Major", "Minor", "Warning")}
        hallucinated = sum(1 for f in findings if f.get("rule") in HALLUCINATION_RULES)
        cov = coverage(p["prompt"], turn["circuit"], library) if turn.get("circuit") else None
        rows.append({
            "id": p["id"], "difficulty": p["difficulty"], "prompt": p["prompt"],
            "pass": bool(turn.get("passed")) and not turn.get("stopped") and err is None,
            "counts": counts, "ood": bool(turn.get("ood")), "stopped": turn.get("stopped"),
            "backends": turn.get("backends") or {}, "seconds": round(secs, 3), "error": err,
            "hallucinated": hallucinated, "parts": len((turn.get("circuit") or {}).get("parts", [])),
            "coverage": cov.score if cov else 0.0,
            "covered": f"{len(cov.met)}/{len(cov.required)}" if cov else "0/?",
            "missed": cov.missed if cov else ["no design"],
        })

    table = Table(title=f"Design benchmark: {args.prompts.name} ({args.backend})", show_lines=False)
    for col in ("id", "pass", "C", "M", "m", "W", "ood", "backend", "s", "cover", "parts", "missed / error"):
        table.add_column(col, overflow="fold", max_width=60 if col.startswith("missed") else None)
    for r in rows:
        backends = sorted(set(r["backends"].values())) or ["-"]
        note = r["error"] or "; ".join(r["missed"]) or (r["stopped"] or "")
        table.add_row(
            r["id"], "[green]PASS[/]" if r["pass"] else "[red]FAIL[/]",
            *(str(r["counts"][s]) for s in ("Critical", "Major", "Minor", "Warning")),
            "yes" if r["ood"] else "", ",".join(backends), f"{r['seconds']:.2f}", r["covered"], str(r["parts"]),
            note[:300],
        )
    console.print(table)

    by_diff: dict[str, list[bool]] = {}
    for r in rows:
        by_diff.setdefault(r["difficulty"], []).append(r["pass"])
    times = [r["seconds"] for r in rows]
    cov_all = statistics.mean(r["coverage"] for r in rows) if rows else 0.0
    full = sum(1 for r in rows if r["coverage"] >= 0.999)
    halluc = sum(r["hallucinated"] for r in rows)
    console.print("Pass@1 by difficulty: " + ", ".join(f"{d} {pct(v)} ({sum(v)}/{len(v)})" for d, v in sorted(by_diff.items())))
    console.print(f"Coverage: mean {100 * cov_all:.1f}%, complete on {full}/{len(rows)} prompts; "
                  f"library-less parts/pins: {halluc}; warm-up {warmup:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    summary = (f"design_bench[{args.backend}] n={len(rows)} Pass@1={pct([r['pass'] for r in rows])} "
               f"hard={pct(by_diff.get('hard', []))} coverage={100 * cov_all:.1f}% hallucinated={halluc} "
               f"ood={sum(r['ood'] for r in rows)} p50={quantile(times, 0.5):.2f}s p95={quantile(times, 0.95):.2f}s")
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
