"""The source a request states, read by meaning: a qualifier refines a generic source.

The requests here are phrased for these tests (not taken from any benchmark). Assertions read record data
(configurable sources, cell chemistry, capabilities), so they hold as records are added.
"""

from __future__ import annotations

import pytest

from agents.rules.power_tree import configurable, converter_kind, is_converter
from agents.understand.rules import understand_rules
from agents.understand.source_reading import qualifier
from tests.design_util import run_passing

RECHARGEABLE = {"li-ion", "lipo", "lifepo4", "nimh", "lead-acid"}


def test_the_qualifier_is_the_words_of_the_noun_phrase_before_the_name():
    low = "i want a small rechargeable battery pack, please"
    at = low.index("battery pack")
    assert qualifier(low, at, "battery pack") == "small rechargeable"
    low = "power it from a 12 v battery pack"
    assert qualifier(low, low.index("battery pack"), "battery pack") == ""  # a figure ends the qualifier


@pytest.mark.parametrize("text", ["a rechargeable battery pack running a small fan",
                                  "my desk clock should run off a rechargeable battery pack"])
def test_a_qualifier_that_names_a_kind_of_source_refines_the_generic_one(library, text):
    src = understand_rules(text, library).constraints.source
    assert src is not None and src.key is not None
    rec = library[src.key]
    assert not configurable(rec) and rec.safety.cell in RECHARGEABLE


@pytest.mark.parametrize("text", ["a battery pack running a small fan", "a 12 V battery pack running a small fan"])
def test_a_generic_source_without_a_qualifier_stays_generic(library, text):
    src = understand_rules(text, library).constraints.source
    assert src is not None and src.key is not None and configurable(library[src.key])


@pytest.mark.parametrize("text", ["make my old 18650 into a charger for my tablet",
                                  "a 1S lipo that becomes a usb charger for a kid's watch"])
def test_power_made_for_the_users_device_is_handed_out(library, text):
    req = understand_rules(text, library)
    outward = {n.capability for n in req.needs
               if any(c.capability == n.capability and c.direction == "act" for r in library for c in r.provides)}
    # the device is plugged in: the design gives power out through a part that takes a rail in
    assert outward and all(any(p.type == "power_in" for p in library[k].pins)
                           for cap in outward for k in [r.key for r in library
                                                        if any(c.capability == cap for c in r.provides)])
    # and no charger for a cell was read from the words that named the charger for the device
    assert not any(library[p.key].safety.charger for p in req.named_parts)


def test_a_charger_for_a_part_of_the_design_charges_it(library):
    # "the battery" is a library word: the charger is for a part of the design, and stays a cell charger
    req = understand_rules("a usb charger for the battery of my robot", library)
    assert any(library[p.key].safety.charger for p in req.named_parts)


def test_a_count_before_a_phrase_is_its_count(library):
    req = understand_rules("a torch from two small lithium cells in parallel behind a white led", library)
    cells = [p for p in req.named_parts if library[p.key].safety.cell is not None]
    assert cells and cells[0].count == 2


@pytest.mark.parametrize("text", ["a small power bank to keep in my backpack", "build me a power bank for my tablet"])
def test_a_power_bank_is_a_rechargeable_cell_boosted_to_a_usb_output(library, text):
    _, c, _ = run_passing(text, library)
    recs = [library[p.type] for p in c.parts if p.type in library]
    assert any(r.safety.cell in RECHARGEABLE for r in recs)
    assert any(is_converter(r) and converter_kind(r) == "boost" for r in recs)
    assert any(c.direction == "act" and any(pin.type == "power_in" for pin in r.pins) for r in recs for c in r.provides)


def test_a_relative_clause_after_a_generic_source_refines_it_too(library):
    src = understand_rules("a battery pack we can recharge, feeding a small fan", library).constraints.source
    assert src is not None and src.key is not None and library[src.key].safety.cell in RECHARGEABLE


