"""Reading a request: tokens (with plurals folded), numbers, quantities and voltages."""

from __future__ import annotations

import re
from functools import lru_cache

from text_to_num import text2num

from circuit.quantities import find_quantities

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "dual": 2, "pair": 2, "couple": 2, "both": 2,
    "twin": 2, "three": 3, "triple": 3, "four": 4, "quad": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "sixteen": 16,
    # vague counts: "a few LEDs" is more than one
    "few": 3, "several": 3, "multiple": 2,
}

# count words that also say how each part is built ("a single digit", "a dual relay"), after a count of the parts
EACH_BUILT = frozenset({"single", "dual", "twin", "triple", "quad"})

_TOKEN = re.compile(r"[a-z0-9µ]+(?:\.[0-9]+)?")
_IRREGULAR = {"batteries": "battery", "switches": "switch", "relays": "relay", "boxes": "box",
              "buses": "bus", "busses": "bus", "leds": "led", "arduinos": "arduino", "esp32s": "esp32",
              "cells": "cell", "series": "series", "gps": "gps", "os": "os", "sms": "sms", "lux": "lux",
              "pass": "pass", "glass": "glass", "ics": "ic", "mosfets": "mosfet", "bjts": "bjt",
              "diodes": "diode", "capacitors": "capacitor", "inductors": "inductor"}


@lru_cache(maxsize=1 << 16)  # the same few thousand words recur across every record and request
def stem(tok: str) -> str:
    if tok in _IRREGULAR:
        return _IRREGULAR[tok]
    if len(tok) > 4 and tok.endswith("ies"):
        return tok[:-3] + "y"
    if len(tok) > 4 and tok.endswith(("ches", "shes", "sses", "xes")):
        return tok[:-2]
    if len(tok) > 3 and tok.endswith("s") and not tok.endswith(("ss", "us", "is")) and not tok[-2].isdigit():
        return tok[:-1]
    return tok


_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z0-9])|(?<=[0-9])-(?=[a-z])")
_GLUED_COUNT = re.compile(r"\b([1-9][0-9]?x)(?=[a-z]{2})")


def normalize(text: str) -> str:
    t = text.lower()
    t = t.replace("–", "-").replace("—", "-").replace("’", "'").replace("μ", "µ")
    t = _HYPHEN.sub(" ", t)  # hc-sr04 → hc sr04, 7-segment → 7 segment
    t = _GLUED_COUNT.sub(r"\1 ", t)  # a count glued to a name: 3xAAA → 3x aaa (as "3x AAA")
    return t


def tokens(text: str) -> list[str]:
    """Lower-case word tokens with plurals folded ("LEDs" → "led", "batteries" → "battery")."""
    return [stem(t) for t in _TOKEN.findall(normalize(text))]


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) over the normalized text."""
    norm = normalize(text)
    return [(stem(m.group(0)), m.start(), m.end()) for m in _TOKEN.finditer(norm)]


def compact(text: str) -> str:
    """'HC-SR04' → 'hcsr04', 'nRF24L01+' → 'nrf24l01'."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


UNIT_TOKENS = ("v", "volt", "a", "amp", "ma", "mah", "w", "hz", "khz", "mm", "cm", "m", "x4", "x16")
MAX_SPELLED = 1000  # a count written in words ("two hundred LEDs"), read by text2num
SPELLED_WORDS = 3   # the most number words one count takes ("two hundred fifty")


def spelled_number(toks: list[str], j: int) -> int | None:
    """The count the number words ending at token ``j`` spell, read by text2num ("forty": 40, "twenty four":
    24); None when token ``j`` is no number word."""
    best = None
    for k in range(j, max(-1, j - SPELLED_WORDS), -1):
        if not toks[k].isalpha():
            break
        try:
            n = text2num(" ".join(toks[k:j + 1]), "en")
        except ValueError:
            break
        if not 0 < n <= MAX_SPELLED:
            break
        best = n
    return best


# the units a part is rated in before its name ("a 12 V fan", "a 2 A motor", "a 100 uF capacitor"); not time or
# temperature, whose short spellings are words of parts' names ("aa": pint's atto-year, as in "3 AA batteries")
RATING_UNITS = ("V", "A", "W", "Ω", "F", "H", "Hz")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


