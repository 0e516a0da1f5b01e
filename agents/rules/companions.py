"""The parts beginners forget, with quantities, worked out from the records of what was asked
for and the board it goes on: series resistors for LEDs, pull-ups for buttons (none when the pin
has an internal one), I2C pull-ups when no module carries them, transistor + flyback diode for
coils a pin cannot drive, drivers for steppers, dividers or level shifters between 5 V outputs
and 3.3 V inputs, regulators for parts that cannot run on the board's rails, decoupling for bare
ICs."""

from __future__ import annotations

from agents.models import Identification, Need
from agents.rules import parts as P
from agents.rules.decoupling import cap_key, needs_decoupling
from agents.rules.kinds import is_stepper, kind_of
from agents.rules.load_switch import can_drive_directly, load_ratings
from agents.rules.motor_drivers import _stepper_driver_key, driver_outputs, drives_steppers
from circuit.flyback_choice import pick_flyback
from circuit.switch_choice import choose_switch, pick_nmos
from knowledge.library import Library


def _n(key: str | None, qty: int, phrase: str, why: str) -> Need | None:
    if key is None or qty <= 0:
        return None
    return Need(phrase=phrase, key=key, qty=qty, role="companion", explicit=False, why=why)


def companions(lib: Library, ident: Identification) -> list[Need]:
    board = lib.get(ident.board) if ident.board else None
    logic = P.logic_level(board) if board else 5.0
    gpio = None
    if board is not None:
        gpio = next((p for p in board.pins if p.type == "digital_io" and p.i_max), None)
    opts = {o.split(":", 1)[1] for o in ident.notes if o.startswith("option:")}
    out: list[Need | None] = []
    res = "resistor" if "resistor" in lib else None
    rails = _board_rails(board) if board else []
    i2c_parts, i2c_pulled = 0, False
    drivers = [n for n in ident.needs if n.key and lib[n.key].category == "driver"]
    stepper_slots = sum(n.qty for n in drivers if drives_steppers(lib[n.key]) and len(driver_outputs(lib[n.key])) <= 4)
    for n in list(ident.needs):
        if not n.key:
            continue
        rec = lib[n.key]
        kind = kind_of(rec)
        if kind in ("led", "led_multi", "digits"):
            an, ca = P.led_pins(rec)
            chans = max(len(an), len(ca), 1)
            qty = chans * n.qty if kind != "digits" or n.qty == 1 else chans + n.qty
            out.append(_n(res, qty, f"series resistor for {n.phrase}",
                          "every LED needs a current-limiting resistor: R = (V − Vf)/I"))
        elif kind == "button" and board is not None:
            pin_pullup = any(p.pullup for p in board.pins if p.type in ("digital_io", "digital_in"))
            if not pin_pullup or "button_pull:external" in opts or "button_pull:down" in opts or "pullups_requested" in opts:
                out.append(_n(res, n.qty, f"pull resistor for {n.phrase}", "a button input must not float: 10 kΩ"))
        elif kind == "load" and board is not None:
            v, i, peak = load_ratings(rec, n.attrs)
            if not (gpio and can_drive_directly(rec, gpio.v_out or logic, gpio.i_max, n.attrs)):
                sw = choose_switch(lib, v or logic, peak, logic, gpio.i_max if gpio else None,
                                   "mosfet" if "prefer_mosfet" in opts else None)
                fet = sw is not None and sw.kind == "nmos"
                out.append(_n(sw.key if sw else None, n.qty, f"transistor switch for {n.phrase}",
                              f"{n.phrase} draws more than a pin can give"))
                out.append(_n(res, n.qty * (2 if fet else 1), f"gate/base resistor for {n.phrase}", "limits the drive current"))
                if rec.flags.inductive:
                    out.append(_n(pick_flyback(lib, v or 5.0, peak), n.qty, f"flyback diode for {n.phrase}",
                                  "a coil's turn-off spike would destroy the transistor"))
        elif kind == "motor":
            if is_stepper(rec):
                if stepper_slots < n.qty:
                    key = (drivers[0].key if drivers and drives_steppers(lib[drivers[0].key]) else _stepper_driver_key(lib, rec, n.attrs))
                    out.append(_n(key, n.qty - stepper_slots, "stepper driver", "a stepper needs a driver per motor"))
            elif not drivers and board is not None:
                v, i, peak = load_ratings(rec, n.attrs)
                fet = pick_nmos(lib, v or 6.0, peak, logic)
                out.append(_n(fet[0] if fet else None, n.qty, f"MOSFET for {n.phrase}", "a motor needs a switch"))
                out.append(_n(pick_flyback(lib, v or 6.0, peak, fast=True), n.qty, f"flyback diode for {n.phrase}",
                              "a motor is a coil"))
        if not rec.is_mcu and any({"i2c_sda"} & set(p.functions) for p in rec.pins):
            i2c_parts += n.qty
            i2c_pulled = i2c_pulled or rec.flags.onboard_pullups
        if board is not None and kind in ("module",) and logic < 4.0:
            outs = [p for p in P.signal_pins(rec) if p.type in ("digital_out", "analog_out")]
            lo, hi = P.supply_range(rec)
            if outs and lo is not None and lo > logic + 0.3:
                out.append(_n(res, 2 * len(outs) * n.qty, f"voltage divider for {n.phrase}'s outputs",
                              f"its {hi or 5:g} V outputs would overdrive the {logic:g} V pins"))
        if board is not None and rails and kind in ("module", "expander", "i2c_mux") and P.power_in_pins(rec):
            lo, hi = P.supply_range(rec)
            if not any((lo is None or v >= lo - 1e-6) and (hi is None or v <= hi + 1e-6) for v in rails):
                out.append(Need(phrase=f"regulator for {n.phrase}", key=None, qty=1, role="companion", explicit=False,
                                why=f"{n.phrase} runs from {lo}-{hi} V, which no board rail gives"))
        if needs_decoupling(rec):
            out.append(_n(cap_key(_LibProxy(lib)), n.qty, f"100 nF decoupling for {n.phrase}",
                          "a bare IC needs a capacitor right at its supply pin"))
    if i2c_parts and (not i2c_pulled or "pullups_requested" in opts):
        out.append(_n(res, 2, "I2C pull-up resistors", "SDA and SCL are open-drain and need pull-ups"))
    return [n for n in out if n is not None and (n.key is not None or n.phrase)]


def _board_rails(board) -> list[float]:
    """The voltages a part beside the board can run from: what the board's supply pins give out, and the
    fixed voltage its own supply input is fed at (an ESP32-CAM fed on its 5V pin: the 5 V supply feeding
    it feeds the parts beside it too)."""
    vs = []
    for p in P.power_out_pins(board):
        v = p.v_out or P.volts_in_name(p.name)
        if v and (p.i_max is None or p.i_max >= 0.005):
            vs.append(v)
    for p in P.power_in_pins(board):
        v = P.volts_in_name(p.name)
        if v and v not in vs:
            vs.append(v)
    return vs


class _LibProxy:
    """decoupling.cap_key wants a builder with .lib."""

    def __init__(self, lib):
        self.lib = lib
