"""SPICE models from datasheet figures: fitted, verified by simulation, emitted safely.

Each test builds a model from a hand-checked label file, then checks the verification report AND
re-simulates the emitted model text on its own (so the text a user gets is what was verified).
"""

from __future__ import annotations

import copy
import json
import math
import re

import numpy as np
import pytest
import yaml

from circuit.devicemodels import (
    DeviceError,
    ModelError,
    build_model,
    component_record,
    load_device,
    model_lib_text,
    plot_verification,
    record_yaml,
    write_model_lib,
)
from circuit.sim import check_deck, ngspice_available, simulate
from circuit.spice_safe import parse_model
from knowledge.library import Library, parse_record

pytestmark = pytest.mark.skipif(not ngspice_available(), reason="ngspice (libngspice) is not installed")


@pytest.fixture(scope="module")
def labels(shared_dir):
    d = shared_dir / "datasets" / "datasheets" / "labels"

    def get(stem: str) -> dict:
        path = next(d.glob(f"{stem}__*.json"))
        return json.loads(path.read_text())

    return get


_cache: dict = {}


def model_of(labels, stem: str):
    if stem not in _cache:
        _cache[stem] = build_model(labels(stem), source=f"{stem}.pdf")
    return _cache[stem]


def op(deck_lines: list[str]):
    return simulate("\n".join(["test", *deck_lines, ".op", ".end", ""]))


def point(model, name: str):
    pts = [p for p in model.verification.points if p.name == name]
    assert pts, f"{model.part} has no {name} test point: {[p.name for p in model.verification.points]}"
    return pts[0]


# ---- diodes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("stem, i_f, vf", [("1N4148", 0.01, 1.0), ("1N4007", 1.0, 1.0)])
def test_diode_forward_voltage_fitted_and_emitted(labels, stem, i_f, vf):
    m = model_of(labels, stem)
    assert m.model_type == "D" and m.verification.passed, m.verification.table()
    p = point(m, "VF")
    assert p.datasheet == pytest.approx(vf) and abs(p.error) < 0.10
    # the emitted card alone reproduces the datasheet point
    res = op([m.spice_text(), f"I1 0 a DC {i_f}", f"D1 a 0 {m.name}"])
    assert res.node("a") == pytest.approx(vf, rel=0.10)
    assert m.params["BV"] == pytest.approx(float(labels(stem)["params"]["VRRM"]["value"]))
    assert "N" in m.defaults  # one VF point: the emission coefficient is a flagged default


def test_schottky_with_two_points_fits_series_resistance(labels):
    m = model_of(labels, "MBR0520L")
    vfs = {round(float(re.search(r"IF=(\d+)", p.conditions).group(1))): p for p in m.verification.points if p.name == "VF"}
    assert set(vfs) == {100, 500} and all(p.passed for p in vfs.values())
    assert "RS" not in m.defaults and m.params["N"] < 1.2


# ---- MOSFETs --------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", ["IRF540N", "2N7000", "AO3400"])
def test_nmos_rds_on_and_threshold(labels, stem):
    m = model_of(labels, stem)
    assert m.kind == "nmos" and m.flags == ["nchan"]
    for name in ("RDS_on", "VGS_th"):
        p = point(m, name)
        assert p.passed, (name, p.row())
    assert m.verification.passed, m.verification.table()
    lab = labels(stem)["params"]
    rds_key = "RDS_on" if "RDS_on" in lab else "RDS_on_typ"
    assert point(m, "RDS_on").datasheet == pytest.approx(lab[rds_key]["value"])


def test_pmos_model_is_p_channel_and_its_card_gives_rds_on(labels):
    m = model_of(labels, "IRF9540")
    assert m.kind == "pmos" and "pchan" in m.model_text() and m.params["VTO"] < 0
    assert point(m, "VGS_th").simulated < 0 and point(m, "VGS_th").passed
    assert m.verification.passed, m.verification.table()
    # VGS = -10 V, ID = -11 A (pulled out of the drain): RDS(on) 0.2 ohm max
    res = op([m.spice_text(), "Vg g 0 DC -10", "I1 d 0 DC 11", f"M1 d g 0 {m.name}"])
    assert -res.node("d") / 11 == pytest.approx(0.2, rel=0.10)


