"""What ``circuitsmith extract`` does once its arguments are parsed (the interface: pipelines/commands/extract.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipelines.datasheet_batch import find_pdfs, run_batch, summary_counts
from pipelines.datasheet_ray import RayUnavailable
from pipelines.terminal import safe


def run(args) -> int:
    err = Console(stderr=True)
    out_console = Console() if Console().is_terminal else Console(width=160)
    if not err.is_terminal:
        err = Console(stderr=True, width=160)
    if args.jobs < 1:
        err.print("[red]--jobs must be 1 or more[/red]")
        return 2
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
