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

from agents.understand.alternatives import one_of, said_apart
from agents.understand.correlative import correlatives
from agents.understand.exclusion import excludes, verb_phrase
from agents.understand.part_context import part_readings
from agents.understand.pin_signal import names_only_a_pin_signal
from agents.understand.source_measure import measures_named_source
from agents.understand.requirements import AskedFunction, NeededFunction
from agents.understand.negation_scope import NOUN_NEGATORS, noun_phrase_end, verb_negation_start
from agents.understand.spelling import PARTICLES, compound_head
from agents.understand.vocabulary import TERMS
from circuit.quantities import find_quantities
from knowledge.library import Library
from agents.understand.who_acts import actor
from knowledge.capabilities import capability_index, person_roles
from knowledge.lexical import GRAMMAR_WORDS
from knowledge.verbs import base_forms
from agents.rules.part_search import semantic_enabled
from agents.rules.power_tree import charges, is_source
from agents.rules.text import blank_rates

FREE = 0.40
NAMED = 0.55
MARGIN = 0.06  # the best capability must stand out from the next one: a vague clause asks for nothing
SECOND_MARGIN = 0.08
CLEAR_CONDITION, CLEAR_CONDITION_MARGIN = 0.35, 0.10  # a condition read faintly but as one thing only
# the floor for a side a device implies where its name and its head noun both read it clearly (two readings agree)
AGREED = 0.35
# a clause that names parts may ask for one more function in its other words ("send soil moisture over
# LoRa"): taken when those words alone match it clearly, well above any other capability
BESIDES = 0.50
BESIDES_MARGIN = 0.10  # a second capability from one clause must score within this of the first
# a single word of a clause that names one capability clearly ("dark", "wifi", "dusk") settles what the
# clause asks for when the whole clause also matches it (two readings agree): it decides between close
# candidates ("once the shed is dark": light or motion), and it names the one of a kind the clause meant
# ("message me over wifi": the Wi-Fi link, not a text message)
WORD = 0.55
WORD_MARGIN = 0.20
# a clause joined by one of these says what the thing is for, or whose it is ("a siren for a toy fire
# engine"): context, which asks for a function only when it matches one as clearly as a part name's clause
PURPOSE = {"for"}
# the opening words, when the clause after them says what the thing has ("a fire truck toy with a siren and
# a flashing light"), name the thing being built: context too (what it has is asked for after them)
HAS = {"with"}
# the two sides of a device: what notices (inputs) and what answers (outputs)
SIDES = ({"sense"}, {"act", "communicate"})
THING_OPENERS = {"a", "an", "my", "our"}  # words that open a noun phrase: the clause names a thing
# the words a request may open with before the thing it names: who asks, or a modal asking ("I'd love a ...",
# "we want a ...", "could you make me a ..."): the speaker's wish, not what is built
SPEAKER = {"i", "we", "you", "could", "can", "would", "will", "please"}
_CONTRACTED = {"d", "m", "ll", "re", "ve", "s"}  # the rest of "I'd", "I'm", "we'll" ...
DEFINITE = {"the", "my", "our", "your", "its", "their"}  # words that open a noun phrase naming a known thing
# a word of a clause naming how the thing is powered ("rechargeable", "solar"), beside what it does
POWER_WORD = 0.45
POWER_WORD_MARGIN = 0.08
# a clause joined by one of these names the means of the clause before it ("ping me through bluetooth")
MEANS = {"via", "through", "using", "over"}
# a clause joined by one of these is the condition that sets the design off ("beep when light gets in"): it
# asks for what notices it (a sensor, an input, a timer, a link), never for an output or a supply
# ("as" opening a clause with its verb; "the moment" and "the instant" join a clause as "as soon as" does)
CONDITION = {"when", "whenever", "once", "if", "until", "as soon as", "the moment", "the instant", "as"}
NOT_A_TRIGGER = {"act", "power"}
CONTROLLER = "controller"
# a clause joined by one of these says what the thing named just before it does ("an LED that glows")
RELATIVE = {"that", "which"}
INFINITIVE = {"to"}  # "a fan to spin faster": what the thing named before is to do
# a noun phrase then a subject pronoun: the relative clause says more of the thing ("a torch I can recharge")
_THING_THEN_SUBJECT = re.compile(r"((?:a|an|my|our)\s+(?:[a-z0-9-]+\s+){0,2}[a-z0-9-]+)\s+(?=(?:i|you|we|they)\s+\w)",
                                 re.IGNORECASE)
TIME = {"after"}  # a clause joined by one of these says when ("comes on after sundown")
_END_TERMS = [t for t in TERMS if any(p.startswith("trigger:") for p in t.preferences)]

_SPLIT = re.compile(r"(?<!\d)[.,]|[.,](?!\d)|[;:!?()\[\]+&/]|\b(?:as soon as|the moment|the instant|and|when|whenever|then|so|but|while|with|plus|using|via|if|through|to|for|"
                    r"also|once|after|before|until|or|without|that|which|as(?=\s+(?:it|they|the|you|we|i|he|she|soon)\b))\b", re.IGNORECASE)
_JOINER = re.compile("(?:" + _SPLIT.pattern + r")\Z", re.IGNORECASE)
_SPLIT_KEEP = re.compile("(" + _SPLIT.pattern + ")", re.IGNORECASE)  # the joining words kept
NEGATION = re.compile(r"^\s*(?:no|not|without|never|avoid|don'?t|do not|dont|nothing|none)\b", re.IGNORECASE)
_NEG_INSIDE = re.compile(r"\b(?:no|without|avoid|don'?t use|do not use|not use)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+", re.IGNORECASE)
_OWNED = re.compile(r"\b(?:my|our|your|his|her|their)\s+((?:[a-z0-9-]+\s+){0,2}[a-z0-9-]+)", re.IGNORECASE)
_MEASURE = re.compile(r"^\d+(?:\.\d+)?[a-z]{0,3}$")
_UNITS = {"meter", "meters", "metre", "metres", "feet", "foot", "inch", "inches", "volt", "volts", "amp", "amps",
          "watt", "watts", "ohm", "ohms", "hertz", "seconds", "second", "minutes", "minute", "hours", "hour",
          "degrees", "about", "around", "roughly", "approximately", "km", "cm", "mm", "ma", "mah"}
_FILLER = {"a", "an", "the", "my", "me", "i", "it", "its", "is", "be", "of", "for", "in", "on", "at", "from", "by",
           "this", "that", "these", "those", "some", "please", "can", "you", "we", "our", "your", "want", "need",
           "like", "would", "should", "will", "do", "how", "what", "connect", "wire", "use", "build", "make",
           "design", "create", "circuit", "system", "project", "help", "there", "here"}


@dataclass
class Clause:
    text: str
    start: int
    end: int
    negated: bool = False
    names_part: bool = False
    joined_by: str = ""  # the joining word before it ("via", "when" ...), lower case
    set_off: str = ""  # the mark that sets it off from the clause before ("," in "a garden LED, glowing"; "/", "+")
    heading: bool = False  # the request's opening words before a colon: the project's title
    answers: bool = False  # the answer of a correlative comparative ("..., the faster it beeps"): what responds


@dataclass
class NeedsResult:
    needs: list[NeededFunction] = field(default_factory=list)
    asked: list[AskedFunction] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    wants_controller: bool = False
    no_controller: bool = False


_AS_PEOPLE = re.compile(r"\bas\s+(?=([a-z]+s)\s+([a-z]+)\b)", re.IGNORECASE)


# "as" then a noun phrase opened by a possessive or demonstrative, then a verb's -s form: "as my room gets hotter"
_AS_OWNED = re.compile(r"\bas\s+(?=(?:my|our|your|his|her|their|its|this|that)\s+((?:[a-z]+\s+){0,2})([a-z]+s)\b)",
                       re.IGNORECASE)


