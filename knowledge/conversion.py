"""Voltages a request converts between, and the parts rated to do it.

"make 12 V from a 5 V supply", "drop 24 V down to 12 V", "3.3 V out of a Li-ion cell": a request
that states two voltages with their roles asks for a part that takes one in and gives the other
out. ``voltage_pairs`` reads the roles from the words in front of each voltage (the input follows
"from" / "out of", the output follows "to" / "into"; with no such word there is no conversion to read: "a 5 V and a 3.3 V board");
``converts`` checks a record's ratings (input range, fixed or adjustable output, step-up or not,
dropout). The retriever ranks such parts up; the supply and the load the request names are context.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from knowledge.lexical import tokens

if TYPE_CHECKING:  # pragma: no cover
    from knowledge.record import ComponentRecord

# the word in front of a voltage that says which side of the conversion it is (grammar, not wording)
_INPUT_CUES = frozenset(("from", "of", "off"))
_OUTPUT_CUES = frozenset(("to", "into"))
_SKIP = frozenset("a an the my our your its this that single one small big steady stable clean regulated".split())
_VOLT = re.compile(r"^(\d+(?:\.\d+)?)v$")
_VOLT_INFIX = re.compile(r"^(\d+)v(\d+)$")
_VOLT_WORDS = frozenset(("v", "volt", "volts", "vdc", "vcc"))
FIXED_TOLERANCE = 0.05  # a fixed output within 5 % of the asked voltage is that voltage


def _voltages(toks: list[str]) -> list[tuple[int, float]]:
    """(token index, volts) for each voltage written in the request."""
    out = []
    for i, t in enumerate(toks):
        m = _VOLT_INFIX.match(t)
        if m:
            out.append((i, float(f"{m.group(1)}.{m.group(2)}")))
            continue
        m = _VOLT.match(t)
        if m:
            out.append((i, float(m.group(1))))
        elif re.fullmatch(r"\d+(?:\.\d+)?", t) and i + 1 < len(toks) and toks[i + 1] in _VOLT_WORDS:
            out.append((i, float(t)))
    return out


def _role(toks: list[str], i: int) -> str:
    """'in', 'out' or '' from the words just before the voltage at token ``i``."""
    j = i - 1
    while j >= 0 and toks[j] in _SKIP:
        j -= 1
    if j < 0:
        return ""
    if toks[j] in _INPUT_CUES:
        return "in"
    if toks[j] in _OUTPUT_CUES:
        return "out"
    return ""


def voltage_pairs(text: str) -> list[tuple[float, float]]:
    """The (input, output) voltage pairs a request may ask to convert between; [] when it does not
    state two different voltages."""
    toks = tokens(text)
    found = _voltages(toks)
    volts = list(dict.fromkeys(v for _, v in found))
    if len(volts) != 2:
        return []
    roles = {}
    for i, v in found:
        r = _role(toks, i)
        if r and v not in roles:
            roles[v] = r
    a, b = volts
    ra, rb = roles.get(a, ""), roles.get(b, "")
    if ra == "in" or rb == "out":
        return [] if (ra == "out" or rb == "in") else [(a, b)]
    if ra == "out" or rb == "in":
        return [(b, a)]
    return []  # two voltages with no word saying which goes in: a level, not a conversion


def input_voltages(text: str) -> list[float]:
    """The voltages a request states as what something is powered from ("from a 24 V line", "off 12 V"), in order."""
    toks = tokens(text)
    return list(dict.fromkeys(v for i, v in _voltages(toks) if _role(toks, i) == "in"))


def stated_voltages(text: str) -> list[float]:
    """The distinct voltages a request states, in order ("a 5 V arduino and a 3.3 V module": [5.0, 3.3])."""
    return list(dict.fromkeys(v for _, v in _voltages(tokens(text))))


def signal_levels(rec: "ComponentRecord") -> set[float]:
    """The logic levels a part's signal pins sit at (their driven-high voltage): two of them on one
    part make it a translator between those levels (a level shifter's 3.3 V and 5 V sides)."""
    return {p.v_out for p in rec.pins if p.v_out and p.type.startswith("digital")}


def holds_levels(levels: set[float], volts: list[float]) -> bool:
    """Whether every stated voltage is one of these levels (within ``FIXED_TOLERANCE``)."""
    return all(any(abs(lv - v) <= FIXED_TOLERANCE * v for lv in levels) for v in volts)


def converts(rec: "ComponentRecord", v_in: float, v_out: float) -> bool:
    """Whether the part is rated to take ``v_in`` and give ``v_out`` (a regulator or converter)."""
    ratings, supply = rec.ratings, rec.supply
    if ratings is None or supply is None or (ratings.v_out is None and not ratings.v_out_adjustable):
        return False
    lo = supply.v_min
    hi = min(x for x in (supply.v_max, ratings.v_in_max) if x is not None) if (
        supply.v_max is not None or ratings.v_in_max is not None) else None
    if lo is None or hi is None or not lo <= v_in <= hi:
        return False
    step_up = bool(rec.spice and rec.spice.params.get("boost"))
    if not ratings.v_out_adjustable:
        return abs(ratings.v_out - v_out) <= FIXED_TOLERANCE * v_out and (step_up or v_out < v_in)
    if step_up:
        return v_out > v_in
    return v_out <= v_in - (ratings.dropout or 0.0)


def efficiency(rec: "ComponentRecord", v_in: float, v_out: float) -> float:
    """The share of the input power a converter delivers at this conversion: a switching converter's
    rated efficiency (its SPICE parameters), a linear regulator's v_out / v_in (the rest is heat)."""
    rated = rec.spice.params.get("efficiency") if rec.spice else None
    if rated:
        return float(rated)
    return min(1.0, v_out / v_in) if v_in > 0 else 0.0
