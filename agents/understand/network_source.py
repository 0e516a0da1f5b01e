"""A source stated by its voltage and the network it is, not by a part: "runs off a 60 V DC bus", "on a 36 V bus",
"fed from the 12 V rail of my van", "a truck's 24 volt electrics", "my boat has a 48 V DC system ... run from it".

No record answers to "system", "bus", "rail" or "electrics": what they name is the power the user already has,
and its voltage is what the design must stand. A voltage the request states that nothing else explains (no part
named after it, no load, logic level, threshold or output; see ``rules._unexplained_volts``) is the source's
when the noun phrase it stands in is where the power comes from, read from the grammar around it:

- a preposition of origin governs the noun phrase ("from", "off", "on", "by": power comes from it), or
- the noun phrase is what the user has or what is there ("has", "have", "there's"), and a preposition of origin later governs a pronoun that
  refers back to it ("... and I'd like a Nano to run from it").

A voltage after "to" or "into" is where a conversion goes, not where it comes from, and is never read here.
The figure is read by the units library (``circuit.quantities``: "24VDC", "24 volt"); a DC network of any
voltage is no mains, an AC one above the SELV limit is. The network is given the library source that stands for
it: one whose voltage an attribute sets (set to the stated one), or one that gives that voltage itself, whichever
name and description read the stated words best; the planner converts its voltage for what it feeds.
"""

from __future__ import annotations

import re

from agents.rules.power_tree import configurable, is_converter, is_source, source_volts
from knowledge.capabilities import capability_index
from knowledge.lexical import GRAMMAR_WORDS
from knowledge.verbs import base_forms
from agents.understand.exclusion import DETERMINERS
from agents.understand.needs import is_filler
from agents.understand.requirements import NamedPart, PowerSource, Requirements
from circuit.hazard import SELV_AC_V
from circuit.quantities import find_quantities
from knowledge.embedding import get_embedder
from knowledge.library import Library
from knowledge.record import ComponentRecord

ORIGIN = frozenset({"from", "off", "on", "by"})  # prepositions that say where power comes from
# the user has the network, or it is there: "my boat has a 48 V DC system", "there's a 30 V line on my bench"
HOLDS = frozenset({"has", "have", "is", "there's", "theres"})
PRONOUNS = frozenset({"it", "that", "this", "them"})
TARGET = frozenset({"to", "into"})
KINDS = {"battery": "battery", "adapter": "wall-adapter", "usb": "usb", "solar": "solar"}  # record -> PowerSource kind  # a voltage after these is where a conversion goes
MAX_HEAD = 3  # the words of the noun phrase after the figure: "dc battery bank"
MAX_DESCRIBED = 2  # the words that describe it before the figure: "from the trusty old 19 V charger"
_LIST = re.compile(r"[.,;:!?()\[\]+&]")
_WORD = re.compile(r"[a-z0-9']+")
_BREAK = re.compile(r"[.,;:!?()\[\]]")


def read_network_source(text: str, req: Requirements, lib: Library, candidates: set[float]) -> None:
    """Set ``req.constraints.source`` from a voltage stated as the network the design runs from, when the request
    states no source otherwise; ``candidates``: the voltages nothing else explains (rounded to 0.01 V)."""
    candidates = candidates | _misread_sources(req, lib)
    src = req.constraints.source
    if src is not None and src.key is None and src.kind == "unknown" and src.volts and any(
            abs(q.value - src.volts) <= 0.01 for u in req.unknown for q in find_quantities(u.words) if q.unit == "V"):
        # a voltage read as the source with no part for it, in words naming a thing the library lacks ("from a
        # 19V laptop charger"): the part is read here (a plain "5 V supply" is the planner's to size)
        candidates = candidates | {round(src.volts, 2)}
    elif src is not None:
        return
    if not candidates:
        return
    low = text.lower()
    found = []
    for q in find_quantities(text):
        if q.unit != "V" or q.is_range or q.plus_minus or q.value <= 0 or round(q.value, 2) not in candidates:
            continue
        head = _head_after(low, q.end)
        if not head:
            continue  # a voltage with no noun after it ("runs at 5 V") is said of something else
        before = _words_before(low, q.start)
        if before and before[-1] in TARGET:
            continue
        gov = _governor(before)
        if gov in ORIGIN or (gov in HOLDS and _pronoun_of_origin(low, q.end)) \
                or (not gov and not _words_before(low, q.start, whole=True) and _reads_as_a_source(lib, f"{q.raw} {head}")):
            # (or a list item of its own that reads as a source: "nano + lcd, 19V laptop power brick")
            found.append((q, head))
    if len(found) != 1:
        return  # none, or several networks: which one feeds the design is not said
    if src is not None and abs(found[0][0].value - src.volts) > 0.01:
        return  # (a source read already: only its part is read here)
    q, head = found[0]
    words = f"{q.raw} {head}"
    if any(_a_source_by_meaning(lib, n.capability, q.value) and q.raw.lower() in n.words.lower() for n in req.needs):
        return  # the words were read by meaning as a kind of supply ("a 5 volt plug-in brick"): the planner sizes it
    ac = bool(re.match(r".*(?:ac)$", q.raw.lower())) or head.split()[0] == "ac"
    if ac and q.value > SELV_AC_V:
        req.constraints.source = PowerSource(kind="mains", volts=q.value, words=words)
        req.notes.append(f"read '{words}' as the mains the design runs from ({q.value:g} V).")
        return
    rec = _source_record(lib, words, q.value, set(req.constraints.forbidden))
    kind = KINDS.get(rec.source_kind or "", "unknown") if rec is not None else "unknown"
    req.constraints.source = PowerSource(kind=kind, volts=q.value, key=rec.key if rec else None, words=words)
    if rec is not None:
        attrs = {"voltage": f"{q.value:g} V"} if configurable(rec) else {}
        req.named_parts.append(NamedPart(key=rec.key, words=words, attrs=attrs))
    req.notes.append(f"read '{words}' as the source the design runs from ({q.value:g} V)"
                     + (f": {rec.name}." if rec is not None else "."))
    # a clause whose reading was left open ("there's a 30 V DC line on my bench": a reference? a current?) is
    # answered: it states the source
    said = q.raw.lower()
    req.asked = [a for a in req.asked if said not in a.words.lower()]
    # and a thing the library lacks named in those words ("a 19 V laptop charger") is that source, not a part
    req.unknown = [u for u in req.unknown if said not in u.words.lower()]


