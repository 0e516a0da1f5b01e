"""The controller board: the one the request names; else one that provides Wi-Fi or Bluetooth when
the requirements need it; else the default 5 V hobby board when anything needs a controller; none for
a purely analog circuit. Reads the identification and the records, never the request's words.
"""

from __future__ import annotations

from agents.models import Identification, Need
from agents.rules import parts as P
from agents.rules.kinds import kind_of
from agents.rules.own_controller import own_controller
from agents.rules.part_search import best_word_match
from knowledge.library import Library
from knowledge.preference import commonness_rank, preference


DEFAULT_BOARD_WORDS = ("arduino uno",)


def choose_board(lib: Library, ident: Identification, wants_controller: bool = False, own: bool = True) -> str | None:
    """``own``: a named programmable part may run the design (False: only a board, beside which it is a module)."""
    boards = [n for n in ident.needs if n.key and lib[n.key].is_mcu]
    if boards:
        return boards[0].key
    own = own_controller(lib, ident) if own else None
    if own is not None:
        return own  # a named part that runs firmware of its own (agents/rules/own_controller.py)
    opts = {o.split(":", 1)[1] for o in ident.notes if o.startswith("option:")}
    needs_mcu = wants_controller
    for n in ident.needs:
        if not n.key:
            continue
        rec = lib[n.key]
        k = kind_of(rec)
        if k in ("module", "expander", "i2c_mux", "keypad", "digits", "driver", "motor") and rec.category != "power" \
                and (k != "module" or P.signal_pins(rec)):
            needs_mcu = True  # (a module with no signal pin, a USB socket that hands out 5 V, has nothing to drive)
    analog_only = set(ident.topologies) & {"dc_supply", "lc_lowpass", "rheostat", "transistor_switch",
                                            "light_sensor_switch", "timer_astable", "opamp_noninverting",
                                            "opamp_inverting", "comparator", "zener_shunt", "current_source"}
    if analog_only and not wants_controller:
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
        want.append(("bluetooth", "bluetooth"))
    cands = sorted(lib.by_category("microcontroller"), key=lambda r: (commonness_rank(r), -len(r.aliases), preference(r)))
    if want:
        for r in cands:
            caps = {c.capability for c in r.provides}
            if all(group[1] in caps for group in want):
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
    """A supply and LEDs, with nothing that decides when they light: the supply lights them by itself through
    their resistors, no controller. Power parts between them (a charger, a regulator, a diode) and a switch that
    stays where it is put (a changeover contact: a slide or toggle switch, the on/off switch of a torch) decide
    nothing either."""
    kinds = [(kind_of(lib[n.key]), lib[n.key]) for n in ident.needs if n.key]
    names = {k for k, _ in kinds}
    return "source" in names and "led" in names and all(
        k in ("source", "converter", "led", "passive", "diode") or (k == "button" and _stays_put(rec))
        for k, rec in kinds)


def _stays_put(rec) -> bool:
    """A hand switch with a resting throw and a common (a slide or toggle switch): it holds its position."""
    functions = {f for p in rec.pins for f in p.functions}
    return rec.category == "input" and {"contact_nc", "contact_common"} <= functions


def _add_board(ident: Identification, key: str, why: str) -> None:
    ident.needs.insert(0, Need(phrase="controller board", key=key, qty=1, role="controller", explicit=False, why=why))
