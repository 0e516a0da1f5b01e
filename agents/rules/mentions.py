"""Spotting the parts a request names, by the names people use for them (keys, part numbers,
display names, aliases from the library records), longest match first.

A word that several records answer to ("battery", "stepper driver") is kept as an ambiguous
mention with its candidates; the identify step settles it by capability (a 9 V battery when the
request says 9 V, the driver that fits the motor ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.rules.part_search import lib_cache
from agents.rules.text import compact, normalize, quantity_before, stem, token_spans
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


_RATING = re.compile(r"(\d+(?:\.\d+)?)(v|a|w|ma|mw|ah|mah)")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")
_UNIT_SHORT = {"volt": "v", "volts": "v", "amp": "a", "amps": "a", "watt": "w", "watts": "w"}


def _forms(text: str) -> list[tuple[str, ...]]:
    toks = tuple(t for t, _, _ in token_spans(text))
    out = [toks] if toks else []
    # a name that starts with a rating written as one word ("12v led strip") is also written with a space
    # ("12 V LED strip"), which the tokenizer splits
    spaced = tuple(x for t in toks for x in (_RATING.fullmatch(t).groups() if _RATING.fullmatch(t) else (t,)))
    if spaced != toks:
        out.append(spaced)
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
        # a two- or three-word name written as one word ("microSD", "pushbutton"), where no name
        # already is that word
        # ("micro sd card" gives "microsd" too, when that names one part only)
        joined: dict[tuple[str, ...], set[str]] = {}
        for form, keys in self.index.items():
            if 2 <= len(form) <= 3 and all(t.isalpha() for t in form):
                joined.setdefault(("".join(form),), set()).update(keys)
        prefixes: dict[tuple[str, ...], set[str]] = {}
        for form, keys in self.index.items():
            if len(form) >= 3 and all(t.isalpha() for t in form[:2]):
                prefixes.setdefault(("".join(form[:2]),), set()).update(keys)
        for form, keys in prefixes.items():
            if len(keys) == 1 and form not in joined:
                joined[form] = keys
        for form, keys in joined.items():
            if form not in self.index:
                self.index[form] = keys

    def _held_in(self, toks: list[str], i: int, n: int, keys: list[str]) -> list[str] | None:
        """The part a noun then "of" before a name makes of it, said the other way round ("a pack of AA
        batteries": "AA battery pack"), when the library names that one part, another than the name's."""
        if i < 2 or toks[i - 1] != "of" or toks[i - 2] in _STOP or not toks[i - 2].isalpha():
            return None
        held = self.index.get(tuple(toks[i:i + n]) + (toks[i - 2],))
        if not held or len(held) != 1 or set(held) == set(keys):
            return None
        return sorted(held)

    def _longer_overlap(self, toks: list[str], i: int, n: int) -> bool:
        """Whether a name that starts inside toks[i:i+n] (after its first word) runs past it and is longer."""
        for j in range(i + 1, i + n):
            for m in range(min(MAX_NGRAM, len(toks) - j), n, -1):
                if j + m > i + n and self.index.get(tuple(toks[j:j + m])):
                    return True
        return False

    def spot(self, text: str) -> list[Mention]:
        spans = token_spans(text)
        self._acronyms = _acronym_keys(self.lib) if not hasattr(self, "_acr") else self._acr
        self._acr = self._acronyms
        upper = set(re.findall(r"\b[A-Z]{2,5}\b", text))
        # an acronym in the plural, its capitals then a lower-case s ("four AAs"): the acronym's name
        plurals = {a.lower() + "s": a.lower() for a in re.findall(r"\b([A-Z]{2,5})s\b", text)}
        # a unit written out after its figure is the unit the names use ("a 12 volt pump": "12 v pump")
        toks = [_UNIT_SHORT.get(t, t) if k and _FIGURE.fullmatch(spans[k - 1][0]) else t
                for k, (t, _, _) in enumerate(spans)]
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
                if keys is None and len(gram[-1]) > 3 and gram[-1].endswith("s") and gram[-1][-2].isdigit():
                    keys = self.index.get(gram[:-1] + (gram[-1][:-1],))  # a part number in the plural: "18650s"
                if keys is None and gram[-1] in plurals:
                    keys = self.index.get(gram[:-1] + (plurals[gram[-1]],))
                if keys:
                    found = (n, sorted(keys))
                    break
            if not found:
                # an acronym written in capitals that starts exactly one part's key ("PIR" → pir-motion)
                key = self._acronyms.get(toks[i])
                if key and toks[i].upper() in upper:
                    found = (1, [key])
                else:
                    i += 1
                    continue
            n, keys = found
            if n > 1 and self._longer_overlap(toks, i, n):
                i += 1  # "5V USB-A output": a longer name starts inside this one ("usb a output"); it wins
                continue
            phrase = " ".join(t for t, _, _ in spans[i:i + n])
            held = self._held_in(toks, i, n, keys)
            if held is not None:
                # "a pack of AA batteries": the name with the noun that holds it after it is one part's name
                # ("AA battery pack"), the part meant
                while out and out[-1].end > i - 2:
                    out.pop()
                m = Mention(i - 2, i + n, " ".join(toks[i:i + n] + [toks[i - 2]]), held, None, spans[i - 2][1],
                            spans[i + n - 1][2])
                out.append(m)
                i += n
                continue
            if len(keys) > 1:
                # "red LED": the part whose key says exactly that (led-red) over one that merely lists it
                exact = [k for k in keys if set(k.split("-")) == set(toks[i:i + n])]
                if len(exact) == 1:
                    keys = exact
            m = Mention(i, i + n, phrase, keys, None, spans[i][1], spans[i + n - 1][2])
            m.generic = phrase in GENERIC or (len(keys) > 1)
            out.append(m)
            i += n
        norm = normalize(text)
        covered = {j for m in out for j in range(m.start, m.end)}
        for m in out:
            m.qty = _count_before(toks, spans, norm, m.start, covered)
            if m.qty is None:
                m.qty = _count_after(toks, m.end)
        return _absorb(out, norm, self.lib)


def _absorb(ms: list[Mention], norm: str, lib: Library | None = None) -> list[Mention]:
    """'A4988 stepper drivers', '7-segment LED', 'SSD1306 OLED display': a specific name followed
    directly (nothing but spaces between) by a generic word or another name of the same part is one mention."""
    out: list[Mention] = []
    for m in ms:
        prev = out[-1] if out else None
        gap = norm[prev.char_end:m.char_start] if prev is not None else ""
        head = m.text.split()[-1]
        descriptive = not any(ch.isdigit() for ch in m.text) and (
            (head in _HEAD_WORDS and (m.generic or (prev is not None and prev.key is not None and lib is not None
                                                    and head in _own_words(lib, prev.key))))
            or (prev is not None and prev.key is not None and lib is not None and all(
                lib.get(k) is not None and lib[k].category == lib[prev.key].category for k in m.keys)))
        if prev is not None and m.start == prev.end and not gap.strip(" -") and prev.key is not None \
                and not prev.generic and (
            set(m.keys) == {prev.key} or m.generic or descriptive
        ):
            prev.end = m.end
            prev.char_end = m.char_end
            prev.absorbed.append(m.text)
            prev.text = f"{prev.text} {m.text}"
            continue
        out.append(m)
    return out


def _own_words(lib: Library, key: str) -> set[str]:
    """The words of a part's own names ("7-segment LED display": led, display ...)."""
    rec = lib.get(key)
    if rec is None:
        return set()
    return {stem(w) for w in re.findall(r"[a-z0-9]+", " ".join([rec.key.replace("-", " "), rec.name,
                                                                " ".join(rec.aliases)]).lower())}


_HEAD_WORDS = {"led", "display", "sensor", "module", "motor", "driver", "board", "screen", "oled", "lcd",
               "microphone", "mic", "converter", "regulator", "strip", "resistor", "battery", "servo"}


def _strip_paren(name: str) -> str:
    return re.sub(r"\(.*?\)", "", name).strip()


def mention_index(library: Library) -> MentionIndex:
    cache = lib_cache(library)
    if "mentions" not in cache:
        cache["mentions"] = MentionIndex(library)
    return cache["mentions"]


def stemmed(word: str) -> str:
    return stem(word.lower())


COMMON = {"ac", "dc", "usb", "led", "spi", "i2c", "gpio", "adc", "pwm", "rgb", "ic", "mcu", "pcb", "diy", "the", "and",
          "power", "water", "load", "logic", "active", "passive", "analog", "push", "micro", "force", "flex", "soil",
          "gas", "flame", "photo", "relay", "stepper", "rotary", "servo", "solenoid", "speaker", "buzzer", "battery",
          "capacitor", "resistor", "inductor", "diode", "mosfet", "zener", "fan", "lcd", "oled", "ir", "rtc", "gps"}


def _acronym_keys(library: Library) -> dict[str, str]:
    """First key tokens of 2-4 letters that exactly one part's key starts with (pir → pir-motion)."""
    first: dict[str, list[str]] = {}
    for rec in library:
        tok = rec.key.split("-")[0]
        if tok.isalpha() and 2 <= len(tok) <= 4 and tok not in COMMON:
            first.setdefault(tok, []).append(rec.key)
    return {t: ks[0] for t, ks in first.items() if len(ks) == 1 and "-" in ks[0]}


def _count_after(toks: list[str], end: int) -> int | None:
    """A multiplier written right after a part: "LEDs x4", "LED ×4", "LEDs x 4"."""
    if end >= len(toks):
        return None
    m = re.fullmatch(r"[x×](\d{1,3})", toks[end])
    if m is None and toks[end] in ("x", "×") and end + 1 < len(toks) and toks[end + 1].isdigit():
        return int(toks[end + 1]) or None
    return (int(m.group(1)) or None) if m else None


def _count_before(toks: list[str], spans, norm: str, start: int, covered: set[int]) -> int | None:
    """The count written just before a mention, looking back over modifiers only: never across
    punctuation or into another part's name ("a 7-segment LED, an SD card" gives the card no count)."""
    j = start - 1
    lo = max(0, start - 4)
    while j >= lo:
        if j in covered:
            return None
        gap = norm[spans[j][2]:spans[j + 1][1]] if j + 1 < len(spans) else ""
        if any(ch in gap for ch in ",.;:()[]!?"):
            return None
        q = quantity_before(toks[: j + 2], j + 1)
        if q is not None:
            return q
        j -= 1
    return None
