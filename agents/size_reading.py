"""Reading a plain-language sizing request by meaning: which block, and which quantity fills which slot.

1. Quantities come from :mod:`circuit.quantities` (pint-backed, engineering notation).
2. Named parts are looked up in the knowledge base (a part number's record gives its SPICE kind:
   an op-amp, an NPN, an N-MOSFET, the NE555), LED colours in the colour table.
3. The block is chosen by how close the request's words are to each block's description (an
   IDF-weighted overlap of word stems, optionally plus the MiniLM sentence embedding), by whether a
   named part fits the block's device, and by whether the block's required slots can be filled
   from the quantities present. Two blocks too close to call are reported as options.
4. Each quantity goes to the slot of the chosen block whose unit it has and whose description
   shares most words with the words around it (nearer words weigh more); comparison words in
   front of it (at least, at most, under) set the operator where the slot allows one.

No phrase list names a block: the words come from the blocks' own descriptions.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import snowballstemmer
from scipy.optimize import linear_sum_assignment

from circuit.led_colors import COLOURS, colour_key
from agents.filter_band import kept_band
from circuit.proportion_words import find_proportions
from circuit.quantities import Quantity, find_quantities, metres_of
from circuit.sizing.block import Block, Infeasible, Slot
from circuit.sizing.blocks import BLOCKS
from circuit.sizing.devices import OPAMPS
from circuit.sizing.spec import Spec
from circuit.spelled_numbers import spelled_to_digits
from knowledge.embedding import get_embedder
from knowledge.library import Library

# words that carry no meaning for matching (grammar only)
_STOP = {"a", "an", "the", "of", "for", "and", "with", "is", "are", "i", "we", "you", "it", "that", "this",
         "do", "does", "need", "want", "what", "which", "me", "my", "please", "some", "two", "one", "make", "get",
         "so", "be", "can", "should", "would", "like", "about", "around", "approx", "approximately", "roughly",
         "use", "using", "give", "us", "s", "by", "its", "their", "will", "then", "than", "as", "or", "any",
         "least", "most", "has", "have", "there", "how", "much", "big"}
# prepositions: they tell which value a word belongs to (slot cues), not which circuit is meant
_FUNCTION = {"at", "to", "from", "on", "in", "into", "out", "up", "down", "off", "with", "per", "over", "under"}
# words that open a new phrase: between two values, the words before one belong to the value on the
# left ("9 V output | with 15 V input"), from it on to the value on the right
_OPENERS = {"with", "and", "from", "to", "into", "for", "on", "of", "off", "via", "using", "while", "but", "or",
            "driving", "feeding", "giving", "when"}
# adverbs of a change's direction: they lead to the value the change ends at ("12 V down to 3.3 V")
_DIRECTION = {"down", "up"}
# comparison words: the closed grammatical class that sets an inequality
_AT_LEAST = re.compile(r"(≥|>=|at least|no less than|minimum|min\.?|more than|greater than|higher than|over|above|beyond|exceed)\s*$", re.I)
_AT_MOST = re.compile(r"(≤|<=|at most|no more than|maximum|max\.?|below|under|less than|lower than|up to|within|keep\w*\s+\w+\s+under|limit\w*\s+to)\s*$", re.I)


class ReadError(ValueError):
    """The request does not say enough; the message says what to add."""


class Ambiguous(ReadError):
    def __init__(self, message: str, options: list[str]):
        super().__init__(message)
        self.options = options


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word.lower().strip("-'"))


def words(text: str) -> list[str]:
    # a name written with a figure inside it is one word ("i2c", "ne555")
    return [w for w in re.findall(r"[a-zA-Zµ][a-zA-Z0-9\-]*", text.lower()) if w not in _STOP]


# a word that negates the next one: "not inverted" is "non-inverted"
_NEGATORS = {"not", "non", "no"}


def stems(text: str) -> list[str]:
    out = []
    ws = words(text)
    for i, w in enumerate(ws):
        if w in _NEGATORS:
            continue
        if i and ws[i - 1] in _NEGATORS and "-" not in w:
            out.append(stem("non" + w))
            continue
        if "-" in w:
            # "low-pass" is also "lowpass", "low" and "pass"; "non-inverting" only "noninverting" (a negation)
            out.append(stem(w.replace("-", "")))
            if not w.startswith("non-"):
                out += [stem(p) for p in w.split("-") if p and p not in _STOP]
        else:
            out.append(stem(w))
    return out


# ---- named parts ----------------------------------------------------------------------------------
@dataclass
class NamedPart:
    key: str
    kind: str          # the record's SPICE kind, or the record key for parts modelled by kind "module"
    start: int
    end: int


@lru_cache(maxsize=1)
def _part_names() -> dict[str, tuple[str, str]]:
    """Lower-case part number -> (record key, kind): record keys and aliases that contain a digit."""
    out: dict[str, tuple[str, str]] = {}
    for rec in Library.default():
        if rec.spice is None:
            continue
        kind = rec.spice.kind if rec.spice.kind not in ("module",) else rec.key
        for name in [rec.key, *rec.aliases]:
            n = name.lower()
            if any(ch.isdigit() for ch in n) and " " not in n:
                out.setdefault(n, (rec.key, kind))
    for key in OPAMPS:  # op-amps modelled from the table (no record yet)
        out.setdefault(key, (key, "opamp"))
    return out


def named_parts(text: str) -> list[NamedPart]:
    """Part numbers in the text. A number that is also a part name ("555", "741") is the part when
    nothing reads it as a value (no unit, no prefix)."""
    names = _part_names()
    values = {q.start: q for q in find_quantities(text)}
    out = []
    for m in re.finditer(r"[A-Za-z0-9][A-Za-z0-9\-]*", text):
        tok = m.group(0).lower()
        if tok not in names:
            continue
        if tok.isdigit():
            q = values.get(m.start())
            if q is not None and (q.unit or q.scaled):
                continue
        key, kind = names[tok]
        out.append(NamedPart(key, kind, m.start(), m.end()))
    return out


def led_colour(text: str) -> str | None:
    ws = re.findall(r"[a-zA-Z]+", text.lower())
    for a, b in zip(ws, ws[1:] + [""]):
        for cand in (a + b, a):  # "warm white", then one word
            k = colour_key(cand)
            if k and k in COLOURS:
                return k
    return None


# ---- block choice ---------------------------------------------------------------------------------
def kinds_named(text: str) -> set[str] | None:
    """Part kinds written in the engineer's shorthand: 'RC', 'RL', 'LC', 'RLC' (upper case, a word)."""
    toks = re.findall(r"(?<![A-Za-z0-9])([RLC]{2,3})(?![A-Za-z0-9])", text)
    return set("".join(toks)) if toks else None


