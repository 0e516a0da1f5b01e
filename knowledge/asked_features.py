"""Features a request asks of a part that tell members of one kind apart, read against typed record fields.

"draw a battery icon on a screen", "plot a graph of the readings": the words pick a display; what decides between
a character LCD and a pixel display is whether the request asks to draw (``ComponentRecord.display``: a character
display shows text from its font in fixed cells, a graphic one sets every pixel). "measure the level from above
without touching it": the words pick a level or distance sensor; what decides is whether it may touch what it
measures (``ComponentRecord.contact``: a probe or wetted traces touch, an ultrasonic or laser ranger does not).
"a small breadboard-friendly arduino": a word that the library's names give to boards only ("arduino", "pico", "xiao":
every record whose name holds it is a board, a microcontroller record with no typed package) asks for a board, not the
bare chip (a typed package) that an alias calls an arduino, unless the request asks for the bare chip.

Each feature is read from the request's words by meaning (``knowledge.word_senses``: each word against a few glosses
of the typed value, a negation before a word refusing it), never from phrases. A feature moves parts only among the
first candidates' category, and only when those candidates differ in it: a part whose typed value fails what is
asked loses where a part of its category that meets it is among the first few; a part that types nothing is left
alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from knowledge.lexical import GRAMMAR_WORDS, tokens
from knowledge.word_senses import WordSenses

__all__ = ["AskedFeatures", "Asked", "GLOSSES", "FAILS", "OTHER_FORM", "TOUCHES"]

FAILS = 0.15  # a display that cannot draw, where the request asks to draw and a graphic sibling is among the first
OTHER_FORM = 0.20  # a bare chip where the request names boards (as a chip of a package other than the one named loses
                  # in knowledge.stated_facts: AGAINST x MOUNT)
TOUCHES = 1.0  # a sensor that must touch what it measures, where the request refuses touching: it cannot do what is
               # asked at all (as a part named after "than" is not the part wanted), whatever its name matches

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

    @property
    def word_reader(self) -> WordSenses:
        return self._words

    def read(self, text: str, skip: Iterable[str] = ()) -> Asked:
        """The features a request's words ask (``skip``: pieces of part numbers)."""
        toks = set(tokens(text))
        asked, refused = self._words.read(text, tuple(set(skip) | (toks & GRAMMAR_WORDS)), verbs=True)
        return Asked(graphic="graphic" in asked, no_contact="contact" in refused, chip="chip" in asked)

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
        if len(displays) < 2 and len(contacts) < 2 and not board_named:
            return {}
        asked = self.read(text, skip)
        out: dict[str, float] = {}
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
        if asked.no_contact and False in contacts:
            # a sensor that must touch what it measures, where one that senses from a distance is among the first
            for key, touches in self._contact.items():
                if touches and self._category[key] in categories:
                    out[key] = out.get(key, 0.0) - TOUCHES
        return out
