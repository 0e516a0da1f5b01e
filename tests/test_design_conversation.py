"""Conversation: follow-ups edit the design of their thread, questions are answered from it, and a
thread outlives the process that started it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver

from circuit.model import Circuit
from circuit.netlist import Netlist
from pipelines.design import DesignSession

REPO = Path(__file__).resolve().parents[1]


def _types(turn) -> list[str]:
    return [p["type"] for p in turn["circuit"]["parts"]]


def test_follow_ups_edit_the_design_and_swap_the_board_by_capability(library):
    s = DesignSession(backend="rules", checkpointer=InMemorySaver())
    first = s.send("Arduino Uno with an LED and a push button")
    assert first["passed"] and first["mode"] == "design"
    assert "arduino-uno" in _types(first)

    second = s.send("now add a buzzer")
    assert second["mode"] == "edit" and second["passed"]
    types = _types(second)
    assert "buzzer" in types and "push-button" in types and "arduino-uno" in types
    # what the user already wired stays where it was
    before = {u["serves"]: u["pin"] for u in first["plan"]["pins"]}
    after = {u["serves"]: u["pin"] for u in second["plan"]["pins"]}
    assert all(after[k] == v for k, v in before.items())

    third = s.send("use an ESP32 instead")
    assert third["mode"] == "edit" and third["passed"]
    types = _types(third)
    assert "esp32-devkit-v1" in types and "arduino-uno" not in types
    assert "buzzer" in types and "push-button" in types
    # every controller pin in use exists on the new board and can do its job
    c = Circuit.model_validate(third["circuit"])
    nl = Netlist(c, library)
    mcu = next(p for p in c.parts if p.type == "esp32-devkit-v1")
    for use in third["plan"]["pins"]:
        pin = nl.pin(use["pin"])
        assert pin is not None and use["pin"].startswith(mcu.id + ":")
        if use["function"].startswith("gpio") and "SW" in use["serves"]:
            assert pin.pullup, "the button's new pin has an internal pull-up"
    led_r = [v for v in third["plan"]["values"] if "LED" in v["why"]]
    assert led_r and "3.3 V" in led_r[0]["formula"], "the LED resistor is recomputed for 3.3 V logic"


def test_questions_are_answered_from_the_design(library):
    s = DesignSession(backend="rules", checkpointer=InMemorySaver())
    s.send("Blink an LED on an Arduino Uno")
    ans = s.send("why R1?")
    assert ans["mode"] == "question"
    text = ans["answer"]
    assert "R1" in text and "LED1" in text
    assert "R = (5 V" in text, "the answer shows the resistor math"
    # a question does not change the design
    assert _types(ans) == ["arduino-uno", "led", "resistor"]


def _cli(args: list[str], home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, CIRCUITSMITH_HOME=str(home), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_thread_resumes_in_a_new_process(tmp_path):
    home = tmp_path / "home"
    out1, out2 = tmp_path / "one", tmp_path / "two"
    r1 = _cli(["design", "Arduino Uno with an LED", "--thread", "bench", "-o", str(out1), "--json", "--rules"], home)
    assert r1.returncode == 0, r1.stderr
    assert (home / "threads.sqlite").is_file()
    r2 = _cli(["design", "add a push button", "--thread", "bench", "-o", str(out2), "--json", "--rules"], home)
    assert r2.returncode == 0, r2.stderr
    types = [p["type"] for p in json.loads((out2 / "circuit.json").read_text())["parts"]]
    assert "led" in types and "push-button" in types and "arduino-uno" in types
    report = (out2 / "report.md").read_text()
    assert "added SW1 (Tactile push button)" in report  # the difference, by designator and name