@lru_cache(maxsize=1)
def _inductor_words() -> frozenset[str]:
    """Words for an inductor, from the knowledge base's inductor records."""
    out: set[str] = set()
    for rec in Library.default():
        if rec.spice and rec.spice.kind == "inductor":
            for name in [rec.name, *rec.aliases]:
                if " " not in name.strip():  # one-word names only ("filter inductor" is not the word "filter")
                    out.update(stems(name))
    return frozenset(out)


@lru_cache(maxsize=None)
def _block_kinds(key: str) -> frozenset[str]:
    return frozenset(p.kind for p in BLOCKS[key]().params())


def kind_score(key: str, named: set[str] | None, says_inductor: bool) -> float:
    """Passive blocks: the shorthand's part kinds must be the block's; an inductor only when asked for."""
    cls = BLOCKS[key]
    kinds = _block_kinds(key)
    if named is not None and cls.device is None:
        return 0.2 if kinds == named else -0.3
    if "L" in kinds and not says_inductor:
        return -0.2
    return 0.0


@lru_cache(maxsize=1)
def _block_docs() -> dict[str, list[str]]:
    return {k: [t for t in stems(f"{cls.title}. {cls.description}") if t not in _FUNCTION] for k, cls in BLOCKS.items()}


@lru_cache(maxsize=1)
def _block_titles() -> dict[str, set[str]]:
    return {k: set(stems(cls.title)) - _FUNCTION for k, cls in BLOCKS.items()}


@lru_cache(maxsize=1)
def _idf() -> dict[str, float]:
    docs = _block_docs()
    n = len(docs)
    df: dict[str, int] = {}
    for toks in docs.values():
        for t in set(toks):
            df[t] = df.get(t, 0) + 1
    return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}


def lexical_scores(text: str) -> dict[str, float]:
    """IDF-weighted share of the request's content stems found in each block's title and description."""
    q = set(stems(text)) - _FUNCTION
    idf = _idf()
    q = {t for t in q if t in idf}
    total = sum(idf[t] for t in q) or 1.0
    out = {}
    titles = _block_titles()
    for key, toks in _block_docs().items():
        have, title = set(toks), titles[key]
        # a word of the block's name counts fully, a word of its description half
        out[key] = sum(idf[t] * (1.0 if t in title else 0.5 if t in have else 0.0) for t in q) / total
    return out


@lru_cache(maxsize=1)
def _block_vectors():
    emb = get_embedder()
    keys = list(BLOCKS)
    return keys, emb.encode([f"{BLOCKS[k].title}. {BLOCKS[k].description}" for k in keys])


def embedding_scores(text: str) -> dict[str, float]:
    keys, mat = _block_vectors()
    v = get_embedder().encode_query(text)
    sims = mat @ v
    return {k: float(s) for k, s in zip(keys, sims)}


# ---- slot filling ---------------------------------------------------------------------------------
@dataclass
class Filled:
    slot: Slot
    quantity: Quantity
    score: float
    value: float
    op: str
    by_words: bool = True  # False: placed by its unit and a comparison alone (the block's one limit of that unit)


@dataclass
class Reading:
    block: str
    specs: list[tuple[str, str, float, float]]          # (name, op, target, tol)
    env: dict[str, Any]
    series: str
    score: float
    filled: list[Filled] = field(default_factory=list)
    missing: list[Slot] = field(default_factory=list)
    unused: list[Quantity] = field(default_factory=list)
    pair_scores: dict[tuple[str, int], float] = field(default_factory=dict)  # (slot, quantity start) -> score


