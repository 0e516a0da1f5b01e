"""The simulation's reference (node 0) is the circuit's ground, not a ground pin a transistor switches."""

import pytest

from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.spice_gate import run_spice_gate
from tests.erc_util import build


def test_low_side_switched_module_ground_is_not_the_reference(library):
    # the buzzer module's GND pin sits on the transistor's collector: a ground *pin*, not the ground
    doc = build("U1=arduino-mega BZ1=buzzer Q1=bc547 R1=resistor(1.3k) D1=1n4148",
                "BZ1:VCC~U1:5V U1:D30~R1:1 R1:2~Q1:B BZ1:GND~Q1:C Q1:E~U1:GND D1:K~U1:5V D1:A~BZ1:GND")
    c = Circuit.model_validate(doc)
    nl = Netlist(c, library)
    rep = run_spice_gate(c, library)
    board_gnd = nl.net_of("U1:GND").name
    switched = nl.net_of("BZ1:GND").name
    assert rep.node_voltages[board_gnd] == 0.0
    assert 0.0 < rep.node_voltages[switched] < 0.3  # the transistor's saturation voltage
    assert rep.node_voltages[nl.net_of("U1:5V").name] == pytest.approx(5.0, abs=0.05)
    assert rep.current("BZ1:VCC") == pytest.approx(0.03, rel=0.1)
    assert rep.ok, [str(f) for f in rep.findings]
