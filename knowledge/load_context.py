"""The electrical conditions a request's context sets, and which parts' typed ratings meet them.

"a 3.3 V regulator for an esp32", "npn transistor that can switch half an amp", "turn a 12 V strip on from the
arduino", "switch a 230 V heater with an esp32": the words choose a kind of part, but the facts around it decide
which of that kind fits. They are read here from the request and from the records of the parts it names:

- the current the wanted part must carry: a current the request states (read by the units library after its
  number words are read as numbers: "half an amp" is 0.5 A), or what the parts it powers draw (their records'
  peak supply current, a load's stall or rated current);
- the logic level of the board named beside it (``supply.logic_level``): a MOSFET whose gate that level cannot
  drive (its on-resistance rated at a higher gate voltage, and twice its threshold above the level) is no
  switch for that board;
- a voltage at which a mains source of the library works (a source record of kind ``mains``): alternating
  current, which only a switch with contacts (a relay's or a solid-state relay's contact pins) rated for it
  switches, not a transistor's one-way path.

``LoadFacts.of_library`` reads each part's ratings once; ``LoadFacts.adjust`` turns the conditions a request
states into a score change per part (the retriever adds it to its fused scores). Every fact is a record's typed
field; no word of a request is listed here (the few grammar words that join a fraction to its unit aside).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
from text_to_num import alpha2digit

from circuit.quantities import find_quantities
from knowledge.conversion import input_voltages, stated_voltages
from knowledge.lexical import rated_current

__all__ = ["Conditions", "LoadFacts", "stated_amounts", "number_words"]

SHORT = 0.08     # a part rated for less current than the request's load draws
UNDRIVEN = 0.15  # a MOSFET whose gate the named board's logic level cannot drive
ONE_WAY = 0.08   # a transistor's one-way switched path where alternating mains current is to be switched
CONTACTS = 0.08  # contacts rated for the mains voltage, between a board and what it switches
BRIDGE = 0.08    # an interface part that takes a signal above the named board's logic level (an optocoupler's input)
ENDS = 0.125     # the mains ends (the source, the socket) where a board is to switch mains: context, not the switch
_TOLERANCE = 0.05  # a rating within 5 % of what is asked meets it


@lru_cache(maxsize=64)
def _fraction(word: str) -> float | None:
    """The value of a fraction word ("half" 0.5, "quarter" 0.25, "third"), read from the Unicode names of the
    vulgar-fraction characters (VULGAR FRACTION ONE HALF), not from a list of our own."""
    if not word.isalpha():
        return None
    try:
        return float(unicodedata.numeric(unicodedata.lookup(f"VULGAR FRACTION ONE {word.upper()}")))
    except (KeyError, ValueError):
        return None


# a fraction with its article ("half an", "a quarter", "one and a half"): only grammar joins it to the unit
_FRACTION = re.compile(r"(?:\b(\d+(?:\.\d+)?)\s+and\s+an?\s+|\b(?:an?|one)\s+)?\b([a-z]+)(?:\s+(?:an?|of\s+an?))?\s+(?=[a-z])",
                       re.IGNORECASE)


def number_words(text: str) -> str:
    """The text with its numbers written in words as digits ("one amp" -> "1 amp", "half an amp" -> "0.5 amp",
    "one and a half amps" -> "1.5 amps"): whole numbers through text2num, fractions through Unicode's names."""
    text = alpha2digit(text, "en", threshold=0)

    def sub(m: re.Match) -> str:
        value = _fraction(m.group(2))
        if value is None:
            return m.group(0)
        whole = float(m.group(1)) if m.group(1) else 0.0
        return f"{whole + value:g} "

    return _FRACTION.sub(sub, text)


def stated_amounts(text: str, unit: str) -> list[float]:
    """Every quantity of ``unit`` ("A", "V", "W") a request states, in SI units, numbers in words included."""
    return [value for u, value in _stated(text) if u == unit]


@lru_cache(maxsize=256)
def _stated(text: str) -> tuple[tuple[str, float], ...]:
    """(unit, SI value) of every quantity a request states, read once per text (several readers ask it)."""
    return tuple((q.unit, q.value) for q in find_quantities(number_words(text)) if q.value is not None)


@dataclass(frozen=True)
class Conditions:
    """What a request's context asks of the wanted part: a current to carry (A), the logic level of the board
    that drives it (V), a mains voltage to switch (V) and the voltage it is powered from (V: a regulator must
    take it); None where the request says nothing of it."""

    current: float | None = None
    logic_level: float | None = None
    mains: float | None = None
    supply_in: float | None = None  # the voltage the request powers things from ("from a 36 V battery"), V

    @property
    def empty(self) -> bool:
        return self.current is None and self.logic_level is None and self.mains is None and self.supply_in is None


