"""A timed output with nothing else asking for a controller gets a timer chip, and the timer runs from the source
the request states: the 555 whose record's supply range takes it (a CMOS 555 from one Li-ion cell or two AA cells),
never a second battery beside the stated one.

The requests here are phrased for these tests (not taken from any benchmark).
"""

from __future__ import annotations

import pytest

from agents.rules.timer_astable import timer_for
from circuit.model import Circuit
from pipelines.design import design


def test_the_timer_is_the_one_whose_supply_range_takes_the_rail(library):
    assert timer_for(library, 9.0, "ne555") == "ne555"
    low = timer_for(library, 3.0, "ne555")
    rec = library[low]
    assert rec.supply.v_min <= 3.0 <= rec.supply.v_max and low != "ne555"
    assert timer_for(library, 40.0, "ne555") == "ne555"  # none takes it: the planner says so (its own finding)


@pytest.mark.parametrize("request_text, source, volts", [
    ("a little red beacon LED that blinks, running off a single 18650", "18650-battery", 3.7),
    ("two LEDs flashing one after the other from a pair of AA batteries", "aa-cell", 3.0),
    ("blinking LED powered from a PP3 9 volt battery", "battery-9v", 9.0),
])
def test_a_blinker_runs_its_timer_from_the_stated_source(request_text, source, volts, library):
    turn = design(request_text, backend="rules")
    assert turn["passed"], turn.get("findings")
    c = Circuit.model_validate(turn["circuit"])
    kinds = [p.type for p in c.parts]
    timers = [p for p in c.parts if library[p.type].pin("DISCH") is not None and library[p.type].pin("THR")]
    assert len(timers) == 1 and source in kinds, kinds
    assert not any(library[k].category == "microcontroller" for k in kinds), kinds
    others = [k for k in kinds if k != source and library[k].spice.kind == "battery"]
    assert not others, f"a second source beside the stated one: {others}"
    rec = library[timers[0].type]
    assert rec.supply.v_min <= volts <= rec.supply.v_max
