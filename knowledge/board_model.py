"""A board the library lacks, named by a family word of the library's boards and a model word none of them is named by.

A board's name is a family and a model: "Arduino | Uno", "Raspberry Pi | Pico", "Seeed XIAO | RP2040". The library's
boards (microcontroller records with no typed package: a board, not a bare chip) say in their names which words are
family words (words a board's own name or key puts before another, that no record but a microcontroller is named by:
"arduino", "pi", "xiao", "nano"; not "wifi" or "camera") and which words their models are named by. A request whose
thing asked puts right after a family word a word no board of that family is named by, and ends the name there ("Pi |
Zero 2 W", "Orange Pi | 5", "Arduino | Portenta H7"), asks for another model of the family: one the library lacks,
however near its boards read. The word after the family word must read as a model's name, not as a description: a
number or letter-digit id, a word of some record's names ("zero"), or a word no text of the library uses, a slip
allowed ("portenta"). A word for a kind of part ("board", "module"), a value, a revision mark, a verb's form, a slip of
one of the family's own name words, a word only boards are named by ("compatible") or an ordinary word the library's
texts use ("cheap", "clone") is none; nor is a word followed by words that are no part of a name ("an esp32 | weather
station": a thing built on the board). Data, not wording: the families and their models are read from the records'
names.
"""

from __future__ import annotations

from typing import Callable, Iterable

from knowledge.lexical import (FILLER, GRAMMAR_WORDS, UNIT_AFTER, close_words, is_number, is_part_number, is_value,
                               stem, tokens)
from knowledge.verbs import base_forms

KIND_NAMES = 3        # records outside a family whose names use a word, from which it is a word for a kind of part


class BoardModels:
    """The family words of the library's boards and the name words of each family's boards."""

    def __init__(self, records: Iterable, name_vocab: dict[str, set[str]], knows: Callable[[str], bool]):
        records = list(records)
        mcu = {rec.key for rec in records if rec.category == "microcontroller"}
        boards = {rec.key for rec in records if rec.key in mcu and not getattr(rec, "package", None)}
        holders: dict[str, set[str]] = {}
        for key, words in name_vocab.items():
            for w in words:
                holders.setdefault(w, set()).add(key)
        named: dict[str, set[str]] = {}  # a word of a record's own name or key -> those records (aliases aside)
        leading: set[str] = set()  # words a board's own name or key puts before another word
        raw: dict[str, set[str]] = {}  # a board's name words as written (a slip is measured against these too)
        for rec in records:
            for text in (rec.name, rec.key.replace("-", " ")):
                content = [t for t in tokens(text) if t not in FILLER and not is_value(t)]
                for t in content:
                    named.setdefault(stem(t), set()).add(rec.key)
                if rec.key in boards:
                    leading.update(stem(t) for t in content[:-1])
            if rec.key in boards:
                for text in [rec.name, *rec.aliases, rec.key.replace("-", " ")]:
                    raw.setdefault(rec.key, set()).update(tokens(text))
        self._holders = holders
        self._boards = boards
        self._names = name_vocab
        self._raw = raw
        self._knows = knows  # whether the library's texts use a word, a slip of one allowed (LexicalIndex.knows)
        # family words: words a board's own name or key puts before another that no record but a microcontroller is
        # named by ("arduino", "pi", "xiao"; not "wifi" or "camera", which name other parts too); a family is the boards
        # whose names (aliases too) hold its word
        self.families = {w: (holders.get(w, set()) | named[w]) & boards
                         for w in leading if not is_number(w) and named.get(w) and named[w] <= mcu}

    def _kind(self, word: str, family: set[str]) -> bool:
        """A word for a kind of part: the names of several records outside the family use it ("board", "module")."""
        return len(self._holders.get(word, set()) - family) >= KIND_NAMES

    def _model_like(self, word: str) -> bool:
        """A word that reads as a model's name: a number or id, a word of some record's names, or one no text uses."""
        if any(c.isdigit() for c in word) or is_number(word) or is_part_number(word):
            return True
        if word in self.families or (word in self._holders and self._holders[word] <= self._boards):
            return False  # a word only boards are named by, with no digit ("compatible", "dev"): it describes them
        return word in self._holders or not self._knows(word)

    def _closes_name(self, word: str) -> bool:
        """A word that may follow a model word within a board's name: a number, an id or a single letter ("Zero 2
        W"), a family word ("... Sense") or a word for a kind of part ("... board")."""
        s = stem(word)
        return (is_number(word) or any(c.isdigit() for c in word) or (len(word) == 1 and word.isalpha())
                or s in self.families or len(self._holders.get(s, ())) >= KIND_NAMES)

    def _slip(self, word: str, family: set[str]) -> bool:
        """Whether a word is one of the family's name words misspelt ("evry"; "mni", a word no text uses one letter
        short of one)."""
        names = {n for k in family for n in self._names.get(k, set()) | self._raw.get(k, set())}
        if any(close_words(word, n) is not None for n in names):
            return True
        return not self._knows(word) and word.isalpha() and any(
            len(n) == len(word) + 1 and n.isalpha() and any(n[:i] + n[i + 1:] == word for i in range(len(n)))
            for n in names)

    def lacking(self, phrase: str, skip: Iterable[str] = (),
                pieces: dict[str, set[str]] | None = None) -> tuple[str, str] | None:
        """The (family word, model word) of a board the library lacks that ``phrase`` (the thing asked, up to any
        "with") names, or None. ``skip``: words that are no model (revision marks); ``pieces``: the words of the
        phrase that are pieces of part numbers the library knows, with the records named by them: a piece of one the
        family's boards or the family word's own part carry is no model ("xiao rp 2040", "atmega328p pu"), a part
        number of another board is ("xiao nrf52840": the nRF52840 is another family's chip)."""
        skip = set(skip)
        pieces = pieces or {}
        toks = tokens(phrase)
        for i, (w, x) in enumerate(zip(toks, toks[1:])):
            family = self.families.get(stem(w))
            if not family or x in skip or x in GRAMMAR_WORDS or x in FILLER:
                continue
            if set(pieces.get(x, ())) & (family | set(pieces.get(w, ()))):
                continue  # a piece of a part number the family or the family word's part carries
            if (is_value(x) and not is_number(x)) or (is_number(x) and i + 2 < len(toks) and toks[i + 2] in UNIT_AFTER):
                continue  # a value ("5v", "5 volt"), not a model
            if x.endswith(("ing", "ed")) and base_forms(x):
                continue  # a verb's form ("an arduino uno | mixing colours"): what the board does, no model
            s = stem(x)
            if any(s in self._names.get(k, ()) or x in self._raw.get(k, ()) for k in family):
                continue  # a model the family has, or another of its name words ("raspberry pi", "nano every")
            if (not is_number(s) and self._kind(s, family)) or not self._model_like(s) or self._slip(x, family):
                continue
            if not all(self._closes_name(t) for t in toks[i + 2:]):
                continue  # words follow that are no part of a name ("an esp32 | weather station"): no model named
            return w, x
        return None
