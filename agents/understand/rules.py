"""Rules understanding: a request's words -> :class:`Requirements`, offline.

1. Parts the request names (keys, part numbers, aliases), with counts ("two motors", "2x 18650",
   "a few LEDs", "a 30 LED WS2812B strip" is one strip of 30).
2. Part-like phrases no library name answers to are searched semantically: resolved ones are named
   parts, the rest are unknown mentions (a component noun or a part number), kept apart from
   descriptive words.
3. Needs by meaning (:mod:`agents.understand.needs`): clauses against the records' capabilities.
4. Constraints: the power source (volts, cells in series), the load's voltage, the named board,
   "no microcontroller", ruled-out parts; figures (cutoff, gain, output volts, distance).
5. Design preferences and analog blocks, from the trade's terms (:mod:`agents.understand.vocabulary`).

This module and its helpers are the only ones that read the request's words.
"""

from __future__ import annotations

import re

from agents.rules.mentions import GENERIC, mention_index
from agents.rules.part_search import best_word_match, looks_like_part_number, search_words, semantic
from agents.rules.phrases import ARTICLES as CHUNK_OPENERS, HEADS, chunk_qty, leftover_chunks, qualified_generics
from agents.rules.power_tree import configurable, converter_kind, is_converter, is_source, regulates_current, source_volts
from agents.rules.sounders import tone_sounder_for
from agents.rules.text import (
    NUMBER_WORDS, distance_m, duration_s, frequency, gain, normalize, rate_hz, stem, token_spans, tokens, voltages,
)
from agents.understand.compounds import compound_needs
from agents.understand.exclusion import DETERMINERS, excludes
from agents.understand.fixtures import building_fixtures
from agents.understand.goal_instrument import read_instrument
from agents.understand.goal_parts import read_goal
from agents.understand.product_noun import names_the_product
from agents.understand.interface_reading import read_buses
from agents.understand.kind_reading import display_named_by_kind
from agents.understand.length_reading import read_lengths
from agents.understand.measured_range import read_measured_ranges, read_unranged_measurement
from agents.understand.network_source import read_network_source
from agents.understand.negation_scope import negated_at
from agents.understand.open_conditions import apply_open_conditions
from agents.understand.needs import clauses, content_words, is_filler, needs_by_meaning
from agents.understand.requirements import (
    Constraints, NamedPart, NeededFunction, PowerSource, Requirements, UnknownMention,
)
from agents.understand.spelling import correct as correct_spelling
from agents.understand.stated_source import answered_by_the_source
from agents.understand.held_value import sensor_for_held_values
from agents.understand.time_of_day import clock_for_times_of_day
from agents.understand.varied_output import mark_varied
from agents.understand.power_out import power_for_a_device
from agents.understand.source_reading import refine_generic_sources
from agents.understand.stated_ratings import (
    beyond_rating, read_converter_input, read_part_currents, read_supply_current,
)
from agents.understand.timing_reading import apply_timing
from agents.understand.trigger_reading import apply_triggers
from agents.understand.vocabulary import COMPARING, LINK_PROTOCOL, TERMS
from circuit.hazard import SELV_AC_V
from circuit.quantities import find_quantities
from knowledge.library import Library
from knowledge.preference import commonness_rank, most_preferred, preference
from knowledge.record import ComponentRecord

ADJUNCT_NEXT = {"power", "supply", "voltage", "current", "speed", "controller", "control", "driver", "line", "wire",
                "wires", "pin", "pins", "side", "input", "output", "rail", "terminal", "terminals", "lead", "leads"}
LENGTH_LINKS = {"of", "with"}  # "a strip of 30 LEDs", "a ring with 16 LEDs"
MAX_COUNT = 1024  # the most of one part a request is read as asking for (NamedPart.count)
CONTROLLER_WORDS = {"microcontroller", "controller", "mcu", "board"}
NEGATORS = {"no", "without", "not", "avoid", "dont", "never"}
# negators that take a noun ("no X", "without a X", "avoid X"); the others negate a verb ("don't let X ...")
NOUN_NEGATORS = {"no", "without", "avoid"}
ARTICLES = {"a", "an", "the", "any", "my", "our"}
POSSESSIVE_OWNERS = frozenset({"its", "their"})  # "its own X": one X for each of the parts before
FREE_OF = "free"  # a suffix that negates the noun before it ("mcu-free")
SUPPLY_WORDS = r"(battery|batteries|source|supply|adapter|power supply|psu|wall wart|input|cell|cells|pack)"
LOAD_WORDS = r"(solenoid|motor|motors|pump|strip|fan|lamp|heater|valve|load|coil|stepper|servo)"


MAX_COUNTED = 64  # agents.rules.text reads a figure up to this as a count of any part
MAX_ELEMENTS = 1024  # a part whose record is one element of many (a pixel) is counted up to this (NamedPart.count)

