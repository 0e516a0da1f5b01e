"""How many people work a goal's input: "a quiz buzzer system for three teams", "a two player reaction game".

A thing several people take part in gives each of them an input of their own (a button per team, per player):
one input shared by all cannot tell who pressed first or whose point it was. The count is what the request
states, read by meaning:

- a count before a noun that names people: the noun said as one of a kind reads as someone ahead of something
  (``who_acts.is_person``), or as a group of people ahead of a group of things (a team, a family). A count
  before anything else ("two digits", "three laps") is not a count of people;
- people named one by one and joined ("my brother and I", "Anna, her two cousins and me"): each conjunct a
  person (or the one asking), counted with the count it states.

Whether a part is given to each of them (``per_person``) is grammar: a distributive quantifier (a closed
class: "each", "every", "per", "apiece") over people ("each of us", "per player", "for every team") or
standing alone after what is handed out ("one button each").
"""

from __future__ import annotations

import re

from agents.rules.text import NUMBER_WORDS
from agents.understand.who_acts import is_person

__all__ = ["people_count", "per_person"]

# a count a request states in words or digits, not a vague one ("a few") nor an article
_COUNTS = {w: n for w, n in NUMBER_WORDS.items() if 2 <= n <= 16 and w not in ("few", "several", "multiple", "couple",
                                                                                 "both", "dual", "twin", "pair")}
# the people a count stands before: the noun right after it, or after one word that qualifies it ("two
# young players"); a hyphen joins them as one word ("two-player")
_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[a-z0-9]+|,")
GROUP = ("a group of people", "a group of things")
GROUP_MARGIN = 0.04  # a group of people ahead of a group of things (a team, a family: not a pair, a class)
MOST = 16            # inputs on one controller's pins: a larger count is not a count of players
# the one asking, named in a list of people ("my son and I"); the words that open a conjunct's noun phrase
ASKER = {"i", "me", "myself"}
OPENERS = {"my", "our", "his", "her", "their", "your", "the", "a", "an"}
# grammar: distributive quantifiers (a closed class), the pronouns of people they range over ("each of us")
DISTRIBUTIVE = {"each", "every", "per", "apiece"}
PEOPLE_PRONOUNS = {"us", "you", "them", "we", "they"}


def people_count(text: str, embed) -> int:
    """The largest count of people the request states (1 when it states none); ``embed``: texts -> unit
    vectors (nothing is read without one)."""
    words = _WORD.findall(text.lower())
    best = 1
    try:
        for i, w in enumerate(words):
            n = _count(w)
            if n is None or n <= best:
                continue
            for noun in words[i + 1:i + 3]:
                if _names_people(noun, embed):
                    best = n
                    break
        best = max(best, _listed_people(_TOKEN.findall(text.lower()), embed))
    except Exception:  # no embedding model here: no count is read
        return 1
    return best


def per_person(text: str, embed) -> bool:
    """The request hands something to each of the people taking part: a distributive quantifier over people
    ("each of us", "a button per player", "for every team") or closing a phrase ("one button each")."""
    toks = _TOKEN.findall(text.lower())
    try:
        for i, w in enumerate(toks):
            if w not in DISTRIBUTIVE:
                continue
            after = [t for t in toks[i + 1:i + 4] if t != "of"]
            if not after or after[0] == ",":
                return True  # "one button each"
            if after[0] in PEOPLE_PRONOUNS or any(t != "," and _names_people(t, embed) for t in after[:2]):
                return True
    except Exception:  # no embedding model here
        return False
    return False


def _count(w: str) -> int | None:
    return _COUNTS.get(w) or (int(w) if w.isdigit() and 2 <= int(w) <= MOST else None)


def _listed_people(toks: list[str], embed) -> int:
    """The people a list names, each conjunct a person or the one asking ("my brother and I": 2); 1 if none."""
    best = 1
    for i, w in enumerate(toks):
        if w != "and":
            continue
        right = _conjunct(toks[i + 1:i + 4], embed)
        if right is None:
            continue
        total, j = right, i  # walk back over "X, Y and": each conjunct must name people
        while True:
            left, start = _conjunct_before(toks, j, embed)
            if left is None:
                break
            total += left
            if start > 0 and toks[start - 1] == ",":
                j = start - 1
                continue
            break
        if total > right:
            best = max(best, min(total, MOST))
    return best


def _conjunct(words: list[str], embed) -> int | None:
    """People a conjunct opening ``words`` names: "I" or "me" one, "[my] [two] sisters" its count."""
    ws = [w for w in words if w != ","]
    if not ws:
        return None
    if ws[0] in ASKER:
        return 1
    k = 1 if ws[0] in OPENERS else 0
    n = _count(ws[k]) if k < len(ws) else None
    if n is not None:
        k += 1
    if k < len(ws) and _names_people(ws[k], embed):
        return n or 1
    return None


def _conjunct_before(toks: list[str], end: int, embed) -> tuple[int | None, int]:
    """The conjunct that ends just before ``toks[end]`` (its count of people, where it starts)."""
    if end == 0 or toks[end - 1] == ",":
        return None, end
    head = toks[end - 1]
    if head in ASKER:
        return 1, end - 1
    if not _names_people(head, embed):
        return None, end
    start, n = end - 1, 1
    if start > 0 and _count(toks[start - 1]) is not None:
        start, n = start - 1, _count(toks[start - 1])
    if start > 0 and toks[start - 1] in OPENERS:
        start -= 1
    return n, start


def _names_people(noun: str, embed) -> bool:
    if noun.isdigit() or len(noun) < 3:
        return False
    if is_person(noun, embed):
        return True
    one = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") and len(noun) > 3 else noun
    v = embed([*GROUP, f"a {one}"])
    return float(v[2] @ v[0]) - float(v[2] @ v[1]) >= GROUP_MARGIN
