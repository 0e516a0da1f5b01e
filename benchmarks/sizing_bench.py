"""Sizing benchmark.

Default: the plain-language tasks of ``benchmarks/sizing_requests/tasks.jsonl`` (written from a block
x phrasing sheet, SHEET.md, before the reader that serves them). Per task: was it understood as
intended (block, every stated spec and condition), were the specs met when the emitted netlist is
simulated by this benchmark's OWN testbench (benchmarks/sizing_check.py, not the engine's measure),
simulations spent, Monte Carlo yield. One summary line at the end.

``--templates``: the older spec-sentence tasks, the sizer side by side with random search at the
same simulation budget, and the cost of one simulation.

    python benchmarks/sizing_bench.py [--mc 10] [--embed] [--templates]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from rich.console import Console  # noqa: E402
from rich.progress import track  # noqa: E402
from rich.table import Table  # noqa: E402

from agents.size import SizingParseError, parse_request_rules  # noqa: E402
from circuit.sizing.block import Infeasible  # noqa: E402
from circuit.sizing.blocks import make_block  # noqa: E402
from circuit.sizing.optimize import random_search, size  # noqa: E402
from circuit.sizing.tolerance import monte_carlo  # noqa: E402
from pipelines.sizing import run_sizing, summary  # noqa: E402
from sizing_check import check  # noqa: E402

TASK_FILE = Path(__file__).resolve().parent / "sizing_requests" / "tasks.jsonl"


def understood(task: dict, req) -> tuple[bool, str]:
    """Same block; every intended spec with its operator and a target within 1 %; every stated condition."""
    if req.block != task["block"]:
        return False, f"block {req.block}"
    got = {s.name: s for s in req.specs}
    for name, op, target in task["specs"]:
        s = got.get(name)
        if s is None or s.op != op or abs(s.target - target) > 0.01 * abs(target):
            return False, f"{name} {'missing' if s is None else f'{s.op} {s.target:g}'}"
    for k, v in task["env"].items():
        have = req.env.get(k)
        if isinstance(v, dict):  # fixed parts: the same designators, each value within 1 %
            have = have or {}
            if set(have) != set(v) or any(abs(float(have[a]) - float(b)) > 0.01 * abs(float(b)) for a, b in v.items()):
                return False, f"{k} {have}"
        elif isinstance(v, (int, float)):
            if have is None or abs(float(have) - v) > 0.01 * max(abs(v), 1e-9):
                return False, f"{k} {have}"
        elif have != v:
            return False, f"{k} {have}"
    if task.get("series") and req.series != task["series"]:
        return False, f"series {req.series}"
    return True, ""


def asks_for(task: dict, message: str) -> bool:
    """The refusal names every slot the task leaves unstated (by its name, as the reader's message gives it)."""
    low = message.lower()
    return all(name.lower() in low or name.replace("_", " ").lower() in low for name in task.get("ask_for", []))


def plain_language(args) -> int:
    con = Console(width=160)
    tasks = [json.loads(ln) for ln in TASK_FILE.read_text(encoding="utf-8").splitlines() if ln.strip()]
    tasks = [t for t in tasks if not args.block or t["block"] == args.block]
    tasks = [t for t in tasks if not args.batch or t.get("batch", "") == (args.batch if args.batch != "none" else "")]
    by_batch: dict[str, list[int]] = {}

    def tally(task: dict, und: bool, met: bool) -> None:
        b = by_batch.setdefault(task.get("batch") or "original", [0, 0, 0])
        b[0] += 1
        b[1] += bool(und)
        b[2] += bool(met)
    table = Table(title=f"sizing from plain words ({len(tasks)} tasks; met = independent simulation of the emitted netlist)")
    for col in ("task", "block", "understood", "met (indep.)", "sims", "yield", "note"):
        table.add_column(col, overflow="fold")
    n_und = n_met = n_tol = 0
    sims: list[int] = []
    for task in track(tasks, description="sizing", console=con, transient=True):
        text = task["text"]
        expect = task.get("expect")
        try:
            req = parse_request_rules(text, use_embedding=args.embed)
        except SizingParseError as e:
            # an under-specified request is understood (and answered) when the reader asks for what it lacks
            asked = expect == "ask" and asks_for(task, str(e))
            n_und += asked
            n_met += asked
            tally(task, asked, asked)
            table.add_row(text[:60], "—", "yes (asked)" if asked else "NO", "yes" if asked else "NO", "0", "—",
                          str(e)[:70])
            continue
        if expect == "ask":  # it sized something the request never specified: a silent guess
            state = run_sizing(text, request=req, budget=args.budget, mc_runs=0)
            table.add_row(text[:60], req.block, "NO (guessed, did not ask)", "NO", "0", "—", (state.get("error") or "")[:60])
            tally(task, False, False)
            continue
        ok, why = understood(task, req)
        n_und += ok
        state = run_sizing(text, request=req, budget=args.budget, mc_runs=args.mc)
        s = summary(state)
        if expect == "infeasible":  # impossible as asked: met when the run says it cannot be met and why
            refused = bool(state.get("error", "").startswith("cannot be met"))
            n_met += refused
            tally(task, ok, refused)
            table.add_row(text[:60], req.block, "yes" if ok else f"NO ({why})", "yes (refused)" if refused else "NO",
                          "0", "—", (s["error"] or "sized an impossible request")[:70])
            continue
        if state.get("error") or not state.get("result"):
            tally(task, ok, False)
            table.add_row(text[:60], req.block, "yes" if ok else f"NO ({why})", "NO", "0", "—", (s["error"] or "")[:60])
            continue
        res, block = state["result"], state["block"]
        sims.append(res.sims)
        if task.get("expect") == "clipping":
            met = any(n.startswith("CLIPPING") for n in state.get("notes") or [])
            note = "clipping reported" if met else "clipping NOT reported"
        else:
            env = {**block.env, **{k: v for k, v in task["env"].items() if k != "fixed"}}
            c = check(task["block"], block.netlist(res.values), env, [tuple(x) for x in task["specs"]])
            met, note = c.met, c.detail
        n_met += met
        tally(task, ok, met)
        y = s["yield"]
        n_tol += bool(s["pass"])
        table.add_row(text[:60], req.block, "yes" if ok else f"NO ({why})", "yes" if met else "NO", str(res.sims),
                      f"{y * 100:.0f} %" if y is not None else "—", (note or (s["tighten"] or ""))[:70])
    con.print(table)
    n = len(tasks)
    for b, (k, u, m) in by_batch.items():
        print(f"batch {b}: {k} tasks; understood {u}/{k}; met {m}/{k}")
    print(f"SUMMARY sizing plain words: {n} tasks; understood {n_und}/{n} ({n_und / n * 100:.1f} %); met by independent "
          f"simulation {n_met}/{n} ({n_met / n * 100:.1f} %); met at tolerance (yield >= 90 %, mc {args.mc}) {n_tol}/{n}; "
          f"median sims {statistics.median(sims) if sims else 0:g}; reader {'lexical+MiniLM' if args.embed else 'lexical'}")
    return 0


TASKS = [
    "voltage divider from 5 V, output 3.3 V, divider current at most 1 mA",
    "voltage divider from 12 V, output 5 V, source impedance at most 5k",
    "voltage divider from 9 V giving 1.8 V",
    "led resistor for a red LED at 5 V, LED current 15 mA",
    "led resistor for a blue LED at 3.3 V, LED current 5 mA",
    "led resistor for a green LED at 12 V, LED current 20 mA",
    "RC low-pass filter with a cut-off of 1 kHz",
    "RC low-pass filter, corner 15.9 kHz, E12",
    "RC high-pass filter, cut-off 150 Hz",
    "RC high-pass filter with -3 dB at 20 Hz, E96",
    "RL low-pass filter, cutoff 10 kHz",
    "RL high-pass filter, cutoff 2 kHz",
    "RLC band-pass, centre frequency 10 kHz, Q 5",
    "RLC band-pass, resonant at 455 kHz, bandwidth 10 kHz",
    "Sallen-Key low-pass, cutoff 2 kHz, Q 0.707, TL072 ±12 V",
    "Sallen-Key low-pass, cutoff 300 Hz, Q 0.707, LM358 at 5 V",
    "non-inverting amplifier, gain 11, LM358 at 5 V, bandwidth >= 50 kHz",
    "non-inverting amplifier, gain 2, MCP6002 at 3.3 V",
    "non-inverting amplifier, gain 33, TL072 ±15 V, bandwidth at least 80 kHz",
    "inverting amplifier gain -4.7, input impedance at least 10k, TL072 ±15 V",
    "inverting amplifier, gain 22, LM358 at 12 V",
    "inverting amplifier, gain 0.5, input impedance at least 47k, TL072 ±12 V",
    "difference amplifier, gain 2, CMRR at least 40 dB, TL072 ±12 V",
    "difference amplifier, gain 10, LM358 at 12 V",
    "summing amplifier, gain 1 is 1, gain 2 is 2, TL072 ±12 V",
    "integrator, unity gain at 1 kHz, TL072 ±12 V",
    "integrator with unity-gain frequency 100 Hz, LM358 at 5 V",
    "differentiator, unity gain at 1 kHz, TL072 ±12 V",
    "comparator with threshold 2.5 V, LM358 at 5 V",
    "comparator, threshold 1.2 V, LM358 at 5 V",
    "Schmitt trigger, upper threshold 3 V and lower threshold 2 V, LM358 at 5 V",
    "Schmitt trigger, upper threshold 2 V and lower threshold 1.2 V, MCP6002 at 3.3 V",
    "BJT switch for a 120 ohm load at 12 V driven from 5 V logic, saturation at most 0.3 V, pin current at most 20 mA",
    "transistor switch 2N2222, 12 V, 60 ohm load, 3.3 V logic, pin current at most 10 mA, vce_sat at most 0.3 V",
    "MOSFET switch IRLZ44N, 12 V, 12 ohm load, 5 V drive, vds at most 0.1 V, gate current at most 20 mA, switching time at most 1 us",
    "common-emitter amplifier, gain 10, quiescent collector current 1 mA, 12 V",
    "common emitter amplifier with gain 5 at 9 V, ic 2 mA",
    "555 astable at 1 kHz with 60% duty",
    "555 astable at 2 Hz, duty 75%",
    "555 monostable, pulse width 10 ms",
    "555 monostable with a 1 s delay",
    "LM317 regulator 12 V to 5 V, load current 100 mA",
    "LM317 regulator 15 V to 3.3 V, load current 50 mA",
    "zener regulator 5.1 V zener, input 9 to 12 V, load 10 mA, zener power at most 0.5 W",
    "Wien bridge oscillator at 1 kHz, amplitude at least 1 V",
    "phase shift oscillator at 500 Hz, amplitude at least 1 V",
]

INFEASIBLE = [
    "non-inverting amplifier, gain 1000 at 1 MHz, LM358",
    "voltage divider from 5 V, output 7 V",
    "LM317 regulator 5 V to 5 V, load current 100 mA",
]


def sim_cost(runs: int = 200) -> tuple[float, float | None]:
    """In-process PySpice .op of a 10-node ladder vs spawning the ngspice binary per run (ms each)."""
    from circuit.sim import simulate

    lines = ["ladder", "V1 n0 0 DC 5"]
    for i in range(10):
        lines += [f"R{i}a n{i} n{i + 1} 1k", f"R{i}b n{i + 1} 0 10k"]
    deck = "\n".join(lines + [".op", ".end", ""])
    simulate(deck)
    t = time.perf_counter()
    for _ in range(runs):
        simulate(deck)
    inproc = (time.perf_counter() - t) / runs * 1e3
    exe = shutil.which("ngspice")
    if not exe:
        return inproc, None
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "ladder.cir"
        p.write_text(deck)
        n = 20
        t = time.perf_counter()
        for _ in range(n):
            subprocess.run([exe, "-b", str(p)], capture_output=True, check=False)
        spawn = (time.perf_counter() - t) / n * 1e3
    return inproc, spawn


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=int, default=60)
    ap.add_argument("--mc", type=int, default=10, help="Monte Carlo builds per task (0 to skip)")
    ap.add_argument("--series", default=None, help="force an E-series for every task (--templates)")
    ap.add_argument("--embed", action="store_true", help="add the MiniLM sentence embedding to the block choice")
    ap.add_argument("--templates", action="store_true", help="the spec-sentence tasks against random search")
    ap.add_argument("--block", default=None, help="only the tasks intended for this block")
    ap.add_argument("--batch", default=None, help="only the tasks of this batch tag ('none': the untagged ones)")
    args = ap.parse_args()
    if not args.templates:
        return plain_language(args)
    return templates(args)


