"""A supply of its own for a part whose peaks its rail cannot give (the ERC's ``own_supply`` fix).

:func:`choose_supply` reads the library, not part names: a standalone source (an adapter record:
a power part standing as a fixed-voltage source in SPICE) whose output is inside the load's supply
range and rated for its peak; failing that, a converter rated for the peak (set to the load's
voltage when adjustable) fed from a source already in the circuit that has the power to spare (a
board's rail too, unless the load's record asks for its own supply), or from a new source that has;
a cell of the right voltage (a record with a capacity) only when nothing else fits.
"""

from __future__ import annotations

from dataclasses import dataclass

from circuit.erc.context import ErcContext
from circuit.erc.peak_current import draws
from circuit.model import Circuit
from circuit.units import format_value
from knowledge.library import Library
from knowledge.preference import preference
from knowledge.record import ComponentRecord

TOL = 0.05


class SupplyError(ValueError):
    """No supply in the library fits the load."""


@dataclass
class SupplyPlan:
    volts: float
    source: str | None = None  # a new source record to add
    existing: str | None = None  # or an endpoint of a source already in the circuit
    converter: str | None = None  # a converter record between the source and the load
    set_voltage: bool = False  # the converter is adjustable and must be set to ``volts``
    why: str = ""


def _out(rec: ComponentRecord):
    outs = rec.pins_of_type("power_out")
    return outs[0] if outs else None


def source_limit(rec: ComponentRecord) -> float | None:
    out = _out(rec)
    if out is None:
        return None
    for v in (out.i_peak, out.i_max, rec.ratings.i_out_max):
        if v is not None:
            return v
    return None


def _sources(lib: Library) -> list[ComponentRecord]:
    """Fixed-voltage standalone sources: power parts modelled as a source, voltage not set by an attr."""
    return [r for r in lib if r.category == "power" and r.spice.kind == "battery" and not r.value_attr
            and _out(r) is not None and _out(r).v_out and source_limit(r) and r.pins_of_type("ground")]


def _rank(rec: ComponentRecord, volts: float) -> tuple:
    return (rec.ratings.capacity_ah is not None, abs(_out(rec).v_out - volts), source_limit(rec))


def _converters(lib: Library, volts: float, amps: float, lo: float, hi: float) -> list[tuple[ComponentRecord, float, bool]]:
    out = []
    for r in lib:
        o = _out(r)
        if r.spice.kind != "regulator" or o is None or not r.pins_of_type("power_in") or not r.pins_of_type("ground"):
            continue
        if (r.ratings.i_out_max or o.i_max or 0) < amps:
            continue
        fixed = o.v_out or r.ratings.v_out
        if fixed and lo - TOL <= fixed <= hi + TOL:
            out.append((r, fixed, False))
        elif r.ratings.v_out_adjustable:
            out.append((r, volts, True))
    # a fixed output that fits before one that must be set, then the most common part
    return sorted(out, key=lambda x: (x[2], preference(x[0])))


def _can_feed(conv: ComponentRecord, vout: float, amps: float, vin: float, limit: float | None) -> bool:
    s = conv.supply
    if s.v_min is not None and vin < s.v_min - TOL:
        return False
    if s.v_max is not None and vin > s.v_max + TOL:
        return False
    headroom = conv.ratings.dropout or 0.0
    if vin < vout + headroom - TOL:
        return False  # a buck or a linear regulator needs its input above its output
    if limit is None:
        return False
    eff = conv.spice.params.get("efficiency")
    need = amps * vout / (vin * eff) if eff else amps
    return limit >= need


