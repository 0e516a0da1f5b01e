"""Lexical matching of part requests: part numbers, names and aliases, typos.

What embeddings are bad at, this module is good at:
- exact part numbers anywhere in a request, case- and punctuation-insensitive
  (``IRLZ44N``, ``ssd1306``, ``hc-sr04`` = ``HCSR04`` = ``HC SR04``), with a trailing
  package/grade letter tolerated (``IRLZ44`` finds ``IRLZ44N``) but never a different digit
  (``BMP180`` is not ``BMP280``);
- a whole request that is a part's key, name or alias;
- misspelled names (rapidfuzz ratio against every key, name and alias);
- which words of a request the library has never heard of (``velodyne``), and which part
  numbers it does not know (``TMP117``) - the out-of-distribution evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from rapidfuzz import fuzz, process

if TYPE_CHECKING:  # pragma: no cover
    from knowledge.library import Library

# Words that carry no part identity in a request.
FILLER = frozenset(
    """a an the i i'm im need needs want wants wanted some any for my me to of with and or in on
    that which is it its this use using used can could would should like get please find looking
    look something thing things one part parts component components device devices kind type sort
    what whats good cheap small little simple project projects circuit from by at as be do does how
    into you your we our so just also about am are there here have has will very more most other
    common standard basic generic typical regular normal usual popular tiny mini""".split()
)

# Values and sizes, not identities: 10k, 4.7uf, 5mm, 12v, 3v3, 16x2, 2.4ghz, 1a, 100mah.
_VALUE = re.compile(
    r"^\d+(\.\d+)?("
    r"k|m|r|v|mv|kv|a|ma|ua|w|mw|kw|ohm|ohms|f|uf|nf|pf|mf|h|mh|uh|hz|khz|mhz|ghz|mm|cm|in|"
    r"mah|ah|wh|rpm|bit|bits|ch|channel|channels|s|ms|us|db|c|g|kg|nm|v\d+|x\d+|k\d+|r\d+|"
    r"st|nd|rd|th|pin|pins|way|d|x"
    r")?$"
)
_TOKEN = re.compile(r"\d+(?:\.\d+)?[a-z0-9]*|[a-z][a-z0-9]*")


def fold(text: str) -> str:
    """Lower case, ASCII, with the unit signs people type spelled out."""
    text = str(text).replace("µ", "u").replace("μ", "u").replace("Ω", "ohm").replace("Ω", "ohm")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.lower()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def compact(text: str) -> str:
    """``HC-SR04`` -> ``hcsr04``: the form part numbers are compared in."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def stem(tok: str) -> str:
    """A light plural/verb stem so 'sensors' meets 'sensor' and 'measures' meets 'measure'."""
    if len(tok) > 4 and not any(c.isdigit() for c in tok):
        if tok.endswith("ies"):
            return tok[:-3] + "y"
        if tok.endswith(("ches", "shes", "sses", "xes")):
            return tok[:-2]
        if tok.endswith("s") and not tok.endswith("ss"):
            return tok[:-1]
        if tok.endswith("ing") and len(tok) > 6:
            return tok[:-3]
        if tok.endswith("ed") and len(tok) > 5:
            return tok[:-2]
    return tok


def is_value(tok: str) -> bool:
    return bool(_VALUE.match(tok))


def is_part_number(tok: str) -> bool:
    """Looks like a part number: letters and digits mixed (IRLZ44N, 2n2222, 28byj), not a value."""
    has_d = any(c.isdigit() for c in tok)
    has_a = any(c.isalpha() for c in tok)
    return has_d and has_a and len(tok) >= 3 and not is_value(tok)


def content_tokens(text: str) -> list[str]:
    """The words of a request that should name or describe the part (no filler, no values)."""
    out = []
    for t in tokens(text):
        if t in FILLER or is_value(t):
            continue
        if t.isdigit() and len(t) <= 2:
            continue
        out.append(stem(t))
    return out


def _pn_forms(text: str) -> set[str]:
    """Part-number forms in a key/name/alias: pn-like tokens and joins of neighbours."""
    toks = tokens(text)
    forms: set[str] = set()
    for i, t in enumerate(toks):
        if is_part_number(t) or (t.isdigit() and len(t) >= 3):
            forms.add(t)
        for n in (2, 3):
            if i + n <= len(toks):
                joined = "".join(toks[i : i + n])
                if is_part_number(joined) and any(is_part_number(x) or x.isdigit() for x in toks[i : i + n]):
                    forms.add(joined)
    whole = compact(text)
    if len(toks) <= 3 and is_part_number(whole):
        forms.add(whole)
    return forms


LEVEL = {"key": 3, "name": 2, "alias": 1}


@dataclass
class LexicalHit:
    exact: dict[str, int] = field(default_factory=dict)      # key -> level of a whole-query match
    part_number: dict[str, float] = field(default_factory=dict)  # key -> 1.0 exact pn, 0.9 suffix-tolerant
    fuzzy: dict[str, float] = field(default_factory=dict)    # key -> best ratio 0..1 against its names
    unknown_part_numbers: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    unknown_words: list[str] = field(default_factory=list)