def understand_rules(request: str, library: Library) -> Requirements:
    text = re.sub(r"<[^<>]{0,200}>", " ", request).strip()  # markup is not part of a request
    text, fixes = correct_spelling(text, library)
    low = normalize(text)
    idx = mention_index(library)
    mentions = idx.spot(text)
    req = Requirements()
    req.notes += [f"read '{a}' as '{b}'." for a, b in fixes]
    toks = [t for t, _, _ in token_spans(text)]
    spans_ = token_spans(text)

    # -- alternatives: "ESP32 or HC-05" keeps the first
    drop: set[int] = set()
    for i in range(1, len(mentions)):
        a, b = mentions[i - 1], mentions[i]
        between = toks[a.end:b.start]
        if between and between[-1] == "or" and len(between) <= 2:
            drop.add(i)
            req.notes.append(f"'{b.text}' was offered as an alternative to '{a.text}'; using {a.text}.")

    # -- a part number, then the name of a kind of the same category with only its figures between ("MAX7219
    #    eight-digit 7-segment module", "WS2812B 8x8 LED matrix"): one part, the one the number names
    for i in range(1, len(mentions)):
        a, b = mentions[i - 1], mentions[i]
        if i - 1 in drop or i in drop or a.key is None or not b.keys or b.key == a.key:
            continue
        if not any(looks_like_part_number(w) for w in a.text.split()) \
                or any(looks_like_part_number(w) for w in b.text.split()):
            continue
        gap = toks[a.end:b.start]
        if len(gap) > 3 or any(is_filler(w) for w in gap) \
                or any(ch in low[spans_[a.end - 1][2]:spans_[b.start][1]] for ch in ",.;:()[]!?/+&"):
            continue
        if {library[k].category for k in b.keys} != {library[a.key].category} or library[a.key].is_mcu:
            continue
        drop.add(i)
        grids = [g for w in toks[a.end:b.end] if (g := re.fullmatch(r"(\d{1,3})x(\d{1,3})", w))]
        if grids and (a.qty or 1) == 1:  # "a WS2812B 8x8 LED matrix": 64 pixels
            a.qty = _in_a_grid(library[a.key], int(grids[0].group(1)), int(grids[0].group(2))) or a.qty
        req.notes.append(f"'{b.text}' after '{a.text}' names the same part.")

    # -- a count before a word of a part's own name belongs to that part ("30 LED WS2812B strip")
    for i in range(1, len(mentions)):
        a, b = mentions[i - 1], mentions[i]
        if i - 1 in drop or i in drop or a.end != b.start or b.key is None or not a.qty or a.qty < 2:
            continue
        if set(a.text.split()) <= _name_words(library[b.key]) and not b.qty:
            b.qty = a.qty
            drop.add(i - 1)

    # -- a count after a part, of a word of its own name, is its length ("a WS2812B strip of 30 LEDs")
    for i in range(1, len(mentions)):
        a, b = mentions[i - 1], mentions[i]
        if i - 1 in drop or i in drop or a.key is None or not b.qty or b.qty < 2 or (a.qty or 1) > 1:
            continue
        own = _name_words(library[a.key])
        between = {t for t in toks[a.end:b.start] if not t.isdigit()}
        if between & LENGTH_LINKS and between <= LENGTH_LINKS | own and set(b.text.split()) <= own \
                and b.key != a.key:
            a.qty = b.qty
            drop.add(i)

    # -- "an 8x8 WS2812B panel", "an 8x32 MAX7219 matrix": a grid's size just before a chained part is how many
    for m in mentions:
        if m.key and (m.qty or 1) == 1 and (grid := _grid_before(toks, spans_, low, m.start)):
            m.qty = _in_a_grid(library[m.key], *grid) or m.qty

    named: list[tuple[object, NamedPart]] = []
    negated_keys: list[str] = []
    request_clauses = clauses(low)
    stated_power: list[NeededFunction] = []  # "a battery" with no voltage: some battery, the planner's choice
    prev_qty = 1
    for i, m in enumerate(mentions):
        if i in drop:
            continue
        raw = low[m.char_start:m.char_end]
        last = raw.split()[-1] if raw.split() else raw
        plural = last.endswith("s") and stem(last) != last
        if plural and re.match(r"\d+x?\b", m.text):
            plural = False  # a name that holds its own count ("4 AA batteries" = one pack): the plural is inside it
        before = toks[max(0, m.start - 3):m.start]
        negated = _negation_reaches(m, toks, spans_, low, request_clauses)
        if m.text in CONTROLLER_WORDS or (m.key and library[m.key].is_mcu and m.text not in GENERIC):
            if negated:
                # "no microcontroller", "no arduino" rule out the class; "no nano" rules out that board
                req.constraints.no_controller = req.constraints.no_controller or _names_the_class(library, m)
            else:
                req.constraints.wants_controller = True
        qty = m.qty
        if qty is None and m.key and library[m.key].led_count == 1 and m.start and toks[m.start - 1].isdigit() \
                and MAX_COUNTED < int(toks[m.start - 1]) <= MAX_ELEMENTS:
            qty = int(toks[m.start - 1])  # "150 WS2812B": a record of one pixel counts past a handful of parts
        if "each" in before and qty in (None, 1):
            qty = prev_qty
        # one for each of the parts just counted: "its own potentiometer", "their own driver" (a possessive
        # with "own" right before the part), or a plural with no count of its own joined by "with" to them
        # ("4 servos with potentiometers": a knob per servo)
        own = len(before) >= 2 and before[-1] == "own" and before[-2] in POSSESSIVE_OWNERS
        if prev_qty >= 2 and (own and qty in (None, 1) or qty is None and plural and before[-1:] == ["with"]):
            qty = prev_qty
        guessed = qty is None and plural
        if qty is None:
            qty = 2 if plural else 1
        nxt = toks[m.end] if m.end < len(toks) else ""
        if nxt and any(ch in low[spans_[m.end - 1][2]:spans_[m.end][1]] for ch in ",.;:!?()"):
            nxt = ""  # the next word belongs to another sentence or clause
        if len(m.text.split()) == 1 and nxt in ADJUNCT_NEXT and m.key and not looks_like_part_number(m.text) and any(
            library[p.key].category == library[m.key].category for _, p in named
        ):
            continue  # "motor power from a 12 V adapter": a word describing another noun (a part number names a part)
        if not negated and "the" in toks[max(0, m.start - 2):m.start] and m.key and any(
            library[p.key].category == library[m.key].category and _same_head(p.words, m.text) for _, p in named
        ) and not any(p.key == m.key for _, p in named):
            continue  # "the motors" refers to the stepper motors already named (not "a relay ... the pump")
        key = m.key if not m.generic else _resolve_generic(library, m.text, m.keys, low)
        if key is None:
            if m.text in GENERIC:
                if not negated:
                    stated_power += _power_kind_named(library, m)
                continue  # "a display", "a battery": needs and power rules decide
            key = _pick_among(library, m.keys, low)
        if key is None:
            continue
        if negated:
            if m.text not in GENERIC:  # "without WiFi" rules out a function (needs decide), not a board
                negated_keys.append(key)
                negated_keys += _kind_ruled_out(library, key, m.text)
            continue
        prev_qty = qty
        listed = _listed_before(idx, toks, spans_, low, m, mentions) if m.key else []
        for word, other, n in listed:  # "red, yellow and green LEDs": one of each
            named.append((m, NamedPart(key=other, count=n, words=f"{word} {m.text.split()[-1]}")))
        named.append((m, NamedPart(key=key, count=1 if listed and guessed else qty, words=m.text)))

    # -- a generic name with a qualifier the library does not know ("flux capacitor", "TMC2209
    #    stepper driver") is a part of its own: the retriever decides what it is, or that it is missing
    qualified = qualified_generics(library, text, mentions, drop)
    for m, phrase in qualified:
        named[:] = [(mm, p) for mm, p in named if mm is not m]
    chunks = [p for _, p in qualified]
    chunks += [c for c in leftover_chunks(text, mentions, library) if not any(c in q for q in chunks)]
    extra: list[NamedPart] = []
    for chunk in chunks:
        chunk = _trim_attributes(chunk)
        if re.search(r"\b(?:" + "|".join(NEGATORS) + r")\s+(?:\w+\s+)?" + re.escape(chunk) + r"\b", low):
            continue  # "no wall adapter": ruled out, not asked for (needs by meaning record what it rules out)
        if not _names_a_part(chunk) or re.search(r"\b(?:my|our|your|his|her|their)\s+" + re.escape(chunk), low) \
                or _is_the_project(chunk, low):
            # a project name or a goal ("a precision CNC actuator block"), or the user's own thing
            # ("my desk lamp"): what it needs is found by meaning, it is not a part to fetch
            req.descriptive.append(chunk)
            continue
        key = _resolve_phrase(library, chunk)
        if key is not None and all(library[p.key].is_mcu for _, p in named) \
                and names_the_product(chunk, low, library[key]):
            # "a kitchen timer": a kind of part qualified by what the thing is for names the thing to build
            req.descriptive.append(chunk)
            req.notes.append(f"'{chunk}' names the thing to build, not the {library[key].name}.")
            continue
        if key is not None and (past := beyond_rating(chunk, library[key])):
            # "the 2 kW immersion heater": read as a 20 W heating pad by meaning, but its own figure names a bigger
            # thing of the kind, which the library lacks
            req.notes.append(f"'{chunk}' is not the {library[key].name}: {past}.")
            key = None
        if key is not None:
            if not any(p.key == key for _, p in named) and not any(p.key == key for p in extra):
                extra.append(NamedPart(key=key, count=_chunk_count(low, chunk), words=chunk))
        elif not any(u.words == chunk for u in req.unknown):
            req.unknown.append(UnknownMention(words=chunk, count=chunk_qty(chunk)))

    named = _one_restated_controller(low, named, library)
    _sources_at_stated_voltage(low, named, library)
    req.notes += refine_generic_sources(low, named, library)  # "a rechargeable battery pack": which kind
    for p in _sources_by_voltage(low, mentions, library):  # "a 6 V panel": the source of that kind and voltage
        if not any(q.key == p.key for _, q in named) and not any(q.key == p.key for q in extra):
            extra.append(p)
    _part_supplies(low, named, library)
    read_part_currents(text, low, named, library)  # "a 3 A motor": the current the part draws, for the rating gate
    req.notes += read_lengths(low, named, library)  # "a 5 m LED strip": a part sold by the metre draws for its length
    parts = _generic_after_specific(_merge([p for _, p in named] + extra), library)
    req.named_parts = parts

    # -- needs by meaning
    named_spans = [(m.char_start, m.char_end, p.key) for m, p in named]
    for p in extra:  # parts found from a phrase ("a temperature sensor"): where the phrase stands
        hit = re.search(r"\b" + r"\W+".join(re.escape(w) for w in p.words.split()) + r"\b", low)
        if hit:
            named_spans.append((hit.start(), hit.end(), p.key))
    # "a 16x2 LCD without the I2C backpack": the build of the named part that talks over the bus stated
    bus_reading = read_buses(low, named_spans, {p.key: p.words for p in parts}, library)
    for swap in bus_reading.swaps:
        for p in parts:
            if p.key == swap.old:
                p.key = swap.new
        named_spans = [(a, z, swap.new if k == swap.old else k) for a, z, k in named_spans]
        req.notes.append(swap.note)
    # ("with an I2C adapter" after the LCD: how the LCD is built, no part of its own)
    req.unknown = [u for u in req.unknown if not _within(low, u.words, bus_reading.described)
                   and not _holds(low, u.words, bus_reading.said)]
    # "a charger for my phone": power made for the user's device is handed out to it
    given_out = power_for_a_device(low, request_clauses, [(m.char_start, m.char_end) for m in mentions],
                                   named_spans, library)
    if given_out.dropped:
        parts = req.named_parts = [p for p in parts if p.key not in given_out.dropped]
        named_spans = [s for s in named_spans if s[2] not in given_out.dropped]
    req.notes += given_out.notes
    res = needs_by_meaning(text, library, named_spans, [p.key for p in parts])
    req.needs = res.needs
    req.asked = res.asked
    have = {n.capability for n in res.needs} | set(res.forbidden) | {
        c.capability for p in parts for c in library[p.key].provides}
    more, more_asked = compound_needs(text, library, have)  # "a light-sensitive switch": what drives it
    req.needs += more
    req.asked += more_asked
    req.needs = [n for n in req.needs if not given_out.replaces(n, library)]  # (read with the user's device)
    req.needs += [n for n in given_out.needs if not any(x.capability == n.capability for x in req.needs)]
    for n in stated_power:  # (unless ruled out by meaning: "nothing runs on batteries")
        if not any(x.capability == n.capability for x in req.needs) and n.capability not in res.forbidden:
            req.needs.append(n)
    _one_each(low, req.needs, named_spans, parts)
    req.constraints.forbidden = list(dict.fromkeys(negated_keys + res.forbidden))
    # what the request rules out is not also asked for: a clause read only as that ("no RTC module, the Pico keeps
    # the time itself") says how it is done without it
    ruled_out = set(req.constraints.forbidden)
    req.needs = [n for n in req.needs if n.capability not in ruled_out]
    req.asked = [a for a in req.asked if not set(a.any_of) <= ruled_out]
    # (and an interface read from words holding a named part's bus is that part's own: "a BME280 over I2C")
    req.needs = [n for n in req.needs if not _within(low, n.words, bus_reading.described)
                 and not (_direction(library, n.capability) == "interface" and _holds(low, n.words, bus_reading.said))]
    req.asked = [a for a in req.asked if not _within(low, a.words, bus_reading.described)
                 and not (all(_direction(library, x) == "interface" for x in a.any_of)
                          and _holds(low, a.words, bus_reading.said))]
    # "the temperature from a DS18B20 on a small screen": the screen, read on its own
    display_named_by_kind(low, named_spans, req, library)
    req.constraints.no_controller = req.constraints.no_controller or res.no_controller \
        or _class_word_negated(spans_, mentions, low, text)
    req.constraints.wants_controller = (req.constraints.wants_controller or res.wants_controller) \
        and not req.constraints.no_controller
    if req.constraints.no_controller:
        req.named_parts = [p for p in req.named_parts if not library[p.key].is_mcu]

    # -- preferences and analog blocks
    for term in TERMS:
        if not term.matches(low):
            continue
        if term.preferences and all(negated_at(low, a, z) for a, z in term.spans(low)):
            continue  # "not powered by USB": the choice is ruled out, not made (needs by meaning record it)
        for o in term.preferences:
            if o not in req.preferences:
                req.preferences.append(o)
        if term.blocks and all(any(a <= s and e <= z for a, z, _ in named_spans) for s, e in term.spans(low)):
            continue  # the words name a part the request names ("a 5v psu" is the supply, not a supply to build)
        for t in term.blocks:
            if t not in req.analog_blocks:
                req.analog_blocks.append(t)
    mark_varied(req)  # "dim a 230 V lamp": the lamp is asked at a varied level, not only switched
    if "no_controller" in req.preferences:  # "discrete parts only": the trade's word for no controller
        req.preferences.remove("no_controller")
        if not req.constraints.wants_controller and not any(library[p.key].is_mcu for p in req.named_parts):
            req.constraints.no_controller = True
    # words a trade term explains ("an RC network") ask for that block, not for a function found by meaning
    block_terms = [term for term in TERMS if term.blocks]
    req.needs = [n for n in req.needs if not any(term.matches(normalize(n.words)) for term in block_terms)]
    req.asked = [a for a in req.asked if not any(term.matches(normalize(a.words)) for term in block_terms)]
    if "lowpass" in req.analog_blocks:
        req.analog_blocks.remove("lowpass")
        lc = any(library[p.key].spice.kind == "inductor" for p in req.named_parts) or re.search(r"\b(inductor|lc|choke)\b", low)
        req.analog_blocks.append("lc_lowpass" if lc else "rc_lowpass")
        if any(library[p.key].ratings.v_out is not None or "converter" in library[p.key].name.lower()
               for p in req.named_parts) or re.search(r"\b(switching|regulator|buck|boost)\b", low):
            req.preferences.append("switching")

    # -- "a buzzer" that must play tones means a sounder without its own oscillator (a generic word
    #    settled by record data, like "a 9 V battery"; a part number named is kept as named)
    if "tones" in req.preferences:
        for p in req.named_parts:
            if not any(looks_like_part_number(w) for w in p.words.split()):
                p.key = tone_sounder_for(library, p.key) or p.key
        # and a sound asked for by meaning is asked of the sounders that play tones: what they provide
        for n in req.needs:
            subs = [tone_sounder_for(library, r.key) for r in library if _provides(r, n.capability)]
            if subs and all(subs):
                acts = [c.capability for c in library[subs[0]].provides if c.direction == "act"]
                if acts:
                    for a in req.asked:  # the clause it was read from is answered by the tone sounder too
                        if n.capability in a.any_of and acts[0] not in a.any_of:
                            a.any_of.append(acts[0])
                    n.capability = acts[0]

    # -- the board, links between boards
    boards = [p for p in req.named_parts if library[p.key].is_mcu]
    if boards:
        req.constraints.board = boards[0].key
    proto = LINK_PROTOCOL.search(low)
    if proto is not None and sum(p.count for p in boards) >= 2:
        req.preferences.append(f"{proto.group(1)}_link")
    d = distance_m(low)
    if d:
        req.constraints.targets["distance_m"] = d

    # -- voltages and figures
    _read_power(text, low, req, library)
    read_converter_input(text, req, library)  # "48 V down to 5 V" with the converter named: what it runs from
    # "runs off a 60 V DC bus": a voltage nothing else explains, stated as the network the design runs from
    read_network_source(text, req, library, _unexplained_volts(text, req, library, named_spans))
    # the power a request states (a source, a converter it names) is the power: no supply is inferred

    if req.constraints.source is not None or any(is_source(library[p.key]) or is_converter(library[p.key])
                                                 for p in req.named_parts):
        # (a conversion asked for by meaning stays: charging the stated cell, stepping it up; not one read
        # from the very words that name the source, "a 5 V USB supply")
        # (and none when the request names its own regulator or converter: that one is the conversion)
        src_words = normalize(req.constraints.source.words) if req.constraints.source else ""
        named_conversion = any(is_converter(library[p.key]) and converter_kind(library[p.key]) != "charger"
                               for p in req.named_parts)
        req.needs = [n for n in req.needs if _direction(library, n.capability) != "power"
                     or (_converts(library, n.capability) and not named_conversion
                         and not (src_words and src_words in normalize(n.words))
                         and not _restates_source(n.words, req.constraints.source))]
    _step_up_for_higher_outputs(req, library)
    f = frequency(text)
    if f:
        req.constraints.targets["cutoff_hz"] = f
    r = rate_hz(text)
    if r and not f:
        req.constraints.targets["frequency_hz"] = r
    d = duration_s(text)
    if d and not r:
        req.constraints.targets["duration_s"] = d
    g = gain(text)
    if g:
        req.constraints.targets["gain"] = abs(g)
        if g < 0 and "opamp_noninverting" in req.analog_blocks:  # a negative gain is an inverting stage
            req.analog_blocks[req.analog_blocks.index("opamp_noninverting")] = "opamp_inverting"
    if "opamp_inverting" in req.analog_blocks and "opamp_noninverting" in req.analog_blocks:
        # one stage: "inverting op amp" names the op-amp and its configuration, not two stages
        req.analog_blocks.remove("opamp_noninverting" if not re.search(r"non[- ]?invert", low) else "opamp_inverting")
    req.analog_blocks = list(dict.fromkeys(req.analog_blocks))
    m = re.search(r"(?:to|into|down to|output of|gives?|get)\s+(\d+(?:\.\d+)?)\s*v\b", low)
    if m and "divider" in req.analog_blocks:
        req.constraints.targets["vout"] = float(m.group(1))
        vs = sorted({v for v, _ in voltages(text)})
        if len(vs) >= 2 and req.constraints.source is None:
            req.constraints.source = PowerSource(volts=vs[-1], words=f"{vs[-1]:g} V")
    if "comparator" in req.analog_blocks or any(
            any(c.capability == "compare-threshold" for c in library[p.key].provides) for p in req.named_parts):
        # a threshold voltage: one stated that is not the supply's ("once the wiper passes 2.5 V")
        supply = req.constraints.source.volts if req.constraints.source else None
        vs = [v for v, _ in voltages(text) if supply is None or abs(v - supply) > 0.05]
        if len(vs) == 1:
            req.constraints.targets["threshold_v"] = vs[0]
    if "zener_shunt" in req.analog_blocks:
        # the Zener is the regulator: a regulator part (or another Zener) resolved from the same generic words
        # ("zener shunt regulator") is not another one

        def generic(p: NamedPart) -> bool:
            return not any(looks_like_part_number(w.replace("-", "")) for w in p.words.split())

        zeners = [p for p in req.named_parts if library[p.key].spice.kind == "zener"]
        the_zener = next((p for p in zeners if not generic(p)), zeners[0] if zeners else None)
        req.named_parts = [p for p in req.named_parts if not (
            (is_converter(library[p.key]) or (library[p.key].spice.kind == "zener" and p is not the_zener))
            and generic(p))]
        vs = sorted({v for v, _ in voltages(text)})
        if len(vs) >= 2:
            req.constraints.targets["vout"] = vs[0]
            if req.constraints.source is None:
                req.constraints.source = PowerSource(volts=vs[-1], words=f"{vs[-1]:g} V")
        req.needs = [n for n in req.needs if _direction(library, n.capability) != "power"]

    vs = sorted({v for v, _ in voltages(text)})
    if "dc_supply" not in req.analog_blocks and re.search(r"(?<!no )(?<!without )(?<!any )\bregulators?\b", low) \
            and len(vs) >= 2 and not any(is_converter(library[p.key]) and converter_kind(library[p.key]) != "charger"
                                         for p in req.named_parts):
        # "12 V down to 5 V with a regulator": a regulated supply from the higher voltage to the lower
        req.analog_blocks.append("dc_supply")
        req.constraints.targets["vout"] = vs[0]
    if "dc_supply" in req.analog_blocks:
        # the regulated supply block is the conversion: no second converter from the same words
        req.needs = [n for n in req.needs if not (_direction(library, n.capability) == "power"
                                                  and _converts(library, n.capability))]
        m = re.search(r"(\d+(?:\.\d+)?)\s*v\s*(?:output|out|regulated|rail)|regulated\s+(\d+(?:\.\d+)?)\s*v", low)
        if m:
            req.constraints.targets["vout"] = float(m.group(1) or m.group(2))
    _stated_output(text, req, library, named_spans)
    _current_source(text, req, library)
    read_supply_current(text, req, library)  # "a 12 V 1 A adapter": what the stated supply gives, for the rating gate
    req.notes += read_measured_ranges(text, low, req, library, named_spans)  # "measure 0-30 V": an input's range
    req.notes += read_unranged_measurement(low, req, library, named_spans)  # "a voltmeter", no range said
    req.notes += answered_by_the_source(req, library)  # "running from a 36 V supply": the source answers it
    req.notes += building_fixtures(req, library, named_spans, low)  # "the hallway light": switched, not built
    req.notes += read_instrument(text, library, req)  # "a kitchen scale": what it measures, where readings agree
    req.notes += read_goal(text, library, req)  # "a tally counter": a goal that names no part needs its parts
    req.notes += sensor_for_held_values(text, req, library)  # "holds 37.5 C" with a heater: a sensor closes the loop
    req.notes += clock_for_times_of_day(text, req, library)  # "at 7am and 6pm": the design keeps the time of day
    apply_triggers(text, req, library)
    apply_timing(text, req, library, named_spans)
    apply_open_conditions(text, req, library)  # a condition read as nothing: the gate fails closed
    return req


