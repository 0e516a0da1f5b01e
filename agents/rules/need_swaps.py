"""The repair loop's answer to a rating the design misses: plan again with the part the gate suggests.

The requirement gate (:mod:`circuit.rating_gate`) fails a design whose part is not rated for a quantity the
request states, and names a library part of the same job that is: ``replace_part(U2, drv8871)``. A part
swapped by hand in the circuit would keep the old part's wiring, and two parts that do one job rarely share
pins (an L298N's enable inputs, a DRV8871's two inputs), so the swap is made where the part was chosen, in
the needs the planner lays out, and the planner wires the new part from its own record.

- only the gate's rating findings (rules ``REQ-RATING-...``) are swapped here;
- a part the request names by its part number is kept as named (the refusal stands); one it names by its
  kind alone ("an LED") may become another record of that kind (:func:`circuit.requirement_gate.family`);
- each swap is made once a turn (``tried``), so the bounded loop cannot swap back and forth.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.models import Need
from circuit.fix_error import FixError
from circuit.fixes import parse_hint
from circuit.requirement_gate import family
from knowledge.library import Library

__all__ = ["Swap", "rating_swaps", "swap_needs", "swaps_made"]

RATING_RULES = "REQ-RATING-"


@dataclass(frozen=True)
class Swap:
    pid: str
    old: str
    new: str
    rule: str

    @property
    def tag(self) -> str:
        return f"{self.old}->{self.new}"


def rating_swaps(findings: list[dict], circuit: dict, library: Library) -> list[Swap]:
    """The ``replace_part(PART, KEY)`` hints of the blocking rating findings, read against the circuit (the
    part's library key) and the library (the key must exist and differ)."""
    types = {p.get("id"): p.get("type") for p in (circuit or {}).get("parts", [])}
    out: list[Swap] = []
    for f in findings:
        if not str(f.get("rule", "")).startswith(RATING_RULES) or not f.get("fix"):
            continue
        try:
            name, args = parse_hint(f["fix"])
        except FixError:
            continue
        if name != "replace_part" or len(args) != 2:
            continue
        old, new = types.get(args[0]), args[1]
        if old and new in library and new != old:
            swap = Swap(args[0], old, new, f["rule"])
            if swap not in out:
                out.append(swap)
    return out


def swaps_made(tried: list[str]) -> list[Swap]:
    """The swaps already made this turn (their ``old->new`` tags), to make again in needs identified anew."""
    out = []
    for tag in tried:
        old, sep, new = tag.partition("->")
        if sep and old and new:
            out.append(Swap("", old, new, "earlier this turn"))
    return out


def swap_needs(needs: list[Need], swaps: list[Swap], library: Library, tried: list[str]) -> tuple[list[Need], list[str]]:
    """The needs with each swap made where the planner chose the part (a need of the old key), and what was done.
    A need the request named by part number stays; a swap already tried this turn is not made again."""
    out = [n.model_copy(deep=True) for n in needs]
    done: list[str] = []
    for s in swaps:
        if s.tag in tried:
            continue
        hits = [n for n in out if n.key == s.old]
        if not hits or any(n.explicit and s.new not in family(s.old, library, n.phrase) for n in hits):
            continue
        there = next((n for n in out if n.key == s.new), None)
        for n in hits:
            if there is not None:  # the suggested part is already needed: it does this job too
                there.qty = max(there.qty, n.qty)
                there.explicit = there.explicit or n.explicit
                out.remove(n)
            else:
                n.key = s.new
                n.why = (n.why + "; " if n.why else "") + f"{s.old} is not rated for what the request states ({s.rule})"
        done.append(f"{s.rule}: planned again with {s.new} in place of {s.old} ({s.pid})")
        tried.append(s.tag)
    return out, done
