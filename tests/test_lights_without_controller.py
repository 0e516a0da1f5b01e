"""Lights that need no controller (agents/rules/board_choice.py, agents/rules/needs.py): a cell, its charger and an
LED get no board; a light whose only energy is a solar panel stores it in a cell charged from the panel and is
switched on in the dark by a light sensor; a controller ruled out with a place word after it ('in there') is ruled
out."""

from __future__ import annotations

from agents.rules.needs import identification_from
from agents.understand.rules import understand_rules
from circuit.trigger_check import read_switching
from tests.design_util import run_passing


def _ident(text, library):
    return identification_from(understand_rules(text, library), library)


def test_a_cell_its_charger_and_an_led_need_no_board(library):
    ident = _ident("an LED lamp on an 18650 cell with a TP4056 charger", library)
    assert ident.board is None
    assert {n.key for n in ident.needs} >= {"led", "18650-battery", "tp4056"}
    assert not any(n.key and library[n.key].is_mcu for n in ident.needs)


def test_a_solar_lamp_stores_the_sun_and_lights_in_the_dark(library):
    ident = _ident("a lamp powered by a small solar panel", library)
    keys = {n.key for n in ident.needs}
    assert ident.board is None and "light_sensor_switch" in ident.topologies
    assert any(library[k].safety.charger for k in keys if k)  # a charger whose input takes the panel
    assert any(library[k].ratings.capacity_ah for k in keys if k)  # the cell it charges
    turn, c, _ = run_passing("a lamp powered by a small solar panel", library)
    types = {p.type for p in c.parts}
    assert not any(library[t].is_mcu for t in types)
    reading = read_switching(c, library)  # simulated with the sensor at both ends of its range
    assert reading is not None and not reading.error
    assert reading.switching("low") and not reading.switching("high")


def test_a_solar_panel_beside_a_cell_gets_no_second_cell(library):
    ident = _ident("a 6 V solar panel, a CN3791 and one 18650 cell", library)
    assert sum(n.qty for n in ident.needs if n.key and library[n.key].ratings.capacity_ah) == 1
    assert sum(1 for n in ident.needs if n.key and library[n.key].safety.charger) == 1


def test_a_controller_refused_with_a_place_word_after_it_is_refused(library):
    req = understand_rules("a buzzer that sounds when the button is held, and I don't want a microcontroller "
                           "in there", library)
    assert req.constraints.no_controller and not req.constraints.wants_controller
