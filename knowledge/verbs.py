"""Can an English word be a verb? (lemminflect's English lexicon, as a list of words.)

A request or a capability that opens with a verb states what is to be done ("measure how far",
"recharge the 18650"); one that opens with an adjective names a kind of part ("low dropout
regulator", "dual H-bridge"). Word order cannot tell "low" from "log"; a lexicon can. This module
answers from the base forms that lemminflect's lemma table lists as verbs (about 8 000 words), distilled
into ``knowledge/verbs.txt`` by

    python -m knowledge.verbs            (needs the optional 'nlp' extra: lemminflect)

so a search loads a small word list, not the lexicon. A word the list lacks ("dual", "digital",
"native", "sonar") is no verb; a word English uses both ways ("light", "power", "switch") is one,
and the request's structure decides (``knowledge.lexical``).
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from knowledge.lemma_table import cli, distil, word_list

DATA = Path(__file__).resolve().parent / "verbs.txt"


def build(out: Path = DATA) -> int:
    """Distil lemminflect's lemma table into the data file (the base forms it tags as verbs)."""
    return distil(out, lambda word, category, lemma: category == "verb" and word == lemma)


@lru_cache(maxsize=1)
def verbs() -> frozenset[str]:
    """The words English uses as verbs (base forms, lower case)."""
    return word_list(DATA)


def can_be_verb(word: str) -> bool:
    """Whether a lower-case word is the base form of an English verb."""
    return word in verbs()


def base_forms(word: str) -> set[str]:
    """The verbs an inflected word can be a form of ("charging" -> charge, "plays" -> play, "stopped" ->
    stop, "dries" -> dry): the endings -s, -es, -ed, -ing taken off (-ies, -ied made -y) (a final e put back, a doubled consonant undone), kept
    where the list knows the result as a verb; the word itself when it is one."""
    out = {word} if word in verbs() else set()
    if word.endswith(("ies", "ied")) and len(word) > 4 and word[:-3] + "y" in verbs():
        out.add(word[:-3] + "y")  # "dries", "carried": dry, carry
    for end in ("ing", "ed", "es", "s"):
        if word.endswith(end) and len(word) > len(end) + 2:
            stem = word[: -len(end)]
            for cand in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
                if cand and cand in verbs():
                    out.add(cand)
    return out


def main(argv=None) -> int:
    return cli(argv, build, DATA, "verbs")


if __name__ == "__main__":
    sys.exit(main())
