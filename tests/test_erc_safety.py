"""Safety rules (circuit/erc/safety.py): hazard classes from record data, isolation barriers, the safety ERC rules, the mains fixer
and the planner's mains structure (issue 20)."""

import json
from pathlib import Path

import pytest

from circuit.erc import run_erc
from circuit.fixes import apply_fixes
from circuit.hazard import HazardMap, VoltageClass, classify, is_isolated_supply, is_mains_load, is_mains_source
from circuit.load import load_circuit
from knowledge.library import Library
from pipelines.cli import main
from tests.erc_util import build, findings, rules

# the two circuits of the issue
UNO_OUTLET = build("U1=arduino-uno K1=relay-module J1=ac-power-output",
                   "K1:VCC~U1:5V K1:GND~U1:GND K1:IN~U1:D7 K1:NO~J1:LIVE J1:GND~U1:GND", "outlet neutral on GND")
ESP32_230V = build("U1=esp32-devkit-v1 K1=relay-module BT1=battery-generic(voltage=230) J1=ac-power-output",
                   "K1:VCC~U1:VIN K1:GND~U1:GND K1:IN~U1:D26 BT1:-~U1:GND BT1:+~K1:COM K1:NO~J1:LIVE J1:GND~BT1:-",
                   "230 V on the ESP32 ground")
SAFE = build("U1=esp32-devkit-v1 K1=relay-module J1=mains-input F1=fuse(rating=2A) L1=ac-power-output "
             "PS1=ac-dc-module-5v",
             "J1:L~F1:1 F1:2~K1:COM K1:NO~L1:LIVE J1:N~L1:GND F1:2~PS1:AC_L J1:N~PS1:AC_N PS1:+VO~U1:VIN "
             "PS1:-VO~U1:GND K1:VCC~U1:VIN K1:GND~U1:GND K1:IN~U1:D26", "safe mains lamp")


CORPUS = Path(__file__).resolve().parents[1] / "benchmarks" / "erc_corpus"


def corpus(name: str) -> dict:
    doc = json.loads((CORPUS / f"safety-{name}.json").read_text(encoding="utf-8"))
    doc.pop("expect")
    return doc


CASES = [
    ("SAFETY-HAZARD-TOUCHES-SELV", UNO_OUTLET, SAFE),
    ("SAFETY-HAZARD-TOUCHES-SELV", corpus("esp32-mains-on-gnd-relay"), SAFE),
    ("SAFETY-MAINS-NO-FUSE", corpus("mains-lamp-no-fuse"), SAFE),
    ("SAFETY-OVER-RATING", corpus("mains-heater-over-contact-rating"), corpus("mains-lamp-60w-good")),
    ("SAFETY-OVER-RATING", corpus("mains-lamp-transistor-switched"), corpus("bare-relay-mains-good")),
    ("SAFETY-OVER-RATING", corpus("mains-fuse-above-contact-rating"), corpus("mains-lamp-60w-good")),
    ("SAFETY-MAINS-NO-ISOLATED-SUPPLY", corpus("mains-lamp-usb-board-no-supply"), corpus("mains-lamp-usb-supply-good")),
    ("SAFETY-SOURCE-ABOVE-SELV", ESP32_230V, corpus("12v-pump-relay-good")),
    ("SAFETY-LI-CELL-UNPROTECTED", corpus("18650-bare-to-pico"), corpus("18650-via-tp4056-good")),
    ("SAFETY-CHARGE-NO-CHARGER", corpus("lipo-charged-from-usb-directly"), corpus("lipo-charged-by-tp4056-good")),
    ("SAFETY-CELLS-PARALLEL-UNMATCHED", corpus("cells-parallel-unmatched"), corpus("cells-parallel-matched")),
    ("SAFETY-CELLS-PARALLEL", corpus("cells-parallel-matched"), corpus("18650-via-tp4056-good")),
    ("SAFETY-COIN-CELL-PULSE", corpus("coin-cell-lora"), corpus("coin-cell-led-good")),
    ("SAFETY-CELL-REVERSED", corpus("lipo-reversed-into-pico"), corpus("18650-bare-to-pico")),
    ("SAFETY-CELL-SHORTED", corpus("18650-shorted"), corpus("18650-via-tp4056-good")),
]


@pytest.fixture(scope="module")
def lib():
    return Library.default()


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(lib, rule, bad, good):
    assert rule in rules(bad, lib)
    assert rule not in rules(good, lib)


def _critical(doc, lib, rule):
    return [f for f in findings(doc, lib, rule) if f.severity.value == "Critical"]