# ---- BJTs -----------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", ["BC547", "2N3904"])
def test_bjt_hfe_points(labels, stem):
    m = model_of(labels, stem)
    assert m.model_type == "NPN"
    hfe = [p for p in m.verification.points if p.name == "hFE"]
    assert hfe and all(p.passed for p in hfe), [p.row() for p in hfe]
    assert m.verification.passed, m.verification.table()


def test_bjt_card_alone_gives_hfe_at_the_datasheet_current(labels):
    m = model_of(labels, "BC547")
    # sweep VBE at VCE = 5 V and read hFE where IC = 2 mA (the datasheet's test point)
    res = simulate("\n".join(["t", m.spice_text(), "Vc c 0 DC 5", "Vb b 0 DC 0", f"Q1 c b 0 {m.name}",
                              ".dc Vb 0.5 0.8 0.0005", ".end", ""]))
    ic, ib = np.abs(res["vc#branch"]), np.abs(res["vb#branch"])
    k = int(np.argmin(np.abs(ic - 2e-3)))
    assert ic[k] / ib[k] == pytest.approx(point(m, "hFE").datasheet, rel=0.10)


def test_pnp_from_negative_figures(labels):
    data = copy.deepcopy(labels("BC547"))
    data["part"] = "BC547-mirror PNP"
    flip = {"VCBO", "VCEO", "VEBO", "IC_max", "VCE_sat", "VBE_sat", "VBE_on", "VCE_sat_max", "VCE_sat_100mA",
            "VBE_sat_100mA", "VBE_on_min", "VBE_on_max"}
    for section in ("params", "extra_params"):
        for name, p in data[section].items():
            if name in flip:
                p["value"] = -p["value"]
            p["conditions"] = re.sub(r"\b(VCE|IC|IB|VCB|VEB)=", r"\1=-", p["conditions"])
    m = build_model(data)
    assert m.model_type == "PNP" and m.kind == "pnp"
    assert point(m, "VCE_sat").simulated < 0 and point(m, "VBE_on").simulated < 0
    assert all(p.passed for p in m.verification.points if p.name in ("hFE", "VCE_sat", "VBE_on")), m.verification.table()


# ---- op-amps --------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", ["LM358", "MCP6002"])
def test_opamp_gbw_and_slew(labels, stem):
    m = model_of(labels, stem)
    assert m.model_type is None and m.subckt.startswith(f".subckt {m.name} inp inn vcc vee out")
    assert point(m, "GBW").passed
    if stem == "MCP6002":
        assert point(m, "SR").passed and point(m, "SR").datasheet == pytest.approx(0.6e6)
    else:
        assert "SR" in m.defaults  # the LM358 sheet gives no slew rate: a flagged default, not a test point
    assert m.verification.passed, m.verification.table()


def test_opamp_subckt_in_a_gain_of_ten_amplifier(labels):
    m = model_of(labels, "MCP6002")
    deck = "\n".join(["t", m.subckt, "Vcc vcc 0 DC 5", "Vin in 0 DC 0.25 AC 1", "X1 in fb vcc 0 out " + m.name,
                      "R1 out fb 9k", "R2 fb 0 1k", ".ac dec 50 1k 10meg", ".end", ""])
    res = simulate(deck)
    f = np.real(res["frequency"])
    gain = np.abs(res["out"])
    assert gain[0] == pytest.approx(10, rel=0.01)
    f3db = f[np.nonzero(gain < 10 / math.sqrt(2))[0][0]]
    assert f3db == pytest.approx(1e6 / 10, rel=0.15)  # GBW / closed-loop gain


# ---- regulators -----------------------------------------------------------------------------
def test_regulator_output_and_dropout(labels):
    m = model_of(labels, "AMS1117")
    assert point(m, "VOUT").passed and point(m, "VDROP").passed and m.verification.passed
    res = op([m.subckt, "Vi in 0 DC 5", "Rl out 0 33", f"X1 in out 0 {m.name}"])
    assert res.node("out") == pytest.approx(3.3, rel=0.02)
    res = op([m.subckt, "Vi in 0 DC 3.5", "Rl out 0 3.3", f"X1 in out 0 {m.name}"])
    assert res.node("out") < 3.3 - 0.5  # 1 A from 3.5 V: in dropout


