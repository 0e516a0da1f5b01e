"""Faults in datasheet batches: nothing lost when two files name one part, and no worker (or its
ngspice) outlives a batch parent killed with kill -9. Inputs are generated here."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipelines.datasheet_batch import DONE_DIR, run_batch
from tests.test_datasheet_extract import _synthetic_mosfet

REPO = Path(__file__).resolve().parents[1]


def _two_of_one_part(folder: Path) -> None:
    """AX2301.pdf twice, in two folders: two revisions of one part's sheet (other bytes, one name)."""
    for rev in ("rev1", "rev2"):
        (folder / rev).mkdir()
        _synthetic_mosfet(folder / rev / "AX2301.pdf")
    with open(folder / "rev2" / "AX2301.pdf", "ab") as fh:
        fh.write(b"\n% revision 2\n")


def test_two_files_of_one_part_keep_both_outputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _two_of_one_part(src)
    out = tmp_path / "out"
    rows = run_batch([src], out, jobs=2)
    assert [r["status"] for r in rows] == ["ok", "ok"] and {r["part"] for r in rows} == {"AX2301"}
    dirs = {r["dir"] for r in rows}
    assert len(dirs) == 2, dirs  # one folder per input file
    for r in rows:
        assert (Path(r["dir"]) / "PARAMS.json").is_file()
    markers = [json.loads(m.read_text()) for m in (out / DONE_DIR).glob("*.json")]
    assert len(markers) == 2 and {m["dir"] for m in markers} == dirs
    # each marker names its file's content, and so does the folder it points at
    for m in markers:
        assert (Path(m["dir"]) / ".source").read_text().split()[0] == m["sha256"]
    assert len({m["sha256"] for m in markers}) == 2
    again = run_batch([src], out, jobs=2)
    assert [r["status"] for r in again] == ["skipped", "skipped"]


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry}/stat").read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def _alive(pid: int) -> bool:
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_kill_9_of_the_batch_parent_ends_its_workers(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _two_of_one_part(src)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "extract", str(src), "-o", str(tmp_path / "out"),
                             "--jobs", "2", "--no-llm", "--force"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        kids: set[int] = set()
        t0 = time.monotonic()
        while time.monotonic() - t0 < 60 and proc.poll() is None:
            kids = _descendants(proc.pid)
            if len(kids) >= 2:
                break
            time.sleep(0.1)
        assert len(kids) >= 2, "the batch never started its workers"
        time.sleep(0.5)
        kids |= _descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(5)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(k) for k in kids):
            time.sleep(0.1)
        left = [k for k in kids if _alive(k)]
        assert not left, f"processes left behind: {left}"
    finally:
        if proc.poll() is None:
            proc.kill()
        for k in _descendants(proc.pid):
            try:
                os.kill(k, signal.SIGKILL)
            except OSError:
                pass
