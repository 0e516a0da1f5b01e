"""An output expander for a display that needs more controller pins than the board has.

A display made of bare LED segments (a 7-segment digit: record ``led_pins``, one pin per segment) takes a
controller pin per segment line, and several digits share their segment lines and take one more pin per digit
to select it (multiplexed, :func:`agents.rules.led_driver.add_digits`). A board with few I/O pins (an ATtiny85)
cannot give that many: the segment lines then go through a serial-in, parallel-out shift register (a record
that provides more pins to a controller and whose port lines are all outputs: a 74HC595), which takes a few
pins of its own and gives eight outputs.

Counted from the records only: the board's I/O pins that can drive an output (the pin allocator's reading of
its record), the display's segment and select lines (its LED pins), and one pin for every other part unit that
takes a controller pin. Nothing is added when the board has the pins, or when the request rules the expander's
capability out.
"""

from __future__ import annotations

import math

from agents.models import Identification, Need
from agents.rules import parts as P
from agents.rules.kinds import kind_of
from agents.rules.led_driver import channels_and_commons, distinct_pins
from agents.rules.module_wiring import expander_outputs, is_expander
from agents.rules.pin_allocator import PinAllocator
from knowledge.library import Library
from knowledge.preference import most_preferred

__all__ = ["display_expanders"]

# the capability of a part that gives a controller more pins (record ``provides``), not a counter that steps
# through its outputs by itself
EXPANSION = "gpio-expansion"
# kinds that take no controller pin of their own (they are powered, or placed around another part)
_NO_PIN = {"board", "source", "converter", "passive", "diode", "transistor", "ac_source", "ac_supply", "other"}


def display_expanders(lib: Library, ident: Identification, forbidden: set[str] = frozenset()) -> list[Need]:
    """The expander needs that free the board's pins for the design's digit displays ([] when none is needed)."""
    if not ident.board or ident.board not in lib:
        return []
    needs = [n for n in ident.needs if n.key and n.key in lib]
    if any(kind_of(lib[n.key]) == "expander" for n in needs):
        return []  # (one the request names or one already added serves)
    digits = [n for n in needs if kind_of(lib[n.key]) == "digits"]
    if not digits:
        return []
    alloc = PinAllocator(ident.board, lib[ident.board])
    outputs = sum(1 for p in alloc.pins if PinAllocator.can(p, "gpio", "out"))
    segments, selects = 0, 0
    for n in digits:
        chans, commons, sinks = channels_and_commons(lib[n.key], dict(n.attrs))
        if sinks:
            return []  # (common anode: the segment lines sink current, which the pins do; not routed here)
        segments += len(chans)
        selects += n.qty * len(distinct_pins(lib[n.key], commons)) if n.qty > 1 else 0
    others = sum(n.qty for n in needs if n not in digits and kind_of(lib[n.key]) not in _NO_PIN
                 and not lib[n.key].is_mcu)
    if segments + selects + others <= outputs:
        return []
    rec = most_preferred([r for r in lib if r.key not in forbidden and is_expander(r) and _outputs_only(r)
                          and EXPANSION in {c.capability for c in r.provides}
                          and not {c.capability for c in r.provides} & forbidden],
                         fit=lambda r: (-len(expander_outputs(r)),))
    if rec is None:
        return []
    # the controller lines the expander itself takes: its serial data and clock inputs
    taken = len([p for p in P.unique_pins(rec, "digital_in") if {"data", "clock"} & set(p.functions)])
    count = math.ceil(segments / len(expander_outputs(rec)))
    if (count > 1 and not P.chain_pins(rec)) or selects + others + taken > outputs:
        return []  # (still too few pins with it: the planner says so, and a board with more I/O is the answer)
    return [Need(phrase=f"{rec.name} for the display's segment lines", key=rec.key, qty=count, role="part",
                 explicit=False, why=f"the display takes {segments + selects} controller lines and the board has "
                                     f"{outputs} I/O pins: its {segments} segment lines go through the expander")]


def _outputs_only(rec) -> bool:
    """An expander whose port lines are all outputs (a shift register's latched outputs)."""
    outs = expander_outputs(rec)
    return bool(outs) and all(p.type == "digital_out" for p in outs)

