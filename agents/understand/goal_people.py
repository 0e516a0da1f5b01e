"""How many people work a goal's input: "a quiz buzzer system for three teams", "a two player reaction game".

A thing several people take part in gives each of them an input of their own (a button per team, per player):
one input shared by all cannot tell who pressed first or whose point it was. The count is what the request
states before a noun that names people: read by meaning, the noun said as one of a kind reads as someone
ahead of something (``who_acts.is_person``), or as a group of people ahead of a group of things (a team, a
family). A count before anything else ("two digits", "three laps") is not a count of people.
"""

from __future__ import annotations

import re

from agents.rules.text import NUMBER_WORDS
from agents.understand.who_acts import is_person

__all__ = ["people_count"]

# a count a request states in words or digits, not a vague one ("a few") nor an article
_COUNTS = {w: n for w, n in NUMBER_WORDS.items() if 2 <= n <= 16 and w not in ("few", "several", "multiple", "couple",
                                                                                 "both", "dual", "twin", "pair")}
# the people a count stands before: the noun right after it, or after one word that qualifies it ("two
# young players"); a hyphen joins them as one word ("two-player")
_WORD = re.compile(r"[a-z0-9]+")
GROUP = ("a group of people", "a group of things")
GROUP_MARGIN = 0.04  # a group of people ahead of a group of things (a team, a family: not a pair, a class)
MOST = 16            # inputs on one controller's pins: a larger count is not a count of players


def people_count(text: str, embed) -> int:
    """The largest count of people the request states (1 when it states none); ``embed``: texts -> unit
    vectors (nothing is read without one)."""
    words = _WORD.findall(text.lower())
    best = 1
    for i, w in enumerate(words):
        n = _COUNTS.get(w) or (int(w) if w.isdigit() and 2 <= int(w) <= MOST else None)
        if n is None or n <= best:
            continue
        for noun in words[i + 1:i + 3]:
            try:
                if _names_people(noun, embed):
                    best = n
                    break
            except Exception:  # no embedding model here: no count is read
                return 1
    return best


def _names_people(noun: str, embed) -> bool:
    if noun.isdigit() or len(noun) < 3:
        return False
    if is_person(noun, embed):
        return True
    one = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") and len(noun) > 3 else noun
    v = embed([*GROUP, f"a {one}"])
    return float(v[2] @ v[0]) - float(v[2] @ v[1]) >= GROUP_MARGIN
