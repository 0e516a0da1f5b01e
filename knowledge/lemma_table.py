"""Word lists distilled from lemminflect's English lemma table (the optional 'nlp' extra).

The table lists (word, category, lemma) rows; a list keeps the words a test on the row accepts
(:mod:`knowledge.verbs`: verbs' base forms; :mod:`knowledge.comparatives`: adjectives' comparatives),
and is shipped as a small text file so reading a request loads no lexicon.
"""

from __future__ import annotations

import argparse
import csv
import gzip
from pathlib import Path
from typing import Callable

from knowledge import lazy_imports


def distil(out: Path, keep: Callable[[str, str, str], bool]) -> int:
    """Write the table's plain ASCII words (lower case, sorted) whose row ``keep(word, category, lemma)``
    accepts to ``out``; the number written."""
    table = Path(lazy_imports.lemminflect().__file__).parent / "resources" / "lemma_lu.csv.gz"
    words: set[str] = set()
    with gzip.open(table, "rt", encoding="utf-8") as fh:
        for word, category, lemma in csv.reader(fh):
            if word.isalpha() and word.isascii() and keep(word, category, lemma):
                words.add(word.lower())
    out.write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    return len(words)


def word_list(path: Path) -> frozenset[str]:
    """A distilled list, as a set."""
    return frozenset(path.read_text(encoding="utf-8").split())


def cli(argv, build: Callable[[Path], int], default: Path, what: str) -> int:
    """``python -m knowledge.<list>``: distil the list ``what`` into ``default`` (or ``--out``)."""
    ap = argparse.ArgumentParser(description=f"distil lemminflect's {what} into knowledge/{default.name}")
    ap.add_argument("--out", type=Path, default=default)
    args = ap.parse_args(argv)
    print(f"{build(args.out)} {what} -> {args.out}")
    return 0
