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
    with pytest.raises(SizingParseError, match=r"say the cut-off frequency \(f_c\)"):
        parse_request_rules("an RC low-pass filter please")


def test_size_command_outputs_and_exit_codes(tmp_path, capsys):
    out = tmp_path / "out"
    rc = cli(["size", "RC high-pass filter, cut-off 150 Hz", "-o", str(out), "--json", "--mc", "30"])
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


# ---- plain words (issue 13): every example of the issue sizes as meant ----------------------------
import numpy as np  # noqa: E402

from agents.llm import LLMClient, LLMConfig  # noqa: E402
from agents.size import SizingAmbiguous, parse_request  # noqa: E402
from circuit.sim import simulate  # noqa: E402
from circuit.sizing.block import TESTBENCH_MARK  # noqa: E402
from circuit.sizing.subcircuit import parse_build  # noqa: E402
from pipelines.sizing import run_sizing, summary  # noqa: E402
from tests.fakellm import FakeLLM  # noqa: E402


def _spec(req, name):
    return next(s for s in req.specs if s.name == name)


def test_values_before_their_nouns():
    led = parse_request_rules("a red LED at 12 mA from 5 V")
    assert led.block == "led_driver" and _spec(led, "i_led").target == pytest.approx(0.012)
    assert led.env["vsupply"] == 5 and led.env["color"] == "red"
    pulse = parse_request_rules("a 500 ms pulse from a 555 one-shot")
    assert pulse.block == "ne555_monostable" and _spec(pulse, "pulse_width").target == pytest.approx(0.5)


def test_using_is_not_micro_and_the_gain_is_sized_in_few_sims():
    req = parse_request_rules("inverting amplifier, gain -4.7 using an LM358 at 12 V")
    assert req.block == "inverting_amplifier" and req.env["opamp"] == "lm358"
    assert _spec(req, "gain").target == pytest.approx(4.7)
    res = size(make_block(req.block, req.env), req.spec_objects())
    assert res.met and res.sims <= 10


def test_output_and_input_voltages_keep_their_roles():
    req = parse_request_rules("LM317 set to 5.0 V out from 12 V in, 100 mA load")
    assert req.block == "lm317_regulator" and _spec(req, "vout").target == 5.0 and req.env["vin"] == 12.0
    assert req.env["i_load"] == pytest.approx(0.1)


def test_fixed_parts_are_kept():
    req = parse_request_rules("inverting op-amp stage with gain 10 and an input resistor of 4k7, TL072 ±12 V")
    assert req.env["fixed"] == {"RIN": 4700.0} and req.env["vee"] == -12
    res = size(make_block(req.block, req.env), req.spec_objects())
    assert res.met and res.values["RIN"] == 4700.0 and res.values["RF"] / 4700 == pytest.approx(10, rel=0.02)
    div = parse_request_rules("potential divider from 9 V giving 6 V, top resistor 1.5 kOhm")
    assert div.env["fixed"] == {"R1": 1500.0} and div.env["vin"] == 9


def test_supply_tolerances_and_amplitude_are_read_not_invented():
    req = parse_request_rules("non-inverting amplifier, gain 5, 1 kHz sine of 100 mVpp, LM358 on a 9 V battery, "
                              "1 % resistors")
    assert req.env["vcc"] == 9 and req.env["amplitude"] == pytest.approx(0.05) and req.env["tol_r"] == 0.01
    assert req.env["f_signal"] == 1000 and not any(s.name == "bandwidth" for s in req.specs)


def test_sallen_key_is_its_own_block_and_rolls_off_at_40_db_per_decade():
    req = parse_request_rules("Sallen-Key low pass filter at 2 kHz, Butterworth, TL072 on ±12 V")
    assert req.block == "sallen_key_lowpass" and _spec(req, "q").target == pytest.approx(0.707, rel=0.01)
    block = make_block(req.block, req.env)
    res = size(block, req.spec_objects())
    assert res.met
    deck = block.decks(res.values)[0][1].rsplit(".ac", 1)[0] + ".ac dec 20 4k 40k\n.end\n"
    r = simulate(deck)
    h = np.abs(r["out"])
    assert 20 * np.log10(h[0] / h[-1]) == pytest.approx(40, abs=3)  # second order: not an RC's 20 dB per decade


def test_mosfet_named_by_part_number_is_a_mosfet_switch():
    req = parse_request_rules("a 2N7000 switch for a 100 mA load from 5 V logic")
    assert req.block == "mosfet_switch" and req.env["mosfet"] == "2n7000"
    res = size(make_block(req.block, req.env), req.spec_objects())
    assert res.met and res.measures["i_load"] >= 0.095


