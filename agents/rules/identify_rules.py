"""Rules identify: what a request needs, read from its words and the library's records.

1. Parts the request names (keys, part numbers, aliases), with quantities ("two motors",
   "dual displays", "LEDs" = 2).
2. Part-like phrases the library does not answer to by name ("a Velodyne lidar", "a boost
   converter") are searched semantically; the ones nothing matches are left for the retrieve step
   to flag as out-of-library.
3. Functional needs from project words (concepts) and the quantities to measure, covered by as few
   sensors as the library allows.
4. The controller board: the one named, else one with Wi-Fi/Bluetooth when the request needs it,
   else the default 5 V hobby board when anything needs a controller.
5. Voltages (supply, load, converter outputs), figures (cutoff, gain, Vout), options and topologies.
6. The parts beginners forget (see :mod:`agents.rules.companions`).
"""

from __future__ import annotations

import re

from agents.models import Identification, Need
from agents.rules import concepts as K
from agents.rules.board_choice import board_links, choose_board
from agents.rules.mentions import GENERIC, mention_index
from agents.rules.part_search import best_word_match, resolve_query, search_words, semantic
from agents.rules.phrases import chunk_qty, leftover_chunks, qualified_generics
from agents.rules.request_voltages import read_voltages
from agents.rules.sensor_cover import sensors_for_quantities
from agents.rules.text import frequency, gain, normalize, stem, token_spans, voltages
from knowledge.library import Library
from knowledge.record import ComponentRecord

ADJUNCT_NEXT = {"power", "supply", "voltage", "current", "speed", "controller", "control", "driver", "line", "wire",
                "wires", "pin", "pins", "side", "input", "output", "rail", "terminal", "terminals", "lead", "leads"}


