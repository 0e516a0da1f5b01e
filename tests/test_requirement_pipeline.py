"""The requirement gate in the design graph, in the report, in circuit.json, and in `check`."""

from __future__ import annotations

import json

import pytest

from agents.understand.requirements import Constraints, NamedPart, Requirements
from pipelines.cli import main
from pipelines.design import requirements_node
from pipelines.report import answer_text, design_report


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    out = tmp_path_factory.mktemp("design")
    rc = main(["design", "Blink an LED with a button on an Arduino Uno", "-o", str(out), "--json", "--rules"])
    assert rc == 0
    return out


def test_design_keeps_its_request_and_passes_it(saved):
    doc = json.loads((saved / "circuit.json").read_text())
    assert doc["request"] == "Blink an LED with a button on an Arduino Uno"
    req = Requirements.model_validate(doc["requirements"])
    assert req.constraints.board == "arduino-uno" and {p.key for p in req.named_parts} >= {"led", "push-button"}
    report = (saved / "report.md").read_text()
    assert "## Against the request" in report and "NOT met" not in report
    assert "| led | 1 |" in report and "| LED1 |" in report  # the parts table says where each part is placed


def test_a_miss_is_major_and_reported_plainly(saved):
    doc = json.loads((saved / "circuit.json").read_text())
    state = {"request": "x", "circuit": {k: doc[k] for k in ("version", "title", "parts", "connections")},
             "findings": [{"rule": "ERC-X", "severity": "Minor", "message": "m", "where": [], "fix": None, "source": "erc"}],
             "requirements": Requirements(named_parts=[NamedPart(key="buzzer", words="a buzzer")],
                                          constraints=Constraints(board="arduino-nano")).model_dump()}
    out = requirements_node(state)
    assert out["passed"] is False
    rules = sorted(f["rule"] for f in out["findings"] if f.get("source") == "requirements")
    assert rules == ["REQ-BOARD-SWAPPED", "REQ-PART-MISSING"]
    assert any(f["rule"] == "ERC-X" for f in out["findings"]), "the other gates' findings are kept"
    assert out["requirements_check"]["unmet"] == ["board arduino-nano: swapped for arduino-uno", "part buzzer: missing"]
    state.update(out)
    assert "Not met from the request: board arduino-nano" in answer_text(state)
    assert "**NOT met: part buzzer: missing**" in design_report(state)
    again = requirements_node({**state, "findings": out["findings"]})  # a second round does not pile up findings
    assert len(again["findings"]) == len(out["findings"])


def test_check_runs_the_saved_request_or_a_given_one(saved, capsys):
    path = str(saved / "circuit.json")
    assert main(["check", path, "--no-spice", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["requirements"]["unmet"] == [] and out["pass"] is True
    rc = main(["check", path, "--no-spice", "--json", "--request", "blink an LED with a button on an Arduino Nano"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 1 and out["pass"] is False
    assert "board arduino-nano: swapped for arduino-uno" in out["requirements"]["unmet"]
    assert any(f["rule"] == "REQ-BOARD-SWAPPED" and f["severity"] == "Major" for f in out["findings"])
    assert main(["check", path, "--no-spice", "--json", "--no-request"]) == 0
    assert "requirements" not in json.loads(capsys.readouterr().out)
    assert main(["check", path, "--no-spice"]) == 0
    # the board, the LED, the button, and the blinking (the board times it in firmware)
    assert "Against the request: 4 met, 0 not met." in capsys.readouterr().out


def test_an_edit_turn_is_checked_against_the_edited_parts(library):
    from agents.models import Identification, Need
    from pipelines.requirements_source import requirements_of

    first = Requirements(named_parts=[NamedPart(key="buzzer")]).model_dump()
    ident = Identification(needs=[Need(phrase="uno", key="arduino-uno", role="controller"),
                                  Need(phrase="two leds", key="led", qty=2)]).model_dump()
    assert requirements_of({"requirements": first, "ident": ident, "mode": "design"}, library).named("buzzer")
    edited = requirements_of({"requirements": first, "ident": ident, "mode": "edit"}, library)
    assert edited.named("buzzer") is None and edited.named("led").count == 2
    assert edited.constraints.board == "arduino-uno"
