"""Cold-start benchmark: a fresh process per design, as a person runs ``circuitsmith design``.

Each run is a new Python process with its own copy of a ``CIRCUITSMITH_HOME`` whose knowledge-base
index is already built (what every design after the first install finds), so the time is imports,
model and index loading, and the design itself. One design runs first, uncounted, so that Python's
bytecode caches exist as after any first run. Requests: a plain one, and one with a phrase the
library does not know (it runs the embedding model on text no shipped vector covers). Also the web
chat: ``circuitsmith serve`` until it answers, and its first design turn; and make demo's first step, a
cold ``kb search`` on the built index (target: within +10 % of its 1.88 s at b194a76).

Prints per run: wall time and CPU time (user+sys of the child: what the run costs when the machine
is shared), the load average, then ONE summary line; the targets: cold design wall p50 <= 5 s, cold kb search
wall p50 <= 2.07 s.

    python benchmarks/cold_bench.py [--runs N] [--no-web]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 5.0
# make demo's first step, a cold ``kb search`` on a built index: within +10 % of its 1.88 s before the
# part-number features (issue 18, commit b194a76)
KB_QUERY = "ultrasonic distance sensor"
KB_TARGET_S = 1.88 * 1.10
REQUESTS = {
    "plain": "Blink an LED with a button on an Arduino Uno",
    "unknown phrase": "a glowing indicator for my grandmother's quilting machine: one red led on an uno",
}


def _env(home: Path) -> dict:
    env = dict(os.environ, CIRCUITSMITH_HOME=str(home), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               ANONYMIZED_TELEMETRY="False")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    # an installed circuitsmith has its bytecode cached after the first run; compiling ~150 modules
    # from source every time is not what a person waits for
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], env: dict, timeout: float = 300) -> tuple[float, float, int, str]:
    """(wall s, CPU s, exit code, last output line) of one child process."""
    cpu0, t0 = _child_cpu(), time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    wall, cpu = time.perf_counter() - t0, _child_cpu() - cpu0
    tail = (p.stdout.strip().splitlines() or p.stderr.strip().splitlines() or [""])[-1]
    return wall, cpu, p.returncode, tail


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def web_cold(home: Path, out: Path) -> tuple[float, float]:
    """(seconds until ``serve`` answers, seconds of its first design turn)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "serve", "--rules", "--port", str(port),
                             "--data", str(out)], env=_env(home), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError("serve exited before answering")
            try:
                urllib.request.urlopen(base + "/api/settings", timeout=2).read()
                break
            except OSError:
                if time.perf_counter() - t0 > 120:
                    raise RuntimeError("serve did not answer within 120 s")
                time.sleep(0.05)
        ready = time.perf_counter() - t0
        t1 = time.perf_counter()
        req = urllib.request.Request(base + "/api/threads/bench/messages", method="POST",
                                     data=json.dumps({"text": REQUESTS["plain"]}).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=300) as r:
            r.read()  # the event stream ends when the turn is done
        return ready, time.perf_counter() - t1
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="fresh processes per request (default 3)")
    ap.add_argument("--no-web", action="store_true", help="skip the web chat's cold start")
    args = ap.parse_args(argv)
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="cold-bench-") as tmp:
        tmp = Path(tmp)
        template = tmp / "home"
        wall, cpu, rc, tail = timed([py, "-m", "pipelines.cli", "kb", "search", "push button", "-k", "1"],
                                    _env(template), timeout=900)
        if rc != 0:
            print(f"building the index failed: {tail}")
            return 1
        print(f"index built in {wall:.1f} s (not counted)")
        home = tmp / "home-warmup"
        shutil.copytree(template, home)
        wall, cpu, rc, tail = timed([py, "-m", "pipelines.cli", "design", REQUESTS["plain"], "-o", str(tmp / "out")],
                                    _env(home))
        print(f"first design {wall:.1f} s (not counted: writes the bytecode caches, as any first run does)")
        rows: dict[str, list[tuple[float, float]]] = {}
        failed = []
        for name, text in REQUESTS.items():
            for i in range(args.runs):
                home = tmp / f"home-{len(failed)}-{name.replace(' ', '-')}-{i}"
                shutil.copytree(template, home)
                wall, cpu, rc, tail = timed([py, "-m", "pipelines.cli", "design", text, "-o", str(tmp / "out")],
                                            _env(home))
                if rc not in (0, 1):  # 1: the design ran and did not pass; anything else is a crash
                    failed.append(f"{name}: exit {rc}: {tail}")
                rows.setdefault(name, []).append((wall, cpu))
                shutil.rmtree(home, ignore_errors=True)
        kb: list[tuple[float, float]] = []
        for i in range(args.runs):
            home = tmp / f"home-kb-{i}"
            shutil.copytree(template, home)
            wall, cpu, rc, tail = timed([py, "-m", "pipelines.cli", "kb", "search", KB_QUERY, "-k", "3"], _env(home))
            if rc != 0:
                failed.append(f"kb search: exit {rc}: {tail}")
            kb.append((wall, cpu))
            shutil.rmtree(home, ignore_errors=True)
        web = None
        if not args.no_web:
            home = tmp / "home-web"
            shutil.copytree(template, home)
            web = web_cold(home, tmp / "web")
    load = os.getloadavg()[0]
    print(f"{'request':<16} {'runs':>4} {'wall p50':>9} {'wall max':>9} {'cpu p50':>8}")
    for name, rs in rows.items():
        w = [r[0] for r in rs]
        c = [r[1] for r in rs]
        print(f"{name:<16} {len(rs):>4} {statistics.median(w):>8.2f}s {max(w):>8.2f}s {statistics.median(c):>7.2f}s")
    kb_wall = statistics.median([r[0] for r in kb])
    print(f"{'kb search':<16} {len(kb):>4} {kb_wall:>8.2f}s {max(r[0] for r in kb):>8.2f}s "
          f"{statistics.median([r[1] for r in kb]):>7.2f}s")
    if web:
        print(f"web chat: answers after {web[0]:.2f} s, first design turn {web[1]:.2f} s")
    for f in failed:
        print("FAILED", f)
    worst = max(statistics.median([r[0] for r in rs]) for rs in rows.values())
    cpu = max(statistics.median([r[1] for r in rs]) for rs in rows.values())
    ok = worst <= TARGET_S and kb_wall <= KB_TARGET_S and not failed
    web_s = f" web_ready={web[0]:.2f}s web_first={web[1]:.2f}s" if web else ""
    print(f"cold_bench design_wall_p50={worst:.2f}s design_cpu_p50={cpu:.2f}s kb_search_p50={kb_wall:.2f}s{web_s} "
          f"load={load:.1f} cpus={os.cpu_count()} target<={TARGET_S:.0f}s,kb<={KB_TARGET_S:.2f}s "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
