"""The LED series resistor: R = (Vsupply − Vf) / If, rounded UP to the E-series so the current
never exceeds the target, with the math written out for the report.

The target current is the LED's nominal current, but never more than 75 % of what the driving
pin may source or sink (a GPIO rated 20 mA gets 15 mA), so a real LED whose Vf is a little
under its typical value still stays inside the pin's limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from circuit.led_colors import colour_vf
from circuit.units import format_value, nearest_e

PIN_MARGIN = 0.75
DEFAULT_IF = 0.015


def vf_for_colour(colour: str, default: float | None) -> float:
    """Typical Vf of the colour from the one table the gates use too (circuit.led_colors)."""
    vf = colour_vf(colour, None)
    if vf is not None:
        return vf
    return float(default) if default else 2.0


class CannotLight(ValueError):
    """The voltage that would feed an LED does not reach its forward voltage: no resistor lights it."""

    def __init__(self, vsupply: float, vf: float):
        self.vsupply, self.vf = vsupply, vf
        super().__init__(
            f"{format_value(vsupply, 'V')} cannot light an LED with Vf {format_value(vf, 'V')}: feed it from a "
            f"higher supply (more cells in series, or a boost converter) or choose an LED of a lower forward "
            f"voltage (red or yellow, about 2 V)")


@dataclass
class LedResistor:
    ohms: float
    current: float       # A, with the chosen E-series value
    target: float        # A
    vsupply: float
    vf: float
    power: float         # W dissipated in the resistor
    formula: str
    why: str

    @property
    def value(self) -> str:
        return format_value(self.ohms, "Ω")


def led_resistor(vsupply: float, vf: float, if_nom: float | None, pin_i_max: float | None = None,
                 series: str = "E24") -> LedResistor:
    """Size the series resistor of an LED driven from ``vsupply`` (a GPIO high level or a rail)."""
    target = if_nom or DEFAULT_IF
    limit_note = ""
    if pin_i_max:
        cap = PIN_MARGIN * pin_i_max
        if cap < target:
            target = cap
            limit_note = (f"; the driving pin may carry {format_value(pin_i_max, 'A')}, so the LED gets "
                          f"{int(PIN_MARGIN * 100)} % of that")
    headroom = vsupply - vf
    if headroom <= 0.05:
        raise CannotLight(vsupply, vf)
    exact = headroom / target
    ohms = nearest_e(exact, series, mode="up")
    current = headroom / ohms
    power = current * current * ohms
    formula = (f"R = ({format_value(vsupply, 'V')} − {format_value(vf, 'V')}) / {format_value(target, 'A')} "
               f"= {format_value(exact, 'Ω')} → {format_value(ohms, 'Ω')} ({series}, rounded up)")
    why = (f"limits the LED to {format_value(current, 'A')} ({format_value(power, 'W')} in the resistor)"
           + limit_note)
    return LedResistor(ohms, current, target, vsupply, vf, power, formula, why)