def comparison(before: str) -> tuple[str, int] | None:
    """The comparison that ends ``before`` (">=" or "<=") and where it starts; the longer one where two end
    there ("no more than" is at most, though it ends in "more than")."""
    found = [(m.start(), op) for op, m in ((">=", _AT_LEAST.search(before)), ("<=", _AT_MOST.search(before))) if m]
    if not found:
        return None
    start, op = min(found)
    return op, start


def _limited(before: str) -> bool:
    """A comparison word right before a value: it is stated as a limit."""
    return comparison(before) is not None


def _leading_phrase(seg: str) -> str:
    """The phrase that leads to a value from the start of its clause: from the last word that opens a phrase
    and still has a content word after it (in "a low-noise transistor | for switching a 9 V coil" the words
    that describe the transistor are not said of the 9 V; "filter | with a cut-off of 1 kHz")."""
    ws = seg.split()
    for i in range(len(ws) - 1, 0, -1):
        if ws[i].lower().strip(",;") in _OPENERS and any(
                w.lower() not in _STOP and w.lower() not in _FUNCTION for w in ws[i + 1:]):
            return " ".join(ws[i:])
    return seg


def _split_between(seg: str) -> tuple[str, str]:
    """Words between two values: (those that follow the left one, those that lead to the right one).
    Without a word that opens a phrase, both values see them all."""
    ws = seg.split()
    for i, w in enumerate(ws):
        if w.lower().strip(",;") in _DIRECTION:
            # a direction opens the phrase of the change, with whatever follows it: "12 V | down to 3.3 V",
            # "20 V | down by a factor of 5"
            return " ".join(ws[:i]), " ".join(ws[i:])
        if w.lower().strip(",;") in _OPENERS:
            return " ".join(ws[:i]), " ".join(ws[i:])
    return seg, seg


def _context(text: str, q: Quantity, qs: list[Quantity]) -> tuple[list[tuple[str, float]], str]:
    """Stems around a quantity with weights (nearer weighs more), within its clause, not past other
    quantities; and the raw text just before it (for comparison words)."""
    prev = [o for o in qs if o.end <= q.start]
    nxt = [o for o in qs if o.start >= q.end]
    prev_end = max([o.end for o in prev], default=0)
    next_start = min([o.start for o in nxt], default=len(text))
    left = re.split(r"[,;:.?!()\n]", text[prev_end:q.start])[-1]
    right = re.split(r"[,;:.?!()\n]", text[q.end:next_start])[0]
    if prev and not re.search(r"[,;:.?!()\n]", text[prev_end:q.start]):
        left = _split_between(left)[1]
    else:
        left = _leading_phrase(left)
    if nxt and not re.search(r"[,;:.?!()\n]", text[q.end:next_start]):
        right = _split_between(right)[0]
    out: list[tuple[str, float]] = []
    lw = stems(left)[-6:]
    for i, w in enumerate(reversed(lw)):
        out.append((w, 1.0 / (1 + 0.35 * i)))
    for i, w in enumerate(stems(right)[:4]):
        out.append((w, 0.9 / (1 + 0.35 * i)))
    # a value said of a part the library knows is said of what that part is to the circuit: "a 12 V buzzer" is the
    # load's voltage, "a 3.3 V ESP32 pin" the microcontroller's
    for cue, names in _PART_CUES.items():
        said = _naming_words(names)
        out += [(cue, w) for t, w in list(out) if t in said]
    kinds = _passive_words()  # a passive by any of its names ("cap", "pot") is that kind of part
    out += [(_KIND_WORD[kinds[t]], w) for t, w in list(out) if t in kinds and kinds[t] in _KIND_WORD]
    return out, text[max(0, q.start - 30):q.start]


# the kinds of library part a value may be said of, and the word for what each is to a sized circuit
_PART_CUES = {"load": "actuator", "microcontrol": "microcontroller"}


@lru_cache(maxsize=None)
def _naming_words(category: str) -> frozenset[str]:
    """Stems of the words that name the library's parts of one category (for actuators: a relay, a buzzer, a
    solenoid, a motor, a pump; for microcontrollers: an ESP32, an Arduino): their one-word names that no other
    kind of part goes by, and the head (last) word of their longer names where no other kind of part uses that
    word ("water pump": pump)."""
    one: set[str] = set()
    heads: set[str] = set()
    other_one: set[str] = set()
    other: set[str] = set()
    for rec in Library.default():
        for n in [rec.name, *rec.aliases]:
            ws = n.strip().lower().split()
            if rec.category != category:
                other.update(stem(w) for w in ws)
                if len(ws) == 1:
                    other_one.add(stem(ws[0]))
            elif len(ws) == 1:
                one.add(stem(ws[0]))
            elif len(ws) <= 3 and not any(c.isdigit() for c in ws[-1]):
                heads.add(stem(ws[-1]))
    return frozenset((one - other_one) | (heads - other))


@lru_cache(maxsize=512)
def _slot_stems(desc: str, name: str) -> frozenset[str]:
    toks = set(stems(desc))
    toks.update(stem(p) for p in re.split(r"[_\W]+", name.lower()) if p and len(p) > 0)
    return frozenset(toks)


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"\s*([A-Za-z]+)", text[pos:])
    return m.group(1) if m else ""


