"""``extract --ray``: a batch on a local 2-worker Ray cluster, one worker killed mid-batch, then a
rerun that completes it with nothing lost.

Ray binds to the machine's network address, so the scenario (tests/ray_scenario.py) runs in a
network namespace that has only loopback (``unshare -n``, as root, as CI runs); all its traffic
stays on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _can_isolate() -> bool:
    if shutil.which("unshare") is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=20).returncode == 0


def test_ray_batch_survives_a_killed_worker_and_resumes(tmp_path):
    pytest.importorskip("ray")
    if not _can_isolate():
        pytest.skip("needs root and unshare -n (a loopback-only network namespace) to keep Ray off the network")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]),
           "RAY_USAGE_STATS_ENABLED": "0"}
    proc = subprocess.run(["unshare", "-n", sys.executable, str(REPO / "tests" / "ray_scenario.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=240, env=env, cwd=str(REPO))
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RAY-SCENARIO ")), None)
    assert line, f"scenario failed (rc {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    s = json.loads(line.split(" ", 1)[1])
    parts = s["parts"]
    assert len(parts) == 40 and s["killed"], "a worker was killed mid-batch"
    first = {r["file"]: r for r in s["first"]}
    assert len(first) == 40
    crashed = [f for f, r in first.items() if r["status"] == "error"]
    assert crashed and all(first[f]["reason"] == "crashed" for f in crashed)  # the killed worker's file, said plainly
    assert all(r["status"] == "ok" for f, r in first.items() if f not in crashed)
    second = {r["file"]: r for r in s["second"]}
    assert all(second[f]["status"] == "ok" for f in crashed)  # the rerun redoes what was lost
    assert all(second[f]["status"] == "skipped" for f in first if f not in crashed)  # and only that
    # nothing lost: one folder per device, each with its own values, and a done-marker per file
    assert sorted(s["devices"]) == sorted(parts)
    assert all(s["devices"][p] == 20 + i for i, p in enumerate(parts))
    assert s["markers"] == 40