# ---- power: source, cells, load voltage, converter outputs -------------------------------------
def _read_power(text: str, low: str, req: Requirements, lib: Library) -> None:

    volts = None
    m = re.search(r"(\d+(?:\.\d+)?)\s*v\s+" + SUPPLY_WORDS, low) or \
        re.search(SUPPLY_WORDS + r"\s+(?:of|at|is)?\s*(\d+(?:\.\d+)?)\s*v\b", low) or \
        re.search(r"(?:from|with|have) an?\s+(\d+(?:\.\d+)?)\s*v\b", low) or \
        re.search(r"\bfrom\s+(\d+(?:\.\d+)?)\s*v\b(?!\s*(?:to|down|up)\b)", low) or \
        re.search(r"^\s*(\d+(?:\.\d+)?)\s*v\s+to\s+\d+(?:\.\d+)?\s*v\b", low)  # "12v to 5v buck ..."
    if m:
        volts = float(next(g for g in m.groups() if g and re.match(r"^\d", g)))
    m = re.search(r"(\d+(?:\.\d+)?)\s*v\s+(?:[a-z]{2,3}\s+)?" + LOAD_WORDS, low) or \
        re.search(LOAD_WORDS + r"\w*\s+(?:needs|need|from|at|runs on|requires|rated|of)\s+(?:an?\s+)?(\d+(?:\.\d+)?)\s*v\b", low)
    if m:
        req.constraints.load_volts = float(next(g for g in m.groups() if g and re.match(r"^\d", g)))
    split = SPLIT_SUPPLY.search(low)
    if split:
        # "±12 V", "plus and minus 12 V": two rails of that voltage around ground
        req.constraints.targets["split_supply_v"] = float(split.group(1))
        if volts is None:
            volts = float(split.group(1))
    sources = [p for p in req.named_parts if is_source(lib[p.key])]
    if sources:
        p = sources[0]
        rec = lib[p.key]
        v = source_volts(rec)
        kind = _source_kind(rec)
        cells = p.count if kind == "cells" and p.count > 1 else 1
        src = PowerSource(kind=kind, key=p.key, volts=v if v is not None else volts, words=p.words)
        if cells > 1:
            # cells feed the circuit together: in series unless the request says parallel
            if re.search(r"\bparallel\b", low):
                src.cells_parallel = cells
            else:
                src.cells_series = cells
        if v is None and volts is not None:
            src.volts = volts
        req.constraints.source = src
    elif volts is not None:
        kind = "mains" if volts > SELV_AC_V and any(r.safety.mains_source for r in lib) else "unknown"
        req.constraints.source = PowerSource(kind=kind, volts=volts, words=f"{volts:g} V")
    # converter outputs: "down to 5V", "step up to 12 V"
    for p in req.named_parts:
        rec = lib[p.key]
        if is_converter(rec) and converter_kind(rec) in ("buck", "boost", "buck-boost", "linear"):
            pos = low.find(p.words.split()[0]) if p.words else -1
            tail = low[pos:] if pos >= 0 else low
            mm = re.search(r"(?:to|at|→|output of|outputs?)\s*(\d+(?:\.\d+)?)\s*v\b", tail)
            if mm is None and pos > 0:  # "12v to 5v buck converter": the output before the name
                mm = re.search(r"to\s*(\d+(?:\.\d+)?)\s*v\s*$", low[:pos].strip())
            if mm:
                p.attrs["voltage"] = f"{mm.group(1)} V"


