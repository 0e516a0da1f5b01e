"""Planner gaps (issues 11 and 18): real requests designed by the rules pipeline, the netlist checked against
what the records say. Written before the fixes.

- servos on a PWM driver share one supply on the driver's servo rail, rated for their summed peaks;
- a bare chip's decoupling companions (record: requires.companions) sit one per supply pin;
- every power source record says what kind of source it is; a stated panel voltage is the panel's;
- a transistor switch switches the load asked for, with no extra LED;
- an outlet is the load a relay switches, and a relay asked for is not read as the outlet.
"""

from __future__ import annotations

import pytest

from agents.rules.power_tree import is_source
from circuit.units import parse_value
from agents.understand.rules import understand_rules
from tests.design_util import run_passing


_run = run_passing


def _servo(rec) -> bool:
    return any(c.capability == "servo-position" for c in rec.provides)


def _limit(rec, pin) -> float | None:
    """What a source pin gives for a moment: its peak rating, else its continuous rating."""
    lims = [x for x in (pin.i_peak, pin.i_max, rec.ratings.i_out_max) if x is not None]
    return pin.i_peak if pin.i_peak is not None else (min(lims) if lims else None)


def test_every_servo_record_states_its_peak_current(library):
    servos = [r for r in library if _servo(r)]
    assert len(servos) >= 2
    for r in servos:
        assert r.requires.peak_current, f"{r.key}: requires.peak_current (stall) is missing"


SERVO_REQUESTS = [
    ("PCA9685 servo driver moving four SG90 servos from an Arduino Uno", "sg90", 4),
    ("Control 4 SG90 servos with an ESP32 through a PCA9685 servo driver", "sg90", 4),
    ("a robot arm: two MG996R servos on a PCA9685 board, driven by an Arduino Nano", "mg996r", 2),
    ("an Arduino Nano and a PCA9685 moving 4 MG996R metal-gear servos", "mg996r", 4),
    ("six MG996R servos on a PCA9685 servo driver controlled by an ESP32", "mg996r", 6),
]


@pytest.mark.parametrize("request_text,servo_key,count", SERVO_REQUESTS, ids=[r[0][:40] for r in SERVO_REQUESTS])
def test_servos_on_a_pwm_driver_share_one_supply_on_its_servo_rail(request_text, servo_key, count, library):
    turn, c, nl = _run(request_text, library)
    servos = [p for p in c.parts if p.type == servo_key]
    drivers = [p for p in c.parts if p.type == "pca9685"]
    assert len(servos) == count and len(drivers) == 1, [p.type for p in c.parts]
    drv = drivers[0]
    srec = library[servo_key]
    sig = next(p.name for p in srec.pins if "pwm" in p.functions)
    vcc = next(p.name for p in srec.pins if p.type == "power_in")
    gnd = next(p.name for p in srec.pins if p.type == "ground")
    # each servo's signal comes from one of the driver's channels, not a controller pin
    for s in servos:
        net = nl.net_of(f"{s.id}:{sig}")
        assert net is not None and any(e.startswith(f"{drv.id}:PWM") for e in net.pins), (s.id, net)
    # all servos on one supply net, which is the driver's V+ (servo) rail
    nets = {nl.net_of(f"{s.id}:{vcc}").name for s in servos}
    assert len(nets) == 1, nets
    rail = nl.net(nets.pop())
    assert f"{drv.id}:V+" in rail.pins, rail.pins
    # one source feeds it, rated for the servos' summed peak current (their records' requires.peak_current)
    feeds = [(e, p) for e, p in nl.pins_on(rail) if p is not None and p.type == "power_out"]
    assert len(feeds) == 1, feeds
    ep, pin = feeds[0]
    src = library[c.part(ep.split(":", 1)[0]).type]
    total = sum(srec.requires.peak_current for _ in servos)
    limit = _limit(src, pin)
    assert limit is not None and limit >= total - 1e-9, (src.key, limit, total)
    v = nl.net_voltage(rail)
    assert v is not None and srec.supply.v_min - 1e-6 <= v <= srec.supply.v_max + 1e-6
    # a common ground: the servos, the driver and the controller
    board = next(p for p in c.parts if library[p.type].is_mcu)
    ground = nl.net_of(f"{drv.id}:GND")
    assert all(nl.net_of(f"{s.id}:{gnd}") is ground for s in servos)
    assert any(e.startswith(board.id + ":") for e in ground.pins)
    assert not turn["repairs"], turn["repairs"]


OWN_SUPPLY = [
    ("three MG996R servos straight on an ESP32's pins", 3),
    ("a pan-tilt-roll head on an Arduino Uno with 4 MG996R servos", 4),
    # six stall peaks of 2.5 A: 15 A, past every adapter; one enclosed 5 V 20 A supply, not six adapters
    ("a hexapod leg rig: six MG996R servos driven by an Arduino Mega", 6),
    ("an Arduino Uno sweeping 6 MG996R servos", 6),
]


