"""The rules planner: from resolved needs to a plan (parts, wires with reasons, pins, rails,
values with their math).

Order matters only for fairness between parts competing for scarce pins: buses and analog inputs
are handed out before plain GPIO jobs, and the pin allocator itself keeps scarce capabilities for
the parts that need them.
"""

from __future__ import annotations

from agents.models import Identification, Need, Plan
from agents.rules import dispatch, power_setup
from agents.rules.board_link import link_boards
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.controller_inputs import hold_own_inputs
from agents.rules.kinds import kind_of
from agents.rules.board_choice import choose_board
from agents.rules.own_controller import is_controller_need, runs_itself
from agents.rules.pin_allocator import PinsExhausted
from agents.rules.pullups import i2c_pullups
from agents.rules.rail_output import bring_out_unused_rails
from agents.rules.topologies import build_topologies
from knowledge.library import Library


def expand(needs: list[Need]) -> list[Need]:
    return [n for n in needs if n.key]


def plan_rules(ident: Identification, library: Library, title: str = "", previous: Plan | None = None) -> Plan:
    """``previous``: the design's plan before an edit; parts that stay keep their controller pins.

    A named programmable part running the design (agents/rules/own_controller.py) that cannot place
    everything gives the job back to a board when a board can: the part is then a module beside it."""
    plan = _plan_once(ident, library, title, previous)
    if plan.unmet and runs_itself(library, ident):
        trial = ident.model_copy(deep=True)
        trial.board = choose_board(library, trial, own=False)
        other = _plan_once(trial, library, title, previous)
        if len(other.unmet) < len(plan.unmet):
            ident.needs, ident.board = trial.needs, trial.board
            return other
    return plan


def _plan_once(ident: Identification, library: Library, title: str, previous: Plan | None) -> Plan:
    ctx = PlanContext(library, ident)
    b = ctx.b
    b.plan.title = title
    b.remember_pins(previous)
    needs = expand(ident.needs)
    by_kind: dict[str, list[Need]] = {}
    for n in needs:
        rec = library.get(n.key)
        if rec is None:
            continue
        by_kind.setdefault("board" if is_controller_need(n, ident) else kind_of(rec), []).append(n)
    opts = set(ident.notes)  # identify passes options as "option:..." notes
    ctx.options = {o.split(":", 1)[1] for o in opts if o.startswith("option:")}

    boards = power_setup.build_power(ctx, by_kind)
    board = boards[0] if boards else None

    used_by_topology = build_topologies(ctx, board, by_kind)

    try:
        dispatch.place_all(ctx, boards, by_kind, used_by_topology)
    except PinsExhausted as e:
        b.unmet(f"Out of pins: {e}. Use a board with more I/O, or an I/O expander.")

    links = [o[:-5] for o in ctx.options if o.endswith("_link") and o != "wireless_link"]
    if len(boards) >= 2 and links:
        proto = "uart" if links[0] in ("uart", "serial") else links[0]
        try:
            for other in boards[1:]:
                link_boards(ctx, boards[0], other, proto)
        except PinsExhausted as e:
            b.unmet(f"Out of pins for the board link: {e}.")

    for bd in boards:
        i2c_pullups(ctx, bd, force="pullups_requested" in ctx.options)
        hold_own_inputs(ctx, bd)
    bring_out_unused_rails(ctx)
    ctx.power.check_budgets()
    plan = b.finish()
    plan.summary = summarize(ctx, boards)
    return plan


def summarize(ctx: PlanContext, boards: list[Board]) -> str:
    b = ctx.b
    counts: dict[str, int] = {}
    for p in b.plan.parts:
        counts[p.type] = counts.get(p.type, 0) + 1
    main = ", ".join(f"{n}× {b.lib[k].name}" if n > 1 else b.lib[k].name for k, n in counts.items()
                     if k not in ("resistor", "capacitor", "ceramic-capacitor", "electrolytic-capacitor"))
    rails = ", ".join(f"{r.name} from {r.endpoint}" for r in b.rails if r.feeds)
    head = f"{len(b.plan.parts)} parts: {main}."
    if rails:
        head += f" Rails: {rails}."
    if boards:
        used = sum(len(bd.alloc.used) for bd in boards)
        head += f" {used} controller pins used."
    return head
