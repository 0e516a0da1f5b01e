"""A model's :class:`Requirements`, checked against the library and repaired by the rules' reading.

The rules' reading of the request is the floor: what they found stays (named parts with their counts,
unknown mentions with their near misses, constraints read from the words). The model's answer adds
what the rules missed, but only what the library and the request support:

- a named part must be a library key (or a name, alias or part number that spots one); its words, or
  its record's name, must occur in the request; a part the request rules out (or a board when it
  rules a controller out) is dropped; a count the rules read wins, and a count of the model's own
  must be a number the request states;
- a need must be a capability slug of the records (or map to one by meaning), asked for by words
  of the request, and not already given by a named part;
- a constraint the rules read wins; the model fills a gap only with a board it named that the
  library has, or a figure the request states;
- unknown mentions, analog blocks and design preferences are the rules' (a model that says a part
  is missing would stop the design; blocks and preferences are the trade's terms, read by the rules).

Every change is written to ``notes`` so the report says what the model got wrong.
"""

from __future__ import annotations

import re

from agents.rules.mentions import mention_index
from agents.rules.text import tokens
from agents.understand.requirements import NamedPart, NeededFunction, PowerSource, Requirements
from knowledge.capabilities import entries
from knowledge.library import Library

CONTROLLER = "controller"  # the capability a board provides: the board choice, not a need
NEED_MIN_SCORE = 0.40      # a model's need must match its words by meaning at least this well (the rules' FREE)
NEED_TOP = 3               # ... and be among the best few capabilities for those words
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
NEGATORS = {"no", "without", "not", "avoid", "never", "dont"}
_STOP = {"the", "and", "with", "for", "from", "module", "board", "sensor", "part"}


def _asked(request: str) -> set[str]:
    return {t for t in tokens(request) if (len(t) > 2 or any(ch.isdigit() for ch in t)) and t not in _STOP}


def _numbers(request: str) -> set[float]:
    return {float(m.group(0)) for m in _NUMBER.finditer(request)}


def _stated(value: float | None, numbers: set[float]) -> bool:
    """``value`` (in SI) is a number the request states, in any engineering prefix."""
    if value is None:
        return False
    return any(abs(value - n * 10.0 ** e) <= 1e-6 * max(1.0, abs(value)) for n in numbers for e in range(-12, 13, 3))


def _name_words(library: Library, key: str) -> set[str]:
    rec = library[key]
    return set(tokens(" ".join([rec.key.replace("-", " "), rec.name, " ".join(rec.aliases)])))


def library_key(library: Library, key: str) -> str | None:
    """The library key the model meant: the key itself, else the one its text spots by name, alias or part number."""
    if key in library:
        return key
    text = key.replace("-", " ")
    hits = mention_index(library).spot(text)
    # the whole text must be one name ("HC-SR04", "Arduino Uno"), not a name inside other words ("flux capacitor")
    if len(hits) == 1 and hits[0].key and hits[0].start == 0 and hits[0].end == len(tokens(text)):
        return hits[0].key
    return None


