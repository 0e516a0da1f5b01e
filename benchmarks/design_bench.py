"""Design benchmark: the pipeline over the CircuitLM dev prompts (or any prompt file).

Per prompt: Pass@1 (no Critical/Major from the ERC and the SPICE gate), findings per severity,
out-of-library flag, backend per agent, wall time, and requirement coverage (every part the request
names is in the design and wired by its function; see ``benchmarks/coverage.py``, which reads the
request with the knowledge base's lexical index, not the pipeline's identify step). Then Pass@1
overall and by difficulty, coverage overall, parts/pins the library lacks, p50/p95 time (warm
process), and one summary line.

With ``--requests`` it runs the project's generalisation benchmark instead (benchmarks/requests/:
requests written from a category sheet, each with expectations written before the designs): a
request succeeds when its design passes the gates AND meets its expectations (or, for a part the
library lacks, stops with near-misses of the same kind). It prints the per-request table, the share
per category and per phrasing style, and one summary line that also counts designs marked PASS
whose expectations are not met (``pass_unmet``; it must be 0).

    python benchmarks/design_bench.py [--prompts FILE] [--backend rules|llm] [--only ID ...] [--json OUT]
    python benchmarks/design_bench.py --requests [FILE] [--cat CATEGORY ...] [--backend rules|llm] [--json OUT]
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


def lint(turn: dict, library) -> tuple[bool, str] | None:
    """The schematic lint (circuit/schematic_lint.py) over the design's drawing: (passes, rules broken);
    None when there is no design to draw."""
    from circuit.model import Circuit
    from circuit.schematic_lint import lint_circuit

    if not turn.get("circuit"):
        return None
    try:
        report = lint_circuit(Circuit.model_validate(turn["circuit"]), library)
    except Exception as e:  # a drawing that cannot be made fails the lint, never the benchmark
        return False, f"render crashed: {type(e).__name__}"
    return report.ok, report.summary()


def lint_line(rows: list[dict]) -> str:
    """``lint=passing/drawn`` and the designs failing per rule."""
    drawn = [r for r in rows if r["lint"] is not None]
    by_rule: dict[str, int] = {}
    for r in drawn:
        if not r["lint"][0]:
            for part in r["lint"][1].split(", "):
                rule = part.split("×")[0]
                by_rule[rule] = by_rule.get(rule, 0) + 1
    rules = ",".join(f"{k}:{v}" for k, v in sorted(by_rule.items()))
    return f"lint={sum(r['lint'][0] for r in drawn)}/{len(drawn)}" + (f"({rules})" if rules else "")


def lint_cell(r: dict) -> str:
    if r["lint"] is None:
        return "-"
    return "[green]ok[/]" if r["lint"][0] else f"[red]{r['lint'][1]}[/]"


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
    ap.add_argument("--requests", type=Path, nargs="?", const=Path("benchmarks/requests/requests.yaml"), default=None,
                    help="run the generalisation benchmark (default file benchmarks/requests/requests.yaml)")
    ap.add_argument("--cat", nargs="*", default=None, help="with --requests: only these categories")
    args = ap.parse_args(argv)
    console = Console(width=160)
    if args.requests is not None:
        return run_requests(args, console)
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
            "lint": lint(turn, library),
        })

    table = Table(title=f"Design benchmark: {args.prompts.name} ({args.backend})", show_lines=False)
    for col in ("id", "pass", "C", "M", "m", "W", "ood", "backend", "s", "cover", "parts", "lint", "missed / error"):
        table.add_column(col, overflow="fold", max_width=60 if col.startswith("missed") else None)
    for r in rows:
        backends = sorted(set(r["backends"].values())) or ["-"]
        note = r["error"] or "; ".join(r["missed"]) or (r["stopped"] or "")
        table.add_row(
            r["id"], "[green]PASS[/]" if r["pass"] else "[red]FAIL[/]",
            *(str(r["counts"][s]) for s in ("Critical", "Major", "Minor", "Warning")),
            "yes" if r["ood"] else "", ",".join(backends), f"{r['seconds']:.2f}", r["covered"], str(r["parts"]),
            lint_cell(r), note[:300],
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
               f"ood={sum(r['ood'] for r in rows)} {lint_line(rows)} "
               f"p50={quantile(times, 0.5):.2f}s p95={quantile(times, 0.95):.2f}s")
    print(summary)
    return 0


def _run(request: str, backend: str):
    from pipelines.design import design

    t = time.perf_counter()
    try:
        turn, err = design(request, backend=backend), None
    except Exception as e:  # a crash is a failed request, never a failed benchmark
        turn, err = {}, f"{type(e).__name__}: {e}"
    return turn, err, time.perf_counter() - t


def _share(rows: list[dict], key: str) -> list[tuple[str, int, int, int, int]]:
    """(value, n, passed gates, met expectations, both) per value of ``key``."""
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r[key], []).append(r)
    return [(k, len(v), sum(r["pass"] for r in v), sum(r["expect"] for r in v), sum(r["ok"] for r in v))
            for k, v in sorted(groups.items())]


def run_requests(args, console: Console) -> int:
    import tempfile

    os.environ.setdefault("CIRCUITSMITH_HOME", tempfile.mkdtemp(prefix="cs-bench-"))
    from benchmarks.expectations import BenchFileError, evaluate, load_bench
    from knowledge.library import Library
    from pipelines.design import design

    path = args.requests if args.requests.is_absolute() else ROOT / args.requests
    try:
        bench = load_bench(requests=path)
    except BenchFileError as e:
        console.print(f"[red]{e}[/]")
        return 2
    library = Library.default()
    reqs = [r for r in bench.requests if (not args.only or r.id in args.only) and (not args.cat or r.cat in args.cat)]
    t0 = time.perf_counter()
    design("Blink an LED on an Arduino Uno", backend=args.backend)  # warm-up: imports, index, ngspice
    warmup = time.perf_counter() - t0
    rows = []
    for req in track(reqs, console):
        turn, err, secs = _run(req.request, args.backend)
        stopped = turn.get("stopped") or (err and f"crashed: {err}")
        near = [m.get("key") for o in (turn.get("ood") or []) for m in o.get("near_misses") or []]
        passed = bool(turn.get("passed")) and not turn.get("stopped") and err is None
        findings = turn.get("findings") or []
        outcome = evaluate(req, bench.terms, turn.get("circuit"), stopped=stopped, near_misses=near,
                           passed=passed, findings=findings)
        # a stop case's gates did their job when it stopped; a refuse case's when they did not pass it
        gates_ok = (bool(stopped) and not err) if req.stop else (not passed and not err) if req.refuse else passed
        rows.append({
            "id": req.id, "cat": req.cat, "style": req.style, "request": req.request,
            "pass": gates_ok, "marked_pass": passed, "expect": outcome.ok, "ok": gates_ok and outcome.ok,
            "unmet": outcome.unmet, "met": outcome.met, "seconds": round(secs, 3), "error": err,
            "blocking": [f.get("rule") for f in findings if f.get("severity") in ("Critical", "Major")],
            "requirements": turn.get("requirements_check"),
            "lint": lint(turn, library),
        })

    table = Table(title=f"Generalisation benchmark: {path.name} ({args.backend})")
    for col in ("id", "gates", "expect", "s", "lint", "unmet expectations / blocking findings / error"):
        table.add_column(col, overflow="fold", max_width=110 if col.startswith("unmet") else None)
    for r in rows:
        note = r["error"] or "; ".join(r["unmet"] + sorted(set(r["blocking"])))
        table.add_row(r["id"], "[green]PASS[/]" if r["pass"] else "[red]FAIL[/]",
                      "[green]met[/]" if r["expect"] else "[red]unmet[/]", f"{r['seconds']:.2f}", lint_cell(r),
                      note[:400])
    console.print(table)
    for key, title in (("cat", "category"), ("style", "phrasing style")):
        t = Table(title=f"Per {title}: passes the gates AND meets its expectations")
        for col in (title, "n", "gates", "expectations", "both", "share"):
            t.add_column(col)
        for k, n, g, e, b in _share(rows, key):
            t.add_row(k, str(n), str(g), str(e), str(b), f"{100 * b / n:.1f}%")
        console.print(t)
    times = [r["seconds"] for r in rows]
    pass_unmet = [r["id"] for r in rows if r["marked_pass"] and not r["expect"]]
    if pass_unmet:
        console.print("[red]Marked PASS without meeting their expectations:[/] " + ", ".join(pass_unmet))
    console.print(f"warm-up {warmup:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    cats = " ".join(f"{k}={100 * b / n:.0f}%" for k, n, _, _, b in _share(rows, "cat"))
    print(f"request_bench[{args.backend}] n={len(rows)} ok={pct([r['ok'] for r in rows])} "
          f"gates={pct([r['pass'] for r in rows])} expectations={pct([r['expect'] for r in rows])} "
          f"pass_unmet={len(pass_unmet)} {cats} {lint_line(rows)} p50={quantile(times, 0.5):.2f}s p95={quantile(times, 0.95):.2f}s")
    return 0


def track(items: list, console: Console):
    from rich.progress import track as rich_track

    return rich_track(items, description="designing", console=console, transient=True)


if __name__ == "__main__":
    sys.exit(main())
