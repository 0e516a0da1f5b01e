"""Spotting the parts a request names, by the names people use for them (keys, part numbers,
display names, aliases from the library records), longest match first.

A word that several records answer to ("battery", "stepper driver") is kept as an ambiguous
mention with its candidates; the identify step settles it by capability (a 9 V battery when the
request says 9 V, the driver that fits the motor ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.rules.text import compact, quantity_before, stem, token_spans
from knowledge.library import Library

MAX_NGRAM = 6

# Words too generic to name a part by themselves; they only count inside a longer name.
GENERIC = {
    "microcontroller", "power", "ac", "sensor", "module", "board", "device", "component", "circuit",
    "system", "output", "input", "source", "power source", "controller", "motor controller", "chip",
    "ic", "display", "driver", "motor driver", "transistor", "switch", "mic", "wifi", "bluetooth",
    "light", "lamp", "screen", "wireless", "radio", "timer", "regulator", "converter", "coil", "cell",
    "battery", "supply", "load", "high voltage output", "power control", "shield", "reader",
    "audio sensor", "force sensor", "load stone", "flex", "encoder", "relay output", "pressure sensor",
    "temperature sensor", "light sensor", "motion detector",
}
# Tokens that stop a compact part-number match from swallowing ordinary words.
_STOP = {"with", "and", "to", "a", "an", "the", "of", "for", "on", "in", "using", "use", "via", "from", "or"}


@dataclass
class Mention:
    start: int          # token index
    end: int            # token index (exclusive)
    text: str
    keys: list[str]
    qty: int | None = None
    char_start: int = 0
    char_end: int = 0
    generic: bool = False
    absorbed: list[str] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        return self.keys[0] if len(self.keys) == 1 else None


def _forms(text: str) -> list[tuple[str, ...]]:
    toks = tuple(t for t, _, _ in token_spans(text))
    out = [toks] if toks else []
    c = compact(text)
    if c and any(ch.isdigit() for ch in c) and (c,) not in out:
        out.append((c,))
    return out


class MentionIndex:
    def __init__(self, library: Library):
        self.lib = library
        self.index: dict[tuple[str, ...], set[str]] = {}
        self.strength: dict[tuple[str, ...], int] = {}
        for rec in library:
            names = [(rec.key, 3), (rec.key.replace("-", " "), 3), (_strip_paren(rec.name), 2)]
            names += [(a, 3) for a in rec.aliases]
            for text, strength in names:
                for form in _forms(text):
                    if not form:
                        continue
                    self.index.setdefault(form, set()).add(rec.key)
                    self.strength[form] = max(self.strength.get(form, 0), strength)

    def spot(self, text: str) -> list[Mention]:
        spans = token_spans(text)
        toks = [t for t, _, _ in spans]
        out: list[Mention] = []
        i = 0
        while i < len(toks):
            found = None
            for n in range(min(MAX_NGRAM, len(toks) - i), 0, -1):
                gram = tuple(toks[i:i + n])
                keys = self.index.get(gram)
                if keys is None and n <= 3 and not (set(gram) & _STOP):
                    c = "".join(gram)
                    if any(ch.isdigit() for ch in c):
                        keys = self.index.get((c,))
                if keys:
                    found = (n, sorted(keys))
                    break
            if not found:
                i += 1
                continue
            n, keys = found
            phrase = " ".join(toks[i:i + n])
            m = Mention(i, i + n, phrase, keys, quantity_before(toks, i), spans[i][1], spans[i + n - 1][2])
            m.generic = phrase in GENERIC or (len(keys) > 1)
            out.append(m)
            i += n
        return _absorb(out)


def _absorb(ms: list[Mention]) -> list[Mention]:
    """'A4988 stepper drivers', '7-segment LED', 'SSD1306 OLED display': a specific name followed
    directly by a generic word or another name of the same part is one mention."""
    out: list[Mention] = []
    for m in ms:
        prev = out[-1] if out else None
        if prev is not None and m.start == prev.end and prev.key is not None and (
            set(m.keys) == {prev.key} or m.generic or len(m.text.split()) == 1 and m.text in _HEAD_WORDS
        ):
            prev.end = m.end
            prev.char_end = m.char_end
            prev.absorbed.append(m.text)
            continue
        out.append(m)
    return out


_HEAD_WORDS = {"led", "display", "sensor", "module", "motor", "driver", "board", "screen", "oled", "lcd",
               "microphone", "mic", "converter", "regulator", "strip", "resistor", "battery", "servo"}


def _strip_paren(name: str) -> str:
    return re.sub(r"\(.*?\)", "", name).strip()


_CACHE: dict[str, MentionIndex] = {}


def mention_index(library: Library) -> MentionIndex:
    h = library.content_hash()
    idx = _CACHE.get(h)
    if idx is None:
        idx = MentionIndex(library)
        _CACHE.clear()
        _CACHE[h] = idx
    return idx


def stemmed(word: str) -> str:
    return stem(word.lower())