def _opens_a_clause(m: re.Match | None, subject: str, verb: str) -> bool:
    words = subject.lower().split()
    return m is not None and bool(words) and not set(words) & GRAMMAR_WORDS and verb.lower() not in GRAMMAR_WORDS \
        and bool(base_forms(verb.lower()))


def _as_clauses(pieces: list[str]) -> list[str]:
    """Pieces with an "as" that opens a clause of its own split off it: "as" before a plural subject and its
    verb ("goes off as visitors approach") or before an owned subject and its verb ("spins faster as my room
    gets hotter") joins a clause, like "as it gets dark" (``_SPLIT``)."""
    out = []
    for piece in pieces:
        m = _AS_PEOPLE.search(piece) if piece and not _JOINER.match(piece) else None
        if not _opens_a_clause(m, m.group(1) if m else "", m.group(2) if m else ""):
            m = _AS_OWNED.search(piece) if piece and not _JOINER.match(piece) else None
            if not _opens_a_clause(m, m.group(1) if m else "", m.group(2) if m else ""):
                m = None
        if m:
            out += [piece[:m.start()], piece[m.start():m.start() + 2], piece[m.end():]]
        else:
            out.append(piece)
    return out


# a parenthesis inside a noun phrase ("a square (5 V) wave"): a word before it and a word after it that
# goes on with the phrase (no joining word)
_ASIDE = re.compile(r"(?<=[A-Za-z0-9])(\s*\([^()]*\))(?=\s*[A-Za-z0-9])")


def _without_asides(text: str) -> str:
    """The text with each parenthesis said inside a noun phrase blanked (offsets kept): it describes the phrase
    around it ("a square (5 V) wave" is a square wave), and the phrase goes on after it."""
    def blank(m: re.Match) -> str:
        after = _WORD.match(text, m.end() + len(text[m.end():]) - len(text[m.end():].lstrip()))
        return m.group(0) if after and _JOINER.match(after.group(0)) else " " * len(m.group(0))
    return _ASIDE.sub(blank, text)


# where a correlative comparative clause opens inside a piece: the condition ("the nearer my bumper gets")
# is joined as "as" is; the answer after it ("the faster it beeps") is a clause of its own, joined by nothing
_CORRELATIVE_CONDITION, _CORRELATIVE_ANSWER = "\x00as", "\x00"


def _correlative_pieces(pieces: list[str], text: str) -> list[str]:
    """``pieces`` with each correlative comparative (:mod:`agents.understand.correlative`) split off the piece
    it opens in, behind a mark saying whether it is the condition."""
    starts = {c.start: c.condition for c in correlatives(text)}
    if not starts:
        return pieces
    out, pos = [], 0
    for piece in pieces:
        if not piece or _JOINER.match(piece) or piece.lower() == "as":
            out.append(piece)
            if piece:
                pos = max(pos, text.find(piece, pos) + len(piece))
            continue
        at = text.find(piece, pos)
        cuts = sorted(k - at for k in starts if at >= 0 and at <= k < at + len(piece))
        rest, done = piece, 0
        for k in cuts:
            out += [rest[:k - done], _CORRELATIVE_CONDITION if starts[at + k] else _CORRELATIVE_ANSWER]
            rest, done = rest[k - done:], k
        out.append(rest)
        pos = at + len(piece) if at >= 0 else pos
    return out


def clauses(text: str) -> list[Clause]:
    text = _without_asides(text)
    out, pos, joiner, mark, answer = [], 0, "", "", False
    for piece in _correlative_pieces(_as_clauses(_SPLIT_KEEP.split(text)), text):
        if piece is None or piece == "":
            continue
        if piece in (_CORRELATIVE_CONDITION, _CORRELATIVE_ANSWER):
            joiner, mark, answer = ("as" if piece == _CORRELATIVE_CONDITION else ""), "", piece == _CORRELATIVE_ANSWER
            continue
        if _JOINER.match(piece) or piece.lower() == "as":  # the joining word itself: remembered for the clause after it
            joiner = piece.lower() if piece[:1].isalpha() else ""
            mark = "" if piece[:1].isalpha() else piece.strip()
            if piece == ":" and len(out) == 1 and not text[:out[0].start].strip():
                out[0].heading = True
            pos = text.find(piece, pos) + len(piece)
            continue
        start = text.find(piece, pos)
        if start < 0:
            start = pos
        end = start + len(piece)
        pos = end
        if not out and not text[:start].strip(" \t\n\"'"):
            cut = _wish_length(piece)  # "I'd love a chime": the thing named is "a chime"
            start, piece = start + cut, piece[cut:]
        words = _WORD.findall(piece.lower())
        if not [w for w in words if w not in _FILLER and w not in _UNITS and not _MEASURE.match(w)] \
                or set(words) <= PARTICLES:
            continue  # "12v", "the": no words that could ask for a function; "(on and) off": the verb's particle
        prev = _WORD.findall(re.split(r"[.;:!?,()]", text[:start])[-1].lower())[-3:]  # a negation ends at a comma
        negated = bool(NEGATION.match(piece)) or bool(set(prev) & {"without", "no", "not", "avoid", "never"}) \
            or _leaves_out(piece)
        # how far the negation reaches (agents/understand/negation_scope.py): a "no"/"without" only over the
        # noun phrase after it ("without USB | from a 12 V adapter"); a negated verb inside the clause from
        # where it stands ("is | not powered by USB")
        cut = None
        if negated and (prev[-1:] and prev[-1] in NOUN_NEGATORS or _WORD.findall(piece.lower())[:1] and
                        _WORD.findall(piece.lower())[0] in NOUN_NEGATORS):
            head = re.match(r"\s*(?:no|without)\b", piece, re.IGNORECASE)
            at = (head.end() if head else 0)
            at += noun_phrase_end(piece[at:])
            if _content(piece[at:]):
                cut = (at, False)
        elif not negated and (at := verb_negation_start(piece)) is not None:
            cut = (at, True)
        if cut is not None:
            at, tail_negated = cut
            head_text, tail_text = piece[:at], piece[at:]
            if _content(head_text):
                out.append(Clause(head_text.strip(), start + len(head_text) - len(head_text.lstrip()),
                                  start + len(head_text.rstrip()), negated, joined_by=joiner, set_off=mark))
                joiner, mark = "", ""
            lead_t = len(tail_text) - len(tail_text.lstrip())
            out.append(Clause(tail_text.strip(), start + at + lead_t, end, tail_negated, joined_by=joiner,
                              set_off=mark))
            joiner, mark = "", ""
            continue
        lead = len(piece) - len(piece.lstrip())
        thing = _THING_THEN_SUBJECT.match(piece, lead)
        if thing and not negated:
            # "a torch I can recharge from a USB port": the thing, and a clause saying more of it
            cut = start + thing.end()
            out.append(Clause(thing.group(1), start + lead, start + thing.end(1), False, joined_by=joiner, set_off=mark))
            out.append(Clause(text[cut:end].strip(), cut, end, False, joined_by=sorted(RELATIVE)[0]))
            joiner, mark = "", ""
            continue
        if joiner == "as" and not _has_its_verb(words):
            joiner = ""  # "use it as the timer": a role, no clause of its own saying when
        out.append(Clause(piece.strip(), start, end, negated, joined_by=joiner, set_off=mark, answers=answer))
        joiner, mark, answer = "", "", False
    return out


_SUBJECTS = {"it", "they", "you", "we", "i", "he", "she"}
_BE = {"is", "are", "was", "were", "gets", "get", "got", "becomes", "become"}


