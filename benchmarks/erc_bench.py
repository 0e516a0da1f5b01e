"""ERC benchmark: run the rule check over hand-made circuits and score it against their labels.

Each file in ``benchmarks/erc_corpus/`` is a CircuitJSON document with an extra top-level key::

    "expect": {"Critical": [rule ids], "Major": [...], "Minor": [...], "Warning": [...]}

listing the findings an engineer expects (by rule id; one id counts once however many pins it
hits). The bench prints one row per circuit, then precision and recall per severity, then one
summary line (which repeats precision/recall per severity and their minimum). Pass@1 agreement compares "no Critical/Major expected" with "none found".

    python benchmarks/erc_bench.py [--corpus DIR] [--only NAME] [--rules PREFIX]

``--rules SAFETY-`` scores only the rule ids with that prefix (one family), over every circuit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from circuit.erc import run_erc  # noqa: E402
from circuit.findings import Severity  # noqa: E402
from circuit.load import CircuitReadError, read_document  # noqa: E402
from knowledge.library import Library  # noqa: E402

SEVERITIES = [s.value for s in Severity]
CORPUS = Path(__file__).resolve().parent / "erc_corpus"


def expected_of(doc: dict) -> set[tuple[str, str]]:
    exp = doc.get("expect")
    if not isinstance(exp, dict):
        raise ValueError("no 'expect' object")
    out = set()
    for sev, rules in exp.items():
        if sev not in SEVERITIES:
            raise ValueError(f"unknown severity {sev!r} in 'expect'")
        out |= {(sev, r) for r in rules}
    return out


def score(files: list[Path], library: Library, prefix: str = "") -> tuple[list[dict], dict]:
    rows = []
    totals = {s: {"tp": 0, "fp": 0, "fn": 0} for s in SEVERITIES}
    for path in files:
        row = {"name": path.stem, "error": None}
        try:
            doc = read_document(path)
            expected = {e for e in expected_of(doc) if e[1].startswith(prefix)}
            got = {(f.severity.value, f.rule) for f in run_erc(doc, library) if f.rule.startswith(prefix)}
        except (CircuitReadError, ValueError) as e:
            row["error"] = str(e)
            rows.append(row)
            continue
        row.update(
            expected=expected, got=got,
            tp=expected & got, fp=got - expected, fn=expected - got,
            exp_pass=not any(Severity(s).blocking for s, _ in expected),
            got_pass=not any(Severity(s).blocking for s, _ in got),
            description=str(doc.get("description", "")),
        )
        for bucket in ("tp", "fp", "fn"):
            for sev, _ in row[bucket]:
                totals[sev][bucket] += 1
        rows.append(row)
    return rows, totals


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--only", help="run only circuits whose file name contains this")
    ap.add_argument("--rules", default="", help="score only rule ids starting with this (e.g. SAFETY-)")
    args = ap.parse_args(argv)
    files = sorted(args.corpus.glob("*.json"))
    if args.only:
        files = [f for f in files if args.only in f.name]
    if not files:
        print(f"no circuits in {args.corpus}", file=sys.stderr)
        return 2
    library = Library.default()
    rows, totals = score(files, library, args.rules)
    console = Console()

    table = Table(title=f"ERC benchmark — {len(files)} circuits", show_lines=False)
    for col in ("circuit", "expected", "ERC", "TP", "missed (FN)", "extra (FP)"):
        table.add_column(col, overflow="fold")
    for r in rows:
        if r["error"]:
            table.add_row(r["name"], "[red]unreadable[/]", "", "", r["error"], "")
            continue
        table.add_row(
            r["name"],
            "pass" if r["exp_pass"] else "fail",
            ("[green]pass[/]" if r["got_pass"] else "[red]fail[/]") if r["got_pass"] == r["exp_pass"]
            else f"[bold yellow]{'pass' if r['got_pass'] else 'fail'}[/]",
            str(len(r["tp"])),
            ", ".join(f"{rule} ({sev})" for sev, rule in sorted(r["fn"])),
            ", ".join(f"{rule} ({sev})" for sev, rule in sorted(r["fp"])),
        )
    console.print(table)

    sev_table = Table(title="Precision / recall per severity")
    for col in ("severity", "expected", "found", "TP", "FP", "FN", "precision", "recall"):
        sev_table.add_column(col, justify="right" if col != "severity" else "left")
    all_tp = all_fp = all_fn = 0
    for sev in SEVERITIES:
        t = totals[sev]
        all_tp, all_fp, all_fn = all_tp + t["tp"], all_fp + t["fp"], all_fn + t["fn"]
        sev_table.add_row(
            sev, str(t["tp"] + t["fn"]), str(t["tp"] + t["fp"]), str(t["tp"]), str(t["fp"]), str(t["fn"]),
            _pct(_ratio(t["tp"], t["tp"] + t["fp"])), _pct(_ratio(t["tp"], t["tp"] + t["fn"])),
        )
    console.print(sev_table)

    scored = [r for r in rows if not r["error"]]
    agree = sum(r["exp_pass"] == r["got_pass"] for r in scored)
    good = sum(r["exp_pass"] for r in scored)
    errors = len(rows) - len(scored)
    print(
        f"erc_bench{'[' + args.rules + '*]' if args.rules else ''}: {len(scored)} circuits ({good} good, {len(scored) - good} bad"
        + (f", {errors} unreadable" if errors else "")
        + f"), pass/fail agreement {agree}/{len(scored)}, "
        f"precision {_pct(_ratio(all_tp, all_tp + all_fp))}, recall {_pct(_ratio(all_tp, all_tp + all_fn))} "
        f"(blocking: precision {_pct(_ratio(*_blocking(totals, 'p')))}, recall {_pct(_ratio(*_blocking(totals, 'r')))}); "
        f"per severity P/R {per_severity(totals)}"
    )
    return 0


def per_severity(totals: dict) -> str:
    """'Critical 1.00/1.00 Major 0.97/1.00 ... min 0.97': precision/recall of each severity and the lowest
    of them (a severity nothing was expected or found of scores no figure and is left out of the minimum)."""
    parts, figures = [], []
    for sev in SEVERITIES:
        t = totals[sev]
        p, r = _ratio(t["tp"], t["tp"] + t["fp"]), _ratio(t["tp"], t["tp"] + t["fn"])
        figures += [x for x in (p, r) if x is not None]
        parts.append(f"{sev} {_pct(p)}/{_pct(r)}")
    return " ".join(parts) + f" min {_pct(min(figures) if figures else None)}"


def _blocking(totals: dict, which: str) -> tuple[int, int]:
    tp = sum(totals[s]["tp"] for s in ("Critical", "Major"))
    other = sum(totals[s]["fp" if which == "p" else "fn"] for s in ("Critical", "Major"))
    return tp, tp + other


if __name__ == "__main__":
    sys.exit(main())
