"""The Ray batch scenario that tests/test_datasheet_ray.py runs inside a network namespace with
only loopback (``unshare -n``): a local 2-worker Ray cluster on 127.0.0.1, 40 generated
datasheets, one worker killed mid-batch, then a rerun. Prints one JSON line with what happened.

    python tests/ray_scenario.py WORKDIR
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.pdfgen import Page, write_pdf  # noqa: E402

N_FILES = 40


def make_sheet(path: Path, part: str, vds: int) -> Path:
    p = Page().text(60, 50, part, 20).text(60, 80, f"{vds} V N-Channel Enhancement Mode MOSFET", 12)
    p.text(60, 150, "ABSOLUTE MAXIMUM RATINGS (TA = 25 C unless otherwise noted)", 10)
    y = 170
    p.text(60, y, "Parameter", 9).text(260, y, "Symbol", 9).text(360, y, "Limit", 9).text(430, y, "Unit", 9)
    for name, sym, val, unit in (("Drain-Source Voltage", "VDS", str(vds), "V"), ("Gate-Source Voltage", "VGS", "20", "V"),
                                 ("Continuous Drain Current", "ID", "2.5", "A"), ("Power Dissipation", "PD", "1.25", "W")):
        y += 16
        p.text(60, y, name, 9).text(260, y, sym, 9).text(360, y, val, 9).text(430, y, unit, 9)
    y += 40
    p.text(60, y, "ELECTRICAL CHARACTERISTICS (TJ = 25 C unless otherwise noted)", 10)
    y += 20
    for x, h in ((60, "Symbol"), (120, "Test Conditions"), (300, "Min"), (340, "Typ"), (380, "Max"), (420, "Unit"), (460, "Parameter")):
        p.text(x, y, h, 9)
    for sym, cond, mn, ty, mx, unit, name in (("VGS(th)", "VDS = VGS, ID = 250 uA", "1.0", "1.5", "2.5", "V", "Gate threshold voltage"),
                                              ("RDS(on)", "VGS = 10 V, ID = 1 A", "", "80", "120", "mOhm", "Drain-source on-resistance")):
        y += 16
        p.text(60, y, sym, 9).text(120, y, cond, 9).text(300, y, mn, 9).text(340, y, ty, 9).text(380, y, mx, 9)
        p.text(420, y, unit, 9).text(460, y, name, 9)
    return write_pdf(path, [p])


def loopback_up() -> None:
    """Bring up ``lo`` in a fresh network namespace (what ``ip link set lo up`` does)."""
    import fcntl
    import socket
    import struct

    SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16sH14s", b"lo", 0, b"")
        flags = struct.unpack("16sH14s", fcntl.ioctl(s.fileno(), SIOCGIFFLAGS, req))[1]
        fcntl.ioctl(s.fileno(), SIOCSIFFLAGS, struct.pack("16sH14s", b"lo", flags | IFF_UP, b""))


def _task_workers() -> list[int]:
    """Ray worker processes executing a datasheet task (Ray names them after the task)."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "ray::_remote_body" in cmd:
            out.append(int(d.name))
    return out


def main(work: Path) -> int:
    import ray

    from pipelines.datasheet_batch import DONE_DIR, run_batch

    loopback_up()
    src, out = work / "in", work / "out"
    src.mkdir(parents=True, exist_ok=True)
    parts = [f"QZ{7000 + i}" for i in range(N_FILES)]
    for i, part in enumerate(parts):
        make_sheet(src / f"{part}.pdf", part, 20 + i)
    t0 = time.monotonic()
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(REPO)}})
    started = time.monotonic() - t0
    first: list[dict] = []
    killed: list[int] = []
    done_count: list[dict] = []
    runner = threading.Thread(target=lambda: first.extend(run_batch([src], out, ray="auto", retries=0, on_done=done_count.append)))
    runner.start()
    deadline = time.monotonic() + 120
    while runner.is_alive() and time.monotonic() < deadline and not killed:
        if len(done_count) >= 4:
            pids = _task_workers()
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
        time.sleep(0.05)
    runner.join(timeout=180)
    second = run_batch([src], out, ray="auto")
    ray.shutdown()
    devices = {}
    for d in out.iterdir():
        pj = d / "PARAMS.json"
        if d.is_dir() and pj.is_file():
            devices[d.name] = json.loads(pj.read_text(encoding="utf-8")).get("params", {}).get("VDS_max", {}).get("value")
    summary = {
        "ray_start_s": round(started, 1),
        "seconds": round(time.monotonic() - t0, 1),
        "killed": killed,
        "first": [{"file": r["file"], "status": r["status"], "reason": r.get("reason", "")} for r in first],
        "second": [{"file": r["file"], "status": r["status"], "reason": r.get("reason", "")} for r in second],
        "devices": devices,
        "markers": len(list((out / DONE_DIR).glob("*.json"))),
        "parts": parts,
    }
    print("RAY-SCENARIO " + json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
