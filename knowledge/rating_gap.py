"""Does a request ask for a kind of part the library holds, at a rating none of those parts has?

"a 12 V 10 A power supply", "a 48 V supply", "a 100 W solar panel": the library holds supplies and panels, at
other ratings (12 V 2 A, 24 V 5 A, 5 V at up to 20 A; 1 W and 3 W). Whichever of them ranks first, it is not the
thing asked for, and no other part of its kind is either: the request is for a part the library lacks. This is
narrower than ``knowledge.rating_reach`` (a quantity above every rating of the whole library): here the rating
asked is within the library's reach, but not on any part of the kind asked for.

What the request asks and what each part states come from ``knowledge.lexical``: the values the request asks of
the wanted part (context values set aside: "a relay for my 12 V pump" asks no 12 V of the relay) and, per part,
+1 when the values its names state, or the current its typed ratings carry, give them (a capacity at least as
large, a voltage equal) and -1 when they state only other values of a unit asked. Only ratings count here (volts,
amperes, watts, a charge): a resistance, a capacitance or a size is a value a generic part takes whatever its name
says. The kind of a part is the noun its name ends in (``LexicalIndex.heads``: every "... power supply", every
"... solar panel"), read from the records' names, within its record's category (an LED matrix "panel" is a display,
not a solar panel).
"""

from __future__ import annotations

import re
from typing import Mapping

# units whose value is a rating a part is made for (a supply's volts and amperes, a panel's watts, a cell's charge)
RATING_UNITS = frozenset({"v", "a", "ma", "w", "mah"})
_UNIT = re.compile(r"^\d+(?:\.\d+)?([a-z]+)$")


def rating_value(value: str) -> bool:
    """Whether a canonical value ("12v", "2.5a", "100w"; not "10k", "16x2", "0.96in") is a rating."""
    m = _UNIT.match(value)
    return bool(m) and m.group(1) in RATING_UNITS


class KindIndex:
    """The kind of each part: the noun its name ends in, as ``LexicalIndex.heads`` maps it (noun -> parts), and its
    record's category (``category``: part -> category)."""

    def __init__(self, heads: Mapping[str, set[str]], category: Mapping[str, str]):
        kinds = {(noun, category.get(key)) for noun, keys in heads.items() for key in keys}
        self._members = {kind: frozenset(k for k in heads[kind[0]] if category.get(k) == kind[1]) for kind in kinds}
        self._kind = {key: (noun, category.get(key)) for noun, keys in heads.items() for key in keys}

    def same_kind(self, key: str) -> frozenset[str]:
        """The parts of ``key``'s category whose names end in the same noun as its name (itself included; only
        itself when its name has no such noun)."""
        noun = self._kind.get(key)
        return self._members.get(noun, frozenset()) | {key} if noun else frozenset({key})


def lacks_rating(asked: set[str], fits: Mapping[str, int], best: str, kinds: KindIndex) -> bool:
    """Whether the request asks ratings (``asked``, every one a rating) that the first part ``best`` and every other
    part of its kind state otherwise (``fits``: part -> +1 gives what is asked, -1 states only other values, 0 or
    absent states none): the kind is in the library, that rating is not. A part of the kind that states no value
    of the units asked may have it, so it keeps the request in library."""
    if not asked or not all(rating_value(v) for v in asked):
        return False
    return all(fits.get(key, 0) < 0 for key in kinds.same_kind(best))
