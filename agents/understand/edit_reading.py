"""Reading a follow-up into typed edit operations (:mod:`agents.understand.edit_ops`).

The message is read like a request (:func:`agents.understand.rules.understand_rules`: parts by the
library's names and by meaning, the power source, the board), then set against the current design:

- the design's own designators (``R1``, ``LED1``) and the parts it holds name the *targets*;
- quantities come from the units library (:func:`circuit.quantities.find_quantities`): an Ω, F or H
  value for a part that takes one is a value change;
- the board record's pin names, aliases and functions (``D9``, ``GPIO5``, ``pwm``, ``adc``) make a
  pin move, checked later against the record;
- a named power source is a supply change, a named board a board swap (only then);
- the remaining parts are added, removed or swapped in, by the operation words below.

Only this module (with the rest of :mod:`agents.understand`) reads the message's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.models import Plan, PlannedPart
from agents.rules.kinds import kind_of
from agents.rules.text import tokens
from agents.understand.rules import understand_rules
from circuit.quantities import find_quantities
from agents.understand.requirements import PowerSource
from agents.understand.edit_ops import (AddPart, EditRequest, MovePins, RemovePart, ReplacePart, SetSupply,
                                        SetValue, SwapBoard)
from knowledge.library import Library
from knowledge.record import ComponentRecord

# the words of the edit operations themselves (English verbs and particles, not part or project names)
REMOVE_WORDS = re.compile(
    r"\b(remove|delete|drop|ditch|lose|omit|eliminate|scrap|discard|get rid of|take (out|off|away)|"
    r"no longer|(don'?t|do not|doesn'?t) (need|want)|without|unplug|disconnect)\b")
REPLACE_WORDS = re.compile(
    r"\b(instead|replace|replacing|swap|switch (to|over)|exchange|substitute|rather than|in place of|change (the |it |this )?"
    r"[\w-]+ (to|for|into)|go with)\b")
EDIT_WORDS = re.compile(
    r"\b(add|also|include|plus|put|attach|connect|hook up|wire (in|up)|use|replace|swap|switch to|change|make it|"
    r"power it|instead|another|more|extra|move|set|rewire)\b")
QUESTION = re.compile(r"^\s*(why|what|which|how|where|when|who|is|are|does|do|can|could|should|explain|tell me)\b|\?\s*$")
MORE_WORDS = re.compile(r"\b(another|more|extra|additional|second|third|one more|also)\b")
_DESIGNATOR = re.compile(r"\b([A-Za-z]{1,3})[ -]?(\d{1,3})\b")
_WORD = re.compile(r"[a-z0-9]+")
# pin capabilities every I/O pin has: not a reason to move
_EVERY_PIN = {"gpio", "digital"}


@dataclass
class _Mention:
    key: str
    count: int
    words: str
    pos: int
    attrs: dict


def classify(message: str, plan: Plan | None, library: Library | None = None) -> str:
    """design | edit | question. With a design in the thread, a message that uses the words of an edit,
    names one of the design's parts by its designator, or changes a value or the pins of a part the
    design has edits it; otherwise it starts a new design."""
    low = message.lower().strip()
    if plan is None or not plan.parts:
        return "design"
    if QUESTION.search(low) and not re.match(r"^\s*(can|could) you (add|use|replace|remove|swap|change|make|move|set)",
                                             low):
        return "question"
    # a designator of this design, or one shaped like its designators ("R99" beside R1..R4), or a value
    # for a part ("330 Ω") speaks of the design in the thread
    prefixes = {re.match(r"[A-Za-z]*", p.id).group(0).upper() for p in plan.parts}
    refs = {m.group(1).upper() for m in _DESIGNATOR.finditer(message)}
    valued = any(q.unit in ("Ω", "F", "H") for q in find_quantities(message))
    if EDIT_WORDS.search(low) or REMOVE_WORDS.search(low) or refs & prefixes or valued:
        return "edit"
    if library is not None:
        ops = read_edit(message, plan, library).ops
        if any(isinstance(op, (SetValue, MovePins, RemovePart, ReplacePart)) for op in ops):
            return "edit"
    return "design"


def _lib_board(plan: Plan, library: Library) -> PlannedPart | None:
    for p in plan.parts:
        rec = library.get(p.type)
        if rec is not None and rec.is_mcu:
            return p
    return None


def _designators(text: str, plan: Plan, pin_names: set[str]) -> list[tuple[str, int]]:
    """Designators of this design the message names, with where (``r1``, ``LED 1`` -> R1, LED1)."""
    ids = {p.id.upper(): p.id for p in plan.parts}
    out = []
    for m in _DESIGNATOR.finditer(text):
        ref = (m.group(1) + m.group(2)).upper()
        if ref in ids and ref not in pin_names:
            out.append((ids[ref], m.start()))
    return out


def _pin_vocabulary(board: ComponentRecord | None) -> tuple[dict[str, str], dict[str, str]]:
    """(pin name or alias, upper-case -> pin name), (capability word -> function) from the board's record."""
    names: dict[str, str] = {}
    caps: dict[str, str] = {}
    if board is None:
        return names, caps
    for pin in board.pins:
        if pin.type not in ("digital_io", "digital_in", "digital_out", "analog_in", "analog_out"):
            continue
        for n in [pin.name, *pin.aliases]:
            names.setdefault(n.upper(), pin.name)
        for f in pin.functions:
            caps.setdefault(f, f)
            caps.setdefault(f.split("_")[0], f)  # i2c_sda -> "i2c", uart_tx -> "uart"
        if pin.type.startswith("analog"):
            caps.setdefault("analog", "adc")
    for w in _EVERY_PIN:
        caps.pop(w, None)
    return names, caps


