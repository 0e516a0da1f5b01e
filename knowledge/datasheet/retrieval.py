"""Hierarchical retrieval: section -> table -> row -> cell, for one canonical parameter.

1. Section: a parameter is looked for in the sections it belongs to (absolute maximum ratings
   for VDS_max, electrical characteristics for RDS_on); other sections are a lower tier.
2. Table: tables titled for another variant, or whose part-number columns do not include the
   target, drop out; the best-matching ones come first.
3. Row: the label (symbol and/or name) must match the vendor vocabulary of the parameter and no
   exclusion (temperature coefficients, pulsed currents...). Among matching rows the headline one
   wins: rows at 25 °C, rows agreeing with the table's default conditions, the parameter's own
   preference (highest VGS for RDS(on), highest IF for VF, the "rated" reverse voltage for IR,
   min and max both given for hFE), then the earliest.
4. Cell: values of the target's columns (a merged cell over several part columns counts for
   each), kinds from the column header, units from the cell, the row, or the nearest unit cell of
   the right dimension.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.datasheet.catalog import ParamSpec
from knowledge.datasheet.focus import best_score, expand_parts, part_score
from knowledge.datasheet.normalize import clean_text, normalize_symbol, parse_conditions, parse_unit
from knowledge.datasheet.tables import Column, Row, Table

__all__ = ["Focus", "Hit", "find_rows", "row_label_strength", "PLAUSIBLE"]

# Plausible magnitudes per unit: a value outside is a misread (a unit lost, a column slipped).
PLAUSIBLE = {
    "V": (1e-4, 5000), "A": (1e-15, 5000), "Ω": (1e-5, 1e6), "F": (1e-15, 1e-3), "C": (1e-13, 1e-3),
    "s": (1e-12, 1e-2), "S": (1e-4, 1e4), "W": (1e-3, 1e4), "Hz": (1e2, 1e12), "V/s": (1e2, 1e11),
    "dB": (10, 200), "V/V": (10, 1e9), "1": (1, 5000), "%": (1e-4, 100), "%/V": (1e-5, 10),
}


@dataclass
class Focus:
    target: str | None = None
    polarity: str | None = None  # NPN / PNP / N / P
    device_class: str = ""


@dataclass
class Hit:
    """A matching row: ``key`` ranks hits (lower is better); ``key[0]`` is the section tier."""

    spec: ParamSpec
    row: Row
    values: list[tuple[str, float, str, str]]  # (kind, SI value, unit, printed cell)
    key: tuple = ()
    conditions: dict = field(default_factory=dict)
    conditions_text: str = ""


def _symbol_candidates(row: Row) -> list[str]:
    cands: list[str] = []
    sym = clean_text(row.symbol)
    if sym:
        cands.append(normalize_symbol(sym))
        toks = sym.split()
        cands += [normalize_symbol(t) for t in toks]
        cands += [normalize_symbol(a + b) for a, b in zip(toks, toks[1:])]
    name_toks = clean_text(row.name).split()
    for toks in (name_toks[:3], name_toks[-2:]):
        cands += [normalize_symbol(t) for t in toks]
        cands += [normalize_symbol(a + b) for a, b in zip(toks, toks[1:])]
    # symbols glued to the name ("VCE(sat)Collector...") are rare; keep the list short
    out = []
    for c in cands:
        c = c.strip(":,.;*").replace("−", "-")
        c = re.sub(r"\^?\(\d\)$", "", c)
        if c and c not in out:
            out.append(c)
    return out


def row_label_strength(spec: ParamSpec, row: Row) -> float:
    """How well a row's label names the parameter: 0 none, -1 excluded, higher is better."""
    text = f"{row.symbol} {row.name}"
    full = f"{text} {row.conditions} {' '.join(row.tags)}"
    for ex in spec.exclude_re():
        if ex.search(full):
            return -1.0
    # earlier synonyms in the catalogue are the more specific ones (IF(AV) before IF)
    s = 0.0
    cands = _symbol_candidates(row)
    sym_hits = [k for k, p in enumerate(spec.symbol_re()) if any(p.match(c) for c in cands)]
    if sym_hits:
        s += 2.0 - 0.05 * min(sym_hits)
    name = clean_text(row.name)
    name_hits = [k for k, p in enumerate(spec.name_re()) if p.search(name)]
    if name_hits:
        s += (2.0 if s else 1.5) - 0.05 * min(name_hits)
    return s