def _compatible(slot: Slot, q: Quantity) -> bool:
    if q.is_range:  # a range fills a range's two ends, or a condition at its worst (upper) end
        return slot.unit == q.unit and (slot.range_keys is not None or slot.role == "env")
    if slot.unit == q.unit:
        return True
    if slot.unit == "Ω" and q.unit == "" and q.scaled and q.value >= 0.01:
        return True           # 4k7, 47k: a resistor value
    if slot.unit == "F" and q.unit == "" and q.scaled and 0 < q.value < 1e-3:
        return True           # 220n, 4u7, 100p: a capacitor value (no resistor is written in pico, nano or micro)
    if slot.unit == "" and q.unit in ("", "dB") and not q.scaled:
        return True           # a gain, a Q; a gain in dB
    if slot.unit == "%" and q.unit == "" and 0 < q.value < 1 and not q.scaled:
        return True           # a duty written as 0.6
    if slot.unit == "dB" and q.unit == "dB":
        return True
    return False


def _value_for(slot: Slot, q: Quantity) -> float:
    if slot.unit in ("", "%") and q.unit in ("dB", "%"):
        return q.ratio
    if slot.peak:
        return q.peak
    return q.value


def _assign(pairs: list[tuple[float, int, int]], n_slots: int, n_qs: int) -> list[tuple[float, int, int]]:
    """Quantities to slots, one each, so that the words fit best over the whole request (the largest total
    score: "switches on at 4 V and off at 3.5 V, 12 V supply" gives the supply to 12 V even though "on at" also
    reads as a supply), ties to the earlier slot and quantity. Returns (score, slot, quantity), best first."""
    if not pairs:
        return []
    m = np.full((n_slots, n_qs), -1e6)
    for score, neg_si, neg_qi in pairs:
        m[-neg_si, -neg_qi] = score - 1e-6 * -neg_si - 1e-9 * -neg_qi
    rows, cols = linear_sum_assignment(m, maximize=True)
    out = [(float(m[r, c]), int(r), int(c)) for r, c in zip(rows, cols) if m[r, c] > -1e5]
    return sorted(out, reverse=True)


def fill(block_cls: type[Block], text: str, qs: list[Quantity],
         scores: dict[tuple[str, int], float] | None = None) -> tuple[list[Filled], list[Quantity]]:
    """Greedy matching of quantities to the block's slots by unit and surrounding words (``scores``,
    when given, receives every candidate pairing's score)."""
    pairs: list[tuple[float, int, int]] = []
    contexts = [_context(text, q, qs) for q in qs]
    slots = list(block_cls.slots)
    title = set(stems(block_cls.title))
    share: dict[str, int] = {}
    limits: dict[str, int] = {}
    units: dict[str, int] = {}
    every: dict[str, int] = {}
    by_limit: set[tuple[int, int]] = set()
    for slot in slots:
        if slot.inequality:
            limits[slot.unit] = limits.get(slot.unit, 0) + 1
        if slot.role != "fixed":
            units[slot.unit] = units.get(slot.unit, 0) + 1
        every[slot.unit] = every.get(slot.unit, 0) + 1
        for t in _slot_stems(slot.description, slot.name):
            share[t] = share.get(t, 0) + 1
    for qi, q in enumerate(qs):
        ctx, _ = contexts[qi]
        for si, slot in enumerate(slots):
            if not _compatible(slot, q):
                continue
            if q.unit == "dB" and abs(abs(q.value) - 3) < 0.2 and slot.unit == "":
                continue      # "-3 dB" names the corner, it is not a gain
            if slot.unit == "" and q.unit == "" and metres_of(_next_word(text, q.end)):
                continue      # "5 mm LED": a size, not a count or a ratio
            ss = _slot_stems(slot.description, slot.name)
            own = _slot_stems("", slot.name)
            # a word found in several of the block's slot descriptions tells them apart less, and a word
            # of the block's own name mostly names the circuit ("voltage divider 5 V to 1.1 V")
            # a preposition is a weaker cue than a content word ("10k on the bottom": the bottom resistor, not
            # the load "on the output")
            score = sum(w / share[t] * (0.3 if t in title and t not in own else 1.0) * (0.5 if t in _FUNCTION else 1.0)
                        for t, w in ctx if t in ss)
            if score > 0 and slot.inequality and _limited(contexts[qi][1]):
                score += 0.3  # a value stated as a limit is one of the block's limits before one of its conditions
            if q.plus_minus and slot.pair:
                score += 1.0
            if q.is_range and slot.range_keys:
                score += 1.0
            if q.qualifier and slot.peak:
                score += 1.0
            # a value with a unit that only one of the block's specs or conditions takes goes there though its
            # words say nothing ("running at 2 mA": the one current of the stage); when stated as a limit ("no
            # more than 100 µA") it is the block's one limit of its unit
            if score <= 0 and (q.unit or q.scaled or q.proportion) and (
                    slot.role != "fixed" and units[slot.unit] == 1
                    or slot.role == "fixed" and every[slot.unit] == 1  # "10nF" where the one capacitor is the user's
                    or slot.inequality and limits[slot.unit] == 1 and _limited(contexts[qi][1])):
                score = 0.3 if slot.inequality and _limited(contexts[qi][1]) else 0.2
                by_limit.add((si, qi))
            # a value whose words say nothing goes only to a slot that the block cannot do without
            # (its main spec) or that takes a bare value (its supply); a bare number always needs words
            if score <= 0 and (q.unit == "" and not q.scaled and not q.proportion
                               or not (slot.required or slot.prior > 0)):
                continue
            score += (0.6 if slot.required else 0.0) + slot.prior
            pairs.append((score, -si, -qi))
            if scores is not None:
                scores[(slot.name, q.start)] = score
    used_q: set[int] = set()
    filled: list[Filled] = []
    for score, si, qi in _assign(pairs, len(slots), len(qs)):
        slot, q = slots[si], qs[qi]
        op = slot.op
        if slot.inequality:
            c = comparison(contexts[qi][1])
            if c:
                op = c[0]
        filled.append(Filled(slot, q, score, _value_for(slot, q), op, (si, qi) not in by_limit))
        used_q.add(qi)
    unused = [q for i, q in enumerate(qs) if i not in used_q]
    return filled, unused