def _name_words(rec: ComponentRecord) -> set[str]:
    words = set(tokens(rec.name)) | set(tokens(rec.key.replace("-", " ")))
    for a in rec.aliases:
        words |= set(tokens(a))
    return words


def _present(key: str, words: str, plan: Plan, library: Library) -> list[PlannedPart]:
    """The design's parts a mention of ``key`` means: that type, else a part whose name has its words."""
    exact = [p for p in plan.parts if p.type == key]
    if exact:
        return exact
    said = {w for w in tokens(words) if not w.isdigit()} or set(tokens(library[key].name))
    rec = library[key]
    out = []
    for p in plan.parts:
        prec = library.get(p.type)
        if prec is None or p.serves:
            continue
        if prec.category == rec.category and said and said <= _name_words(prec):
            out.append(p)
    return out


def same_slot(library: Library, old: str, new: str) -> bool:
    """Would ``new`` take ``old``'s place ("use a BME280 instead" of a DHT22): the same kind of part."""
    a, b = library[old], library[new]
    if a.is_mcu or b.is_mcu:
        return a.is_mcu and b.is_mcu
    if kind_of(a) == kind_of(b) and a.category == b.category:
        return True
    return a.category == b.category and a.category in ("sensor", "display", "communication", "driver")


def _value_unit(rec: ComponentRecord | None) -> str | None:
    return rec.value_unit if rec is not None and rec.value_attr else None