def test_voltage_classes_follow_the_selv_limits():
    assert classify(50, ac=True) is VoltageClass.SELV and classify(51, ac=True) is VoltageClass.HAZARDOUS
    assert classify(120, ac=False) is VoltageClass.SELV and classify(121, ac=False) is VoltageClass.HAZARDOUS
    assert classify(100, ac=False) is VoltageClass.SELV  # 100 V DC is SELV, 100 V AC is not
    assert classify(100, ac=True) is VoltageClass.HAZARDOUS


def test_records_declare_mains_and_barriers(lib):
    mains = [r for r in lib if is_mains_source(r)]
    assert mains and all({"mains_live", "mains_neutral", "protective_earth"} <=
                         {f for p in r.pins for f in p.functions} for r in mains)
    assert all(r.spice.kind != "battery" for r in mains)  # mains is never a battery
    assert any(is_isolated_supply(r) for r in lib)
    assert is_mains_load(lib["ac-power-output"])
    # every part with switch contacts and a coil or driver side declares the barrier between them
    for r in lib:
        contacts = {p.name for p in r.pins if {"contact_common", "contact_no"} & set(p.functions)}
        coil = [p for p in r.pins if "coil" in p.functions or p.type == "power_in"]
        if contacts and coil:
            assert any(contacts <= set(b.side_b) or contacts <= set(b.side_a) for b in r.isolation), r.key
    opto = [r for r in lib if r.isolation and any("led_anode" in p.functions for p in r.pins)]
    assert opto, "an optocoupler record declares LED <-> output isolation"


def test_hazard_map_stops_at_barriers(lib):
    hm = HazardMap(load_circuit(SAFE, lib).circuit, lib)
    assert hm.has_hazard and hm.headline() == "230 V AC mains"
    hz = set(hm.hazardous_parts)
    assert {"J1", "F1", "L1", "K1", "PS1"} <= hz and "U1" not in hz
    assert hm.hazardous_pins and "K1:IN" not in hm.hazardous_pins and "PS1:+VO" not in hm.hazardous_pins
    assert not hm.low_voltage_pins(hm.zones[0])
    assert not [f for f in run_erc(SAFE, lib) if f.rule.startswith("SAFETY-")]


@pytest.mark.parametrize("doc", [UNO_OUTLET, ESP32_230V], ids=["uno-outlet", "esp32-230v"])
def test_issue_circuits_fail_check_with_a_critical(doc, lib, tmp_path, capsys):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["check", str(path), "--json", "--no-spice"]) == 1
    out = json.loads(capsys.readouterr().out)
    crit = [f for f in out["findings"] if f["severity"] == "Critical" and f["rule"] == "SAFETY-HAZARD-TOUCHES-SELV"]
    assert crit and crit[0]["fix"].startswith("isolate_mains(")
    assert any(w.endswith(":GND") and w.startswith("U1") for w in crit[0]["where"])


def test_a_230v_battery_is_refused_with_a_message(lib):
    f = _critical(ESP32_230V, lib, "SAFETY-SOURCE-ABOVE-SELV")
    assert f and "230 V" in f[0].message and "mains" in f[0].message
    ok = build("U1=arduino-uno BT1=battery-generic(voltage=48) M1=dc-motor", "BT1:+~M1:+ M1:-~BT1:-")
    assert not findings(ok, lib, "SAFETY-SOURCE-ABOVE-SELV")
    # the relay's 30 V DC contact rating is exceeded by a hazardous DC source
    assert _critical(ESP32_230V, lib, "SAFETY-OVER-RATING")


def test_fixer_builds_the_safe_structure(lib):
    c = load_circuit(ESP32_230V, lib).circuit
    for _ in range(3):
        fs = run_erc(c, lib)
        if not any(f.rule.startswith("SAFETY-") and f.severity.blocking for f in fs):
            break
        c, applied = apply_fixes(c, fs, lib)
        assert applied
    assert not [f for f in run_erc(c, lib) if f.rule.startswith("SAFETY-") and f.severity.blocking]
    types = {p.id: p.type for p in c.parts}
    wires = {frozenset((w.source, w.target)) for w in c.connections}
    src = next(pid for pid, t in types.items() if lib[t].safety.mains_source)
    fuse = next(pid for pid, t in types.items() if lib[t].safety.overcurrent_protection)
    assert frozenset((f"{src}:L", f"{fuse}:1")) in wires and frozenset((f"{fuse}:2", "K1:COM")) in wires
    assert frozenset(("K1:NO", "J1:LIVE")) in wires and frozenset((f"{src}:N", "J1:GND")) in wires
    hm = HazardMap(c, lib)
    assert "U1" not in hm.hazardous_parts and not hm.low_voltage_pins(hm.zones[0])