# ---- the reading ----------------------------------------------------------------------------------
def _split_tolerances(text: str, qs: list[Quantity]) -> tuple[list[Quantity], dict[str, float], list[tuple[Quantity, float]]]:
    """% figures that are tolerances: '±2 %' or 'within 5 %' after a spec, '1 % resistors', '10 % caps'."""
    rest, env, spec_tols = [], {}, []
    for q in qs:
        if q.unit != "%":
            rest.append(q)
            continue
        after = " ".join(stems(text[q.end:q.end + 20])[:1])
        before = text[max(0, q.start - 12):q.start].lower()
        if after.startswith("resistor"):
            env["tol_r"] = q.value / 100
        elif after.startswith(("capacitor", "cap")):
            env["tol_c"] = q.value / 100
        elif q.plus_minus or re.search(r"(within|tolerance|tol\.?|accura\w*|±)\s*(of\s*)?$", before):
            spec_tols.append((q, q.value / 100))
        else:
            rest.append(q)
    return rest, env, spec_tols


_PART_ENV = {"opamp": "opamp", "npn": "transistor", "nmos": "mosfet"}
_DEVICE_CLASSES = set(_PART_ENV)  # generic device classes with a default part (any op-amp, any NPN)
_BLOCK_DEVICES = {cls.device for cls in BLOCKS.values() if cls.device}


def compose(key: str, text: str, filled: list[Filled], unused: list[Quantity], parts: list[NamedPart],
            colour: str | None, series: str, spec_tols: list[tuple[Quantity, float]],
            tol_env: dict[str, float]) -> Reading:
    """Specs, conditions and fixed parts from the filled slots, plus named parts, colours and words
    that are values (a filter response)."""
    cls = BLOCKS[key]
    env: dict[str, Any] = dict(tol_env)
    specs: list[tuple[str, str, float, float]] = []
    fixed: dict[str, float] = {}
    for f in filled:
        s = f.slot
        if s.role == "spec":
            target = abs(f.value) if s.unit == "" else f.value
            tol = s.tol
            for tq, t in spec_tols:  # a tolerance right after this quantity
                if 0 <= tq.start - f.quantity.end <= 12:
                    tol = t
            specs.append((s.name, f.op, target, tol))
        elif s.role == "fixed":
            fixed[s.name] = f.value
        elif s.range_keys:  # a range fills both ends; one value is both ends
            env[s.range_keys[0]] = f.quantity.low if f.quantity.is_range else f.value
            env[s.range_keys[1]] = f.quantity.value
        else:
            env[s.name] = f.value
            if s.pair:
                env[s.pair] = -f.value if f.quantity.plus_minus else 0.0
    have = {n for n, *_ in specs}
    for name, value in cls.derived_specs(env).items():  # a gain as the level out over the level in, a rate from times
        if name not in have:
            slot = next(s for s in cls.slots if s.name == name)
            specs.append((name, "=", value, slot.tol))
            have.add(name)
    low = set(stems(text))
    for word, (slot, value) in cls.named_values.items():
        if stem(word) in low and slot not in have:
            specs.append((slot, "=", value, next((s.tol for s in cls.slots if s.name == slot), 0.05)))
            have.add(slot)
    if fixed:
        env["fixed"] = fixed
    for p in parts:
        if cls.device and (p.kind == cls.device or p.key == cls.device) and p.kind in _PART_ENV:
            env[_PART_ENV[p.kind]] = p.key
    if colour and "color" in cls.default_env:
        env["color"] = colour
    filled_names = {f.slot.name for f in filled} | have
    missing = [s for s in cls.slots if s.required and s.name not in filled_names]
    if cls.requires_one_of and not any(set(g) <= filled_names for g in cls.requires_one_of):
        first = cls.requires_one_of[0]
        missing += [s for s in cls.slots if s.name in first and s.name not in filled_names]
    return Reading(key, specs, env, series, 0.0, filled, missing, unused)


def _feasible(r: Reading) -> bool:
    cls = BLOCKS[r.block]
    try:
        block = cls(env=dict(r.env))
        specs = {n: Spec(n, op, t, tol) for n, op, t, tol in r.specs}
        block.adapt(specs)
        block.check_feasible(specs)
        return True
    except (Infeasible, KeyError, ValueError, ZeroDivisionError):
        return False