def _temperature_penalty(row: Row, col_cond: str) -> int:
    text = f"{row.conditions} {col_cond}"
    conds = parse_conditions(text)
    for k, v in conds.items():
        if k in ("TJ", "TA", "TC", "TL", "TAMB", "TCASE") or re.fullmatch(r"T[A-Z]{0,4}", k):
            if isinstance(v, (int, float)) and abs(float(v) - 25.0) > 1:
                return 1
    if re.search(r"\b(1[05]0|125|85|70)\s*°?\s*C\b", text) and not re.search(r"\b25\s*°?\s*C", text):
        return 1
    if re.search(r"\bT\s*min\b|\bT\s*max\b|full\s*(temperature\s*)?range|over\s*temperature", text, re.I) and not re.search(r"\b25\s*°?\s*C", text):
        return 1
    return 0


def _bold_limits(row: Row) -> int:
    """1 when the row's limits are in boldface in a table that also prints plain limits: in
    many sheets bold limits hold over the full temperature range, not at 25 °C."""
    if not any(c.bold for c in row.cells if c.quantity is not None):
        return 0
    plain = any(not c.bold for r in row.table.rows for c in r.cells if c.quantity is not None)
    return 1 if plain else 0


def _defaults_conflict(row: Row) -> int:
    defaults = parse_conditions(row.table.default_conditions)
    if not defaults:
        return 0
    conds = parse_conditions(row.conditions)
    n = 0
    for k, v in conds.items():
        dv = defaults.get(k)
        if isinstance(v, (int, float)) and isinstance(dv, (int, float)) and abs(v - dv) > 1e-9 * max(1, abs(dv)):
            n += 1
    return n


def _prefer_key(spec: ParamSpec, row: Row, kinds: set[str]) -> float:
    p = spec.prefer
    conds = parse_conditions(row.conditions)
    if p.startswith("max:"):
        v = None
        for key in p[4:].split("|"):  # the first of the condition symbols the row prints
            v = conds.get(key)
            if v is None:
                # the symbol may be printed with a prefix (VGS vs V GS) or in another case
                v = next((val for k, val in conds.items() if k.replace(" ", "") == key), None)
            if v is not None:
                break
        if isinstance(v, list):
            v = max((x for x in v if isinstance(x, (int, float))), default=None, key=abs)
        if isinstance(v, (int, float)):
            return -abs(float(v))
        return 0.0
    if p == "rated":
        return 0.0 if re.search(r"\brated\b", f"{row.name} {row.conditions} {row.text}", re.I) else 1.0
    if p == "both":
        return 0.0 if {"min", "max"} <= kinds else 1.0
    if p == "rows_typ":
        return 0.0 if "typ" in kinds else 1.0
    if p == "defaults":
        return float(_defaults_conflict(row))
    return 0.0


def _kind(spec: ParamSpec, col: Column, row: Row) -> str:
    if row.table.section == "ratings" and col.role in ("value", "max") and (
            spec.rating or not re.search(r"characteristic", f"{row.table.title} {row.table.header_text}", re.I)):
        return "rating"  # what stands in an absolute-maximum table (not a combined one) is a rating
    if col.role in ("min", "typ", "max"):
        if spec.rating and row.table.section in ("ratings", "thermal"):
            return "rating"
        return col.role
    # a lone value column
    if spec.rating and row.table.section in ("ratings", "summary", "thermal") or (spec.rating and row.table.headerless):
        return "rating"
    label = f"{row.name} {row.table.header_text}".lower()
    if re.search(r"\btyp(ical)?\b", label):
        return "typ"
    if re.search(r"\bmax(imum)?\b", row.name.lower()):
        return "max"
    if re.search(r"\bmin(imum)?\b", row.name.lower()):
        return "min"
    return spec.default_kind


