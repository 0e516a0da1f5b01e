"""A compound modifier names what drives the thing it describes (agents/understand/compounds.py)."""

from __future__ import annotations

import pytest

from agents.understand.rules import understand_rules


@pytest.mark.parametrize("text, capability", [
    ("a light-sensitive night lamp with a transistor, no microcontroller", "sense-light"),
    ("a heat-sensitive fan switch, no microcontroller", "sense-temperature"),
    ("a motion-triggered doorbell chime on an Arduino Uno", "sense-motion"),
    ("a touch-sensitive desk lamp, no microcontroller", "touch-input"),
])
def test_the_first_piece_of_a_compound_is_what_it_senses(library, text, capability):
    req = understand_rules(text, library)
    assert capability in {n.capability for n in req.needs}, req.needs


@pytest.mark.parametrize("text", [
    "a USB-powered reading light with three white LEDs on an Arduino Nano",
    "a water-resistant box for an ESP32 weather station",
])
def test_a_compound_that_names_no_stimulus_asks_for_no_sensing(library, text):
    req = understand_rules(text, library)
    words = {n.words.lower() for n in req.needs}
    assert not any("-" in w and len(w.split()) == 1 for w in words), req.needs
