"""Heat: whether a part carries the current a request states in free air, only on a heatsink, or not at all.

"switch 5 A without a heatsink", "5 V at 1 A from a 12 V battery", "a transistor for a 4 A heater that stays
cool": the words pick a kind of part; what decides among that kind is the heat each one makes at the stated
current and how much of it its package sheds. Both are read from the records' typed fields, never from their
texts:

- the power a part turns into heat at a current ``I`` (``dissipation``): a MOSFET's I² x ``rds_on`` (its 25 °C
  maximum, times ``HOT`` for the warmer junction it runs at), a bipolar transistor's I x ``vce_sat``, a linear
  regulator's (V_in - V_out) x I when the request states the conversion;
- the power its package sheds (``sheds``): (``t_j_max`` - ambient) / ``theta_ja`` in still air with no
  heatsink, and, for a package a heatsink bolts to (``theta_jc`` set), (``t_j_max`` - ambient) / (``theta_jc``
  + ``SINK``) on a modest heatsink. The ambient is a temperature the request states in degrees Celsius (the
  units library, pint: "in a 60 °C enclosure"), else 25 °C, the figure the datasheets rate at.

A switching converter module makes little heat; its records type the current it carries as sold, with no
heatsink added (``i_free_air``), which a stated current is read against instead.

A part that sheds its heat in free air fits (``FREE``; less where its heat uses more than half its junction's
headroom, ``COOL``: a part near its limit runs hot, one far from it runs cool); one that needs a heatsink there fits less (``NEEDS_SINK``:
the request may not have room or wish for one, and when its words refuse a heatsink or heat, ``HEAT_GLOSSES``
read by ``knowledge.word_senses``, or ask it to run cool, it does not fit at all); one that cannot shed it even on a heatsink (a SOT-223 regulator dropping 7 V at 1 A, a
Darlington's 2 V saturation at 5 A) does not do what is asked (``BURNS``). A part whose records type no thermal
figure, or no loss at that current (a switching module, a relay), is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from circuit.quantities import find_quantities

__all__ = ["HeatFacts", "HeatFit", "dissipation", "refuses_heat", "sheds", "stated_ambient", "HEAT_GLOSSES", "COOL", "FREE",
           "FREE_ASKED", "NEEDS_SINK", "BURNS"]

HOT = 1.5       # a MOSFET's on-resistance at a working junction (100-150 °C) over its 25 °C figure: the datasheets'
                # normalised RDS(on) curves read 1.5-1.8 there
SINK = 5.5      # case to air through a modest bolt-on heatsink, °C/W: 0.5 greased case-to-sink (the IRF540N
                # datasheet's RthCS) plus 5 for a small finned TO-220 heatsink
AMBIENT = 25.0  # °C: the datasheets' rating ambient, when the request states none
COOL = 0.5      # a part whose heat leaves this share of its junction's headroom (ambient to its limit) unused runs cool
                # in free air; one nearer its limit runs hot (a SOT-23 MOSFET at 5 A keeps a tenth of it)
FREE = 0.06        # sheds its heat at the stated current in free air
FREE_ASKED = 0.15  # ... where the request's words refuse a heatsink or heat: a typed fact meets the stated need
NEEDS_SINK = 0.1   # needs a heatsink at it (the request did not ask for one)
BURNS = 0.25       # cannot shed it even on a heatsink, or needs one where the request asks for none

# a heatsink and the heat it takes away, in a few words: a request whose words refuse them ("without a heatsink",
# "it must not get hot", read by ``knowledge.word_senses``) asks for a part that sheds its heat in free air
HEAT_GLOSSES = {"heat": ("a heatsink", "getting hot"),
                # ... and staying cool, asked: a request whose words ask a part to run cool asks the same
                "cool": ("cool", "stays cold")}
_AMBIENT_RANGE = (-40.0, 125.0)  # a temperature a part's surroundings can be (°C); others are no ambient


def dissipation(rec, amps: float, drop: float | None = None) -> float | None:
    """The heat a part makes carrying ``amps`` (W), from its typed ratings; ``drop``: the voltage a linear regulator
    drops (input minus output). None when its records type no loss for it."""
    r = getattr(rec, "ratings", None)
    if r is None or amps <= 0:
        return None
    if r.rds_on:
        return amps * amps * float(r.rds_on) * HOT
    if r.vce_sat:
        return amps * float(r.vce_sat)
    if getattr(rec, "conversion", None) == "linear" and drop is not None and drop > 0:
        return amps * drop
    return None


def sheds(rec, ambient: float = AMBIENT, heatsink: bool = False) -> float | None:
    """The heat a part's package carries away at ``ambient`` °C before its junction reaches its limit (W): in still
    air, or on a modest heatsink when one bolts to it (``heatsink``; a package without ``theta_jc`` takes none, so
    it sheds what it does in free air). None when its records type no thermal figure."""
    r = getattr(rec, "ratings", None)
    if r is None or not r.theta_ja or not r.t_j_max:
        return None
    headroom = float(r.t_j_max) - ambient
    if headroom <= 0:
        return 0.0
    if heatsink and r.theta_jc:
        return headroom / (float(r.theta_jc) + SINK)
    return headroom / float(r.theta_ja)


def refuses_heat(asked: Iterable[str], refused: Iterable[str]) -> bool:
    """Whether a request's words (read against ``HEAT_GLOSSES``: the values asked, those refused) refuse a heatsink
    or heat ("without a heatsink", "must not get hot") or ask the part to run cool ("stays cool")."""
    return "heat" in set(refused) or "cool" in set(asked)


def stated_ambient(text: str) -> float:
    """The temperature of the surroundings a request states (°C, the largest within what surroundings can be),
    else ``AMBIENT``."""
    temps = [q.value for q in find_quantities(text) if q.unit == "°C" and q.value is not None
             and _AMBIENT_RANGE[0] <= q.value <= _AMBIENT_RANGE[1]]
    return max(temps) if temps else AMBIENT


@dataclass(frozen=True)
class HeatFit:
    """The current (A) and ambient (°C) a request states, the score change per part, and per part the verdict:
    "free" (sheds its heat in free air), "sink" (only on a heatsink), "burns" (not even on one)."""

    amps: float | None = None
    ambient: float = AMBIENT
    deltas: Mapping[str, float] = field(default_factory=dict)
    verdicts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HeatFacts:
    """The parts of a library whose records type what they dissipate and shed (the rest are never changed)."""

    records: Mapping[str, object]

    @classmethod
    def of_records(cls, records: Iterable) -> "HeatFacts":
        return cls({rec.key: rec for rec in records
                    if sheds(rec) is not None or getattr(getattr(rec, "ratings", None), "i_free_air", None)})

    def verdict(self, key: str, amps: float, ambient: float = AMBIENT,
                pairs: Sequence[tuple[float, float]] = ()) -> str | None:
        """"free", "sink" or "burns" for one part carrying ``amps`` (a linear regulator through the conversions
        ``pairs`` states: (input, output) V, the least heat of them; with no conversion stated, a transistor
        switching it), None when no loss is typed for it."""
        judged = self.judge(key, amps, ambient, pairs)
        return judged[0] if judged else None

    def judge(self, key: str, amps: float, ambient: float = AMBIENT,
              pairs: Sequence[tuple[float, float]] = ()) -> tuple[str, float] | None:
        """The verdict for one part (``verdict``) and, for one that sheds its heat in free air, the share of its
        junction's headroom that heat leaves unused (1 - loss / what its package sheds, 0..1: a TO-220 MOSFET
        at 1 W of its 2.4 W keeps 0.6, a SOT-23 at 1.1 W of its 1.25 W runs near its limit and keeps 0.1); a
        switching module within the current it carries as sold makes little heat and keeps 1. None when no
        loss is typed for it."""
        rec = self.records.get(key)
        drops = [v_in - v_out for v_in, v_out in pairs if v_in > v_out > 0]
        conversion = getattr(rec, "conversion", None)
        if rec is None or bool(drops) != bool(conversion):
            return None  # a voltage to drop: the regulators and converters are judged; none: the switches
        free_air = rec.ratings.i_free_air
        if conversion in ("buck", "boost", "buck-boost"):  # a switching module: the current it carries as sold, with no heatsink added
            if not free_air:
                return None
            if amps <= free_air:
                return "free", 1.0
            return ("sink" if amps <= (rec.ratings.i_out_max or free_air) else "burns"), 0.0
        losses = [p for d in (drops or [None]) if (p := dissipation(rec, amps, d)) is not None]
        if not losses:
            return None
        loss, shed = min(losses), sheds(rec, ambient)
        if loss <= shed:
            return "free", (1.0 - loss / shed) if shed > 0 else 0.0
        return ("sink" if loss <= sheds(rec, ambient, heatsink=True) else "burns"), 0.0

    def fit(self, amps: float | None, ambient: float = AMBIENT, pairs: Sequence[tuple[float, float]] = (),
            no_heatsink: bool = False) -> HeatFit:
        """How every typed part fits carrying ``amps``: ``FREE`` for one that sheds the heat in free air
        (``FREE_ASKED`` when the request asks for no heatsink), less where its heat leaves less than ``COOL`` of
        its headroom unused, or less than the coolest such part leaves (``judge``),
        ``-NEEDS_SINK`` for one that needs a heatsink (``-BURNS`` when the request asks for none:
        ``no_heatsink``), ``-BURNS`` for one that cannot shed it at all. No change without a stated current."""
        if not amps or amps <= 0:
            return HeatFit()
        deltas: dict[str, float] = {}
        judged = {key: j for key in self.records if (j := self.judge(key, amps, ambient, pairs)) is not None}
        verdicts = {key: v for key, (v, _) in judged.items()}
        # a part runs cool where its heat leaves COOL of its headroom unused, or as much as the coolest part that
        # sheds it in free air leaves (at a current where none runs cool, the coolest is what there is)
        cool = min(COOL, max((spare for v, spare in judged.values() if v == "free"), default=COOL)) or COOL
        for key, (v, spare) in judged.items():
            if v == "free":  # one nearer its limit runs warm: it fits less, down to nothing at its limit
                deltas[key] = (FREE_ASKED if no_heatsink else FREE) * min(1.0, spare / cool)
            elif v == "sink":
                deltas[key] = -BURNS if no_heatsink else -NEEDS_SINK
            else:
                deltas[key] = -BURNS
        return HeatFit(amps, ambient, deltas, verdicts)
