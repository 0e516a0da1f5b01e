"""The design graph's state: one thread of conversation about one design.

Everything in it is plain JSON (dicts, lists, strings, numbers), so a checkpointer (SQLite or
Postgres) keeps a thread across processes and a later message continues from the design as it
was left. The documents are the agents' pydantic models dumped to dicts
(:mod:`agents.models`); helpers here turn them back.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from agents.models import Identification, Plan, Resolution

MAX_REPAIR_ROUNDS = 3


class DesignState(TypedDict, total=False):
    # ---- one turn's input ------------------------------------------------------------
    request: str                 # the user's message this turn
    backend: str | None          # "rules", "llm", or None (LLM when configured)
    interactive: bool            # may the graph stop and ask (interrupt) for out-of-library parts?
    out_dir: str | None          # where render/export writes the files (None: nothing written)
    llm_deadline: float | None   # time.time() by which this turn's LLM calls end (DesignSettings.llm_budget)
    llm_budget: float | None     # that budget, in seconds (for the report)
    check_firmware: bool         # compile (AVR) or syntax-check the starter sketch when writing outputs
    exports: list[str]           # optional exports to write besides the standard ones ("kicad")
    # ---- the conversation --------------------------------------------------------------
    turns: Annotated[list[dict], operator.add]   # [{"role": "user"|"assistant", "content": str}]
    mode: str                    # design | edit | question
    title: str
    # ---- what the agents produced --------------------------------------------------------
    ident: dict                  # agents.models.Identification
    requirements: dict           # agents.understand.requirements.Requirements (what the request asks for)
    resolution: dict             # agents.models.Resolution
    choices: dict[str, Any]      # out-of-library phrase -> library key the user chose (None: leave out)
    ood: list[dict]              # unresolved parts with near-misses
    plan: dict                   # agents.models.Plan
    circuit: dict                # CircuitJSON
    requirements: dict           # agents.understand.requirements.Requirements, from understanding
    findings: list[dict]         # ERC + SPICE + requirement findings (Finding.as_dict + "source")
    requirements_check: dict     # the requirement gate: {"met": [...], "unmet": [...]}
    spice: dict                  # {"ran": bool, "node_voltages": {...}, "notes": [...]}
    passed: bool
    round: int                   # repair rounds used this turn
    repairs: list[str]           # what each repair round did
    backends: dict[str, str]     # agent -> "rules" | "llm:model" | "rules (LLM failed: ...)"
    verdict: dict | None         # agents.models.Verdict, when a judge ran
    outputs: dict[str, str]      # file name -> path
    answer: str                  # the assistant's reply this turn
    stopped: str | None          # why the turn stopped early (out-of-library in non-interactive use)
    changes: list[str]           # what an edit changed
    edit_notes: list[str]        # what an edit could not do (read before planning, listed with the changes)
    edit_unchanged: bool         # an edit with nothing to change: the design is left exactly as it was
    edit_swaps: dict[str, str]   # parts an edit swapped for another type: designator -> new library key
    overrides: dict              # values and pins the user set: {"values": {"R1": "330 Ω"}, "pins": {"LED1": {...}}}
    history: list[dict]          # earlier versions of the design, newest last ("undo" returns to the last)
    timings: dict[str, float]    # stage -> seconds this turn
    next: str                    # where the repair step sends the graph (erc, plan, synthesize, finish)
    swaps_tried: list[str]       # "old->new" part swaps the repair step made this turn (agents.rules.need_swaps)
    rules_for: dict[str, str]    # agent -> label: the rules took over from the LLM this turn (pipelines.llm_fallback)
    llm: dict                    # LLM usage this turn, per agent and total (pipelines.llm_usage)
    firmware: dict | None        # the starter sketch's board and build result (circuit.firmware.check)
    exports_note: str            # what the Wokwi export had to leave out


TURN_RESET: dict[str, Any] = {
    "round": 0, "repairs": [], "verdict": None, "outputs": {}, "answer": "", "stopped": None,
    "changes": [], "edit_notes": [], "edit_swaps": {}, "edit_unchanged": False, "timings": {}, "ood": [], "rules_for": {}, "llm": {}, "firmware": None, "exports_note": "",
    "requirements_check": {}, "swaps_tried": [],
}


def identification(state: DesignState) -> Identification:
    return Identification.model_validate(state.get("ident") or {})


def resolution(state: DesignState) -> Resolution:
    return Resolution.model_validate(state.get("resolution") or {})


def plan(state: DesignState) -> Plan:
    return Plan.model_validate(state.get("plan") or {})


def blocking(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f.get("severity") in ("Critical", "Major")]


# what a version of the design is: "undo" puts these back as they were before the last change
VERSION_KEYS = ("title", "ident", "requirements", "resolution", "choices", "plan", "circuit", "findings",
                "requirements_check", "spice", "passed", "verdict", "overrides", "backends", "firmware")
MAX_VERSIONS = 20


def push_version(state: DesignState) -> list[dict]:
    """The thread's history with the current design appended (the oldest dropped past MAX_VERSIONS)."""
    version = {k: state.get(k) for k in VERSION_KEYS if k in state}
    return (list(state.get("history") or []) + [version])[-MAX_VERSIONS:]
