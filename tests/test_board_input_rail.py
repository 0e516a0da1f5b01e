"""A part beside a board fed on a fixed-voltage supply input runs from that supply: no companion is invented
for it (an ESP32-CAM is fed on its 5V pin, so a 5 V PIR beside it needs no regulator; the regulator need
had been resolved by its words to a second motion sensor)."""

from __future__ import annotations

from collections import Counter

import pytest

from agents.rules.companions import _board_rails
from circuit.model import Circuit
from pipelines.design import design


def test_a_boards_fixed_voltage_input_counts_as_a_rail_beside_it(library):
    cam = library["esp32-cam"]
    assert 5.0 in _board_rails(cam) and 3.3 in _board_rails(cam)
    assert 5.0 in _board_rails(library["arduino-uno"])


@pytest.mark.parametrize("text", ["an esp32-cam that takes a photo when the pir sensor sees movement",
                                  "ESP32-CAM with an HC-SR501 to wake it up"])
def test_one_motion_sensor_is_placed_beside_an_esp32_cam(library, text):
    turn = design(text, backend="rules")
    parts = Counter(p.type for p in Circuit.model_validate(turn["circuit"]).parts)
    motion = sum(q for k, q in parts.items() if any(c.capability == "sense-motion" for c in library[k].provides))
    assert motion == 1, parts
    assert turn["passed"], [f["message"] for f in turn["findings"] if f["severity"] in ("Critical", "Major")]
