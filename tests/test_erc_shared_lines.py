"""Lines that several parts share legitimately: SPI MISO between selectable devices, and a driver's
logic inputs judged against its logic supply (VDD), not its motor supply (VMOT)."""

from __future__ import annotations

from tests.erc_util import build, findings, rules

# an MFRC522 and an SD card on one SPI bus, each with its own chip select (3.3 V parts on a 3.3 V board)
SPI_PARTS = "U1=esp32-devkit-v1 RF=mfrc522 SD=micro-sd-card"
SPI_BUS = ("U1:3V3~RF:3.3V RF:GND~U1:GND U1:3V3~SD:VCC SD:GND~U1:GND "
           "U1:D18~RF:SCK U1:D18~SD:SCK U1:D23~RF:MOSI U1:D23~SD:DI U1:D19~RF:MISO U1:D19~SD:DO "
           "U1:D5~RF:SDA U1:D4~SD:CS")


def test_spi_devices_share_miso_through_their_chip_selects(library):
    assert "ERC-MULTIPLE-DRIVERS" not in rules(build(SPI_PARTS, SPI_BUS), library)


def test_a_miso_whose_chip_select_is_grounded_fights_the_other(library):
    doc = build(SPI_PARTS, SPI_BUS.replace("U1:D4~SD:CS", "SD:CS~U1:GND"))
    (f,) = findings(doc, library, "ERC-MULTIPLE-DRIVERS")
    assert set(f.where) == {"RF:MISO", "SD:DO"}


def test_driver_logic_inputs_follow_vdd_not_the_motor_supply(library):
    parts = "U1=esp32-devkit-v1 D1=a4988 PS=power-supply-12v"
    wires = "PS:+~D1:VMOT PS:-~U1:GND D1:GND~U1:GND U1:D26~D1:STEP U1:D27~D1:DIR D1:RESET~D1:SLEEP"
    logic = {"ERC-LOGIC-LEVEL-MARGINAL", "ERC-LOGIC-LEVEL-TOO-LOW"}
    # VDD from the ESP32's 3.3 V: its 3.3 V STEP/DIR are full-swing
    assert not logic & rules(build(parts, wires + " U1:3V3~D1:VDD"), library)
    # VDD from 5 V: 0.7 x 5 V = 3.5 V is above a 3.3 V HIGH (the datasheet's VIN(1) 0.7 x VDD)
    assert logic & rules(build(parts, wires + " U1:VIN~D1:VDD"), library)
