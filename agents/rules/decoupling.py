"""Decoupling: a 100 nF ceramic capacitor from each bare IC's supply pin to ground, close to
the pin (every logic IC datasheet's application note). Modules and boards carry their own."""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.builder import DesignBuilder
from circuit.units import format_value

BARE_IC_CATEGORIES = {"ic", "driver", "semiconductor", "sensor", "display", "interface", "communication", "audio", "storage"}


CERAMIC = "ceramic-capacitor"  # decoupling, bypass and filters
ELECTROLYTIC = "electrolytic-capacitor"  # bulk storage


def cap_key(b: DesignBuilder, polarized: bool = False) -> str | None:
    """The library's capacitor for the job: an electrolytic for bulk (µF and up), an MLCC for
    decoupling; the generic ``capacitor`` only when the library has neither."""
    for key in ((ELECTROLYTIC, "capacitor") if polarized else (CERAMIC, "capacitor")):
        if key in b.lib:
            return key
    return None


CAP_RATINGS = (6.3, 10.0, 16.0, 25.0, 35.0, 50.0, 63.0, 100.0)


def cap_rating(volts: float) -> float:
    """The smallest standard capacitor voltage rating at least 1.5 × the voltage across it."""
    for r in CAP_RATINGS:
        if r >= 1.5 * volts:
            return r
    return CAP_RATINGS[-1]


def add_cap(b: DesignBuilder, supply_ep: str, farads: float, why: str, serves: str | None = None,
            volts: float | None = None) -> str | None:
    key = cap_key(b, polarized=farads >= 1e-6)
    if key is None:
        b.note(f"Add a {format_value(farads, 'F')} capacitor {why} (no capacitor in the library).")
        return None
    if volts is None:
        volts = next((r.volts for r in b.rails if r.endpoint == supply_ep), None)
    cid = b.add(key, why, serves=serves)
    rec = b.lib[key]
    if volts is not None and (rec.ratings.v_rated is None or rec.ratings.v_rated < 1.5 * volts):
        b.set_attr(cid, "voltage", format_value(cap_rating(volts), "V"))
    pos, neg = P.two_terminals(b.lib[key])
    b.wire(f"{cid}:{pos}", supply_ep, "power", why)
    b.to_ground(f"{cid}:{neg}", why)
    b.value(cid, farads, "F", why=why)
    return cid


def needs_decoupling(rec) -> bool:
    """A bare IC with a supply pin: not a board, and not a module whose record says it carries its own
    capacitors (``flags.decoupling_onboard``)."""
    if rec.flags.decoupling_onboard or P.is_board(rec) or not P.power_in_pins(rec):
        return False
    return rec.category in BARE_IC_CATEGORIES


def stated_decoupling(b: DesignBuilder, pid: str, volts: float | None = None) -> bool:
    """The decoupling capacitors the part's record declares (``requires.companions`` of kind
    decoupling-capacitor), one per supply pin it names, each at its value; only on pins that are wired.
    Returns whether the record declares any (then they stand in for the generic 100 nF)."""
    rec = b.rec(pid)
    stated = [c for c in rec.requires.companions if c.kind == "decoupling-capacitor" and c.pins]
    wired = {e for w in b.plan.wires for e in (w.a, w.b)}
    for c in stated:
        ep = f"{pid}:{c.pins[0]}"
        if ep not in wired:
            continue
        farads = c.typical or c.min or 100e-9
        where = f" ({c.where})" if c.where else ""
        add_cap(b, ep, farads, f"decoupling right at {pid}'s {c.pins[0]}{where}", pid, volts=volts)
    return bool(stated)


def decouple(b: DesignBuilder, pid: str, supply_ep: str) -> None:
    rec = b.rec(pid)
    if not needs_decoupling(rec):
        return
    add_cap(b, supply_ep, 100e-9, f"decoupling for {pid}", pid)
