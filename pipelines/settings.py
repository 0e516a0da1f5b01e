"""Run settings of the design graph: a typed object the caller passes in (CLI flags, a web
request), never environment variables read inside the nodes."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DesignSettings", "DEFAULT_LLM_BUDGET", "BUDGET_SPENT"]

DEFAULT_LLM_BUDGET = 120.0  # seconds of LLM time per design turn, across every agent and retry
BUDGET_SPENT = "rules (LLM time budget spent)"


@dataclass(frozen=True)
class DesignSettings:
    llm_budget: float = DEFAULT_LLM_BUDGET  # seconds; once spent the remaining agents run on their rules
    thread_wait: float = 600.0  # seconds a turn waits for another writer of its thread before "thread busy"
