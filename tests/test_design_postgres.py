"""Threads kept in PostgreSQL when DATABASE_URL is set: a real server started by the test on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(p)
    return None


def _missing() -> str | None:
    if not (_bin("initdb") and _bin("pg_ctl")):
        return "PostgreSQL server binaries not found (apt-get install postgresql)"
    try:
        import langgraph.checkpoint.postgres  # noqa: F401
        import psycopg  # noqa: F401
    except ImportError:
        return "langgraph-checkpoint-postgres / psycopg not installed (pip install -e '.[postgres]')"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


def _as_server_user(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: drop to nobody for the server's own processes
    if os.geteuid() == 0:
        return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *cmd]
    return cmd


@pytest.fixture(scope="module")
def database_url():
    d = Path(tempfile.mkdtemp(prefix="circuitsmith-pg-"))
    if os.geteuid() == 0:
        shutil.chown(d, "nobody", "nogroup")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(_as_server_user([_bin("initdb"), "-D", str(d / "data"), "-A", "trust", "-U", "postgres"]),
                   check=True, capture_output=True)
    subprocess.run(_as_server_user([_bin("pg_ctl"), "-D", str(d / "data"), "-l", str(d / "log"), "-w",
                                    "-o", f"-k {d} -p {port} -h 127.0.0.1", "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_server_user([_bin("pg_ctl"), "-D", str(d / "data"), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


def _cli(args: list[str], home: Path, url: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CIRCUITSMITH_HOME=str(home), DATABASE_URL=url, HF_HUB_OFFLINE="1", CIRCUITSMITH_SEMANTIC="0")
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_thread_lives_in_postgres_across_processes(database_url, tmp_path):
    import json

    import psycopg

    home = tmp_path / "home"
    r1 = _cli(["design", "Arduino Uno with an LED", "--thread", "pg-bench", "-o", str(tmp_path / "a"), "--json", "--rules"],
              home, database_url)
    assert r1.returncode == 0, r1.stderr
    # the thread is in the database, not in a SQLite file under the home folder
    with psycopg.connect(database_url) as conn:
        n = conn.execute("SELECT count(*) FROM checkpoints WHERE thread_id = %s", ("pg-bench",)).fetchone()[0]
    assert n > 0
    assert not (home / "threads.sqlite").exists()
    r2 = _cli(["design", "now add a buzzer", "--thread", "pg-bench", "-o", str(tmp_path / "b"), "--json", "--rules"],
              home, database_url)
    assert r2.returncode == 0, r2.stderr
    types = [p["type"] for p in json.loads((tmp_path / "b" / "circuit.json").read_text())["parts"]]
    assert "buzzer" in types and "led" in types and "arduino-uno" in types