def identify_rules(request: str, library: Library) -> Identification:
    text = re.sub(r"<[^<>]{0,200}>", " ", request).strip()  # markup is not part of a request
    low = normalize(text)
    idx = mention_index(library)
    mentions = idx.spot(text)
    ident = Identification()
    needs: list[Need] = []

    # -- alternatives: "ESP32 or HC-05" keeps the first
    drop: set[int] = set()
    toks = [t for t, _, _ in token_spans(text)]
    for i in range(1, len(mentions)):
        a, b = mentions[i - 1], mentions[i]
        between = toks[a.end:b.start]
        if between and between[-1] == "or" and len(between) <= 2:
            drop.add(i)
            ident.notes.append(f"'{b.text}' was offered as an alternative to '{a.text}'; using {a.text}.")

    # -- named parts
    prev_qty = 1
    for i, m in enumerate(mentions):
        if i in drop:
            continue
        raw = low[m.char_start:m.char_end]
        last = raw.split()[-1] if raw.split() else raw
        plural = last.endswith("s") and stem(last) != last
        qty = m.qty
        before = toks[max(0, m.start - 3):m.start]
        if "each" in before and qty in (None, 1):
            qty = prev_qty
        if qty is None:
            qty = 2 if plural else 1
        nxt = toks[m.end] if m.end < len(toks) else ""
        spans_ = token_spans(text)
        if nxt and any(ch in low[spans_[m.end - 1][2]:spans_[m.end][1]] for ch in ",.;:!?()"):
            nxt = ""  # the next word belongs to another sentence or clause
        if len(m.text.split()) == 1 and nxt in ADJUNCT_NEXT and m.key and any(
            n.key and library[n.key].category == library[m.key].category for n in needs
        ):
            continue  # "motor power from a 12 V adapter": a word describing another noun
        if "the" in toks[max(0, m.start - 2):m.start] and m.key and any(
            n.key and library[n.key].category == library[m.key].category for n in needs
        ) and not any(n.key == m.key for n in needs):
            continue  # "the motors" refers to the stepper motors already named
        key = m.key if not m.generic else _resolve_generic(library, m.text, m.keys, low)
        if key is None:
            if m.text in GENERIC:
                continue  # "a display", "a battery": concepts and power rules decide
            key = _pick_among(library, m.keys, low)
        if key is None:
            continue
        prev_qty = qty
        needs.append(Need(phrase=m.text, key=key, qty=qty, role=_role(library[key]), explicit=True))

    # -- a generic name with a qualifier the library does not know ("flux capacitor", "TMC2209
    #    stepper driver") is a part of its own: the retriever decides what it is, or that it is missing
    qualified = qualified_generics(library, text, mentions, drop)
    for m, phrase in qualified:
        needs[:] = [n for n in needs if not (n.phrase == m.text and n.explicit)]
    # -- part-like phrases nothing in the library answers to by name
    chunks = [p for _, p in qualified]
    chunks += [c for c in leftover_chunks(text, mentions, library) if not any(c in q for q in chunks)]
    for chunk in chunks:
        key, sem_ood = _resolve_phrase(library, chunk)
        if key is not None and not any(n.key == key for n in needs):
            needs.append(Need(phrase=chunk, key=key, qty=chunk_qty(chunk), role=_role(library[key]), explicit=True))
        elif key is None:
            needs.append(Need(phrase=chunk, key=None, qty=chunk_qty(chunk), role="part", explicit=True,
                              why="named in the request"))

    # -- concepts: options, topologies, functional needs
    named_words = set()
    for n in needs:
        if n.key:
            named_words |= _record_words(library[n.key])
    for c in K.CONCEPTS:
        if not c.matches(low):
            continue
        for o in c.options:
            if o not in ident.notes:
                ident.notes.append(f"option:{o}")
        for t in c.topologies:
            if t not in ident.topologies:
                ident.topologies.append(t)
        preds = [K.PREDICATES[nd[2]] for nd in c.needs if len(nd) > 2 and nd[2] in K.PREDICATES]
        if preds:
            # covered when a named part can already do the job (a relay for "switch the lamp")
            if any(n.key and preds[0](library[n.key]) for n in needs):
                continue
        elif c.covers and named_words & set(c.covers):
            continue
        for need in c.needs:
            query, qty = need[0], need[1]
            pred = K.PREDICATES.get(need[2]) if len(need) > 2 else None
            key = resolve_query(library, query, pred)
            if key is None or any(n.key == key for n in needs):
                continue
            needs.append(Need(phrase=query, key=key, qty=qty, role=_role(library[key]), explicit=False,
                              why=f"the request asks for it ({query})"))
            named_words |= _record_words(library[key])

    # -- tones need a sounder that follows the frequency it is driven at: a self-oscillating buzzer
    #    (one fixed pitch on DC) is swapped for one without an oscillator
    if "option:tones" in ident.notes:
        from agents.rules.sounders import tone_sounder_for

        for n in needs:
            if n.key:
                n.key = tone_sounder_for(library, n.key) or n.key

    # -- a motor driver implies the motors it drives ("an L298N stepper driver")
    _motors_for_drivers(library, needs)

    # -- quantities to measure, covered by as few sensors as possible
    needs += sensors_for_quantities(library, low, needs)

    # -- two boards and the link between them
    board_links(library, low, needs, ident)

    # -- numbers and voltages
    read_voltages(text, low, needs, ident, library)
    f = frequency(text)
    if f:
        ident.numbers["cutoff_hz"] = f
    g = gain(text)
    if g:
        ident.numbers["gain"] = g
    m = re.search(r"(?:to|into|down to|output of|gives?|get)\s+(\d+(?:\.\d+)?)\s*v\b", low)
    if m and "divider" in ident.topologies:
        ident.numbers["vout"] = float(m.group(1))
        vs = sorted({v for v, _ in voltages(text)})
        if len(vs) >= 2 and not ident.supply_volts:
            ident.supply_volts = vs[-1]  # "divide 5 V down to 3.3 V": the larger is the input
    if "dc_supply" in ident.topologies:
        m = re.search(r"(\d+(?:\.\d+)?)\s*v\s*(?:output|out|regulated|rail)|regulated\s+(\d+(?:\.\d+)?)\s*v", low)
        if m:
            ident.numbers["vout"] = float(m.group(1) or m.group(2))

    # lowpass: LC when an inductor is named or a switching regulator is being smoothed, else RC
    if "lowpass" in ident.topologies:
        ident.topologies.remove("lowpass")
        lc = any(n.key and library[n.key].spice.kind == "inductor" for n in needs) or "inductor" in low or " lc " in f" {low} "
        ident.topologies.append("lc_lowpass" if lc else "rc_lowpass")
        if "switching" in low or "regulator" in low or "buck" in low:
            ident.notes.append("switching")
    if "transistor_switch" in ident.topologies and any(
        n.key and library[n.key].category == "sensor" for n in needs
    ):
        ident.topologies = ["light_sensor_switch" if t == "transistor_switch" else t for t in ident.topologies]

    # -- a 555 with no controller named runs on its own: the astable oscillator of its datasheet
    from agents.rules.timer_astable import is_555

    if any(n.key and is_555(library[n.key]) for n in needs) and not any(
            n.key and library[n.key].is_mcu for n in needs) and "timer_astable" not in ident.topologies:
        ident.topologies.append("timer_astable")

    # -- the board
    ident.needs = needs
    ident.board = choose_board(library, ident, low)

    # -- the parts beginners forget
    from agents.rules.companions import companions

    merged = _merge(ident.needs)
    ident.needs = merged
    ident.needs = merged + companions(library, ident)
    return ident


