"""Which timed behaviour a time span asks for (agents/understand/span_reading.py): the output's state during the
span ("on for", "quiet for") or the event at its end ("then off", "... later"), read as off or on by meaning; and a
time span said tersely still reads as a timed behaviour. The requests are phrased for these tests."""

from __future__ import annotations

import pytest

from agents.understand.rules import understand_rules
from agents.understand.span_reading import timed_mode


def _at(text: str, figure: str) -> tuple[str, int, int]:
    i = text.index(figure)
    return text, i, i + len(figure)


@pytest.mark.parametrize("text, figure, mode", [
    ("the lamp switches itself off 40 seconds after the press", "40 seconds", "one-shot"),
    ("the lamp lights up 40 seconds after the press", "40 seconds", "delay"),
    ("press, 7 s pause then off", "7 s", "one-shot"),
    ("press, 7 s pause then on", "7 s", "delay"),
    ("the bell rings for 9 s after a press", "9 s", "one-shot"),
    ("the bell stays silent for 9 s and then rings", "9 s", "delay"),
])
def test_the_words_said_of_a_span_say_which_state_it_holds(text, figure, mode):
    assert timed_mode(*_at(text, figure)) == mode


def test_a_span_with_nothing_said_of_it_says_no_mode():
    assert timed_mode(*_at("a 20 second timer", "20 second")) is None


@pytest.mark.parametrize("text, want", [
    ("a lamp that goes dark by itself 25 seconds after I tap a button, no microcontroller", ("one-shot", 25.0)),
    ("a lamp that lights up 25 seconds after I tap a button, no microcontroller", ("delay", 25.0)),
    ("tap button, lamp, 4 s wait then off, no mcu", ("one-shot", 4.0)),
    ("tap button, piezo beeps 4 s later, no mcu", ("delay", 4.0)),
])
def test_a_timed_behaviour_follows_the_state_the_span_holds(library, text, want):
    req = understand_rules(text, library)
    assert [(t.behaviour, t.duration_s) for t in req.timing] == [want]
