"""A protection circuit is in the ground path: the cell's - goes to its cell-side pin (B-, record function
``cell_negative``) alone and the circuit's ground is its protected side (P-). A cell whose - is the circuit's
ground bypasses the protection switch, so over-discharge and short-circuit cut-off would not work."""

from __future__ import annotations

import pytest

from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.sim import ngspice_available, simulate
from circuit.spice_netlist import build_deck
from pipelines.design import design


def _run(request: str, library):
    turn = design(request, backend="rules")
    assert not turn.get("stopped"), turn.get("stopped")
    c = Circuit.model_validate(turn["circuit"])
    return turn, c, Netlist(c, library)


def _cell_pins(c: Circuit, library) -> list[str]:
    """The ground terminal of every cell or pack in the design."""
    out = []
    for p in c.parts:
        rec = library[p.type]
        if rec.spice.kind == "battery":
            out += [f"{p.id}:{g.name}" for g in rec.pins_of_type("ground")]
    return out


def _protectors(c: Circuit, library) -> dict[str, str]:
    """part id -> its cell-side pin, for every part with one."""
    return {p.id: next(x.name for x in library[p.type].pins if "cell_negative" in x.functions)
            for p in c.parts if any("cell_negative" in x.functions for x in library[p.type].pins)}


@pytest.mark.parametrize("request_text", [
    "an 18650 cell charged by a TP4056 module running an Arduino Nano",
    "lipo battery with a bms-1s protection board powering a white LED",
    "a lipo cell, a tp4056 charger and a 1s protection board feeding a boost converter to 5 V",
])
def test_the_cell_minus_reaches_only_the_protection_and_the_circuit_ground_is_its_switched_side(request_text, library):
    turn, c, nl = _run(request_text, library)
    assert turn["passed"], turn.get("findings")
    cells, guards = _cell_pins(c, library), _protectors(c, library)
    assert cells and guards, [p.type for p in c.parts]
    assert nl.ground_nets == {"GND"}, nl.ground_nets
    for ep in cells:
        net = nl.net_of(ep)
        peers = {e for e, _ in nl.pins_on(net)} - {ep}
        # the cell's - meets one protector's cell-side pin and nothing else
        assert len(peers) == 1, peers
        (peer,) = peers
        pid, pin = peer.split(":", 1)
        assert guards.get(pid) == pin, peer
        assert net.name not in nl.ground_nets
    # a chain of protectors (a protection board, then a protected charger): each cell-side pin is fed by the
    # protected side of the one before it, never by the circuit's ground
    for pid, pin in guards.items():
        assert nl.net_of(f"{pid}:{pin}").name not in nl.ground_nets
    # and the circuit's ground holds the last protector's switched side
    assert any(nl.net_of(f"{pid}:{g.name}").name == "GND" for pid in guards
               for g in library[c.part(pid).type].pins_of_type("ground") if "cell_negative" not in g.functions)


@pytest.mark.skipif(not ngspice_available(), reason="ngspice not installed")
def test_the_load_current_returns_to_the_cell_through_the_protection_switch(library):
    _, c, nl = _run("an 18650 cell charged by a TP4056 module running an Arduino Nano", library)
    deck = build_deck(c, library, netlist=nl)
    res = simulate(deck.text)
    (cell,) = _cell_pins(c, library)
    (pid, pin), = _protectors(c, library).items()
    i_cell = abs(res.scalar(f"{deck.ammeter[cell]}#branch"))
    i_guard = abs(res.scalar(f"{deck.ammeter[f'{pid}:{pin}']}#branch"))
    assert i_cell > 1e-3  # the board draws from the cell
    assert i_guard == pytest.approx(i_cell, rel=1e-3)  # and all of it passes the protection switch


def test_a_charger_asked_for_by_kind_stays_a_charger(library):
    # a converter named by kind whose input the cell cannot feed is swapped for one of the same kind that takes
    # it; a charger is fed from its charging input, never from the cell, so it is not swapped
    _, c, _ = _run("an 18650 with a charging module and a boost converter giving 5 V", library)
    caps = {cap.capability for p in c.parts for cap in library[p.type].provides}
    assert "li-ion-charge" in caps, [p.type for p in c.parts]
    assert any(library[p.type].supply.v_min is None or library[p.type].supply.v_min <= 3.7
               for p in c.parts if any(cap.capability == "step-up" for cap in library[p.type].provides))
