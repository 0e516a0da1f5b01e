"""Repairs for the safety rules: rebuild the safe mains structure, add an isolated supply.

``isolate_mains(X)`` (X: a mains load, a mains source or a hazardous "battery"):

* a DC source set above the SELV limit becomes the mains source it stands for (a mains-input record);
* every wire at the mains pins of the mains source and loads is removed (the parts wired *through*
  them stay joined to each other, so the low-voltage ground stays one net), and so is every wire at
  the relay's contacts;
* then: mains live -> fuse -> relay COM, relay NO -> load live, mains neutral -> load neutral. An
  isolated supply already in the circuit is fed from the fused live and the neutral.

``add_isolated_supply(U)`` puts an isolated AC-DC module (a record whose mains pins and DC output sit
on two sides of a declared barrier) on the fused live and neutral, its output on the board's rail
of the same voltage and its output ground on the board's ground.

Parts are chosen by record data (``safety`` facts, mains pin functions, isolation barriers), never
by key. The functions take the fixer's editor (:class:`circuit.fixes._Editor`).
"""

from __future__ import annotations

from circuit.hazard import (
    CONTACT_FUNCTIONS,
    MAINS_DEFAULT_V,
    SELV_DC_V,
    attr_volts,
    is_dc_source,
    is_isolated_supply,
    is_mains_load,
    isolated_contacts,
    is_mains_source,
    live_pin,
    neutral_pin,
)
from circuit.erc.context import ErcContext
from circuit.fix_error import FixError
from knowledge.preference import most_preferred


def _err(msg: str) -> Exception:
    return FixError(msg)


def _rec(ed, pid: str):
    part = ed.c.part(pid)
    return ed.lib.get(part.type) if part else None


def _first(ed, pred) -> str | None:
    """The most common record that satisfies ``pred`` (knowledge/preference.py)."""
    rec = most_preferred(r for r in ed.lib if pred(r))
    return rec.key if rec else None


def _relay_for(ed, load_live_nbrs: list[str]) -> str | None:
    """The relay whose contacts switch the load (its NO was on the load's live), else any relay with
    contacts isolated from its coil."""
    for ep in load_live_nbrs:
        pid = ep.split(":", 1)[0]
        rec = _rec(ed, pid)
        if rec is not None and isolated_contacts(rec):
            return pid
    for p in ed.c.parts:
        rec = ed.lib.get(p.type)
        if rec is not None and isolated_contacts(rec):
            return p.id
    return None


def _contact(rec, fn: str) -> str | None:
    return next((p.name for p in rec.pins if fn in p.functions), None)


def _mains_source(ed, near: str) -> str:
    """The circuit's mains source; a hazardous DC source becomes one; else a new one is added."""
    for p in ed.c.parts:
        rec = ed.lib.get(p.type)
        if rec is not None and is_mains_source(rec):
            return p.id
    key = _first(ed, is_mains_source)
    if key is None:
        raise _err("the library has no mains source record")
    for p in ed.c.parts:
        rec = ed.lib.get(p.type)
        if rec is None or not is_dc_source(rec):
            continue
        v = attr_volts(p.attrs) or rec.ratings.v_nominal
        if v is not None and v > SELV_DC_V:
            for n in rec.pin_names:
                ed.detach(f"{p.id}:{n}")
            p.type = key
            p.attrs = {"voltage": f"{v:g} V"}
            return p.id
    return ed.new_part(key, "J", near, {"voltage": f"{MAINS_DEFAULT_V:g} V"})


def isolate_mains(ed, pid: str, *_rebuilt: str) -> str:
    """``pid`` is a mains part; the other arguments name the parts the rebuild rewires (for the reader)."""
    part = ed.c.part(pid)
    if part is None:
        raise _err(f"no part {pid!r}")
    loads = [p.id for p in ed.c.parts if (r := ed.lib.get(p.type)) is not None and is_mains_load(r)]
    if not loads:
        raise _err("no mains load to isolate")
    src = _mains_source(ed, f"{loads[0]}:x")
    srec = _rec(ed, src)
    s_live, s_neutral = f"{src}:{live_pin(srec)}", f"{src}:{neutral_pin(srec)}"
    # the mains source stands alone: nothing of the low-voltage side stays on its pins
    for n in (live_pin(srec), neutral_pin(srec)):
        ed.detach(f"{src}:{n}")
    fuse_key = _first(ed, lambda r: r.safety.overcurrent_protection)
    if fuse_key is None:
        raise _err("the library has no fuse record")
    supplies = [p.id for p in ed.c.parts if (r := ed.lib.get(p.type)) is not None and is_isolated_supply(r)]
    done = []
    fused = None
    for lid in loads:
        lrec = _rec(ed, lid)
        live, neutral = f"{lid}:{live_pin(lrec)}", f"{lid}:{neutral_pin(lrec)}"
        relay = _relay_for(ed, ed.neighbours(live))
        ed.detach(live)
        ed.detach(neutral)
        if relay is None:
            relay = _relay_for_switch(ed, [p for p in _rebuilt if ed.c.part(p) is not None])
        if relay is None:
            raise _err(f"no relay with isolated contacts to switch {lid}")
        rrec = _rec(ed, relay)
        com, no = _contact(rrec, "contact_common"), _contact(rrec, "contact_no")
        for fn in CONTACT_FUNCTIONS:
            name = _contact(rrec, fn)
            if name:
                for c in ed.wires_at(f"{relay}:{name}"):
                    ed.c.connections.remove(c)
        fid = ed.new_part(fuse_key, "F", live, {"rating": "5A"})
        f1, f2 = ed.lib[fuse_key].pin_names[:2]
        ed.c.connect(s_live, f"{fid}:{f1}", "red")
        ed.c.connect(f"{fid}:{f2}", f"{relay}:{com}", "red")
        ed.c.connect(f"{relay}:{no}", live, "red")
        ed.c.connect(s_neutral, neutral, "blue")
        fused = fused or f"{fid}:{f2}"
        done.append(f"{s_live} -> {fid} -> {relay}:{com}, {relay}:{no} -> {live}, {s_neutral} -> {neutral}")
    for sid in supplies:
        rec = _rec(ed, sid)
        for n in (live_pin(rec), neutral_pin(rec)):
            ed.detach(f"{sid}:{n}")
        ed.c.connect(fused, f"{sid}:{live_pin(rec)}", "red")
        ed.c.connect(s_neutral, f"{sid}:{neutral_pin(rec)}", "blue")
    _drop_dangling_fuses(ed)
    return "rebuilt the mains side apart from the low-voltage circuit: " + "; ".join(done)


