"""LLM time is bounded: a wall-clock deadline per request (a trickled body included), a total
budget per design across agents and retries, Retry-After capped by what is left of it; once it is
spent the remaining agents run on their rules and the answer says so. Servers run on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from pydantic import BaseModel

from agents.llm import LLMBudgetSpent, LLMClient, LLMConfig, LLMError
from pipelines.cli import main
from tests.fakellm import FakeLLM


class Answer(BaseModel):
    x: int = 0


class _Raw:
    """A TCP server on 127.0.0.1 whose every connection is handed to ``behave(conn)``."""

    def __init__(self, behave):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.behave = behave
        self.conns: list[socket.socket] = []
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)
            threading.Thread(target=self._handle, args=(c,), daemon=True).start()

    def _handle(self, c):
        try:
            self.behave(c)
        except OSError:
            pass

    def close(self):
        self.sock.close()
        for c in self.conns:
            try:
                c.close()
            except OSError:
                pass


def _silent(c):
    c.recv(65536)
    time.sleep(3600)  # accepts the request and never answers


def _trickle(c):
    c.recv(65536)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
    while True:
        c.sendall(b" ")  # one byte at a time: no read ever times out
        time.sleep(0.2)


def test_a_trickled_body_cannot_outlast_the_request_deadline():
    srv = _Raw(_trickle)
    try:
        client = LLMClient(LLMConfig(base_url=srv.base_url, timeout=1.0, max_retries=0))
        t0 = time.monotonic()
        with pytest.raises(LLMError):
            client.structured("plan", [{"role": "user", "content": "hi"}], Answer)
        assert time.monotonic() - t0 < 3.0
    finally:
        srv.close()


def test_retry_after_is_capped_by_the_budget():
    script = [{"status": 429, "headers": {"Retry-After": "100000"}}] * 3
    with FakeLLM(script) as fake:
        client = LLMClient(LLMConfig(base_url=fake.base_url, timeout=5, max_retries=3))
        t0 = time.monotonic()
        with client.within(time.time() + 3.0), pytest.raises(LLMBudgetSpent):
            client.structured("plan", [{"role": "user", "content": "hi"}], Answer)
        assert time.monotonic() - t0 < 2.0  # it did not sleep for the server's 100000 s
        assert len(fake.requests) == 1


def test_a_spent_budget_starts_no_request():
    with FakeLLM([{"json": {"x": 1}}]) as fake:
        client = LLMClient(LLMConfig(base_url=fake.base_url, timeout=5))
        with client.within(time.time() - 1), pytest.raises(LLMBudgetSpent):
            client.structured("plan", [{"role": "user", "content": "hi"}], Answer)
        assert fake.requests == []


AGENT_STAGES = ("identify", "retrieve", "plan", "synthesize", "judge", "explain")


def test_a_design_with_an_llm_that_never_answers_ends_within_budget(monkeypatch, tmp_path):
    from pipelines.design import design
    from pipelines.settings import DesignSettings

    design("Blink an LED on an Arduino Uno", backend="rules")  # warm: imports and models are not LLM time
    srv = _Raw(_silent)
    try:
        monkeypatch.setenv("CIRCUITSMITH_LLM_BASE_URL", srv.base_url)
        monkeypatch.setenv("CIRCUITSMITH_LLM_API_KEY", "test")
        monkeypatch.setenv("CIRCUITSMITH_LLM_MODEL", "silent")
        monkeypatch.setenv("CIRCUITSMITH_LLM_TIMEOUT", "60")  # the budget, not the per-request limit, ends it
        budget = 3.0
        turn = design("Blink an LED on an Arduino Uno", backend="llm", out_dir=str(tmp_path / "out"),
                      settings=DesignSettings(llm_budget=budget))
        # the stages that ask the model (their own rules work included) end within the budget + 10 s
        # (the ERC, SPICE and drawing do not wait on the model; on a loaded machine they take their time)
        llm_time = sum(v for k, v in (turn.get("timings") or {}).items() if k in AGENT_STAGES)
        assert llm_time < budget + 10, turn.get("timings")
        assert turn["passed"]  # the rules finished the design
        ran = " ".join(turn["backends"].values())
        assert "budget spent" in ran or "LLM failed" in ran
    finally:
        srv.close()


def test_llm_budget_flag_has_a_range(capsys):
    with pytest.raises(SystemExit) as e:
        main(["design", "x", "--llm-budget", "0"])
    assert e.value.code == 2 and "from 1 to 3600" in capsys.readouterr().err


def test_the_answer_says_when_the_budget_was_spent():
    from pipelines.report import answer_text

    text = answer_text({"passed": True, "llm_budget": 5.0,
                        "backends": {"identify": "llm:x", "plan": "rules (LLM time budget spent)"}})
    assert "budget (5 s) was spent" in text and "plan" in text
