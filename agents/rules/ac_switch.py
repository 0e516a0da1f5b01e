"""Mains loads switched by a relay, built from record data (mains pins, isolation barriers, fuse and
mains-source facts), never from the request's wording.

The safe structure: mains live through a fuse to the relay's COM, NO to the load's live, neutral
straight back to the load; the relay's coil side (or a relay module's driver side) on the controller,
across the relay's declared isolation barrier; nothing of the mains side joined to the low-voltage
ground. When the board has no supply of its own in the design, an isolated AC-DC module fed from the
fused live powers it. The report opens with a safety banner (pipelines/report.py)."""

from __future__ import annotations

from agents.rules.context import PlanContext
from agents.rules.mains_feed import FUSE_SIZES
from circuit.hazard import (
    attr_volts, contact_pins, is_dc_source, is_isolated_supply, is_mains_load, is_mains_source, isolated_contacts,
    live_pin, neutral_pin,
)
from circuit.units import UnitError, parse_value
from knowledge.preference import most_preferred

def _first(lib, pred):
    """The most common record that satisfies ``pred`` (knowledge/preference.py)."""
    rec = most_preferred(r for r in lib if pred(r))
    return rec.key if rec else None


def _fuse_rating(load_amps: float | None, contact_amps: float | None) -> float:
    top = contact_amps or 10.0
    if load_amps:
        want = load_amps * 1.5
        return next((f for f in FUSE_SIZES if f >= want and f <= top), top)
    return next((f for f in reversed(FUSE_SIZES) if f <= top / 2), FUSE_SIZES[0])


def _load_amps(attrs: dict, volts: float) -> float | None:
    for key, unit in (("current", "A"), ("power", "W")):
        if key in attrs:
            try:
                v = parse_value(attrs[key], unit)
            except (UnitError, ValueError):
                continue
            return v if unit == "A" else v / volts
    return None


def connect_ac_loads(ctx: PlanContext) -> None:
    b = ctx.b
    lib = b.lib
    relays = [p for p in b.plan.parts if isolated_contacts(lib[p.type])]
    loads = [p for p in b.plan.parts if is_mains_load(lib[p.type])]
    sources = [p for p in b.plan.parts if is_mains_source(lib[p.type])]
    if not relays:
        b.unmet("A mains load needs a relay (contacts isolated from its coil) to switch it; add one.")
        return
    if not loads:
        key = _first(lib, is_mains_load)
        if key is None:
            b.unmet("The library has no mains load record (an outlet or appliance terminal).")
            return
        lid = b.add(key, "the mains load the relay switches")
        loads = [p for p in b.plan.parts if p.id == lid]
    if sources:
        src = sources[0]
    else:
        key = _first(lib, is_mains_source)
        if key is None:
            b.unmet("The library has no mains source record (live, neutral, protective earth).")
            return
        sid = b.add(key, "mains supply: live, neutral, protective earth")
        src = next(p for p in b.plan.parts if p.id == sid)
    srec = lib[src.type]
    volts = attr_volts(src.attrs) or srec.safety.v_ac or 230.0
    s_live, s_neutral = f"{src.id}:{live_pin(srec)}", f"{src.id}:{neutral_pin(srec)}"
    fuse_key = _first(lib, lambda r: r.safety.overcurrent_protection)
    if fuse_key is None:
        b.unmet("The library has no fuse record to protect the mains side.")
        return
    fused = None
    for i, load in enumerate(loads):
        relay = relays[min(i, len(relays) - 1)]
        rrec, lrec = lib[relay.type], lib[load.type]
        c = contact_pins(rrec)
        no, com = c.get("contact_no"), c.get("contact_common")
        if not (no and com):
            b.unmet(f"{relay.id} has no normally-open contact to switch {load.id}.")
            continue
        contact_amps = min((p.i_max for p in rrec.pins if p.name in (no, com) and p.i_max), default=None)
        rating = _fuse_rating(_load_amps(load.attrs, volts), contact_amps)
        fid = b.add(fuse_key, f"fuse in the mains live wire of {load.id}", {"rating": f"{rating:g} A"})
        f1, f2 = lib[fuse_key].pin_names[:2]
        b.wire(s_live, f"{fid}:{f1}", "load", f"mains live from {src.id} into the fuse {fid}")
        b.wire(f"{fid}:{f2}", f"{relay.id}:{com}", "load", f"fused live to {relay.id}'s common contact")
        b.wire(f"{relay.id}:{no}", f"{load.id}:{live_pin(lrec)}", "load",
               f"{relay.id}'s normally-open contact switches {load.id}'s live wire")
        b.wire(s_neutral, f"{load.id}:{neutral_pin(lrec)}", "load", f"neutral straight back from {load.id} to {src.id}")
        fused = fused or f"{fid}:{f2}"
    _isolated_supply(ctx, fused, s_neutral)
    b.note("Mains is dangerous: build the mains side (fuse, relay contacts, load) in a closed, insulated box, "
           "never join it to the low-voltage ground, and never work on it while it is plugged in.")


def _isolated_supply(ctx: PlanContext, fused_live: str | None, neutral: str) -> None:
    """Power the low-voltage side from an isolated AC-DC module when the design has no supply of its own."""
    b = ctx.b
    lib = b.lib
    if fused_live is None or not b.boards:
        return
    if any(is_dc_source(lib[p.type]) or is_isolated_supply(lib[p.type]) for p in b.plan.parts):
        return
    key = None
    rail = None
    for r in lib:
        if not is_isolated_supply(r):
            continue
        out = r.pins_of_type("power_out")[0]
        v = out.v_out or r.ratings.v_out
        found = b.find_rail(v - 0.15, v + 0.15) if v else None
        if found is not None and found.kind == "board":
            key, rail = r.key, found
            break
    if key is None:
        b.unmet("Power the low-voltage side from an isolated supply (a certified USB charger or an isolated "
                "AC-DC module); the library has none that fits the board.")
        return
    rec = lib[key]
    pid = b.add(key, "isolated supply for the low-voltage side, fed from the fused mains live")
    out = rec.pins_of_type("power_out")[0].name
    gnd = rec.pins_of_type("ground")[0].name
    b.wire(fused_live, f"{pid}:{live_pin(rec)}", "load", f"fused mains live into {pid}")
    b.wire(neutral, f"{pid}:{neutral_pin(rec)}", "load", f"mains neutral into {pid}")
    b.wire(f"{pid}:{out}", rail.endpoint, "power", f"{pid}'s isolated output feeds {rail.endpoint}")
    b.to_ground(f"{pid}:{gnd}", f"{pid}'s isolated output ground")
    usb = f"{rail.owner} is powered from its USB connector"
    b.plan.notes = [f"{rail.owner} is powered from {pid}'s isolated {rail.name} output on {rail.endpoint} (fed from "
                    "the fused mains live); keep its USB cable unplugged while mains is connected, or use a certified "
                    "USB charger instead of the module." if n.startswith(usb) else n for n in b.plan.notes]
