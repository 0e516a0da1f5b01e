"""Engineering values: parse what people write (``4k7``, ``10uF``, ``100 nF``, ``2.2 Ω``),
print SI values in engineering notation (``4.7 kΩ``), and round to the standard E-series.

Everything inside circuitsmith is a plain float in SI units; these helpers are the only
place strings become numbers and back.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "UnitError",
    "parse_value",
    "format_value",
    "E_SERIES",
    "e_series_values",
    "nearest_e",
    "e_neighbours",
]


class UnitError(ValueError):
    """A value that cannot be read as an engineering quantity."""


_PREFIX = {
    "f": 1e-15,
    "p": 1e-12,
    "n": 1e-9,
    "u": 1e-6,
    "µ": 1e-6,
    "μ": 1e-6,
    "m": 1e-3,
    "": 1.0,
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "meg": 1e6,
    "MEG": 1e6,
    "Meg": 1e6,
    "G": 1e9,
    "T": 1e12,
}

# Unit words and symbols we accept after the prefix. "R" is the resistor code letter
# (4R7 = 4.7 Ω); "ohm(s)" and the two Unicode ohm signs are all Ω.
_UNITS = {
    "Ω": "Ω", "Ω": "Ω", "ohm": "Ω", "ohms": "Ω", "Ohm": "Ω", "Ohms": "Ω", "R": "Ω", "r": "Ω",
    "F": "F", "f": "F", "H": "H", "h": "H", "V": "V", "v": "V", "A": "A", "a": "A",
    "W": "W", "w": "W", "Hz": "Hz", "hz": "Hz", "HZ": "Hz", "s": "s", "S": "S",
    "C": "C", "°C": "°C", "m": "m",
}

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_PREFIX_RE = r"meg|MEG|Meg|[fpnuµμmkKMGT]?"
_UNIT_RE = r"Ω|Ω|[Oo]hms?|Hz|hz|HZ|°C|[RrFfHhVvAaWwsSCm]?"
_PLAIN = re.compile(rf"^\s*({_NUMBER})\s*({_PREFIX_RE})\s*({_UNIT_RE})\s*$")
# "4k7", "2R2", "1M5", "4u7": the prefix letter stands in for the decimal point.
_CODE = re.compile(r"^\s*(\d+)([RrkKMmunpµμ])(\d+)\s*([Ω]|[Oo]hms?|[FfHhVvAa]?)\s*$")


def parse_value(text: str | float | int, unit: str | None = None) -> float:
    """Parse an engineering value into a float in SI units.

    ``unit``, when given, is the unit the caller expects ("Ω", "F", "H", "V", "A", ...);
    a value written with a different unit is an error, and a bare number is taken in it.

    >>> parse_value("4k7")
    4700.0
    >>> parse_value("100 nF")
    1e-07
    """
    if isinstance(text, bool):
        raise UnitError(f"{text!r} is not a value")
    if isinstance(text, (int, float)):
        if not math.isfinite(float(text)):
            raise UnitError(f"{text!r} is not a finite value")
        return float(text)
    if not isinstance(text, str):
        raise UnitError(f"{text!r} is not a value")
    raw = text.strip()
    if not raw:
        raise UnitError("empty value: write a number such as 220, 4k7, 10uF or 100 nF")

    m = _CODE.match(raw)
    if m:
        whole, letter, frac, unit_txt = m.groups()
        mult = {"R": 1.0, "r": 1.0}.get(letter, _PREFIX.get(letter, None))
        if mult is None:
            raise UnitError(f"cannot read {text!r}")
        value = float(f"{whole}.{frac}") * mult
        if not math.isfinite(value):
            raise UnitError(f"{text!r} is not a finite value")
        found = _UNITS.get(unit_txt, "Ω" if letter in "Rr" else "") if unit_txt else ("Ω" if letter in "Rr" else "")
        _check_unit(text, found, unit)
        return value

    m = _PLAIN.match(raw)
    if not m:
        raise UnitError(
            f"cannot read {text!r} as a value: write a number with an optional prefix and unit, "
            "e.g. 220, 4.7k, 4k7, 10uF, 100 nF, 2.2 Ω"
        )
    number, prefix, unit_txt = m.groups()
    # Disambiguate a lone letter that is both a prefix and a unit: "1m" is milli, "10F" farad,
    # "5f" femto only when a unit follows. A trailing "m" with no unit stays milli.
    if prefix in ("f",) and not unit_txt and unit == "F":
        prefix, unit_txt = "", "F"
    if prefix == "m" and not unit_txt and unit == "m":  # "5 m" of strip: metres when a length is expected
        prefix, unit_txt = "", "m"
    found = _UNITS.get(unit_txt, "") if unit_txt else ""
    _check_unit(text, found, unit)
    value = float(number) * _PREFIX[prefix]
    if not math.isfinite(value):
        raise UnitError(f"{text!r} is not a finite value")
    return value


def _check_unit(text: str, found: str, expected: str | None) -> None:
    if expected and found and found != expected:
        raise UnitError(f"{text!r} is in {found}, expected a value in {expected}")


_ENG_PREFIX = [
    (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, ""),
    (1e-3, "m"), (1e-6, "µ"), (1e-9, "n"), (1e-12, "p"), (1e-15, "f"),
]


def format_value(value: float, unit: str = "", digits: int = 3) -> str:
    """Print an SI value in engineering notation: ``format_value(4700, "Ω") == "4.7 kΩ"``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return f"{value} {unit}".strip()
    if value == 0:
        return f"0 {unit}".strip()
    mag = abs(value)
    for scale, prefix in _ENG_PREFIX:
        if mag >= scale * 0.9995:
            break
    else:
        scale, prefix = 1e-15, "f"
    scaled = value / scale
    text = f"{scaled:.{digits}g}"
    if "e" in text:  # e.g. 1e+03 after rounding up: move to the next prefix
        text = f"{scaled:.0f}"
    return f"{text} {prefix}{unit}".strip()


