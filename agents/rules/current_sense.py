"""In-line current sensors (INA219-style breakouts): the shunt's two terminals go in series with the
load they measure, supply side on the first terminal, load on the second (high side), so the load's
current flows through the shunt. A sensor is in-line because its record gives it a pair of
current-rated passive terminals (VIN+/VIN−), not because of its name."""

from __future__ import annotations

from agents.rules.context import PlanContext
from agents.rules.kinds import kind_of
from circuit.units import format_value


def shunt_terminals(rec) -> tuple[str, str] | None:
    """(supply side, load side) of a sensor with an in-line shunt, else None."""
    if rec.category != "sensor":
        return None
    ts = [p for p in rec.pins if p.type == "passive" and p.i_max]
    if len(ts) != 2 or not any(f.startswith("i2c") or f.startswith("spi") for p in rec.pins for f in p.functions):
        return None
    return ts[0].name, ts[1].name


LOAD_ORDER = {"motor": 0, "load": 1, "driver": 2, "relay_coil": 3}


def insert_current_sensors(ctx: PlanContext) -> None:
    b = ctx.b
    rails = {r.endpoint: r for r in b.rails}
    taken: set[int] = set()
    for part in list(b.plan.parts):
        pins = shunt_terminals(b.lib[part.type])
        if pins is None:
            continue
        sup, load = pins
        if any(w.a.startswith(f"{part.id}:") and w.a.split(":")[1] in pins or
               w.b.startswith(f"{part.id}:") and w.b.split(":")[1] in pins for w in b.plan.wires):
            continue  # already in a path
        cands = []
        for i, w in enumerate(b.plan.wires):
            if w.kind != "power" or i in taken:
                continue
            for rail_ep, dev_ep in ((w.a, w.b), (w.b, w.a)):
                if rail_ep not in rails:
                    continue
                other = b.plan.part(dev_ep.split(":")[0])
                if other is None or other.id == part.id:
                    continue
                k = kind_of(b.lib[other.type])
                if k in LOAD_ORDER:
                    cands.append((LOAD_ORDER[k], i, rail_ep, dev_ep))
        if not cands:
            b.note(f"{part.id}'s {sup}/{load} terminals go in series with the supply of the load it measures "
                   "(no load in this design).")
            continue
        _, i, rail_ep, dev_ep = min(cands)
        taken.add(i)
        w = b.plan.wires[i]
        rail = rails[rail_ep]
        w.a, w.b, w.why = f"{part.id}:{load}", dev_ep, f"{dev_ep.split(':')[0]}'s supply current through {part.id}'s shunt"
        b.wire(rail_ep, f"{part.id}:{sup}", "power", f"{rail.name} into {part.id}'s shunt (high side)")
        b.note(f"{part.id} measures {dev_ep.split(':')[0]}'s current: {rail.name} → {sup} → shunt → {load} → "
               f"{dev_ep} (in series, high side; rated {format_value(b.lib[part.type].pin(sup).i_max, 'A')}).")
