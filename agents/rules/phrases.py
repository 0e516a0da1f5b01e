"""Part-like phrases in a request that no library name matched: "a Velodyne lidar", "a boost
converter", "a TMC2209 stepper driver". They go to the retriever, which maps them to a library part
or flags them as out-of-library with near-misses. Words that describe what the design does,
references to parts already named ("the sensors", "fan speed controller") and features of a part
("an ADC pin", "the power line") are not parts.
"""

from __future__ import annotations

import re

from agents.rules.part_search import lib_cache, looks_like_part_number, record_words
from agents.rules.text import NUMBER_WORDS, normalize, stem, token_spans, tokens
from circuit.quantities import find_quantities
from knowledge.library import Library
from knowledge.record import ComponentRecord


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


SIZE_UNITS = {"inch", "inches", "in", "cm", "mm"}
FEATURE_WORDS = {"pin", "pins", "port", "gpio", "adc", "dac", "bus", "protocol", "signal", "line", "interface", "analog",
                 "digital", "channel", "input", "output", "level", "current", "voltage", "noise", "power"}


REFERENCE_WORDS = {"onboard", "built", "internal", "its", "their", "same", "existing", "this", "that", "these", "those"}


_VERBS = ("use|control|drive|read|power|step|show|display|log|include|detect|sense|measure|charge|feed|fire|"
          "trigger|turn|talk|send|receive|communicate|cycle|activate|monitor|check|hold|know|crush|connect|wire|build|"
          "design|create|make|need|want|have|get|add|let|allow|switch|run|keep|give|take|put|set|go|come|reach|play|"
          "draw|light|blink|flash|sound|buzz|beep|print|store|save|sit|help|tell|try|like|look|work|water|clean|"
          "smooth|filter|limit|adjust|move|rotate|spin|open|close|lock|unlock|count|cut|hit|stop|start|wake|sleep")


# (a "+" or "&" standing alone joins two items of a list: "li-ion cell + white led"; "+5V" and "c++" are words)
SPLIT = re.compile(r"[,;:!?()\[\]]|(?<![\w+])[+&](?![\w+])|(?<!\d)\.|\.(?!\d)|\b(?:and|with|using|via|to|from|for|or|on|in|of|by|then|so|that|which|it|"
                   r"while|when|but|also|plus|into|onto|through|because|since|if|my|i|we|you|me|how|do|does|can|"
                   r"should|would|could|will|is|are|be|been|was|were|as|at|about|across|without|between|each|every|"
                   r"one|other|another|only|all|both|its|their|our|your|this|these|those|there|here|up|down|off|out|"
                   r"behind|inside|under|over|above|below|beside|beneath|near|within|around|after|before|against|"
                   r"toward|towards|upon|onto|"
                   r"what|where|who|whom|why|not|no|yes|please|enough|too|very|just|even|a|an|the|some|any|"
                   r"(?!string\b|spring\b|bearing\b|ring\b)[a-z]+ing|(?!supply\b|assembly\b)[a-z]+ly|"
                   r"(?:" + _VERBS + r")(?:s|es|ed|d|ing|(?<=[lptn])[lptn](?:ed|ing))?)\b")
# (a verb's last consonant doubles before -ed and -ing: "controlled", "stopped", "planned", "setting")


ARTICLES = {"a", "an", "the", "some", "any", "one", "two", "three", "four", "dual", "single", "each", "every",
            "separate", "individual", "long", "small", "little", "tiny", "big", "large", "simple", "basic", "cheap", "new"}


COMMON_ADJECTIVES = {"small", "tiny", "little", "large", "huge", "cheap", "good", "nice", "cool", "smart", "simple",
                     "basic", "main", "extra", "spare", "single", "double", "bright", "dim", "fast", "slow", "quick",
                     "long", "short", "high", "wide", "tall", "thin", "thick", "hot", "warm", "cold", "same", "other",
                     "more", "less", "some", "many", "each", "every", "both", "either", "first", "second", "third",
                     "last", "next", "left", "right", "front", "back", "top", "bottom", "side", "inner", "outer",
                     "onboard", "plain", "normal", "ordinary", "common", "usual", "generic", "standard", "typical"}


COLOURS = ("red", "green", "blue", "yellow", "white", "orange", "purple", "pink", "warm white")


def qualified_generics(lib: Library, text: str, mentions, drop: set[int]) -> list:
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
    cache = lib_cache(lib)
    if "vocab" not in cache:
        words: set[str] = set()
        for r in lib:
            words |= record_words(r)
        cache["vocab"] = words
    return cache["vocab"]


def leftover_chunks(text: str, mentions, library: Library | None = None) -> list[str]:
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
        # an article or a count opens the noun phrase: words before it that name no part are the wish or the
        # verb around it ("(I')d love two little lamps": the lamps)
        opens = next((i for i, w in enumerate(words) if w in ARTICLES), 0)
        if opens and not any(stem(w) in HEADS or looks_like_part_number(w.replace("-", "")) for w in words[:opens]):
            words = words[opens:]
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
        # (a length after a number is the part's size, "a 1.8 inch screen", not a word that qualifies it)
        sized = {i for i in range(1, len(words)) if words[i] in SIZE_UNITS and re.match(r"^[\d.]+$", words[i - 1])}
        qualifiers = [w for i, (w, s) in enumerate(zip(words, stems)) if s not in HEADS and i not in sized
                      and not re.match(r"^[\d.]+[a-z]?$", w) and w not in ARTICLES and len(w) > 1]
        if head and not qualifiers and not partno:
            continue  # "the sensors", "3.3v sensors": refers to parts already named
        out.append(" ".join(words))
    return out


def chunk_qty(chunk: str) -> int:
    first = chunk.split()[0]
    if first.isdigit():
        if any(q.start == 0 and q.unit for q in find_quantities(chunk)):
            return 1  # a value with its unit ("12 V wall adapter"), not a count
        return max(1, min(int(first), 16))
    return NUMBER_WORDS.get(first, 1)


def _record_words(rec: ComponentRecord) -> set[str]:
    return set(tokens(" ".join([rec.key.replace("-", " "), rec.name, " ".join(rec.aliases)])))
