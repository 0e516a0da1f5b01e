"""Safety rules: hazardous voltages kept apart from the low-voltage circuit, and cells used safely.

Hazard classes, zones and barriers come from :mod:`circuit.hazard` (record data: mains pins,
``safety`` facts, ``isolation`` barriers). Mains and other hazardous faults are Critical; their fix
hint ``isolate_mains(X)`` lets :mod:`circuit.fixes` rebuild the safe structure around the mains part X
(live through a fuse to the relay's COM, NO to the load's live, neutral straight to the load, no link
to the low-voltage ground), and ``add_isolated_supply(U)`` powers the low-voltage side through an
isolated AC-DC module. The cell rules read ``safety.cell``/``cell_protection``/``charger``/``i_pulse_max``.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext, fmt, fmt_ma
from circuit.findings import Severity
from circuit.hazard import (
    HazardMap,
    Zone,
    attr_volts,
    is_dc_source,
    is_isolated_supply,
    is_mains_load,
    is_mains_source,
    live_pin,
    mains_pins,
    sections,
)
from circuit.units import UnitError, parse_value

RULES = {
    "SAFETY-HAZARD-TOUCHES-SELV": (Severity.CRITICAL, "A hazardous (mains or above 50 V AC / 120 V DC) net shares a node "
                                   "with the low-voltage circuit or its ground, other than across a declared isolation barrier."),
    "SAFETY-MAINS-NO-FUSE": (Severity.CRITICAL, "A mains load has no fuse in its live wire."),
    "SAFETY-OVER-RATING": (Severity.CRITICAL, "A part on the hazardous side is used beyond its voltage or current rating "
                           "(relay contacts, a transistor, a connector)."),
    "SAFETY-MAINS-NO-ISOLATED-SUPPLY": (Severity.CRITICAL, "A design takes mains in but its low-voltage side has no "
                                        "isolated supply of its own."),
    "SAFETY-SOURCE-ABOVE-SELV": (Severity.CRITICAL, "A battery or DC source is set above the safety extra-low voltage "
                                 "limit (120 V DC): no such battery exists; mains is a mains source."),
    "SAFETY-LI-CELL-UNPROTECTED": (Severity.MAJOR, "A bare Li-ion/LiPo cell feeds the circuit without a protection circuit."),
    "SAFETY-CHARGE-NO-CHARGER": (Severity.CRITICAL, "A rechargeable cell is charged straight from a supply, without a charger IC."),
    "SAFETY-CELLS-PARALLEL-UNMATCHED": (Severity.MAJOR, "Cells of different types or voltages are wired in parallel."),
    "SAFETY-CELLS-PARALLEL": (Severity.WARNING, "Cells are wired in parallel: they must be matched and charged to the same "
                              "voltage before they are joined."),
    "SAFETY-COIN-CELL-PULSE": (Severity.MAJOR, "A coin cell is asked for more than its pulse current."),
    "SAFETY-CELL-REVERSED": (Severity.CRITICAL, "A cell or battery is wired with reversed polarity."),
    "SAFETY-CELL-SHORTED": (Severity.CRITICAL, "A cell's terminals are shorted: it can overheat, vent or catch fire."),
}

RECHARGEABLE = {"li-ion", "lipo", "lifepo4", "nimh", "lead-acid"}
LITHIUM = {"li-ion", "lipo", "lifepo4"}
# the terminal of a switching part that stands off the full voltage while the part is off
ROLE_RATING = {"collector": "vce_max", "drain": "vds_max"}


# ---- hazardous side -----------------------------------------------------------------------
def _isolated_contacts(rec) -> bool:
    names = {p.name for p in rec.pins if {"contact_common", "contact_no", "contact_nc"} & set(p.functions)}
    return bool(names) and any(names <= set(b.side_a) or names <= set(b.side_b) for b in rec.isolation)


def _fix_hint(ctx: ErcContext, hm: HazardMap, zone: Zone) -> str | None:
    """``isolate_mains(LOAD, ...)`` naming every part the rebuild rewires (the mains load first, then the
    hazardous sources, fuses, isolated supplies and relays), or None when no relay can switch the load."""
    relays = [pid for pid in ctx.parts if (r := ctx.rec(pid)) is not None and _isolated_contacts(r)]
    zone_parts = list(dict.fromkeys(ctx.part_of(ep) for ep in hm.pins_in(zone)))
    loads = [pid for pid in zone_parts if is_mains_load(ctx.rec(pid))]
    if not loads:
        return None
    rest = [pid for pid in zone_parts if pid not in loads and (r := ctx.rec(pid)) is not None and (
        pid in zone.seed_parts or r.safety.overcurrent_protection or is_isolated_supply(r) or mains_pins(r))]
    if not relays:
        # a transistor switching mains gives way to a relay module on the pin that drove it
        switch = _mains_switch(ctx, hm, zone)
        if switch is None:
            return None
        relays = list(switch)
    return f"isolate_mains({', '.join(dict.fromkeys(loads + rest + relays))})"


def _mains_switch(ctx: ErcContext, hm: HazardMap, zone: Zone) -> tuple[str, ...] | None:
    """(transistor, its drive resistors...) of a transistor whose collector/drain sits on the hazardous side
    and whose base/gate a controller pin drives (directly or through resistors)."""
    for ep in hm.pins_in(zone):
        pin = ctx.pin(ep)
        if pin is None or not {"collector", "drain"} & set(pin.functions):
            continue
        q = ctx.part_of(ep)
        ctrl = next((p for p in ctx.rec(q).pins if {"base", "gate"} & set(p.functions)), None)
        if ctrl is None:
            continue
        resistors: list[str] = []
        todo, seen = [f"{q}:{ctrl.name}"], set()
        while todo:
            cur = todo.pop()
            if cur in seen:
                continue
            seen.add(cur)
            for o in ctx.others_on_net(cur):
                pid = ctx.part_of(o)
                if ctx.is_mcu(pid) and ctx.can_drive(ctx.pin(o)):
                    return (q, *resistors)
                if ctx.is_resistor(pid) and pid not in resistors and (other := ctx.other_terminal(o)):
                    resistors.append(pid)
                    todo.append(other)
    return None


def _boundary(hm: HazardMap, zone: Zone, lv: list[str]) -> list[str]:
    """The low-voltage pins where the hazard comes in: on a net with a hazardous source or mains pin first."""
    seed_nodes = {hm.node(s.endpoint) for s in zone.seeds}
    first = [ep for ep in lv if hm.node(ep) in seed_nodes]
    return (first or lv)[:3]


def _touches(ctx: ErcContext, hm: HazardMap) -> None:
    for z in hm.zones:
        lv = hm.low_voltage_pins(z)
        if not lv:
            continue
        where = _boundary(hm, z, lv)
        src = z.seeds[0]
        what = hm.headline() if len(hm.zones) == 1 else (f"{z.volts:g} V AC mains" if z.mains else f"{z.volts:g} V")
        parts = ", ".join(dict.fromkeys(ctx.label(ctx.part_of(ep)) for ep in where))
        fix = _fix_hint(ctx, hm, z)
        ctx.add(
            "SAFETY-HAZARD-TOUCHES-SELV", Severity.CRITICAL,
            f"{what} from {src.why} reaches the low-voltage circuit ({', '.join(where)} on {parts}) with no "
            "isolation barrier between them. Anyone touching the board, its USB cable or its ground could get a "
            "lethal shock, and the board is destroyed. Keep the mains side separate: mains live through a fuse to "
            "the relay's COM, NO to the load's live, neutral straight to the load, and nothing of it joined to "
            "the low-voltage GND; only a relay, optocoupler or isolated supply may bridge the two sides.",
            [src.endpoint] + where, fix,
        )


def _cross(hm: HazardMap, ep: str, block: set[str]) -> list[str]:
    """Pins reachable from ``ep`` through its own part (same galvanic section), unless the part is blocked."""
    pid, name = ep.split(":", 1)
    rec = hm.rec(pid)
    if rec is None or pid in block:
        return []
    pin = rec.pin(name)
    name = pin.name if pin else name
    out: list[str] = []
    for sec in sections(rec):
        if name in sec:
            out += [f"{pid}:{n}" for n in sec if n != name]
    return out


def _reaches(hm: HazardMap, start: str, targets: set[str], block: set[str]) -> bool:
    """Is any of ``targets`` (endpoints) reachable from ``start`` along wires and through unblocked parts?"""
    target_nodes = {hm.node(t) for t in targets}
    seen: set[str] = set()
    todo = [start]
    while todo:
        ep = todo.pop()
        if ep in seen:
            continue
        seen.add(ep)
        if hm.node(ep) in target_nodes:
            return True
        net = hm.nl.net_of(ep)
        todo += [p for p in (net.pins if net is not None else []) if p not in seen]
        todo += [q for q in _cross(hm, ep, block) if q not in seen]
    return False


def _fuses(ctx: ErcContext) -> set[str]:
    return {pid for pid in ctx.parts if (r := ctx.rec(pid)) is not None and r.safety.overcurrent_protection}


def _no_fuse(ctx: ErcContext, hm: HazardMap) -> None:
    fuses = _fuses(ctx)
    for z in hm.zones:
        if not z.mains and not z.seeds:
            continue
        zone_pins = hm.pins_in(z)
        sources = [ep for ep in zone_pins if (r := ctx.rec(ctx.part_of(ep))) is not None and
                   ((is_mains_source(r) and "mains_live" in (ctx.pin(ep).functions if ctx.pin(ep) else []))
                    or (is_dc_source(r) and ctx.pin(ep) is not None and ctx.pin(ep).type == "power_out"))]
        zone_fuses = {ctx.part_of(ep) for ep in zone_pins} & fuses
        loads = [pid for pid in dict.fromkeys(ctx.part_of(ep) for ep in zone_pins)
                 if (r := ctx.rec(pid)) is not None and is_mains_load(r)]
        for pid in loads:
            live = f"{pid}:{live_pin(ctx.rec(pid))}"
            # the live path runs through switches and wires, never through a fuse or another mains part
            block = fuses | {q for q in ctx.parts if (r := ctx.rec(q)) is not None and mains_pins(r)}
            if sources:
                unfused = _reaches(hm, live, set(sources), block)
            else:
                unfused = not zone_fuses
            if not unfused:
                continue
            how = (f"straight from {sources[0]}" if sources else "from the wall, and the design shows no fuse")
            ctx.add(
                "SAFETY-MAINS-NO-FUSE", Severity.CRITICAL,
                f"The mains load {ctx.label(pid)} gets its live wire {how}. Without a fuse in the live wire a "
                "short in the lamp, cable or relay is fed until something burns. Put a fuse (rated a little above "
                "the load's current, below the relay contacts' rating) between mains live and the relay's COM.",
                [live] + sources[:1], _fix_hint(ctx, hm, z),
            )


def _load_current(ctx: ErcContext, pid: str, volts: float) -> float | None:
    part = ctx.parts.get(pid)
    if part is None:
        return None
    for key, unit in (("current", "A"), ("power", "W")):
        raw = part.attrs.get(key)
        if raw is None:
            continue
        try:
            v = parse_value(raw, unit)
        except (UnitError, ValueError):
            continue
        return v if unit == "A" else v / volts
    return None


def _pin_v_rating(ctx: ErcContext, ep: str, dc: bool) -> float | None:
    pid = ctx.part_of(ep)
    rec, pin = ctx.rec(pid), ctx.pin(ep)
    if rec is None or pin is None:
        return None
    contact = {"contact_common", "contact_no", "contact_nc"} & set(pin.functions)
    if dc and contact and rec.safety.contact_v_dc_max is not None:
        return rec.safety.contact_v_dc_max
    if pin.v_max is not None:
        return pin.v_max
    for role, attr in ROLE_RATING.items():
        if role in pin.functions and getattr(rec.ratings, attr) is not None:
            return getattr(rec.ratings, attr)
    return None


def _over_rating(ctx: ErcContext, hm: HazardMap) -> None:
    for z in hm.zones:
        lv = set(hm.low_voltage_pins(z))
        seeds = set(z.seed_parts)
        pins = [ep for ep in hm.pins_in(z) if ep not in lv and ctx.part_of(ep) not in seeds]
        dc = not z.ac
        flagged: set[str] = set()
        for ep in pins:
            pid = ctx.part_of(ep)
            if pid in flagged:
                continue
            limit = _pin_v_rating(ctx, ep, dc)
            if limit is not None and limit < z.volts - 0.5:
                flagged.add(pid)
                ctx.add(
                    "SAFETY-OVER-RATING", Severity.CRITICAL,
                    f"{ctx.label(pid)} sits on the {z.volts:g} V {'AC' if z.ac else 'DC'} side, but {ep.split(':', 1)[1]} is "
                    f"rated for {fmt(limit, 'V')}{' DC' if dc and limit else ''}. It can arc over or break down with "
                    "mains on it. Switch hazardous voltages only with parts rated for them (a relay's contacts rated "
                    "250 V AC, an enclosed relay module).", [ep], _fix_hint(ctx, hm, z),
                )
        _fuse_above_contacts(ctx, hm, z)
        amps = 0.0
        for pid in dict.fromkeys(ctx.part_of(ep) for ep in hm.pins_in(z)):
            rec = ctx.rec(pid)
            if rec is not None and is_mains_load(rec):
                amps += _load_current(ctx, pid, z.volts) or 0.0
        if amps <= 0:
            continue
        for ep in pins:
            pid = ctx.part_of(ep)
            pin = ctx.pin(ep)
            part = ctx.parts.get(pid)
            limit = pin.i_max if pin is not None else None
            rec = ctx.rec(pid)
            if rec is not None and rec.safety.overcurrent_protection and part is not None:
                continue  # a fuse is meant to open above its rating
            if pid in flagged or limit is None or amps <= limit * 1.001:
                continue
            flagged.add(pid)
            ctx.add(
                "SAFETY-OVER-RATING", Severity.CRITICAL,
                f"The mains load draws about {fmt(amps, 'A')}, but {ep} of {ctx.label(pid)} is rated for "
                f"{fmt(limit, 'A')}: its contacts or terminals overheat. Use a part rated above the load current, "
                "and a fuse below the smallest rating in the live path.", [ep], None,
            )


def _fuse_above_contacts(ctx: ErcContext, hm: HazardMap, z: Zone) -> None:
    """A fuse rated above the switch contacts it feeds lets them overheat before it opens."""
    pins = hm.pins_in(z)
    contacts = [(ep, p.i_max) for ep in pins if (p := ctx.pin(ep)) is not None and p.i_max
                and {"contact_common", "contact_no", "contact_nc"} & set(p.functions)]
    if not contacts:
        return
    weakest = min(contacts, key=lambda c: c[1])
    for pid in dict.fromkeys(ctx.part_of(ep) for ep in pins):
        rec, part = ctx.rec(pid), ctx.parts.get(pid)
        if rec is None or part is None or not rec.safety.overcurrent_protection or "rating" not in part.attrs:
            continue
        try:
            rating = parse_value(part.attrs["rating"], "A")
        except (UnitError, ValueError):
            continue
        if rating > weakest[1] * 1.001:
            ctx.add(
                "SAFETY-OVER-RATING", Severity.CRITICAL,
                f"The fuse {pid} is rated {fmt(rating, 'A')}, above the {fmt(weakest[1], 'A')} of {weakest[0]}: an "
                "overload can burn the contacts before the fuse opens. Use a fuse rated above the load's current "
                "but below the smallest rating in the live path.", [pid, weakest[0]], None,
            )


def _no_isolated_supply(ctx: ErcContext, hm: HazardMap) -> None:
    mains_sources = [pid for pid in ctx.parts if (r := ctx.rec(pid)) is not None and is_mains_source(r)
                     and hm.source_class(pid).hazardous]
    if not mains_sources:
        return
    hz = set(hm.hazardous_parts)
    isolated = [pid for pid in ctx.parts if (r := ctx.rec(pid)) is not None and is_isolated_supply(r)]
    selv = [pid for pid in ctx.parts if (r := ctx.rec(pid)) is not None and is_dc_source(r)
            and not hm.source_class(pid).hazardous and pid not in hz]
    if isolated or selv:
        return
    lv = [pid for pid in ctx.parts if pid not in hz and (r := ctx.rec(pid)) is not None
          and (r.is_mcu or r.pins_of_type("power_in"))]
    if not lv:
        return
    target = next((p for p in lv if ctx.is_mcu(p)), lv[0])
    ctx.add(
        "SAFETY-MAINS-NO-ISOLATED-SUPPLY", Severity.CRITICAL,
        f"This design takes mains in ({', '.join(mains_sources)}) but {ctx.label(target)} and the rest of the "
        "low-voltage side have no supply of their own in it. Power them from an isolated supply: an isolated AC-DC "
        "module fed from the fused live, or a certified USB charger or adapter, never from mains through a "
        "resistor, capacitor or non-isolated converter.", [target] + mains_sources[:1], f"add_isolated_supply({target})",
    )


def _dc_above_selv(ctx: ErcContext, hm: HazardMap) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or not is_dc_source(rec) or not hm.source_class(pid).hazardous:
            continue
        v = hm.source_volts(pid)
        ctx.add(
            "SAFETY-SOURCE-ABOVE-SELV", Severity.CRITICAL,
            f"{ctx.label(pid)} is set to {fmt(v, 'V')} DC, above the 120 V safe extra-low-voltage limit. No "
            f"{rec.name.split('(')[0].strip()} gives that: a {fmt(v, 'V')} supply is mains, a source of its own "
            "(live, neutral and protective earth) that never shares the low-voltage ground. Use the mains input for "
            "the high-voltage side and a battery or isolated supply at a safe voltage for the rest.",
            [pid], next((h for z in hm.zones if pid in z.seed_parts and (h := _fix_hint(ctx, hm, z))), None),
        )


# ---- cells -------------------------------------------------------------------------------
def _cells(ctx: ErcContext) -> list[str]:
    return [pid for pid in ctx.parts if (r := ctx.rec(pid)) is not None and r.safety.cell is not None]


def _terminals(ctx: ErcContext, pid: str) -> tuple[str, str] | None:
    rec = ctx.rec(pid)
    plus = next((p.name for p in rec.pins_of_type("power_out")), None)
    minus = next((p.name for p in rec.pins_of_type("ground")), None)
    return (f"{pid}:{plus}", f"{pid}:{minus}") if plus and minus else None


def _cell_rules(ctx: ErcContext) -> None:
    cells = _cells(ctx)
    for pid in cells:
        rec = ctx.rec(pid)
        t = _terminals(ctx, pid)
        if t is None:
            continue
        plus, minus = t
        chem = rec.safety.cell
        gp, gm = ctx.group(plus), ctx.group(minus)
        if gp is not None and gp is gm:
            ctx.add("SAFETY-CELL-SHORTED", Severity.CRITICAL,
                    f"The + and - of {ctx.label(pid)} are joined: the cell is short-circuited. It dumps all its energy "
                    "as heat; a lithium cell can vent or catch fire. Nothing but a load may sit between its terminals.",
                    [plus, minus], None)
            continue
        others_p = [ep for ep in (gp.pins if gp else []) if ctx.part_of(ep) != pid]
        # reversed: the + terminal on another part's ground (a stacked cell's - is a series string, not a fault)
        grounds = [ep for ep in others_p if (p := ctx.pin(ep)) is not None and p.type == "ground"
                   and not ((r := ctx.rec(ctx.part_of(ep))) is not None and is_dc_source(r))]
        if grounds:
            ctx.add("SAFETY-CELL-REVERSED", Severity.CRITICAL,
                    f"{ctx.label(pid)} is wired backwards: its + terminal goes to {grounds[0]}, a ground pin. Reversed "
                    "polarity destroys the parts it feeds and makes a cell heat up. Turn it round: + to the supply "
                    "input, - to ground.", [plus, grounds[0]], f"swap_wires({plus}, {minus})")
            continue
        protectors = [ep for ep in others_p if (r := ctx.rec(ctx.part_of(ep))) is not None and r.safety.cell_protection
                      and r.safety.cell is None]
        chargers = [ep for ep in others_p if (r := ctx.rec(ctx.part_of(ep))) is not None and r.safety.charger]
        if chem in RECHARGEABLE and not chargers:
            own = ctx.nl.rail_voltage_of_pin(plus) or 0.0
            # a rail above the cell's own voltage pushes charge into it (one below only loads it)
            feeders = [ep for ep, v in ctx.rails_in(gp) if ctx.part_of(ep) != pid and v is not None and v > own + 0.1
                       and not ((r := ctx.rec(ctx.part_of(ep))) is not None and r.safety.cell is not None)]
            if feeders:
                ctx.add("SAFETY-CHARGE-NO-CHARGER", Severity.CRITICAL,
                        f"{ctx.label(pid)} ({chem}) is wired straight to the supply {feeders[0]}: it would be charged "
                        "with no current limit and no end-of-charge voltage. Overcharged cells swell, vent and can catch "
                        "fire. Charge it only through a charger IC made for its chemistry (a TP4056 module for one "
                        "Li-ion/LiPo cell).", [plus, feeders[0]], None)
                continue
        if chem in LITHIUM and not rec.safety.cell_protection and not protectors:
            loads = [ep for ep in others_p if (r := ctx.rec(ctx.part_of(ep))) is not None and r.safety.cell is None]
            if loads:
                ctx.add("SAFETY-LI-CELL-UNPROTECTED", Severity.MAJOR,
                        f"{ctx.label(pid)} is a bare {chem} cell feeding {loads[0]} with no protection circuit: nothing "
                        "stops it being over-discharged, overloaded or shorted, and a damaged lithium cell can catch fire. "
                        "Use a protected cell or put a protection board (a TP4056 module with DW01A) between the cell "
                        "and the circuit.", [plus, loads[0]], None)
        if rec.safety.i_pulse_max is not None:
            amps, who = 0.0, []
            for ep in others_p:
                q = ctx.part_of(ep)
                r = ctx.rec(q)
                if r is None or ctx.pin_type(ep) != "power_in":
                    continue
                peak = r.requires.peak_current or r.supply.current_max or r.supply.current_typ or 0.0
                if peak:
                    amps += peak
                    who.append(q)
            if amps > rec.safety.i_pulse_max * 1.001:
                ctx.add("SAFETY-COIN-CELL-PULSE", Severity.MAJOR,
                        f"{ctx.label(pid)} can give at most {fmt_ma(rec.safety.i_pulse_max)} in pulses, but "
                        f"{', '.join(who)} draw up to {fmt_ma(amps)}. Its voltage collapses (the part resets or "
                        "browns out) and the cell heats up. Use AA/AAA cells or a Li-ion cell with a regulator.",
                        [plus] + who, None)
    # cells in parallel: + with +, - with -
    seen: set[tuple[str, str]] = set()
    for a in cells:
        ta = _terminals(ctx, a)
        for b in cells:
            tb = _terminals(ctx, b)
            if a >= b or ta is None or tb is None or (a, b) in seen:
                continue
            ga_p, gb_p, ga_m, gb_m = ctx.group(ta[0]), ctx.group(tb[0]), ctx.group(ta[1]), ctx.group(tb[1])
            if ga_p is None or ga_p is not gb_p or ga_m is None or ga_m is not gb_m:
                continue
            seen.add((a, b))
            pa, pb = ctx.parts[a], ctx.parts[b]
            same = pa.type == pb.type and attr_volts(pa.attrs) == attr_volts(pb.attrs)
            if same:
                ctx.add("SAFETY-CELLS-PARALLEL", Severity.WARNING,
                        f"{ctx.label(a)} and {b} are in parallel. Charge both to the same voltage before joining them, "
                        "or the fuller one dumps current into the other.", [a, b], None)
            else:
                ctx.add("SAFETY-CELLS-PARALLEL-UNMATCHED", Severity.MAJOR,
                        f"{ctx.label(a)} and {ctx.label(b)} are different cells wired in parallel: the one at the higher "
                        "voltage charges the other with no limit, which heats and can damage them (a lithium cell can "
                        "catch fire). Parallel only identical cells at the same charge, or use one pack.", [a, b], None)


def check(ctx: ErcContext) -> None:
    hm = HazardMap(ctx.circuit, ctx.library, ctx.nl)
    _dc_above_selv(ctx, hm)
    _touches(ctx, hm)
    _no_fuse(ctx, hm)
    _over_rating(ctx, hm)
    _no_isolated_supply(ctx, hm)
    _cell_rules(ctx)


__all__ = ["RULES", "check"]
