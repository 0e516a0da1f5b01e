"""A goal that is an instrument asks for what it measures (agents/understand/goal_instrument.py): the retriever's
best part senses something by itself, clearly ahead of parts that sense none of it, and the request reads as
measuring a quantity that part serves; then the gate holds the design to it.

The requests here are phrased for these tests (not taken from any benchmark). Assertions read typed record data
(capability directions, person), so they hold as records are added."""

from __future__ import annotations

from agents.understand.goal_instrument import read_instrument
from agents.understand.requirements import Requirements
from agents.understand.rules import understand_rules


def _noticing(library, capability: str) -> bool:
    return any(c.capability == capability and c.direction == "sense" and c.person != "operates"
               for r in library for c in r.provides)


def test_a_gadget_that_weighs_asks_for_weighing_and_the_gate_holds_it(library):
    req = understand_rules("a gadget that weighs my parcels", library)
    assert "sense-weight" in {n.capability for n in req.needs}, req.needs
    assert any(a.any_of == ["sense-weight"] for a in req.asked), req.asked
    # (and no button stands in for it: the goal's input is what it measures)
    assert not any(n.capability == "button-input" for n in req.needs), req.needs


def test_a_toy_named_with_what_it_has_measures_nothing(library):
    # "a fire ... with a siren": the thing's name is context, what it has is the ask
    req = understand_rules("a toy fire station with a siren and a flashing light", library)
    assert not any(_noticing(library, n.capability) for n in req.needs), req.needs
    # and what a thing is for is context: "for a ... fire station" is no fire to sense
    req = understand_rules("a wailing tone for a toy fire station", library)
    assert not any(_noticing(library, n.capability) for n in req.needs), req.needs


def test_a_request_that_names_its_sensor_is_left_alone(library):
    req = understand_rules("an hx711 and a load cell on a nano", library)
    before = [n.capability for n in req.needs]
    assert read_instrument("an hx711 and a load cell on a nano", library, req) == []
    assert [n.capability for n in req.needs] == before
    assert read_instrument("a gadget that weighs my parcels", library, Requirements(unknown=[{"words": "x"}])) == []
