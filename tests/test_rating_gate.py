"""Stated quantities against the parts' ratings (circuit/rating_gate.py through the requirement gate), on real
circuits and on designs the pipeline makes from a request."""

from __future__ import annotations

import pytest

from agents.understand.requirements import Constraints, NamedPart, PowerSource, Requirements
from agents.understand.rules import understand_rules
from circuit.part_ratings import current_limit, input_limit
from circuit.requirement_gate import check_requirements


def doc(parts, wires):
    return {"version": 1, "title": "t", "parts": [{"id": i, "type": t, "attrs": a} for i, t, a in parts],
            "connections": [[a, b, "green", []] for a, b in wires]}


def rating_findings(check):
    return [f for f in check.findings if f.rule.startswith("REQ-RATING")]


BUCK = doc([("PS1", "power-supply-12v", {}), ("U2", "lm2596-buck-converter", {}), ("U1", "raspberry-pi-pico", {})],
           [("PS1:+", "U2:IN+"), ("PS1:-", "U2:IN-"), ("U2:OUT+", "U1:VSYS"), ("U2:OUT-", "U1:GND")])


def runs_from(volts: float, kind="unknown") -> Requirements:
    return Requirements(constraints=Constraints(source=PowerSource(kind=kind, volts=volts, words=f"{volts:g} V")))


def test_the_input_stage_must_be_rated_for_the_stated_voltage(library):
    # the design puts a 12 V supply in front of a 40 V buck; the request says 48 V comes in
    check = check_requirements(BUCK, runs_from(48), library)
    [f] = rating_findings(check)
    assert f.rule == "REQ-RATING-INPUT" and f.severity.value == "Major" and "U2" in f.where
    assert "48 V" in f.message and "40 V" in f.message and "PS1" in f.message  # stated, rated, and what stands in
    assert "No converter in the library is rated for 48 V" in f.message and f.fix is None
    assert not check.passed
    for ok in (12, 24, 36):  # within the buck's 40 V: met, and said so
        check = check_requirements(BUCK, runs_from(ok), library)
        assert not rating_findings(check) and any(m.startswith("rating: runs from") for m in check.met)


def test_a_board_on_its_usb_port_takes_the_stated_input_itself(library):
    esp = doc([("U1", "esp32-devkit-v1", {}), ("PS1", "power-supply-24v", {}), ("U2", "dht22", {})],
              [("U1:3V3", "U2:VCC"), ("U1:GND", "U2:GND"), ("U1:D4", "U2:DATA")])
    [f] = rating_findings(check_requirements(esp, runs_from(24), library))
    assert f.where[0] == "U1" and "12 V" in f.message  # the DevKit's recommended input top
    assert f.fix.startswith("add_part(") and "converter rated for it" in f.message
    conv = library[f.fix[len("add_part("):-1]]  # one that takes 24 V in and gives what the DevKit takes
    assert input_limit(conv) >= 24 and conv.conversion != "boost"
    assert conv.ratings.v_out_adjustable or 4.5 <= conv.ratings.v_out <= 12
    assert "mt3608" not in f.message  # a step-up cannot bring 24 V down
    assert not rating_findings(check_requirements(esp, runs_from(5, "usb"), library))
    # mains is the hazard checks' (an AC load voltage, not what the board runs from)
    assert not rating_findings(check_requirements(esp, runs_from(230, "mains"), library))


def test_a_converter_that_cannot_take_the_input_is_replaced_by_one_that_can(library):
    mini = doc([("PS1", "power-supply-24v", {}), ("U2", "mini-360-buck-converter", {}), ("U1", "raspberry-pi-pico", {})],
               [("PS1:+", "U2:IN+"), ("PS1:-", "U2:IN-"), ("U2:OUT+", "U1:VSYS"), ("U2:OUT-", "U1:GND")])
    [f] = rating_findings(check_requirements(mini, runs_from(24), library))
    assert f.fix is not None and f.fix.startswith("replace_part(U2, ")
    alt = library[f.fix.split(", ")[1].rstrip(")")]
    assert input_limit(alt) >= 24 and alt.pins_of_type("power_out")


