"""What ``circuitsmith size`` does once its arguments are parsed (the interface: pipelines/commands/size.py)."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from agents.size import SizingParseError, load_spec_file
from circuit.sizing.blocks import BLOCKS
from circuit.units import format_value
from pipelines.commands.size import EXAMPLE
from pipelines.sizing import run_sizing, summary, write_outputs
from pipelines.terminal import safe as escape


def run(args) -> int:
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
