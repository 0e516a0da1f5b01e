"""Choosing among equals (knowledge/preference.py): the pickers settle ties from record data (how
common a part is, then its key), never from the order the library's files load in."""

from __future__ import annotations

import random

import pytest

from circuit import driver_choice, switch_choice
from circuit.flyback_choice import pick_flyback
from knowledge.library import Library
from knowledge.preference import most_preferred, preference


@pytest.fixture(scope="module")
def records():
    return list(Library.default())


def _picks(lib: Library) -> dict:
    sw = driver_choice.pick_switch(lib, v_pin=5.0, i_pin=0.02, i_load=0.05, i_peak=0.05, v_supply=5.0)
    big = driver_choice.pick_switch(lib, v_pin=5.0, i_pin=0.02, i_load=2.0, i_peak=2.0, v_supply=12.0)
    return {
        "switch_small": sw.key if sw else None,
        "switch_big": big.key if big else None,
        "flyback": pick_flyback(lib, v=12.0, i=0.1),
        "bjt": switch_choice.pick_bjt(lib, v_load=5.0, i_c=0.05),
        "pnp": switch_choice.pick_bjt(lib, v_load=5.0, i_c=0.05, pnp=True),
        "nmos": switch_choice.pick_nmos(lib, v_load=12.0, i_peak=1.0, v_gate=5.0),
        "diode": pick_flyback(lib, v=12.0, i=0.5),
        "schottky": pick_flyback(lib, v=5.0, i=0.5, fast=True),
        "unknown-current": pick_flyback(lib, v=12.0, i=None),
    }


def test_picks_do_not_depend_on_load_order(records):
    want = _picks(Library(records))
    assert all(want.values()), want
    for seed in (1, 2):
        shuffled = list(records)
        random.Random(seed).shuffle(shuffled)
        assert _picks(Library(shuffled)) == want
    assert _picks(Library(list(reversed(records)))) == want


def test_the_record_field_decides_among_equals(records):
    """BC546/BC547/BC548 carry a 50 mA load equally (same 100 mA rating): the one the data marks as the
    staple wins; mark another one instead and that one wins (no part number in the code)."""
    by_key = {r.key: r for r in records}
    trio = [by_key[k] for k in ("bc546", "bc547", "bc548")]
    staple = [r.key for r in trio if r.commonness == "staple"]
    assert len(staple) == 1
    assert switch_choice.pick_bjt(Library(trio), v_load=5.0, i_c=0.05) == staple[0]
    other = next(r for r in trio if r.key != staple[0])
    flipped = [r.model_copy(update={"commonness": "staple" if r is other else "common"}) for r in trio]
    assert switch_choice.pick_bjt(Library(flipped), v_load=5.0, i_c=0.05) == other.key
    sw = driver_choice.pick_switch(Library(flipped), v_pin=5.0, i_pin=0.02, i_load=0.05, i_peak=0.05, v_supply=5.0)
    assert sw is not None and sw.key == other.key


def test_a_generic_stand_in_loses_to_a_numbered_part(records):
    by_key = {r.key: r for r in records}
    generic = [r for r in records if r.commonness == "generic" and r.spice.kind == "diode"]
    assert generic, "the library's generic rectifier is marked generic"
    numbered = by_key["1n4007"]
    # the same ratings: only the commonness tells them apart
    assert generic[0].ratings.if_max == numbered.ratings.if_max
    lib = Library([generic[0], numbered])
    assert pick_flyback(lib, v=12.0, i=0.5) == numbered.key


def test_a_better_fit_still_beats_a_more_common_part(records):
    """Commonness only settles ties: a load a staple cannot carry gets the part that can."""
    lib = Library(records)
    key = switch_choice.pick_bjt(lib, v_load=5.0, i_c=0.4)
    rec = lib[key]
    assert rec.ratings.ic_max >= 0.6
    heavy = pick_flyback(lib, v=24.0, i=2.5)
    assert lib[heavy].ratings.if_max >= 2.5 and lib[heavy].ratings.vr_max >= 48


def test_most_preferred_orders_by_fit_then_commonness_then_key(records):
    lib = Library(records)
    diodes = [r for r in lib if r.spice.kind == "diode"]
    best = most_preferred(diodes, lambda r: (r.ratings.if_max or 0.0,))
    smallest = min(r.ratings.if_max or 0.0 for r in diodes)
    tied = [r for r in diodes if (r.ratings.if_max or 0.0) == smallest]
    assert best is min(tied, key=preference)
    assert most_preferred([]) is None
