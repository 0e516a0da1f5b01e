"""Pins with two bus functions: the bus rule picks the function both ends share.

A BMP280's SDA is its I2C data line and its SPI data input (SDI); a Raspberry Pi Pico's GP4 is
I2C0 SDA and SPI0 RX. Wired SDA to SDA, that is a correct I2C link, not crossed SPI lines.
"""

from circuit.findings import passes
from tests.erc_util import build, findings, rules

PICO_BMP = "U1=raspberry-pi-pico S1=bmp280"
PICO_PWR = "U1:3V3~S1:VCC U1:GND~S1:GND"
ESP_BMP = "U1=esp32-devkit-v1 S1=bmp280"
ESP_PWR = "U1:3V3~S1:VCC U1:GND~S1:GND"
BUS_RULES = {"ERC-BUS-SPI-MISMATCH", "ERC-BUS-I2C-MISMATCH", "ERC-BUS-PIN-FUNCTION"}


def test_pico_i2c_to_bmp280_is_not_crossed_spi(library):
    doc = build(PICO_BMP, f"{PICO_PWR} U1:GP4~S1:SDA U1:GP5~S1:SCL")
    fs = findings(doc, library)
    assert not BUS_RULES & {f.rule for f in fs}, [str(f) for f in fs]
    assert passes(fs)


def test_pico_i2c_swapped_is_one_i2c_finding_with_a_swap(library):
    fs = findings(build(PICO_BMP, f"{PICO_PWR} U1:GP5~S1:SDA U1:GP4~S1:SCL"), library)
    crossed = [f for f in fs if f.rule.startswith("ERC-BUS-")]
    assert [f.rule for f in crossed] == ["ERC-BUS-I2C-MISMATCH"]
    assert crossed[0].fix in ("swap_wires(S1:SDA, S1:SCL)", "swap_wires(S1:SCL, S1:SDA)")


def test_bmp280_over_spi_is_an_spi_bus_without_i2c_warnings(library):
    # SDA is SDI (MOSI), SCL is SCK, SDO is MISO, CSB the chip select
    doc = build(ESP_BMP, f"{ESP_PWR} U1:D23~S1:SDA U1:D19~S1:SDO U1:D18~S1:SCL U1:D5~S1:CSB")
    got = rules(doc, library)
    assert not (BUS_RULES | {"ERC-I2C-NO-PULLUP"}) & got, got


def test_bmp280_over_spi_with_mosi_and_miso_swapped_is_crossed_spi(library):
    doc = build(ESP_BMP, f"{ESP_PWR} U1:D19~S1:SDA U1:D23~S1:SDO U1:D18~S1:SCL U1:D5~S1:CSB")
    (f,) = findings(doc, library, "ERC-BUS-SPI-MISMATCH")
    assert f.fix in ("swap_wires(S1:SDA, S1:SDO)", "swap_wires(S1:SDO, S1:SDA)")
    assert "ERC-BUS-I2C-MISMATCH" not in rules(doc, library)


def test_pico_spi_to_bmp280_on_dual_role_pins(library):
    # GP3 is I2C1 SCL and SPI0 TX; GP2 is I2C1 SDA and SPI0 SCK: as SPI these links are consistent
    doc = build(PICO_BMP, f"{PICO_PWR} U1:GP3~S1:SDA U1:GP4~S1:SDO U1:GP2~S1:SCL U1:GP5~S1:CSB")
    got = rules(doc, library)
    assert not (BUS_RULES | {"ERC-I2C-NO-PULLUP"}) & got, got


def test_pico_second_i2c_instance_is_fine(library):
    # GP14/GP15 are I2C1 SDA/SCL (and SPI1 SCK/TX)
    doc = build(PICO_BMP, f"{PICO_PWR} U1:GP14~S1:SDA U1:GP15~S1:SCL")
    got = rules(doc, library)
    assert not BUS_RULES & got, got
