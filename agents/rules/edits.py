"""Follow-ups that edit the current design: typed operations (:mod:`agents.understand.edit_ops`)
applied to the design's identification (its needs) and to its standing overrides.

Parts are added, removed or swapped in the needs, and the design is planned again with the previous
plan's pins remembered (:meth:`agents.rules.builder.DesignBuilder.remember_pins`); values and pins the
user set are overrides, applied to every later plan of the thread by :mod:`agents.rules.plan_edit`,
which also keeps the designators of the parts that stay and lists the difference.
"""

from __future__ import annotations

from agents.models import Identification, Need, Plan
from agents.rules.board_choice import choose_board
from agents.rules.companions import companions
from agents.rules.power_tree import is_source, need_role
from agents.understand.edit_ops import (AddPart, EditRequest, MovePins, RemovePart, ReplacePart, SetSupply,
                                        SetValue, SwapBoard)
from circuit.units import format_value
from knowledge.library import Library

def _need_of(base: list[Need], key: str) -> Need | None:
    return next((n for n in base if n.key == key), None)


def apply_ops(edit: EditRequest, current: Identification, plan: Plan, overrides: dict,
              library: Library) -> tuple[Identification, dict, list[str], dict[str, str]]:
    """The edited identification, the overrides after the edit, what could not be done (in words) and
    the parts swapped for another type (designator -> new library key)."""
    base = [n.model_copy(deep=True) for n in current.needs if n.role != "companion"]
    values = dict((overrides or {}).get("values") or {})
    pins = dict((overrides or {}).get("pins") or {})
    notes = list(edit.notes)
    supply_volts = current.supply_volts
    board_key = current.board
    swaps: dict[str, str] = {}

    def type_of(pid: str | None) -> str | None:
        part = plan.part(pid) if pid else None
        return part.type if part else None

    for op in edit.ops:
        if isinstance(op, AddPart):
            prev = _need_of(base, op.key)
            if prev is not None:
                prev.qty = min(64, prev.qty + op.count)
            else:
                base.append(Need(phrase=op.words or op.key, key=op.key, qty=op.count, role=need_role(library[op.key]),
                                 explicit=True, attrs=dict(op.attrs)))
        elif isinstance(op, RemovePart):
            key = type_of(op.target)
            need = _need_of(base, key)
            if need is None:
                owner = plan.part(op.target)
                notes.append(f"{op.target} comes with {owner.serves if owner and owner.serves else 'the design'}; "
                             "it stays while that part does.")
                continue
            if op.count is not None and op.count < need.qty:
                need.qty -= op.count
            else:
                base = [n for n in base if n is not need]
                for pid in [p.id for p in plan.parts if p.type == key]:
                    values.pop(pid, None)
                    pins.pop(pid, None)
        elif isinstance(op, ReplacePart):
            key = type_of(op.target)
            need = _need_of(base, key)
            if need is None:
                notes.append(f"{op.target} cannot be swapped on its own: it comes with the part it serves.")
                continue
            if need.qty > 1:
                need.qty -= 1
                base.append(Need(phrase=op.words or op.key, key=op.key, role=need_role(library[op.key]), explicit=True))
            else:
                need.key, need.phrase, need.explicit, need.attrs = op.key, op.words or op.key, True, {}
                need.role = need_role(library[op.key])
                swaps[op.target] = op.key
            values.pop(op.target, None)
            pins.pop(op.target, None)
        elif isinstance(op, SwapBoard):
            old = type_of(op.target) or board_key
            need = _need_of(base, old) if old else None
            if need is not None:
                need.key, need.phrase = op.key, op.words or op.key
            else:
                base.append(Need(phrase=op.words or op.key, key=op.key, role="controller", explicit=True))
            board_key = op.key
            if op.target:
                swaps[op.target] = op.key
            names = {p.name for p in library[op.key].pins}
            for want in pins.values():  # pins the new board lacks are dropped; a capability asked for stays
                want["pins"] = [n for n in want.get("pins") or [] if n in names]
        elif isinstance(op, SetSupply):
            base = [n for n in base if not (n.key and is_source(library[n.key]))]
            if op.key and op.key in library:
                base.append(Need(phrase=op.words or op.key, key=op.key, role="supply", explicit=True,
                                 why="the power source you named"))
            supply_volts = op.source.total_volts or supply_volts
        elif isinstance(op, SetValue):
            values[op.target] = format_value(op.value, op.unit)
        elif isinstance(op, MovePins):
            pins[op.target] = {"function": op.function, "pins": list(op.pins)}
            need = _need_of(base, type_of(op.target))
            if need is not None and op.function == "pwm":
                need.attrs["pwm"] = True  # the planner drives it with PWM from now on
    for words in edit.unknown:  # unresolved part words travel on for retrieve to flag
        base.append(Need(phrase=words, key=None, explicit=True, why="named in the edit"))
    out = Identification(needs=base, topologies=list(current.topologies), supply_volts=supply_volts,
                         load_volts=current.load_volts, numbers=dict(current.numbers), notes=list(current.notes))
    boards = [n for n in base if n.key and library[n.key].is_mcu]
    out.board = boards[0].key if boards else (board_key if board_key and any(
        n.key == board_key for n in base) else None)
    if out.board is None and current.board is not None:
        out.board = choose_board(library, out)
    out.needs = out.needs + companions(library, out)
    return out, {"values": values, "pins": pins}, notes, swaps
