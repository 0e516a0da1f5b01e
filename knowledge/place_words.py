"""Where a request sends data, read word by word: a text or a call to a phone, a website, an app on a phone.

"text me the soil moisture of the vegetable bed", "sms me the greenhouse humidity": what a request says of the data
(a quantity, the thing it belongs to) is most of its words, and outweighs the place it goes to in the request's
vector, so the vector reads as no place (``knowledge.destinations``). One word at a time the place stands out: each
content word is read against the places' glosses (``Destination.gloss`` in destinations.yaml) by meaning
(``knowledge.word_senses``: "text", "sms" and "call" sit near a text message or a call to a phone; "website",
"server" and "web" near a website on the internet; "app" and "smartphone" near an app on a smartphone). A word a
negation holds off ("without internet") names a place refused, not one asked.

Only the places outside every build (``Destination.outside``: a person's phone, a website) that every part reaching
them reaches through a link count: a word naming another board, a file or a computer names a part of the build or
the thing itself as often ("a 5 V board", "a text file", "a laptop charger"). Of the places the words name, the
request is read as sending to the one its whole vector sits nearest (a "phone" is a text's phone or an app's
phone as the rest of the request says). Then what the request says of the data is context: a part that only
senses, and cannot get the data there, is not the part wanted.
"""

from __future__ import annotations

from typing import Callable, Collection, Iterable, Sequence

import numpy as np

from knowledge.lexical import FILLER, tokens
from knowledge.link_medium import OTHERNESS
from knowledge.verbs import can_be_verb
from knowledge.word_senses import NEGATIONS, WordSenses, negated, word_vectors

__all__ = ["PlaceWords", "PLACE_WORD", "other_board"]

OTHER = OTHERNESS | {"second"}  # words that set the other end of a link apart from the board the request builds on

PLACE_WORD = 0.55  # cosine of a single word with a place's gloss from which it names that place
SERVED = frozenset({"for"})  # the preposition of what a part serves ("a holder for my phone")
_SERVED_WITHIN = 2  # ... within this many words before the place's word ("for a phone", "for my phone")
PLACE_KIN = 0.3    # ... from which the word after it belongs with a place too ("an sms alert", "a phone app")


class PlaceWords:
    """The destination catalog's glosses, read against a request's words one by one."""

    def __init__(self, glosses: dict[str, Sequence[str]], linked: Collection[str],
                 embedder_factory: Callable | None = None):
        """``glosses``: place slug -> its glosses (every place: a word after a place's word may name another);
        ``linked``: the places a single word may name (outside every build, reached only through a link)."""
        kept = {k: tuple(g) for k, g in glosses.items() if g}
        self._places = [k for k, g in kept.items() for _ in g]  # the place of each gloss row
        self.senses = WordSenses(kept, embedder_factory, threshold=PLACE_WORD)
        self._linked = np.asarray([k in linked for k in self._places], dtype=bool)
        self._rows_of = {k: np.asarray([r for r, p in enumerate(self._places) if p == k], dtype=np.intp) for k in kept}
        self.linked = frozenset(k for k in kept if k in linked)  # the places a word may name
        self._factory = self.senses._factory

    def named(self, text: str, skip: Sequence[str] = ()) -> dict[str, float]:
        """Each place the request's words name, with its best word's cosine: a word from ``PLACE_WORD`` on with no
        negation before it, not one that says what kind of thing the noun after it is ("a phone holder", "a text
        file": the word after it names no place, or another one, and is no verb), and not what a part is for ("a tag
        for a phone")."""
        toks = tokens(text)
        at = [i for i, t in enumerate(toks)
              if len(t) >= 2 and t.isalpha() and t not in FILLER and t not in NEGATIONS and t not in skip]
        if not at or not self._linked.any():
            return {}
        sims = word_vectors(self._factory, [toks[i] for i in at]) @ self.senses.gloss_vectors().T
        row_of = dict(zip(at, sims))
        out: dict[str, float] = {}
        for i, row in row_of.items():
            j = int(np.argmax(row))
            if row[j] < PLACE_WORD or not self._linked[j] or negated(toks, i):
                continue
            nxt = row_of.get(i + 1)
            if nxt is not None and float(nxt[self._rows_of[self._places[j]]].max()) < PLACE_KIN and (not can_be_verb(toks[i + 1])
                                                                  or float(nxt.max()) >= PLACE_KIN):
                continue  # it says which kind of the next noun ("the phone holder"), or the next word names another
                # place, the head of the two ("a text file"): no place data goes to
            if i + 1 < len(toks) and toks[i + 1] == "of":
                continue  # it says how much or what kind of the noun after "of" ("a cloud of dust"): no place
            if SERVED.intersection(toks[max(0, i - _SERVED_WITHIN):i]):
                continue  # what the wanted part is for ("a tag for a phone"), not where it sends data
            if row[j] > out.get(self._places[j], -1.0):
                out[self._places[j]] = float(row[j])
        return out

    def place(self, text: str, scores: np.ndarray, order: Sequence[str], skip: Sequence[str] = ()) -> str | None:
        """The place a request's words send data to, None when they name none: of the places they name, the one
        its best word and the request's whole vector (``scores``: its cosine with each place, in ``order``) sit
        nearest together (a "phone" sits near a text's phone and an app's phone alike: the rest decides)."""
        named = self.named(text, skip)
        if not named:
            return None
        whole = {slug: float(s) for s, slug in zip(scores, order)}
        return max(named, key=lambda p: named[p] + whole.get(p, 0.0))


TOWARD = frozenset({"to", "from", "with"})  # prepositions of the other end a message goes to or comes from
_OTHER_WITHIN = 3  # the board's name within this many words after the preposition ("to another uno", "from a
                   # second arduino")


def other_board(text: str, names_board: Callable[[str], bool]) -> bool:
    """Whether a request sends data to or from another board (``another-board``): a preposition of the other end,
    then within a few words a word of otherness ("another", "a second") and a word that names boards
    (``names_board``: the parts it names are mostly boards), "pass its readings to another uno"."""
    toks = tokens(text)
    for i, t in enumerate(toks):
        if t not in TOWARD:
            continue
        after = toks[i + 1:i + 1 + _OTHER_WITHIN]
        for j, w in enumerate(after):
            if w in OTHER and any(names_board(x) for x in after[j + 1:]):
                return True
    return False


def linked_places(places: Iterable[str], serving: Callable[[str], Collection[str]],
                  communicates: Callable[[str], bool]) -> frozenset[str]:
    """The places some part reaches, all of them through a link (a communicate capability)."""
    return frozenset(p for p in places if (parts := serving(p)) and all(communicates(k) for k in parts))
