"""Power and source understanding and power planning (supply lane).

- a part sold by length (an LED strip, record ``ratings.per_length``) draws its per-metre current times the
  length the request states, read as a quantity with a unit; the supply added is rated for it;
- a programmable module that is itself the controller (an ESP-01) is fed from a supply unit the library has
  through a regulator rated for its peaks, and its enable and reset inputs are held at their running level;
- a board stepped down from a stated supply is fed at a voltage its input is made for, by a switching
  converter where a linear regulator would burn watts;
- a negation reaches only as far as English lets it: "not powered by USB but by a 9 V battery".
"""

from __future__ import annotations

import pytest

from agents.rules.identify_rules import understand_and_identify
from agents.rules.power_tree import converter_kind
from agents.understand.length_reading import read_lengths
from agents.understand.needs import clauses
from agents.understand.negation_scope import negated_at
from agents.understand.rules import understand_rules
from circuit.units import parse_value
from tests.design_util import run_passing


def _strip(text, library):
    req = understand_rules(text, library)
    return next(p for p in req.named_parts if library[p.key].ratings.per_length)


@pytest.mark.parametrize("text,metres", [
    ("esp32, 5 m 12v led strip, mosfet", 5.0),
    ("three metres of 12 V LED strip switched by an Arduino Uno", 3.0),
    ("16 ft of 12v led tape dimmed by an esp32", 16 * 0.3048),
    ("a 50 cm 12 V LED strip on an Arduino Nano", 0.5),
    ("a 12 V LED strip 4 m long on a Nano", 4.0),
])
def test_a_strip_draws_its_per_metre_current_times_the_stated_length(text, metres, library):
    p = _strip(text, library)
    rec = library[p.key]
    assert parse_value(p.attrs["length"], "m") == pytest.approx(metres, rel=1e-3)
    assert parse_value(p.attrs["current"], "A") == pytest.approx(rec.ratings.i_rated * metres / rec.ratings.per_length,
                                                                  rel=1e-2)
    assert p.count == 1, "the figure of a length is how much of one strip, not a count of strips"


def test_a_count_of_strips_stays_beside_their_length(library):
    assert _strip("two 3 m 12 V LED strips on an ESP32", library).count == 2


def test_a_strip_with_no_length_stated_keeps_its_record_and_a_stated_current_stays(library):
    assert "length" not in _strip("Arduino Nano dimming a 12 V LED strip", library).attrs
    p = _strip("a Nano with a 5 m 12 V LED strip drawing 2 A", library)
    assert p.attrs["length"] == "5 m" and parse_value(p.attrs["current"], "A") == pytest.approx(2.0)


def test_a_length_said_of_another_part_is_not_the_strips(library):
    req = understand_rules("an Uno with an HC-SR04 that sees 2 m and a 12 V LED strip", library)
    assert not any("length" in p.attrs for p in req.named_parts)
    assert read_lengths("a red led", [], library) == []


def test_a_long_strip_gets_a_supply_rated_for_its_length(library):
    turn, c, nl = run_passing("esp32, 5 m 12v led strip, mosfet", library)
    sources = [p for p in c.parts if library[p.type].category == "power" and library[p.type].source_kind]
    assert sources, [p.type for p in c.parts]
    rated = max(library[p.type].ratings.i_out_max or 0.0 for p in sources)
    assert rated >= 6.0, [p.type for p in sources]


def test_a_module_running_the_design_is_fed_through_a_regulator_and_its_inputs_are_held(library):
    turn, c, nl = run_passing("esp-01, dht22", library)
    types = {p.type: p for p in c.parts}
    assert "dc-barrel-jack" not in types, list(types)
    module = next(p for p in c.parts if p.type == "esp-01")
    regs = [p for p in c.parts if library[p.type].category == "power" and converter_kind(library[p.type]) == "linear"]
    assert regs and all((library[p.type].ratings.i_out_max or 0) >= library["esp-01"].supply.current_max for p in regs)
    assert not [f for f in turn["findings"] if f["rule"] in ("ERC-UNCONNECTED-INPUT", "ERC-REQUIRED-PIN-FLOATING")]
    for pin in ("RST", "CH_PD"):
        net = nl.net_of(f"{module.id}:{pin}").pins
        assert any(library[c.part(e.split(':')[0]).type].key == "resistor" for e in net), (pin, net)