def read_edit(message: str, plan: Plan, library: Library) -> EditRequest:
    req = understand_rules(message, library)
    low = message.lower()
    out = EditRequest()
    board_part = _lib_board(plan, library)
    board_rec = library.get(board_part.type) if board_part else None
    pin_names, pin_caps = _pin_vocabulary(board_rec)

    # -- mentions of library parts, in the order written
    mentions: list[_Mention] = []
    for p in req.named_parts:
        pos = low.find(p.words.lower()) if p.words else -1
        mentions.append(_Mention(p.key, p.count, p.words, pos if pos >= 0 else len(low), dict(p.attrs)))
    mentions.sort(key=lambda m: m.pos)
    refs = _designators(message, plan, set(pin_names) if board_rec else set())
    targets_said = [pid for pid, _ in refs]
    consumed: set[int] = set()

    def present_targets() -> list[str]:
        ids = list(targets_said)
        for i, m in enumerate(mentions):
            if library[m.key].is_mcu or library[m.key].category == "power":
                continue
            for p in _present(m.key, m.words, plan, library):
                if p.id not in ids:
                    ids.append(p.id)
        return ids

    # -- supply: a named source replaces the design's
    src = req.constraints.source
    if src is None and "usb" in _WORD.findall(low) and ("board_power:usb" in req.preferences or re.search(
            r"\b(power|powered|run|supply|supplied|feed|fed)\b", low)):
        src = PowerSource(kind="usb", volts=5.0, words="usb")  # the board's own USB port: no source part
    if src is not None and (src.key or src.kind not in ("unknown", "board")):
        out.ops.append(SetSupply(source=src, key=src.key, words=src.words))
        for i, m in enumerate(mentions):
            if m.key == src.key:
                consumed.add(i)

    # -- values: an Ω/F/H quantity for a part that takes one
    quantities = [q for q in find_quantities(message) if q.unit in ("Ω", "F", "H")]
    for q in quantities:
        cands = [pid for pid in targets_said if _value_unit(library.get(plan.part(pid).type)) == q.unit]
        if not cands:
            named = present_targets()
            cands = [pid for pid in named if _value_unit(library.get(plan.part(pid).type)) == q.unit]
            if not cands:  # "the buzzer's resistor": the parts of that unit serving a named part
                cands = [p.id for p in plan.parts if p.serves in named and _value_unit(library.get(p.type)) == q.unit]
        missing = [m.group(0) for m in _DESIGNATOR.finditer(message)
                   if plan.part((m.group(1) + m.group(2)).upper()) is None
                   and any(p.id.upper().startswith(m.group(1).upper()) for p in plan.parts)]
        if not cands and missing:
            out.notes.append(f"there is no {missing[0].upper()} in the design: its parts are "
                             + ", ".join(p.id for p in plan.parts if _value_unit(library.get(p.type)) == q.unit) + ".")
            continue
        if not cands:
            have = [p.id for p in plan.parts if _value_unit(library.get(p.type)) == q.unit]
            out.notes.append(f"which part should be {q.raw}? Name it by its designator ({', '.join(have)})." if have
                             else f"the design has no part whose value is in {q.unit}.")
            continue
        for pid in cands:
            out.ops.append(SetValue(target=pid, value=q.value, unit=q.unit, words=q.raw))
        for i, m in enumerate(mentions):
            if _value_unit(library[m.key]) == q.unit:
                consumed.add(i)  # "the resistor" named the target, it is not a new part
        return _finish(out, mentions, consumed, req, plan, library, low, skip_parts=True)
    if quantities:  # a value for a part the design lacks is not a request to add one
        return out

    # -- pins: a pin name or a pin capability of the board, for a part of the design
    toks = _WORD.findall(low)
    found: list[tuple[int, str]] = []
    for m in re.finditer(r"\b([A-Za-z]{1,5}[ _-]?\d{1,3})\b", message):
        ref = re.sub(r"[ _-]", "", m.group(1)).upper()
        if ref in pin_names and ref not in {t.upper() for t in targets_said}:
            found.append((m.start(), pin_names[ref]))
    # "pin 9", "pins 9, 10 and 11": a bare number is a pin by the record's aliases
    for m in re.finditer(r"\bpins?\s+((?:\d{1,2}(?:\s*(?:,|and|&)\s*)?)+)", low):
        for n in re.finditer(r"\d{1,2}", m.group(1)):
            if n.group(0) in pin_names:
                found.append((m.start(1) + n.start(), pin_names[n.group(0)]))
    named_pins = list(dict.fromkeys(name for _, name in sorted(found)))
    function = next((pin_caps[t] for t in toks if t in pin_caps), None)
    if board_part is not None and (named_pins or function):
        who = [pid for pid in present_targets() if pid != board_part.id]
        served = {u.serves.split(":")[0].split(" ")[0] for u in plan.pins}
        who = [pid for pid in who if pid in served]
        if who:
            for pid in who:
                out.ops.append(MovePins(target=pid, function=function, pins=named_pins, words=message.strip()))
            for i, m in enumerate(mentions):
                if any(p.id in who for p in _present(m.key, m.words, plan, library)):
                    consumed.add(i)
            return _finish(out, mentions, consumed, req, plan, library, low, skip_parts=True)
        # no part of the design named: a part the message brings in takes a PWM pin when asked ("add a
        # buzzer on a PWM pin"); otherwise ask which part
        out = _finish(out, mentions, consumed, req, plan, library, low)
        for op in out.ops:
            if isinstance(op, AddPart) and function == "pwm":
                op.attrs["pwm"] = True
        if not any(isinstance(op, AddPart) for op in out.ops):
            out.notes.append("which part should move to those pins? Name it (e.g. the LED, or its designator).")
        return out
    return _finish(out, mentions, consumed, req, plan, library, low)


