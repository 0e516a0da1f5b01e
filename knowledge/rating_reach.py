"""Does a request state a voltage, current or power beyond every rating the library holds?

"measure a voltage of 10 kV", "a current of 300 amps", "switch a 50 kW heater": whichever part ranks
first, no part of the library is rated for that, so the request is for a part the library lacks. The
reach of the library is read from the records' typed ratings (``knowledge.record.Ratings``: the
largest voltage any part withstands, the largest current any part carries, and the largest product
of the two on one part), never from their texts; a quantity the request states is compared with it.

Quantities are read here with a small pattern for volts, amperes and watts with their k/m/u prefixes
(glued or spaced, symbols or words: 10kV, 300 amps, 50 kw) rather than through
``circuit.quantities`` (pint): a search must not load pint on the cold path of ``kb search``, and
these three units are all the reach is stated in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from knowledge.lexical import fold

# the ratings fields that state a voltage a part withstands or works at, and a current it carries
VOLTAGE_RATINGS = ("vr_max", "vce_max", "vds_max", "v_in_max", "v_rated", "v_nominal", "v_out", "vz")
CURRENT_RATINGS = ("if_max", "if_nom", "ic_max", "id_max", "i_out_max", "i_rated", "i_stall")

_PREFIX = {"": 1.0, "k": 1e3, "kilo": 1e3, "m": 1e-3, "milli": 1e-3, "u": 1e-6, "micro": 1e-6}
_BASE = {"v": "V", "volt": "V", "volts": "V", "vdc": "V", "vac": "V",
         "a": "A", "amp": "A", "amps": "A", "ampere": "A", "amperes": "A",
         "w": "W", "watt": "W", "watts": "W"}
_QUANTITY = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s?(kilo|milli|micro|k|m|u)?(volts?|vdc|vac|v|amperes?|amps?|a|watts?|w)(?![\w])")


@dataclass(frozen=True)
class Reach:
    """The largest voltage (V), current (A) and power (W, voltage times current on one part) rated in a library."""

    volts: float = 0.0
    amps: float = 0.0
    watts: float = 0.0

    @classmethod
    def of_records(cls, records: Iterable) -> "Reach":
        volts = amps = watts = 0.0
        for rec in records:
            r = getattr(rec, "ratings", None)
            if r is None:
                continue
            v = max((float(getattr(r, f) or 0.0) for f in VOLTAGE_RATINGS), default=0.0)
            a = max((float(getattr(r, f) or 0.0) for f in CURRENT_RATINGS), default=0.0)
            volts, amps = max(volts, v), max(amps, a)
            watts = max(watts, float(r.power_max or 0.0), v * a)
        return cls(volts, amps, watts)

    def exceeded_by(self, text: str, part_tokens: Iterable[str] = ()) -> bool:
        """Whether the text states a voltage, current or power above what any part is rated for (a
        unit with no rating in the library at all tells nothing); ``part_tokens``: numbers that are
        pieces of part numbers in the text ("PAM 8403 amp"), not quantities."""
        limit = {"V": self.volts, "A": self.amps, "W": self.watts}
        return any(limit[unit] > 0 and value > limit[unit] for value, unit in stated_quantities(text, part_tokens))


def stated_quantities(text: str, part_tokens: Iterable[str] = ()) -> list[tuple[float, str]]:
    """(value in V, A or W, unit) for every voltage, current or power written in a text. Not read as one:
    a number that is a piece of a part number (``part_tokens``: "PAM 8403 amp"), one with a leading zero
    or four digits and more glued to a bare "a" (the letter of a part number: 03962A, 2004A), and a
    spaced "a" (an article as often as amperes: "1 a day")."""
    skip = set(part_tokens)
    out = []
    for m in _QUANTITY.finditer(fold(text)):
        number, prefix, unit = m.groups()
        base = _BASE[unit]
        if number in skip:
            continue
        if unit == "a" and not prefix:
            glued = " " not in m.group(0)
            if not glued or number.startswith("0") or ("." not in number and len(number) >= 4):
                continue
        out.append((float(number) * _PREFIX[prefix or ""], base))
    return out
