"""A time of day stated for something to happen needs the design to know the time of day.

"opens a flap at 7am and 6pm", "every morning at 6:30", "on at 08:00 and off at 20:00": a clock time (hours, with
minutes or with am/pm, as clocks are read) says when something happens in the day. A controller counting seconds
since power-up loses the time of day at every reset and drifts by minutes a month; keeping it takes a part that keeps
the time of day (a real-time clock, found by meaning among the records' capabilities). A named board that reaches
the internet (its record provides a network link) can fetch the time instead (network time): nothing is asked then,
and the notes say so. Nothing is asked either where a part that keeps time is asked or named already.
"""

from __future__ import annotations

import re

from agents.understand.requirements import AskedFunction, NeededFunction, Requirements
from knowledge.capabilities import capability_index
from knowledge.library import Library

# hours:minutes (24 h, or 12 h with am/pm), or hours with am/pm: "6:30", "08:00", "10 pm", "7am", "7 a.m."
CLOCK = re.compile(r"(?<![\w.:])(?:(?:[01]?\d|2[0-3]):[0-5]\d(?:\s?[ap]\.?m\b\.?)?|(?:1[0-2]|0?[1-9])\s?[ap]\.?m\b\.?)",
                   re.IGNORECASE)
# what keeping the time of day is, read against the records' capability texts (the best sensing capability)
TIME_OF_DAY = "keep the date and time of day"
NETWORK = "connect to the internet over wifi"


def _best(lib: Library, text: str, direction: str) -> str | None:
    hits = capability_index(lib).rank([text])[0]
    return next((h.capability for h in hits if h.direction == direction), None)


def clock_for_times_of_day(text: str, req: Requirements, lib: Library) -> list[str]:
    """Ask the time of day kept when the request states a clock time; returns notes."""
    times = [m.group(0).strip() for m in CLOCK.finditer(text)]
    if not times:
        return []
    keep = _best(lib, TIME_OF_DAY, "sense")
    if keep is None:
        return []
    caps = {c.capability for p in req.named_parts for c in lib[p.key].provides}
    caps |= {n.capability for n in req.needs} | {c for a in req.asked for c in a.any_of}
    if keep in caps:
        return []
    network = _best(lib, NETWORK, "communicate")
    board = req.constraints.board
    if board and network and any(c.capability == network for c in lib[board].provides):
        return [f"'{times[0]}' is a time of day: {lib[board].name} can fetch it over its network link (network time)."]
    words = " and ".join(times)
    req.needs.append(NeededFunction(capability=keep, words=words))
    req.asked.append(AskedFunction(words=words, any_of=[keep]))
    return [f"'{words}' is a time of day: the design must keep it ({keep}); a controller alone loses it at each reset."]
