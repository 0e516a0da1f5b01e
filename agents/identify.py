"""Identify: the parts a request needs, including the ones a beginner forgets, with quantities.

``make().run(request, library, req) -> Identification``. The request's words are read once, by
understanding (:mod:`agents.understand.agent`: the rules, or the model repaired by them), into
:class:`Requirements`; identify turns those into the parts list from the records alone (named parts,
providers for the needed functions, the board, power, companions; see :mod:`agents.rules.needs`).
"""

from __future__ import annotations

from agents.models import Identification
from agents.rules.needs import identification_from
from agents.understand.requirements import Requirements
from agents.understand.rules import understand_rules
from knowledge.library import Library

NAME = "identify"


class RulesIdentify:
    backend = "rules"

    def run(self, request: str, library: Library, req: Requirements | None = None) -> Identification:
        req = req if req is not None else understand_rules(request, library)
        return identification_from(req, library)


def make(client=None):
    """The parts list is worked out from the requirements by the rules; a model reads the request
    in understanding (``client`` is accepted for the agents' common signature)."""
    return RulesIdentify()
