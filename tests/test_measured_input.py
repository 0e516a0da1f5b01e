"""A voltage the user brings, with no part named for it ("measure 0-30 V with an ESP32"): understanding reads the
range by its units as a measurement, the planner brings it in on an input terminal and scales it with a divider
sized (SPICE, E-series) for the chosen board's ADC, and the requirement gate holds the design to the top of the
range reading within the ADC and within the rating of a divider board it passes through."""

from __future__ import annotations

import json

import pytest

from agents.understand.requirements import Requirements
from agents.understand.rules import understand_rules
from circuit.model import Circuit
from circuit.requirement_gate import check_requirements
from circuit.sizing.blocks import make_block
from circuit.units import parse_value
from circuit.voltage_reading import INPUT_TERMINAL, voltage_readings
from knowledge.library import Library
from pipelines.cli import main


@pytest.fixture(scope="module")
def lib():
    return Library.default()


@pytest.mark.parametrize("request_text,top", [
    ("measure 0-30V with an esp32 and show it on an oled", 30.0),
    ("a voltmeter for up to 25 volts with an arduino and an lcd", 25.0),
    ("I'd like my Raspberry Pi Pico to read DC voltages anywhere from 0 to 60 volts", 60.0),
    ("arduino nano voltmeter upto 15v", 15.0),
    ("ESP32-C3 SuperMini measuring 0-24V DC", 24.0),
])
def test_a_range_measured_is_read_as_a_voltage_measurement(lib, request_text, top):
    req = understand_rules(request_text, lib)
    assert req.constraints.targets.get("measured_v") == top
    need = next(n for n in req.needs if n.capability == "sense-voltage")
    assert need.target["measured_v"] == top
    # the same words are not a supply to build or a source to place
    assert not any(lib[p.key].category == "power" for p in req.named_parts)
    assert not any(n.target.get("volts") == top and n.capability != "sense-voltage" for n in req.needs)
    assert req.constraints.source is None


@pytest.mark.parametrize("request_text", [
    "measure the voltage of my 12 V car battery with an Arduino Uno",   # a named source: its own voltage
    "a temperature logger that runs off a truck's 24 volt electrics",   # a supply, not a measurement
    "measure the current draw of my 12 V gadget with an ESP32",        # a current measured, the 12 V its supply
    "arduino uno measuring how many amps a 24 V motor draws",          # a rating of the named motor
    "turn on a 12 V fan with an esp32 when it gets hot",
])
def test_a_voltage_that_is_no_measured_range_is_left_alone(lib, request_text):
    assert "measured_v" not in understand_rules(request_text, lib).constraints.targets


def _design(tmp_path_factory, request: str) -> dict:
    out = tmp_path_factory.mktemp("vin")
    main(["design", request, "-o", str(out), "--json", "--rules"])
    return json.loads((out / "circuit.json").read_text())


def _circuit(doc: dict) -> Circuit:
    return Circuit.model_validate({k: doc[k] for k in ("version", "title", "parts", "connections")})


def _ohms(doc: dict, pid: str) -> float:
    return float(parse_value(next(p for p in doc["parts"] if p["id"] == pid)["attrs"]["value"], "Ω"))


@pytest.fixture(scope="module")
def esp32(tmp_path_factory):
    return _design(tmp_path_factory, "measure 0-30V with an esp32 and show it on an oled")


@pytest.fixture(scope="module")
def uno(tmp_path_factory):
    return _design(tmp_path_factory, "a voltmeter for up to 25 volts with an arduino uno and an lcd")


@pytest.mark.parametrize("fixture,top,full", [("esp32", 30.0, 3.3), ("uno", 25.0, 5.0)])
def test_the_input_is_a_terminal_read_through_a_divider_sized_for_the_adc(request, lib, fixture, top, full):
    doc = request.getfixturevalue(fixture)
    req = Requirements.model_validate(doc["requirements"])
    check = check_requirements(_circuit(doc), req, lib)
    assert check.passed, check.unmet
    (r,) = voltage_readings(_circuit(doc), lib, measured=top)
    assert r.terminal and r.full == full and r.peak == top
    term = next(p for p in doc["parts"] if p["id"] == r.source)
    assert any(c.capability == INPUT_TERMINAL for c in lib[term["type"]].provides)
    r1, r2 = (_ohms(doc, pid) for pid in r.via.split("/"))
    assert r1 * r2 / (r1 + r2) <= 10e3 * 1.05  # an output resistance the ADC's sampling takes
    heat = (top / (r1 + r2)) ** 2 * max(r1, r2)
    assert heat < 0.5 * lib["resistor"].ratings.power_max
    # SPICE: the divider at the top of the range keeps the ADC pin under the ADC's full scale, near its top
    measured = make_block("voltage_divider", {"vin": top}).evaluate({"R1": r1, "R2": r2}).measures
    assert 0.8 * full <= measured["vout"] <= full
    assert measured["vout"] == pytest.approx(r.at_pin, rel=0.01)