def _adapter_with_room(circuit: Circuit, lib: Library, ctx: ErcContext, used: dict[str, float], amps: float,
                       lo: float, hi: float, exclude: str | None) -> SupplyPlan | None:
    """An adapter already in the circuit (a standalone fixed-voltage source, no cell) whose output is inside
    the load's range and whose rating has room for the load's peak beside the peaks already on it: the load
    shares it (four servos on one 5 V supply, not one supply each)."""
    for part in circuit.parts:
        rec = lib.get(part.type)
        if rec is None or part.id == exclude or rec.category != "power" or rec.spice.kind != "battery" \
                or rec.ratings.capacity_ah is not None:
            continue
        for p in rec.pins_of_type("power_out"):
            ep = f"{part.id}:{p.name}"
            v = ctx.nl.rail_voltage_of_pin(ep)
            limit = p.i_peak or p.i_max or rec.ratings.i_out_max
            if v and limit and lo - TOL <= v <= hi + TOL and limit - used.get(ep, 0.0) >= amps:
                return SupplyPlan(volts=v, existing=ep,
                                  why=f"shares {ep}, rated {format_value(limit, 'A')}, with "
                                      f"{format_value(limit - used.get(ep, 0.0), 'A')} to spare for its peaks")
    return None


def _direct(rec: ComponentRecord) -> SupplyPlan:
    return SupplyPlan(volts=_out(rec).v_out, source=rec.key,
                      why=f"{format_value(_out(rec).v_out, 'V')}, rated {format_value(source_limit(rec), 'A')}")


def choose_supply(circuit: Circuit, lib: Library, load: ComponentRecord, volts: float, amps: float,
                  exclude: str | None = None) -> SupplyPlan:
    lo = load.supply.v_min if load.supply.v_min is not None else volts * 0.95
    hi = load.supply.v_max if load.supply.v_max is not None else volts * 1.05
    lo, hi = min(lo, volts), max(hi, volts)
    direct = sorted((r for r in _sources(lib) if lo - TOL <= _out(r).v_out <= hi + TOL and source_limit(r) >= amps),
                    key=lambda r: (_rank(r, volts), preference(r)))
    ctx = ErcContext(circuit, lib)
    used = {ep: sum(d.amps for d in ds if d.pid != exclude) for ep, ds in draws(ctx).items()}
    shared = _adapter_with_room(circuit, lib, ctx, used, amps, lo, hi, exclude)
    if shared is not None:
        return shared
    adapters = [r for r in direct if r.ratings.capacity_ah is None]
    if adapters:
        return _direct(adapters[0])
    existing = []
    for part in circuit.parts:
        rec = lib.get(part.type)
        if rec is None or part.id == exclude or (rec.is_mcu and load.requires.own_supply):
            continue
        if rec.spice.kind != "battery" and not rec.is_mcu:
            continue
        for p in rec.pins_of_type("power_out"):
            ep = f"{part.id}:{p.name}"
            v = ctx.nl.rail_voltage_of_pin(ep)
            limit = p.i_peak or p.i_max or rec.ratings.i_out_max
            if v and limit:
                existing.append((ep, v, limit - used.get(ep, 0.0)))  # what the peaks already on it leave
    for conv, vout, adjustable in _converters(lib, volts, amps, lo, hi):
        for ep, v, limit in existing:
            if _can_feed(conv, vout, amps, v, limit):
                return SupplyPlan(volts=vout, existing=ep, converter=conv.key, set_voltage=adjustable,
                                  why=f"{conv.name} rated {format_value(conv.ratings.i_out_max or 0, 'A')} from {ep}")
        feeds = sorted((r for r in _sources(lib) if _can_feed(conv, vout, amps, _out(r).v_out, source_limit(r))),
                       key=lambda r: (_rank(r, vout), preference(r)))
        if feeds:
            src = feeds[0]
            return SupplyPlan(volts=vout, source=src.key, converter=conv.key, set_voltage=adjustable,
                              why=f"{conv.name} rated {format_value(conv.ratings.i_out_max or 0, 'A')} from a "
                                  f"{src.name}")
    if direct:
        return _direct(direct[0])  # a cell of the right voltage, when nothing else fits
    raise SupplyError(f"no supply or converter in the library gives {format_value(volts, 'V')} with "
                      f"{format_value(amps, 'A')} peaks; add one with `circuitsmith kb add`")


__all__ = ["SupplyPlan", "SupplyError", "choose_supply"]
