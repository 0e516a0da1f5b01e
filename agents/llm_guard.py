"""What an LLM's plan or CircuitJSON must hold before the pipeline builds on it.

The gates judge electrical correctness, but a design that leaves out what was asked passes every
rule (an empty circuit has no faults). So after an LLM answer has been repaired (unknown parts and
pins made real), these checks raise :class:`agents.llm.LLMError` when it lost what matters, and
the step goes to the rules implementation, recorded in the report like any other LLM failure:

- a plan must have parts, and every part the request names (and the controller board) must be
  in it — the same library key, or a part of the same category (a red LED for "an LED");
- a CircuitJSON document must keep every planned part (the synthesize prompt forbids dropping or
  renaming them).
"""

from __future__ import annotations

from agents.llm import LLMError
from agents.models import Identification, Plan
from knowledge.library import Library


def _error(message: str) -> Exception:
    return LLMError(message)


def _covers(library: Library, key: str, types: set[str]) -> bool:
    if key in types:
        return True
    want = library.get(key)
    if want is None:
        return True  # not a library part: retrieve flagged it; nothing to check here
    return any((rec := library.get(t)) is not None and rec.category == want.category for t in types)


def check_plan(plan: Plan, ident: Identification, library: Library) -> None:
    """Raise LLMError when the model's (repaired) plan is empty or leaves out a requested part."""
    if not plan.parts:
        raise _error("plan: the model's plan has no parts the library has")
    types = {p.type for p in plan.parts}
    wanted = [n.key for n in ident.needs
              if n.key and n.explicit and n.role in ("controller", "part", "driver", "supply") and n.key in library]
    if ident.board and ident.board in library:
        wanted.append(ident.board)
    missing = [k for k in dict.fromkeys(wanted) if not _covers(library, k, types)]
    if missing:
        raise _error(f"plan: the model's plan leaves out {', '.join(missing[:4])} (named in the request)")


def check_document(doc: dict, plan: Plan) -> None:
    """Raise LLMError when the model's CircuitJSON drops planned parts."""
    ids = {str(p.get("id")) for p in doc.get("parts") or []}
    missing = [p.id for p in plan.parts if p.id not in ids]
    if missing:
        raise _error(f"synthesize: the model's CircuitJSON leaves out planned parts {', '.join(missing[:5])}")
