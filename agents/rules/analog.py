"""Analog building blocks: the look-ups the blocks share (a part of a SPICE kind, a capacitor, a
pot's pins, the rail a block runs from).

The blocks live one per module: :mod:`divider_block` (dividers, resistive sensors, pots),
:mod:`filter_blocks` (RC and LC filters), :mod:`dc_supply`, :mod:`rheostat`,
:mod:`transistor_switch`, :mod:`opamp_stage`; :mod:`topologies` maps a topology name to its block.
Values come from :mod:`agents.rules.values` (the SPICE sizing engine when present, else the
closed-form equations on the E-series) with the math written into the plan.
"""

from __future__ import annotations

from agents.models import Need
from agents.rules import parts as P
from agents.rules.builder import Board, RailInfo
from agents.rules.context import PlanContext
from agents.rules.decoupling import CERAMIC, ELECTROLYTIC
from knowledge.preference import preference
from knowledge.record import ComponentRecord


def key_by_kind(ctx: PlanContext, kind: str, prefer: tuple[str, ...] = (), polarized: bool | None = None) -> str | None:
    """A part of this SPICE kind: one of ``prefer`` when the library has it, else the most common
    (knowledge/preference.py)."""
    lib = ctx.b.lib
    for k in prefer:
        if k in lib and lib[k].spice.kind == kind:
            return k
    cands = [r for r in lib if r.spice.kind == kind]
    if polarized is not None:
        pol = [r for r in cands if r.flags.polarized == polarized]
        cands = pol or cands
    cands.sort(key=preference)
    return cands[0].key if cands else None


def capacitor(ctx: PlanContext, farads: float) -> str | None:
    polarized = farads >= 1e-6
    return key_by_kind(ctx, "capacitor", prefer=(ELECTROLYTIC,) if polarized else (CERAMIC,), polarized=polarized)


def named(by_kind: dict[str, list[Need]], kind: str, spice_kind: str | None, ctx: PlanContext) -> Need | None:
    for n in by_kind.get(kind, []):
        if spice_kind is None or ctx.b.lib[n.key].spice.kind == spice_kind:
            return n
    return None


def pot_pins(rec: ComponentRecord) -> tuple[str, str, str]:
    """(end A, wiper, end B) of a potentiometer."""
    names = [p.name for p in P.unique_pins(rec) if p.type != "nc"]
    wiper = None
    for p in P.unique_pins(rec):
        if p.name.upper() in ("OUT", "W", "WIPER", "SIG", "2") or p.type == "analog_out" or "data" in p.functions:
            wiper = p.name
            break
    if wiper is None and len(names) == 3:
        wiper = names[1]
    ends = [n for n in names if n != wiper]
    return ends[0], wiper, ends[-1]


def two(ctx: PlanContext, pid: str) -> tuple[str, str]:
    return P.two_terminals(ctx.b.rec(pid))


def supply_rail(ctx: PlanContext, board: Board | None, volts: float | None = None) -> RailInfo | None:
    """The rail an analog block runs from: the board's logic rail, else a named/new source."""
    b = ctx.b
    if volts is not None:
        r = b.find_rail(volts - 0.3, volts + 0.3)
        if r is not None:
            return r
    if board is not None:
        r = ctx.logic_rail(board)
        if r is not None and (volts is None or abs(r.volts - volts) < 0.3):
            return r
    live = [r for r in b.domain_rails() if r.kind in ("regulator", "source")]
    if live and volts is None:
        return sorted(live, key=lambda r: (r.kind != "regulator", r.volts))[0]
    v = volts or ctx.ident.supply_volts or 9.0
    return ctx.power.source_for(v, 0.5, "supply for the circuit")
