"""No controller: the button the request names switches the load itself (agents/rules/manual_switch.py)."""

from __future__ import annotations

from circuit.model import Circuit
from pipelines.design import design


def _design(text: str) -> Circuit:
    turn = design(text, backend="rules")
    assert not turn.get("stopped"), turn.get("stopped")
    assert turn["passed"], [f["message"] for f in turn["findings"] if f["severity"] in ("Critical", "Major")]
    return Circuit.model_validate(turn["circuit"])


def _touching(c: Circuit, pid: str) -> set[str]:
    """Parts wired directly to any pin of ``pid``."""
    out = set()
    for w in c.connections:
        a, b = w.source.split(":")[0], w.target.split(":")[0]
        if a == pid:
            out.add(b)
        elif b == pid:
            out.add(a)
    return out


def test_a_button_within_its_rating_is_in_the_load_supply_line(library):
    c = _design("a push button sounds an active buzzer, no microcontroller")
    types = {p.id: p.type for p in c.parts}
    assert not any(library[t].is_mcu for t in types.values())
    sw = next(p.id for p in c.parts if p.type == "push-button")
    bz = next(p.id for p in c.parts if library[p.type].designator == "BZ")
    rec_sw, rec_bz = library["push-button"], library[types[bz]]
    assert (rec_bz.ratings.i_rated or rec_bz.supply.current_max) <= rec_sw.ratings.i_rated
    near = _touching(c, sw)
    assert bz in near and any(library[types[p]].category == "power" for p in near)


def test_a_load_above_the_contact_rating_goes_through_a_transistor(library):
    c = _design("hold a button to run a coin vibration motor, no microcontroller")
    types = {p.id: p.type for p in c.parts}
    sw = next(p.id for p in c.parts if p.type == "push-button")
    motor = next(p.id for p in c.parts if types[p.id] == "vibration-motor")
    assert library["vibration-motor"].ratings.i_stall > library["push-button"].ratings.i_rated
    bjts = [p.id for p in c.parts if library[p.type].spice.kind in ("npn", "nmos")]
    assert bjts and motor in _touching(c, bjts[0])  # the transistor carries the motor
    assert sw not in _touching(c, motor)  # the contact is not in the motor's path
