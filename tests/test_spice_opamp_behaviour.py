"""The main SPICE gate models an op-amp by its behaviour (the record's open-loop gain, its output swing
inside the supply less its headroom) and a comparator by which input is higher, not by a fixed output."""

from __future__ import annotations

import pytest

from circuit.model import Circuit
from circuit.sim import simulate
from circuit.spice_netlist import build_deck


def _noninverting(v_in_top: str, v_in_bottom: str, rf: str, rg: str) -> Circuit:
    """An LM358 from an Uno's 5 V: IN+ from a divider, gain 1 + Rf/Rg, output into a 10 k load."""
    return Circuit.model_validate({
        "parts": [
            {"id": "U1", "type": "arduino-uno"},
            {"id": "U2", "type": "lm358"},
            {"id": "R1", "type": "resistor", "attrs": {"value": v_in_top}},
            {"id": "R2", "type": "resistor", "attrs": {"value": v_in_bottom}},
            {"id": "R3", "type": "resistor", "attrs": {"value": rf}},
            {"id": "R4", "type": "resistor", "attrs": {"value": rg}},
            {"id": "R5", "type": "resistor", "attrs": {"value": "10k"}},
        ],
        "connections": [
            ["U1:5V", "U2:VCC"], ["U2:GND", "U1:GND"],
            ["U1:5V", "R1:1"], ["R1:2", "R2:1"], ["R2:2", "U1:GND"], ["R1:2", "U2:1IN+"],
            ["U2:1OUT", "R3:1"], ["R3:2", "U2:1IN-"], ["U2:1IN-", "R4:1"], ["R4:2", "U1:GND"],
            ["U2:1OUT", "R5:1"], ["R5:2", "U1:GND"],
        ],
    })


def _out(deck, pin="U2:1OUT") -> float:
    return simulate(deck.text).node(deck.pin_node[pin])


@pytest.mark.parametrize("top,bottom,rf,rg,expect", [
    ("40k", "10k", "10k", "10k", 2.0),    # 1 V in, gain 2
    ("45k", "5k", "20k", "10k", 1.5),     # 0.5 V in, gain 3
])
def test_a_noninverting_amplifier_gives_its_gain(top, bottom, rf, rg, expect, library):
    deck = build_deck(_noninverting(top, bottom, rf, rg), library)
    assert _out(deck) == pytest.approx(expect, rel=0.02)


def test_an_amplifier_saturates_below_its_supply_by_its_headroom(library):
    """2.5 V in, gain 11: the LM358's output stops 1.5 V below its 5 V supply (record vout_headroom_high)."""
    deck = build_deck(_noninverting("10k", "10k", "100k", "10k"), library)
    hi = library["lm358"].spice.params["vout_headroom_high"]
    assert _out(deck) == pytest.approx(5.0 - hi, abs=0.1)


def test_a_fixed_output_is_only_the_old_mode(library):
    """Behaviour off, the output sits at a fixed level whatever the inputs: the mode the gate left."""
    a = _out(build_deck(_noninverting("40k", "10k", "10k", "10k"), library, comparators=False))
    b = _out(build_deck(_noninverting("45k", "5k", "20k", "10k"), library, comparators=False))
    assert a == pytest.approx(b, abs=0.01)
