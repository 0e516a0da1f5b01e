"""Understanding as an agent: ``make(client).run(request, library) -> Requirements``.

Two implementations of one interface, like every agent:

- :class:`RulesUnderstand` reads the request offline (:func:`agents.understand.rules.understand_rules`);
- :class:`agents.understand.llm.LLMUnderstand` asks the model for the same schema with retrieval
  candidates and the capability list, then repairs its answer with the rules' reading.

The pipeline runs it as the ``identify`` stage; what the planner gets is the Requirements.
"""

from __future__ import annotations

from agents.understand.llm import NAME, LLMUnderstand
from agents.understand.requirements import Requirements
from agents.understand.rules import understand_rules
from knowledge.library import Library

__all__ = ["NAME", "RulesUnderstand", "LLMUnderstand", "make"]


class RulesUnderstand:
    backend = "rules"

    def run(self, request: str, library: Library) -> Requirements:
        return understand_rules(request, library)


def make(client=None):
    return LLMUnderstand(client) if client is not None else RulesUnderstand()
