"""Judge: with an LLM, a second opinion on the finished design — does it do what was asked, is
anything unsafe or pointless that the rules cannot see (a sensor that cannot work where it is
placed, a missing part the request implied)? Its verdict is reported, never applied.

There is no rules judge: the ERC and the SPICE gate are the rules' verdict. Without an LLM the
report says the judge did not run.
"""

from __future__ import annotations

from agents.llm import data_block
from agents.models import Plan, Verdict
from knowledge.library import Library
from prompts import load

NAME = "judge"


class LLMJudge:
    backend = "llm"

    def __init__(self, client):
        self.client = client

    def run(self, request: str, plan: Plan, circuit: dict, findings: list[dict], library: Library) -> Verdict:
        parts = "\n".join(f"{p['id']}: {p['type']} {p.get('attrs') or ''}" for p in circuit.get("parts", []))
        wires = "\n".join(f"{c[0]} — {c[1]}" for c in circuit.get("connections", []))
        gate = "\n".join(f"{f['severity']}: {f['message']}" for f in findings) or "no findings"
        messages = [
            {"role": "system", "content": load("judge")},
            {"role": "user", "content": "\n\n".join([
                data_block("request", request),
                data_block("plan", plan.summary + "\n" + "\n".join(plan.notes)),
                data_block("parts", parts),
                data_block("wires", wires),
                data_block("gate_findings", gate),
            ])},
        ]
        return self.client.structured(NAME, messages, Verdict)


def make(client=None):
    return LLMJudge(client) if client is not None else None
