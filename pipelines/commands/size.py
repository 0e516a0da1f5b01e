"""``circuitsmith size``: component values chosen and proven by SPICE in the loop."""

from __future__ import annotations

import json
import sys

NAME = "size"
HELP = "Choose E-series component values for a circuit block and prove them by SPICE simulation."
MAX_BUDGET = 1000  # simulations in the search
MAX_MC = 1000      # Monte Carlo builds
EXAMPLE = 'circuitsmith size "non-inverting amplifier, gain 11, LM358 at 5 V, bandwidth >= 50 kHz" -o out/'


def add_arguments(p) -> None:
    p.add_argument("request", nargs="?", help="what to size, in plain words")
    p.add_argument("--spec", metavar="FILE", help="a spec file (JSON/YAML: block, specs, env, series) instead of words")
    p.add_argument("-o", "--out", metavar="DIR", help="write values.json, netlist.cir, report.md and response plots here")
    from pipelines.flags import int_range

    p.add_argument("--budget", type=int_range(1, MAX_BUDGET), default=60,
                   help=f"most simulations to spend searching, 1 to {MAX_BUDGET} (default 60)")
    p.add_argument("--mc", type=int_range(0, MAX_MC), default=50,
                   help=f"Monte Carlo builds for the tolerance yield, 0 (skip) to {MAX_MC} (default 50)")
    p.add_argument("--json", action="store_true", help="print one JSON summary on stdout")
    p.add_argument("--list", action="store_true", help="list the blocks that can be sized and their specs")


def run(args) -> int:
    from pathlib import Path

    from rich.console import Console
    from rich.table import Table

    from pipelines.terminal import safe as escape
    from agents.size import SizingParseError, load_spec_file
    from circuit.sizing.blocks import BLOCKS
    from circuit.units import format_value
    from pipelines.sizing import run_sizing, summary, write_outputs

    err = Console(stderr=True)
    if args.list:
        t = Table(title="sizing blocks")
        t.add_column("block")
        t.add_column("what it is")
        t.add_column("specs")
        for key, cls in BLOCKS.items():
            t.add_row(key, cls.title, ", ".join(cls.measures))
        Console().print(t)
        return 0
    if args.out and Path(args.out).exists() and not Path(args.out).is_dir():
        err.print(f"[red]error:[/] -o {escape(args.out)} exists and is not a folder; choose another -o")
        return 2
    request = None
    if args.spec:
        try:
            request = load_spec_file(args.spec)
        except SizingParseError as e:
            err.print(f"[red]error:[/] {escape(e)}")
            return 2
    elif not args.request:
        err.print("[red]error:[/] say what to size, e.g. " + EXAMPLE + "  (or --spec FILE, or --list)")
        return 2
    with err.status("sizing with SPICE in the loop..."):
        state = run_sizing(args.request, request=request, budget=args.budget, mc_runs=args.mc)
    files = write_outputs(state, Path(args.out)) if args.out else {}
    s = summary(state)
    if args.json:
        s["outputs"] = {k: str(v) for k, v in files.items()}
        print(json.dumps(s, default=float))
    else:
        out = Console()
        if state.get("error"):
            out.print(f"[red]Not sized:[/] {escape(state['error'])}")
        else:
            block, res = state["block"], state["result"]
            t = Table(title=f"{block.title} ({res.series})")
            t.add_column("spec")
            t.add_column("target")
            t.add_column("simulated")
            t.add_column("met")
            for sp in res.specs:
                got = res.measures.get(sp.name)
                t.add_row(sp.name, sp.describe(), format_value(got, sp.unit) if got is not None else "—",
                          "[green]yes[/]" if sp.met(got) else "[red]no[/]")
            out.print(t)
            out.print("parts: " + ", ".join(f"{ref} = {val}" for ref, val, _ in block.bill(res.values)))
            out.print(f"simulations: {res.sims}" + (f", tolerance yield {s['yield'] * 100:.0f} %" if s["yield"] is not None else ""))
            for note in s["notes"]:
                out.print(note, style="red" if note.startswith("CLIPPING") else None, markup=False)
            if not res.met:
                out.print(f"[red]Not met:[/] {escape(res.message)}")
            elif s["tolerance_limited"]:
                out.print(s["tighten"], style="yellow", markup=False)
        if files:
            out.print(f"outputs in {args.out}: " + ", ".join(sorted(files)))
    if state.get("error") and "cannot be met" not in state["error"]:
        return 2
    return 0 if s["pass"] else 1