# IEC 60063 preferred numbers. E24 and below are not a rounding of E96: they are their own lists.
E_SERIES: dict[str, tuple[float, ...]] = {
    "E3": (1.0, 2.2, 4.7),
    "E6": (1.0, 1.5, 2.2, 3.3, 4.7, 6.8),
    "E12": (1.0, 1.2, 1.5, 1.8, 2.2, 2.7, 3.3, 3.9, 4.7, 5.6, 6.8, 8.2),
    "E24": (
        1.0, 1.1, 1.2, 1.3, 1.5, 1.6, 1.8, 2.0, 2.2, 2.4, 2.7, 3.0,
        3.3, 3.6, 3.9, 4.3, 4.7, 5.1, 5.6, 6.2, 6.8, 7.5, 8.2, 9.1,
    ),
    "E48": tuple(round(10 ** (i / 48), 2) for i in range(48)),
    "E96": tuple(round(10 ** (i / 96), 2) for i in range(96)),
}
# The published E48/E96 tables differ from the formula at a few points.
_E96_FIX = {9.20: 9.09, 2.64: 2.61, 2.67: 2.67}
E_SERIES["E96"] = tuple(sorted({_E96_FIX.get(v, v) for v in E_SERIES["E96"]}))
E_SERIES["E48"] = tuple(sorted({_E96_FIX.get(v, v) for v in E_SERIES["E48"]}))


def _series(name: str) -> tuple[float, ...]:
    key = name.upper()
    if key not in E_SERIES:
        raise UnitError(f"unknown E-series {name!r}: use one of {', '.join(E_SERIES)}")
    return E_SERIES[key]


def e_series_values(series: str, lo: float, hi: float) -> list[float]:
    """All values of ``series`` in [lo, hi], ascending."""
    if lo <= 0 or hi < lo:
        raise UnitError("E-series ranges need 0 < lo <= hi")
    base = _series(series)
    out = []
    for decade in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for m in base:
            v = float(f"{m * 10 ** decade:.6g}")
            if lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9):
                out.append(v)
    return sorted(set(out))


def e_neighbours(value: float, series: str = "E24") -> tuple[float, float]:
    """The E-series values just below (or equal) and just above ``value``."""
    if value <= 0:
        raise UnitError("E-series values are positive")
    vals = e_series_values(series, value / 11, value * 11)
    below = max(v for v in vals if v <= value * (1 + 1e-9))
    above = min(v for v in vals if v >= value * (1 - 1e-9))
    return below, above


def nearest_e(value: float, series: str = "E24", mode: str = "nearest") -> float:
    """Round ``value`` to the ``series``: ``mode`` is "nearest" (on a log scale), "up" or "down".

    >>> nearest_e(237, "E12")
    220.0
    """
    below, above = e_neighbours(value, series)
    if mode == "up":
        return above
    if mode == "down":
        return below
    if mode != "nearest":
        raise UnitError(f"mode must be nearest, up or down, not {mode!r}")
    return below if math.log(value / below) <= math.log(above / value) else above
