"""The controller board: the one the request names; else one with Wi-Fi or Bluetooth when the
request needs it; else the default 5 V hobby board when anything needs a controller; none for a
purely analog circuit. Two boards and the link between them (wired SPI/I2C/serial, or radios sized
by the distance the request gives).
"""

from __future__ import annotations

import re

from agents.models import Identification, Need
from agents.rules import concepts as K
from agents.rules.part_search import best_word_match
from agents.rules.text import distance_m
from agents.rules.part_search import resolve_query
from knowledge.library import Library


DEFAULT_BOARD_WORDS = ("arduino uno",)


def board_links(lib: Library, low: str, needs: list[Need], ident: Identification) -> None:
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


def choose_board(lib: Library, ident: Identification, low: str) -> str | None:
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
                                            "light_sensor_switch", "timer_astable"}
    if analog_only and not re.search(r"\b(microcontroller|mcu|arduino|esp32|controller)\b", low):
        needs_mcu = False
    if not needs_mcu and ("wifi" in opts or "bluetooth" in opts):
        needs_mcu = True
    if not needs_mcu and _battery_circuit(lib, ident):
        return None  # a torch: the named battery lights the LEDs through their resistors
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


def _battery_circuit(lib: Library, ident: Identification) -> bool:
    """A named supply and only LEDs: the supply lights them by itself, no controller."""
    from agents.rules.kinds import kind_of

    kinds = [kind_of(lib[n.key]) for n in ident.needs if n.key]
    return "source" in kinds and all(k in ("source", "led") for k in kinds)


def _add_board(ident: Identification, key: str, why: str) -> None:
    ident.needs.insert(0, Need(phrase="controller board", key=key, qty=1, role="controller", explicit=False, why=why))
