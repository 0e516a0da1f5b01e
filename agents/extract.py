"""Extract: datasheet PDF -> normalised parameters with provenance.

One interface, ``run(path, part=None) -> Extraction``, and two implementations:

- :class:`RulesExtract` is the deterministic extractor (:mod:`knowledge.datasheet.extract`):
  table geometry, vendor synonyms, units and conditions, focus on the target part.
- :class:`LLMExtract` runs the rules first and asks the model only about parameters the rules left
  missing, with a focused snippet; an answer must quote the datasheet literally and the quote must
  print the number (:mod:`knowledge.datasheet.llm_fill`), else it is dropped. Tokens are counted.

:func:`make_extract` picks the LLM implementation when ``agents.llm.LLMClient.from_env()`` gives a
client (and ``use_llm`` allows it), the rules otherwise.
"""

from __future__ import annotations

from pathlib import Path

from agents.llm import LLMClient
from knowledge.datasheet.extract import rule_extract
from knowledge.datasheet.llm_fill import fill_missing
from knowledge.datasheet.model import Extraction

__all__ = ["RulesExtract", "LLMExtract", "make_extract", "NAME"]

NAME = "extract"


class RulesExtract:
    backend = "rules"

    def run(self, path: str | Path, part: str | None = None) -> Extraction:
        return rule_extract(path, part).extraction

    def complete(self, result) -> Extraction:
        return result.extraction


class LLMExtract:
    backend = "llm"

    def __init__(self, client, max_params: int = 10):
        self.client = client
        self.max_params = max_params

    def run(self, path: str | Path, part: str | None = None) -> Extraction:
        return self.complete(rule_extract(path, part))

    def complete(self, result) -> Extraction:
        """Ask the model about what the rules left missing (a :class:`RuleResult`)."""
        ex = result.extraction
        path = result.doc.path
        part = ex.part
        if not result.missing:
            return ex
        pages = [(p.number, [ln.text for ln in (p.lines or [])] or p.text.splitlines()) for p in result.doc.pages
                 if p.number in ex.pages_read]
        before = self.client.usage.total_tokens
        found, log = fill_missing(result.missing, pages, ex.part or Path(path).stem, ex.device_class, self.client,
                                  max_params=self.max_params)
        ex.params += found
        ex.llm_tokens = self.client.usage.total_tokens - before
        ex.llm_used = True
        ex.warnings += log
        return ex


def make_extract(use_llm: bool | None = None):
    """The LLM implementation when a client is configured (and ``use_llm`` is not False)."""
    if use_llm is False:
        return RulesExtract()
    client = LLMClient.from_env()
    if client is None:
        return RulesExtract()
    return LLMExtract(client)
