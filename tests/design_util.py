"""Run a request through the rules pipeline and hand back the passing design with its netlist."""

from __future__ import annotations

from circuit.model import Circuit
from circuit.netlist import Netlist
from pipelines.design import design


def run_passing(request: str, library):
    """The design of ``request`` (rules backend), asserted to be neither stopped nor failing: (turn, circuit, netlist)."""
    turn = design(request, backend="rules")
    assert not turn.get("stopped"), turn.get("stopped")
    assert turn["passed"], [f["message"] for f in turn["findings"] if f["severity"] in ("Critical", "Major")]
    c = Circuit.model_validate(turn["circuit"])
    return turn, c, Netlist(c, library)
