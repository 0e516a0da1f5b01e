"""Quantities in running text: every number with its unit, read the way engineers write them.

``find_quantities("a 4k7 resistor, ±12 V rails and 100 mVpp in")`` gives three :class:`Quantity`
objects with SI values, the unit's dimension, the sign style, a range when one is written and
where in the text each stands (so the understanding layer can read the words around it).

Engineering notation handled: resistor codes (4k7, 2R2, 1M5, 4u7), SI prefixes glued or spaced
(47k, 10 uF, 1.5 kOhm), ±, signs (−4.7, written with a hyphen or a minus sign), dB, %,
peak-to-peak / peak / RMS voltages (100 mVpp, 1 Vpk, 2 Vrms, "2 V peak-to-peak"), ranges
("0–24 V", "9 to 12 V", "9-12V") and plain unit words (volts, milliamps, kilohms, seconds).
Unit names go through pint; a unit is a whole word or nothing: "using" after a number is not
micro, "a" is not amperes, "in" is not inches.

This module is shared: the sizing agent reads specs with it, the design understanding layer may
read a request's volts and currents with it too.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from knowledge import lazy_imports
from knowledge.library import user_home

if TYPE_CHECKING:  # pragma: no cover
    import pint

__all__ = ["Quantity", "find_quantities", "degrees_after", "parse_quantity", "QuantityError", "DIMENSIONS", "metres_of", "unit_word"]


class QuantityError(ValueError):
    """A text that should be one quantity is not."""


# the dimensions circuits are specified in, by the SI base-unit signature pint reports
DIMENSIONS = {
    "V": "[mass] * [length] ** 2 / [time] ** 3 / [current]",
    "A": "[current]",
    "Hz": "1 / [time]",
    "s": "[time]",
    "Ω": "[mass] * [length] ** 2 / [time] ** 3 / [current] ** 2",
    "F": "[current] ** 2 * [time] ** 4 / [mass] / [length] ** 2",
    "H": "[mass] * [length] ** 2 / [time] ** 2 / [current] ** 2",
    "W": "[mass] * [length] ** 2 / [time] ** 3",
    "°C": "[temperature]",
}

_PREFIX = {"f": 1e-15, "p": 1e-12, "n": 1e-9, "u": 1e-6, "µ": 1e-6, "μ": 1e-6, "m": 1e-3, "k": 1e3, "K": 1e3,
           "M": 1e6, "meg": 1e6, "Meg": 1e6, "MEG": 1e6, "G": 1e9}

# spellings pint reads differently from engineers (pint: "amps" is atto-m/s, "a" a year, "in" an inch)
_SPELLING = {
    "Ω": "ohm", "Ω": "ohm", "ohms": "ohm", "Ohm": "ohm", "Ohms": "ohm", "OHM": "ohm", "R": "ohm",
    "amp": "ampere", "amps": "ampere", "Amp": "ampere", "Amps": "ampere", "kilohm": "kiloohm", "kilohms": "kiloohm",
    "megohm": "megaohm", "megohms": "megaohm", "hz": "Hz", "HZ": "Hz", "v": "V", "sec": "s", "secs": "s",
    "msec": "ms", "usec": "us", "mins": "min", "milliamp": "mA", "milliamps": "mA", "millisecond": "ms",
    "milliseconds": "ms", "microsecond": "us", "microseconds": "us", "mAh": "",
}
# short words that are English before they are units
_NOT_UNITS = {"a", "at", "in", "h", "g", "t", "l", "b", "c", "d", "e", "x", "y", "is", "or", "as", "to", "of", "on",
              "it", "by", "an", "am", "pm", "no", "m", "per", "and", "the", "ft", "mi", "yd", "pt", "qt", "gal", "st",
              "ly", "pc", "au", "cd", "mol", "sr", "rad", "deg", "min", "hr", "day", "days", "week", "year", "years",
              "bit", "bits", "byte", "bytes", "cm", "mm", "km", "mg", "kg", "lb", "oz", "psi", "bar", "atm", "lm"}
_QUALIFIERS = [("pp", "pp"), ("p-p", "pp"), ("ptp", "pp"), ("pk", "pk"), ("peak", "pk"), ("rms", "rms"), ("p", "pk")]

_NUM = r"\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?"
_CODE = r"\d+[RkKMmunpµμ]\d+"          # 4k7, 2R2, 1M5, 4u7
_WORD = r"[A-Za-zΩΩµμ°%][A-Za-zΩΩµμ°%\-]*"  # the word after a number (its unit, or not)
_TOKEN = re.compile(
    rf"(?P<sign>±|\+/-|\+-|[-+−])?\s?(?P<num>{_CODE}|{_NUM})(?![\d])(?:\s?-?(?P<word>{_WORD}))?(?P<glued>\d)?"
)
# "40 degrees celsius", "98.6 deg F", "20 ° C": a temperature written as the degree word, then its scale
_DEGREE_WORDS = frozenset({"degrees", "degree", "deg", "degs", "°"})
_SCALE = re.compile(r"\s*(?P<scale>celsius|centigrade|c|fahrenheit|f)\b", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(?:–|—|-|to|\.\.|…)\s*$")
# a fraction of a unit said in words ("half an amp", "a quarter of a second", "one and a half volts",
# "three quarters of an hour"): English's fractions and the whole numbers said before "and a half"
_FRACTIONS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3, "quarters": 0.25, "thirds": 1 / 3}
_WHOLE = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12}
_SPELLED = re.compile(
    r"(?<![\w.])(?:(?P<whole>\d+|" + "|".join(_WHOLE) + r")\s+and\s+a\s+(?P<and_frac>half|quarter|third)"
    r"|(?:(?P<many>two|three)[\s-]+(?P<plural>quarters|thirds)|(?:an?\s+|one\s+)?(?P<frac>half|quarter|third))"
    r"(?:\s+of)?(?:\s+an?)?)\s+(?P<word>[A-Za-z]+)\b", re.IGNORECASE)

# a count of events over a stated time: "twice a second", "3 times per minute", "60 beats per minute",
# "once every 4 seconds" (a rate, read as Hz; the word between count and period is what repeats)
_ONCE = {"once": 1, "twice": 2, "thrice": 3}
_RATE = re.compile(
    r"(?<![\w.])(?P<count>\d+(?:\.\d+)?|" + "|".join(list(_ONCE) + list(_WHOLE)) + r")"
    r"(?:\s+(?P<what>[A-Za-z]+))?\s+(?:(?:a|an)\s+|(?:per|each|every)\s+(?:(?P<n>\d+(?:\.\d+)?)\s*)?)"
    r"(?P<word>[A-Za-z]+)\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    value: float                 # SI value (for a range: the upper end)
    unit: str                    # "V", "A", "Hz", "s", "Ω", "F", "H", "W", "%", "dB", "°C" or "" (a bare number)
    start: int                   # span in the text
    end: int
    raw: str
    plus_minus: bool = False     # written ±: a symmetric pair (±12 V rails) or a tolerance (±5 %)
    qualifier: str = ""          # "pp", "pk" or "rms" for AC amplitudes
    low: float | None = None     # the lower end of a range ("0–24 V")
    scaled: bool = False         # the number carried an SI prefix or code letter (47k, 4k7)
    multiplier: float = 1.0      # the prefix's factor (1e3 for "kHz"), so "3 to 5 kHz" reads 3 kHz to 5 kHz
    proportion: bool = False     # a fraction or multiple said in words ("half", "two thirds", "doubled"):
                                 # circuit.proportion_words

    @property
    def is_range(self) -> bool:
        return self.low is not None

    @property
    def peak(self) -> float:
        """The amplitude (peak) of an AC quantity written pp, pk or rms; the value otherwise."""
        if self.qualifier == "pp":
            return self.value / 2
        if self.qualifier == "rms":
            return self.value * math.sqrt(2)
        return self.value

    @property
    def ratio(self) -> float:
        """A dimensionless reading: % as a fraction, dB as a voltage ratio, a bare number as itself."""
        if self.unit == "%":
            return self.value / 100
        if self.unit == "dB":
            return 10 ** (self.value / 20)
        return self.value


@lru_cache(maxsize=1)
def _registry() -> "pint.UnitRegistry":
    # pint keeps its parsed unit definitions in a cache folder of ours (~0.15 s of CPU each cold command
    # that reads a unit, 20 ms with the cache); pint checks the definitions' content itself
    pint = lazy_imports.pint()
    try:
        return pint.UnitRegistry(cache_folder=user_home() / "cache" / "pint")
    except Exception:  # a home that cannot be written or a damaged cache file: the definitions parsed afresh
        return pint.UnitRegistry()


@lru_cache(maxsize=2048)
def _unit_of(word: str) -> tuple[float, str, str] | None:
    """(multiplier, unit, qualifier) for a word that is a unit with optional prefix, else None."""
    if word in ("%", "percent", "pct"):
        return 1.0, "%", ""
    if word in ("dB", "db", "DB", "dBV"):
        return 1.0, "dB", ""
    if word in _PREFIX:                      # 47k, 10 M: a bare prefix, the unit left to context
        return _PREFIX[word], "", ""
    qualifier = ""
    base = word
    kind = re.match(r"(.+?)(?:dc|DC|Dc|ac|AC|Ac)$", base)  # "24VDC", "230VAC": the unit, then the current's kind
    if kind and (u := _unit_of(kind.group(1))) is not None and u[1] in ("V", "A"):
        return u
    for suffix, q in _QUALIFIERS:            # 100mVpp, 1Vpk, 2Vrms, 5 Vp-p
        if base.lower().endswith(suffix) and len(base) > len(suffix) and base[: -len(suffix)][-1:] in ("V", "v", "A"):
            base, qualifier = base[: -len(suffix)], q
            break
    if base in _NOT_UNITS:
        return None
    if len(base) == 2 and base[0] in "munpµμ" and base[1] in "afh" and base != "mf":
        # lower case as engineers type it: "8ma", "100ua" are currents (pint: mega-annum), "10uf", "47nf"
        # capacitances, "10uh" an inductance (pint: hours); "mf" stays unread (milli- or an old micro-farad)
        return _PREFIX[base[0]], {"a": "A", "f": "F", "h": "H"}[base[1]], qualifier
    if base == "mhz":
        return 1e6, "Hz", qualifier  # typed all in lower case it means megahertz (a millihertz is written mHz)
    if base in ("w", "kw", "mw"):
        # watts typed in lower case ("a 15w pad", "a 2kw heater"); "mw" is a milliwatt, as makers mean it
        return {"w": 1.0, "kw": 1e3, "mw": 1e-3}[base], "W", qualifier
    if len(base) >= 2 and base[0] in _PREFIX and base[1:] in ("Ω", "Ω", "R", "ohm", "ohms", "Ohm", "Ohms", "V", "v", "A", "Hz", "hz", "F", "H", "s", "W"):
        mult = _PREFIX[base[0]]
        rest = _unit_of(base[1:])
        if rest is None or not rest[1]:
            return None
        return mult * rest[0], rest[1], qualifier
    name = _SPELLING.get(base, base)
    if not name:
        return None
    try:
        q = _registry().Quantity(1.0, name)
    except Exception:  # pint: not a unit at all (an English word)
        return None
    dim = str(q.dimensionality)
    if dim == DIMENSIONS["°C"]:
        # a temperature scale has an offset, which no multiplier carries: degrees Celsius are read as they are
        # (60 °C is 60, not 60 x 274.15 K), the other scales are left unread
        # Fahrenheit is read too, marked "°F" here and turned into Celsius with its offset by find_quantities
        return {"degree_Celsius": (1.0, "°C", qualifier), "degree_Fahrenheit": (1.0, "°F", qualifier)}.get(str(q.units))
    for unit, sig in DIMENSIONS.items():
        if dim == sig:
            try:
                mult = float(q.to_base_units().magnitude)
            except Exception:
                return None
            return mult, unit, qualifier
    return None


def degrees_after(text: str, q: "Quantity") -> bool:
    """Whether a bare figure is written in degrees with no scale ("at 40 degrees", "40°"): an angle or a
    temperature, which only the words around it tell apart."""
    return q.unit == "" and re.match(r"\s*(?:degrees?|degs?|°)(?![A-Za-z])", text[q.end:]) is not None


def unit_word(word: str) -> bool:
    """Whether a word written after a number is its unit or an SI prefix ("kilohms", "mA", "k", "%")."""
    return _unit_of(word) is not None


# the length units a distance is written in (pint's names): the metric ones and the everyday imperial ones, not
# the surveyors' and typesetters' units that share English words ("link", "chain", "point", "line"), nor a
# prefix read onto another unit ("pin": a pico-inch)
_DISTANCE_UNITS = frozenset({"millimeter", "centimeter", "meter", "kilometer", "inch", "foot", "yard", "mile",
                             "nautical_mile"})


@lru_cache(maxsize=512)
def metres_of(word: str) -> float | None:
    """Metres in one of the length unit a word names after a number ("km", "metres", "miles", "ft", "feet"),
    read by pint; None for a word that names no distance unit, and for "in", which is English before it is inches."""
    if not word.isalpha() or word == "in":
        return None
    try:
        q = _registry().Quantity(1.0, _SPELLING.get(word, word))
        if str(q.units) not in _DISTANCE_UNITS:
            return None
        return float(q.to("meter").magnitude)
    except Exception:  # pint: not a unit at all (an English word)
        return None


def _number(text: str) -> tuple[float, bool]:
    m = re.fullmatch(r"(\d+)([RkKMmunpµμ])(\d+)", text)
    if m:
        whole, letter, frac = m.groups()
        mult = 1.0 if letter == "R" else _PREFIX[letter]
        return float(f"{whole}.{frac}") * mult, True
    # "4,7" is a decimal comma; "1,000" a thousands separator
    return float(text.replace(",", ".")) if re.fullmatch(r"\d+,\d{1,2}", text) else float(text.replace(",", "")), False


def _spelled(text: str) -> list[Quantity]:
    """Fractions of a unit said in words ("half an amp": 0.5 A; "one and a half seconds": 1.5 s)."""
    out = []
    for m in _SPELLED.finditer(text):
        u = _unit_of(m.group("word"))
        if u is None or not u[1]:
            continue
        if m.group("whole"):
            w = m.group("whole").lower()
            value = (float(w) if w.isdigit() else _WHOLE[w]) + _FRACTIONS[m.group("and_frac").lower()]
        elif m.group("plural"):
            value = _WHOLE[m.group("many").lower()] * _FRACTIONS[m.group("plural").lower()]
        else:
            value = _FRACTIONS[m.group("frac").lower()]
        out.append(Quantity(value * u[0], u[1], m.start(), m.end(), m.group(0), multiplier=u[0]))
    return out


def _rates(text: str) -> list[Quantity]:
    """Counts of events over a time said in words ("twice a second": 2 Hz; "5 times per minute";
    "once every 4 seconds": 0.25 Hz), as frequencies. The period must be a unit of time (pint); the word
    between the count and the period, if any, is what repeats and must not itself be a unit ("5 volts
    per second" is a slew rate, not a frequency)."""
    out = []
    for m in _RATE.finditer(text):
        u = _unit_of(m.group("word"))
        if u is None or u[1] != "s" or (m.group("what") and _unit_of(m.group("what")) is not None):
            continue
        c = m.group("count").lower()
        count = _ONCE.get(c) or _WHOLE.get(c) or float(c)
        period = u[0] * (float(m.group("n")) if m.group("n") else 1.0)
        if count <= 0 or period <= 0:
            continue
        out.append(Quantity(count / period, "Hz", m.start(), m.end(), m.group(0)))
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, left to right (a range is one quantity)."""
    spelled = _spelled(text)
    spelled += [q for q in _rates(text) if not any(s.start < q.end and q.start < s.end for s in spelled)]
    out: list[Quantity] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() < pos or any(q.start <= m.start("num") < q.end for q in spelled):
            continue
        start = m.start("sign") if m.group("sign") else m.start("num")
        # a number glued to letters before it is part of a name (LM358, 2N2222, E24, R1)
        if m.start("num") > 0 and (text[m.start("num") - 1].isalnum() or text[m.start("num") - 1] in "_."):
            continue
        if m.group("glued") and m.group("word") and text[m.start("word") - 1].isdigit():
            pos = m.end()  # a part number (2N2222, 1N4148, 74HC14), not a quantity
            continue
        sign = m.group("sign") or ""
        if sign in ("-", "−") and (name := re.search(r"[A-Za-z0-9]+$", text[:m.start("sign")])) \
                and name.group(0)[0].isalpha():
            pos = m.end()  # "BMS-1S", "SX1278-433": a figure hyphened onto a name is part of the name
            continue
        if sign in ("-", "+", "−") and m.start("sign") > 0 and text[m.start("sign") - 1].isalnum():
            sign, start = "", m.start("num")  # "9-12": a range dash, not a sign
        value, coded = _number(m.group("num"))
        word = m.group("word") or ""
        mult, unit, qual, end = 1.0, "", "", m.end("num")
        if coded and m.group("num")[-1].isdigit() and "R" in m.group("num"):
            unit = "Ω"
        scale = _SCALE.match(text, m.end("word")) if word.lower() in _DEGREE_WORDS else None
        if scale:
            # the scale word after the degree word is the unit ("40 degrees C"); a bare "degrees" stays unread
            # (an angle as often as a temperature)
            word, u = "", (1.0, "°F" if scale.group("scale").lower()[0] == "f" else "°C", "")
            mult, unit, qual, end = u[0], u[1], "", scale.end()
        elif word == "C" and m.start("word") > m.end("num"):
            # "37.5 C": a spaced capital C after a figure is degrees Celsius (a coulomb is no maker's unit; a
            # battery's C-rate is written glued to its figure, "25C", and stays unread)
            word, mult, unit, qual, end = "", 1.0, "°C", "", m.end("word")
        if word:
            # "1a", "2A": amperes glued to the figure (spaced, "a" is the article)
            u = (1.0, "A", "") if word in ("a", "A") and m.start("word") == m.end("num") else _unit_of(word)
            if u is None and "-" in word:  # "5V-rail", "12-volt": the unit before the hyphen
                head = word.split("-")[0]
                u = _unit_of(head) if head else None
                if u is not None:
                    word = head
            if u is not None and not (coded and u[1] == "" and u[0] != 1.0):
                mult, unit2, qual = u
                unit = unit2 or unit
                end = m.start("word") + len(word)
        scaled = coded or mult != 1.0 and unit in ("", "Ω", "F", "H")
        v = value * mult
        if sign in ("-", "−"):
            v = -v
        if unit == "°F":  # a Fahrenheit temperature, in Celsius (an offset scale: no multiplier carries it)
            v, unit = (v - 32.0) * 5.0 / 9.0, "°C"
        # "2 V peak-to-peak", "1 V peak", "3 V rms": the qualifier as the next word
        if unit in ("V", "A") and not qual:
            q2 = re.match(r"\s*(peak-to-peak|peak to peak|p-p|pp|peak|pk|rms|RMS)\b", text[end:])
            if q2:
                qual = {"peak-to-peak": "pp", "peak to peak": "pp", "p-p": "pp", "pp": "pp", "rms": "rms"}.get(
                    q2.group(1).lower(), "pk")
                end += q2.end()
        out.append(Quantity(v, unit, start, end, text[start:end], plus_minus=sign in ("±", "+/-", "+-"),
                            qualifier=qual, scaled=scaled, multiplier=mult))
        pos = end
    return _join_ranges(text, sorted(out + spelled, key=lambda q: q.start))


def _join_ranges(text: str, qs: list[Quantity]) -> list[Quantity]:
    """'0–24 V', '9 to 12 V', '9V-12V': one quantity from the low to the high end."""
    out: list[Quantity] = []
    i = 0
    while i < len(qs):
        a = qs[i]
        if i + 1 < len(qs):
            b = qs[i + 1]
            gap = text[a.end:b.start]
            same = a.unit in ("", b.unit) and b.unit not in ("", "%", "dB")
            if _RANGE_JOIN.match(gap) and same and not b.plus_minus and a.qualifier == b.qualifier:
                # a bare low end takes the high end's prefix: "3 to 5 kHz" is 3 kHz to 5 kHz
                lo = a.value * b.multiplier if a.unit == "" and not a.scaled else a.value
                if lo < b.value:
                    out.append(Quantity(b.value, b.unit, a.start, b.end, text[a.start:b.end], qualifier=b.qualifier,
                                        low=lo, scaled=b.scaled, multiplier=b.multiplier))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def parse_quantity(text: str, unit: str | None = None) -> Quantity:
    """Exactly one quantity in ``text`` (e.g. a spec field); ``unit``, when given, must match."""
    qs = find_quantities(text)
    if len(qs) != 1 or text.strip() != qs[0].raw.strip():
        raise QuantityError(f"cannot read {text!r} as one value with its unit (e.g. 4k7, 10 uF, 3.3 V, 1 kHz)")
    q = qs[0]
    if unit and q.unit and q.unit != unit:
        raise QuantityError(f"{text!r} is in {q.unit}, expected {unit}")
    return q
