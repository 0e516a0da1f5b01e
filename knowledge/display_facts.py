"""A display's size and resolution a request states, read against the displays' typed fields.

"a 2.4 inch oled so the numbers are easier to read", "écran OLED de 1,3 pouce", "a colour screen with 320 x 240
pixels": the words pick a display; what decides between displays of one kind is the size or the resolution stated,
against ``ComponentRecord.diagonal_in`` (the diagonals it is sold in) and ``ComponentRecord.pixels`` (pixels across
and down). Both are read from the request's numbers, never its phrases:

- a size: a number (a decimal point or comma) before the inch's sign or the inch's name in one of the languages the
  records' aliases are written in (``INCH``: the unit's names, as the units library knows "inch" in English);
- a resolution: two whole numbers joined by "x", "×" or "by" ("320x240", "320 x 240", "128 by 64"), either order.

A display whose typed value fits gains; one whose typed value does not fit loses twice that, among the displays of the
first candidates' categories, and only when some display of those categories fits (a number no display's field holds,
"16x2" or "8x8", is not a display's size or resolution here: ``knowledge.stated_facts`` reads text grids and LED
counts). A display that types nothing is left alone.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

__all__ = ["DisplayFacts", "INCH", "FITS", "AGAINST", "stated_inches", "stated_pixels"]

FITS = 0.12     # a display of the size or resolution stated
AGAINST = 2.0   # a display whose typed size or resolution differs loses this many times FITS
SLACK = 0.06    # a stated size fits a diagonal within this share of it (2.4 inch: a 2.42 inch OLED)

# the inch's names in the languages the records' aliases are written in (English, German, French, Spanish, Italian,
# Portuguese, Dutch), singular and plural, and its signs
INCH = ("inch", "inches", "in", "zoll", "pouce", "pouces", "pulgada", "pulgadas", "pollice", "pollici", "polegada",
        "polegadas", "duim", '"', "”", "''", "″")
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_SIZE = re.compile(_NUMBER + r"\s*-?\s*(" + "|".join(re.escape(w) for w in sorted(INCH, key=len, reverse=True))
                   + r")(?![a-z])")
_PIXELS = re.compile(r"(?<![\d.])(\d{2,4})\s*(?:x|×|by)\s*(\d{2,4})(?![\d.])")


def stated_inches(text: str) -> list[float]:
    """The sizes in inches a text states ("2.4 inch", "1,3 pouce", '1.3"')."""
    out = []
    for m in _SIZE.finditer(text.lower()):
        if m.group(2) == "in" and not re.search(r"[.,]", m.group(1)):
            continue  # "2 in 1", "one in ten": only a decimal before a bare "in" is a size
        out.append(float(m.group(1).replace(",", ".")))
    return out


def stated_pixels(text: str) -> list[tuple[int, int]]:
    """The resolutions a text states, larger side first ("320 x 240", "128x64", "240 by 320")."""
    return [tuple(sorted((int(a), int(b)), reverse=True)) for a, b in _PIXELS.findall(text.lower())]


class DisplayFacts:
    """The displays' typed diagonals and resolutions, and a request's stated ones read against them."""

    def __init__(self, records: Iterable):
        records = list(records)
        self._category = {rec.key: rec.category for rec in records}
        self._diagonal = {rec.key: tuple(rec.diagonal_in) for rec in records if getattr(rec, "diagonal_in", None)}
        self._pixels = {rec.key: tuple(sorted(rec.pixels, reverse=True)) for rec in records
                        if getattr(rec, "pixels", None)}

    @staticmethod
    def _size_fits(size: float, diagonal: tuple[float, float]) -> bool:
        return diagonal[0] * (1 - SLACK) <= size <= diagonal[1] * (1 + SLACK)

    def deltas(self, text: str, first: Sequence[str]) -> dict[str, float]:
        """Score changes per display for the size and resolution the request states, among the ``first``
        candidates' categories."""
        categories = {self._category[k] for k in first if k in self._diagonal or k in self._pixels}
        if not categories:
            return {}
        out: dict[str, float] = {}
        for typed, stated, fits in ((self._diagonal, stated_inches(text), self._size_fits),
                                    (self._pixels, stated_pixels(text), lambda v, t: v == t)):
            if not stated:
                continue
            within = {k: v for k, v in typed.items() if self._category[k] in categories}
            fitting = {k for k, v in within.items() if any(fits(s, v) for s in stated)}
            if not fitting:
                continue  # no display of those kinds holds the number: it is not theirs
            for key in within:
                out[key] = out.get(key, 0.0) + (FITS if key in fitting else -AGAINST * FITS)
        return out
