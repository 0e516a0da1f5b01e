"""What kind of part a record is comes from typed fields, validated on load, never from the words
of its description: how a regulator converts (``conversion``), a Schottky diode
(``flags.schottky``), a surface-mount package (``flags.surface_mount``)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agents.rules.power_tree import converter_kind, is_converter
from circuit.flyback_choice import pick_flyback
from circuit.switch_choice import pick_bjt
from knowledge.completeness import missing_fields
from knowledge.library import Library
from knowledge.record import ComponentRecord


def _data(rec: ComponentRecord, **update) -> dict:
    d = rec.model_dump()
    for path, value in update.items():
        node = d
        *head, last = path.split("__")
        for k in head:
            node = node[k]
        node[last] = value
    return d


def test_every_library_converter_states_its_kind_and_the_words_do_not_decide(library):
    convs = [r for r in library if is_converter(r)]
    assert {converter_kind(r) for r in convs} == {"linear", "buck", "boost", "buck-boost", "charger"}
    for r in convs:
        assert converter_kind(r) == ("charger" if r.conversion is None else r.conversion)
    # a buck module described in a linear regulator's words is still a buck converter, and back
    buck = next(r for r in convs if r.conversion == "buck")
    worded = buck.model_copy(update={"description": "A linear regulator.", "name": "LDO", "aliases": []})
    assert converter_kind(worded) == "buck"
    ldo = next(r for r in convs if r.conversion == "linear")
    worded = ldo.model_copy(update={"description": "A step-up boost switching charger."})
    assert converter_kind(worded) == "linear"


def test_conversion_is_validated_on_load(library):
    ldo = next(r for r in library if r.conversion == "linear")
    assert ComponentRecord.model_validate(_data(ldo, conversion="boost")).conversion == "boost"
    with pytest.raises(ValidationError, match="conversion"):
        ComponentRecord.model_validate(_data(ldo, conversion="flyback"))
    led = next(r for r in library if r.spice.kind == "led")
    with pytest.raises(ValidationError, match="power_in and a power_out"):
        ComponentRecord.model_validate(_data(led, conversion="buck"))
    charger = next(r for r in library if r.safety.charger and is_converter(r))
    with pytest.raises(ValidationError, match="leave conversion unset"):
        ComponentRecord.model_validate(_data(charger, conversion="linear"))
    # a converter that leaves it out is incomplete (kb check lists it)
    assert any(g.startswith("conversion") for g in missing_fields(ldo.model_copy(update={"conversion": None})))
    assert not any(g.startswith("conversion") for g in missing_fields(charger))


def test_schottky_flag_is_for_diodes_only(library):
    npn = next(r for r in library if r.spice.kind == "npn")
    with pytest.raises(ValidationError, match="schottky"):
        ComponentRecord.model_validate(_data(npn, flags__schottky=True))


def test_flyback_and_package_choices_read_the_flags_not_the_description(library):
    """Two diodes with the same ratings: the fast (PWM) flyback takes the one flagged Schottky even when
    the other one's description says "Schottky"; a part flagged surface-mount loses to a through-hole one."""
    base = library["1n4007"]
    plain = base.model_copy(update={"key": "diode-a", "description": "Schottky barrier rectifier in SOT-23, SMD."})
    fast = base.model_copy(update={"key": "diode-b", "description": "A rectifier.",
                                   "flags": base.flags.model_copy(update={"schottky": True})})
    lib = Library([plain, fast])
    assert pick_flyback(lib, v=5.0, i=0.5, fast=True) == "diode-b"
    assert pick_flyback(lib, v=5.0, i=0.5, fast=False) == "diode-a"
    npn = library["2n2222"]
    smd = npn.model_copy(update={"key": "npn-a", "flags": npn.flags.model_copy(update={"surface_mount": True})})
    tht = npn.model_copy(update={"key": "npn-b", "description": "NPN transistor in SOT-23 (SMD)."})
    assert pick_bjt(Library([smd, tht]), v_load=5.0, i_c=0.05) == "npn-b"