def _names_its_subject(c: Clause) -> bool:
    """The clause names what it is about ("our soil dries out"), not a pronoun standing for something said
    before ("it runs flat": the battery? the torch?): only then does a faint reading say what to notice."""
    words = _WORD.findall(c.text.lower())
    return bool(words) and words[0] not in _SUBJECTS


def _has_its_verb(words: list[str]) -> bool:
    """The words after "as" are a clause: a subject pronoun then more words, or a noun phrase then a verb
    ("the garage warms", "my room gets hotter", "visitors approach"); not a noun phrase alone ("the timer")."""
    if len(words) >= 2 and words[0] in _SUBJECTS:
        return True
    head = 1 if words and words[0] in GRAMMAR_WORDS else 0  # an article or a possessive opens the noun phrase
    for before, w in zip(words[head:], words[head + 1:]):
        if w in _BE or w in GRAMMAR_WORDS:
            if w in _BE:
                return True
            continue
        forms = base_forms(w)
        if forms - {w} or w in forms and before.endswith("s"):  # "warms", "dries"; "visitors approach"
            return True
    return False


def _leaves_out(piece: str) -> bool:
    """The clause opens with words that rule out the thing it then names ("leave out any microcontroller", "skip
    the relay"), read by meaning (:mod:`agents.understand.exclusion`)."""
    vp = verb_phrase(piece)
    return bool(vp) and len(vp.split()) < len(_WORD.findall(piece.lower().replace("'", ""))) and excludes(vp)


def _says_an_end(text: str) -> bool:
    """The clause names an end of a sensed quantity in the trade's words (:mod:`agents.understand.vocabulary`)."""
    low = text.lower()
    return any(t.matches(low) for t in _END_TERMS)


def _opens_with_participle(c: Clause) -> bool:
    """A clause set off by a comma alone that opens with a verb's -ing form (after any -ly adverb): a reduced
    relative clause, saying what the thing named before it does ("a garden LED, glowing by the pond"); not one
    after another mark ("lipo w/ charging": with charging)."""
    if c.joined_by or c.set_off != ",":
        return False
    for w in _WORD.findall(c.text.lower()):
        if w.endswith("ly") and len(w) > 4:
            continue
        return w.endswith("ing") and bool(base_forms(w))
    return False


def _wish_length(piece: str) -> int:
    """The length of a request's opening wish before the thing it names ("I'd love ", "Could you make me "):
    words of who asks and what they want (grammar words and verbs only, opening with the speaker, the one
    asked or a modal) up to a word that opens a noun phrase (``THING_OPENERS``); 0 when there is none."""
    words = list(_WORD.finditer(piece))
    if not words or words[0].group(0).lower() not in SPEAKER:
        return 0
    for m in words[1:]:
        w = m.group(0).lower()
        if w in THING_OPENERS:
            # (a thing named by a word that asks for nothing, "a little circuit", is no thing: kept whole)
            head = [x.lower() for x in _WORD.findall(piece[m.start():])][-1]
            return 0 if head in _FILLER else m.start()
        if not (w in GRAMMAR_WORDS or w in _CONTRACTED or w in _FILLER or base_forms(w)):
            return 0
    return 0


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


def _owned_words(phrase: str) -> list[str]:
    """The words naming the user's own thing, up to a word that starts what is said of it
    ("my phone over wifi": the phone; Wi-Fi is the means, not the user's thing)."""
    out = []
    for w in _WORD.findall(phrase.lower()):
        if w in _FILLER or w in MEANS or _JOINER.match(w):
            break
        out.append(w)
    return out


def content_words(text: str) -> list[str]:
    """The words of a text that could ask for something (not filler, units or figures)."""
    return _content(text)


def is_filler(word: str) -> bool:
    """A word that asks for nothing by itself ("the", "please"), or one that joins clauses ("for", "and")."""
    return word in _FILLER or bool(_JOINER.match(word))


def is_joiner(word: str) -> bool:
    """A word that joins clauses ("for", "and", "with")."""
    return bool(_JOINER.match(word))


def _content(text: str) -> list[str]:
    """The words of a text that could ask for something (not filler, units or figures)."""
    return [w for w in _WORD.findall(blank_rates(text).lower())
            if w not in _FILLER and w not in _UNITS and not _MEASURE.match(w)]


