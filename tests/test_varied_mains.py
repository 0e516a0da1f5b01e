"""A mains load asked dimmed is not met by a relay: its contacts only switch it on and off (REQ-VARIED-ON-OFF).
Switching the same load, or dimming something else beside it, is met as before."""

import pytest

from agents.understand.rules import understand_rules
from knowledge.library import Library
from pipelines.design import design


@pytest.fixture(scope="module")
def lib():
    return Library.default()


def test_the_dimmed_need_is_marked_varied(lib):
    dim = understand_rules("dim a 230V lamp with an esp32", lib)
    assert [n.target.get("varied") for n in dim.needs if n.capability == "mains-load"] == [1.0]
    switch = understand_rules("switch a 230V lamp on and off with an esp32", lib)
    assert not any(n.target.get("varied") for n in switch.needs)
    beside = understand_rules("dim the LEDs and switch the 230V lamp with a relay", lib)
    assert not any(n.target.get("varied") for n in beside.needs if n.capability == "mains-load")


def _rules(turn) -> set[str]:
    return {f["rule"] for f in turn["findings"]}


def test_a_relay_cannot_dim_a_mains_lamp():
    dimmed = design("dim a 230V lamp with an esp32", backend="rules")
    assert not dimmed["passed"] and "REQ-VARIED-ON-OFF" in _rules(dimmed)
    switched = design("switch a 230V lamp on and off with an esp32", backend="rules")
    assert switched["passed"] and "REQ-VARIED-ON-OFF" not in _rules(switched)
