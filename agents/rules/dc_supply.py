"""A regulated DC supply: a DC input, a regulator with its datasheet capacitors, and a power-on LED.
"""

from __future__ import annotations

from agents.models import ValueChoice
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.led_driver import add_led
from circuit.units import format_value


def block_dc_supply(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    """DC input → reverse-polarity diode → linear regulator with its capacitors → regulated rail,
    with a power LED."""
    b = ctx.b
    if any(r.kind == "regulator" for r in b.domain_rails()):
        return set()
    vout = ctx.ident.numbers.get("vout") or 5.0
    vin = ctx.ident.supply_volts or 9.0
    src = next((r for r in b.domain_rails() if r.kind == "source"), None) or ctx.power.source_for(vin, 1.0, "DC input")
    if src is None:
        b.unmet("No DC source in the library.")
        return set()
    feed = src
    rail = ctx.power.regulated(feed, vout, 0.2, f"({format_value(vout, 'V')} output)", prefer="linear")
    if rail is None:
        return set()
    led = next((n for n in by_kind.get("led", [])), None)
    led_key = led.key if led else ("led-green" if "led-green" in b.lib else ("led" if "led" in b.lib else None))
    if led_key and not by_kind.get("led"):
        add_led(ctx, led_key, {}, None, role="power-on indicator")
    b.note(f"Regulated {format_value(rail.volts, 'V')} output at {rail.endpoint}; the input must stay "
           f"{format_value(vout + 2, 'V')} or more for the regulator to hold its output.")
    return set()


def _val(pid, value, formula, why):
    return ValueChoice(part=pid, value=value, formula=formula, why=why)
