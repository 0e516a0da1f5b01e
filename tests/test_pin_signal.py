"""A clause that names only a signal every controller's pins give ("using a PWM signal") is how a part is
worked, not a part to add; a parenthesis inside a noun phrase describes that phrase."""

from __future__ import annotations

import pytest

from agents.understand.needs import clauses
from agents.understand.pin_signal import board_functions, names_only_a_pin_signal
from agents.understand.rules import understand_rules
from circuit.model import Circuit
from pipelines.design import design


def test_the_functions_every_board_gives_are_read_from_the_controllers(library):
    funcs = board_functions(library)
    assert {"pwm", "gpio"} <= funcs
    # a function few boards have is not among them (a DAC pin, a CAN controller)
    assert not {"dac", "can_tx"} & funcs


@pytest.mark.parametrize("text,only", [
    ("a PWM signal", True), ("an interrupt pin", True), ("a PWM LED dimmer", False),
    ("a DAC output", False), ("an analog temperature probe", False),
])
def test_a_pin_signal_and_nothing_else(text, only, library):
    assert names_only_a_pin_signal(text, library) is only


def test_a_parenthesis_inside_a_noun_phrase_is_an_aside():
    got = [c.text.split() for c in clauses("pulse a valve with a PWM (fast) signal for a softer flow")]
    assert ["a", "PWM", "signal"] in got
    assert not any(c == ["fast"] for c in got)
    # a parenthesis before a joining word stays a clause of its own
    assert any(c == ["a", "buzzer"] for c in [c.text.split() for c in clauses("an Arduino (and a buzzer) with a relay")])


@pytest.mark.parametrize("text", [
    "an Arduino Uno driving a 12 V solenoid through a MOSFET using a PWM signal so the pull can be varied",
    "MOSFET switching a solenoid valve from an Uno, using a PWM (variable duty) signal",
])
def test_a_solenoid_worked_by_pwm_gets_a_pwm_pin_and_no_extra_parts(text, library):
    req = understand_rules(text, library)
    assert not req.needs and not req.asked, (req.needs, req.asked)
    turn = design(text, backend="rules")
    assert turn["passed"], turn.get("findings")
    c = Circuit.model_validate(turn["circuit"])
    kinds = {library[p.type].category for p in c.parts}
    assert "driver" not in kinds, [p.type for p in c.parts]  # no motor driver for a solenoid
    gate = next(p for p in c.parts if library[p.type].spice.kind in ("nmos", "mosfet") or p.type == "mosfet")
    board = next(p for p in c.parts if library[p.type].is_mcu)
    # the gate's resistor is fed from a board pin that gives PWM
    pins = {w for conn in turn["circuit"]["connections"] for w in conn[:2] if w.startswith(board.id + ":")}
    assert any("pwm" in library[board.type].pin(ep.split(":", 1)[1]).functions for ep in pins), pins
    assert gate is not None
