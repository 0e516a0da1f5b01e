"""Lexical matching of part requests: part numbers, names and aliases, typos.

What embeddings are bad at, this module is good at:
- exact part numbers anywhere in a request, case- and punctuation-insensitive
  (``IRLZ44N``, ``ssd1306``, ``hc-sr04`` = ``HCSR04`` = ``HC SR04``), with a trailing
  package/grade letter tolerated (``IRLZ44`` finds ``IRLZ44N``) but never a different digit
  (``BMP180`` is not ``BMP280``);
- a whole request that is a part's key, name or alias;
- misspelled names (rapidfuzz ratio against every key, name and alias), and slips inside part
  numbers that cannot be another part: a swapped pair (``dth22``, ``bme208``), a doubled or
  dropped repeat (``hx7111``, ``ne55``), an O typed for a zero (``nrf24lo1``), but never a
  changed character (``BMP180`` stays unknown: it is a real part the library lacks);
- which words of a request the library has never heard of (``velodyne``), and which part
  numbers it does not know (``TMP117``) - the out-of-distribution evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from circuit.quantities import find_quantities
from knowledge.verbs import base_forms, can_be_verb
from knowledge.english import is_english
from knowledge.real_parts import real_parts
from knowledge.usb_connector import connector_words, named_connectors

if TYPE_CHECKING:  # pragma: no cover
    from knowledge.library import Library

# Words that carry no part identity in a request.
FILLER = frozenset(
    """a an the i i'm im need needs want wants wanted some any for my me to of with and or in on
    that which is it its this use using used can could would should like get please find looking
    look something thing things one part parts component components device devices kind type sort
    what whats good cheap small little simple project projects circuit from by at as be do does how
    into you your we our so just also about am are there here have has will very more most other
    common standard basic generic typical regular normal usual popular tiny mini lot lots many much
    few know make makes made go goes way ways let lets put see show tell keep give take still even
    only own same such than then them they their these those when where while why who whom whose
    each every all both either neither not no yes if else until via per around across over under""".split()
)

# Values and sizes, not identities: 10k, 4.7uf, 5mm, 12v, 3v3, 16x2, 2.4ghz, 1a, 100mah.
_VALUE = re.compile(
    r"^\d+(\.\d+)?("
    r"k|m|r|v|mv|kv|a|ma|ua|w|mw|kw|ohm|ohms|f|uf|nf|pf|mf|h|mh|uh|hz|khz|mhz|ghz|mm|cm|in|"
    r"mah|ah|wh|rpm|bit|bits|ch|channel|channels|s|ms|us|db|c|g|kg|nm|v\d+|x\d+|k\d+|r\d+|"
    r"st|nd|rd|th|pin|pins|way|d|x"
    r")?$"
)
_TOKEN = re.compile(r"\d+(?:\.\d+)?[a-z0-9]*|[a-z][a-z0-9]*")


@lru_cache(maxsize=1 << 14)  # the same names and texts are folded again for each of their uses
def fold(text: str) -> str:
    """Lower case, ASCII, with the unit signs people type spelled out."""
    text = str(text).replace("µ", "u").replace("μ", "u").replace("Ω", "ohm").replace("Ω", "ohm")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.lower()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def compact(text: str) -> str:
    """``HC-SR04`` -> ``hcsr04``: the form part numbers are compared in."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


@lru_cache(maxsize=1 << 16)
def stem(tok: str) -> str:
    """A light plural/verb stem so 'sensors' meets 'sensor' and 'measures' meets 'measure'."""
    if len(tok) > 4 and not any(c.isdigit() for c in tok):
        if tok.endswith("ies"):
            return tok[:-3] + "y"
        if tok.endswith(("ches", "shes", "sses", "xes")):
            return tok[:-2]
        if tok.endswith("s") and not tok.endswith(("ss", "us", "is", "os")):
            return tok[:-1]
        if tok.endswith("ing") and len(tok) > 6:
            return tok[:-3]
        if tok.endswith("ed") and len(tok) > 5:
            return tok[:-2]
    return tok


_CONFUSABLE = str.maketrans({"o": "0"})


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbour_keys(a: str, b: str) -> bool:
    """Two letters side by side on a QWERTY row (m/n, b/n): the finger slipped."""
    for row in _KEYBOARD:
        i, j = row.find(a), row.find(b)
        if i >= 0 and j >= 0 and abs(i - j) == 1:
            return True
    return False


def part_number_slip(typed: str, known: str) -> bool:
    """Whether ``typed`` is a slip of the part number ``known``: two characters swapped (side by side, or
    one apart: pcf8475), one character moved a place or two (dsb1820), a repeated character doubled or
    dropped or doubled at the wrong place, one character too many in a long number (nrf204l01), a letter
    typed with the key beside it (bne280), or a letter O for a zero. A digit changed for another is never
    a slip: BMP180 and BMP280 are both real parts; nor is a changed first character. Whether the typed
    string is itself a real part is the caller's question (``LexicalIndex.is_real``)."""
    if typed == known or len(typed) < 4:
        return False
    a, b = typed.translate(_CONFUSABLE), known.translate(_CONFUSABLE)
    if a == b:
        return True
    if a[0] != b[0] and not (len(a) == len(b) and a[:2] == b[1::-1] and a[2:] == b[2:]):
        return False  # a changed first character is another part; its first two swapped is a slip (xh711)
    if len(a) == len(b):
        if _squeeze(a) == _squeeze(b):
            return True  # the doubled character typed at the wrong place: mfrc552 for mfrc522
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            x, y = a[diff[0]], b[diff[0]]
            return x.isalpha() and y.isalpha() and _neighbour_keys(x, y)
        if len(diff) == 2:  # a swapped pair, side by side or one apart
            i, j = diff
            return j - i <= 2 and a[i] == b[j] and a[j] == b[i]
        if len(diff) == 3 and diff[2] - diff[0] == 2:  # one character moved two places
            i = diff[0]
            return a[i:i + 3] in (b[i + 1:i + 3] + b[i], b[i + 2] + b[i:i + 2])
        return False
    if abs(len(a) - len(b)) == 1:
        long, short = (a, b) if len(a) > len(b) else (b, a)
        for i in range(len(long)):
            if long[:i] + long[i + 1:] == short:
                if (i > 0 and long[i - 1] == long[i]) or (i + 1 < len(long) and long[i + 1] == long[i]):
                    return True
                if long is a and len(short) >= 6 and not (long[i].isdigit() and i > 0 and long[i - 1].isalpha()):
                    return True  # one character too many inside a long part number, not ahead of its number
                    # (a digit before the number makes another part of the family: MAX3485 beside the MAX485)
    return False


_ORDERING_LETTERS = 5  # the letters of an ordering code after a part number: package, grade, reel (IDGSR, PBF)


def _ends_in_digits(pn: str) -> bool:
    """A part number whose identity ends in its digits, maybe with one letter (ADS1115, L293D, IRLZ44N):
    letters typed after it are its ordering code."""
    return pn[-1].isdigit() or (len(pn) >= 2 and pn[-2].isdigit())


_ORDERING_CHARS = 8  # an ordering code with digits in it: reel and grade codes (DR2G, LT1G, CDS-T1-GE3, -20SU)
_VERSION_ID = re.compile(r"^[a-z]\d{1,2}$")  # a short letter-digit id after a number: a version (ESP32-C6, -S3, V2)


def ordering_tail(tail: str, separated: bool) -> bool:
    """Whether the characters typed after a whole known part number are its ordering code (package, grade,
    temperature range, reel: DR2G, LT1G, -20SU, -13-F, /NOPB, G) rather than another part: never digits alone
    (-12, -1.8: another voltage or size of the family), never a short version id (-C6, -S3); digits right
    after the number only across a separator (ATtiny85-20SU; digits glued on change the number itself)."""
    if not tail or len(tail) > _ORDERING_CHARS or tail.isdigit() or _VERSION_ID.match(tail):
        return False
    if tail.isalpha():
        return len(tail) <= _ORDERING_LETTERS or separated
    if tail[0].isdigit():
        return separated
    return separated or len(tail) >= 4 or tail[:2].isalpha()


def sibling_number(typed: str, known: str) -> bool:
    """Whether ``typed`` is another part of ``known``'s family: the same letters, one run of digits changed for
    as many other digits (DHT20 beside the DHT22, NEO-7M beside the NEO-6M, AMS1117-1.8 beside AMS1117-3.3).
    A changed digit is never a slip (``part_number_slip``): it is the number of another part."""
    a, b = re.findall(r"[a-z]+|\d+", typed), re.findall(r"[a-z]+|\d+", known)
    if typed == known or len(a) != len(b) or not any(r.isalpha() for r in a):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 1 and a[diff[0]].isdigit() and b[diff[0]].isdigit() and len(a[diff[0]]) == len(b[diff[0]])


def typo_allowance(word: str) -> int:
    """Edits a misspelt word may be away from the real one: none for short words, 1, or 2 from 8 letters."""
    n = len(word)
    if n <= 4:
        return 0
    return 1 if n <= 7 else 2


@lru_cache(maxsize=1 << 18)
def close_words(a: str, b: str) -> int | None:
    """Edits between two words if one is a plausible misspelling of the other, else None.

    Part numbers never match by typo (BMP180 is not BMP280); four-letter words only by a
    swapped pair of letters (puhs ~ push, but flux is not flex), or one letter short of a five-letter
    word when they are no word themselves (strp ~ strip, but lamp is not clamp)."""
    if a == b:
        return 0
    if any(c.isdigit() for c in a + b):
        return None
    if _squeeze(a) == _squeeze(b):  # a doubled or undoubled letter: nanno ~ nano, buzer ~ buzzer
        return 1
    if len(a) <= 4 or len(b) <= 4:
        if len(a) == len(b) and sorted(a) == sorted(b) and OSA.distance(a, b) == 1:
            return 1
        # a dropped letter of a five-letter word ("strp", "bord"), when what was typed is no word itself
        return 1 if len(a) == 4 and len(b) == 5 and OSA.distance(a, b) == 1 and not is_english(a) else None
    d = OSA.distance(a, b)
    return d if d <= typo_allowance(min(a, b, key=len)) else None


