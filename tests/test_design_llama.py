"""The design pipeline end to end through a real model: SmolLM2-135M under llama.cpp on 127.0.0.1.

A 135M model gets most of a circuit wrong; the point is that the pipeline does not care: what it
says is validated, repaired or replaced by the rules, the gates judge the result, and the report
records what the model cost and where the rules took over. Identify (understanding the request
into Requirements) and plan go through the model
(the others stay on their rules to keep this under a few minutes on 2 cores).

Skipped with the install command when the optional extra is absent (``make llm-local``).
"""

from __future__ import annotations

import concurrent.futures
import json

import pytest

from tests.llama_server import LlamaServer, missing_reason

pytestmark = pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or "")

REQUEST = "Blink an LED with a button on an Arduino Uno"
LLM_AGENTS = ("identify", "plan")
BOUND_S = 300


@pytest.fixture(scope="module")
def llama():
    with LlamaServer(n_ctx=8192) as srv:  # plan's prompt is the longest (identify's is about 1.2k tokens)
        yield srv


def test_design_through_llama_cpp_ends_valid_and_accounts_for_the_model(llama, tmp_path, monkeypatch, capsys, library):
    from circuit.gates import check_circuit
    from pipelines.cli import main

    monkeypatch.setenv("CIRCUITSMITH_SEMANTIC", "0")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    env = {**llama.env(), "CIRCUITSMITH_LLM_MAX_TOKENS": "256", "CIRCUITSMITH_LLM_RETRIES": "1",
           "CIRCUITSMITH_LLM_TIMEOUT": "180",  # a busy 2-core machine reads the prompts slowly
           "CIRCUITSMITH_LLM_AGENTS": ",".join(LLM_AGENTS), "CIRCUITSMITH_LLM_CACHE": "0"}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    out = tmp_path / "out"
    pool = concurrent.futures.ThreadPoolExecutor(1)
    try:
        rc = pool.submit(main, ["design", REQUEST, "-o", str(out), "--json", "--llm",
                                "--llm-budget", str(BOUND_S - 60)]).result(timeout=BOUND_S)  # ends within the bound
    except concurrent.futures.TimeoutError:
        pytest.fail(f"the design through llama.cpp did not finish within {BOUND_S} s")
    finally:
        pool.shutdown(wait=False)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    summary = json.loads(captured.out)
    # a valid design, whatever the model said: the gates pass, independently re-run on the file
    assert rc == 0 and summary["pass"] is True, summary["findings"]
    circuit = json.loads((out / "circuit.json").read_text())
    assert check_circuit(circuit, library).passed
    types = {p["type"] for p in circuit["parts"]}
    assert {"arduino-uno", "led", "push-button"} <= types and all(t in library for t in types)
    assert not any(f["rule"].startswith("ERC-UNKNOWN") for f in summary["findings"])
    # the model was really asked, and its cost is on record
    llm = summary["llm"]
    assert llm["model"] == "llm:smollm2-135m"
    for agent in LLM_AGENTS:
        a = llm["agents"][agent]
        assert a["calls"] >= 1 and a["prompt_tokens"] > 0 and a["completion_tokens"] > 0, (agent, a)
        backend = summary["backends"][agent]
        # either the (repaired) answer was used, or the rules took over and the reason is recorded
        assert backend == "llm:smollm2-135m" or (backend.startswith("rules (") and a["fallbacks"] >= 1), (agent, backend)
    # llama.cpp refuses response_format json_schema; the client switched to JSON mode with the schema
    assert any("using json_object" in e for e in llm["agents"]["identify"]["events"])
    assert summary["backends"]["synthesize"] == "rules"  # not on the model in this test
    report = (out / "report.md").read_text()
    assert "## LLM usage" in report
    assert f"{llm['total']['prompt_tokens']} prompt + {llm['total']['completion_tokens']} completion tokens" in report
    for agent in LLM_AGENTS:
        if summary["backends"][agent].startswith("rules ("):
            assert f"{agent}: the rules took over" in report
