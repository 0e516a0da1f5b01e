"""Ratings a request states for its parts, read with the units reading (:mod:`circuit.quantities`):

- the current a named load draws ("a 3 A motor", "a pump that pulls 8 A", "an LED at 60 mA"): the part's
  ``current`` attribute, the quantity beside its mention in the same clause;
- the current the request's own supply gives ("a 12 V 1 A adapter", "5 V 500 mA supply"): the source's
  ``max_current``, or the ``amps`` target of the power need read from those words;
- the voltage a named converter takes in, when the request states its output and one other voltage on the
  side it converts from ("LM2596 taking 48 V down to 5 V", "800 V DC to 12 V buck"): the source voltage.

The requirement gate holds the design to both (:mod:`circuit.rating_gate`): the parts on a load's path must be
rated for its current, the parts that take the design's input for its voltage.
"""

from __future__ import annotations

import re

from agents.rules.power_tree import converter_kind, is_converter, is_source
from agents.rules.text import normalize, voltages
from agents.understand.requirements import PowerSource, Requirements
from circuit.quantities import find_quantities
from knowledge.library import Library

__all__ = ["read_part_currents", "read_converter_input", "read_supply_current", "beyond_rating"]

CLAUSE_BREAK = re.compile(r"[,;.!?()]|\band\b|\bor\b|\bwith\b")
WORDS_AFTER = 2   # "a 3 A [dc] motor": the quantity qualifies the part named right after it
WORDS_BEFORE = 3  # "a motor [that draws] 3 A", "an LED [at] 60 mA": or the part just before it
PAIRED_VOLTS = re.compile(r"\d\s?v\b\s*$")  # a voltage just before the current: the two rate one thing


# "three heater pads, each taking 2 A": a comma then "each" says what every one of the parts just named does
EACH = re.compile(r"^([^,;.!?()]*),\s*each\b")


def _gap_words(low: str, a: int, b: int) -> int | None:
    """Words between two positions, None when a clause break lies between them (but a comma opening what each of
    the parts just named does: that says more of them)."""
    gap = low[a:b]
    each = EACH.match(gap)
    if each is not None:
        gap = each.group(1) + gap[each.end():]
    if CLAUSE_BREAK.search(gap):
        return None
    return len(gap.split())


def _currents(text: str, low: str) -> list[tuple[float, int, int]]:
    """(amps, start, end) of the currents ``text`` states, placed in ``low`` (its normalized form, where the
    mentions are): units are read in the request's own case ("60 mA" is not "60 ma")."""
    out, cursor = [], 0
    for q in find_quantities(text):
        at = low.find(normalize(q.raw), cursor)
        if at < 0:
            continue
        cursor = at + len(normalize(q.raw))
        if q.unit == "A" and not q.is_range and q.value > 0:
            out.append((q.value, at, cursor))
    return out


OUT_OF_REACH = 2.0  # a stated current or power this many times a load's rating names another, bigger thing


def beyond_rating(words: str, rec) -> str | None:
    """What in a part's own words ("a 2 kW immersion heater", "a 30 A motor") states a current or a power far past
    the rated figures of the load record they read as (``ratings.i_rated``, and ``v_rated`` x ``i_rated`` for
    the power): those words name a bigger thing of the same kind, not that record. None when nothing does."""
    amps, volts = rec.ratings.i_rated, rec.ratings.v_rated
    for q in find_quantities(words):
        if q.value <= 0 or q.is_range:
            continue
        if q.unit == "A" and amps and q.value > OUT_OF_REACH * amps:
            return f"{q.raw.strip()} is past its {amps:g} A rating"
        if q.unit == "W" and amps and volts and q.value > OUT_OF_REACH * amps * volts:
            return f"{q.raw.strip()} is past its {amps * volts:g} W rating"
    return None