@pytest.mark.parametrize("request_text,count", OWN_SUPPLY, ids=[r[0][:40] for r in OWN_SUPPLY])
def test_loads_needing_their_own_supply_share_one_rated_for_their_summed_peak(request_text, count, library):
    """Several loads whose records ask for their own supply (requires.own_supply), on a controller's pins:
    one supply rated for their summed peaks feeds them all (not the board's pin, not one adapter each)."""
    turn, c, nl = _run(request_text, library)
    loads = [p for p in c.parts if library[p.type].requires.own_supply]
    assert len(loads) == count, [p.type for p in c.parts]
    nets = set()
    for p in loads:
        vcc = next(q.name for q in library[p.type].pins if q.type == "power_in")
        nets.add(nl.net_of(f"{p.id}:{vcc}").name)
    assert len(nets) == 1, nets
    rail = nl.net(nets.pop())
    feeds = [(e, p) for e, p in nl.pins_on(rail) if p is not None and p.type == "power_out"]
    assert len(feeds) == 1, feeds
    ep, pin = feeds[0]
    src = library[c.part(ep.split(":", 1)[0]).type]
    assert not src.is_mcu
    total = sum(library[p.type].requires.peak_current for p in loads)
    assert _limit(src, pin) >= total - 1e-9, (src.key, _limit(src, pin), total)
    assert not turn["repairs"], turn["repairs"]


BARE_MCU = [
    "a standalone ATmega328P driving an LED, powered from a 9 V battery",
    "an ATmega328P on a breadboard fed through a 7805 from a 12 V adapter, with a push button",
    "a bare ATtiny85 with an LED, running from a 9 V battery",
]


@pytest.mark.parametrize("request_text", BARE_MCU, ids=["atmega328p-battery", "atmega328p-7805", "attiny85-battery"])
def test_a_bare_chips_decoupling_companions_sit_one_per_supply_pin(request_text, library):
    """Each decoupling capacitor the chip's record declares is placed for it (the plan says whom a part
    serves), between that supply pin's net and ground, at a value inside the record's range."""
    turn, c, nl = _run(request_text, library)
    chips = [p for p in c.parts if library[p.type].is_mcu and library[p.type].requires.companions]
    assert chips, [p.type for p in c.parts]
    serves = {p["id"]: p.get("serves") for p in turn["plan"]["parts"]}
    for chip in chips:
        rec = library[chip.type]
        decs = [x for x in rec.requires.companions if x.kind == "decoupling-capacitor"]
        assert decs, chip.type
        own = [p for p in c.parts if library[p.type].spice.kind == "capacitor" and serves.get(p.id) == chip.id]
        for comp in decs:
            net = nl.net_of(f"{chip.id}:{comp.pins[0]}")
            assert net is not None, f"{chip.id}:{comp.pins[0]} is unwired"
            here = [p for p in own if any(nl.net_of(f"{p.id}:{q}") is net for q in library[p.type].pin_names)]
            assert here, f"no capacitor of {chip.id}'s own on {comp.pins[0]}"
            for cap in here:
                farads = parse_value(cap.attrs["value"], "F")
                assert (comp.min or 0) * 0.99 <= farads <= (comp.max or 1.0), (cap.id, farads)
            own = [p for p in own if p is not here[0]]  # one capacitor per supply pin, not one shared


def test_every_power_source_record_says_what_kind_of_source_it_is(library):
    sources = [r for r in library if is_source(r)]
    assert len(sources) >= 10
    missing = [r.key for r in sources if r.source_kind is None]
    assert not missing, missing
    kinds = {r.source_kind for r in sources}
    assert "solar" in kinds and "usb" in kinds and "battery" in kinds, kinds


PANEL = [
    "a 6 V solar panel charging an 18650 through a CN3791 solar charger that powers an ESP32",
    "keep an 18650 charged from a 6 V panel with a solar charger module",
    "an outdoor sensor node: a 6V panel and a solar Li-ion charger keep an 18650 full, and the cell runs an ESP32",
]


