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

__all__ = ["extract_datasheet", "RuleResult", "rule_extract", "select_pages", "family_members"]


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
_LOW_VALUE = re.compile(r"list\s*of\s*(tables|figures)|table\s*of\s*contents|typical\s+(\w+\s+){0,4}(characteristics|curves)|typical\s+performance|package\s*(outline|dimensions|information)|ordering\s*information|revision\s*history|tape\s*and\s*reel|land\s*pattern|important\s*notice", re.I)


def select_pages(doc: Document, device_class: str, target: str | None, limit: int = DETAIL_PAGES) -> list[int]:
    """The pages worth parsing with geometry: the front page, the best absolute-maximum page, the
    best electrical-characteristics pages (for a family sheet, the ones naming the target part),
    and the recommended operating conditions."""
    specs = specs_for(device_class)
    name_res = [re.compile(p, re.I) for s in specs for p in s.names[:2]]
    first = next((p.number for p in doc.pages if not p.cover and p.text.strip()), 1)
    long_doc = doc.n_pages > 12
    exact = re.compile(rf"(?<![A-Z0-9]){re.escape(target.upper())}(?![A-Z0-9])") if target else None
    best: dict[str, list[tuple[float, int]]] = {"ratings": [], "characteristics": [], "recommended": []}
    for p in doc.pages:
        if p.cover or not p.text.strip() or p.number == first:
            continue
        t = p.text
        kinds = len(re.findall(r"\b(min|typ|max)\b\.?", t, re.I))
        vocab = sum(1 for rx in name_res if rx.search(t))
        base = min(kinds, 12) * 0.25 + vocab * 0.6
        if _LOW_VALUE.search(t[:400]):
            base -= 3
        bonus = 3 if long_doc and exact is not None and exact.search(t.upper()) else 0
        if re.search(r"absolute\s*maximum|maximum\s*ratings|limiting\s*values|absolute\s*ratings", t, re.I):
            best["ratings"].append((base + 4, p.number))
        if re.search(r"electrical\s*characteristics|electrical\s*specifications|\bspecifications\b|\bcharacteristics\b", t, re.I) and kinds >= 2:
            best["characteristics"].append((base + 4 + bonus, p.number))
        if re.search(r"recommended\s*operating", t, re.I):
            best["recommended"].append((base + 2, p.number))
    chosen = [first]
    quota = {"ratings": 1, "recommended": 1, "characteristics": max(2, limit - 3)}
    for cat in ("ratings", "characteristics", "recommended"):
        picks = sorted(best[cat], key=lambda x: (-x[0], x[1]))
        n = 0
        for score, num in picks:
            if n >= quota[cat] or len(chosen) >= limit:
                break
            if score < 4.5 and cat == "characteristics" and n >= 1:
                break
            if num not in chosen:
                chosen.append(num)
            n += 1
    # a characteristics table continues on the next page
    for num in list(chosen):
        nxt = num + 1
        if len(chosen) < limit and nxt <= len(doc.pages) and nxt not in chosen and any(n == nxt for _, n in best["characteristics"]):
            if any(n == num for _, n in best["characteristics"]) and not long_doc:
                chosen.append(nxt)
    return sorted(chosen)[:limit]


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


def _tidy(text: str) -> str:
    """Drop unmapped glyphs that are note markers or bullets ("16 A\ufffd\ufffd"); keep those in a
    prefix position ("75 \ufffdA" is 75 µA)."""
    t = re.sub(r"\ufffd(?![A-Za-zΩ])", "", text)
    return re.sub(r"^\W+(?=\w)", "", t).strip()


def _values_to_params(spec: ParamSpec, hit, section: str, sources: dict[int, str] | None = None) -> list[ParamValue]:
    out = []
    for kind, value, unit, printed in hit.values:
        out.append(
            ParamValue(
                name=spec.name,
                kind=kind,
                value=float(value),
                unit=unit,
                conditions={k: v for k, v in hit.conditions.items()},
                conditions_text=_tidy(hit.conditions_text),
                page=hit.row.page,
                source=_tidy(clean_text(hit.row.text))[:300],
                method="table",
                section=section,
                text_source=(sources or {}).get(hit.row.page, "pdf"),
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
                            source=_tidy(text)[:300], method="text", section="summary", text_source=page.source,
                        )
                    ]
    return []


_CURVE_SPECS = {"VF", "hFE", "RDS_on", "VCE_sat", "VBE_sat", "VSD", "IR"}


def _curve_points(spec: ParamSpec, best, others, sources: dict[int, str] | None = None) -> list[ParamValue]:
    """Rows of the same table and label as the headline one, at other test conditions."""
    out: list[ParamValue] = []
    for h in others:
        if h.row.table is not best.row.table or h.key[:3] != best.key[:3] or h.key[4]:
            continue
        if h.conditions == best.conditions:
            continue
        out += _values_to_params(spec, h, h.row.table.section, sources)
        if len(out) >= 12:
            break
    return out


def family_members(tables: list[Table], target: str | None) -> list[str]:
    """The members of a family sheet (part numbers heading value columns) when the inferred
    target is none of them: each member is then a device of its own. Empty when the target is a
    member, a member's stem or stemmed by one, or when the tables have no part columns."""
    members: list[str] = []
    for t in tables:
        for c in t.columns:
            if c.is_value and c.variant:
                for p in expand_parts(c.variant):
                    if p not in members:
                        members.append(p)
    if len(members) < 2:
        return []
    if target and max(part_score(target, m) for m in members) >= 1:
        return []  # the target is a member, or the stem of members (their first column speaks for it)
    return members


