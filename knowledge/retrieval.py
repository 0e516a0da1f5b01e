"""Hybrid part retrieval: which library part does a request mean, and is it in the library at all?

``Retriever.default().search("ultrasonic distance sensor")`` fuses
- semantic similarity (all-MiniLM-L6-v2 vectors of each part's name, key, aliases,
  description and typical use, stored in the Chroma index; searched in numpy over the same
  vectors, or through Chroma with ``semantic="chroma"``),
- exact part numbers anywhere in the request (``IRLZ44N``, ``hc-sr04`` = ``HCSR04``),
- a request that is a whole key, name or alias, and typo-tolerant name matching (rapidfuzz),
- keyword evidence: BM25 of the request against each part's own words (``knowledge.keywords``), and
  how much of the request (weighted by rarity) a part's own words leave unsaid,
- what the request wants versus its context: a board it names, or any part named after "for",
  "from", "of", "my" (what the wanted part serves), is searched around, not for,
- a request that opens with a verb ("measure how much ...") against the verbs each part's capabilities
  open with (a measuring part, not one that only detects),
- parts named after "than" or "instead of" (what the wanted part beats or replaces) rank out,
- a part's name used as an ordinary noun ("a pot of tea", "a crystal glass": ``knowledge.object_context``) is
  no evidence for that part,
- a part the opening verb acts on that never does that verb itself ("reverse a small dc motor": the
  motor) is what the wanted part works on: its name and words are no evidence for it,
- stated quantities against ratings: a request converting between two voltages ("12 V from a 5 V
  supply") ranks the regulators and converters rated for it (``knowledge.conversion``),
- stated facts that tell siblings apart: a package or mounting style, a board or a bare chip, surviving a
  reversed supply, rows of text, heat refused while converting (``knowledge.stated_facts``),

into one score per part, and flags requests for parts the library does not hold
(``knowledge.ood``: a logistic model calibrated on labelled queries; ``knowledge.measurands``: a quantity
to measure that no record's capabilities measure). A flagged result still
lists the best near-misses, ranked, so a person can choose.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from knowledge.acted_on import ActedOn
from knowledge.asked_features import AskedFeatures
from knowledge.conversion import (converts, efficiency, holds_levels, input_voltages, signal_levels, stated_voltages,
                                  voltage_pairs)
from knowledge.destinations import DestinationIndex, reaching
from knowledge.goal import CapabilityRows, refers_back
from knowledge.index import MEANING_FIELDS, PartIndex, RetrievalError
from knowledge.keywords import KeywordIndex, part_texts
from knowledge.lexical import (UNIT_AFTER, LexicalHit, asks_degree, compact, condition_clause, content_tokens,
                               evidence_words, fold, grammar_words, head_clause, is_number, is_part_number,
                               opening_verb, stem, tokens, unit_words)
from knowledge.lexical_cache import lexical_index
from knowledge.library import Library
from knowledge.heat_reading import HEAT_GLOSSES, HeatFacts, refuses_heat, stated_ambient
from knowledge.link_medium import MediumFacts, lacked_words
from knowledge.link_network import OUT_OF, NetworkFacts
from knowledge.link_reading import DistanceFit, LinkReach, stated_distance
from knowledge.load_context import LoadFacts, stated_amounts
from knowledge.load_kinds import LoadKinds
from knowledge.measurand_words import request_words, sensing_words
from knowledge.measurands import MeasurandIndex, Sensed
from knowledge.motion_asked import MotionFacts
from knowledge.motion_kinds import MotionKinds, MotionReading
from knowledge.object_context import ContextReading, NounSenses
from knowledge.object_kinds import ObjectKinds
from knowledge.ood import NAME_WORDS, OODFeatures, OODModel
from knowledge.board_model import BoardModels
from knowledge.ood_head import head_noun, head_words, kind_words, thing_asked
from knowledge.place_words import PlaceWords, linked_places, other_board
from knowledge.products import READS_AT_ALL, ProductIndex, feature_head, note_for
from knowledge.provenance import provenance_words, strip
from knowledge.rating_gap import KindIndex, RatedKinds, lacks_rating
from knowledge.rating_reach import Reach
from knowledge.stated_facts import FIRST as STATED_FIRST, StatedFacts, StatedFit
from knowledge.word_senses import NEGATIONS, WordSenses, remember_words, unseen_words, word_vectors

__all__ = ["Match", "SearchResult", "Retriever", "RetrievalError"]

# Fusion constants (documented in fused_score).
_EXACT = 1.0
_PART_NUMBER = 0.95
_AGREEMENT = 0.15
_SCALE = 1.0 + _AGREEMENT
_SECOND_DOC = 0.25   # weight of a part's second-best text: several texts agreeing beat one lucky alias
_VALUE = 0.04        # a value asked for (3.3 V) in the part's name, or another value of that unit
_SHORT = 0.08        # besides _VALUE: a current or power asked beyond every capacity the part states (2 A for 20 A)
_DIRECTION = 0.06    # a part that only acts when the request's best-fitting capability senses (or the reverse)
_SENSE_ACT = ("sense", "act")
_ATTACHED = 0.10     # a part the request names as what the wanted part is for ("... for my fan", "from a USB supply")
_VERB = 0.12         # the request opens with the verb one of a part's capabilities opens with ("measure ...")
_COVER = 0.15        # per unit of the rarity-weighted share of the request's words a part's own texts lack
_ACTED = 0.15       # a part the opening verb acts on that does not do it itself ("recharge the 18650")
_PASSING = 0.10     # a part whose name a request uses for another thing ("a pot of tea", "a crystal glass")
_COMPARED = 1.0      # a part named after "than" or "instead of": what the wanted part is measured against
_KEYWORDS = 0.025    # per unit of BM25: a rare word the request shares with a part's own texts
_PHRASE, _PHRASE_COVER = 0.9, 0.75  # names written out inside a request: weight, and the share they must cover
_KEY_NUMBER = 0.05   # the request's part number is the part's key
_CONVERTS = 0.25     # a regulator/converter rated for the voltages a request converts between (12 V from 5 V)
_LEVELS = 0.125      # a part whose signal pins sit at both voltages a request joins signals between (a level shifter)
_SENSES = 0.25       # a part serving the quantity a request names the event or state of (knowledge.measurands.sensed)
_SENSES_CLEAR = 0.05  # ... in full when the quantity leads its rivals by this cosine (scaled below)
_OTHER_SENSES = 0.15  # a part measuring only other quantities than the one a request reads clearly (scaled below) ...
_OTHER_FROM = 0.10    # ... from this lead of the quantity on (in full _SENSES_CLEAR above it)
_SPREAD_TOP, _SPREAD_T = 20, 0.05
_DETERMINERS = frozenset("a an the this that these those".split())  # articles: a clause's, not a name's
_NAMES_PART = 0.0     # lexical evidence above which a request names its first part (no product reading then)
_SENT_ELSEWHERE = 1.0  # a part that only senses where the request's words send the data to a place only a link
                       # reaches (knowledge.place_words): what it says of the data is context, the sensor not wanted
_OTHER_LINK = 0.25   # a part whose link gets data elsewhere than the place a request sends it to, only a link reaching
                     # it (a phone, the internet): another way, not this one (as much as a part reaching it gains)
_PLACE_NEAR = 0.22    # the cosine with its nearest place from which a request's words are read for one (below it the
                      # request is about something else altogether: no words embedded)
_LINK_NEAR = 10      # ... or a part with a typed link among this many first, none among the first three
_LINK_ASKED = 0.25   # a part with no link where the words ask how data travels and no link ranks first (the data's
                     # words outweigh it: the sensors come first)
_CONDITION_TOP = 3    # a link's medium is read when a part (not a board) with a typed link or sight is among
                      # this many first
SURE_SLIP_COVER = 1.0  # the spread feature: entropy of a softmax (temperature) over the best scores


@dataclass(frozen=True)
class Match:
    key: str
    score: float
    name: str = ""

    def as_dict(self) -> dict:
        return {"key": self.key, "score": round(self.score, 4), "name": self.name}


@dataclass
class SearchResult:
    query: str
    ood: bool
    matches: list[Match]
    confidence: float
    note: str = ""
    features: OODFeatures | None = field(default=None, repr=False, compare=False)
    named_outright: bool = field(default=False, repr=False, compare=False)  # key/name/alias/exact part number
    variant: bool = field(default=False, repr=False, compare=False)  # another version of the part it names
    stand_in: bool = field(default=False, repr=False, compare=False)  # names a product the part only acts as
    beyond_reach: bool = field(default=False, repr=False, compare=False)  # states a rating no part reaches
    unserved: str | None = field(default=None, repr=False, compare=False)  # a quantity no part measures (its slug)
    # how far the best quantity no part measures leads all the library answers (knowledge.measurands; -1: none)
    measurand_lead: float = field(default=-1.0, repr=False, compare=False)
    product: str | None = field(default=None, repr=False, compare=False)  # a finished thing no part is (its slug)
    # how far the best product no record is leads all the library answers (knowledge.products; -1: none)
    product_lead: float = field(default=-1.0, repr=False, compare=False)

    @property
    def ruled_out(self) -> bool:
        """Out of library by a rule, whatever the OOD model says: another version of a named part, a product
        a part only stands in for, a voltage/current/power beyond every part's rating, a quantity to measure
        that no part measures, or a finished product, instrument or assembly that no part is."""
        return (self.variant or self.stand_in or self.beyond_reach or self.unserved is not None
                or self.product is not None)

    @property
    def best(self) -> Match | None:
        """The part the request means, or None when it is out-of-distribution."""
        return None if self.ood or not self.matches else self.matches[0]

    def as_dict(self) -> dict:
        out = {
            "query": self.query,
            "ood": self.ood,
            "confidence": round(self.confidence, 4),
            "matches": [m.as_dict() for m in self.matches],
        }
        if self.note:
            out["note"] = self.note
        return out


def lexical_score(key: str, hit: LexicalHit) -> float:
    """0..1 lexical evidence that the request names this part."""
    s = 0.0
    if key in hit.exact:
        s = _EXACT
    pn = hit.part_number.get(key)
    if pn:
        s = max(s, _PART_NUMBER * pn)
    fz = hit.fuzzy.get(key, 0.0)
    if fz:
        s = max(s, 0.95 * fz)
    cover = hit.phrase.get(key, 0.0)
    if cover >= _PHRASE_COVER:
        s = max(s, _PHRASE * cover)
    return s


def _kin_matrix(library, keys: list[str]) -> np.ndarray:
    """Part x part: True where the two parts provide a capability slug in common (each part is its own kin)."""
    slugs = [frozenset(c.capability for c in (getattr(library[k], "provides", None) or [])) for k in keys]
    kin = np.eye(len(keys), dtype=bool)
    by_slug: dict[str, list[int]] = {}
    for i, own in enumerate(slugs):
        for slug in own:
            by_slug.setdefault(slug, []).append(i)
    for members in by_slug.values():
        kin[np.ix_(members, members)] = True
    return kin


def _split_at_cue(text: str) -> tuple[str, str]:
    """The words before the first context cue that stands as a word of its own (``head_clause``'s cue, not the end
    of a hyphenated word: "clip-on" is one word), and the words after it; ("", "") without such a split."""
    pieces = text.split()
    for i, piece in enumerate(pieces):
        # (a piece is a cue where it splits a clause of its own: "board <piece> board" has "board" as its head)
        if i and len(tokens(piece)) == 1 and head_clause(f"board {piece} board") == "board":
            head, rest = " ".join(pieces[:i]), " ".join(pieces[i + 1:])
            return (head, rest) if head_clause(f"{head} {piece} {rest}") and rest else ("", "")
    return "", ""


def _spread(sem: np.ndarray) -> float:
    """Entropy of a softmax over the best semantic scores: low when one part stands out, high when
    many parts fit equally (or equally badly)."""
    top = np.sort(sem)[-_SPREAD_TOP:].astype(np.float64) / _SPREAD_T
    p = np.exp(top - top.max())
    p /= p.sum()
    return float(-(p * np.log(p + 1e-12)).sum())


def _worded_as_name(query: str, content: list[str], grammar: int | None = None) -> bool:
    """Worded as a name, not as a sentence: no grammar words (``grammar``: their count, when known), few content
    words, and no article past the first word ("catch the moment a helmet takes a hit" is a clause; "a 2n3904
    transistor" a name)."""
    if grammar is None:
        grammar = grammar_words(query)
    return grammar == 0 and len(content) <= NAME_WORDS and not any(t in _DETERMINERS for t in tokens(query)[1:])


def _explained(share, words: list[str], units: frozenset[str], key: str, hit: LexicalHit) -> float:
    """``share`` (a lexical coverage: the fraction of ``words`` the part's texts or names hold) with the words in
    ``units`` counted as held: spelled units of a value the part is named with ("5 volt" of a 5 V supply)."""
    rest = [w for w in words if w not in units]
    if len(rest) == len(words):
        return share(words, key, hit)
    return (share(rest, key, hit) * len(rest) + len(words) - len(rest)) / len(words) if rest else 1.0


def fused_score(sem, lex):
    """The stronger of the semantic and lexical signals, plus a bonus when both agree, scaled to
    0..1 (scalars or numpy arrays). Score fusion rather than rank fusion: an exact part number
    must beat a merely similar description however the semantic ranks fall."""
    return (np.maximum(sem, lex) + _AGREEMENT * np.minimum(np.maximum(sem, 0.0), lex)) / _SCALE


class Retriever:
    """Search one library; build with ``Retriever.default()`` or ``Retriever(library, ...)``."""

    def __init__(
        self,
        library,
        *,
        index: PartIndex | None = None,
        index_path: Path | None = None,
        client=None,
        embedder_factory=None,
        progress: bool = True,
        semantic: str = "numpy",
        ood_model: OODModel | None = None,
    ):
        if semantic not in ("numpy", "chroma"):
            raise ValueError("semantic must be 'numpy' or 'chroma'")
        self.library = library
        self.semantic = semantic
        if index is None:
            index = PartIndex(
                library, client=client, embedder_factory=embedder_factory, progress=progress, path=index_path
            )
        self.index = index.ensure()
        self._embedder_factory = self.index.embedder_factory
        self.lexical = lexical_index(library)
        self.ood_model = ood_model or OODModel.load()
        self._recent: dict[str, np.ndarray] = {}
        self._prepare()

    # ---- construction -----------------------------------------------------------------------
    _default_lock = threading.Lock()
    _default: "Retriever | None" = None

    @classmethod
    def default(cls) -> "Retriever":
        """The retriever over ``Library.default()``, rebuilt when the library changes."""
        lib = Library.default()
        with cls._default_lock:
            cur = cls._default
            if cur is None or cur.library is not lib:
                cur = cls(lib)
                cls._default = cur
            return cur

    def _prepare(self) -> None:
        idx = self.index
        self.part_keys: list[str] = []
        starts: list[int] = []
        for row, key in enumerate(idx.keys):
            if not self.part_keys or self.part_keys[-1] != key:
                self.part_keys.append(key)
                starts.append(row)
        self._starts = np.asarray(starts, dtype=np.intp)
        counts = np.diff(np.append(self._starts, len(idx.keys)))
        self._seg = np.repeat(np.arange(len(self.part_keys)), counts)
        self._key_pos = {k: i for i, k in enumerate(self.part_keys)}
        missing = [r.key for r in self.library if r.key not in self._key_pos]
        if missing:
            raise RetrievalError(f"the index lacks parts {missing[:5]}; delete the index folder to rebuild it")
        # texts already embedded: a request equal to a name/alias reuses its vector
        self._vector_of_text: dict[str, int] = {}
        best_row: dict[str, tuple[int, int]] = {}  # key -> (preference, row) of the text standing for the part
        for row, (key, fld, text) in enumerate(zip(idx.keys, idx.fields, idx.texts)):
            if fld in ("name", "key", "alias"):
                self._vector_of_text.setdefault(" ".join(fold(text).split()), row)
            pref = {"name": 0, "key": 1}.get(fld, 2)
            if key not in best_row or pref < best_row[key][0]:
                best_row[key] = (pref, row)
        self._name_row = {k: row for k, (_, row) in best_row.items()}
        self.keywords = KeywordIndex.of_records([self.library[k] for k in self.part_keys])
        # every token a part's own texts use, numbers included (the number_gap feature)
        self._tokens = {k: {t for text in part_texts(self.library[k]) for t in tokens(text)} for k in self.part_keys}
        # the typed facts a request's electrical conditions are checked against (knowledge.load_context)
        self._load = LoadFacts.of_library(self.library, self.part_keys, self.lexical.hosts)
        # loads and sources, and the parts that switch, drive or measure them (knowledge.acted_on)
        self._motion_kinds = MotionKinds()  # how a thing is moved, typed by motion (knowledge.motion_kinds)
        self._load_kinds = LoadKinds()  # kinds of load no record is, typed by their supply (knowledge.load_kinds)
        self._acted = ActedOn.of_index(self.library, self.part_keys, idx.keys, idx.fields, idx.ids,
                                       self.lexical.name_vocab, self.lexical.heads, self.lexical.verb_directions,
                                       self.lexical.does)
        self._reach = Reach.of_records(self.library)  # the largest voltage, current and power any part is rated for
        self._kinds = KindIndex(self.lexical.heads, {r.key: r.category for r in self.library})  # the kind of each part
        self._rated = RatedKinds(self.library)  # the limits each part's typed ratings state, and its kind by capability
        # what sensors measure, and which of those quantities the records' capabilities serve (knowledge.measurands);
        # an index embedded by another model than the shipped vectors' embeds the catalog with that model too
        self._measurands = MeasurandIndex(self.library, self._embedder_factory,
                                          shipped=self.index.vector_cache is not False)
        # finished products, instruments and assemblies, and which of them a record is (knowledge.products)
        self._products = ProductIndex(self.library, self._embedder_factory,
                                      shipped=self.index.vector_cache is not False)
        # where a request sends data (a phone, the internet, another board ...), the parts that get it there
        # (knowledge.destinations), and the parts that are boards (a board named lacking the link wants an add-on)
        self._destinations = DestinationIndex(self.library, self._embedder_factory,
                                              shipped=self.index.vector_cache is not False)
        self._boards = {r.key for r in self.library if r.category == "microcontroller"}
        # the words naming boards: most of the parts a word names are boards ("uno", "arduino", "esp32")
        named: dict[str, set[str]] = {}
        for key, words in self.lexical.name_vocab.items():
            for w in words:
                named.setdefault(w, set()).add(key)
        self._names_board = frozenset(w for w, keys in named.items() if 2 * len(keys & self._boards) > len(keys))
        self._converters = [r.key for r in self.library
                            if r.ratings is not None and (r.ratings.v_out is not None or r.ratings.v_out_adjustable)]
        # power sources (a battery, an adapter, a USB port) and parts that only take power (a USB output
        # socket: supply pins and nothing else): the ends of a conversion, never the converter
        self._sources = [r.key for r in self.library if r.source_kind and r.key not in set(self._converters)]
        self._power_ends = [r.key for r in self.library if _only_takes_power(r) and r.key not in set(self._converters)]
        # what each part does (description, typical use, capabilities), for the capability feature
        self._meaning = np.asarray([f in MEANING_FIELDS for f in idx.fields], dtype=bool)
        # the sense in which a request's noun phrases use part names (knowledge.object_context)
        # (the words that name parts on their own: a whole name, key or alias, or the noun a part's name ends in)
        naming = set(self.lexical.heads) | {form for form in self.lexical.exact if form.isalpha()}
        self._senses = NounSenses(idx.matrix, idx.keys, idx.fields, naming, self.lexical.name_vocab, MEANING_FIELDS)
        self._capability_rows = np.asarray([f == "capability" for f in idx.fields], dtype=bool)
        # what each part is and does (description, capabilities), without the typical use: a use text names the
        # products a part goes into ("fingerprint door locks"), what it serves, not what it is (knowledge.products)
        self._does_rows = np.asarray([f in ("description", "capability") for f in idx.fields], dtype=bool)
        self._name_rows = np.asarray([f in ("name", "key", "alias") for f in idx.fields], dtype=bool)
        # the names, aliases and capability texts that name a product as what their part goes into answer no
        # request for that product (knowledge.products.ProductIndex.claims)
        doing = np.asarray([f == "capability" and opening_verb(t) is not None for f, t in zip(idx.fields, idx.texts)],
                           dtype=bool)  # a capability that says what its part does, not what it is within a product
        self._product_claims = self._products.claims(idx.matrix, idx.keys, idx.fields, _row_slugs(self.library, idx),
                                                     doing)
        # the verbs each part's capabilities open with ("measure tilt ...", "switch a lamp ..."): what it does
        verbs: dict[str, set[int]] = {}
        for pos, key in enumerate(self.part_keys):
            for cap in getattr(self.library[key], "provides", None) or []:
                verb = opening_verb(cap.description)
                if verb:
                    verbs.setdefault(verb, set()).add(pos)
        self._verb_parts = {v: np.fromiter(sorted(ps), dtype=np.intp) for v, ps in verbs.items()}
        # the motions the parts' actuating capabilities make (knowledge.motion_asked)
        self._motion = MotionFacts.of_index(self.library, self.part_keys, idx.keys, idx.fields, idx.ids,
                                            self.lexical.name_vocab)
        # the products a part's capabilities let it stand in for (``emulates``: a board that enumerates as a
        # USB keyboard is no keyboard), as the words a request naming that product would use
        self._emulates = {key: {w for cap in (getattr(self.library[key], "provides", None) or []) if cap.emulates
                                for w in content_tokens(cap.emulates)} for key in self.part_keys}
        # capability rows carry a direction (sense / act); a part's directions, from its records' provides
        self._row_direction: dict[int, str] = {}
        communicates: list[int] = []  # capability rows that carry a message to a person or another device
        self._part_directions = np.zeros((len(self.part_keys), 2), dtype=bool)
        for row, (key, fld, doc_id) in enumerate(zip(idx.keys, idx.fields, idx.ids)):
            if fld != "capability":
                continue
            caps = getattr(self.library[key], "provides", None) or []
            n = int(doc_id.rsplit("|", 1)[-1])
            if n < len(caps) and caps[n].direction == "communicate":
                communicates.append(row)
            if n < len(caps) and caps[n].direction in _SENSE_ACT:
                self._row_direction[row] = caps[n].direction
                self._part_directions[self._key_pos[key], _SENSE_ACT.index(caps[n].direction)] = True
        self._communicates = np.zeros(len(idx.keys), dtype=bool)
        self._communicates[communicates] = True
        self._part_array = np.asarray(self.part_keys, dtype=object)
        # the parts that sense and do nothing else (no act, no link): the data's source, never its way somewhere
        self._sense_only = np.asarray([bool(caps) and all(c.direction == "sense" for c in caps) for caps in
                                       (getattr(self.library[k], "provides", None) or [] for k in self.part_keys)],
                                      dtype=bool)
        # the parts that provide each link (a communicate capability's slug), and the slug of each link row
        link_parts: dict[str, set[str]] = {}
        for rec in self.library:
            for cap in getattr(rec, "provides", None) or []:
                if cap.direction == "communicate":
                    link_parts.setdefault(cap.capability, set()).add(rec.key)
        self._link_row_parts = {row: frozenset(link_parts[slug]) for row in communicates
                                for slug in [self._row_capability(row)] if slug in link_parts}
        self._part_communicates = np.zeros(len(self.part_keys), dtype=bool)  # parts with such a capability
        self._part_communicates[np.unique(self._seg[communicates]).astype(np.intp)] = True
        # the places a request's words may send data to, one word at a time: those only a link reaches
        # (knowledge.place_words)
        self._place_order = [d.destination for d in self._destinations.catalog]
        self._place_words = PlaceWords(
            {d.destination: d.gloss for d in self._destinations.catalog},
            linked_places([d.destination for d in self._destinations.catalog if d.outside],
                          self._destinations.serving, lambda k: bool(self._part_communicates[self._key_pos[k]])),
            self._embedder_factory)
        # parts that share a typed capability with each part: a kit and its driver board ("sense-weight": the load
        # cell and the HX711) serve one need; a near-tie between them is no doubt whether the library serves it
        self._kin = _kin_matrix(self.library, self.part_keys)
        # capability rows that move power (supply, regulate, convert) and rows that join signals (interface),
        # the parts whose capabilities all move power, and the logic levels of each part's signal pins
        directions = [self._cap_direction(key, fld, doc_id) for key, fld, doc_id in zip(idx.keys, idx.fields, idx.ids)]
        self._power_rows = np.asarray([d == "power" for d in directions], dtype=bool)
        # capability rows that do something other than sense (act on a load, carry data, move power, compute)
        self._doing_rows = np.asarray([d is not None and d != "sense" for d in directions], dtype=bool)
        # capability rows that sense, and the position of the part each belongs to
        self._sense_rows = np.asarray([r for r, d in enumerate(directions) if d == "sense"], dtype=np.intp)
        self._sense_row_parts = np.asarray([self._key_pos[idx.keys[int(r)]] for r in self._sense_rows], dtype=np.intp)
        self._measurands.bind_rows(_row_slugs(self.library, idx),
                                   np.asarray([d == "sense" for d in directions], dtype=bool))
        self._signal_rows = np.asarray([d == "interface" for d in directions], dtype=bool)
        self._power_only = np.asarray([bool(caps) and all(c.direction == "power" for c in caps) for caps in
                                       (getattr(self.library[k], "provides", None) or [] for k in self.part_keys)],
                                      dtype=bool)
        self._levels = {pos: lv for pos, key in enumerate(self.part_keys)
                        if len(lv := signal_levels(self.library[key])) >= 2}
        # the typed capability behind each indexed text, for reading what a goal needs (knowledge.goal)
        self._goal = CapabilityRows.of_index(self.library, idx.keys, idx.fields, idx.ids, self.part_keys)
        # how far each part's links and sensing reach (``Capability.range_m``), the capability rows that sense
        # with a typed reach, and the parts each name word names (knowledge.link_reading)
        self._link = LinkReach.of_records(self.library)
        # the typed facts a request's conditions are read against: what a part dissipates and sheds at a stated
        # current (knowledge.heat_reading), how its links travel (knowledge.link_medium)
        self._heat = HeatFacts.of_records(self.library)
        self._heat_words = WordSenses(HEAT_GLOSSES, self._embedder_factory)
        # packages, mounting, reverse-battery ratings, text grids and converter efficiency: the typed facts that tell
        # sibling parts apart when a request states them (knowledge.stated_facts)
        self._stated = StatedFacts(self.library, self._embedder_factory)
        self._features = AskedFeatures(self.library, self._embedder_factory)  # drawing, touching (asked_features)
        # the kinds of object a request senses (a freezer, a stove, a pot on the hob) and the temperatures they run at,
        # read against the temperature sensors' typed spans (knowledge.object_kinds)
        self._objects = ObjectKinds()
        self._temperature_spans = {k: tuple(self.library[k].temperature_span) for k in self.part_keys
                                   if getattr(self.library[k], "temperature_span", None)}
        self._wetted = frozenset(k for k in self.part_keys if getattr(self.library[k], "wetted", None))
        # per part that only senses (no capability acts, carries data or powers anything): its sensing capabilities' slugs
        self._sensing_slugs = {k: frozenset(c.capability for c in caps if c.direction == "sense")
                               for k in self.part_keys
                               for caps in [getattr(self.library[k], "provides", None) or []]
                               if caps and all(c.direction == "sense" for c in caps)}
        # ... and per part that neither senses nor carries data (a jack, a supply, a pump): it reports no reading
        self._mute = frozenset(k for k in self.part_keys
                               if not any(c.direction in ("sense", "communicate")
                                          for c in getattr(self.library[k], "provides", None) or []))
        self._medium = MediumFacts.of_records(self.library, self._embedder_factory)
        # the parts whose typed link (the medium asked) or line of sight (something in the way) a request is read
        # for when one of them ranks among the first (not the boards: their Wi-Fi or USB is seldom what is asked)
        self._medium_linked = self._medium.linked - self._boards
        self._medium_sighted = frozenset(self._medium.sight) - self._boards
        # the networks links need (a local Wi-Fi or router, the mobile network), read where a request says there is
        # none (knowledge.link_network)
        self._network = NetworkFacts.of_records(self.library, self._embedder_factory)
        self._ranged_sense_rows = np.asarray([self._cap_range(key, fld, doc_id, "sense") for key, fld, doc_id
                                              in zip(idx.keys, idx.fields, idx.ids)], dtype=bool)
        named_by: dict[str, set[str]] = {}
        for key in self.part_keys:
            for w in self.lexical.name_vocab.get(key, ()):
                named_by.setdefault(w, set()).add(key)
        # words naming things a length before them is the size of ("a 10 m ws2812 strip"): parts that sense or
        # act and carry no link (a cable's length is how far it links: "a 100 metre cable")
        doers = {pos_key for pos, pos_key in enumerate(self.part_keys) if self._part_directions[pos].any()}
        # (nor a word naming a part that senses with a typed reach: "a 4 m laser ranger" states how far it sees)
        self._sized = {w for w, keys in named_by.items() if keys <= doers and not keys & self._link.linked
                       and not keys & self._link.sense_range.keys()}

    def _asks_board_named(self, query: str, hit: LexicalHit) -> bool:
        """Whether a request asks for the board it names by its chip ("a development board with the ATmega2560"): the
        rest of it reads as a board (``knowledge.stated_facts``: a board asked) and names no part, and no context cue
        ("for", "my") stands before the board's name: the board is wanted, not what another part serves."""
        if not hit.host_keys <= self._boards or head_clause(query):
            return False
        named = self.lexical.parts_named(hit.wanted)
        if named.exact or named.part_number or named.phrase or named.fuzzy:
            return False
        return self._stated.read(hit.wanted, hit.pn_tokens, counts=False).form == "board"

    def _cap_range(self, key: str, fld: str, doc_id: str, direction: str) -> bool:
        """Whether an indexed text states a capability of this direction with a typed reach (``range_m``)."""
        if fld != "capability":
            return False
        caps = getattr(self.library[key], "provides", None) or []
        n = int(doc_id.rsplit("|", 1)[-1])
        return n < len(caps) and caps[n].direction == direction and caps[n].range_m is not None

    def _distance_fit(self, text: str, vec: np.ndarray, sims: np.ndarray, hit: LexicalHit) -> DistanceFit:
        """Score changes for the distance a request states, against the parts' typed reach
        (``knowledge.link_reading``): how far a sensor must see when the request reads as measuring a quantity
        parts sense with a typed reach (its best measurand's capabilities) and fits such a capability best, else
        a separation to carry data over."""
        distance = stated_distance(text, self._sized.__contains__, hit.pn_tokens)
        if distance is None or not self._capability_rows.any():
            return DistanceFit()
        caps = np.where(self._capability_rows, sims, -np.inf)
        sensing: set[str] = set()
        if self._ranged_sense_rows[int(np.argmax(caps))]:
            reading = self._measurands.read(vec, float(sims[self._capability_rows].max()))
            if reading.sims is not None and len(reading.sims):
                measured = self._measurands.catalog[int(np.argmax(reading.sims))]
                sensing = set(measured.capabilities) & self._link.ranged_slugs
        return self._link.fit(distance, sensing, self.part_keys)

    def _condition_deltas(self, query: str, hit: LexicalHit, pairs: list[tuple[float, float]], fused: np.ndarray,
                          decisive: str | None) -> tuple[dict[str, float], bool]:
        """Score changes for the conditions a request states that parts' typed facts decide: the heat a part makes
        at a stated current against what it sheds without a heatsink (``knowledge.heat_reading``; a request that
        refuses a heatsink or heat, read word by word, takes none), and the medium its words ask a link to travel
        and whether something stands in its way (``knowledge.link_medium``, read when a part with a typed link or
        line of sight, not a board, is among the first few: a board's Wi-Fi or USB is not what most requests
        naming a board ask about). Not for a request that names its part outright. Also whether the words ask how
        data travels where no link ranks first (then what they say of the data is context)."""
        out: dict[str, float] = {}
        link_asked = False
        if decisive is not None:
            return out, link_asked
        amps = max(stated_amounts(query, "A"), default=None)
        if amps:
            heat = self._heat.fit(amps, stated_ambient(query), pairs)
            if "sink" in heat.verdicts.values() and refuses_heat(*self._heat_words.read(query, hit.pn_tokens)):
                heat = self._heat.fit(amps, heat.ambient, pairs, no_heatsink=True)
            out.update(heat.deltas)
        ranked = np.argsort(-fused)
        first = {self.part_keys[int(i)] for i in ranked[:_CONDITION_TOP]}  # any library size
        linked, sighted = bool(self._medium_linked & first), bool(self._medium_sighted & first)
        # (a link a little further down: the request's words may ask how data travels while its data's words put the
        # sensors first, "beam the wind speed to the shed without wires")
        near = not linked and bool(self._medium_linked & {self.part_keys[int(i)] for i in ranked[:_LINK_NEAR]})
        # what a board the request names lacks ("my nano has no wifi") is no refusal of that link: an add-on is wanted
        lacked = lacked_words(query, lambda w: stem(w) in self._names_board) if hit.host_keys else frozenset()
        skip = tuple(hit.pn_tokens) + tuple(lacked)
        if linked or sighted or near:
            medium = self._medium.fit(query, self._medium.obstructed(query), skip=skip, media=linked or near,
                                      separated=self._medium.separated(query))
            for key, delta in medium.deltas.items():
                out[key] = out.get(key, 0.0) + delta
            link_asked = bool((medium.asked | medium.refused) - {"infrared"})
            if link_asked and near:
                # the words say how data travels (by radio, down a wire), the first parts carry none: a link is the
                # need and what it says of the data is context; a part with no link is not the one wanted
                for pos in np.flatnonzero(~self._part_communicates):
                    key = self.part_keys[int(pos)]
                    out[key] = out.get(key, 0.0) - _LINK_ASKED
        toks = set(tokens(query))
        if self._network.networked & first and (NEGATIONS & toks or "t" in toks or OUT_OF & toks or "out" in toks):
            # a part whose link needs a network among the first, and a negation that may refuse one
            for key, delta in self._network.fit(query, skip).deltas.items():
                out[key] = out.get(key, 0.0) + delta
        return out, link_asked

    def _cap_direction(self, key: str, fld: str, doc_id: str) -> str | None:
        """The direction of the capability an indexed text states (None for a name, description or use)."""
        if fld != "capability":
            return None
        caps = getattr(self.library[key], "provides", None) or []
        n = int(doc_id.rsplit("|", 1)[-1])
        return caps[n].direction if n < len(caps) else None

    def _carries_signal(self, sims: np.ndarray) -> bool:
        """Whether a request fits a capability that carries a signal (senses, or joins signals) better than any
        that acts on a load (moving power is read apart, from the voltages it converts between)."""
        acts, carry = self._act_carry_rows
        if not len(acts) or not len(carry):
            return False
        return float(sims[carry].max()) > float(sims[acts].max())

    @cached_property
    def _act_carry_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """The capability rows that act on a load, and those that carry a signal (join signals, then sense)."""
        acts = np.fromiter((r for r, d in self._row_direction.items() if d == "act"), dtype=np.intp)
        senses = np.fromiter((r for r, d in self._row_direction.items() if d == "sense"), dtype=np.intp)
        return acts, np.concatenate([np.flatnonzero(self._signal_rows), senses])

    def _joins_levels(self, query: str, sims: np.ndarray) -> list[float]:
        """The two voltages a request states when it reads as joining signals at those levels, not as a
        power conversion: it fits a capability that joins signals better than any that moves power ("let a
        3.3 V board talk to a 5 V sensor" against "3.3 V from a 5 V supply"); [] otherwise."""
        volts = stated_voltages(query)
        if len(volts) != 2 or not self._signal_rows.any() or not self._power_rows.any():
            return []
        return volts if float(sims[self._signal_rows].max()) > float(sims[self._power_rows].max()) else []

    # ---- semantic ---------------------------------------------------------------------------
    def _cached_vector(self, query: str) -> np.ndarray | None:
        row = self._vector_of_text.get(" ".join(fold(query).split()))
        return None if row is None else self.index.matrix[row]

    def _word_readers(self) -> list[WordSenses]:
        """The readers that embed a request's words one by one and compare them with glosses."""
        return [r for r in (self._heat_words, self._stated.word_reader, self._medium.senses, self._medium.barriers,
                            self._medium.sights, self._medium.rooms, self._network.senses, self._place_words.senses,
                            self._features.word_reader, self._features.radio_reader)
                if r is not None]

    def _encode(self, queries: Sequence[str]) -> list[np.ndarray]:
        """Vectors for requests, remembering the last few hundred (a planner asks the same names again)."""
        out: list[np.ndarray | None] = [self._recent.get(q) for q in queries]
        todo = [i for i, v in enumerate(out) if v is None]
        if todo:
            emb = self._embedder_factory()
            if len(todo) <= 2:  # one request (and its wanted part): the single-query path is faster
                vecs = [emb.encode_query(queries[i]) for i in todo]
            else:
                vecs = list(emb.encode([queries[i] for i in todo]))
            for i, v in zip(todo, vecs):
                out[i] = v
                self._recent[queries[i]] = v
            while len(self._recent) > 512:
                self._recent.pop(next(iter(self._recent)))
        return out  # type: ignore[return-value]

    def needs_model(self, query: str) -> bool:
        """Whether searching this request runs the embedding model (else a stored vector serves)."""
        if self._cached_vector(query) is not None:
            return False
        return self._decisive(self.lexical.match(query)) is None

    def _doc_similarities(self, vec: np.ndarray) -> np.ndarray:
        """Cosine of the request with every indexed text (numpy, or Chroma's HNSW top hits)."""
        if self.semantic == "chroma":
            hits = self.index.chroma_query(vec, n=120)
            sims = np.full(len(self.index.keys), min((c for _, c in hits), default=0.0), dtype=np.float32)
            for row, cos in hits:
                sims[row] = cos
            return sims
        return self.index.similarities(vec)

    def _semantic(self, vec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per part (order of ``self.part_keys``): the semantic score, and the cosine per indexed text.

        The score is the best cosine over the part's texts plus a quarter of its second best,
        rescaled, so that a part whose name, aliases and description all fit outranks one that
        merely shares a single word with one alias."""
        sims = self._doc_similarities(vec)
        best = np.maximum.reduceat(sims, self._starts)
        rest = np.where(sims >= best[self._seg], -1.0, sims)
        second = np.maximum.reduceat(rest, self._starts)
        second = np.where(second < 0, best, second)  # a part with a single text
        sem = (best + _SECOND_DOC * second) / (1.0 + _SECOND_DOC)
        return sem.astype(np.float32), sims

    def _linked_place(self, vec: np.ndarray) -> bool:
        """Whether a text reads as getting data to a place (knowledge.destinations) that the parts getting data
        there all reach through a link (a communicate capability): a phone, the internet, another board."""
        serving = self._destinations.serving(self._destinations.read(vec).destination)
        return bool(serving) and all(self._part_communicates[self._key_pos[k]] for k in serving)

    def _row_capability(self, row: int) -> str | None:
        """The slug of the capability an indexed capability text states."""
        caps = getattr(self.library[self.index.keys[row]], "provides", None) or []
        n = int(self.index.ids[row].rsplit("|", 1)[-1])
        return caps[n].capability if n < len(caps) else None

    def _fitted_link(self, sims: np.ndarray) -> frozenset[str]:
        """The parts providing the link the request fits best, when the capability it fits best is a link (a
        communicate capability): what a board named beside the request must have itself or gain (empty else)."""
        if not self._link_row_parts:
            return frozenset()
        caps = np.where(self._capability_rows, sims, -np.inf)
        return self._link_row_parts.get(int(np.argmax(caps)), frozenset())

    def _communicating(self, sims: np.ndarray) -> bool:
        """Whether the capability a text fits best carries a message to a person or another device (send an
        SMS, make a call, a radio link): a request whose action does that asks for the part that carries it,
        and the condition it reports is what the message is about ("text me when the freezer gets warm")."""
        if not self._communicates.any():
            return False
        caps = np.where(self._capability_rows, sims, -np.inf)
        return bool(self._communicates[int(np.argmax(caps))])

    @cached_property
    def _direction_rows(self) -> np.ndarray:
        """The capability rows that sense or act (``_row_direction``'s rows, in its order)."""
        return np.fromiter(self._row_direction, dtype=np.intp)

    def _direction_penalty(self, sims: np.ndarray, degree: bool = False) -> np.ndarray:
        """Parts whose capabilities all run the other way from the capability the request fits best
        (it wants to sense, they only act, or the reverse) lose a little; parts without
        capabilities in their records are left alone. A request asking how much of something there is
        ("how loud the workshop is", ``degree``) wants to sense, whatever capability it fits best (an
        amplifier's "louder")."""
        out = np.zeros(len(self.part_keys), dtype=np.float32)
        if not self._row_direction:
            return out
        rows = self._direction_rows
        best = int(rows[np.argmax(sims[rows])])
        want = 0 if degree else _SENSE_ACT.index(self._row_direction[best])
        other = 1 - want
        wrong = self._part_directions[:, other] & ~self._part_directions[:, want]
        out[wrong] = _DIRECTION
        return out

    # ---- search -----------------------------------------------------------------------------
    def _empty(self, query: str, note: str) -> SearchResult:
        return SearchResult(query=query, ood=True, matches=[], confidence=0.0, note=note)

    def _rank(self, query: str, vec: np.ndarray, k: int, hit: LexicalHit, decisive: str | None,
              wanted_vec: np.ndarray | None = None, action_vec: np.ndarray | None = None,
              condition_vec: np.ndarray | None = None, senses: ContextReading | None = None) -> SearchResult:
        sem, sims = self._semantic(vec)
        whole_sims, whole_vec = sims, vec  # the whole request's (a motion asked is read of it all: knowledge.motion_asked)
        context = message = sensed = False
        quantity = Sensed()  # the quantity the request reads as asking to sense (knowledge.measurands), if any
        wanted = query  # the words that describe the wanted part
        if wanted_vec is not None:
            # a board named beside a need ("... for my nano") is context when the rest of the request
            # fits another part best: then the rest is searched and the board's name counts for nothing
            sem_w, sims_w = self._semantic(wanted_vec)
            if (self.part_keys[int(np.argmax(sem_w))] not in hit.context_keys | hit.host_keys
                    and not self._asks_board_named(query, hit)):
                sem, sims, context, wanted, vec = sem_w, sims_w, True, hit.wanted, wanted_vec
        if action_vec is not None and not context:
            # an action that carries a message ("text me", "call my phone") before a condition clause: the
            # condition is what the message reports, context; the part that carries the message is wanted
            sem_a, sims_a = self._semantic(action_vec)
            # (or that reads as getting data to a place only a link reaches: "ring my mobile", knowledge.destinations)
            if self._communicating(sims_a) or self._linked_place(action_vec):
                sem, sims, context, wanted, vec = sem_a, sims_a, True, hit.action, action_vec
                message = True
        if condition_vec is not None and not context:
            # an ordinary output set off by a condition someone or something brings about unawares ("sound the siren
            # | if someone walks into the shed"): the part that senses the condition is the need, the output context
            # (knowledge.goal); a condition a person works on purpose ("when the button is pressed") only triggers it.
            # A condition that refers back to the action's object ("wake the tracker | when someone jostles it") is
            # searched with the whole request, which names that object; either way the need is to sense
            sem_c, sims_c = self._semantic(condition_vec)
            if self._goal.sensed_condition(sims_c):
                sensed = True
                if not refers_back(hit.condition):  # else the action names what the condition happens to
                    sem, sims, context, wanted, vec = sem_c, sims_c, True, hit.condition, condition_vec
        lex = np.zeros(len(self.part_keys), dtype=np.float32)
        for key in set(hit.exact) | set(hit.part_number) | set(hit.fuzzy) | set(hit.phrase):
            if (context and key in hit.context_keys | hit.host_keys) or key in hit.compared_keys | hit.acted_keys:
                continue  # its name is the context's ("than the DHT11" names what the wanted part beats, "recharge
                # the 18650" what the wanted part works on)
            pos = self._key_pos.get(key)
            if pos is not None:
                lex[pos] = lexical_score(key, hit)
        for key in hit.part_number:
            # the part whose key is the part number typed, before parts that carry it in a longer name
            # (TP4056 is the charger module; the one without protection says so in its name)
            if compact(key) in hit.pn_forms and lex[self._key_pos[key]] > 0:
                lex[self._key_pos[key]] += _KEY_NUMBER
        # a sensed condition's words that no sensing capability uses name where it happens, not what is sensed
        setting = self._goal.unsensed_words(wanted) if sensed else set()
        # the parts the request names as what the wanted part serves, beats or works on, and their names' words
        around = hit.attached_keys | hit.compared_keys | hit.acted_keys | (hit.context_keys if context else set())
        named_around = {w for key in around for w in self.lexical.name_vocab.get(key, ())}
        # a request word read as another form of their names, or of the names of the parts it names by number or
        # name, is that name again (counted by the lexical match), no description of the wanted part (word_kin)
        names = named_around | {w for key in set(hit.part_number) | set(hit.exact)
                                for w in self.lexical.name_vocab.get(key, ())}
        senses = senses or ContextReading()
        kw = self.keywords.scores(wanted, skip=hit.acted_words | setting, context=names)
        # a noun phrase that uses a part's name for another thing ("a pot of tea", knowledge.object_context): its
        # words are no evidence for the parts they name
        passing = np.fromiter(sorted(self._key_pos[k] for k in senses.passing), dtype=np.intp)
        if len(passing):
            kw[passing] = self.keywords.scores(wanted, skip=hit.acted_words | setting | senses.words,
                                               context=names)[passing]
        for key in hit.acted_keys:  # the words naming what the wanted part works on are no evidence for it
            kw[self._key_pos[key]] = 0.0
        fused = fused_score(sem, lex) - self._direction_penalty(sims, asks_degree(query) or sensed) + _KEYWORDS * kw
        if message:  # the action carries a message: a part none of whose capabilities carries one is not wanted
            fused[~self._part_communicates] -= _DIRECTION
        if sensed:  # the condition is to be sensed unawares: a part that senses nothing, or only what a person
            # works on purpose (a button, a knob), is not wanted
            fused[~self._goal.senses_unawares] -= _DIRECTION
        # a part whose own words leave some of the request's unsaid (two quantities asked, one of them
        # measured) gives way to one that says them all; BM25 alone rewards saying one word often (weight:
        # middle of the calibration split's plateau 0.10-0.25); the words naming what the wanted part serves
        # or beats are context, not asked of it
        said = named_around | hit.acted_words | setting
        missing = self.keywords.missing(wanted, skip=said, context=names)
        if len(passing):  # ... and what those parts' words say of the request is said of the other thing
            missing[passing] = self.keywords.missing(wanted, skip=said | senses.words, context=names)[passing]
        fused -= _COVER * missing
        for key, sign in hit.values.items():
            pos = self._key_pos.get(key)
            if pos is not None:
                fused[pos] += _VALUE * sign
        for key in hit.short:  # a current or power it cannot give at all, not only another value named
            fused[self._key_pos[key]] -= _SHORT
        # the conditions the context sets: a current the load draws, the driving board's logic level, a mains
        # voltage to switch; parts whose typed ratings cannot meet them rank lower (knowledge.load_context)
        named = hit.host_keys | hit.attached_keys | hit.context_keys | hit.acted_keys
        fused += self._load.adjust(query, named, hit.attached_keys | hit.acted_keys, hit.short,
                                   signal=self._carries_signal(sims))
        variants = self.lexical.version_conflicts(wanted, hit)
        for key in variants:  # named with another version or size than the one asked for
            fused[self._key_pos[key]] -= _VALUE
        # two voltages stated: the two sides of a conversion, or the levels of two things whose signals must
        # meet; then no conversion is asked, a part that only moves power is not wanted, and a part whose signal
        # pins sit at both levels is
        levels = self._joins_levels(query, sims)
        # a conversion stated ("12 V from a 5 V supply"), or implied by a named part's supply range ("a sim800l
        # from 12 V": its record takes 4.5-5.5 V; knowledge.load_context)
        named_any = named | set(hit.exact) | set(hit.part_number) | set(hit.fuzzy) | set(hit.phrase)
        pairs = [] if levels else (voltage_pairs(query) or self._load.implied_pairs(query, named_any))
        if levels:
            fused[self._power_only] -= _DIRECTION
            for pos, have in self._levels.items():
                if holds_levels(have, levels):
                    fused[pos] += _LEVELS
        if len(hit.content) > 1 or pairs:
            # what the wanted part serves, not the wanted part; with a conversion stated, the supply and
            # the load named are its two ends
            for key in hit.attached_keys - set(hit.exact):
                fused[self._key_pos[key]] -= _ATTACHED + (_CONVERTS if pairs else 0.0)
            # ... and a part named anywhere that works from the conversion's output, not its input, is its load; so is
            # a board the request names as the host of a conversion it states ("3.3 V from a 12 V battery for an
            # esp32": the board is what is powered, whatever rail of it is fed; not named outright)
            ends = self._load.load_ends(pairs, named_any)
            if pairs:
                ends |= (hit.host_keys & self._boards) - set(hit.exact)
            for key in ends - hit.attached_keys:
                fused[self._key_pos[key]] -= _ATTACHED + _CONVERTS
        if decisive is None and not hit.exact:
            # a request that opens with a verb states a need; the parts whose capabilities open with that
            # verb do that kind of thing ("measure how much a drone tilts": measure, not detect)
            verb = opening_verb(query)
            doers = self._verb_parts.get(verb) if verb else None
            if doers is not None:
                fused[doers] += _VERB
            # a motion asked of an actuator (an angle, exact steps, both ways, a push, a buzz): the parts that make it
            # (knowledge.motion_asked)
            fused += self._motion.deltas(query, whole_sims, self.lexical.verb_directions,
                                         frozenset(self._key_pos[k] for k in hit.acted_keys | hit.attached_keys
                                                   | set(hit.phrase) | set(hit.fuzzy) | set(hit.part_number)),
                                         self._manner, self._motion_kinds.read(whole_vec))
        for key in hit.acted_keys:  # what the wanted part works on ("reverse a dc motor": the motor)
            fused[self._key_pos[key]] -= _ACTED
        for pos in passing:  # its name used for another thing: the word is no evidence for it
            if self.part_keys[pos] not in hit.exact and self.part_keys[pos] not in hit.part_number:
                fused[pos] -= _PASSING
        for key in hit.compared_keys:  # what the wanted part beats or replaces is never the wanted part
            fused[self._key_pos[key]] -= _COMPARED
        if pairs:
            for key in self._sources:  # a supply at either voltage is what the conversion starts or ends at
                fused[self._key_pos[key]] -= _CONVERTS * 0.5
            for key in self._power_ends:  # and a part that only takes power (a USB output socket) is its far end
                fused[self._key_pos[key]] -= _CONVERTS
            unfit = []
            for key in self._converters:
                rec = self.library[key]
                fits = [efficiency(rec, v_in, v_out) for v_in, v_out in pairs if converts(rec, v_in, v_out)]
                if fits:  # half for fitting the voltages, half scaled by how little of the power becomes heat
                    fused[self._key_pos[key]] += _CONVERTS * (0.5 + 0.5 * max(fits))
                else:
                    unfit.append(self._key_pos[key])
            if len(unfit) < len(self._converters):  # a regulator rated for other voltages cannot do this conversion
                fused[unfit] -= _CONVERTS * 0.5
        # a distance stated: the parts whose typed reach covers it (a separation to carry data over, or how far
        # a sensor must see)
        distance = self._distance_fit(query, vec, sims, hit)
        for key, delta in distance.deltas.items():
            fused[self._key_pos[key]] += delta
        conditions, link_asked = self._condition_deltas(query, hit, pairs, fused, decisive)
        for key, delta in conditions.items():
            fused[self._key_pos[key]] += delta
        stated = StatedFit()
        if decisive is None:  # facts the request states that tell siblings apart (knowledge.stated_facts)
            first = [self.part_keys[int(i)] for i in np.argsort(-fused)[:STATED_FIRST]]
            named_parts = set(hit.part_number) | set(hit.exact)  # "the smd version of the 2n3906"
            stated = self._stated.fit(query, first, pairs, hit.pn_tokens, named_parts, hit.asked,
                                      in_use=bool(hit.host_keys | hit.attached_keys | hit.context_keys)
                                      or opening_verb(query) is not None)
            for key, delta in self._features.deltas(query, first, hit.pn_tokens, named_parts).items():
                fused[self._key_pos[key]] += delta
            for key, delta in stated.deltas.items():
                fused[self._key_pos[key]] += delta
            # the temperatures a request asks a sensor to read: stated in °C, or those of the object it reads as
            # (a freezer, a stove's flue); a sensor whose typed span leaves them out loses to a sibling that covers them
            for key, delta in self._objects.temperature_deltas(vec, stated_amounts(query, "°C"), first,
                                                               self._temperature_spans).items():
                fused[self._key_pos[key]] += delta
            # ... and what a container it reads as holds: a sensor wetted by a liquid reads nothing of rubbish or grain
            for key, delta in self._objects.contents_deltas(vec, self._wetted).items():
                fused[self._key_pos[key]] += delta
            # ... and what is watched of a store (a water butt, a bin) is how full it is: a sensor of something else loses
            # (not a part the request names: "show how full the tank is on an oled" asks for the display)
            for key, delta in self._objects.store_deltas(vec, self._sensing_slugs, asks_degree(query),
                                                         self._mute - named_parts - set(hit.phrase)
                                                         - set(hit.fuzzy)).items():
                fused[self._key_pos[key]] += delta
        # (a request worded as a name fits no link: its best capability says nothing of what it asks)
        fitted = (self._fitted_link(sims) if hit.host_keys and not _worded_as_name(query, hit.content)
                  else frozenset())
        sent = self._destinations.read(vec) if decisive is None else None
        place = sent.destination if sent is not None and sent.clear else None
        # the vector reads as no place clearly: the place the request's words send data to, if one only a link reaches
        # ("text me the soil moisture": the data's words outweigh the place in the vector, not word by word)
        worded = (self._place_words.place(query, self._destinations.scores(vec), self._place_order, hit.pn_tokens)
                  if sent is not None and place is None and sent.score >= _PLACE_NEAR else None)
        if worded is not None and sent.destination not in (None, worded):
            worded = None  # the vector reads as another place (not clearly): the words' place is no surer
        board_end = (sent is not None and place is None and worded is None
                     and other_board(query, lambda w: stem(w) in self._names_board))
        if board_end:
            worded = "another-board"  # to or from another board named as one ("to another uno")
        for key, delta in reaching(self._destinations, vec, hit.host_keys, self._boards, fitted, worded).items():
            fused[self._key_pos[key]] += delta  # the parts that get data where the request sends it
        if place is not None or worded is not None:
            # data got to a place (a file, a phone, the internet), read clearly: what the request says of the data
            # is what is sent or kept, context; a part that only senses and cannot get data there is not the one
            # wanted (read from the words alone, the data's words outweigh the place in every score: such a part
            # ranks out)
            serving = np.isin(self._part_array, list(self._destinations.serving(place or worded)))
            fused[self._sense_only & ~serving] -= _DIRECTION if place is not None else _SENT_ELSEWHERE
            if place in self._place_words.linked or board_end:
                # read clearly as a place only a link gets data to (a phone, the internet): a part with no link at
                # all (a display to show the data on, a switch it sets) cannot get it there either
                fused[~self._part_communicates & ~serving & ~self._sense_only] -= _SENT_ELSEWHERE
            if (place or worded) in self._place_words.linked:
                # ... and a part whose link gets data elsewhere (a radio to another board where the request sends
                # it to a website) is another way than the one asked, unless it is the board the request builds on
                other = self._part_communicates & ~serving & ~np.isin(self._part_array, list(hit.host_keys))
                fused[other] -= _OTHER_LINK
                served = self._destinations.serving(place or worded)
                if any(self._network.networks.get(k) == frozenset({"local"}) for k in served):
                    # data got online, a local network's way among those reaching it: the mobile network's gives way
                    # unless the request refuses the local one or asks the mobile one (knowledge.link_network)
                    lacked = (lacked_words(query, lambda w: stem(w) in self._names_board) if hit.host_keys
                              else frozenset())
                    for key, delta in self._network.online_default(query, tuple(hit.pn_tokens) + tuple(lacked)).items():
                        fused[self._key_pos[key]] += delta
        if decisive is None and not hit.exact:
            # the first part is a load or source the request names, and the request acts on it or measures it
            # ("switch a 12 V strip from a pin"): the part that switches, drives or measures it (knowledge.acted_on)
            fused += self._acted_on(query, sims, fused, set(hit.phrase) | set(hit.fuzzy) | set(hit.part_number),
                                    hit.host_keys & self._boards, sensed)
        if (decisive is None and place is None and worded is None and not float(lex.max()) > _NAMES_PART
                and not _worded_as_name(query, hit.content)):
            # the event or state a request describes to sense, read as the quantity it is ("a jolt": an acceleration),
            # unless it reads more as what a part does other than sense: the parts that measure it (knowledge.measurands)
            sense_deltas, quantity = self._sensed_deltas(query, vec, sims)
            for pos, delta in sense_deltas.items():
                fused[pos] += delta
        # ties (two parts share an alias): a key beats a name beats an alias, then meaning decides
        tie = fused + 1e-3 * sem
        for key, level in hit.exact.items():
            pos = self._key_pos.get(key)
            if pos is not None:
                tie[pos] += 1e-3 * level
        order = np.argsort(-tie, kind="stable")
        top = [int(i) for i in order[: max(k, 2)]]
        best = top[0]
        best_key = self.part_keys[best]
        content = hit.content
        # the words that can say which part: no other language's grammar words, no revision mark
        evidence = evidence_words(content, hit.revision)
        # the spelled unit of a number the first part is named with ("5 volt" of a 5 V supply): the value explains it
        units = unit_words(query) if hit.values.get(best_key, 0) > 0 else frozenset()
        slipped = self._slipped(hit)
        rare_gap, rarest_gap = self.keywords.unexplained(wanted, best, skip=hit.revision)
        grammar = grammar_words(query)
        named_like = _worded_as_name(query, content, grammar)  # worded as a name, not as a sentence
        doubtful = self._doubtful_slip(hit, best_key, top)  # then the number is read as typed: unknown
        # what the request reads as measuring (knowledge.measurands), against what the library's parts say they do
        reading = (self._measurands.read(vec, float(sims[self._capability_rows].max()))
                   if self._capability_rows.any() else None)
        names_first = float(lex[best]) > _NAMES_PART
        # ... a part named only in the words before the thing asked, whose names lack that thing's head noun ("a gps
        # | antenna", "a servo | horn"): another thing that goes with the part, whose product reading stands
        noun = head_noun(query) if names_first else ""
        names_thing = names_first and (not noun or noun in self._kind_words
                                       or self.lexical.name_coverage([noun], best_key, hit) > 0)
        # a finished product, instrument or assembly no record is (knowledge.products): how far the best one leads
        # what the library answers, read from the whole request whatever it names (the model weighs it as evidence;
        # the product rule below acts only on a clear reading of a request that names no part)
        product_read, product_lead, product_raw = self._product_reading(query, vec, sims, named=names_thing)
        feats = OODFeatures(
            semantic=float(sem[best]),
            lexical=0.0 if doubtful and best_key not in hit.exact else float(lex[best]),
            coverage=_explained(self.lexical.coverage, evidence, units, best_key, hit),
            name_gap=(1.0 - _explained(self.lexical.name_coverage, evidence, units, best_key, hit)) if named_like else 0.0,
            unknown_words=(len(hit.unknown_words) / len(evidence)) if evidence else 0.0,
            unknown_part_number=self._unknown_part_number(hit, best_key, doubtful),
            margin=float(fused[best]) - self._rival_best(fused, best),
            slip=1.0 if (best_key in slipped and not doubtful) or best_key in hit.fuzzy else 0.0,
            capability=self._capability(sims, best),
            context=1.0 if context else 0.0,
            words=float(min(len(content), 8)),
            keywords=float(kw[best]),
            keywords_top=1.0 if kw[best] > 0 and kw[best] >= float(kw.max()) else 0.0,
            rare_gap=rare_gap,
            rarest_gap=rarest_gap,
            value_conflict=float(-hit.values.get(best_key, 0)),
            number_gap=self._number_gap(query, best_key, hit),
            version_conflict=1.0 if best_key in variants else 0.0,
            other_part=self._other_part(hit, best_key),
            measurand=self._measurands.fit(reading, best_key) if reading is not None else 0.0,
            product=product_raw,
            head_gap=self._head_gap(query, best_key, hit),
            grammar=float(min(grammar, 4)),
            spread=_spread(sem),
            **self._need_features(sims, best),
        )
        # a near-certain slip of one known part number, with nothing unknown beside it, is that part
        # ... and the rest of the request fits that part (a slip of LM2904 next to "low dropout
        # regulator" is more likely the LM2940 regulator the library lacks)
        rest = [w for w in content if w not in hit.pn_tokens]
        # ... and nothing beside it says another part: no other size or version of what its names state
        # ("ssd1315 0.96 inch": the SSD1351's names say 1.5 inch), no word other parts use and its own
        # texts lack ("am2320 ... over i2c" beside the one-wire AM2302)
        sure_slip = (best_key in slipped and not hit.unknown_part_numbers and not hit.unknown_words
                     and best_key not in variants
                     and (not rest or self.lexical.coverage(rest, best_key, hit) >= SURE_SLIP_COVER))
        outright = (best_key in hit.exact and not context) or best_key == decisive or sure_slip
        # another version of a part it names ("Teensy 4.1" where the library holds the 4.0), one no part
        # holds, on any of the first three (the first may be what it is wanted with: "Teensy 4.1 board
        # with an SD slot"): a sibling the library lacks
        first3 = [self.part_keys[int(i)] for i in order[:3]]
        variant = not outright and (self._variant(first3, variants) or self._board_version(query, hit, context)
                                    or (named_like and self._combination(query, content, first3, hit))
                                    or self._board_model_lacking(query, hit))
        # a request worded as a name that names a product the part only stands in for: the product
        stand_in = not outright and not variant and named_like and self._stands_in(content, best_key, hit)
        # a voltage, current or power no part of the library is rated for ("measure 10 kV"): none serves it
        # or a rating within that reach that neither the first part nor any other of its kind has ("a 12 V 10 A
        # supply" where the supplies are 12 V 2 A, 24 V 5 A and 5 V up to 20 A): a part of that kind the library lacks
        beyond = not outright and (self._reach.exceeded_by(query, hit.pn_tokens)
                                   or lacks_rating(hit.asked, hit.values, best_key, self._kinds)
                                   or self._rated.beyond(self._asked_ratings(query, hit, best_key), best_key, first3))
        # ... or none of the first three, each a part that carries a load, is rated (typed ratings) for what the
        # request states ("a solid state relay for a 100 A heater"): the library holds that kind of part, not one
        # that meets it (knowledge.load_context)
        beyond = beyond or (not outright and self._load.beyond_first(query, first3))
        # a quantity to measure that no record's capabilities serve, read by meaning well ahead of all the
        # library's parts say they do ("the oxygen dissolved in the pond": no part measures dissolved oxygen)
        # (not for a request that names its first part, by name, number or a slip of one: a slip of a moisture
        # sensor's name is that sensor, whatever quantity the slip reads as; the product reading below likewise)
        # (nor for data carried over a distance: what it measures is what is sent, context for the link wanted)
        # (nor for data sent to a place the request's words name: likewise)
        # (nor where the words ask how data travels: what they say of the data is context)
        measurand_lead = (reading.lead if reading is not None and not names_first and not distance.carry
                          and not link_asked
                          and worded is None else -1.0)
        unserved = None
        if not outright and measurand_lead >= self.ood_model.measurand_margin:
            unserved = reading.unserved
        # a finished product, instrument or assembly no record is, read by meaning well ahead of everything the
        # library's parts do ("a variable bench supply"): the thing, not a part it is built from
        # (not for a request that names its first part, by name, number or a slip of one: "potentionmeter")
        product = None
        # (nor for a request to sense a quantity on such a thing, read clearly, that the first part measures: a jolt
        # felt on a model plane asks for what feels it; the plane is where it happens, not what is asked for)
        sensed_on = (best_key in quantity.serving
                     and (opening_verb(query) is not None or asks_degree(query)))
        if not outright and not unserved and not sensed_on and product_lead >= self.ood_model.product_margin:
            product = product_read
        if outright:
            confidence = 1.0  # the request is this part's key, name, alias or exact part number
        elif variant or stand_in or beyond or unserved or product:
            confidence = 0.0
        else:
            confidence = self.ood_model.probability(feats)
            if distance.carry and best_key in distance.reached:
                # data carried over a distance no part senses across, and the first part's typed link reach covers
                # it: a record's typed fact meets the stated need, whatever the words about the data leave unsaid
                confidence = max(confidence, self.ood_model.threshold_for(feats))
            if worded is not None and best_key in self._destinations.serving(worded):
                # data sent to a place the request's words name, and the first part's typed capability gets it there
                confidence = max(confidence, self.ood_model.threshold_for(feats))
            if best_key in stated.picked:
                # a part the request names (by its chip's number) that the fact it states picks among those named
                # ("an ATmega328P board"): named and chosen by a typed fact, whatever its words leave unsaid
                confidence = max(confidence, self.ood_model.threshold_for(feats))
        ood = confidence < self.ood_model.threshold_for(feats)
        names = self.lexical.names
        matches = [
            Match(self.part_keys[i], float(min(1.0, max(0.0, fused[i]))), names.get(self.part_keys[i], ""))
            for i in top[:k]
        ]
        note = "not in the library; closest parts listed" if ood else ""
        if unserved:
            note = f"no part in the library measures {unserved.replace('-', ' ')}; closest parts listed"
        elif product:
            note = note_for(self._products, product, names)
        return SearchResult(query=query, ood=ood, matches=matches, confidence=float(confidence), note=note,
                            features=feats, named_outright=outright, variant=variant, stand_in=stand_in,
                            beyond_reach=beyond, unserved=unserved,
                            measurand_lead=measurand_lead,
                            product=product, product_lead=product_lead)

    def _sensed_deltas(self, query: str, vec: np.ndarray, sims: np.ndarray) -> tuple[dict[int, float], Sensed]:
        """Score change per part position for the quantity a request reads as asking to sense
        (``MeasurandIndex.sensed``), in full from a clear lead on. What the parts do other than sense holds the reading
        back (a request to shake a controller acts on it), unless the request's structure asks for a reading: how
        much of something there is, or an opening verb only sensing capabilities open with ("sense the compressor
        shaking"). Such a verb credits the parts whose capabilities open with it (``_VERB``); it says the request
        senses, not what: the parts measuring the quantity read get that credit too. A verb the library's parts only
        act with, on no condition, reads nothing (the request acts). From a clearer lead (``_OTHER_FROM``) the parts
        that measure only other quantities (typed capabilities) step down. Returns the deltas and the quantity read."""
        verb = opening_verb(query)
        directions = self.lexical.verb_directions.get(verb, set()) if verb else set()
        degree = asks_degree(query)
        if not degree and directions == {"act"} and not condition_clause(query):
            # the request opens with what parts only do to a load, on no condition (shake, spin, ring something): it
            # acts, and the quantity it reads as is what the action makes
            return {}, Sensed()
        reading = degree or directions == {"sense"}
        acts = -1.0 if reading or not self._doing_rows.any() else float(sims[self._doing_rows].max())
        quantity = self._measurands.sensed(vec, sims, acts, degree, lambda: self._sensing_words(query))
        if not quantity.parts:
            return {}, quantity
        scale = min(1.0, quantity.lead / _SENSES_CLEAR)
        doers = self._verb_parts.get(verb) if verb and "sense" in directions else None
        credited = set() if doers is None else {int(p) for p in doers}
        out = {pos: (_SENSES + (_VERB if doers is not None and pos not in credited else 0.0)) * scale
               for pos in (self._key_pos[key] for key in quantity.parts)}
        # a request read as measuring a quantity asks for no part that only acts (a vibration motor makes vibration,
        # it does not measure it)
        for pos in np.flatnonzero(self._part_directions[:, 1] & ~self._part_directions[:, 0]):
            out[int(pos)] = out.get(int(pos), 0.0) - _SENSES * scale
        # ... nor for a part that measures only other quantities (a thermometer where a sound is to be heard, a bend
        # sensor where a tilt is asked, read from their typed capabilities): from a clear lead on
        # (not one whose own record says it senses what is asked, as well as the quantity's texts read: a distance
        # sensor whose record says it gauges a tank's level from above)
        other = min(1.0, max(0.0, quantity.lead - _OTHER_FROM) / _SENSES_CLEAR) * _OTHER_SENSES
        if other > 0:
            says = np.full(len(self.part_keys), -1.0, dtype=np.float32)
            np.maximum.at(says, self._sense_row_parts, sims[self._sense_rows])
            for key in self._measurands.measuring - quantity.serving:
                pos = self._key_pos[key]
                if says[pos] < quantity.score:
                    out[pos] = out.get(pos, 0.0) - other
        return out, quantity

    def _sensing_words(self, query: str) -> np.ndarray:
        """The vectors of a request's words that read as a quantity to sense more than as what a part does
        (``knowledge.measurand_words``; embedded one by one only when asked)."""
        return sensing_words(word_vectors(self._embedder_factory, request_words(query)),
                             self._measurands.text_vectors, self.index.matrix[self._doing_rows])

    def _manner(self, words: str) -> MotionReading:
        """The motion the words saying how a thing is moved read as (one more vector, only where asked)."""
        return self._motion_kinds.read(self._encode([self._as_meant(words)])[0])

    def _acted_on(self, query: str, sims: np.ndarray, fused: np.ndarray, named: set[str],
                  boards: set[str], sensed: bool = False) -> np.ndarray:
        """Score change per part where the first part is what the request acts on or measures (knowledge.acted_on):
        the request is read again without the words naming that part (one more vector, only then). Where what the
        request's verb works on runs on mains (a voltage stated on it, or its words read as a kind of mains load:
        knowledge.load_kinds; one more vector), the switches rated for it; not where a condition that something
        brings about unawares sets it off (``sensed``: what senses the condition is wanted then)."""
        obj = None if sensed else self._acted.switched_object(query)
        if obj is not None:
            verb, words, volts = obj
            vec = self._encode([words])[0]
            kind, cos = self._load_kinds.read(vec)
            mains = kind is not None and bool(self._load_kinds.mains[kind])
            object_sims = self._doc_similarities(vec)
            if self._acted.mains_load(volts, cos, mains, object_sims):
                return self._acted.mains_switch(volts)
            # ... or a load record it reads as, run from a pin that cannot run it: the switch a pin turns fully on
            level = self._acted.stated_level(query, volts, boards)
            if kind is not None and self._acted.kind_read(cos, object_sims):
                # ... or a kind of load no record is, nearer than any load record (a heating pad, a blower), at a
                # voltage stated on it below mains and above the pin's level: the switch a pin turns fully on
                load = None
                delta = self._acted.kind_switch(volts, level)
            else:
                load = self._acted.load_read(object_sims, bool(volts))
                delta = None if load is None else self._acted.dc_switch(load, verb, volts, level, boards)
            if delta is not None:
                return delta
        top = int(np.argmax(fused))
        rest = self._acted.candidate(top, query, named)
        if rest is None:
            if self._acted.unnamed(top, query, named):  # read by meaning alone: the whole request is the action
                delta = self._acted.adjust(top, query, sims, sims, boards, named=False)
                # ... and it stands only where a part that acts on the load then ranks first (one that fits the
                # action better than the load itself); a part ranked up by neither is no reading of the request
                return delta if delta[int(np.argmax(fused + delta))] > 0 else np.zeros_like(delta)
            return np.zeros(len(self.part_keys), dtype=np.float32)
        rest_sims = self._doc_similarities(self._encode([self._as_meant(rest)])[0])
        return self._acted.adjust(top, query, sims, rest_sims, boards)

    def _product_reading(self, query: str, vec: np.ndarray, sims: np.ndarray,
                         named: bool = False) -> tuple[str | None, float, float]:
        """What the request reads as asking for among finished products (``knowledge.products``), against what the
        library's parts are and do (their descriptions and capabilities; not their typical use, which names the
        products a part goes into), and how far the best product no record is leads. Where a context cue splits
        off what is asked for ("a relay | for my 3D printer"), the words before the cue must lead as well, and
        lead what the parts are called too: a product named as what the wanted part is for is context, and words
        that read as a part's name ("a camera board") ask for that part. The product is then the one those words
        read as; they are embedded only when the whole request leads. ``named``: the request names a part by its
        name or number, or a slip of one (the lead is then -1: that part, not a product). A thing named with what it
        has is read by the words before "with" alone (``_feature_head_reading``), named part or not. The third value is
        the whole request's raw lead: the best unserved product's cosine minus the best the library answers, whatever
        the request names and however faintly it reads as that product (``OODFeatures.product``)."""
        read, lead, raw = self._whole_product_reading(query, vec, sims, named)
        # a thing named with what it has ("a toaster | with a timer", "a plant watering system | with an SHT31"): the
        # words before "with" are what is asked, whatever part the rest names; they count where they name no part
        # themselves and read as a product more than the whole request does
        has_read, has_lead = self._feature_head_reading(query)
        if has_lead > lead:
            read, lead = has_read, has_lead
        # a thing asked for a part the request names after a context cue ("a case | for the <board>", "a heatsink |
        # for the <driver>"): the named part is what the thing goes with, the words before the cue what is asked
        for_read, for_lead = self._for_part_reading(query)
        return (for_read, for_lead, raw) if for_lead > lead else (read, lead, raw)

    def _asked_ratings(self, query: str, hit: LexicalHit, best_key: str) -> set[str]:
        """The ratings a request asks of the wanted part (``LexicalHit.asked``) and, where the first part is a
        regulator or converter, the voltage it is to be powered from as well ("a regulator that runs from a 48 V
        bank": what it takes in is asked of it, though the words set it as context)."""
        if not self._rated.converts(best_key):
            return set(hit.asked)
        return set(hit.asked) | {f"{v:g}v" for v in input_voltages(query)}

    def _for_part_reading(self, query: str) -> tuple[str | None, float]:
        """The product reading (``knowledge.products``) of the words before a context cue (``head_clause``) when
        the words after it name a library part by name or number, or a package its parts come in ("for a TO-220
        regulator"), and the words before it name none: the thing asked
        is what goes with that part (an accessory, a housing), read by itself; (None, -1) otherwise."""
        head, rest = _split_at_cue(query)
        if not head:
            return None, -1.0
        tail = self.lexical.parts_named(rest)
        if not (tail.exact or tail.part_number or tail.packages):
            return None, -1.0
        return self._head_product_reading(head)

    def _head_product_reading(self, head: str) -> tuple[str | None, float]:
        """The product reading of some words of a request read by themselves, when they name no part by name,
        number or a slip of one; (None, -1) otherwise."""
        hit = self.lexical.parts_named(head)
        if hit.exact or hit.part_number or hit.fuzzy or hit.phrase or hit.slips:
            return None, -1.0
        head_vec = self._encode([head])[0]
        head_sims = self._doc_similarities(head_vec)
        rows = (self._does_rows if self._does_rows.any() else self._meaning) | self._name_rows
        reading = self._products.read(head_vec, float(head_sims[rows].max()), head_sims, rows, self._product_claims)
        return reading.unserved, reading.lead

    def _feature_head_reading(self, query: str) -> tuple[str | None, float]:
        """The product reading (``knowledge.products``) of the words before "with" or "without"
        (``feature_head``) when they name no part by name, number or a slip of one; (None, -1) otherwise."""
        head = feature_head(query)
        if not head:
            return None, -1.0
        return self._head_product_reading(head)

    def _whole_product_reading(self, query: str, vec: np.ndarray, sims: np.ndarray,
                               named: bool) -> tuple[str | None, float, float]:
        """The product reading of the whole request, and of the words before a context cue where one splits
        them off (``_product_reading``), and the whole request's raw lead (-1: every product is served)."""
        does = self._does_rows if self._does_rows.any() else self._meaning
        reading = self._products.read(vec, float(sims[does].max()) if does.any() else 0.0, sims, does,
                                      self._product_claims)
        lead = -1.0 if named else reading.lead
        raw = (reading.unserved_score - reading.served_score
               if reading.unserved and reading.unserved_score >= READS_AT_ALL else -1.0)
        if raw > -1.0 and self._names_the_thing(feature_head(query)):
            # the words before "with" name a library part ("a gps module | with an external antenna"): a product read
            # in the rest is what that part has, not what is asked
            return reading.unserved, -1.0, -1.0
        if raw > -1.0 and self._names_the_thing(head_clause(query)):
            raw = -1.0  # the words before a cue name a library part: a product read after them is context
        head = head_clause(query) if lead >= 0 else ""
        if head and set(content_tokens(head)) <= {opening_verb(head)}:
            head = ""  # the words before the cue are only the verb ("join | my sensors to ..."): they name no thing
        if not head:
            return reading.unserved, lead, raw
        head_vec = self._encode([head])[0]
        head_sims = self._doc_similarities(head_vec)
        head_reading = self._products.read(head_vec, float(head_sims[does | self._name_rows].max()), head_sims,
                                           does | self._name_rows, self._product_claims)
        if head_reading.unserved == reading.unserved and head_reading.unserved_score >= head_reading.reads_as:
            # the words before the cue read as the same product as the whole: that product is what is asked ("a
            # charger | for my laptop"), unless the words after the cue read as it more: then it is what the part
            # named before the cue is for ("a camera board | for a home security camera")
            rest = " ".join(tokens(query)[len(tokens(head)):])
            tail = self._products.read(self._encode([rest])[0], 1.0) if rest else None
            j = self._products.index_of(reading.unserved)
            if tail is None or tail.sims is None or float(tail.sims[j]) < head_reading.unserved_score:
                return reading.unserved, lead, raw
        if head_reading.unserved == reading.unserved:
            # the words before the cue read as the product the whole request reads as, if faintly (a few words embed
            # weakly: "a bare triac"): the whole request already reads as that product, so the head need only lead
            # what the library answers for it, not reach the reading floor again
            return reading.unserved, min(lead, head_reading.unserved_score - head_reading.served_score), raw
        return head_reading.unserved, min(lead, head_reading.lead), raw

    def _names_the_thing(self, phrase: str) -> bool:
        """Whether some words of a request (the thing asked, before a context cue or "with") name a library part by
        name, number or a slip of one, and that part's names hold the phrase's head noun: "a motor driver" names
        the thing asked, "a gps antenna" names a part the thing goes with (``ood_head.head_noun``)."""
        if not phrase:
            return False
        hit = self.lexical.parts_named(phrase)
        keys = set(hit.exact) | set(hit.phrase) | set(hit.part_number) | set(hit.fuzzy)
        noun = head_noun(phrase)
        return bool(keys) and (not noun or noun in self._kind_words
                               or any(self.lexical.name_coverage([noun], key, hit) > 0 for key in keys))

    @cached_property
    def _board_models(self) -> BoardModels:
        """The library's board families and the models their names hold (``knowledge.board_model``)."""
        return BoardModels(self.library, self.lexical.name_vocab, self.lexical.knows)

    def _board_model_lacking(self, query: str, hit: LexicalHit) -> bool:
        """Whether the thing a request asks for (``ood_head.thing_asked``) is a board named by a family word of the
        library's boards and a model word none of them is named by ("Arduino Micro", "Pi Zero 2"): a board the library
        lacks. Not where that phrase names a part that is no board ("an arduino relay module": the relay module)."""
        phrase = thing_asked(query)
        if not phrase:
            return False
        named = self.lexical.parts_named(phrase)
        if (set(named.exact) | set(named.phrase) | set(named.part_number)) - self._boards:
            return False
        return self._board_models.lacking(phrase, named.revision, named.pn_tokens) is not None

    @cached_property
    def _kind_words(self) -> frozenset[str]:
        """Words for a kind of part (``ood_head.kind_words``) in the library's names."""
        return kind_words(self.lexical.name_vocab)

    def _head_gap(self, query: str, key: str, hit: LexicalHit) -> float:
        """``OODFeatures.head_gap``: the share of the words of the thing asked (``ood_head.head_words``) that are
        not in the part's key, name or aliases; 0 where nothing splits the request or the phrase is longer than a
        name."""
        words = head_words(query)
        if not words or len(words) > NAME_WORDS:
            return 0.0
        return 1.0 - self.lexical.name_coverage(words, key, hit)

    def _stands_in(self, content: list[str], key: str, hit: LexicalHit) -> bool:
        """Whether every word of a name-worded request belongs to a product the part's records say it
        stands in for (``Capability.emulates``), and its own names do not hold them all: the request
        names that product ("keyboard"), which the part can act as but is not."""
        product = self._emulates.get(key)
        if not product or not content or not all(w in product for w in content):
            return False
        return self.lexical.name_coverage(content, key, hit) < 1.0

    def _variant(self, first: list[str], conflicts: dict[str, set]) -> bool:
        """Whether the request asks for another version of a part among the first three: of the first
        part, in a version none of the three holds ("0.96 inch" beside the 1.3-inch SH1106 is the
        SSD1306's); of the second or third, by a word that names that part alone ("Teensy 4.1 board
        with an SD slot"), not a generic one ("16 buttons")."""
        held = {slot for k in first for slot in self.lexical.slots.get(k, ())}
        for rank, key in enumerate(first):
            other = {slot for slot in conflicts.get(key, ()) if slot not in held}
            if rank:
                other = {slot for slot in other if self.lexical.names_one_part(slot[0])}
            if other:
                return True
        return False

    def _board_version(self, query: str, hit: LexicalHit, context: bool) -> bool:
        """Whether a board set aside as context is named in a version its names lack ("Teensy 4.1 board
        with an SD slot" beside the Teensy 4.0): the board the request builds on is not in the library."""
        if not context:
            return False
        conflicts = self.lexical.version_conflicts(query, hit)
        return any(key in conflicts and self.lexical.names_one_part(slot[0])
                   for key in hit.host_keys for slot in conflicts.get(key, ()))

    def _combination(self, query: str, content: list[str], first: list[str], hit: LexicalHit) -> bool:
        """Whether a request worded as a name joins what two of the first parts are named by, and no part
        holds both ("Pico 2 W": the Pico 2 and the Pico W; "Nano 33 BLE": the Nano 33 IoT and a BLE Nano):
        a version the library lacks. Single letters and small numbers count here ("W", "2"): they tell versions apart."""
        if len(first) < 2:
            return False
        names = self.lexical.name_vocab
        toks = tokens(query)
        # ("2 W" may read as two watts; beside a name it is the Pico 2's W)
        short = [t for t in toks if (len(t) == 1 and t.isalpha() and t in self.lexical.name_words)
                 or (t.isdigit() and len(t) <= 2)]
        words = list(dict.fromkeys(content + short))

        def has(key: str, w: str) -> bool:
            return w in names.get(key, ()) or key in hit.pn_tokens.get(w, ())

        if self._sibling_number(content, first[0], hit):
            return True
        missing = [w for w in words if not has(first[0], w)]
        if not missing or any(w not in short for w in missing) or len(missing) * 2 > len(words):
            return False  # only a version's letter or number, the rest of the name the first part's
        held = [w for w in short if w not in missing]
        for other in first[1:]:
            if all(has(other, w) for w in missing) and any(not has(other, w) for w in held):
                return True
        return False

    def _sibling_number(self, content: list[str], key: str, hit: LexicalHit) -> bool:
        """Whether the request puts, beside the first part's other name words, a part number of another
        part where the first part's names carry a sibling of it ("seeed xiao esp32s3": the XIAO's names
        say ESP32-C3; the ESP32-S3 is another part's): a XIAO with another chip, which no part is."""
        own = {f for f in self.lexical.pn if key in self.lexical.pn[f]}
        for w in content:
            if not is_part_number(w) or key in hit.pn_tokens.get(w, (key,)):
                continue  # not a part number, or one of the first part's own
            if any(len(f) == len(w) >= 5 and f != w and f[:-2] == w[:-2] for f in own):
                return True
        return False

    def _rival_best(self, scores: np.ndarray, best: int) -> float:
        """The best score of a part that shares no capability with part ``best`` (``_kin_matrix``): the runner-up
        that would answer another need, against which the candidate's lead says whether the request sits between
        two needs; 0 when every other part is its kin."""
        rivals = ~self._kin[best]
        return float(scores[rivals].max()) if rivals.any() else 0.0

    def _need_features(self, sims: np.ndarray, best: int) -> dict:
        """How well the candidate's capabilities (what it does, written as a need) fit the request,
        against every other part's."""
        if not self._capability_rows.any():
            return {}
        per_part = np.maximum.reduceat(np.where(self._capability_rows, sims, -1.0), self._starts)
        need = max(float(per_part[best]), 0.0)
        other = self._rival_best(per_part, best)
        named = float(sims[self._name_rows].max()) if self._name_rows.any() else 0.0
        return {"need": need, "need_margin": need - max(other, 0.0),
                "need_agrees": 1.0 if int(np.argmax(per_part)) == best else 0.0,
                "phrasing": float(per_part.max()) - named}

    def _number_gap(self, query: str, key: str, hit: LexicalHit) -> float:
        """Share of the request's bare numbers and short letter-digit ids ("Teensy 4.1", "Uno R4",
        "16 channel") that the candidate's own texts do not use: another version or size of it.
        Quantities with a unit ("5 V") and part numbers are left to their own features."""
        toks = tokens(query)
        ids = [t for i, t in enumerate(toks)
               if is_number(t) and not (i + 1 < len(toks) and toks[i + 1] in UNIT_AFTER)
               and t not in hit.unknown_part_numbers and t not in hit.pn_tokens and t not in hit.revision]
        if not ids:
            return 0.0
        have = self._tokens.get(key, set())
        return sum(1 for t in ids if t not in have) / len(ids)

    def _slipped(self, hit: LexicalHit) -> set[str]:
        """Parts a request reached only through a slip in a part number (dth22 -> DHT22)."""
        out: set[str] = set()
        for known in hit.slips.values():
            out |= set(self.lexical.pn.get(known, ()))
        return out

    def _capability(self, sims: np.ndarray, part: int) -> float:
        """The best cosine of the request with what the part does (description, use, capabilities)."""
        lo = int(self._starts[part])
        hi = int(self._starts[part + 1]) if part + 1 < len(self._starts) else len(sims)
        mask = self._meaning[lo:hi]
        return float(sims[lo:hi][mask].max()) if mask.any() else 0.0

    def _other_part(self, hit: LexicalHit, key: str) -> float:
        """1 when the request names a part number the library lacks that is a real part (KiCad lists
        it, or a record names it) and the candidate's own texts do not: another part, not this one."""
        vocab = self.lexical.vocab.get(key, set())
        return 1.0 if any(pn not in vocab and self.lexical.is_real(pn) for pn in hit.unknown_part_numbers) else 0.0

    def _doubtful_slip(self, hit: LexicalHit, key: str, top: list[int]) -> bool:
        """Whether the candidate was reached through a slip in a number while another of the first three
        parts says more of the rest of the request: the words chose another part, so the number as typed
        more likely names a sibling of that part ("aosong am2320 ... over i2c": an AM2302 slip, but the
        words fit the I2C AHT20 better)."""
        if not any(key in self.lexical.pn.get(known, ()) for known in hit.slips.values()):
            return False
        rest = [w for w in hit.content if w not in hit.pn_tokens]
        if not rest:
            return False
        own = self.lexical.coverage(rest, key, hit)
        return any(self.lexical.coverage(rest, self.part_keys[i], hit) > own for i in top[1:3])

    def _unknown_part_number(self, hit: LexicalHit, key: str, doubtful_slip: bool = False) -> float:
        """1 when the request names a part number no part is called by; 0.5 when the best
        candidate's texts at least mention it (a chip on a board, a companion part); else 0.
        A number read as a slip of another part's number counts as unknown when the candidate is not
        that part: the rest of the request chose another part, so the slip reading was set aside and
        the number, as typed, names nothing the library holds ("am2320 i2c humidity sensor": read as a
        slip of the AM2302, yet an I2C sensor fits best; the AM2320 is that I2C sensor)."""
        unknown = list(hit.unknown_part_numbers) + [
            form for form, known in hit.slips.items() if doubtful_slip or key not in self.lexical.pn.get(known, ())]
        if not unknown:
            return 0.0
        vocab = self.lexical.vocab.get(key, set())
        return 0.5 if all(pn in vocab for pn in unknown) else 1.0

    def search(self, query: str, k: int = 5) -> SearchResult:
        """The ``k`` best parts for a request, with an out-of-distribution flag."""
        return self.search_batch([query], k=k)[0]

    def search_batch(self, queries: Iterable[str], k: int = 5) -> list[SearchResult]:
        """Search many requests; the model runs once over all of them."""
        queries = [str(q) for q in queries]
        k = max(1, int(k))
        results: list[SearchResult | None] = [None] * len(queries)
        live: list[int] = []
        for i, q in enumerate(queries):
            if not q.strip():
                results[i] = self._empty(q, "empty query")
            elif not self.part_keys:
                results[i] = self._empty(q, "the component library is empty; add parts with 'circuitsmith kb add FILE'")
            else:
                live.append(i)
        if live:
            hits = {i: self.lexical.match(queries[i]) for i in live}
            # who made or sold a part named by its number is no evidence about which part it is: such words are
            # set aside and the rest of the request is ranked (knowledge.provenance)
            asked = self._without_provenance(queries, hits, live)
            decisive = {i: self._decisive(hits[i]) for i in live}
            # a request that names one part outright needs no model: its vector stands in
            vecs: dict[int, np.ndarray] = {}
            for i in live:
                v = self._cached_vector(asked[i])
                if v is None and decisive[i] is not None:
                    v = self.index.matrix[self._name_row[decisive[i]]]
                if v is not None:
                    vecs[i] = v
            todo = [i for i in live if i not in vecs]
            wanted = [i for i in live if hits[i].wanted and decisive[i] is None]
            actions = [i for i in live if hits[i].action and not hits[i].wanted and decisive[i] is None]
            phrases = {i: self._senses.candidates(asked[i]) for i in live
                       if decisive[i] is None and not hits[i].exact}
            texts = ([asked[i] for i in todo] + [hits[i].wanted for i in wanted]
                     + [hits[i].action for i in actions] + [hits[i].condition for i in actions]
                     + [p for i in phrases for p in phrases[i]])
            # the words the word readings (stated facts, heat, link media) may read one by one, and their glosses
            # not embedded yet: in the same model call as the requests (one call for the whole batch)
            # (a single request reads its words lazily: most need no word reading, and a request that names a
            # part outright then needs no model call at all)
            words = unseen_words(self._embedder_factory, [asked[i] for i in live]) if len(live) > 1 else []
            cold = [r for r in self._word_readers() if not r.warmed]
            glosses = [g for r in cold for g in r.glosses]
            # the meaning of a request is read as meant: a misspelt word as the word of the parts' it slips from
            # (knowledge.word_kin); a misspelling the model never saw blurs its vector ("acelerometer")
            enc = self._encode([self._as_meant(t) for t in texts] + words + glosses)
            extra, enc = enc[len(texts):], enc[:len(texts)]
            remember_words(self._embedder_factory, words, extra[:len(words)])
            at = len(words)
            for r in cold:
                r.warm(extra[at:at + len(r.glosses)])
                at += len(r.glosses)
            for i, v in zip(todo, enc):
                vecs[i] = v
            n = len(todo) + len(wanted)
            wanted_vecs = dict(zip(wanted, enc[len(todo):n]))
            action_vecs = dict(zip(actions, enc[n:n + len(actions)]))
            n += len(actions)
            condition_vecs = dict(zip(actions, enc[n:n + len(actions)]))
            n += len(actions)
            senses: dict[int, ContextReading] = {}
            for i, ps in phrases.items():
                senses[i] = self._senses.read(ps, enc[n:n + len(ps)])
                n += len(ps)
            for i in live:
                res = self._rank(asked[i], vecs[i], k, hits[i], decisive[i], wanted_vecs.get(i),
                                 action_vecs.get(i), condition_vecs.get(i), senses.get(i))
                results[i] = res if asked[i] == queries[i] else replace(res, query=queries[i])
        return results  # type: ignore[return-value]

    def _without_provenance(self, queries: list[str], hits: dict[int, LexicalHit], live: list[int]) -> dict[int, str]:
        """Each live request's text to rank: without the words that only say where a part named by its number
        came from (``knowledge.provenance``); ``hits`` is updated to the lexical reading of that text."""
        asked = {i: queries[i] for i in live}
        words = provenance_words([hits[i] for i in live], self.lexical, self._encode, self._products.vectors)
        for i, drop in zip(live, words):
            text = strip(queries[i], drop) if drop else queries[i]
            if text != queries[i]:
                asked[i] = text
                hits[i] = self.lexical.match(text)
        return asked

    def _as_meant(self, text: str) -> str:
        """A request with its slips read as the words they slip from (``WordKin.read``), else as typed."""
        kin = self.keywords.kin
        return (kin.read(text) if kin is not None else None) or text

    def _decisive(self, hit: LexicalHit) -> str | None:
        """The one part a request names outright: its key, name or alias, or its exact part
        number with nothing unknown beside it; None when meaning has to decide."""
        if hit.exact:
            top = max(hit.exact.values())
            keys = [k for k, lv in hit.exact.items() if lv == top]
            return keys[0] if len(keys) == 1 else None
        if hit.unknown_part_numbers or hit.unknown_words:
            return None
        strong = [k for k, s in hit.part_number.items() if s >= 1.0]
        if len(strong) != 1:
            return None
        key = strong[0]
        # outright only when nothing beside the part number says otherwise: no other value of a unit
        # its name states ("MCP1700 1.8 V" for the 3.3 V one), no word its names lack ("Nano 33 BLE")
        rest = [w for w in hit.content if key not in hit.pn_tokens.get(w, ())]
        if hit.values.get(key, 0) < 0 or self.lexical.name_coverage(rest, key, hit) < 1.0:
            return None
        if any(t not in self.lexical.name_vocab.get(key, ()) for t in hit.letters):
            return None  # a letter other parts are named by ("Pico 2 W"): perhaps another version
        package = getattr(self.library[key], "package", None)
        if hit.packages and package and compact(package) not in hit.packages:
            return None  # named beside another package ("TO-92 3.3V LDO"): the stated fact decides among siblings
        return key

    def resolve(self, name: str) -> Match | None:
        """The canonical part for a name (key, alias, part number, description), or None if unknown."""
        if name in self.library:
            rec = self.library[name]
            return Match(rec.key, 1.0, rec.name)
        res = self.search(name, k=1)
        return res.best

    def explain(self, query: str) -> dict:
        """The evidence behind a search (for debugging and calibration)."""
        res = self.search(query, k=5)
        hit = self.lexical.match(query)
        return {
            "result": res.as_dict(),
            "features": res.features.as_dict() if res.features else None,
            "lexical": {
                "exact": hit.exact,
                "part_number": hit.part_number,
                "fuzzy": dict(sorted(hit.fuzzy.items(), key=lambda kv: -kv[1])[:5]),
                "unknown_part_numbers": hit.unknown_part_numbers,
                "unknown_words": hit.unknown_words,
                "content": hit.content,
            },
        }


def _only_takes_power(rec) -> bool:
    """A part whose pins only take a supply (power in, ground, no-connects): what it does is be powered."""
    return any(p.type == "power_in" for p in rec.pins) and all(p.type in ("power_in", "ground", "nc") for p in rec.pins)


def _row_slugs(library: Library, idx) -> list[tuple[str, ...]]:
    """The capability slugs each indexed text speaks for: a capability text its own, any other text (a name, an
    alias, a description, a use) every slug of its record."""
    out = []
    for key, fld, text in zip(idx.keys, idx.fields, idx.texts):
        caps = getattr(library[key], "provides", None) or []
        own = tuple(c.capability for c in caps if c.description == text) if fld == "capability" else ()
        out.append(own or tuple(dict.fromkeys(c.capability for c in caps)))
    return out
