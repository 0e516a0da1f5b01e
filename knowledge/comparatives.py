"""Is an English word an adjective's comparative? (lemminflect's English lexicon, as a list of words.)

"The nearer my bumper gets, the faster it beeps": a correlative comparative, "the" + a comparative + a
clause, says how one thing follows another; its first half is the condition. Only a lexicon tells a
comparative ("nearer", "hotter", "drier") from a word that merely ends in -er ("water", "timer", "user").
This module answers from the adjective forms that lemminflect's lemma table lists with a base other than
themselves and ending in -er, distilled into ``knowledge/comparatives.txt`` by

    python -m knowledge.comparatives        (needs the optional 'nlp' extra: lemminflect)

so reading a request loads a small word list, not the lexicon.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from knowledge.lemma_table import cli, distil, word_list

DATA = Path(__file__).resolve().parent / "comparatives.txt"


def build(out: Path = DATA) -> int:
    """Distil lemminflect's lemma table into the data file (adjective forms in -er with another base)."""
    return distil(out, lambda word, category, lemma: category == "adj" and word != lemma and word.endswith("er"))


@lru_cache(maxsize=1)
def comparatives() -> frozenset[str]:
    """The comparative forms of English adjectives (lower case)."""
    return word_list(DATA)


def is_comparative(word: str) -> bool:
    """Whether a lower-case word is an adjective's comparative ("hotter", "nearer", "drier")."""
    return word in comparatives()


def main(argv=None) -> int:
    return cli(argv, build, DATA, "comparatives")


if __name__ == "__main__":
    sys.exit(main())
