"""Proportions said in words, with no unit after them: fractions ("half the time", "a third of 9 V", "two thirds",
"three quarters of each cycle", "in half") and multiples ("halve", "doubled", "triple", "twice as large").

English's fraction and multiplicative numerals are a closed class of number words, like "two" or "ten": each is a
bare number (unit ""). A fraction or multiple followed by a unit ("half a second", "twice a second") is a
quantity of that unit and is left to :func:`circuit.quantities.find_quantities`; the caller drops the proportions
that overlap one of those. What a proportion is of (a duty, a divider's ratio, a gain) is the reader's business:
these are flagged ``proportion`` so that it may place them by their kind of number as well as by their words.
"""

from __future__ import annotations

import re
from dataclasses import replace

from circuit.quantities import Quantity

__all__ = ["find_proportions"]

# denominators: singular and plural forms of English's fraction words
_DENOMINATOR = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8,
                "tenth": 10, "tenths": 10}
_NUMERATOR = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "nine": 9}
# multiplicative numerals: the verb or adverb that scales a thing by a whole number or a half
_MULTIPLE = {"halve": 0.5, "halved": 0.5, "halves": 0.5, "halving": 0.5, "double": 2.0, "doubled": 2.0,
             "doubles": 2.0, "doubling": 2.0, "twice": 2.0, "triple": 3.0, "tripled": 3.0, "triples": 3.0,
             "tripling": 3.0, "treble": 3.0, "trebled": 3.0, "thrice": 3.0, "quadruple": 4.0, "quadrupled": 4.0}

_NUM = r"(?P<num>\d+|" + "|".join(_NUMERATOR) + r")"
_DEN = r"(?P<den>" + "|".join(sorted(_DENOMINATOR, key=len, reverse=True)) + r")"
# "2 thirds", "three quarters", "a third of", "one fifth of", "half", "in half"; not glued into a name ("half-bridge")
_FRACTION = re.compile(rf"(?<![\w.-])(?:{_NUM}[\s-]+)?{_DEN}(?![\w-])(?P<of>\s+of\b)?", re.IGNORECASE)
_MULTIPLES = re.compile(r"(?<![\w.-])(?P<word>" + "|".join(_MULTIPLE) + r")(?![\w-])", re.IGNORECASE)


def find_proportions(text: str) -> list[Quantity]:
    """Every fraction or multiple said in words in ``text``, as a bare number (left to right)."""
    out: list[Quantity] = []
    for m in _FRACTION.finditer(text):
        den_word = m.group("den").lower()
        num = m.group("num")
        plural = den_word.endswith("s") and den_word != "halves"
        if den_word.startswith("half"):
            n = 1 if num is None or num.lower() in ("a", "an", "one") else None
        elif num is None:
            continue  # "third" alone is an ordinal ("the third LED"), not a fraction
        elif plural:
            n = int(num) if num.isdigit() else _NUMERATOR[num.lower()]
            if n < 2:
                continue
        else:
            # "a third of", "one fifth of": a singular fraction word is a fraction when it is of something
            if num.lower() not in ("a", "an", "one") or not m.group("of"):
                continue
            n = 1
        if n is None:
            continue
        value = n / _DENOMINATOR[den_word]
        if not 0 < value < 1:
            continue
        end = m.end("den")
        out.append(Quantity(value, "", m.start(), end, text[m.start():end]))
    for m in _MULTIPLES.finditer(text):
        if any(q.start < m.end() and m.start() < q.end for q in out):
            continue
        out.append(Quantity(_MULTIPLE[m.group("word").lower()], "", m.start(), m.end(), m.group(0)))
    return sorted((replace(q, proportion=True) for q in out), key=lambda q: q.start)