@lru_cache(maxsize=4096)
def _is_unit(word: str) -> bool:
    """A word the units library reads as a unit after a figure ("v", "ma", "volts", "seconds"), or one of the
    unit tokens a lower-cased request writes that English shares ("a": amps)."""
    if word in UNIT_TOKENS:
        return True
    qs = find_quantities(f"1 {word}")
    return len(qs) == 1 and qs[0].unit in RATING_UNITS and qs[0].end == len(word) + 2


def rating_before(toks: list[str], j: int) -> int:
    """How many tokens ending at token ``j`` state a figure with its unit ("12 v", "1 a", "20 ma", "twelve volt",
    "12vdc"): the rating of the part named after them, not a count of it ("two 1 A motors" are two motors);
    0 when they state none."""
    t = toks[j]
    glued = re.fullmatch(r"(\d+(?:\.\d+)?)([a-zµ]+)", t)
    if glued and _is_unit(glued.group(2)):
        return 1
    if j >= 1 and _is_unit(t) and (_FIGURE.fullmatch(toks[j - 1])
                                   or (toks[j - 1] in NUMBER_WORDS and toks[j - 1] not in ("a", "an"))):
        return 2
    return 0


def quantity_before(toks: list[str], i: int) -> int | None:
    """The count written just before token ``i`` ("two motors", "4 servos", "a pair of LEDs"), over the figures
    with units that rate the part ("two 12 V 1 A pumps": two; "a 12 V solenoid": one)."""
    j, words = i - 1, 0
    while j >= 0 and words < 3:
        skip = rating_before(toks, j)
        if skip:
            j -= skip
            continue
        found, n = _count_at(toks, j)
        if found and toks[j] in EACH_BUILT and j >= 1:
            # "two single seven-segment digits", "three dual relays": how each is built, after how many there are
            before, m = _count_at(toks, j - 1)
            if before and m is not None and toks[j - 1] not in ("a", "an", "the", "one"):
                return m
        if found:
            return n
        j, words = j - 1, words + 1
    return None


def _count_at(toks: list[str], j: int) -> tuple[bool, int | None]:
    """(whether token ``j`` settles the count, the count): a count word or figure, an article, or a joining
    word that ends the noun phrase (no count)."""
    t = toks[j]
    rating = j + 1 < len(toks) and _is_unit(toks[j + 1])  # "12 v solenoid", "twelve volt fan": a rating, no count
    if t.isdigit() and 0 < int(t) <= 64:
        return True, None if rating else int(t)
    spelled = spelled_number(toks, j)  # "forty LEDs", "twenty four pixels"
    if spelled is not None:
        return True, None if rating else spelled
    if t in NUMBER_WORDS and t not in ("a", "an"):
        return True, NUMBER_WORDS[t]
    times = re.fullmatch(r"(\d{1,3})x", t)  # "2x 18650"
    if times and 0 < int(times.group(1)) <= 64:
        return True, int(times.group(1))
    if t in ("a", "an", "the", "one"):
        return True, 1
    if t in ("with", "and", "to", "of", "use", "using", "via", "from", "for", "on", "in", "by"):
        if t == "of" and j > 0 and toks[j - 1] in ("pair", "couple"):
            return True, 2
        grid = re.fullmatch(r"(\d{1,2})x(\d{1,2})", toks[j - 2]) if t == "of" and j > 1 else None
        if grid and toks[j - 1] in ("grid", "array", "matrix", "panel"):
            return True, int(grid.group(1)) * int(grid.group(2))  # "an 8x8 grid of pixels": 64 of them
        return True, None
    return False, None


VOLTS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:v\b|volts?\b|vdc\b|v dc\b)", re.IGNORECASE)
V3V3 = re.compile(r"\b(\d)v(\d)\b", re.IGNORECASE)


def voltages(text: str) -> list[tuple[float, int]]:
    """(volts, position) for every voltage the text names ("9V", "12 V", "3.3V", "3V3")."""
    out = [(float(m.group(1)), m.start()) for m in VOLTS.finditer(text)]
    out += [(float(f"{m.group(1)}.{m.group(2)}"), m.start()) for m in V3V3.finditer(text)]
    return sorted(out, key=lambda x: x[1])


FREQ = re.compile(r"(\d+(?:\.\d+)?)\s*(k|m|meg)?\s*hz\b", re.IGNORECASE)


