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

``RatedKinds`` reads the same question from the records' typed ratings rather than their names: "a buck converter
that takes 400 V in" (every step-down converter takes at most 40 V), "a 10000 mAh lipo" (the cells hold up to
2.6 Ah), "a stepper driver for 8 A" (4 A at most). The kind here is what a part does: the parts that provide any of
the first part's capability slugs. A rating counts only where it is a limit the part is made to (a voltage it takes
in or blocks, a current it gives or carries, a charge it holds, a power it gives or sheds), never the operating
point of a load (a relay's 5 V coil says nothing of the 230 V its contacts switch).
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

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


# typed ratings that state a limit: a voltage the part takes in or blocks; a current it gives or carries (a source's
# nominal or output voltage is a set point, not a limit: a USB-C trigger set to 12 V gives 20 V as well)
LIMIT_VOLTS = ("v_in_max", "vds_max", "vce_max", "vr_max")
LIMIT_AMPS = ("i_out_max", "id_max", "ic_max", "if_max")
# how far past a part's typed limit a request must go before that part is ruled out: a rating is a round figure
# (a 48 V bank is past a 40 V input; 12 V is not past a 12 V supply's own figure, whatever its tolerance)
OVER = 1.1
_SCALE = {"v": ("v", 1.0), "a": ("a", 1.0), "ma": ("a", 1e-3), "w": ("w", 1.0), "mah": ("ah", 1e-3)}


def rated_limits(ratings) -> dict[str, float]:
    """The limits a part's typed ratings state, per base unit (v, a, ah, w); a unit the ratings leave unsaid is
    absent (a relay's switched volts)."""
    if ratings is None:
        return {}
    out: dict[str, float] = {}
    volts = [float(v) for v in (getattr(ratings, f, None) for f in LIMIT_VOLTS) if v]
    amps = [float(a) for a in (getattr(ratings, f, None) for f in LIMIT_AMPS) if a]
    if volts:
        out["v"] = max(volts)
    if amps:
        out["a"] = max(amps)
    if getattr(ratings, "capacity_ah", None):
        out["ah"] = float(ratings.capacity_ah)
    watts = [float(ratings.power_max)] if getattr(ratings, "power_max", None) else []
    if volts and amps:
        watts.append(max(volts) * max(amps))
    if watts:
        out["w"] = max(watts)
    return out


def asked_amounts(asked: Iterable[str]) -> list[tuple[str, float]]:
    """(base unit, amount) of each rating a request asks ("400v" -> ("v", 400.0), "10000mah" -> ("ah", 10.0))."""
    out = []
    for value in asked:
        m = _UNIT.match(value)
        if m and m.group(1) in _SCALE:
            unit, factor = _SCALE[m.group(1)]
            out.append((unit, float(value[: -len(m.group(1))]) * factor))
    return out


def kin_slugs(a: str, b: str) -> bool:
    """Whether two capability slugs name one kind of thing: they agree on all their words but the last qualifier of
    the longer one at most ("step-down" and "step-down-compact", "regulate-5v" and "regulate-3v3", "wall-power-12v"
    and "wall-power-24v"), and on one word at least."""
    x, y = a.split("-"), b.split("-")
    common = 0
    for p, q in zip(x, y):
        if p != q:
            break
        common += 1
    return common >= max(1, min(len(x), len(y)) - 1)


class RatedKinds:
    """Per part, the limits its typed ratings state and the capability slugs it provides (its kind by what it does)."""

    def __init__(self, records: Iterable):
        self._limits: dict[str, dict[str, float]] = {}
        self._slugs: dict[str, frozenset[str]] = {}
        self._providers: dict[str, set[str]] = {}
        self._converts: dict[str, bool] = {}
        self._kin: dict[str, set[str]] = {}  # slug -> the slugs of its family, found on first use
        for rec in records:
            ratings = getattr(rec, "ratings", None)
            self._limits[rec.key] = rated_limits(ratings)
            self._converts[rec.key] = bool(ratings is not None and ratings.v_in_max
                                           and (ratings.v_out or ratings.v_out_adjustable))
            slugs = frozenset(c.capability for c in getattr(rec, "provides", None) or [])
            self._slugs[rec.key] = slugs
            for slug in slugs:
                self._providers.setdefault(slug, set()).add(rec.key)

    def same_kind(self, key: str) -> set[str]:
        """The parts that provide any capability ``key`` provides, or one of its family (``kin_slugs``), itself
        included."""
        out = {key}
        for slug in self._slugs.get(key, ()):
            if slug not in self._kin:
                self._kin[slug] = {other for other in self._providers if kin_slugs(slug, other)}
            for other in self._kin[slug]:
                out |= self._providers[other]
        return out

    def converts(self, key: str) -> bool:
        """Whether a part is a regulator or converter by its typed ratings (an input limit beside an output)."""
        return self._converts.get(key, False)

    def beyond(self, asked: Iterable[str], best: str, first: Sequence[str] = ()) -> bool:
        """Whether a rating the request asks of the wanted part (``asked``: canonical values, context values set
        aside) is past the typed limit of the first part and of every part of its kind, and of the other parts
        ranked first (``first``) as well, among those whose ratings state that unit at all. The first part must
        state it: a part whose ratings are silent may have it."""
        amounts = asked_amounts(asked)
        if not amounts:
            return False
        own = self._limits.get(best, {})
        pool = self.same_kind(best) | set(first)
        for unit, amount in amounts:
            if unit not in own or own[unit] * OVER >= amount:
                continue
            if all(self._limits.get(k, {}).get(unit, 0.0) * OVER < amount
                   for k in pool if unit in self._limits.get(k, {})):
                return True
        return False