def _draw(rec) -> float:
    """What a part draws at most, A: its peak supply current, or a load's stall or rated current."""
    s, r = rec.supply, rec.ratings
    found = [getattr(s, f, None) for f in ("current_max", "current_typ")] if s is not None else []
    found += [getattr(r, f, None) for f in ("i_stall", "i_rated")] if r is not None else []
    return max((float(x) for x in found if x), default=0.0)


def _gate_need(rec) -> float | None:
    """The logic level a MOSFET's gate needs to switch its load, V: the input-high threshold of a module that
    drives the gate itself, else the gate voltage at which its on-resistance is rated or twice its threshold,
    whichever is lower; None for a part with no gate (a bipolar transistor is driven through a resistor at
    any logic level; a logic chip's input thresholds are its interface's, not a switch's)."""
    r = rec.ratings
    if r is None or not (r.vgs_th or r.rds_on_vgs):
        return None
    if rec.supply is not None and rec.supply.vih_min:
        return float(rec.supply.vih_min)
    need = [x for x in (r.rds_on_vgs, 2 * r.vgs_th if r.vgs_th else None) if x]
    return float(min(need)) if need else None


def _input_max(rec) -> float:
    """The highest input voltage a regulator or converter is rated to work from, V (its recommended supply maximum
    or its rated input maximum, whichever is lower); nan for other parts and for one rated for neither."""
    r, sup = rec.ratings, rec.supply
    if r is None or (r.v_out is None and not r.v_out_adjustable) or rec.source_kind:
        return float("nan")
    found = [x for x in ((sup.v_max if sup is not None else None), r.v_in_max) if x]
    return float(min(found)) if found else float("nan")


def _signal_volts(rec) -> float:
    """The highest voltage a part's signal side takes, V: inf for an input driven by current through a series
    resistor (an optocoupler's LED: any voltage, given the resistor), else the highest rating of its signal pins
    (logic, analog, and the passive channels a switch or multiplexer passes signals on); 0 with none rated."""
    if rec.flags is not None and rec.flags.needs_series_resistor and rec.ratings is not None and rec.ratings.if_max:
        return float("inf")
    rated = [float(p.v_max) for p in rec.pins if p.v_max and p.type in ("digital_in", "digital_out", "digital_io",
                                                                         "analog_in", "analog_out", "passive")]
    return max(rated, default=0.0)


def _contact_volts(rec) -> float:
    """The voltage a part's switching contacts are rated for (relay or solid-state relay contact pins), 0 if none."""
    return max((float(p.v_max or 0.0) for p in rec.pins if any(f.startswith("contact") for f in p.functions)),
               default=0.0)


def _one_way(rec) -> bool:
    """A switch whose switched path conducts one way only (a bipolar transistor's collector, a MOSFET's drain)."""
    r = rec.ratings
    return r is not None and bool(r.vce_max or r.vds_max) and not _contact_volts(rec)


