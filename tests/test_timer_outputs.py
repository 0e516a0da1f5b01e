"""A light that fades or comes on after a delay with no controller (circuit/sizing/blocks/timer_outputs.py, the
planner's 555 delay-on and fading stages, circuit/timer_reading.py): the circuit is read from its wiring, its
behaviour simulated with the values it carries, and the gate holds the design to it; timing capacitors come
from the E6 series."""

from __future__ import annotations

import pytest

from agents.rules.needs import identification_from
from agents.understand.rules import understand_rules
from circuit.sizing.blocks import make_block
from circuit.sizing.optimize import size
from circuit.sizing.spec import Spec
from circuit.timer_reading import answering, read_timers
from circuit.units import e_series_values, parse_value
from tests.circuit_util import circuit
from tests.design_util import run_passing
from tests.test_timer_reading import astable

E6 = e_series_values("E6", 1e-12, 1.0)


def delay_on(r="91k", c="100u", button=False):
    """A 9 V battery, an NE555 delay-on timer (C from the supply to TRIG/THR, R from them to ground, or to a
    start node a button pulls low), one LED lit while OUT is high."""
    parts = [("BT1", "battery-9v"), ("U1", "ne555"), ("R1", "resistor", {"value": r}),
             ("C1", "electrolytic-capacitor", {"value": c}), ("C2", "ceramic-capacitor", {"value": "10n"}),
             ("R3", "resistor", {"value": "680"}), ("D1", "led")]
    wires = [("BT1:+", "U1:VCC"), ("U1:RESET", "U1:VCC"), ("U1:GND", "BT1:-"), ("U1:TRIG", "U1:THR"),
             ("C1:+", "BT1:+"), ("C1:-", "U1:THR"), ("R1:1", "U1:THR"), ("C2:1", "U1:CTRL"), ("C2:2", "BT1:-"),
             ("U1:OUT", "R3:1"), ("R3:2", "D1:+"), ("D1:-", "BT1:-")]
    if button:
        parts += [("R2", "resistor", {"value": "10k"}), ("SW1", "push-button"), ("D2", "1n4148")]
        wires += [("BT1:+", "R2:1"), ("R2:2", "R1:2"), ("SW1:1", "R1:2"), ("SW1:2", "BT1:-"), ("D2:+", "R1:2"),
                  ("D2:-", "U1:THR")]
    else:
        wires.append(("R1:2", "BT1:-"))
    return circuit("555 delay-on", parts, wires)


def fading(cf="150u", rf="11k", rl="200"):
    """A 0.32 Hz NE555 astable whose output, through RF into CF, drives an NPN emitter follower lighting an LED
    through RL."""
    c = astable(ra="10k", rb="220k", c="10u")
    extra = circuit("fade stage", [("R9", "resistor", {"value": rf}), ("C9", "electrolytic-capacitor", {"value": cf}),
                                   ("Q1", "2n2222"), ("R8", "resistor", {"value": rl}), ("D9", "led")],
                    [("U1:OUT", "R9:1"), ("R9:2", "C9:+"), ("C9:-", "BT1:-"), ("Q1:B", "R9:2"), ("Q1:C", "BT1:+"),
                     ("Q1:E", "R8:1"), ("R8:2", "D9:+"), ("D9:-", "BT1:-")])
    c.parts += extra.parts
    c.connections += extra.connections
    return c


def test_a_delay_on_timer_is_read_and_its_delay_simulated(library):
    (t,) = read_timers(delay_on(), library)
    assert t.mode == "delay" and t.method == "SPICE"
    assert t.delay_s == pytest.approx(1.1 * 91e3 * 100e-6, rel=0.05)  # 10 s
    assert t.phases == {"high": ["D1"]}
    assert answering([t], "delay", 10) is t and answering([t], "delay", 20) is None
    assert answering([t], "one-shot", 10) is None and answering([t], "blink") is None


def test_a_button_started_delay_reads_the_same(library):
    (t,) = read_timers(delay_on(r="300k", c="15u", button=True), library)
    assert t.mode == "delay" and answering([t], "delay", 5) is t


