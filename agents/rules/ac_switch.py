"""Mains loads switched by a relay: the relay module's coil side on the controller (its own
driver and flyback diode are on the module), its contacts in series with the AC load. The low-
voltage side never touches mains; the report says to use an enclosed, rated relay."""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.context import PlanContext

CONTACT = ("contact_no", "contact_common", "contact_nc")


def _contacts(rec) -> dict[str, str]:
    out = {}
    for p in rec.pins:
        for f in CONTACT:
            if f in p.functions and f not in out:
                out[f] = p.name
    if not out:
        for p in rec.pins:
            n = p.name.upper()
            if n == "NO":
                out["contact_no"] = p.name
            elif n in ("COM", "C", "COMMON"):
                out["contact_common"] = p.name
            elif n == "NC":
                out["contact_nc"] = p.name
    return out


def connect_ac_loads(ctx: PlanContext) -> None:
    b = ctx.b
    relays = [p for p in b.plan.parts if _contacts(b.lib[p.type]) and b.lib[p.type].category != "input"]
    loads = [p for p in b.plan.parts if b.lib[p.type].category == "power" and not P.power_out_pins(b.lib[p.type])
             and p.type not in [r.type for r in relays]]
    if not relays:
        b.unmet("A mains load is switched by a relay module's contacts; add one.")
        return
    for i, load in enumerate(loads):
        relay = relays[min(i, len(relays) - 1)]
        c = _contacts(b.lib[relay.type])
        lrec = b.lib[load.type]
        pins = [p.name for p in P.unique_pins(lrec) if p.type != "nc"]
        live = next((n for n in pins if n.upper() in ("LIVE", "L", "LINE", "HOT")), pins[0])
        no = c.get("contact_no")
        com = c.get("contact_common")
        if no:
            b.wire(f"{relay.id}:{no}", f"{load.id}:{live}", "load", f"{relay.id}'s normally-open contact switches {load.id}'s live wire")
        if com:
            b.note(f"Mains live from the wall goes to {relay.id}:{com}; {load.id}'s neutral goes straight back to the wall.")
        b.note("Mains voltage is dangerous: use a relay module rated for it, keep mains wiring in a closed box, "
               "and never touch the contact side while plugged in.")
