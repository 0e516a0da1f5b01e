"""Deterministic extraction: PDF -> device class, target part, and parameter values with provenance.

The pipeline is ingest (text of every page) -> focus (device class, target part, pages worth
reading in detail) -> tables (row model) -> retrieval per canonical parameter -> values. Values
that only appear in running text (a features list: "Wide bandwidth (unity gain): 1 MHz", a
summary box "VDSS = 100 V") are read from text lines as a last resort. What the rules could not
find is returned as ``missing`` so an LLM pass (agents.extract) can try, with evidence checks.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.datasheet.catalog import ParamSpec, classify_device, specs_for
from knowledge.datasheet.focus import infer_part, part_score, expand_parts
from knowledge.datasheet.ingest import DETAIL_PAGES, Document, load_geometry, read_document
from knowledge.datasheet.model import Extraction, ParamValue
from knowledge.datasheet.normalize import clean_text, parse_conditions, parse_quantity, parse_unit
from knowledge.datasheet.retrieval import PLAUSIBLE, Focus, find_rows
from knowledge.datasheet.tables import Table, find_tables, section_of

__all__ = ["extract_datasheet", "RuleResult", "rule_extract", "select_pages"]


@dataclass
class RuleResult:
    extraction: Extraction
    doc: Document
    tables: list[Table]
    missing: list[ParamSpec] = field(default_factory=list)
    focus: Focus = field(default_factory=Focus)


_SECTION_WORDS = [
    (re.compile(r"absolute\s*maximum|maximum\s*ratings|limiting\s*values|absolute\s*ratings", re.I), 4.0),
    (re.compile(r"electrical\s*characteristics|electrical\s*specifications|\bspecifications\b", re.I), 4.0),
    (re.compile(r"recommended\s*operating", re.I), 2.0),
    (re.compile(r"\bmin\.?\b", re.I), 0.0),
]
_LOW_VALUE = re.compile(r"typical\s*(performance\s*)?characteristics|package\s*(outline|dimensions|information)|ordering\s*information|revision\s*history|tape\s*and\s*reel|land\s*pattern|important\s*notice", re.I)


def select_pages(doc: Document, device_class: str, target: str | None, limit: int = DETAIL_PAGES) -> list[int]:
    """The pages worth parsing with geometry: the front page and the best table pages."""
    specs = specs_for(device_class)
    sym_res = [re.compile(p, re.I) for s in specs for p in s.names[:2]]
    scored = []
    first = next((p.number for p in doc.pages if not p.cover and p.text.strip()), 1)
    long_doc = doc.n_pages > 12
    for p in doc.pages:
        if p.cover or not p.text.strip():
            continue
        t = p.text
        s = 0.0
        for rx, w in _SECTION_WORDS:
            if w and rx.search(t):
                s += w
        kinds = len(re.findall(r"\b(min|typ|max)\b\.?", t, re.I))
        s += min(kinds, 12) * 0.25
        s += sum(1 for rx in sym_res if rx.search(t)) * 0.6
        if _LOW_VALUE.search(t[:400]):
            s -= 3
        if long_doc and target:
            up = t.upper()
            exact = re.search(rf"(?<![A-Z0-9]){re.escape(target.upper())}(?![A-Z0-9])", up)
            if exact and re.search(r"characteristics|specifications", t, re.I):
                s += 4
        scored.append((s, p.number))
    scored.sort(key=lambda x: (-x[0], x[1]))
    chosen = [first]
    for s, n in scored:
        if len(chosen) >= limit:
            break
        if s >= 3.0 and n not in chosen:
            chosen.append(n)
    return sorted(chosen)


def _polarity(doc: Document, tables: list[Table], target: str | None, device_class: str) -> str | None:
    # the polarity printed over the target's column (BD135/BD139 under NPN)
    for t in tables:
        for c in t.columns:
            if c.polarity and c.variant and target and max((part_score(target, p) for p in expand_parts(c.variant)), default=0) >= 2:
                return c.polarity
    head = " ".join(p.text for p in doc.pages[:2] if not p.cover)
    if device_class == "bjt":
        npn, pnp = len(re.findall(r"\bNPN\b", head)), len(re.findall(r"\bPNP\b", head))
        if npn and not pnp:
            return "NPN"
        if pnp and not npn:
            return "PNP"
    if device_class == "mosfet":
        n = len(re.findall(r"N-?\s?Channel", head, re.I))
        p = len(re.findall(r"P-?\s?Channel", head, re.I))
        if p and not n:
            return "P"
        if n and not p:
            return "N"
    return None


def _prev_tail(doc: Document, number: int) -> str:
    """Test conditions printed at the end of the previous page ("Refer to the test circuits,
    TJ = 25 °C ... unless otherwise specified") belong to the table that opens this page."""
    prev = doc.page(number - 1)
    if prev is None:
        return ""
    lines = [ln.strip() for ln in prev.text.splitlines() if ln.strip()]
    tail = " ".join(lines[-8:])
    m = re.search(r"([^.]*unless\s+otherwise[^.]*\.?)", tail, re.I)
    return clean_text(m.group(1)) if m else ""


def _values_to_params(spec: ParamSpec, hit, section: str) -> list[ParamValue]:
    out = []
    for kind, value, unit, printed in hit.values:
        out.append(
            ParamValue(
                name=spec.name,
                kind=kind,
                value=float(value),
                unit=unit,
                conditions={k: v for k, v in hit.conditions.items()},
                conditions_text=hit.conditions_text,
                page=hit.row.page,
                source=clean_text(hit.row.text)[:300],
                method="table",
                section=section,
            )
        )
    return out


def _text_fallback(spec: ParamSpec, doc: Document) -> list[ParamValue]:
    """A value in running text: features lists and summary boxes on the front pages."""
    pats = [re.compile(p, re.I) for p in (spec.text_patterns or [])]
    if not pats:
        return []
    for page in doc.pages[:3]:
        if page.cover or not page.lines:
            continue
        for ln in page.lines:
            text = clean_text(ln.text)
            for rx in pats:
                m = rx.search(text)
                if not m:
                    continue
                tail = text[m.start():m.start() + 90]
                for qm in re.finditer(r"(?<![\w.])([<>≤≥]?\s*[±]?\d+(?:\.\d+)?)\s*([a-zA-ZµΩ/%°]+)", tail):
                    q = parse_quantity(qm.group(1) + qm.group(2), expect=spec.unit)
                    if q is None or q.unit not in spec.units:
                        continue
                    lo, hi = PLAUSIBLE.get(q.unit, (0, float("inf")))
                    if not lo <= abs(q.value) <= hi:
                        continue
                    kind = "rating" if spec.rating else ("max" if q.bound in ("<", "≤") else spec.default_kind)
                    if spec.name == "VS":
                        continue
                    return [
                        ParamValue(
                            name=spec.name, kind=kind, value=abs(q.value) if spec.magnitude_only else q.value, unit=q.unit,
                            conditions=parse_conditions(tail), conditions_text="", page=page.number,
                            source=text[:300], method="text", section="summary",
                        )
                    ]
    return []


def rule_extract(path: str | Path, part: str | None = None) -> RuleResult:
    t0 = time.perf_counter()
    path = Path(path)
    doc = read_document(path)
    front = [p.text for p in doc.pages if not p.cover][:4]
    device_class, scores = classify_device("\n".join(front[:3]))
    target = part or infer_part(front, path.name)
    pages = select_pages(doc, device_class, target)
    load_geometry(doc, pages)
    tables: list[Table] = []
    for n in pages:
        pg = doc.pages[n - 1]
        tables += find_tables(pg.lines or [], n, prev_tail=_prev_tail(doc, n))
    focus = Focus(target=target, polarity=_polarity(doc, tables, target, device_class), device_class=device_class)
    params: list[ParamValue] = []
    missing: list[ParamSpec] = []
    for spec in specs_for(device_class):
        hits = find_rows(spec, tables, focus)
        if hits:
            best = hits[0]
            params += _values_to_params(spec, best, best.row.table.section)
            continue
        found = _text_fallback(spec, doc)
        if found:
            params += found
        else:
            missing.append(spec)
    ex = Extraction(
        file=path.name,
        part=target,
        device_class=device_class,
        class_scores={k: round(v, 2) for k, v in scores.items()},
        pages=doc.n_pages,
        pages_read=pages,
        params=params,
        warnings=list(doc.warnings),
        seconds=0.0,
    )
    ex.seconds = round(time.perf_counter() - t0, 3)
    return RuleResult(ex, doc, tables, missing, focus)


def extract_datasheet(path: str | Path, part: str | None = None) -> Extraction:
    """Rules only: the extraction of one datasheet (raises DatasheetError for unreadable files)."""
    return rule_extract(path, part).extraction