def frequency(text: str) -> float | None:
    m = FREQ.search(text)
    if not m:
        return None
    mult = {"k": 1e3, "m": 1e6, "meg": 1e6}.get((m.group(2) or "").lower(), 1.0)
    return float(m.group(1)) * mult


_ABOUT = r"(?:about\s+|around\s+|roughly\s+|approximately\s+|~\s*)?"
_NUM = r"([-−]?\s?\d+(?:\.\d+)?)"
GAIN = re.compile(r"gain\s+(?:of\s+)?" + _ABOUT + _NUM + r"|" + _NUM + r"\s*x\s+gain|gain\s+(?:of\s+)?x\s*" + _NUM
                  + r"|(?:amplif\w*|boost\w*|multipl\w*)\s+(?:it\s+|them\s+|(?:the|this|that|my)\s+\w+\s+)?(?:by\s+)?"
                  + _ABOUT + _NUM + r"\s*(?:x|times)\b", re.IGNORECASE)


def gain(text: str) -> float | None:
    """A stated voltage gain ("a gain of about 20", "gain of -2", "amplify it ten times"); negative for
    an inverting gain."""
    words = "|".join(sorted((w for w, n in NUMBER_WORDS.items() if n > 1 and w not in ("few", "several", "multiple",
                                                                                        "dual", "pair", "couple", "both",
                                                                                        "twin", "triple", "quad")),
                            key=len, reverse=True))
    text = re.sub(rf"\b({words})\b", lambda m: str(NUMBER_WORDS[m.group(1).lower()]), text, flags=re.IGNORECASE)
    m = GAIN.search(text)
    if not m:
        return None
    for g in m.groups():
        if g:
            return float(g.replace("−", "-").replace(" ", ""))
    return None


DISTANCE = re.compile(r"(\d+(?:\.\d+)?)\s*(m|meters?|metres?|km|kilometers?|ft|feet)\b", re.IGNORECASE)


def distance_m(text: str) -> float | None:
    m = DISTANCE.search(text)
    if not m:
        return None
    v = float(m.group(1))
    u = m.group(2).lower()
    if u.startswith("k"):
        v *= 1000
    elif u.startswith("f"):
        v *= 0.3048
    return v


_COUNT = r"(once|twice|thrice|\d+(?:\.\d+)?|one|two|three|four|five|six|eight|ten)"
_RATE = re.compile(_COUNT + r"\s+(?:times\s+|blinks\s+|flashes\s+|beats\s+|ticks\s+|pulses\s+)?(?:a|per|each|every)\s+"
                   r"(second|sec|minute|min)\b", re.IGNORECASE)
_EVERY = re.compile(r"\bevery\s+(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?)\b", re.IGNORECASE)
_BPM = re.compile(r"(\d+(?:\.\d+)?)\s*bpm\b", re.IGNORECASE)
_DURATION = re.compile(r"(?<!every )(\d+(?:\.\d+)?)\s*-?\s*(seconds?|secs?|minutes?|mins?)\b", re.IGNORECASE)
_ONCE = {"once": 1, "twice": 2, "thrice": 3}


def rate_hz(text: str) -> float | None:
    """A repetition rate in words ("twice a second", "3 times per second", "every 2 seconds", "60 bpm")."""
    m = _RATE.search(text)
    if m:
        w = m.group(1).lower()
        n = _ONCE.get(w) or NUMBER_WORDS.get(w) or float(w)
        return float(n) / (60.0 if m.group(2).lower().startswith("min") else 1.0)
    m = _EVERY.search(text)
    if m:
        s = float(m.group(1)) * (60.0 if m.group(2).lower().startswith("m") else 1.0)
        return 1.0 / s if s > 0 else None
    m = _BPM.search(text)
    return float(m.group(1)) / 60.0 if m else None


def blank_rates(text: str) -> str:
    """``text`` with each repetition rate it states ("3 times per second", "every 2 seconds", "60 bpm") blanked,
    offsets kept: a figure, not words that ask for something."""
    for rx in (_RATE, _EVERY, _BPM):
        text = rx.sub(lambda m: " " * len(m.group(0)), text)
    return text


def duration_s(text: str) -> float | None:
    """A stated duration ("a 10 second timer", "for 2 minutes"), in seconds."""
    m = _DURATION.search(text)
    if not m:
        return None
    return float(m.group(1)) * (60.0 if m.group(2).lower().startswith("m") else 1.0)
