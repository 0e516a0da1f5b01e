"""A named part that is itself a programmable controller runs the design when nothing else is named to.

An ESP-01 is sold as a serial Wi-Fi modem for another board, but its ESP8266 runs the user's own firmware
from its own GPIOs (record field ``programmable``). When the request names no microcontroller board, such a
part is the design's controller (the loads and sensors on its pins, the 3.3 V supply its record asks for),
instead of a modem on a board added for the purpose. When the request names a board beside it, the board
runs the design and the module stays what it is beside it (a modem on the board's serial port).
Reads the identification and the records only.
"""

from __future__ import annotations

from agents.models import Identification, Need
from knowledge.library import Library
from knowledge.record import ComponentRecord


def programmable(rec: ComponentRecord) -> bool:
    return rec.programmable and not rec.is_mcu


def own_controller(lib: Library, ident: Identification) -> str | None:
    """The programmable part the request names, when it names no controller board."""
    keyed = [n for n in ident.needs if n.key and n.key in lib]
    if any(lib[n.key].is_mcu for n in keyed):
        return None
    named = [n for n in keyed if n.explicit and programmable(lib[n.key])]
    return named[0].key if len(named) == 1 and named[0].qty == 1 else None


def is_controller_need(n: Need, ident: Identification) -> bool:
    """Whether this need is the part chosen to run the design (placed and powered as the board)."""
    return bool(n.key) and n.key == ident.board


def runs_itself(lib: Library, ident: Identification) -> bool:
    """Whether the design's controller is a programmable part rather than a board."""
    return bool(ident.board) and ident.board in lib and programmable(lib[ident.board])
