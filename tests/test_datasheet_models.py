"""Extracted figures -> fitted ngspice models, checked by simulating the datasheet test points:
diode VF, MOSFET RDS(on) and VGS(th), BJT hFE; a model that misses is reported as failed."""

import math

import pytest

from circuit.devicemodels.build import build_model
from circuit.sim import simulate
from knowledge.datasheet.extract import extract_datasheet
from knowledge.datasheet.model import Extraction, ParamValue


def _pv(name, kind, value, unit, **cond):
    return ParamValue(name=name, kind=kind, value=value, unit=unit, conditions=cond,
                      conditions_text=", ".join(f"{k}={v}" for k, v in cond.items()), page=1, source="test")


def _point(model, name):
    return next(tp for tp in model.verification.points if tp.name == name)


def test_diode_vf_fitted_and_simulated():
    ex = Extraction(file="d.pdf", part="DTEST", device_class="diode", params=[
        _pv("VRRM", "rating", 100, "V"), _pv("VF", "max", 1.0, "V", IF=0.01), _pv("IR", "max", 25e-9, "A", VR=20.0)])
    model = build_model(ex)
    tp = _point(model, "VF")
    assert tp.passed and abs(tp.error) <= 0.10
    # the card really gives that VF in ngspice
    deck = f"vf\nI1 0 a DC 0.01\n{model.instance('D1', ['a', '0'])}\n{model.spice_text()}\n.op\n.end\n"
    assert simulate(deck).node("a") == pytest.approx(1.0, rel=0.1)


def test_mosfet_rds_on_and_threshold_from_a_real_sheet(shared_dir):
    pdf = shared_dir / "datasets" / "datasheets" / "pdfs" / "2N7002__yangjie_dominik.pdf"
    ex = extract_datasheet(pdf, part="2N7002")
    model = build_model(ex)
    assert model.kind == "nmos"
    rds, vth = _point(model, "RDS_on"), _point(model, "VGS_th")
    assert rds.passed and vth.passed
    # RDS(on) at the datasheet's VGS = 10 V, ID = 300 mA, simulated independently of the fitter
    deck = (f"rds\nVG g 0 DC 10\nID 0 d DC 0.3\n{model.instance('M1', ['d', 'g', '0'])}\n{model.spice_text()}\n.op\n.end\n")
    r = simulate(deck).node("d") / 0.3
    assert r == pytest.approx(rds.datasheet, rel=0.1)
    assert 1.0 <= vth.simulated <= 2.5  # within the datasheet's min..max


def test_pchannel_signs():
    ex = Extraction(file="p.pdf", part="PTEST", device_class="mosfet", params=[
        _pv("VDS_max", "rating", -100, "V"), _pv("RDS_on", "max", 0.2, "Ω", VGS=-10.0, ID=-11.0),
        _pv("VGS_th", "min", -2.0, "V", VDS="VGS", ID=-250e-6), _pv("VGS_th", "max", -4.0, "V", VDS="VGS", ID=-250e-6)])
    model = build_model(ex)
    assert model.kind == "pmos"
    assert _point(model, "RDS_on").passed and _point(model, "VGS_th").passed


def test_bjt_hfe_at_its_test_point():
    ex = Extraction(file="q.pdf", part="QTEST", device_class="bjt", params=[
        _pv("VCEO", "rating", 40, "V"), _pv("IC_max", "rating", 0.2, "A"),
        _pv("hFE", "min", 100, "1", IC=0.01, VCE=1.0), _pv("hFE", "max", 300, "1", IC=0.01, VCE=1.0)])
    model = build_model(ex)
    tp = _point(model, "hFE")
    assert tp.passed
    assert 100 <= tp.simulated <= 300
    assert math.isclose(tp.datasheet, math.sqrt(100 * 300), rel_tol=0.02)


def test_a_model_that_misses_is_marked_failed():
    """Impossible figures: VF below what any junction gives at that current with the stated RS
    priors still yields a model, but its verification says so."""
    ex = Extraction(file="x.pdf", part="XTEST", device_class="diode", params=[
        _pv("VF", "max", 0.30, "V", IF=0.1), _pv("VF", "max", 0.31, "V", IF=10.0), _pv("VF", "max", 5.0, "V", IF=10.5)])
    model = build_model(ex)
    v = model.verification
    assert not v.passed
    assert any(not tp.passed for tp in v.points)
