"""Needs by meaning: the functions a request asks for, matched against what the records provide.

The request is cut into clauses (at punctuation and joining words); each clause is embedded with
the bundled MiniLM and compared with every record's capability descriptions
(:mod:`knowledge.capabilities`). A capability is needed when its best description is close enough:

- ``FREE`` for a clause that names no library part ("text me when the door opens");
- ``NAMED`` (stricter) for a clause that names a part: the part usually *is* the answer ("control
  four servos" needs no motor driver), unless the clause clearly asks for more ("a 12 V motor's
  speed and direction" needs an H-bridge);
- a capability a named part already provides is not a need, and a clause that a named part's
  capability matches best is explained by that part (no need ranked below it is taken);
- a negated clause ("without Wi-Fi", "no microcontroller") rules the capability out instead.

The thresholds were set on the project's own request sets (``benchmarks/``), not per request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.understand.requirements import NeededFunction
from circuit.quantities import find_quantities
from knowledge.library import Library

FREE = 0.40
NAMED = 0.55
MARGIN = 0.06  # the best capability must stand out from the next one: a vague clause asks for nothing
SECOND_MARGIN = 0.08
# a clause that names parts may ask for one more function in its other words ("send soil moisture over
# LoRa"): taken when those words alone match it clearly, well above any other capability
BESIDES = 0.50
BESIDES_MARGIN = 0.10  # a second capability from one clause must score within this of the first
# one word may carry a clause's meaning that the clause as a whole dilutes ("when the room goes dark": the
# room pulls towards motion sensing, "dark" alone means light sensing): a content word on its own asks for
# a capability when it means that one clearly (at least WORD, WORD_MARGIN above any other) and the word
# after it does not weaken that meaning (a modifier of another noun: "dark red", "fire engine")
WORD = 0.55
WORD_MARGIN = 0.15
CONTROLLER = "controller"

_SPLIT = re.compile(r"[,.;:!?()\[\]+&/]|\b(?:and|when|whenever|then|so|but|while|with|plus|using|via|if|through|to|"
                    r"also|once|after|before|until|or|without|that|which|as(?=\s+(?:it|they|the|you|we|i|he|she|soon)\b))\b", re.IGNORECASE)
NEGATION = re.compile(r"^\s*(?:no|not|without|never|avoid|don'?t|do not|dont|nothing|none)\b", re.IGNORECASE)
_NEG_INSIDE = re.compile(r"\b(?:no|without|avoid|don'?t use|do not use|not use)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+", re.IGNORECASE)
_MEASURE = re.compile(r"^\d+(?:\.\d+)?[a-z]{0,3}$")
_UNITS = {"meter", "meters", "metre", "metres", "feet", "foot", "inch", "inches", "volt", "volts", "amp", "amps",
          "watt", "watts", "ohm", "ohms", "hertz", "seconds", "second", "minutes", "minute", "hours", "hour",
          "degrees", "about", "around", "roughly", "approximately", "km", "cm", "mm", "ma", "mah"}
_FILLER = {"a", "an", "the", "my", "me", "i", "it", "its", "is", "be", "of", "for", "in", "on", "at", "from", "by",
           "this", "that", "these", "those", "some", "please", "can", "you", "we", "our", "your", "want", "need",
           "like", "would", "should", "will", "do", "how", "what", "connect", "wire", "use", "build", "make",
           "design", "create", "circuit", "system", "project", "help"}


@dataclass
class Clause:
    text: str
    start: int
    end: int
    negated: bool = False
    names_part: bool = False


@dataclass
class NeedsResult:
    needs: list[NeededFunction] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    wants_controller: bool = False
    no_controller: bool = False


def clauses(text: str) -> list[Clause]:
    out, pos = [], 0
    for piece in _SPLIT.split(text):
        if piece is None:
            continue
        start = text.find(piece, pos)
        if start < 0:
            start = pos
        end = start + len(piece)
        pos = end
        words = _WORD.findall(piece.lower())
        if not [w for w in words if w not in _FILLER and w not in _UNITS and not _MEASURE.match(w)]:
            continue  # "12v", "the": no words that could ask for a function
        prev = _WORD.findall(re.split(r"[.;:!?,()]", text[:start])[-1].lower())[-3:]  # a negation ends at a comma
        negated = bool(NEGATION.match(piece)) or bool(set(prev) & {"without", "no", "not", "avoid", "never"})
        out.append(Clause(piece.strip(), start, end, negated))
    return out


def _without(text: str, c: Clause, spans: list[tuple[int, int, str]], min_words: int = 2) -> str:
    """The clause without the part names in it ("" when fewer than ``min_words`` words that could ask
    for something are left): "ESP32 reading a soil probe" asks what a soil probe does; the board that
    runs the program is not what the clause is about."""
    chars = list(text[c.start:c.end])
    for a, z, _ in spans:
        for i in range(max(a, c.start), min(z, c.end)):
            chars[i - c.start] = " "
    rest = " ".join("".join(chars).split())
    return rest if len(_content(rest)) >= min_words else ""


def _content(text: str) -> list[str]:
    """The words of a text that could ask for something (not filler, units or figures)."""
    return [w for w in _WORD.findall(text.lower()) if w not in _FILLER and w not in _UNITS and not _MEASURE.match(w)]


def needs_by_meaning(text: str, library: Library, named_spans: list[tuple[int, int, str]],
                     named_keys: list[str]) -> NeedsResult:
    """``named_spans``: (char start, char end, key) of the library parts the request names."""
    from agents.rules.part_search import semantic_enabled

    res = NeedsResult()
    cls = clauses(text)
    if not cls or not semantic_enabled():
        return res
    boards = {k for _, _, k in named_spans if library.get(k) is not None and library[k].is_mcu}
    texts, rest, words = [], [], []
    for c in cls:
        inside = [(a, z, k) for a, z, k in named_spans if a >= c.start - 1 and z <= c.end + 1]
        c.names_part = any(k not in boards for _, _, k in inside)
        alone = _without(text, c, inside, 2) if inside and not c.names_part else ""
        c.names_part = c.names_part or (bool(inside) and not alone)  # "direction from an Uno": too little left
        texts.append(alone or c.text)
        # what the clause asks for besides the parts it names ("send soil moisture over LoRa")
        rest.append(_without(text, c, inside, 2) if c.names_part and not c.negated else "")
        words.append([] if c.negated or _NEG_INSIDE.search(c.text) else _word_windows(text, c, inside))
    try:
        from knowledge.capabilities import capability_index

        index = capability_index(library)
        ranked = index.rank(texts + [r for r in rest if r])
        flat = list(dict.fromkeys(w for ws in words for pair in ws for w in pair if w))
        by_word = dict(zip(flat, index.rank(flat)))
    except Exception:  # no embedding model here: needs come from the named parts alone
        return res
    besides = iter(ranked[len(texts):])
    ranked_rest = [next(besides) if r else [] for r in rest]
    ranked = ranked[:len(texts)]
    have = set()
    for k in named_keys:
        rec = library.get(k)
        if rec is not None:
            have |= {c.capability for c in rec.provides}
    seen: dict[str, NeededFunction] = {}
    for c, hits, others, ws in zip(cls, ranked, ranked_rest, words):
        for word, pair in ws:
            h = _clear_word(by_word[word], by_word[pair] if pair else None)
            if h is None or h.capability in have or h.capability == CONTROLLER or h.direction == "passive":
                continue
            prev = seen.get(h.capability)
            if prev is None or (prev.score or 0) < h.score:
                seen[h.capability] = _need(h.capability, c.text, h.score)
        if len(others) > 1 and others[0].score >= BESIDES and others[0].score - others[1].score >= BESIDES_MARGIN \
                and others[0].capability not in have and others[0].direction not in ("passive", "power") \
                and others[0].capability != CONTROLLER and not _NEG_INSIDE.search(c.text):
            h = others[0]
            prev = seen.get(h.capability)
            if prev is None or (prev.score or 0) < h.score:
                seen[h.capability] = _need(h.capability, c.text, h.score)
        if not hits:
            continue
        limit = NAMED if c.names_part else FREE
        top = hits[0]
        picked = []
        for h in hits[:2]:
            if h.capability in have and not (c.negated or _NEG_INSIDE.search(c.text)):
                break  # a named part explains this clause best ("a robot arm" with servos named)
            if h.score >= limit and h.score >= top.score - SECOND_MARGIN:
                picked.append(h)
        if picked and len(hits) > len(picked) and picked[-1].score - hits[len(picked)].score < MARGIN \
                and not (c.negated or _NEG_INSIDE.search(c.text)):
            picked = picked[:-1] if len(picked) > 1 else []
        if c.negated or _NEG_INSIDE.search(c.text):
            for h in picked:
                if h.capability == CONTROLLER:
                    res.no_controller = True
                elif h.capability not in res.forbidden:
                    res.forbidden.append(h.capability)
            continue
        for h in picked:
            if h.capability == CONTROLLER:
                res.wants_controller = True
                continue
            if h.direction == "passive":
                continue  # diodes, fuses, terminals: the planner's detail, not what a request asks for
            if h.capability in have:
                continue
            prev = seen.get(h.capability)
            if prev is None or (prev.score or 0) < h.score:
                seen[h.capability] = _need(h.capability, c.text, h.score)
    res.needs = [n for n in seen.values() if n.capability not in res.forbidden]
    return res


def _word_windows(text: str, c: Clause, spans: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """The clause's content words outside the part names it holds, each with the two-word phrase it
    starts ("" at the clause's end): (word, word + next word)."""
    toks = [(m.group().lower(), c.start + m.start()) for m in _WORD.finditer(text[c.start:c.end])]
    named = [any(a <= at < z for a, z, _ in spans) for _, at in toks]
    out = []
    for i, (w, at) in enumerate(toks):
        if w in _FILLER or w in _UNITS or _MEASURE.match(w) or len(w) < 3 or named[i] \
                or (i > 0 and named[i - 1]) or (i + 1 < len(toks) and named[i + 1]):
            continue  # a part's name, or a word right next to one: it describes that part ("the X multiplexer")
        nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
        pair = f"{w} {nxt}" if nxt and nxt not in _FILLER and not _MEASURE.match(nxt) else ""
        out.append((w, pair))
    return out


def _clear_word(hits: list, pair_hits: list | None):
    """The capability one word means on its own, or None: clearly the best, and kept as strong when
    the word is read with the next one (no weaker, still the best)."""
    if len(hits) < 2 or hits[0].score < WORD or hits[0].score - hits[1].score < WORD_MARGIN:
        return None
    top = hits[0]
    if pair_hits:
        if pair_hits[0].capability != top.capability or pair_hits[0].score < top.score:
            return None
    return top


def _need(capability: str, text: str, score: float) -> NeededFunction:
    """A need with the voltage its clause states for it ("switches a 120 V fan": volts 120)."""
    volts = [q.value for q in find_quantities(text) if q.unit == "V" and not q.plus_minus and not q.is_range]
    target = {"volts": volts[0]} if len(volts) == 1 else {}
    return NeededFunction(capability=capability, words=text, score=round(score, 3), target=target)
