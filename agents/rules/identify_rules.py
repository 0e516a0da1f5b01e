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
from agents.rules.mentions import GENERIC, mention_index
from agents.rules.part_search import best_word_match, looks_like_part_number, search_words, semantic
from agents.rules.text import distance_m, frequency, gain, normalize, stem, token_spans, voltages
from knowledge.library import Library
from knowledge.record import ComponentRecord

DEFAULT_BOARD_WORDS = ("arduino uno",)
HEADS = {
    "sensor", "module", "display", "screen", "motor", "pump", "valve", "relay", "driver", "board", "chip", "camera",
    "lidar", "radar", "speaker", "microphone", "mic", "battery", "regulator", "converter", "transistor", "mosfet",
    "diode", "resistor", "capacitor", "inductor", "switch", "button", "keypad", "keyboard", "led", "lamp", "bulb",
    "strip", "servo", "stepper", "encoder", "potentiometer", "joystick", "controller", "shield", "amplifier",
    "antenna", "transceiver", "receiver", "transmitter", "reader", "scanner", "printer", "actuator", "solenoid",
    "heater", "fan", "thermistor", "thermocouple", "accelerometer", "gyroscope", "magnetometer", "compass", "panel",
    "charger", "buzzer", "lcd", "oled", "tft", "expander", "multiplexer", "timer", "ic", "mcu", "microcontroller",
    "arduino", "raspberry", "teensy", "cell", "supply", "adapter", "breakout", "laser", "coil", "speaker", "headphone",
    "touchscreen", "epaper", "e-paper", "ink", "hub", "sensors", "modules",
} - {"controller", "board", "system", "circuit"}
FEATURE_WORDS = {"pin", "pins", "port", "gpio", "adc", "dac", "bus", "protocol", "signal", "line", "interface", "analog",
                 "digital", "channel", "input", "output", "level", "current", "voltage", "noise", "power"}
REFERENCE_WORDS = {"onboard", "built", "internal", "its", "their", "same", "existing", "this", "that", "these", "those"}
_VERBS = ("use|control|drive|read|power|step|show|display|log|include|detect|sense|measure|charge|feed|fire|"
          "trigger|turn|talk|send|receive|communicate|cycle|activate|monitor|check|hold|know|crush|connect|wire|build|"
          "design|create|make|need|want|have|get|add|let|allow|switch|run|keep|give|take|put|set|go|come|reach|play|"
          "draw|light|blink|flash|sound|buzz|beep|print|store|save|sit|help|tell|try|like|look|work|water|clean|"
          "smooth|filter|limit|adjust|move|rotate|spin|open|close|lock|unlock|count|cut|hit|stop|start|wake|sleep")
SPLIT = re.compile(r"[,.;:!?()\[\]]|\b(?:and|with|using|via|to|from|for|or|on|in|of|by|then|so|that|which|it|"
                   r"while|when|but|also|plus|into|onto|through|because|since|if|my|i|we|you|me|how|do|does|can|"
                   r"should|would|could|will|is|are|be|been|was|were|as|at|about|across|without|between|each|every|"
                   r"one|other|another|only|all|both|its|their|our|your|this|these|those|there|here|up|down|off|out|"
                   r"what|where|who|whom|why|not|no|yes|please|enough|too|very|just|even|a|an|the|some|any|"
                   r"(?!string\b|spring\b|bearing\b|ring\b)[a-z]+ing|(?!supply\b|assembly\b)[a-z]+ly|"
                   r"(?:" + _VERBS + r")(?:s|es|ed|d|ing)?)\b")
ARTICLES = {"a", "an", "the", "some", "any", "one", "two", "three", "four", "dual", "single", "each", "every",
            "separate", "individual", "long", "small", "big", "large", "simple", "basic", "cheap", "new"}
COMMON_ADJECTIVES = {"small", "tiny", "little", "large", "huge", "cheap", "good", "nice", "cool", "smart", "simple",
                     "basic", "main", "extra", "spare", "single", "double", "bright", "dim", "fast", "slow", "quick",
                     "long", "short", "high", "wide", "tall", "thin", "thick", "hot", "warm", "cold", "same", "other",
                     "more", "less", "some", "many", "each", "every", "both", "either", "first", "second", "third",
                     "last", "next", "left", "right", "front", "back", "top", "bottom", "side", "inner", "outer",
                     "onboard", "plain", "normal", "ordinary", "common", "usual", "generic", "standard", "typical"}