def _cell_kinds(spec: ParamSpec, col: Column, row: Row, q) -> list[tuple[str, float]]:
    """The kinds a cell speaks for: its column's, or what the cell itself prints: a range
    "100–600" is min and max, an inline "Typ" is typ, ">" / "<" in a lone value column are a
    min / max."""
    kind = _kind(spec, col, row)
    if q.upper is not None and not spec.rating and col.role in ("value", "typ"):
        return [("min", q.value), ("max", q.upper)]
    if q.bound == "typ" and not spec.rating:
        return [("typ", q.value)]
    if col.role == "value" and not spec.rating and q.bound in (">", "≥"):
        return [("min", q.value)]
    if col.role == "value" and not spec.rating and q.bound in ("<", "≤"):
        return [("max", q.value)]
    return [(kind, q.value)]


def _resolve_unit(spec: ParamSpec, row: Row, cell_unit: str) -> tuple[float, str] | None:
    """(multiplier, unit) for a cell printed without a unit."""
    if cell_unit:
        return (1.0, cell_unit)
    cands: list[str] = []
    if row.unit:
        # the row prints its own unit: it either fits or the row is another quantity
        cands.append(row.unit)
    else:
        cands += [u for d, u in row.unit_candidates if d <= 4.5 * max(row.size, 6)]
    for u in cands:
        pu = parse_unit(u, expect=spec.unit)
        if pu is not None and pu[1] in spec.units:
            return pu
        for alt in spec.alt_units:
            pu = parse_unit(u, expect=alt)
            if pu is not None and pu[1] in spec.units:
                return pu
    if spec.unit == "1":
        return (1.0, "1")
    return None


def _cells_for_target(row: Row, focus: Focus) -> list:
    """The cells of the target's columns; all value cells when the table has no part columns."""
    table = row.table
    vcols = table.value_columns
    variants = {k: table.columns[k].variant for k in vcols if table.columns[k].variant}
    cells = [c for c in row.cells]
    if not variants:
        return cells
    scores = {k: max((part_score(focus.target or "", p) for p in expand_parts(v)), default=0) for k, v in variants.items()}
    best = max(scores.values(), default=0)
    if best == 0:
        # polarity columns only (NPN / PNP): keep the device's polarity
        return []
    wanted = [k for k, s in scores.items() if s == best]
    out = []
    have = {c.column for c in cells}
    for c in cells:
        if c.column in wanted:
            out.append(c)
    # merged cells: a value centred over several part columns counts for each of them
    # (each part column takes the nearest printed value); only for one-value-per-part tables
    missing = [k for k in wanted if k not in have and table.columns[k].role == "value"]
    if missing and 0 < len(cells) < len(vcols):
        cols = table.columns
        for k in missing:
            near = min(cells, key=lambda c: abs(c.x - cols[k].xc))
            if near.quantity is not None:
                out.append(type(near)(k, near.quantity, near.text, near.x))
    return out


def _cell_condition(row: Row, cell) -> str:
    """The condition printed over a cell's column, if the table prints some."""
    if not row.column_conditions:
        return ""
    if len(row.column_conditions) == 1:
        return row.column_conditions[0][1]
    return min(row.column_conditions, key=lambda xc: abs(xc[0] - cell.x))[1]


def _row_focus(row: Row, focus: Focus) -> int:
    """2 the row names the target, 1 the row names no part, -1 it names only other parts."""
    parts = [t for t in row.tags if expand_parts(t)]
    if not parts:
        return 1
    s = best_score(focus.target, parts)
    if s >= 2:
        return 2 + s
    # the row is about a more specific variant (a gain group, a grade): below generic rows
    return 0 if s == 1 else -1


def _polarity_ok(row: Row, focus: Focus) -> bool:
    if not focus.polarity:
        return True
    pols = {t.upper() for t in row.tags if t.upper() in ("NPN", "PNP")}
    if not pols:
        return True
    return focus.polarity in pols


