"""What an output does in time ("a blinking LED", "beeps every 2 seconds", "stays on for 30 seconds after a
press"): a need the request's words put on an output, served by a controller's firmware where there is one
and by a timing part where the request rules a controller out.

Read by meaning against the records: a timing part's ``provides`` carries descriptions of the behaviours it
makes (``behaviour``: blink, alternate, one-shot, delay, fade). Each clause of the request, without the part
names in it (what is said of the parts, not the parts: "a blinking LED" reads "a blinking"), is compared with
them and with every other capability description; a behaviour is read where its best description matches
clearly (``BESIDES``, as a second function of a clause) and ``MARGIN`` better than any other capability (a clause about what a part is, "a lamp",
reads as the lamp's own capability first). A timed behaviour (one-shot, delay) needs a stated time: "switches
itself on at dusk" is a condition, not a timer. Two outputs read as flashing (blink or alternate, within
``SECOND_MARGIN``) take turns.

The figures come from the units library (:mod:`circuit.quantities`): a frequency ("0.5 Hz"), a period after
"every" ("every 2 seconds": 0.5 Hz), a rate in words ("twice a second"), a time span ("for 30 seconds", "a
minute after").
"""

from __future__ import annotations

import re

from agents.rules.part_search import semantic_enabled
from agents.rules.phrases import chunk_qty
from agents.rules.text import NUMBER_WORDS, quantity_before, rate_hz
from agents.understand.needs import BESIDES, FREE, MARGIN, RELATIVE, SECOND_MARGIN, clauses, content_words
from agents.understand.requirements import NeededFunction, Requirements, TimingNeed
from agents.understand.span_reading import timed_mode
from circuit.quantities import find_quantities
from knowledge.capabilities import capability_index
from knowledge.library import Library

REPEATING = ("blink", "alternate", "fade")
TIMED = ("one-shot", "delay")
# a count in words before a time unit is its number ("a minute", "ten seconds", "every few seconds")
_TIME_WORD = re.compile(r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) +
                        r")(\s+)(?=(?:milli)?(?:seconds?|secs?|minutes?|hours?)\b)", re.IGNORECASE)
_RATE_BEFORE = re.compile(r"\b(?:times|twice|once|thrice|blinks|flashes|beeps|pulses)\s+$", re.IGNORECASE)
re_break = re.compile(r"[.;:!?,()]")  # clauses across punctuation are not read together
_PERIOD_BEFORE = re.compile(r"\bevery\s+(?:other\s+)?$", re.IGNORECASE)


def _outputs(req: Requirements, library: Library) -> int:
    """How many outputs (parts that act: lights, sounders, motors) the request names or needs."""
    n = 0
    for p in req.named_parts:
        rec = library.get(p.key)
        if rec is not None and not rec.is_mcu and any(c.direction == "act" for c in rec.provides):
            n += p.count
    acts = {c.capability for r in library for c in r.provides if c.direction == "act"}
    return n + sum(x.count for x in req.needs if x.capability in acts)


def _spelled(text: str) -> str:
    """The text with a count in words before a time unit written as its number ("a minute": "1 minute"), but
    for a rate's unit ("twice a second") and a fraction of a unit ("half a minute": read by the units library)."""
    def number(m: re.Match) -> str:
        if _RATE_BEFORE.search(text[:m.start()]) or any(q.start <= m.start() < q.end for q in fractions):
            return m.group(0)
        return f"{NUMBER_WORDS[m.group(1).lower()]}{m.group(2)}"

    fractions = find_quantities(text)
    return _TIME_WORD.sub(number, text)


def figures(text: str) -> tuple[float | None, float | None]:
    """(frequency Hz, time span s) the text states: a frequency, a period after "every", a rate in words, a
    time span (a count in words read as its number: "a minute", "ten seconds")."""
    spelled = _spelled(text)
    hz = span = None
    for q in find_quantities(spelled):
        if q.unit == "Hz" and hz is None and q.value > 0:
            hz = q.value
        elif q.unit == "s" and q.value > 0:
            if _PERIOD_BEFORE.search(spelled[:q.start]):
                hz = hz or 1.0 / q.value
            elif span is None:
                span = q.value
    return hz or rate_hz(text), span


