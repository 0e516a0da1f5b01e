"""Retrieve: canonical library parts for every need, and the ones the library does not hold.

Every key is checked against the library (an LLM may invent one). A need with no key is searched
with the semantic retriever (``knowledge.retrieval.Retriever``, hybrid and calibrated for
out-of-library requests) or, without it, by the words of the records. A part the request names
that nothing matches becomes an :class:`OutOfLibrary` item carrying the best near-misses, so the
pipeline can ask the user to choose.

LLM variant: for each out-of-library phrase the model may pick one of the near-misses when it is
plainly the same part by another name; it can only choose among the candidates offered.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from agents.llm import data_block
from agents.models import Identification, Need, OutOfLibrary, Resolution
from agents.rules.part_search import best_word_match, search_words, semantic
from agents.understand.needs import FREE, MARGIN
from knowledge.capabilities import capability_index
from knowledge.library import Library
from prompts import load

NAME = "retrieve"


def near_misses(library: Library, phrase: str, k: int = 3) -> list[dict]:
    """The library parts closest to a phrase the library lacks, of the same kind: when the phrase asks for
    a capability by meaning (as understanding reads needs), only parts that provide it are offered, so a
    thermocouple amplifier is offered thermocouple and temperature parts, not a look-alike part number."""
    sem = semantic(phrase, k=4 * k)
    cands: list[dict] = []
    if sem is not None:
        for key, score in sem[1]:
            if key in library:
                cands.append({"key": key, "score": round(score, 3), "name": library[key].name})
    if not cands:
        for h in search_words(library, phrase, k=4 * k):
            cands.append({"key": h.key, "score": round(min(h.score / 10, 1.0), 3), "name": library[h.key].name})
    wanted = _wanted_capabilities(library, phrase) if sem is not None else set()
    same = [c for c in cands if wanted & {p.capability for p in library[c["key"]].provides}]
    return (same or cands)[:k]


def _wanted_capabilities(library: Library, phrase: str) -> set[str]:
    """The capabilities a phrase asks for, by meaning: the best one when it is a need (FREE), and those
    within MARGIN of it."""
    hits = capability_index(library).rank([phrase])[0]
    if not hits or hits[0].score < FREE:
        return set()
    return {h.capability for h in hits if h.score >= hits[0].score - MARGIN}


class RulesRetrieve:
    backend = "rules"

    def run(self, ident: Identification, library: Library, choices: dict[str, str | None] | None = None) -> Resolution:
        choices = choices or {}
        res = Resolution()
        for n in ident.needs:
            if n.key is not None and n.key in library:
                res.needs.append(n)
                continue
            if n.phrase in choices:
                chosen = choices[n.phrase]
                if chosen and chosen in library:
                    res.needs.append(n.model_copy(update={"key": chosen, "why": (n.why + " (your choice)").strip()}))
                continue  # skipped by the user
            key = self.resolve(n, library)
            if key is not None:
                res.needs.append(n.model_copy(update={"key": key}))
            elif n.explicit:
                res.ood.append(OutOfLibrary(phrase=n.phrase, qty=n.qty, near_misses=near_misses(library, n.phrase)))
        return res

    @staticmethod
    def resolve(n: Need, library: Library) -> str | None:
        sem = semantic(n.phrase)
        if sem is not None:
            ood, matches = sem
            if not ood and matches and matches[0][0] in library:
                return matches[0][0]
            return None
        return best_word_match(library, n.phrase)


class _Pick(BaseModel):
    phrase: str
    key: str | None = Field(default=None, description="One of the offered candidate keys, or null when none is the same part")


class _Picks(BaseModel):
    picks: list[_Pick] = Field(default_factory=list)


class LLMRetrieve(RulesRetrieve):
    backend = "llm"

    def __init__(self, client):
        self.client = client

    def run(self, ident: Identification, library: Library, choices: dict[str, str | None] | None = None) -> Resolution:
        res = super().run(ident, library, choices)
        if not res.ood:
            return res
        offered = {o.phrase: [m["key"] for m in o.near_misses] for o in res.ood}
        text = "\n".join(f"{o.phrase}: " + ", ".join(f"{m['key']} ({m['name']})" for m in o.near_misses) for o in res.ood)
        messages = [{"role": "system", "content": load("retrieve")},
                    {"role": "user", "content": data_block("candidates", text)}]
        picks = self.client.structured(NAME, messages, _Picks)
        keep = []
        for o in res.ood:
            pick = next((p for p in picks.picks if p.phrase == o.phrase), None)
            if pick and pick.key in offered.get(o.phrase, []) and pick.key in library:
                res.needs.append(Need(phrase=o.phrase, key=pick.key, qty=o.qty, explicit=True,
                                      why="the model matched it to a library part by another name"))
            else:
                keep.append(o)
        res.ood = keep
        return res


def make(client=None):
    return LLMRetrieve(client) if client is not None else RulesRetrieve()