def test_base_resistor_for_a_coil():
    req = parse_request_rules("base resistor for a 2N2222 driving an 80 mA coil from 3.3 V")
    assert req.block == "bjt_switch" and req.env == {"i_load": 0.08, "v_drive": 3.3, "transistor": "2n2222"}
    res = size(make_block(req.block, req.env), req.spec_objects())
    assert res.met and res.measures["ic"] >= 0.076 and res.measures["vce_sat"] <= 0.3
    assert _in_series(res.values["RB"], "E24")


@pytest.mark.parametrize("text,block,spec", [
    ("a red LED at 10 mA from a 5 V pin", "led_driver", ("i_led", 0.01)),
    ("555 one shot with a 2 second pulse, 12 V supply", "ne555_monostable", ("pulse_width", 2.0)),
    ("Schmitt trigger that switches at 3 V going up and 2 V going down, LM358 at 5 V", "schmitt_trigger",
     ("v_th_low", 2.0)),
    ("hardware debouncing for a tactile button, 5 ms delay", "rc_debounce", ("t_debounce", 0.005)),
])
def test_new_blocks_are_reachable_from_plain_words(text, block, spec):
    req = parse_request_rules(text)
    assert req.block == block and _spec(req, spec[0]).target == pytest.approx(spec[1])
    res = size(make_block(req.block, req.env), req.spec_objects())
    assert res.met, res.message


def test_555_near_50_percent_duty_uses_a_steering_diode():
    req = parse_request_rules("NE555 square wave, 1 kHz, about 50 % duty")
    block = make_block(req.block, req.env)
    res = size(block, req.spec_objects())
    assert res.met and abs(res.measures["duty"] - 0.5) <= 0.025
    assert any(p.key == "1n4148" for p in parse_build(block.build(res.values)))
    assert "plain 555" in block.notes(res.values)[0]


def test_single_supply_netlist_is_the_built_circuit():
    state = run_sizing("non-inverting amplifier, gain 11, LM358 at 5 V", mc_runs=0)
    block, res = state["block"], state["result"]
    netlist = block.netlist(res.values)
    circuit_part = netlist.split(TESTBENCH_MARK)[0]
    refs = {ref for ref, _, _ in block.bill(res.values)}
    assert {"RB1", "RB2", "CB", "CIN", "RF", "RG", "XU1"} <= refs       # the mid-rail divider is built, not ideal
    assert "VREF" not in netlist and ".subckt" in circuit_part


def test_report_shows_every_simulated_part():
    integ = make_block("integrator", {"opamp": "tl072", "vcc": 12, "vee": -12})
    assert "RF" in {r for r, _, _ in integ.bill({"R1": 10e3, "C1": 10e-9})}   # the DC feedback resistor
    ce = make_block("common_emitter")
    refs = {r for r, _, _ in ce.bill({"R1": 82e3, "R2": 12e3, "RC": 4.7e3, "RE1": 470, "RE2": 680})}
    assert {"CE", "CIN", "COUT"} <= refs                                          # bypass and coupling capacitors


def test_clipping_at_the_stated_input_is_reported():
    state = run_sizing("inverting amp, 26 dB of gain, 1 Vrms input, TL072 on ±15 V", mc_runs=0)
    assert state["result"].met
    assert any(n.startswith("CLIPPING") for n in state["notes"])
    ok = run_sizing("20 dB non-inverting preamp for a 100 mVpp signal, MCP6002 on 3.3 V", mc_runs=0)
    assert any(n.startswith("no clipping") for n in ok["notes"])


def test_met_means_tolerant():
    # ±2 % on a corner set by a 10 % capacitor cannot hold at 90 % of builds: say so, and which part to tighten
    state = run_sizing("RC low-pass filter, cut-off 1 kHz ± 2 %", mc_runs=20)
    s = summary(state)
    assert s["met_nominal"] and s["tolerance_limited"] and not s["pass"]
    assert "C1" in s["tighten"]
    wide = summary(run_sizing("RC low-pass filter, cut-off 1 kHz ± 20 %", mc_runs=20))
    assert wide["pass"] and wide["yield"] >= 0.9


def test_ambiguous_request_lists_options(capsys):
    with pytest.raises(SizingAmbiguous) as e:
        parse_request_rules("a filter at 1 kHz")
    assert {"rc_lowpass", "rc_highpass"} <= set(e.value.options)
    assert cli(["size", "a filter at 1 kHz"]) == 2
    assert "low-pass" in capsys.readouterr().out