def test_mains_without_fuse_or_isolated_supply(lib):
    no_fuse = build("U1=esp32-devkit-v1 K1=relay-module J1=mains-input L1=ac-power-output P1=usb-5v-supply",
                    "J1:L~K1:COM K1:NO~L1:LIVE J1:N~L1:GND K1:VCC~U1:VIN K1:GND~U1:GND K1:IN~U1:D26 "
                    "P1:5V~U1:VIN P1:GND~U1:GND")
    assert _critical(no_fuse, lib, "SAFETY-MAINS-NO-FUSE")
    assert not findings(no_fuse, lib, "SAFETY-MAINS-NO-ISOLATED-SUPPLY")  # the USB supply is isolated
    no_supply = build("U1=esp32-devkit-v1 K1=relay-module J1=mains-input F1=fuse L1=ac-power-output",
                      "J1:L~F1:1 F1:2~K1:COM K1:NO~L1:LIVE J1:N~L1:GND K1:VCC~U1:VIN K1:GND~U1:GND K1:IN~U1:D26")
    assert _critical(no_supply, lib, "SAFETY-MAINS-NO-ISOLATED-SUPPLY")
    assert not findings(no_supply, lib, "SAFETY-MAINS-NO-FUSE")


def test_cell_findings(lib):
    bare = build("U1=raspberry-pi-pico BT1=18650-battery", "BT1:+~U1:VSYS BT1:-~U1:GND")
    assert [f.severity.value for f in findings(bare, lib, "SAFETY-LI-CELL-UNPROTECTED")] == ["Major"]
    guarded = build("U1=raspberry-pi-pico BT1=18650-battery U2=tp4056",
                    "BT1:+~U2:BAT+ BT1:-~U2:BAT- U2:OUT+~U1:VSYS U2:OUT-~U1:GND")
    assert not [f for f in run_erc(guarded, lib) if f.rule.startswith("SAFETY-")]
    charged = build("P1=usb-5v-supply BT1=lipo-1s", "P1:5V~BT1:+ P1:GND~BT1:-")
    assert _critical(charged, lib, "SAFETY-CHARGE-NO-CHARGER")
    coin = build("BT1=cr2032 U2=sx1278-lora", "BT1:+~U2:3.3V BT1:-~U2:GND")
    assert findings(coin, lib, "SAFETY-COIN-CELL-PULSE")
    shorted = build("BT1=18650-battery", "BT1:+~BT1:-")
    assert _critical(shorted, lib, "SAFETY-CELL-SHORTED")
    reversed_ = build("U1=raspberry-pi-pico BT1=lipo-1s", "BT1:+~U1:GND BT1:-~U1:VSYS")
    assert _critical(reversed_, lib, "SAFETY-CELL-REVERSED")
    mixed = build("BT1=18650-battery BT2=lipo-1s U2=tp4056",
                  "BT1:+~U2:BAT+ BT1:-~U2:BAT- BT2:+~U2:BAT+ BT2:-~U2:BAT-")
    assert findings(mixed, lib, "SAFETY-CELLS-PARALLEL-UNMATCHED")


