"""``circuitsmith design``: the files it writes, its JSON summary and its exit status."""

from __future__ import annotations

import json

import pytest

from pipelines.cli import main

@pytest.fixture(autouse=True)
def _lexical_retrieval(monkeypatch):
    monkeypatch.setenv("CIRCUITSMITH_SEMANTIC", "0")


FILES = {"circuit.json", "schematic.svg", "netlist.cir", "bom.csv", "wiring.md", "report.md"}


def test_design_writes_every_output_and_a_json_summary(tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(["design", "Blink an LED with a button on an Arduino Uno", "-o", str(out), "--json", "--rules"])
    captured = capsys.readouterr()
    assert rc == 0
    summary = json.loads(captured.out)
    assert set(summary) == {"pass", "findings", "ood", "requirements", "backends", "mode", "changes", "outputs", "seconds",
                            "firmware"}
    assert summary["pass"] is True and summary["ood"] == []
    assert summary["requirements"]["unmet"] == [] and any("arduino-uno" in m for m in summary["requirements"]["met"])
    assert summary["firmware"]["board"] == "arduino-uno" and summary["firmware"]["compiled"] == "not-checked"
    assert set(summary["backends"].values()) == {"rules"}
    assert {p.name for p in out.iterdir()} >= FILES
    assert set(summary["outputs"]) >= FILES
    report = (out / "report.md").read_text()
    for section in ("## Plan", "### Values and why", "## Checks", "## Judge", "## Agents"):
        assert section in report
    assert "R = (5 V" in report
    assert "Not run: no LLM is configured" in report
    assert "identifying parts" in captured.err, "progress per stage goes to stderr"
    doc = json.loads((out / "circuit.json").read_text())
    assert {p["type"] for p in doc["parts"]} >= {"arduino-uno", "led", "resistor", "push-button"}


def test_plain_output_and_bad_input(tmp_path, capsys):
    assert main(["design", "   ", "-o", str(tmp_path / "x"), "--rules"]) == 2
    assert "request is empty" in capsys.readouterr().err
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    assert main(["design", "Blink an LED on an Arduino Uno", "-o", str(blocker), "--rules"]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_out_of_library_part_exits_3_with_the_near_misses(tmp_path, capsys):
    rc = main(["design", "Arduino Uno with a Velodyne lidar", "-o", str(tmp_path / "o"), "--json", "--rules"])
    assert rc == 3
    summary = json.loads(capsys.readouterr().out)
    assert summary["pass"] is False and summary["ood"]
    assert summary["ood"][0]["near_misses"]


def test_llm_flag_without_a_configured_llm_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CIRCUITSMITH_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("CIRCUITSMITH_LLM_API_KEY", raising=False)
    assert main(["design", "Blink an LED", "-o", str(tmp_path / "o"), "--llm"]) == 2
    assert "no LLM is configured" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["design", "--help"], ["chat", "--help"]])
def test_help_has_an_example(argv, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 0
    assert "example" in capsys.readouterr().out


def test_a_design_that_cannot_be_completed_fails_plainly_with_exit_1(tmp_path, capsys):
    out = tmp_path / "o"
    rc = main(["design", "An ESP32 with 40 push buttons", "-o", str(out), "--rules"])
    captured = capsys.readouterr()
    assert rc == 1
    assert captured.out.startswith("FAIL"), "the answer says it failed in its first line"
    assert "could not be placed" in captured.out
    assert "does NOT pass" in (out / "report.md").read_text()


def test_a_request_with_nothing_to_design_is_bad_input(tmp_path, capsys):
    assert main(["design", "hello there", "-o", str(tmp_path / "o"), "--rules"]) == 2
    assert "no circuit to design" in capsys.readouterr().out
