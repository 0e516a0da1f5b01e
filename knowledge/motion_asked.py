"""The motion a request asks an actuator to make, read against the typed motions of the records' capabilities.

An actuating capability states the motion it makes (``Capability.motion``, from its part's datasheet): a servo
turns to a commanded angle and holds it ("angle"), a stepper turns by exact steps ("steps"), a DC motor spins as
long as it is powered ("continuous"), an H-bridge runs a motor one way or the other ("reversible"), a solenoid
pushes or pulls a plunger ("linear"), an eccentric-mass motor gives a buzz a person feels ("vibration").

A request asks for a motion when
- it opens with a verb, taking its object with an article or a possessive, that, across the library, only capabilities of one motion open with, among those that do
  something other than sense (the records' own words, a capability's leading verbs joined by "or"/"and": "aim or
  point ..." opens only servo capabilities, so a request that points something asks for an angle; "move ..." opens
  a servo's and others', so it names no motion; a joystick's "steer or move ..." senses a person steering, so it
  leaves "steer" to the servos), or
- read by meaning, the capability it fits best is one that states a motion, clearly ahead of every capability
  that senses (this reading goes first: "push a lever to a set angle" asks a servo's angle, not a solenoid's push);
and it opens with a verb and asks for no reading: its opening verb is not one only sensing capabilities do, and it does not ask how
much of something there is (an adverb of manner before the verb is read past: "slowly turn ..."). Then the parts whose capabilities make that motion rank up, and parts that only
sense rank down: a sensor whose name shares the motion's word (a tilt switch for "tilt the panel", a thumb
joystick for "steer the wheels") senses that motion, it does not make it. Where the opening verb names the motion,
a part named in its object that does not make the motion is what is moved ("tilt a solar panel": the panel), not
the part wanted. A part named that only spins (a DC motor), asked to move something to and fro or to positions,
is to be run both ways: the H-bridges' reversible motion is asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from typing import Callable

from knowledge.lexical import (FILLER, GRAMMAR_WORDS, _object_positions, asks_degree, fold, is_value, opening_verb,
                               stem, tokens)
from knowledge.motion_kinds import MotionReading
from knowledge.verbs import can_be_verb

__all__ = ["MotionFacts", "leading_verbs", "takes_object", "without_manner", "manner_words", "MOTION", "SENSE_ONLY",
           "FITS"]

MOTION = 0.15      # a part whose capabilities make the motion a request asks for
SAID = 0.15        # ... more, where the request says the manner of the motion outright (MANNER, below)
SENSE_ONLY = 0.10  # a part that only senses, where a request asks for a motion to be made
_ARTICLES = frozenset("a an the this that these those my our your its".split())
FITS = 0.02        # read by meaning: the best motion capability fits within this cosine of the best capability,
MEANT = 0.45       # ... at this cosine at least,
AHEAD = 0.10       # ... and this far ahead of the best sensing capability (calibration split: below these, names,
                   # products and requests to sense a motion fit a motion capability about as often as motions asked)
MANNER = 0.35      # the words after what is moved read as one motion's manner (knowledge.motion_kinds) this well,
MANNER_LEAD = 0.10  # ... and this far ahead of any other motion's (calibration split: below these, places, times
                    # and purposes after the object read as a manner about as often as a manner does)


def leading_verbs(text: str) -> list[str]:
    """The verbs a text opens with: its opening verb and those joined to it by "or"/"and" ("aim or point ...",
    "open and close ..."), as stems."""
    first = opening_verb(text)
    if first is None:
        return []
    out = [first]
    toks = tokens(text)
    i = 1
    while i + 1 < len(toks) and toks[i] in ("or", "and") and can_be_verb(toks[i + 1]):
        out.append(stem(toks[i + 1]))
        i += 2
    return out


def without_manner(text: str) -> str:
    """The text without an adverb of manner it opens with ("slowly turn ...", "gently shake ..."): a word ending
    in -ly that is no verb, before one that is."""
    toks = fold(text).split(None, 2)
    if len(toks) >= 2 and toks[0].endswith("ly") and not can_be_verb(toks[0]) and opening_verb(toks[1]):
        return fold(text).split(None, 1)[1]
    return text


def manner_words(text: str) -> str:
    """The words of a request after what its opening verb acts on, where it says how the thing is moved ("focus a
    camera lens [by turning its ring in tiny increments]", "open a door [with a gear motor turning both ways]"): after
    the verb's object (an article or a possessive opens it), else after the verb (and the verbs joined to it). Empty
    where nothing follows."""
    toks = tokens(without_manner(text))
    obj = _object_positions(toks)
    if obj:
        end = max(obj) + 1
        if end + 1 < len(toks) and toks[end] == "of":  # what it belongs to is moved too ("the tray [of a feeder]")
            owner = _object_positions(["_"] + toks[end + 1:])
            end += max(owner) + 1 if owner else 0
        return " ".join(toks[end:])
    i = 1
    while i + 1 < len(toks) and toks[i] in ("and", "or") and can_be_verb(toks[i + 1]):
        i += 2
    return " ".join(toks[i:])


def takes_object(text: str) -> bool:
    """Whether a text's opening verb (and those joined to it by "and"/"or") takes an object with an article or a
    possessive ("reverse the motor", "open and close a hatch"): a verb does, the first word of a name or a modifier
    does not ("reverse polarity protected ...")."""
    toks = tokens(text)
    i = 1
    while i + 1 < len(toks) and toks[i] in ("and", "or") and can_be_verb(toks[i + 1]):
        i += 2
    return i < len(toks) and toks[i] in _ARTICLES


@dataclass
class MotionFacts:
    """The typed motions of the library's capabilities, per part and per indexed capability row, and the opening
    verbs that name one motion alone."""

    part_motions: list[frozenset[str]]            # per part position: the motions its capabilities make
    sense_only: np.ndarray                        # per part position: its capabilities all sense
    row_motion: dict[int, str] = field(default_factory=dict)  # indexed capability row -> its typed motion
    verbs: dict[str, str] = field(default_factory=dict)       # opening verb -> the one motion it names
    named_by: dict[str, frozenset[int]] = field(default_factory=dict)  # a word of parts' names -> those parts
    capability_rows: np.ndarray | None = None     # every indexed capability row
    sense_rows: np.ndarray | None = None          # the indexed capability rows that sense
    row_part: dict[int, int] = field(default_factory=dict)  # indexed capability row -> its part's position
    _act_rows: np.ndarray | None = None           # the indexed capability rows that do something (made on first use)

    @classmethod
    def of_index(cls, library, part_keys: list[str], keys, fields, ids,
                 name_vocab: dict[str, set[str]] | None = None) -> "MotionFacts":
        """``name_vocab``: the words of each part's names (``LexicalIndex.name_vocab``), for the parts a
        request's object names."""
        motions: list[frozenset[str]] = []
        sense_only = np.zeros(len(part_keys), dtype=bool)
        opened: dict[str, set[str | None]] = {}  # opening verb -> the motions of the capabilities it opens
        for pos, key in enumerate(part_keys):
            caps = getattr(library[key], "provides", None) or []
            motions.append(frozenset(c.motion for c in caps if c.motion))
            sense_only[pos] = bool(caps) and all(c.direction == "sense" for c in caps)
            for c in caps:
                if c.direction != "sense":
                    for verb in leading_verbs(c.description):
                        opened.setdefault(verb, set()).add(c.motion)
        verbs = {v: next(iter(ms)) for v, ms in opened.items() if len(ms) == 1 and None not in ms}
        row_motion: dict[int, str] = {}
        cap_rows, sense_rows = [], []
        row_part: dict[int, int] = {}
        at_key = {k: i for i, k in enumerate(part_keys)}
        for row, (key, fld, doc_id) in enumerate(zip(keys, fields, ids)):
            if fld != "capability":
                continue
            cap_rows.append(row)
            row_part[row] = at_key[key]
            caps = getattr(library[key], "provides", None) or []
            n = int(doc_id.rsplit("|", 1)[-1])
            if n < len(caps) and caps[n].direction == "sense":
                sense_rows.append(row)
            if n < len(caps) and caps[n].motion:
                row_motion[row] = caps[n].motion
        pos = {k: i for i, k in enumerate(part_keys)}
        named_by: dict[str, set[int]] = {}
        for key, words in (name_vocab or {}).items():
            for w in words:
                if key in pos:
                    named_by.setdefault(w, set()).add(pos[key])
        return cls(motions, sense_only, row_motion, verbs, {w: frozenset(ps) for w, ps in named_by.items()},
                   np.asarray(cap_rows, dtype=np.intp), np.asarray(sense_rows, dtype=np.intp), row_part)

    def moved(self, query: str) -> set[int]:
        """The parts named by the words of what the opening verb acts on ("tilt [a small solar panel] toward ...":
        up to a grammar word or a second article), by the words of their names."""
        toks = tokens(query)
        out: set[int] = set()
        seen = False
        for t in toks[1:]:
            if t in GRAMMAR_WORDS or (seen and t in _ARTICLES):
                break
            if t in _ARTICLES:
                continue
            seen = True
            if len(t) >= 3 and t.isalpha() and t not in FILLER and not is_value(t):
                out |= self.named_by.get(stem(t), frozenset())
        return out

    def acts(self, sims: np.ndarray) -> bool:
        """Whether a request reads, by meaning, nearer a capability that does something than any that senses."""
        rows = self.capability_rows
        if rows is None or not len(rows):
            return False
        if self._act_rows is None:
            self._act_rows = np.setdiff1d(rows, self.sense_rows)
        if not len(self._act_rows):
            return False
        return float(sims[self._act_rows].max()) > (float(sims[self.sense_rows].max()) if len(self.sense_rows) else -1.0)

    def asked(self, query: str, sims: np.ndarray, verb_directions: dict[str, set[str]],
              named: frozenset[int] = frozenset(),
              manner: Callable[[str], MotionReading] | None = None,
              whole: MotionReading | None = None) -> tuple[str | None, str | None]:
        """(the motion the request asks for, or None; how it is read: "verb", "meaning" or "given"). Read by
        meaning, a request that opens with a verb and whose best capability (not one of a part it names: those
        describe the named part) states a motion, clearly ahead of every sensing capability, asks for that motion
        (a push "to a set angle" is a servo's); else its opening verb names the motion, if it names one alone. A
        request that names a part which only spins (a DC motor) and reads best as a motion other than spinning (to
        and fro, to positions) asks for that motor run both ways: reversible, the motor given."""
        if not self.row_motion or asks_degree(query):
            return None, None
        query = without_manner(query)
        verb = opening_verb(query)
        if verb is None or (verb not in self.verbs and verb_directions.get(verb) == {"sense"}):
            return None, None  # no action opens it, or a verb only sensing capabilities do: a reading is asked
        if named and self.named_by.get(stem(verb), frozenset()) & named:
            return None, None  # the first word is one of a named part's name ("limit switch for ..."): no verb
        rows = self.capability_rows
        # how the thing is moved, read apart from what is moved ("... in tiny precise steps", "... both ways"), where
        # the whole request reads nearest one motion, by FITS at least (a place or a time after the object, "on a
        # display stand", reads as a manner now and then, not clearly as the whole request's; and the words are
        # read, one more vector, only then)
        words = manner_words(query) if manner is not None and (whole is None or whole.lead >= FITS) else ""
        if words and rows is not None and len(rows) and self.acts(sims):
            reading = manner(words)
            if (reading.cos >= MANNER and reading.lead >= MANNER_LEAD
                    and (whole is None or whole.motion == reading.motion)):
                if any(self.part_motions[p] == {"continuous"} for p in named) and reading.motion != "continuous":
                    return "reversible", "given"
                return reading.motion, "manner"
        if rows is not None and len(rows):
            if named:
                rows = np.fromiter((r for r in rows if self.row_part.get(int(r)) not in named), dtype=np.intp)
            motion_rows = np.fromiter((r for r in self.row_motion if self.row_part.get(r) not in named), dtype=np.intp)
            if len(rows) and len(motion_rows):
                best = float(sims[rows].max())
                at = int(motion_rows[np.argmax(sims[motion_rows])])
                fit = float(sims[at])
                sensing = float(sims[self.sense_rows].max()) if len(self.sense_rows) else -1.0
                spinner = any(self.part_motions[p] == {"continuous"} for p in named)
                if fit >= best - FITS and spinner and self.row_motion[at] != "continuous":
                    return "reversible", "given"
                if fit >= best - FITS and fit >= MEANT and fit - sensing >= AHEAD:
                    return self.row_motion[at], "meaning"
        if verb in self.verbs and takes_object(query):
            return self.verbs[verb], "verb"
        return None, None

    def deltas(self, query: str, sims: np.ndarray, verb_directions: dict[str, set[str]],
               named: frozenset[int] = frozenset(),
               manner: Callable[[str], MotionReading] | None = None,
               whole: MotionReading | None = None) -> np.ndarray:
        """Score change per part position for the motion the request asks for (zeros when it asks for none).
        ``named``: the positions of parts the request names (by name, number, or as what the wanted part works
        on or serves): their names are their evidence, and a part named as what is moved ("spin a dc motor both
        ways": the motor is driven) is not the one that moves it. With the motor given, a part that makes a
        motion of its own with its own motor (a servo, a stepper) is its rival, not what drives it."""
        out = np.zeros(len(self.part_motions), dtype=np.float32)
        motion, how = self.asked(query, sims, verb_directions, named, manner, whole)
        query = without_manner(query)
        if motion is None:
            return out
        makes = np.fromiter((motion in ms for ms in self.part_motions), dtype=bool, count=len(self.part_motions))
        if how == "verb":  # what the motion verb acts on, when it does not make that motion itself, is what is moved
            moved = [p for p in self.moved(query) if not makes[p]]
            out[moved] -= MOTION
        if how in ("given", "manner"):  # the motion is said outright: a part that makes only others is not wanted
            rivals = [p for p, ms in enumerate(self.part_motions) if ms and not makes[p] and p not in named]
            out[rivals] -= MOTION + (SAID if how == "manner" else 0.0)
        if named:
            makes[list(named)] = False
        out[makes] += MOTION + (SAID if how == "manner" else 0.0)
        out[self.sense_only] -= SENSE_ONLY
        return out
