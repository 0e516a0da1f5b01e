"""The thing a request acts on or measures, and the part that does the acting.

A request names the thing it works on as often as the part it wants: it switches a strip of LEDs from a pin, turns
a motor both ways, reads the current a panel gives or how hard a pump shakes. The thing worked on is a load (a strip,
a motor, a pump, a bulb) or a source (a panel, a battery), and its record matches the request's words best: its name
is in them. The part wanted is what switches, drives or measures it.

Which is which is read from typed record data and by meaning, never from the request's wording:

- a *load* is a part that does its work when power is put across it: an acting capability, a rated current drawn
  at a rated voltage, and no pin that takes a signal or switches something else (no signal input, no contacts, no
  gate or base): a strip, a motor, a pump, a bulb, a coil. A *source* is a power source (``source_kind``): it is
  measured, not switched;
- an *actor* on a load is a part with a switched or driven path typed in its ratings (a transistor's collector or
  drain current, a driver's output current, a relay's contact pins) and an acting capability; every part that
  senses can measure something of a load or a source;
- the request's reading: when the part ranked first is a load or source and the request names it, the request is
  read twice by meaning against the capability texts: whole, and without the words that name that part (the
  action done to it: "[switch] ... [with PWM from a 3.3 V pin]"); where another load is named by name and the first
  is its sibling by meaning (a fan named, a motor first), both names' words are what the request names. Where both readings fit an actor's capability
  better than the named part's own, the named part is what the wanted part works on: it ranks down (with every
  other load and source: the part wanted works on them) and the actors rank up by how well they fit. So does a
  load named as the object of the opening verb when that verb is none of its own capabilities' verbs ("dim [a
  strip]"), or when a board named beside it cannot run it from a pin (typed: the load's rated current and voltage
  against the board's pin current and logic level). A request that only names the part ("a 12 V strip"), or asks for what it does
  ("a motor to spin a propeller"), reads as the part's own capability and is left alone; so does one worded as a
  name (no grammar word and no verb beside the name), and the object of a verb that only says it is wanted;
- which actor can take the load is typed too: a load rated at a mains voltage (at least the lowest voltage of
  the library's mains sources) is switched only by contacts rated for it; any other by a path rated for its
  current; a driver made for windings (a motor's, a stepper's coils: its output pins' functions) only drives a
  load whose own pins are such windings. An actor that cannot take the load gains nothing;
- a load the request does not name (no record is an electric kettle or a fridge: a load's texts read nearest)
  is read by meaning alone: the whole request against the capability texts, as the action done to it. It is
  worked on where the actors fit that reading better than the load's own (by LEAD), a board named beside it
  cannot run it from a pin (typed, as above), and no word of the request is one of the load's own verbs (then the
  load does what is asked: it is wanted); or where a name of it is the object of a verb none of its own. The
  verb may follow one that only says something is wanted or let happen ("let the uno [switch] ..."). A source
  is not run from a pin and is read only where named;
- a reading asked of it: where the request's structure asks how much of something there is, or opens with a verb
  the library's sensing capabilities open with, and the action alone reads best, of all the library's
  capabilities, as a measuring part's ("how warm ... gets"), the measuring parts rank up and the parts that only
  act (the named one among them) down.

``ActedOn.of_index`` reads the records once; ``ActedOn.adjust`` gives a score change per part for one request (the
retriever adds it to its fused scores). The only cost per request is one more vector, and only where the first
part is a load or source that the request names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

from knowledge.lexical import (_DETERMINERS, _POSSESSIVES, FILLER, GRAMMAR_WORDS, _does_verb, _object_positions, asks_degree,
                               capability_verbs, grammar_words, is_value, opening_verb, stem, tokens)
from knowledge.load_context import _gate_need, stated_amounts
from knowledge.verbs import base_forms, can_be_verb

__all__ = ["ActedOn", "Reading"]

# the whole request and the request without the named part's words, each read against the capability texts: the
# actors' best fit beats the named part's own by this much summed over both readings (fitted on the calibration
# split of the retrieval benchmark) ...
LEAD = 0.20
# ... and the action alone reads as an actor's capability at least this well (a request whose rest says little,
# "a 12 V strip", reads as nothing in particular)
FLOOR = 0.25
# ... or the action alone reads best, of all capabilities, as a measuring part's, at least this well
SENSED = 0.45
DOWN = 0.50   # every load and source, the named one among them, when the request acts on one or measures it
UP = 1.00     # per unit of an actor's fit above the named part's own (both readings averaged)
# the words naming what a request works on read as a kind of mains load (knowledge.load_kinds) at least this well,
# and this much nearer it than any load record's name; then the switches whose contacts are rated for mains gain
KIND = 0.45
KIND_LEAD = 0.0
# the words naming what a request works on read as a load record's name at least this well: it is that load (with a
# voltage stated on it: an electric load; without, its words must read as the load's name more closely)
LOAD_READ = 0.40
LOAD_NAMED = 0.55
SWITCHED = 0.30
# pins that switch something else, or take a signal: a part with one is no plain load
_SWITCHING = frozenset({"contact_common", "contact_no", "contact_nc", "gate", "base", "drain", "collector"})
_SIGNAL_IN = frozenset({"digital_in", "analog_in", "bidirectional", "i2c", "spi", "uart"})
_IO = frozenset({"digital_io", "digital_out"})  # a board's pins that drive something
_TOLERANCE = 1.05  # a rated voltage within 5 % of a logic level runs from it
BOARD_WORD = 0.75  # a word names boards where this share of the parts whose names carry it are boards
# ratings that type a switched or driven path
_PATH = ("id_max", "ic_max", "i_out_max")


def acting_verb(query: str, toks: Sequence[str]) -> tuple[str | None, set[int]]:
    """The verb a request acts with and the positions of its object: the opening verb ("dim [a strip] ..."), or,
    where the request opens with a verb that only says something is wanted or let happen, or with no verb ("let
    the nano switch [a strip]", "I want the esp32 to power [the lamp]"), the first later word that is a verb's base
    form and takes an object (an article or a possessive after it). (None, empty) when there is none."""
    verb = opening_verb(query)
    if verb is not None and verb not in FILLER:
        return verb, _object_positions(list(toks))
    for i in range(1, len(toks) - 1):
        t = toks[i]
        if t in FILLER or t in GRAMMAR_WORDS or t in _DETERMINERS or not can_be_verb(t):
            continue
        if toks[i + 1] in _DETERMINERS or toks[i + 1] in _POSSESSIVES:
            return stem(t), {i + j for j in _object_positions(list(toks[i:]))}
    return None, set()


# the adverbs that join a verb before its object ("switch off [the fan]", "power up [the heater]"): grammar
_PARTICLES = frozenset("on off up down out".split())


def _verb_objects(query: str, toks: Sequence[str]) -> Iterable[tuple[str, set[int]]]:
    """Every verb of a request that takes an object, and the positions of that object, in order: the acting verb's
    (``acting_verb``), then each later word that can be a verb and takes an object (an article or a possessive after
    it, or after a particle)."""
    verb, objects = acting_verb(query, toks)
    if objects and toks[min(objects)] in _RELATIVE:
        objects = set()
    if verb is not None and objects:
        yield verb, objects
    for i in range(len(toks) - 1):
        t = toks[i]
        if t in FILLER or t in GRAMMAR_WORDS or t in _DETERMINERS or not can_be_verb(t):
            continue
        j = i + 2 if toks[i + 1] in _PARTICLES and i + 2 < len(toks) else i + 1
        if (toks[j] in _DETERMINERS and toks[j] not in _RELATIVE) or toks[j] in _POSSESSIVES:
            found = {j + k - 1 for k in _object_positions(["_"] + list(toks[j:]))}
            if found and found != objects:
                yield stem(t), found


def _owner(found: set[int], toks: Sequence[str], acting: bool = True) -> set[int]:
    """What an object belongs to where it is something of another thing ("[the speed] of [a 12 v fan]", "[a 12 v
    strip]'s brightness"): the other thing, which the verb works on through it (the one after "of" only where the
    verb is one capabilities act with: "watch the vibration of a pump" reads it); else the object as found."""
    if not found:
        return found
    end = max(found) + 1
    if (acting and end + 1 < len(toks) and toks[end] == "of"
            and (toks[end + 1] in _DETERMINERS or toks[end + 1] in _POSSESSIVES)):
        return {end + k for k in _object_positions(["_"] + list(toks[end + 1:]))} or found
    where = sorted(found)
    cut = next((i for i in where if toks[i] == "s" and i > where[0]), None)  # a possessive 's
    return {i for i in where if i < cut} if cut is not None else found


_RELATIVE = frozenset({"that"})  # a determiner that also opens a relative clause ("a board that plugs ..."): no object
_P_TYPE = frozenset({"pmos", "pnp"})  # transistor models of the P type (knowledge.record spice kinds)
_NAME_FIELDS = frozenset({"key", "name", "alias", "description"})  # the texts that say what a part is
_WINDINGS = frozenset({"motor", "coil"})  # pins that are a winding's ends (a load's) or drive one (a driver's)
_CONTACTS = frozenset({"contact_common", "contact_no"})


def path_facts(rec) -> tuple[float, float, frozenset[str]]:
    """A part's switched or driven path, typed: the current it carries (A; its transistor's, driver's or contacts'
    rating, nan where none is typed), the voltage its contacts are rated for (V; 0 where it has none: only
    contacts switch alternating mains), and the windings its outputs are made to drive (a motor driver's outputs
    are a motor's, a stepper driver's a coil's; empty for a plain switch)."""
    r = rec.ratings
    amps = [float(getattr(r, f)) for f in _PATH if r is not None and getattr(r, f, None)]
    contact_volts = 0.0
    windings: set[str] = set()
    for p in _pins(rec):
        funcs = set(p.functions or ())
        if funcs & _CONTACTS:
            if p.i_max:
                amps.append(float(p.i_max))
            contact_volts = max(contact_volts, float(p.v_max or 0.0))
        if funcs & _WINDINGS and p.i_max and str(p.type) != "power_in":
            windings |= funcs & _WINDINGS
    return (max(amps) if amps else float("nan")), contact_volts, frozenset(windings)


def _pins(rec):
    return getattr(rec, "pins", None) or []


def is_load(rec) -> bool:
    """A part that works when power is put across it: it acts, draws a rated current at a rated voltage, and
    switches nothing and takes no signal."""
    caps = getattr(rec, "provides", None) or []
    r = rec.ratings
    if not any(c.direction == "act" for c in caps) or r is None:
        return False
    if getattr(r, "i_rated", None) is None or getattr(r, "v_rated", None) is None:
        return False
    for p in _pins(rec):
        if set(p.functions or ()) & _SWITCHING or str(p.type) in _SIGNAL_IN:
            return False
    return True


def is_source(rec) -> bool:
    return bool(getattr(rec, "source_kind", None))


def drives(rec) -> bool:
    """A part with a switched or driven path typed in its record: a transistor's, a driver's, a relay's contacts."""
    r = rec.ratings
    if r is not None and any(getattr(r, f, None) for f in _PATH):
        return True
    return any(set(p.functions or ()) & {"contact_common", "contact_no"} for p in _pins(rec))


@dataclass(frozen=True)
class Reading:
    """How one request reads: the named part ranked first (``named``), the actors' best fit over its own."""
    named: str
    lead: float
    action_fit: float
    acted: bool
    sensed: bool = False  # the action reads as measuring something of the named part


class ActedOn:
    def __init__(self, part_keys: Sequence[str], loads: np.ndarray, sources: np.ndarray, row_part: np.ndarray,
                 own_rows: np.ndarray, load_actor_rows: np.ndarray, source_actor_rows: np.ndarray,
                 name_vocab: Mapping[str, set[str]], heads: Mapping[str, set[str]],
                 verb_directions: Mapping[str, set[str]], does: Mapping[str, set[str]],
                 draw: Sequence[tuple[float, float]], pin_current: Mapping[str, float],
                 logic_level: Mapping[str, float], paths: Sequence[tuple[float, float, frozenset[str]]] = (),
                 windings: Sequence[frozenset[str]] = (), mains: float = float("inf"),
                 load_name_rows: np.ndarray | None = None, polarized: np.ndarray | None = None,
                 gate_need: np.ndarray | None = None, switch_volts: np.ndarray | None = None,
                 high_side: np.ndarray | None = None, motors: np.ndarray | None = None,
                 measuring_verbs: frozenset[str] = frozenset()):
        self.part_keys = list(part_keys)
        self.loads = loads              # per part: a load
        self.sources = sources          # per part: a source
        self.row_part = row_part        # per indexed text: its part's position
        self.own_rows = own_rows        # per indexed text: a capability text (any part's own)
        self.load_actor_rows = load_actor_rows      # capability texts of parts that act on loads
        self.source_actor_rows = source_actor_rows  # capability texts of parts that measure (loads or sources)
        self.name_vocab = name_vocab
        self.verb_directions = verb_directions  # verb -> the directions of the capabilities opening with it
        self.does = does                        # key -> the verbs its capabilities do
        self.draw = draw                        # per part: (rated current A, rated voltage V), nan where untyped
        self.pin_current = pin_current          # board key -> the current its I/O pins give, A
        self.logic_level = logic_level          # board key -> its logic level, V
        n = len(self.part_keys)
        paths = list(paths) or [(float("nan"), 0.0, frozenset())] * n
        self.path_amps = np.asarray([p[0] for p in paths], dtype=float)      # per part: its path's current, A
        self.contact_volts = np.asarray([p[1] for p in paths], dtype=float)  # per part: its contacts' voltage, V
        self.drives_windings = [p[2] for p in paths]     # per part: the windings its outputs drive
        self.windings = list(windings) or [frozenset()] * n  # per part: the windings its own pins are the ends of
        self.mains = mains  # the lowest voltage of the library's mains sources (typed source_kind mains), V
        # per part: the logic level its gate needs to switch its load fully on, V (nan: no gate; knowledge.load_context)
        self.gate_need = np.full(n, np.nan) if gate_need is None else gate_need
        # per part: the voltage a transistor's switched path withstands, V (0: none)
        self.switch_volts = np.zeros(n) if switch_volts is None else switch_volts
        # per part: a P-type transistor (typed by its model): it switches the load's supply side, its control input
        # swung against that supply, so a pin below the load's voltage cannot turn it off
        self.high_side = np.zeros(n, dtype=bool) if high_side is None else high_side
        # the verbs only measuring parts' capabilities open with ("measure", "monitor"), none an actor's: their object
        # is read, not switched
        self.measuring_verbs = measuring_verbs
        # per part: a motor a driver runs (typed ``actuator``: a brushed motor, a stepper), which way and how is asked
        self.motors = np.zeros(n, dtype=bool) if motors is None else motors
        # per part: typed polarised (runs one way only)
        self.polarized = np.zeros(n, dtype=bool) if polarized is None else polarized
        # per indexed text: a load's name, alias or description (what the words naming a load read nearest)
        self.load_name_rows = (np.zeros(len(row_part), dtype=bool) if load_name_rows is None else load_name_rows)
        # per part: it acts and senses nothing (no reading of a load comes from it)
        acts = np.bincount(row_part[load_actor_rows & ~source_actor_rows], minlength=len(self.part_keys)) > 0
        senses = np.bincount(row_part[source_actor_rows], minlength=len(self.part_keys)) > 0
        self.only_acts = (acts | loads) & ~senses
        self.senses = senses  # per part: a capability of it measures something
        self._pos = {k: i for i, k in enumerate(self.part_keys)}
        # per part: a switched or driven path typed in its record (a transistor's, a driver's, contacts), no load
        self.actors = np.asarray([not l and (a == a or c > 0) for l, a, c in zip(loads, self.path_amps,
                                                                                self.contact_volts)], dtype=bool)
        self.boards = np.asarray([k in pin_current or k in logic_level for k in self.part_keys], dtype=bool)
        # the words of boards' names that name boards and little else (at least BOARD_WORD of the parts whose names
        # carry them: "arduino", "esp32"; not "board", "mini")
        named_by: dict[str, set[int]] = {}
        for k, words in name_vocab.items():
            if k in self._pos:
                for w in words:
                    named_by.setdefault(w, set()).add(self._pos[k])
        self.board_words = frozenset(w for w, ps in named_by.items()
                                     if sum(self.boards[p] for p in ps) >= BOARD_WORD * len(ps)
                                     and not is_value(w) and w not in FILLER and w not in GRAMMAR_WORDS)
        self.below_mains = ~(np.asarray([d[1] for d in self.draw], dtype=float) >= mains)  # (nan: untyped)
        self.heads: dict[str, set[str]] = {}  # key -> the noun its name ends in (stemmed)
        for head, keys in heads.items():
            for k in keys:
                self.heads.setdefault(k, set()).add(head)

    @classmethod
    def of_index(cls, library, part_keys: Sequence[str], idx_keys: Sequence[str], idx_fields: Sequence[str],
                 idx_ids: Sequence[str], name_vocab: Mapping[str, set[str]],
                 heads: Mapping[str, set[str]], verb_directions: Mapping[str, set[str]],
                 does: Mapping[str, set[str]]) -> "ActedOn":
        pos = {k: i for i, k in enumerate(part_keys)}
        recs = [library[k] for k in part_keys]
        loads = np.asarray([is_load(r) for r in recs], dtype=bool)
        sources = np.asarray([is_source(r) for r in recs], dtype=bool)
        actors = np.asarray([drives(r) and not l for r, l in zip(recs, loads)], dtype=bool)
        row_part = np.asarray([pos[k] for k in idx_keys], dtype=np.intp)
        own = np.asarray([f == "capability" for f in idx_fields], dtype=bool)
        act_rows = np.zeros(len(idx_keys), dtype=bool)
        sense_rows = np.zeros(len(idx_keys), dtype=bool)
        acting: set[str] = set()  # the verbs the actors' capabilities open with, and the measuring parts' ones
        measuring: set[str] = set()
        for row, (key, fld, doc_id) in enumerate(zip(idx_keys, idx_fields, idx_ids)):
            if fld != "capability":
                continue
            caps = getattr(library[key], "provides", None) or []
            n = int(doc_id.rsplit("|", 1)[-1])
            if n >= len(caps):
                continue
            p = pos[key]
            if caps[n].direction == "act" and actors[p]:
                act_rows[row] = True
                acting.add(opening_verb(caps[n].description) or "")
            elif (caps[n].direction == "sense" and caps[n].person != "operates" and not loads[p]
                  and not sources[p]):  # (a switch or a button a person works measures nothing)
                sense_rows[row] = True
                measuring.add(opening_verb(caps[n].description) or "")
        draw = [(float(getattr(r.ratings, "i_rated", None) or np.nan),
                 float(getattr(r.ratings, "v_rated", None) or np.nan)) if r.ratings is not None else (np.nan, np.nan)
                for r in recs]
        pin_current: dict[str, float] = {}
        logic_level: dict[str, float] = {}
        for r in recs:
            if not getattr(r, "is_mcu", False):
                continue
            io = [p.i_max for p in _pins(r) if p.i_max and str(p.type) in _IO]
            if io:
                pin_current[r.key] = max(io)
            if r.supply is not None and r.supply.logic_level:
                logic_level[r.key] = float(r.supply.logic_level)
        paths = [path_facts(r) for r in recs]
        windings = [frozenset(f for p in _pins(r) for f in (p.functions or ()) if f in _WINDINGS) for r in recs]
        mains = [float(r.supply.v_min) for r in recs
                 if getattr(r, "source_kind", None) == "mains" and r.supply is not None and r.supply.v_min]
        load_names = np.asarray([loads[pos[k]] and f in _NAME_FIELDS for k, f in zip(idx_keys, idx_fields)],
                                dtype=bool)
        return cls(part_keys, loads, sources, row_part, own, act_rows | sense_rows, sense_rows, name_vocab, heads,
                   verb_directions, does, draw, pin_current, logic_level, paths, windings,
                   min(mains) if mains else float("inf"), load_names,
                   np.asarray([bool(r.flags is not None and r.flags.polarized) for r in recs], dtype=bool),
                   np.asarray([np.nan if (g := _gate_need(r)) is None else g for r in recs], dtype=float),
                   np.asarray([float((r.ratings.vds_max or r.ratings.vce_max or 0.0) if r.ratings is not None else 0.0)
                               for r in recs], dtype=float),
                   np.asarray([getattr(r.spice, "kind", None) in _P_TYPE for r in recs], dtype=bool),
                   np.asarray([bool(getattr(r, "actuator", None)) for r in recs], dtype=bool),
                   frozenset(measuring - acting - {""}))

    def candidate(self, top: int, query: str, named: Iterable[str] = ()) -> str | None:
        """The request's words without those naming the first part, when that part is a load or source the
        request names (else None: nothing to read): by the noun its name ends in, or by a name of it written out
        (``named``: the parts whose names the lexical match found in the request)."""
        if not (self.loads[top] or self.sources[top]):
            return None
        key = self.part_keys[top]
        vocab = set(self.name_vocab.get(key, set()))
        heads = set(self.heads.get(key, set()))
        toks = tokens(query)
        if not self.names(top, query, named):
            # another load named by name, the first only its sibling by meaning ("a 12 v fan" named, a motor first):
            # the named one is what is worked on, and both names' words are what the request names
            others = [k for k in named if k in self._pos and self.loads[self._pos[k]]]
            if not self.loads[top] or not others:
                return None
            for k in others:
                vocab |= self.name_vocab.get(k, set())
                heads |= self.heads.get(k, set())
        names = [t in vocab or stem(t) in vocab for t in toks]  # (the names' words are kept as stems too)
        if self.opens_with(top, toks, names, heads):
            return None
        rest = [t for t, n in zip(toks, names) if not n or t in GRAMMAR_WORDS]
        if not any(t not in GRAMMAR_WORDS and t not in _DETERMINERS and not is_value(t) for t in rest):
            return None  # the request is the part's name and its values
        if not grammar_words(query) and not any(base_forms(t) for t in rest if t not in _DETERMINERS):
            return None  # worded as a name ("cheap geared stepper"): no action is done to anything
        verb = opening_verb(query)
        if verb in FILLER and any(names[i] for i in _object_positions(toks)):
            return None  # the object of a verb that only says it is wanted ("use a coin cell to ..."): the part itself
        return " ".join(rest)

    def names(self, top: int, query: str, named: Iterable[str] = ()) -> bool:
        """Whether the request names the part: by the noun its name ends in, or by a name of it written out."""
        key = self.part_keys[top]
        return key in set(named) or bool(self.heads.get(key, set()) & {stem(t) for t in tokens(query)})

    def unnamed(self, top: int, query: str, named: Iterable[str] = ()) -> bool:
        """Whether the first part is a load the request does not name but reads as by meaning ("the
        electric blanket", "the fridge in the garage": no record is one, a load's texts are nearest), in a request
        worded as a sentence (grammar words): the whole request is then read against the capability texts as the
        action done to it, and only the reading decides (no name of it is the object of a verb)."""
        if not self.loads[top] or self.names(top, query, named):
            return False  # (a source is not run from a pin: it is read only where the request names it)
        return bool(grammar_words(query))

    def opens_with(self, top: int, toks: Sequence[str], names: Sequence[bool],
                   heads: set[str] | None = None) -> bool:
        """Whether the request opens with the part's name, up to the noun it ends in, with nothing but articles,
        numbers and their units before or between ("a 12 volt pump to ...", "vibration motor for ..."): the part is
        the head of the request, what it asks for, and the rest says what it is for."""
        heads = self.heads.get(self.part_keys[top], set()) if heads is None else heads
        for i, (t, named) in enumerate(zip(toks, names)):
            if named and stem(t) in heads:
                return True
            if named or t in _DETERMINERS or is_value(t) or (i and is_value(toks[i - 1])):
                continue  # its name's other words, an article, a number, or the unit after a number
            return False
        return False

    def worked_on(self, top: int, query: str, boards: Iterable[str] = ()) -> bool:
        """Whether the named load is the object of the request's opening verb ("dim [a 24 V strip] ...") and that
        verb is none of the load's own capabilities' verbs (a strip lights, it does not dim itself), or a board the
        request names cannot run the load from a pin: the load's rated current is above the board's pin current, or
        its rated voltage above the board's logic level ("spin [a dc motor] ... from an esp32")."""
        if not self.loads[top]:
            return False
        toks = tokens(query)
        verb, objects = acting_verb(query, toks)
        if verb is None:
            return False
        key = self.part_keys[top]
        vocab = self.name_vocab.get(key, set())
        if not any(toks[i] in vocab or stem(toks[i]) in vocab for i in objects):
            return False
        if not _does_verb(verb, self.does.get(key, set())):
            return True
        return self.beyond_pins(top, boards)

    def says_own_verb(self, top: int, query: str) -> bool:
        """Whether a word of the request is a verb of the part's own capabilities ("pump", "blow", "light")."""
        does = self.does.get(self.part_keys[top], set())
        return any(_does_verb(v, does) for t in tokens(query) for v in base_forms(t) | {stem(t)})

    def beyond_pins(self, top: int, boards: Iterable[str] = ()) -> bool:
        """Whether a board named cannot run the part from a pin: its rated current is above the board's pin
        current, or its rated voltage above the board's logic level."""
        draw, volts = self.draw[top]
        return any(draw > self.pin_current.get(b, np.inf) or volts > self.logic_level.get(b, np.inf) * _TOLERANCE
                   for b in boards)

    def asks_reading(self, query: str) -> bool:
        """Whether a request's structure asks for a reading: how much of something there is ("how warm ..."), or
        an opening verb that the library's sensing capabilities open with (their records' own verbs)."""
        verb = opening_verb(query)
        return asks_degree(query) or (verb is not None and "sense" in self.verb_directions.get(verb, set()))

    def read(self, top: int, sims: np.ndarray, rest_sims: np.ndarray, query: str = "",
             boards: Iterable[str] = (), named: bool = True) -> Reading:
        actor_rows = self.source_actor_rows if self.sources[top] else self.load_actor_rows
        own = self.own_rows & (self.row_part == top)
        if not own.any() or not actor_rows.any():
            return Reading(self.part_keys[top], 0.0, 0.0, False)
        lead = (float(sims[actor_rows].max()) - float(sims[own].max())
                + float(rest_sims[actor_rows].max()) - float(rest_sims[own].max()))
        fit = float(rest_sims[actor_rows].max())
        # the action alone reads best, of every capability in the library, as measuring something (the load or
        # source senses nothing): what is asked is a reading of it ("how warm the X runs")
        caps = np.flatnonzero(self.own_rows)
        best = int(caps[np.argmax(rest_sims[caps])])
        # (only of a part the request names: a reading asked of an unnamed one is what the ranking already read)
        sensed = (named and bool(self.source_actor_rows[best]) and float(rest_sims[best]) >= SENSED
                  and self.asks_reading(query))
        if named:
            acted = (lead >= LEAD or self.worked_on(top, query, boards)) and fit >= FLOOR
        else:  # read by meaning alone: a board named beside it that cannot run it from a pin says it is worked on
            # and no word of the request is a verb of the part's own (it would do what is asked: it is wanted)
            # (or a name of it is the object of a verb none of its own: "power [the desk lamp]", as for a named one)
            acted = fit >= FLOOR and ((lead >= LEAD and self.beyond_pins(top, boards)
                                       and not self.says_own_verb(top, query))
                                      or self.worked_on(top, query, boards))
        return Reading(self.part_keys[top], lead, fit, acted or sensed, sensed)

    def switched_object(self, query: str) -> tuple[str, str, list[float]] | None:
        """The verb a request acts with and the words naming what it works on ("turn [the 240 V immersion heater] on
        ...", "let a script stop [the toaster]", "have the nano switch off [the fan]"), without articles,
        possessives, particles and values, and the voltages stated in them: the first object that is no board's name
        (a board named is what does the switching: "let [the nano] ..."). None where the request has none, asks
        how much of something there is, or its verb is one only measuring parts' capabilities open with
        ("monitor": a reading, not a load). Where an acting verb sets a quantity of a thing, the thing is the
        object ("control the speed of [a fan]")."""
        if asks_degree(query):
            return None
        toks = tokens(query)
        for verb, where in _verb_objects(query, toks):
            if verb in self.measuring_verbs:
                return None  # it is read ("monitor [the pump]"): no load is switched
            # what a quantity set belongs to ("control [the speed] of [a fan]", "[a strip]'s brightness")
            where = _owner(where, toks, "act" in self.verb_directions.get(verb, ()))
            where = sorted(where)
            words = [toks[i] for i in where if not is_value(toks[i]) and not (i and is_value(toks[i - 1]))
                     and toks[i] not in _DETERMINERS and toks[i] not in _POSSESSIVES and toks[i] not in _PARTICLES]
            if words and not self.board_named(words):
                return verb, " ".join(words), stated_amounts(" ".join(toks[i] for i in where), "V")
        return None

    def stated_level(self, query: str, load_volts: Sequence[float], boards: Iterable[str] = ()) -> float | None:
        """The logic level a request's switch is driven at: the lowest of the boards' it names (or of those a word of
        it names together: "an arduino"), else a voltage it states beside the load's (not on it) that is a logic
        level of the library's boards ("... from a 3.3 volt gpio"). None where it gives neither."""
        levels = [self.logic_level[b] for b in boards if b in self.logic_level]
        if not levels:  # a word that names boards but no one of them ("an arduino"): the lowest of their levels
            levels = [self.logic_level[b] for t in tokens(query) if t in self.board_words
                      for b in self.board_named([t]) if b in self.logic_level]
        if levels:
            return min(levels)
        known = set(self.logic_level.values())
        stated = [v for v in stated_amounts(query, "V") if v not in load_volts
                  and any(abs(v - k) <= k * (_TOLERANCE - 1) for k in known)]
        return min(stated) if stated else None

    def board_named(self, words: Sequence[str]) -> set[str]:
        """The boards (parts whose pins drive things) every one of whose words names."""
        return {b for b in self.pin_current.keys() | self.logic_level.keys()
                if all(w in self.name_vocab.get(b, ()) or stem(w) in self.name_vocab.get(b, ()) for w in words)}

    def mains_load(self, volts: Sequence[float], kind_cos: float, kind_mains: bool, object_sims: np.ndarray) -> bool:
        """Whether what a request works on runs on mains: a voltage stated on it is a mains voltage (at least the
        lowest of the library's mains sources), or, with none stated, its words read as a kind of mains load
        (``knowledge.load_kinds``: a toaster, a floor lamp) by ``KIND`` and nearer it than any load record's name by
        ``KIND_LEAD`` (a record rated at mains, the AC outlet's appliance end, is one of them already)."""
        if volts:
            return max(volts) * _TOLERANCE >= self.mains
        return kind_mains and self.kind_read(kind_cos, object_sims)

    def kind_read(self, kind_cos: float, object_sims: np.ndarray) -> bool:
        """Whether the words naming what a request works on read as a kind of load (``knowledge.load_kinds``) by
        ``KIND``, and nearer it than any load record's name below mains by ``KIND_LEAD``."""
        rows = np.flatnonzero(self.load_name_rows & self.below_mains[self.row_part])
        lib = float(object_sims[rows].max()) if len(rows) else -1.0
        return kind_cos >= KIND and kind_cos - lib >= KIND_LEAD

    def load_read(self, object_sims: np.ndarray, rated: bool = False) -> int | None:
        """The load record whose name (or alias, or description) the words naming what a request works on read
        nearest, at least as well as ``LOAD_READ`` where a voltage is stated on the thing (``rated``: it is an
        electric load, "a 12 V door strike"), ``LOAD_NAMED`` else; None below that."""
        rows = np.flatnonzero(self.load_name_rows)
        if not len(rows):
            return None
        best = int(rows[np.argmax(object_sims[rows])])
        return int(self.row_part[best]) if float(object_sims[best]) >= (LOAD_READ if rated else LOAD_NAMED) else None

    def mains_switch(self, volts: Sequence[float]) -> np.ndarray:
        """Score change per part where a request works on a mains load: the parts whose contacts are rated for its
        voltage (alternating current: only contacts switch it) up and a switched path not rated for it (a transistor's,
        a driver's, a regulator's, low-voltage contacts) down as much; every part with no switched path that senses
        nothing down (a timer: the switch is wanted; a sensor may read what sets it off, "at dusk"), so every load and
        source (what is wanted is neither: the
        appliance's own record, the wall's), and every board (what drives the switch, not it)."""
        need = max([self.mains, *volts])
        out = np.zeros(len(self.part_keys), dtype=np.float32)
        rated = self.contact_volts * _TOLERANCE >= need
        out[rated] += SWITCHED
        out[self.actors & ~rated] -= SWITCHED
        out[(~self.actors & ~self.senses) | self.loads | self.sources | self.boards] -= DOWN
        return out

    def dc_switch(self, load: int, verb: str, volts: Sequence[float], level: float | None,
                  boards: Iterable[str] = ()) -> np.ndarray | None:
        """Score change per part where a request works on a load it names (or reads as, by meaning: ``load``) from a
        board's pin that cannot run it (its rated voltage, or the one stated on it, above the logic level; or its
        current above the pins' of the boards named): the switches whose gate that logic level turns fully on and
        whose path takes the load's current and voltage up (no P-type one where the load's supply is above the
        level: the pin cannot swing its gate to that supply), every part with no switched or driven path down
        (loads, sources, boards, lights: the switch is wanted), the load read twice as much. None where it does
        not apply: no logic level given, a load at a voltage the level reaches, one at a mains voltage (contacts
        switch it: ``mains_switch``), a motor a driver runs both ways (typed ``actuator``, not polarised: a brushed
        motor, a stepper: which way and how is the capability's reading, ``adjust``), or a verb that is one of the load's own with no
        board named (then the load does what is asked: "light a 12 V bulb" asks for the bulb)."""
        if level is None or (self.motors[load] and not self.polarized[load]):
            return None
        amps, rated = self.draw[load]
        v = max(volts) if volts else rated
        if not level * _TOLERANCE < v < self.mains:
            return None
        boards = [b for b in boards if b in self.logic_level or b in self.pin_current]
        if not boards and _does_verb(verb, self.does.get(self.part_keys[load], set())):
            return None
        out = self._pin_switch(amps, v, level)
        out[load] -= DOWN  # (and the load read again: its name is the request's words, what is worked on)
        return out

    def kind_switch(self, volts: Sequence[float], level: float | None) -> np.ndarray | None:
        """Score change per part where what a request works on is a kind of load no record is (a heating pad, a
        blower: ``knowledge.load_kinds``), run at a voltage stated on it that is below mains and above the logic
        level of the board that drives it: the switches whose gate that level turns fully on and whose path takes
        that voltage up (its current is not known: none is ruled out by it), every part with no switched path down.
        None where no level is given or the stated voltage is one the level reaches or a mains voltage."""
        if level is None or not volts:
            return None
        v = max(volts)
        if not level * _TOLERANCE < v < self.mains:
            return None
        return self._pin_switch(float("nan"), v, level)

    def _pin_switch(self, amps: float, v: float, level: float) -> np.ndarray:
        """The switches a pin at ``level`` turns fully on, for a load drawing ``amps`` (nan: not known) at ``v``, up;
        every part with no switched or driven path down."""
        with np.errstate(invalid="ignore"):
            fit = ((self.gate_need <= level * _TOLERANCE) & ~(self.path_amps * _TOLERANCE < amps)
                   & (self.switch_volts * _TOLERANCE >= v) & ~(self.high_side & (v > level * _TOLERANCE)))
        out = np.zeros(len(self.part_keys), dtype=np.float32)
        out[fit] += SWITCHED
        out[~self.actors] -= DOWN  # what is wanted switches the load: a part with no switched path is not it
        return out

    def fits_load(self, top: int) -> np.ndarray:
        """Per part: whether its typed path can take the load: a load rated at a mains voltage (typed: at least the
        lowest of the library's mains sources) is alternating current, switched only by contacts rated for that
        voltage; any other load by a path rated for its current (unknown ratings pass); and a driver made for
        windings (a motor's, a stepper's coils) drives only a load whose pins are all those kinds of winding (a
        bipolar stepper driver's outputs are a motor's coils: no plain coil, no brushed motor), and not one typed
        polarised (a fan's or a pump's electronics run one way only: reversing them is no use, a plain switch is
        what runs it, at whatever speed)."""
        amps, volts = self.draw[top]
        if volts >= self.mains:
            ok = self.contact_volts * _TOLERANCE >= volts
        else:
            with np.errstate(invalid="ignore"):
                ok = ~(self.path_amps * _TOLERANCE < amps)
        own = self.windings[top]
        ok &= np.asarray([w <= own for w in self.drives_windings], dtype=bool)  # (an empty set: a plain switch)
        if self.polarized[top]:  # it runs one way only: a driver made to reverse windings does nothing a switch won't
            ok &= np.asarray([not w for w in self.drives_windings], dtype=bool)
        return ok

    def adjust(self, top: int, query: str, sims: np.ndarray, rest_sims: np.ndarray,
               boards: Iterable[str] = (), named: bool = True) -> np.ndarray:
        """Score change per part: the loads and sources (the named part among them) down, the actors up by how
        well both readings fit their capabilities beyond the named part's own."""
        out = np.zeros(len(self.part_keys), dtype=np.float32)
        reading = self.read(top, sims, rest_sims, query, boards, named)
        if not reading.acted:
            return out
        actor_rows = self.source_actor_rows if self.sources[top] or reading.sensed else self.load_actor_rows
        own = self.own_rows & (self.row_part == top)
        rows = np.flatnonzero(actor_rows)
        if reading.sensed:  # a reading of the part: what the action alone asks of the measuring parts
            base, row_fit = float(rest_sims[own].max()), rest_sims[rows]
        else:  # both readings, averaged
            base = (float(sims[own].max()) + float(rest_sims[own].max())) / 2
            row_fit = (sims[rows] + rest_sims[rows]) / 2
        fit = np.full(len(self.part_keys), -np.inf, dtype=np.float32)
        np.maximum.at(fit, self.row_part[rows], row_fit)
        gain = np.clip(fit - base, 0.0, None)
        if not reading.sensed and self.loads[top]:
            gain[~self.fits_load(top)] = 0.0  # a part whose typed path cannot take the load acts on nothing here
            if self.polarized[top]:  # ... and one made to reverse windings, for a load that runs one way, is not wanted
                out[np.asarray([bool(w) for w in self.drives_windings], dtype=bool)] -= DOWN
        out += UP * np.where(np.isfinite(gain), gain, 0.0)
        if reading.sensed:  # a reading is asked: a part that only acts does not give it
            out[self.only_acts] -= DOWN
        # what is wanted works on a load or a source: it is neither (the named one, and none other: a supply whose
        # texts name the load it feeds is no switch for it)
        out[self.loads | self.sources] -= DOWN
        return out

