"""Batches on a Ray cluster: ``circuitsmith extract --ray auto|ADDRESS``.

The driver keeps what a local batch keeps: the resumable output folder (``OUT/.done`` markers,
one folder per device) and one summary row per file. Each file travels to a Ray task as bytes;
the task runs the whole pipeline in a scratch folder on its node and sends the device's files
back, and the driver writes them into ``OUT`` (atomically, the done-marker last). So nodes need
no shared storage, and a worker that dies mid-file leaves nothing half-written: Ray runs the task
again (``retries``), and a file still unfinished is redone by the next run.

- ``address="auto"``: the cluster this machine belongs to (``RAY_ADDRESS`` or a local ``ray
  start``); when there is none, a Ray instance on this machine is started for the batch.
- any other address (``ray://host:10001``, ``host:6379``) is passed to ``ray.init``.
- a process that already called ``ray.init`` keeps its connection.

Ray is an optional dependency (``pip install circuitsmith[ray]``); without it the error says so.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Callable

from knowledge import lazy_imports
from pipelines.datasheet import process_datasheet
from pipelines.datasheet_report import atomic_write

__all__ = ["run_on_ray", "RayUnavailable"]


class RayUnavailable(RuntimeError):
    """Ray is not installed or the cluster cannot be reached."""


def _remote_body(name: str, data: bytes, part: str | None, use_llm: bool | None) -> tuple[dict, dict[str, bytes]]:
    """On a Ray worker: one PDF through the pipeline in a scratch folder; the row and the files."""
    with tempfile.TemporaryDirectory(prefix="cs-ray-") as tmp:
        src = Path(tmp) / "in" / name
        src.parent.mkdir()
        src.write_bytes(data)
        row = process_datasheet(str(src), str(Path(tmp) / "out"), part, use_llm)
        files: dict[str, bytes] = {}
        folder = row.get("dir")
        if row.get("status") == "ok" and folder:
            d = Path(folder)
            for f in sorted(d.rglob("*")):
                if f.is_file() and not f.name.startswith("."):
                    files[str(f.relative_to(d))] = f.read_bytes()
        return row, files


def _connect(address: str, jobs: int):
    try:
        ray = lazy_imports.ray()
    except ImportError as e:
        raise RayUnavailable("Ray is not installed: pip install 'circuitsmith[ray]' (or run without --ray)") from e
    if ray.is_initialized():
        return ray
    try:
        if address == "auto":
            try:
                ray.init(address="auto", log_to_driver=False)
            except ConnectionError:
                ray.init(num_cpus=max(1, jobs), include_dashboard=False, log_to_driver=False)
        else:
            ray.init(address=address, log_to_driver=False)
    except Exception as e:  # an unreachable cluster is a clear error, not a traceback
        raise RayUnavailable(f"cannot reach the Ray cluster at {address!r}: {e}") from e
    return ray


def run_on_ray(
    todo: list[tuple[int, Path, str]],
    out: Path,
    results: dict[int, dict],
    *,
    address: str,
    part: str | None,
    use_llm: bool | None,
    timeout: float,
    jobs: int = 1,
    retries: int = 2,
    on_start: Callable[[Path], None] | None = None,
    on_done: Callable[[dict], None] | None = None,
    device_dir: Callable[[Path, str | None, Path], Path],
    done_path: Callable[[Path, str, str | None], Path],
    error_row: Callable[[Path, str, str, str], dict],
) -> None:
    """Run ``todo`` (index, path, sha256) on Ray, filling ``results`` and the output folder."""
    ray = _connect(address, jobs)
    task = ray.remote(max_retries=retries, retry_exceptions=False)(_remote_body)
    slots = max(1, int(ray.cluster_resources().get("CPU", 1)))
    pending = list(todo)
    running: dict = {}  # ObjectRef -> (index, path, digest, started)

    def finish(k: int, f: Path, digest: str, row: dict, files: dict[str, bytes]) -> None:
        row["file"] = f.name
        row["sha256"] = digest
        if row.get("status") == "ok":
            target = device_dir(out, row.get("part"), f)
            target.mkdir(parents=True, exist_ok=True)
            for rel, blob in files.items():
                dest = (target / rel).resolve()
                if target.resolve() not in dest.parents:  # a path from a worker never leaves the device folder
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(dest, blob)
            row["dir"] = str(target)
            atomic_write(done_path(out, digest, part), json.dumps(row, ensure_ascii=False, default=str))
        results[k] = row
        if on_done:
            on_done(row)

    while pending or running:
        while pending and len(running) < slots:
            k, f, digest = pending.pop(0)
            try:
                data = f.read_bytes()
            except OSError as e:
                finish(k, f, digest, error_row(f, "error", "unreadable", f"{f.name}: cannot read ({e.strerror})"), {})
                continue
            ref = task.remote(f.name, data, part, use_llm)
            running[ref] = (k, f, digest, time.monotonic())
            if on_start:
                on_start(f)
        if not running:
            break
        ready, _ = ray.wait(list(running), num_returns=1, timeout=0.5)
        for ref in ready:
            k, f, digest, _t = running.pop(ref)
            try:
                row, files = ray.get(ref)
            except ray.exceptions.WorkerCrashedError:
                row, files = error_row(f, "error", "crashed", f"{f.name}: the Ray worker died ({retries + 1} tries); run again to redo it"), {}
            except ray.exceptions.RayError as e:
                row, files = error_row(f, "error", "crashed", f"{f.name}: the Ray task failed ({type(e).__name__}); run again to redo it"), {}
            finish(k, f, digest, row, files)
        now = time.monotonic()
        for ref, (k, f, digest, started) in list(running.items()):
            if now - started > timeout:
                ray.cancel(ref, force=True)
                running.pop(ref)
                finish(k, f, digest, error_row(f, "error", "timeout", f"{f.name}: gave up after {timeout:.0f} s"), {})