SPLIT_SUPPLY = re.compile(r"(?:±|\+\s*/\s*-|\+-|plus (?:and|or|/) minus|plus-minus|dual|split)\s*(\d+(?:\.\d+)?)\s*v\b")
SUPPLY_BEFORE = re.compile(r"(?<!from )(?<!of )(\d+(?:\.\d+)?)\s*v\s+(?:for|powering|feeding)\s+(?:the|my|an?|its)?\s*$")
SUPPLY_AFTER = re.compile(r"^\s*(?:needs|need|wants|takes|gets|runs (?:on|from|at))\s+(?:an?\s+|a regulated\s+)?"
                          r"(\d+(?:\.\d+)?)\s*v\b")


def _same_head(named_words: str, mention: str) -> bool:
    """Whether a mention's head noun (its last word, stemmed) is a word of a part named before it: "the motors"
    after "two stepper motors" is those motors; "the water pump" after "a relay" is another part."""
    head = mention.split()[-1] if mention.split() else ""
    return bool(head) and stem(head) in {stem(w) for w in named_words.split()}


def _sources_by_voltage(low: str, mentions, lib: Library) -> list[NamedPart]:
    """A voltage followed by a noun no library name answers to alone but that the names of one kind of
    source use ("a 6 V panel", "a 12V panel on the roof"): that source, the record of that kind whose
    voltage is the stated one (record data: ``source_kind``, the output's voltage). A noun some non-source
    shares is left to the rest of understanding; a voltage no record of the kind gives names nothing."""
    taken = [(m.char_start, m.char_end) for m in mentions]
    out: list[NamedPart] = []
    for v, at in voltages(low):
        unit = re.match(r"\d+(?:\.\d+)?\s*(?:v|volts?|vdc)\b[\s-]*|\d+v\d+\b[\s-]*", low[at:])
        if unit is None:
            continue
        noun = re.match(r"([a-z]+)\b", low[at + unit.end():])
        if noun is None:
            continue
        start, end = at + unit.end(), at + unit.end() + noun.end()
        if any(a < end and start < z for a, z in taken):
            continue  # a word of a part the request names ("a 9 V battery", "a 6 V solar panel")
        if noun.group(1) in GENERIC:
            continue  # "a 12 V source", "a 5 V supply": a word every kind of source answers to names no kind
        word = stem(noun.group(1))
        fits = [r for r in lib if word in _name_words(r) and is_source(r) and r.source_kind
                and (sv := source_volts(r)) is not None and abs(sv - v) <= 0.05 * v]
        if len({r.source_kind for r in fits}) == 1:
            out.append(NamedPart(key=most_preferred(fits).key, words=low[at:end]))
    return out


