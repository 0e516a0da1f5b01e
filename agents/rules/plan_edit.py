"""An edited plan beside the plan it edits: the parts that stay keep their designators, the values and
pins the user set stay set, and the difference is listed in plain words.

- :func:`keep_designators` matches the new plan's parts with the previous plan's (a part by its type
  and its place among parts of that type; a companion by its type, role and the part it serves) and
  gives each match its previous designator, so "R1" means the same resistor after an edit.
- :func:`apply_overrides` sets the values (``{"R1": "330 Ω"}``) and controller pins
  (``{"LED1": {"function": "pwm", "pins": []}}``) an edit asked for; a pin is taken only when the board
  record says it can do the job and no other part uses it.
- :func:`plan_diff` lists parts added and removed, boards and parts swapped, pins moved and values changed.
"""

from __future__ import annotations

import re

from agents.models import Plan, ValueChoice
from agents.rules.pin_allocator import PinAllocator
from knowledge.library import Library


def owner(serves: str) -> str:
    """The part id a pin use or wire serves: ``LED1:R`` and ``LED1 R`` -> ``LED1``."""
    return re.split(r"[: ]", serves.strip(), maxsplit=1)[0]


# ---- designators ---------------------------------------------------------------------------------
def _signatures(plan: Plan, mapped: dict[str, str] | None = None) -> dict[str, tuple]:
    """id -> a signature that survives re-planning; ``mapped`` renames the parts companions serve."""
    sig: dict[str, tuple] = {}
    seen: dict[tuple, int] = {}
    for p in plan.parts:
        serves = p.serves
        if serves is not None and mapped is not None:
            serves = mapped.get(serves, f"?{serves}")
        base = (p.type, serves, p.role if serves else "")
        n = seen.get(base, 0)
        seen[base] = n + 1
        sig[p.id] = base + (n,)
    return sig


def keep_designators(new: Plan, old: Plan) -> Plan:
    """``new`` with the designators of ``old`` for the parts both have (matched level by level:
    first parts that serve nothing, then the companions of matched parts)."""
    old_by_sig = {s: pid for pid, s in _signatures(old).items()}
    mapping: dict[str, str] = {}
    for _ in range(4):  # a companion of a companion (a base resistor of a transistor of a buzzer)
        sig = _signatures(new, {**{p.id: p.id for p in new.parts if p.id not in mapping}, **mapping})
        changed = False
        for pid, s in sig.items():
            if pid in mapping or s not in old_by_sig or old_by_sig[s] in mapping.values():
                continue
            if s[1] is not None and str(s[1]).startswith("?"):
                continue
            mapping[pid] = old_by_sig[s]
            changed = True
        if not changed:
            break
    taken = set(mapping.values()) | {p.id for p in old.parts}
    for p in new.parts:
        if p.id in mapping:
            continue
        if p.id not in taken:
            mapping[p.id] = p.id
            taken.add(p.id)
            continue
        prefix = re.match(r"[A-Za-z]+", p.id).group(0) if re.match(r"[A-Za-z]+", p.id) else "U"
        i = 1
        while f"{prefix}{i}" in taken:
            i += 1
        mapping[p.id] = f"{prefix}{i}"
        taken.add(mapping[p.id])
    if all(k == v for k, v in mapping.items()):
        return new
    return rename(new, mapping)


def rename(plan: Plan, mapping: dict[str, str]) -> Plan:
    """Every designator in the plan renamed at once (endpoints, pins, values, rails and notes); a pin
    name after a colon (``U1:D4``) is a pin, never a designator."""
    if not mapping:
        return plan
    pattern = re.compile(r"(?<![A-Za-z0-9_:])(" + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
                         + r")(?![A-Za-z0-9_])")

    def fix(value):
        if isinstance(value, str):
            return pattern.sub(lambda m: mapping[m.group(1)], value)
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        return value

    data = plan.model_dump()
    for part in data["parts"]:
        attrs = part.pop("attrs")
        part.update(fix(part))
        part["attrs"] = attrs
    for key in ("wires", "pins", "rails", "values", "notes", "unmet", "summary"):
        data[key] = fix(data[key])
    return Plan.model_validate(data)


