"""Numbers said in words, written as digits where they are values: "two point two k" -> "2.2 k",
"forty seven kilohms" -> "47 kilohms", "ten times bigger" -> "10 times bigger".

Whole numbers go through text2num (English cardinal grammar: "one hundred and twenty", "forty-seven");
a decimal is the whole part, "point", then one digit word each ("three point three"). Ordinals are not
numbers here ("second" is a unit of time, "second order" a rank). A lone small number that is not a
"one" stays a word ("one shot", "one LED": an article more than a value): a run is written as digits when it
is more than one word, two or more, signed ("minus one"), or the next word is a unit (read by
:mod:`circuit.quantities`) or a multiplication ("times"). A sign said in words before a figure is written as one ("plus and minus 12" -> "±12").
"""

from __future__ import annotations

import re

from text_to_num import text2num

from circuit.quantities import unit_word

_DIGITS = {"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9}
_TEENS = {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
_SCALES = {"hundred", "thousand", "million"}
_CARDINAL = (set(_DIGITS) - {"oh"}) | _TEENS | _TENS | _SCALES
_MULTIPLY = {"times", "fold"}
_WORD = re.compile(r"[A-Za-z]+")


def _whole(words: list[str]) -> int | None:
    try:
        return int(text2num(" ".join(words), "en"))
    except (ValueError, TypeError):
        return None


def spelled_to_digits(text: str) -> str:
    """``text`` with its spelled-out values as digits (see the module's doc); everything else unchanged."""
    toks = list(_WORD.finditer(text))
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks):
        if toks[i].group(0).lower() not in _CARDINAL or _glued(text, toks[i].start(), before=True):
            i += 1
            continue
        j = i
        whole: list[str] = []
        # the whole part: cardinal words joined by spaces or hyphens, "and" inside ("one hundred and five")
        while j < len(toks):
            w = toks[j].group(0).lower()
            gap = text[toks[j - 1].end():toks[j].start()] if j > i else ""
            if j > i and gap.strip(" -") != "":
                break
            if w in _CARDINAL:
                whole.append(w)
                j += 1
            elif w == "and" and whole and j + 1 < len(toks) and toks[j + 1].group(0).lower() in _CARDINAL \
                    and whole[-1] in _SCALES:
                whole.append(w)
                j += 1
            else:
                break
        value = _whole(whole)
        if value is None:
            i += 1
            continue
        digits = str(value)
        n_words = len(whole)
        # a decimal part: "point" then digit words
        if j + 1 < len(toks) and toks[j].group(0).lower() == "point" and toks[j + 1].group(0).lower() in _DIGITS:
            frac = ""
            k = j + 1
            while k < len(toks) and toks[k].group(0).lower() in _DIGITS and \
                    text[toks[k - 1].end():toks[k].start()].strip() == "":
                frac += str(_DIGITS[toks[k].group(0).lower()])
                k += 1
            digits += "." + frac
            n_words += 1 + len(frac)
            j = k
        end = toks[j - 1].end()
        nxt = re.match(r"\s*([A-Za-zΩµμ%]+)", text[end:])
        follows = nxt.group(1) if nxt else ""
        signed = bool(re.search(r"\b(?:minus|plus)\s+$", text[:toks[i].start()], re.I))
        is_value = n_words > 1 or value >= 2 or signed or follows.lower() in _MULTIPLY or (follows and unit_word(follows))
        if is_value and not _glued(text, end, before=False):
            out.append((toks[i].start(), end, digits))
        i = j
    for s, e, d in reversed(out):
        text = text[:s] + d + text[e:]
    # an SI prefix written apart from its unit: "10 milli amps" is 10 milliamps (when pint reads the two as one)
    text = re.sub(r"\b(milli|micro|nano|pico|kilo|mega)\s+([A-Za-z]+)",
                  lambda m: m.group(1) + m.group(2) if unit_word(m.group(1) + m.group(2)) else m.group(0), text,
                  flags=re.I)
    # a voltage written the way a rail is named: "3V3" is 3.3 V, "1v8" 1.8 V
    text = re.sub(r"(?<![\w.])(\d+)[Vv](\d+)(?![\w.])", r"\1.\2 V", text)
    # signs said in words before a figure: "plus and minus 12 volts" is ±12 V, "minus ten" is −10
    text = re.sub(r"\bplus\s*(?:and|or|/)\s*minus\s+(?=\d)", "±", text, flags=re.I)
    return re.sub(r"\bminus\s+(?=\d)", "-", text, flags=re.I)


def _glued(text: str, pos: int, before: bool) -> bool:
    """A number word hyphened onto another word is part of a name ("one-shot", "two-pole")."""
    if before:
        return bool(re.search(r"[A-Za-z]-$", text[:pos]))
    return bool(re.match(r"-[A-Za-z]", text[pos:]))