_VOLTAGE_VARIANT = re.compile(r"^([a-z]+\d{3,}[a-z]?)v(\d{2})$")  # ld1117v33: LD1117, 3.3 V version
_HYPHENED = re.compile(r"\b([a-z]{2,6})-(\d{2,})\b")
# hyphen-joined pieces, a decimal inside a piece kept: JSN-SR04T, ESP32-C6, AMS1117-1.8
_COMPOUND = re.compile(r"\b[a-z0-9]+(?:\.\d+)?(?:-[a-z0-9]+(?:\.\d+)?)+\b")
_UNIT_AFTER = frozenset("v a ma ua w mw c f k ohm ohms mm cm m hz khz mhz ghz uf nf pf mah ah rpm s ms us db g kg".split())
UNIT_AFTER = _UNIT_AFTER  # unit words that follow a number ("5 V", "100 mA")


@lru_cache(maxsize=1 << 16)
def _squeeze(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


_UNIT_WORDS = {"v": "v", "volt": "v", "volts": "v", "a": "a", "amp": "a", "amps": "a", "ma": "ma", "milliamp": "ma",
               "milliamps": "ma", "w": "w", "watt": "w", "ohm": "ohm", "ohms": "ohm", "k": "k", "mah": "mah", "uf": "uf",
               "nf": "nf", "pf": "pf", "inch": "in", "inches": "in"}
_DIMENSION = re.compile(r"^(\d+)x(\d+)$")  # 16x2 characters, 128x64 pixels, 4x4 keys, 8x8 LEDs
_VALUE_UNIT = re.compile(r"^(\d+(?:\.\d+)?)(v|a|ma|w|ohm|ohms|k|mah|uf|nf|pf)$")
_VOLT_INFIX = re.compile(r"^(\d+)v(\d+)$")


def values(text: str) -> set[str]:
    """Electrical values named in a text, canonical: '3V3', '3.3 V', '3.3v' -> '3.3v'."""
    toks = tokens(text)
    out: set[str] = set()
    for i, t in enumerate(toks):
        m = _VOLT_INFIX.match(t)
        if m:
            out.add(f"{m.group(1)}.{m.group(2)}v")
            continue
        if _DIMENSION.match(t):
            out.add(t)
            continue
        m = _VALUE_UNIT.match(t)
        if m and m.group(2) in ("a", "v") and len(m.group(1).split(".")[0]) >= 4:
            continue  # a part number's tail ("2004A", "03962A"), not thousands of amps or volts
        if m:
            num, unit = m.group(1), _UNIT_WORDS.get(m.group(2), m.group(2))
        elif re.fullmatch(r"\d+(?:\.\d+)?", t) and i + 1 < len(toks) and toks[i + 1] in _UNIT_WORDS:
            num, unit = t, _UNIT_WORDS[toks[i + 1]]
        elif ((t in NUMBER_WORDS or t == "one") and i + 1 < len(toks) and toks[i + 1] in _UNIT_WORDS
              and len(toks[i + 1]) > 1):  # a number written as a word: twelve volt, one amp
            num, unit = str(NUMBER_WORDS.get(t, 1)), _UNIT_WORDS[toks[i + 1]]
        else:
            continue
        num = num.rstrip("0").rstrip(".") if "." in num else num
        out.add(f"{num}{unit}")
    return out


_PACKAGE = re.compile(r"^(sot|to|dip|pdip|sop|soic|qfn|tssop|ssop|msop|dfn|lqfp|tqfp|so|sod|sma|smb|do)\d+[a-z]?$")


_NUMBER_TAIL = re.compile(r"^\d{4,}[av]$")  # a part number's letter after four digits (2004A, 03962A): no amperes
_SPELT_UNIT = re.compile(r"^\d+(?:\.\d+)?([a-z]{3,})$")  # a number and a unit written out: 5volt, 12amps


@lru_cache(maxsize=256)
def unit_word(word: str) -> str | None:
    """The unit a word names after a number ("volt", "amps", "kohm", "baud": V, A, Ω, Hz), read by the units
    library (``circuit.quantities``, pint), or None for a word that is no unit."""
    text = "1 " + word
    found = find_quantities(text)
    return found[0].unit or None if len(found) == 1 and found[0].raw.strip() == text else None


def is_unit_word(word: str) -> bool:
    """An electrical unit written as a word after a number ("volt", "amps", "ohms", "hertz"): a quantity's, not
    a count's ("channel", "pin") nor a size's that tells versions apart ("0.96 inch")."""
    return word.isalpha() and len(word) >= 3 and unit_word(word) is not None


@lru_cache(maxsize=1 << 16)  # pure, and asked for the same tokens again and again while the index is built
def is_value(tok: str) -> bool:
    """A value, size or package (10k, 3v3, 16x2, sot23, a number and a unit word: "5 volt" joined), not a
    part's identity."""
    if _PACKAGE.match(tok):
        return True
    if _VALUE.match(tok):
        return not _NUMBER_TAIL.match(tok)
    m = _SPELT_UNIT.match(tok)
    return bool(m) and unit_word(m.group(1)) is not None


def is_number(tok: str) -> bool:
    """A bare number or a short letter-digit id that tells versions and sizes apart ("4.1", "16",
    "r4", "c6"), not a quantity with its unit (5v, 10k) nor a part number (IRLZ44N)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", tok):
        return True
    return (any(c.isdigit() for c in tok) and not is_value(tok) and not is_part_number(tok)
            and tok not in GENERIC_TECH and len(tok) <= 3)


@lru_cache(maxsize=1 << 16)  # pure, and asked for the same tokens again and again while the index is built
def is_part_number(tok: str) -> bool:
    """Looks like a part number: letters and digits mixed (IRLZ44N, 2n2222, 28byj), not a value."""
    has_d = any(c.isdigit() for c in tok)
    has_a = any(c.isalpha() for c in tok)
    return has_d and has_a and len(tok) >= 3 and not is_value(tok) and tok not in GENERIC_TECH


# Letter-digit words that name a bus, format or generation, not a part.
GENERIC_TECH = frozenset("i2c i2s mp3 mp4 wav 3d 2d 2g 3g 4g 5g usb2 usb3 h264 ipv4 ipv6 ac3 a4 a3".split())
# A number before these counts things ("7 segment", "8 channel", "16 bit"): not a model number.
COUNT_WORDS = frozenset("segment segments digit digits channel channels bit bits pin pins way ways key keys "
                        "button buttons relay relays led leds cell cells axis port ports line lines".split())


# counts written as words ("one" is left out: "one bit at a time" says how, not how many)
NUMBER_WORDS = {w: n for n, w in enumerate("two three four five six seven eight nine ten eleven twelve thirteen "
                                          "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split(), 2)}
_COUNTED = frozenset(stem(w) for w in COUNT_WORDS | {"row", "rows", "column", "columns", "character", "characters"})


def number_slots(toks: list[str], skip: Iterable[str] = ()) -> set[tuple[str, int, str]]:
    """Where a name carries a version or size: (word, side, number) for every bare number or short id
    beside a word - ("teensy", 1, "40") for "Teensy 4.0", ("channel", -1, "16") for "16 channel".
    A quantity with its unit ("5 V") is a value, not a version; "4.0" and "40" are the same number;
    tokens in ``skip`` (pieces of a part number, "ssd 1306") are left out."""
    out: set[tuple[str, int, str]] = set()
    skip = set(skip)
    # a count written as a word before a counted noun ("two lines", "four channel"): that number
    toks = [str(NUMBER_WORDS[t]) if t in NUMBER_WORDS and i + 1 < len(toks) and stem(toks[i + 1]) in _COUNTED
            else t for i, t in enumerate(toks)]
    for i, t in enumerate(toks):
        if not is_number(t) or t in skip or (i + 1 < len(toks) and (toks[i + 1] in _UNIT_AFTER
                                                                      or is_unit_word(toks[i + 1]))):
            continue  # a quantity ("12 V", "12 volt"), not a version
        for j, side in ((i - 1, 1), (i + 1, -1)):
            if 0 <= j < len(toks) and toks[j].isalpha() and len(toks[j]) >= 2 and toks[j] not in FILLER:
                out.add((stem(toks[j]), side, t.replace(".", "")))
    return out


# The grammar words of a clause (pronouns, auxiliaries, prepositions, question words): a request with
# several of them is a sentence about a need ("is my plant thirsty"), not the name of a part. English, and
# the prepositions, articles and postpositions of the other languages the records' aliases are written in
# (Spanish, Portuguese, French, German, Hindi in Latin script): "sensor de humedad" joins its words as
# "sensor of humidity" does.
GRAMMAR_WORDS = frozenset("""i me my mine we us our you your he him his she her it they them their is are was were
    be been being am do does did can could would should will shall may might must to of for with from in on at by
    about into onto over under through across after before when where while if until how what which who whom whose
    why than so and or but not no
    de del la el los las un una para con por que en al
    da das dos na no um uma com em ao
    le les du des au aux pour avec et
    der die das dem den des ein eine einer fur mit und im zum zur von
    ka ki ke ko se mein wala wali wale aur""".split())


# a revision or version mark: "v2.0", "V3", "rev 2", "rev. B", "revision 1.1", "version 3" (a board's "R3" is
# left alone: Uno R3 and R4 are two boards)
_REVISION = re.compile(r"\b(?:v\.?\d{1,2}|(?:rev|ver|revision|version)\.?\s?\d+)(?:\.\d+)*[a-z]?\b"
                       r"|\b(?:rev|revision)\.?\s[a-z]\b")


def revision_tokens(text: str) -> frozenset[str]:
    """The tokens of the revision marks a request holds ("v2.0" -> v2, 0; "rev 2" -> rev, 2)."""
    return frozenset(t for m in _REVISION.finditer(fold(text)) for t in tokens(m.group(0)))


def _adjacent(text: str, word: str, number: str) -> bool:
    """Whether a word and the number after it stand together in the text, apart by spaces or a hyphen only ("Pi 4",
    "ICM-20948"), not by a comma or a stop ("a text lcd, 2 rows")."""
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}[\s-]*{re.escape(number)}(?![0-9])", text) is not None


def unit_words(text: str) -> frozenset[str]:
    """The words that spell out the unit of a number stated before them ("5 volt", "20 amps"): the value says what
    they say (``LexicalHit.asked``), and a part's names write it as a number and a letter, so they are no evidence
    of their own about which part is meant."""
    toks = tokens(text)
    return frozenset(t for prev, t in zip(toks, toks[1:])
                     if t.isalpha() and len(t) > 1 and is_number(prev) and is_value(prev + t))


def evidence_words(content: Sequence[str], skip: Iterable[str] = ()) -> list[str]:
    """The content words (``content_tokens``) that can say what part is meant: not the grammar words of the
    other languages the records are written in ("für den", "para", "ki"), which are content words only because
    the English filler list does not hold them, nor the words in ``skip`` (a revision mark: a module revised is
    the same module; another version a part's names state is ``version_conflicts``'). Every word when none is left."""
    skip = set(skip)
    kept = [w for w in content if w not in GRAMMAR_WORDS and w not in skip]
    return kept or list(content)


def grammar_words(text: str) -> int:
    """How many grammar words (``GRAMMAR_WORDS``) a request holds."""
    return sum(1 for t in tokens(text) if t in GRAMMAR_WORDS)


def opening_verb(text: str) -> str | None:
    """The stem of the word a text opens with when it is a verb ("measure ...", "switch ..."): a word the
    English lexicon knows as a verb (``knowledge.verbs``), not an article, a grammar word or an adjective
    ("low-drop diode", "dual H-bridge"), and not the first half of a hyphenated modifier ("low-drop",
    "double-pole"). None otherwise."""
    words = tokens(text)[:2]
    if not words or not words[0].isalpha() or words[0] in _DETERMINERS or words[0] in GRAMMAR_WORDS:
        return None
    if not (can_be_verb(words[0]) or can_be_verb(stem(words[0]))) or re.match(re.escape(words[0]) + r"\s*-\s*[a-z]", fold(text).lstrip()):
        return None
    return stem(words[0])


_JOINED_VERB = re.compile(r"(?:,|\band\b|\bor\b)\s+([a-z]+)")


def capability_verbs(text: str) -> set[str]:
    """The verbs a capability's text says the part does: the verb it opens with and the verbs joined to it
    ("beep or sound an alarm", "light up an LED, blink or glow", "open and close a lid"), as base forms;
    not the nouns later in it ("turn a shaft by precise steps" does not step). Empty for a text that opens
    with no verb ("dual H-bridge ...")."""
    first = opening_verb(text)
    if first is None:
        return set()
    out = {first} | base_forms(tokens(text)[0])
    for word in _JOINED_VERB.findall(fold(text)):
        out |= base_forms(word)
    return out


def content_tokens(text: str) -> list[str]:
    """The words of a request that should name or describe the part (no filler, no values)."""
    out = []
    toks = tokens(text)
    for i, t in enumerate(toks):
        if t in FILLER or is_value(t):
            continue
        if i > 0 and toks[i - 1][0].isdigit() and t in _UNIT_AFTER:
            continue  # the unit of "5 kg", "12 V"
        if t in NUMBER_WORDS and i + 1 < len(toks) and is_unit_word(toks[i + 1]):
            continue  # a number written as a word before its unit ("twelve volt")
        if (t.isdigit() and len(t) <= 2) or len(t) == 1:
            continue
        out.append(stem(t))
    return out


_PACKAGE_WORD = re.compile(r"(?<![a-z0-9])[a-z]+-?\d+[a-z]*(?![a-z0-9])")  # "sot-223", "to92", "dip-28"


def without_packages(text: str, packages: frozenset[str]) -> str:
    """The text (folded) with each package it names blanked: ``packages`` holds the compact forms of the library's
    packages ("sot223", "to220"), so "sot-223 5v regulator" -> " 5v regulator". A package's number is no part
    number and no version of a name ("TIP41C power transistor (TO-220)" is not named by "220")."""
    return _PACKAGE_WORD.sub(lambda m: " " if compact(m.group(0)) in packages else m.group(0), fold(text))


@lru_cache(maxsize=1 << 14)  # a record's names are read several times while the index is built
def _pn_forms(text: str) -> frozenset[str]:
    """Part-number forms in a key/name/alias: pn-like tokens and joins of neighbours."""
    toks = tokens(text)
    # a join needs a part-number-like or numeric token (_joinable's first test): most words of a
    # description are neither, so their spans are never built
    pnish = [is_part_number(t) or t.isdigit() for t in toks]
    forms: set[str] = set()
    for i, t in enumerate(toks):
        if is_part_number(t) or (t.isdigit() and len(t) >= 3):
            forms.add(t)
        for n in (2, 3):
            if i + n <= len(toks) and any(pnish[i : i + n]) and _joinable(toks[i : i + n]):
                forms.add("".join(toks[i : i + n]))
    return frozenset(forms)


def _typed_as_one(folded: str, span: list[str]) -> bool:
    """Whether the tokens were typed as one word, joined by hyphens or slashes (MCP23017-E/SP), not spaces."""
    pattern = r"[-/]".join(re.escape(t) for t in span)
    return re.search(r"(?<![a-z0-9])" + pattern + r"(?![a-z0-9])", folded) is not None


def _joinable(span: Sequence[str]) -> bool:
    """Whether neighbouring tokens spell one part number (HC SR04, 28BYJ 48, ESP32 S3), not words."""
    return _joinable_tokens(tuple(span))


@lru_cache(maxsize=1 << 16)  # the same word pairs recur across the records' texts
def _joinable_tokens(span: tuple[str, ...]) -> bool:
    if not any(is_part_number(x) or x.isdigit() for x in span):
        return False
    if any(x.isalpha() and (len(x) > 4 or x in FILLER or x in COUNT_WORDS) for x in span):
        return False
    if any((is_value(x) and not x.isdigit()) or x in GENERIC_TECH for x in span):
        return False
    if any(is_value(a + b) and not (a + b).isdigit() for a, b in zip(span, span[1:])):
        return False  # "12 bit", "5 v"
    joined = "".join(span)
    return is_part_number(joined)


LEVEL = {"key": 3, "name": 2, "alias": 1}

# Words that make the part named after them the context of a request rather than the thing wanted:
# prepositions ("a regulator for a fan", "12 V from a USB supply", "the current of a solar panel")
# and possessives (what the person already has: "how much does my motor draw"). Grammar, not wording.
_CONTEXT_CUES = frozenset("for from of on to into onto inside than where my our your his her their".split())
_DETERMINERS = frozenset("a an the this that these those its".split())


# Words that open a clause saying when, or on what condition, the request's action happens ("... when the door
# opens", "... if the tank overflows"): grammar, not wording.
_CONDITION_CUES = frozenset("when whenever if once".split())


def action_clause(text: str) -> str:
    """The words before a condition clause, when two or more stand there and the clause has two or more words
    of its own ("text me | when the door opens"): the action the request asks for, apart from the condition
    that sets it off. "" when there is no such clause, or when a single verb stands before it, whose object
    the clause is ("detect when the box falls", "know if the door is open")."""
    toks = tokens(text)
    for i, t in enumerate(toks):
        if t in _CONDITION_CUES:
            return " ".join(toks[:i]) if i >= 2 and len(toks) - i > 2 else ""
    return ""


def condition_clause(text: str) -> str:
    """The condition clause itself where ``action_clause`` splits one off ("text me | when [the door opens]"): what
    sets the action off; "" where there is no such split, and where "even" makes the clause a concession the action
    holds through ("keep the time even when the power is off"), not what sets it off."""
    toks = tokens(text)
    for i, t in enumerate(toks):
        if t in _CONDITION_CUES:
            if toks[i - 1:i] == ["even"]:
                return ""
            return " ".join(toks[i + 1:]) if i >= 2 and len(toks) - i > 2 else ""
    return ""


def head_clause(text: str) -> str:
    """The words before the first context cue ("for", "to", "of", "my" ...), when a word that describes something
    stands there and words follow the cue: what the request asks for, apart from what it is for or where it goes
    ("a relay | for the heater of my printer", "a meter | to check the mains"). "" when there is no such split."""
    toks = tokens(text)
    for i, t in enumerate(toks):
        if t in _CONTEXT_CUES:
            if 0 < i < len(toks) - 1 and content_tokens(" ".join(toks[:i])):
                return " ".join(toks[:i])
            return ""
    return ""


def asks_degree(text: str) -> bool:
    """Whether a request asks how much of something there is: "how" before a word that is no grammar word and
    no article ("how loud the workshop is", "see how much power ... draws"), not "how to" or "how do I"."""
    toks = tokens(text)
    return any(t == "how" and i + 1 < len(toks) and toks[i + 1] not in GRAMMAR_WORDS
               and toks[i + 1] not in _DETERMINERS for i, t in enumerate(toks))


def _cue(toks: list[str], i: int) -> int:
    """The position of the context cue in front of token ``i`` (past determiners and values), or -1."""
    j = i - 1
    while j >= 0 and (toks[j] in _DETERMINERS or is_value(toks[j]) or toks[j] in _UNIT_AFTER):
        j -= 1
    return j if j >= 0 and toks[j] in _CONTEXT_CUES else -1


def _attached(toks: list[str], i: int) -> bool:
    """Whether the words before token ``i`` (past determiners and values) make it context."""
    return _cue(toks, i) >= 0


def attached(toks: list[str], i: int) -> bool:
    """Whether token ``i`` is named after a context cue ("for", "from", "my"... past determiners and values): what
    the wanted part serves or takes in, not the wanted part ("from a usb-c charger")."""
    return _attached(toks, i)


def _attached_any(toks: list[str], positions: Iterable[int]) -> bool:
    """Whether any of these tokens is named after a context cue ("for", "from", "my"...)."""
    return any(_attached(toks, i) for i in positions)


def _described_with(toks: list[str], positions: set[int]) -> bool:
    """Whether the request opens with a board's name (past determiners) and goes on "with ...": what follows may say
    what the board has ("a nano with a usb-c socket")."""
    if not positions:
        return False
    first, last = min(positions), max(positions)
    return (all(t in _DETERMINERS for t in toks[:first]) and last + 1 < len(toks) and toks[last + 1] == "with"
            and set(range(first, last + 1)) <= positions)


def _compared(toks: list[str], i: int) -> bool:
    """Whether token ``i`` names what the wanted part is compared with or replaces ("more accurate than
    the DHT11", "instead of a mechanical button"): never the wanted part itself."""
    j = _cue(toks, i)
    return j >= 0 and (toks[j] == "than" or (toks[j] == "of" and j > 0 and toks[j - 1] == "instead"))


_POSSESSIVES = frozenset("my our your his her their its".split())


def _object_positions(toks: list[str]) -> set[int]:
    """The words of what a request's opening verb acts on: after the verb (and a second verb joined to it by
    "and"/"or": "brake and reverse the motor"), up to the first grammar word ("recharge [the 18650] in my
    project", "reverse [a small dc motor] from the arduino"); a possessive opens it ("charge [my lipo]")."""
    i = 1
    while i + 1 < len(toks) and toks[i] in ("and", "or") and can_be_verb(toks[i + 1]):
        i += 2
    if i >= len(toks) or not (toks[i] in _DETERMINERS or toks[i] in _POSSESSIVES):
        return set()  # a verb takes its object with an article or a possessive; a name's first word does not
    out: set[int] = set()
    while i < len(toks) and (toks[i] not in GRAMMAR_WORDS or (toks[i] in _POSSESSIVES and not out)):
        if out and toks[i] in _DETERMINERS:
            break  # a second article opens another phrase ("run [the project] off a 12 V adapter")
        out.add(i)
        i += 1
    return out


def _in_range(toks: list[str], i: int) -> bool:
    """Whether the number at ``i`` is one end of a range written "N to M" ("a knob from 0 to 100")."""
    return ((i >= 2 and toks[i - 1] == "to" and is_number(toks[i - 2]))
            or (i + 2 < len(toks) and toks[i + 1] == "to" and is_number(toks[i + 2])))


def reads_own_state(cue: str, verb_directions: set[str], part_directions: set[str]) -> bool:
    """Whether a part named after a context cue is what a sensing verb reads, not what the wanted part serves: the
    cue is "of" (a quantity that belongs to the part: "the position of a knob"), the verb is done by sensing
    capabilities and the part senses. Its reading is its own; a part that only acts ("the speed of a fan") or moves
    power ("the voltage of a battery") stays the context."""
    return cue == "of" and "sense" in verb_directions and "sense" in part_directions


def _does_verb(verb: str, words: set[str]) -> bool:
    """Whether a part's capability words hold the verb, or the verb is one of them done again
    ("recharge" is "charge" again, "rewind" "wind")."""
    return verb in words or (verb.startswith("re") and verb[2:] in words and can_be_verb(verb[2:]))


@dataclass
class LexicalHit:
    exact: dict[str, int] = field(default_factory=dict)      # key -> level of a whole-query match
    part_number: dict[str, float] = field(default_factory=dict)  # key -> 1.0 exact pn, 0.9 suffix-tolerant
    fuzzy: dict[str, float] = field(default_factory=dict)    # key -> 0..1 for a misspelt key/name/alias
    slips: dict[str, str] = field(default_factory=dict)      # typed part number -> the known one it slips from
    pn_forms: set[str] = field(default_factory=set)          # the part numbers found, as typed (or slipped from)
    phrase: dict[str, float] = field(default_factory=dict)   # key -> share of the request its multi-word names cover
    letters: list[str] = field(default_factory=list)  # single letters a part's names use ("Pico W"): no content word
    slipped_words: set[str] = field(default_factory=set)     # request words read as slips of a name's words
    values: dict[str, int] = field(default_factory=dict)     # key -> +1 a value asked for, -1 another value
    pn_tokens: dict[str, set[str]] = field(default_factory=dict)  # request token -> keys its part number matched
    unknown_part_numbers: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    unknown_words: list[str] = field(default_factory=list)
    revision: frozenset[str] = frozenset()  # tokens of a revision mark ("v2.0", "rev 2"): no evidence either way
    host_keys: set[str] = field(default_factory=set)  # boards named in the request (the context, perhaps)
    context_keys: set[str] = field(default_factory=set)  # every part the boards' words name (boards included)
    wanted: str = ""  # the request without those boards, when enough of it is left to describe a part
    attached_keys: set[str] = field(default_factory=set)  # parts named after "for", "from", "my"...: context
    compared_keys: set[str] = field(default_factory=set)  # parts named after "than", "instead of": not wanted
    acted_keys: set[str] = field(default_factory=set)  # parts the opening verb acts on that do not do it themselves
    acted_words: set[str] = field(default_factory=set)  # words of that object naming only parts that do not do it
    action: str = ""  # the words before a condition clause ("text me" of "text me when the door opens")
    condition: str = ""  # that condition clause ("the door opens")
    asked: set[str] = field(default_factory=set)  # the values the request asks of the wanted part (5v, 20a)
    short: set[str] = field(default_factory=set)  # parts whose stated capacity falls short of one asked (2 A for 20 A)
    packages: frozenset[str] = frozenset()  # the library's packages the request names, compact ("to92", "sot223")
    typed_codes: dict[tuple[int, int], set[str]] = field(default_factory=dict)  # (first token, tokens) of a word
    # typed with separators inside that names parts as one identifier (AMS1117-5.0, ATtiny85-20SU) -> those parts


class LexicalIndex:
    """Names, aliases, part numbers and vocabulary of a library, for lexical matching."""

    def __init__(self, library: "Library"):
        self.exact: dict[str, dict[str, int]] = {}
        self.pn: dict[str, dict[str, int]] = {}
        self.codes: dict[str, dict[str, int]] = {}  # identifiers typed as one word in names, decimals kept (ams111733)
        self.vocab: dict[str, set[str]] = {}
        self.choices: list[str] = []
        self.choice_keys: list[str] = []
        self.choice_tokens: list[list[str]] = []
        self.part_values: dict[str, set[str]] = {}
        self.slots: dict[str, set[tuple[str, int, str]]] = {}  # key -> where its names carry a version
        self.name_vocab: dict[str, set[str]] = {}
        self.names: dict[str, str] = {}
        self.heads: dict[str, set[str]] = {}  # the noun a part's name ends in -> those parts
        self.hosts: set[str] = set()  # parts other parts hang on (boards): a request's context when named beside a need
        # the library's packages (compact): a package a name or alias names is no part number of the part
        packages = frozenset(compact(p) for rec in library if (p := getattr(rec, "package", None)))
        # the USB connector kinds the records type, by their own words (knowledge.usb_connector)
        self.connectors = connector_words(getattr(rec, "usb", None) for rec in library)
        self.packages = packages
        words: set[str] = set()
        mentioned: set[str] = set()
        sized: dict[str, dict[str, set[str]]] = {}  # "nema23" -> key -> the kinds of text it was joined in
        sized_words: dict[str, set[tuple[str, str]]] = {}  # "nema" -> (key, number) for every such join
        # the words of what each part does (its capabilities): a verb among them is something it does itself
        self.does: dict[str, set[str]] = {}
        self.directions: dict[str, set[str]] = {}  # key -> the directions of its capabilities (sense, act ...)
        self.verb_directions: dict[str, set[str]] = {}  # verb -> the directions of the capabilities that do it
        for rec in library:
            self.names[rec.key] = rec.name
            self.does[rec.key] = {v for cap in rec.provides for v in capability_verbs(cap.description)}
            self.directions[rec.key] = {cap.direction for cap in rec.provides}
            for cap in rec.provides:
                for v in capability_verbs(cap.description):
                    self.verb_directions.setdefault(v, set()).add(cap.direction)
            head = [t for t in tokens(rec.name.split("(")[0]) if t.isalpha() and len(t) >= 3]
            if head:
                self.heads.setdefault(stem(head[-1]), set()).add(rec.key)
            if rec.is_mcu:
                self.hosts.add(rec.key)
            named = [(rec.key, "key"), (rec.key.replace("-", " "), "key"), (rec.name, "name")]
            named += [(a, "alias") for a in rec.aliases]
            for text, kind in named:
                c = compact(text)
                if c:
                    slot = self.exact.setdefault(c, {})
                    slot[rec.key] = max(slot.get(rec.key, 0), LEVEL[kind])
                for word in fold(text).split():  # each identifier as typed in one word (AMS1117-3.3, LM2940CT-5.0)
                    code = compact(word)
                    if len(code) >= 4 and is_part_number(code):
                        slot = self.codes.setdefault(code, {})
                        slot[rec.key] = max(slot.get(rec.key, 0), LEVEL[kind])
                unpackaged = without_packages(text, packages)
                for form in _pn_forms(unpackaged):
                    slot = self.pn.setdefault(form, {})
                    slot[rec.key] = max(slot.get(rec.key, 0), LEVEL[kind])
                toks = tokens(unpackaged)
                folded = fold(unpackaged)
                for a, b in zip(toks, toks[1:]):  # a word and a number that join into a part number (NEMA 23)
                    # (written apart: a hyphenated "FC-16" is one identifier, the module's name, not a size)
                    if a.isalpha() and b.isdigit() and (a + b) in self.pn and not _typed_as_one(folded, [a, b]):
                        sized.setdefault(a + b, {}).setdefault(rec.key, set()).add(kind)
                        sized_words.setdefault(a, set()).add((rec.key, b))
                toks = [t for t in tokens(text) if t not in FILLER]
                if toks:
                    self.choices.append(" ".join(toks))
                    self.choice_keys.append(rec.key)
                    self.choice_tokens.append(toks)
                self.part_values.setdefault(rec.key, set()).update(values(text))
                self.slots.setdefault(rec.key, set()).update(number_slots(tokens(unpackaged)))
                self.name_vocab.setdefault(rec.key, set()).update(stem(t) for t in toks if not is_value(t))
            carries = rated_current(rec)
            if carries:  # the current its ratings say it carries is a capacity like one in its name
                self.part_values.setdefault(rec.key, set()).add(f"{carries:g}a")
            vocab: set[str] = set()
            core = [rec.key, rec.name, rec.description, rec.typical_use, *rec.aliases]
            extra = [rec.notes] + [p.description for p in rec.pins if p.description]
            for text in core:
                for t in tokens(text):
                    vocab.add(stem(t))
            for text in extra:  # notes name alternatives and companions: their words, not their part numbers
                for t in tokens(text):
                    if not is_part_number(t):
                        vocab.add(stem(t))
            for text in [rec.description, rec.typical_use, rec.notes, rec.source]:
                mentioned.update(_pn_forms(text))  # other real parts the texts name (an MPU-6500 in the notes)
            for form in {f for text, _ in named for f in _pn_forms(text)}:
                vocab.add(form)
            for text in core:  # two words the texts write apart or hyphenated, typed as one ("op-amp": opamp)
                toks = tokens(text)
                vocab.update(a + b for a, b in zip(toks, toks[1:]) if a.isalpha() and b.isalpha())
            self.vocab[rec.key] = vocab
            words |= vocab
        self.words = words
        self.name_words: set[str] = set().union(*self.name_vocab.values()) if self.name_vocab else set()
        self._shared_name_words: set[str] = set()
        for k, names in self.name_vocab.items():
            if k not in self.hosts:
                self._shared_name_words |= names
        self.word_list = sorted(words)
        self._slot_numbers: dict[str, dict[tuple[str, int], set[str]]] = {}
        for key, slots in self.slots.items():
            for w, side, n in slots:
                self._slot_numbers.setdefault(key, {}).setdefault((w, side), set()).add(n)
        self._name_word_parts: dict[str, int] = {}  # word -> how many parts' names use it
        self._named_by_word: dict[str, set[str]] = {}  # word -> the parts whose names use it
        for key, names in self.name_vocab.items():
            for w in names:
                self._name_word_parts[w] = self._name_word_parts.get(w, 0) + 1
                self._named_by_word.setdefault(w, set()).add(key)
        self.vocab_lists = {k: sorted(v) for k, v in self.vocab.items()}
        # letter-digit words the records' capabilities use for what a part measures or carries (CO2, PM10,
        # 868 MHz) rather than for a part: no part's key holds them, so they name a quantity, not a part
        used = {t for rec in library for c in rec.provides for t in tokens(c.description)}
        keyed = {f for rec in library for f in _pn_forms(rec.key) | _pn_forms(rec.key.replace("-", " "))}
        # A word-and-number join that only an alias of a part carries, where another part's names put another
        # number beside that word ("NEMA 23 stepper driver" beside the NEMA 17 motor), is a size of that
        # family that the part serves, not its part number: "NEMA 23 motor" does not name the driver
        for form, by_key in sized.items():
            word = form.rstrip("0123456789")
            number = form[len(word):]
            for key, kinds in by_key.items():
                other = {n for k, n in sized_words.get(word, ()) if k != key and n != number}
                if kinds == {"alias"} and other and self.pn.get(form, {}).get(key, 0) <= LEVEL["alias"]:
                    del self.pn[form][key]
            if form in self.pn and not self.pn[form]:
                del self.pn[form]
        self.terms = frozenset(f for f in self.pn if f in used and f not in keyed)
        # part numbers the records name that no part is called by: real parts the library lacks
        self.mentioned = frozenset(f for f in mentioned if f not in self.pn and is_part_number(f))
        for f in self.terms:
            del self.pn[f]
            self.codes.pop(f, None)
        self.pn_list = sorted(self.pn)
        # names and aliases of two or more words by their first word, to find them inside a longer request
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for toks, key in zip(self.choice_tokens, self.choice_keys):
            if len(toks) >= 2:
                self._phrases.setdefault(toks[0], []).append((tuple(toks), key))
        self._pn_by_head: dict[str, list[str]] = {}
        for p in self.pn_list:
            if any(c.isdigit() for c in p):
                self._pn_by_head.setdefault(p[0], []).append(p)
        # every identifier the names hold (part-number forms and whole typed codes), by first character
        self._codes_by_head: dict[str, list[str]] = {}
        for p in sorted(set(self.pn_list) | set(self.codes)):
            if any(c.isdigit() for c in p) and any(c.isalpha() for c in p):
                self._codes_by_head.setdefault(p[0], []).append(p)

    # ---- matching -------------------------------------------------------------------------
    def _pn_lookup(self, form: str, whole: bool = False) -> tuple[dict[str, int], float]:
        """The parts a part-number form names and how surely; ``whole``: the form was typed as one token
        (an ordering code is glued on or hyphenated, never a word of its own: "2N7002 SOT-23")."""
        hit = self.pn.get(form)
        if hit:
            return hit, 1.0
        # a fixed-voltage variant written after the number (LD1117V33, LM1117V50): the same part family
        m = _VOLTAGE_VARIANT.match(form)
        if m and self.pn.get(m.group(1)) and any(c.isdigit() for c in m.group(1)):
            return self.pn[m.group(1)], 0.9
        # tolerate a trailing grade/package letter or two either way (irlz44 ~ irlz44n), same digits, and
        # the letters of an ordering code after a whole part number (IRLZ44NPBF, L293DNE, ADS1115IDGSR),
        # unless the longer form is a real part in its own right beside the known one (ATmega328PB)
        if len(form) >= 4 and any(c.isdigit() for c in form):
            out: dict[str, int] = {}
            for p in self._pn_by_head.get(form[0], ()):  # (pn_list's numbers with a digit, in order, by head)
                if p[0] != form[0] or len(p) < 4 or not any(c.isdigit() for c in p):
                    continue
                long, short = (p, form) if len(p) > len(form) else (form, p)
                if not long.startswith(short) or long == short or not long[len(short):].isalpha():
                    continue
                tail = len(long) - len(short)
                grade = tail <= 2 and short[-1].isdigit()
                ordering = whole and long is form and tail <= _ORDERING_LETTERS and _ends_in_digits(short)
                if not (grade or ordering):
                    continue
                if long is form and self.is_sibling(form, p):
                    continue
                for k, lv in self.pn[p].items():
                    out[k] = max(out.get(k, 0), lv)
            if out:
                return out, 0.9
        if whole:  # an ordering code with digits in it, glued on (LM358DR2G, BSS138LT1G)
            found = self._ordering_code(form, frozenset())
            if found:
                return found, 0.9
        # a bare number for a part people name without its maker's prefix: 7805, 555, 741, 4017
        if form.isdigit() and len(form) >= 3:
            out = {}
            for p in self.pn_list:
                if p.endswith(form) and 1 <= len(p) - len(form) <= 3 and p[: len(p) - len(form)].isalpha():
                    for k, lv in self.pn[p].items():
                        out[k] = max(out.get(k, 0), lv)
            if out:
                return out, 0.9
        return {}, 0.0

    def _ordering_code(self, form: str, separated: frozenset[int]) -> dict[str, int]:
        """The parts whose whole part number ``form`` starts with, the rest its ordering code
        (``ordering_tail``); the longest known number decides. ``separated``: the positions in ``form`` a
        separator was typed before (LP2950CZ-3.3G: 8, ahead of "33g"). Empty when the rest is no ordering code
        or the whole is a real part of its own beside the known one (``is_sibling``)."""
        for cut in range(len(form) - 1, 3, -1):
            head = form[:cut]
            keys = self.codes.get(head) or self.pn.get(head)
            if not keys or not any(c.isdigit() for c in head) or not _ends_in_digits(head):
                continue
            if not ordering_tail(form[cut:], cut in separated) or self.is_sibling(form, head):
                return {}
            return dict(keys)
        return {}

    def _typed_code(self, word: str) -> tuple[dict[str, int], float]:
        """The parts one word of a request names when typed with separators inside it (AMS1117-5.0,
        LP2950CZ-3.3G, SMBJ5.0A-13-F, ACS712ELCTR-20A-T): read whole, decimals and all, as a name's identifier
        (1.0) or a known one with its ordering code after it (0.9); nothing when it is neither."""
        core = word.strip("()[]{}<>,;:!?\"'")
        form = compact(core)
        if len(form) < 4 or not is_part_number(form):
            return {}, 0.0
        for table in (self.codes, self.exact, self.pn):
            if table.get(form):
                return dict(table[form]), 1.0
        separated, k = set(), 0
        for ch in core:
            if ch.isalnum():
                k += 1
            else:
                separated.add(k)
        found = self._ordering_code(form, frozenset(separated))
        return (found, 0.9) if found else ({}, 0.0)

    def is_real(self, form: str) -> bool:
        """Whether a part number the library does not hold is a real part: one the records name
        (an alternative, a chip on another board) or one in KiCad's symbol list (``knowledge.real_parts``)."""
        return form in self.mentioned or real_parts().knows(form)

    def is_sibling(self, form: str, known: str) -> bool:
        """Whether ``form``, a known part number with letters added, is another real part beside it
        (ATmega328PB beside the ATmega328P) rather than its ordering code (ATMEGA328P-PU)."""
        real = real_parts()
        return form in self.mentioned or (real.base_of(form) and real.base_of(known))

    def _slip_lookup(self, form: str) -> tuple[str | None, dict[str, int]]:
        """The one known part number ``form`` is a slip of (``part_number_slip``), or None when none
        or several are (a slip that could be two parts is not near-certain), or when ``form`` is itself
        a real part (MCP2551 is no slip of the MCP2515: it is the CAN transceiver beside it)."""
        if len(form) < 4:
            return None, {}
        heads = {form[0], form[1]}  # the first two swapped (xh711) start the known one with the second
        found = [p for h in heads for p in self._pn_by_head.get(h, ()) if abs(len(p) - len(form)) <= 1
                 and part_number_slip(form, p)]
        if len({frozenset(self.pn[p]) for p in found}) != 1 or self.is_real(form):
            return None, {}
        return found[0], self.pn[found[0]]

    def parts_named(self, query: str) -> LexicalHit:
        """The parts a request names, and nothing else of it read: ``exact``, ``part_number`` (with ``pn_tokens``,
        ``pn_forms``, ``typed_codes``, ``slips``), ``phrase`` and ``fuzzy`` (with ``slipped_words``), as ``match``
        reads them; for asking whether some words name a part, at a fraction of the cost."""
        return self._names(query)[0]

    def _names(self, query: str) -> tuple[LexicalHit, list[str], list[str], set[int], set[int]]:
        """``parts_named``, with the request's tokens, its tokens less filler, and the token positions a part number
        explains and that are glued to a name's word (for ``match`` to go on)."""
        hit = LexicalHit()
        toks = tokens(query)
        folded = fold(query)
        hit.packages = frozenset(f for m in _PACKAGE_WORD.findall(folded) if (f := compact(m)) in self.packages)
        # whole request = a key, name or alias (filler words dropped first)
        kept = [t for t in toks if t not in FILLER]
        for form in {compact(query), "".join(kept), "".join(kept).rstrip("s") if kept else ""}:
            if form and form in self.exact:
                for k, lv in self.exact[form].items():
                    hit.exact[k] = max(hit.exact.get(k, 0), lv)
        # part numbers anywhere in it: first the words typed with separators inside, each read whole (the
        # decimals of AMS1117-3.3 and the ordering code of LM2940CT-5.0/NOPB are pieces of one identifier)
        explained: set[int] = set()
        glued: set[int] = set()
        start = 0
        for word in folded.split():
            n = len(tokens(word))
            span = list(range(start, start + n))
            start += n
            if compact(word) in self.packages:
                explained.update(span)  # a package ("SOT-223", "TO92"): no part number, whatever its digits
                continue
            if n < 2:
                continue
            found, strength = self._typed_code(word)
            if found:
                hit.typed_codes[(span[0], n)] = set(found)
                hit.pn_forms.add(compact(word.strip("()[]{}<>,;:!?\"'")))
                explained.update(span)
                for k in found:
                    hit.part_number[k] = max(hit.part_number.get(k, 0.0), strength)
                for j in span:
                    hit.pn_tokens.setdefault(stem(toks[j]), set()).update(found)
        for n in (3, 2, 1):
            for i in range(0, len(toks) - n + 1):
                span = toks[i : i + n]
                form = "".join(span)
                if any(j in explained for j in range(i, i + n)) or (is_value(form) and not form.isdigit()):
                    continue  # inside a longer part number already found, or a package (sot-23)
                if n > 1 and not _joinable(span):
                    # a name's word and its number typed apart ("Teensy 4", "SMBJ 5.0A"): that name
                    found = self.exact.get(compact(form)) if n == 2 and any(c.isdigit() for c in form) else None
                    if not found:
                        continue
                    strength = 1.0
                    if span[0].isalpha() and is_value(span[1]):
                        glued.add(i + 1)  # the tail of a part number ("5.0A" of SMBJ5.0A), not 5 A
                elif n == 1 and not (is_part_number(form) or (form.isdigit() and len(form) >= 3)):
                    continue
                elif form.isdigit() and i + n < len(toks) and (toks[i + n] in _UNIT_AFTER or is_unit_word(toks[i + n])):
                    continue  # "130 C", "100 mA", "120 volt": a quantity, not a part number
                elif form.isdigit() and _in_range(toks, i):
                    continue  # "from 0 to 100": the ends of a range of values, not a part number
                else:
                    found, strength = self._pn_lookup(form, whole=n == 1 or _typed_as_one(folded, span))
                if not found and not form.isdigit():
                    known, found = self._slip_lookup(form)
                    if found:
                        strength = 0.9
                        hit.slips[form] = known
                if found:
                    hit.pn_forms.add(hit.slips.get(form, form))
                    explained.update(range(i, i + n))
                    for k in found:
                        hit.part_number[k] = max(hit.part_number.get(k, 0.0), strength)
                    for t in span:
                        hit.pn_tokens.setdefault(stem(t), set()).update(found)
        self._phrase_cover(kept, hit)
        # typos: the request's words align one to one with a key/name/alias, each a plausible misspelling
        cleaned = " ".join(kept)
        if cleaned and self.choices:
            for _, _, idx in process.extract(cleaned, self.choices, scorer=fuzz.ratio, limit=40, score_cutoff=60):
                target = self.choice_tokens[idx]
                typed = kept
                if len(target) + 1 == len(kept):
                    # one word beside the name that the part's own names use ("arduino leonard board"), or a quantity
                    # ("lazer modul 650nm": its fit is the values' to judge): the rest is the name, perhaps misspelt
                    vocab = self.name_vocab.get(self.choice_keys[idx], set())
                    extra = [j for j, t in enumerate(kept) if t not in target and (
                        stem(t) in vocab or (t[:1].isdigit() and not t.isdigit() and not is_part_number(t)))]
                    if len(extra) == 1:
                        typed = kept[:extra[0]] + kept[extra[0] + 1:]
                if len(target) != len(typed):
                    continue
                edits = 0
                # a real word is itself, not a slip ("toaster" is not "Taster"), unless a word typed
                # whole beside it completes the name ("arduino leonard")
                completed = any(x == y for x, y in zip(typed, target))
                for a, b in zip(typed, target):
                    d = close_words(a, b)
                    if d is None or (d and not completed and is_english(a)):
                        break
                    edits += d
                else:
                    if edits:
                        hit.slipped_words.update(stem(a) for a, b in zip(typed, target) if a != b)
                        k = self.choice_keys[idx]
                        hit.fuzzy[k] = max(hit.fuzzy.get(k, 0.0), max(0.8, 1.0 - 0.04 * edits))
        return hit, toks, kept, explained, glued

    def match(self, query: str) -> LexicalHit:
        hit, toks, kept, explained, glued = self._names(query)
        self._compound_variants(query, hit)
        hyphened = set(_HYPHENED.findall(fold(query)))
        for i, t in enumerate(toks):
            if i in explained:
                continue
            if t in self.terms:
                continue  # a quantity the library's parts measure (co2), neither a part nor an unknown one
            if is_part_number(t):
                hit.unknown_part_numbers.append(t)
            elif (i + 1 < len(toks) and i + 1 not in explained and t.isalpha() and len(t) >= 2
                  and (t in self.name_words or (t, toks[i + 1]) in hyphened) and t not in GRAMMAR_WORDS
                  and toks[i + 1].isdigit() and not is_value(t + toks[i + 1])
                  and _adjacent(fold(query), t, toks[i + 1])  # no comma or stop between ("text lcd, 2 rows")
                  and not (i > 0 and is_value(toks[i - 1] + t))  # the unit of a number before it ("12 volt 2 amp")
                  and not (i + 2 < len(toks) and (toks[i + 2] in COUNT_WORDS or toks[i + 2] in _UNIT_AFTER
                                                  or is_value(toks[i + 1] + toks[i + 2])))):
                # a name word and a number ("NEMA 23", "Pi 4"), or letters-hyphen-digits ("ICM-20948"); a grammar
                # word the other-language aliases use is no name ("módulo de 4 canais")
                hit.unknown_part_numbers.append(t + toks[i + 1])
        hit.content = content_tokens(query)
        hit.action = action_clause(query)
        hit.condition = condition_clause(query)
        hit.letters = [t for i, t in enumerate(toks) if len(t) == 1 and t.isalpha() and i not in explained
                       and t in self.name_words and t not in FILLER]
        # a grammar word of any of the records' languages ("für", "de", "ki") says nothing about a part: it is no
        # unknown word, as the English ones (filler) are not
        hit.revision = revision_tokens(query)
        hit.unknown_words = [t for t in evidence_words(hit.content, hit.revision)
                             if t not in hit.pn_tokens and t not in hit.slipped_words and not self.knows(t)]
        boards = self._split_hosts(toks, hit)
        # values asked for (3.3 V, 12 V): parts named with them rank up, parts named with others down; a
        # value that describes the context ("my 220 V lamp", "a 5 V arduino") asks nothing of the wanted part,
        # nor does a piece of a part number ("SMBJ 5.0A")
        context = _context_values(toks, boards)
        asked = values(" ".join(t for j, t in enumerate(toks) if j not in context and j not in glued))
        hit.asked = asked
        if asked:
            fits, short = self._value_fits(frozenset(asked))
            hit.values.update(fits)
            hit.short |= short
        return hit

    def _value_fits(self, asked: frozenset[str]) -> tuple[dict[str, int], frozenset[str]]:
        """Per part, how its named values fit the values asked (``_value_fit``, the parts it gives nothing to left
        out), and the parts that fall short of a capacity asked: a pure function of the values asked, which
        recur across requests (3.3 V, 5 V, 12 V), remembered (set here, not in __init__: the kept copy holds none)."""
        memo = self.__dict__.setdefault("_value_fit_memo", {})
        found = memo.get(asked)
        if found is None:
            fits: dict[str, int] = {}
            short: set[str] = set()
            for k, have in self.part_values.items():
                sign = _value_fit(have, asked)
                if sign:
                    fits[k] = sign
                if sign < 0 and falls_short(have, asked):
                    short.add(k)
            if len(memo) >= 1 << 12:
                memo.clear()
            found = memo[asked] = (fits, frozenset(short))
        return found

    def _phrase_cover(self, kept: list[str], hit: LexicalHit) -> None:
        """Names and aliases of two or more words written out inside the request, per part: the share of
        the request's words they cover ("4 digit 7 segment clock display" is two of the TM1637's aliases,
        "4 digit 7 segment" and "clock display", end to end)."""
        if len(kept) < 3:
            return  # a whole name is an exact match; two words are one phrase at most
        covered: dict[str, set[int]] = {}
        for i, t in enumerate(kept):
            for phrase, key in self._phrases.get(t, ()):
                n = len(phrase)
                if tuple(kept[i:i + n]) == phrase:
                    covered.setdefault(key, set()).update(range(i, i + n))
        for key, pos in covered.items():
            hit.phrase[key] = len(pos) / len(kept)

    def _compound_variants(self, query: str, hit: LexicalHit) -> None:
        """A hyphenated identifier that holds a known part number but is not one ("JSN-SR04T" holds
        SR04 of the HC-SR04): another part of the same family, so the whole is an unknown part number."""
        for compound in _COMPOUND.findall(fold(query)):
            pieces = [p.replace(".", "") for p in compound.split("-")]
            # a piece of a known part number, or a short word a part's names use beside a number (NEO-7M
            # beside the NEO-6M): a family's prefix
            first = pieces[0]
            if first.isdigit() and all(p.isalpha() for p in pieces[1:]):
                continue  # a count and its noun ("9-axis", "16-bit"), not an identifier
            family = (any(stem(p) in hit.pn_tokens for p in pieces)
                      or (first.isalpha() and len(first) <= 4 and first in self.name_words and pieces[1][:1].isdigit()))
            if not any(c.isdigit() for c in compound) or not family:
                continue
            if any(p.isalpha() and len(p) > 4 for p in pieces):
                continue  # a word joined on ("ds18b20-based"), not part of an identifier
            whole = "".join(pieces)
            if not is_part_number(whole) or whole in hit.unknown_part_numbers:
                continue
            if (whole in self.exact or whole in hit.pn_forms or self._pn_lookup(whole, whole=True)[0]
                    or self._slip_lookup(whole)[0]):
                continue
            hit.unknown_part_numbers.append(whole)

    def _split_hosts(self, toks: list[str], hit: LexicalHit) -> set[int]:
        """Find the boards a request names ("... for my nano", "two esp32 boards") and the rest of it:
        the thing wanted, when the rest still has two content words to describe it. Returns the
        positions of the boards' names."""
        covered: set[int] = set()
        boards: set[int] = set()
        sources: set[int] = set()
        verb = opening_verb(" ".join(toks))
        # what the verb acts on; a filler verb that no part's capabilities do ("need an ADS1115", "use a 9 V
        # battery") says what is wanted, not what another part works on
        wanting = verb in FILLER and not any(_does_verb(verb, d) for d in self.does.values())
        acted_on = _object_positions(toks) if verb and not wanting else set()
        for n in sorted({3, 2, 1} | {n for _, n in hit.typed_codes}, reverse=True):
            for i in range(0, len(toks) - n + 1):
                if any(j in covered for j in range(i, i + n)):
                    continue
                form = "".join(toks[i : i + n])
                keys = set(self.exact.get(form, ())) | set(self.pn.get(form, ())) | hit.typed_codes.get((i, n), set())
                if not keys:
                    keys, _ = self._pn_lookup(form, whole=n == 1) if (n > 1 and _joinable(toks[i : i + n])) or is_part_number(form) else ({}, 0)
                    keys = set(keys)
                named = keys & self.hosts
                # a board's name, not a word other parts are called by too ("wifi", "microcontroller");
                # a part number stays a board's name when a module carries the same chip (esp8266)
                if named and all(t in self._shared_name_words and not is_part_number(t) for t in toks[i : i + n]):
                    named = set()
                if not named and acted_on.issuperset(range(i, i + n)):
                    # the thing the opening verb acts on ("recharge the 18650", "reverse a dc motor"): a part
                    # whose own capabilities never do that is what the wanted part works on, not the wanted part
                    named_by = keys or (self._parts_named_by(toks[i]) if n == 1 else set())
                    acted = {k for k in named_by if self.does.get(k) and not _does_verb(verb, self.does[k])}
                    hit.acted_keys |= acted
                if not named and not keys and n == 1 and _attached(toks, i):
                    # a word naming one or two parts ("... for a fan"), not a whole name: those parts
                    keys = self._parts_named_by(toks[i])
                if not named and keys and _attached(toks, i) and verb and not _compared(toks, i):
                    # the part the opening verb's action happens on does that action itself ("show two rows of
                    # text on a character lcd"): the instrument, the part wanted, not what it serves; so does a part
                    # that senses, named after "of" by a verb that senses ("read the position of a knob": what is
                    # read is that part's own reading) (knowledge.goal)
                    keys = {k for k in keys if not _does_verb(verb, self.does.get(k, set()))
                            and not reads_own_state(toks[_cue(toks, i)], self.verb_directions.get(verb, set()),
                                                    self.directions.get(k, set()))}
                if not named and keys and _attached(toks, i):
                    named = keys  # any part named after "for", "from", "of", "my"...: what the wanted part serves
                    hit.attached_keys |= keys
                    if _compared(toks, i):
                        hit.compared_keys |= keys
                if named:
                    covered.update(range(i, i + n))
                    cue = _cue(toks, i)
                    if not named & self.hosts and cue >= 0 and toks[cue] == "from":
                        # a source ("from a 9 V battery", "from a solar panel"): what the wanted part takes in,
                        # its words still describe the wanted part (a charger from a panel is a solar charger)
                        sources.update(range(i, i + n))
                    if named & self.hosts:
                        boards.update(range(i, i + n))
                    hit.host_keys |= named
                    hit.context_keys |= keys  # every part those words name (the ESP-01 is an ESP8266 too)
        done_as = self.verb_directions.get(verb, set()) if verb else set()
        for j in sorted(acted_on):
            # a word of the object naming only parts that neither do the verb nor work the way the parts that do
            # it work ("store [the soil moisture readings]": a card stores; the sensor senses): what the wanted
            # part works on, so no evidence for the parts it names
            t = toks[j]
            named_by = set() if t in GRAMMAR_WORDS or is_value(t) else self._named_by_word.get(stem(t), set())
            if done_as and named_by and all(self.does.get(k) and not _does_verb(verb, self.does[k])
                                            and not self.directions[k] & done_as for k in named_by):
                hit.acted_words.add(stem(t))
        if not covered or (set(hit.exact) | set(hit.fuzzy)) & (self.hosts | hit.host_keys) or hit.exact:
            return boards  # no board named, or the whole request is a part's name (perhaps misspelt)
        rest = [t for j, t in enumerate(toks) if j not in covered or j in sources]
        if len(rest) == len(toks):
            return boards
        words = content_tokens(" ".join(rest))
        # the rest says what kind of thing the board is ("ATmega328P development board", "blak pill stm32"):
        # the board itself is wanted, not context
        # ... or it goes on "with" a USB connector the records type ("a nano with a usb-c socket"): what the board has
        own_kind = not _attached_any(toks, boards) and (any(
            self.name_coverage(words, key) == 1.0 for key in hit.host_keys)
            or (_described_with(toks, boards) and bool(named_connectors(toks[max(boards) + 1:], self.connectors))))
        if len(words) >= 2 and not own_kind:
            hit.wanted = " ".join(rest)
        return boards

    def _parts_named_by(self, word: str) -> set[str]:
        """The parts whose names end in this noun ("fan" in "12 V DC brushless fan (80 mm)"), when it is
        one or two of them (else the word names a kind of part, not a part)."""
        w = stem(word)
        if len(w) < 3 or w in FILLER or is_value(w):
            return set()
        keys = self.heads.get(w, set())
        return keys if len(keys) <= 2 else set()

    def version_conflicts(self, query: str, hit: LexicalHit | None = None) -> dict[str, set[tuple[str, int, str]]]:
        """The parts whose names put another number where the request puts one ("Teensy 4.1" for the
        Teensy 4.0, "16 channel" for the 8-channel relay board): it asks for another version or size
        of them. Each maps to the versions asked for that its names lack."""
        toks = tokens(query)
        asked = number_slots(toks, skip=hit.pn_tokens if hit else ())
        # a number the request joins to a name's word as a part number ("Nano 33" of "Nano 33 BLE")
        joined = {t for t in toks if hit and is_number(t) and t in hit.pn_tokens}
        beside = {slot for slot in number_slots(toks) if slot[2] in joined}
        out: dict[str, set[tuple[str, int, str]]] = {}
        for key, where in self._slot_numbers.items() if asked or beside else ():  # (no number: no other version)
            other = {(w, side, n) for w, side, n in asked if (w, side) in where and n not in where[(w, side)]}
            # the number a name carries with another word on the same side, a word its names never use ("Nano 33
            # BLE" beside the Nano 33 IoT): a sibling named by that word, which names no other part either
            named = self.name_vocab.get(key, set())
            other |= {(w, side, n) for w, side, n in beside if (w, side) not in where and w not in named
                      and w in self.words and not any(close_words(w, x) is not None for x in named)
                      and any(s == side and n in ns for (_, s), ns in where.items())}
            if other:
                out[key] = other
        # a part named by its number in another voltage than its names state, the request stating one voltage
        # ("MCP1700 1.8 V" for the 3.3 V MCP1700, "AMS1117 1.8V"): the family's version the library lacks
        volts = {a for a in (hit.asked if hit else ()) if _unit(a) == "v"}
        if len(volts) == 1:
            for key in hit.part_number:
                own = {v for v in self.part_values.get(key, ()) if _unit(v) == "v"}
                if own and not own & volts:
                    out.setdefault(key, set()).add(("volt", 0, next(iter(volts))))
        # a part number the library lacks whose digits alone differ from a part's (DHT20 beside the DHT22), unless
        # it names what the wanted part serves ("a driver for a NEMA 23" beside the NEMA 17)
        for typed in hit.unknown_part_numbers if hit else ():
            at = next((i for i in range(len(toks)) for k in (1, 2, 3) if "".join(toks[i:i + k]) == typed), -1)
            if at >= 0 and _attached(toks, at):
                continue
            for known in self._codes_by_head.get(typed[0], ()):
                if sibling_number(typed, known):
                    for key in self.codes.get(known, {}) or self.pn.get(known, {}):
                        out.setdefault(key, set()).add((typed, 0, typed))
        return out

    def names_one_part(self, word: str) -> bool:
        """Whether a word is in the names of one or two parts only ("teensy", "uno"): it names them,
        it is not a generic word ("channel", "inch", "button")."""
        return self._name_word_parts.get(word, 0) <= 2

    def knows(self, word: str, key: str | None = None) -> bool:
        """Whether the library (or one part's texts) uses this word, allowing a plausible typo."""
        vocab = self.vocab.get(key, set()) if key else self.words
        if word in vocab:
            return True
        if is_part_number(word) or len(word) < 4:
            return False
        # a pure function of the word (the index does not change once built), and a request's words recur in
        # the next requests: remembered (set here, not in __init__: the kept copy on disk holds no answers)
        memo = self.__dict__.setdefault("_knows_memo", {})
        found = memo.get((word, key))
        if found is None:
            allowed = max(1, typo_allowance(word))
            # words more than ``allowed`` letters longer or shorter are farther than that: left out, the rest in
            # their order, so the five nearest (ties in vocabulary order) are the same five
            choices = self.vocab_lists.get(key, []) if key else self._words_near_length(len(word), allowed)
            found = any(close_words(word, cand) is not None for cand, _, _ in
                        process.extract(word, choices, scorer=OSA.distance, score_cutoff=allowed, limit=5))
            if len(memo) >= 1 << 16:
                memo.clear()
            memo[(word, key)] = found
        return found

    def _words_near_length(self, n: int, allowed: int) -> list[str]:
        """The library's words (``word_list`` order) from ``n - allowed`` to ``n + allowed`` letters long."""
        near = self.__dict__.setdefault("_near_length", {})
        out = near.get((n, allowed))
        if out is None:
            out = near[(n, allowed)] = [w for w in self.word_list if abs(len(w) - n) <= allowed]
        return out

    def name_coverage(self, words: Iterable[str], key: str, hit: LexicalHit | None = None) -> float:
        """Fraction of the request's content words that are in this part's key, name or aliases."""
        words = list(words)
        if not words:
            return 1.0
        pn = hit.pn_tokens if hit else {}
        names = self.name_vocab.get(key, set())

        def named(w: str) -> bool:
            return w in names or key in pn.get(w, ()) or any(close_words(w, n) is not None for n in names)

        return sum(1 for w in words if named(w)) / len(words)

    def coverage(self, words: Iterable[str], key: str, hit: LexicalHit | None = None) -> float:
        """Fraction of the request's content words found in this part's own texts (or its part number)."""
        words = list(words)
        if not words:
            return 1.0
        pn = hit.pn_tokens if hit else {}
        return sum(1 for w in words if key in pn.get(w, ()) or self.knows(w, key)) / len(words)


@lru_cache(maxsize=1 << 12)  # a request's values are weighed against every part's, again and again
def _unit(value: str) -> str:
    return "x" if _DIMENSION.match(value) else re.sub(r"^[\d.]+", "", value)


def rated_current(rec) -> float | None:
    """The current a part's ratings say it can carry, A: a driver's or regulator's output, a transistor's
    collector or drain, a diode's forward current; without such a rating, the most its passive pins carry (the
    current path through it: a sensor's shunt or Hall path, a relay's contacts). None for parts with neither (a
    motor's own running current is what it draws, not what it carries)."""
    r = getattr(rec, "ratings", None)
    for value in (r.i_out_max, r.id_max, r.ic_max, r.if_max) if r is not None else ():
        if value:
            return float(value)
    path = [p.i_max for p in getattr(rec, "pins", ()) if p.type == "passive" and getattr(p, "i_max", None)]
    return float(max(path)) if path else None


# Units whose value in a part's name is a capacity (what it can carry: "43 A driver", "600 W TVS",
# "2000 mAh cell"), so a larger one fits a smaller need; a voltage in a name is nominal and must equal.
_CAPACITY = {"a": ("a", 1.0), "ma": ("a", 1e-3), "w": ("w", 1.0), "mah": ("mah", 1.0)}


def _value_fit(have: set[str], asked: set[str]) -> int:
    """+1 when a part's named values give what the request asks (the same value, or a capacity at
    least as large), -1 when they name only other values of a unit asked for, 0 when they share no unit.
    Each kind of quantity asked is weighed apart: a kind the part states where none of its values gives
    what is asked is -1 whatever another kind fits (a 5 V 2 A supply does not give 5 V at 20 A, nor a
    5 V 6 A one 12 V at 5 A); of two voltages asked (a conversion's ends) one that fits is enough."""
    fit = False
    for kind in {_CAPACITY.get(_unit(a), (_unit(a),))[0] for a in asked}:
        reached = stated = False
        for a in asked:
            ua = _unit(a)
            cap = _CAPACITY.get(ua)
            if (cap[0] if cap else ua) != kind:
                continue
            for h in have:
                uh = _unit(h)
                if h == a:
                    reached = stated = True
                elif cap and _CAPACITY.get(uh, (None,))[0] == cap[0]:
                    stated = True
                    if float(h[: -len(uh)]) * _CAPACITY[uh][1] >= float(a[: -len(ua)]) * cap[1]:
                        reached = True
                elif uh == ua:
                    stated = True
        if stated and not reached:
            return -1
        fit |= reached
    return 1 if fit else 0


def falls_short(have: set[str], asked: set[str]) -> bool:
    """Whether a capacity asked for (a current, a power, a charge) is more than every capacity of that kind the
    part states: it cannot give it at all (a 5 V 2 A supply for "5 V at 15 A"), worse than a nominal mismatch."""
    for a in asked:
        cap = _CAPACITY.get(_unit(a))
        if not cap:
            continue
        own = [float(h[: -len(_unit(h))]) * _CAPACITY[_unit(h)][1] for h in have
               if _CAPACITY.get(_unit(h), (None,))[0] == cap[0]]
        if own and max(own) < float(a[: -len(_unit(a))]) * cap[1]:
            return True
    return False


# A value after these words describes a thing the request mentions beside the wanted part ("from a
# 24 V signal", "of a 12 V motor", "my 220 V lamp"); "to"/"into" state what the wanted part must give.
_VALUE_CONTEXT_CUES = frozenset("for from of my our your his her their".split())


def _context_values(toks: list[str], boards: set[int]) -> set[int]:
    """Token indices of the values (number and unit) that describe the context, not the wanted part:
    a value in front of a board the request names ("a 5 V arduino"), or one in a phrase after a
    context cue that goes on to name a thing ("from a 24 V PLC signal"; "a regulator for 3.3 V" keeps
    its value: nothing follows it). Two voltages stated are a conversion: both are the wanted
    converter's sides ("12 V from a 5 V supply"), never context."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if _VALUE_UNIT.match(t) or _VOLT_INFIX.match(t):
            end = i + 1
        elif re.fullmatch(r"\d+(?:\.\d+)?", t) and i + 1 < len(toks) and toks[i + 1] in _UNIT_WORDS:
            end = i + 2
        else:
            i += 1
            continue
        k = end
        while k < len(toks) and (is_value(toks[k]) or toks[k] in _UNIT_AFTER):
            k += 1
        if k < len(toks) and toks[k].isalpha() and toks[k] not in FILLER:  # the value names a thing's
            j = i - 1
            while j >= 0 and toks[j] not in _VALUE_CONTEXT_CUES and (
                    toks[j] in _DETERMINERS or toks[j] in FILLER or is_value(toks[j]) or toks[j] in _UNIT_AFTER):
                j -= 1
            if k in boards or (j >= 0 and toks[j] in _VALUE_CONTEXT_CUES):
                spans.append((i, end))
        i = end
    if len({v for v in values(" ".join(toks)) if _unit(v) == "v"}) >= 2:
        spans = [(i, end) for i, end in spans if not any(_unit(v) == "v" for v in values(" ".join(toks[i:end])))]
    return {j for i, end in spans for j in range(i, end)}
