"""Peak current on the power path: a part's peak (``requires.peak_current``: a GSM module's
transmit bursts, a servo's stall) against every source and converter that feeds it.

The path starts at the part's supply pins (``requires.peak_pins``, else its power inputs; a bare
motor's leads) and climbs: the rail pins on that net, and for a converter the rails on its input,
the current scaled by the conversion (a buck draws ``I·Vout/(Vin·efficiency)``; a linear regulator
passes its output current through). Each source's limit is its pin's ``i_peak`` (what it gives for
a moment: a fuse's trip current, a regulator's current limit), else its rating. Peaks of the parts
sharing a source add up (they start together at power-up). Above the limit is Major: the rail
browns out and the board resets, or the part never gets what it needs.

A record's stated peak is checked against every source. A motor's stall current with no stated
peak (``ratings.i_stall``: the start-up inrush of a brushed motor) is checked against board rails
and converters only, whose current limit or fuse cuts in; a battery or adapter rides through a
start-up inrush. A part whose record says ``own_supply`` must not hang on a board's rail at all.

The fix hint ``own_supply(P:pin, V, I)`` gives the part a supply of its own rated for the peak (or
a converter rated for it), grounds joined (:func:`circuit.fixes.apply_fixes`).
"""

from __future__ import annotations

from dataclasses import dataclass

from circuit.erc.context import ErcContext
from circuit.erc.inductive_loads import coil_terminals
from circuit.findings import Severity
from circuit.units import format_value
from knowledge.record import ComponentRecord

RULES = {
    "ERC-PEAK-CURRENT": (Severity.MAJOR, "A part's peak or stall current is above what a source or converter on its "
                         "power path can give (or a part that needs its own supply hangs on a board's rail)."),
}

MAX_DEPTH = 4


@dataclass
class Draw:
    pid: str
    ep: str  # the part's supply pin on this path
    amps: float  # at this source
    explicit: bool
    entry: str = ""  # where the path meets its first rail: the part's pin, or the supply pin of its driver
    entry_amps: float = 0.0


def peak_of(rec: ComponentRecord | None) -> tuple[float | None, bool]:
    """(peak current, stated by the record) — the record's ``requires.peak_current``, else its stall current."""
    if rec is None:
        return None, False
    if rec.requires.peak_current:
        return rec.requires.peak_current, True
    if rec.ratings.i_stall and not rec.flags.protected_driver:
        return rec.ratings.i_stall, False
    return None, False


def supply_pins(ctx: ErcContext, pid: str) -> list[str]:
    """The pins the part's peak flows in through."""
    rec = ctx.rec(pid)
    if rec.requires.peak_pins:
        return [ctx.canonical(f"{pid}:{n}") for n in rec.requires.peak_pins]
    pins = [f"{pid}:{p.name}" for p in rec.pins_of_type("power_in")]
    return pins or coil_terminals(ctx, pid)


def _driver_supplies(ctx: ErcContext, ep: str) -> list[str]:
    """A motor lead on a driver's output: the driver's motor supply pins carry its current."""
    out = []
    for o in ctx.others_on_net(ep):
        p = ctx.pin(o)
        if p is None or not {"motor", "coil"} & set(p.functions) or p.type != "passive":
            continue
        drv = ctx.part_of(o)
        rec = ctx.rec(drv)
        pins = [q for q in rec.pins_of_type("power_in") if "motor" in q.functions] or rec.pins_of_type("power_in")
        out += [f"{drv}:{q.name}" for q in pins]
    return list(dict.fromkeys(out))


def limit_of(ctx: ErcContext, rail_ep: str) -> float | None:
    pin = ctx.pin(rail_ep)
    rec = ctx.rec(ctx.part_of(rail_ep))
    if pin is None or rec is None:
        return None
    if pin.i_peak is not None:
        return pin.i_peak
    lims = [x for x in (pin.i_max, rec.ratings.i_out_max if rec.spice.kind in ("regulator", "battery") else None)
            if x is not None]
    return min(lims) if lims else None


def is_converter(rec: ComponentRecord | None) -> bool:
    return bool(rec and rec.spice.kind == "regulator")


