"""Bus rules: crossed I2C/SPI/UART lines, bus on a pin without the function, I2C pull-ups, one-way UART."""

import pytest

from tests.erc_util import build, findings, rules

UNO_MPU = "U1=arduino-uno U2=mpu6050"
POWER = "U2:VCC~U1:5V U2:GND~U1:GND"
ESP01 = "U1=esp32-devkit-v1 U2=esp-01"
RFID = "U1=esp32-devkit-v1 U2=mfrc522"
RFID_P = "U2:3.3V~U1:3V3 U2:GND~U1:GND U2:RST~U1:D4"
ESP01_P = "U2:VCC~U1:3V3 U2:GND~U1:GND U2:CH_PD~U1:3V3 U2:RST~U1:3V3"

# a BMP280-class breakout (SCK=SCL, MOSI=SDA, MISO=address, CSB=mode) on an ESP32
BARO = "U1=esp32-devkit-v1 U2=pressure-sensor"
BARO_P = "U2:3.3V~U1:3V3 U2:GND~U1:GND"
BARO_I2C = f"{BARO_P} U2:SCK~U1:D22 U2:MOSI~U1:D21"

CASES = [
    ("ERC-BUS-I2C-MISMATCH",
     build(UNO_MPU, f"{POWER} U2:SDA~U1:A5 U2:SCL~U1:A4"),
     build(UNO_MPU, f"{POWER} U2:SDA~U1:A4 U2:SCL~U1:A5")),
    ("ERC-BUS-UART-MISMATCH",
     build(ESP01, f"{ESP01_P} U2:TX~U1:TX2 U2:RX~U1:RX2"),
     build(ESP01, f"{ESP01_P} U2:TX~U1:RX2 U2:RX~U1:TX2")),
    ("ERC-BUS-PIN-FUNCTION",
     build(UNO_MPU, f"{POWER} U2:SDA~U1:D4 U2:SCL~U1:D5"),
     build(UNO_MPU, f"{POWER} U2:SDA~U1:A4 U2:SCL~U1:A5")),
    # an RC522 RFID reader on the ESP32's VSPI pins, MOSI and MISO crossed
    ("ERC-BUS-SPI-MISMATCH",
     build(f"{RFID}", f"{RFID_P} U2:MOSI~U1:D19 U2:MISO~U1:D23 U2:SCK~U1:D18 U2:SDA~U1:D5"),
     build(f"{RFID}", f"{RFID_P} U2:MOSI~U1:D23 U2:MISO~U1:D19 U2:SCK~U1:D18 U2:SDA~U1:D5")),
    # a BH1750 light sensor module without pull-ups on its I2C lines
    ("ERC-I2C-NO-PULLUP",
     build("U1=esp32-devkit-v1 U2=bh1750", "U2:VCC~U1:3V3 U2:GND~U1:GND U2:ADDR~U1:GND U2:SDA~U1:D21 U2:SCL~U1:D22"),
     build("U1=esp32-devkit-v1 U2=bh1750 R1=resistor(4.7k) R2=resistor(4.7k)",
           "U2:VCC~U1:3V3 U2:GND~U1:GND U2:ADDR~U1:GND U2:SDA~U1:D21 U2:SCL~U1:D22 "
           "U2:SDA~R1:1 R1:2~U1:3V3 U2:SCL~R2:1 R2:2~U1:3V3")),
    ("ERC-UART-TX-NO-RX",
     build(ESP01, f"{ESP01_P} U2:TX~U1:RX2"),
     build(ESP01, f"{ESP01_P} U2:TX~U1:RX2 U2:RX~U1:TX2")),
    # half I2C (SCK/MOSI on the I2C pins), half SPI (MISO/CSB on VSPI MISO and SS)
    ("ERC-BUS-MIXED-MODE",
     build(BARO, f"{BARO_I2C} U2:MISO~U1:D19 U2:CSB~U1:D5"),
     build(f"{BARO} R1=resistor(10k)", f"{BARO_I2C} U2:CSB~U1:3V3 U2:MISO~R1:1 R1:2~U1:3V3")),
    # on I2C with CSB floating; all four on SPI is fine
    ("ERC-BUS-MIXED-MODE",
     build(BARO, BARO_I2C),
     build(BARO, f"{BARO_P} U2:SCK~U1:D18 U2:MOSI~U1:D23 U2:MISO~U1:D19 U2:CSB~U1:D5")),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(library, rule, bad, good):
    assert rule in rules(bad, library)
    assert rule not in rules(good, library)


def test_i2c_swap_is_one_finding_with_a_swap_fix(library):
    fs = findings(build(UNO_MPU, f"{POWER} U2:SDA~U1:A5 U2:SCL~U1:A4"), library, "ERC-BUS-I2C-MISMATCH")
    assert len(fs) == 1
    assert fs[0].fix in ("swap_wires(U2:SDA, U2:SCL)", "swap_wires(U2:SCL, U2:SDA)")
    assert "SDA" in fs[0].message and "SCL" in fs[0].message


def test_uart_fix_swaps_module_pins(library):
    (f,) = findings(build(ESP01, f"{ESP01_P} U2:TX~U1:TX2 U2:RX~U1:RX2"), library, "ERC-BUS-UART-MISMATCH")
    assert f.fix == "swap_wires(U2:TX, U2:RX)"


def test_one_way_uart_fix_uses_the_matching_uart(library):
    (f,) = findings(build(ESP01, f"{ESP01_P} U2:TX~U1:RX2"), library, "ERC-UART-TX-NO-RX")
    assert f.fix == "connect(U2:RX, U1:TX2)"


def test_good_i2c_module_passes_cleanly(library):
    # the GY-521's on-board pull-ups go to its own 3.3 V regulator: a HIGH of 3.3 V on the Uno's 5 V
    # inputs (VIH 3 V) is marginal, which is a Minor note and nothing else
    fs = findings(build(UNO_MPU, f"{POWER} U2:SDA~U1:A4 U2:SCL~U1:A5"), library)
    assert {f.rule for f in fs} == {"ERC-LOGIC-LEVEL-MARGINAL"}
    assert all(f.severity.value == "Minor" for f in fs)


def test_spi_swap_fix(library):
    fs = findings(build(RFID, f"{RFID_P} U2:MOSI~U1:D19 U2:MISO~U1:D23 U2:SCK~U1:D18 U2:SDA~U1:D5"), library,
                  "ERC-BUS-SPI-MISMATCH")
    assert len(fs) == 1 and fs[0].fix in ("swap_wires(U2:MOSI, U2:MISO)", "swap_wires(U2:MISO, U2:MOSI)")


def test_i2c_pullup_fix_goes_to_the_3v3_rail(library):
    from circuit.fixes import apply_fixes
    from circuit.load import load_circuit

    doc = build("U1=esp32-devkit-v1 U2=bh1750", "U2:VCC~U1:3V3 U2:GND~U1:GND U2:ADDR~U1:GND U2:SDA~U1:D21 U2:SCL~U1:D22")
    fs = findings(doc, library, "ERC-I2C-NO-PULLUP")
    assert len(fs) == 2
    new, applied = apply_fixes(load_circuit(doc, library).circuit, fs, library)
    assert len(applied) == 2 and all("U1:3V3" in a for a in applied)
    assert findings(new, library) == []


def test_floating_chip_select_fix_ties_it_to_the_supply(library):
    from circuit.fixes import apply_fixes
    from circuit.load import load_circuit

    doc = build(BARO, BARO_I2C)
    fs = findings(doc, library, "ERC-BUS-MIXED-MODE")
    assert [f.fix for f in fs] == ["connect(U2:CSB, U2:3.3V)"]
    assert fs[0].severity.name == "MAJOR" and "floating" in fs[0].message
    fixed, applied = apply_fixes(load_circuit(doc, library).circuit, fs, library)
    assert applied and "ERC-BUS-MIXED-MODE" not in {f.rule for f in findings(fixed, library)}


def test_mixed_mode_is_seen_through_a_level_shifter(library):
    doc = build("U1=arduino-uno U2=pressure-sensor U3=logic-level-shifter",
                "U2:3.3V~U1:3.3V U2:GND~U1:GND U3:LV~U1:3.3V U3:HV~U1:5V U3:GND~U1:GND "
                "U2:SCK~U3:LV1 U3:HV1~U1:A5 U2:MOSI~U3:LV2 U3:HV2~U1:A4 "
                "U2:MISO~U3:LV3 U3:HV3~U1:D12 U2:CSB~U3:LV4 U3:HV4~U1:D10")
    assert "ERC-BUS-MIXED-MODE" in rules(doc, library)
