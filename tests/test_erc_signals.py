"""Logic levels, output contention, decoupling and connectivity rules (plus the structural ones run_erc re-runs)."""

import pytest

from tests.erc_util import build, findings, rules

SONAR = "U2=hc-sr04"
SONAR_P = "U2:VCC~U1:5V U2:GND~U1:GND"
OPAMP = "U1=arduino-uno U2=lm358 RV1=potentiometer(10k)"
OPAMP_W = "U2:VCC~U1:5V U2:GND~U1:GND RV1:VCC~U1:5V RV1:GND~U1:GND RV1:OUT~U2:1IN+ U2:1IN-~U2:1OUT U2:1OUT~U1:A0"
LED = "U1=arduino-uno R1=resistor(220) LED1=led"
LED_W = "U1:D13~R1:1 R1:2~LED1:+ LED1:-~U1:GND"

CASES = [
    # an ESP32 output (3.3 V) into an Uno input (VIH 3.0 V at 5 V)
    ("ERC-LOGIC-LEVEL-MARGINAL",
     build("U1=arduino-uno U2=esp32-devkit-v1", "U2:D4~U1:D2 U1:GND~U2:GND"),
     build("U1=arduino-uno U2=esp32-devkit-v1 U3=hc-sr04", "U2:D4~U3:TRIG U3:VCC~U1:5V U3:GND~U1:GND U1:GND~U2:GND")),
    # a WS2812B at 5 V needs 0.7 x VDD = 3.5 V for HIGH; an ESP32 gives 3.3 V
    ("ERC-LOGIC-LEVEL-TOO-LOW",
     build("U1=esp32-devkit-v1 PX1=ws2812b", "PX1:5V~U1:VIN PX1:GND~U1:GND PX1:DIN~U1:D5"),
     build("U1=arduino-uno PX1=ws2812b", "PX1:5V~U1:5V PX1:GND~U1:GND PX1:DIN~U1:D6")),
    # ESP32 GPIO34 is input-only: it cannot run a DHT22's data line or an LED
    ("ERC-INPUT-ONLY-PIN-DRIVES",
     build("U1=esp32-devkit-v1 S1=dht22 R1=resistor(10k)", "S1:VCC~U1:3V3 S1:GND~U1:GND S1:DATA~U1:D34 S1:DATA~R1:1 R1:2~U1:3V3"),
     build("U1=esp32-devkit-v1 S1=dht22 R1=resistor(10k)", "S1:VCC~U1:3V3 S1:GND~U1:GND S1:DATA~U1:D4 S1:DATA~R1:1 R1:2~U1:3V3")),
    ("ERC-INPUT-ONLY-PIN-DRIVES",
     build("U1=esp32-devkit-v1 R1=resistor(330) LED1=led", "U1:D35~R1:1 R1:2~LED1:+ LED1:-~U1:GND"),
     build("U1=esp32-devkit-v1 RV1=potentiometer", "RV1:VCC~U1:3V3 RV1:GND~U1:GND RV1:OUT~U1:D35")),
    # a divider the wrong way round: 1k from the 5 V echo, 10k to ground gives 4.5 V on the pin
    ("ERC-PIN-OVERVOLTAGE",
     build("U1=esp32-devkit-v1 U2=hc-sr04 R1=resistor(1k) R2=resistor(10k)",
           "U2:VCC~U1:VIN U2:GND~U1:GND U2:TRIG~U1:D5 U2:ECHO~R1:1 R1:2~U1:D18 U1:D18~R2:1 R2:2~U1:GND"),
     build("U1=esp32-devkit-v1 U2=hc-sr04 R1=resistor(10k) R2=resistor(18k)",
           "U2:VCC~U1:VIN U2:GND~U1:GND U2:TRIG~U1:D5 U2:ECHO~R1:1 R1:2~U1:D18 U1:D18~R2:1 R2:2~U1:GND")),
    ("ERC-MULTIPLE-DRIVERS",
     build(f"U1=arduino-uno {SONAR} U3=pir-motion",
           f"{SONAR_P} U3:+~U1:5V U3:-~U1:GND U2:TRIG~U1:D7 U2:ECHO~U1:D8 U3:D~U1:D8"),
     build(f"U1=arduino-uno {SONAR} U3=pir-motion",
           f"{SONAR_P} U3:+~U1:5V U3:-~U1:GND U2:TRIG~U1:D7 U2:ECHO~U1:D8 U3:D~U1:D2")),
    # a bare op-amp without its 100 nF (a regulator's capacitors are its record's companions: ERC-COMPANION-*)
    ("ERC-NO-DECOUPLING",
     build(OPAMP, OPAMP_W),
     build(OPAMP + " C1=ceramic-capacitor(100n)", OPAMP_W + " C1:1~U2:VCC C1:2~U2:GND")),
    ("ERC-UNCONNECTED-PART",
     build(LED + " LED2=led", LED_W),
     build(LED, LED_W)),
    ("ERC-DANGLING-PIN",
     build(LED + " R2=resistor(1k)", LED_W + " U1:D12~R2:1"),
     build(LED, LED_W)),
    ("ERC-UNCONNECTED-INPUT",
     build(f"U1=arduino-uno {SONAR}", f"{SONAR_P} U2:ECHO~U1:D8"),
     build(f"U1=arduino-uno {SONAR}", f"{SONAR_P} U2:ECHO~U1:D8 U2:TRIG~U1:D7")),
    ("ERC-DUPLICATE-WIRE",
     build(LED, LED_W + " U1:13~R1:1"),
     build(LED, LED_W)),
    # structural rules (from circuit.load) that run_erc re-runs
    ("ERC-SELF-CONNECTION", build(LED, LED_W + " U1:D12~U1:12"), build(LED, LED_W)),
    ("ERC-UNKNOWN-PART", build(LED + " X1=flux-capacitor", LED_W), build(LED, LED_W)),
    ("ERC-UNKNOWN-PIN", build(LED, LED_W + " U1:D99~R1:1"), build(LED, LED_W)),
    ("ERC-UNKNOWN-PART-ID", build(LED, LED_W + " U9:D2~R1:1"), build(LED, LED_W)),
    # power and ground of modules
    ("ERC-NO-POWER",
     build(f"U1=arduino-uno {SONAR}", "U2:GND~U1:GND U2:TRIG~U1:D7 U2:ECHO~U1:D8"),
     build(f"U1=arduino-uno {SONAR}", f"{SONAR_P} U2:TRIG~U1:D7 U2:ECHO~U1:D8")),
    ("ERC-NO-GROUND",
     build(f"U1=arduino-uno {SONAR}", "U2:VCC~U1:5V U2:TRIG~U1:D7 U2:ECHO~U1:D8"),
     build(f"U1=arduino-uno {SONAR}", f"{SONAR_P} U2:TRIG~U1:D7 U2:ECHO~U1:D8")),
    # a 5 V sensor on the ESP32's 3.3 V rail
    ("ERC-SUPPLY-UNDERVOLTAGE",
     build(f"U1=esp32-devkit-v1 {SONAR} PS1=power-supply-5v",
           "U2:VCC~U1:3V3 U2:GND~U1:GND PS1:-~U1:GND PS1:+~U1:VIN U2:TRIG~U1:D4"),
     build(f"U1=esp32-devkit-v1 {SONAR} PS1=power-supply-5v",
           "U2:VCC~PS1:+ U2:GND~U1:GND PS1:-~U1:GND PS1:+~U1:VIN U2:TRIG~U1:D4")),
    ("ERC-SUPPLY-ABOVE-RATED",
     build(LED + " B1=battery-generic(voltage=15)", LED_W + " B1:+~U1:Vin B1:-~U1:GND"),
     build(LED + " B1=battery-9v", LED_W + " B1:VCC~U1:Vin B1:GND~U1:GND")),
    # the motor battery's ground is not joined to the board's ground
    ("ERC-NO-COMMON-GROUND",
     build(LED + " B1=battery-9v M1=dc-motor Q1=tip120 RB=resistor(1k) D1=1n4007",
           LED_W + " B1:VCC~M1:+ M1:-~Q1:C Q1:E~B1:GND U1:D9~RB:1 RB:2~Q1:B D1:K~M1:+ D1:A~M1:-"),
     build(LED + " B1=battery-9v M1=dc-motor Q1=tip120 RB=resistor(1k) D1=1n4007",
           LED_W + " B1:VCC~M1:+ M1:-~Q1:C Q1:E~B1:GND U1:D9~RB:1 RB:2~Q1:B D1:K~M1:+ D1:A~M1:- B1:GND~U1:GND")),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(library, rule, bad, good):
    assert rule in rules(bad, library)
    assert rule not in rules(good, library)


def test_undervoltage_fix_moves_to_5v(library):
    doc = next(c[1] for c in CASES if c[0] == "ERC-SUPPLY-UNDERVOLTAGE")
    (f,) = findings(doc, library, "ERC-SUPPLY-UNDERVOLTAGE")
    assert f.fix in ("move_wire(U2:VCC, PS1:+)", "move_wire(U2:VCC, U1:VIN)")  # any 5 V rail


def test_common_ground_fix_joins_grounds(library):
    (f,) = findings(CASES[-1][1], library, "ERC-NO-COMMON-GROUND")
    assert f.fix in ("connect(B1:GND, U1:GND)", "connect(U1:GND, B1:GND)")


def test_usb_board_without_ground_to_a_battery_driver_is_a_common_ground_problem(library):
    doc = build("U1=arduino-uno B1=battery-9v U2=l298n M1=dc-motor",
                "B1:VCC~U2:12V B1:GND~U2:GND U2:OUT1~M1:+ U2:OUT2~M1:- U1:D5~U2:ENA U1:D7~U2:IN1 U1:D8~U2:IN2 "
                "U1:D9~U2:IN3 U1:D10~U2:IN4 U1:D6~U2:ENB")
    got = {(f.rule, f.severity.value) for f in findings(doc, library)}
    assert ("ERC-NO-COMMON-GROUND", "Major") in got
    assert not any(r == "ERC-NO-GROUND" for r, _ in got)
    (f,) = findings(doc, library, "ERC-NO-COMMON-GROUND")
    assert f.fix == "connect(U1:GND, B1:GND)" or f.fix == "connect(U1:GND, U2:GND)"


def test_module_ground_switched_by_a_transistor_is_not_a_second_supply(library):
    doc = build("U1=arduino-uno BZ1=buzzer Q1=2n2222 RB=resistor(1k)",
                "BZ1:VCC~U1:5V BZ1:GND~Q1:C Q1:E~U1:GND U1:D8~RB:1 RB:2~Q1:B")
    assert findings(doc, library) == []
