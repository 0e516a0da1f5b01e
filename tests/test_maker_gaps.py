"""Everyday maker loads and a named programmable part as the controller (maker-gaps lane).

- a load fed at one common pin with a switched return per channel (a common-anode RGB strip) gets one
  low-side N-MOSFET per channel, each drain on its own channel pin, the common pin on a rail its record takes;
- a plain single-colour strip is a load switched low-side, never an addressable strip;
- a named part whose record says it runs its own firmware (``programmable``) is the design's controller when
  no board is named, with its loads on its own GPIOs; beside a named board it stays a module; when it cannot
  place everything a board runs the design.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agents.rules.identify_rules import understand_and_identify
from agents.rules.mentions import mention_index
from agents.rules.planner import plan_rules
from circuit.firmware.sketch import generate_sketch
from circuit.switch_choice import choose_switch
from knowledge.record import ComponentRecord
from tests.design_util import run_passing


def _plan(text, library):
    _, ident = understand_and_identify(text, library)
    return ident, plan_rules(ident, library, text)


def _wired(plan, a: str, b: str) -> bool:
    """Whether two endpoints share a net in the plan's wires (union of wire pairs)."""
    parent: dict[str, str] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for w in plan.wires:
        parent[find(w.a)] = find(w.b)
    return find(a) == find(b)


RGB_STRIPS = [
    "Arduino Uno fading a 12V common anode RGB LED strip",
    "an Arduino Nano mixing colours on an analog RGB LED strip",
]


@pytest.mark.parametrize("text", RGB_STRIPS, ids=[t[:40] for t in RGB_STRIPS])
def test_each_channel_of_a_common_anode_strip_gets_its_own_low_side_mosfet(text, library):
    turn, c, nl = run_passing(text, library)
    strips = [p for p in c.parts if p.type == "rgb-led-strip-12v"]
    assert len(strips) == 1, [p.type for p in c.parts]
    sid = strips[0].id
    fets = [p for p in c.parts if library[p.type].spice.kind == "nmos"]
    assert len(fets) == 3, [p.type for p in c.parts]
    for ch in ("R", "G", "B"):
        net = nl.net_of(f"{sid}:{ch}").pins
        drains = [f for f in fets if f"{f.id}:D" in net or any(e.startswith(f.id + ":") and e.split(":")[1].upper()
                                                                   .startswith("D") for e in net)]
        assert len(drains) == 1, (ch, sorted(net))
    assert not any(library[p.type].spice.kind == "led" for p in c.parts)  # no series resistors, no stand-in LED


def test_a_plain_strip_is_switched_low_side_and_is_no_addressable_strip(library):
    ident, plan = _plan("an Arduino Uno dimming a 12 V white LED strip", library)
    types = {p.type for p in plan.parts}
    assert "led-strip-12v" in types and "ws2812b" not in types, types
    strip = next(p for p in plan.parts if p.type == "led-strip-12v")
    fet = next(p for p in plan.parts if library[p.type].spice.kind == "nmos")
    assert _wired(plan, f"{strip.id}:-", f"{fet.id}:D"), plan.wires


def test_a_rating_written_with_a_space_still_names_the_longer_part(library):
    spotted = [m.keys for m in mention_index(library).spot("a plain 12 V LED strip on a shelf")]
    assert ["led-strip-12v"] in spotted, spotted


def test_a_named_nmos_is_the_switch_even_for_a_small_load(library):
    choice = choose_switch(library, 12.0, 0.2, 5.0, 0.04, named=("irlz44n",))
    assert choice is not None and choice.kind == "nmos" and choice.key == "irlz44n"
    assert choose_switch(library, 12.0, 0.2, 5.0, 0.04).kind == "npn"  # unnamed: a small load keeps its NPN


@pytest.mark.parametrize("text,load", [("an ESP8266 that reads a DHT22", "dht22"),
                                       ("an ESP8266 switching a 5V relay module", "relay-module")])
def test_a_named_programmable_module_is_the_controller_when_no_board_is_named(text, load, library):
    ident, plan = _plan(text, library)
    assert ident.board == "esp-01"
    assert not any(library[p.type].is_mcu for p in plan.parts), [p.type for p in plan.parts]
    esp = next(p for p in plan.parts if p.type == "esp-01")
    assert any(u.pin.startswith(esp.id + ":") for u in plan.pins)  # the load is on the module's own GPIO
    part = next(p for p in plan.parts if p.type == load)
    assert any(_wired(plan, u.pin, f"{part.id}:{pin.name}") for u in plan.pins for pin in library[load].pins
               if pin.type in ("digital_in", "digital_io", "digital_out")), plan.wires
    # fed from a rail inside its 3.0-3.6 V supply range, not the 5 V a board would give
    fed = [r for r in plan.rails if _wired(plan, r.source, f"{esp.id}:VCC")]
    assert fed and all(3.0 <= r.volts <= 3.6 for r in fed), plan.rails
    assert not plan.unmet, plan.unmet


def test_beside_a_named_board_the_module_stays_a_module(library):
    ident, plan = _plan("Arduino Uno using an ESP-01 as its Wi-Fi modem to post DHT22 readings", library)
    assert ident.board == "arduino-uno"


def test_a_module_that_cannot_place_everything_hands_the_design_to_a_board(library):
    ident, plan = _plan("FTDI USB-serial adapter flashing an ESP-01", library)
    assert not plan.unmet, plan.unmet
    assert any(library[p.type].is_mcu for p in plan.parts)
    assert ident.board is not None and library[ident.board].is_mcu


def test_programmable_is_for_a_module_with_gpios_not_a_board(library):
    data = library["arduino-uno"].model_dump()
    data["programmable"] = True
    with pytest.raises(ValidationError):
        ComponentRecord.model_validate(data)
    assert library["esp-01"].programmable and not library["esp-01"].is_mcu


def test_the_module_running_the_design_gets_the_starter_firmware(library):
    turn, c, nl = run_passing("an ESP8266 that reads a DHT22", library)
    assert not any(library[p.type].is_mcu for p in c.parts)
    sketch = generate_sketch(c, library)
    assert sketch is not None and sketch.board == "esp-01" and sketch.info.arch == "esp8266", sketch


@pytest.mark.parametrize("text, key", [("a twelve-ish 12 volt pump for the pond", "water-pump-12v"),
                                       ("two 12 volts fans over the rack", "fan-12v")])
def test_a_rating_with_its_unit_written_out_still_names_the_part(text, key, library):
    spotted = [m for m in mention_index(library).spot(text) if m.keys == [key]]
    assert spotted, [m.keys for m in mention_index(library).spot(text)]
    assert "volt" in spotted[0].text  # the phrase is the request's own words


def test_a_load_rated_inside_its_supply_window_runs_at_its_rating(library):
    # a 12 V fan takes 7-13.8 V: a 12 V adapter feeds it directly, no 24 V adapter and converter down to 13.8 V
    _, plan = _plan("a 12V case fan that an arduino uno switches on when the shed gets warm", library)
    types = {p.type for p in plan.parts}
    assert "fan-12v" in types and "power-supply-12v" in types
    assert not types & {"power-supply-24v", "lm2596-buck-converter"}, types