def read_part_currents(text: str, low: str, named: list, lib: Library) -> None:
    """Each current the request states goes to the named part beside it (``attrs['current']``), when that part
    is a load: a source's or a controller's own figure ("a 5 A supply") says what it gives, not what it draws."""
    for amps, start, end in _currents(text, low):
        if any(m.char_start <= start and end <= m.char_end for m, _ in named):
            continue  # inside a part's own words ("a 5v 2a adaptor"): that part's figure, read with it
        after = [(n, m, p) for m, p in named if m.char_start >= end
                 and (n := _gap_words(low, end, m.char_start)) is not None and n <= WORDS_AFTER]
        # (not across a voltage: "a strip on a 5v 2a adaptor", the pair rates what is named after it)
        before = [(n, m, p) for m, p in named if m.char_end <= start
                  and (n := _gap_words(low, m.char_end, start)) is not None and n <= WORDS_BEFORE
                  and not PAIRED_VOLTS.search(low[m.char_end:start])]
        pick = min(after, key=lambda x: x[0]) if after else min(before, key=lambda x: x[0]) if before else None
        if pick is None:
            continue
        _, _, part = pick
        rec = lib[part.key]
        if is_source(rec) or is_converter(rec) or rec.is_mcu or "current" in part.attrs:
            continue
        part.attrs["current"] = f"{amps:g} A"


def read_converter_input(text: str, req: Requirements, lib: Library) -> None:
    """A request with no source read that names one converter, states its output, and states one other voltage
    on the side it converts from (above the output for a step-down or a regulator, below it for a step-up):
    that voltage is what the design runs from."""
    c = req.constraints
    if c.source is not None:
        return
    converters = [p for p in req.named_parts if is_converter(lib[p.key]) and converter_kind(lib[p.key]) != "charger"]
    if len(converters) != 1 or "voltage" not in converters[0].attrs:
        return
    try:
        out = float(str(converters[0].attrs["voltage"]).split()[0])
    except ValueError:
        return
    kind = converter_kind(lib[converters[0].key])
    known = {out, c.load_volts, c.logic_volts}
    others = {round(v, 3) for v, _ in voltages(text) if not any(k is not None and abs(v - k) < 0.05 for k in known)}
    if len(others) != 1:
        return
    volts = next(iter(others))
    if (kind == "boost" and volts < out) or (kind in ("buck", "linear") and volts > out):
        c.source = PowerSource(volts=volts, words=f"{volts:g} V")


def read_supply_current(text: str, req: Requirements, lib: Library) -> None:
    """A current stated inside the words that name the request's supply ("a 12 V 1 A adapter") is what that
    supply gives: the source's ``max_current``, or the ``amps`` target of a power need read from those words.
    A current that is a named load's own (its ``current`` attribute) is not the supply's."""
    low = normalize(text)
    loads = {round(a, 6) for p in req.named_parts if (a := _amps(p.attrs.get("current"))) is not None}
    src = req.constraints.source
    spans: list[tuple[int, int, object]] = []
    if src is not None and src.words:
        # (the words as said or as the reading wrote them: "12V" and "12 V" are one figure)
        said = re.sub(r"(?<=\d)\\ (?=[a-z])", r"\\s?", re.escape(normalize(src.words)))
        for m in re.finditer(said, low):
            # "a 12 V 1 A adapter", "12 V 2 A": the figures just around the words that name it, in its clause
            a, z = max(0, m.start() - 24), min(len(low), m.end() + 8)
            a += max((b.end() for b in CLAUSE_BREAK.finditer(low[a:m.start()])), default=0)
            z = m.end() + min((b.start() for b in CLAUSE_BREAK.finditer(low[m.end():z])), default=z - m.end())
            spans.append((a, z, src))
    for n in req.needs:
        if n.words and any(c.direction == "power" for r in lib for c in r.provides if c.capability == n.capability):
            for m in re.finditer(re.escape(normalize(n.words)), low):
                spans.append((m.start(), m.end(), n))
    for amps, start, end in _currents(text, low):
        if round(amps, 6) in loads:
            continue
        for a, z, owner in spans:
            if a <= start and end <= z:
                if owner is src and src.max_current is None:
                    src.max_current = amps
                elif owner is not src and "amps" not in owner.target:
                    owner.target["amps"] = amps
                break


def _amps(value) -> float | None:
    try:
        return float(str(value).split()[0]) if value is not None else None
    except ValueError:
        return None
