"""How data travels: over a wire, by radio or by infrared light, and whether something stands in the way.

"connect two boards with a 50 m cable", "with no cable between them", "a wireless link", "send it on through
the floor": a request may say how its link must travel. Each link a record types carries its medium
(``Capability.medium``: wire, radio, infrared); the request's words are read against the media by meaning, one
word at a time (``knowledge.word_senses``: "cable", "wires" and "cord" name a wire, "wirelessly" and "rf" a
radio; "without wires" refuses the wire). Parts whose links travel the medium asked gain; parts whose links all
travel another (a radio where a cable is asked, a cable where none is wanted) rank out. Parts with no typed link
(the sensors that produce the data) are left alone.

Something in the way (``MediumFacts.obstructed``: a wall or a floor the signal passes, "through the floor",
"behind a wall", or a line of sight the request says there is none of) is read against
``Capability.line_of_sight``: a part that needs a clear line (an infrared remote, a PIR, an ultrasonic or laser
ranger) cannot work through it and ranks down, one that passes it (radio, microwave radar) ranks up.

The two ends of a link in different rooms (``MediumFacts.separated``: "a remote in a different room", "from the
next room", "another floor of the house": a word of otherness before a word that reads as a room or a floor of a
building) have walls between them: a link that needs a clear line (an infrared remote and its receiver) cannot
reach, a radio link can. Read only against parts whose typed link has a medium: a sensor with no medium (a PIR,
an ultrasonic ranger) placed in another room senses that room, nothing stands between it and what it senses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from knowledge.lexical import tokens
from knowledge.word_senses import NEGATIONS, WordSenses

__all__ = ["lacked_words", "MediumFacts", "MediumFit", "MEDIA_GLOSSES", "BARRIER_GLOSSES", "SIGHT_GLOSSES", "MEDIUM", "OTHER_MEDIUM", "CLEAR", "BLOCKED",
           "ROOM_GLOSSES", "OTHERNESS"]

# the typed media (``Capability.medium``) in a few words each, read against a request's words
MEDIA_GLOSSES = {"wire": ("a wire or a cable",), "radio": ("wireless radio",), "infrared": ("infrared light",)}
# a solid thing in the way of a signal, and a clear line between two ends, in a few words: something stands in the
# way when a word near the first follows a preposition of passing a thing ("through the floor", "behind a wall"),
# or a word near the second is negated ("with no line of sight")
BARRIER_GLOSSES = {"barrier": ("a wall or a floor between them",)}
SIGHT_GLOSSES = {"sight": ("in sight of each other",)}
# a room or a floor of a building, in a few words: the two ends of a link are in different rooms when a word near it
# follows a word of otherness ("in a different room", "from the next room", "another floor")
ROOM_GLOSSES = {"room": ("a room or a floor of a building",)}
ROOM = 0.45          # cosine of a word with the room gloss from which it names one (room, bedroom, floor, house)
OTHERNESS = frozenset({"another", "other", "different", "next", "neighbouring", "neighboring", "adjacent",
                       "separate"})  # words that set one place apart from the one the request stands in
_ROOM_WITHIN = 3     # the room's noun within this many words after the word of otherness ("the next room over")
BARRIER = 0.4        # cosine of a word with the barrier gloss from which it names one (walls, floors, ceilings)
PASSING = frozenset({"through", "behind", "past", "beyond"})  # prepositions of passing or being hidden by a thing
_NOUN_WITHIN = 3     # the barrier's noun within this many words after the preposition ("through two brick walls")
MEDIUM = 0.08        # a part with a link of the medium asked
OTHER_MEDIUM = 0.5   # a part whose links all travel another medium than the one asked, or only the one refused:
                     # it does not link the way asked (it ranks out, as a link that falls short of a distance)
CLEAR = 0.06         # a part that passes what stands in the way (radio, radar)
BLOCKED = 0.5        # a part that needs a clear line of sight where something stands in the way: it cannot work
                     # through it (it ranks out, as a link of another medium)


HAVE = frozenset({"has", "have", "had", "having"})  # verbs of possession: "X has no radio" says what X lacks
LACK = frozenset({"lacks", "lack", "lacking"})         # ... and of its absence ("X lacks wifi")
_LACK_WITHIN = 4   # the lacked thing within this many words after the verb ("has no radio of its own")
_OWNER_WITHIN = 6  # the owner's name within this many words before the verb ("my nano every has no wifi")


def lacked_words(text: str, names_owner: Callable[[str], bool]) -> frozenset[str]:
    """The words a request says a thing it names lacks ("the pro mini has no radio", "my uno doesn't have wifi",
    "a nano that lacks wifi"), where that thing is one ``names_owner`` names (a board): a fact about what the named
    board has, so an add-on is wanted, not a refusal of that way of linking."""
    toks = tokens(text)
    out: set[str] = set()
    for i, t in enumerate(toks):
        negated_have = t in HAVE and (i > 0 and (toks[i - 1] in NEGATIONS or toks[i - 1] == "t"))
        if not (t in LACK or negated_have or (t in HAVE and i + 1 < len(toks) and toks[i + 1] in NEGATIONS)):
            continue
        before = toks[max(0, i - _OWNER_WITHIN - (2 if negated_have else 0)):i]
        if not any(names_owner(w) for w in before):
            continue  # a place or a person lacks it ("the cabin has no wifi"): that is where the link must work
        out.update(w for w in toks[i + 1:i + 1 + _LACK_WITHIN] if w.isalpha() and w not in NEGATIONS)
    return frozenset(out)


@dataclass(frozen=True)
class MediumFit:
    """The media a request asks and refuses, whether it reads as having something in the way, and the score
    change per part."""

    asked: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    obstructed: bool = False
    deltas: Mapping[str, float] = field(default_factory=dict)


@dataclass
class MediumFacts:
    """Per part: the media its typed links travel, and whether its capabilities need a line of sight (True: some
    do and none pass obstacles; False: they pass them)."""

    media: Mapping[str, frozenset[str]]
    sight: Mapping[str, bool]
    senses: WordSenses
    barriers: WordSenses | None = None
    sights: WordSenses | None = None
    rooms: WordSenses | None = None

    @classmethod
    def of_records(cls, records: Iterable, embedder_factory: Callable | None = None) -> "MediumFacts":
        media: dict[str, set[str]] = {}
        sight: dict[str, set[bool]] = {}
        for rec in records:
            for cap in getattr(rec, "provides", None) or []:
                if cap.medium:
                    media.setdefault(rec.key, set()).add(cap.medium)
                if cap.line_of_sight is not None:
                    sight.setdefault(rec.key, set()).add(bool(cap.line_of_sight))
        return cls({k: frozenset(v) for k, v in media.items()},
                   {k: True in v and False not in v for k, v in sight.items()},
                   WordSenses(MEDIA_GLOSSES, embedder_factory),
                   WordSenses(BARRIER_GLOSSES, embedder_factory, threshold=BARRIER),
                   WordSenses(SIGHT_GLOSSES, embedder_factory),
                   WordSenses(ROOM_GLOSSES, embedder_factory, threshold=ROOM))

    def obstructed(self, text: str) -> bool:
        """Whether a request reads as having something solid between a link's two ends, or between a sensor and
        what it senses: a barrier word after a preposition of passing, or a clear line of sight negated."""
        toks = tokens(text)
        if not PASSING.intersection(toks) and not NEGATIONS.intersection(toks) and "t" not in toks:
            return False  # neither a preposition of passing nor a negation: nothing to read (no words embedded)
        after = [toks[j] for i, t in enumerate(toks) if t in PASSING
                 for j in range(i + 1, min(len(toks), i + 1 + _NOUN_WITHIN)) if toks[j].isalpha()]
        if after and self.barriers is not None and "barrier" in set(self.barriers.senses(after).values()):
            return True
        return self.sights is not None and "sight" in self.sights.read(text)[1]

    def separated(self, text: str) -> bool:
        """Whether a request reads as having a link's two ends in different rooms: a word of otherness followed
        within a few words by one that reads as a room or a floor of a building ("a remote in a different room")."""
        toks = tokens(text)
        if not OTHERNESS.intersection(toks) or self.rooms is None:
            return False  # no word of otherness: nothing to read (no words embedded)
        after = [toks[j] for i, t in enumerate(toks) if t in OTHERNESS
                 for j in range(i + 1, min(len(toks), i + 1 + _ROOM_WITHIN)) if toks[j].isalpha()]
        return bool(after) and "room" in set(self.rooms.senses(after).values())

    @property
    def linked(self) -> frozenset[str]:
        """The parts with a typed link medium."""
        return frozenset(self.media)

    def fit(self, text: str, obstructed: bool = False, skip: Iterable[str] = (), media: bool = True,
            separated: bool = False) -> MediumFit:
        """The score changes for the medium a request's words ask or refuse (read with ``media``), for something
        in its way (``obstructed``), and for a link's two ends in different rooms (``separated``: read against the
        parts whose typed link has a medium, when nothing else stands in the way)."""
        asked, refused = self.senses.read(text, tuple(skip)) if media else (frozenset(), frozenset())
        deltas: dict[str, float] = {}
        if asked or refused:
            for key, media in self.media.items():
                if asked:
                    deltas[key] = MEDIUM if media & asked else -OTHER_MEDIUM
                elif media <= refused:
                    deltas[key] = -OTHER_MEDIUM
                else:
                    deltas[key] = MEDIUM
        if obstructed:
            for key, needs_sight in self.sight.items():
                deltas[key] = deltas.get(key, 0.0) + (-BLOCKED if needs_sight else CLEAR)
        elif separated:
            for key, needs_sight in self.sight.items():
                if key in self.media:
                    deltas[key] = deltas.get(key, 0.0) + (-BLOCKED if needs_sight else CLEAR)
        return MediumFit(asked, refused, obstructed or separated, deltas)