def with_types(plan: Plan, swaps: dict[str, str]) -> Plan:
    """``plan`` as if the swapped parts had always been their new type (``{"U1": "arduino-uno"}``), so a
    re-plan remembers their pins and the new part keeps the old designator."""
    if not swaps:
        return plan
    out = plan.model_copy(deep=True)
    for p in out.parts:
        if p.id in swaps:
            p.type = swaps[p.id]
    return out


def with_user_pins(plan: Plan, overrides: dict) -> Plan:
    """``plan`` with the pins the user moved also remembered as plain GPIO uses, so a re-plan that asks
    for a GPIO (an RGB LED's channels) lands on the pins the user chose before their override is applied."""
    moved = set(((overrides or {}).get("pins") or {}))
    twins = [u.model_copy(update={"function": "gpio"}) for u in plan.pins
             if owner(u.serves) in moved and u.function.split(" ")[0] != "gpio"]
    if not twins:
        return plan
    out = plan.model_copy(deep=True)
    out.pins = out.pins + twins
    return out


# ---- overrides -----------------------------------------------------------------------------------
def _set_value(plan: Plan, pid: str, text: str, library: Library) -> str | None:
    part = plan.part(pid)
    rec = library.get(part.type) if part else None
    if part is None or rec is None or not rec.value_attr:
        return f"{pid} is not in the design any more; its value was dropped."
    before = part.attrs.get(rec.value_attr)
    part.attrs[rec.value_attr] = text
    entry = next((v for v in plan.values if v.part == pid), None)
    formula = f"set by you (the design chose {before})" if before and before != text else "set by you"
    if entry is None:
        plan.values.append(ValueChoice(part=pid, value=text, formula=formula, why="the value you asked for"))
    elif entry.value != text or "set by you" not in entry.formula:
        entry.value, entry.formula = text, formula
    return None


def _board_pin_users(plan: Plan, board: str) -> dict[str, str]:
    users: dict[str, str] = {}
    for w in plan.wires:
        for ep, other in ((w.a, w.b), (w.b, w.a)):
            if ep.startswith(board + ":"):
                users.setdefault(ep.split(":", 1)[1], owner(other))
    for u in plan.pins:
        if u.pin.startswith(board + ":"):
            users[u.pin.split(":", 1)[1]] = owner(u.serves)
    return users


def _move(plan: Plan, board: str, moves: list[tuple[str, str]], function: str | None) -> None:
    """Move controller pins ``[(old, new)]`` at once: wires, pin uses, and the attrs that name them
    (the board's ``pullups: D4``, a button's ``internal pull-up on U1:D4``)."""
    if not moves:
        return
    tmp = {old: f"\x00{i}" for i, (old, _) in enumerate(moves)}
    final = {f"\x00{i}": new for i, (_, new) in enumerate(moves)}
    for table in (tmp, final):
        ep = {f"{board}:{a}": f"{board}:{b}" for a, b in table.items()}
        for w in plan.wires:
            w.a, w.b = ep.get(w.a, w.a), ep.get(w.b, w.b)
        for u in plan.pins:
            if u.pin in ep:
                u.pin = ep[u.pin]
                if function and table is final:
                    u.function = function
                    if function not in u.why:
                        u.why = (u.why + f" ({function})").strip()
        names = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(re.escape(k) for k in table) + r")(?![A-Za-z0-9_])")
        for part in plan.parts:
            for k, v in list(part.attrs.items()):
                if not isinstance(v, str):
                    continue
                if part.id == board:
                    part.attrs[k] = names.sub(lambda m: table[m.group(1)], v)
                else:
                    for a, b in ep.items():
                        v = re.sub(re.escape(a) + r"(?![A-Za-z0-9_])", b, v)
                    part.attrs[k] = v


