"""A light named by the place it lights is the building's own light: the design switches it, it does not build one.

"Turn the hallway light on by itself", "the garage ceiling light comes on when the door opens": the light is
the one wired into the hallway or the garage, on the mains. Read by meaning, "light" alone reads as a light the
design makes (an indicator LED); the words before it say whose light it is. When they read as a place in a
building rather than as a kind of device, and the phrase is definite (the light that is there: "the hallway
light", "my porch lamp"; "a garden light" is one to build) (nearer "a place in a building" than "a device" by ``PLACE``: the
embedding's own sense of the words, as :mod:`agents.understand.exclusion` reads "without"/"with"), the thing is
a fixture of that place, and what the design does to it is switch it: the need read from that word becomes what
the records with contacts isolated from their coil (a relay, :func:`circuit.hazard.isolated_contacts`) do to a
load. A word that names a library part (an LED, a fan) is the part asked for and is left alone.

``PLACE`` was set on modifiers of lights and lamps read before this module existed (rooms and parts of houses
against the kinds of device lights are: status, warning, brake, desk, night, fairy ...): most rooms score 0.1-0.33
(hallway 0.31, stairwell 0.2, kitchen 0.18; "landing", "stair", "yard", "driveway" fall below and stay LEDs), the
device kinds -0.33 to 0.07 (desk 0.07).
"""

from __future__ import annotations

import re

from agents.understand.exclusion import nearer
from agents.understand.requirements import Requirements
from circuit.hazard import isolated_contacts
from knowledge.capabilities import capability_index
from knowledge.library import Library
from knowledge.preference import most_preferred

KNOWN = frozenset({"the", "my", "our", "your", "their"})  # a definite noun phrase names a thing that is already there
PLACE = 0.1  # how much nearer "a place in a building" than "a device" the words before the light must lie
AT, DEVICE = "a place in a building", "a device"
MAX_MODIFIERS = 2  # "the garage ceiling light"
CLOSE = 3  # a word alone reads several ways ("light": sensed or made); the need is one of its first few readings
STOP = frozenset({"a", "an", "the", "my", "our", "your", "its", "their", "this", "that", "turn", "switch", "on", "off",
                  "in", "of", "to", "for", "with", "by", "and", "or", "when", "if", "make", "get", "let", "have"})
_WORD = re.compile(r"[a-z]+")


def _switching_capability(lib: Library) -> str | None:
    """What the records with isolated contacts do to a load (their act capability), from the most common one."""
    rec = most_preferred(r for r in lib if isolated_contacts(r) and any(c.direction == "act" for c in r.provides))
    return next((c.capability for c in rec.provides if c.direction == "act"), None) if rec else None


def building_fixtures(req: Requirements, lib: Library, named_spans: list[tuple[int, int, str]], low: str) -> list[str]:
    """Needs and asked readings made from a place's light are turned into switching it; returns notes."""
    todo = [n for n in req.needs if _act(lib, n.capability)]
    if not todo:
        return []
    named_words = {w for a, z, _ in named_spans for w in _WORD.findall(low[a:z])}
    switch = _switching_capability(lib)
    if switch is None:
        return []
    try:
        index = capability_index(lib)
    except Exception:  # no embedding model: nothing is read by meaning
        return []
    notes = []
    for n in todo:
        words = _WORD.findall(n.words.lower())
        for i, w in enumerate(words):
            if w in named_words or w in STOP or i == 0:
                continue
            mods = []
            for m in reversed(words[max(0, i - MAX_MODIFIERS):i]):
                if m in STOP or m in named_words:
                    break
                mods.insert(0, m)
            if not mods:
                continue
            opener = i - len(mods) - 1
            if opener < 0 or words[opener] not in KNOWN:
                continue  # "a porch chime", "a garden light": a thing to build; "the hallway light": one that is there
            try:
                hits = index.rank([w])[0]
            except Exception:
                return notes
            if n.capability not in [h.capability for h in hits[:CLOSE]]:
                continue  # the need was not read from this word (a word read as that among its first few)
            if nearer(" ".join(mods), AT, DEVICE) < PLACE:
                continue
            thing = " ".join(mods + [w])
            old = n.capability
            n.capability = switch
            for a in req.asked:
                if a.words == n.words and old in a.any_of:
                    a.any_of = [switch] + [c for c in a.any_of if c not in (old, switch)]
            notes.append(f"'{thing}' is the light of a place in a building, on its mains wiring: the design "
                         f"switches it ({switch}), it does not make one ({old}).")
            break
    return notes


def _act(lib: Library, capability: str) -> bool:
    return any(c.capability == capability and c.direction == "act" for r in lib for c in r.provides)
