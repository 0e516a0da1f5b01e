"""Two controller boards wired to each other: SPI (the first board is the controller, the second
the peripheral: MOSI–MOSI, MISO–MISO, SCK–SCK, a chip-select line into the second board's SS pin),
I2C (SDA–SDA, SCL–SCL with pull-ups) or a serial link (TX–RX crossed), always with a common
ground, and level shifting when the boards' logic levels differ."""

from __future__ import annotations

from agents.rules.builder import Board
from agents.rules.context import PlanContext


def link_boards(ctx: PlanContext, a: Board, b2: Board, proto: str) -> None:
    b = ctx.b
    volts = b2.logic
    if proto == "spi":
        for f in ("spi_mosi", "spi_miso", "spi_sck"):
            pa = a.alloc.take(f, b2.id)
            pb = b2.alloc.take(f, a.id)
            ea = b.use_pin(a, pa, f"{b2.id}:{pb.pin.name}", f"SPI {f[4:].upper()} to {b2.id}")
            eb = b.use_pin(b2, pb, f"{a.id}:{pa.pin.name}", f"SPI {f[4:].upper()} from {a.id}")
            direction = "to_mcu" if f == "spi_miso" else "from_mcu"
            ctx.levels.link(a, ea, pa.pin, eb, pb.pin, b2.rec, volts, direction, f"SPI {f[4:].upper()} {a.id}–{b2.id}")
        cs_a = a.alloc.take("spi_cs", b2.id, "out", fallback_gpio=True)
        cs_b = b2.alloc.take("spi_cs", a.id, "in", fallback_gpio=True)
        ea = b.use_pin(a, cs_a, f"{b2.id}:{cs_b.pin.name}", f"selects {b2.id} (LOW = talking)")
        eb = b.use_pin(b2, cs_b, f"{a.id}:{cs_a.pin.name}", f"{b2.id}'s SS input: it listens while LOW")
        ctx.levels.link(a, ea, cs_a.pin, eb, cs_b.pin, b2.rec, volts, "from_mcu", f"SPI select {a.id}→{b2.id}")
        b.note(f"{a.id} is the SPI controller and {b2.id} the peripheral: in {b2.id}'s firmware, SPI slave mode "
               f"(SPCR |= _BV(SPE)) with {cs_b.pin.name} as SS.")
    elif proto == "i2c":
        for f in ("i2c_sda", "i2c_scl"):
            pa = a.alloc.take(f, b2.id)
            pb = b2.alloc.take(f, a.id)
            ea = b.use_pin(a, pa, f"{b2.id}:{pb.pin.name}", f"I2C {f[4:].upper()} shared with {b2.id}")
            eb = f"{b2.id}:{pb.pin.name}"
            b.use_pin(b2, pb, f"{a.id}:{pa.pin.name}", f"I2C {f[4:].upper()} shared with {a.id}")
            ctx.levels.link(a, ea, pa.pin, eb, pb.pin, b2.rec, volts, "bidir", f"I2C {f[4:].upper()} {a.id}–{b2.id}")
        ctx.i2c.setdefault(a.id, []).append((b2.id, volts))
        b.note(f"{b2.id} joins {a.id}'s I2C bus as a peripheral (Wire.begin(address) in its firmware).")
    else:
        rx_a, tx_a = a.alloc.take_uart(b2.id)
        rx_b, tx_b = b2.alloc.take_uart(a.id)
        e_txa = b.use_pin(a, tx_a, f"{b2.id}:{rx_b.pin.name}", f"sends to {b2.id}")
        e_rxa = b.use_pin(a, rx_a, f"{b2.id}:{tx_b.pin.name}", f"receives from {b2.id}")
        e_rxb = b.use_pin(b2, rx_b, f"{a.id}:{tx_a.pin.name}", f"receives from {a.id}")
        e_txb = b.use_pin(b2, tx_b, f"{a.id}:{rx_a.pin.name}", f"sends to {a.id}")
        ctx.levels.link(a, e_txa, tx_a.pin, e_rxb, rx_b.pin, b2.rec, volts, "from_mcu", f"{a.id} TX → {b2.id} RX")
        ctx.levels.link(a, e_rxa, rx_a.pin, e_txb, tx_b.pin, b2.rec, volts, "to_mcu", f"{b2.id} TX → {a.id} RX")
        b.note(f"{a.id} and {b2.id} talk over a serial link (TX to RX both ways, 9600-115200 baud).")
    b.note(f"{a.id} and {b2.id} share ground, so their signals have a common reference.")
