"""Answers to questions about the current design ("why R2?", "what does Q1 do?", "which pin is
the button on?"), grounded in the design's own plan: each part's role, the values chosen with
their math, the pins it uses and the wires it has.

Rules: the answer is assembled from the plan. LLM: the model answers with the same facts as its
only source (prompt ``prompts/explain.txt``), and falls back to the rules answer if it fails.
"""

from __future__ import annotations

import re

from agents.llm import data_block
from agents.models import Answer, Plan
from knowledge.library import Library
from prompts import load

NAME = "explain"


def _ids_in(question: str, plan: Plan) -> list[str]:
    ids = {p.id.lower(): p.id for p in plan.parts}
    out = []
    for tok in re.findall(r"[A-Za-z]+\d+", question):
        if tok.lower() in ids and ids[tok.lower()] not in out:
            out.append(ids[tok.lower()])
    if out:
        return out
    low = question.lower()
    lib = Library.default()
    for p in plan.parts:
        rec = lib.get(p.type)
        words = [p.type.replace("-", " ")] + ([w.lower() for w in rec.aliases] if rec else [])
        if rec:
            words.append(rec.name.lower())
        if any(re.search(r"\b" + re.escape(w) + r"s?\b", low) for w in words if len(w) > 2):
            out.append(p.id)
    # pins: "D7", "GPIO4"
    return out


def facts(plan: Plan, pid: str) -> list[str]:
    part = plan.part(pid)
    if part is None:
        return []
    out = [f"{pid} is a {part.type}" + (f" ({part.role})" if part.role else "") + "."]
    if part.serves:
        out.append(f"It is there for {part.serves}.")
    for v in plan.values:
        if v.part == pid:
            line = f"Value {v.value}"
            if v.formula:
                line += f": {v.formula}"
            if v.why:
                line += f" — {v.why}"
            out.append(line + ".")
    for pu in plan.pins:
        if pu.serves.split(":")[0] == pid or pu.serves == pid:
            out.append(f"It uses {pu.pin} ({pu.function}){': ' + pu.why if pu.why else ''}.")
    wires = [w for w in plan.wires if w.a.split(":")[0] == pid or w.b.split(":")[0] == pid]
    for w in wires[:6]:
        out.append(f"{w.a} — {w.b}{': ' + w.why if w.why else ''}.")
    for a in part.attrs.items():
        if a[0] in ("pull",):
            out.append(f"Pull: {a[1]}.")
    for n in plan.notes:
        if re.search(r"\b" + re.escape(pid) + r"\b", n):
            out.append(n)
    return out


class RulesExplain:
    backend = "rules"

    def run(self, question: str, plan: Plan, findings: list[dict]) -> Answer:
        ids = _ids_in(question, plan)
        if not ids:
            pin = re.findall(r"\b([A-Z]{1,4}\d{1,2})\b", question.upper())
            uses = [pu for pu in plan.pins if pu.pin.split(":")[1].upper() in pin]
            if uses:
                return Answer(text="\n".join(f"{u.pin} is used as {u.function} for {u.serves}"
                                             + (f": {u.why}" if u.why else "") + "." for u in uses))
            lines = [plan.summary] + plan.notes[:6]
            if findings:
                lines.append("Open findings: " + "; ".join(f["message"] for f in findings[:5]))
            return Answer(text="\n".join(l for l in lines if l))
        lines = []
        for pid in ids[:3]:
            lines += facts(plan, pid)
        return Answer(text="\n".join(lines), refers_to=ids)


class LLMExplain:
    backend = "llm"

    def __init__(self, client):
        self.client = client

    def run(self, question: str, plan: Plan, findings: list[dict]) -> Answer:
        grounded = RulesExplain().run(question, plan, findings)
        context = plan.model_dump_json()
        messages = [
            {"role": "system", "content": load("explain")},
            {"role": "user", "content": "\n\n".join([
                data_block("question", question), data_block("design", context),
                data_block("facts", grounded.text)])},
        ]
        ans = self.client.structured(NAME, messages, Answer)
        ans.refers_to = [r for r in ans.refers_to if plan.part(r) is not None] or grounded.refers_to
        return ans


def make(client=None):
    return LLMExplain(client) if client is not None else RulesExplain()
