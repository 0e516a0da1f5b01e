"""Rules identify: understanding (the request's words -> :class:`Requirements`, in
:mod:`agents.understand.rules`) followed by the parts list those requirements imply, from the
records alone (:mod:`agents.rules.needs`)."""

from __future__ import annotations

from agents.models import Identification
from agents.rules.needs import identification_from
from agents.understand.requirements import Requirements
from agents.understand.rules import understand_rules
from knowledge.library import Library


def identify_rules(request: str, library: Library) -> Identification:
    return identification_from(understand_rules(request, library), library)


def understand_and_identify(request: str, library: Library) -> tuple[Requirements, Identification]:
    req = understand_rules(request, library)
    return req, identification_from(req, library)