def _sources_at_stated_voltage(low: str, named: list, lib: Library) -> None:
    """A source named with a voltage its record does not give ("a 12 V solar panel" where the name answers to
    the 6 V panel's record): the record of the same kind (``source_kind``) that gives the stated voltage."""
    for m, p in named:
        rec = lib[p.key]
        sv = source_volts(rec) if is_source(rec) and rec.source_kind and not configurable(rec) else None
        stated = re.search(r"(\d+(?:\.\d+)?)\s*(?:v|volts?|vdc)\b[\s-]*$", low[max(0, m.char_start - 12):m.char_start])
        if sv is None or stated is None or abs(float(stated.group(1)) - sv) <= 0.05 * sv:
            continue
        v = float(stated.group(1))
        fits = [r for r in lib if r.source_kind == rec.source_kind and is_source(r)
                and (x := source_volts(r)) is not None and abs(x - v) <= 0.05 * v]
        if fits:
            p.key = most_preferred(fits).key


def _part_supplies(low: str, named: list, lib: Library) -> None:
    """The voltage a request gives a part to run on ("5 V for the ESP32", "the Nano needs 5 V"): the
    part's ``supply`` attribute; the planner feeds it at that voltage."""

    for m, p in named:
        rec = lib[p.key]
        if is_source(rec) or is_converter(rec):
            continue
        hit = SUPPLY_BEFORE.search(low[max(0, m.char_start - 40):m.char_start]) or \
            SUPPLY_AFTER.search(low[m.char_end:m.char_end + 40])
        if hit:
            p.attrs["supply"] = f"{hit.group(1)} V"


def _same_clause(before: list[str], spans_, start: int, low: str) -> list[str]:
    """The words of ``before`` (the tokens just ahead of token ``start``) that stand in the same clause:
    a negation ends at punctuation ("no battery, a nano from usb" rules out the battery, not the Nano)."""
    keep: list[str] = []
    for j in range(start - 1, start - 1 - len(before), -1):
        if any(ch in low[spans_[j][2]:spans_[j + 1][1]] for ch in ",.;:!?()"):
            break
        keep.append(before[j - start + len(before)])
    return keep


def _negated_in_clause(at: int, cls, low: str) -> bool:
    """A negation earlier in the mention's own clause rules it out, however many words stand between
    ("not one made with a nano"); the clause ends at punctuation and at joining words."""
    for c in cls:
        if c.start <= at < c.end:
            return bool(set(re.findall(r"[a-z]+", low[c.start:at].replace("'", ""))) & NEGATORS)
    return False


def _negation_reaches(m, toks: list[str], spans_, low: str, cls) -> bool:
    """Whether a negation in the mention's clause rules the mentioned part out. It does when it stands
    right before it ("no nano", "without a microcontroller", "not an ESP32"), and when the part ends what
    is negated ("not one made with a nano"); a part followed by words of its own in the clause is what a
    negated verb is about, not what it rules out ("never let the nano overheat": the overheating is
    negated, the board is kept)."""
    before = _same_clause(toks[max(0, m.start - 3):m.start], spans_, m.start, low)  # nearest first
    lead = [w for w in before if w not in ARTICLES][:1]
    if lead and lead[0] in NEGATORS:
        return True
    if _left_out(m, cls, low):
        return True
    if not (set(before) & NEGATORS or _negated_in_clause(m.char_start, cls, low)):
        return False
    if set(before) & NOUN_NEGATORS:
        return True
    return not content_words(_rest_of_clause(m.char_end, cls, low))


def _left_out(m, cls, low: str) -> bool:
    """The words that open the mention's clause, right before it, rule it out by meaning ("please leave out any
    microcontroller", "skip the relay", "omit the OLED"): :mod:`agents.understand.exclusion`."""
    c = next((c for c in cls if c.start <= m.char_start < c.end), None)
    if c is None:
        return False
    words = low[c.start:m.char_start].replace("'", "").split()
    while words and words[-1] in DETERMINERS:
        words.pop()
    return bool(words) and not any(w in DETERMINERS for w in words) and excludes(" ".join(words))


def _rest_of_clause(at: int, cls, low: str) -> str:
    for c in cls:
        if c.start <= at <= c.end:
            return low[at:c.end]
    return ""


def _class_word_negated(spans_, mentions, low: str, raw: str) -> bool:
    """A class word of the controller that names no part of its own, negated: "no mcu", "without a micro"
    (a word cut short of a class word, a clipping, reads as that word), or with the suffix that negates it
    ("mcu-free"). The word ends its noun phrase there: "no micro servo" rules out a servo's kind, not the
    controller."""
    covered = {j for mm in mentions for j in range(mm.start, mm.end)}
    for j, (t, _, z) in enumerate(spans_):
        if not _class_word(t):
            continue
        if re.search(r"(?<![\w-])" + re.escape(low[spans_[j][1]:z]) + "-" + FREE_OF + r"\b", raw.lower()):
            return True  # "mcu-free"
        if j in covered:
            continue
        k = j - 1
        while k >= 0 and spans_[k][0] in ARTICLES and not _punct_between(spans_, k, low):
            k -= 1
        if k < 0 or spans_[k][0] not in NOUN_NEGATORS or _punct_between(spans_, k, low):
            continue
        nxt = spans_[j + 1][0] if j + 1 < len(spans_) and not _punct_between(spans_, j, low) else None
        if nxt is None or is_filler(nxt) or nxt.endswith("ed"):
            return True
    return False