def needs_by_meaning(text: str, library: Library, named_spans: list[tuple[int, int, str]],
                     named_keys: list[str]) -> NeedsResult:
    """``named_spans``: (char start, char end, key) of the library parts the request names."""

    res = NeedsResult()
    cls = clauses(text)
    if not cls or not semantic_enabled():
        return res
    boards = {k for _, _, k in named_spans if library.get(k) is not None and library[k].is_mcu}
    reading = _compounds_by_head(text, library)  # what the model reads: "dustbin" as a bin, not dust
    texts, rest, words, c_inside = [], [], [], []
    for c in cls:
        inside = [(a, z, k) for a, z, k in named_spans if a >= c.start - 1 and z <= c.end + 1]
        c_inside.append(inside)
        c.names_part = any(k not in boards for _, _, k in inside)
        alone = _without(reading, c, inside, 2) if inside and not c.names_part else ""
        c.names_part = c.names_part or (bool(inside) and not alone)  # "direction from an Uno": too little left
        texts.append(alone or " ".join(reading[c.start:c.end].split()) or c.text)
        # what the clause asks for besides the parts it names ("send soil moisture over LoRa")
        rest.append(_without(reading, c, inside, 2) if c.names_part and not c.negated else "")
        # its words, one at a time, outside the parts it names
        # (not the words naming the user's own thing, "my desk lamp": it is acted on, not built)
        owned = {w for m in _OWNED.finditer(c.text) for w in _owned_words(m.group(1))}
        words.append([w for w in dict.fromkeys(_content(_without(reading, c, inside, 1))) if w not in owned]
                     if not c.negated else [])
    try:

        index = capability_index(library)
        flat = [w for ws in words for w in ws]
        ranked = index.rank(texts + [r for r in rest if r] + flat)
        # a condition is read against the records' descriptions of the ends of what they sense as well
        conditions = [i for i, c in enumerate(cls) if c.joined_by in CONDITION and not c.names_part]
        # and so is a time ("after sundown") and a clause that says an end in the trade's words ("on at nightfall")
        ended = conditions + [i for i, c in enumerate(cls) if i not in conditions and not c.names_part
                              and not c.negated and (c.joined_by in TIME or _says_an_end(c.text) and not
                                                     (i and _opens_with_participle(c)))]
        for i, again in zip(ended, index.rank([texts[i] for i in ended], ends=True)):
            ranked[i] = again
        # what happens, read without the thing it happens to ("the shed door lets daylight through": daylight)
        said = [(i, p) for i in conditions if (p := _predicate(cls[i].text))]
        for (i, _), hits in zip(said, index.rank([p for _, p in said], ends=True)):
            ranked[i] = _what_happens(ranked[i], hits)
        # a bare word listed after a part ("a 12 V motor, speed + direction"): read with that part
        part_readings(text, cls, texts, _content, c_inside, library, index, ranked)
    except Exception:  # no embedding model here: needs come from the named parts alone
        return res
    n_rest = sum(1 for r in rest if r)
    besides = iter(ranked[len(texts):len(texts) + n_rest])
    ranked_rest = [next(besides) if r else [] for r in rest]
    by_word = iter(ranked[len(texts) + n_rest:])
    word_hits = [[next(by_word) for _ in ws] for ws in words]
    clear_hits = [{w: h for w, wh in zip(ws, whs) if (h := _clear(wh)) is not None} for ws, whs in zip(words, word_hits)]
    clear_words = [{h.capability for h in ch.values()} for ch in clear_hits]
    ranked = ranked[:len(texts)]
    # what a clause does toward the user's own thing named after it ("... to my phone"): its action read
    # with that destination, without what is carried (a word that clearly names something sensed)
    toward = [_toward(cls, i, ws, ch, whs) for i, (ws, ch, whs) in enumerate(zip(words, clear_hits, word_hits))]
    try:
        ranked_toward = iter(index.rank([t for t, _ in toward if t]))
    except Exception:
        ranked_toward = iter(())
    toward_hits = [(next(ranked_toward, []), floor) if t else ([], 0.0) for t, floor in toward]
    # a thing named with what it is for ("a lap tally for a kart's wheel"): read together, they tell
    # what the thing senses
    purposed = _is_a_thing(cls, cls[0]) and len(cls) > 1 and cls[1].joined_by in PURPOSE and not cls[1].negated
    try:
        in_context = index.rank([" ".join(text[cls[0].start:cls[1].end].split())])[0] if purposed else []
        # the project's name is read by its head noun said as one of a kind ("a torch", "a lantern"): the bare
        # word alone reads as a material or an act as often as a thing ("torch": a flame)
        named_head = index.rank([f"a {words[0][-1]}"])[0] if _names_the_project(cls, cls[0]) and words[0] else []
    except Exception:
        in_context, named_head = [], []
    # who acts in each clause: a person who signals works an input; one who only comes by is noticed
    roles = person_roles(library)
    try:
        actors = [actor(c.text, index.embed) if not c.negated and not c.names_part and roles else None for c in cls]
        # which input a person works to signal: read from the whole request (what they work it for, and
        # what answers it: "a bell ... so guests can ...")
        whole = index.rank([" ".join(reading.split())])[0] if any(a and a.signals for a in actors) else []
    except Exception:  # no embedding model here: no clause is read by who acts
        actors, whole = [None] * len(cls), []
    have = set()
    for k in named_keys:
        rec = library.get(k)
        if rec is not None:
            have |= {c.capability for c in rec.provides}
    named_kinds = {cap.direction for k in named_keys if (r := library.get(k)) is not None and not r.is_mcu
                   for cap in r.provides}
    seen: dict[str, NeededFunction] = {}
    around_part: dict[str, bool] = {}  # whether the clause a need was read from names a part
    previous: list[str] = []  # what the clause before asked for
    for c, hits, others, clear, whs, by_clear, (to, to_floor) in zip(cls, ranked, ranked_rest, clear_words, word_hits,
                                                                      clear_hits, toward_hits):
        asked: list[str] = []
        if _says_more_of_a_part(text, c, named_spans) or not _content(c.text) \
                or names_only_a_pin_signal(c.text, library):
            # (a clause that only states a rate, "about 3 times per second", is a figure; one that names only a
            # signal every controller's pins give, "using a PWM signal", is how a part is worked)
            continue
        by_person = _by_who_acts(actors[cls.index(c)], c, hits, whole, roles)
        if by_person:
            _ask_input(res, seen, c, by_person, have)
            previous = [h.capability for h in by_person[:1]]
            continue
        links = [h for h in to if h.direction == "communicate"]  # (the runner-up that counts is another link)
        # (with no destination said, reading it toward the one asking must make it read more as a message
        # than the clause alone did: "tops up from a USB cable" is no message)
        own = next((h.score for h in hits if links and h.capability == links[0].capability), 0.0)
        if links and to[0] is links[0] and to[0].score >= to_floor and to[0].capability not in have \
                and (len(links) == 1 or to[0].score - links[1].score >= BESIDES_MARGIN) \
                and (to_floor >= BESIDES or to[0].score - own >= MARGIN):
            asked.append(to[0].capability)
            prev = seen.get(to[0].capability)
            if prev is None or (prev.score or 0) < to[0].score:
                seen[to[0].capability] = _need(to[0].capability, c.text, to[0].score)
            # the clause alone guessed how it answers ("texts its reading": a text display); the destination
            # settles that: what is left is what is carried, among the clause's own close readings
            top = hits[0].score if hits else 0.0
            hits = [h for h in hits if h.direction not in ("act", "communicate") and h.score >= top - SECOND_MARGIN]
        if c.joined_by in CONDITION and not c.names_part:
            hits = [h for h in hits if h.direction not in NOT_A_TRIGGER]
            others = [h for h in others if h.direction not in NOT_A_TRIGGER]
        if c.answers and not c.names_part:
            # the answer of a correlative is what responds to its condition, never what notices it
            hits = [h for h in hits if h.direction not in SIDES[0]]
            others = [h for h in others if h.direction not in SIDES[0]]
        inside_caps = _provided(library, c_inside[cls.index(c)])
        if (len(others) > 1 and others[0].score >= BESIDES and others[0].score - others[1].score >= BESIDES_MARGIN
                and others[0].capability not in have and (others[0].direction not in ("passive", "power")
                                                          or _source_besides(library, others[0], named_keys))
                and others[0].capability != CONTROLLER and not _NEG_INSIDE.search(c.text)
                and not _answered_by_named(others[0], hits, inside_caps)
                and not _same_kind_named(library, others[0], c_inside[cls.index(c)])
                or measures_named_source(library, c_inside[cls.index(c)], others)
                and not _NEG_INSIDE.search(c.text)):
            h = next(h for h in others if h.direction != "power" or not measures_named_source(
                library, c_inside[cls.index(c)], others))
            asked.append(h.capability)
            prev = seen.get(h.capability)
            if prev is None or (prev.score or 0) < h.score:
                seen[h.capability] = _need(h.capability, c.text, h.score)
        if not hits:
            continue
        i = cls.index(c)
        if (c.joined_by in RELATIVE or _opens_with_participle(c) or _complements(cls, i)) and i \
                and not c.names_part and not c.negated \
                and (hits[0].direction in set(_provided(library, c_inside[i - 1]).values())
                     or roles.get(hits[0].capability) == "operates" and _opens_with_verb(c)
                     or _a_reading_of(hits[0], ranked[i - 1], previous)):
            # "a bedside LED that switches on", "a garden LED, glowing": the clause says what the part
            # named before it does (what it does is no input a person works: "switches on" is no switch)
            continue
        if c is cls[0] and in_context:
            hits, clear = _sensed_in_context(hits, in_context, clear)
            ranked[0] = hits  # (and the sides the thing implies are read from it too)
        context = c.joined_by in PURPOSE
        # how the thing is powered, said by a word of it ("a rechargeable flashlight"), is read before its name's
        # head narrows what the clause does: power is not its function, so the head does not rule it out
        powered = _power_words(whs, hits)
        if _names_the_project(cls, c) and whs:
            # the thing's name is read by its head noun ("a bike headlight" is a light; a "fire engine
            # model" is a model, not a fire to sense): what the head does not also read as is context
            head = [h for h in named_head if h.score >= max(FREE, named_head[0].score - SECOND_MARGIN)]
            heads = {h.capability for h in head}
            hits = [h for h in hits if h.capability in heads or h.score >= NAMED]
            others = [h for h in others if h.capability in heads or h.score >= NAMED]
            clear = {x for x in clear if x in heads}
            if not hits:
                continue
        limit = NAMED if c.names_part or context else FREE
        if c.joined_by in CONDITION and not c.names_part and len(hits) > 1 \
                and hits[0].score - hits[1].score >= CLEAR_CONDITION_MARGIN and _names_its_subject(c):
            # a condition that reads as one thing to notice far more than any other ("as our soil dries out":
            # the soil's moisture) asks for it even read faintly: what sets a design off must be noticed
            limit = min(limit, CLEAR_CONDITION)
        # a noun phrase of its own after a part named before it, naming no part, is another thing: a reading that
        # a part named elsewhere gives ("an 18650, a charging board": the cell powers) does not explain it
        if not c.names_part and _names_one_thing(c) and not c.joined_by and any(z <= c.start for _, z, _ in named_spans):
            hits = [h for h in hits if h.capability not in have]
            if not hits:
                continue
        top = hits[0]
        picked = []
        # (a part named in the clause that is of the kind doing what it reads as explains it too: "an ST7789
        # screen showing a clock" reads as showing digits, and the screen named shows them)
        here = have | {h.capability for h in hits[:2] if _same_kind_named(library, h, c_inside[cls.index(c)])}
        for h in hits[:2]:
            if h.capability in here and not (c.negated or _NEG_INSIDE.search(c.text)):
                break  # a named part explains this clause best ("a robot arm" with servos named)
            if h.score >= limit and h.score >= top.score - SECOND_MARGIN:
                picked.append(h)
        close = [h for h in hits if h.score >= top.score - MARGIN]
        served = _serving_named(library, close, named_keys) if picked and len(close) > 1 else []
        if len(served) == 1 and not (c.negated or _NEG_INSIDE.search(c.text)):
            # readings too close to choose: the one whose parts work on a part the request names is meant
            # ("lipo w/ charging": charging the named cell, not a USB supply)
            picked = served
        elif picked and len(hits) > len(picked) and picked[-1].score - hits[len(picked)].score < MARGIN \
                and not (c.negated or _NEG_INSIDE.search(c.text)):
            picked = picked[:-1] if len(picked) > 1 else []
        if len(picked) > 1 and not (c.negated or _NEG_INSIDE.search(c.text)) \
                and (_one_side(picked) or len({h.direction for h in picked}) == 1
                     and (c.joined_by in CONDITION or _names_one_thing(c) or _acts_on_one_thing(c))):
            # two close readings of one side of a clause are two ways of doing one thing ("a torch is shone onto
            # it": light or flame; "shows grams on a display": a text or a graphic display; "alert me on my
            # phone": a text message or a beep): alternatives, the best is asked of the planner, and the gate
            # takes either (``asked``). A clause asks for several of one side only in words that each name
            # one clearly (``confirmed`` below: "temperature humidity sensor"); other directions (two ways of
            # powering) collapse only in a condition or a clause naming one thing. The one asked is the best,
            # unless the clause says the other in its parts' own name ("buzzes": a buzzer)
            one = one_of(library, picked, _content(c.text))
            picked = [one] + [h for h in picked if h is not one and _one_side(picked)
                              and said_apart(library, one, h, whs, WORD, MARGIN)]
        if c.negated or _NEG_INSIDE.search(c.text):
            # what a "no ..." rules out is one kind of thing: a runner-up of another kind is a look-alike of the
            # words, not a second thing refused ("without any microcontroller" leaves the timer a blinker needs)
            for h in (x for x in picked if x.direction == picked[0].direction):
                if h.capability == CONTROLLER:
                    res.no_controller = True
                elif h.capability not in res.forbidden:
                    res.forbidden.append(h.capability)
            continue
        n_asked = len(res.asked)
        _ask(res, c, hits, limit, here)
        # a word that names one capability clearly, which the clause (or what it asks besides its parts)
        # also matches: it is what the clause asks for, in place of a close guess of the same direction
        # (a word beside a part name that does the same kind of thing describes that part: "a TCA9548A multiplexer")
        kinds = {cap.direction for _, _, k in c_inside[cls.index(c)] if (r := library.get(k)) is not None
                 for cap in r.provides}
        confirmed = [h for h in hits + others if h.capability in clear and h.score >= (NAMED if context else FREE)
                     and h.capability not in have and h.direction not in kinds | {"passive"}
                     and h.capability != CONTROLLER]
        confirmed = list({h.capability: h for h in sorted(confirmed, key=lambda h: h.score)}.values())
        # and the gate holds the request to it even where the clause as a whole did not agree
        # ("switch the ceiling light ... over wifi": a switch, and Wi-Fi)
        # (the clause asks for something, the word's reading among its close ones, and no named part
        # does that kind of thing)
        close = set(res.asked[-1].any_of) if len(res.asked) > n_asked else set()
        for w, h in by_clear.items():
            if h.capability not in have and h.direction not in named_kinds | {"passive", "power"} \
                    and h.capability in close \
                    and h.capability != CONTROLLER and not any(a.any_of == [h.capability] for a in res.asked):
                res.asked.append(AskedFunction(words=w, any_of=[h.capability], score=round(h.score, 3)))
        if confirmed:
            directions = {h.direction for h in confirmed}
            picked = confirmed + [h for h in picked if h.direction not in directions
                                  and h.capability not in {x.capability for x in confirmed}]
        # a clause that says what the thing does may also say how it is powered ("a rechargeable
        # flashlight"): a word of it that names a power capability clearly, which the clause also matches,
        # asks for that beside the function
        picked += [h for h in powered if h.capability not in {x.capability for x in picked}
                   and not any(x.direction == "power" for x in picked)]
        for h in picked:
            if h.capability == CONTROLLER:
                res.wants_controller = True
                continue
            if h.direction == "passive":
                continue  # diodes, fuses, terminals: the planner's detail, not what a request asks for
            if h.capability in have:
                continue
            asked.append(h.capability)
            prev = seen.get(h.capability)
            # (a clause naming no part says it more plainly than one read around a part's name: its words are
            # kept, so what is asked is not taken for a restatement of that part, "lipo battery w/ charging")
            plainer = prev is not None and around_part.get(h.capability, c.names_part) != c.names_part
            if prev is None or (not c.names_part if plainer else (prev.score or 0) < h.score):
                seen[h.capability] = _need(h.capability, c.text, h.score)
                around_part[h.capability] = c.names_part
        if c.joined_by in MEANS and asked:
            # "ping me through bluetooth": the means named here replaces the guess of the same
            # direction that the clause before was read as ("a text message")
            mine = {_direction_of(hits + others, a) for a in asked}
            for p in previous:
                if p not in asked and _direction_of(ranked[cls.index(c) - 1], p) in mine and p in seen \
                        and seen[p].words != c.text:
                    del seen[p]
            before = ranked[cls.index(c) - 1]
            for a in res.asked:  # and the clause before is answered by the means named
                if a.words == cls[cls.index(c) - 1].text and {_direction_of(before, x) for x in a.any_of} & mine:
                    a.any_of += [x for x in asked if x not in a.any_of]
        previous = asked
    _implied_sides(res, seen, cls, ranked, named_kinds, library, word_hits[0] if word_hits else [], in_context)
    _answered_by_another_clause(res, seen, {h.capability: h.direction for hits in ranked for h in hits})
    _name_said_more_plainly(res, seen, cls, named_spans, library)
    res.needs = [n for n in seen.values() if n.capability not in res.forbidden]
    return res


