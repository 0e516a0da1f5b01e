"""LLM understanding: the request's words -> :class:`Requirements` on the model, repaired by the rules.

The prompt (``prompts/understand.txt``) carries the request as data, the library parts retrieval
offers for it (the parts the rules read, their near misses, the records the request's words and
needs point at, the boards) and those parts' capability slugs, not the whole catalogue: about
1.5k tokens instead of the 5k of a catalogue prompt. The model answers in the Requirements schema
(validated by pydantic in :meth:`agents.llm.LLMClient.structured`); :func:`repair_requirements`
then checks it against the library and the rules' reading.
"""

from __future__ import annotations

from agents.llm import data_block
from agents.rules.part_search import search_words, semantic, semantic_enabled
from agents.rules.text import normalize
from agents.understand.repair import repair_requirements
from agents.understand.requirements import Requirements
from agents.understand.rules import understand_rules
from knowledge.capabilities import capability_index, entries, providers
from knowledge.library import Library
from prompts import load

NAME = "identify"  # the pipeline stage that reads the request: its LLM settings and accounting go by this name
MAX_CANDIDATES = 30


def candidates(request: str, library: Library, rules: Requirements) -> list[str]:
    """Library keys worth showing the model for this request, most relevant first."""
    keys: list[str] = [p.key for p in rules.named_parts]
    if rules.constraints.source is not None and rules.constraints.source.key:
        keys.append(rules.constraints.source.key)
    keys += [m.get("key") for u in rules.unknown for m in u.near_misses if isinstance(m.get("key"), str)]
    for need in rules.needs:
        keys += providers(library, need.capability)[:2]
    keys += [h.key for h in search_words(library, normalize(request), k=10)]
    sem = semantic(request, k=8)
    if sem is not None:
        keys += [k for k, _ in sem[1]]
    keys += [r.key for r in library if r.is_mcu]  # a board may be named or needed
    out = [k for k in dict.fromkeys(keys) if k in library]
    return out[:MAX_CANDIDATES]


def candidate_lines(keys: list[str], library: Library) -> str:
    return "\n".join(f"{k}: {library[k].name} ({library[k].category})" for k in keys)


def capability_list(library: Library, keys: list[str] | None = None, rules: Requirements | None = None) -> str:
    """The capability slugs the model may name: those of the candidate parts ``keys`` and of the rules' needs
    (every record's, without ``keys``). The whole list grows with the library (154 slugs, about 600 tokens at
    441 records) and pushed a small model's prompt past its 2k context; a need outside the candidates' slugs
    is the rules' to add in the repair."""
    if keys is None:
        return ", ".join(sorted({e.capability for e in entries(library)}))
    slugs = {c.capability for k in keys for c in library[k].provides}
    slugs |= {n.capability for n in (rules.needs if rules is not None else [])}
    return ", ".join(sorted(slugs))


def messages(request: str, library: Library, rules: Requirements) -> list[dict]:
    keys = candidates(request, library, rules)
    return [
        {"role": "system", "content": load("understand")},
        {"role": "user", "content": "\n\n".join([
            data_block("request", request),
            data_block("candidates", candidate_lines(keys, library)),
            data_block("capabilities", capability_list(library, keys, rules)),
        ])},
    ]


class LLMUnderstand:
    backend = "llm"

    def __init__(self, client):
        self.client = client

    def run(self, request: str, library: Library) -> Requirements:
        rules = understand_rules(request, library)
        answer = self.client.structured(NAME, messages(request, library, rules), Requirements)
        index = None
        try:
            index = capability_index(library) if semantic_enabled() else None
        except Exception:  # no embedding model here: capability slugs are checked by name only
            index = None
        return repair_requirements(answer, rules, library, request, index)
