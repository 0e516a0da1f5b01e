"""circuit.sim.prestart: the ngspice worker starts ahead of the first simulation, once, and is the one
that simulation then uses; nothing starts when ngspice runs in-process."""

from __future__ import annotations

import pytest

from circuit import sim

DECK = "divider\nV1 in 0 5\nR1 in out 1k\nR2 out 0 1k\n.op\n.end\n"

pytestmark = pytest.mark.skipif(sim._library_path() is None, reason="ngspice is not installed")


def test_prestart_starts_the_worker_that_simulate_then_uses(monkeypatch):
    monkeypatch.delenv("CIRCUITSMITH_SIM_INPROC", raising=False)
    sim.shutdown()
    sim.prestart()
    worker = sim._WORKER
    assert worker is not None and worker.alive()
    sim.prestart()  # a running worker is kept, not replaced
    assert sim._WORKER is worker
    assert sim.simulate(DECK).node("out") == pytest.approx(2.5)
    assert sim._WORKER is worker


def test_prestart_does_nothing_when_ngspice_runs_in_process(monkeypatch):
    sim.shutdown()
    monkeypatch.setenv("CIRCUITSMITH_SIM_INPROC", "1")
    sim.prestart()
    assert sim._WORKER is None
