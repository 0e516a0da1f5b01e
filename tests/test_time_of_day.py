"""A clock time stated for something to happen asks the time of day kept (a real-time clock), unless the named board
reaches the internet (network time) or a part that keeps time is there already; seconds and ratios are no clock."""

import pytest

from agents.understand.rules import understand_rules
from agents.understand.time_of_day import CLOCK
from knowledge.library import Library


@pytest.fixture(scope="module")
def lib():
    return Library.default()


@pytest.mark.parametrize("text, times", [
    ("at 7am and 6pm", ["7am", "6pm"]),
    ("every morning at 6:30", ["6:30"]),
    ("ring at 10 pm", ["10 pm"]),
    ("on at 08:00 and off at 20:00", ["08:00", "20:00"]),
    ("wake me at 7 a.m.", ["7 a.m."]),
    ("a 16:9 screen, a 2:1 mux, a 3.3v rail, I am 5", []),
])
def test_clock_times_as_written(text, times):
    assert [m.group(0).strip() for m in CLOCK.finditer(text)] == times


def _keeps_time(req) -> bool:
    return any(n.capability == "keep-time" for n in req.needs)


@pytest.mark.parametrize("text", [
    "a cat feeder that opens a flap at 7am and 6pm",
    "ring a buzzer at 10 pm to remind me to go to bed, on an arduino nano",
    "switch the aquarium light on at 08:00 and off at 20:00 with a relay and an uno",
])
def test_a_time_of_day_asks_a_clock(lib, text):
    req = understand_rules(text, lib)
    assert _keeps_time(req) and any(a.any_of == ["keep-time"] for a in req.asked)


def test_no_clock_for_seconds_or_a_board_with_network_time(lib):
    assert not _keeps_time(understand_rules("blink an LED every 7 seconds", lib))
    req = understand_rules("ring a buzzer at 10 pm with an esp32", lib)
    assert not _keeps_time(req) and any("network time" in n for n in req.notes)


def test_a_named_clock_is_enough(lib):
    req = understand_rules("ring a buzzer at 10 pm with an arduino and a ds3231", lib)
    assert [n for n in req.needs if n.capability == "keep-time"] == []
