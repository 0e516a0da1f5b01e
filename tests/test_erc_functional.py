"""Functional ERC from record data (issue 11): required inputs, peak current on the power path,
record companions, input common-mode range, a load's supply range — and the fixes that apply."""

import pytest

from circuit.erc import run_erc
from circuit.findings import Severity
from circuit.fixes import apply_fixes
from circuit.model import Circuit
from knowledge.record import ComponentRecord
from tests.erc_util import build, findings, rules

LM358 = "U1=arduino-uno U2=lm358 C1=ceramic-capacitor(100n)"
LM358_W = "U2:VCC~U1:5V U2:GND~U1:GND C1:1~U2:VCC C1:2~U2:GND U2:1OUT~U1:A0"
FOLLOWER = "U2:1IN-~U2:1OUT"
DIVIDER = "R1:1~U1:5V R1:2~U2:1IN+ R2:1~U2:1IN+ R2:2~U1:GND"
STRIP = "U1=arduino-uno PS1=power-supply-5v L1=ws2812b L2=ws2812b"
STRIP_W = "PS1:-~U1:GND L1:5V~PS1:+ L2:5V~PS1:+ L1:GND~PS1:- L2:GND~PS1:- L1:DOUT~L2:DIN"
AMS = "U1=esp32-devkit-v1 U2=ams1117-3.3 S1=bme280 C1=electrolytic-capacitor(10u)"
AMS_W = "U2:IN~U1:VIN U2:GND~U1:GND U2:OUT~S1:VCC S1:GND~U1:GND S1:SDA~U1:D21 S1:SCL~U1:D22 C1:+~U2:IN C1:-~U2:GND"
FAN = "U1=arduino-uno F1=fan-12v Q1=irlz44n R1=resistor(220) R2=resistor(10k) D1=1n4007"
FAN_W = ("F1:-~Q1:D Q1:S~U1:GND U1:D9~R1:1 R1:2~Q1:G R2:1~Q1:G R2:2~U1:GND D1:K~F1:+ D1:A~F1:-")

