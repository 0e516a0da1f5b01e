"""One owner for the transistor choice (circuit/switch_choice.py): the designer's low-side switch and
the ERC fixer's driver get the same part for the same load and pin (and one flyback rule,
circuit/flyback_choice.py), and the choice reads ratings
(V_CE/V_DS, I_C/I_D, gate threshold against the drive, the pin's current), never part names."""

from __future__ import annotations

import pytest

from circuit.driver_choice import pick_switch
from circuit.flyback_choice import pick_flyback
from circuit.switch_choice import MOSFET_ABOVE, choose_switch, gate_drive
from knowledge.library import Library

LOADS = [  # (supply V, load A, pin V, pin A)
    (5.0, 0.03, 5.0, 0.02), (5.0, 0.07, 5.0, 0.02), (12.0, 0.12, 5.0, 0.02), (12.0, 0.25, 3.3, 0.012),
    (12.0, 0.6, 5.0, 0.02), (12.0, 2.0, 3.3, 0.012), (24.0, 1.5, 5.0, 0.02),
]


@pytest.mark.parametrize("v, i, v_pin, i_pin", LOADS)
def test_designer_and_fixer_choose_the_same_switch(library, v, i, v_pin, i_pin):
    choice = choose_switch(library, v, i, v_pin, i_pin)
    fixer = pick_switch(library, v_pin, i_pin, i, i, v)
    assert choice is not None and fixer is not None and fixer.key == choice.key
    rec = library[choice.key]
    if choice.kind == "nmos":
        assert rec.ratings.vds_max >= 1.5 * v and rec.ratings.id_max >= 2 * i and gate_drive(rec, v_pin)
    else:
        assert i <= MOSFET_ABOVE and rec.ratings.vce_max >= 1.5 * v and rec.ratings.ic_max >= 1.5 * i


def test_the_choice_reads_ratings_not_names(library):
    """A part renamed keeps its place; a MOSFET whose threshold no longer suits the drive drops out."""
    choice = choose_switch(library, 12.0, 1.0, 5.0, 0.02)
    assert choice.kind == "nmos"
    rec = library[choice.key]
    others = [r for r in library if r.key != rec.key]
    renamed = rec.model_copy(update={"key": "zz-part", "name": "Some part", "aliases": [], "description": "A part."})
    assert choose_switch(Library(others + [renamed]), 12.0, 1.0, 5.0, 0.02).key == "zz-part"
    dull = renamed.model_copy(update={"ratings": rec.ratings.model_copy(update={"vgs_th": 4.0, "rds_on_vgs": 10.0})})
    assert gate_drive(dull, 5.0) is None
    assert choose_switch(Library(others + [dull]), 12.0, 1.0, 5.0, 0.02).key != "zz-part"


def test_a_weak_pin_moves_a_light_load_to_a_mosfet_or_a_darlington(library):
    """70 mA needs 7 mA of base current at a forced gain of 10: a 20 mA pin gives it, a 4 mA pin does not."""
    strong = choose_switch(library, 5.0, 0.07, 5.0, 0.02)
    assert strong.kind == "npn" and (library[strong.key].ratings.hfe or 100) < 500
    weak = choose_switch(library, 5.0, 0.07, 5.0, 0.004)
    assert weak.kind == "nmos" or (library[weak.key].ratings.hfe or 100) >= 500
    assert choose_switch(library, 5.0, 0.07, 5.0, 0.02, prefer="mosfet").kind == "nmos"


def test_a_low_drive_cannot_pick_a_transistor_it_cannot_turn_on(library):
    """A 1.2 V drive clears no V_BE above 0.8 V: never an NPN that needs more."""
    choice = choose_switch(library, 5.0, 0.05, 1.2, 0.02)
    if choice is not None and choice.kind == "npn":
        assert 1.2 - (library[choice.key].ratings.vbe_on or 0.7) >= 0.4


@pytest.mark.parametrize("v, i", [(5.0, 0.07), (12.0, 0.5), (24.0, 2.5)])
def test_one_flyback_rule_for_designer_and_fixer(library, v, i):
    """The flyback owner (circuit/flyback_choice.py): it blocks twice the supply and carries the coil
    current; a PWM-switched coil gets a Schottky, an on/off one a junction rectifier."""
    slow, fast = pick_flyback(library, v, i), pick_flyback(library, v, i, fast=True)
    for key in (slow, fast):
        r = library[key].ratings
        assert r.vr_max >= 2 * v and (r.if_max or r.if_nom) >= i
    assert not library[slow].flags.schottky
    assert library[fast].flags.schottky or not any(
        r.flags.schottky and r.ratings.vr_max >= 2 * v and (r.ratings.if_max or 0) >= i for r in library)