MOTOR = doc([("U1", "arduino-nano", {}), ("U2", "l298n", {}), ("M1", "dc-motor", {}), ("PS1", "power-supply-12v", {})],
            [("U1:D5", "U2:IN1"), ("U1:D6", "U2:IN2"), ("U2:OUT1", "M1:+"), ("U2:OUT2", "M1:-"),
             ("PS1:+", "U2:12V"), ("PS1:-", "U2:GND"), ("U1:GND", "U2:GND")])


def motor_drawing(amps: str) -> Requirements:
    return Requirements(named_parts=[NamedPart(key="dc-motor", words="a motor", attrs={"current": amps})])


def test_a_loads_current_against_the_driver_on_its_path(library):
    check = check_requirements(MOTOR, motor_drawing("3 A"), library)
    found = rating_findings(check)
    assert found and {f.rule for f in found} == {"REQ-RATING-CURRENT"} and not check.passed
    assert all("U2" in f.where and "2 A" in f.message and "3 A" in f.message for f in found)
    alt = library[found[0].fix.split(", ")[1].rstrip(")")]  # a driver that does the same job, rated for it
    assert {c.capability for c in alt.provides} & {c.capability for c in library["l298n"].provides}
    assert max(current_limit(alt, p) or 0 for p in alt.pins) >= 3
    check = check_requirements(MOTOR, motor_drawing("1.5 A"), library)
    assert not rating_findings(check) and any("U2:OUT1" in m for m in check.met)
    # 20 A: no driver in the library that does the L298N's job is rated for it beyond the BTS7960 (43 A) ...
    assert "bts7960" in rating_findings(check_requirements(MOTOR, motor_drawing("20 A"), library))[0].fix
    # ... and 60 A is beyond every one: the design says so instead of naming a part
    f = rating_findings(check_requirements(MOTOR, motor_drawing("60 A"), library))[0]
    assert f.fix is None and "no part in the library" in f.message


def test_an_led_current_against_its_own_rating_and_the_pin_through_its_resistor(library):
    led = doc([("U1", "arduino-nano", {}), ("R1", "resistor", {"value": "150"}), ("LED1", "led", {})],
              [("U1:D4", "R1:1"), ("R1:2", "LED1:+"), ("LED1:-", "U1:GND")])
    req = Requirements(named_parts=[NamedPart(key="led", words="an LED", attrs={"current": "60 mA"})])
    found = rating_findings(check_requirements(led, req, library))
    where = sorted(w for f in found for w in f.where)
    assert len(found) == 2 and "LED1" in where and "U1" in where  # the LED's 30 mA and the pin's 20 mA
    pin = next(f for f in found if "U1" in f.where)
    assert "D4" in pin.message and "20 mA" in pin.message and "transistor" in pin.message
    req.named_parts[0].attrs["current"] = "10 mA"
    assert not rating_findings(check_requirements(led, req, library))


def test_a_charger_against_the_battery_it_charges(library):
    chg = doc([("BT1", "battery-generic", {}), ("U1", "tp4056", {}), ("J1", "usb-5v-supply", {})],
              [("J1:5V", "U1:IN+"), ("J1:GND", "U1:IN-"), ("U1:BAT+", "BT1:+"), ("U1:BAT-", "BT1:-")])
    lead_acid = Requirements(constraints=Constraints(source=PowerSource(kind="battery", key="battery-generic",
                                                                        volts=12, words="a 12 V battery")))
    found = [f for f in rating_findings(check_requirements(chg, lead_acid, library)) if f.rule == "REQ-RATING-CHARGE"]
    assert len(found) == 1 and "4.2 V" in found[0].message and "12 V" in found[0].message
    cell = lead_acid.model_copy(deep=True)
    cell.constraints.source.volts = 3.7
    assert not [f for f in rating_findings(check_requirements(chg, cell, library)) if f.rule == "REQ-RATING-CHARGE"]


@pytest.mark.parametrize("request_, key, amps", [
    ("drive a 3 A DC motor from an ESP32", "dc-motor", "3 A"),
    ("an Uno and a motor that draws 2.5 A", "dc-motor", "2.5 A"),
    ("a Nano lighting an LED at 60 mA", "led", "0.06 A"),
    ("Uno running a 12 V pump that pulls 8 A", "water-pump-12v", "8 A"),
])
def test_understanding_reads_a_loads_stated_current(library, request_, key, amps):
    req = understand_rules(request_, library)
    assert req.named(key) is not None and req.named(key).attrs.get("current") == amps