def test_a_divider_that_puts_too_much_on_the_pin_fails(esp32, lib):
    doc = json.loads(json.dumps(esp32))
    (r,) = voltage_readings(_circuit(doc), lib, measured=30.0)
    bottom = r.via.split("/")[1]
    next(p for p in doc["parts"] if p["id"] == bottom)["attrs"]["value"] = "47 kΩ"
    check = check_requirements(_circuit(doc), Requirements.model_validate(doc["requirements"]), lib)
    assert not check.passed
    assert any(f.rule == "REQ-VOLTAGE-RANGE" for f in check.findings)


def test_the_same_divider_fails_a_wider_range(esp32, lib):
    doc = json.loads(json.dumps(esp32))
    req = Requirements.model_validate(doc["requirements"])
    req.constraints.targets["measured_v"] = 40.0
    check = check_requirements(_circuit(doc), req, lib)
    assert not check.passed and any(f.rule == "REQ-VOLTAGE-RANGE" for f in check.findings)


def test_an_input_without_its_ground_measures_nothing(esp32, lib):
    doc = json.loads(json.dumps(esp32))
    (r,) = voltage_readings(_circuit(doc), lib, measured=30.0)
    minus = f"{r.source}:{lib[r.source_type].pins[1].name}"  # the position the planner grounds
    doc["connections"] = [c for c in doc["connections"] if minus not in c[:2]]
    assert voltage_readings(_circuit(doc), lib, measured=30.0) == []
    check = check_requirements(_circuit(doc), Requirements.model_validate(doc["requirements"]), lib)
    assert not check.passed and any(f.rule == "REQ-VOLTAGE-UNMEASURED" for f in check.findings)


def test_a_battery_that_runs_the_board_is_not_the_voltage_measured(tmp_path_factory, lib):
    doc = _design(tmp_path_factory, "a battery monitor for up to 48 V on an ESP32")
    req = Requirements.model_validate(doc["requirements"])
    assert req.constraints.targets["measured_v"] == 48.0
    assert check_requirements(_circuit(doc), req, lib).passed
    reads = voltage_readings(_circuit(doc), lib, measured=48.0)
    assert any(r.terminal and r.fits for r in reads)
    # without the terminal's reading the design measures nothing asked, whatever battery it holds
    doc["connections"] = [c for c in doc["connections"] if not any(
        e.split(":")[0] in {r.source for r in reads if r.terminal} for e in c[:2])]
    check = check_requirements(_circuit(doc), req, lib)
    assert not check.passed and any(f.rule == "REQ-VOLTAGE-UNMEASURED" for f in check.findings)


def test_a_named_divider_board_rated_below_the_range_is_refused(tmp_path_factory, lib):
    doc = _design(tmp_path_factory, "measure up to 40 V with an ESP32 and a 0-25V voltage sensor module")
    req = Requirements.model_validate(doc["requirements"])
    assert req.constraints.targets["measured_v"] == 40.0
    check = check_requirements(_circuit(doc), req, lib)
    assert not check.passed and any(f.rule == "REQ-RATING-MEASURED" for f in check.findings)


def test_a_current_measured_flows_through_the_sensor_between_two_terminals(tmp_path_factory, lib):
    doc = _design(tmp_path_factory, "measure the current draw of my 12 V gadget, up to 2 A, with an ESP32")
    req = Requirements.model_validate(doc["requirements"])
    assert req.constraints.targets.get("measured_a") == 2.0
    assert "measured_v" not in req.constraints.targets  # the 12 V is the gadget's supply, not a range measured
    check = check_requirements(_circuit(doc), req, lib)
    assert check.passed, check.unmet
    sensor = next(p for p in doc["parts"] if any(c.capability == "sense-current" for c in lib[p["type"]].provides))
    ends = [c for c in doc["connections"] if any(e.split(":")[0] == sensor["id"] and
                                                  lib[sensor["type"]].pin(e.split(":")[1]).type == "passive"
                                                  for e in c[:2])]
    assert len(ends) == 2  # in series: supply in on one end, the load out on the other
    # a path taken out of series measures nothing
    doc["connections"] = [c for c in doc["connections"] if c not in ends]
    check = check_requirements(_circuit(doc), req, lib)
    assert not check.passed and any(f.rule == "REQ-CURRENT-UNMEASURED" for f in check.findings)


