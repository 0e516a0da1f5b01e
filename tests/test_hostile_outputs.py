"""A design's files land as one set: a failure or a kill -9 while writing leaves the previous set
whole, never old and new files mixed; the user's own files in the folder are never touched."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from circuit.file_set import publish_set

NAMES = ("circuit.json", "bom.csv", "report.md", "firmware/sketch.ino")


def _writer(tag: str, fail_after: int | None = None, pause: float = 0.0):
    def write(stage: Path) -> dict[str, Path]:
        out = {}
        for i, name in enumerate(NAMES):
            if fail_after is not None and i == fail_after:
                if pause:
                    time.sleep(pause)
                raise RuntimeError("export failed")
            p = stage / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(f"{tag} {name}", encoding="utf-8")
            out[name] = p
        return out
    return write


def _contents(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in folder.rglob("*") if p.is_file()}


def test_a_new_set_replaces_the_old_one_whole(tmp_path):
    out = tmp_path / "out"
    publish_set(out, _writer("old"), NAMES)
    paths = publish_set(out, _writer("new"), NAMES)
    assert _contents(out) == {n: f"new {n}" for n in NAMES}
    assert all(p == out / n for n, p in paths.items())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left


def test_a_failing_export_leaves_the_previous_set(tmp_path):
    out = tmp_path / "out"
    publish_set(out, _writer("old"), NAMES)
    with pytest.raises(RuntimeError):
        publish_set(out, _writer("new", fail_after=2), NAMES)
    assert _contents(out) == {n: f"old {n}" for n in NAMES}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_kill_9_while_writing_leaves_the_previous_set(tmp_path):
    out = tmp_path / "out"
    publish_set(out, _writer("old"), NAMES)
    pid = os.fork()
    if pid == 0:  # the child writes half a set, then is killed
        try:
            publish_set(out, _writer("new", fail_after=2, pause=30), NAMES)
        finally:
            os._exit(1)
    time.sleep(0.5)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert _contents(out) == {n: f"old {n}" for n in NAMES}
    assert publish_set(out, _writer("new"), NAMES)  # the next run publishes normally
    assert _contents(out) == {n: f"new {n}" for n in NAMES}


def test_the_users_own_files_stay(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "my-notes.txt").write_text("mine")
    publish_set(out, _writer("new"), NAMES)
    assert (out / "my-notes.txt").read_text() == "mine"
    assert _contents(out)["circuit.json"] == "new circuit.json"