def _span_mode(text: str) -> str | None:
    """The timed behaviour (one-shot or delay) the words around the text's time span say
    (:mod:`agents.understand.span_reading`); None when they say neither."""
    spelled = _spelled(text)
    for q in find_quantities(spelled):
        if q.unit == "s" and q.value > 0 and not _PERIOD_BEFORE.search(spelled[:q.start]):
            return timed_mode(spelled, q.start, q.end)
    return None


def _said_of_parts(text: str, named_spans: list[tuple[int, int, str]]) -> str:
    """The text with the part names blanked (offsets kept)."""
    chars = list(text)
    for a, z, _ in named_spans:
        for i in range(max(a, 0), min(z, len(chars))):
            chars[i] = " "
    return "".join(chars)


def read_timing(text: str, req: Requirements, library: Library,
                named_spans: list[tuple[int, int, str]]) -> tuple[list[TimingNeed], NeededFunction | None]:
    """The behaviour read, and the output it implies where the request names or needs none ("a slowly pulsing
    beacon light": a light, its best reading among the outputs, at ``FREE``)."""
    if not semantic_enabled():  # reading by meaning is switched off: no behaviour is read
        return [], None
    said = _said_of_parts(text, named_spans)
    pieces = []
    cls = [c for c in clauses(text) if not c.negated and not c.heading]
    # each clause, and each with the next (a joining word may cut what is said of a part: "sounds | for
    # 5 seconds", "flash back | and forth")
    spans = [(c.start, c.end) for c in cls] + [(a.start, b.end) for a, b in zip(cls, cls[1:])
                                               if not re_break.search(text[a.end:b.start])]
    for start, end in spans:
        words = " ".join(said[start:end].split())
        if content_words(words):
            pieces.append((" ".join(text[start:end].split()), words, " ".join(text[start:end].split())))
    if not pieces:
        return [], None
    try:
        index = capability_index(library)
        rows = [i for i, e in enumerate(index.entries) if e.behaviour]
        if not rows:
            return [], None
        vecs = index.embed([w for _, w, _ in pieces])
        others = index.rank([w for _, w, _ in pieces], ends=True)
        whole = index.rank([t for _, _, t in pieces])  # with the part names: what the output is
    except Exception:  # no embedding model here: no behaviour is read
        return [], None
    timing_caps = {index.entries[i].capability for i in rows}
    hz, span = figures(said)  # a figure inside a part's name is no time ("a 1S protection board")
    best = timed = None
    for (clause, blank, _), v, hits, named in zip(pieces, vecs, others, whole):
        sims = index.vectors[rows] @ v
        by: dict[str, float] = {}
        for i, s in zip(rows, sims):
            b = index.entries[i].behaviour
            by[b] = max(by.get(b, -1.0), float(s))
        if span is None:  # a timer with no time said is a condition ("switches itself on at dusk")
            for b in TIMED:
                by.pop(b, None)
        if not by:
            continue
        top = max(by.values())
        other = next((h.score for h in hits if h.capability not in timing_caps), 0.0)
        if top >= BESIDES and top - other >= MARGIN and (best is None or top > best[0]):
            best = (top, clause, by, named)
        held = {b: x for b, x in by.items() if b in TIMED}
        if held and figures(blank)[1] is not None and (timed is None or max(held.values()) > timed[0]):
            timed = (max(held.values()), clause, held, named)
    if best is None and hz is None and not req.analog_blocks:
        # a time span said of an output, with no rate, is a timed behaviour however tersely it is put ("buzzer
        # sounds 6 s later", "5 s delay then on"): the figure says what the words leave short; which of the timed
        # behaviours, its clause's reading and the words said of the span decide
        best = timed
    if best is None:
        return [], None
    top, clause, by, named = best
    # what does something in time is an output: a sensing function read less clearly than the behaviour from
    # words inside the behaviour's own clause names that output ("a pair of lights that take turns": lights
    # that are lit, not a light sensor), and its count is theirs
    naming = _naming_the_output(req, library, _subject(text, clause), top)
    outputs = max(_outputs(req, library), max((_count_in(n.words) for n in naming), default=0))
    implied = None
    if not outputs:
        # (the behaviour's own words first, then the rest of the request: "a light | that switches itself off")
        acts = [next((h for h in hs if h.direction == "act" and h.capability not in timing_caps), None)
                for hs in [named] + whole]
        act = next((h for h in acts if h is not None and h.score >= FREE), None)
        if act is None:
            return [], None  # a behaviour of nothing the design has
        implied = NeededFunction(capability=act.capability, words=clause, score=round(act.score, 3))
        outputs = 1
    mode = max(by, key=by.get)
    if mode in TIMED:  # which state the time holds, from the words said of the span
        mode = _span_mode(said) or mode
    if mode in ("blink", "alternate"):
        # two outputs read as flashing take turns; one output flashing alone blinks
        alt = by.get("alternate", -1.0)
        mode = "alternate" if outputs >= 2 and alt >= by.get("blink", -1.0) - SECOND_MARGIN else "blink"
    need = TimingNeed(behaviour=mode, frequency_hz=hz if mode in REPEATING else None,
                      duration_s=span if mode in TIMED else None, words=clause, score=round(top, 3))
    return [need], implied