def test_a_fading_led_ramps_and_a_blinking_one_does_not(library):
    (t,) = read_timers(fading(), library)
    assert t.mode == "astable" and t.phases.get("fade") == ["D9"]
    assert t.fade["ramp"] > 0.5 and t.fade["depth"] > 0.9 and 5e-3 < t.fade["i_peak"] < 30e-3
    assert answering([t], "fade") is t and answering([t], "fade", 0.3) is t and answering([t], "fade", 1.0) is None
    # a capacitor too small to smooth the output: the LED current steps, it does not fade
    (steps,) = read_timers(fading(cf="1u", rf="1k"), library)
    assert steps.fade and steps.fade["ramp"] < 0.3 and answering([steps], "fade") is None
    # a plain astable blinks its LED: no fade
    (blink,) = read_timers(astable(), library)
    assert not blink.fade and answering([blink], "fade") is None


def test_timing_capacitors_are_e6_values_trimmed_by_the_resistor():
    for t in (2.0, 7.0, 45.0):
        res = size(make_block("ne555_delay", {"vcc": 9.0}), [Spec("delay", "=", t, 0.05)], budget=20)
        assert res.met and min(abs(res.values["C1"] / e - 1) for e in E6) < 1e-6
    for t in (3.0, 45.0):  # the one-shot too (it chose 43 µF, an E24 value, before)
        res = size(make_block("ne555_monostable", {"vcc": 9.0}), [Spec("pulse_width", "=", t, 0.05)], budget=20)
        assert res.met and min(abs(res.values["C1"] / e - 1) for e in E6) < 1e-6


def test_a_pair_of_lights_taking_turns_is_two_lights_that_alternate(library):
    req = understand_rules("a pair of lights that take turns flashing, discrete parts only", library)
    assert [t.behaviour for t in req.timing] == ["alternate"]
    assert [(n.capability, n.count) for n in req.needs] == [("indicator-light", 2)]
    assert not any(n.key and library[n.key].category == "sensor" for n in identification_from(req, library).needs)
    # a sensor named later in the clause is the condition, not the thing that blinks: it stays
    cond = understand_rules("an LED that blinks when light falls on it, no microcontroller", library)
    assert [t.behaviour for t in cond.timing] == ["blink"] and [n.capability for n in cond.needs] == ["sense-light"]


@pytest.mark.parametrize("text, want", [
    ("an LED that fades up and down gently, with no microcontroller", ("fade", None)),
    ("an LED that comes on 10 seconds after the power is switched on, no microcontroller", ("delay", 10.0)),
    ("press a button and an LED comes on 5 seconds later, without a microcontroller", ("delay", 5.0)),
    ("an LED that stays on for 30 seconds after a button press, no microcontroller", ("one-shot", 30.0)),
])
def test_fade_and_delay_are_read_apart_from_a_one_shot(text, want, library):
    (t,) = understand_rules(text, library).timing
    assert (t.behaviour, t.duration_s) == want


def test_a_fading_led_with_no_controller_is_planned_and_passes(library):
    turn, c, _ = run_passing("an LED that fades up and down gently, with no microcontroller",
                             library)
    assert {p.type for p in c.parts} >= {"ne555"} and any(library[p.type].spice.kind == "npn" for p in c.parts)
    met = [m for m in turn["requirements_check"]["met"] if m.startswith("timing fade")]
    assert met and "ramps" in met[0] and "SPICE" in met[0]
    caps = [parse_value(p.attrs["value"], "F") for p in c.parts if library[p.type].spice.kind == "capacitor"]
    assert all(min(abs(v / e - 1) for e in E6) < 1e-6 for v in caps)


@pytest.mark.parametrize("text, figure", [
    ("an LED that comes on 10 seconds after the power is switched on, no microcontroller", "10 s"),
    ("press a button and an LED comes on 5 seconds later, without a microcontroller", "5 s"),
])
def test_a_delayed_light_is_a_delay_on_timer_sized_to_the_time_said(text, figure, library):
    turn, c, _ = run_passing(text, library)
    met = [m for m in turn["requirements_check"]["met"] if m.startswith(f"timing delay at {figure}")]
    assert met and "delay-on of" in met[0] and "SPICE" in met[0]