def _name_said_more_plainly(res: NeedsResult, seen: dict[str, NeededFunction], cls: list[Clause],
                            named_spans: list[tuple[int, int, str]], library: Library) -> None:
    """The thing's name read as a guess on one side ("a light meter": a colour sensor, a graphic display) is said
    more plainly by the rest of the request ("..., shows lux on an lcd": a light sensor, and the LCD named): where
    another clause asks for, or names a part of, the same kind on that side (an output of the same record
    ``category``; a sensing some record gives with the guess), that answers the name there; the guess is dropped
    and the name's clause is answered by either (``asked``)."""
    if not cls or not _is_a_thing(cls, cls[0]) or len(cls) < 2:
        return
    name = cls[0].text
    # capability -> what it is alike by: on the answering side the categories of the records giving it (two kinds
    # of display are one display); on the noticing side the records themselves (a light sensor that also tells
    # colour; "sensor" is too wide a kind: a GPS and a motion sensor are two things)
    kinds: dict[str, set[str]] = {}
    sides: dict[str, int] = {}
    for r in library:
        for c in r.provides:
            kinds.setdefault(c.capability, set()).add(r.key if c.direction in SIDES[0] else r.category)
            side = next((i for i, sd in enumerate(SIDES) if c.direction in sd), None)
            if side is not None:
                sides.setdefault(c.capability, side)
    # what the rest of the request gives, per side: its needs and the capabilities of the parts it names
    rest: list[tuple[str, set[str]]] = [(n.capability, kinds.get(n.capability, set())) for n in seen.values()
                                        if n.words != name]
    rest += [(c.capability, {k if c.direction in SIDES[0] else rec.category}) for a, _, k in named_spans
             if a >= cls[0].end and (rec := library.get(k)) is not None and not rec.is_mcu for c in rec.provides]
    for a in res.asked:
        if a.words != name:
            continue
        for guess in list(a.any_of):
            side = sides.get(guess)
            if side is None or guess not in seen or seen[guess].words != name:
                continue
            said = [cap for cap, cats in rest if sides.get(cap) == side and cats & kinds.get(guess, set())]
            if said:
                del seen[guess]
                a.any_of += [cap for cap in dict.fromkeys(said) if cap not in a.any_of]


