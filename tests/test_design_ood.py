"""A part the library does not hold: the graph stops and asks (interrupt), carrying the near-misses,
and resumes with the user's choice; without someone to ask it stops with a clear message."""

from __future__ import annotations

import pytest

from langgraph.checkpoint.memory import InMemorySaver

from pipelines.design import DesignSession, design

REQUEST = "Arduino Uno with a Velodyne lidar and an LED"


@pytest.fixture(autouse=True)
def _lexical_retrieval(monkeypatch):
    """Out-of-library detection on the lexical path (no embedding model to load: seconds, not minutes);
    the semantic retriever is tested with the knowledge base."""
    monkeypatch.setenv("CIRCUITSMITH_SEMANTIC", "0")


def test_interrupt_carries_near_misses_and_resumes_with_the_choice(library):
    s = DesignSession(backend="rules", checkpointer=InMemorySaver(), interactive=True)
    turn = s.send(REQUEST)
    question = turn.waiting
    assert question is not None, "the graph waits for the user"
    (item,) = question["ood"]
    assert "lidar" in item["phrase"]
    near = [m["key"] for m in item["near_misses"]]
    assert near and all(k in library for k in near)
    assert s.pending() == question, "the question is kept in the thread"

    done = s.resume({item["phrase"]: "vl53l0x"})
    assert done.waiting is None
    types = [p["type"] for p in done["circuit"]["parts"]]
    assert "vl53l0x" in types and "led" in types
    assert done["passed"], done["findings"]


def test_leaving_the_part_out_designs_the_rest():
    s = DesignSession(backend="rules", checkpointer=InMemorySaver(), interactive=True)
    s.send(REQUEST)
    done = s.resume(None)
    types = [p["type"] for p in done["circuit"]["parts"]]
    assert "led" in types and "arduino-uno" in types
    assert not any("lidar" in t for t in types)


def test_non_interactive_use_stops_with_a_clear_message():
    turn = design(REQUEST, backend="rules")
    assert turn["stopped"] and not turn["passed"]
    assert "not in the component library" in turn["stopped"]
    assert "circuitsmith kb add" in turn["stopped"]
    assert turn["ood"][0]["near_misses"]
    assert "Nothing was designed" in turn["answer"]
