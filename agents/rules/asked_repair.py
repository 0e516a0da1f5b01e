"""The repair loop's answer to a clause the design leaves unanswered: ask for it where needs are decided.

The requirement gate fails a design when a clause understanding read as asking for something
(:class:`~agents.understand.requirements.AskedFunction`: "fan runs quicker", read as a cooling fan or a
spinning motor) is answered by no wired part, and proposes ``add_part(KEY)``. Understanding left the clause
out of the needs because its readings were too close to pick one; a part added by hand into the circuit
would stand unwired, undriven and unpowered. So the clause becomes a need of the requirements (the owner of
what is needed), identify picks its part from the records as for any need (with its driver, supply and
companions), and the planner lays the design out again.

A reading is taken only where the library agrees with it: the retriever's best part for the clause's own
words must provide the clause's best reading (the words "fan runs quicker" find a fan, which cools;
"speeds up" finds a CAN transceiver, which neither locates nor adjusts, so that clause is not guessed into
a GPS module and its finding stands). Each clause is asked for once a turn, so the loop stays bounded.
"""

from __future__ import annotations

from circuit.fix_error import FixError
from circuit.fixes import parse_hint
from agents.rules.part_search import semantic
from agents.understand.requirements import AskedFunction, NeededFunction, Requirements
from knowledge.library import Library

__all__ = ["ASKED_RULE", "ask_for_unanswered"]

ASKED_RULE = "REQ-ASKED-UNANSWERED"
TAG = "asked:"  # the mark of a clause asked for in the repair's ``tried`` list


def _hinted_keys(findings: list[dict]) -> list[str]:
    """The library keys the blocking unanswered-clause findings propose adding (``add_part(KEY)``)."""
    out: list[str] = []
    for f in findings:
        if f.get("rule") != ASKED_RULE or not f.get("fix"):
            continue
        try:
            name, args = parse_hint(f["fix"])
        except FixError:
            continue
        if name == "add_part" and args and args[0] not in out:
            out.append(args[0])
    return out


def _agreed_reading(a: AskedFunction, library: Library) -> str | None:
    """The clause's best reading when the retriever's best part for its words provides it, or None: the
    library does not agree (or there is no retriever to ask), so nothing is guessed. Only the best reading:
    a part that answers a lesser one ("landing lamp" with mains in the request: a 12 V lamp answers the
    lamp, not the mains switching read first) would pass a design the request did not ask for."""
    found = semantic(a.words, k=1)
    if not found or not found[1] or not a.any_of:
        return None
    rec = library.get(found[1][0][0])
    if rec is None:
        return None
    best = a.any_of[0]
    return best if any(c.capability == best for c in rec.provides) else None


def ask_for_unanswered(findings: list[dict], req: Requirements, library: Library,
                       tried: list[str]) -> tuple[Requirements | None, list[str]]:
    """The requirements with each unanswered clause the gate proposes a part for asked as a need (the reading
    the library agrees with), and what was done; None when nothing could be asked (no finding, no agreement,
    or every clause asked already this turn). ``tried`` is extended with the clauses asked."""
    keys = _hinted_keys(findings)
    if not keys:
        return None, []
    wanted = {c.capability for k in keys if (r := library.get(k)) is not None for c in r.provides}
    have = {n.capability for n in req.needs}
    new = req.model_copy(deep=True)
    done: list[str] = []
    for a in req.asked:
        tag = TAG + a.words
        if tag in tried or not set(a.any_of) & wanted or set(a.any_of) & have:
            continue
        tried.append(tag)
        cap = _agreed_reading(a, library)
        if cap is None:
            continue
        new.needs.append(NeededFunction(capability=cap, words=a.words, score=a.score))
        have.add(cap)
        done.append(f"{ASKED_RULE}: asked for {cap} ('{a.words}') and planned again")
    return (new if done else None), done
