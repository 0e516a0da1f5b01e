"""'Smoothly' says how an output changes (a fade, a sweep): it asks no filter. Smoothing a signal asks one."""

import pytest

from agents.understand.rules import understand_rules
from knowledge.library import Library


@pytest.fixture(scope="module")
def lib():
    return Library.default()


@pytest.mark.parametrize("text", [
    "fade an LED in and out smoothly with an arduino nano",
    "make a servo sweep smoothly back and forth with an arduino",
    "dim a 12V LED strip up and down smoothly from an esp32",
])
def test_the_adverb_asks_no_filter(lib, text):
    assert "rc_lowpass" not in understand_rules(text, lib).analog_blocks


@pytest.mark.parametrize("text", [
    "a low pass filter to smooth the PWM output of an arduino into a steady voltage",
    "an RC network smoothing the output of a 12 V adapter",
])
def test_smoothing_a_signal_is_a_filter(lib, text):
    blocks = understand_rules(text, lib).analog_blocks
    assert any("lowpass" in b for b in blocks)
