"""``circuitsmith extract``: datasheet PDFs -> parameters, verified SPICE models and reports."""

from __future__ import annotations

import argparse
import json
import sys

NAME = "extract"
MAX_JOBS = 64        # worker processes
MAX_TIMEOUT = 3600   # seconds for one file
HELP = "Read datasheet PDFs into normalised parameters and SPICE models checked by simulation."
EXAMPLE = (
    "circuitsmith extract datasheets/ -o out/ --jobs 2\n"
    "  circuitsmith extract LM358.pdf -o out/ --part LM358 --json\n"
    "  circuitsmith kb add out/LM358/record.yaml     # the extracted part, with its model, into your library"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="PDF files or folders of PDFs (searched recursively)")
    parser.add_argument("-o", "--out", required=True, metavar="OUT", help="output folder (one sub-folder per device)")
    parser.add_argument("--part", metavar="PN", help="the part number to focus on in multi-part datasheets (e.g. 1N4007, L7805C)")
    from pipelines.flags import float_range, int_range

    parser.add_argument("--jobs", type=int_range(1, MAX_JOBS), default=1, metavar="N",
                        help=f"files processed in parallel, in separate processes, 1 to {MAX_JOBS} (default 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON line per device (parameters, kinds, units, conditions, pages)")
    parser.add_argument("--force", action="store_true", help="process files again even if a previous run finished them")
    parser.add_argument("--no-llm", action="store_true", help="rules only, even when an LLM is configured")
    parser.add_argument("--timeout", type=float_range(1, MAX_TIMEOUT, "s"), default=300.0, metavar="S",
                        help=f"give up on one file after S seconds, 1 to {MAX_TIMEOUT} (default 300)")
    parser.add_argument("--ray", metavar="ADDRESS", help="run the files on a Ray cluster: 'auto' (this machine's cluster, or a "
                        "local one) or an address (ray://host:10001); needs the 'ray' extra. Default: local worker processes")


def run(args) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from pipelines.datasheet_batch import find_pdfs, run_batch, summary_counts
    from pipelines.datasheet_ray import RayUnavailable

    err = Console(stderr=True)
    out_console = Console() if Console().is_terminal else Console(width=160)
    if not err.is_terminal:
        err = Console(stderr=True, width=160)
    if args.jobs < 1:
        err.print("[red]--jobs must be 1 or more[/red]")
        return 2
    from pathlib import Path

    from pipelines.terminal import safe

    if Path(args.out).exists() and not Path(args.out).is_dir():
        err.print(f"[red]error:[/] -o {safe(args.out)} exists and is not a folder; choose another -o")
        return 2
    files, problems = find_pdfs(args.paths)
    total = len(files) + len(problems)
    if total == 0:
        err.print("nothing to do: give PDF files or folders that contain PDFs")
        return 2

    def emit_json(row: dict) -> None:
        if not args.json:
            return
        if row.get("devices"):  # a family sheet: one line per member
            for dev in row["devices"]:
                emit_json({**dev, "status": "skipped" if row.get("status") == "skipped" and dev.get("status") == "ok" else dev.get("status")})
            return
        if row.get("status") in ("ok", "skipped") and row.get("json"):
            line = dict(row["json"])
            line["status"] = row["status"]
        else:
            line = {"file": row.get("file"), "status": row.get("status"), "error": row.get("error", "")}
        sys.stdout.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()

    rows: list[dict] = []
    with Progress(
        TextColumn("[bold]extract[/bold]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=err, transient=False, disable=not err.is_terminal and args.json,
    ) as progress:
        task = progress.add_task("", total=total)

        def on_start(path) -> None:
            progress.update(task, description=str(path.name)[:50])

        def on_done(row: dict) -> None:
            progress.advance(task)
            emit_json(row)

        try:
            rows = run_batch(args.paths, args.out, part=args.part, jobs=args.jobs, use_llm=False if args.no_llm else None,
                             force=args.force, timeout=args.timeout, on_start=on_start, on_done=on_done, ray=args.ray)
        except RayUnavailable as e:
            progress.stop()
            err.print(f"[red]{e}[/red]")
            return 2
        progress.update(task, description="done")

    rows = [dev for r in rows for dev in (r.get("devices") or [r])]  # one line per device
    table = Table(title=f"Datasheets -> {args.out}", show_lines=False)
    for col in ("File", "Part", "Class", "Params", "Model", "Test points", "Seconds", "Note"):
        table.add_column(col, overflow="fold")
    for r in rows:
        if r.get("status") == "error":
            table.add_row(str(r.get("file")), "-", "-", "-", "-", "-", f"{r.get('seconds', 0):.1f}",
                          f"[red]{r.get('error', 'error')}[/red]")
            continue
        model = r.get("model", "none")
        colour = {"verified": "green", "failed": "red"}.get(model, "yellow")
        pts = f"{r.get('points_passed', 0)}/{r.get('points', 0)}" if r.get("points") else "-"
        note = "resumed (done before)" if r.get("status") == "skipped" else (r.get("model_error") or "")
        table.add_row(str(r.get("file")), str(r.get("part") or "-"), str(r.get("class") or "-"), str(r.get("params", 0)),
                      f"[{colour}]{model}[/{colour}]", pts, f"{r.get('seconds', 0):.1f}", note[:80])
    (err if args.json else out_console).print(table)
    c = summary_counts(rows)
    line = (f"{c['files']} file(s): {c['ok']} processed, {c['skipped']} already done, {c['errors']} could not be read; "
            f"models: {c['verified']} verified, {c['failed_models']} failed verification, {c['no_model']} without a model")
    (err if args.json else out_console).print(line)
    return 0 if c["errors"] == 0 else 1