def _misread_sources(req: Requirements, lib: Library) -> set[float]:
    """Named sources whose own words state another voltage than the part gives ("a 19.5 V notebook adapter" read
    as a 5 V adapter): not the part meant, they are dropped (and the source read from them); returns the voltages
    their words state, for the network to be read from."""
    out: set[float] = set()
    for p in list(req.named_parts):
        rec = lib[p.key]
        if not is_source(rec) or configurable(rec) or (v := source_volts(rec, p.attrs)) is None:
            continue
        stated = [q.value for q in find_quantities(p.words) if q.unit == "V" and q.value > 0 and not q.is_range]
        if len(stated) != 1 or abs(stated[0] - v) <= 0.05 * v:
            continue
        req.named_parts.remove(p)
        if req.constraints.source is not None and req.constraints.source.key == p.key:
            req.constraints.source = None
        req.notes.append(f"'{p.words}' states {stated[0]:g} V: not the {rec.name}.")
        out.add(round(stated[0], 2))
    return out


def _a_source_by_meaning(lib: Library, capability: str, volts: float | None = None) -> bool:
    """A power capability that sources provide and no converter does (a wall supply's, a battery's); with
    ``volts``, one of those sources gives that voltage (within 5 %) or is set to it."""
    recs = [r for r in lib if any(c.capability == capability and c.direction == "power" for c in r.provides)]
    if not any(is_source(r) for r in recs) or any(is_converter(r) for r in recs):
        return False
    return volts is None or any(is_source(r) and (configurable(r) or ((v := source_volts(r)) is not None
                                                                     and abs(v - volts) <= 0.05 * volts))
                                for r in recs)


def _reads_as_a_source(lib: Library, words: str) -> bool:
    """The words read by meaning as a power source first (their best capability is a source's)."""
    try:
        hits = capability_index(lib).rank([words])[0]
    except Exception:  # no embedding model here: read as nothing
        return False
    return bool(hits) and _a_source_by_meaning(lib, hits[0].capability)


def _source_record(lib: Library, words: str, volts: float, forbidden: set[str]) -> ComponentRecord | None:
    """The library source that stands for the network: one whose voltage is set by an attribute, or one that
    gives the stated voltage itself (within 5 %), rated for the voltage (``ratings.v_rated``), whose name and
    description read the stated words best."""
    cands = [r for r in lib if is_source(r) and r.key not in forbidden
             and (r.ratings.v_rated is None or r.ratings.v_rated >= volts)  # (a 24 V socket is no 48 V bus)
             and (configurable(r) or ((v := source_volts(r)) is not None and abs(v - volts) <= 0.05 * volts))]
    if not cands:
        return None
    try:
        vecs = get_embedder().encode([words] + [f"{r.name}. {r.description}" for r in cands])
    except Exception:  # no embedding model here: the source stays a voltage with no part
        return None
    scores = vecs[1:] @ vecs[0]
    return max(zip(scores, cands), key=lambda sc: (float(sc[0]), sc[1].key))[1]


def _head_after(low: str, end: int) -> str:
    """The words right after a figure in its noun phrase, up to punctuation, a joining word or a determiner."""
    out = []
    for w in _WORD.findall(_BREAK.split(low[end:end + 60])[0]):
        if is_filler(w) or w in DETERMINERS or w in PRONOUNS or w in ORIGIN or len(out) == MAX_HEAD:
            break
        out.append(w)
    return " ".join(out)


def _words_before(low: str, start: int, whole: bool = False) -> list[str]:
    """The words before ``start`` in its stretch of text (up to punctuation; ``whole``: and a joining mark
    of a list, "+" or "&")."""
    stretch = low[max(0, start - 60):start]
    return _WORD.findall((_LIST if whole else _BREAK).split(stretch)[-1])


def _governor(before: list[str]) -> str:
    """The word that governs the noun phrase a figure stands in: the one before its determiners and possessors
    ("off a truck's 24 volt electrics": off)."""
    j = len(before) - 1
    described = 0  # words that describe it ("from the old 19 volt charger"): neither grammar nor a verb
    while j >= 0 and (before[j] in DETERMINERS or (before[j].endswith("'s") and before[j] not in HOLDS)
                      or (described < MAX_DESCRIBED and _describes(before[j]))):
        described += _describes(before[j]) and before[j] not in DETERMINERS
        j -= 1
    return before[j] if j >= 0 else ""


def _describes(word: str) -> bool:
    """A word that can only describe a noun phrase's thing here: a word of letters, no grammar word, no verb."""
    return word.isalpha() and word not in GRAMMAR_WORDS and word not in HOLDS | ORIGIN | PRONOUNS | TARGET \
        and not base_forms(word)


def _pronoun_of_origin(low: str, after: int) -> bool:
    """A preposition of origin governs a pronoun later in the request ("... to run from it")."""
    words = _WORD.findall(low[after:])
    return any(a in ORIGIN and b in PRONOUNS for a, b in zip(words, words[1:]))


__all__ = ["read_network_source"]