ADJUNCT_NEXT = {"power", "supply", "voltage", "current", "speed", "controller", "control", "driver", "line", "wire",
                "wires", "pin", "pins", "side", "input", "output", "rail", "terminal", "terminals", "lead", "leads"}
COLOURS = ("red", "green", "blue", "yellow", "white", "orange", "purple", "pink", "warm white")


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
    qualified = _qualified_generics(library, text, mentions, drop)
    for m, phrase in qualified:
        needs[:] = [n for n in needs if not (n.phrase == m.text and n.explicit)]
    # -- part-like phrases nothing in the library answers to by name
    chunks = [p for _, p in qualified]
    chunks += [c for c in _leftover_chunks(text, mentions, library) if not any(c in q for q in chunks)]
    for chunk in chunks:
        key, sem_ood = _resolve_phrase(library, chunk)
        if key is not None and not any(n.key == key for n in needs):
            needs.append(Need(phrase=chunk, key=key, qty=_chunk_qty(chunk), role=_role(library[key]), explicit=True))
        elif key is None:
            needs.append(Need(phrase=chunk, key=None, qty=_chunk_qty(chunk), role="part", explicit=True,
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

    # -- a motor driver implies the motors it drives ("an L298N stepper driver")
    _motors_for_drivers(library, needs)

    # -- quantities to measure, covered by as few sensors as possible
    needs += _sensors_for_quantities(library, low, needs)

    # -- two boards and the link between them
    _boards(library, low, needs, ident)

    # -- numbers and voltages
    _voltages(text, low, needs, ident, library)
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

    # -- the board
    ident.needs = needs
    ident.board = _choose_board(library, ident, low)

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


def _qualified_generics(lib: Library, text: str, mentions, drop: set[int]) -> list:
    from agents.rules.part_search import record_words

    vocab = _vocab(lib)
    spans = token_spans(text)
    norm = normalize(text)
    out = []
    for i, m in enumerate(mentions):
        if i in drop or m.start == 0 or m.absorbed:
            continue
        head = m.text.split()[-1]
        if head not in HEADS:
            continue
        j = m.start - 1
        if any(ch in norm[spans[j][2]:spans[j + 1][1]] for ch in ",.;:()"):
            continue
        q = spans[j][0]
        if len(m.text.split()) > 1 and not m.generic and not looks_like_part_number(q):
            continue  # "ultrasonic distance sensor" is a name of its own; "TMC2209 stepper driver" is not
        if any(o.start <= j < o.end for o in mentions):
            continue
        if q in ARTICLES or q.isdigit() or q in COLOURS or len(q) < 4 or q in COMMON_ADJECTIVES \
                or re.search(r"(ing|ed|ly|al|ic|ous|ful|less|able|ible|ive|est|er)$", q):
            continue  # an ordinary adjective ("blinking LED", "external resistor"), not a part name
        if looks_like_part_number(q) or q not in vocab:
            out.append((m, f"{q} {m.text}"))
    return out


def _vocab(lib: Library) -> set[str]:
    from agents.rules.part_search import lib_cache, record_words

    cache = lib_cache(lib)
    if "vocab" not in cache:
        words: set[str] = set()
        for r in lib:
            words |= record_words(r)
        cache["vocab"] = words
    return cache["vocab"]


def _leftover_chunks(text: str, mentions, library: Library | None = None) -> list[str]:
    """Part-like phrases outside the spotted mentions ("a Velodyne lidar", "a boost converter")."""
    low = normalize(text)
    named: set[str] = set()
    for m in mentions:
        named |= {stem(w) for w in m.text.split()}
        if library is not None:
            for k in m.keys:
                rec = library.get(k)
                if rec is not None:
                    named |= {stem(w) for w in _record_words(rec)}
    chars = list(low)
    spans = [(m.char_start, m.char_end) for m in mentions]
    # words the concepts turn into parts or options ("desk lamp", "power supply", "without WiFi")
    pats = [c.pattern for c in K.CONCEPTS if c.needs or c.topologies] + [p for p, _ in K.QUANTITIES.values()]
    pats += [K.RADIO.pattern, K.TWO_BOARDS.pattern]
    for pat in pats:
        for mm in re.finditer(pat, low):
            spans.append((mm.start(), mm.end()))
    for a, z in spans:
        for i in range(a, min(z, len(chars))):
            chars[i] = " "
    rest = "".join(chars)
    out = []
    for chunk in SPLIT.split(rest):
        if not chunk:
            continue
        words = [w for w in re.findall(r"[a-z0-9.+#-]+", chunk) if w]
        words = [w.strip(".-") for w in words if w.strip(".-")]
        while words and words[0] in ARTICLES:
            words = words[1:]
        if not words or len(words) > 5:
            continue
        if set(words) & REFERENCE_WORDS:
            continue
        if set(words) & FEATURE_WORDS and not any(looks_like_part_number(w.replace("-", "")) for w in words):
            continue  # "an ADC pin", "the power line": a feature of a part, not a part
        stems = [stem(w) for w in words]
        head = any(s in HEADS for s in stems)
        partno = any(looks_like_part_number(w.replace("-", "")) for w in words)
        if not (head or partno):
            continue
        heads = {s for s in stems if s in HEADS}
        if heads and not partno and heads <= named:
            continue  # "fan speed controller", "valve": words of a part already named
        qualifiers = [w for w, s in zip(words, stems) if s not in HEADS and not re.match(r"^[\d.]+[a-z]?$", w)
                      and w not in ARTICLES and len(w) > 1]
        if head and not qualifiers and not partno:
            continue  # "the sensors", "3.3v sensors": refers to parts already named
        out.append(" ".join(words))
    return out


def _chunk_qty(chunk: str) -> int:
    from agents.rules.text import NUMBER_WORDS

    first = chunk.split()[0]
    if first.isdigit():
        return max(1, min(int(first), 16))
    return NUMBER_WORDS.get(first, 1)


def resolve_query(lib: Library, query: str, predicate=None) -> str | None:
    """A functional query ("ultrasonic distance sensor") to a library key: every query word in a
    record first, then the semantic retriever, then the best partial word match."""
    key = best_word_match(lib, query, predicate)
    if key:
        return key
    sem = semantic(query)
    if sem is not None:
        ood, matches = sem
        for k, _ in matches:
            if k in lib and (predicate is None or predicate(lib[k])):
                if not ood:
                    return k
                break
    key = best_word_match(lib, query, predicate, min_cover=0.6)
    return key


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


def _sensors_for_quantities(lib: Library, low: str, needs: list[Need]) -> list[Need]:
    asked = [q for q, (pat, _) in K.QUANTITIES.items() if re.search(pat, low)]
    if not asked:
        return []
    have = set()
    for n in needs:
        if n.key and lib[n.key].category == "sensor":
            words = _full_words(lib[n.key])
            for q in asked:
                if any(w in words for w in K.QUANTITIES[q][1]):
                    have.add(q)
    todo = [q for q in asked if q not in have]
    out: list[Need] = []
    sensors = [r for r in lib if r.category == "sensor"]
    while todo:
        best = None
        for r in sensors:
            words = _full_words(r)
            cover = [q for q in todo if any(w in words for w in K.QUANTITIES[q][1])]
            if not cover:
                continue
            # the sensor that covers most; among equals, the one that names it in its name/aliases
            strong = _record_words(r)
            named = sum(1 for q in cover if any(w in strong for w in K.QUANTITIES[q][1]))
            score = (len(cover), named, -len(r.pins))
            if best is None or score > best[0]:
                best = (score, r, cover)
        if best is None:
            break
        _, r, cover = best
        out.append(Need(phrase=" and ".join(cover) + " sensing", key=r.key, qty=1, role="part", explicit=False,
                        why=f"measures {', '.join(cover)}"))
        todo = [q for q in todo if q not in cover]
    return out


def _full_words(rec: ComponentRecord) -> set[str]:
    from agents.rules.part_search import record_words

    words = record_words(rec)
    text = (rec.name + " " + " ".join(rec.aliases) + " " + rec.description).lower()
    for phrase in ("air quality", "load cell"):
        if phrase in text:
            words.add(phrase)
    return words


def _boards(lib: Library, low: str, needs: list[Need], ident: Identification) -> None:
    boards = [n for n in needs if n.key and lib[n.key].is_mcu]
    two = K.TWO_BOARDS.search(low) is not None
    if two and boards and boards[0].qty < 2:
        boards[0].qty = 2
    count = sum(n.qty for n in boards)
    if count >= 2 or two:
        proto = K.LINK_PROTOCOL.search(low)
        if proto is not None and not K.RADIO.search(low):
            ident.notes.append(f"option:{proto.group(1)}_link")
        elif K.RADIO.search(low):
            ident.notes.append("option:wireless_link")
    if K.RADIO.search(low) and (two or count >= 2):
        radios = [n for n in needs if n.key and lib[n.key].category == "communication"]
        if not radios:
            dist = distance_m(low)
            query = "lora long range radio module" if (dist or 0) > K.RADIO_LONG_RANGE_M else "2.4ghz rf transceiver"
            key = resolve_query(lib, query) or resolve_query(lib, "wireless transceiver radio module")
            if key:
                needs.append(Need(phrase=query, key=key, qty=max(2, count), role="part", explicit=False,
                                  why="one radio per board" + (f" (about {dist:g} m: beyond 2.4 GHz modules' "
                                                               "reliable range)" if dist else "")))
        else:
            for r in radios:
                r.qty = max(r.qty, max(2, count))


def _voltages(text: str, low: str, needs: list[Need], ident: Identification, lib: Library) -> None:
    from agents.rules.power_tree import converter_kind, is_converter, is_source

    supply_words = r"(battery|batteries|source|supply|adapter|power supply|psu|wall wart|input|cell|pack)"
    load_words = r"(solenoid|motor|motors|pump|strip|fan|lamp|heater|valve|load|coil|stepper|servo)"
    m = re.search(r"(\d+(?:\.\d+)?)\s*v\s+" + supply_words, low) or \
        re.search(supply_words + r"\s+(?:of|at|is)?\s*(\d+(?:\.\d+)?)\s*v\b", low) or \
        re.search(r"(?:from|with|have) an?\s+(\d+(?:\.\d+)?)\s*v\b", low)
    if m:
        v = next(g for g in m.groups() if g and re.match(r"^\d", g))
        ident.supply_volts = float(v)
    m = re.search(r"(\d+(?:\.\d+)?)\s*v\s+" + load_words, low) or \
        re.search(load_words + r"\w*\s+(?:needs|need|from|at|runs on|requires|rated|of)\s+(?:an?\s+)?(\d+(?:\.\d+)?)\s*v\b", low)
    if m:
        v = next(g for g in m.groups() if g and re.match(r"^\d", g))
        ident.load_volts = float(v)
    # converter outputs: "stepped down to 5V", "step up to 12 V"
    for n in needs:
        if not n.key:
            continue
        rec = lib[n.key]
        if is_converter(rec) and converter_kind(rec) in ("buck", "boost", "linear"):
            pos = low.find(n.phrase.split()[0]) if n.phrase else -1
            tail = low[pos:] if pos >= 0 else low
            mm = re.search(r"(?:to|at|→|output of|outputs?)\s*(\d+(?:\.\d+)?)\s*v\b", tail)
            if mm:
                n.attrs["voltage"] = f"{mm.group(1)} V"
            elif converter_kind(rec) == "boost" and ident.load_volts:
                n.attrs["voltage"] = f"{ident.load_volts:g} V"
            elif converter_kind(rec) == "buck":
                n.attrs.setdefault("voltage", "5 V")
    # a supply the request names by voltage only ("from a 12V source") becomes a source need
    if ident.supply_volts and not any(n.key and is_source(lib[n.key]) for n in needs):
        key = _source_key(lib, ident.supply_volts)
        if key:
            needs.append(Need(phrase=f"{ident.supply_volts:g} V supply", key=key, qty=1, role="supply", explicit=False,
                              attrs={"voltage": f"{ident.supply_volts:g} V"}, why="the supply the request names"))
    if ident.load_volts and ident.supply_volts and ident.load_volts > ident.supply_volts + 0.5 \
            and not any(n.key and is_converter(lib[n.key]) and converter_kind(lib[n.key]) == "boost" for n in needs):
        key = resolve_query(lib, "boost converter step up", predicate=lambda r: is_converter(r) and converter_kind(r) == "boost")
        if key:
            needs.append(Need(phrase="boost converter", key=key, qty=1, role="supply", explicit=False,
                              attrs={"voltage": f"{ident.load_volts:g} V"},
                              why=f"the load needs {ident.load_volts:g} V, above the {ident.supply_volts:g} V supply"))
    if ident.load_volts and not ident.supply_volts and any(
        n.key and lib[n.key].category in ("actuator", "driver") for n in needs
    ):
        key = _source_key(lib, ident.load_volts)
        if key and not any(n.key and is_source(lib[n.key]) for n in needs):
            needs.append(Need(phrase=f"{ident.load_volts:g} V supply", key=key, qty=1, role="supply", explicit=False,
                              attrs={"voltage": f"{ident.load_volts:g} V"}, why="the load's supply"))


def _source_key(lib: Library, volts: float) -> str | None:
    from agents.rules.power_tree import configurable, is_source, source_volts

    exact, adjustable = None, None
    for r in lib:
        if not is_source(r):
            continue
        v = None if configurable(r) else source_volts(r)
        if v is not None and abs(v - volts) < 0.3 and exact is None:
            exact = r.key
        if v is None:
            text = (r.key + " " + r.name).lower()
            if adjustable is None or "supply" in text or "adapter" in text:
                adjustable = r.key
    return exact or adjustable


def _choose_board(lib: Library, ident: Identification, low: str) -> str | None:
    boards = [n for n in ident.needs if n.key and lib[n.key].is_mcu]
    if boards:
        return boards[0].key
    opts = {o.split(":", 1)[1] for o in ident.notes if o.startswith("option:")}
    needs_mcu = re.search(r"\b(microcontroller|mcu|arduino|controller|esp32|raspberry|pico)\b", low) is not None
    for n in ident.needs:
        if not n.key:
            continue
        rec = lib[n.key]
        from agents.rules.kinds import kind_of

        k = kind_of(rec)
        if k in ("module", "expander", "i2c_mux", "keypad", "digits", "driver", "motor") and rec.category != "power":
            needs_mcu = True
    analog_only = set(ident.topologies) & {"dc_supply", "lc_lowpass", "rheostat", "transistor_switch",
                                            "light_sensor_switch"}
    if analog_only and not re.search(r"\b(microcontroller|mcu|arduino|esp32|controller)\b", low):
        needs_mcu = False
    if not needs_mcu and ("wifi" in opts or "bluetooth" in opts):
        needs_mcu = True
    if not needs_mcu:
        if ident.topologies:
            return None
        if any(n.key and lib[n.key].category in ("indicator", "input", "sensor", "actuator", "display") for n in ident.needs):
            needs_mcu = True
    if not needs_mcu:
        return None
    want = []
    if "wifi" in opts:
        want.append(("wi-fi", "wifi"))
    if "bluetooth" in opts:
        want.append(("bluetooth",))
    cands = sorted(lib.by_category("microcontroller"), key=lambda r: (-len(r.aliases), r.key))
    if want:
        for r in cands:
            text = (r.description + " " + " ".join(r.aliases)).lower()
            if all(any(w in text for w in group) for group in want):
                key = r.key
                break
        else:
            key = None
        if key and key in lib:
            _add_board(ident, key, "the request needs " + " and ".join(g[0] for g in want))
            return key
    for word in DEFAULT_BOARD_WORDS:
        key = best_word_match(lib, word, predicate=lambda r: r.is_mcu)
        if key:
            _add_board(ident, key, "a 5 V hobby board: most modules run at 5 V without level shifting")
            return key
    if cands:
        _add_board(ident, cands[0].key, "a controller")
        return cands[0].key
    return None


def _add_board(ident: Identification, key: str, why: str) -> None:
    ident.needs.insert(0, Need(phrase="controller board", key=key, qty=1, role="controller", explicit=False, why=why))


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
