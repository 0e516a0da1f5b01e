"""Which way a sensor switches the output (circuit/trigger_check.py): simulated at both ends of the
sensor's range, held to the requirement's stated end by the requirement gate, and repaired by swapping
the sensor with its divider partner; understanding reads the end the request names."""

from __future__ import annotations

import pytest

from agents.understand.requirements import Constraints, Requirements, Trigger
from agents.understand.rules import understand_rules
from circuit.fixes import apply_fixes
from circuit.requirement_gate import check_requirements
from circuit.trigger_check import read_switching
from tests.circuit_util import circuit


def ldr_switch(sensor_on_top: bool, controller: bool = False):
    """A 9 V battery, an LDR and a 10 kΩ resistor dividing into an NPN's base; the NPN sinks a buzzer."""
    top, bottom = ("R1", "R2") if sensor_on_top else ("R2", "R1")
    parts = [("BT1", "battery-9v"), ("R1", "ldr"), ("R2", "resistor", {"value": "10k"}), ("Q1", "bc547"),
             ("BZ1", "active-buzzer"), ("U2", "lm7805")]
    wires = [("BT1:+", "U2:IN"), ("BT1:-", "U2:GND"), ("U2:OUT", "BZ1:+"), ("BZ1:-", "Q1:C"), ("Q1:E", "BT1:-"),
             ("BT1:+", f"{top}:1"), (f"{top}:2", "Q1:B"), (f"{bottom}:1", "Q1:B"), (f"{bottom}:2", "BT1:-")]
    if controller:
        parts.append(("U1", "arduino-nano"))
        wires += [("U1:A0", "Q1:B"), ("U1:GND", "BT1:-")]
    return circuit("ldr switch", parts, wires)


def trigger(when):
    return Requirements(constraints=Constraints(no_controller=True),
                        triggers=[Trigger(capability="sense-light", when=when, words="when light falls on it")])


def test_the_simulation_reads_which_end_turns_the_output_on(library):
    dark = read_switching(ldr_switch(sensor_on_top=False), library)
    bright = read_switching(ldr_switch(sensor_on_top=True), library)
    assert dark.sensors == ["R1"] and [o.pid for o in dark.outputs] == ["BZ1"]
    assert [o.pid for o in dark.switching("low")] == ["BZ1"] and not dark.switching("high")
    assert [o.pid for o in bright.switching("high")] == ["BZ1"] and not bright.switching("low")
    # with a controller the firmware decides: nothing to simulate
    assert read_switching(ldr_switch(sensor_on_top=False, controller=True), library) is None


def test_a_switch_that_does_the_opposite_fails_and_the_swap_repairs_it(library):
    wrong = ldr_switch(sensor_on_top=False)  # buzzes in the dark
    check = check_requirements(wrong, trigger("high"), library)
    bad = [f for f in check.findings if f.rule == "REQ-TRIGGER-REVERSED"]
    assert bad and bad[0].severity.value == "Major" and "R1" in bad[0].where and "BZ1" in bad[0].message
    fixed, applied = apply_fixes(wrong, bad, library)
    assert applied, bad[0].fix
    again = check_requirements(fixed, trigger("high"), library)
    assert not [f for f in again.findings if f.rule.startswith("REQ-TRIGGER")]
    assert any(m.startswith("on when light is high") for m in again.met)
    # the asked end met as built
    assert not check_requirements(wrong, trigger("low"), library).findings


def test_an_output_that_does_not_switch_fails(library):
    c = ldr_switch(sensor_on_top=False)
    c.connections = [w for w in c.connections if "Q1:B" not in (w.source, w.target) or "R2" in w.source + w.target]
    check = check_requirements(c, trigger("low"), library)
    assert [f.rule for f in check.findings] == ["REQ-TRIGGER-NO-SWITCH"]


def test_a_comparator_is_simulated_as_one(library):
    """An LM393 (open collector) sinking an LED: the LDR on IN+ against a mid-supply reference lights the
    LED while IN+ is below the reference, in the dark."""
    c = circuit("comparator", [
        ("BT1", "battery-9v"), ("U1", "lm393"), ("R1", "ldr"), ("R2", "resistor", {"value": "47k"}),
        ("R3", "resistor", {"value": "10k"}), ("R4", "resistor", {"value": "10k"}),
        ("R5", "resistor", {"value": "470"}), ("LED1", "led")],
        [("BT1:+", "U1:VCC"), ("BT1:-", "U1:GND"), ("BT1:+", "R1:1"), ("R1:2", "R2:1"), ("R2:2", "BT1:-"),
         ("R1:2", "U1:1IN+"), ("BT1:+", "R3:1"), ("R3:2", "R4:1"), ("R4:2", "BT1:-"), ("R3:2", "U1:1IN-"),
         ("BT1:+", "R5:1"), ("R5:2", "LED1:+"), ("LED1:-", "U1:1OUT")])
    reading = read_switching(c, library)
    assert [o.pid for o in reading.switching("low")] == ["LED1"]


@pytest.mark.parametrize("text, capability, when", [
    ("a chime that rings once daylight reaches the box, no microcontroller", "sense-light", "high"),
    ("switch a small fan on when the loft overheats, with a thermistor and no microcontroller", "sense-temperature", "high"),
    ("no arduino: a red LED lights when the shed is freezing, thermistor based", "sense-temperature", "low"),
    ("sound a beeper once the garden grows dark, no microcontroller", "sense-light", "low"),
    # the day's end and start, read by meaning against the records' end texts
    ("with an LDR, light a lamp when the sun sets over the yard; no microcontroller", "sense-light", "low"),
    ("a photoresistor circuit that turns a red LED on at nightfall, no arduino", "sense-light", "low"),
    ("an LDR nightlight that comes on when the bedroom lights go out", "sense-light", "low"),
    ("an LDR alarm that rings once the sun rises, without a microcontroller", "sense-light", "high"),
])
def test_the_end_a_request_names_is_read(library, text, capability, when):
    req = understand_rules(text, library)
    assert [(t.capability, t.when) for t in req.triggers] == [(capability, when)], req.triggers
    assert f"trigger:{when}" in req.preferences


def test_no_end_is_read_where_none_is_named(library):
    assert understand_rules("an LDR and a buzzer, no microcontroller", library).triggers == []