def templates(args) -> int:
    con = Console(width=140)
    table = Table(title="sizing: SPICE-in-the-loop vs random search (equal budget)")
    for col in ("task", "block", "met", "sims", "worst err", "yield", "random met", "random sims"):
        table.add_column(col)
    ours_met = base_met = 0
    ours_sims: list[int] = []
    base_sims: list[int] = []
    e24_met = e24_total = 0
    for text in track(TASKS, description="sizing", console=con, transient=True):
        req = parse_request_rules(text)
        series = args.series or req.series
        specs = req.spec_objects()
        try:
            r = size(make_block(req.block, req.env), specs, series=series, budget=args.budget)
        except Infeasible as e:
            table.add_row(text[:60], req.block, "infeasible", "0", "—", "—", "—", "—")
            con.print(f"unexpected infeasible: {text}: {e}")
            continue
        b = random_search(make_block(req.block, req.env), specs, series=series, budget=args.budget)
        y = monte_carlo(make_block(req.block, req.env), r.values, specs, runs=args.mc).yield_ if r.met and args.mc else None
        ours_met += r.met
        base_met += b.met
        ours_sims.append(r.sims)
        base_sims.append(b.sims)
        if series == "E24":
            e24_total += 1
            e24_met += r.met
        table.add_row(text[:60], req.block, "yes" if r.met else "NO", str(r.sims), f"{r.worst_error * 100:.2f} %",
                      f"{y * 100:.0f} %" if y is not None else "—", "yes" if b.met else "no", str(b.sims))
    con.print(table)
    explained = 0
    for text in INFEASIBLE:
        req = parse_request_rules(text)
        try:
            make_block(req.block, req.env).check_feasible({s.name: s for s in req.spec_objects()})
            con.print(f"[red]not flagged as infeasible:[/] {text}")
        except Infeasible as e:
            explained += 1
            con.print(f"infeasible, explained: {text} -> {e}")
    inproc, spawn = sim_cost()
    n = len(TASKS)
    con.print(f"simulation cost: in-process {inproc:.2f} ms per .op of a 10-node circuit"
              + (f", spawning ngspice {spawn:.1f} ms" if spawn else ", ngspice binary not found"))
    print(f"SUMMARY sizing: {ours_met}/{n} met ({ours_met / n * 100:.1f} %; E24 {e24_met}/{e24_total}), "
          f"median sims {statistics.median(ours_sims):g}; random baseline {base_met}/{n} "
          f"({base_met / n * 100:.1f} %), median sims {statistics.median(base_sims):g}; infeasible explained "
          f"{explained}/{len(INFEASIBLE)}; in-process sim {inproc:.2f} ms"
          + (f" vs spawn {spawn:.1f} ms" if spawn else ""))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.exit(main())