def settle(r: Reading, rebuild) -> Reading:
    """When the reading asks for the impossible, try the same values the other way round between two
    slots of one unit (the lower threshold given first, the input before the output); keep the first
    reading the block can build. Otherwise the first reading stands and the sizer explains the limit."""
    if _feasible(r):
        return r
    fl = r.filled
    ps = r.pair_scores
    for a in range(len(fl)):
        for b in range(a + 1, len(fl)):
            if fl[a].slot.unit != fl[b].slot.unit or fl[a].quantity.unit != fl[b].quantity.unit:
                continue
            if fl[a].slot.role != fl[b].slot.role:
                continue  # a spec and a condition (a threshold and its supply) are not swapped to make a request fit
            # only a close call: the words around the two values must fit the other way round nearly as well
            swapped_score = ps.get((fl[a].slot.name, fl[b].quantity.start), -9) + ps.get((fl[b].slot.name, fl[a].quantity.start), -9)
            if swapped_score < fl[a].score + fl[b].score - 0.35:
                continue
            swapped = list(fl)
            qa, qb = fl[a].quantity, fl[b].quantity
            swapped[a] = Filled(fl[a].slot, qb, fl[a].score, _value_for(fl[a].slot, qb), fl[a].op)
            swapped[b] = Filled(fl[b].slot, qa, fl[b].score, _value_for(fl[b].slot, qa), fl[b].op)
            alt = rebuild(swapped)
            if _feasible(alt):
                alt.score, alt.pair_scores = r.score, ps
                return alt
    return _moved_to_condition(r, rebuild)


def _moved_to_condition(r: Reading, rebuild) -> Reading:
    """A value read as a spec that the block derives from a stated proportion of a condition ("10 V in half": a
    divider's output from its ratio and input) is that condition when the reading cannot be built otherwise: the
    proportion says what becomes of the value, so the value is what goes in."""
    cls = BLOCKS[r.block]
    fl = r.filled
    taken = {f.slot.name for f in fl}
    for i, f in enumerate(fl):
        if f.slot.role != "spec":
            continue
        for slot in cls.slots:
            if slot.role != "env" or slot.name in taken or slot.unit != f.slot.unit or not _compatible(slot, f.quantity):
                continue
            moved = list(fl)
            moved[i] = Filled(slot, f.quantity, f.score, _value_for(slot, f.quantity), slot.op)
            alt = rebuild(moved)
            if f.slot.name in {n for n, *_ in alt.specs} and not alt.missing and _feasible(alt):
                alt.score, alt.pair_scores = r.score, r.pair_scores
                return alt
    return r


def with_proportions(text: str, qs: list[Quantity]) -> list[Quantity]:
    """``qs`` with the fractions and multiples said in words (``circuit.proportion_words``): one said of a unit
    ("half a second") is that unit's quantity already; a bare figure inside one ("2 thirds") is part of it."""
    props = [p for p in find_proportions(text)
             if not any(q.unit and q.start < p.end and p.start < q.end for q in qs)]
    kept = [q for q in qs if q.unit or not any(p.start < q.end and q.start < p.end for p in props)]
    return sorted(kept + props, key=lambda q: q.start)


