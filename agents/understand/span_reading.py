"""Which timed behaviour a stated time span asks for, read from the words the span is said of.

A timer that holds an output on for a time once started (one-shot) and one that switches it on a time after it is
started (delay) differ only in which state the time holds: the records' descriptions of the two read almost alike
against a short request ("goes out by itself 12 seconds later", "10 s delay then off"). What tells them apart is
the grammar around the figure:

- "<words> for N s" ("stays on for 30 s", "stays silent for 3 s"): the words say the output's state DURING the span;
- "N s ... then <words>" ("10 s delay then off"), or "<words> N s later" / "<words> after N s" ("goes out by itself
  12 seconds later", "turns on 15 seconds after I press"): the words say the EVENT at the span's end.

Whether those words switch the output off or on is read by meaning against English's pair "turns off" / "turns on"
(``OFF``: how much nearer "turns off" the words must lie to read as off; set over short on and off phrases such as
"goes quiet", "cuts out", "stays silent", "sounds", "lights up", "comes on", where the off phrases lie at 0.07
and above and the on phrases below it, but for "closes" and a few quiet words: "goes quiet", "dies"). Words that do
not read as off say the output does its own act (sounds, lights): on. So an output off at the span's end, or on
during it, is a one-shot; on at its end, or off during it, a delay.
"""

from __future__ import annotations

import re

from agents.understand.exclusion import DETERMINERS, nearer
from agents.understand.needs import is_filler, is_joiner

OFF_WORDS, ON_WORDS = "turns off", "turns on"
OFF = 0.065
MAX_WORDS = 4  # the words said of the span: "goes out by itself"
_WORD = re.compile(r"[a-z]+")
_BREAK = re.compile(r"[.;:!?,()\[\]]")


def timed_mode(text: str, start: int, end: int) -> str | None:
    """'one-shot' or 'delay' for the time span at ``text[start:end]``; None when the words around it say neither
    the state during it nor the event at its end."""
    seg_start = max((m.end() for m in _BREAK.finditer(text, 0, start)), default=0)
    seg_end = next((m.start() for m in _BREAK.finditer(text, end)), len(text))
    before = _WORD.findall(text[seg_start:start].lower())
    after = _WORD.findall(text[end:seg_end].lower())
    if before and before[-1] == "for":
        words, during = _said_before(before[:-1]), True
    elif "then" in after:
        words, during = _said_after(after[after.index("then") + 1:]), False
    else:
        words, during = _said_before(before), False
    if not words:
        return None
    off = _nearer_off(" ".join(words)) >= OFF
    return ("delay" if off else "one-shot") if during else ("one-shot" if off else "delay")


def _said_before(words: list[str]) -> list[str]:
    """The words right before the figure that say something of the output, back to a joining word or a
    determiner ("an LED that turns off by itself": "turns off by itself"); trailing joiners ("after") dropped."""
    j = len(words)
    while j > 0 and is_filler(words[j - 1]):
        j -= 1
    out: list[str] = []
    while j > 0 and len(out) < MAX_WORDS and not is_joiner(words[j - 1]) and words[j - 1] not in DETERMINERS:
        out.insert(0, words[j - 1])
        j -= 1
    return out


def _said_after(words: list[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        if is_joiner(w) or len(out) == MAX_WORDS:
            break
        out.append(w)
    return out


def _nearer_off(words: str) -> float:
    """How much nearer "turns off" than "turns on" the words lie (cosine); 0 with no embedding model at hand."""
    return nearer(words, OFF_WORDS, ON_WORDS)


__all__ = ["timed_mode"]
