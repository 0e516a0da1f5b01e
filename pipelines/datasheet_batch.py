"""Batches of datasheets: files and folders in, one folder per device out, resumable, isolated.

- Files run in worker processes (forked), ``jobs`` of them, one file at a time each: ngspice is
  not thread-safe, and a crash or a hang in one PDF cannot take the batch down (a worker past its
  time limit is killed and replaced, and its file gets a "gave up" line). A memory limit per worker
  keeps a huge PDF from exhausting the machine; workers are replaced every few dozen files.
- Resumable: a finished file leaves ``OUT/.done/<sha256>.json`` (written atomically, last), so a
  rerun skips it and reuses its summary row; ``force`` redoes everything. Failed files are tried
  again on a rerun.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import resource
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Iterable

from circuit.parent_death import die_with_parent
from knowledge import lazy_imports
from pipelines.datasheet import device_dir, process_datasheet
from pipelines.datasheet_ray import run_on_ray
from pipelines.datasheet_report import atomic_write

__all__ = ["find_pdfs", "run_batch", "BatchItem", "DONE_DIR", "file_digest"]

DONE_DIR = ".done"
DEFAULT_TIMEOUT = 300.0
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space per worker
TASKS_PER_WORKER = 25  # a worker is replaced after this many files (bounded memory over long batches)


@dataclass
class BatchItem:
    path: Path
    digest: str = ""


def find_pdfs(inputs: Iterable[str | Path]) -> tuple[list[Path], list[dict]]:
    """Files named and PDFs inside folders (recursively, sorted); unreadable inputs become rows."""
    files: list[Path] = []
    problems: list[dict] = []
    seen: set[Path] = set()
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf")
            if not found:
                problems.append(_row(p, "error", "no_pdfs", f"{p}: no .pdf files in this folder"))
            for q in found:
                if q.resolve() not in seen:
                    seen.add(q.resolve())
                    files.append(q)
        elif p.is_file():
            if p.resolve() not in seen:
                seen.add(p.resolve())
                files.append(p)
        else:
            problems.append(_row(p, "error", "missing", f"{p}: no such file or folder"))
    return files, problems


def _row(path: Path, status: str, reason: str, error: str) -> dict:
    return {"file": path.name, "status": status, "reason": reason, "error": error, "part": None, "class": None,
            "params": 0, "model": "none", "points_passed": 0, "points": 0, "llm_tokens": 0, "seconds": 0.0}


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _done_path(out_root: Path, digest: str, part: str | None) -> Path:
    tag = hashlib.sha256(f"{digest}:{part or ''}".encode()).hexdigest()[:32]
    return out_root / DONE_DIR / f"{tag}.json"


def _marker_holds(row: dict, digest: str) -> bool:
    """A done-marker still stands for this file: same content, and its output folder is there and its own."""
    if row.get("sha256") not in (None, digest):
        return False
    folder = row.get("dir")
    if not folder:
        return True
    source = Path(folder) / ".source"
    if not Path(folder).is_dir():
        return False
    try:
        return not source.exists() or source.read_text(encoding="utf-8").split()[0] == digest
    except (OSError, IndexError):
        return False


def _limit_memory() -> None:
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def _process_one(path: str, out_root: str, part: str | None, use_llm: bool | None) -> dict:
    try:
        return process_datasheet(path, out_root, part, use_llm)
    except MemoryError:
        return _row(Path(path), "error", "memory", f"{Path(path).name}: ran out of memory (over {MEMORY_LIMIT // 2**30} GB)")
    except Exception as e:  # the worker reports; it never dies silently
        return _row(Path(path), "error", "internal", f"{Path(path).name}: {type(e).__name__}: {e}")


def _worker_loop(conn, parent: int | None = None, main_thread: bool = False) -> None:
    """A persistent worker: one task at a time from the pipe until it receives None. ngspice
    starts once per worker, not once per file. It dies with the batch (kill -9 of the parent
    included): its siblings hold copies of its pipe, so it would never see the end of input."""
    if parent is not None:
        die_with_parent(parent, prctl=main_thread)
    _limit_memory()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        row = _process_one(*task)
        try:
            conn.send(row)
        except (OSError, ValueError):
            return


def _warm_imports() -> None:
    """Import the heavy libraries once in the parent so forked workers start warm (the pipeline's own
    modules are imported with this one; ngspice itself is only started inside the workers)."""
    lazy_imports.pdfplumber()
    lazy_imports.pypdfium2()
    lazy_imports.scipy_optimize()
    lazy_imports.pyplot()



def run_batch(
    inputs: Iterable[str | Path],
    out_root: str | Path,
    *,
    part: str | None = None,
    jobs: int = 1,
    use_llm: bool | None = None,
    force: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    on_start: Callable[[Path], None] | None = None,
    on_done: Callable[[dict], None] | None = None,
    ray: str | None = None,
    retries: int = 2,
) -> list[dict]:
    """Process every PDF; returns one summary row per input, in input order. ``ray`` ("auto" or
    a cluster address) runs the files on Ray (:mod:`pipelines.datasheet_ray`, ``retries`` tries
    after a worker dies) instead of local worker processes."""
    out = Path(out_root)
    out.mkdir(parents=True, exist_ok=True)
    files, rows = find_pdfs(inputs)
    for r in rows:
        if on_done:
            on_done(r)
    results: dict[int, dict] = {}
    todo: list[tuple[int, Path, str]] = []
    for k, f in enumerate(files):
        try:
            digest = file_digest(f)
        except OSError as e:
            results[k] = _row(f, "error", "unreadable", f"{f.name}: cannot read ({e.strerror})")
            if on_done:
                on_done(results[k])
            continue
        done = _done_path(out, digest, part)
        if done.exists() and not force:
            try:
                row = json.loads(done.read_text(encoding="utf-8"))
                if not _marker_holds(row, digest):
                    raise ValueError("the marker's output folder is gone or belongs to another file")
                row["status"] = "skipped"
                results[k] = row
                if on_done:
                    on_done(row)
                continue
            except (OSError, ValueError):
                pass
        todo.append((k, f, digest))

    if todo and ray:
        run_on_ray(todo, out, results, address=ray, part=part, use_llm=use_llm, timeout=timeout, jobs=jobs, retries=retries,
                   on_start=on_start, on_done=on_done, device_dir=device_dir, done_path=_done_path, error_row=_row)
    elif todo:
        _warm_imports()
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        pending = list(todo)
        jobs = max(1, min(int(jobs), len(pending)))

        def spawn():
            parent, child = ctx.Pipe(duplex=True)
            proc = ctx.Process(target=_worker_loop, args=(child, os.getpid(), threading.current_thread() is threading.main_thread()),
                               daemon=True)
            proc.start()
            child.close()
            return {"conn": parent, "proc": proc, "task": None, "start": 0.0, "served": 0}

        workers = [spawn() for _ in range(jobs)]
        while pending or any(w["task"] for w in workers):
            for i, w in enumerate(workers):
                if w["task"] is None and pending:
                    if w["served"] >= TASKS_PER_WORKER or not w["proc"].is_alive():
                        _stop(w)
                        w = workers[i] = spawn()
                    k, f, digest = pending.pop(0)
                    try:
                        w["conn"].send((str(f), str(out), part, use_llm))
                    except (OSError, ValueError):
                        _stop(w)
                        w = workers[i] = spawn()
                        w["conn"].send((str(f), str(out), part, use_llm))
                    w.update(task=(k, f, digest), start=time.monotonic())
                    if on_start:
                        on_start(f)
            busy = [w for w in workers if w["task"]]
            ready = wait([w["conn"] for w in busy], timeout=0.5)
            now = time.monotonic()
            for i, w in enumerate(workers):
                if not w["task"]:
                    continue
                k, f, digest = w["task"]
                row = None
                if w["conn"] in ready:
                    try:
                        row = w["conn"].recv()
                    except (EOFError, OSError):
                        w["proc"].join(5)
                        row = _row(f, "error", "crashed", f"{f.name}: the worker stopped (exit code {w['proc'].exitcode}); the PDF may be malformed")
                        _stop(w)
                        workers[i] = spawn()
                elif now - w["start"] > timeout:
                    row = _row(f, "error", "timeout", f"{f.name}: gave up after {timeout:.0f} s")
                    _stop(w, kill=True)
                    workers[i] = spawn()
                if row is None:
                    continue
                workers[i]["task"] = None
                workers[i]["served"] = workers[i].get("served", 0) + 1
                results[k] = row
                if row.get("status") == "ok":
                    row = dict(row, sha256=digest)  # the marker names the file it stands for
                    atomic_write(_done_path(out, digest, part), json.dumps(row, ensure_ascii=False, default=str))
                if on_done:
                    on_done(row)
        for w in workers:
            _stop(w)
    return rows + [results[k] for k in sorted(results)]


def _stop(w: dict, kill: bool = False) -> None:
    proc = w["proc"]
    try:
        if not kill and proc.is_alive():
            w["conn"].send(None)
            proc.join(2)
    except (OSError, ValueError):
        pass
    if proc.is_alive():
        proc.kill()
        proc.join(2)
    try:
        w["conn"].close()
    except OSError:
        pass


def summary_counts(rows: list[dict]) -> dict:
    ok = [r for r in rows if r.get("status") in ("ok", "skipped")]
    return {
        "files": len(rows),
        "ok": sum(1 for r in rows if r.get("status") == "ok"),
        "skipped": sum(1 for r in rows if r.get("status") == "skipped"),
        "errors": sum(1 for r in rows if r.get("status") == "error"),
        "verified": sum(1 for r in ok if r.get("model") == "verified"),
        "failed_models": sum(1 for r in ok if r.get("model") == "failed"),
        "no_model": sum(1 for r in ok if r.get("model") in ("none", "unverified")),
    }


__all__ += ["summary_counts"]
os.environ.setdefault("MPLBACKEND", "Agg")
