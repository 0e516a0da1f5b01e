"""Leaving the terminal chat: exit/quit/bye and Ctrl-D end it; none of them is sent as a design request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("leave", ["Bye!", None])
def test_leave_words_end_the_chat_and_are_not_designed(tmp_path, monkeypatch, leave):
    env = {**os.environ, "CIRCUITSMITH_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO), "COLUMNS": "120"}
    stdin = "Blink an LED on an Arduino Uno\n" + (f"{leave}\n" if leave else "")  # None: end of input (Ctrl-D)
    run = subprocess.run([sys.executable, "-m", "pipelines.cli", "chat", "--thread", "t1", "--rules",
                          "-o", str(tmp_path / "out")], input=stdin, capture_output=True, text=True, env=env,
                         timeout=180, cwd=str(tmp_path))
    assert run.returncode == 0, run.stderr[-2000:]
    from pipelines.design import DesignSession, make_checkpointer

    monkeypatch.setenv("CIRCUITSMITH_HOME", str(tmp_path / "home"))
    turns = DesignSession(thread="t1", checkpointer=make_checkpointer()).state().get("turns") or []
    users = [t["content"] for t in turns if t.get("role") == "user"]
    assert users == ["Blink an LED on an Arduino Uno"]


@pytest.mark.parametrize("leave", ["exit", "quit", "Quit.", "bye", "/exit"])
def test_each_leave_word_ends_the_chat_before_anything_is_designed(tmp_path, monkeypatch, capsys, leave):
    """In-process (fast): a chat whose first line is a leave word ends at once, with status 0, and the thread
    holds no message (nothing was sent to the designer)."""
    import io

    from pipelines.cli import main
    from pipelines.design import DesignSession, make_checkpointer

    monkeypatch.setenv("CIRCUITSMITH_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{leave}\nBlink an LED on an Arduino Uno\n"))
    assert main(["chat", "--thread", "t2", "--rules", "-o", str(tmp_path / "out")]) == 0
    assert "bye" in capsys.readouterr().out
    assert not (DesignSession(thread="t2", checkpointer=make_checkpointer()).state().get("turns") or [])
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