def _one_side(hits) -> bool:
    """The readings all fall on one side of a device (``SIDES``: what notices, or what answers)."""
    return any(all(h.direction in side for h in hits) for side in SIDES)


def _answered_by_another_clause(res: NeedsResult, seen: dict[str, NeededFunction], directions: dict[str, str]) -> None:
    """A clause read several close ways of sensing ("a parking sensor": a magnet? a distance? motion?) asks for
    its best guess only while nothing else settles it: where another clause of the request asks for one of its
    close readings ("as the car gets closer": a distance), that answers it, and the guess, asked for by this
    clause alone, is dropped (the gate still holds the clause to any of its readings). Close readings on the
    answering or power side stay: they are parts beside each other (a charger and an outlet)."""
    for a in res.asked:
        if len(a.any_of) < 2:
            continue
        guess = seen.get(a.any_of[0])
        if guess is None or guess.words != a.words:
            continue
        if any(b is not a and a.any_of[0] in b.any_of for b in res.asked):
            continue  # another clause asks for the guess too
        if directions.get(guess.capability) not in SIDES[0]:
            continue  # (readings on the answering side are parts beside each other: a charger and an outlet)
        settled = [n for n in seen.values() if n.words != a.words and n.capability in a.any_of[1:]
                   and directions.get(n.capability) == directions.get(guess.capability)]
        if settled:
            del seen[guess.capability]


def _same_kind_named(library: Library, h, inside) -> bool:
    """A part named in the clause is of the kind that does what the clause reads as: every record providing
    the reading is of the named part's category, and the part does something of the same direction ("an
    ST7789 screen showing a clock" reads as showing digits; the screen named is a display that shows)."""
    kinds = {(library[k].category, c.direction) for _, _, k in inside if (r := library.get(k)) is not None
             and not r.is_mcu for c in r.provides}
    if not kinds:
        return False
    cats = {r.category for r in library if any(c.capability == h.capability for c in r.provides)}
    return len(cats) == 1 and (next(iter(cats)), h.direction) in kinds


def _says_more_of_a_part(text: str, c: Clause, named_spans: list[tuple[int, int, str]]) -> bool:
    """A clause in brackets straight after a part's name ("a 20x4 LCD (parallel)", "a WS2812B panel (256
    pixels)") is an apposition: it says more of that part (its build, its size), it asks for nothing else. A
    negated one still rules something out ("an LCD (no backpack)")."""
    if c.set_off != "(" or c.negated or c.names_part or _NEG_INSIDE.search(c.text):
        return False
    before = text[:c.start].rstrip()
    if not before.endswith("("):
        return False
    before = before[:-1].rstrip()
    # (the name may end inside a word, "WS2812B LEDs" is spotted as "ws2812b led", and the noun phrase may go on
    # past it to its head: "a WS2812B panel (...)")
    for _, z, _ in named_spans:
        if z <= len(before):
            tail = before[z:]
            rest = _WORD.findall(tail)
            if re.fullmatch(r"[\w\s-]*", tail) and len(rest) <= 2 and not any(is_filler(w.lower()) for w in rest[1:]) \
                    and not (rest and tail[:1].isspace() and is_filler(rest[0].lower())):
                return True
    return False


def _source_besides(library: Library, h, named_keys: list[str]) -> bool:
    """What a clause asks for besides the part it names is a source ("a relay module off a 5V plug-in power
    brick"): every record that provides the reading gives a rail and takes none, and the request names no
    source."""
    makers = [r for r in library if any(c.capability == h.capability for c in r.provides)]
    # (a source: it gives a rail and takes none from the design; a mains-fed unit is one too)
    return h.direction == "power" and bool(makers) \
        and all(r.pins_of_type("power_out") and not r.pins_of_type("power_in") for r in makers) \
        and not any(is_source(library[k]) for k in named_keys if k in library)


def _serving_named(library: Library, hits, named_keys: list[str]) -> list:
    """Of close readings, those whose providers work on a part the request names (record data: a charger that
    charges a named cell, :func:`agents.rules.power_tree.charges`)."""
    named = [library[k] for k in named_keys if k in library]
    out = []
    for h in hits:
        makers = [r for r in library if any(c.capability == h.capability for c in r.provides)]
        if any(charges(m, n) for m in makers for n in named):
            out.append(h)
    return out


def _by_who_acts(who, c: Clause, hits, whole, roles: dict[str, str]):
    """The clause's readings when a person acts in it (:mod:`agents.understand.who_acts`), best first, or [].

    A person who signals on purpose (addresses the one asking, announces themselves) works an input: the
    readings a person ``operates``, of the whole request (``whole``: the clause alone says mostly who acts,
    the request also what they work it for and what answers it). A person who is the subject of a
    condition without signalling is what sets the design off: the clause's readings as an input a person
    ``operates`` or is ``noticed`` by, however faint ("when a customer comes near"), unless the clause reads
    clearly (``FREE``) as something else. The grammar settles that an input for a person is asked; the
    meaning, which one."""
    if who is None:
        return []
    if who.signals:
        return [h for h in whole if roles.get(h.capability) == "operates"]
    triggers = [h for h in hits if h.direction not in NOT_A_TRIGGER]
    if c.joined_by in CONDITION | {"as"} and triggers \
            and (roles.get(triggers[0].capability) or triggers[0].score < FREE):
        # (where the clause reads clearly as something else, "someone holds a hand over it": a distance, the
        # person is not what is sensed)
        return [h for h in triggers if roles.get(h.capability)]
    return []


def _ask_input(res: NeedsResult, seen: dict, c: Clause, hits, have: set[str]) -> None:
    """Ask for the input a person works or is noticed by: the best reading, and the gate takes any reading
    within ``MARGIN`` of it (not clearly behind). A named part that provides one of them answers the clause
    already."""
    close = [h for h in hits if h.score >= hits[0].score - MARGIN]
    if any(h.capability in have for h in close):
        return
    best = hits[0]
    prev = seen.get(best.capability)
    if prev is None or (prev.score or 0) < best.score:
        seen[best.capability] = _need(best.capability, c.text, best.score)
    res.asked.append(AskedFunction(words=c.text, any_of=[h.capability for h in close], score=round(best.score, 3)))


def _provided(library: Library, inside) -> dict[str, str]:
    """The capabilities (slug -> direction) of the parts named inside a clause."""
    return {cap.capability: cap.direction for _, _, k in inside if (r := library.get(k)) is not None and not r.is_mcu
            for cap in r.provides}


