"""Word kin: inflections, derivations and misspellings of the parts' own words, as a weaker match than the word itself.

Keyword evidence (``knowledge.keywords``) matches a request's words to a part's words by identity, after a light
plural/verb stem (``lexical.stem``). That stem is deliberately shallow - a deeper one that replaced word identity
made different words collide - so "moves" does not meet a record's "moving", "detector" not "detects", "movement"
not "moves", and a slip ("dispaly", "acelerometer") meets nothing. This module reads such pairs as a separate,
weaker signal beside identity, never in its place:

- a **family**: words whose Snowball (Porter2) stems agree (moves, moving, moved; rotates, rotation; vibrating,
  vibration), with an agent noun or a "-ment" noun joined to the verb the parts' own words use (detector and
  detects, charger and charging, movement and moves, controller and control) - joined only when that verb's stem
  is itself a stem of the parts' words and at least four letters long, so "motor" never becomes "mot" nor "meter"
  "met". A family member counts ``KIN`` of the word itself;
- a **slip**: a request word neither the parts' words nor the English word list (pyspellchecker) hold (nor its
  British spelling, nor two listed words written as one: "fibre", "powerline"), within the edits
  ``lexical.close_words`` allows for its length of exactly one family of the parts' words, with the same first
  letter (a slip keeps it: "azdelivery" is no "delivery"); two families equally near: no reading. The word it
  slips from (the one the parts use most, of that family) counts ``SLIP``, that word's family ``SLIP * KIN``. A slip of a
  word the parts only use in another form ("blinkng": blinking, where the records say "blink") is read through
  the English list's one-edit correction, then that word's family.

Everything is read from the records' own vocabulary; no word list of this module's own. The index groups the
parts' words by their first three letters and stems a group when first asked, so building it costs a dictionary,
not a stemming pass over every word.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.english import english_correction, is_compound, is_english
from knowledge.lexical import FILLER, GRAMMAR_WORDS, close_words, fold, stem

KIN = 0.5    # a word of the same family as the request's word, against the word itself
SLIP = 0.8   # the word a misspelt request word slips from, against a word typed right
SHORTEST = 4  # letters of the shortest stem a family is read for (shorter ones are too many words' start)
LISTED_SLIP = 5  # letters of the shortest slip read through the English list's correction
COMPOUND_PIECE = 4  # letters of the shortest piece of two words written as one ("powerline"; "dis|paly" is a slip)
_HEAD = SHORTEST - 1  # the letters every word of a family starts with (a stem's last letter may change: move, moving)
_JOINED = ("ment", "er", "or")  # a noun made from a verb: movement, charger, detector (the verb's stem stays)
# the endings by which two words of one family may differ: inflections, and the nouns of doing and of the doer
# ("-ion", "-ment", "-er", "-or", "-ness", "-ity"); not the endings that make another kind of word with its own sense
# ("-ive", "-ly", "-al", "-ation" against "-e": capacitive is no capacitor, directly no direction, modulation no
# module), where Porter's stems run together
_ENDINGS = frozenset("""e s es ed d ing er ers r rs or ors ion ions ment ments ement ements ness ity ities y ies ied ier iers
    ying""".split())
_DOUBLED = frozenset("ing ed er ers".split())  # after a doubled last consonant: stepping, controller

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=1 << 14)
def snowball(word: str) -> str:
    """The Snowball (Porter2) stem of a lower-case word."""
    return _STEMMER.stemWord(word)


# British spellings the English list (American) lacks, as the American form: fibre/fiber, colour/color, analyse
_BRITISH = ((re.compile(r"re(s?)$"), r"er\1"), (re.compile(r"our"), "or"), (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
            (re.compile(r"is(e|es|ed|ing|ation)$"), r"iz\1"), (re.compile(r"ium$"), "um"))


def is_word(word: str) -> bool:
    """An English word (listed, or two listed words of four letters or more written as one: "powerline", not
    "dis|paly"), spelt the American way or the British ("fibre", "metre", "colour"): a real word is never a slip of
    another ("fibre" is no "fire")."""
    if is_english(word) or is_compound(word, shortest=COMPOUND_PIECE):
        return True
    return any(is_english(pattern.sub(repl, word)) for pattern, repl in _BRITISH if pattern.search(word))


def _ending(rest: str, base: str) -> bool:
    return not rest or rest in _ENDINGS or (len(rest) > 1 and rest[0] == base[-1] and rest[1:] in _DOUBLED)


def affixed(a: str, b: str) -> bool:
    """Whether two words are one base with endings of ``_ENDINGS`` (moves, movement; isolating, isolator;
    detects, detector; step, stepping): inflections and nouns of one verb, not words of another kind."""
    for cut in range(SHORTEST - 1, min(len(a), len(b)) + 1):
        base = a[:cut]
        if b[:cut] != base:
            break
        if _ending(a[cut:], base) and _ending(b[cut:], base):
            return True
    return False


class WordKin:
    """The families and slips of one vocabulary: the words of the parts' texts, as tokens (``lexical.tokens``)."""

    def __init__(self, words: Iterable[str]):
        self._by_head: dict[str, set[str]] = {}
        self._uses: dict[str, int] = {}  # how often the parts' texts use each word
        self._columns: set[str] = set()
        for w in words:
            self._uses[w] = self._uses.get(w, 0) + 1
            if w.isalpha():
                self._columns.add(stem(w))
                if len(w) >= SHORTEST:
                    self._by_head.setdefault(w[:_HEAD], set()).add(w)
        self._words = sorted({w for ws in self._by_head.values() for w in ws})
        self._roots: dict[str, dict[str, set[str]]] = {}  # head -> snowball stem -> the words with it
        self._members: dict[str, frozenset[str]] = {}
        self._related: dict[str, tuple[tuple[str, float], ...]] = {}
        self._slips: dict[str, str] = {}  # a misspelt word -> the word it is read as

    def _group(self, head: str) -> dict[str, set[str]]:
        group = self._roots.get(head)
        if group is None:
            group = {}
            for w in self._by_head.get(head, ()):
                group.setdefault(snowball(w), set()).add(w)
            self._roots[head] = group
        return group

    def _is_root(self, root: str) -> bool:
        return len(root) >= SHORTEST and root in self._group(root[:_HEAD])

    def family(self, word: str) -> str | None:
        """The stem that names a word's family: its Snowball stem, or the verb's stem a noun made from that verb
        carries, when the parts' words hold the verb ("detector": detect). None for a word too short to say."""
        return self._family_of(snowball(word))

    def _family_of(self, root: str) -> str | None:
        if len(root) < SHORTEST:
            return None
        for end in _JOINED:
            if root.endswith(end) and len(root) - len(end) >= SHORTEST:
                base = root[: -len(end)]
                for cand in (base, base + "e", base[:-1] if base[-1] == base[-2] else ""):
                    if cand and self._is_root(cand):
                        return cand
        return root

    def members(self, family: str) -> frozenset[str]:
        """The parts' words of a family."""
        out = self._members.get(family)
        if out is None:
            out = frozenset(w for root, words in self._group(family[:_HEAD]).items()
                            if root.startswith(family) and self._family_of(root) == family for w in words)
            self._members[family] = out
        return out

    def _kin_columns(self, word: str, weight: float) -> dict[str, float]:
        fam = self.family(word)
        own = stem(word)
        return {stem(w): weight for w in self.members(fam) if stem(w) != own and affixed(word, w)} if fam else {}

    def _near(self, word: str) -> dict[str, int]:
        """The parts' words within two edits of a word, with their edits (OSA)."""
        return {cand: int(d) for cand, d, _ in process.extract(word, self._words, scorer=OSA.distance,
                                                                 score_cutoff=2, limit=12)}

    def _slipped_from(self, word: str, near: dict[str, int]) -> list[str] | None:
        """The parts' words a misspelt word slips from: the nearest that ``lexical.close_words`` allows for its
        length, all of one family; None when two families are equally near (no reading), [] when none is."""
        allowed = {w: d for w in near if w[0] == word[0] and (d := close_words(word, w))}
        if not allowed:
            return []
        best = min(allowed.values())
        found = [w for w, d in allowed.items() if d == best]
        return found if len({self.family(w) for w in found}) == 1 else None

    def related(self, word: str) -> tuple[tuple[str, float], ...]:
        """The columns (light stems, ``lexical.stem``) a request word is kin to, with the weight each counts
        against the word itself: its family's other forms, or, for a slip no list knows, the word it slips from
        and that word's family. Empty for a word with neither."""
        found = self._related.get(word)
        if found is None:
            found = self._related[word] = self._read(word)
        return found

    def _read(self, word: str) -> tuple[tuple[str, float], ...]:
        own = stem(word)
        if own in self._columns or len(word) < SHORTEST or not word.isalpha() or word in GRAMMAR_WORDS:
            return tuple(sorted(self._kin_columns(word, KIN).items()))  # a word: its family's other forms
        # the English list is asked only about a word near one of the parts' words: most never load it
        near = self._near(word)
        if not near or is_word(word):
            return tuple(sorted(self._kin_columns(word, KIN).items()))
        out: dict[str, float] = {}
        found = self._slipped_from(word, near)
        if found is None:
            return ()  # a slip of either of two words: neither
        if found:  # a slip of the parts' words: the word it slips from, and that word's family
            for w in found:
                out.update(self._kin_columns(w, SLIP * KIN))
            out.update({stem(w): SLIP for w in found})
            self._slips[word] = max(found, key=lambda w: (self._uses.get(w, 0), -abs(len(w) - len(word)), w))
        else:
            out = self._kin_columns(word, KIN)  # no list's word, but a form of a family the parts' words hold
            # a slip of a word the parts use in other forms, read by the English list; a word that long at least
            # (a short one is as likely an abbreviation or another language's word: "soic", "flur")
            fixed = None if out or len(word) < LISTED_SLIP else english_correction(word)
            if fixed and fixed != word and fixed.isalpha() and fixed[0] == word[0]:
                out = self._kin_columns(fixed, SLIP * KIN)
                if stem(fixed) in self._columns:
                    out[stem(fixed)] = SLIP
                if out:
                    self._slips[word] = fixed
        out.pop(own, None)
        return tuple(sorted(out.items()))

    def slip(self, word: str) -> str | None:
        """The word a misspelt request word is read as (``related``'s slip), or None for a word read as typed."""
        self.related(word)
        return self._slips.get(word)

    def read(self, text: str) -> str | None:
        """The request as meant: each slip (``slip``) written as the word it slips from, the rest folded as typed;
        None when it holds no slip."""
        folded = fold(text)
        out, changed = [], False
        for piece in re.split(r"([a-z][a-z0-9]*)", folded):  # the pieces lexical.tokens reads as words
            fixed = self.slip(piece) if piece.isalpha() and piece not in FILLER else None
            out.append(fixed or piece)
            changed |= fixed is not None
        return "".join(out) if changed else None
