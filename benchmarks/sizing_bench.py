"""Sizing benchmark: spec tasks across the blocks, the SPICE-in-the-loop sizer side by side with a
random-search baseline given the same simulation budget; then the cost of one simulation.

Prints a table (per task: met, simulations, worst spec error, tolerance yield; baseline met and
simulations), then one summary line.

    python benchmarks/sizing_bench.py [--budget 60] [--mc 30]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console  # noqa: E402
from rich.progress import track  # noqa: E402
from rich.table import Table  # noqa: E402

from agents.size import parse_request_rules  # noqa: E402
from circuit.sizing.block import Infeasible  # noqa: E402
from circuit.sizing.blocks import make_block  # noqa: E402
from circuit.sizing.optimize import random_search, size  # noqa: E402
from circuit.sizing.tolerance import monte_carlo  # noqa: E402

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
    ap.add_argument("--mc", type=int, default=30)
    ap.add_argument("--series", default=None, help="force an E-series for every task")
    args = ap.parse_args()
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
