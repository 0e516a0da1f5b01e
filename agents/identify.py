"""Identify: the parts a request needs, including the ones a beginner forgets, with quantities.

One interface — ``run(request, library) -> Identification`` — and two implementations:

- :class:`RulesIdentify` reads the request's words against the library (names, aliases, part
  numbers, what parts do) and works out companions from the records (see
  :mod:`agents.rules.identify_rules`).
- :class:`LLMIdentify` asks the model (prompt ``prompts/identify.txt``) for the same structure,
  then the rules repair it: keys the library does not have are dropped to their phrase (retrieve
  resolves or flags them), parts the request names that the model missed are added back, and
  companions are recomputed from the records.
"""

from __future__ import annotations

from agents.models import Identification, Need
from agents.rules.needs import identification_from
from agents.understand.requirements import Requirements
from agents.understand.rules import understand_rules
from knowledge.library import Library

NAME = "identify"


class RulesIdentify:
    backend = "rules"

    def run(self, request: str, library: Library, req: Requirements | None = None) -> Identification:
        req = req if req is not None else understand_rules(request, library)
        return identification_from(req, library)


class LLMIdentify:
    backend = "llm"

    def __init__(self, client):
        self.client = client

    def run(self, request: str, library: Library, req: Requirements | None = None) -> Identification:
        from agents.llm import data_block
        from prompts import load

        req = req if req is not None else understand_rules(request, library)
        rules = identification_from(req, library)
        hints = sorted({n.key for n in rules.needs if n.key})
        catalog = catalog_lines(library, request, hints + ([rules.board] if rules.board else []))
        messages = [
            {"role": "system", "content": load("identify")},
            {"role": "user", "content": "\n\n".join([
                data_block("request", request),
                data_block("library", catalog),
                data_block("likely_parts", ", ".join(hints)),
            ])},
        ]
        ident = self.client.structured(NAME, messages, Identification)
        return repair_identification(ident, rules, library, request)


CATALOG_MAX = 60  # lines: a whole library of hundreds of parts does not fit a small model's context


def catalog_lines(library: Library, request: str = "", hints: list[str] | tuple = ()) -> str:
    """The parts the model may choose from: the whole library when it is small, else the parts the rules
    found, the closest matches to the request (the retriever) and the controller boards, at most
    ``CATALOG_MAX`` lines in library order."""
    if len(library) <= CATALOG_MAX:
        keys = set(library.keys())
    else:
        from agents.rules.part_search import search_words, semantic

        want = [k for k in hints if k in library]
        found = semantic(request, k=CATALOG_MAX // 2) if request else None
        want += [k for k, _ in (found[1] if found else [])]
        want += [h.key for h in search_words(library, request, k=CATALOG_MAX // 4)] if request else []
        want += [r.key for r in library if r.is_mcu]
        keys = set(list(dict.fromkeys(k for k in want if k in library))[:CATALOG_MAX])
    return "\n".join(f"{r.key}: {r.name} ({r.category})" for r in library if r.key in keys)


def repair_identification(llm: Identification, rules: Identification, library: Library,
                          request: str = "") -> Identification:
    """Keep what the model understood, fix what it got wrong, using the rules' reading."""
    from agents.rules.companions import companions
    from agents.rules.text import tokens

    asked = {t for t in tokens(request) if len(t) > 2}

    out = Identification(
        topologies=list(dict.fromkeys(llm.topologies + rules.topologies)),
        supply_volts=llm.supply_volts or rules.supply_volts,
        load_volts=llm.load_volts or rules.load_volts,
        numbers={**rules.numbers, **llm.numbers},
        notes=list(dict.fromkeys(rules.notes + [n for n in llm.notes if not n.startswith("option:")])),
    )
    needs: list[Need] = []
    for n in llm.needs:
        if n.role == "companion":
            continue  # the rules recompute companions from the records
        if n.key is not None and n.key not in library:
            n = n.model_copy(update={"key": None, "why": (n.why + " (the model named a part the library lacks)").strip()})
        if n.key is None and n.explicit and asked and not asked & {t for t in tokens(n.phrase) if len(t) > 2}:
            # a part the request never names is the model's idea: kept only if the library has it
            n = n.model_copy(update={"explicit": False, "why": (n.why + " (not named in the request)").strip()})
        needs.append(n)
    have = {n.key for n in needs if n.key}
    for n in rules.needs:
        if n.role == "companion":
            continue
        if n.key and n.key not in have and (n.explicit or n.role in ("controller", "supply")):
            needs.append(n)
            have.add(n.key)
        if n.key is None and n.explicit and not any(m.phrase == n.phrase for m in needs):
            needs.append(n)
    board = llm.board if llm.board in library and library[llm.board].is_mcu else rules.board
    if board and board not in have:
        needs.insert(0, Need(phrase="controller board", key=board, role="controller", explicit=False))
    out.needs = needs
    out.board = board
    out.needs = out.needs + companions(library, out)
    return out


def make(client=None):
    return LLMIdentify(client) if client is not None else RulesIdentify()