def _punct_between(spans_, j: int, low: str) -> bool:
    """Punctuation between token j and token j + 1."""
    return j + 1 < len(spans_) and any(ch in low[spans_[j][2]:spans_[j + 1][1]] for ch in ",.;:!?()")


def _class_word(t: str) -> bool:
    """A class word of the controller, a clipping of one ("micro"), or either in the plural ("mcus")."""
    return any(w in CONTROLLER_WORDS or (len(w) >= 4 and any(c.startswith(w) and c != w for c in CONTROLLER_WORDS))
               for w in {t, t[:-1] if t.endswith("s") and len(t) > 3 else t})


def _names_the_class(lib: Library, m) -> bool:
    """Whether a controller mention names the class rather than one board: a class word ("microcontroller",
    "mcu"), or a name the library gives its stand-in for the class (the record whose aliases carry a class
    word) that other controllers' names share too ("arduino"). A board's own name ("nano", "esp32") rules out
    that board only; the planner picks another."""
    if m.text in CONTROLLER_WORDS:
        return True
    rec = lib.get(m.key) if m.key else None
    if rec is None or not rec.is_mcu or not {a.lower() for a in rec.aliases} & CONTROLLER_WORDS:
        return False
    words = set(m.text.split())
    return any(r.key != rec.key and r.is_mcu and words <= _name_words(r) for r in lib)


def _power_kind_named(lib: Library, m) -> list[NeededFunction]:
    """A kind of source named by its kind alone, with no voltage ("measures a battery", "runs on batteries"):
    the design needs one, whichever its records' data make the planner choose. Read from the records
    the word answers to: their ``source_kind`` is the word, and the power capability they share is the need."""
    recs = [lib[k] for k in m.keys if k in lib]
    if not recs or not all(r.source_kind and r.source_kind in m.text.split() for r in recs):
        return []
    shared = set.intersection(*({c.capability for c in r.provides if c.direction == "power"} for r in recs))
    return [NeededFunction(capability=c, words=m.text) for c in sorted(shared)][:1]


def _direction(lib: Library, capability: str) -> str | None:
    return next((c.direction for r in lib for c in r.provides if c.capability == capability), None)


def _step_up_for_higher_outputs(req: Requirements, lib: Library) -> None:
    """A fixed output asked for above the stated source ("5 V out" of one lithium cell) is a step-up:
    the regulators that provide it only drop a voltage (their records' fixed output is above the source)."""

    src = req.constraints.source.total_volts if req.constraints.source else None
    if not src:
        return
    ups = {c.capability for r in lib if is_converter(r) and converter_kind(r) == "boost" for c in r.provides
           if c.direction == "power"}
    for n in req.needs:
        recs = [r for r in lib if any(c.capability == n.capability for c in r.provides)]
        outs = {r.ratings.v_out for r in recs}
        if recs and ups and all(is_converter(r) and converter_kind(r) == "linear" for r in recs) \
                and len(outs) == 1 and None not in outs and next(iter(outs)) > src:
            n.target["volts"] = next(iter(outs))
            n.capability = sorted(ups)[0]


def _stated_output(text: str, req: Requirements, lib: Library, named_spans: list[tuple[int, int, str]]) -> None:
    """A voltage the request states beside its source that nothing else explains ("a 9 V battery ... a
    steady 5 V rail", "two AA cells raised to 5 V") is the output it asks the source be converted to: a
    conversion need with that voltage as its target, of the capability that converter records provide
    (a fixed output of that voltage, else an adjustable one; up or down by the source's voltage, and
    able to take the source's voltage in)."""

    src = req.constraints.source
    total = src.total_volts if src else None
    named_converters = [p for p in req.named_parts if is_converter(lib[p.key]) and converter_kind(lib[p.key]) != "charger"]
    if not total or "dc_supply" in req.analog_blocks:
        return
    if named_converters:
        _named_converter_output(text, req, lib, named_spans, named_converters)
        return
    c = req.constraints
    outs = _unexplained_volts(text, req, lib, named_spans)
    if len(outs) != 1:
        return
    volts = next(iter(outs))
    conversions = [n for n in req.needs if _direction(lib, n.capability) == "power" and _converts(lib, n.capability)
                   and not any(converter_kind(r) == "charger" for r in lib if _provides(r, n.capability))]
    up = volts > total

    def takes(r: ComponentRecord) -> bool:
        hi = r.supply.v_max or r.ratings.v_in_max
        return (r.supply.v_min or 0.0) <= total and (hi is None or total <= hi)

    def fits(r: ComponentRecord) -> tuple | None:
        kind = converter_kind(r)
        if kind == "charger" or r.key in c.forbidden or not takes(r):
            return None
        if kind not in (("boost", "buck-boost") if up else ("buck", "linear", "buck-boost")):
            return None
        if r.ratings.v_out is not None and not r.ratings.v_out_adjustable:
            return (0,) if abs(r.ratings.v_out - volts) < 0.05 else None
        return (1,)

    recs = [r for r in lib if is_converter(r) and fits(r) is not None
            and any(cap.direction == "power" for cap in r.provides)]
    best = most_preferred(recs, fits)
    if best is None:
        return
    capability = next(cap.capability for cap in best.provides if cap.direction == "power")
    if conversions:
        for n in conversions:
            n.target.setdefault("volts", volts)
            outs = {r.ratings.v_out for r in lib if _provides(r, n.capability)
                    and not r.ratings.v_out_adjustable}
            if None not in outs and not any(abs(v - volts) < 0.05 for v in outs):
                n.capability = capability  # a fixed output of another voltage was a misreading of the words
        return
    req.needs.append(NeededFunction(capability=capability, words=f"{volts:g} V", score=None,
                                    target={"volts": volts}))


def _current_source(text: str, req: Requirements, lib: Library) -> None:
    """A regulator that can hold a current (record data: :func:`regulates_current`) named beside LEDs and asked
    for one current and no voltage ("one blue LED held at 15 mA by an LM317") is a current source, as the
    trade term says it ("constant-current"); the current stated is its target."""
    currents = [q.value for q in find_quantities(text) if q.unit == "A" and not q.is_range and q.value > 0]
    regs = [p for p in req.named_parts if regulates_current(lib[p.key])]
    leds = [p for p in req.named_parts if lib[p.key].spice.kind == "led"]
    if "current_source" not in req.analog_blocks and regs and leds and len(currents) == 1 \
            and not any("voltage" in p.attrs for p in regs):
        req.analog_blocks.append("current_source")
    if "current_source" in req.analog_blocks:
        for p in regs:
            p.attrs.pop("voltage", None)  # (a voltage read as its output belongs to the source or the LEDs)
        if len(currents) == 1:
            req.constraints.targets["current_a"] = currents[0]


# the prepositions of comparison a threshold is stated with ("a buzzer below 11.8 V", "cut off under 3 V")


