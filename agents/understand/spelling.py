"""Misspelt words in a request, corrected towards the library's own vocabulary.

A word is corrected only when it is neither a word the library's records use (names, aliases,
descriptions, typical uses, capability descriptions) nor an English word (pyspellchecker's English
frequency list) or two English words written as one ("treehouse", unless one long piece is a slip
of the library word's: "photoresister"), and exactly one library word, or one clearly more used
than its rivals, lies within a small edit distance (one edit; two for long words). "moter" becomes
"motor", "sensr" "sensor", "temprature" "temperature"; "kid", "garage" and part numbers stay as
written. The English list is only loaded when a word has a close library candidate, so most requests never pay for it.

A short word that English barely uses and that begins one word parts are named by, a word the records
use far more than any other it could begin, is that word shortened: "batt" is a battery, "lith" lithium,
"thresh" a threshold. Everyday words ("came", "sock", "plan") are real words and stay as written.
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from knowledge.english import english_correction, english_frequency, is_compound, is_english, is_real_word
from knowledge.library import Library
from agents.rules.part_search import lib_cache
from circuit.quantities import find_quantities

MIN_LEN = 4        # shorter words are too easily another word
LONG = 8           # from this length two edits are allowed
SLIP_PIECE = 6     # a piece of a compound this long, one edit from a library word, is a slip of it
MAX_SHORTENED = 6  # a shortened word ("batt", "thresh") is short: longer words are words of their own
SHORTENED_BY = 2   # and leaves out at least this many letters of the word it stands for
RARE = 150         # uses in the English list's corpus below which a word is no everyday word ("batt" 50, "sock" 8814)
DOMINANT = 5       # the word it begins is used this many times more by the records than any other it begins
_WORD = re.compile(r"(?<![A-Za-z0-9'-])[A-Za-z]+(?![A-Za-z0-9'-])")  # whole words only, not part numbers
_TEXT_WORD = re.compile(r"[a-z]+")
_NAME_WORD = re.compile(r"[a-z0-9]+")


def library_vocabulary(lib: Library) -> Counter:
    """Every word the records use, with how often (a word many records use wins a tie)."""

    cache = lib_cache(lib)
    vocab = cache.get("spelling_vocab")
    if vocab is None:
        vocab = Counter()
        for r in lib:
            text = " ".join([r.key.replace("-", " "), r.name, " ".join(r.aliases), r.description, r.typical_use,
                             " ".join(c.description for c in r.provides)]).lower()
            vocab.update(_TEXT_WORD.findall(text))
        cache["spelling_vocab"] = vocab
    return vocab


def name_vocabulary(lib: Library) -> set[str]:
    """The words parts are named by (keys, names, aliases): what a request most likely meant to write."""

    cache = lib_cache(lib)
    names = cache.get("spelling_names")
    if names is None:
        names = set()
        for r in lib:
            names |= set(_TEXT_WORD.findall(" ".join([r.key.replace("-", " "), r.name, " ".join(r.aliases)]).lower()))
        cache["spelling_names"] = names
    return names


def _known(word: str, vocab: Counter) -> bool:
    if vocab.get(word, 0) > 1:
        return True  # (a word only one record uses once may itself be a slip or a foreign word)
    # the plural of a library word ("sensors", "neopixels")
    return any(word.endswith(suffix) and vocab.get(word[: -len(suffix)], 0) > 1 for suffix in ("s", "es"))


def correction(word: str, lib: Library) -> str | None:
    """The library word ``word`` is a misspelling of, or None."""
    w = word.lower()
    if len(w) < MIN_LEN or not w.isalpha():
        return None
    vocab = library_vocabulary(lib)
    if _known(w, vocab):
        return None
    full = _shortened(w, vocab, lib)
    if full is not None:
        return full
    limit = 2 if len(w) >= LONG else 1
    cands = process.extract(w, [v for v in vocab if abs(len(v) - len(w)) <= limit and len(v) >= MIN_LEN
                                and vocab[v] > 1 and v != w],
                            scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=8)
    if not cands:
        if len(w) >= LONG - 2 and not is_real_word(w):
            # an everyday word misspelt ("conected"): the English list's one-edit correction
            fixed = english_correction(w)
            return fixed if fixed and fixed != w and DamerauLevenshtein.distance(w, fixed) == 1 else None
        return None
    # fewest edits; then a word parts are named by ("sensr" is "sensor", not "sense": requests name
    # parts); then the word the records use most, by a clear margin
    names = name_vocabulary(lib)
    # (of as few edits, one that keeps every letter, two of them swapped, is the likelier slip: "truns" is
    # "turns" with two letters swapped, not "runs" with one added)
    ranked = sorted(((d, sorted(v) != sorted(w), v not in names, v) for v, d, _ in cands))
    best = [v for d, s, n, v in ranked if (d, s, n) == ranked[0][:3]]
    top = sorted(((vocab[v], v) for v in best), reverse=True)
    if len(top) > 1 and top[0][0] < 2 * top[1][0]:
        return None  # two library words are as likely: leave the word as written
    meant = top[0][1]
    swapped = sorted(meant) == sorted(w)  # (two letters swapped: "toggel" is no compound of "tog" and "gel")
    if is_english(w) or (is_compound(w) and not swapped and not _slip_in_a_piece(w, meant, vocab)):
        return None  # a real word the library does not use ("garage", "burglar"), or two ("treehouse")
    return meant


def _slip_in_a_piece(word: str, meant: str, vocab: Counter) -> bool:
    """Whether ``word``, two real words written as one, is ``meant`` with one long piece slipped by one
    edit ("photoresister" is photo + a slipped "resistor"): the other piece is the same and the slipped
    piece is a word the records use. A short piece one edit from another ("lake", "bake") or a piece
    further off ("tree", "green") is a different word, and the compound stands."""
    for i in range(1, len(word)):
        for j in (i - 1, i, i + 1):  # (the slipped piece may have gained or lost a letter)
            a, b, c, d = word[:i], word[i:], meant[:j], meant[j:]
            if a == c and _slipped(b, d, vocab) or b == d and _slipped(a, c, vocab):
                return True
    return False


def _slipped(piece: str, meant: str, vocab: Counter) -> bool:
    return len(meant) >= SLIP_PIECE and vocab.get(meant, 0) > 1 and DamerauLevenshtein.distance(piece, meant) == 1


def _shortened(w: str, vocab: Counter, lib: Library) -> str | None:
    """The word parts are named by that ``w`` is a shortening of ("batt": battery), or None."""
    if len(w) > MAX_SHORTENED:
        return None
    longer = sorted(((vocab[v], v) for v in name_vocabulary(lib) if v.startswith(w) and len(v) >= len(w) + SHORTENED_BY
                     and vocab.get(v, 0) > 1), reverse=True)
    if not longer or (len(longer) > 1 and longer[0][0] < DOMINANT * longer[1][0]):
        return None
    if english_frequency(w) >= RARE:
        return None  # an everyday word ("came" is no camera)
    return longer[0][1]


def name_pairs(lib: Library) -> set[tuple[str, str]]:
    """Pairs of adjacent words in the names parts go by ("light dependent", "dependent resistor")."""

    cache = lib_cache(lib)
    pairs = cache.get("spelling_pairs")
    if pairs is None:
        pairs = set()
        for r in lib:
            for name in [r.name, *r.aliases]:
                # (a part number is one word: "A3144 hall sensor" pairs "hall" with "sensor", not with "a")
                words = _NAME_WORD.findall(name.lower())
                pairs |= set(zip(words, words[1:]))
        cache["spelling_pairs"] = pairs
    return pairs


def in_a_name(word: str, before: str, after: str, lib: Library) -> str | None:
    """A real word one edit from a word of a part's name, which with the word before or after it makes
    that name ("light dependant resistor" is the light dependent resistor): the name is what was meant.
    None unless exactly one such word does."""
    w = word.lower()
    if len(w) < MIN_LEN or not w.isalpha() or _known(w, library_vocabulary(lib)):
        return None
    pairs = name_pairs(lib)
    # (a lone letter is a piece of a name's number, "USB-A", not a word that makes a name with its
    # neighbour: "a pocket" is no misspelt "USB-A socket")
    before, after = (x if len(x) > 1 else "" for x in (before, after))
    fits = {v for v in name_vocabulary(lib) if v != w and abs(len(v) - len(w)) <= 1
            and ((before, v) in pairs or (v, after) in pairs) and DamerauLevenshtein.distance(w, v) == 1}
    return fits.pop() if len(fits) == 1 else None


def unit_after_a_number(word: str, lib: Library) -> str | None:
    """A word after a number that is one edit from exactly one unit the units library reads ("4 secnds":
    "seconds", not "sends"): after a figure a unit is what was meant. None otherwise."""
    w = word.lower()
    if len(w) < MIN_LEN or not w.isalpha() or _known(w, library_vocabulary(lib)) or is_english(w):
        return None
    vocab = library_vocabulary(lib)
    cands = process.extract(w, [v for v in vocab if abs(len(v) - len(w)) <= 1 and vocab[v] > 1 and v != w],
                            scorer=DamerauLevenshtein.distance, score_cutoff=1, limit=8)
    units = {}
    for v, _, _ in cands:
        q = find_quantities(f"2 {v}")
        if q and q[0].unit:
            units[v] = (q[0].unit, round(q[0].value, 9))
    if len(set(units.values())) != 1:  # (no unit, or two different ones: "minute" and "minutes" are one)
        return None
    return max(units, key=lambda v: vocab[v])


def correct(text: str, lib: Library) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with misspelt words replaced, and the (was, now) pairs."""
    fixes: list[tuple[str, str]] = []
    found = list(_WORD.finditer(text))
    out, pos = [], 0
    for i, m in enumerate(found):
        word = m.group(0)
        fixed = correction(word, lib)
        if fixed is None:
            before = found[i - 1].group(0).lower() if i and not text[found[i - 1].end():m.start()].strip() else ""
            after = found[i + 1].group(0).lower() if i + 1 < len(found) \
                and not text[m.end():found[i + 1].start()].strip() else ""
            fixed = in_a_name(word, before, after, lib)
        if fixed is None and re.search(r"\d\s*$", text[:m.start()]):
            fixed = unit_after_a_number(word, lib)
        if fixed is not None:
            fixes.append((word, fixed))
        out += [text[pos:m.start()], fixed or word]
        pos = m.end()
    return "".join(out + [text[pos:]]), fixes


# the particles of English phrasal verbs: a compound ending in one is the verb's noun, whose head is no part of it
PARTICLES = frozenset("up down out off over in on back away about through around along by".split())


def compound_head(word: str, pieces: list[str], lib: Library) -> str | None:
    """The head of a compound word the model reads in pieces, when its first piece is another word the
    records use: "dustbin" (dust + bin) is a bin, yet the model reads it as dust. English compounds name
    a kind of their last part, so the head is what the word means to ask for; None when the word is
    the records' own, is read whole, or is not two real words."""
    w = word.lower()
    if len(pieces) < 2 or len(w) < 6 or not w.isalpha() or _known(w, library_vocabulary(lib)):
        return None
    head, rest = pieces[0].lower(), "".join(pieces[1:]).lower()
    if len(head) < 3 or len(rest) < 3 or head + rest != w or not _known(head, library_vocabulary(lib)):
        return None
    if rest in PARTICLES:  # "sundown", "countdown", "setup": a verb and its particle made a noun, not a kind of "down"
        return None
    return rest if is_english(rest) and is_english(w) else None