def test_a_current_beyond_the_sensors_path_is_refused_or_chosen_around(tmp_path_factory, lib):
    doc = _design(tmp_path_factory, "measure the current my 12 V heater draws, up to 10 A, with an Arduino Uno")
    req = Requirements.model_validate(doc["requirements"])
    assert req.constraints.targets.get("measured_a") == 10.0
    kinds = {p["type"] for p in doc["parts"]}
    assert not kinds & {"ina219", "ina226"}  # their shunts take 3.2 A and 0.8 A
    named = _design(tmp_path_factory, "an INA219 on an Arduino Uno measuring currents up to 10 A")
    check = check_requirements(_circuit(named), Requirements.model_validate(named["requirements"]), lib)
    assert not check.passed and any(f.rule == "REQ-RATING-MEASURED" for f in check.findings)


def test_a_voltmeter_with_no_range_and_no_source_is_sized_for_the_librarys_voltage_board(tmp_path_factory, lib):
    req = understand_rules("build a voltmeter with a pico", lib)
    assert "sense-voltage" in {n.capability for n in req.needs}
    assert "measured_v" not in req.constraints.targets  # no range stated
    doc = _design(tmp_path_factory, "build a voltmeter with a pico")
    req = Requirements.model_validate(doc["requirements"])
    assert check_requirements(_circuit(doc), req, lib).passed
    # the input is sized for what the library's voltage sensor board takes, and the gate holds it to the same
    top = max(p.v_max for p in lib["voltage-sensor-module"].pins_of_type("power_in"))
    (r,) = voltage_readings(_circuit(doc), lib, measured=top)
    assert r.terminal and r.fits and r.at_pin >= 0.8 * r.full


def test_one_value_said_of_a_thing_is_that_things_voltage_not_a_range(lib):
    # "the 24 V rail of my power supply", "a 48 V pack": the voltage of the thing named after it (a source to be
    # read as a source), where a range ("0-30 V") or a bare top ("up to 25 volts") is what an input takes
    for text in ("I'd like my ESP32 to watch the 24 V rail of my power supply",
                 "a battery monitor for a 48 V e-bike pack on an ESP32"):
        assert "measured_v" not in understand_rules(text, lib).constraints.targets


def test_a_voltage_and_a_current_in_one_sentence_are_both_read(lib):
    req = understand_rules("esp32, measure up to 12 V and up to 2 A", lib)
    assert req.constraints.targets == {"measured_v": 12.0, "measured_a": 2.0}
    assert {"sense-voltage", "sense-current"} <= {n.capability for n in req.needs}


@pytest.mark.parametrize("request_text", [
    "measure DC voltages up to 400 V with an ESP32",      # above extra-low voltage: a divider is no isolation
    "measure currents up to 50 A with an Arduino Uno",    # beyond every current path of the library's sensors
])
def test_a_range_beyond_what_the_parts_take_is_refused_with_a_rating_finding(tmp_path_factory, lib, request_text):
    doc = _design(tmp_path_factory, request_text)
    req = Requirements.model_validate(doc["requirements"])
    check = check_requirements(_circuit(doc), req, lib)
    assert not check.passed and any(f.rule == "REQ-RATING-MEASURED" for f in check.findings)


def test_a_voltmeter_with_a_screen_named_in_another_clause_still_measures(tmp_path_factory, lib):
    # the OLED named beside it shows: showing is no rival reading of "a voltmeter" (the OLED answers it already)
    req = understand_rules("a voltmeter with an esp32 and an oled", lib)
    assert "sense-voltage" in {n.capability for n in req.needs}
    assert "measured_v" not in req.constraints.targets
    doc = _design(tmp_path_factory, "a voltmeter with an esp32 and an oled")
    check = check_requirements(_circuit(doc), Requirements.model_validate(doc["requirements"]), lib)
    assert check.passed, check.unmet
    assert any(r.terminal and r.fits for r in voltage_readings(_circuit(doc), lib, measured=25.0))
    # a clause that reads as another thing is left alone
    assert "sense-voltage" not in {n.capability for n in understand_rules("a thermometer with an oled", lib).needs}
