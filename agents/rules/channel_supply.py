"""Loads on a PWM driver's channels share the driver's load supply.

A part that is not a controller, is driven over a bus and has PWM outputs (a PCA9685 servo driver) hands
its channels to the parts with a PWM input (servos). Its load supply pin (record: a power input with the
``motor`` function, V+) carries their current: one supply feeds it, at a voltage every load on it and the
pin accept, rated for the loads' summed peak current (record: ``requires.peak_current``, else the part's
peak draw), grounds joined. Each load's supply pin goes on that rail, not on a board's pin or a supply of
its own.

Loads whose records ask for a supply of their own (``requires.own_supply``: metal-gear servos) and that no
driver feeds share one such supply too when there are several: one rated for their summed peaks, not one
adapter each.
"""

from __future__ import annotations

from agents.models import Need
from agents.rules import parts as P
from agents.rules.builder import RailInfo
from agents.rules.context import PlanContext
from circuit.model import Circuit
from circuit.power_choice import SupplyError, choose_supply
from circuit.units import format_value
from knowledge.record import ComponentRecord, Pin

BUS = {"i2c_sda", "i2c_scl", "spi_mosi", "spi_miso", "spi_sck", "uart_tx", "uart_rx"}
VOLTS = (5.0, 6.0, 3.3, 12.0)  # the usual load supplies, in the order one is chosen among those that fit


def channel_outputs(rec: ComponentRecord) -> list[Pin]:
    """The PWM channels a bus-driven part (not a controller) offers other parts."""
    if rec.is_mcu or not any(BUS & set(p.functions) for p in rec.pins):
        return []
    return [p for p in P.unique_pins(rec) if p.type == "digital_out" and "pwm" in p.functions]


def load_supply_pins(rec: ComponentRecord) -> list[Pin]:
    return [p for p in P.power_in_pins(rec) if P.is_load_supply_pin(rec, p)]


def takes_channel(rec: ComponentRecord) -> bool:
    """A powered part whose signal is a PWM input (a servo): a driver's channel can drive it."""
    return not rec.is_mcu and not channel_outputs(rec) and bool(P.power_in_pins(rec)) and any(
        p.type == "digital_in" and "pwm" in p.functions for p in P.unique_pins(rec))


def peak_current(rec: ComponentRecord) -> float:
    return float(rec.requires.peak_current or P.peak_draw(rec))


def free_channel(ctx: PlanContext, pid: str) -> str | None:
    """An unwired PWM output of a part in the design that is not a controller (a PWM/servo driver's channel),
    as an endpoint; None when there is none."""
    b = ctx.b
    used = {e for w in b.plan.wires for e in (w.a, w.b)}
    for part in b.plan.parts:
        rec = b.lib.get(part.type)
        if part.id == pid or rec is None or rec.is_mcu:
            continue
        for p in P.unique_pins(rec):
            if p.type == "digital_out" and "pwm" in p.functions and f"{part.id}:{p.name}" not in used:
                return f"{part.id}:{p.name}"
    return None


def channel_rail(ctx: PlanContext, pid: str) -> RailInfo | None:
    """The load rail of the driver whose channel the part's signal will take (None: no such driver)."""
    if not takes_channel(ctx.b.rec(pid)):
        return None
    ch = free_channel(ctx, pid)
    return ctx.channel_rails.get(ch.split(":", 1)[0]) if ch else None


def own_supply_rail(ctx: PlanContext, pid: str) -> RailInfo | None:
    """The one supply shared by the design's loads that need a supply of their own (record:
    ``requires.own_supply``) when there are several: at a voltage they all accept, rated for their summed
    peak current. None for any other part, for a single such load (the peak-current check gives it its
    own) and when no supply in the library is rated for the sum (each then gets its own)."""
    b = ctx.b
    rec = b.rec(pid)
    if not rec.requires.own_supply or not P.power_in_pins(rec):
        return None
    if ctx.own_supply_rail is not None:
        rail = ctx.own_supply_rail
        lo, hi = P.supply_range(rec)
        if rail and (lo is None or rail.volts >= lo - 1e-6) and (hi is None or rail.volts <= hi + 1e-6):
            return rail
        return None
    loads: list[ComponentRecord] = []
    for n in ctx.ident.needs:
        lrec = b.lib.get(n.key) if n.key else None
        if lrec is not None and lrec.requires.own_supply and P.power_in_pins(lrec):
            loads += [lrec] * n.qty
    ctx.own_supply_rail = False  # decided once per plan
    if len(loads) < 2:
        return None
    total = sum(peak_current(r) for r in loads)
    lo = max([r.supply.v_min for r in loads if r.supply.v_min is not None] or [0.0])
    his = [r.supply.v_max for r in loads if r.supply.v_max is not None]
    hi = min(his) if his else None
    fits = [v for v in VOLTS if v >= lo - 1e-6 and (hi is None or v <= hi + 1e-6)]
    if not fits:
        return None
    names = f"{len(loads)} × {loads[0].name}" if len(set(r.key for r in loads)) == 1 else f"{len(loads)} loads"
    rail = _supply_rated_for(ctx, max(loads, key=peak_current), fits[0], total, hi, f"the shared supply of {names}")
    if rail is None:
        return None
    b.note(f"{rail.name} ({format_value(rail.volts, 'V')} from {rail.owner}) feeds {names}, rated for their peaks "
           f"of {format_value(total, 'A')} together; grounds joined.")
    ctx.own_supply_rail = rail
    return rail