@pytest.mark.parametrize("request_text", PANEL, ids=[r[:40] for r in PANEL])
def test_a_stated_panel_is_the_chargers_input_at_its_own_voltage(request_text, library):
    turn, c, nl = _run(request_text, library)
    panels = [p for p in c.parts if library[p.type].source_kind == "solar"]
    assert len(panels) == 1, [p.type for p in c.parts]
    chargers = [p for p in c.parts if library[p.type].safety.charger]
    assert len(chargers) == 1, [p.type for p in c.parts]
    # nothing else stands in for the panel: no adapter or USB supply, no converter making its voltage
    others = [p.type for p in c.parts if library[p.type].source_kind in ("adapter", "usb", "bench")]
    assert not others, others
    panel = library[panels[0].type]
    plus = next(p.name for p in panel.pins if p.type == "power_out")
    net = nl.net_of(f"{panels[0].id}:{plus}")
    chg = library[chargers[0].type]
    assert any(e == f"{chargers[0].id}:{p.name}" for p in chg.pins if p.type == "power_in" for e in net.pins), net.pins
    assert nl.net_voltage(net) == pytest.approx(6.0)
    # the load (a board) is not on the panel
    assert not any(library[c.part(e.split(':', 1)[0]).type].is_mcu for e in net.pins), net.pins


PANEL_12V = [
    "a 12 V solar panel keeps one 18650 charged through a CN3791",
    "charge a lithium cell from a 12V panel with an MPPT solar charger",
]


@pytest.mark.parametrize("request_text", PANEL_12V, ids=[r[:40] for r in PANEL_12V])
def test_a_panel_stated_at_another_voltage_is_the_record_that_gives_it(request_text, library):
    turn, c, nl = _run(request_text, library)
    panels = [p for p in c.parts if library[p.type].source_kind == "solar"]
    assert len(panels) == 1, [p.type for p in c.parts]
    plus = next(p.name for p in library[panels[0].type].pins if p.type == "power_out")
    assert nl.net_voltage(nl.net_of(f"{panels[0].id}:{plus}")) == pytest.approx(12.0)


GENERIC_SOURCE = [
    "a buck module makes 5 V for an LED strip out of a 12 V source; the board runs from its own USB cable",
    "step a 12V source down to 5 V with a buck converter for a servo",
]


@pytest.mark.parametrize("request_text", GENERIC_SOURCE, ids=[r[:40] for r in GENERIC_SOURCE])
def test_a_voltage_before_a_word_every_source_answers_to_names_no_source(request_text, library):
    """"a 6 V panel" names the panel (only solar sources answer to "panel"); "a 12 V source" or "supply" is a
    word every kind of source answers to, so it names no kind: never a battery the request did not mention."""
    req = understand_rules(request_text, library)
    batteries = [p for p in req.named_parts if is_source(library[p.key]) and library[p.key].source_kind == "battery"]
    assert not batteries, [(p.key, p.words) for p in batteries]


def test_a_cell_beside_a_charger_that_does_not_protect_gets_a_protection_board_not_a_second_charger(library):
    turn, c, nl = _run("a CN3791 solar charger and a 6 V panel looking after a single 18650 that feeds an LED", library)
    chargers = [p for p in c.parts if library[p.type].safety.charger]
    assert [p.type for p in chargers] == ["cn3791-solar-charger"], [p.type for p in c.parts]
    guards = [p for p in c.parts if library[p.type].safety.cell_protection]
    assert len(guards) == 1, [p.type for p in c.parts]
    cell = next(p for p in c.parts if library[p.type].safety.cell)
    # the cell sits on the protection board's input; the charger charges through the protected side
    guard = library[guards[0].type]
    b_in = next(p.name for p in guard.pins if p.type == "power_in")
    p_out = next(p.name for p in guard.pins if p.type == "power_out")
    plus = next(p.name for p in library[cell.type].pins if p.type == "power_out")
    assert nl.net_of(f"{cell.id}:{plus}") is nl.net_of(f"{guards[0].id}:{b_in}")
    bat = next(p.name for p in library["cn3791-solar-charger"].pins if p.name == "BAT+")
    assert nl.net_of(f"{chargers[0].id}:{bat}") is nl.net_of(f"{guards[0].id}:{p_out}")


SWITCHED = [
    ("an active buzzer driven through an NPN transistor from an Arduino Uno", "active-buzzer"),
    ("use a transistor switch so an Arduino Nano can sound a buzzer", "buzzer"),
    ("an ESP32 sounds an active buzzer through a 2N2222 transistor switch", "active-buzzer"),
]


@pytest.mark.parametrize("request_text,load", SWITCHED, ids=[r[0][:40] for r in SWITCHED])
def test_a_transistor_switch_switches_the_asked_load_and_adds_no_led(request_text, load, library):
    turn, c, nl = _run(request_text, library)
    leds = [p.type for p in c.parts if library[p.type].spice.kind == "led"]
    assert not leds, [p.type for p in c.parts]
    switches = [p for p in c.parts if library[p.type].spice.kind in ("npn", "pnp", "nmos")]
    assert len(switches) <= 1, [p.type for p in c.parts]
    if load is not None:
        # the named load is what the one transistor switches
        assert len(switches) == 1, [p.type for p in c.parts]
        q = switches[0]
        loads = [p for p in c.parts if p.type == load]
        assert len(loads) == 1
        collector = next(p.name for p in library[q.type].pins if p.name.upper().startswith(("C", "D")))
        assert any(e.startswith(loads[0].id + ":") for e in nl.net_of(f"{q.id}:{collector}").pins)