def test_a_source_or_board_current_is_not_a_load_current(library):
    req = understand_rules("an ESP32 and a fan on a 12 V 5 A power supply", library)
    assert all("current" not in p.attrs for p in req.named_parts)


@pytest.mark.parametrize("request_, volts", [("LM2596 module taking 48 V down to 5 V", 48.0),
                                             ("800 V DC to 12 V buck converter", 800.0)])
def test_understanding_reads_what_a_named_converter_takes_in(library, request_, volts):
    src = understand_rules(request_, library).constraints.source
    assert src is not None and src.volts == volts


@pytest.mark.parametrize("request_, passes", [
    ("solar panel at 6 V charging an 18650 cell through a CN3791", True),  # the cell's BMS is no input stage
    ("L9110S driving a 2 A motor from an Arduino Nano", False),  # the named driver is rated 0.8 A
    ("LM2596 module taking 48 V down to 5 V", False),             # the named buck takes at most 40 V
    ("ESP32 with a DRV8833 driving a small 0.5 A motor", True),  # 1.5 A driver: met
])
def test_real_designs_pass_only_when_the_stated_ratings_are_met(request_, passes, tmp_path, monkeypatch):
    monkeypatch.setenv("CIRCUITSMITH_HOME", str(tmp_path))
    from pipelines.design import design

    turn = design(request_, backend="rules")
    rating = [f for f in turn.get("findings") or [] if f["rule"].startswith("REQ-RATING")]
    assert bool(turn.get("passed")) is passes
    assert bool(rating) is not passes
    if rating:
        assert all(f["severity"] == "Major" and "rated for at most" in f["message"] for f in rating)


def test_the_planner_sizes_a_load_by_its_stated_current(library):
    from agents.rules.load_switch import load_ratings

    motor = library["dc-motor"]
    v, i, own_peak = load_ratings(motor, {})
    assert i == motor.ratings.i_rated and own_peak >= motor.ratings.i_stall
    v, i, peak = load_ratings(motor, {"current": "5 A"})  # the user's motor, not the record's stand-in
    assert i == 5.0 and peak == 5.0
    assert load_ratings(motor, {"current": "0.1 A"})[2] == own_peak  # the record's stall stays
    assert load_ratings(motor, {"current": "lots"})[1] == motor.ratings.i_rated


def test_a_supply_asked_for_a_part_beyond_its_rating(library):
    def on(key, volts):
        req = Requirements(named_parts=[NamedPart(key=key, words=key, attrs={"supply": f"{volts} V"})])
        return rating_findings(check_requirements(BUCK, req, library))

    [f] = on("raspberry-pi-pico", 12)
    assert f.rule == "REQ-RATING-SUPPLY" and "5.5 V" in f.message and "12 V" in f.message
    assert on("dht22", 12) and not on("dht22", 5)
    # a board's two-way rail pins count: the DevKit takes 3.3 V at its 3V3 pin and up to 12 V at VIN
    assert not on("esp32-devkit-v1", 3.3) and not on("esp32-devkit-v1", 12) and on("esp32-devkit-v1", 24)
    assert not on("arduino-uno", 5)  # below Vin's range is not judged: the board takes 5 V at its USB and 5V pin


def test_the_stated_supply_against_the_loads_it_states(library):
    req = understand_rules("a 3 A DC motor on an Uno, all from a 12 V 1 A adapter", library)
    assert req.named("dc-motor").attrs["current"] == "3 A"  # the load's figure, not the adapter's
    check = check_requirements(MOTOR, req, library)
    found = [f for f in rating_findings(check) if "supply gives at most 1 A" in f.message]
    assert len(found) == 1 and "3 A" in found[0].message and "dc-motor" in found[0].message
    ok = understand_rules("a 1 A DC motor on an L298N with an Uno, from a 12 V 2 A adapter", library)
    assert ok.constraints.source is not None and ok.constraints.source.max_current == 2.0
    check = check_requirements(MOTOR, ok, library)
    assert not rating_findings(check) and any("the stated supply gives 2 A" in m for m in check.met)
