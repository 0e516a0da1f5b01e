"""Features a request asks of a part that tell members of one kind apart, read against typed record fields.

"draw a battery icon on a screen", "plot a graph of the readings": the words pick a display; what decides between
a character LCD and a pixel display is whether the request asks to draw (``ComponentRecord.display``: a character
display shows text from its font in fixed cells, a graphic one sets every pixel). "measure the level from above
without touching it": the words pick a level or distance sensor; what decides is whether it may touch what it
measures (``ComponentRecord.contact``: a probe or wetted traces touch, an ultrasonic or laser ranger does not).
"a small breadboard-friendly arduino": a word that the library's names give to boards only ("arduino", "pico", "xiao":
every record whose name holds it is a board, a microcontroller record with no typed package) asks for a board, not the
bare chip (a typed package) that an alias calls an arduino, unless the request asks for the bare chip.
"a 128x64 oled that talks over spi", "a humidity sensor on the i2c bus": the words pick a display or a sensor; what
decides is the bus its pins speak (``Pin.functions``: "spi_mosi", "i2c_sda", "uart_tx"): the library's own bus
names and signal names (the parts of the functions' names, a bus being a prefix that two or more functions of
digital pins share) are the vocabulary, as the library's packages are for a package named. A part whose pins type
other buses but not the one named loses where a sibling that speaks it is among the first; a part that types no
bus (a level shifter that passes any) is left alone. A USB connector is a record field of its own
(``ComponentRecord.usb``, read in ``knowledge.stated_facts``), a bus named by a grammar word ("can") is no reading.
"an arduino nano with a usb-c socket", "the nano with the old mini usb connector": what decides between boards is the
USB connector they carry (``ComponentRecord.usb``), named by the typed values' own words next to "usb"
(``knowledge.usb_connector``): a board typed with another connector loses where a board of its category carries the
one named.
"a pico that can join my wifi", "a plain pico, no radio needed": the words pick a board; what decides is whether it
carries a radio (``Capability.medium`` "radio" among its capabilities), read by meaning against the medium's gloss
and the one-word names of the library's radio capabilities ("wifi", "bluetooth"): a board without the radio asked,
or with the radio refused, loses where a sibling fits among the first.

Each feature is read from the request's words by meaning (``knowledge.word_senses``: each word against a few glosses
of the typed value, a negation before a word refusing it), never from phrases. A feature moves parts only among the
first candidates' category, and only when those candidates differ in it: a part whose typed value fails what is
asked loses where a part of its category that meets it is among the first few; a part that types nothing is left
alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from knowledge.display_facts import DisplayFacts
from knowledge.lexical import GRAMMAR_WORDS, attached, tokens
from knowledge.link_medium import MEDIA_GLOSSES
from knowledge.usb_connector import connector_words, named_connectors
from knowledge.word_senses import WordSenses, negated

__all__ = ["AskedFeatures", "Asked", "GLOSSES", "FAILS", "OTHER_FORM", "TOUCHES", "OTHER_BUS", "NO_RADIO", "CONNECTOR",
           "bus_names"]

FAILS = 0.15  # a display that cannot draw, where the request asks to draw and a graphic sibling is among the first
OTHER_FORM = 0.20  # a bare chip where the request names boards (as a chip of a package other than the one named loses
                  # in knowledge.stated_facts: AGAINST x MOUNT)
TOUCHES = 1.0  # a sensor that must touch what it measures, where the request refuses touching: it cannot do what is
               # asked at all (as a part named after "than" is not the part wanted), whatever its name matches

OTHER_BUS = 0.25  # a part whose pins speak other buses but not the one the request names, where a sibling speaks it
CONNECTOR = 0.3   # a board typed with another USB connector than the one named, where a sibling carries it
NO_RADIO = 0.15   # a board without the radio asked (or with the radio refused), where a sibling fits among the first
_DIGITAL = frozenset({"digital_in", "digital_out", "digital_io"})

# the typed values, glossed in a few words each: drawing on a display (what only a graphic display does), and
# touching what is measured (what a contact sensor does)
GLOSSES: Mapping[str, Sequence[str]] = {
    "graphic": ("drawing", "icons", "pictures", "graph", "plotting", "shapes", "animation"),
    "contact": ("touching", "contact"),
    "chip": ("bare chip",),
}


@dataclass(frozen=True)
class Asked:
    """What a request asks: to draw (a graphic display), and whether touching what is measured is refused."""

    graphic: bool = False
    no_contact: bool = False
    chip: bool = False
    bus: frozenset = frozenset()       # the buses named ("spi", "i2c"), by bus or signal name
    radio: frozenset = frozenset()     # the radios asked of a board ("radio", "wifi", "bluetooth")
    no_radio: frozenset = frozenset()  # the radios refused


def bus_names(records: Iterable) -> dict[str, str]:
    """The library's buses by their own names and their signals' names ({"spi": "spi", "mosi": "spi", "sda": "i2c"}):
    a bus is a prefix two or more functions of digital pins share ("spi_mosi", "spi_sck"); a signal name of two
    letters ("cs", "tx") is too short to tell a bus by, a bus a record field types (USB) or named by a grammar word
    ("can") is left out."""
    fields = set(type(next(iter(records), None)).model_fields) if records else set()
    functions: dict[str, set[str]] = {}
    for rec in records:
        for pin in rec.pins:
            for f in pin.functions:
                bus, _, signal = f.partition("_")
                if signal and pin.type in _DIGITAL:
                    functions.setdefault(bus, set()).add(signal)
    out: dict[str, str] = {}
    for bus, signals in functions.items():
        if len(signals) < 2 or bus in fields or bus in GRAMMAR_WORDS or not bus.isalnum():
            continue
        out[bus] = bus
        for signal in signals:
            if len(signal) >= 3 and signal.isalpha() and signal not in GRAMMAR_WORDS:
                out.setdefault(signal, bus)
    return out


class AskedFeatures:
    """The typed display kinds and contact sensing of a library's records, and the request words read against them."""

    def __init__(self, records: Iterable, embedder_factory: Callable | None = None):
        records = list(records)
        self._category = {rec.key: rec.category for rec in records}
        self._display = {rec.key: rec.display for rec in records if getattr(rec, "display", None)}
        self._contact = {rec.key: rec.contact for rec in records if getattr(rec, "contact", None) is not None}
        # a bare chip (a typed package) or a board (a microcontroller record with none), and the words of the records'
        # names that name boards only, two or more of them ("arduino", "pico", "xiao")
        self._form = {rec.key: "chip" if rec.package else "board" for rec in records
                      if rec.package or rec.category == "microcontroller"}
        named: dict[str, set[str]] = {}
        for rec in records:
            for t in set(tokens(rec.name)):
                named.setdefault(t, set()).add(rec.key)
        self._board_words = frozenset(t for t, keys in named.items() if len(keys) >= 2 and t.isalpha() and len(t) >= 3
                                      and all(self._form.get(k) == "board" for k in keys))
        self._words = WordSenses(GLOSSES, embedder_factory)
        self._sizes = DisplayFacts(records)  # a display's size and resolution stated (knowledge.display_facts)
        # the buses each part's pins speak (parts that type none are absent), and the words naming them
        self._bus_words = bus_names(records)
        self._buses = {}
        for rec in records:
            spoken = {self._bus_words[b] for pin in rec.pins for f in pin.functions
                      for b in (f.partition("_")[0],) if pin.type in _DIGITAL and self._bus_words.get(b) == b}
            if spoken:
                self._buses[rec.key] = frozenset(spoken)
        # the USB connector each board carries (ComponentRecord.usb; "none" too), and each connector's own words
        self._usb = {rec.key: rec.usb for rec in records if getattr(rec, "usb", None)}
        self._connector_words = connector_words(self._usb.values())
        # the radios each board carries (its radio capabilities' one-word names, and "radio" for any), and the
        # media's glosses with those names: what a request's words are read against
        radios = {rec.key: frozenset(c.capability for c in rec.provides if c.medium == "radio")
                  for rec in records if rec.category == "microcontroller"}
        names = sorted({n for caps in radios.values() for n in caps if n.isalpha()})
        self._radio = {k: {n for c in caps for n in c.split("-") if n in names} | ({"radio"} if caps else set())
                       for k, caps in radios.items()}  # "bluetooth-le" carries bluetooth
        self._radio_words = WordSenses({**{m: g for m, g in MEDIA_GLOSSES.items()}, **{n: (n,) for n in names}},
                                       embedder_factory)

    @property
    def word_reader(self) -> WordSenses:
        return self._words

    @property
    def radio_reader(self) -> WordSenses:
        return self._radio_words

    def connectors(self, text: str) -> frozenset[str]:
        """The USB connectors a request names (``knowledge.usb_connector``), not one named after a context cue
        ("from a usb-c charger")."""
        toks = tokens(text)
        return named_connectors(toks, self._connector_words, lambda i: attached(toks, i))

    def buses(self, text: str, skip: Iterable[str] = ()) -> frozenset[str]:
        """The buses a request names by a bus's or a signal's name, not after a negation (``skip``: pieces of part
        numbers)."""
        toks = tokens(text)
        skip = set(skip)
        return frozenset(self._bus_words[t] for i, t in enumerate(toks)
                         if t in self._bus_words and t not in skip and not negated(toks, i))

    def read(self, text: str, skip: Iterable[str] = ()) -> Asked:
        """The features a request's words ask (``skip``: pieces of part numbers)."""
        toks = set(tokens(text))
        asked, refused = self._words.read(text, tuple(set(skip) | (toks & GRAMMAR_WORDS)), verbs=True)
        radio_asked, radio_refused = self._radio_words.read(text, tuple(set(skip) | (toks & GRAMMAR_WORDS)))
        media = set(MEDIA_GLOSSES)
        return Asked(graphic="graphic" in asked, no_contact="contact" in refused, chip="chip" in asked,
                     bus=self.buses(text, skip), radio=frozenset(radio_asked - media | (radio_asked & {"radio"})),
                     no_radio=frozenset(radio_refused - media | (radio_refused & {"radio"})))

    def deltas(self, text: str, first: Sequence[str], skip: Iterable[str] = (),
               named: Iterable[str] = ()) -> dict[str, float]:
        """Score changes per part for the features the request asks, among the ``first`` candidates' categories
        (``named``: the parts the request names by name or number, a chip among them being what it asks). The
        request's words are read only when the first candidates differ in a typed feature (reading embeds the words
        it has not seen)."""
        named = set(named)
        displays = {self._display[k] for k in first if k in self._display}
        contacts = {self._contact[k] for k in first if k in self._contact}
        forms = {self._form[k] for k in first if k in self._form}
        board_named = len(forms) > 1 and bool(self._board_words & set(tokens(text)))
        spoken = {self._buses[k] for k in first if k in self._buses}
        radios = {frozenset(self._radio[k]) for k in first if k in self._radio}
        out: dict[str, float] = dict(self._sizes.deltas(text, first))
        usbs = {self._usb[k] for k in first if k in self._usb}
        if (len(displays) < 2 and len(contacts) < 2 and not board_named and len(spoken) < 2 and len(radios) < 2
                and not (usbs and "usb" in tokens(text))):
            return out
        asked = self.read(text, skip)
        categories = {self._category[k] for k in first if k in self._category}
        if board_named and not asked.chip:
            # a word only boards' names use, and no bare chip asked: a chip among the first is not what is named
            for key in first:
                if self._form.get(key) == "chip" and key not in named:
                    out[key] = out.get(key, 0.0) - OTHER_FORM
        if asked.graphic and "graphic" in displays:
            # a character or segment display cannot draw: it loses where a graphic sibling is among the first
            for key, kind in self._display.items():
                if kind != "graphic" and self._category[key] in categories:
                    out[key] = out.get(key, 0.0) - FAILS
        for bus in asked.bus:
            # a bus named: a part whose pins speak others but not it loses where a sibling among the first speaks it
            if any(bus in b for b in spoken):
                for key, b in self._buses.items():
                    if bus not in b and self._category[key] in categories:
                        out[key] = out.get(key, 0.0) - OTHER_BUS
        connectors = self.connectors(text) if any(self._usb.get(k) for k in first) else frozenset()
        for usb in connectors:
            # a USB connector named: a board typed with another loses where a board of its category carries it
            fitting = {self._category[k] for k, u in self._usb.items() if u == usb}
            for key, u in self._usb.items():
                if u != usb and self._category[key] in categories & fitting:
                    out[key] = out.get(key, 0.0) - CONNECTOR
        if len(radios) > 1:
            # a radio asked of a board (or refused): a board without it (or with it) loses where a sibling fits
            for key, carries in self._radio.items():
                if self._category[key] not in categories:
                    continue
                if any(r not in carries for r in asked.radio) or any(r in carries for r in asked.no_radio):
                    out[key] = out.get(key, 0.0) - NO_RADIO
        if asked.no_contact and False in contacts:
            # a sensor that must touch what it measures, where one that senses from a distance is among the first
            for key, touches in self._contact.items():
                if touches and self._category[key] in categories:
                    out[key] = out.get(key, 0.0) - TOUCHES
        return out