def _walk(ctx: ErcContext, ep: str, amps: float, depth: int, out: dict[str, float], seen: set[str],
          entry: list[str]) -> None:
    """Add ``amps`` drawn at ``ep`` to every rail pin upstream of it (out: rail endpoint -> amps); ``entry``
    receives the pin where the path first meets a rail."""
    if depth > MAX_DEPTH:
        return
    g = ctx.group(ep, switched=True)
    rails = ctx.rails_in(g)
    if any(not ctx.is_mcu(ctx.part_of(r)) for r, _ in rails):
        # a board's regulated pin on a net a supply or converter feeds is fed there (an input), not a source
        rails = [(r, v) for r, v in rails if not ctx.is_mcu(ctx.part_of(r))]
    if not rails:
        for d in _driver_supplies(ctx, ep):
            if d not in seen:
                seen.add(d)
                _walk(ctx, d, amps, depth + 1, out, seen, entry)
        return
    if not entry:
        entry.append(ep)
    for rail_ep, v in rails:
        if rail_ep in seen:
            continue
        seen.add(rail_ep)
        out[rail_ep] = out.get(rail_ep, 0.0) + amps
        src = ctx.part_of(rail_ep)
        rec = ctx.rec(src)
        if not is_converter(rec) or not v:
            continue
        eff = rec.spice.params.get("efficiency")
        for p in rec.pins_of_type("power_in"):
            iep = f"{src}:{p.name}"
            vin = ctx.group_voltage(iep, switched=True)
            if not vin:
                continue
            i_in = amps * v / (vin * eff) if eff else amps
            _walk(ctx, iep, i_in, depth + 1, out, seen, entry)


def draws(ctx: ErcContext) -> dict[str, list[Draw]]:
    """Rail endpoint -> the peak draws that reach it."""
    by_rail: dict[str, list[Draw]] = {}
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        peak, explicit = peak_of(rec)
        if not peak:
            continue
        for ep in supply_pins(ctx, pid):
            if not ctx.connected(ep):
                continue
            found: dict[str, float] = {}
            entry: list[str] = []
            _walk(ctx, ep, peak, 0, found, set(), entry)
            for rail_ep, amps in found.items():
                if any(d.pid == pid for d in by_rail.get(rail_ep, [])):
                    continue
                by_rail.setdefault(rail_ep, []).append(Draw(pid, ep, amps, explicit, entry[0] if entry else ep, peak))
    return by_rail


def target_volts(ctx: ErcContext, pid: str, now: float | None) -> float:
    """The voltage a supply of its own should give: the present one if it is in the part's range."""
    rec = ctx.rec(pid)
    lo, hi = rec.supply.v_min, rec.supply.v_max
    if now and (lo is None or now >= lo - 0.05) and (hi is None or now <= hi + 0.05):
        return now
    for v in (rec.ratings.v_rated, lo, hi):
        if v:
            return v
    return now or 5.0


def check(ctx: ErcContext) -> None:
    reported: set[str] = set()
    for rail_ep, ds in draws(ctx).items():
        src = ctx.part_of(rail_ep)
        src_rec = ctx.rec(src)
        board = ctx.is_mcu(src)
        limit = limit_of(ctx, rail_ep)
        applicable = [d for d in ds if d.explicit or board or is_converter(src_rec)]
        total = sum(d.amps for d in applicable)
        over = limit is not None and total > limit * 1.001
        for d in sorted(applicable, key=lambda d: -d.amps):
            rec = ctx.rec(d.pid)
            own = rec.requires.own_supply and board
            if d.pid in reported or not (over or own):
                continue
            reported.add(d.pid)
            peak, _ = peak_of(rec)
            now = ctx.group_voltage(d.entry, switched=True)
            # a motor behind a driver: the driver's supply pin leaves the rail, with what all its loads peak at
            via = ctx.part_of(d.entry) != d.pid
            v = now if via and now else target_volts(ctx, d.pid, now)
            fix_amps = sum(x.entry_amps for x in applicable if x.entry == d.entry) if via else peak
            what = "its own supply" if own and not over else "a supply rated for it"
            shared = (f" together with {', '.join(x.pid for x in applicable if x.pid != d.pid)} "
                      f"({format_value(total, 'A')} in all)") if len(applicable) > 1 else ""
            limit_words = f"gives at most {format_value(limit, 'A')}" if limit is not None else "is a board's rail"
            ctx.add(
                "ERC-PEAK-CURRENT", Severity.MAJOR,
                f"{ctx.label(d.pid)} draws peaks of {format_value(peak, 'A')} (its record: "
                f"{'peak current' if rec.requires.peak_current else 'stall current'}) through {rail_ep}{shared}, which "
                f"{limit_words}{' and the record says it needs its own supply' if own else ''}. The rail sags at every "
                f"peak: the board resets or the part drops out. Give it {what} "
                f"({format_value(v, 'V')}, at least {format_value(peak, 'A')}) with its ground joined to the circuit's; "
                "a bigger capacitor does not fix a source that is too weak.",
                [d.ep, rail_ep],
                f"own_supply({d.entry}, {format_value(v, 'V')}, {format_value(fix_amps, 'A')})",
            )
