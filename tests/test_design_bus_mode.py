"""A dual-mode (I2C or SPI) module is wired in ONE bus mode, and on I2C its chip select is tied to its
supply and its address pin strapped (BMP280 datasheet section 5: CSB high selects I2C, SDO sets the
address). Built with the rules backend and read back from the netlist."""

from __future__ import annotations

import pytest

from circuit.model import Circuit
from circuit.netlist import Netlist
from pipelines.design import design

I2C = {"i2c_sda", "i2c_scl"}
SPI = {"spi_mosi", "spi_miso", "spi_sck", "spi_cs"}


def _families(turn, nl: Netlist, library, pid: str) -> set[str]:
    """The bus families a part's pins are wired to: the controller functions the plan gave them
    (through a level shifter too), and those of controller pins they meet directly."""
    fams = set()
    for row in turn["plan"]["pins"]:
        if row["serves"].split(":")[0] == pid:
            fams |= {"I2C"} if row["function"] in I2C else set()
            fams |= {"SPI"} if row["function"] in SPI else set()
    for pin in nl.record(pid).pins:
        ep = f"{pid}:{pin.name}"
        for o in nl.neighbours(ep):
            if not library[nl.record(o.split(":")[0]).key].is_mcu:
                continue
            shared = set(pin.functions) & set(nl.pin(o).functions)
            fams |= {"I2C"} if shared & I2C else set()
            fams |= {"SPI"} if shared & SPI else set()
    return fams


def _dual(rec) -> bool:
    return any(I2C & set(p.functions) and SPI & set(p.functions) for p in rec.pins)


@pytest.mark.parametrize("request_text", [
    "weather station with a barometer and a small screen on an esp32",
    "barometer on an arduino uno",
])
def test_dual_mode_module_uses_one_bus_and_is_strapped(library, request_text):
    turn = design(request_text, backend="rules")
    assert turn["passed"], turn["findings"]
    c = Circuit.model_validate(turn["circuit"])
    nl = Netlist(c, library)
    duals = [p for p in c.parts if _dual(library[p.type]) and not library[p.type].is_mcu]
    assert duals, "the request places a dual-mode (I2C/SPI) sensor"
    for part in duals:
        rec = library[part.type]
        fams = _families(turn, nl, library, part.id)
        assert len(fams) == 1, f"{part.id} is wired to both I2C and SPI controller pins: {fams}"
        if fams == {"I2C"}:
            vcc = next(p for p in rec.pins if p.type == "power_in")
            for cs in (p for p in rec.pins if {"spi_cs", "chip_select"} & set(p.functions)):
                if cs.pullup:
                    continue
                assert nl.connected(f"{part.id}:{cs.name}", f"{part.id}:{vcc.name}"), \
                    f"{part.id}:{cs.name} must be tied to its supply to select I2C"
            for sdo in (p for p in rec.pins if "spi_miso" in p.functions and not I2C & set(p.functions)):
                assert nl.net_of(f"{part.id}:{sdo.name}") is not None, f"{part.id}:{sdo.name} (address) floats"
