"""Firmware benchmark: starter sketches for the designs of a prompt file, built for their boards.

Per prompt: the board, the drivers each served part got, the parts left as TODO, and whether the
sketch compiled (AVR boards, Debian's offline arduino-builder) or passed the syntax check against
the API stand-in (other boards). Summary: compiled / AVR designs, syntax-only / other designs.

    python benchmarks/firmware_bench.py [--prompts FILE] [--only ID ...]
"""

from __future__ import annotations

import argparse
import os
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

from benchmarks.design_bench import DEFAULT_PROMPTS, load_prompts  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prompts", type=Path, default=DEFAULT_PROMPTS)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args(argv)
    console = Console(width=160)
    if not args.prompts.is_file():
        console.print(f"no prompt file at {args.prompts} (set CIRCUITSMITH_SHARED or pass --prompts)")
        return 2
    os.environ.setdefault("CIRCUITSMITH_HOME", tempfile.mkdtemp(prefix="cs-fw-bench-"))
    from circuit.firmware.check import check_sketch
    from circuit.firmware.sketch import generate_sketch
    from circuit.model import Circuit
    from knowledge.library import Library
    from pipelines.design import design

    library = Library.default()
    prompts = load_prompts(args.prompts)
    if args.only:
        prompts = [p for p in prompts if p["id"] in set(args.only)]
    rows = []
    for p in track(prompts, description="designing and building sketches", console=console):
        try:
            turn = design(p["prompt"], backend="rules")
        except Exception as e:  # a crash is a failed prompt
            rows.append({"id": p["id"], "board": "-", "result": f"design crashed: {type(e).__name__}", "ok": False,
                         "avr": False, "drivers": "", "todo": "", "s": 0.0})
            continue
        if not turn.get("circuit"):
            continue
        sketch = generate_sketch(Circuit.model_validate(turn["circuit"]), library)
        if sketch is None:
            continue  # no controller: nothing to program
        t = time.perf_counter()
        check = check_sketch(sketch)
        avr = bool(sketch.info.fqbn)
        rows.append({"id": p["id"], "board": sketch.board, "avr": avr,
                     "ok": check.compiled is True or check.compiled == "syntax-only",
                     "result": str(check.compiled) + ("" if not check.errors else ": " + check.errors[0][:120]),
                     "drivers": ", ".join(sorted(set(sketch.drivers.values()))),
                     "todo": ", ".join(sketch.todo), "s": time.perf_counter() - t})
    table = Table(title=f"Firmware benchmark: {args.prompts.name}")
    for col in ("id", "board", "result", "drivers", "TODO", "s"):
        table.add_column(col, overflow="fold", max_width=70)
    for r in rows:
        table.add_row(r["id"], r["board"], r["result"], r["drivers"], r["todo"], f"{r['s']:.1f}")
    console.print(table)
    avr = [r for r in rows if r["avr"]]
    other = [r for r in rows if not r["avr"]]
    todo = sum(1 for r in rows if r["todo"])
    print(f"firmware_bench n={len(rows)} compiled={sum(r['ok'] for r in avr)}/{len(avr)} (AVR, arduino-builder) "
          f"syntax-only={sum(r['ok'] for r in other)}/{len(other)} (other boards, API stand-in) "
          f"designs-with-TODO={todo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
