"""Output contention: two push-pull outputs on one net fight whenever they disagree.

SPI MISO outputs are not push-pull all the time: a device drives MISO only while its chip select
is LOW and leaves it high-impedance otherwise, which is how several SPI devices share one MISO line
(an MFRC522 and an SD card on an Uno). Outputs contend when two parts can drive the net at once:
a net whose outputs are all such selectable MISO pins is fine; one that is always driving (an
ordinary output, or a MISO whose chip select is not wired) fights every other output on it."""

from __future__ import annotations

from circuit.erc.context import ErcContext
from circuit.findings import Severity

RULES = {
    "ERC-MULTIPLE-DRIVERS": (Severity.MAJOR, "Two outputs drive the same net."),
}


def _selectable(ctx: ErcContext, pid: str) -> bool:
    """The part has a chip-select input wired to something that can deselect it (not tied to ground)."""
    rec = ctx.rec(pid)
    return rec is not None and any(
        {"spi_cs", "chip_select"} & set(p.functions) and ctx.connected(ep := f"{pid}:{p.name}")
        and ctx.group_voltage(ep) != 0 for p in rec.pins)


def check(ctx: ErcContext) -> None:
    for net in ctx.nl.nets:
        if ctx.group_voltage(net.pins[0]) is not None:
            continue  # an output on a rail is reported by the power rules
        outs = []
        for o in net.pins:
            p = ctx.pin(o)
            if p is None or ctx.is_open_drain(p):
                continue
            if p.type in ("digital_out", "analog_out"):
                outs.append(o)
        # a selectable MISO is high-impedance while its chip select is HIGH
        always = [o for o in outs if not ("spi_miso" in ctx.pin(o).functions and _selectable(ctx, ctx.part_of(o)))]
        if len({ctx.part_of(o) for o in outs}) < 2 or not always:
            continue
        ctx.add(
            "ERC-MULTIPLE-DRIVERS", Severity.MAJOR,
            f"{' and '.join(outs[:3])} are outputs wired together. When one drives HIGH and the other LOW they "
            "short each other out and both can be damaged. Each net should have one output; connect the "
            "outputs to separate input pins.",
            outs,
        )
