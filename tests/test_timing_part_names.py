"""A figure inside a part's name is no time: "a 1S protection board" is one cell's board, not a 1 s delay."""

from __future__ import annotations

import pytest

from agents.understand.rules import understand_rules


@pytest.mark.parametrize("text", [
    "a lipo cell, a tp4056 charger and a 1s protection board feeding a boost converter to 5 V",
    "18650 with a 1S BMS powering a white LED",
])
def test_a_figure_in_a_part_name_is_no_timing(text, library):
    req = understand_rules(text, library)
    assert any("1s" in p.words.lower() or "bms" in p.words.lower() for p in req.named_parts), req.named_parts
    assert not req.timing, req.timing


def test_a_time_said_beside_the_part_names_is_still_read(library):
    req = understand_rules("an NE555 that keeps a buzzer on for 3 seconds after a button press", library)
    assert [t.duration_s for t in req.timing] == [3.0]