def _count_in(words: str) -> int:
    """How many things the words name: the count before their last word ("a pair of lights": 2), else their
    first word's ("two lamps")."""
    toks = re.findall(r"[a-z0-9]+", words.lower())
    return (quantity_before(toks, len(toks) - 1) if toks else None) or chunk_qty(words)


def _subject(text: str, clause: str) -> str:
    """The words that say what the behaviour's clause is about: the clause itself, and the clause before it
    where a relative word joins them ("a pair of lights | that take turns flashing")."""
    flat = " ".join(text.split())
    at = flat.find(clause)
    if at < 0:
        return clause
    cls = clauses(flat)
    for prev, c in zip(cls, cls[1:]):
        if c.start <= at < c.end and c.joined_by in RELATIVE:
            return flat[prev.start:c.end]
    return clause


def _naming_the_output(req: Requirements, library: Library, subject: str, score: float) -> list[NeededFunction]:
    """Sensing needs read, less clearly than the behaviour, from the words the behaviour's subject opens with:
    what blinks, fades or is timed is an output (a sensor does none of these). Words later in the clause are a
    condition ("blinks when light falls on it"): they stay."""
    sense = {c.capability for r in library for c in r.provides if c.direction == "sense"}
    head = subject.lower().lstrip()
    return [n for n in req.needs if n.capability in sense and n.words and head.startswith(n.words.lower().strip())
            and (n.score or 0) < score]


def apply_timing(text: str, req: Requirements, library: Library, named_spans: list[tuple[int, int, str]]) -> None:
    """Fill ``req.timing``; the figure becomes the target the timer is sized to (a frequency read as a filter's
    cutoff is the blink rate where no filter is asked for); an output asked for with a count in words is that many
    outputs; an output the behaviour implies is needed, in place
    of a function of no output read from the same words less clearly than the behaviour ("a pulsing beacon
    light" counts nothing in sequence)."""
    acts = {c.capability for r in library for c in r.provides if c.direction == "act"}
    for n in req.needs:  # an output asked for with its count in words ("two warning lights") is that many
        if n.capability in acts and n.count == 1 and n.words and chunk_qty(n.words) > 1:
            n.count = chunk_qty(n.words)
    req.timing, implied = read_timing(text, req, library, named_spans)
    t = req.constraints.targets
    for need in req.timing:
        # the output's own name, read as a sensor: the output, with the count those words give
        naming = _naming_the_output(req, library, _subject(text, need.words), need.score or 0)
        if naming:
            gone = {n.words for n in naming}
            req.needs = [n for n in req.needs if n not in naming]
            req.asked = [a for a in req.asked if a.words not in gone]
            count = max(_count_in(w) for w in gone)
            out = implied or next((n for n in req.needs if n.capability in acts and n.words and n.words in need.words),
                                  None)
            if out is not None:
                out.count = max(out.count, count)
        if need.frequency_hz and not any("pass" in b for b in req.analog_blocks):
            t.pop("cutoff_hz", None)
            t["frequency_hz"] = need.frequency_hz
        if need.duration_s:
            t["duration_s"] = need.duration_s
        if implied is not None:
            req.needs = [n for n in req.needs if n.capability in acts or not (
                n.words and n.words in need.words and (n.score or 0) < (need.score or 0))]
            if not any(n.capability == implied.capability for n in req.needs):
                req.needs.append(implied)


__all__ = ["apply_timing", "figures", "read_timing"]