def test_impossible_specs_name_the_limit(capsys):
    assert cli(["size", "LM317 regulator 5 V to 5 V, load current 100 mA"]) == 1
    assert "headroom" in " ".join(capsys.readouterr().out.split())
    assert cli(["size", "Schmitt trigger, upper threshold 6 V, lower threshold 2 V, LM358 at 5 V"]) == 1
    assert "between the supply rails" in " ".join(capsys.readouterr().out.split())
    for text, words in [("LED at -5 mA from 5 V", "must be a positive"), ("RC low pass at 1e30 Hz", "far outside"),
                        ("comparator tripping at 7 V, 5 V supply", "between the supply rails"),
                        ("555 astable at 10 MHz", "far outside")]:
        assert cli(["size", text, "--mc", "0"]) == 1, text
        assert words in " ".join(capsys.readouterr().out.split()), text


def test_blocks_emit_circuitjson_with_library_parts():
    block = make_block("noninverting_amplifier", {"opamp": "lm358", "vcc": 5})
    circ = block.to_circuit({"RF": 100e3, "RG": 10e3}, prefix="A1_")
    lib = Library.default()
    types = {p.id: p.type for p in circ.parts}
    assert types["A1_XU1"] == "lm358" and types["A1_RF"] == "resistor" and types["A1_CB"] == "capacitor"
    for c in circ.connections:                      # every endpoint is a real pin of a real record
        for end in (c.source, c.target):
            pid, pin = end.split(":")
            assert lib.pin(types[pid], pin) is not None, end
    assert set(circ.nets) >= {"in", "out", "vcc", "GND"}
    timer = make_block("ne555_astable").to_circuit({"RA": 1e3, "RB": 10e3, "C1": 100e-9})
    assert {p.type for p in timer.parts} == {"resistor", "capacitor", "ne555"}
    sw = make_block("bjt_switch", {"transistor": "2n2222"}).to_circuit({"RB": 1e3})
    assert any(p.type == "2n2222" for p in sw.parts)


def test_an_llm_fills_the_same_typed_spec_and_is_checked():
    answer = {"block": "led_driver", "specs": [{"name": "i_led", "op": "=", "target": 0.012, "tol": 0.1}],
              "env": {"vsupply": 5.0, "color": "red"}, "series": "E24"}
    with FakeLLM([{"json": answer}]) as srv:
        llm = LLMClient(LLMConfig(base_url=srv.base_url, api_key="t", model="fake", timeout=5, max_retries=1,
                                  backoff_base=0.01, backoff_cap=0.05))
        req, backend = parse_request("twelve milliamps through a red LED off five volts", llm)
        prompt = json.dumps(srv.requests[0])
    assert backend == "llm" and req.block == "led_driver" and req.spec_objects()[0].target == 0.012
    assert "i_led" in prompt and "LED current" in prompt          # the slots and their meaning went to the model
    bad = dict(answer, block="warp_drive")
    with FakeLLM([{"json": bad}, {"json": bad}]) as srv:         # an answer outside the library: the rules read it
        llm = LLMClient(LLMConfig(base_url=srv.base_url, api_key="t", model="fake", timeout=5, max_retries=1,
                                  backoff_base=0.01, backoff_cap=0.05))
        req, backend = parse_request("a red LED at 12 mA from 5 V", llm)
    assert backend == "rules" and req.block == "led_driver"


def test_a_rate_in_words_sizes_the_555():
    for text, hz in (("555 blinking about twice a second", 2.0), ("NE555 astable that ticks once every 4 seconds", 0.25)):
        req = parse_request_rules(text)
        assert req.block == "ne555_astable", text
        assert [(s.name, s.target) for s in req.specs] == [("frequency", pytest.approx(hz))]


def test_alike_readings_go_to_the_smallest_circuit_that_explains_the_request():
    # a low-pass at a corner is the RC pair unless the request asks for what only a larger stage gives
    assert parse_request_rules("a low-pass filter that cuts off around 2 kHz").block == "rc_lowpass"
    assert parse_request_rules("second order low-pass at 1 kHz with a Q of 0.707").block == "sallen_key_lowpass"
    # the parts the request lists decide between circuits that read the same values
    assert parse_request_rules("drop 9 volts to 5 volts with two resistors").block == "voltage_divider"
    # circuits alike in size stay a question
    with pytest.raises(SizingAmbiguous):
        parse_request_rules("a filter at 2 kHz")
