"""Sizing: values chosen from the E-series and proven by SPICE; impossible specs explained."""

import json
import math

import pytest

from agents.size import SizingParseError, load_spec_file, parse_request_rules
from circuit.sizing.block import Infeasible
from circuit.sizing.blocks import BLOCKS, make_block
from circuit.sizing.optimize import random_search, size
from circuit.sizing.spec import Spec
from circuit.sizing.tolerance import monte_carlo
from circuit.sizing.devices import opamp
from circuit.units import E_SERIES
from knowledge.library import Library
from pipelines.cli import main as cli


def _in_series(value: float, series: str) -> bool:
    mant = value / 10 ** math.floor(math.log10(value))
    return any(abs(mant - m) < 1e-6 for m in E_SERIES[series])


def test_noninverting_gain_11_lm358():
    req = parse_request_rules("non-inverting amplifier, gain 11, LM358 at 5 V, bandwidth ≥ 50 kHz")
    assert req.block == "noninverting_amplifier" and req.env["opamp"] == "lm358" and req.env["vcc"] == 5
    res = size(make_block(req.block, req.env), req.spec_objects(), series="E24")
    assert res.met and res.sims <= 30
    rf, rg = res.values["RF"], res.values["RG"]
    assert _in_series(rf, "E24") and _in_series(rg, "E24")
    assert 1 + rf / rg == pytest.approx(11, rel=0.02)
    # bandwidth is limited by the LM358's GBW, the figure its knowledge-base record gives (1 MHz): about GBW / 11
    gbw = Library.default()["lm358"].spice.params["gbw"]
    assert opamp("lm358").gbw == gbw
    assert 50e3 <= res.measures["bandwidth"] <= gbw / 11 * 1.1


def test_led_resistor_from_supply_and_vf():
    res = size(make_block("led_driver", {"vsupply": 5.0, "color": "red"}), [Spec("i_led", "=", 0.015, 0.1)])
    assert res.met
    r = res.values["R1"]
    # (5 V − ~1.85 V) / 15 mA ≈ 210 Ω, rounded into the E24 series
    assert 180 <= r <= 240 and _in_series(r, "E24")
    assert res.measures["i_led"] == pytest.approx(0.015, rel=0.1)


def test_rc_lowpass_corner_measured_by_ac_analysis():
    res = size(make_block("rc_lowpass"), [Spec("f_c", "=", 1e3, 0.05)], series="E12")
    assert res.met
    fc = 1 / (2 * math.pi * res.values["R1"] * res.values["C1"])
    assert fc == pytest.approx(res.measures["f_c"], rel=0.02)  # SPICE agrees with 1/(2πRC)


def test_555_astable_frequency_and_duty_from_transient():
    res = size(make_block("ne555_astable"), [Spec("frequency", "=", 1e3, 0.05), Spec("duty", "=", 0.6, 0.05)])
    assert res.met
    ra, rb, c = res.values["RA"], res.values["RB"], res.values["C1"]
    assert 1 / (math.log(2) * (ra + 2 * rb) * c) == pytest.approx(1e3, rel=0.08)


def test_schmitt_thresholds_use_real_output_swing():
    res = size(make_block("schmitt_trigger", {"opamp": "lm358", "vcc": 5.0}),
               [Spec("v_th_high", "=", 3.0, 0.03), Spec("v_th_low", "=", 2.0, 0.03)])
    assert res.met
    assert res.measures["hysteresis"] == pytest.approx(1.0, abs=0.1)


def test_impossible_spec_names_the_binding_limit():
    req = parse_request_rules("non-inverting amplifier, gain 1000 at 1 MHz, LM358")
    with pytest.raises(Infeasible, match="gain-bandwidth.*LM358"):
        size(make_block(req.block, req.env), req.spec_objects())


def test_beats_random_search_at_equal_budget():
    specs = [Spec("f0", "=", 10e3, 0.03), Spec("q", "=", 5, 0.1)]
    ours = size(make_block("rlc_bandpass"), specs, budget=30)
    rnd = random_search(make_block("rlc_bandpass"), specs, budget=30, seed=3)
    assert ours.met and ours.sims < 30
    assert not rnd.met or rnd.sims > ours.sims


def test_monte_carlo_yield_reflects_tolerances():
    block = make_block("voltage_divider", {"vin": 5.0})
    values = {"R1": 1800.0, "R2": 3300.0}
    tight = monte_carlo(block, values, [Spec("vout", "=", 3.235, 0.05)], runs=20)
    strict = monte_carlo(block, values, [Spec("vout", "=", 3.235, 0.001)], runs=20)
    assert tight.yield_ == 1.0
    assert strict.yield_ < 1.0
    lo, hi = tight.spread["vout"]
    assert lo < 3.235 < hi


def test_every_block_sizes_its_own_analytic_guess():
    # each block's testbench runs in ngspice and its measures are finite
    for key, cls in BLOCKS.items():
        block = cls()
        params = block.params()
        values = {p.name: math.sqrt(p.lo * p.hi) for p in params}
        ev = block.evaluate(values)
        assert ev.sims >= 1, key


@pytest.mark.parametrize("text,block,spec", [
    ("I need a 1 kHz low pass RC filter", "rc_lowpass", ("f_c", "=", 1e3)),
    ("Wien bridge oscillator at 1 kHz", "wien_bridge_oscillator", ("frequency", "=", 1e3)),
    ("comparator, threshold 1.2 V, LM358 at 5 V", "comparator", ("v_threshold", "=", 1.2)),
    ("LM317 regulator 12 V to 5 V, load current 100 mA", "lm317_regulator", ("vout", "=", 5.0)),
    ("inverting amplifier gain -4.7 input impedance at least 10k", "inverting_amplifier", ("r_in", ">=", 1e4)),
])
def test_parse_requests(text, block, spec):
    req = parse_request_rules(text)
    assert req.block == block
    assert any((s.name, s.op) == spec[:2] and s.target == pytest.approx(spec[2]) for s in req.specs)


def test_parse_errors_say_what_to_add():
    with pytest.raises(SizingParseError, match="which circuit"):
        parse_request_rules("make it better")
    with pytest.raises(SizingParseError, match="give f_c"):
        parse_request_rules("an RC low-pass filter please")


def test_size_command_outputs_and_exit_codes(tmp_path, capsys):
    out = tmp_path / "out"
    rc = cli(["size", "RC high-pass filter, cut-off 150 Hz", "-o", str(out), "--json", "--mc", "5"])
    assert rc == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["pass"] and summary["block"] == "rc_highpass"
    for name in ("values.json", "netlist.cir", "report.md", "response.svg", "response.png"):
        assert (out / name).is_file(), name
    assert "Specs: target vs simulated" in (out / "report.md").read_text()
    assert cli(["size", "non-inverting amplifier, gain 1000 at 1 MHz, LM358"]) == 1
    assert cli(["size", "make it better"]) == 2


def test_spec_file(tmp_path, capsys):
    f = tmp_path / "spec.json"
    f.write_text(json.dumps({"block": "voltage_divider", "env": {"vin": 12},
                             "specs": [{"name": "vout", "op": "=", "target": 3.3, "tol": 0.02}], "series": "E96"}))
    req = load_spec_file(f)
    assert req.series == "E96"
    assert cli(["size", "--spec", str(f), "--json", "--mc", "0"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["values"]["R2"] / (s["values"]["R1"] + s["values"]["R2"]) * 12 == pytest.approx(3.3, rel=0.02)
    f.write_text('{"block": "warp_drive", "specs": []}')
    with pytest.raises(SizingParseError, match="unknown block"):
        load_spec_file(f)
