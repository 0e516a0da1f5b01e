"""Synthesize: the plan becomes a CircuitJSON document.

Rules: every planned part becomes a part (placed near the part it serves, boards on the left),
every wire a connection coloured by what it carries (red power, black ground, blue buses, orange
load current, green signals). LLM: the model writes the document from the plan; whatever it names
that the library does not have is caught by the loader and the gates, and repaired.
"""

from __future__ import annotations

from agents.llm import data_block
from agents.llm_guard import check_document
from agents.models import CircuitDoc, Plan
from circuit.model import Circuit, Connection, Part
from knowledge.library import Library
from prompts import load

COLOURS = {"power": "red", "ground": "black", "bus": "blue", "load": "orange", "signal": "green"}
NAME = "synthesize"


class RulesSynthesize:
    backend = "rules"

    def run(self, plan: Plan, library: Library) -> dict:
        return synthesize_rules(plan, library).to_dict()


def _root(plan: Plan, pid: str, seen: set[str] | None = None) -> str:
    seen = seen or set()
    part = plan.part(pid)
    if part is None or not part.serves or part.serves in seen or plan.part(part.serves) is None:
        return pid
    seen.add(pid)
    return _root(plan, part.serves, seen)


def synthesize_rules(plan: Plan, library: Library) -> Circuit:
    boards = [p for p in plan.parts if library.get(p.type) is not None and library[p.type].is_mcu]
    groups: dict[str, list[str]] = {}
    for p in plan.parts:
        if p in boards:
            continue
        groups.setdefault(_root(plan, p.id), []).append(p.id)
    pos: dict[str, tuple[float, float]] = {}
    for i, b in enumerate(boards):
        pos[b.id] = (40.0, 60.0 + 420.0 * i)
    for gi, (root, members) in enumerate(groups.items()):
        col, row = gi % 3, gi // 3
        for k, pid in enumerate(members):
            pos[pid] = (360.0 + 300.0 * col + 70.0 * (k % 3), 60.0 + 200.0 * row + 60.0 * (k // 3))
    parts = []
    for p in plan.parts:
        left, top = pos.get(p.id, (0.0, 0.0))
        parts.append(Part(id=p.id, type=p.type, attrs=dict(p.attrs), left=left, top=top, rotate=0.0))
    conns = [Connection(source=w.a, target=w.b, color=COLOURS.get(w.kind, "green")) for w in plan.wires]
    return Circuit(version=1, title=plan.title or "circuit", parts=parts, connections=conns)


class LLMSynthesize:
    backend = "llm"

    def __init__(self, client):
        self.client = client

    def run(self, plan: Plan, library: Library) -> dict:
        messages = [
            {"role": "system", "content": load("synthesize")},
            {"role": "user", "content": data_block("plan", plan.model_dump_json())},
        ]
        doc = self.client.structured(NAME, messages, CircuitDoc)
        document = doc.to_document()
        check_document(document, plan)  # planned parts dropped: the rules write it
        return document


def make(client=None):
    return LLMSynthesize(client) if client is not None else RulesSynthesize()
