"""Plan: the electronics expert. Which controller pin serves which function (by the pin's real
capabilities), rails and who powers whom, level shifting, protection parts, computed values and
why — a plan a person can read, and the wiring it implies.

Rules: :func:`agents.rules.planner.plan_rules`. LLM: the model writes a :class:`Plan` from the
identification and the pin tables of the parts (prompt ``prompts/plan.txt``; on a repair round it
also sees the gates' findings); the rules then repair it — parts the library lacks are replaced by
the closest library part or dropped, pins that do not exist are renamed to the closest real pin
or their wires dropped — before the gates judge it.
"""

from __future__ import annotations

from rapidfuzz import process as fuzz

from agents.llm import data_block
from agents.llm_guard import check_plan
from agents.models import Identification, Plan
from agents.rules.part_search import best_word_match, semantic
from agents.rules.planner import plan_rules
from knowledge.library import Library
from prompts import load

NAME = "plan"


class RulesPlan:
    backend = "rules"

    def run(self, ident: Identification, library: Library, title: str = "", findings: list[dict] | None = None,
            previous: Plan | None = None) -> Plan:
        return plan_rules(ident, library, title, previous)


class LLMPlan:
    backend = "llm"

    def __init__(self, client):
        self.client = client

    def run(self, ident: Identification, library: Library, title: str = "", findings: list[dict] | None = None,
            previous: Plan | None = None) -> Plan:
        keys = sorted({n.key for n in ident.needs if n.key and n.key in library})
        blocks = [
            data_block("identification", ident.model_dump_json()),
            data_block("pinouts", pin_tables(library, keys)),
        ]
        if previous is not None and previous.pins:
            blocks.append(data_block("current_design", "Keep these controller pin uses for the parts that stay:\n"
                                     + "\n".join(f"{u.pin} {u.function} -> {u.serves}" for u in previous.pins)))
        if findings:
            blocks.append(data_block("findings", "\n".join(
                f"{f['severity']}: {f['rule']}: {f['message']} fix: {f.get('fix')}" for f in findings)))
        messages = [{"role": "system", "content": load("plan")}, {"role": "user", "content": "\n\n".join(blocks)}]
        plan = self.client.structured(NAME, messages, Plan)
        plan.title = plan.title or title
        plan = repair_plan(plan, library)
        check_plan(plan, ident, library)  # an empty plan, or one that leaves out a requested part: the rules plan it
        return plan


def pin_tables(library: Library, keys: list[str]) -> str:
    lines = []
    for k in keys:
        rec = library[k]
        pins = ", ".join(
            f"{p.name}[{p.type}{(':' + '/'.join(p.functions)) if p.functions else ''}]" for p in rec.pins
        )
        sup = rec.supply
        lines.append(f"{k} ({rec.name}; supply {sup.v_min}-{sup.v_max} V; logic {sup.logic_level} V): {pins}")
    return "\n".join(lines)


def repair_plan(plan: Plan, library: Library) -> Plan:
    """Make every part type and pin name real before anything is built from the plan."""
    renamed: dict[str, str] = {}
    kept = []
    for p in plan.parts:
        if p.type not in library:
            sem = semantic(p.type)
            key = sem[1][0][0] if sem and not sem[0] and sem[1] else best_word_match(library, p.type.replace("-", " "))
            if key is None:
                plan.notes.append(f"Dropped {p.id}: {p.type!r} is not in the component library.")
                continue
            plan.notes.append(f"{p.id} was a {p.type!r}, which the library does not have; used {key}.")
            p.type = key
        kept.append(p)
        renamed[p.id] = p.id
    plan.parts = kept
    ids = {p.id: p for p in kept}
    wires = []
    for w in plan.wires:
        a, b = _fix_endpoint(w.a, ids, library), _fix_endpoint(w.b, ids, library)
        if a is None or b is None or a == b:
            plan.notes.append(f"Dropped the wire {w.a} — {w.b}: it names a part or pin that does not exist.")
            continue
        w.a, w.b = a, b
        wires.append(w)
    plan.wires = wires
    return plan


def _fix_endpoint(ep: str, ids: dict, library: Library) -> str | None:
    if ":" not in ep:
        return None
    pid, pin = ep.split(":", 1)
    part = ids.get(pid.strip())
    if part is None:
        return None
    rec = library[part.type]
    if rec.pin(pin.strip()) is not None:
        return f"{part.id}:{rec.pin(pin.strip()).name}"
    best = fuzz.extractOne(pin.strip(), rec.pin_names)
    if best and best[1] >= 80:
        return f"{part.id}:{best[0]}"
    return None


def make(client=None):
    return LLMPlan(client) if client is not None else RulesPlan()
