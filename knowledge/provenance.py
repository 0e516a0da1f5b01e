"""Words beside a part number that only say where the part came from.

A request that names a library part by its part number often says who made or sold the board as well ("<shop>
BMP180 board", "an HC-05 from <maker>"). Such a word is no evidence about which part is meant:
the part number says that. Read as evidence, it dilutes the request: it is a word no record uses, a name word
the part's names lack, and its vector pulls the request's away from the part, so an in-library request reads
as unknown.

Which words are provenance is read from the library and the request, never from a list of makers or shops:

- the request holds a part number that resolves to a record, and no part number the library lacks nor a slip of
  one (a maker's word beside a number no record holds says nothing about whether the library has it);
- the word is no word of any record's key, name, aliases or part numbers (``LexicalIndex.name_words``), nor a
  slip of one: it names no part of the library; and no record's texts use it at all (``LexicalIndex.words``: a
  firmware, a tool or a standard the descriptions mention says what a part works with);
- it is not a word of the English list (``knowledge.english``) nor a number, value or part number: a proper name,
  not a word that says what the part is or does ("waterproof", "gimbal");
- it does not read as a finished product (``knowledge.products``: its vector's cosine with every product of the
  catalog stays below ``READS_AS_PRODUCT``): a product's own name beside a part ("<a smartwatch brand> with a
  MAX30102") asks for the product, not for the part.

``strip`` removes the provenance words from the request's text; the retriever ranks what is left.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from knowledge.english import is_english
from knowledge.lexical import LexicalHit, LexicalIndex, close_words, evidence_words, is_part_number, is_value, stem
from knowledge.lexical import tokens
from knowledge.products import READS_AS_PRODUCT

MIN_LETTERS = 3  # a shorter token is an initial or an abbreviation, not a name


def resolves(hit: LexicalHit) -> bool:
    """Whether the request holds a part number that names a record outright, and no part number the library
    lacks nor a slip of one."""
    if hit.unknown_part_numbers or hit.slips:
        return False
    return any(hit.part_number.get(key, 0.0) >= 1.0 for keys in hit.pn_tokens.values() for key in keys)


def candidates(hit: LexicalHit, lexical: LexicalIndex) -> list[str]:
    """The request's words that may only say where the part came from (every test but the product reading):
    words of no record's names, no slip of one, no English word, no number or part number."""
    if not resolves(hit):
        return []
    out = []
    for w in evidence_words(hit.content, hit.revision):
        if (w in hit.pn_tokens or w in hit.slipped_words or not w.isalpha() or len(w) < MIN_LETTERS
                or is_value(w) or is_part_number(w) or is_english(w) or stem(w) in lexical.name_words
                or w in lexical.words or stem(w) in lexical.words):
            continue
        if any(close_words(w, n) is not None for n in lexical.name_words if abs(len(n) - len(w)) <= 2):
            continue  # a slip of a name word ("modul" for "module")
        out.append(w)
    return list(dict.fromkeys(out))


def provenance_words(hits: Sequence[LexicalHit], lexical: LexicalIndex,
                     encode: Callable[[list[str]], list[np.ndarray]], product_vectors: np.ndarray) -> list[list[str]]:
    """Per request, its provenance words: ``candidates`` that do not read as a finished product (``encode``
    embeds words; ``product_vectors`` are the catalog's unit vectors). The candidate words of all requests are
    embedded in one call."""
    cands = [candidates(h, lexical) for h in hits]
    words = sorted({w for c in cands for w in c})
    if not words:
        return [[] for _ in hits]
    if len(product_vectors):
        vecs = np.asarray(encode(words), dtype=np.float32)
        reads = (vecs @ np.asarray(product_vectors, dtype=np.float32).T).max(axis=1)
        product_like = {w for w, r in zip(words, reads) if float(r) >= READS_AS_PRODUCT}
    else:
        product_like = set()
    return [[w for w in c if w not in product_like] for c in cands]


def strip(text: str, words: Sequence[str]) -> str:
    """The request without the whitespace-separated pieces whose every token is one of ``words``."""
    drop = set(words)
    if not drop:
        return text
    kept = [piece for piece in text.split() if not (tokens(piece) and set(tokens(piece)) <= drop)]
    return " ".join(kept) if kept else text

