"""Facts a request states that tell sibling parts apart, read against the records' typed facts.

"a surface-mount pnp transistor", "a 3.3 V ldo in to-92", "a 5 V regulator that survives a reversed car battery",
"a 2 row text display", "5 V from 24 V without wasting power as heat": the words pick a kind of part (a PNP
transistor, a linear regulator, a character LCD, a 5 V supply); what decides among the members of that kind is a
fact the request states and the records type. Each fact is read here and compared with a record field, never with
a record's texts:

- a package named (``ComponentRecord.package``): letters and a number, glued or hyphenated, whose compact form is
  the package of some record ("TO-92", "sot23", "DIP-28": the vocabulary is the library's own packages);
- a mounting style asked (surface mount or through-hole leads): read word by word by meaning against glosses of
  the two styles (``knowledge.word_senses``); a part's style is ``flags.surface_mount`` or its package's
  (``SURFACE_MOUNT``), a part with no typed package is left alone (a generic transistor stands for any);
- a board or a bare chip asked, read the same way: a part with a typed package is a chip, a microcontroller record
  with none a board;
- a USB connector asked, or refused ("with usb", "without usb": ``ComponentRecord.usb``; a bare chip has none), and
  a part that plugs into a breadboard (``ComponentRecord.breadboard``; a DIP package does), read the same way;
- a board that charges a cell, one that protects it, and a charger fed from sunlight, asked or refused, among the
  parts that care for a cell (``Safety.charger``, ``Safety.cell_protection``, ``ComponentRecord.charger_input``;
  a cell itself is protected or not, and charges nothing): "a lithium charger with a protection circuit" (the
  charger with the protection board, not a protection board), "charge an 18650 from sunlight" (the solar charger,
  not a USB charger), "a bare cell with no protection";
- a card standard named (``ComponentRecord.card_standards``: "reads FeliCa", "ISO 14443B cards"): a reader that
  lists it gains, one whose list lacks it loses; a standard is named by its number from the first digit on ("14443b",
  "14443 b") or, with no number, by its whole name ("felica");
- galvanic isolation asked (``ComponentRecord.isolation``: pin groups isolated from each other): a part that types
  a barrier gains (an optocoupler passes a signal across one);
- surviving a supply connected backwards (``Ratings.v_reverse_max``), read by meaning the same way;
- rows and columns of text (``ComponentRecord.text_grid``): a count (digits or a number word) before a word that
  reads as rows or lines, or as columns or characters ("2 rows", "four lines", "20 characters");
- how many LEDs (``ComponentRecord.led_count``): a count before a word that reads as LEDs or pixels, or one LED
  when the request ends in that word, singular, and uses no word only the names of many-LED parts use ("ring");
- a current the wanted part is to give or carry (``LexicalHit.asked``: "12 volt 2 amp", "rated for 8 amps", context
  values set aside) against its typed current rating (``Ratings.i_out_max``, ``ic_max``, ``id_max``, ``if_max``): a
  part rated below it loses where a sibling of its kind is rated for it (where none is, the kind lacks that rating:
  ``knowledge.rating_gap``); a source rated for it (a supply, a battery) gains, the more the nearer its rating is
  to what is asked (a 12 V 2 A adapter for 2 A, not the 8.5 A one: a supply is bought by its rating), and so does
  any part when the current is stated bare, as its rating ("an npn rated for 2 A": the 3 A TIP31C, not the 15 A
  2N3055), while a switch or a regulator with headroom for a load it serves or a heatsink refused is no worse (the
  heat it makes there decides: ``knowledge.heat_reading``); with one voltage asked and no conversion, a part that gives
  another voltage (a source's typed voltage, a fixed regulator's output) loses where a sibling gives it, and a
  transistor or a diode rated to block less than it (``vds_max``, ``vce_max``, ``vr_max``) loses where a sibling
  blocks it;
- no heat to spare (a request that refuses heat, ``knowledge.heat_reading.HEAT_GLOSSES``, or asks a part to run
  cool, or refuses wasted power, or asks for an efficient part) while converting between two voltages: each
  converter that does the conversion gains or loses by how far the share of the power it keeps sits above or below
  the middle of those that do it (``knowledge.conversion.efficiency``: a linear regulator's v_out / v_in, a
  switching module's rated efficiency), whatever current is drawn.

A fact decides among siblings only: the parts it moves are those of the kinds (category and SPICE kind) of the
first few candidates that the fact is typed for, and only when one of them is among those candidates. A part that
meets the fact gains, one whose typed fact contradicts it loses; a part whose records type nothing is left alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from knowledge.conversion import converts, efficiency
from knowledge.heat_reading import HEAT_GLOSSES, refuses_heat
from knowledge.lexical import GRAMMAR_WORDS, NUMBER_WORDS, compact, fold, tokens
from knowledge.word_senses import NEGATIONS, WordSenses

__all__ = ["StatedFacts", "StatedFit", "SURFACE_MOUNT", "PACKAGE", "MOUNT", "REVERSE", "GRID", "WASTE", "FIRST"]

PACKAGE = 0.12   # a part in the package the request names
MOUNT = 0.10     # a part of the mounting style the request asks
BOARD = 0.08     # a board with the USB connector asked, or one that plugs into a breadboard (minus twice, one without)
CARE = 0.10      # a board that does not charge, protect or charge from sunlight as asked loses twice this
CARD = 0.10      # a reader that lists the card standard named (minus twice, one whose list lacks it)
ISOLATE = 0.10   # a part with a typed isolation barrier, when a request asks for galvanic isolation
REVERSE = 0.13   # a regulator rated to survive a reversed supply when the request asks it (minus, one not rated;
                 # twice that for one that gives the same output as a rated one)
GRID = 0.08      # per stated count of rows or columns of text a character display shows (minus, one it does not)
WASTE = 0.80     # per unit of the power share a converter keeps, from the middle of those that do the conversion,
                 # when the request refuses heat (12 V to 5 V: a buck module at 85 % and a linear one at 42 %, +-0.17)
AGAINST = 2.0    # a typed fact that contradicts a stated one weighs this many times one that meets it: a part in
                 # another package or mounting style is not the part asked for, one that meets it is one of several
VERSION = 0.50   # the other version of a part the request names ("the surface-mount version of the 2N3906"): a
                 # sibling that meets the stated fact the named part contradicts, times how near its ratings are
RATING = 0.12    # a part rated below the current asked loses this, where a sibling is rated for it; a source (a
                 # supply, a battery) rated for it gains it times how near its rating is to what is asked
OVER = 6.0       # a source rated this many times the current asked gains nothing: one made for far more is another
                 # product (1 - ln(rating / asked) / ln(OVER): twice what is asked keeps 0.61 of the gain, four
                 # times 0.23; more than six times loses, at most RATING)
FIRST = 5        # the candidates whose kinds a stated fact is read among

# packages with no leads through the board (their names' beginnings): a part in one is surface-mount
SURFACE_MOUNT = ("SOT-", "SOD-", "SOIC", "SOP", "SSOP", "TSSOP", "MSOP", "QFN", "DFN", "SMA", "SMB", "SMC")

# the typed values, each glossed in a few words, read by meaning word by word (knowledge.word_senses): a mounting
# style, a supply connected backwards, heat, and the two sides of a character display's grid
_GLOSSES = {
    "surface": ("surface mount", "SMD", "SMT"),
    "through-hole": ("through-hole", "THT"),
    "board": ("development board", "breakout board"),
    "chip": ("bare chip",),
    "usb": ("USB port", "USB cable"),
    "breadboard": ("solderless breadboard",),
    "charger": ("charger", "charging"),
    "protection": ("protection circuit", "over-discharge protection"),
    "solar": ("sunlight",),
    "isolation": ("isolation barrier", "galvanically isolated"),
    # a conversion that must not waste power (refused) or must be efficient (asked): heat refused, in other words
    "waste": ("wasted power",),
    "efficient": ("efficient",),
    "reverse": ("reverse polarity", "reversed battery", "backwards", "swapped polarity"),
    "leds": ("LEDs", "pixels"),
    "rows": ("rows", "lines of text"),
    "columns": ("columns", "characters", "characters per line"),
    **HEAT_GLOSSES,
}
# the glossed values that are things a part does: a verb naming one, with its object after it ("protect the cell",
# "isolate the signal", "charge it from the sun"), asks it as a noun does
_DOINGS = frozenset({"charger", "protection", "solar", "isolation"})
_PACKAGE_FORM = re.compile(r"(?<![a-z0-9])[a-z]+-?\d+[a-z]*(?![a-z0-9])")  # "to-92", "sot23", "do-201ad"
_ASKED = re.compile(r"^(\d+(?:\.\d+)?)(ma|a|mv|v)$")  # a canonical value asked ("2a", "500ma", "12v")
_SCALE = {"a": ("A", 1.0), "ma": ("A", 1e-3), "v": ("V", 1.0), "mv": ("V", 1e-3)}
_CURRENT_RATINGS = ("i_out_max", "ic_max", "id_max", "if_max")  # the current a part gives or carries, by kind
_BLOCK_RATINGS = ("vds_max", "vce_max", "vr_max")  # the voltage a switch or a diode blocks, by kind
_BLOCKING_KINDS = frozenset({"npn", "pnp", "nmos", "pmos", "diode"})
_COUNT_GAP = 2  # a count stands this many words at most before the noun it counts ("4 short lines")


def _mount(rec) -> str | None:
    """"surface" or "through-hole" for a part whose records type a package (or only surface mounting), else None."""
    flags = getattr(rec, "flags", None)
    pkg = getattr(rec, "package", None)
    if (flags is not None and flags.surface_mount) or (pkg and pkg.startswith(SURFACE_MOUNT)):
        return "surface"
    return "through-hole" if pkg else None


def _form(rec) -> str | None:
    """"chip" for a part whose records type a package, "board" for a microcontroller record that types none (a
    controller board carries its chip, USB and regulator), else None."""
    if getattr(rec, "package", None):
        return "chip"
    return "board" if rec.category == "microcontroller" else None


def _current(rec) -> float | None:
    """The current a part is rated to give or carry (a supply's or regulator's output, a transistor's collector or
    drain, a diode's forward current), A; None where its records type none."""
    r = rec.ratings
    return next((float(v) for f in _CURRENT_RATINGS if (v := getattr(r, f, None))), None)


def _blocks(rec) -> float | None:
    """The voltage a transistor or a diode is rated to block (its VDS, VCEO or VR maximum), V; None for other parts
    (an LED's small reverse rating is no rating it is chosen by) and where its records type none."""
    spice = getattr(rec, "spice", None)
    if spice is None or spice.kind not in _BLOCKING_KINDS:
        return None
    r = rec.ratings
    return next((float(v) for f in _BLOCK_RATINGS if (v := getattr(r, f, None))), None)


def asked_quantities(asked: Iterable[str]) -> dict[str, float]:
    """The one current ("A") and the one voltage ("V") among the canonical values a request asks of the wanted part
    ("2a", "500ma", "12v"), each only where exactly one of its unit is asked."""
    seen: dict[str, set[float]] = {}
    for value in asked:
        m = _ASKED.match(value)
        if m:
            unit, scale = _SCALE[m.group(2)]
            seen.setdefault(unit, set()).add(float(m.group(1)) * scale)
    return {unit: next(iter(vs)) for unit, vs in seen.items() if len(vs) == 1}


def standard_form(name: str) -> str:
    """The form a card standard is named by: its compact name from the first digit on ("ISO/IEC 14443B" ->
    "14443b"), or the whole compact name where it has no digit ("FeliCa" -> "felica")."""
    form = compact(name)
    m = re.search(r"\d", form)
    return form[m.start():] if m else form


def _usb(rec) -> bool | None:
    """Whether a part carries a USB connector: its typed connector, a bare chip (a typed package) none; else None."""
    if getattr(rec, "usb", None):
        return rec.usb != "none"
    return False if rec.category == "microcontroller" and getattr(rec, "package", None) else None


def _breadboard(rec) -> bool | None:
    """Whether a part plugs into a solderless breadboard: typed, or a DIP package; else None."""
    typed = getattr(rec, "breadboard", None)
    if typed is not None:
        return typed
    return True if (getattr(rec, "package", None) or "").startswith("DIP") else None


def _kind(rec) -> tuple[str, str]:
    spice = getattr(rec, "spice", None)
    return rec.category, (spice.kind if spice is not None else "none")


@dataclass(frozen=True)
class Reading:
    """What a request states: a package (its record spelling), a mounting style, a reversed supply survived, heat
    refused, and counts of rows and columns of text."""

    package: str | None = None
    mount: str | None = None
    form: str | None = None
    usb: bool | None = None
    breadboard: bool = False
    charger: bool | None = None
    protection: bool | None = None
    solar: bool | None = None
    isolation: bool = False
    standards: frozenset[str] = frozenset()
    reverse: bool = False
    no_heat: bool = False
    rows: int | None = None
    columns: int | None = None
    leds: int | None = None


@dataclass(frozen=True)
class StatedFit:
    """Score changes per part, and the parts a request names that a stated fact picks among those it names (the
    boards named for the chip a request names, when it asks for a board)."""

    deltas: Mapping[str, float] = field(default_factory=dict)
    picked: frozenset[str] = frozenset()


class StatedFacts:
    """The typed facts of a library's records that a request's stated facts are read against."""

    def __init__(self, records: Iterable, embedder_factory: Callable | None = None):
        self.records = {rec.key: rec for rec in records}
        self._kind = {key: _kind(rec) for key, rec in self.records.items()}
        self._mount = {key: m for key, rec in self.records.items() if (m := _mount(rec)) is not None}
        self._form = {key: f for key, rec in self.records.items() if (f := _form(rec)) is not None}
        self._package = {key: rec.package for key, rec in self.records.items() if getattr(rec, "package", None)}
        self._packages = {compact(p): p for p in self._package.values()}  # "to92" -> "TO-92"
        self._usb = {key: u for key, rec in self.records.items() if (u := _usb(rec)) is not None}
        self._breadboard = {key: b for key, rec in self.records.items() if (b := _breadboard(rec)) is not None}
        # the parts that care for a cell (charge it, protect it) and the cells: whether each charges, protects, and
        # charges from sunlight (a cell charges nothing; what a charger charges from, only where typed)
        care = {key for key, rec in self.records.items() if rec.safety.charger or rec.safety.cell_protection}
        self._charges = {key: self.records[key].safety.charger for key in care}
        self._protects = {key: rec.safety.cell_protection for key, rec in self.records.items()
                          if key in care or rec.safety.cell}
        self._solar = {key: rec.charger_input == "solar" for key, rec in self.records.items()
                       if rec.safety.charger and rec.charger_input}
        self._isolated = {key for key, rec in self.records.items() if rec.isolation}
        self._standards = {key: frozenset(standard_form(n) for n in rec.card_standards)
                           for key, rec in self.records.items() if rec.card_standards}
        self._standard_forms = frozenset().union(*self._standards.values()) if self._standards else frozenset()
        self._reverse = {key for key, rec in self.records.items() if rec.ratings.v_reverse_max}
        self._grid = {key: tuple(rec.text_grid) for key, rec in self.records.items()
                      if getattr(rec, "text_grid", None)}
        self._leds = {key: rec.led_count for key, rec in self.records.items() if getattr(rec, "led_count", None)}
        # the words of the names of parts that carry several LEDs that no single-LED part's name uses ("ring",
        # "matrix", "panel"): a request using one asks for that many, not one
        single = {w for k, n in self._leds.items() if n == 1 for w in tokens(self.records[k].name)}
        self._many_words = {w for k, n in self._leds.items() if n > 1 for w in tokens(self.records[k].name)} - single
        self._current = {key: c for key, rec in self.records.items() if (c := _current(rec)) is not None}
        self._blocks = {key: b for key, rec in self.records.items() if (b := _blocks(rec)) is not None}
        # the voltage a part gives (a supply's or a battery's, a fixed regulator's output): what a request naming one
        # voltage asks of it (an adjustable regulator gives any in its range: left alone)
        self._sources = {key for key, rec in self.records.items() if rec.source_kind or rec.safety.cell}
        self._gives_volts = {key: float(rec.ratings.v_nominal) for key in self._sources
                             if (rec := self.records[key]).ratings.v_nominal}
        self._gives_volts.update({key: float(rec.ratings.v_out) for key, rec in self.records.items()
                                  if key not in self._sources and rec.ratings.v_out is not None
                                  and not rec.ratings.v_out_adjustable})
        self._converters = [key for key, rec in self.records.items() if rec.ratings.v_out is not None
                            or rec.ratings.v_out_adjustable]
        # the kinds each fact is typed for: a fact is read only when a part of such a kind is among the first
        typed = (set(self._mount) | set(self._form) | set(self._usb) | set(self._breadboard) | set(self._protects)
                 | self._isolated | set(self._standards) | set(self._grid) | set(self._leds) | self._reverse
                 | set(self._converters) | set(self._current) | set(self._blocks))
        self._typed_kinds = {self._kind[k] for k in typed}
        self._members: dict[tuple[str, str], list[str]] = {}  # kind -> its parts, in library order
        for key, kind in self._kind.items():
            self._members.setdefault(kind, []).append(key)
        self._words = WordSenses(_GLOSSES, embedder_factory)

    # ---- reading ----------------------------------------------------------------------------------------------
    def package_named(self, text: str, skip: Iterable[str] = ()) -> str | None:
        """The package a request names: letters and a number, glued or hyphenated ("TO-92", "sot23", "DIP-28"),
        whose compact form is a record's package. Not with a space between: "up to 3 A", "to 220 V" are no
        package."""
        skip = set(skip)
        for m in _PACKAGE_FORM.finditer(fold(text)):
            form = compact(m.group(0))
            if form in self._packages and form not in skip:
                return self._packages[form]
        return None

    @property
    def word_reader(self) -> WordSenses:
        """What reads the request's words against the facts' glosses."""
        return self._words

    def read(self, text: str, skip: Iterable[str] = (), words: bool = True, counts: bool = True) -> Reading:
        """The facts a request states (``skip``: words that are pieces of part numbers). ``words``: read the facts
        its words name (a mounting style, a board or chip, a reversed supply, heat refused); ``counts``: the rows,
        columns or LEDs it counts. Each embeds the request's words it has not seen before, so a caller reads only
        what the candidates type."""
        toks = tokens(text)
        skip = set(skip)
        package = self.package_named(text, skip)
        # (grammar words say how the clause is built, no fact: "through" a relay)
        asked, refused = (self._words.read(text, tuple(skip | (set(toks) & GRAMMAR_WORDS))) if words
                          else (frozenset(), frozenset()))
        if words:  # what a part does to a cell or a signal, asked as a verb with its object ("protect it")
            doing, undone = self._words.read(text, tuple(skip | (set(toks) & GRAMMAR_WORDS)), verbs=True)
            asked |= (doing & _DOINGS) - refused
            refused |= undone & _DOINGS
        mounts = [m for m in ("surface", "through-hole") if m in asked]
        forms = [f for f in ("board", "chip") if f in asked]
        stated: dict[str, int] = {}
        counted = [i for i, t in enumerate(toks) if counts and (t.isdigit() or t in NUMBER_WORDS)]
        last = toks[-1] if counts and toks and toks[-1].isalpha() and not toks[-1].endswith("s") else None
        nouns = [toks[j] for i in counted for j in range(i + 1, min(len(toks), i + 1 + _COUNT_GAP))
                 if toks[j].isalpha() and toks[j] not in NEGATIONS] + ([last] if last else [])
        senses = self._words.senses(nouns) if nouns else {}
        for i in counted:
            n = int(toks[i]) if toks[i].isdigit() else NUMBER_WORDS[toks[i]]
            for j in range(i + 1, min(len(toks), i + 1 + _COUNT_GAP)):
                sense = senses.get(toks[j])
                if sense in ("rows", "columns", "leds"):
                    stated.setdefault(sense, n)
                    break
        if "leds" not in stated and last and senses.get(last) == "leds" and not set(toks) & self._many_words:
            stated["leds"] = 1  # a request that ends in one LED, singular ("a ws2812 led"), asks for one
        # a card standard named: a word, or a number and the letter after it ("14443 b"), that is a standard's form
        written = set(toks) | {a + b for a, b in zip(toks, toks[1:])}
        standards = frozenset(written & self._standard_forms)
        return Reading(package=package, standards=standards, mount=mounts[0] if len(mounts) == 1 else None,
                       form=forms[0] if len(forms) == 1 else None,
                       usb=True if "usb" in asked else (False if "usb" in refused else None),
                       breadboard="breadboard" in asked,
                       charger=True if "charger" in asked else (False if "charger" in refused else None),
                       protection=True if "protection" in asked else (False if "protection" in refused else None),
                       solar=True if "solar" in asked else (False if "solar" in refused else None),
                       isolation="isolation" in asked,
                       reverse="reverse" in asked,
                       no_heat=refuses_heat(asked, refused) or "waste" in refused or "efficient" in asked, rows=stated.get("rows"),
                       columns=stated.get("columns"), leds=stated.get("leds"))

    # ---- scoring ----------------------------------------------------------------------------------------------
    def kinds_among(self, keys: Iterable[str]) -> set[tuple[str, str]]:
        """The kinds (category, SPICE kind) of these parts that some stated fact is typed for."""
        return {self._kind[k] for k in keys if k in self._kind and self._kind[k] in self._typed_kinds}

    def _nearness(self, a: str, b: str) -> float:
        """How alike two parts' typed ratings are, 0..1: 1 when every rating both type is equal, falling by the
        ratio between them (a 40 V 200 mA transistor is near another 40 V 200 mA one, far from a 100 V 3 A one)."""
        ra, rb = self.records[a].ratings.model_dump(), self.records[b].ratings.model_dump()
        ratios = [abs(math.log(float(x) / float(y))) for f, x in ra.items() if isinstance(x, (int, float))
                  and not isinstance(x, bool) and (y := rb.get(f)) is not None and x > 0 and y > 0]
        return math.exp(-sum(ratios) / len(ratios)) if ratios else 0.0

    def deltas(self, text: str, first: Sequence[str], pairs: Sequence[tuple[float, float]] = (),
               skip: Iterable[str] = (), named: Iterable[str] = (), asked: Iterable[str] = (),
               in_use: bool = False) -> dict[str, float]:
        """Score changes per part (``fit``)."""
        return self.fit(text, first, pairs, skip, named, asked, in_use).deltas

    def fit(self, text: str, first: Sequence[str], pairs: Sequence[tuple[float, float]] = (),
            skip: Iterable[str] = (), named: Iterable[str] = (), asked: Iterable[str] = (),
            in_use: bool = False) -> StatedFit:
        """Score changes per part for the facts the request states, among the kinds of the ``first`` candidates
        and of the parts the request ``named`` (by name or number: "the smd version of the 2n3906"), and the named
        parts a stated fact picks among those named; ``pairs``: the (input, output) voltages a conversion states;
        ``asked``: the values the request asks of the wanted part, canonical ("12v", "2a"; ``LexicalHit.asked``);
        ``in_use``: the request puts the part to a use: it opens with what the part is to do ("switch 10 A ..."),
        or names a part the wanted one serves or works with (a load, a board)."""
        named = [k for k in named if k in self._kind]
        kinds = self.kinds_among(list(first) + named)
        if not kinds:
            return StatedFit()
        near = set(first) | set(named)
        siblings = [k for kind in kinds for k in self._members[kind]]
        # read only what the candidates type: a mounting style, a chip among them (a board or a chip asked), a
        # regulator rated for a reversed supply among their kinds, a conversion (heat refused); a text grid or LEDs
        # (boards only where the first ones differ in a USB connector or a breadboard fit: most requests for a
        # board ask neither, and reading words costs a model call)
        differ = any(len({typed[k] for k in near if k in typed}) > 1 for typed in (self._usb, self._breadboard))
        reading = self.read(text, skip,
                            words=(any(k in self._mount or self._form.get(k) == "chip" or k in self._charges
                                       or k in self._isolated for k in near)
                                   or differ or any(k in self._reverse for k in siblings) or bool(pairs)),
                            counts=any(k in self._grid or k in self._leds for k in near))
        out: dict[str, float] = {}
        picked: set[str] = set()

        def add(key: str, delta: float) -> None:
            if delta:
                out[key] = out.get(key, 0.0) + delta

        # (a board asked is no gain for every board: "board" also names what a part comes on, a relay board; a
        # chip loses, and the boards named for the chip a request names gain below)
        for typed, stated, gain, weight in ((self._package, reading.package, PACKAGE, PACKAGE),
                                            (self._mount, reading.mount, MOUNT, MOUNT),
                                            (self._form, reading.form, 0.0, MOUNT)):
            if stated is None or not any(k in typed for k in near):
                continue
            meets = {k for k in siblings if typed.get(k) == stated}
            met = {self._kind[k] for k in meets}  # a part loses only where a member of its kind meets the fact
            # the other version of a part named ("the surface-mount version of the 2N3906"): the kind is the named
            # part's; a part of another kind that meets the fact (a surface-mount diode) is not the part asked for
            versions = {self._kind[o] for o in named if o in typed and o not in meets} & met
            for key in siblings:
                if versions and self._kind[key] not in versions:
                    if key in first:
                        add(key, -AGAINST * weight)
                elif key in meets:
                    if gain:
                        add(key, gain)
                elif self._kind[key] in met and (key in typed or self.records[key].commonness == "generic"):
                    # another package or style; or a stand-in for any member, where members meet the fact
                    add(key, -AGAINST * weight)
            for other in named:  # the other version of a part named in another package, style or form
                if other in typed and other not in meets:
                    for key in meets:
                        if self._kind[key] == self._kind[other]:
                            # a part named beside it by the same words is that version outright ("an atmega328p
                            # board": the boards named for their chip)
                            if key in named:
                                picked.add(key)
                            add(key, VERSION * (1.0 if key in named else self._nearness(other, key)))
        # a USB connector asked or refused, a part that plugs into a breadboard asked
        for typed, stated in ((self._usb, reading.usb), (self._breadboard, True if reading.breadboard else None)):
            if stated is None or not any(k in typed for k in near):
                continue
            for key in siblings:
                if key in typed:
                    add(key, BOARD if typed[key] == stated else -AGAINST * BOARD)
        # charging, protecting a cell, charging from sunlight: a fact decides where a sibling meets it
        for typed, stated in ((self._charges, reading.charger), (self._protects, reading.protection),
                              (self._solar, reading.solar)):
            if stated is None or not any(k in typed for k in near):
                continue
            # (only those that do not meet it move: a charger's sunlight lifts no solar charger above a panel asked)
            members = [k for k in siblings if k in typed]
            if any(typed[k] == stated for k in members):
                for key in members:
                    if typed[key] != stated:
                        add(key, -AGAINST * CARE)
        if reading.standards and any(k in self._standards for k in near):
            readers = [k for k in siblings if k in self._standards]
            listed = {f for f in reading.standards if any(f in self._standards[k] for k in readers)}
            meets = [k for k in readers if listed <= self._standards[k]]
            if listed and meets and len(meets) < len(readers):  # some reader lists them all, not every one
                for key in readers:
                    add(key, CARD if key in meets else -AGAINST * CARD)
        if reading.isolation:
            for key in siblings:
                if key in self._isolated:
                    add(key, ISOLATE)
        if reading.reverse:
            # among the converters that give what a rated one gives (the same output), one not rated to survive a
            # reversed supply does not do what is asked: it loses as a contradicted fact does
            rated = [k for k in siblings if k in self._reverse]
            gives = {self._gives_volts.get(k) for k in rated}
            for key in siblings if rated else ():
                if key in self._reverse:
                    add(key, REVERSE)
                elif key in self._converters:
                    add(key, -(AGAINST if self._gives_volts.get(key) in gives else 1.0) * REVERSE)
        if (reading.rows or reading.columns) and any(k in self._grid for k in near):
            for key in siblings:
                grid = self._grid.get(key)
                if grid is None:
                    continue
                for stated, have in ((reading.columns, grid[0]), (reading.rows, grid[1])):
                    if stated:
                        add(key, GRID if stated == have else -GRID)
        if reading.leds and any(k in self._leds for k in near) and reading.leds in self._leds.values():
            # (only a count a part's record contradicts moves it: most LEDs type no count, a plain 5 mm LED is
            # one LED too, so a typed match gains nothing over them: "a bedside LED" is no addressable pixel)
            for key in siblings:
                if key in self._leds and self._leds[key] != reading.leds:
                    add(key, -GRID)
        quantities = asked_quantities(asked)
        amps = quantities.get("A")
        # a current stated bare, as the rating of the part (no use it is put to, no heat refused: "an npn rated for
        # 2 A"): the part is bought by that rating, the nearest one at or above it, as a source is; a current the
        # part is to switch or carry to a load, or without a heatsink, is an operating point the heat it makes
        # decides (knowledge.heat_reading), where headroom is no worse
        bare = not in_use and not reading.no_heat
        if amps and any(k in self._current for k in near):
            rated: dict[tuple[str, str], list[str]] = {}
            for key in siblings:
                if key in self._current:
                    rated.setdefault(self._kind[key], []).append(key)
            for members in rated.values():
                if not any(self._current[k] >= amps for k in members):
                    continue  # none of the kind is rated for it: no choice among siblings (knowledge.rating_gap)
                for key in members:
                    have = self._current[key]
                    if have < amps:
                        add(key, -RATING)
                    elif key in self._sources or bare:  # a part made for far more is another product
                        add(key, RATING * max(-1.0, 1.0 - math.log(have / amps) / math.log(OVER)))
        volts = quantities.get("V")
        if volts and not pairs and any(k in self._gives_volts for k in near):
            givers = [k for k in siblings if k in self._gives_volts]
            if any(abs(self._gives_volts[k] - volts) <= 0.05 * volts for k in givers):
                for key in givers:
                    if abs(self._gives_volts[key] - volts) > 0.05 * volts:
                        add(key, -RATING)
        if volts and not pairs and any(k in self._blocks for k in near):
            # a voltage a switch or a diode is to block (its typed VDS, VCEO or VR maximum): one rated below it
            # loses where a sibling of its kind is rated for it ("a schottky rated for 40 V", "a mosfet for 200 V")
            rated: dict[tuple[str, str], list[str]] = {}
            for key in siblings:
                if key in self._blocks:
                    rated.setdefault(self._kind[key], []).append(key)
            for members in rated.values():
                if any(self._blocks[k] >= volts for k in members):
                    for key in members:
                        if self._blocks[key] < volts:
                            add(key, -RATING)
        if reading.no_heat and pairs:
            # each converter that does the conversion moves by how far the share of power it keeps sits from the
            # middle of those that do it: a switching module gains what a linear regulator burning half the power
            # as heat loses (the heat refused is the choice between them, whatever else the words fit)
            shares = {}
            for key in self._converters:
                rec = self.records[key]
                fits = [efficiency(rec, v_in, v_out) for v_in, v_out in pairs if converts(rec, v_in, v_out)]
                if fits:
                    shares[key] = max(fits)
            middle = (max(shares.values()) + min(shares.values())) / 2 if shares else 0.0
            for key, share in shares.items():
                add(key, WASTE * (share - middle))
        return StatedFit(out, frozenset(picked))