class LexicalIndex:
    """Names, aliases, part numbers and vocabulary of a library, for lexical matching."""

    def __init__(self, library: "Library"):
        self.exact: dict[str, dict[str, int]] = {}
        self.pn: dict[str, dict[str, int]] = {}
        self.vocab: dict[str, set[str]] = {}
        self.choices: list[str] = []
        self.choice_keys: list[str] = []
        self.names: dict[str, str] = {}
        words: set[str] = set()
        for rec in library:
            self.names[rec.key] = rec.name
            named = [(rec.key, "key"), (rec.key.replace("-", " "), "key"), (rec.name, "name")]
            named += [(a, "alias") for a in rec.aliases]
            for text, kind in named:
                c = compact(text)
                if c:
                    slot = self.exact.setdefault(c, {})
                    slot[rec.key] = max(slot.get(rec.key, 0), LEVEL[kind])
                for form in _pn_forms(text):
                    slot = self.pn.setdefault(form, {})
                    slot[rec.key] = max(slot.get(rec.key, 0), LEVEL[kind])
                norm = " ".join(tokens(text))
                if norm:
                    self.choices.append(norm)
                    self.choice_keys.append(rec.key)
            vocab: set[str] = set()
            for text in [rec.key, rec.name, rec.description, rec.typical_use, *rec.aliases]:
                for t in tokens(text):
                    vocab.add(stem(t))
                    if is_part_number(t):
                        vocab.add(t)
            for form in {f for text, _ in named for f in _pn_forms(text)}:
                vocab.add(form)
            self.vocab[rec.key] = vocab
            words |= vocab
        self.words = words
        self.word_list = sorted(words)
        self.vocab_lists = {k: sorted(v) for k, v in self.vocab.items()}
        self.pn_list = sorted(self.pn)

    # ---- matching -------------------------------------------------------------------------
    def _pn_lookup(self, form: str) -> tuple[dict[str, int], float]:
        hit = self.pn.get(form)
        if hit:
            return hit, 1.0
        # tolerate a trailing grade/package letter or two either way (irlz44 ~ irlz44n), same digits
        if len(form) >= 4 and any(c.isdigit() for c in form):
            out: dict[str, int] = {}
            for p in self.pn_list:
                if p[0] != form[0]:
                    continue
                long, short = (p, form) if len(p) > len(form) else (form, p)
                if long.startswith(short) and 0 < len(long) - len(short) <= 2 and long[len(short):].isalpha() \
                        and short[-1].isdigit() and len(short) >= 4:
                    for k, lv in self.pn[p].items():
                        out[k] = max(out.get(k, 0), lv)
            if out:
                return out, 0.9
        return {}, 0.0

    def match(self, query: str) -> LexicalHit:
        hit = LexicalHit()
        toks = tokens(query)
        # whole request = a key, name or alias (filler words dropped first)
        kept = [t for t in toks if t not in FILLER]
        for form in {compact(query), "".join(kept), "".join(kept).rstrip("s") if kept else ""}:
            if form and form in self.exact:
                for k, lv in self.exact[form].items():
                    hit.exact[k] = max(hit.exact.get(k, 0), lv)
        # part numbers anywhere in it
        explained: set[int] = set()
        for n in (3, 2, 1):
            for i in range(0, len(toks) - n + 1):
                span = toks[i : i + n]
                form = "".join(span)
                if n > 1 and not any(is_part_number(x) or x.isdigit() for x in span):
                    continue
                if n == 1 and not (is_part_number(form) or (form.isdigit() and len(form) >= 3)):
                    continue
                found, strength = self._pn_lookup(form)
                if found:
                    explained.update(range(i, i + n))
                    for k in found:
                        hit.part_number[k] = max(hit.part_number.get(k, 0.0), strength)
        for i, t in enumerate(toks):
            if i not in explained and is_part_number(t) and t not in self.words:
                hit.unknown_part_numbers.append(t)
        # typos: ratio of the cleaned request against every key/name/alias
        cleaned = " ".join(kept)
        if cleaned and self.choices:
            for _, score, idx in process.extract(
                cleaned, self.choices, scorer=fuzz.ratio, limit=25, score_cutoff=60
            ):
                k = self.choice_keys[idx]
                hit.fuzzy[k] = max(hit.fuzzy.get(k, 0.0), score / 100.0)
        hit.content = content_tokens(query)
        hit.unknown_words = [t for t in hit.content if not self.knows(t)]
        return hit

    def knows(self, word: str, key: str | None = None) -> bool:
        """Whether the library (or one part's texts) uses this word, allowing a typo in long words."""
        vocab = self.vocab.get(key, set()) if key else self.words
        if word in vocab:
            return True
        if is_part_number(word) or len(word) < 5:
            return False
        choices = self.vocab_lists.get(key, []) if key else self.word_list
        return process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=84) is not None

    def coverage(self, words: Iterable[str], key: str) -> float:
        """Fraction of the request's content words found in this part's own texts."""
        words = list(words)
        if not words:
            return 1.0
        return sum(1 for w in words if self.knows(w, key)) / len(words)
