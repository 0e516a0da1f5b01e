"""A kind of part named as the thing to be built: "a kitchen timer", "a lap timer".

A part's kind noun (timer, counter) qualified by words the part's own record never uses (its key, name, aliases,
description and typical use) names a product built for that purpose, not the part, where the part is a building
block named for its function (a chip, a module): a 555 timer chip's record
speaks of astable and monostable timing, never of kitchens or laps, so "a kitchen timer" is a thing that counts
down and sounds, made of whatever parts that takes (``agents.understand.goal_parts``). A qualifier the record does
use ("a piezo buzzer", "a 555 timer"), a part number, a size or count, a colour or an ordinary adjective keeps the
part. Only the thing the request is about is read so: an indefinite noun phrase ("a ..."), in a request that names
no other part but a board.
"""

from __future__ import annotations

import re

from agents.rules.part_search import looks_like_part_number, record_words
from agents.rules.phrases import ARTICLES, COLOURS, COMMON_ADJECTIVES
from agents.rules.text import stem
from knowledge.record import ComponentRecord

__all__ = ["names_the_product"]

_WORD = re.compile(r"[a-z][a-z'-]*$")
# records that are a building block named for its function (a timer chip, a counter chip: record ``category``), which
# a product is named after too; a part that is itself the output, a sensor or a supply is what it names
BUILDING_BLOCKS = frozenset({"ic", "module"})


def names_the_product(phrase: str, low: str, rec: ComponentRecord) -> bool:
    """``phrase`` (a kind noun and the words before it, as the request says them) names a product, not ``rec``."""
    words = phrase.split()
    if rec.category not in BUILDING_BLOCKS:
        return False  # (a part that is itself what a person sees, hears or uses: "a garden LED" is an LED)
    if len(words) < 2 or any(looks_like_part_number(w.replace("-", "")) for w in words):
        return False
    if not re.search(r"\b(?:a|an)\s+(?:[a-z'-]+\s+){0,2}?" + r"\s+".join(re.escape(w) for w in words) + r"\b", low):
        return False  # (not the thing asked for: "the timer", "my buzzer", or a bare kind in a list)
    qualifiers = [w for w in words[:-1] if w not in ARTICLES and w not in COMMON_ADJECTIVES and w not in COLOURS
                  and _WORD.match(w) and not re.search(r"(?:ing|ed)$", w)]
    if not qualifiers:
        return False
    own = record_words(rec)
    return not any(q in own or stem(q) in own for q in qualifiers)