def _answered_by_named(h, whole, inside_caps: dict[str, str]) -> bool:
    """What a clause asks besides the parts it names (``h``) is done by one of them when that part does the
    same kind of thing and the whole clause reads the part's own capability as closely (within ``MARGIN``):
    "switch a pump relay" asks for switching, and the relay named is the switching part."""
    mine = {cap for cap, d in inside_caps.items() if d == h.direction}
    if not mine:
        return False
    here = next((x for x in whole if x.capability == h.capability), None)
    best_mine = next((x for x in whole if x.capability in mine), None)
    return best_mine is not None and (here is None or here.score - best_mine.score < MARGIN)


def _sensed_in_context(hits, in_context, clear: set[str]):
    """What the thing senses, read with what it is for: when the thing's name alone reads as sensing one
    quantity and the name with its purpose reads clearly (``BESIDES``, ahead of the next way of sensing by
    ``MARGIN``) as sensing another ("a distance tally": a range finder; "... for the rear wheel of a
    go-kart": a wheel's turns), the purpose's reading is the one asked."""
    alone = [h for h in hits[:2] if h.direction == "sense"]
    sense = [h for h in in_context if h.direction == "sense"]
    if not alone or not sense or sense[0].capability == alone[0].capability or sense[0].score < BESIDES \
            or (len(sense) > 1 and sense[0].score - sense[1].score < MARGIN):
        return hits, clear
    drop = {h.capability for h in hits if h.direction == "sense"}
    kept = [h for h in hits if h.capability not in drop] + [sense[0]]
    return sorted(kept, key=lambda h: -h.score), clear - drop


def _implied_sides(res: NeedsResult, seen: dict[str, NeededFunction], cls: list[Clause], ranked,
                   named_kinds: set[str], library: Library, head_words=(), in_context=()) -> None:
    """A thing named for itself ("a doorbell", "a bike speedometer") is a device: something notices (an input)
    and something answers (an output). When the whole request asks for nothing on one side, the side the
    thing's own name reads as best there, as clearly as a second function of a clause (``BESIDES``) and
    ahead of the next kind of part of that side, is what it implies (a bell someone presses; a meter that
    shows what it counts). The name said with what it is for ("a distance counter for my bike") is read
    whole: what it works on narrows what it notices. Where the name reads two
    close ways on that side (two kinds of part) and its head noun reads one of them clearly, the two agree:
    that one is implied (at ``FREE``); and where the name's clear reading on that side is also its head
    noun's clear reading there ("a hallway chime": a chime is rung by a press), two readings agree and it
    is implied at ``AGREED``."""
    if not cls or not ranked or not _is_a_thing(cls, cls[0]):
        return
    kinds = {h.direction for h in ranked[0] if h.capability in seen} | named_kinds
    for side in SIDES:
        if kinds & side:
            continue
        # the name alone, then the name with what it is for
        h = _side_of(ranked[0], side, res, library, head_words) or \
            _side_of(in_context, side, res, library, head_words, alone=ranked[0])
        if h is None:
            continue
        seen.setdefault(h.capability, _need(h.capability, cls[0].text, h.score))
        if not any(h.capability in a.any_of for a in res.asked):
            res.asked.append(AskedFunction(words=cls[0].text, any_of=[h.capability], score=round(h.score, 3)))


def _side_of(name, side: set[str], res: NeedsResult, library: Library, head_words, alone=None):
    """The capability a thing's name implies on one side (see :func:`_implied_sides`), or None. ``alone``: the
    name's reading without what it is for, when ``name`` is read with it: where the name alone reads that side
    several close ways ("a mileage counter": a distance, a knob, a position, a wheel's turns) and the purpose
    picks one of them clearly ("... for my bike": the wheel's turns), the two agree (at ``FREE``)."""
    of_side = [h for h in name if h.direction in side and h.capability != CONTROLLER]
    if not of_side or of_side[0].capability in res.forbidden:
        return None
    h = of_side[0]
    # (the runner-up that counts is another kind of part: two kinds of display are one reading)
    kind = library[h.key].category if h.key in library else None
    other = next((x for x in of_side[1:] if x.key not in library or library[x.key].category != kind), None)
    # a name read two close ways on that side (two kinds of part) asks for that side; its head noun names
    # what the thing is ("a gate chime" is a chime, rung by a press; the gate is where it hangs) and
    # settles which, where it reads one of them clearly
    head = _clear_on_side(head_words[-1] if head_words else [], side)
    close = [x for x in of_side if h.score - x.score < MARGIN]
    agreed = next((x for x in close if head is not None and x.capability == head.capability), None)
    two_kinds = len({library[x.key].category if x.key in library else x.key for x in close}) > 1
    if agreed is not None and two_kinds and agreed.score >= FREE:
        return agreed
    clear_lead = other is None or h.score - other.score >= MARGIN
    # (the head noun names a thing of the other side, "a chime" answers: read best there, ``MARGIN`` ahead of
    # its reading on this side; its clear reading on this side is what sets it off. A head read as much on
    # this side, "a siren noise", "a siren sound", may be what it makes, not a cue)
    head_hits = head_words[-1] if head_words else []
    cue = head is not None and head.capability == h.capability and head_hits[0].direction not in side \
        and head_hits[0].score - head.score >= MARGIN
    mine = [x for x in alone or [] if x.direction in side and x.capability != CONTROLLER]
    several = {x.capability for x in mine if mine[0].score - x.score < MARGIN}
    picked = len(several) > 1 and h.capability in several \
        and (len(of_side) == 1 or h.score - of_side[1].score >= MARGIN)
    if not clear_lead or h.score < (AGREED if cue else FREE if picked else BESIDES):
        return None
    return h


def _predicate(text: str) -> str:
    """What a condition says happens, without its subject: after an opening noun phrase with a definite or
    possessive word ("the shed door", "my oven"), from its verb on, the verb read as the first word of
    the third person (ending in -s, "lets", "is", "gets"); "" when the clause has no such subject."""
    words = text.split()
    if len(words) < 3 or words[0].lower() not in DEFINITE:
        return ""
    for k in range(2, len(words)):
        w = words[k].lower()
        if len(w) >= 2 and w.endswith("s") and not w.endswith("ss") and w.isalpha():
            return " ".join(words[k:])
    return ""


def _what_happens(whole, predicate):
    """The condition's reading: its predicate's, where the predicate alone reads one way of noticing clearly
    (``FREE``, ``MARGIN`` ahead of the next trigger); the thing it happens to is where, not what is noticed."""
    said = [h for h in predicate if h.direction not in NOT_A_TRIGGER]
    if not said or said[0].direction != "sense":
        return whole
    first = next((h for h in whole if h.direction not in NOT_A_TRIGGER), None)
    if first is not None and first.capability == said[0].capability and first.score >= said[0].score:
        return whole  # (the thing named says it more strongly: "the wardrobe door is opened")
    gap = said[0].score - said[1].score if len(said) > 1 else said[0].score
    if said[0].score >= FREE and gap >= MARGIN or said[0].score >= CLEAR_CONDITION and gap >= CLEAR_CONDITION_MARGIN:
        # (read faintly but as one thing only, as a whole condition may be: "the mailbox is opened" is an
        # opening whatever opens)
        return predicate
    return whole


def _clear_on_side(hits, side: set[str]):
    """The best reading of one side (``SIDES``) among a word's hits, when it stands ``MARGIN`` ahead of the
    next of that side."""
    of_side = [h for h in hits if h.direction in side and h.capability != CONTROLLER]
    if of_side and (len(of_side) == 1 or of_side[0].score - of_side[1].score >= MARGIN):
        return of_side[0]
    return None


