"""Part names used as ordinary nouns: which noun phrases of a request name a part, and which name something else.

Many part names are everyday words: a pot, a crystal, a display, a fan, a cell, a jumper. A request uses them both
ways: "a 10k pot" asks for a potentiometer, "a pot of tea" and "the clay pot on the sill" do not; "a 16 MHz
crystal" is a crystal, "a crystal glass" a glass. Word matching cannot tell them apart, and the part whose name the
word is gets evidence it has not earned: its keyword score, and the nearness of the request's vector, which the
shared word pulls towards the part's name.

The noun phrase around the word tells them apart, read by meaning against the records' own texts. The request is
split into noun phrases at grammar words ("of" joins two nouns into one phrase, "pot of tea"; verbs are shed), a
phrase of two or more English words holding a word that names parts on its own (a whole name, key or alias, or the
noun a part's name ends in) is embedded and compared with the texts of the parts whose names use that word:

- with what those parts are and do (their descriptions, typical uses and capabilities): a phrase using the word in
  the part's sense reads like them ("16 mhz crystal" near "a quartz crystal ... clock"), one using it for another
  thing does not ("crystal glass");
- with what those parts are called (their names, keys and aliases): a name written out says little of what the part
  does, yet reads as the name itself.

A phrase far from both names an ordinary thing, the request's context: its words are no keyword evidence for the
parts they name, and those parts are named in passing (``ContextReading``; the retriever ranks them down). No word of
any request is listed here; the phrase boundaries are the lexical module's grammar words and the verb lexicon, and
everything else is the records' own texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from knowledge.english import is_real_word
from knowledge.keywords import words
from knowledge.lexical import _DETERMINERS, FILLER, GRAMMAR_WORDS, is_value, stem, tokens
from knowledge.verbs import base_forms

__all__ = ["ContextReading", "NounSenses", "noun_phrases"]

# a phrase reads as a part its words name when it comes this close (cosine) to what the part is or does ...
MEANING_FIT = 0.40
# ... or to what it is called (a name written out: "stm32 blue pill")
NAME_FIT = 0.80
_JOIN = "of"  # joins two nouns into one phrase ("a pot of soup"): grammar, not wording
_ARTICLES = frozenset("a an the my our your his her their its".split())  # open a noun phrase; may follow "of"


def _participle(word: str) -> bool:
    """Whether a word is a verb's -ing or -ed form ("simmering", "parked"): it ends a noun phrase (a noun compound
    of the form "heating pad" is split too, which costs only the reading of that phrase)."""
    return word.endswith(("ing", "ed")) and bool(base_forms(word) - {word})


def noun_phrases(text: str) -> list[tuple[int, ...]]:
    """The noun phrases of a text, roughly, as token positions: the runs of words between grammar words, a run
    joined to the next by "of" ("a cup of tea", "the level of my pond"). A verb's -ing or -ed form ends a run, and a
    run that no article opens sheds the verbs it opens with ("[takes] one bit", "[pour] hot water"): a verb is no
    part of a noun phrase, and a word after an article is read as a noun whatever else it can be ("a display")."""
    toks = tokens(text)
    out: list[tuple[int, ...]] = []
    cur: list[int] = []
    joining = False  # an "of" after a run: the next run continues the phrase
    opened = False   # the current run stands after an article, a possessive or "of"
    for i, t in enumerate(toks):
        if t not in GRAMMAR_WORDS and t not in _DETERMINERS and not _participle(t):
            if cur or opened or not base_forms(t):
                cur.append(i)
            joining = False
        elif t == _JOIN and cur:
            joining = opened = True
        elif joining and t in _ARTICLES:
            continue
        else:
            if cur:
                out.append(tuple(cur))
            cur, joining = [], False
            opened = t in _ARTICLES
    if cur:
        out.append(tuple(cur))
    return out


@dataclass(frozen=True)
class ContextReading:
    """What a request's noun phrases say of its context: the keyword stems of the phrases that name ordinary things
    (``words``: no evidence for any part) and the parts those phrases' words name in passing (``passing``)."""

    words: frozenset[str] = frozenset()
    passing: frozenset[str] = frozenset()
    phrases: tuple[str, ...] = field(default=(), compare=False)


class NounSenses:
    """The records' texts, arranged to read the sense of the part names a request's phrases use."""

    def __init__(self, matrix: np.ndarray, row_keys: Sequence[str], row_fields: Sequence[str],
                 naming: Iterable[str], name_vocab: Mapping[str, Iterable[str]], meaning_fields: Sequence[str]):
        self.matrix = matrix
        keys = np.asarray(row_keys, dtype=object)
        fields = np.asarray(row_fields, dtype=object)
        self._meaning = np.isin(fields, list(meaning_fields))
        self._names = np.isin(fields, ["name", "key", "alias"])
        self._rows: dict[str, np.ndarray] = {}
        for key in dict.fromkeys(row_keys):
            self._rows[key] = np.flatnonzero(keys == key)
        self._naming = frozenset(naming)
        named: dict[str, set[str]] = {}
        for key, ws in name_vocab.items():
            for w in ws:
                named.setdefault(w, set()).add(key)
        self._named_by = named

    def parts_named(self, word: str) -> set[str]:
        """The parts whose names use this word, when it names parts on its own (``naming``: a whole name, key or
        alias, or the noun a name ends in; not a word that only describes within a name, "open", "side"): the
        senses it can have as a part's name."""
        if not word.isalpha() or not (word in self._naming or stem(word) in self._naming):
            return set()
        return self._named_by.get(stem(word), set()) | self._named_by.get(word, set())

    def candidates(self, text: str) -> list[str]:
        """The phrases of a request worth reading: two or more words, one an everyday English word that names a part
        (a part number or a made-up name has no other sense)."""
        toks = tokens(text)
        out = []
        for phrase in noun_phrases(text):
            ws = [toks[i] for i in phrase if toks[i] not in FILLER and not is_value(toks[i])]
            if len(ws) < 2:
                continue
            if not all(w.isalpha() and is_real_word(w) for w in ws):
                continue  # a part number, a made-up name or another language's word: no everyday thing
            if any(self.parts_named(w) for w in ws):
                out.append(" ".join(toks[phrase[0]:phrase[-1] + 1]))
        return out

    def read(self, phrases: Sequence[str], vectors: Sequence[np.ndarray]) -> ContextReading:
        """Which of the candidate phrases (``candidates``) name an ordinary thing, given their vectors."""
        ctx_words: set[str] = set()
        passing: set[str] = set()
        kept: list[str] = []
        for phrase, vec in zip(phrases, vectors):
            parts = set().union(*(self.parts_named(w) for w in phrase.split() if is_real_word(w)))
            rows = np.concatenate([self._rows[k] for k in sorted(parts) if k in self._rows]) if parts else None
            if rows is None or not len(rows):
                continue
            sims = self.matrix[rows] @ vec
            meaning = sims[self._meaning[rows]]
            names = sims[self._names[rows]]
            reads_as_part = ((meaning.size and float(meaning.max()) >= MEANING_FIT)
                             or (names.size and float(names.max()) >= NAME_FIT))
            if reads_as_part:
                continue  # it reads as one of the parts its words name
            ctx_words.update(words(phrase))
            passing.update(parts)
            kept.append(phrase)
        return ContextReading(frozenset(ctx_words), frozenset(passing), tuple(kept))
