"""LLM help for what the rules could not settle, held to the text: every answer must quote the
datasheet literally, and the quote must state the number.

For each parameter the rules left missing, the model sees only a focused snippet (the lines of
the parsed pages that mention the parameter's names or symbols), never the whole document. The
evidence check then rejects any answer whose quote is not in the source text, whose number is not
in the quote, or whose unit does not fit the parameter; a rejected answer is recorded, never used.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from agents.llm import LLMError, data_block
from knowledge.datasheet.catalog import ParamSpec
from knowledge.datasheet.model import ParamValue
from knowledge.datasheet.normalize import clean_text, parse_conditions, parse_number, parse_unit
from knowledge.datasheet.retrieval import PLAUSIBLE
from prompts import load

__all__ = ["LLMAnswer", "snippet_for", "check_evidence", "fill_missing", "AGENT"]

AGENT = "extract"
MAX_SNIPPET = 1800


class LLMAnswer(BaseModel):
    found: bool = Field(description="True only if the snippet states this parameter for the part")
    value: float | None = Field(default=None, description="The number exactly as printed, in the printed unit")
    unit: str = Field(default="", description="The unit exactly as printed next to the number (mΩ, µA, V/µs, pF)")
    kind: Literal["rating", "min", "typ", "max"] | None = None
    conditions: str = Field(default="", description="Test conditions as printed, if any")
    quote: str = Field(default="", description="The exact text from the snippet that states the value (copy, do not paraphrase)")


def _norm(text: str) -> str:
    t = clean_text(text).lower().replace("^", "")
    return re.sub(r"\s+", "", t)


def snippet_for(spec: ParamSpec, pages: list[tuple[int, list[str]]]) -> tuple[str, int]:
    """Lines mentioning the parameter (by name or symbol) with one line of context, and the page."""
    pats = [re.compile(p, re.I) for p in spec.names] + [re.compile(rf"\b(?:{p})\b", re.I) for p in spec.symbols[:3]]
    pats += [re.compile(p, re.I) for p in spec.text_patterns]
    best: tuple[str, int] = ("", 0)
    for number, lines in pages:
        keep: list[int] = []
        for i, ln in enumerate(lines):
            if any(p.search(ln) for p in pats):
                keep += [i - 1, i, i + 1]
        if not keep:
            continue
        idx = sorted({k for k in keep if 0 <= k < len(lines)})
        text = "\n".join(lines[k] for k in idx)[:MAX_SNIPPET]
        if len(text) > len(best[0]):
            best = (text, number)
    return best


def check_evidence(answer: LLMAnswer, spec: ParamSpec, source_text: str) -> tuple[float, str] | str:
    """(SI value, unit) when the answer is backed by the text, else the reason it is rejected."""
    if not answer.found or answer.value is None:
        return "not found"
    quote = answer.quote.strip()
    if len(quote) < 3:
        return "no quote"
    if _norm(quote) not in _norm(source_text):
        return "the quote is not in the datasheet text"
    # the number must be printed in the quote
    nums = []
    for tok in re.findall(r"[±+\-]?\d+(?:[.,]\d+)?", clean_text(quote)):
        n = parse_number(tok.replace(",", "."))
        if n is not None:
            nums.append(abs(n[0]))
    if not any(abs(abs(answer.value) - n) <= 1e-9 * max(1.0, n) for n in nums):
        return f"the quote does not print {answer.value:g}"
    unit = answer.unit.strip()
    if spec.unit == "1" and not unit:
        mult, canon = 1.0, "1"
    else:
        pu = parse_unit(unit, expect=spec.unit) if unit else None
        if pu is None:
            return f"unit {unit!r} is not one of {', '.join(spec.units)}"
        mult, canon = pu
    if canon not in spec.units:
        return f"unit {unit!r} is not one of {', '.join(spec.units)}"
    if unit and _norm(unit) not in _norm(quote):
        return f"the unit {unit!r} is not in the quote"
    value = answer.value * mult
    lo, hi = PLAUSIBLE.get(canon, (0.0, float("inf")))
    if not lo <= abs(value) <= hi:
        return f"{value:g} {canon} is not plausible"
    return value, canon


def _messages(spec: ParamSpec, part: str, device_class: str, snippet: str) -> list[dict]:
    ask = (
        f"Part: {part}. Device class: {device_class}. Parameter: {spec.name} "
        f"({', '.join(spec.names[:2]) or spec.name}), expected unit {spec.unit}"
        + (", an absolute maximum rating" if spec.rating else "")
        + ". Answer from the snippet only."
    )
    return [
        {"role": "system", "content": load("extract")},
        {"role": "user", "content": ask + "\n\n" + data_block("snippet", snippet)},
    ]


def fill_missing(missing: list[ParamSpec], pages: list[tuple[int, list[str]]], part: str, device_class: str,
                 client, max_params: int = 10) -> tuple[list[ParamValue], list[str]]:
    """Ask the model about each missing parameter that the text mentions; keep only answers that
    pass the evidence check. Returns (values, log lines)."""
    out: list[ParamValue] = []
    log: list[str] = []
    for spec in missing[:max_params]:
        snippet, page = snippet_for(spec, pages)
        if not snippet:
            continue  # nothing in the text: no question, no tokens, no guess
        try:
            ans = client.structured(AGENT, _messages(spec, part, device_class, snippet), LLMAnswer)
        except LLMError as e:
            log.append(f"{spec.name}: LLM failed ({e}); left missing")
            continue
        full = "\n".join(t for n, lines in pages if n == page for t in lines)
        checked = check_evidence(ans, spec, full)
        if isinstance(checked, str):
            if checked != "not found":
                log.append(f"{spec.name}: LLM answer rejected ({checked})")
            continue
        value, unit = checked
        kind = "rating" if spec.rating else (ans.kind if ans.kind in ("min", "typ", "max") else spec.default_kind)
        out.append(ParamValue(name=spec.name, kind=kind, value=value, unit=unit, conditions=parse_conditions(ans.conditions),
                              conditions_text=clean_text(ans.conditions)[:200], page=page, source=clean_text(ans.quote)[:300],
                              method="llm", section="llm"))
        log.append(f"{spec.name}: {value:g} {unit} from the LLM, quote checked on page {page}")
    return out, log
