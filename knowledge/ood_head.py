"""The head noun of what a request asks for: the word a part's name must hold for the request to name that part.

In an English noun phrase the last noun is the thing; the words before it say which or what for ("a gps | antenna",
"an infrared thermometer | gun", "a led light | bulb"). A request that names a library part in its modifiers and ends
its phrase on a noun none of that part's names hold asks for another thing that goes with the part (its antenna, its
horn, a whole bulb): the product reading (``knowledge.products``) is then not set aside for the part it names. The
phrase is the words before a context cue ("... | for the pump") or before "with" ("... | with an SMA plug"), else the
whole request. Grammar, not wording.
"""

from __future__ import annotations

from knowledge.lexical import (content_tokens, evidence_words, grammar_words, head_clause, is_number, is_value,
                               opening_verb, tokens)
from knowledge.products import feature_head


# determiners and relative words: past a request's first word they open another noun phrase or a clause
_DETERMINERS = frozenset("a an the this that these those its which who".split())


def _worded_as_name(query: str) -> bool:
    """No grammar word, and no determiner past the first word ("a gsm antenna", not "a motor that moves a car")."""
    return not grammar_words(query) and not any(t in _DETERMINERS for t in tokens(query)[1:])


def head_noun(query: str) -> str:
    """The last word of the thing a request asks for that is a word (letters only, no value, number or part
    number), or "" where the phrase holds none. Without a cue or "with" the whole request is the phrase only where
    it holds no grammar word (a name, "a gsm antenna"); a sentence may end on what its verb acts on ("a servo that
    turns a dial")."""
    phrase = head_clause(query) or feature_head(query) or (query if _worded_as_name(query) else "")
    words = [w for w in content_tokens(phrase) if w.isalpha()]
    return words[-1] if words else ""


def thing_asked(query: str) -> str:
    """The words that name the thing a request asks for, apart from what it is for or has: the words before a context
    cue ("a Raspberry Pi Zero | for a tiny project"), or the whole request where it is worded as a name, either cut
    before "with" ("an esp32 board | with a camera"); "" where that phrase opens with a verb (what is to be done, no
    thing: "drive | a motor for ...") or no phrase names a thing."""
    cue = head_clause(query)
    phrase = feature_head(cue or query) or cue or query
    if not cue and not _worded_as_name(phrase):
        return ""
    return "" if opening_verb(phrase) else phrase


def head_words(query: str) -> list[str]:
    """The words of the thing a request asks for where a context cue or "with" splits it from what it is for or
    has ("a Raspberry Pi Zero | for a tiny project": raspberry, pi, zero): its content words that are no value and
    no other language's grammar word; [] where nothing splits the request (the whole request is then the phrase,
    which ``OODFeatures.name_gap`` weighs for a request worded as a name)."""
    phrase = head_clause(query) or feature_head(query)
    if not phrase:
        return []
    return [w for w in evidence_words(content_tokens(phrase)) if not is_value(w) and not is_number(w)]


KIND_NAMES = 3  # records whose names use a word from which it is a word for a kind of part ("module", "board", "driver")


def kind_words(name_vocab: dict[str, set[str]], least: int = KIND_NAMES) -> frozenset[str]:
    """The words the names of ``least`` or more records use: words for a kind of part ("module", "breakout",
    "driver"), which name what a part is wherever they head a request ("a gps module"), not another thing that goes
    with it ("a gps antenna")."""
    counts: dict[str, int] = {}
    for words in name_vocab.values():
        for w in set(words):
            counts[w] = counts.get(w, 0) + 1
    return frozenset(w for w, n in counts.items() if n >= least)