def read_request(text: str, use_embedding: bool = False) -> Reading:
    """The block and its filled slots for a plain-language request (rules, no LLM)."""
    clean = spelled_to_digits(text.replace("\u2013", "–").strip())
    if not clean:
        raise ReadError("the request is empty: say what to size, e.g. 'a red LED at 12 mA from 5 V'")
    qs_all = with_proportions(clean, find_quantities(clean))
    parts = named_parts(clean)
    # part numbers are names, not values ("555" in "555 timer")
    qs_all = [q for q in qs_all if not any(p.start <= q.start < p.end for p in parts)]
    # a count of passives says how the circuit is built ("with 2 resistors"), not a value to meet
    qs_all = [q for q in qs_all if q.unit or q.scaled or stem(_next_word(clean, q.end).lower()) not in _passive_words()]
    qs, tol_env, spec_tols = _split_tolerances(clean, qs_all)
    colour = led_colour(clean)
    m = re.search(r"\bE(3|6|12|24|48|96|192)\b", clean)
    series = f"E{m.group(1)}" if m else "E24"

    # words only (values out) for the meaning of the request
    words_only = clean
    for q in sorted(qs_all, key=lambda q: -q.start):
        c = comparison(words_only[:q.start])
        start = c[1] if c else q.start  # a comparison says how much, not which circuit
        words_only = words_only[:start] + " " + words_only[q.end:]
    lex = lexical_scores(words_only)
    sem = embedding_scores(words_only) if use_embedding else {}
    kinds = {p.kind for p in parts} | {p.key for p in parts}
    named = kinds_named(clean)
    says_inductor = bool(set(stems(words_only)) & _inductor_words()) or bool(named and "L" in named)
    band = band_kept(clean, qs)
    listed = {k: n for k, n in (passives_named(words_only) or {}).items() if n > 1}
    scored: list[tuple[float, Reading]] = []
    meaning: dict[str, float] = {}  # how well the words and named parts describe each block, before its values
    for key, cls in BLOCKS.items():
        s = lex.get(key, 0.0) + (0.5 * sem.get(key, 0.0) if sem else 0.0) + kind_score(key, named, says_inductor)
        if cls.device and cls.device in kinds:
            s += 0.5   # the request names the part this block is built around
        elif kinds & _BLOCK_DEVICES and cls.device not in kinds:
            s -= 0.25  # it names a part some other block is built around
        elif cls.device and cls.device not in _DEVICE_CLASSES and not (set(stems(words_only)) & _block_titles()[key]):
            s -= 0.15  # a block built around one particular part, which the request neither names nor describes
        meaning[key] = s
        ps: dict[tuple[str, int], float] = {}
        filled, unused = fill(cls, clean, qs, ps)
        reading = compose(key, clean, filled, unused, parts, colour, series, spec_tols, tol_env)
        reading.pair_scores = ps
        if reading.missing:
            s -= 1.0   # the block cannot be sized from what the request states
        elif not reading.filled and not reading.specs:
            s -= 1.0   # nor can a block that explains none of it (it would size its own defaults)
        if listed:  # the passive parts the request lists by count ("two resistors")
            built = _block_parts(key)
            if any(built.get(k, 0) < n for k, n in listed.items()):
                s -= 0.3  # the block has fewer of them than the request lists
        if band and cls.passes in ("low", "high"):
            s += 0.3 if cls.passes == band else -0.3  # the frequencies the request keeps
        # a reading that explains the stated values by their words is a better one
        s += 0.05 * sum(1 for f in reading.filled
                        if f.by_words and f.score - f.slot.prior - (0.6 if f.slot.required else 0) > 0)
        s -= 0.05 * len(reading.unused)
        neg_gain = any(f.quantity.value < 0 and f.slot.name == "gain" for f in reading.filled)
        if neg_gain:
            s += 0.15 if getattr(cls, "inverting", False) else -0.15
        reading.score = s
        scored.append((s, reading))
    scored.sort(key=lambda t: -t[0])
    best_s, best = scored[0]
    meant = _described(scored, meaning)
    if meant is not None and meant is not best:
        best_s, best = meant.score, meant  # it asks for what the described circuit lacks
    if max(lex.values(), default=0.0) < 0.15 and not kinds & _BLOCK_DEVICES:
        raise ReadError("which circuit should be sized? say what it is, e.g. 'LED resistor', 'RC low-pass filter', "
                        "'555 astable', 'non-inverting amplifier' (circuitsmith size --list shows them all)")
    close = [r for s, r in scored[1:4] if best_s - s < 0.06 and not r.missing]
    if close and not best.missing:
        best, close = _fullest(best, close)
    if close and not best.missing:
        best, close = _in_phase(best, close)
    if close and not best.missing:
        best, close = _as_listed(best, close, words_only)
    if close and not best.missing:
        best, close = _simplest(best, close)
    if close and not best.missing:
        opts = [best.block] + [r.block for r in close]
        raise Ambiguous("the request fits more than one circuit: " + " or ".join(BLOCKS[k].title for k in opts)
                        + "; say which one", opts)
    return settle(best, lambda fl: compose(best.block, clean, fl, best.unused, parts, colour, series, spec_tols,
                                           tol_env))


LEAD = 0.4  # how far ahead by meaning a block must be to be the one described, though it lacks a value


def _described(scored: list[tuple[float, "Reading"]], meaning: dict[str, float]) -> "Reading | None":
    """The block the words and named parts describe best, when it places every stated value and lacks one the
    request did not state, and the reading that would win instead is described far worse (``LEAD``): the request
    is read as the described block (and asks for the value), never as a block it only fits by its units ("an NPN
    switch from a 3.3 V pin" lacks the load current; it is no comparator at 3.3 V)."""
    ranked = sorted(meaning, key=lambda k: -meaning[k])
    if not ranked or not scored:
        return None
    top = next(r for _, r in scored if r.block == ranked[0])
    winner = scored[0][1]
    if top is winner or meaning[top.block] - meaning[winner.block] < LEAD:
        return None
    return top if top.missing and not top.unused else None


@lru_cache(maxsize=1)
def _filter_noun() -> frozenset[str]:
    """The word every filter block's name shares (its kind of circuit)."""
    names = [{stem(w) for w in words(cls.title) if "-" not in w} for cls in BLOCKS.values() if cls.passes]
    return frozenset(set.intersection(*names)) if names else frozenset()


def band_kept(text: str, qs: list[Quantity]) -> str | None:
    """The band a filter request keeps ("low"/"high"), from the first frequency it places a comparison on:
    "only frequencies above 1 kHz" asked to pass (high) or taken away (low), read by agents.filter_band."""
    for q in qs:
        if q.unit != "Hz":
            continue
        clause = re.split(r"[,;:.?!()\n]", text[:q.start])[-1]
        after = re.match(r"\s*(?:and|or)\s+(\w+)", text[q.end:])
        side = None
        c = comparison(clause)
        if c:
            side = "above" if c[0] == ">=" else "below"
            clause = clause[:c[1]]
        elif after:  # "1 kHz and above"
            c = comparison(after.group(1))
            side = None if c is None else "above" if c[0] == ">=" else "below"
        if side is None:
            continue
        # the circuit's own name is no action on the band ("a filter that passes ..." is said of a filter)
        # and grammar words say nothing of it
        clause = " ".join(w for w in words(clause) if stem(w) not in _filter_noun())
        band = kept_band(clause, side)
        if band:
            return band
    return None