# ---- helpers -----------------------------------------------------------------------------------


def _role(rec: ComponentRecord) -> str:
    from agents.rules.power_tree import is_converter, is_source

    if rec.is_mcu:
        return "controller"
    if is_source(rec) or is_converter(rec):
        return "supply"
    if rec.category == "driver":
        return "driver"
    return "part"


def _record_words(rec: ComponentRecord) -> set[str]:
    from agents.rules.text import tokens

    return set(tokens(" ".join([rec.key.replace("-", " "), rec.name, " ".join(rec.aliases)])))


def _pick_among(lib: Library, keys: list[str], low: str) -> str | None:
    if not keys:
        return None
    if len(keys) == 1:
        return keys[0]
    hits = search_words(lib, low, predicate=lambda r: r.key in keys, k=len(keys))
    return hits[0].key if hits else keys[0]


def _resolve_generic(lib: Library, phrase: str, keys: list[str], low: str) -> str | None:
    """A generic word ("battery", "transistor", "microcontroller") settled by capability."""
    p = phrase.lower()
    if p in ("microcontroller", "controller", "board"):
        return None  # the board rule decides
    if p in ("transistor",):
        cands = [r for r in lib if r.spice.kind == "npn"]
        cands.sort(key=lambda r: (("sot" in r.description.lower()), r.ratings.ic_max or 0))
        return cands[0].key if cands else None
    if p in ("battery", "cell"):
        from agents.rules.power_tree import is_source, source_volts

        vs = [v for v, _ in voltages(low)]
        bats = [r for r in lib if is_source(r) and "batt" in (r.key + r.name).lower()]
        for v in vs:
            for r in bats:
                if source_volts(r) and abs(source_volts(r) - v) < 0.3:
                    return r.key
        return None
    if len(keys) > 1:
        return None
    return None if p in GENERIC else (keys[0] if keys else None)


def _resolve_phrase(lib: Library, phrase: str) -> tuple[str | None, bool]:
    """A phrase the request names: the retriever decides (it knows what is out of library)."""
    sem = semantic(phrase)
    if sem is not None:
        ood, matches = sem
        if not ood and matches:
            return matches[0][0], False
        return None, ood
    key = best_word_match(lib, phrase)
    return key, key is None


def _motors_for_drivers(lib: Library, needs: list[Need]) -> None:
    from agents.rules.kinds import is_motor, is_stepper
    from agents.rules.motor_drivers import driver_outputs, drives_dc, drives_steppers

    drivers = [n for n in needs if n.key and lib[n.key].category == "driver" and driver_outputs(lib[n.key])]
    if not drivers or any(n.key and (is_motor(lib[n.key]) or is_stepper(lib[n.key])) for n in needs):
        return
    for d in drivers:
        rec = lib[d.key]
        stepper = "stepper" in d.phrase or (drives_steppers(rec) and not drives_dc(rec))
        if stepper:
            key = resolve_query(lib, "stepper motor", is_stepper)
            qty = d.qty
        else:
            key = resolve_query(lib, "dc motor", lambda r: is_motor(r) and not is_stepper(r))
            qty = d.qty * max(1, len(driver_outputs(rec)) // 2)
        if key:
            needs.append(Need(phrase="stepper motor" if stepper else "dc motor", key=key, qty=qty, role="part",
                              explicit=False, why=f"the {d.phrase} drives it"))


def _merge(needs: list[Need]) -> list[Need]:
    """One need per key (explicit wins, quantities add up for separate mentions)."""
    out: list[Need] = []
    by_key: dict[str, Need] = {}
    for n in needs:
        if n.key is None:
            if not any(o.key is None and o.phrase == n.phrase for o in out):
                out.append(n)
            continue
        prev = by_key.get(n.key)
        if prev is None:
            by_key[n.key] = n
            out.append(n)
            continue
        prev.qty = max(prev.qty, n.qty)
        prev.explicit = prev.explicit or n.explicit
        prev.attrs.update(n.attrs)
    return out
