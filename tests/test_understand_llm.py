"""Understanding on a model: structured output into the same Requirements, checked and repaired by the rules.

- a scripted model (tests.fakellm, real HTTP) answers with the mistakes models make: keys the library
  lacks, parts the request never names, wrong counts, capability slugs that do not exist or do not
  fit the words, a constraint the request does not state; the repair keeps what the library and the
  request support and says what it dropped;
- the prompt carries retrieval candidates and the capability list, not the catalogue;
- the real local model (SmolLM2-135M under llama.cpp, optional extra) answers in JSON mode with the
  schema, and what comes back is a valid Requirements at least as complete as the rules' reading.
"""

from __future__ import annotations

import re

import pytest

from agents.llm import LLMClient, LLMConfig, LLMError
from agents.understand.agent import make
from agents.understand.llm import MAX_CANDIDATES, NAME
from agents.understand.requirements import Requirements
from agents.understand.rules import understand_rules
from tests.fakellm import FakeLLM
from tests.llama_server import LlamaServer, missing_reason

REQUEST = "Blink an LED with a button on an Arduino Uno, and it beeps when pressed"
PROMPT_TOKENS_MAX = 2000  # the catalogue prompt this replaces was about 5k tokens


def client_for(url: str, **kw) -> LLMClient:
    return LLMClient(LLMConfig(base_url=url, api_key="test", model="fake", timeout=30, max_retries=1, **kw))


def user_block(body: dict, tag: str) -> str:
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    m = re.search(rf"<{tag}>\n(.*?)\n</{tag}>", user, re.DOTALL)
    assert m, f"no <{tag}> block"
    return m.group(1)


def test_model_answer_is_checked_against_the_library_and_the_request(library):
    answer = {
        "named_parts": [
            {"key": "Arduino Uno", "words": "Arduino Uno"},       # a name, not a key: mapped to arduino-uno
            {"key": "led", "count": 7, "words": "LED"},            # the request says one LED
            {"key": "led-5mm-superbright", "words": "LED"},        # a key the library lacks
            {"key": "hc-sr04", "words": "sonar"},                  # a library part the request never names
        ],
        "needs": [
            {"capability": "make-sound", "words": "it beeps"},    # fits its words
            {"capability": "send-sms", "words": "when pressed"},  # a real slug the words do not mean
            {"capability": "teleport", "words": "warp drive"},    # words the request does not contain
        ],
        "constraints": {"board": "esp32-devkit-v1", "no_controller": True, "targets": {"frequency_hz": 440.0}},
    }
    with FakeLLM(responder=lambda body: {"json": answer}) as srv:
        client = client_for(srv.base_url)
        req = make(client).run(REQUEST, library)
        body = srv.requests[-1]
    rules = understand_rules(REQUEST, library)
    assert isinstance(req, Requirements)
    keys = {p.key: p for p in req.named_parts}
    # every key is the library's; the rules' parts are all there (the model missed the button)
    assert set(keys) <= set(library.keys())
    assert {p.key for p in rules.named_parts} <= set(keys)
    assert {"arduino-uno", "led", "push-button"} <= set(keys)
    assert "hc-sr04" not in keys and "led-5mm-superbright" not in keys
    assert keys["led"].count == 1
    # the board the request names, not the model's; the request rules nothing out
    assert req.constraints.board == "arduino-uno" and req.constraints.no_controller is False
    assert "frequency_hz" not in req.constraints.targets  # 440 is not a figure the request states
    caps = {n.capability for n in req.needs}
    assert "make-sound" in caps and "send-sms" not in caps and "teleport" not in caps
    notes = " ".join(req.notes)
    for dropped in ("led-5mm-superbright", "hc-sr04", "send-sms", "teleport", "no_controller"):
        assert dropped in notes, dropped
    # the prompt: the request as data, a short candidate list and the capability slugs, not the catalogue
    cands = user_block(body, "candidates").splitlines()
    assert len(cands) <= MAX_CANDIDATES < len(library)
    assert {"arduino-uno: ", "led: ", "push-button: "} <= {c.split(" ")[0] + " " for c in cands}
    assert "make-sound" in user_block(body, "capabilities").split(", ")
    assert REQUEST in user_block(body, "request")
    usage = client.usage.by_agent[NAME]
    assert usage.calls == 1 and usage.schema_valid == 1
    print(f"understand prompt: {usage.prompt_tokens} tokens (fake server's estimate)")
    assert usage.prompt_tokens < PROMPT_TOKENS_MAX


def test_an_answer_outside_the_schema_is_an_llm_error_for_the_rules_to_take_over(library):
    # extra fields and wrong types fail pydantic twice (the answer, then the repair): the caller's rules run
    bad = [{"json": {"parts": ["led"], "board": 5}}, {"json": {"named_parts": "led", "mood": "happy"}}]
    with FakeLLM(script=bad) as srv:
        client = client_for(srv.base_url)
        with pytest.raises(LLMError, match="did not match the schema"):
            make(client).run(REQUEST, library)
    assert client.usage.by_agent[NAME].repairs == 1


@pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or "")
def test_understanding_runs_on_the_local_model_into_a_valid_requirements(library):
    request = "night light: an LDR turns on three white leds when it gets dark, no microcontroller"
    with LlamaServer(n_ctx=2048) as srv:
        client = LLMClient(LLMConfig(base_url=srv.base_url, api_key="local", model="smollm2-135m", timeout=240,
                                     max_retries=1, max_tokens=200))
        req = make(client).run(request, library)
    usage = client.usage.by_agent[NAME]
    # llama.cpp refuses json_schema; the client asked again in JSON mode with the schema, and got valid JSON
    assert any("using json_object" in e for e in usage.events)
    assert usage.schema_valid >= 1 and usage.prompt_tokens > 0 and usage.completion_tokens > 0
    per_call = usage.prompt_tokens / max(1, usage.calls - 1)  # the refused json_schema call is not charged
    print(f"understand prompt on smollm2-135m: {usage.prompt_tokens} prompt tokens over {usage.calls} calls "
          f"(~{per_call:.0f} per answer), {usage.completion_tokens} completion tokens")
    assert per_call < PROMPT_TOKENS_MAX
    # whatever the tiny model said, the result is a Requirements the library can serve, repaired by the rules
    rules = understand_rules(request, library)
    assert isinstance(req, Requirements)
    assert all(p.key in library for p in req.named_parts)
    assert {p.key for p in rules.named_parts} <= {p.key for p in req.named_parts}
    assert req.constraints.no_controller is True and req.constraints.board is None
    assert not any(library[p.key].is_mcu for p in req.named_parts)