def _move_pins(plan: Plan, pid: str, want: dict, library: Library) -> str | None:
    uses = [u for u in plan.pins if owner(u.serves) == pid]
    if not uses:
        return f"{pid} has no controller pins to move."
    board = uses[0].pin.split(":", 1)[0]
    bpart = plan.part(board)
    if bpart is None:
        return None
    brec = library[bpart.type]
    alloc = PinAllocator(board, brec)
    by_name = {p.name: p for p in alloc.pins}
    users = _board_pin_users(plan, board)
    function = want.get("function")
    named = [n for n in want.get("pins") or [] if n]
    problems = []
    moves: list[tuple[str, str]] = []
    for i, u in enumerate([u for u in uses if u.pin.startswith(board + ":")]):
        cur = u.pin.split(":", 1)[1]
        fn = function or u.function.replace(" (software)", "").split(" ")[0]
        if i < len(named):
            target = named[i]
            pin = by_name.get(target)
            if target == cur:
                continue
            if pin is None:
                problems.append(f"{brec.name} has no I/O pin {target}")
                continue
            if users.get(target) not in (None, pid) or target in {t for _, t in moves}:
                problems.append(f"{target} is in use by {users.get(target) or pid}")
                continue
            if not PinAllocator.can(pin, fn or "gpio", "in" if " in" in u.function else "io"):
                problems.append(f"{target} cannot do {fn}")
                continue
        elif function:
            if cur in by_name and PinAllocator.can(by_name[cur], function):
                if u.function != function:
                    moves.append((cur, cur))
                continue
            for name in list(users) + [t for _, t in moves]:
                if name in by_name:
                    alloc.used[name] = None  # taken
            cands = alloc.candidates(function, "out")
            if not cands:
                problems.append(f"{brec.name} has no free pin that can do {function} for {pid}")
                continue
            target = cands[0].name
        else:
            continue
        moves.append((cur, target))
    _move(plan, board, moves, function)
    return "; ".join(problems) or None


def apply_overrides(plan: Plan, overrides: dict, library: Library) -> tuple[list[str], set[str]]:
    """Set the user's values and pins on ``plan`` (in place); returns what could not be done, and the
    parts whose pin request could not be met."""
    notes = []
    failed: set[str] = set()
    for pid, text in sorted(((overrides or {}).get("values") or {}).items()):
        n = _set_value(plan, pid, text, library)
        if n:
            notes.append(n)
    for pid, want in sorted(((overrides or {}).get("pins") or {}).items()):
        if plan.part(pid) is None:
            continue
        n = _move_pins(plan, pid, want, library)
        if n:
            notes.append(n)
            failed.add(pid)
    return notes, failed


# ---- difference ----------------------------------------------------------------------------------
def _pins_of(plan: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for u in plan.pins:
        out.setdefault(owner(u.serves), []).append(u.pin.split(":", 1)[1])
    return out


def plan_diff(old: Plan, new: Plan, library: Library) -> list[str]:
    """What changed from ``old`` to ``new``, in words: parts added/removed/swapped, pins moved, values."""
    def name(t: str) -> str:
        rec = library.get(t)
        return rec.name if rec else t

    olds = {p.id: p for p in old.parts}
    news = {p.id: p for p in new.parts}
    out = []
    added = [p for pid, p in news.items() if pid not in olds]
    removed = [p for pid, p in olds.items() if pid not in news]
    if added:
        out.append("added " + ", ".join(f"{p.id} ({name(p.type)})" for p in added))
    if removed:
        out.append("removed " + ", ".join(f"{p.id} ({name(p.type)})" for p in removed))
    for pid in news:
        if pid in olds and olds[pid].type != news[pid].type:
            out.append(f"{pid}: {name(olds[pid].type)} → {name(news[pid].type)}")
    op, np_ = _pins_of(old), _pins_of(new)
    for pid in news:
        if pid in olds and pid in op and pid in np_ and op[pid] != np_[pid]:
            out.append(f"{pid} pins {', '.join(op[pid])} → {', '.join(np_[pid])}")
    for pid, p in news.items():
        q = olds.get(pid)
        if q is None or q.type != p.type:
            continue
        rec = library.get(p.type)
        attr = rec.value_attr if rec and rec.value_attr else "value"
        if q.attrs.get(attr) != p.attrs.get(attr) and (q.attrs.get(attr) or p.attrs.get(attr)):
            out.append(f"{pid} {q.attrs.get(attr)} → {p.attrs.get(attr)}")
    return out
