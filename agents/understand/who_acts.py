"""Who acts in a clause: a person who signals on purpose works an input; a person who only comes by is sensed.

"... so visitors can let us know they are here" and "... when someone walks up" both speak of a person
at the door, and both read by meaning as a person being noticed. What separates them is who acts:

- in the first the person is the clause's subject and addresses the one asking (an object "me", "us",
  "our ...") or announces themselves (a reflexive object): they do something on purpose to be heard, so
  the design gives them something to work (a record capability a person ``operates``: a button, a touch
  pad, a keypad);
- in the second, a condition whose subject is a person who does not address anyone, the person is what
  the design notices (a capability a person is ``noticed`` by, or one they operate where the clause says
  they work it).

The structure is read from grammar (the subject is the words before the first modal or verb; the object
pronouns are a closed class), whether the subject is a person by meaning (its head noun, said as one of
a kind, reads closer to "someone" than to "something" by ``MARGIN``), and what a person does to each
input from the records (``Capability.person``), so a new input kind is a record, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.lexical import GRAMMAR_WORDS
from knowledge.verbs import base_forms

MARGIN = 0.06  # the subject reads as someone, ahead of something, as clearly as a clause's best reading must stand out
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# the one asking, as the object of what is done (they address us), and a subject acting on itself
TO_SPEAKER = {"me", "us", "our"}
REFLEXIVE = {"themselves", "himself", "herself", "themself"}
SPEAKER = {"i", "we", "you", "me", "us"}
MODALS = {"can", "could", "may", "might", "will", "would", "shall", "should", "must"}
DETERMINERS = {"a", "an", "the", "my", "our", "your", "his", "her", "their", "some", "any", "every", "each"}
# a subject that is no one in particular (the device, a relative pronoun, a dummy subject)
NOT_A_SUBJECT = {"it", "this", "that", "these", "those", "which", "who", "there", "here", "they"}


@dataclass(frozen=True)
class Actor:
    subject: str     # the words naming who acts ("visitors", "the postman")
    signals: bool    # they address the one asking, or announce themselves


def structure(text: str) -> tuple[str, str] | None:
    """(subject, what follows it) of a clause whose subject is a noun phrase before a modal or a verb, or None.

    The verb is the first modal, or else the first word after the subject's first word that English uses
    as a verb ("the kids signal me": "kids" may be a verb too, but a subject comes first)."""
    words = _WORD.findall(text.lower())
    if len(words) < 2:
        return None
    start = 1 if words[0] in DETERMINERS else 0
    if start >= len(words) or words[start] in GRAMMAR_WORDS - {"he", "she"} or words[start] in NOT_A_SUBJECT:
        return None
    at = next((i for i in range(start + 1, len(words)) if words[i] in MODALS), None)
    if at is None:
        at = next((i for i in range(start + 1, min(len(words), start + 4))
                   if base_forms(words[i]) and words[i] not in GRAMMAR_WORDS), None)
    if at is None or any(w in GRAMMAR_WORDS - {"he", "she"} for w in words[start:at]):
        return None
    return " ".join(words[:at]), " ".join(words[at:])


def _one_of_a_kind(head: str) -> list[str]:
    """The head noun said as one person or thing ("visitors" -> "a visitor"): the model reads a bare plural
    as a crowd or a place more than as people. A pronoun is read as it is."""
    if head in GRAMMAR_WORDS:
        return [head]
    forms = [head[:-1]] if head.endswith("s") and not head.endswith("ss") and len(head) > 3 else []
    return [f"a {w}" for w in forms + [head]]


def is_person(subject: str, embed) -> bool:
    """The subject's head noun reads as someone, ahead of something by ``MARGIN`` (``embed``: texts -> unit
    vectors)."""
    words = subject.split()
    if not words or words[-1] in SPEAKER:
        return False
    forms = _one_of_a_kind(words[-1])
    vecs = embed(["someone", "something"] + forms)
    person, thing = vecs[0], vecs[1]
    return any(float(v @ person) - float(v @ thing) >= MARGIN for v in vecs[2:])


def actor(text: str, embed) -> Actor | None:
    """Who acts in the clause, when it is a person (see the module's notes), or None."""
    parts = structure(text)
    if parts is None:
        return None
    subject, rest = parts
    if not is_person(subject, embed):
        return None
    after = set(rest.split()[1:])
    return Actor(subject=subject, signals=bool(after & (TO_SPEAKER | REFLEXIVE)))