def _finish(out: EditRequest, mentions: list[_Mention], consumed: set[int], req, plan: Plan, library: Library,
            low: str, skip_parts: bool = False) -> EditRequest:
    board_part = _lib_board(plan, library)
    removing = bool(REMOVE_WORDS.search(low))
    replacing = bool(REPLACE_WORDS.search(low)) and not removing
    if skip_parts:
        return out
    rest = [m for i, m in enumerate(mentions) if i not in consumed]
    # -- the board: swapped only when one is named
    boards = [m for m in rest if library[m.key].is_mcu]
    rest = [m for m in rest if not library[m.key].is_mcu]
    if boards:
        new = [m for m in boards if board_part is None or m.key != board_part.type]
        if new and not removing:
            out.ops.append(SwapBoard(target=board_part.id if board_part else None, key=new[-1].key, words=new[-1].words))
        elif removing and board_part is not None and any(m.key == board_part.type for m in boards):
            out.notes.append("the controller board stays: name another board to use instead.")
    present = [(m, _present(m.key, m.words, plan, library)) for m in rest]
    have = [(m, ps) for m, ps in present if ps]
    absent = [m for m, ps in present if not ps]
    # a part ruled out by a negation ("no buzzer") names its target too
    for key in req.constraints.forbidden:
        if key in library and not any(m.key == key for m in rest):
            ps = [p for p in plan.parts if p.type == key]
            if ps:
                have.append((_Mention(key, 1, key, 0, {}), ps))
                removing = True
    if removing:
        for m, ps in have:
            count = m.count if len(ps) > 1 and re.search(rf"\b({m.count}|one|a|an)\b", low) and m.count < len(ps) \
                else None
            out.ops.append(RemovePart(target=ps[0].id, count=count, words=m.words))
        for m in absent:
            out.notes.append(f"there is no {m.words or m.key} in the design to remove.")
        return out
    if replacing and have and absent:
        for (m, ps), new in zip(have, absent):
            out.ops.append(ReplacePart(target=ps[0].id, key=new.key, words=f"{m.words} -> {new.words}"))
        absent = absent[len(have):]
        have = []
    if replacing and absent:
        for new in list(absent):
            slot = [p for p in plan.parts if not p.serves and p.type in library and same_slot(library, p.type, new.key)]
            if slot:
                out.ops.append(ReplacePart(target=slot[0].id, key=new.key, words=new.words))
                absent.remove(new)
    for m in absent:
        out.ops.append(AddPart(key=m.key, count=m.count, attrs=m.attrs, words=m.words))
    for m, ps in have:
        if MORE_WORDS.search(low) or m.count > 1:
            out.ops.append(AddPart(key=ps[0].type, count=m.count, attrs=m.attrs, words=m.words))
        else:
            out.notes.append(f"{ps[0].id} ({m.words or m.key}) is already in the design.")
    out.unknown = [u.words for u in req.unknown]
    return out