def test_power_done_to_the_users_device_goes_out_through_a_port(library):
    req = understand_rules("one 18650 cell, and a socket on the side to charge my headphones", library)
    ports = {c.capability for r in library if r.category == "interface" for c in r.provides if c.direction == "act"}
    assert {n.capability for n in req.needs} & ports
    # the clause's power reading (a charger for a cell) was the device's, not a cell's to charge
    assert not any(n.words == "charge my headphones" and not n.capability in ports for n in req.needs)
    # a message to the user's phone is no power
    req = understand_rules("text my phone when the garage door opens", library)
    assert not {n.capability for n in req.needs} & ports


def test_a_thing_holding_parts_of_the_design_is_the_design_not_a_charger(library):
    # "for a robot hand" is what the whole design is for; the servo driver named in it stays named
    req = understand_rules("a PCA9685 driving six SG90 servos for a robot hand, on an Arduino Nano", library)
    keys = {p.key for p in req.named_parts}
    assert any(any(c.capability == "pwm-expansion" for c in library[k].provides) for k in keys)
    assert not req.notes or not any("plugged in" in n for n in req.notes)


@pytest.mark.parametrize("text, volts", [("a Nano blinking an LED from three AAs", 4.5),
                                         ("a Pico with a buzzer off two AAAs", 3.0)])
def test_cells_named_by_their_acronym_in_the_plural_are_that_many_in_series(library, text, volts):
    src = understand_rules(text, library).constraints.source
    assert src is not None and src.total_volts == pytest.approx(volts), src


def test_a_holder_of_cells_said_the_other_way_round_is_the_pack_the_library_names(library):
    req = understand_rules("an ESP32 and a buzzer powered by a pack of AA batteries", library)
    src = req.constraints.source
    assert src is not None and src.key is not None and src.total_volts > 3.0, src
    assert library[src.key].source_kind == "battery"


@pytest.mark.parametrize("text, volts", [
    ("an Uno with a buzzer, run from the dusty 19.5 volt laptop charger I have", 19.5),
    ("pico + bme280, 19V notebook power brick", 19.0),
    ("a Nano and an OLED powered by a 20 V laptop adapter", 20.0)])
def test_a_laptop_charger_is_a_dc_source_of_its_stated_voltage(library, text, volts):
    req = understand_rules(text, library)
    src = req.constraints.source
    assert not req.unknown, req.unknown
    assert src is not None and src.volts == pytest.approx(volts) and src.key is not None, src
    rec = library[src.key]
    assert configurable(rec) or abs(rec.pins_of_type("power_out")[0].v_out - volts) <= 0.05 * volts


def test_a_named_supply_whose_words_state_another_voltage_is_not_that_supply(library):
    req = understand_rules("an ESP32 from a 15 V wall adapter", library)
    src = req.constraints.source
    assert src is not None and src.volts == pytest.approx(15.0), src
    same = understand_rules("an ESP32 from a 12 V wall adapter", library).constraints.source
    assert same is not None and same.volts == pytest.approx(12.0) and not configurable(library[same.key]), same


@pytest.mark.parametrize("text,volts", [("a 5V power supply from a 9V battery for my breadboard", 5.0),
                                        ("a 12v power supply from four 18650 cells", 12.0),
                                        ("make a 5 volt supply off a 9V battery", 5.0)])
def test_an_adapter_named_as_made_from_another_source_is_the_output(library, text, volts):
    """An adapter runs from nothing in a design: named with 'from' another source, it is the supply the design
    makes (a regulator's output), and the source after 'from' is what it runs from."""
    req = understand_rules(text, library)
    src = req.constraints.source
    assert src is not None and library[src.key].ratings.capacity_ah is not None or src.kind != "wall-adapter", src
    made = [n for n in req.needs if any(c.capability == n.capability and r.pins_of_type("power_in")
                                        for r in library for c in r.provides)]
    assert made and made[0].target.get("volts") == volts, req.needs
    assert not any(library[p.key].is_mcu is False and not library[p.key].pins_of_type("power_in")
                   and library[p.key].category == "power" and library[p.key].ratings.capacity_ah is None
                   for p in req.named_parts), req.named_parts


def test_a_board_run_from_an_adapter_keeps_the_adapter(library):
    req = understand_rules("run my esp32 from a 5v power supply", library)
    assert req.constraints.source is not None and req.constraints.source.key == "power-supply-5v"
