"""LLM benchmark: the design pipeline over the dev prompts through the local llama.cpp model.

Starts SmolLM2-135M (the optional ``make llm-local`` extra) under llama.cpp's OpenAI-compatible
server on 127.0.0.1, runs every prompt through the design pipeline with the agents on that model,
and prints per agent: calls, prompt/completion tokens, p50 latency per call, the schema-valid rate
(answers that validated, over all answers), how often the rules took over, cache hits; then Pass@1
overall (no Critical/Major finding from the ERC and the SPICE gate) and one summary line.

The response cache is on (``CIRCUITSMITH_LLM_CACHE=1``, in ``$CIRCUITSMITH_HOME``): a rerun
reproduces the same answers for free. ``--no-cache`` asks the model every time (for timings).

    python benchmarks/llm_bench.py [--limit N] [--agents identify,plan,...] [--max-tokens N]
                                   [--no-cache] [--prompts FILE] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402
from rich.table import Table  # noqa: E402

SHARED = Path(os.environ.get("CIRCUITSMITH_SHARED", ROOT.parent / "shared"))
DEFAULT_PROMPTS = SHARED / "datasets" / "circuitlm_prompts_dev.json"
AGENTS = ("identify", "retrieve", "plan", "synthesize", "judge")


def quantile(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def pct(num: int, den: int) -> str:
    return f"{100 * num / den:.0f}%" if den else "-"


class AgentTally:
    """One agent's figures over the whole run."""

    def __init__(self) -> None:
        self.turns = 0          # designs in which the agent was meant to use the model
        self.used = 0           # ... and the model's (repaired) answer was used
        self.calls = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.latencies: list[float] = []
        self.valid = 0
        self.invalid = 0
        self.fallbacks = 0
        self.cache_hits = 0
        self.retries = 0
        self.refused = 0        # calls the server refused for their response format (no tokens)

    def add(self, backend: str | None, usage: dict | None, model_label: str) -> None:
        u = usage or {}
        if backend is None or backend == "rules" or backend.startswith("off"):
            return  # not on the model in this design
        if not (u.get("calls") or u.get("cache_hits") or u.get("fallbacks")):
            return  # on the model but had nothing to ask it (retrieve: every part was in the library)
        self.turns += 1
        self.used += backend == model_label
        self.calls += u.get("calls", 0)
        self.prompt_tokens += u.get("prompt_tokens", 0)
        self.completion_tokens += u.get("completion_tokens", 0)
        self.latencies += u.get("latencies", [])
        self.valid += u.get("schema_valid", 0)
        self.invalid += sum(1 for e in u.get("events", []) if e.startswith("invalid answer"))
        self.fallbacks += 1 if u.get("fallbacks", 0) else 0  # designs in which the rules took over from the model
        self.cache_hits += u.get("cache_hits", 0)
        self.retries += u.get("retries", 0)
        self.refused += sum(1 for e in u.get("events", []) if e.startswith("server refused"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prompts", type=Path, default=DEFAULT_PROMPTS)
    ap.add_argument("--limit", type=int, default=None, help="first N prompts (default: all)")
    ap.add_argument("--agents", default=",".join(AGENTS), help=f"agents on the model (default: {','.join(AGENTS)})")
    ap.add_argument("--max-tokens", type=int, default=512, help="completion token limit per answer (default 512)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per request (default 300)")
    ap.add_argument("--no-cache", action="store_true", help="ask the model every time (the cache is on by default)")
    ap.add_argument("--json", type=Path, default=None, help="write per-prompt results here")
    args = ap.parse_args(argv)
    console = Console(width=150, stderr=False)

    from tests.llama_server import LlamaServer, missing_reason

    reason = missing_reason()
    if reason:
        console.print(f"[red]no local model:[/] {reason}")
        return 2
    if not args.prompts.is_file():
        console.print(f"[red]no prompt file at {args.prompts}[/] (set CIRCUITSMITH_SHARED or pass --prompts)")
        return 2
    agents = [a.strip() for a in args.agents.split(",") if a.strip()]
    if not agents or any(a not in AGENTS for a in agents):
        console.print(f"[red]--agents {args.agents!r}:[/] choose from {', '.join(AGENTS)}")
        return 2
    if args.limit is not None and args.limit < 1:
        console.print("[red]--limit must be at least 1[/]")
        return 2

    from benchmarks.design_bench import load_prompts

    prompts = load_prompts(args.prompts)[: args.limit]
    t_all = time.perf_counter()
    with console.status("starting llama.cpp (SmolLM2-135M) on 127.0.0.1 …"):
        server = LlamaServer(n_ctx=8192).__enter__()
    try:
        os.environ.update(server.env())
        os.environ.update({
            "CIRCUITSMITH_LLM_MAX_TOKENS": str(args.max_tokens), "CIRCUITSMITH_LLM_TIMEOUT": str(args.timeout),
            "CIRCUITSMITH_LLM_AGENTS": ",".join(agents), "CIRCUITSMITH_LLM_CACHE": "0" if args.no_cache else "1",
        })
        from pipelines.design import design

        design("Blink an LED on an Arduino Uno", backend="rules")  # warm: imports, library, ngspice
        label = f"llm:{os.environ['CIRCUITSMITH_LLM_MODEL']}"
        tallies = {a: AgentTally() for a in AGENTS}
        rows = []
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as bar:
            task = bar.add_task("designing through the local model", total=len(prompts))
            for p in prompts:
                bar.update(task, description=f"{p['id']}")
                t = time.perf_counter()
                try:
                    turn, err = design(p["prompt"], backend="llm"), None
                except Exception as e:  # a crash is a failed prompt, never a failed benchmark
                    turn, err = {}, f"{type(e).__name__}: {e}"
                secs = time.perf_counter() - t
                usage = (turn.get("llm") or {}).get("agents") or {}
                backends = turn.get("backends") or {}
                for a in AGENTS:
                    tallies[a].add(backends.get(a), usage.get(a), label)
                rows.append({"id": p["id"], "difficulty": p["difficulty"], "prompt": p["prompt"],
                             "pass": bool(turn.get("passed")) and not turn.get("stopped") and err is None,
                             "stopped": turn.get("stopped"), "error": err, "backends": backends,
                             "llm": (turn.get("llm") or {}).get("total"), "seconds": round(secs, 2)})
                bar.advance(task)
    finally:
        server.__exit__(None, None, None)

    table = Table(title=f"LLM benchmark: {args.prompts.name}, {len(rows)} prompt(s), {label} via llama.cpp"
                        f"{'' if args.no_cache else ' (cache on)'}")
    for col in ("agent", "designs", "calls", "prompt tok", "completion tok", "p50 latency", "schema-valid",
                "answer used", "rules took over", "retries", "cache hits"):
        table.add_column(col, justify="left" if col == "agent" else "right")
    for a in AGENTS:
        t = tallies[a]
        if not t.turns:
            continue
        p50 = quantile(t.latencies, 0.5)
        table.add_row(a, str(t.turns), str(t.calls), str(t.prompt_tokens), str(t.completion_tokens),
                      f"{p50:.2f} s" if p50 is not None else "-", pct(t.valid, t.valid + t.invalid),
                      f"{t.used}/{t.turns}", f"{t.fallbacks}/{t.turns} ({pct(t.fallbacks, t.turns)})",
                      str(t.retries), str(t.cache_hits))
    console.print(table)
    passed = sum(r["pass"] for r in rows)
    by_diff: dict[str, list[bool]] = {}
    for r in rows:
        by_diff.setdefault(r["difficulty"], []).append(r["pass"])
    console.print(f"Pass@1 {pct(passed, len(rows))} ({passed}/{len(rows)}); by difficulty: "
                  + ", ".join(f"{d} {pct(sum(v), len(v))}" for d, v in sorted(by_diff.items())))
    for r in rows:
        if not r["pass"]:
            console.print(f"  {r['id']}: " + (r["error"] or r["stopped"] or "fails its checks"), highlight=False)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    on = [tallies[a] for a in AGENTS if tallies[a].turns]
    calls = sum(t.calls for t in on)
    tokens = sum(t.prompt_tokens + t.completion_tokens for t in on)
    lat = quantile([x for t in on for x in t.latencies], 0.5)
    valid, invalid = sum(t.valid for t in on), sum(t.invalid for t in on)
    took, turns = sum(t.fallbacks for t in on), sum(t.turns for t in on)
    wall = quantile([r["seconds"] for r in rows], 0.5) or 0.0
    ident = tallies["identify"]  # understanding's prompt (candidates + capabilities; a catalogue was ~5k tokens)
    answered = ident.calls - ident.refused - ident.retries  # calls the model answered (and charged tokens for)
    per_call = ident.prompt_tokens / answered if answered else 0
    print(f"llm_bench[{label}] n={len(rows)} Pass@1={pct(passed, len(rows))} calls={calls} tokens={tokens} "
          f"p50_call={lat if lat is not None else 0:.2f}s schema_valid={pct(valid, valid + invalid)} "
          f"rules_took_over={took}/{turns} ({pct(took, turns)}) identify_prompt_tok/call={per_call:.0f} p50_design={wall:.1f}s "
          f"total={time.perf_counter() - t_all:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
