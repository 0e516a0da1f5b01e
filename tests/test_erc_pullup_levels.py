"""I2C pull-ups set the HIGH level of the bus: a 3.3 V pull-up on a 5 V board is marginal (Minor),
a 5 V pull-up on a 3.3 V-only device is an over-voltage (Critical), in both gates."""

from circuit.findings import Severity
from circuit.gates import check_circuit
from circuit.model import Circuit
from circuit.spice_gate import run_spice_gate
from pipelines.design import design
from tests.erc_util import build, findings

UNO_BH = ("U1=arduino-uno S1=bh1750 R1=resistor(4.7k) R2=resistor(4.7k)",
          "S1:VCC~U1:3.3V S1:GND~U1:GND S1:SDA~U1:A4 S1:SCL~U1:A5 R1:1~U1:A4 R2:1~U1:A5")
ESP_BH = ("U1=esp32-devkit-v1 S1=bh1750 R1=resistor(4.7k) R2=resistor(4.7k) P1=power-supply-5v",
          "S1:VCC~U1:3V3 S1:GND~U1:GND S1:SDA~U1:D21 S1:SCL~U1:D22 R1:1~U1:D21 R2:1~U1:D22 P1:-~U1:GND")


def test_3v3_pullups_on_a_5v_board_are_a_minor_marginal_level(library):
    doc = build(UNO_BH[0], UNO_BH[1] + " R1:2~U1:3.3V R2:2~U1:3.3V")
    fs = findings(doc, library)
    marginal = [f for f in fs if f.rule == "ERC-LOGIC-LEVEL-MARGINAL"]
    assert sorted(f.where[1] for f in marginal) == ["U1:A4", "U1:A5"]
    assert all(f.severity is Severity.MINOR and "pulled up to only 3.3 V" in f.message for f in marginal)
    # the I2C pins only pull LOW: nothing drives 5 V into the 3.3 V sensor
    assert not [f for f in fs if f.severity.blocking], [str(f) for f in fs]
    assert check_circuit(doc, library).passed


def test_5v_pullups_on_the_same_bus_are_fine_for_the_uno_and_not_marginal(library):
    doc = build("U1=arduino-uno S1=mpu6050 R1=resistor(4.7k) R2=resistor(4.7k)",
                "S1:VCC~U1:5V S1:GND~U1:GND S1:SDA~U1:A4 S1:SCL~U1:A5 R1:1~U1:A4 R2:1~U1:A5 R1:2~U1:5V R2:2~U1:5V")
    got = {f.rule for f in findings(doc, library)}
    assert "ERC-LOGIC-LEVEL-MARGINAL" not in got and "ERC-LOGIC-LEVEL-TOO-LOW" not in got


def test_5v_pullups_on_3v3_only_i2c_pins_are_critical_in_both_gates(library):
    doc = build(ESP_BH[0], ESP_BH[1] + " R1:2~P1:+ R2:2~P1:+")
    erc = findings(doc, library, "ERC-PULLUP-OVERVOLTAGE")
    assert len(erc) == 2 and all(f.severity is Severity.CRITICAL for f in erc)
    assert {w for f in erc for w in f.where} >= {"U1:D21", "S1:SDA", "R1", "U1:D22", "S1:SCL", "R2"}
    spice = run_spice_gate(Circuit.model_validate(doc), library)
    over = {f.where[0] for f in spice.findings if f.rule == "SPICE-OVERVOLTAGE" and f.severity is Severity.CRITICAL}
    assert over == {"U1:D21", "U1:D22", "S1:SDA", "S1:SCL"}


def test_module_with_its_own_regulator_reads_3v3_logic(library):
    # an SSD1306 board powered at 5 V runs its logic from its own 3.3 V regulator: an ESP32's 3.3 V is enough
    doc = build("U1=esp32-devkit-v1 D1=ssd1306 P1=power-supply-5v",
                "P1:+~U1:VIN P1:-~U1:GND D1:VCC~P1:+ D1:GND~U1:GND D1:SDA~U1:D21 D1:SCL~U1:D22")
    got = {f.rule for f in findings(doc, library)}
    assert "ERC-LOGIC-LEVEL-TOO-LOW" not in got and "ERC-PULLUP-OVERVOLTAGE" not in got


def test_a_data_line_pull_up_takes_the_value_its_record_states(library):
    """The DS18B20's record states its 1-Wire pull-up (about 5 kΩ, 4.7 kΩ typical): the planner uses it, and
    the ERC flags a value outside the stated range."""
    doc = build("U1=arduino-uno S1=ds18b20 R1=resistor(22k)",
                "S1:VDD~U1:5V S1:GND~U1:GND S1:DQ~U1:D4 R1:1~U1:D4 R1:2~U1:5V")
    assert [f.rule for f in findings(doc, library, "ERC-COMPANION-VALUE")] == ["ERC-COMPANION-VALUE"]
    turn = design("a DS18B20 thermometer read by an Arduino Nano", backend="rules")
    c = Circuit.model_validate(turn["circuit"])
    resistors = [(p.id, p.attrs) for p in c.parts if p.type == "resistor"]
    assert turn["passed"] and [a.get("value") for _, a in resistors] == ["4.7 kΩ"], resistors
