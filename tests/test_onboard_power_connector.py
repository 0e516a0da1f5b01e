"""A module with a power connector of its own (flags.onboard_power_connector: the TP4056's USB jack)
is powered through it when nothing in the circuit feeds its power pin: no false ERC-NO-POWER, and the
SPICE gate stands the connector in as a source."""

from __future__ import annotations

import pytest

from circuit.gates import check_circuit
from circuit.load import load_circuit
from circuit.spice_gate import run_spice_gate
from knowledge.library import Library
from tests.erc_util import build, findings

# a cell on the charger, a LED with its resistor as the load; IN+ left for the USB jack
CHARGER = ("CH=tp4056 B1=18650-battery R1=resistor(100) LED1=led(color=red)",
           "B1:+~CH:BAT+ B1:-~CH:BAT- CH:OUT+~R1:1 R1:2~LED1:+ LED1:-~CH:OUT-")


def test_charger_fed_from_its_usb_jack_is_not_unpowered(library):
    doc = build(*CHARGER)
    assert not findings(doc, library, "ERC-NO-POWER")
    rep = check_circuit(doc, library)
    assert rep.passed, [str(f) for f in rep.findings]
    assert not [f for f in rep.findings if f.severity.value == "Warning" and "CH" in " ".join(f.where)]


def test_a_module_without_its_own_connector_still_needs_power(library):
    rec = library["tp4056"].model_copy(deep=True)
    rec.flags.onboard_power_connector = False
    lib = Library([library[k] for k in library.keys() if k != "tp4056"] + [rec])
    (f,) = findings(build(*CHARGER), lib, "ERC-NO-POWER")
    assert f.where == ["CH:IN+"]
    doc = build("M1=mt3608 B1=18650-battery R1=resistor(1k)", "M1:VOUT+~R1:1 R1:2~M1:VOUT- B1:-~M1:VIN-")
    assert findings(doc, library, "ERC-NO-POWER")


def test_spice_stands_the_connector_in_as_a_source(library):
    rep = run_spice_gate(load_circuit(build(*CHARGER), library).circuit, library)
    jacks = [s for s in rep.deck.sources if s.role == "connector"]
    assert [(s.endpoint, s.volts) for s in jacks] == [("CH:IN+", 5.0)]
    assert any("CH" in n and "own connector" in n for n in rep.notes)
    assert "V_CH_INP_jack" in rep.deck.text and rep.ok


def test_charger_fed_from_the_circuit_draws_from_that_supply(library):
    doc = build(f"{CHARGER[0]} PS=usb-5v-supply",
                f"{CHARGER[1]} PS:5V~CH:IN+ PS:GND~CH:IN-")
    rep = run_spice_gate(load_circuit(doc, library).circuit, library)
    assert not [s for s in rep.deck.sources if s.role == "connector"]
    # the 1 A charge current comes out of the USB supply, which can give only 0.5 A
    assert rep.current("CH:IN+") == pytest.approx(1.0, rel=0.05)
    assert "SPICE-SUPPLY-OVERLOAD" in {f.rule for f in rep.findings}
