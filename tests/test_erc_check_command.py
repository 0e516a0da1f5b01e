"""`circuitsmith check` and circuit.gates.check_circuit: exit codes, JSON shape, de-duplication."""

import json
import os
import subprocess
import sys

from circuit.gates import check_circuit
from pipelines.cli import main
from tests.erc_util import build

GOOD = build("U1=arduino-uno R1=resistor(220) LED1=led(color=red)", "U1:D13~R1:1 R1:2~LED1:+ LED1:-~U1:GND", "Blink")
BAD = build("U1=arduino-uno LED1=led(color=red)", "U1:D13~LED1:+ LED1:-~U1:GND", "Blink without resistor")
HALLUCINATED = build("U1=arduino-uno X1=flux-capacitor R1=resistor(220) LED1=led",
                     "U1:D13~R1:1 R1:2~LED1:+ LED1:-~U1:GND U1:D99~R1:1")


def _write(tmp_path, name, doc):
    p = tmp_path / name
    p.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return str(p)


def test_exit_codes_and_json(tmp_path, capsys):
    good, bad = _write(tmp_path, "good.json", GOOD), _write(tmp_path, "bad.json", BAD)
    assert main(["check", good, "--json", "--no-spice"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"pass": True, "findings": []}

    assert main(["check", bad, "--json", "--no-spice"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["pass"] is False
    assert set(out) == {"pass", "findings"}
    f = out["findings"][0]
    assert set(f) == {"rule", "severity", "message", "where", "fix"}
    assert f["rule"] == "ERC-LED-NO-RESISTOR" and f["severity"] == "Major"
    assert f["fix"].startswith("insert_series_resistor(LED1:+")


def test_unreadable_files_exit_2_without_traceback(tmp_path, capsys):
    for name, text in (("broken.json", "{not json"), ("list.json", "[1, 2]")):
        assert main(["check", _write(tmp_path, name, text), "--no-spice"]) == 2
        err = capsys.readouterr().err
        assert "error:" in err and "Traceback" not in err
    assert main(["check", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_table_output_readable(tmp_path):
    bad = _write(tmp_path, "bad.json", BAD)
    r = subprocess.run([sys.executable, "-m", "pipelines.cli", "check", bad, "--no-spice"],
                       capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "160"})
    assert r.returncode == 1, r.stderr
    assert "ERC-LED-NO-RESISTOR" in r.stdout and "FAIL" in r.stdout and "Major" in r.stdout


def test_hallucinations_reported_once(library):
    report = check_circuit(HALLUCINATED, library, spice=False)
    rules = [f.rule for f in report.findings]
    assert rules.count("ERC-UNKNOWN-PART") == 1
    assert rules.count("ERC-UNKNOWN-PIN") == 1
    assert not report.passed
    # findings are sorted by severity
    ranks = [f.severity.rank for f in report.findings]
    assert ranks == sorted(ranks)


def test_run_erc_alone_catches_hallucinations(library):
    from circuit.erc import run_erc

    rules = {f.rule for f in run_erc(HALLUCINATED, library)}
    assert {"ERC-UNKNOWN-PART", "ERC-UNKNOWN-PIN"} <= rules


def test_spice_gate_included_when_available(library):
    report = check_circuit(GOOD, library, spice=True)
    try:
        import circuit.spice_gate  # noqa: F401
    except ModuleNotFoundError:
        assert report.spice_ran is False
    else:
        assert report.spice_ran is True
        assert report.passed, [str(f) for f in report.findings]
