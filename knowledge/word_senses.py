"""Which of a few typed facts the words of a request name, and whether a negation holds them off.

A typed value of a record field is glossed in a few words (the link medium "wire": "a wire or a cable"; a
heatsink). Each content word of a request is read against the glosses by meaning: the MiniLM vector of the
single word against the glosses' vectors ("cable", "wires", "cord" sit near "a wire or a cable"; "wirelessly",
"rf" near "wireless radio"), and a word names the gloss's value it is nearest to, from ``SENSE`` (cosine) on.
A word with a negation a few words before it ("with no cable between them", "without a heatsink", "it must not
get hot", a contracted n't) names the value refused, not asked.

The glosses are the readings of typed values (``knowledge.link_medium``, ``knowledge.heat_reading``), never
phrases of requests; the negations are English grammar words.
"""

from __future__ import annotations

import threading
from typing import Callable, Mapping, Sequence

import numpy as np

from knowledge.embedding import get_embedder
from knowledge.lexical import FILLER, is_value, tokens

__all__ = ["WordSenses", "SENSE", "NEGATIONS", "negated"]

SENSE = 0.6   # cosine of a single word with a gloss from which the word names the glossed value
SCOPE = 4     # a negation holds the words up to this many tokens after it
NEGATIONS = frozenset({"no", "not", "without", "never", "nothing", "none", "nor"})
# what follows a verb straight away: its object's article or pronoun, or the particle of a phrasal verb
_OBJECT_NEXT = frozenset({"a", "an", "the", "up", "it", "them", "this", "that", "these", "those", "my", "your", "our"})


def negated(toks: list[str], i: int) -> bool:
    """Whether a negation stands within ``SCOPE`` tokens before token ``i`` ("no", "without" ...; "doesn't",
    "won't": a "t" after a word ending in n)."""
    for j in range(max(0, i - SCOPE), i):
        t = toks[j]
        if t in NEGATIONS or (t == "t" and j > 0 and toks[j - 1].endswith("n")):
            return True
    return False


_WORD_VECTORS: dict[tuple[Callable, str], np.ndarray] = {}  # (embedder factory, word) -> its vector, shared by
_WORD_LOCK = threading.Lock()                                 # every gloss set: a request's words embedded once
_MAX_WORDS = 8192


def word_vectors(factory: Callable, words: Sequence[str]) -> np.ndarray:
    """The single-word vectors of ``words`` (rows in order), those not embedded before in one batch."""
    with _WORD_LOCK:
        todo = list(dict.fromkeys(w for w in words if (factory, w) not in _WORD_VECTORS))
        if todo:
            emb = factory()
            vecs = [emb.encode_query(todo[0])] if len(todo) == 1 else list(emb.encode(todo))
            if len(_WORD_VECTORS) + len(todo) > _MAX_WORDS:
                _WORD_VECTORS.clear()
            for w, v in zip(todo, vecs):
                _WORD_VECTORS[(factory, w)] = np.asarray(v, dtype=np.float32)
        return np.stack([_WORD_VECTORS[(factory, w)] for w in words]) if words else np.zeros((0, 0), np.float32)


def unseen_words(factory: Callable, texts: Sequence[str]) -> list[str]:
    """The words of ``texts`` a word reading may embed one by one (letters, two or more) that are not embedded yet:
    a batch of requests embeds them in the same model call as the requests themselves (``remember_words``)."""
    with _WORD_LOCK:
        return list(dict.fromkeys(t for text in texts for t in tokens(text)
                                  if len(t) >= 2 and t.isalpha() and (factory, t) not in _WORD_VECTORS))


def remember_words(factory: Callable, words: Sequence[str], vectors: Sequence[np.ndarray]) -> None:
    """Keep vectors embedded elsewhere (in one call with the requests) as the single-word vectors of ``words``."""
    with _WORD_LOCK:
        if len(_WORD_VECTORS) + len(words) > _MAX_WORDS:
            _WORD_VECTORS.clear()
        for w, v in zip(words, vectors):
            _WORD_VECTORS[(factory, w)] = np.asarray(v, dtype=np.float32)


def _verb_with_object(toks: list[str], i: int) -> bool:
    """Whether token ``i`` is a verb with its object (or a particle and its object) straight after it ("wire up a
    relay", "wire the sensor"); a particle that ends the text takes no object ("without it heating up")."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None or nxt not in _OBJECT_NEXT:
        return False
    return nxt != "up" or i + 2 < len(toks)


class WordSenses:
    """Glosses of typed values (value -> a few words each), read against a request's words one by one."""

    def __init__(self, glosses: Mapping[str, Sequence[str]], embedder_factory: Callable | None = None,
                 threshold: float = SENSE):
        self._values = [v for v, texts in glosses.items() for _ in texts]
        self._texts = [t for texts in glosses.values() for t in texts]
        self._factory = embedder_factory or get_embedder
        self.threshold = threshold
        self._gloss: np.ndarray | None = None
        self._lock = threading.Lock()

    def _vectors(self) -> np.ndarray:
        if self._gloss is None:
            self._gloss = np.asarray(self._factory().encode(self._texts), dtype=np.float32)
        return self._gloss

    def gloss_vectors(self) -> np.ndarray:
        """The glosses' vectors (rows in ``glosses`` order)."""
        with self._lock:
            return self._vectors()

    @property
    def glosses(self) -> list[str]:
        return list(self._texts)

    def warm(self, vectors: Sequence[np.ndarray]) -> None:
        """Take the glosses' vectors from a batch embedded elsewhere (rows in ``glosses`` order)."""
        with self._lock:
            if self._gloss is None:
                self._gloss = np.asarray(np.stack(vectors), dtype=np.float32)

    @property
    def warmed(self) -> bool:
        return self._gloss is not None

    def senses(self, words: Sequence[str]) -> dict[str, str | None]:
        """The glossed value each word names (None: none from ``threshold`` on)."""
        words = list(dict.fromkeys(words))
        if not words:
            return {}
        with self._lock:
            gloss = self._vectors()
        sims = word_vectors(self._factory, words) @ gloss.T
        out: dict[str, str | None] = {}
        for w, row in zip(words, sims):
            j = int(np.argmax(row))
            out[w] = self._values[j] if float(row[j]) >= self.threshold else None
        return out

    def read(self, text: str, skip: Sequence[str] = (), verbs: bool = False) -> tuple[frozenset[str], frozenset[str]]:
        """(the values the text's words ask for, the values they refuse). ``skip``: words that are no reading
        (pieces of part numbers). A word used as a verb, with its object straight after it ("wire up a relay",
        "wire the sensor"), is what is done, not a value asked, unless ``verbs``: glosses of a doing ("touching")
        read verbs too ("without touching it")."""
        toks = tokens(text)
        at = [i for i, t in enumerate(toks)
              if len(t) >= 2 and t.isalpha() and t not in FILLER and t not in NEGATIONS and not is_value(t)
              and t not in skip and (verbs or not _verb_with_object(toks, i))]
        named = self.senses([toks[i] for i in at])
        asked: set[str] = set()
        refused: set[str] = set()
        for i in at:
            value = named[toks[i]]
            if value is not None:
                (refused if negated(toks, i) else asked).add(value)
        return frozenset(asked - refused), frozenset(refused)