def test_a_board_stepped_down_from_a_stated_supply_is_fed_at_a_voltage_its_input_is_made_for(library):
    _, ident = understand_and_identify("Pico with a BH1750, fed from the 12 V rail of my van", library)
    from agents.rules.planner import plan_rules
    plan = plan_rules(ident, library, "pico")
    made = [p for p in plan.parts if library[p.type].category == "power" and p.attrs.get("voltage")]
    rails = [parse_value(p.attrs["voltage"], "V") for p in made] + \
        [library[p.type].ratings.v_out for p in plan.parts if library[p.type].category == "power"
         and library[p.type].ratings.v_out and not library[p.type].source_kind]
    assert rails and max(rails) >= 3.3, rails  # not the 1.8 V edge of its input range


def test_a_switching_converter_steps_a_board_down_from_24_volts(library):
    turn, c, nl = run_passing("nano, buzzer, 24v supply", library)
    kinds = {converter_kind(library[p.type]) for p in c.parts if library[p.type].category == "power"
             and not library[p.type].source_kind}
    assert "buck" in kinds, kinds


def test_a_negation_reaches_its_noun_phrase_or_its_clause():
    text = "an esp32 switching a relay module, powered without usb from a 12 v adapter"
    assert negated_at(text, text.index("usb"), text.index("usb") + 3)
    assert not negated_at(text, text.index("12 v adapter"), len(text))
    text = "esp32 with a bme280 that is not powered by usb but by a 9 v battery"
    assert negated_at(text, text.index("usb"), text.index("usb") + 3)
    assert not negated_at(text, text.index("9 v battery"), len(text))
    cls = {c.text: c.negated for c in clauses("powered without USB from a 12 V adapter")}
    assert cls.get("USB") is True and cls.get("from a 12 V adapter") is False, cls
    cls = {c.text: c.negated for c in clauses("a BME280 that is not powered by USB but by a 9 V battery")}
    assert cls.get("not powered by USB") is True and cls.get("by a 9 V battery") is False, cls
    assert not any(c.negated for c in clauses("a lamp that does not flicker"))


def test_a_ruled_out_usb_supply_leaves_the_board_on_the_source_named(library):
    req = understand_rules("ESP32 with a BME280 that is not powered by USB but by a 9 V battery", library)
    assert "board_power:usb" not in req.preferences
    turn, c, nl = run_passing("ESP32 with a BME280 that is not powered by USB but by a 9 V battery", library)
    bat = next(p for p in c.parts if p.type == "battery-9v")
    board = next(p for p in c.parts if p.type == "esp32-devkit-v1")
    net = nl.net_of(f"{bat.id}:VCC").pins
    assert any(e.startswith(board.id + ":") for e in net), net


def test_a_module_running_the_design_times_a_blink_in_its_firmware(library):
    turn, c, nl = run_passing("An ESP-01 that blinks an LED, running from a 5 V USB phone charger", library)
    assert any(m.startswith("timing blink") for m in turn["requirements_check"]["met"]), turn["requirements_check"]


def test_the_words_that_state_the_source_are_answered_by_it(library):
    # a supply no adapter of the library gives, above what a barrel jack is rated for: a generic DC source at
    # that voltage, stepped down; the clause that states it asks for nothing else
    turn, c, nl = run_passing("arduino uno blinking an led, runing from a 36 V supply", library)
    src = [p for p in c.parts if library[p.type].source_kind]
    assert src and all((library[p.type].ratings.v_rated or 99) >= 36 for p in src), [p.type for p in src]
    assert any(converter_kind(library[p.type]) == "buck" for p in c.parts if library[p.type].category == "power"
               and not library[p.type].source_kind)


@pytest.mark.parametrize("text", [
    "turn the hallway light on by itself when somebody walks past",
    "the stairwell light should turn on by itself when someone comes up the stairs",
])
def test_a_light_named_by_its_place_in_a_building_is_switched_not_built(text, library):
    req = understand_rules(text, library)
    caps = {n.capability for n in req.needs}
    assert "indicator-light" not in caps, caps
    assert any(library[k].provides and any(c.capability in caps for c in library[k].provides)
               for k in ("relay-module", "relay-5v")), caps


@pytest.mark.parametrize("text", ["a warning light that blinks when the tank is empty", "a status light on an esp32",
                                  "a brake light for my bike"])
def test_a_light_named_by_the_kind_of_device_it_is_stays_a_light(text, library):
    assert "indicator-light" in {n.capability for n in understand_rules(text, library).needs}


def test_a_load_whose_voltage_no_regulator_makes_at_its_current_still_gets_a_source(library):
    # a 3 V motor drawing 5 A: no supply unit is made for 3 V and no regulator makes 3 V at 5 A from one, so a
    # DC source at 3 V stands for it (not an unmet plan)
    _, ident = understand_and_identify("Arduino Uno controlling the speed of a 5 A DC motor", library)
    from agents.rules.planner import plan_rules
    plan = plan_rules(ident, library, "motor")
    assert not plan.unmet, plan.unmet
