"""What kind of thing a record is, for wiring purposes, from its category, pins, flags and
SPICE kind (never from its key)."""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.channel_load import is_channel_load
from agents.rules.module_wiring import is_expander, is_i2c_mux
from agents.rules.power_tree import is_converter, is_source
from circuit import hazard
from knowledge.record import ComponentRecord


def _passive_pins(rec: ComponentRecord) -> list:
    return [p for p in P.unique_pins(rec) if p.type == "passive"]


def is_motor(rec: ComponentRecord) -> bool:
    """A motor on bare leads (record field ``actuator``: a brushed DC motor, fan or pump, or a stepper)."""
    return rec.actuator in ("dc-motor", "stepper") and not P.power_in_pins(rec) and len(_passive_pins(rec)) >= 2


def is_stepper(rec: ComponentRecord) -> bool:
    return rec.actuator == "stepper"


def kind_of(rec: ComponentRecord) -> str:
    if P.is_board(rec):
        return "board"
    if hazard.is_mains_source(rec):
        return "ac_source"
    if hazard.is_isolated_supply(rec):
        return "ac_supply"  # placed by the mains rule (agents/rules/ac_switch.py) when a design takes mains in
    if is_source(rec):
        return "source"
    if is_converter(rec):
        return "converter"
    kind = rec.spice.kind
    an, ca = P.led_pins(rec)
    if rec.flags.needs_series_resistor or kind == "led":
        if len(an) > 1 or len(ca) > 1:
            return "digits" if len(an) + len(ca) >= 6 else "led_multi"
        return "led"
    if kind in ("npn", "pnp", "nmos", "pmos"):
        return "transistor"
    if kind in ("diode", "zener"):
        return "diode"
    if kind == "switch" or (rec.category == "input" and len(_passive_pins(rec)) == 2 and not P.power_in_pins(rec)):
        return "button"
    if rec.category == "input" and len(_passive_pins(rec)) >= 6 and not P.power_in_pins(rec):
        return "keypad"
    if kind == "potentiometer":
        return "pot"
    if rec.category == "sensor" and P.is_two_terminal(rec) and len(_passive_pins(rec)) == 2:
        return "resistive_sensor"
    if rec.category == "passive" or kind in ("resistor", "capacitor", "inductor"):
        return "passive"
    coils = [p for p in P.unique_pins(rec) if "coil" in p.functions]
    if len(coils) == 2 and not P.power_in_pins(rec):
        return "relay_coil"  # a bare relay: its coil is a load the controller switches
    if is_i2c_mux(rec):
        return "i2c_mux"
    if is_expander(rec):
        return "expander"
    if rec.category == "driver":
        return "driver"
    if is_stepper(rec) or is_motor(rec):
        return "motor"
    if rec.category == "sensor" and P.is_two_terminal(rec) and len(_passive_pins(rec)) == 2:
        return "resistive_sensor"
    if is_channel_load(rec):
        return "channel_load"  # one common supply pin, a switched return per channel (agents/rules/channel_load.py)
    if rec.category in ("actuator", "audio", "indicator") and P.is_two_terminal(rec) and not P.signal_pins(rec):
        # a two-lead load (motor, coil, buzzer): on when powered, so the controller switches its supply
        return "load"
    if hazard.is_mains_load(rec) or (rec.category == "power" and not P.power_out_pins(rec)):
        return "ac_load"
    return "module"
