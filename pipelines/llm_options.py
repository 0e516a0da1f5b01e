"""Command-line flags for the LLM, shared by the commands that run agents (design, chat).

Each flag sets the environment variable the LLM client reads (:class:`agents.llm.LLMConfig`), so
a flag and its variable mean the same thing and the flag wins::

    --llm-url URL                  CIRCUITSMITH_LLM_BASE_URL
    --llm-model MODEL              CIRCUITSMITH_LLM_MODEL
    --llm-model-for AGENT=MODEL    CIRCUITSMITH_LLM_MODEL_<AGENT>  (repeatable: a cheap model for
                                   identify, a strong one for plan and judge)
    --llm-timeout SECONDS          CIRCUITSMITH_LLM_TIMEOUT (a wall-clock limit per request)
    --llm-budget SECONDS           (no variable: passed to the graph in DesignSettings) total LLM
                                   time per design turn, across agents and retries
    --llm-retries N                CIRCUITSMITH_LLM_RETRIES
    --llm-max-tokens N             CIRCUITSMITH_LLM_MAX_TOKENS
    --llm-agents identify,plan     CIRCUITSMITH_LLM_AGENTS (only these agents use the model; the
                                   others run on their rules)
    --llm-cache / --no-llm-cache   CIRCUITSMITH_LLM_CACHE (off by default for design and chat;
                                   benchmarks turn it on)
"""

from __future__ import annotations

import argparse
import os
import re

from pipelines.flags import float_range
from pipelines.settings import DEFAULT_LLM_BUDGET, DesignSettings

AGENTS = ("identify", "retrieve", "plan", "synthesize", "judge", "explain", "extract", "size")


class LLMOptionError(ValueError):
    """A flag's value cannot be used; the message says what to write instead."""


def add_llm_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("LLM", "an OpenAI-compatible model (each flag overrides its CIRCUITSMITH_LLM_* variable)")
    g.add_argument("--llm-url", metavar="URL", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1")
    g.add_argument("--llm-model", metavar="MODEL", help="model for every agent (default gpt-4o-mini)")
    g.add_argument("--llm-model-for", metavar="AGENT=MODEL", action="append", default=[],
                   help=f"model for one agent ({', '.join(AGENTS)}); repeat for several, "
                        "e.g. --llm-model-for identify=small --llm-model-for plan=big")
    g.add_argument("--llm-timeout", metavar="SECONDS", type=float, help="request timeout (default 60)")
    g.add_argument("--llm-budget", metavar="SECONDS", type=float_range(1, 3600, "s"), default=DEFAULT_LLM_BUDGET,
                   help=f"total LLM time per design, across agents and retries, 1 to 3600 (default {DEFAULT_LLM_BUDGET:g}); "
                        "once spent the remaining agents run on their rules and the report says so")
    g.add_argument("--llm-retries", metavar="N", type=int, help="retries on 429/5xx/connection errors (default 3)")
    g.add_argument("--llm-max-tokens", metavar="N", type=int, help="completion token limit per answer (default 1024)")
    g.add_argument("--llm-agents", metavar="A,B", help="only these agents use the model, the others their rules "
                   "(e.g. identify,plan; default: all)")
    cache = g.add_mutually_exclusive_group()
    cache.add_argument("--llm-cache", dest="llm_cache", action="store_true", default=None,
                       help="reuse answers from the SQLite cache (reproducible, free reruns)")
    cache.add_argument("--no-llm-cache", dest="llm_cache", action="store_false", help="always ask the model")


def llm_environment(args: argparse.Namespace) -> dict[str, str]:
    """The CIRCUITSMITH_LLM_* variables the flags set (raises LLMOptionError on a bad value)."""
    env: dict[str, str] = {}
    if getattr(args, "llm_url", None):
        if not re.match(r"^https?://", args.llm_url):
            raise LLMOptionError(f"--llm-url {args.llm_url!r} is not an http(s) URL; e.g. http://127.0.0.1:8080/v1")
        env["CIRCUITSMITH_LLM_BASE_URL"] = args.llm_url
    if getattr(args, "llm_model", None):
        env["CIRCUITSMITH_LLM_MODEL"] = args.llm_model
    for item in getattr(args, "llm_model_for", None) or []:
        agent, sep, model = item.partition("=")
        agent = agent.strip().lower()
        if not sep or not model.strip():
            raise LLMOptionError(f"--llm-model-for {item!r}: write AGENT=MODEL, e.g. plan=gpt-4o")
        if agent not in AGENTS:
            raise LLMOptionError(f"--llm-model-for {item!r}: unknown agent {agent!r}; agents are {', '.join(AGENTS)}")
        env[f"CIRCUITSMITH_LLM_MODEL_{agent.upper()}"] = model.strip()
    for flag, var, low in (("llm_timeout", "CIRCUITSMITH_LLM_TIMEOUT", 0.1), ("llm_retries", "CIRCUITSMITH_LLM_RETRIES", 0),
                           ("llm_max_tokens", "CIRCUITSMITH_LLM_MAX_TOKENS", 16)):
        value = getattr(args, flag, None)
        if value is not None:
            if value < low:
                raise LLMOptionError(f"--{flag.replace('_', '-')} {value}: must be at least {low}")
            env[var] = str(value)
    if getattr(args, "llm_agents", None):
        names = [a.strip().lower() for a in args.llm_agents.split(",") if a.strip()]
        unknown = [a for a in names if a not in AGENTS]
        if unknown or not names:
            raise LLMOptionError(f"--llm-agents {args.llm_agents!r}: unknown agent(s) {', '.join(unknown) or '(none given)'}; "
                                 f"agents are {', '.join(AGENTS)}")
        env["CIRCUITSMITH_LLM_AGENTS"] = ",".join(names)
    if getattr(args, "llm_cache", None) is not None:
        env["CIRCUITSMITH_LLM_CACHE"] = "1" if args.llm_cache else "0"
    return env


def apply_llm_arguments(args: argparse.Namespace) -> None:
    """Put the flags' values in the environment the LLM client reads (raises LLMOptionError)."""
    os.environ.update(llm_environment(args))


def design_settings(args: argparse.Namespace) -> DesignSettings:
    """The typed run settings the flags ask for (passed to the design graph, not the environment)."""
    return DesignSettings(llm_budget=float(getattr(args, "llm_budget", None) or DEFAULT_LLM_BUDGET))
