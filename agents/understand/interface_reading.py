"""Which bus a named part is asked to talk over: "an I2C 20x4 LCD", "a 20x4 LCD (parallel)", "a 16x2 LCD
without the I2C backpack".

A record says how a part talks by its pins' functions (:func:`buses`): I2C data and clock, SPI data and clock,
or a parallel bus (four or more data pins). A request may state the bus in the clause naming the part, or in a
clause after it in the same sentence that names no other part; stated, the bus is kept, ruled out ("without",
"no"), it is avoided. Where the record the words named does not fit, the record of the same part in another
build takes its place: same category, an output capability in common, the same panel format (16x2, 128x64)
and any part number the words gave (:func:`siblings`). Parts whose every build talks one way are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.rules.part_search import looks_like_part_number
from agents.rules.text import token_spans
from agents.understand.needs import clauses
from agents.understand.vocabulary import BUS_WORDS
from knowledge.library import Library
from knowledge.preference import preference
from knowledge.record import ComponentRecord

BUS_NAMES = ("i2c", "spi", "parallel")
PARALLEL_DATA_PINS = 4  # a parallel bus: at least a nibble of data pins (HD44780 in 4-bit mode)
_FORMAT = re.compile(r"\d+x\d+")
SAYS_MORE = {"with"}  # a clause joined by this says what the thing named before it has
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|without|avoid|never|instead of)\b[^,;.()]*$")


@dataclass
class BusSwap:
    old: str
    new: str
    note: str


@dataclass
class BusReading:
    swaps: list[BusSwap]
    # clauses naming no part that say the bus of a part named before ("a 20x4 LCD with an I2C adapter"): they
    # describe how that part is built, and ask for nothing of their own
    described: list[tuple[int, int]]
    # where the bus words said of named parts stand: the words around one name how that part talks ("an I2C
    # adapter", "over I2C"), no interface part of their own
    said: list[tuple[int, int]]


def buses(rec: ComponentRecord) -> set[str]:
    """The buses a record's pins talk over, from their functions."""
    funcs = {f for p in rec.pins for f in p.functions}
    out = set()
    if "i2c_sda" in funcs or "i2c_scl" in funcs:
        out.add("i2c")
    if "spi_mosi" in funcs or "spi_sck" in funcs:
        out.add("spi")
    if sum(1 for p in rec.pins if "data" in p.functions) >= PARALLEL_DATA_PINS:
        out.add("parallel")
    return out


def _names(rec: ComponentRecord) -> set[str]:
    toks: set[str] = set()
    for s in [rec.key.replace("-", " "), rec.name, *rec.aliases]:
        toks |= {t for t, _, _ in token_spans(s)}
    return toks


def _formats(rec: ComponentRecord) -> set[str]:
    return {t for t in _names(rec) if _FORMAT.fullmatch(t)}


def siblings(library: Library, rec: ComponentRecord, words: str) -> list[ComponentRecord]:
    """Other builds of the part ``words`` named as ``rec``: the same category, an output capability in common,
    a panel format in common (and the one the words say, if any), every part number the words give, and every
    word of ``rec``'s own names the words used."""
    acts = {c.capability for c in rec.provides if c.direction == "act"}
    fmt = _formats(rec)
    said = [t for t, _, _ in token_spans(words)]
    numbers = [t for t in said if looks_like_part_number(t) and not _FORMAT.fullmatch(t)]
    formats = [t for t in said if _FORMAT.fullmatch(t)]
    # (the words that named it by its own names name the other build too: "an OLED" is no graphic LCD)
    naming = {t for t in said if t in _names(rec)} - {b for b in BUS_NAMES}
    out = []
    for r in library:
        if r.key == rec.key or r.category != rec.category or r.is_mcu or not buses(r):
            continue
        if not acts & {c.capability for c in r.provides if c.direction == "act"}:
            continue
        names, theirs = _names(r), _formats(r)
        if not fmt & theirs or any(f not in theirs for f in formats) or any(n not in names for n in numbers) \
                or not naming <= names:
            continue
        out.append(r)
    return out


