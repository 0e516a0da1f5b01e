"""Schematic lint benchmark: every design of the project's benchmarks, drawn and linted.

The designs come from every benchmark that produces a circuit a person would look at:

- ``dev``: the CircuitLM dev prompts (design_bench, firmware_bench and llm_bench run these);
- ``extra``: the reworded prompts (``design_bench --prompts benchmarks/design_requests_extra.json``);
- ``requests``: the generalisation requests (``design_bench --requests``);
- ``erc``: the ERC corpus (erc_bench), drawn as written;
- ``cold``: cold_bench's requests; ``hostile``: the circuit documents hostile_bench feeds ``check``.

(sizing_bench draws response plots, not schematics, so it has none.) Per source: designs drawn, the
share the lint passes (circuit/schematic_lint.py), failures per rule, and how wires run: bends per
two-pin wire, the share of module-to-module wires that are straight or one-bend, wire length over
the rectilinear spanning length of the pins (1.0 = no detour); ground symbols pointing down, rail labels
pointing up, how far a wireless companion (a decoupling capacitor) sits from the pin it serves, and
whether signals flow left to right (inputs, by their records, left of the controller, outputs right).
One summary line at the end.

    python benchmarks/lint_bench.py [--source dev requests ...] [--cache FILE] [--show ID]

``--cache FILE`` keeps the designed circuits (designed once, then redrawn from the file), so the
drawing can be worked on without re-running the design pipeline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from rich.console import Console  # noqa: E402
from rich.progress import track  # noqa: E402
from rich.table import Table  # noqa: E402

from benchmarks.cold_bench import REQUESTS as COLD_REQUESTS  # noqa: E402
from benchmarks.design_bench import DEFAULT_PROMPTS, load_prompts  # noqa: E402
from benchmarks.erc_bench import CORPUS as ERC_CORPUS  # noqa: E402
from benchmarks.hostile_bench import circuit_documents  # noqa: E402

EXTRA = ROOT / "benchmarks" / "design_requests_extra.json"
REQUESTS = ROOT / "benchmarks" / "requests" / "requests.yaml"
SOURCES = ("dev", "extra", "requests", "erc", "cold", "hostile")


def _requests(source: str) -> list[tuple[str, str]]:
    """(id, request text) for the sources that are design requests."""
    if source == "dev":
        return [(p["id"], p["prompt"]) for p in load_prompts(DEFAULT_PROMPTS)] if DEFAULT_PROMPTS.is_file() else []
    if source == "extra":
        return [(p["id"], p["prompt"]) for p in load_prompts(EXTRA)]
    if source == "requests":
        import yaml

        raw = yaml.safe_load(REQUESTS.read_text(encoding="utf-8"))
        return [(r["id"], r["request"]) for r in raw["requests"]]
    if source == "cold":
        return sorted(COLD_REQUESTS.items())
    return []


def _documents(source: str) -> list[tuple[str, dict]]:
    """(id, CircuitJSON) for the sources that are circuits already."""
    if source == "erc":
        out = []
        for f in sorted(ERC_CORPUS.glob("*.json")):
            doc = json.loads(f.read_text(encoding="utf-8"))
            doc.pop("expect", None)
            out.append((f.stem, doc))
        return out
    if source == "hostile":
        return circuit_documents()
    return []


def designs(sources: list[str], cache: Path | None, console: Console) -> dict[str, dict[str, dict | None]]:
    """source -> id -> circuit (None: the design stopped without one)."""
    stored: dict[str, dict[str, dict | None]] = {}
    if cache is not None and cache.is_file():
        stored = json.loads(cache.read_text(encoding="utf-8"))
    out: dict[str, dict[str, dict | None]] = {}
    todo = [(s, i, text) for s in sources for i, text in _requests(s) if i not in stored.get(s, {})]
    if todo:
        os.environ.setdefault("CIRCUITSMITH_HOME", tempfile.mkdtemp(prefix="cs-lint-bench-"))
        from pipelines.design import design

        for s, i, text in track(todo, description="designing", console=console):
            try:
                turn = design(text, backend="rules")
            except Exception:  # a crash is the design benchmark's failure, not the drawing's
                turn = {}
            stored.setdefault(s, {})[i] = turn.get("circuit") or None
        if cache is not None:
            cache.write_text(json.dumps(stored), encoding="utf-8")
    for s in sources:
        if s in ("erc", "hostile"):
            out[s] = dict(_documents(s))
        else:
            out[s] = {i: stored.get(s, {}).get(i) for i, _ in _requests(s)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", nargs="*", choices=SOURCES, default=list(SOURCES))
    ap.add_argument("--cache", type=Path, default=None, help="keep designed circuits in this JSON file")
    ap.add_argument("--show", nargs="*", default=[], help="print every issue of these design ids")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    console = Console(width=160)
    from circuit.model import Circuit
    from circuit.schematic_lint import RULES, lint_circuit
    from knowledge.library import Library

    library = Library.default()
    t0 = time.perf_counter()
    circuits = designs(args.source, args.cache, console)
    rows = []
    for source, items in circuits.items():
        for did, doc in track(list(items.items()), description=f"drawing {source}", console=console):
            if not doc or not doc.get("parts"):
                continue
            try:
                rep = lint_circuit(Circuit.model_validate(doc), library)
            except Exception as e:  # a drawing that cannot be made fails the lint
                rows.append({"source": source, "id": did, "ok": False, "rules": {f"crash:{type(e).__name__}": 1},
                             "issues": [str(e)], "m": None})
                continue
            rows.append({"source": source, "id": did, "ok": rep.ok, "rules": rep.by_rule(),
                         "issues": [i.message for i in rep.issues], "m": rep.measures})
    table = Table(title="Schematic lint over every benchmark design")
    for col in ("source", "drawn", "lint", "failing (rule: designs)", "bends/2-pin", "module ≤1 bend",
                "length/span", "flow L→R", "max px tall (≤40 parts)"):
        table.add_column(col, overflow="fold")
    tot_ok = tot = 0
    all_m = []
    for source in circuits:
        rs = [r for r in rows if r["source"] == source]
        if not rs:
            continue
        by_rule: dict[str, int] = {}
        for r in rs:
            for k in r["rules"]:
                by_rule[k] = by_rule.get(k, 0) + 1
        ms = [r["m"] for r in rs if r["m"]]
        all_m += ms
        ok = sum(r["ok"] for r in rs)
        tot_ok += ok
        tot += len(rs)
        table.add_row(source, str(len(rs)), f"{ok}/{len(rs)}",
                      ", ".join(f"{k}: {v}" for k, v in sorted(by_rule.items())) or "-", *_wires(ms), _flow(ms),
                      f"{max((m['height'] for m in ms if m['parts'] <= 40), default=0):.0f}")
    console.print(table)
    for r in rows:
        if not r["ok"]:
            console.print(f"[red]{r['source']}/{r['id']}[/]: " + "; ".join(r["issues"][:4 if r['id'] not in args.show else 99]))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    bends, module, ratio = _wires(all_m)
    down = sum(m.get("grounds_down", 0) for m in all_m), sum(m.get("grounds", 0) for m in all_m)
    up = sum(m.get("rails_up", 0) for m in all_m), sum(m.get("rails", 0) for m in all_m)
    comp = [d for m in all_m for d in m.get("companion_px", [])]
    by_rule_all: dict[str, int] = {}
    for r in rows:
        for k in r["rules"]:
            by_rule_all[k] = by_rule_all.get(k, 0) + 1
    per = " ".join(f"{s}={sum(r['ok'] for r in rows if r['source'] == s)}/{sum(1 for r in rows if r['source'] == s)}"
                   for s in circuits)
    fails = ",".join(f"{k}:{v}" for k, v in sorted(by_rule_all.items()) if k in RULES or k.startswith("crash"))
    print(f"lint_bench lint={tot_ok}/{tot} {per}" + (f" ({fails})" if fails else "")
          + f" bends/2-pin-wire={bends} module-wires-≤1-bend={module} length/span={ratio}"
          f" grounds-down={100 * down[0] / max(1, down[1]):.0f}% rails-up={100 * up[0] / max(1, up[1]):.0f}%"
          f" companion-px-max={max(comp, default=0):.0f} flow-left-to-right={_flow(all_m)}"
          f" {time.perf_counter() - t0:.0f}s")
    return 0 if tot_ok == tot else 1


def _flow(ms: list[dict]) -> str:
    """Share of the parts with a signal direction drawn on their side of the controller (inputs left)."""
    ok = sum(m.get("flow", [0, 0])[0] for m in ms)
    total = sum(m.get("flow", [0, 0])[1] for m in ms)
    return f"{100 * ok / total:.0f}% of {total}" if total else "-"


def _wires(ms: list[dict]) -> tuple[str, str, str]:
    """(mean bends per two-pin wire, share of module-to-module two-pin wires with at most one bend,
    total wire length over total rectilinear spanning length of the wired pins)."""
    bends = [b for m in ms for b in m["bends"]]
    module = [b for m in ms for b in m["module_bends"]]
    length = sum(m["wire_length"] for m in ms)
    span = sum(m["span_length"] for m in ms)
    return (f"{statistics.mean(bends):.2f}" if bends else "-",
            f"{100 * sum(b <= 1 for b in module) / len(module):.0f}% of {len(module)}" if module else "-",
            f"{length / span:.2f}" if span else "-")


if __name__ == "__main__":
    sys.exit(main())