def _vout_from_title(tables: list[Table], target: str | None, sources: dict[int, str]) -> list[ParamValue]:
    """A fixed regulator's nominal output voltage printed only in its part name, where a table
    is titled for that part ("AP2210-3.3 Electrical Characteristics" over rows of ±1 % accuracy)."""
    m = re.search(r"-(\d{1,2}(?:\.\d{1,2})?)V?$", target or "")
    if not m:
        return []
    for t in tables:
        where = f"{t.title} {t.default_conditions}"
        if t.section == "characteristics" and re.search(rf"(?<![A-Z0-9]){re.escape(target)}(?![0-9])", where, re.I):
            return [ParamValue(name="VOUT_nom", kind="typ", value=float(m.group(1)), unit="V", page=t.page, source=_tidy(where)[:300],
                               method="text", section="characteristics", text_source=sources.get(t.page, "pdf"),
                               conditions_text="nominal output voltage named by the part number in the table title")]
    return []


@dataclass
class FocusInfo:
    device_class: str
    class_scores: dict[str, float]
    target: str | None
    pages: list[int]
    traits: list[str] = field(default_factory=list)
    given: bool = False  # the part was given (--part), not inferred


_TRAITS = [
    ("schottky", r"schottky"),
    ("zener", r"\bzener\b"),
    ("p-channel", r"p-?\s?channel"),
    ("logic-level", r"logic[- ]level"),
    ("rail-to-rail", r"rail[- ]to[- ]rail"),
    ("adjustable", r"\badjustable\b"),
    ("pnp", r"\bpnp\b"),
    ("npn", r"\bnpn\b"),
]


def focus_document(doc: Document, path: str | Path, part: str | None = None) -> FocusInfo:
    """Focus: device class, target part number, the pages to read in detail, and traits."""
    front = [p.text for p in doc.pages if not p.cover][:4]
    device_class, scores = classify_device("\n".join(front[:3]))
    target = part or infer_part([p.text for p in doc.pages if not p.cover], Path(path).name)
    pages = select_pages(doc, device_class, target)
    head = "\n".join(front[:2]).lower()
    traits = [name for name, rx in _TRAITS if re.search(rx, head)]
    return FocusInfo(device_class, {k: round(v, 2) for k, v in scores.items()}, target, pages, traits, given=bool(part))


def extract_focused(doc: Document, info: FocusInfo, t0: float | None = None) -> RuleResult:
    """Tables of the focused pages, then one retrieval per canonical parameter."""
    t0 = time.perf_counter() if t0 is None else t0
    load_geometry(doc, info.pages)
    tables: list[Table] = []
    for n in info.pages:
        pg = doc.pages[n - 1]
        tables += find_tables(pg.lines or [], n, prev_tail=_prev_tail(doc, n))
    device_class, target = info.device_class, info.target
    focus = Focus(target=target, polarity=_polarity(doc, tables, target, device_class), device_class=device_class)
    params: list[ParamValue] = []
    points: list[ParamValue] = []
    missing: list[ParamSpec] = []
    sources = {p.number: p.source for p in doc.pages}
    for spec in specs_for(device_class):
        hits = find_rows(spec, tables, focus)
        if hits and not (spec.rating and hits[0].key[0] >= 2):
            best = hits[0]
            params += _values_to_params(spec, best, best.row.table.section, sources)
            if spec.name in _CURVE_SPECS:
                points += _curve_points(spec, best, hits[1:], sources)
            continue
        # a rating found only among characteristics (V(BR)DSS for VDSS): a summary box first
        found = _text_fallback(spec, doc)
        if not found and hits:
            params += _values_to_params(spec, hits[0], hits[0].row.table.section, sources)
            continue
        if found:
            params += found
        else:
            missing.append(spec)
    if device_class == "regulator" and not any(p.name == "VOUT_nom" for p in params):
        params += _vout_from_title(tables, target, sources)
        missing = [m for m in missing if m.name != "VOUT_nom" or not any(p.name == "VOUT_nom" for p in params)]
    ex = Extraction(
        file=doc.path.name,
        part=target,
        device_class=device_class,
        class_scores=info.class_scores,
        pages=doc.n_pages,
        pages_read=info.pages,
        params=params,
        points=points,
        traits=info.traits,
        warnings=list(doc.warnings),
    )
    if not info.given:
        ex.members = family_members(tables, target)
    if not params:
        ex.warnings.append("no parameter table was recognised")
    ex.seconds = round(time.perf_counter() - t0, 3)
    return RuleResult(ex, doc, tables, missing, focus)


def rule_extract(path: str | Path, part: str | None = None) -> RuleResult:
    """Rules only: ingest -> focus -> tables -> retrieval (raises DatasheetError for unreadable files)."""
    t0 = time.perf_counter()
    doc = read_document(path)
    return extract_focused(doc, focus_document(doc, path, part), t0)


def extract_datasheet(path: str | Path, part: str | None = None) -> Extraction:
    """Rules only: the extraction of one datasheet (raises DatasheetError for unreadable files)."""
    return rule_extract(path, part).extraction
