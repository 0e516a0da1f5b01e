"""Design faults a QA pass found (the gates passed them): each test builds a real request with the
rules backend and checks the wiring out of the netlist."""

from __future__ import annotations

from circuit.model import Circuit
from circuit.netlist import Netlist
from pipelines.design import design


def _run(request: str, library):
    turn = design(request, backend="rules")
    assert not turn.get("stopped"), turn.get("stopped")
    c = Circuit.model_validate(turn["circuit"])
    return turn, c, Netlist(c, library)


def test_decoupling_capacitor_is_a_ceramic_across_the_ics_supply(library):
    turn, c, nl = _run("Arduino Uno driving eight LEDs through a 74HC595 shift register", library)
    assert turn["passed"], turn["findings"]
    ic = next(p for p in c.parts if p.type == "74hc595")
    caps = [p for p in c.parts if library[p.type].spice.kind == "capacitor"]
    assert caps and all(p.type == "ceramic-capacitor" for p in caps), [p.type for p in caps]
    vcc = next(pin.name for pin in library["74hc595"].pins if pin.type == "power_in")
    on_vcc = [o for o in nl.neighbours(f"{ic.id}:{vcc}") if o.split(":")[0] in {p.id for p in caps}]
    assert on_vcc, "a 100 nF ceramic sits on the 74HC595's supply pin"