def _unexplained_volts(text: str, req: Requirements, lib: Library, named_spans) -> set[float]:
    """The voltages the request states that neither its source, a load, a logic level, a threshold nor a
    rating of the part named right after them explains."""
    c = req.constraints
    src = c.source
    known = {src.total_volts if src else None, src.volts if src else None, c.load_volts, c.logic_volts,
             c.targets.get("split_supply_v"), c.targets.get("threshold_v"), c.targets.get("vout")}
    known |= {_attr_volts(p.attrs.get("supply")) for p in req.named_parts}
    known |= {source_volts(lib[p.key], p.attrs) for p in req.named_parts if is_source(lib[p.key])}  # "a 6 V panel"
    outs = set()
    for v, at in voltages(text):
        if any(k is not None and abs(v - k) < 0.05 for k in known):
            continue
        before = re.findall(r"[a-z]+", text[max(0, at - 24):at].lower())
        if before and before[-1] in COMPARING:
            continue  # "warns below 11.8 V", "above 14 V": a threshold of what is watched, no output to make
        after = text[at:at + 24]
        m = re.match(r"\s*\d+(?:[.,]\d+)?\s*(?:v|volts?)\b[\s-]*", after, re.IGNORECASE) or \
            re.match(r"\s*\d+v\d+[\s-]*", after, re.IGNORECASE)
        end = at + (m.end() if m else 0)
        if any(a <= end + 1 and z > end for a, z, _ in named_spans):
            continue  # "a 5 V relay", "12 V LEDs": a rating of the part named right after it
        outs.add(round(v, 2))
    return outs


def _named_converter_output(text: str, req: Requirements, lib: Library, named_spans, converters) -> None:
    """One adjustable converter named with no output said beside it ("use an LM317 to make 5 V from a 9 V
    battery"): the one voltage nothing else explains is its output, when its record can make it from the
    source (below the source less its dropout for a regulator or a buck, above it for a boost; above its
    reference voltage)."""
    if len(converters) != 1 or "voltage" in converters[0].attrs:
        return
    p = converters[0]
    rec = lib[p.key]
    outs = _unexplained_volts(text, req, lib, named_spans)
    total = req.constraints.source.total_volts
    if not rec.ratings.v_out_adjustable or len(outs) != 1 or not total:
        return
    volts = next(iter(outs))
    kind = converter_kind(rec)
    if kind in ("buck", "linear"):
        fits = volts <= total - (rec.ratings.dropout or 0.0)
    elif kind == "boost":
        fits = volts > total
    else:
        fits = kind == "buck-boost"
    v_ref = rec.spice.params.get("v_ref")
    if fits and (v_ref is None or volts > v_ref):
        p.attrs["voltage"] = f"{volts:g} V"


def _provides(rec: ComponentRecord, capability: str) -> bool:
    return any(c.capability == capability for c in rec.provides)


def _attr_volts(value) -> float | None:
    try:
        return float(str(value).split()[0]) if value else None
    except ValueError:
        return None


def _restates_source(words: str, source: PowerSource | None) -> bool:
    """The words of a need state the source's own voltage ("on +/-15 V rails" with a 15 V supply, "12 volt
    battery down" from a 12 V battery): they describe the source, not a conversion of it."""
    if source is None or not source.volts:
        return False
    return any(q.unit == "V" and abs(abs(q.value) - source.volts) < 0.05 for q in find_quantities(words))


def _converts(lib: Library, capability: str) -> bool:
    """Every part that provides the capability converts power it is given (a charger, a regulator, a
    boost converter); none is a source of its own."""

    recs = [r for r in lib if any(c.capability == capability for c in r.provides)]
    return bool(recs) and all(is_converter(r) for r in recs)


def _source_kind(rec: ComponentRecord) -> str:
    """The kind of source a record is, from its data: a cell (a battery with a capacity and a
    nominal voltage under 4.5 V that is rechargeable or round), a battery, a USB port, an adapter."""
    text = f"{rec.key} {rec.name}".lower()
    if "usb" in text:
        return "usb"
    if rec.ratings.capacity_ah is not None or "batt" in text or "cell" in text:
        v = rec.ratings.v_nominal
        if "coin" in text:
            return "coin-cell"
        return "cells" if v is not None and v < 4.5 else "battery"
    if "adapter" in text or "supply" in text or "jack" in text:
        return "wall-adapter"
    return {"solar": "solar", "adapter": "wall-adapter", "bench": "bench-supply", "mains": "mains"}.get(
        rec.source_kind or "", "unknown")


# ---- helpers -----------------------------------------------------------------------------------
def _listed_before(idx, toks: list[str], spans, low: str, m, mentions) -> list[tuple[str, str, int]]:
    """Words listed before a part name that each make a library name with its last word, with their
    counts: "red, yellow and green LEDs" -> [(yellow, led-yellow, 1), (red, led-red, 1)]; "two red and
    three green LEDs" -> [(red, led-red, 2)]."""
    head = toks[m.end - 1]
    covered = {j for o in mentions for j in range(o.start, o.end)}

    def blank(j: int) -> bool:  # nothing but spaces, commas or "&" between token j and the next
        return not low[spans[j][2]:spans[j + 1][1]].strip(" ,&")

    out: list[tuple[str, str, int]] = []
    j = m.start - 1
    if j >= 0 and _count_word(toks[j]) is not None:
        j -= 1  # the part's own count
    listed = False  # a list has a joining word or a comma before its last item ("an I2C 1602 LCD" is one part)
    while j >= 0 and j not in covered and blank(j):
        if toks[j] in ("and", "or"):
            listed = True
            j -= 1
            continue
        listed = listed or "," in low[spans[j][2]:spans[j + 1][1]]
        keys = idx.index.get((toks[j], head))
        if not keys or len(keys) != 1 or not listed:
            break
        n = _count_word(toks[j - 1]) if j >= 1 and blank(j - 1) else None
        out.append((toks[j], next(iter(keys)), n or 1))
        j -= 2 if n else 1
    return out


def _within(low: str, words: str, spans: list[tuple[int, int]]) -> bool:
    """The words stand inside one of ``spans`` of ``low``."""
    at = low.find(normalize(words)) if words else -1
    return at >= 0 and any(a - 1 <= at and at + len(normalize(words)) <= z + 1 for a, z in spans)


def _holds(low: str, words: str, spans: list[tuple[int, int]]) -> bool:
    """The words, where they stand in ``low``, hold one of ``spans``."""
    w = normalize(words)
    at = low.find(w) if w else -1
    return at >= 0 and any(at <= a and z <= at + len(w) for a, z in spans)


def _kind_ruled_out(library: Library, key: str, words: str) -> list[str]:
    """A part ruled out by the name of its kind, with no part number ("no RTC module", "without an LCD"): every
    part of that kind is, so the capabilities it provides that only parts of its category provide (keep-time:
    clock modules) are ruled out too. Named by part number ("no DS1307"), only that part is."""
    if any(looks_like_part_number(w) for w in words.split()):
        return []
    rec = library[key]
    out = []
    for c in rec.provides:
        if c.direction in ("passive", "power") or c.capability == "controller" or c.capability in out:
            continue
        if all(r.category == rec.category for r in library if any(x.capability == c.capability for x in r.provides)):
            out.append(c.capability)
    return out


def _in_a_grid(rec: ComponentRecord, n: int, m: int) -> int | None:
    """How many of a chained part an n x m grid takes ("an 8x8 WS2812B panel": 64 pixels; "an 8x32 MAX7219
    matrix": four 8x8 modules): parts that pass data on to the next one (a data output), each one light or a
    panel of the size its names give; None when the grid is not a whole number of them."""
    if not any(p.type == "digital_out" and "data" in p.functions for p in rec.pins):
        return None
    own = [g for t in _name_words(rec) if (g := re.fullmatch(r"(\d+)x(\d+)", t))]
    if not own and rec.designator != "LED":
        return None  # (a module with no size of its own is not one cell of a grid)
    cell = int(own[0].group(1)) * int(own[0].group(2)) if own else 1
    count = (n * m) // cell if cell and (n * m) % cell == 0 and n * m >= cell else None
    return count if count and count <= MAX_COUNT else None


def _grid_before(toks: list[str], spans, low: str, start: int) -> tuple[int, int] | None:
    """A grid written just before token ``start`` ("8x8 WS2812B", "a 32x8 dot matrix of MAX7219 modules"): over
    the words of its noun phrase and an "of", no punctuation or other joining word between."""
    for j in range(start - 1, max(-1, start - 5), -1):
        if any(ch in low[spans[j][2]:spans[j + 1][1]] for ch in ",.;:()[]!?"):
            return None
        g = re.fullmatch(r"(\d{1,3})x(\d{1,3})", toks[j])
        if g:
            return int(g.group(1)), int(g.group(2))
        if toks[j] != "of" and is_filler(toks[j]):
            return None
    return None