def _table_focus(table: Table, focus: Focus) -> int:
    """Tables titled for other variants lose; 0 no variant in the title."""
    toks = re.findall(r"[A-Z0-9][A-Z0-9\-/.#]{3,}", (table.title or "").upper())
    parts = [t for t in toks if expand_parts(t)]
    if not parts or not focus.target:
        return 0
    s = best_score(focus.target, parts)
    return s if s > 0 else -1


def find_rows(spec: ParamSpec, tables: list[Table], focus: Focus) -> list[Hit]:
    """Matching rows with their target values, best first."""
    hits: list[Hit] = []
    table_scores = {id(t): _table_focus(t, focus) for t in tables}
    best_table = max(table_scores.values(), default=0)
    for t in tables:
        if t.section == "typical" or (t.section == "thermal" and not spec.rating):
            continue
        ts = table_scores[id(t)]
        if ts < 0 and best_table > 0:
            continue
        if best_table == 3 and 0 < ts < 3:
            # a table titled for the exact part exists: one titled for the family stem is a sibling
            # member's (the adjustable version beside the 3.3 V one)
            continue
        if spec.strict and t.section not in spec.sections:
            continue
        tier = 0 if t.section in spec.sections else (1 if t.section != "ratings" or spec.rating else 2)
        if spec.rating and t.section == "characteristics":
            tier = 2
        if not spec.rating and t.section == "ratings" and not t.title.lower().count("characteristic"):
            tier = 3
        for order, row in enumerate(t.rows):
            strength = row_label_strength(spec, row)
            if strength <= 0:
                continue
            rf = _row_focus(row, focus)
            if rf < 0 or not _polarity_ok(row, focus):
                continue
            cells = _cells_for_target(row, focus)
            values = []
            for c in cells:
                q = c.quantity
                if q is None:
                    continue
                col = t.columns[c.column]
                mult, unit = 1.0, q.unit
                if not unit or (unit not in spec.units and unit in ("W", "Ω") and "Ω" in spec.units):
                    ru = _resolve_unit(spec, row, "" if not unit or unit == "W" else unit)
                    if ru is None:
                        continue
                    mult, unit = ru
                elif unit not in spec.units:
                    continue
                lo, hi = PLAUSIBLE.get(unit, (0, float("inf")))
                for kind, raw in _cell_kinds(spec, col, row, q):
                    v = raw * mult
                    if spec.magnitude_only:
                        v = abs(v)
                    if lo <= abs(v) <= hi:
                        values.append((kind, v, unit, c.text, col, c))
            if not values:
                continue
            # one value per kind: the first (leftmost) cell of a kind
            seen, uniq = set(), []
            for kind, v, unit, text, col, cell in values:
                if kind in seen:
                    continue
                seen.add(kind)
                uniq.append((kind, v, unit, text, col, cell))
            kinds = {k for k, *_ in uniq}
            cell_cond = {id(c): _cell_condition(row, c) for c in cells}
            col_cond = ""
            if any(cell_cond.values()):
                # keep the 25 °C column of a "TJ = 25 °C / TJ = 100 °C" pair
                keep = [u for u in values if not _temperature_penalty(row, cell_cond.get(id(u[5]), ""))]
                if keep:
                    seen, uniq = set(), []
                    for kind, v, unit, text, col, cell in keep:
                        if kind not in seen:
                            seen.add(kind)
                            uniq.append((kind, v, unit, text, col, cell))
                col_cond = cell_cond.get(id(uniq[0][5]), "")
            temp = _temperature_penalty(row, col_cond) or _bold_limits(row)
            key = (
                tier,
                -ts,
                -min(rf, 1),
                -strength,
                temp,
                _defaults_conflict(row) if spec.prefer == "defaults" else 0,
                _prefer_key(spec, row, kinds),
                -len(kinds) if spec.prefer not in ("first",) else 0,
                -rf,
                row.page,
                order,
            )
            cond_text = row.conditions
            if col_cond:
                cond_text = (cond_text + ", " + col_cond).strip(", ")
            hits.append(
                Hit(spec, row, [(k, v, u, txt) for k, v, u, txt, _, _ in uniq], key, parse_conditions(cond_text), cond_text)
            )
    hits.sort(key=lambda h: h.key)
    return hits