def _relay_for_switch(ed, named: list[str]) -> str | None:
    """Replace a transistor that switched mains (and its drive resistors, all named in the hint) by a relay
    module (a record with isolated contacts and its own driver: a power pin and one logic input) on the
    controller pin that drove it."""
    # one transistor switched one load: a single-channel module (one logic input), not a multi-relay board
    key = _first(ed, lambda r: isolated_contacts(r) and r.pins_of_type("power_in") and len(r.pins_of_type("digital_in")) == 1)
    switches = [p for p in named if (r := _rec(ed, p)) is not None and r.spice.kind in ("npn", "pnp", "nmos", "pmos")]
    if key is None or not switches:
        return None
    ctx = ErcContext(ed.c, ed.lib)
    drive = None
    for p in [switches[0]] + [p for p in named if (r := _rec(ed, p)) is not None and r.spice.kind == "resistor"]:
        for n in _rec(ed, p).pin_names:
            for o in ctx.others_on_net(f"{p}:{n}"):
                if ctx.is_mcu(ctx.part_of(o)) and ctx.can_drive(ctx.pin(o)):
                    drive = ctx.canonical(o)
    if drive is None:
        return None
    rec = ed.lib[key]
    supply = rec.pins_of_type("power_in")[0]
    rail = ctx.rail_pin_for(rec.supply.v_max and min(5.0, rec.supply.v_max) or 5.0, prefer=ctx.part_of(drive))
    if rail is None:
        return None
    gnd = ed.ground_pin(drive)
    for p in switches + [p for p in named if (r := _rec(ed, p)) is not None and r.spice.kind == "resistor"]:
        for n in _rec(ed, p).pin_names:
            for c in ed.wires_at(f"{p}:{n}"):
                ed.c.connections.remove(c)
        ed.c.parts = [x for x in ed.c.parts if x.id != p]
    kid = ed.new_part(key, rec.designator or "K", drive)
    ed.c.connect(f"{kid}:{supply.name}", rail, "red")
    ed.c.connect(f"{kid}:{rec.pins_of_type('ground')[0].name}", gnd, "black")
    ed.c.connect(f"{kid}:{rec.pins_of_type('digital_in')[0].name}", drive, "green")
    return kid


def _drop_dangling_fuses(ed) -> None:
    """A fuse left with one or no wire after the rebuild is removed."""
    for p in list(ed.c.parts):
        rec = ed.lib.get(p.type)
        if rec is None or not rec.safety.overcurrent_protection:
            continue
        wired = [n for n in rec.pin_names if ed.wires_at(f"{p.id}:{n}")]
        if len(wired) < 2:
            for n in rec.pin_names:
                for c in ed.wires_at(f"{p.id}:{n}"):
                    ed.c.connections.remove(c)
            ed.c.parts.remove(p)


def add_isolated_supply(ed, pid: str) -> str:
    src = next((p.id for p in ed.c.parts if (r := ed.lib.get(p.type)) is not None and is_mains_source(r)), None)
    if src is None:
        raise _err("no mains source to feed an isolated supply from")
    srec = _rec(ed, src)
    s_live, s_neutral = f"{src}:{live_pin(srec)}", f"{src}:{neutral_pin(srec)}"
    fuse = next((p.id for p in ed.c.parts if (r := ed.lib.get(p.type)) is not None and r.safety.overcurrent_protection
                 and any(ed.same(n, s_live) for n in ed.neighbours(f"{p.id}:{r.pin_names[0]}"))), None)
    feed = f"{fuse}:{_rec(ed, fuse).pin_names[1]}" if fuse else s_live
    ctx = ErcContext(ed.c, ed.lib)
    for r in ed.lib:
        if not is_isolated_supply(r):
            continue
        out = r.pins_of_type("power_out")[0]
        rail = ctx.rail_pin_for(out.v_out or r.ratings.v_out or 0.0, prefer=pid)
        if rail is None:
            continue
        sid = ed.new_part(r.key, "PS", rail)
        gnd = r.pins_of_type("ground")[0].name
        ed.c.connect(feed, f"{sid}:{live_pin(r)}", "red")
        ed.c.connect(s_neutral, f"{sid}:{neutral_pin(r)}", "blue")
        ed.c.connect(f"{sid}:{out.name}", rail, "red")
        ed.c.connect(f"{sid}:{gnd}", ed.ground_pin(rail), "black")
        return f"added the isolated supply {sid} ({r.name}) on {feed}, its output on {rail}"
    raise _err("no isolated supply in the library fits the board's rails")