def _name_words(rec: ComponentRecord) -> set[str]:
    return set(tokens(" ".join([rec.key.replace("-", " "), rec.name, " ".join(rec.aliases)])))


def _one_each(low: str, needs, spans: list[tuple[int, int, str]], parts: list[NamedPart]) -> None:
    """"two pumps, each with its own soil probe": a need asked for once per part of a counted group
    comes that many times (the largest count named before it in the sentence)."""
    counts = {p.key: p.count for p in parts}
    for n in needs:
        words = n.words.lower()
        at = low.find(words) if words else -1
        if at < 0:
            continue
        sentence_start = max(low.rfind(ch, 0, at) for ch in ".;!?") + 1
        before = low[sentence_start:at]
        if not re.search(r"\b(?:each|every|per)\b[^,]{0,20}$", before + words[:20]) and \
                not re.search(r"\b(?:each|every)\b.{0,25}\bown\b", low[sentence_start:at + len(words)]):
            continue
        earlier = [counts.get(k, 1) for a, _, k in spans if sentence_start <= a < at]
        if earlier and max(earlier) > n.count:
            n.count = max(earlier)


def _chunk_count(low: str, chunk: str) -> int:
    """How many of a phrase's part: a count it opens with, else one the words before it give past the
    words a phrase sheds ("two small lithium cells": the phrase is "lithium cells", two of them)."""
    n = chunk_qty(chunk)
    at = low.find(chunk)
    if n > 1 or at < 0:
        return n
    for tok in reversed(re.findall(r"[a-z0-9]+", low[max(0, at - 40):at])):
        if _count_word(tok) is not None:
            return _count_word(tok)
        if tok not in CHUNK_OPENERS and tok != "of":  # ("a pair of blue lamps": the count before "of")
            break
    return n


def _count_word(tok: str) -> int | None:
    if tok.isdigit() and 0 < int(tok) <= 64:
        return int(tok)
    return NUMBER_WORDS.get(tok) if tok not in ("a", "an") else None


def _pick_among(lib: Library, keys: list[str], low: str) -> str | None:
    if not keys:
        return None
    if len(keys) == 1:
        return keys[0]
    hits = search_words(lib, low, predicate=lambda r: r.key in keys, k=len(keys))
    return hits[0].key if hits else keys[0]


def _resolve_generic(lib: Library, phrase: str, keys: list[str], low: str) -> str | None:
    """A generic word ("battery", "transistor", "microcontroller") settled by record data."""
    p = phrase.lower()
    if p in ("microcontroller", "controller", "board"):
        return None  # the planner decides
    if p in ("transistor",):
        cands = [r for r in lib if r.spice.kind == "npn"]
        cands.sort(key=lambda r: (("sot" in r.description.lower()), commonness_rank(r), r.ratings.ic_max or 0,
                                  preference(r)))
        return cands[0].key if cands else None
    if p in ("battery", "cell"):

        vs = [v for v, _ in voltages(low)]
        bats = sorted((r for r in lib if is_source(r) and "batt" in (r.key + r.name).lower()), key=preference)
        for v in vs:
            for r in bats:
                if source_volts(r) and abs(source_volts(r) - v) < 0.3:
                    return r.key
        return None
    if len(keys) > 1:
        return None
    return None if p in GENERIC else (keys[0] if keys else None)


ATTRIBUTES = {"speed", "control", "direction", "brightness", "position", "state", "level", "power", "voltage",
              "current", "signal", "output", "input", "pin", "pins", "line", "supply"}


def _trim_attributes(chunk: str) -> str:
    """'12v pc fan speed' names the fan; 'speed' is what is done with it."""
    words = chunk.split()
    while len(words) > 1 and words[-1] in ATTRIBUTES:
        words = words[:-1]
    return " ".join(words)


def _is_the_project(chunk: str, low: str) -> bool:
    """The phrase a request opens with, followed by what it does ("a kitchen timer that shows the
    minutes ..."): the thing being built, not a part to fetch (a part number is always a part)."""

    if any(looks_like_part_number(w.replace("-", "")) for w in chunk.split()):
        return False
    return re.match(r"^\W*(?:(?:a|an|the|my|our)\s+)?" + r"\W+".join(re.escape(w) for w in chunk.split())
                    + r"\s+(?:that|which|who)\b", low) is not None


def _names_a_part(chunk: str) -> bool:
    """A part mention ends in a component noun ("a thermocouple amplifier") or carries a part number
    ("TMC2209"); anything else ("a precision CNC actuator block") describes the project."""
    words = chunk.split()
    return bool(words) and (stem(words[-1]) in HEADS or any(looks_like_part_number(w.replace("-", "")) for w in words))


TIE = 0.01  # cosine scores this close rank the same


def _resolve_phrase(lib: Library, phrase: str) -> str | None:
    """A phrase the request names: the retriever decides (it knows what is out of library); a best
    match whose own name carries the phrase's component noun ("pc fan" -> a 12 V DC fan) is that part."""
    sem = semantic(phrase)
    if sem is not None:
        ood, matches = sem
        if not ood and matches:
            return matches[0][0]

        if matches and not any(looks_like_part_number(w.replace("-", "")) for w in phrase.split()):
            # (a part number the library lacks is another part, whatever its noun); matches whose scores
            # are within TIE of the best are equally near: the one whose name carries the noun
            head = stem(phrase.split()[-1])
            for key, score in matches:
                rec = lib.get(key)
                if score < max(0.5, matches[0][1] - TIE):
                    break
                if rec is not None and head in _name_words(rec):
                    return rec.key
        return None
    return best_word_match(lib, phrase)


def _one_restated_controller(low: str, named: list, lib: Library) -> list:
    """"ATtiny85 (Franzininho board)", "Arduino Uno (ATmega328P)": a controller restated in parentheses
    right after another is the same controller; the board (the one with supply pins of its own to give)
    stays, the bare chip it carries goes."""
    out = list(named)
    for (ma, pa), (mb, pb) in zip(named, named[1:]):
        if pa.key == pb.key or not (lib[pa.key].is_mcu and lib[pb.key].is_mcu):
            continue
        if low[ma.char_end:mb.char_start].strip() != "(":
            continue
        boards = [m for m, p in ((ma, pa), (mb, pb)) if lib[p.key].pins_of_type("power_out")]
        if len(boards) == 1:
            chip = mb if boards[0] is ma else ma
            out = [(m, p) for m, p in out if m is not chip]
    return out


def _generic_after_specific(parts: list[NamedPart], lib: Library) -> list[NamedPart]:
    """'an op amp ... the LM741': a part named by a generic word is the part named by number that does
    the same (same capabilities), not a second one. A board is named by its name ("an Arduino Nano and an
    ATtiny85" are two controllers)."""

    def numbered(p: NamedPart) -> bool:
        return any(looks_like_part_number(w.replace("-", "")) for w in p.words.split())

    def caps(p: NamedPart) -> set[str]:
        return {c.capability for c in lib[p.key].provides}

    out = []
    for p in parts:
        if not numbered(p) and caps(p) and not lib[p.key].is_mcu and any(q is not p and numbered(q) and q.key != p.key and caps(q) == caps(p)
                                               and lib[q.key].category == lib[p.key].category for q in parts):
            continue
        out.append(p)
    return out


def _merge(parts: list[NamedPart]) -> list[NamedPart]:
    """One entry per key (quantities: the larger of separate mentions)."""
    out: dict[str, NamedPart] = {}
    for p in parts:
        prev = out.get(p.key)
        if prev is None:
            out[p.key] = p
            continue
        prev.count = max(prev.count, p.count)
        prev.attrs.update(p.attrs)
    return list(out.values())