def test_mains_lamp_request_is_isolated_fused_and_marked(lib):
    from circuit.model import Circuit
    from circuit.render import render_svg
    from pipelines.design import design
    from pipelines.report import design_report

    turn = design("switch a bare 5v relay coil from an esp32 pin with a 2n2222 transistor, the relay turns on a "
                  "230v lamp", backend="rules")
    assert turn["passed"], turn["answer"]
    c = Circuit.model_validate(turn["circuit"])
    recs = {p.id: lib[p.type] for p in c.parts}
    assert not any(r.spice.kind == "battery" and (r.ratings.v_nominal or 0) > 120 for r in recs.values())
    assert not any(p.type == "battery-generic" for p in c.parts)  # no "230 V battery"
    src = next(pid for pid, r in recs.items() if r.safety.mains_source)
    fuse = next(pid for pid, r in recs.items() if r.safety.overcurrent_protection)
    relay = next(pid for pid, r in recs.items() if r.isolation and any("contact_no" in p.functions for p in r.pins))
    wires = {frozenset((w.source, w.target)) for w in c.connections}
    assert frozenset((f"{src}:L", f"{fuse}:1")) in wires and frozenset((f"{fuse}:2", f"{relay}:COM")) in wires
    hm = HazardMap(c, lib)
    assert hm.has_hazard and all(not hm.low_voltage_pins(z) for z in hm.zones)
    mcu = next(pid for pid, r in recs.items() if r.is_mcu)
    assert mcu not in hm.hazardous_parts
    assert any(is_isolated_supply(r) for r in recs.values())  # the ESP32 runs from an isolated supply
    assert not [f for f in turn["findings"] if f["rule"].startswith("SAFETY-")]
    svg = render_svg(c, lib)
    from circuit.render import plan as sheet_plan

    sheet = sheet_plan(c, lib)
    name, side = sheet.hazard[0]
    assert name == "hazardous side"  # one boundary round the parts wholly on the mains side ...
    assert all(side.contains(sheet.placed[p].footprint().cx, sheet.placed[p].footprint().cy) for p in (src, fuse))
    assert not side.overlaps(sheet.placed[mcu].footprint())  # ... and the controller outside it
    assert "hazard-zone" in svg and "DANGER 230 V AC mains" in svg and "stroke-dasharray" in svg
    assert "DANGER" in design_report(turn).split("## Request")[0] and "smart plug" in turn["answer"]
    from circuit.export import wiring_markdown

    heads = [h for h in wiring_markdown(c, lib).splitlines() if h.startswith("## ")]
    danger = [h for h in heads if "DANGER: hazardous voltage" in h]
    assert danger and all(f"`{mcu}:" not in h for h in danger)  # the mains nets, and no controller pin on them
    assert any(f"`{src}:L`" in h for h in danger)


def test_a_120v_load_is_mains_not_a_battery(lib):
    from circuit.model import Circuit
    from pipelines.design import design

    turn = design("An Arduino Uno switches a 120 V fan through a relay module", backend="rules")
    c = Circuit.model_validate(turn["circuit"])
    assert not any(lib[p.type].spice.kind == "battery" and not is_isolated_supply(lib[p.type]) for p in c.parts)
    src = [p for p in c.parts if lib[p.type].safety.mains_source]
    assert len(src) == 1 and src[0].attrs.get("voltage") == "120 V"
    hm = HazardMap(c, lib)
    assert hm.headline() == "120 V AC mains" and all(not hm.low_voltage_pins(z) for z in hm.zones)
    assert not [f for f in turn["findings"] if f["rule"].startswith("SAFETY-")]


def test_web_page_shows_the_safety_banner(tmp_path):
    import uuid

    from tests.webserver import design_turn, running_server

    tag = uuid.uuid4().hex[:8]  # fresh threads: the checkpointer may outlive this test
    with running_server(tmp_path) as base:
        mains = next(d for k, d in design_turn(base, f"mains-{tag}", "An Arduino Uno switches a 120 V fan through a "
                                                                       "relay module") if k == "design")
        plain = next(d for k, d in design_turn(base, f"plain-{tag}", "Blink an LED on an Arduino Uno") if k == "design")
    assert mains["safety"].startswith("DANGER: this design carries 120 V AC mains") and "smart plug" in mains["safety"]
    assert "DANGER" in mains["wiring"].split("Unplug")[0]
    assert plain["safety"] == ""


def test_kb_show_prints_barriers_and_safety_facts(capsys):
    assert main(["kb", "show", "relay-module"]) == 0
    out = capsys.readouterr().out
    assert "isolation: VCC, GND, IN | COM, NO, NC (1.5 kV)" in out and "contact_v_dc_max 30" in out
    assert main(["kb", "show", "mains-input"]) == 0
    assert "safety: mains_source, v_ac 230" in capsys.readouterr().out


def test_fixer_replaces_a_transistor_switching_mains_by_a_relay(lib):
    c = load_circuit(corpus("mains-lamp-transistor-switched"), lib).circuit
    fs = run_erc(c, lib)
    hint = next(f.fix for f in fs if f.rule == "SAFETY-HAZARD-TOUCHES-SELV")
    assert hint.startswith("isolate_mains(L1") and "Q1" in hint and "R1" in hint
    c, applied = apply_fixes(c, fs, lib)
    assert applied
    assert not [f for f in run_erc(c, lib) if f.rule.startswith("SAFETY-") and f.severity.blocking]
    types = {p.id: p.type for p in c.parts}
    assert "Q1" not in types and "R1" not in types
    relay = next(pid for pid, t in types.items() if lib[t].isolation and lib[t].pins_of_type("digital_in"))
    wires = {frozenset((w.source, w.target)) for w in c.connections}
    assert frozenset((f"{relay}:IN", "U1:D26")) in wires and frozenset((f"{relay}:NO", "L1:LIVE")) in wires
