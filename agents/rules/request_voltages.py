"""Voltages a request states: the supply ("a 9V battery", "from a 24V source"), the load ("my
solenoid needs 12V"), converter outputs ("stepped down to 5V"), and the parts they imply: a source of
that voltage, a boost converter when the load needs more than the supply gives.
"""

from __future__ import annotations

import re

from agents.models import Identification, Need
from agents.rules.part_search import resolve_query
from knowledge.library import Library


def read_voltages(text: str, low: str, needs: list[Need], ident: Identification, lib: Library) -> None:
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
    from circuit.hazard import SELV_AC_V, SELV_DC_V

    mains = next((r.key for r in lib if r.safety.mains_source and (r.supply.v_min or 0) <= volts
                  <= (r.supply.v_max or r.ratings.v_rated or 0)), None)
    if volts > SELV_DC_V or (volts > SELV_AC_V and mains):
        # no battery or adapter gives a mains voltage: that supply is mains, a source kind of its own
        return mains
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