def repair_requirements(llm: Requirements, rules: Requirements, library: Library, request: str,
                        index=None) -> Requirements:
    """The model's answer, checked and merged onto the rules' reading (``index``: a CapabilityIndex, or None)."""
    out = rules.model_copy(deep=True)
    notes: list[str] = []
    asked = _asked(request)
    numbers = _numbers(request)
    c = out.constraints
    forbidden = set(c.forbidden)

    # -- named parts
    have = {p.key: p for p in out.named_parts}
    for p in llm.named_parts:
        key = library_key(library, p.key)
        if key is None:
            notes.append(f"model: '{p.key}' is not in the component library; dropped")
            continue
        if not _name_words(library, key) & asked:
            notes.append(f"model: the request does not name {key}; dropped")
            continue
        if key in forbidden or (c.no_controller and library[key].is_mcu):
            notes.append(f"model: {key} is ruled out by the request; dropped")
            continue
        if key in have:
            if have[key].count != p.count:
                notes.append(f"model: {p.count} × {key}, the request says {have[key].count}; kept {have[key].count}")
            continue
        count = p.count
        if count > 1 and not _stated(float(count), numbers):
            notes.append(f"model: {count} × {key} is not a number the request states; kept 1")
            count = 1
        words = p.words if set(tokens(p.words)) & asked else key
        have[key] = NamedPart(key=key, count=count, words=words[:120])
        out.named_parts.append(have[key])
        notes.append(f"model: added {key} (the rules had not read it)")

    # -- the board
    if c.board is None and llm.constraints.board and not c.no_controller:
        key = library_key(library, llm.constraints.board)
        if key is not None and library[key].is_mcu and key in have:
            c.board = key
    boards = [p.key for p in out.named_parts if library[p.key].is_mcu]
    if c.board is None and boards and not c.no_controller:
        c.board = boards[0]
    if llm.constraints.no_controller != c.no_controller:
        notes.append(f"model: no_controller={llm.constraints.no_controller}; the request's words say "
                     f"{c.no_controller}; kept {c.no_controller}")

    # -- needs
    slugs = {e.capability: e.direction for e in entries(library)}
    given = {cap.capability for p in out.named_parts for cap in library[p.key].provides}
    wanted = {n.capability for n in out.needs}
    for n in llm.needs:
        slug = n.capability if n.capability in slugs else None
        words = n.words if set(tokens(n.words)) & asked else ""
        if not words:
            notes.append(f"model: need '{n.capability}' quotes no words of the request; dropped")
            continue
        if index is not None:
            ranked = index.rank([words])[0][:NEED_TOP]
            fits = [h for h in ranked if h.score >= NEED_MIN_SCORE]
            if slug is None and fits:
                slug = fits[0].capability  # an unknown slug: the capability its words mean
            elif slug is not None and not any(h.capability == slug for h in fits):
                notes.append(f"model: '{words}' does not mean {slug}; dropped")
                continue
        if slug is None:
            notes.append(f"model: '{n.capability}' is not a capability of the library; dropped")
            continue
        if slug == CONTROLLER or slugs.get(slug) == "passive" or slug in given or slug in wanted or slug in forbidden:
            continue
        out.needs.append(NeededFunction(capability=slug, words=words[:200], count=min(n.count, 64)))
        wanted.add(slug)
        notes.append(f"model: needs {slug} ('{words[:60]}')")

    # -- constraints the rules left open, from figures the request states
    s = llm.constraints.source
    if c.source is None and s is not None and s.volts is not None and _stated(s.volts, numbers):
        key = library_key(library, s.key) if s.key else None
        c.source = PowerSource(kind=s.kind, volts=s.volts, key=key if key in have else None,
                               cells_series=s.cells_series if _stated(float(s.cells_series), numbers) else 1,
                               words=f"{s.volts:g} V")
        notes.append(f"model: powered from {s.volts:g} V ({s.kind})")
    for field in ("load_volts", "logic_volts"):
        v = getattr(llm.constraints, field)
        if getattr(c, field) is None and v is not None and _stated(v, numbers):
            setattr(c, field, v)
    for name, v in llm.constraints.targets.items():
        if name not in c.targets and re.fullmatch(r"[a-z][a-z0-9_]{0,30}", name) and _stated(v, numbers):
            c.targets[name] = v
    for name, v in llm.constraints.environment.items():
        if name not in c.environment and re.fullmatch(r"[a-z][a-z0-9_]{0,30}", name) and _stated(v, numbers):
            c.environment[name] = v
    negated = bool(set(tokens(request)) & NEGATORS)
    for f in llm.constraints.forbidden:  # a part the request names after a "no"/"without"
        key = library_key(library, f)
        if negated and key is not None and key not in have and key not in forbidden and _name_words(library, key) & asked:
            c.forbidden.append(key)
            forbidden.add(key)

    # -- descriptive words: the request's own
    low = request.lower()
    for d in llm.descriptive:
        if d and d.lower() in low and d not in out.descriptive:
            out.descriptive.append(d[:120])
    out.notes += notes
    return out