_KIND_LETTER = {"resistor": "R", "capacitor": "C", "inductor": "L"}
_KIND_WORD = {letter: stem(name) for name, letter in _KIND_LETTER.items()}
_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "pair": 2}


@lru_cache(maxsize=1)
def _passive_words() -> dict[str, str]:
    """Stem of a one-word name of a plain resistor, capacitor or inductor (the generic records: "resistor",
    "cap", "choke") -> its kind letter."""
    out: dict[str, str] = {}
    for rec in Library.default():
        letter = _KIND_LETTER.get(rec.key) if rec.spice and rec.spice.kind == rec.key else None
        if letter:
            for name in [rec.name, *rec.aliases]:
                if " " not in name.strip():
                    out[stem(name)] = letter
    return out


def passives_named(text: str) -> dict[str, int] | None:
    """The passive parts a request lists by kind and count ("with two resistors": {R: 2}; "a resistor and a
    capacitor": {R: 1, C: 1}), or None when it names none."""
    table = _passive_words()
    toks = re.findall(r"[A-Za-z]+|\d+", text.lower())
    out: dict[str, int] = {}
    for i, t in enumerate(toks):
        letter = table.get(stem(t))
        if letter is None:
            continue
        prev = toks[i - 1] if i else ""
        plural = t != stem(t) and t.endswith("s")  # "with resistors": more than one
        n = int(prev) if prev.isdigit() else _COUNT_WORDS.get(prev, 2 if plural else 1)
        out[letter] = out.get(letter, 0) + n
    return out or None


def _block_parts(key: str) -> dict[str, int]:
    cls = BLOCKS[key]
    out: dict[str, int] = {}
    for p in cls().params():
        out[p.kind] = out.get(p.kind, 0) + 1
    if cls.device:
        out[cls.device] = out.get(cls.device, 0) + 1
    return out


@lru_cache(maxsize=None)
def _part_count(key: str) -> int:
    """The parts a block is built from: its sized values and the device it is built around."""
    cls = BLOCKS[key]
    return len(cls().params()) + (1 if cls.device else 0)


def _as_listed(best: Reading, close: list[Reading], text: str) -> tuple[Reading, list[Reading]]:
    """Readings that score alike, one of them built from exactly the passive parts the request lists
    ("9 V to 5 V with two resistors" is the divider, not a switch with two resistors and a transistor)."""
    named = passives_named(text)
    if named is None:
        return best, close
    exact = [r for r in (best, *close) if _block_parts(r.block) == named]
    return (exact[0], []) if len(exact) == 1 else (best, close)


def _placed(r: Reading) -> set:
    """What a reading takes from the request: the stated values it places (by where they stand) and the specs
    it reads from words (a filter response)."""
    return {f.quantity.start for f in r.filled} | ({n for n, *_ in r.specs} - {f.slot.name for f in r.filled})


def _in_phase(best: Reading, close: list[Reading]) -> tuple[Reading, list[Reading]]:
    """Gain stages that score alike, some inverting and some not, for a gain stated without a sign: the signal
    keeps its phase, so the stages that do not invert it stay."""
    rivals = [best, *close]
    if not all(hasattr(BLOCKS[r.block], "inverting") for r in rivals):
        return best, close
    gains = [f.quantity.value for r in rivals for f in r.filled if f.slot.name == "gain"]
    if not gains or min(gains) < 0:
        return best, close
    kept = [r for r in rivals if not BLOCKS[r.block].inverting] or rivals
    return kept[0], kept[1:]


def _fullest(best: Reading, close: list[Reading]) -> tuple[Reading, list[Reading]]:
    """Readings that score alike: one that takes less from the request than another (a stated value it cannot
    place) drops out: a circuit that reads the frequency but has no use for the stated gain is not the one meant."""
    rivals = [best, *close]
    kept = [r for r in rivals if not any(_placed(r) < _placed(o) for o in rivals)]
    return kept[0], kept[1:]


def _simplest(best: Reading, close: list[Reading]) -> tuple[Reading, list[Reading]]:
    """Readings that score alike: when one is built from fewer parts than every other and explains
    everything the others do (each spec and condition they read from the request, it reads too), it is the
    answer: a low-pass at 2 kHz is an RC pair, not a Sallen-Key stage, unless the request asks for what only
    the larger circuit gives (a Q, a second order). Blocks alike in size (a low-pass or a high-pass at
    1 kHz) stay a question."""
    rivals = [best, *close]

    read = _placed

    for r in sorted(rivals, key=lambda r: _part_count(r.block)):
        others = [o for o in rivals if o is not r]
        if all(_part_count(r.block) < _part_count(o.block) and read(o) <= read(r) for o in others):
            return r, []
        break
    return best, close


def embedding_available() -> bool:
    try:
        _block_vectors()
        return True
    except Exception:  # no model installed: the lexical reading stands alone
        return False