def feed_channel_loads(ctx: PlanContext, pid: str, needs: list[Need]) -> RailInfo | None:
    """Give driver ``pid`` one load supply for the parts (``needs``) its channels will drive."""
    b = ctx.b
    rec = b.rec(pid)
    pins = load_supply_pins(rec)
    chans = len(channel_outputs(rec))
    loads: list[ComponentRecord] = []
    for n in needs:
        lrec = b.lib.get(n.key) if n.key else None
        if lrec is not None and takes_channel(lrec):
            loads += [lrec] * n.qty
    loads = loads[:chans]
    if not pins or not loads:
        return None
    total = sum(peak_current(r) for r in loads)
    lo = max([r.supply.v_min for r in loads if r.supply.v_min is not None] or [0.0])
    his = [r.supply.v_max for r in loads if r.supply.v_max is not None] + [p.v_max for p in pins if p.v_max]
    hi = min(his) if his else None
    fits = [v for v in VOLTS if v >= lo - 1e-6 and (hi is None or v <= hi + 1e-6)]
    target = fits[0] if fits else lo
    names = f"{len(loads)} × {loads[0].name}" if len(set(r.key for r in loads)) == 1 else f"{len(loads)} loads"
    why = f"{pid}'s load supply for {names}"
    rail = next((r for r in b.domain_rails() if r.kind == "source" and lo - 1e-6 <= r.volts
                 and (hi is None or r.volts <= hi + 1e-6) and (r.budget is None or r.budget - r.load >= total)),
                None)
    if rail is None:
        rail = _supply_rated_for(ctx, loads[0], target, total, hi, why)
    if rail is None:
        # no one supply in the library carries them all: each load is powered as it would be without the
        # driver (the peak-current check then gives each what it needs)
        b.note(f"No single supply in the library gives {format_value(target, 'V')} for {names}' summed peak of "
               f"{format_value(total, 'A')} on {pid}'s {pins[0].name}; add one with `circuitsmith kb add`.")
        return None
    for p in pins:
        b.power(f"{pid}:{p.name}", rail, 0.0, f"{rail.name} into {pid}'s {p.name}: the supply of its channels' loads")
    b.note(f"{pid}'s {pins[0].name} takes {rail.name} ({format_value(rail.volts, 'V')} from {rail.owner}), rated for "
           f"{names} peaking at {format_value(total, 'A')} together; grounds joined.")
    ctx.channel_rails[pid] = rail
    return rail


def _supply_rated_for(ctx: PlanContext, load: ComponentRecord, volts: float, amps: float, hi: float | None,
                      why: str) -> RailInfo | None:
    """A new supply rated for ``amps`` at ``volts``: a source of that rating, else a converter rated for it from
    a source that can feed it (the choice the peak-current fixer makes, circuit/power_choice.py)."""
    try:
        plan = choose_supply(EMPTY, ctx.b.lib, load, volts, amps)
    except SupplyError:
        return None
    if hi is not None and plan.volts > hi + 1e-6:
        return None
    if plan.converter is None:
        return ctx.power.add_source(plan.source, plan.volts, why) if plan.source else None
    src = ctx.power.add_source(plan.source, None, f"input of the converter for {why}") if plan.source else None
    return ctx.power.add_converter(plan.converter, src, plan.volts, f"for {why}") if src else None


EMPTY = Circuit.model_validate({"version": 1, "title": "", "parts": [], "connections": []})