# ---- failures are reported ------------------------------------------------------------------
def test_inconsistent_datasheet_is_reported_failed():
    data = {"part": "BROKEN1", "class": "diode", "params": {
        "VF": {"value": 0.9, "kind": "max", "unit": "V", "conditions": "IF=10mA"},
        "VF_1A": {"value": 0.5, "kind": "max", "unit": "V", "conditions": "IF=1A"},  # more current, less voltage
        "VF_100mA": {"value": 0.95, "kind": "max", "unit": "V", "conditions": "IF=100mA"},
    }}
    m = build_model(data)
    assert not m.verification.passed
    failed = m.verification.failed()
    assert failed and all(abs(p.error) > 0.10 for p in failed)
    assert "FAILED" in model_lib_text(m)
    assert "NOT verified" in m.verification.summary()


def test_missing_figures_and_bad_values_are_clear_errors():
    with pytest.raises(ModelError, match="VGS\\(th\\)"):
        build_model({"part": "X", "class": "mosfet", "params": {"RDS_on": {"value": 0.1, "conditions": "VGS=10V"}}})
    with pytest.raises(DeviceError, match="not a number"):
        build_model({"part": "X", "class": "diode", "params": {"VF": {"value": "1 V", "conditions": "IF=1A"}}})
    with pytest.raises(ModelError, match="device class"):
        build_model({"part": "X", "class": "teapot", "params": {"VF": {"value": 1.0}}})


def test_structured_conditions_are_accepted(labels):
    data = copy.deepcopy(labels("2N7002"))
    for p in data["params"].values():
        p["conditions"] = {"VGS": 10.0, "ID": 0.3} if p is data["params"]["RDS_on_typ"] else p["conditions"]
    data["params"]["RDS_on_max"]["conditions"] = {"VGS": 10.0, "ID": 0.3}
    m = build_model(data)
    assert point(m, "RDS_on").conditions.startswith("VGS=10 V, ID=300 mA") and point(m, "RDS_on").passed


# ---- emitted text ---------------------------------------------------------------------------
def test_model_lib_is_injection_safe(labels, tmp_path):
    data = copy.deepcopy(labels("1N4148"))
    data["part"] = "EVIL\n.control\nshell rm -rf ~\n.endc\n.include /etc/passwd"
    data["params"]["VF"]["conditions"] = "IF=10mA\n.exec shell('x')\r* harmless?"
    m = build_model(data, source="../../etc/evil\n.lib x.pdf")
    path = write_model_lib(m, tmp_path / "MODEL.lib")
    text = path.read_text()
    check_deck(text)  # the simulator's own filter accepts it
    for line in text.splitlines():
        assert line.startswith("* ") or line.startswith(".model "), line
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", m.name)
    assert not re.search(r"^\s*\.(control|endc|include|lib|exec)|^\s*shell", text, re.I | re.M)
    # and the file is a usable library: the card simulates
    res = op([line for line in text.splitlines() if line.startswith(".model")] + ["I1 0 a DC 10m", f"D1 a 0 {m.name}"])
    assert 0.5 < res.node("a") < 1.1


def test_component_records_validate_and_load(labels, tmp_path):
    for stem in ("1N4148", "IRF9540", "LM358", "LM317"):
        m = model_of(labels, stem)
        data = component_record(m)
        rec = parse_record(stem, data)
        assert rec.source.startswith(f"{stem}.pdf")
        assert rec.spice.terminals and all(rec.pin(t) for t in rec.spice.terminals)
        if m.model_type:
            assert parse_model(rec.spice.model).type == m.model_type
        else:
            assert rec.spice.subckt == m.subckt
        (tmp_path / f"{rec.key}.yaml").write_text(record_yaml(m))
    lib = Library.from_dirs([tmp_path])
    assert {r.key for r in lib} == {"1n4148", "irf9540", "lm358-n", "lm317"}
    assert [p.name for p in lib["irf9540"].pins] == ["G", "D", "S"] and lib["irf9540"].ratings.rds_on == 0.2
    assert [p.name for p in lib["lm358-n"].pins] == ["IN+", "IN-", "OUT", "V+", "V-"]
    assert lib["lm317"].ratings.v_out_adjustable and lib["lm317"].spice.params["v_ref"] == pytest.approx(1.25)
    assert yaml.safe_load(record_yaml(model_of(labels, "1N4148")))["pins"][0]["name"] == "A"


def test_plot_writes_png_and_svg(labels, tmp_path):
    m = model_of(labels, "1N4148")
    png = plot_verification(m, tmp_path / "d.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = plot_verification(model_of(labels, "MCP6002"), tmp_path / "oa.svg")
    assert "<svg" in svg.read_text()[:500]


def test_load_device_reports_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(DeviceError, match="bad.json"):
        load_device(bad)