def _stated(low: str, spans: list[tuple[int, int, str]], library: Library) -> list[tuple[int, str, bool, tuple | None, tuple]]:
    """(index into ``spans``, bus, wanted, the clause when it names no part) for each bus word the request says of a
    named part: the part it follows in its clause, else the one it comes before there, else (and for a clause
    saying more of the thing before it) the last one named before the clause in the sentence that talks over a bus
    (not the board)."""
    out = []
    for c in clauses(low):
        inside = [i for i, (a, z, k) in enumerate(spans) if a >= c.start - 1 and z <= c.end + 1
                  and library.get(k) is not None and not library[k].is_mcu]
        for bus, pattern in BUS_WORDS.items():
            for m in pattern.finditer(low, c.start, c.end):
                at = m.start(1) if m.lastindex else m.start()
                if any(a <= at < z for a, z, _ in spans):
                    continue  # the bus word is a word of a part's own name ("16x2 lcd i2c")
                before_it = [i for i in inside if spans[i][1] <= at]
                if before_it:  # the part it follows in its clause ("a BME280 over I2C")
                    target = max(before_it, key=lambda i: spans[i][1])
                elif inside and not (c.joined_by in SAYS_MORE or c.set_off == "("):
                    target = min(inside, key=lambda i: spans[i][0])  # the part it comes before ("an I2C LCD")
                else:  # a clause saying more of the part before it ("an LCD with an I2C adapter ...")
                    sentence = max(low.rfind(ch, 0, c.start) for ch in ".;!?") + 1
                    # (a board named in between is where it sits, "an LCD on an Uno without I2C": its bus is
                    # the board's to give, not a build of it)
                    before = [i for i, (a, z, k) in enumerate(spans) if sentence <= a and z <= c.start
                              and library.get(k) is not None and not library[k].is_mcu and buses(library[k])]
                    if not before:
                        continue
                    target = max(before, key=lambda i: spans[i][1])
                negated = c.negated or bool(_NEGATED_BEFORE.search(low[c.start:at]))
                out.append((target, bus, not negated, None if inside else (c.start, c.end),
                            (at, m.end(1) if m.lastindex else m.end())))
    return out


def read_buses(low: str, spans: list[tuple[int, int, str]], words: dict[str, str], library: Library) -> BusReading:
    """The named parts whose stated bus another build of them fits: ``spans`` (char start, end, key) of the
    named parts in ``low``; ``words``: key -> the words that named it. Returns the swaps to make, and the
    clauses that only say a named part's bus."""
    wanted: dict[int, set[str]] = {}
    refused: dict[int, set[str]] = {}
    stated = _stated(low, spans, library)
    for i, bus, want, _, _ in stated:
        (wanted if want else refused).setdefault(i, set()).add(bus)
    out: list[BusSwap] = []
    for i in sorted(set(wanted) | set(refused)):
        key = spans[i][2]
        rec = library.get(key)
        if rec is None or any(s.old == key for s in out):
            continue
        yes, no = wanted.get(i, set()), refused.get(i, set())
        have = buses(rec)
        if not have or (yes <= have and not (no & have)):
            continue
        fits = [r for r in siblings(library, rec, words.get(key, ""))
                if yes <= buses(r) and not (no & buses(r))]
        if not fits:
            continue
        best = min(fits, key=preference)
        said = ", ".join(sorted(yes)) + (" " if yes and no else "") + \
            (("not " + ", ".join(sorted(no))) if no else "")
        out.append(BusSwap(key, best.key, f"the request says {said} for '{words.get(key, key)}': "
                                          f"{best.key} (talks over {', '.join(sorted(buses(best)))}) "
                                          f"rather than {key} ({', '.join(sorted(have))})."))
    out += _pins_said(low, spans, words, library, stated_for={spans[i][2] for i in set(wanted) | set(refused)})
    final = {s.old: s.new for s in out}
    fits = [(span, word) for i, bus, want, span, word in stated
            if (bus in buses(library[final.get(spans[i][2], spans[i][2])])) == want]
    return BusReading(out, [span for span, _ in fits if span is not None], [word for _, word in fits])


def _purposes(rec: ComponentRecord) -> set[str]:
    """The pin functions a record's pins are for, in words its pin descriptions use ("V0: contrast, the wiper of a
    10 k pot"): what a person may ask the part to have."""
    out = set()
    for p in rec.pins:
        said = {t for t, _, _ in token_spans(p.description or "")}
        out |= {f for f in p.functions if f in said}
    return out


def _pins_said(low: str, spans: list[tuple[int, int, str]], words: dict[str, str], library: Library,
               stated_for: set[str]) -> list[BusSwap]:
    """A named part whose other build has a pin for what the request says of it ("a 16x2 LCD, a 10k pot for
    contrast": the build with a contrast pin), where no bus was said of it: that build."""
    said = {t for t, _, _ in token_spans(low)}
    out = []
    for _, _, key in spans:
        rec = library.get(key)
        if rec is None or rec.is_mcu or key in stated_for or any(s.old == key for s in out) or not buses(rec):
            continue
        mine = {f for p in rec.pins for f in p.functions}
        fits = [r for r in siblings(library, rec, words.get(key, "")) if (_purposes(r) - mine) & said]
        if len(fits) != 1:
            continue
        asked = sorted((_purposes(fits[0]) - mine) & said)
        out.append(BusSwap(key, fits[0].key, f"the request speaks of {', '.join(asked)} for '{words.get(key, key)}': "
                                             f"{fits[0].key} has a pin for it, {key} has none."))
    return out