@dataclass
class LoadFacts:
    """Per part of a library (in the order of ``keys``): the typed facts the conditions are checked against."""

    keys: list[str]
    carries: np.ndarray    # the current its ratings carry, A (nan: not rated)
    gate_need: np.ndarray  # the logic level its control input needs, V (nan: no such input)
    contacts: np.ndarray   # the voltage its switching contacts are rated for, V (0: none)
    one_way: np.ndarray    # a transistor's one-way switched path
    switch_volts: np.ndarray  # the voltage a transistor's switched path withstands, V (0: none)
    converter: np.ndarray  # a regulator or converter (an output voltage rating)
    input_max: np.ndarray  # the highest input a regulator or converter is rated to take, V (nan: not rated)
    rated: np.ndarray      # the voltage a load or a power part is rated at, V (0: none): a motor's, a socket's
    is_power: np.ndarray   # a power part (a source, a socket, a regulator)
    interface: np.ndarray  # a part with a capability that joins signals (direction "interface")
    signal_volts: np.ndarray  # the highest voltage its signal pins take, V (inf: a current-driven input, an LED's)
    draw: dict[str, float]         # what each part draws at most, A
    level: dict[str, float]        # each board's logic level, V
    power: frozenset[str]          # power parts (sources, sockets, regulators): what a load is powered from
    mains: list[tuple[float, float]]  # the voltage ranges of the library's mains sources
    supply_range: dict[str, tuple[float, float]]  # the supply voltages each part works from (lowest, highest), V
    outputs: list[float]           # the fixed output voltages of the library's regulators and converters, V

    @classmethod
    def of_library(cls, library, keys: Sequence[str], boards: Iterable[str]) -> "LoadFacts":
        recs = [library[k] for k in keys]
        boards = set(boards)
        return cls(
            keys=list(keys),
            carries=np.asarray([np.nan if (c := rated_current(r)) is None else c for r in recs], dtype=np.float64),
            gate_need=np.asarray([np.nan if (g := _gate_need(r)) is None else g for r in recs], dtype=np.float64),
            contacts=np.asarray([_contact_volts(r) for r in recs], dtype=np.float64),
            one_way=np.asarray([_one_way(r) for r in recs], dtype=bool),
            switch_volts=np.asarray([float((r.ratings.vce_max or r.ratings.vds_max or 0.0) if r.ratings else 0.0)
                                     for r in recs], dtype=np.float64),
            converter=np.asarray([r.ratings is not None and (r.ratings.v_out is not None or r.ratings.v_out_adjustable)
                                  and not r.source_kind for r in recs], dtype=bool),
            input_max=np.asarray([_input_max(r) for r in recs], dtype=np.float64),
            interface=np.asarray([any(c.direction == "interface" for c in (r.provides or [])) for r in recs], dtype=bool),
            signal_volts=np.asarray([_signal_volts(r) for r in recs], dtype=np.float64),
            rated=np.asarray([float(r.ratings.v_rated or 0.0) if r.ratings is not None else 0.0 for r in recs]),
            is_power=np.asarray([bool(r.source_kind) or r.category == "power" for r in recs], dtype=bool),
            draw={r.key: _draw(r) for r in recs},
            level={r.key: float(r.supply.logic_level) for r in recs
                   if r.key in boards and r.supply is not None and r.supply.logic_level},
            power=frozenset(r.key for r in recs if r.source_kind or r.category == "power"),
            mains=[(float(r.supply.v_min), float(r.supply.v_max)) for r in recs
                   if r.source_kind == "mains" and r.supply is not None and r.supply.v_min and r.supply.v_max],
            supply_range={r.key: (float(r.supply.v_min), float(r.supply.v_max)) for r in recs
                          if r.supply is not None and r.supply.v_min and r.supply.v_max},
            outputs=sorted({float(r.ratings.v_out) for r in recs if r.ratings is not None and r.ratings.v_out
                            and not r.ratings.v_out_adjustable and r.ratings.v_out > 0}),
        )

    def beyond_first(self, query: str, first: Sequence[str]) -> bool:
        """Whether the request states a current or a voltage beyond the ratings of every one of its first parts,
        each a part that carries a load (a switch, a regulator or converter) and rated for it: "a solid state relay
        for a 100 A heater" (40 A contacts, 10 A relays beside it), "a logic level mosfet rated for 400 V", "a
        buck converter from 60 V" (regulators and converters, none taking 60 V in). The library holds parts of
        that kind, not one that meets the rating: a part it lacks."""
        pos = {k: i for i, k in enumerate(self.keys)}
        idx = [pos[k] for k in first if k in pos]
        if not idx:
            return False
        idx = np.asarray(idx, dtype=np.intp)
        if not (self.converter[idx] | self.one_way[idx] | (self.contacts[idx] > 0)).all():
            return False
        amps = stated_amounts(query, "A")
        carries = self.carries[idx]
        if amps and not np.isnan(carries).any() and (carries * (1 + _TOLERANCE) < max(amps)).all():
            return True
        ins = input_voltages(query)
        takes = self.input_max[idx]
        if ins and self.converter[idx].all() and not np.isnan(takes).any() and (takes < max(ins)).all():
            return True
        volts = stated_amounts(query, "V")
        withstand = np.where(self.contacts[idx] > 0, self.contacts[idx], self.switch_volts[idx])
        switching = (self.one_way[idx] | (self.contacts[idx] > 0)).all()
        return bool(volts and switching and (withstand > 0).all() and (withstand * (1 + _TOLERANCE) < max(volts)).all())

    def load_ends(self, pairs: Sequence[tuple[float, float]], named: Iterable[str]) -> set[str]:
        """The parts a request names that a conversion it states feeds: no converter or power part, each works
        from a pair's output voltage and not from its input ("a 3v3 regulator to run an esp-01 off 5 volts": the
        ESP-01's record takes 3.0-3.6 V): the load at the conversion's far end, not the part wanted."""
        out = set()
        for key in named:
            if key in self.power or key not in self.supply_range:
                continue
            lo, hi = self.supply_range[key]
            if any(lo <= v_out <= hi and not lo <= v_in <= hi for v_in, v_out in pairs):
                out.add(key)
        return out

    def implied_pairs(self, query: str, named: Iterable[str]) -> list[tuple[float, float]]:
        """The conversions a request implies by powering a part it names from a voltage that part does not work
        from ("a sim800l from 12 V": its record takes 4.5-5.5 V; "run an esp32 from a 24 volt line"): (input,
        output) pairs, the output the lowest fixed regulator voltage inside the part's supply range (the least
        power lost on the way), or the lowest voltage of that range where no fixed regulator gives one.
        [] where the request states the output itself, or the part works from the input as it is."""
        if len(stated_voltages(query)) != 1:
            return []
        ins = input_voltages(query)
        if len(ins) != 1:
            return []
        v_in = ins[0]
        pairs: list[tuple[float, float]] = []
        for key in named:
            if key in self.power or key not in self.supply_range:
                continue
            lo, hi = self.supply_range[key]
            if lo <= v_in <= hi:
                return []  # it works from the supply as it is: nothing to convert
            v_out = min((v for v in self.outputs if lo <= v <= hi), default=lo)
            if (v_in, v_out) not in pairs:
                pairs.append((v_in, v_out))
        return pairs

    def conditions(self, query: str, named: Iterable[str], loads: Iterable[str] = ()) -> tuple[Conditions, float]:
        """The conditions a request states or implies, and the most that any part it names draws (A: what a
        regulator powering it must give; a word may name several boards, "esp32", one of which is meant).
        ``named``: every part the request names as its context (boards included); ``loads``: those the wanted
        part works on or serves, not the boards that drive it. Power parts (supplies, sockets, regulators) are
        what a load is powered from, never a load."""
        named = [k for k in named if k in self.draw and k not in self.power]
        amps = stated_amounts(query, "A")
        volts = stated_amounts(query, "V")
        load = max([self.draw[k] for k in loads if k in self.draw and k not in self.power and k not in self.level]
                   + amps, default=0.0)
        mains = max((v for v in volts if any(lo * (1 - _TOLERANCE) <= v <= hi * (1 + _TOLERANCE)
                                             for lo, hi in self.mains)), default=None)
        cond = Conditions(current=load or None,
                          logic_level=min((self.level[k] for k in named if k in self.level), default=None),
                          mains=mains, supply_in=max(input_voltages(query), default=None))
        return cond, max([self.draw[k] for k in named] + amps, default=0.0)

    def adjust(self, query: str, named: Iterable[str], loads: Iterable[str] = (),
               skip: Iterable[str] = (), signal: bool = False) -> np.ndarray:
        """The score change per part for the conditions a request sets (``named``, ``loads``: as for
        ``conditions``; ``skip``: parts already ranked down for falling short of a current their names state;
        ``signal``: the request reads as carrying a signal, not as acting on a load or moving power)."""
        out = np.zeros(len(self.keys), dtype=np.float32)
        cond, powered = self.conditions(query, named, loads)
        if signal and cond.logic_level is not None and cond.mains is None:
            # a signal at a voltage above the board's logic level, not a supply it is powered from ("a 24 V PLC
            # output on an esp32 pin"): an interface part whose signal side takes it bridges the two; one whose
            # signal pins are rated below it would take the high voltage on a pin
            high = [v for v in stated_amounts(query, "V") if v > cond.logic_level * (1 + _TOLERANCE) * 2]
            high = [v for v in high if v not in input_voltages(query)]
            if high and len(stated_voltages(query)) == 1:
                v = max(high)
                out[self.interface & (self.signal_volts >= v)] += BRIDGE
                out[self.interface & (self.signal_volts > 0) & (self.signal_volts < v)] -= BRIDGE
        if cond.empty and not powered:
            return out
        need = np.where(self.converter, powered, cond.current or 0.0)
        with np.errstate(invalid="ignore"):
            short = (need > 0) & (self.carries * (1 + _TOLERANCE) < need)
        for key in skip:
            if key in self.draw:
                short[self.keys.index(key)] = False
        out[short] -= SHORT
        if cond.supply_in is not None:
            with np.errstate(invalid="ignore"):
                out[self.input_max < cond.supply_in] -= SHORT  # a maximum input: no tolerance past it
        if cond.logic_level is not None:
            with np.errstate(invalid="ignore"):
                out[self.gate_need > cond.logic_level * (1 + _TOLERANCE)] -= UNDRIVEN
        if cond.mains is not None:
            # alternating mains: a transistor's one-way path does not switch it, and a load rated far below it
            # (a 12 V pump, a small DC motor) is not the load the request names at that voltage
            out[self.one_way] -= ONE_WAY
            low = (self.rated > 0) & (self.rated * (1 + _TOLERANCE) < cond.mains) & (self.contacts == 0)
            out[low & ~self.is_power] -= ONE_WAY
            if cond.logic_level is not None:
                # a board and a mains load: what joins them is wanted, contacts rated for it; the mains source
                # and the socket at that voltage are the two ends
                out[self.contacts * (1 + _TOLERANCE) >= cond.mains] += CONTACTS
                out[self.is_power & ~self.converter & (self.rated * (1 + _TOLERANCE) >= cond.mains)] -= ENDS
        return out
