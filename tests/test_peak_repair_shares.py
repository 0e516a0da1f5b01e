"""The peak-current repair moves loads onto a supply already added when it has room for their peaks, rather
than one new adapter per load (four micro servos got three 5 V 2 A adapters, one each)."""

from __future__ import annotations

import pytest

from circuit.model import Circuit
from circuit.netlist import Netlist
from pipelines.design import design


def _adapters_feeding(library, c: Circuit, nl: Netlist, loads: list[str]) -> set[str]:
    out = set()
    for pid in loads:
        rec = library[c.part(pid).type]
        vcc = next(p.name for p in rec.pins if p.type == "power_in")
        for ep, pin in nl.pins_on(nl.net_of(f"{pid}:{vcc}")):
            src = c.part(ep.split(":", 1)[0])
            srec = library[src.type]
            if pin is not None and pin.type == "power_out" and srec.category == "power" \
                    and srec.spice.kind == "battery" and srec.ratings.capacity_ah is None:
                out.add(src.id)
    return out


@pytest.mark.parametrize("text", ["control 4 servos with potentiometers for a robot arm",
                                  "an arduino uno moving four micro servos, one per knob"])
def test_servos_moved_off_a_weak_rail_share_one_adapter(library, text):
    turn = design(text, backend="rules")
    c = Circuit.model_validate(turn["circuit"])
    nl = Netlist(c, library)
    servos = [p.id for p in c.parts if any(x.capability == "servo-position" for x in library[p.type].provides)]
    assert len(servos) == 4, [p.type for p in c.parts]
    feeding = _adapters_feeding(library, c, nl, servos)
    assert len(feeding) <= 1, feeding
    assert turn["passed"], [f["message"] for f in turn["findings"] if f["severity"] in ("Critical", "Major")]
