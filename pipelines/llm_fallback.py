"""When the LLM's design cannot be repaired, the rules take over — and the report says why.

The repair step asks :func:`rules_takeover` first. It answers with a state update when:

- the LLM wrote CircuitJSON that names parts, part ids or pins the library does not have (the
  loader's ``ERC-UNKNOWN-*`` findings): the plan was already made real by the plan agent's repair,
  so the rules synthesize the document from it again;
- the LLM's design (its plan or its CircuitJSON) still fails its checks when the repair rounds are
  spent, or when no fix hint applies and asking the model again cannot help: the rules plan and
  synthesize it, with a fresh set of repair rounds.

Agents listed in ``state["rules_for"]`` run on their rules for the rest of the turn, and the label
(``"rules (...)"``) goes into ``backends`` and the report. The rules are deterministic, so this
happens at most once per agent and turn.
"""

from __future__ import annotations

HALLUCINATED = ("ERC-UNKNOWN-PART", "ERC-UNKNOWN-PIN", "ERC-UNKNOWN-PART-ID")
DESIGNERS = ("plan", "synthesize")


def on_llm(state: dict, agent: str) -> bool:
    return str((state.get("backends") or {}).get(agent, "rules")).startswith("llm")


def llm_made(state: dict) -> bool:
    """Did the LLM write the current design (its plan or its CircuitJSON)?"""
    return any(on_llm(state, a) for a in DESIGNERS)


def _rules(findings: list[dict], limit: int = 3) -> str:
    names = list(dict.fromkeys(f.get("rule", "?") for f in findings))
    return ", ".join(names[:limit]) + (" …" if len(names) > limit else "")


def rules_takeover(state: dict, rnd: int, bad: list[dict], *, stuck: bool = False,
                   max_rounds: int = 3) -> dict | None:
    """The repair step's update when the rules must take over from the LLM, else None.

    ``rnd``: this repair round's number; ``bad``: the blocking findings; ``stuck``: no fix hint
    applies and the planner will not be asked again."""
    if not bad or not llm_made(state):
        return None
    repairs = list(state.get("repairs") or [])
    rules_for = dict(state.get("rules_for") or {})
    hallucinated = [f for f in bad if f.get("rule") in HALLUCINATED]
    if hallucinated and on_llm(state, "synthesize"):
        label = f"rules (the LLM's CircuitJSON named parts or pins the library lacks: {_rules(hallucinated)})"
        rules_for["synthesize"] = label
        repairs.append(f"round {rnd}: the LLM's CircuitJSON named parts or pins the library does not have "
                       f"({len(hallucinated)} finding(s)); the rules wrote it again from the plan")
        return {"rules_for": rules_for, "round": rnd, "repairs": repairs, "next": "synthesize"}
    spent = int(state.get("round") or 0) >= max_rounds
    if spent or stuck:
        why = f"after {int(state.get('round') or 0)} repair round(s)" if spent else "and no fix hint applies"
        label = f"rules (the LLM's design failed its checks {why}: {_rules(bad)})"
        for a in DESIGNERS:
            rules_for[a] = label
        repairs.append(f"round {rnd}: the LLM's design still fails its checks {why} ({len(bad)} blocking "
                       f"finding(s): {_rules(bad)}); the rules planned and wrote it instead")
        return {"rules_for": rules_for, "round": 0, "repairs": repairs, "next": "plan"}
    return None


def needs_takeover(state: dict, max_rounds: int = 3) -> bool:
    """After the gates: a failing LLM design whose repair rounds are spent still goes to repair once."""
    return not state.get("passed") and llm_made(state) and int(state.get("round") or 0) >= max_rounds
