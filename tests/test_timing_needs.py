"""Behaviour words on an output imply a timing need (agents/understand/timing_reading.py): read by meaning
against the timing part's ``provides[].behaviour`` descriptions, with the figure read by the units library;
a controller times it in firmware, with none the planner brings the timer in the right mode, sized to the
figure, and the requirement gate simulates the timer to hold the design to it."""

from __future__ import annotations

import pytest

from agents.rules.needs import identification_from
from agents.understand.requirements import Constraints, Requirements, TimingNeed
from agents.understand.rules import understand_rules
from agents.understand.timing_reading import figures
from circuit.requirement_gate import check_requirements
from tests.design_util import run_passing
from tests.test_timer_reading import astable


def _timing(text, library):
    req = understand_rules(text, library)
    return req, [(t.behaviour, t.frequency_hz, t.duration_s) for t in req.timing]


@pytest.mark.parametrize("text, want", [
    ("a flashing LED, no microcontroller please", ("blink", None, None)),
    ("a piezo that beeps once every 3 seconds without any microcontroller", ("blink", pytest.approx(1 / 3), None)),
    ("green and red LEDs blinking alternately, no arduino", ("alternate", None, None)),
    ("a lamp that stays lit for 45 seconds once I press a button, no microcontroller", ("one-shot", None, 45.0)),
])
def test_behaviour_words_on_an_output_read_as_a_timing_need(text, want, library):
    req, got = _timing(text, library)
    assert got == [want] and req.constraints.no_controller


@pytest.mark.parametrize("text", [
    "an LED that turns on when it gets dark, no microcontroller",
    "a red LED and a resistor on a coin cell, no microcontroller",
    "a buzzer that sounds when the door opens, no microcontroller",
    "an LED that switches itself on at dusk, no microcontroller",  # a condition, not a timer: no time is said
])
def test_an_output_with_no_behaviour_in_time_asks_for_no_timer(text, library):
    req, got = _timing(text, library)
    assert got == []
    assert not any(n.key == "ne555" for n in identification_from(req, library).needs)


def test_figures_are_read_with_the_units_library():
    assert figures("flash at 0.5 Hz") == (0.5, None)
    assert figures("beep every 250 ms") == (pytest.approx(4.0), None)
    assert figures("twice a second") == (2.0, None)
    assert figures("off a minute after the press") == (None, 60.0)
    assert figures("for 1.5 minutes") == (None, 90.0)


def test_a_controller_times_it_and_no_timer_chip_is_added(library):
    req, got = _timing("an Arduino Nano flashing an LED four times a second", library)
    assert got == [("blink", 4.0, None)]
    ident = identification_from(req, library)
    assert ident.board == "arduino-nano" and not any(n.key == "ne555" for n in ident.needs)


def test_with_no_controller_a_timer_is_planned_in_the_right_mode(library):
    ident = identification_from(understand_rules("a flashing LED, no microcontroller please", library), library)
    assert ident.board is None and ident.behaviour == "blink" and "timer_astable" in ident.topologies
    assert any(n.key == "ne555" for n in ident.needs)


def test_a_blinking_led_with_no_controller_is_a_555_astable_that_passes(library):
    turn, c, _ = run_passing("a flashing LED, no microcontroller please", library)
    assert {p.type for p in c.parts} >= {"ne555", "led"}
    assert any(m.startswith("timing blink: U1 astable") for m in turn["requirements_check"]["met"])


def test_two_leds_alternate_from_both_phases_of_the_output(library):
    turn, c, _ = run_passing("green and red LEDs blinking alternately at 2 Hz, no arduino", library)
    met = [m for m in turn["requirements_check"]["met"] if m.startswith("timing alternate at 2 Hz")]
    assert met and "SPICE" in met[0]


def test_a_timed_light_is_a_one_shot_sized_to_the_time_said(library):
    turn, c, _ = run_passing("a lamp that stays lit for 45 seconds once I press a button, no microcontroller", library)
    assert any(m.startswith("timing one-shot at 45 s: U1 one-shot") for m in turn["requirements_check"]["met"])


def test_the_gate_holds_the_timer_to_the_stated_figure(library):
    circuit = astable()  # ~1 Hz
    def req(hz, no_controller=True):
        return Requirements(constraints=Constraints(no_controller=no_controller),
                            timing=[TimingNeed(behaviour="blink", frequency_hz=hz, words="blinks")])
    assert not check_requirements(circuit, req(1.0), library).findings
    miss = [f for f in check_requirements(circuit, req(5.0), library).findings if f.rule == "REQ-TIMING"]
    assert miss and miss[0].severity.value == "Major" and "0.98" in miss[0].message
    one_shot = Requirements(timing=[TimingNeed(behaviour="one-shot", duration_s=10, words="stays on")])
    assert [f.rule for f in check_requirements(circuit, one_shot, library).findings] == ["REQ-TIMING"]
    # a controller times it in firmware
    assert not check_requirements(astable(controller=True), req(5.0, no_controller=False), library).findings


def test_ruling_out_a_controller_does_not_rule_out_the_timer(library):
    req = understand_rules("a beeper that chirps every few seconds, and I would rather not use any "
                           "microcontroller for it", library)
    assert req.constraints.no_controller and "timing" not in req.constraints.forbidden
    assert [t.behaviour for t in req.timing] == ["blink"]
