"""What a part is rated for, read from its record: the most it takes in, the most a pin carries.

One reading for every gate that holds a design to a quantity the request states (the requirement gate's
:mod:`circuit.rating_gate`): the voltage a part may be fed (its recommended supply range's top, a
converter's maximum input), the current one of its pins may carry (the pin's own limit, a transistor's
drain or collector rating, a driver's or a regulator's output rating), and which parts are sources.
"""

from __future__ import annotations

from circuit.power_feed import accepts_power_in
from circuit.units import UnitError, parse_value
from knowledge.record import ComponentRecord, Pin

__all__ = ["is_primary_source", "is_battery", "source_volts", "input_limit", "takes_supply", "current_limit", "carries_current",
           "supply_input_pins", "current_rating"]

# a transistor's terminals that carry the switched current, and the rating that bounds it
_SWITCHED = {"drain": "id_max", "source": "id_max", "collector": "ic_max", "emitter": "ic_max"}
# parts whose pins are never where a load's current is rated (they pass it, store it or clamp it)
_PASS_THROUGH = {"resistor", "capacitor", "inductor", "diode", "zener", "led"}


def is_primary_source(rec: ComponentRecord) -> bool:
    """A battery, cell or supply: a power record with an output, no input, and a nominal voltage."""
    return (rec.category == "power" and rec.ratings.v_nominal is not None
            and bool(rec.pins_of_type("power_out")) and not rec.pins_of_type("power_in"))


def is_battery(rec: ComponentRecord) -> bool:
    return is_primary_source(rec) and rec.ratings.capacity_ah is not None


def source_volts(part, rec: ComponentRecord) -> float | None:
    """The voltage a source part gives: its voltage attribute, else its record's nominal voltage."""
    for a in ("voltage", "volts", "v"):
        v = part.attrs.get(a)
        if v is None:
            continue
        try:
            return float(v) if isinstance(v, (int, float)) else float(parse_value(str(v), "V"))
        except (UnitError, ValueError):
            continue
    return rec.ratings.v_nominal


def supply_input_pins(rec: ComponentRecord) -> list[Pin]:
    """The pins a part takes its supply at: power inputs, and a board's two-way rail pins (ESP32 DevKit VIN)."""
    return [p for p in rec.pins if p.type == "power_in" or accepts_power_in(rec, p)]


def takes_supply(rec: ComponentRecord, pin: Pin) -> bool:
    return pin.type == "power_in" or accepts_power_in(rec, pin)


def input_limit(rec: ComponentRecord, pin: Pin | None = None) -> float | None:
    """The highest voltage the part is rated to be fed, V. At a supply pin with its own recommended range
    (``pin.v_range``: a driver's motor supply, a board's 3V3 pin), that range's top; at one of several supply
    pins, that pin's limit; otherwise the top of the part's recommended supply range (``supply.v_max``), else
    a converter's maximum input (``ratings.v_in_max``), else the pin's, else the absolute maximum."""
    if pin is not None and pin.v_range is not None:
        return pin.v_range[1]
    if pin is not None and pin.type == "power_in" and pin.v_max is not None and len(supply_input_pins(rec)) > 1:
        return pin.v_max
    for v in (rec.supply.v_max, rec.ratings.v_in_max, pin.v_max if pin is not None else None, rec.supply.v_abs_max):
        if v is not None and v > 0:
            return v
    return None


def carries_current(rec: ComponentRecord, pin: Pin) -> bool:
    """The pin delivers or sinks a load's current (a rail, an output, a driver's or a switch's terminal), as
    opposed to taking its own supply or a signal (power_in, ground, inputs) or passing the current on."""
    if rec.spice.kind in _PASS_THROUGH or rec.category == "passive":
        return False
    if pin.type in ("power_in", "ground", "digital_in", "analog_in", "nc"):
        return False
    if pin.type in ("power_out", "digital_out", "digital_io", "analog_out"):
        return True
    return pin.i_max is not None or bool(set(pin.functions) & set(_SWITCHED))


def current_limit(rec: ComponentRecord, pin: Pin) -> float | None:
    """The most current ``pin`` is rated to carry, A: the pin's own ``i_max``; a transistor's switched
    terminal, its ``id_max``/``ic_max``; a regulator's, driver's or source's output, ``ratings.i_out_max``."""
    if pin.i_max is not None:
        return pin.i_max
    for fn in pin.functions:
        if fn in _SWITCHED and (v := getattr(rec.ratings, _SWITCHED[fn])) is not None:
            return v
    if pin.type == "power_out" or rec.category == "driver":
        return rec.ratings.i_out_max
    return None


def current_rating(rec: ComponentRecord) -> float | None:
    """The most any current-carrying pin of the record is rated for, A (a driver's output, a transistor's drain,
    a converter's output): what a load on it may draw; None when no pin states it."""
    lims = [x for p in rec.pins if carries_current(rec, p) and (x := current_limit(rec, p)) is not None]
    return max(lims) if lims else None
