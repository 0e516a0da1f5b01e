"""A Zener shunt regulator: a series resistor from the supply, the Zener from the output node to ground
(cathode up), the output taken across the Zener. RS = (Vin − Vz)/(Iz + Iload), with the Zener's own
voltage and power rating from its record; the sizing engine checks it when installed."""

from __future__ import annotations

from agents.rules.analog import supply_rail, two
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.values import size_block
from circuit.units import format_value
from knowledge.preference import most_preferred

I_LOAD = 0.01  # a small load (a reference, a sensor) when none is stated
I_KNEE = 0.005  # the Zener keeps at least this much to stay in regulation


HOLD = "voltage-reference"


def block_zener_shunt(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    b = ctx.b
    zener = next((n for ns in by_kind.values() for n in ns if n.key and b.lib[n.key].spice.kind == "zener"), None)
    if zener is None:
        want = ctx.ident.numbers.get("vout")
        cands = [r for r in b.lib if r.spice.kind == "zener" and r.ratings.vz and want and abs(r.ratings.vz - want) < 0.15]
        # a part that holds a voltage (not a surge suppressor of the same breakdown), the nearest voltage
        pick = most_preferred(cands, lambda r: (not any(c.capability == HOLD for c in r.provides),
                                                round(abs(r.ratings.vz - want), 2)))
        if pick is None:
            b.unmet("The library has no Zener diode of that voltage.")
            return set()
        key = pick.key
    else:
        key = zener.key
    rec = b.lib[key]
    vz = rec.ratings.vz or 5.1
    vin = ctx.ident.supply_volts or (9.0 if vz < 8 else 15.0)
    rail = supply_rail(ctx, board, vin)
    if rail is None or rail.volts <= vz + 0.5:
        b.unmet(f"A {format_value(vz, 'V')} Zener regulator needs a supply above {format_value(vz + 0.5, 'V')}.")
        return set()
    vin = rail.volts
    i_total = I_LOAD + I_KNEE
    s = size_block("zener_regulator", {"vin_min": vin, "vin_max": vin, "vz": vz, "i_load": I_LOAD,
                                        "pz_max": rec.ratings.power_max or 0.5},
                   [("vout", "=", vz, 0.1)], {"RS": (vin - vz) / i_total})
    rs = s.values["RS"]
    p_r = (vin - vz) ** 2 / rs
    formula = (f"RS = (Vin − Vz)/(Iz + Iload) = ({format_value(vin, 'V')} − {format_value(vz, 'V')})/"
               f"({format_value(I_KNEE, 'A')} + {format_value(I_LOAD, 'A')}) → {format_value(rs, 'Ω')}; "
               f"P(RS) = {format_value(p_r, 'W')}")
    rid = b.add("resistor", "series resistor of the Zener regulator")
    did = b.add(key, f"Zener: holds the output at {format_value(vz, 'V')}", dict(zener.attrs) if zener else {})
    r1, r2 = two(ctx, rid)
    an = next(p.name for p in rec.pins if "anode" in p.functions)
    ka = next(p.name for p in rec.pins if "cathode" in p.functions)
    b.power(f"{rid}:{r1}", rail, (vin - vz) / rs, f"{rail.name} into the series resistor")
    b.wire(f"{rid}:{r2}", f"{did}:{ka}", "power", "regulated node: the Zener's cathode")
    b.to_ground(f"{did}:{an}", "Zener anode to ground")
    b.value(rid, rs, "Ω", formula, f"keeps the Zener in regulation with up to {format_value(I_LOAD, 'A')} drawn ({s.method})")
    if p_r > 0.25:
        b.set_attr(rid, "power", format_value(0.5 if p_r < 0.4 else 1.0, "W"))
    b.note(f"The {format_value(vz, 'V')} output is across {did} (node {rid}:{r2}); it holds for loads up to about "
           f"{format_value(I_LOAD, 'A')}. A Zener shunt wastes current: for more, use a linear regulator.")
    return {id(zener)} if zener else set()