def _toward(cls: list[Clause], i: int, words: list[str], clear: dict, word_hits=()) -> tuple[str, float]:
    """The clause's action toward its destination, and how closely it must read a link to ask for it.

    When the next clause (joined by "to") names only the user's own thing ("to my phone"): the clause's words
    outside part names and the user's things, less what is carried (a word that clearly names something
    sensed: "temperature"), then the destination ("texts its reading to my phone" -> "texts reading to my
    phone"), asked at ``BESIDES``. When no destination is said and a word of the clause reads best as a link
    ("texts its location"), a message goes to the one asking: the action, less what is carried (a word whose
    best reading is something sensed, ``MARGIN`` ahead of the next), read toward "me", asked at ``FREE``.
    ("", 0) otherwise."""
    c = cls[i]
    if c.negated:
        return "", 0.0
    if i + 1 < len(cls) and cls[i + 1].joined_by == "to" and not cls[i + 1].negated:
        dest = cls[i + 1].text
        owned = {w for m in _OWNED.finditer(dest) for w in _owned_words(m.group(1))}
        if not owned or not set(_content(dest)) <= owned:
            return "", 0.0
        action = [w for w in words if not (w in clear and clear[w].direction == "sense")]
        return (f"{' '.join(action)} to {dest}", BESIDES) if action else ("", 0.0)
    if c.joined_by in CONDITION or (i + 1 < len(cls) and cls[i + 1].joined_by in MEANS | {"to"}):
        return "", 0.0  # (a condition says what sets it off; the means named next says how it is sent)
    hits_of = dict(zip(words, word_hits))
    carried = {w for w, hs in hits_of.items() if hs and hs[0].direction == "sense" and hs[0].score >= FREE
               and (len(hs) == 1 or hs[0].score - hs[1].score >= MARGIN)}
    action = [w for w in words if w not in carried and not (w in clear and clear[w].direction == "sense")]
    if not any(hits_of.get(w) and hits_of[w][0].direction == "communicate" for w in action):
        return "", 0.0
    return f"{' '.join(action)} to me", FREE


def _opens_with_verb(c: Clause) -> bool:
    """The clause opens with a verb's inflected form ("switches on", "glowed"): a predicate of the thing before."""
    words = _WORD.findall(c.text.lower())
    return bool(words) and words[0] not in GRAMMAR_WORDS and any(words[0] != b for b in base_forms(words[0]))


def _complements(cls: list[Clause], i: int) -> bool:
    """The clause is a to-infinitive after a noun phrase naming one thing ("a fan to spin faster"): it says
    what that thing is to do."""
    words = _WORD.findall(cls[i].text.lower())
    return bool(i) and cls[i].joined_by in INFINITIVE and _names_one_thing(cls[i - 1]) and bool(words) \
        and words[0] not in GRAMMAR_WORDS and words[0] in base_forms(words[0])


def _a_reading_of(hit, before, asked_before: list[str]) -> bool:
    """What a clause saying what the thing before it does reads as is one of the close readings of that thing
    (the clause before asked for something, and this reading is within ``SECOND_MARGIN`` of its best, on the
    same side): "a fan that spins": spinning is what a fan does, no second part spins."""
    if not asked_before or not before:
        return False
    top = before[0].score
    return any(h.capability == hit.capability and h.direction == before[0].direction
               and h.score >= top - SECOND_MARGIN for h in before[:3])


def _acts_on_one_thing(c: Clause) -> bool:
    """The clause is a verb (and its particles) then a noun phrase naming one thing ("turn on a fan"): what it
    asks for is that one thing."""
    words = _WORD.findall(c.text.lower())
    if not words or words[0] in GRAMMAR_WORDS or not base_forms(words[0]):
        return False
    rest = words[1:]
    while rest and rest[0] in PARTICLES:
        rest = rest[1:]
    return 2 <= len(rest) <= 4 and rest[0] in THING_OPENERS


def _names_one_thing(c: Clause) -> bool:
    """The clause is a noun phrase naming one thing: an article or a possessive, then up to three words
    ("a garden LED")."""
    words = _WORD.findall(c.text.lower())
    return 2 <= len(words) <= 4 and words[0] in THING_OPENERS


def _is_a_thing(cls: list[Clause], c: Clause) -> bool:
    """The request's opening clause names the thing itself: a noun phrase (an article or a possessive
    before it, or nothing else in the request) naming no part, not negated, not a title before a colon,
    and not followed by the list of what it has ("X with ...": that list is the ask)."""
    if c is not cls[0] or c.joined_by or c.names_part or c.negated or c.heading or _names_the_project(cls, c):
        return False
    first = _WORD.findall(c.text.lower())[:1]
    return len(cls) == 1 or first[0] in THING_OPENERS if first else False


def _names_the_project(cls: list[Clause], c: Clause) -> bool:
    """The request's opening clause, naming no part, followed by what the thing has (``HAS``)."""
    i = cls.index(c)
    return i == 0 and not c.joined_by and not c.names_part and len(cls) > 1 and cls[1].joined_by in HAS \
        and not cls[1].negated  # ("a tone maker with no controller": what it lacks, the name is what it does)


def _compounds_by_head(text: str, library: Library) -> str:
    """``text`` with each compound word the model reads by a misleading first piece cut to its head
    (:func:`agents.understand.spelling.compound_head`), blanked in place so offsets stay the same."""
    try:

        pieces = capability_index(library).embedder.word_pieces
    except Exception:  # no model here: nothing is embedded either
        return text
    out = text
    for m in _WORD.finditer(text):
        head = compound_head(m.group(0), pieces(m.group(0)), library) if len(m.group(0)) >= 6 else None
        if head:
            out = out[:m.start()] + " " * (len(m.group(0)) - len(head)) + out[m.end() - len(head):]
    return out


def _ask(res: NeedsResult, c: Clause, hits, limit: float, have: set[str]) -> None:
    """The clause read on its own, for the requirement gate: what it asks for, any of the close readings
    (a clause a named part explains, a heading, or one that asks only for power, a controller or a passive
    detail, is not kept)."""
    top = hits[0]
    if c.heading or top.score < limit or top.capability in have:
        return
    close = [h for h in hits if h.score >= top.score - SECOND_MARGIN]
    if any(h.capability in have for h in close):
        return
    # a clause about power or the controller only is the source's and the board's checks
    if all(h.direction in ("passive", "power") or h.capability == CONTROLLER for h in close):
        return
    res.asked.append(AskedFunction(words=c.text, any_of=[h.capability for h in close], score=round(top.score, 3)))


def _power_words(word_hits, clause_hits) -> list:
    """The power capabilities single words of a clause name clearly (best for the word by POWER_WORD_MARGIN,
    at least POWER_WORD) and the whole clause matches at least FREE."""
    out = []
    for hits in word_hits:
        if len(hits) > 1 and hits[0].direction == "power" and hits[0].score >= POWER_WORD \
                and hits[0].score - hits[1].score >= POWER_WORD_MARGIN:
            whole = next((h for h in clause_hits if h.capability == hits[0].capability), None)
            if whole is not None and whole.score >= FREE and whole not in out:
                out.append(whole)
    return out


def _clear(hits):
    """The capability a single word names clearly (its hit), if it does."""
    if len(hits) > 1 and hits[0].score >= WORD and hits[0].score - hits[1].score >= WORD_MARGIN:
        return hits[0]
    return None


def _direction_of(hits, capability: str) -> str | None:
    return next((h.direction for h in hits if h.capability == capability), None)


def _need(capability: str, text: str, score: float) -> NeededFunction:
    """A need with the voltage its clause states for it ("switches a 120 V fan": volts 120)."""
    volts = [q.value for q in find_quantities(text) if q.unit == "V" and not q.plus_minus and not q.is_range]
    target = {"volts": volts[0]} if len(volts) == 1 else {}
    return NeededFunction(capability=capability, words=text, score=round(score, 3), target=target)
