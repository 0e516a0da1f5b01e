"""Hostile-input run against the real command line: generated inputs, one process per case.

Each case is run as ``python -m pipelines.cli ...`` with a time limit and judged on what a user
sees: the exit status it should have, no traceback, no raw terminal control sequence in the output,
no gate bypass (a known-bad circuit must not pass), and rejections within 5 s. Prints a table and
ONE summary line::

    python benchmarks/hostile_bench.py [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REJECT_S = 5.0  # a rejection at the edge answers within this
HANG_S = 120.0  # anything past this is a hang

SHORT = {"version": 1, "title": "10 ohm across 5V",
         "parts": [{"id": "U1", "type": "arduino-uno"}, {"id": "R1", "type": "resistor", "attrs": {"value": "10"}}],
         "connections": [["R1:1", "U1:5V", "red", []], ["R1:2", "U1:GND.1", "black", []]]}


@dataclass
class Case:
    name: str
    argv: list[str]
    expect: int            # the exit status a user should get
    reject: bool = False   # an edge rejection: one line, within REJECT_S
    bad_circuit: bool = False  # a known-bad circuit: passing it is a gate bypass


def _doc(**change) -> dict:
    d = json.loads(json.dumps(SHORT))
    d.update(change)
    return d


def circuit_documents() -> list[tuple[str, dict]]:
    """The circuit documents the cases feed ``check`` (lint_bench draws them too)."""
    inf = _doc()
    inf["parts"].append({"id": "R2", "type": "resistor", "attrs": {"value": "1e400"}})
    nan = _doc()
    nan["parts"].append({"id": "R2", "type": "resistor", "attrs": {"value": "NaN"}})
    unknown = _doc()
    unknown["parts"][1]["type"] = "flux-capacitor"
    escapes = _doc(title="\x1b]0;pwned\x07\x1b[2J\u202eevil")
    escapes["parts"].append({"id": "R9", "type": "resistor"})
    return [("short", _doc()), ("inf", inf), ("nan", nan), ("unknown", unknown), ("escapes", escapes)]


def build_cases(tmp: Path) -> list[Case]:
    def write(name: str, text: str) -> str:
        p = tmp / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        return str(p)

    docs = dict(circuit_documents())
    inf, nan, unknown, escapes = docs["inf"], docs["nan"], docs["unknown"], docs["escapes"]
    fifo = tmp / "pipe.json"
    os.mkfifo(fifo)
    taken = write("taken", "a file")
    markup = tmp / "[bold]x["
    markup.mkdir()
    (markup / "b]y.json").write_text(json.dumps(escapes), encoding="utf-8")
    rec = {"key": "k" * 300, "name": "x", "category": "sensor", "designator": "U", "description": "x",
           "pins": [{"name": "1", "type": "passive"}]}
    return [
        Case("check deep nesting", ["check", write("deep.json", '{"parts": ' + "[" * 5000 + "]" * 5000 + "}")], 2, True),
        Case("check 5000-digit integer", ["check", write("int.json", '{"version": ' + "9" * 5000 + "}")], 2, True),
        Case("check 1 MB part type", ["check", write("type.json", json.dumps({"parts": [{"id": "U1", "type": "x" * 2**20}]}))], 2, True),
        Case("check /dev/zero", ["check", "/dev/zero"], 2, True),
        Case("check a FIFO", ["check", str(fifo)], 2, True),
        Case("check empty document", ["check", write("empty.json", "{}")], 2, True),
        Case("check 20,001 parts", ["check", write("many.json", json.dumps(
            {"parts": [{"id": f"R{i}", "type": "resistor"} for i in range(20_001)]}))], 2, True),
        Case("check 1e400 beside a short", ["check", write("inf.json", json.dumps(inf))], 1, bad_circuit=True),
        Case("check NaN beside a short", ["check", write("nan.json", json.dumps(nan))], 1, bad_circuit=True),
        Case("check unknown part wired", ["check", write("unknown.json", json.dumps(unknown))], 1, bad_circuit=True),
        Case("check escapes and markup path", ["check", str(markup / "b]y.json"), "--no-spice"], 0),
        Case("kb add 300-char key", ["kb", "add", write("long.json", json.dumps(rec))], 2, True),
        Case("size -o onto a file", ["size", "a divider", "-o", taken], 2, True),
        Case("size --mc 100000000", ["size", "a divider", "--mc", "100000000"], 2, True),
        Case("extract -o onto a file", ["extract", str(tmp), "-o", taken], 2, True),
        Case("extract --jobs 0", ["extract", str(tmp), "-o", str(tmp / "o"), "--jobs", "0"], 2, True),
    ]


def run_case(case: Case, env: dict) -> dict:
    t0 = time.monotonic()
    try:
        p = subprocess.run([sys.executable, "-m", "pipelines.cli", *case.argv], cwd=REPO, env=env,
                           capture_output=True, text=True, errors="backslashreplace", timeout=HANG_S)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        rc, out, err = None, "", ""
    secs = time.monotonic() - t0
    text = out + err
    row = {"case": case.name, "rc": rc, "expect": case.expect, "seconds": round(secs, 2),
           "traceback": "Traceback" in text, "hang": rc is None,
           "raw_escape": any(c in text for c in ("\x1b", "\x07", "\u202e")),
           "bypass": case.bad_circuit and rc == 0,
           "slow_reject": case.reject and secs > REJECT_S + 3.0}  # + interpreter start-up
    row["ok"] = rc == case.expect and not (row["traceback"] or row["raw_escape"] or row["bypass"])
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="one JSON object per case on stdout, then the summary")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hostile-") as d:
        tmp = Path(d)
        env = dict(os.environ, CIRCUITSMITH_HOME=str(tmp / "home"), HF_HUB_OFFLINE="1",
                   PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        rows = [run_case(c, env) for c in build_cases(tmp)]
    if args.json:
        for r in rows:
            print(json.dumps(r))
    else:
        print(f"{'case':34} {'exit':>4} {'want':>4} {'s':>6}  notes")
        for r in rows:
            notes = [k for k in ("traceback", "hang", "raw_escape", "bypass", "slow_reject") if r[k]]
            print(f"{r['case']:34} {str(r['rc']):>4} {r['expect']:>4} {r['seconds']:6.1f}  {', '.join(notes) or 'ok'}")
    n = len(rows)
    count = {k: sum(1 for r in rows if r[k]) for k in ("traceback", "hang", "raw_escape", "bypass", "slow_reject")}
    print(f"hostile_bench: {sum(r['ok'] for r in rows)}/{n} cases as expected; {count['traceback']} tracebacks, "
          f"{count['hang']} hangs, {count['bypass']} gate bypasses, {count['raw_escape']} raw escapes, "
          f"{count['slow_reject']} slow rejections")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
