"""An LED the supply cannot light fails the design plainly (what to change), never with an exception."""

from __future__ import annotations

import pytest

from agents.rules.led_resistor import CannotLight, led_resistor
from pipelines.design import design


def test_the_resistor_refuses_a_supply_below_the_forward_voltage_and_says_what_to_change():
    with pytest.raises(CannotLight) as e:
        led_resistor(2.7, 3.2, 0.02)
    assert e.value.vsupply == 2.7 and e.value.vf == 3.2
    assert "boost" in str(e.value) and "3.2 V" in str(e.value)
    assert led_resistor(5.0, 3.2, 0.02).ohms > 0


@pytest.mark.parametrize("text", ["a bike light that flashes and runs on two AA batteries",
                                  "a white LED that blinks, powered by a CR2032 coin cell, no microcontroller"])
def test_a_white_led_on_three_volts_fails_with_the_reason(text):
    turn = design(text, backend="rules")
    assert not turn["passed"]
    said = " ".join(f["message"] for f in turn["findings"] if f["severity"] in ("Critical", "Major"))
    assert "cannot light an LED with Vf" in said, said
