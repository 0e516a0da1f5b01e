"""Getting data somewhere: the distance a request states, and which parts' typed reach covers it.

A request may state a distance ("a plot 1.5 km away", "half a mile from the house", "800 m apart"), read here
with the units library (``circuit.quantities.metres_of``: pint). What that distance is, the records decide:

- a size: a length written straight before a word that names parts none of which carries a link ("a 10 m
  ws2812 strip", "a 0.96 inch oled") is the size of that thing, no distance to cover;
- a sensing range: when the request reads as measuring a quantity that parts sense with a typed reach (its
  measurand, ``knowledge.measurands``, is one whose capabilities carry ``Capability.range_m``) and the
  capability it fits best is such a ranged one ("notice someone 5 m from the door"), the distance is how far
  the sensor must see: sensors that see that far gain, those that fall short lose;
- a separation: otherwise, and only beyond every sensing reach the library types (no part senses that far, so
  what stands there is where the data comes from, not a target), the request asks to carry data over it: parts
  whose typed link reach (``range_m`` on a communicate capability: a radio's range, a bus's cable length) covers
  the distance gain, and links that fall short and parts with no link at all (the sensors that produce the
  data, whatever the request says about it) rank out.

Parts whose records type no reach are left alone (a cellular modem reaches wherever the network does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Container, Iterable, Mapping

from circuit.quantities import metres_of
from knowledge.lexical import NUMBER_WORDS, tokens

__all__ = ["DistanceFit", "LinkReach", "stated_distance", "REACH", "SHORT", "NO_LINK"]

REACH = 0.12     # a part whose typed reach covers the distance the request states
SHORT = 0.24     # a sensor whose typed reach falls short of how far the request asks it to see: it does not do what
                 # is asked, so it loses twice what one that sees that far gains (knowledge.stated_facts: AGAINST)
NO_LINK = 1.0    # a part with no link, or a link whose typed reach falls short, when the distance is one to carry
                 # data over: it cannot carry the data there, so it ranks out

_GLUED = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")   # "800m", "2km"
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_ONE = {"a": 1.0, "an": 1.0, "one": 1.0}
_FRACTION = {"half": 0.5, "quarter": 0.25}           # "half a mile", "a quarter mile"
_SCALE = {"hundred": 100.0, "thousand": 1000.0}      # "two hundred metres", "a thousand feet"
_SOME = {"few": 2.0, "several": 2.0, "couple": 2.0}   # "a few hundred metres": at least two hundred


def _count(toks: list[str], i: int) -> float | None:
    """The count the words ending at token ``i`` write (digits, a number word, "a"/"one", "half a", "two
    hundred", "a few hundred", "hundreds of"), or None."""
    t = toks[i] if i >= 0 else ""
    if t == "of" and i > 0 and toks[i - 1].rstrip("s") in _SCALE and toks[i - 1].endswith("s"):
        return 2.0 * _SCALE[toks[i - 1][:-1]]  # "hundreds of metres": at least two hundred
    if t in _SCALE:
        before = _count(toks, i - 1) if i > 0 and toks[i - 1] not in _SCALE else None
        return _SCALE[t] * (before or 1.0)
    if _NUMBER.match(t):
        return float(t)
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    if t in _SOME:
        return _SOME[t]
    if t in _FRACTION:
        return _FRACTION[t]
    if t in _ONE:
        before = toks[i - 1] if i > 0 else ""
        return _FRACTION.get(before, 1.0)
    return None


def stated_distance(text: str, names_size: Callable[[str], bool] = lambda w: False,
                    skip: Container[str] = ()) -> float | None:
    """The largest distance a text states, in metres, or None. ``names_size(word)``: whether a word written
    straight after a length names a thing that length is the size of (then it is no distance); ``skip``: tokens
    that are pieces of part numbers ("NEO-6M"): a number glued to a unit among them is no quantity."""
    toks = tokens(text)
    best: float | None = None
    for i, t in enumerate(toks):
        m = _GLUED.match(t)
        if m:
            if t in skip:
                continue  # a piece of a part number ("NEO-6M"), not six metres
            value, unit = float(m.group(1)), metres_of(m.group(2))
        elif i > 0 and (unit := metres_of(t)) is not None:
            value = _count(toks, i - 1)
        else:
            continue
        if unit is None or not value or value <= 0:
            continue
        if i + 1 < len(toks) and names_size(toks[i + 1]):
            continue  # "a 10 m strip", "0.96 inch oled": a size
        metres = value * unit
        best = metres if best is None else max(best, metres)
    return best


@dataclass(frozen=True)
class LinkReach:
    """The typed reach of a library's parts: of their links, and of their sensing."""

    linked: frozenset[str] = frozenset()          # parts with any link (a communicate capability)
    link_range: Mapping[str, float] = field(default_factory=dict)   # part -> farthest typed link reach, m
    sense_range: Mapping[str, float] = field(default_factory=dict)  # part -> farthest typed sensing reach, m
    sense_slugs: Mapping[str, frozenset[str]] = field(default_factory=dict)  # part -> its ranged sensing slugs

    @classmethod
    def of_records(cls, records: Iterable) -> "LinkReach":
        linked: set[str] = set()
        link: dict[str, float] = {}
        sense: dict[str, float] = {}
        slugs: dict[str, set[str]] = {}
        for rec in records:
            for cap in getattr(rec, "provides", None) or []:
                if cap.direction == "communicate":
                    linked.add(rec.key)
                    if cap.range_m:
                        link[rec.key] = max(link.get(rec.key, 0.0), float(cap.range_m))
                elif cap.direction == "sense" and cap.range_m:
                    sense[rec.key] = max(sense.get(rec.key, 0.0), float(cap.range_m))
                    slugs.setdefault(rec.key, set()).add(cap.capability)
        return cls(frozenset(linked), link, sense, {k: frozenset(v) for k, v in slugs.items()})

    @property
    def sense_reach(self) -> float:
        """The farthest any part senses, m (0 when no record types it)."""
        return max(self.sense_range.values(), default=0.0)

    @property
    def ranged_slugs(self) -> frozenset[str]:
        """The sensing capabilities some record types a reach for (sense-distance, sense-motion ...)."""
        return frozenset().union(*self.sense_slugs.values()) if self.sense_slugs else frozenset()

    def fit(self, distance: float | None, sensing: Iterable[str], keys: Iterable[str]) -> "DistanceFit":
        """How the parts (of ``keys``) fit a request that states ``distance`` metres. ``sensing``: the ranged
        sensing capabilities the request reads as asking for (then the distance is how far the sensor must see:
        the sensors with one of them that see that far gain, those that see less far lose); with none, the
        distance is a separation to carry data over when no part senses that far (the links whose typed reach
        covers it gain; a part with no link, or with a link that falls short, ranks out: it cannot carry what
        the request sends there). No change when it is neither, or when no distance is stated."""
        if distance is None:
            return DistanceFit()
        sensing = set(sensing)
        if sensing:
            return DistanceFit(distance, False, {key: REACH if self.sense_range[key] >= distance else -SHORT
                                                 for key, slugs in self.sense_slugs.items() if slugs & sensing})
        if not self.sense_range or distance <= self.sense_reach:
            return DistanceFit(distance)
        reached = frozenset(k for k, reach in self.link_range.items() if reach >= distance)
        out = {key: -NO_LINK for key in keys if key not in self.linked}
        for key in self.link_range:
            out[key] = REACH if key in reached else -NO_LINK
        return DistanceFit(distance, True, out, reached)


@dataclass(frozen=True)
class DistanceFit:
    """The distance a request states (m, or None), whether it is a separation to carry data over (``carry``:
    what the request says of the data, the quantity it measures included, is then context, not the need), the
    score change per part, and the parts whose typed link reach covers the distance."""

    distance: float | None = None
    carry: bool = False
    deltas: Mapping[str, float] = field(default_factory=dict)
    reached: frozenset[str] = frozenset()  # the parts whose typed link reach covers a distance to carry data over
