"""A clause that names only a signal a controller's pin gives ("using a PWM signal", "over an interrupt pin").

A request says how a part it names is worked ("a MOSFET pulsing a valve from a PWM signal"):
the means is a pin function every controller has, not a part to add. Which functions every controller has is
read from the library (the pin functions of the microcontroller records), and the words left beside the
function's name must be words for a pin's signal (the record schema's pin types, "signal", "pin").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import get_args

from knowledge.library import Library
from knowledge.record import PIN_FUNCTIONS, PinType

__all__ = ["board_functions", "names_only_a_pin_signal"]

EVERY_BOARD = 0.9  # a function at least this share of the library's controllers have on some pin
_WORD = re.compile(r"[a-z0-9]+")
# words for a pin's signal: the pin types' own words ("digital", "analog", "out") and the nouns for a signal
_SIGNAL_WORDS = {w for t in get_args(PinType) for w in t.split("_")} | {"signal", "signals", "pin", "pins",
                                                                        "output", "input", "line", "wave"}
_ARTICLES = {"a", "an", "the", "its", "my", "one", "some"}


@lru_cache(maxsize=4)
def board_functions(library: Library) -> frozenset[str]:
    """The pin functions (``knowledge.record.PIN_FUNCTIONS``) that nearly every controller record has."""
    boards = [r for r in library if r.is_mcu]
    if not boards:
        return frozenset()
    out = set()
    for f in PIN_FUNCTIONS:
        share = sum(any(f in p.functions for p in r.pins) for r in boards) / len(boards)
        if share >= EVERY_BOARD and "_" not in f:
            out.add(f)
    return frozenset(out)


def names_only_a_pin_signal(text: str, library: Library) -> bool:
    """The text names a function every controller's pins give and nothing besides a pin's signal."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _ARTICLES]
    funcs = board_functions(library)
    named = [w for w in words if w in funcs]
    return bool(named) and all(w in funcs or w in _SIGNAL_WORDS for w in words)
