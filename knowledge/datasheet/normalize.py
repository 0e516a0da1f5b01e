"""Normalisation of what datasheets print: numbers, units with prefixes, and test conditions.

Every quantity becomes a float in SI base units (V, A, Ω, F, C, s, S, W, Hz) with a canonical
unit string; ratios keep their printed scale (dB, %, %/V). Conditions such as
"VGS = 10 V, ID = 500 mA, TJ = 25 °C" become ``{"VGS": 10.0, "ID": 0.5, "TJ": 25.0}``.

Text-layer traps handled here, not in the callers:
- a glyph the PDF could not map (kept as U+FFFD by ingest) in a prefix position is µ
  ("75 \ufffdA" is 75 µA), alone in a resistance position it is Ω;
- Symbol-font letters are mapped at ingest (m → µ, W → Ω), but a stray "W" after a resistance
  value in an Ω context is still read as Ω by :func:`parse_quantity` when the caller expects Ω;
- "±20" is a magnitude (20), "1,000" is one thousand, "–––" and "—" are empty cells.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = [
    "UNKNOWN_GLYPH",
    "Quantity",
    "parse_number",
    "parse_unit",
    "parse_quantity",
    "parse_conditions",
    "is_placeholder",
    "normalize_symbol",
    "clean_text",
    "DIMENSIONS",
]

UNKNOWN_GLYPH = "\ufffd"

# Canonical unit -> dimension name used by the parameter catalogue.
DIMENSIONS = {
    "V": "voltage", "A": "current", "Ω": "resistance", "F": "capacitance", "C": "charge",
    "s": "time", "S": "conductance", "W": "power", "Hz": "frequency", "dB": "ratio_db",
    "%": "percent", "%/V": "percent_per_volt", "V/V": "gain", "V/s": "slew", "1": "none",
    "°C": "temperature", "K/W": "thermal", "J": "energy", "H": "inductance",
}

_PREFIX = {
    "f": 1e-15, "p": 1e-12, "n": 1e-9, "u": 1e-6, "µ": 1e-6, "μ": 1e-6, UNKNOWN_GLYPH: 1e-6,
    "m": 1e-3, "": 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9,
}

# Base units as printed -> canonical. Order matters for the regex (longest first).
_BASE = {
    "ohms": "Ω", "ohm": "Ω", "Ohms": "Ω", "Ohm": "Ω", "OHM": "Ω", "Ω": "Ω", "Ω": "Ω",
    "V/V": "V/V", "V/s": "V/s", "%/V": "%/V", "%VO": "%", "%VOUT": "%", "%": "%",
    "Hz": "Hz", "HZ": "Hz", "hz": "Hz", "dB": "dB", "DB": "dB",
    "°C": "°C", "℃": "°C", "K/W": "K/W", "°C/W": "K/W", "℃/W": "K/W", "℃/ W": "K/W",
    "V": "V", "A": "A", "F": "F", "C": "C", "s": "s", "S": "S", "W": "W", "J": "J", "H": "H",
    "sec": "s", "mho": "S", "Amps": "A", "Amp": "A", "Volts": "V", "Volt": "V",
}
_BASE_RE = "|".join(re.escape(k) for k in sorted(_BASE, key=len, reverse=True))
_UNIT_RE = re.compile(
    rf"^(?P<prefix>[fpnuµμmkKMG{UNKNOWN_GLYPH}]?)(?P<base>{_BASE_RE})(?:/(?P<per>[µμunm{UNKNOWN_GLYPH}]?)(?P<perbase>s|V|mV|µs|us|W|°C|℃))?$"
)

_PLACEHOLDERS = {"-", "–", "—", "−", "–––", "---", "—", "⎯", "‐", "N/A", "n/a", "NA", "*", "──", "--", "––", "———"}


@dataclass(frozen=True)
class Quantity:
    value: float  # SI
    unit: str  # canonical unit ("V", "A", "Ω", ... or "" when none was printed)
    printed: str
    bound: str = ""  # "<", ">", "≤", "≥" when the cell printed a bound sign; "typ" for an inline "Typ"
    upper: float | None = None  # a range cell ("100–600"): ``value`` is the low end, this the high end (SI)


def clean_text(text: str) -> str:
    """Unify dashes, spaces and look-alike characters (full-width <, ideographic ～)."""
    t = (
        text.replace("\u2212", "-").replace("\u2013", "-").replace("\u2010", "-").replace("\u2011", "-")
        .replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")
        .replace("＜", "<").replace("＞", ">").replace("～", "~").replace("：", ":").replace("，", ",")
        .replace("\u03bc", "\u00b5").replace("\u2126", "\u03a9").replace("℃", "°C")
    )
    return re.sub(r"\s+", " ", t).strip()


def is_placeholder(text: str) -> bool:
    t = text.strip()
    return t in _PLACEHOLDERS or bool(re.fullmatch(r"[-–—−⎯_]{1,6}", t))


_NUM_RE = re.compile(r"^(?P<bound>[<>≤≥]=?)?\s*(?P<sign>[±+\-]?)\s*(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE](?P<exp>[-+]?\d+))?$")


def parse_number(text: str) -> tuple[float, str] | None:
    """A bare printed number -> (value, bound sign). "±20" -> 20, "1,000" -> 1000, "<5" -> 5 with "<"."""
    t = clean_text(text).replace(" ", "")
    m = _NUM_RE.match(t)
    if not m:
        return None
    num = m.group("num").replace(",", "")
    try:
        v = float(num)
    except ValueError:
        return None
    if m.group("exp"):
        v *= 10 ** int(m.group("exp"))
    if m.group("sign") == "-":
        v = -v
    return v, (m.group("bound") or "")


def parse_unit(text: str, expect: str | None = None) -> tuple[float, str] | None:
    """A printed unit -> (multiplier to SI, canonical unit). ``expect`` (a canonical unit) resolves
    traps: an unknown glyph or "W" where Ω is expected, a bare prefix letter ("m" for mΩ)."""
    t = clean_text(text).replace(" ", "").rstrip(".,;")
    if not t:
        return None
    if t == "°":
        return (1.0, "°C")
    # "Vdc", "mAdc", "µAdc", "Vac": the dc/ac suffix says how it was measured, not what unit it is
    m = re.fullmatch(r"(.*?[AV])(?:dc|DC|ac|AC|\(dc\)|\(ac\))", t)
    if m:
        t = m.group(1)
    # "nS"/"uS"/"mS" where a time is expected: seconds printed in capitals
    if expect == "s" and re.fullmatch(r"[pnuµmM\ufffd]S", t):
        t = t[0].replace("M", "m") + "s"
    if t in ("V/mV", "V/mv"):
        return (1e3, "V/V")
    if t in ("mV/V", "µV/V"):
        return ((1e-3 if t[0] == "m" else 1e-6), "V/V")
    if t in ("V/µs", "V/us", f"V/{UNKNOWN_GLYPH}s", "V/ms", "V/ns"):
        return ({"µ": 1e6, "u": 1e6, UNKNOWN_GLYPH: 1e6, "m": 1e3, "n": 1e9}[t[2]], "V/s")
    if expect == "Ω":
        if t in (UNKNOWN_GLYPH, "W"):
            return (1.0, "Ω")
        if len(t) == 2 and t[0] in "mkM" and t[1] in (UNKNOWN_GLYPH, "W"):
            return (_PREFIX[t[0]], "Ω")
        if t in ("m", "k", "M"):
            return (_PREFIX[t], "Ω")
    m = _UNIT_RE.match(t)
    if not m:
        # "C" with a dropped degree sign is a temperature; leave that to the conditions parser.
        return None
    prefix, base = m.group("prefix"), _BASE[m.group("base")]
    mult = _PREFIX.get(prefix, 1.0)
    if m.group("perbase"):
        per = m.group("perbase")
        per_mult = _PREFIX.get(m.group("per") or "", 1.0)
        if per in ("µs", "us"):
            per_mult, per = 1e-6, "s"
        elif per == "mV":
            per_mult, per = 1e-3, "V"
        composite = f"{base}/{per}"
        canon = {"V/s": "V/s", "V/V": "V/V", "A/s": "A/s", "W/°C": "W/K", "V/°C": "V/K", "K/W": "K/W"}.get(composite, composite)
        return (mult / per_mult, canon)
    # "mA" vs "MA": datasheets never mean mega-amperes; "MHz"/"MΩ" are real.
    if prefix == "M" and base in ("A", "V", "W", "s", "F", "C"):
        mult = 1e-3
    if prefix == "K" and base in ("Hz", "Ω", "V", "W"):
        mult = 1e3
    return (mult, base)


_QTY_RE = re.compile(
    r"^(?P<num>[<>≤≥]?=?\s*[±+\-]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?|[<>≤≥]?=?\s*[±+\-]?\.\d+)\s*(?P<unit>\S*)$"
)


_RANGE_RE = re.compile(
    r"^(?P<lo>[+\-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<u1>[a-zA-ZµμΩ\ufffd/%]*)\s*(?:-|~|to|\.\.\.?|…)\s*(?P<hi>[+\-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<u2>\S*)$"
)
_INLINE_TYP = re.compile(r"^(?:typ(?:ical)?\.?\s*:?\s*(?P<a>.+)|(?P<b>.+?)\s*\(?typ(?:ical)?\.?\)?)$", re.I)


def parse_quantity(text: str, expect: str | None = None) -> Quantity | None:
    """"44mΩ", "0.5 µA", "100 mS", "±20 V", "<5 Ω", "1.0" -> Quantity in SI.

    Also: a range cell "100–600" / "2.4 to 3.6 V" (``value`` low end, ``upper`` high end), an
    inline kind "0.25 Typ" / "Typ 0.25" (``bound="typ"``), "600 mAdc", "35 nS" where a time is
    expected. A number without a unit is returned with ``unit=""``; the caller supplies the
    column unit."""
    t = clean_text(text)
    t = re.sub(r"\^\S*$", "", t).strip()  # trailing note marker
    mt = _INLINE_TYP.match(t)
    if mt:
        inner = parse_quantity(mt.group("a") or mt.group("b"), expect)
        return None if inner is None or inner.upper is not None else Quantity(inner.value, inner.unit, text, "typ")
    mr = _RANGE_RE.match(t)
    if mr:
        unit_txt = mr.group("u2") or mr.group("u1")
        lo, hi = parse_number(mr.group("lo")), parse_number(mr.group("hi"))
        if lo is not None and hi is not None and lo[0] < hi[0]:
            mult, unit = 1.0, ""
            if unit_txt:
                u = parse_unit(unit_txt, expect)
                if u is None:
                    return None
                mult, unit = u
            return Quantity(lo[0] * mult, unit, text, "", hi[0] * mult)
    m = _QTY_RE.match(t)
    if not m:
        return None
    n = parse_number(m.group("num"))
    if n is None:
        return None
    value, bound = n
    unit_txt = m.group("unit")
    if not unit_txt:
        return Quantity(value, "", text, bound)
    u = parse_unit(unit_txt, expect)
    if u is None:
        return None
    mult, unit = u
    return Quantity(value * mult, unit, text, bound)


# ---- conditions -------------------------------------------------------------------------------

_SYMBOL_CLEAN = re.compile(r"[\s^]")


def normalize_symbol(text: str) -> str:
    """'V GS' -> 'VGS', 'R DS(on)' -> 'RDS(ON)', 'r DS(on)' -> 'RDS(ON)', 'V^+' -> 'V+'."""
    t = _SYMBOL_CLEAN.sub("", clean_text(text))
    return t.upper()


_COND_KEY = r"(?P<key>[A-Za-zθ∆Δ][A-Za-z0-9θ∆Δ_(),+\-/]{0,14}?)\^?"
_COND_VAL = r"(?P<val>[±+\-]?\s*(?:\d+(?:\.\d+)?|\.\d+))\s*(?P<unit>(?!to\b)[a-zA-ZµμΩ°℃%\ufffd/]*)"
_COND_RE = re.compile(
    _COND_KEY + r"\s*(?P<op>=|<=|>=|≤|≥|<|>|@)\s*" + _COND_VAL
    + r"(?:\s*(?:to|~|\.\.\.|…)\s*(?P<val2>[±+\-]?\s*(?:\d+(?:\.\d+)?|\.\d+))\s*(?P<unit2>[a-zA-ZµμΩ°℃%\ufffd/]*))?"
)
_KEY_ALIASES = {"TAMB": "TA", "TC": "TC", "TCASE": "TC", "TJ": "TJ", "TA": "TA", "F": "f", "Ƒ": "f", "ƒ": "f"}


def _cond_key(raw: str) -> str:
    k = raw.replace("^", "").replace(" ", "")
    up = k.upper()
    if up in _KEY_ALIASES:
        return _KEY_ALIASES[up]
    if k in ("f", "ƒ"):
        return "f"
    # Keep symbols readable: VGS, ID, IF, VCE, IB1 ... (upper-case, parentheses kept)
    return up


def _cond_value(val: str, unit: str) -> float | None:
    n = parse_number(val)
    if n is None:
        return None
    v = n[0]
    unit = unit.strip().rstrip(",.;")
    if not unit:
        return v
    if unit in ("°C", "C", "°", "℃", "K"):
        return v
    u = parse_unit(unit)
    if u is None:
        # "25C" with the degree sign dropped, "300us" etc.
        m = re.match(r"^([fpnuµμm\ufffdkKMG]?)(.*)$", unit)
        if m and m.group(1) and parse_unit("x" if not m.group(2) else m.group(2)) is not None:
            return v * _PREFIX.get(m.group(1), 1.0)
        return v
    return v * u[0]


def parse_conditions(text: str) -> dict[str, object]:
    """Structured test conditions: numbers in SI (temperatures in °C), ranges as [lo, hi],
    equalities to another symbol as a string ("VDS = VGS" -> {"VDS": "VGS"})."""
    t = clean_text(text).replace("^", "")
    out: dict[str, object] = {}
    # "IF = IR = 10 mA": both symbols take the value
    for m in re.finditer(r"\b([A-Za-z][A-Za-z0-9()]{0,8})\s*=\s*([A-Za-z][A-Za-z0-9()]{0,8})\s*=\s*(?=[±+\-]?\d)", t):
        tail = _COND_RE.match(t, m.start(2))
        if tail:
            v = _cond_value(tail.group("val"), tail.group("unit"))
            if v is not None:
                out.setdefault(_cond_key(m.group(1)), v)
    # symbol = symbol ("VGS = VDS", "IF = IR = 10 mA")
    for m in re.finditer(r"\b([A-Za-z][A-Za-z0-9()]{0,8})\s*=\s*([A-Za-z][A-Za-z0-9()]{0,8})\b(?!\s*[=\d])", t):
        a, b = m.group(1), m.group(2)
        if any(ch.isdigit() for ch in b) and not b[0].isalpha():
            continue
        if b.lower() in ("to", "and", "or") or len(b) > 8:
            continue
        if b[0].isupper() and a[0].isupper():
            out.setdefault(_cond_key(a), _cond_key(b))
    for m in _COND_RE.finditer(t):
        key = _cond_key(m.group("key"))
        if key in ("NOTE", "FIG", "FIGURE", "SEE", "TABLE"):
            continue
        v = _cond_value(m.group("val"), m.group("unit"))
        if v is None:
            continue
        if m.group("val2"):
            v2 = _cond_value(m.group("val2"), m.group("unit2") or m.group("unit"))
            if m.group("unit2") and not m.group("unit"):
                v = _cond_value(m.group("val"), m.group("unit2"))
            out.setdefault(key, [v, v2] if v2 is not None else v)
        else:
            out.setdefault(key, v)
        # "IF = IR = 10 mA": give the preceding symbol the same value
        for other, val in list(out.items()):
            if val == key:
                out[other] = out[key]
    return {k: (round(v, 15) if isinstance(v, float) and math.isfinite(v) else v) for k, v in out.items()}