SWITCH_WORDS = [
    "an ESP32 with a relay output for the garden pump",
    "mains control from an ESP32: a relay turning a heater on at night",
    "an Arduino Uno with a relay to switch mains power",
]


@pytest.mark.parametrize("request_text", SWITCH_WORDS, ids=[r[:40] for r in SWITCH_WORDS])
def test_words_for_the_switch_do_not_name_the_outlet(request_text, library):
    """The outlet record is the load end; words about the switch (a relay output, mains control) name the
    relay, never the outlet."""
    req = understand_rules(request_text, library)
    named = {p.key: p.words for p in req.named_parts}
    assert "ac-power-output" not in named, named


OUTLETS = [
    "an Arduino Uno turning a 230 V outlet on when an LDR sees darkness",
    "switch a mains socket on and off from an ESP32 with a relay module",
]


@pytest.mark.parametrize("request_text", OUTLETS, ids=[r[:40] for r in OUTLETS])
def test_an_outlet_asked_for_is_the_load_a_relay_switches(request_text, library):
    turn, c, nl = _run(request_text, library)
    outlets = [p for p in c.parts if p.type == "ac-power-output"]
    relays = [p for p in c.parts if library[p.type].isolation]
    assert outlets and relays, [p.type for p in c.parts]
    live = next(p.name for p in library["ac-power-output"].pins if "mains_live" in p.functions)
    net = nl.net_of(f"{outlets[0].id}:{live}")
    assert any(e.split(":", 1)[0] == relays[0].id for e in net.pins), net.pins


USB_OUT = [
    ("a USB-A socket giving 5 V from a single 18650 cell", 3.7),
    ("a USB charging socket for a music player, powered from a pair of AA batteries", 3.0),
]


@pytest.mark.parametrize("request_text,source_v", USB_OUT, ids=[r[0][:40] for r in USB_OUT])
def test_a_usb_output_above_its_source_gets_a_step_up_to_its_rated_voltage(request_text, source_v, library):
    """A load whose record's supply range sits above the source (a USB socket: 4.75-5.25 V) runs on a
    converter of the kind that makes it: a boost (record: conversion) from the lower source."""
    turn, c, nl = _run(request_text, library)
    sockets = [p for p in c.parts if any(cap.capability == "usb-output" for cap in library[p.type].provides)]
    assert len(sockets) == 1, [p.type for p in c.parts]
    rec = library[sockets[0].type]
    vbus = next(p.name for p in rec.pins if p.type == "power_in")
    net = nl.net_of(f"{sockets[0].id}:{vbus}")
    v = nl.net_voltage(net)
    assert v is not None and rec.supply.v_min - 1e-6 <= v <= rec.supply.v_max + 1e-6, v
    feeds = [library[c.part(e.split(":", 1)[0]).type] for e, p in nl.pins_on(net) if p is not None and p.type == "power_out"]
    assert feeds and all(f.conversion in ("boost", "buck-boost") for f in feeds), [f.key for f in feeds]
    assert not any(library[p.type].is_mcu for p in c.parts), [p.type for p in c.parts]


SOUND_RELAY = [
    ("switch a relay module when a loud bang is heard, no microcontroller", True),
    ("an ESP32 that clicks a relay module when somebody claps", False),
]


@pytest.mark.parametrize("request_text,bare", SOUND_RELAY, ids=[r[0][:40] for r in SOUND_RELAY])
def test_a_sound_switched_relay_gets_a_microphone_with_a_usable_output_and_its_input_driven(request_text, bare, library):
    turn, c, nl = _run(request_text, library)
    mics = [p for p in c.parts if any(cap.capability == "sense-sound" for cap in library[p.type].provides)]
    assert len(mics) == 1, [p.type for p in c.parts]
    mic = library[mics[0].type]
    assert not mic.requires.small_signal, mic.key  # not a bare capsule's millivolts
    relays = [p for p in c.parts if library[p.type].requires.required_pins and library[p.type].isolation]
    assert len(relays) == 1, [p.type for p in c.parts]
    rin = library[relays[0].type].requires.required_pins[0]
    net = nl.net_of(f"{relays[0].id}:{rin}")
    assert net is not None and len(net.pins) >= 2, net
    if bare:
        # no controller: the sensor's own switching output drives the relay's input
        out = next(p.name for p in mic.pins if p.type == "digital_out")
        assert f"{mics[0].id}:{out}" in net.pins, net.pins


def test_a_bare_capsule_says_its_output_needs_a_stage(library):
    assert any(r.requires.small_signal for r in library if any(c.capability == "sense-sound" for c in r.provides))