CASES = [
    ("ERC-REQUIRED-PIN-FLOATING",
     build(LM358, LM358_W),
     build(LM358 + " RV1=potentiometer(10k)", LM358_W + " RV1:VCC~U1:5V RV1:GND~U1:GND RV1:OUT~U2:1IN+ " + FOLLOWER)),
    ("ERC-PEAK-CURRENT",
     build("U1=arduino-uno M1=mg996r", "M1:VCC~U1:5V M1:GND~U1:GND M1:PWM~U1:D9"),
     build("U1=arduino-uno M1=sg90", "M1:VCC~U1:5V M1:GND~U1:GND M1:PWM~U1:D9")),
    ("ERC-COMPANION-MISSING",
     build(STRIP, STRIP_W + " U1:D6~L1:DIN"),
     build(STRIP + " R1=resistor(330) C1=electrolytic-capacitor(1000u)",
           STRIP_W + " U1:D6~R1:1 R1:2~L1:DIN C1:+~PS1:+ C1:-~PS1:-")),
    ("ERC-COMPANION-VALUE",
     build(AMS + " C2=ceramic-capacitor(100n)", AMS_W + " C2:1~U2:OUT C2:2~U2:GND"),
     build(AMS + " C2=electrolytic-capacitor(22u)", AMS_W + " C2:+~U2:OUT C2:-~U2:GND")),
    ("ERC-INPUT-COMMON-MODE",
     build(LM358 + " R1=resistor(1k) R2=resistor(10k)", f"{LM358_W} {DIVIDER} {FOLLOWER}"),
     build(LM358 + " R1=resistor(10k) R2=resistor(10k)", f"{LM358_W} {DIVIDER} {FOLLOWER}")),
    ("ERC-SOUNDER-STEADY-DC",
     build("BT1=battery-9v SW1=push-button R1=resistor(100) LS1=speaker",
           "BT1:VCC~SW1:1 SW1:2~R1:1 R1:2~LS1:+ LS1:-~BT1:GND"),
     build("U1=arduino-uno LS1=speaker Q1=2n2222 RB=resistor(1k) R1=resistor(33) D1=1n4148",
           "R1:1~U1:5V R1:2~LS1:+ LS1:-~Q1:C Q1:E~U1:GND U1:D9~RB:1 RB:2~Q1:B D1:K~LS1:+ D1:A~LS1:-")),
    ("ERC-LOAD-UNDERVOLTAGE",
     build(FAN, FAN_W + " U1:5V~F1:+"),
     build(FAN + " PS1=power-supply-12v", FAN_W + " PS1:+~F1:+ PS1:-~U1:GND")),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(library, rule, bad, good):
    assert rule in rules(bad, library)
    assert rule not in rules(good, library)


def _fixed(doc, library):
    circuit = Circuit.model_validate(doc)
    new, applied = apply_fixes(circuit, run_erc(circuit, library), library)
    return new, applied, run_erc(new, library)


def _severities(fs, rule):
    return [f.severity for f in fs if f.rule == rule]


def test_mg996r_on_uno_5v_is_major_and_gets_its_own_5_to_6v_supply(library):
    doc = CASES[1][1]
    (f,) = findings(doc, library, "ERC-PEAK-CURRENT")
    assert f.severity is Severity.MAJOR and "2.5 A" in f.message and f.fix.startswith("own_supply(M1:VCC")
    new, applied, after = _fixed(doc, library)
    assert not [g for g in after if g.severity.blocking], after
    nets = {frozenset((c.source, c.target)) for c in new.connections}
    assert frozenset(("M1:VCC", "U1:5V")) not in nets  # off the board's pin
    from circuit.erc.context import ErcContext

    ctx = ErcContext(new, library)
    (rail, volts), = ctx.rails_in(ctx.group("M1:VCC", switched=True))
    assert 4.8 <= volts <= 6.0 and not ctx.is_mcu(ctx.part_of(rail))
    rec = library[new.part(ctx.part_of(rail)).type]
    assert (rec.ratings.i_out_max or 0) >= 2.5
    # common ground: the new supply's ground is the Uno's
    assert ctx.group("U1:GND").key == ctx.group(f"{ctx.part_of(rail)}:{rec.pins_of_type('ground')[0].name}").key


def test_sim800l_on_nano_5v_is_major_and_gets_a_2a_supply(library):
    doc = build("U1=arduino-nano U2=sim800l", "U2:5V~U1:5V U2:GND~U1:GND U2:VDD~U1:5V U2:TX~U1:D2 U2:RX~U1:D3 U2:RST~U1:D4")
    assert _severities(run_erc(doc, library), "ERC-PEAK-CURRENT") == [Severity.MAJOR]
    new, applied, after = _fixed(doc, library)
    assert "ERC-PEAK-CURRENT" not in {g.rule for g in after}
    from circuit.erc.context import ErcContext
    from circuit.erc.peak_current import limit_of

    ctx = ErcContext(new, library)
    (rail, _), = ctx.rails_in(ctx.group("U2:5V", switched=True))
    assert limit_of(ctx, rail) >= 2.0 and not ctx.is_mcu(ctx.part_of(rail))
    assert ctx.group("U2:VDD").key == ctx.group("U1:5V").key  # the logic reference stays on the Nano


def test_ws2812b_strip_without_companions_is_fixed_with_record_values(library):
    doc = CASES[2][1]
    got = findings(doc, library, "ERC-COMPANION-MISSING")
    assert len(got) == 2 and all(f.severity is Severity.MINOR for f in got)
    new, applied, after = _fixed(doc, library)
    assert not {"ERC-COMPANION-MISSING", "ERC-COMPANION-VALUE"} & {g.rule for g in after}
    values = sorted(p.attrs.get("value") for p in new.parts if p.type in ("resistor", "electrolytic-capacitor"))
    assert values == ["1000u", "330"]


def test_lm358_with_floating_inputs_is_major(library):
    (f,) = findings(CASES[0][1], library, "ERC-REQUIRED-PIN-FLOATING")
    assert f.severity is Severity.MAJOR
    assert set(f.where) == {"U2:1IN+", "U2:1IN-"}  # the unused second amplifier is not reported


def test_ac_coupled_input_without_bias_floats(library):
    doc = build(LM358 + " MK1=max4466 C2=ceramic-capacitor(1u)",
                f"{LM358_W} {FOLLOWER} MK1:VCC~U1:5V MK1:GND~U1:GND MK1:OUT~C2:1 C2:2~U2:1IN+")
    assert "ERC-REQUIRED-PIN-FLOATING" in rules(doc, library)
    biased = build(LM358 + " MK1=max4466 C2=ceramic-capacitor(1u) R1=resistor(100k) R2=resistor(100k)",
                   f"{LM358_W} {FOLLOWER} {DIVIDER} MK1:VCC~U1:5V MK1:GND~U1:GND MK1:OUT~C2:1 C2:2~U2:1IN+")
    assert not {"ERC-REQUIRED-PIN-FLOATING", "ERC-INPUT-COMMON-MODE"} & rules(biased, library)


def test_ams1117_with_100nf_output_needs_the_records_capacitor(library):
    doc = CASES[3][1]
    (f,) = findings(doc, library, "ERC-COMPANION-VALUE")
    assert f.severity is Severity.MAJOR and "10 µF" in f.message
    new, applied, after = _fixed(doc, library)
    assert "ERC-COMPANION-VALUE" not in {g.rule for g in after}
    assert any(p.attrs.get("value") == "22u" for p in new.parts)


def test_12v_motor_on_3v_battery_is_major(library):
    doc = build("B1=battery-generic(voltage=3) M1=fan-12v SW1=slide-switch", "B1:+~SW1:1 SW1:2~M1:+ M1:-~B1:-")
    assert _severities(run_erc(doc, library), "ERC-LOAD-UNDERVOLTAGE") == [Severity.MAJOR]


def test_records_name_only_their_own_pins(library):
    rec = library["lm358"].model_dump()
    rec["requires"]["required_pins"] = ["IN9+"]
    with pytest.raises(ValueError, match="IN9"):
        ComponentRecord.model_validate(rec)
    rec = library["ws2812b"].model_dump()
    rec["requires"]["companions"][0]["pins"] = ["VBAT", "GND"]
    with pytest.raises(ValueError, match="VBAT"):
        ComponentRecord.model_validate(rec)
    rec = library["ws2812b"].model_dump()
    rec["requires"]["companions"][0]["min"] = 2e-3
    with pytest.raises(ValueError, match="typical"):
        ComponentRecord.model_validate(rec)


def test_a_required_enable_the_record_ties_high_gets_a_pull_up(library):
    doc = build("U1=arduino-uno U2=tb6612fng M1=dc-motor B1=aa-battery-pack",
                "U2:VCC~U1:5V U2:GND~U1:GND B1:+~U2:VM B1:-~U2:GND U2:AO1~M1:+ U2:AO2~M1:- "
                "U2:PWMA~U1:D5 U2:AIN1~U1:D7 U2:AIN2~U1:D8")
    (f,) = findings(doc, library, "ERC-REQUIRED-PIN-FLOATING")
    assert f.where == ["U2:STBY"] and f.fix == "add_pullup(U2:STBY, 10 kΩ)"
    new, applied, after = _fixed(doc, library)
    assert "ERC-REQUIRED-PIN-FLOATING" not in {g.rule for g in after}
    from circuit.erc.context import ErcContext

    assert ErcContext(new, library).group_voltage("U2:STBY") is None  # pulled, not shorted: a pin may still drive it


def test_a_sounder_needs_a_signal_only_when_its_record_says_so(library):
    """A passive buzzer on 5V/GND is silent (Major); an active buzzer there beeps (its own oscillator)."""
    silent = build("U1=arduino-uno BZ1=passive-buzzer", "BZ1:+~U1:5V BZ1:-~U1:GND")
    assert _severities(run_erc(silent, library), "ERC-SOUNDER-STEADY-DC") == [Severity.MAJOR]
    beeps = build("PS1=power-supply-5v BZ1=buzzer", "BZ1:VCC~PS1:+ BZ1:GND~PS1:-")
    assert "ERC-SOUNDER-STEADY-DC" not in rules(beeps, library)
    assert library["speaker"].requires.signal_drive and not library["buzzer"].requires.signal_drive


def test_a_sounder_on_dc_is_silent_past_a_potentiometer_and_a_converter(library):
    """A speaker fed from a buck converter's output, with a potentiometer across the battery beside it, still sits on
    steady DC: a potentiometer carries what reaches its legs like a resistor, a converter's supply input is a supply.
    A controller pin on the way is a signal."""
    parts = "BT1=battery-9v U1=lm2596-buck-converter LS1=speaker RV1=potentiometer(10k)"
    wires = "U1:IN+~BT1:+ U1:IN-~BT1:- RV1:VCC~BT1:+ RV1:GND~BT1:- U1:OUT-~BT1:- LS1:+~U1:OUT+"
    silent = build(parts, wires + " LS1:-~BT1:-")
    assert _severities(run_erc(silent, library), "ERC-SOUNDER-STEADY-DC") == [Severity.MAJOR]
    driven = build(parts + " U2=arduino-uno Q1=2n2222 R1=resistor(1k)",
                   wires + " U2:GND~BT1:- U2:D9~R1:1 R1:2~Q1:B Q1:E~BT1:- LS1:-~Q1:C")
    assert "ERC-SOUNDER-STEADY-DC" not in rules(driven, library)
