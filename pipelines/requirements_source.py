"""Where the requirement gate gets the turn's :class:`Requirements`.

Understanding stores them in the state (``state["requirements"]``). Until every path produces
them, :func:`from_identification` derives a conservative subset from the identify/retrieve
documents (owner: reqbench; temporary: delete it once understanding fills ``state["requirements"]``
on every design turn): the parts the request names, with their counts, the board it names, and the
supply it names. Only parts marked as named in the request (``explicit``) become requirements.
"""

from __future__ import annotations

from agents import identify, retrieve
from agents.models import Identification, Resolution
from agents.understand.requirements import Constraints, NamedPart, PowerSource, Requirements
from circuit.requirement_gate import BASIC_DEVICES
from knowledge.library import Library


def _kind(key: str, library: Library) -> str:
    """Retrieval picks a part number for a word like 'transistor'; identify does not say which words were a
    part number, so a basic device is required by its kind (the record of that kind without a part number)."""
    rec = library.get(key)
    if rec is None or rec.spice.kind not in BASIC_DEVICES or not any(ch.isdigit() for ch in key):
        return key
    kinds = sorted((r.key for r in library if r.category == rec.category and r.spice.kind == rec.spice.kind
                    and not any(ch.isdigit() for ch in r.key)), key=len)
    return kinds[0] if kinds else key


def from_identification(ident: Identification, res: Resolution | None, library: Library) -> Requirements:
    needs = res.needs if res is not None and res.needs else ident.needs
    named: dict[str, NamedPart] = {}
    board: str | None = None
    source: PowerSource | None = None
    for n in needs:
        if not n.explicit or not n.key or n.key not in library:
            continue
        rec = library.get(n.key)
        if rec.is_mcu:
            board = board or n.key
            continue
        if n.role == "supply" and source is None:
            source = PowerSource(key=n.key, words=n.phrase)
            continue
        key = _kind(n.key, library)
        if key in named:
            named[key].count = min(1024, named[key].count + n.qty)
        else:
            named[key] = NamedPart(key=key, count=n.qty, words=n.phrase)
    return Requirements(named_parts=list(named.values()),
                        constraints=Constraints(board=board, source=source))


def requirements_of(state: dict, library: Library) -> Requirements:
    """The turn's requirements: understanding's when present, else derived from identify/retrieve.
    An edit turn changes the identification, not the first turn's requirements, so it reads the edited one."""
    if state.get("requirements") and state.get("mode") != "edit":
        return Requirements.model_validate(state["requirements"])
    ident = Identification.model_validate(state.get("ident") or {})
    res = Resolution.model_validate(state["resolution"]) if state.get("resolution") else None
    return from_identification(ident, res, library)


def requirements_for_request(text: str, library: Library) -> Requirements:
    """Understand a request offline (the rules), for checking an existing file against it."""
    ident = identify.make(None).run(text, library)
    res = retrieve.make(None).run(ident, library, {})
    return from_identification(ident, res, library)


def saved_with_design(state: dict, library: Library) -> dict:
    """What a design's circuit.json keeps of its request, so `check` can test the file against it later."""
    out: dict = {"request": state.get("request") or ""}
    try:
        out["requirements"] = requirements_of(state, library).model_dump(exclude_defaults=True)
    except ValueError:  # unreadable requirements are not saved; `check` then reads the request again
        pass
    return out


def saved_requirements(doc: dict) -> Requirements | None:
    """The requirements a circuit.json carries (written by a design), if any."""
    if isinstance(doc.get("requirements"), dict):
        return Requirements.model_validate(doc["requirements"])
    return None


__all__ = ["from_identification", "requirements_for_request", "requirements_of", "saved_requirements",
           "saved_with_design"]
