"""Which implementation an agent runs on: the LLM when one is configured (or asked for), the
rules otherwise. An LLM step that fails falls back to the rules, and the report says so."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from agents.llm import LLMClient, LLMError


@dataclass
class Backends:
    """What each agent actually ran on in one pipeline run: agent → "rules" | "llm:<model>" |
    "rules (LLM failed: ...)"."""

    used: dict[str, str] = field(default_factory=dict)

    def record(self, agent: str, backend: str) -> None:
        self.used[agent] = backend


def llm_client(preference: str | None = None):
    """The LLM client when the run should use one, else None.

    ``preference``: "rules" forces rules; "llm" requires a configured client; None uses the LLM
    when ``CIRCUITSMITH_LLM_BASE_URL`` / ``OPENAI_API_KEY`` is set."""
    if preference == "rules":
        return None
    client = LLMClient.from_env()
    if client is None and preference == "llm":
        raise LLMUnavailable(
            "no LLM is configured: set CIRCUITSMITH_LLM_BASE_URL (an OpenAI-compatible endpoint) "
            "or OPENAI_API_KEY, or run with --rules"
        )
    return client


def configured() -> bool:
    return bool(os.environ.get("CIRCUITSMITH_LLM_BASE_URL") or os.environ.get("OPENAI_API_KEY"))


class LLMUnavailable(RuntimeError):
    """--llm was asked for but no LLM can be used."""


def llm_error_types() -> tuple[type[BaseException], ...]:
    return (LLMError,)
