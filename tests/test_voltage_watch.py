"""Measuring the voltage of a named source: understanding reads 'the voltage of X' as a measurement of X, the
planner wires a divider (sized by SPICE for the board's ADC range) or a named divider board from X's + terminal
to an ADC pin, and the requirement gate holds the design to X being read within the ADC's range."""

from __future__ import annotations

import json

import pytest

from agents.understand.requirements import Requirements
from circuit.model import Circuit
from circuit.requirement_gate import check_requirements
from circuit.source_peak import source_peak
from circuit.units import parse_value
from circuit.voltage_reading import voltage_readings
from knowledge.library import Library
from pipelines.cli import main


@pytest.fixture(scope="module")
def lib():
    return Library.default()


def _design(tmp_path_factory, request: str) -> dict:
    out = tmp_path_factory.mktemp("vsense")
    main(["design", request, "-o", str(out), "--json", "--rules"])
    return json.loads((out / "circuit.json").read_text())


@pytest.fixture(scope="module")
def uno(tmp_path_factory):
    return _design(tmp_path_factory, "measure the voltage of my 12 V car battery with an Arduino Uno")


@pytest.fixture(scope="module")
def esp32(tmp_path_factory):
    return _design(tmp_path_factory, "an ESP32 that logs the voltage of a 12 V solar panel")


def _circuit(doc: dict) -> Circuit:
    return Circuit.model_validate({k: doc[k] for k in ("version", "title", "parts", "connections")})


def _ohms(doc: dict, pid: str) -> float:
    return float(parse_value(next(p for p in doc["parts"] if p["id"] == pid)["attrs"]["value"], "Ω"))


@pytest.mark.parametrize("fixture,full", [("uno", 5.0), ("esp32", 3.3)])
def test_the_source_is_read_through_a_divider_sized_for_the_boards_adc(request, lib, fixture, full):
    doc = request.getfixturevalue(fixture)
    req = Requirements.model_validate(doc["requirements"])
    assert "sense-voltage" in {n.capability for n in req.needs}
    assert "acs712" not in {p["type"] for p in doc["parts"]}
    check = check_requirements(_circuit(doc), req, lib)
    assert check.passed, check.unmet
    (r,) = voltage_readings(_circuit(doc), lib)
    top, bottom = r.via.split("/")
    ratio = _ohms(doc, bottom) / (_ohms(doc, top) + _ohms(doc, bottom))
    assert r.share == pytest.approx(ratio)
    assert r.full == full and r.peak == pytest.approx(14.4 if fixture == "uno" else 14.5)
    assert 0.8 * full <= r.peak * ratio <= full  # the peak reads near the top of the ADC's range, never above


def test_a_divider_that_puts_too_much_on_the_pin_fails(uno, lib):
    doc = json.loads(json.dumps(uno))
    (r,) = voltage_readings(_circuit(doc), lib)
    bottom = r.via.split("/")[1]
    next(p for p in doc["parts"] if p["id"] == bottom)["attrs"]["value"] = "100 kΩ"
    check = check_requirements(_circuit(doc), Requirements.model_validate(doc["requirements"]), lib)
    assert not check.passed
    assert any(f.rule == "REQ-VOLTAGE-RANGE" for f in check.findings)


def test_a_divider_not_on_the_source_measures_nothing(uno, lib):
    doc = json.loads(json.dumps(uno))
    (r,) = voltage_readings(_circuit(doc), lib)
    top = r.via.split("/")[0]
    doc["connections"] = [c for c in doc["connections"]  # [from, to, colour, route]
                          if not {c[0].split(":")[0], c[1].split(":")[0]} == {top, r.source}]
    assert voltage_readings(_circuit(doc), lib) == []
    check = check_requirements(_circuit(doc), Requirements.model_validate(doc["requirements"]), lib)
    assert not check.passed
    assert any(f.rule == "REQ-VOLTAGE-UNMEASURED" for f in check.findings)


def test_a_named_divider_board_reads_a_fifth_and_fails_above_the_adc(tmp_path_factory, lib):
    ok = _design(tmp_path_factory, "voltage sensor module on an Arduino Nano reading a 12 V battery")
    (r,) = voltage_readings(_circuit(ok), lib)
    assert r.share == pytest.approx(0.2) and r.at_pin == pytest.approx(2.88)
    assert check_requirements(_circuit(ok), Requirements.model_validate(ok["requirements"]), lib).passed
    high = _design(tmp_path_factory, "voltage sensor module on an Arduino Nano reading a 36 V battery")
    check = check_requirements(_circuit(high), Requirements.model_validate(high["requirements"]), lib)
    # (the board takes 25 V at most: the checks' repair moves its input off the 36 V battery, and then nothing
    # measures the battery)
    assert not check.passed and any(f.rule.startswith("REQ-VOLTAGE-") for f in check.findings)


def test_a_sources_peak_comes_from_its_record(lib):
    class Part:
        def __init__(self, **attrs):
            self.attrs = attrs
    assert source_peak(Part(), lib["battery-generic"])[0] == pytest.approx(14.4)
    assert source_peak(Part(voltage=36), lib["battery-generic"])[0] == pytest.approx(43.2)
    assert source_peak(Part(), lib["18650-battery"])[0] == pytest.approx(4.2)
    assert source_peak(Part(), lib["solar-panel-12v"])[0] == pytest.approx(14.5)
    peak, where = source_peak(Part(), lib["aa-cell"])  # no peak in the record: 20 % above its voltage, said so
    assert peak == pytest.approx(1.2 * lib["aa-cell"].ratings.v_nominal) and "20 %" in where
