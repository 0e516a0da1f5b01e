"""Follow-ups that edit the current design: "add a buzzer", "use an ESP32 instead", "remove the
LED", "replace the DHT22 with a BME280", "power it from a 9 V battery".

The design's identification (its needs) is edited and planned again, so a board swap re-maps
every pin by capability rather than by name.
"""

from __future__ import annotations

import re

from agents.models import Identification, Need
from agents.rules.identify_rules import identify_rules
from agents.rules.kinds import kind_of
from knowledge.library import Library

REMOVE = re.compile(r"\b(remove|delete|drop|get rid of|take out|take away|without|no longer|don't need|do not need)\b")
REPLACE = re.compile(r"\b(instead|replace|swap|switch to|change (the )?\w+ to|rather than|in place of)\b")
EDIT = re.compile(r"\b(add|also|include|plus|put|attach|connect|hook up|wire (in|up)|use|replace|swap|switch to|"
                  r"remove|delete|drop|change|make it|power it|instead|another|more|extra|without|get rid of|"
                  r"take out)\b")
QUESTION = re.compile(r"^\s*(why|what|which|how|where|when|who|is|are|does|do|can|could|should|explain|tell me)\b|\?\s*$")


def classify(message: str, has_design: bool) -> str:
    """design | edit | question."""
    low = message.lower().strip()
    if not has_design:
        return "design"
    if QUESTION.search(low) and not re.match(r"^\s*(can|could) you (add|use|replace|remove|swap|change|make)", low):
        return "question"
    if EDIT.search(low):
        return "edit"
    return "design"


def _same_slot(lib: Library, old: Need, new_key: str) -> bool:
    a, b = lib[old.key], lib[new_key]
    if a.is_mcu or b.is_mcu:
        return a.is_mcu and b.is_mcu
    if kind_of(a) == kind_of(b) and a.category == b.category:
        return True
    return a.category == b.category and a.category in ("sensor", "display", "communication", "driver")


def apply_edit(message: str, current: Identification, library: Library) -> tuple[Identification, list[str]]:
    """The edited identification and what changed, in words."""
    low = message.lower()
    delta = identify_rules(message, library)
    named = [n for n in delta.needs if n.key and n.role != "companion" and (n.explicit or n.role == "supply")]
    if not named:
        named = [n for n in delta.needs if n.key and n.role != "companion" and not (n.role == "controller" and not n.explicit)]
    base = [n.model_copy(deep=True) for n in current.needs if n.role != "companion"]
    changes: list[str] = []
    if REMOVE.search(low) and not REPLACE.search(low):
        keys = {n.key for n in named}
        before = len(base)
        base = [n for n in base if n.key not in keys]
        if len(base) < before:
            changes.append("removed " + ", ".join(sorted(k for k in keys if k)))
    elif REPLACE.search(low):
        new = [n for n in named]
        # "replace A with B": A is named first and exists in the design; B is the newcomer
        present = [n for n in new if any(b.key == n.key for b in base)]
        incoming = [n for n in new if not any(b.key == n.key for b in base)]
        if present and incoming and re.search(r"\b(replace|swap)\b", low):
            for old in present:
                base = [b for b in base if b.key != old.key]
                changes.append(f"removed {old.key}")
        for n in incoming:
            slot = [b for b in base if b.key and _same_slot(library, b, n.key)]
            if slot:
                for b in slot:
                    changes.append(f"replaced {b.key} with {n.key}")
                    b.key, b.phrase, b.explicit = n.key, n.phrase, True
            else:
                base.append(n.model_copy(update={"explicit": True}))
                changes.append(f"added {n.key}")
    else:
        for n in named:
            if library[n.key].is_mcu and not re.search(r"\b(another|second|two|2)\b", low):
                slot = [b for b in base if b.key and library[b.key].is_mcu]
                if slot:
                    for b in slot:
                        if b.key != n.key:
                            changes.append(f"replaced {b.key} with {n.key}")
                        b.key, b.phrase = n.key, n.phrase
                    continue
            prev = next((b for b in base if b.key == n.key), None)
            if prev is not None and re.search(r"\b(another|more|extra|second)\b", low):
                prev.qty += n.qty
                changes.append(f"now {prev.qty}× {n.key}")
            elif prev is None:
                base.append(n.model_copy(update={"explicit": True}))
                changes.append(f"added {n.qty}× {n.key}" if n.qty > 1 else f"added {n.key}")
    # unresolved phrases of the edit travel on for retrieve to flag
    for n in delta.needs:
        if n.key is None and n.explicit:
            base.append(n)
    out = Identification(
        needs=base,
        topologies=list(dict.fromkeys(current.topologies + delta.topologies)),
        supply_volts=delta.supply_volts or current.supply_volts,
        load_volts=delta.load_volts or current.load_volts,
        numbers={**current.numbers, **delta.numbers},
        notes=list(dict.fromkeys([n for n in current.notes] + [n for n in delta.notes if n.startswith("option:")])),
    )
    boards = [n for n in base if n.key and library[n.key].is_mcu]
    out.board = boards[0].key if boards else None
    from agents.rules.companions import companions
    from agents.rules.board_choice import choose_board

    if out.board is None:
        out.board = choose_board(library, out)
    out.needs = out.needs + companions(library, out)
    if not changes:
        changes.append("no change I could make from that; name a part to add, remove or use instead")
    return out, changes
