"""LED forward voltages by colour: the one table the ERC, the SPICE gate and the sizing engine read.

Every figure is a datasheet's TYPICAL forward voltage at 20 mA of a 5 mm through-hole LED of that
colour (the maximum is some 0.3-0.8 V higher); the chip technology decides it: GaAlAs/AlGaInP/GaP
red, orange, yellow and yellow-green LEDs drop about 1.8-2.2 V, InGaN blue, true-green, white, pink
and UV LEDs about 3.0-3.4 V.

An RGB LED's green is an InGaN chip like its blue (about 3.2 V), not the 2.2 V yellow-green of a
single green indicator LED, so its channels have their own figures (:data:`RGB_CHANNEL_VF`).

How a part's forward voltage is decided (:func:`forward_voltage`):

1. an RGB LED's R/G/B pin: that channel's figure;
2. a colour in the part's ``color``/``colour`` attr, on a record that has no colour of its own (the
   generic ``led``, a 7-segment display): that colour's figure;
3. the record's ``ratings.vf`` (its datasheet; ``led-red`` is a red LED whatever its attrs say);
4. the colour's figure, else red's (:data:`DEFAULT_COLOUR`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from knowledge.record import ComponentRecord

__all__ = [
    "LedColour", "COLOURS", "COLOUR_VF", "RGB_CHANNEL_VF", "DEFAULT_COLOUR", "LedVf",
    "colour_key", "colour_vf", "record_colour", "is_rgb", "rgb_channel", "forward_voltage",
]


@dataclass(frozen=True)
class LedColour:
    name: str
    vf: float        # typical forward voltage at 20 mA, V
    chip: str        # semiconductor
    source: str      # datasheet the figure comes from


COLOURS: dict[str, LedColour] = {c.name: c for c in (
    LedColour("red", 1.85, "GaAlAs 640 nm", "Kingbright WP7113SRD/D: VF 1.85 V typ, 2.5 V max at 20 mA"),
    LedColour("orange", 2.0, "AlGaInP 601 nm", "Kingbright WP7113SEC: VF 2.0 V typ, 2.5 V max at 20 mA"),
    LedColour("yellow", 2.1, "GaAsP/GaP 590 nm", "Kingbright WP7113SYD: VF 2.1 V typ, 2.5 V max at 20 mA"),
    LedColour("green", 2.2, "GaP 568 nm", "Kingbright WP7113SGD: VF 2.2 V typ, 2.5 V max at 20 mA"),
    LedColour("truegreen", 3.2, "InGaN 525 nm", "SparkFun COM-11120 RGB LED green chip: VF 3.2 V typ at 20 mA"),
    LedColour("cyan", 3.2, "InGaN 505 nm", "as the InGaN green/blue chips: VF 3.2 V typ at 20 mA"),
    LedColour("blue", 3.2, "InGaN 470 nm", "Cree C503B-BCN: VF 3.2 V typ, 4.0 V max at 20 mA (Kingbright WP7113QBC/D: 3.3 V)"),
    LedColour("white", 3.2, "InGaN + phosphor", "Cree C503D-WAN: VF 3.2 V typ, 4.0 V max at 20 mA"),
    LedColour("pink", 3.2, "InGaN + phosphor", "blue chip with phosphor, as white (Cree C503D-WAN): VF 3.2 V typ"),
    LedColour("purple", 3.3, "InGaN 400-430 nm", "violet InGaN chip, as UV below: VF 3.3 V typ at 20 mA"),
    LedColour("uv", 3.3, "InGaN 395-405 nm", "5 mm 400 nm InGaN LED datasheets: VF 3.2-3.4 V typ at 20 mA"),
    LedColour("ir", 1.2, "GaAs/GaAlAs 940 nm", "Vishay TSAL6200: VF 1.35 V typ at 100 mA, about 1.2 V at 20 mA (its IF-VF curve)"),
)}

# Other words people use for the same colours.
_ALIASES = {
    "amber": "orange", "lime": "green", "yellowgreen": "green", "emerald": "truegreen", "puregreen": "truegreen",
    "aqua": "cyan", "turquoise": "cyan", "violet": "purple", "magenta": "pink", "warmwhite": "white",
    "coolwhite": "white", "coldwhite": "white", "ultraviolet": "uv", "infrared": "ir", "superred": "red",
    "brightred": "red",
}

COLOUR_VF: dict[str, float] = {name: c.vf for name, c in COLOURS.items()}
DEFAULT_COLOUR = "red"

# RGB LED channels (SparkFun COM-11120 5 mm common-cathode RGB LED datasheet: VF at 20 mA red 2.0 V,
# green 3.2 V, blue 3.2 V typical). The red chip is AlGaInP; green and blue are InGaN.
RGB_CHANNEL_VF: dict[str, float] = {"red": 2.0, "green": 3.2, "blue": 3.2}
_RGB_PINS = {"R": "red", "RED": "red", "G": "green", "GREEN": "green", "B": "blue", "BLUE": "blue"}


def colour_key(raw: object) -> str | None:
    """A colour word as a key of :data:`COLOURS` ('Warm White' -> 'white'), or None when unknown."""
    if not isinstance(raw, str):
        return None
    key = "".join(ch for ch in raw.lower() if ch.isalpha())
    key = _ALIASES.get(key, key)
    return key if key in COLOURS else None


def colour_vf(colour: object, default: float | None = None) -> float | None:
    """Typical forward voltage of a colour at 20 mA, or ``default`` for a colour not in the table."""
    key = colour_key(colour)
    return COLOUR_VF[key] if key else default


def record_colour(rec: ComponentRecord) -> str | None:
    """The colour a record is of by itself (its ``ratings.colour``: a red LED, an infrared one); None for a part
    of any colour."""
    return rec.ratings.colour


def _rgb_name(pin) -> str | None:
    return next((_RGB_PINS[n.upper()] for n in [pin.name, *pin.aliases] if n.upper() in _RGB_PINS), None)


def is_rgb(rec: ComponentRecord) -> bool:
    """An LED whose three anodes (or cathodes) are its red, green and blue chips, by pin function and name."""
    for side in (("led_anode", "anode"), ("led_cathode", "cathode")):
        pins = {p.name: p for p in rec.pins if set(side) & set(p.functions)}
        if len(pins) == 3 and {_rgb_name(p) for p in pins.values()} == {"red", "green", "blue"}:
            return True
    return False


def rgb_channel(rec: ComponentRecord, pin: str) -> str | None:
    """'red', 'green' or 'blue' for an RGB LED's colour pin (by name or alias), else None."""
    if not is_rgb(rec):
        return None
    p = rec.pin(pin)
    for name in ([p.name] + list(p.aliases)) if p is not None else [pin]:
        ch = _RGB_PINS.get(name.upper())
        if ch:
            return ch
    return None


@dataclass(frozen=True)
class LedVf:
    vf: float
    colour: str | None      # the colour or RGB channel it is, when known
    from_table: bool        # True: a colour figure of this module; False: the record's own datasheet vf


def forward_voltage(rec: ComponentRecord, attrs: Mapping | None = None, pins: Iterable[str] = ()) -> LedVf:
    """Forward voltage of an LED part, or of one of its channels (``pins``: that channel's pins)."""
    for pin in pins:
        ch = rgb_channel(rec, pin)
        if ch:
            return LedVf(RGB_CHANNEL_VF[ch], ch, True)
    attrs = attrs or {}
    said = colour_key(attrs.get("color", attrs.get("colour")))
    own = record_colour(rec)
    if said and own is None:
        return LedVf(COLOUR_VF[said], said, True)
    if rec.ratings.vf is not None:
        return LedVf(rec.ratings.vf, own or said, False)
    colour = own or said or DEFAULT_COLOUR
    return LedVf(COLOUR_VF[colour], colour, True)
