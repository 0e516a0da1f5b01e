"""Pin capability: a job the pin cannot do. An input-only pin (ESP32 GPIO34-39) cannot drive a
sensor's trigger, a relay or servo input, an LED, a transistor, or the open-drain data line of a
DHT/one-wire/I2C device (those need the MCU to pull the line LOW)."""

from __future__ import annotations

from circuit.erc.context import OPEN_DRAIN_BUS, ErcContext
from circuit.findings import Severity

RULES = {
    "ERC-INPUT-ONLY-PIN-DRIVES": (Severity.MAJOR, "An input-only pin is wired to something it would have to drive."),
}
NEEDS_DRIVE_FUNCTIONS = {"anode", "led_anode", "base", "gate"}
AVOID = {"strapping", "boot", "uart_tx", "uart_rx", "input_only", "usb_dp", "usb_dm", "reset", "enable"}


def _what_needs_drive(ctx: ErcContext, ep: str) -> str | None:
    """A pin on this pin's net (or one resistor away) that only works when driven."""
    others = ctx.others_on_net(ep)
    if any(ctx.drive_voltage(o) is not None for o in others):
        return None  # something else drives the line; this pin just listens
    for o in others:
        p = ctx.pin(o)
        if p is None:
            continue
        if p.type == "digital_in" and not ctx.is_mcu(ctx.part_of(o)):
            return o
        if ctx.is_open_drain(p) and OPEN_DRAIN_BUS & set(p.functions):
            return o
        if NEEDS_DRIVE_FUNCTIONS & set(p.functions):
            return o
        if ctx.is_resistor(ctx.part_of(o)):
            far = ctx.other_terminal(o)
            for q in ctx.others_on_net(far) if far else []:
                qp = ctx.pin(q)
                if qp is not None and NEEDS_DRIVE_FUNCTIONS & set(qp.functions):
                    return q
    return None


def _free_output_pin(ctx: ErcContext, pid: str) -> str | None:
    rec = ctx.rec(pid)
    for p in rec.pins:
        ep = f"{pid}:{p.name}"
        if p.type == "digital_io" and "gpio" in p.functions and not (AVOID & set(p.functions)) and not ctx.connected(ep):
            return ep
    return None


def check(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or not rec.is_mcu:
            continue
        for p in rec.pins:
            if "input_only" not in p.functions:
                continue
            ep = f"{pid}:{p.name}"
            if not ctx.connected(ep):
                continue
            target = _what_needs_drive(ctx, ep)
            if target is None:
                continue
            free = _free_output_pin(ctx, pid)
            ctx.add(
                "ERC-INPUT-ONLY-PIN-DRIVES", Severity.MAJOR,
                f"{p.name} of {ctx.label(pid)} is an input-only pin: it can read but never drive, so it cannot "
                f"operate {target} ({ctx.label(ctx.part_of(target))}), which has to be driven by the board. "
                + (f"Use an output-capable pin such as {ctx.pin_name(free)}." if free else "Use an output-capable pin."),
                [ep, target],
                f"rewire({ep}, {free})" if free else None,
            )
