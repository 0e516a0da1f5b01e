"""The row model: parameter tables rebuilt from word positions.

A table starts at a header line that names its columns (Symbol, Parameter, Test conditions,
Min/Typ/Max, Value, Unit, or one column per part number). Column positions come from the header
words, so a value is read by where it stands, not by how many dashes survived extraction:
"1.2 2.5" under Typ and Max stays typ 1.2 / max 2.5 even when the Min placeholder vanished.

Rows: a line with numbers in the value columns is a value row. Its label (parameter name and
symbol) is on the same line, or on a label-only line that the row belongs to: a label centred on a
group of rows (a merged cell) claims as many rows above it as below it; a label above a group
claims the rows below; unlabelled rows otherwise continue the row above. Units missing from a row
come from the unit cell of its group (merged unit cells), conditions from continuation lines.

Regions without a header (rating lists, "Parameter ..... 20 V" lines) are read as one value
column at the right, so the same row logic applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.datasheet.layout import Line, Word
from knowledge.datasheet.normalize import (
    Quantity,
    clean_text,
    is_placeholder,
    parse_number,
    parse_quantity,
    parse_unit,
)

__all__ = ["Column", "Cell", "Row", "Table", "find_tables", "section_of", "PART_TOKEN"]

KIND_WORDS = {
    "min": "min", "min.": "min", "minimum": "min", "typ": "typ", "typ.": "typ", "typical": "typ",
    "nom": "typ", "nom.": "typ", "max": "max", "max.": "max", "maximum": "max",
}
VALUE_WORDS = {"value", "values", "rating", "ratings", "limit", "limits", "max value", "maximum", "max.", "max", "limit value"}
UNIT_WORDS = {"unit", "units", "unit.", "units."}
SYMBOL_WORDS = {"symbol", "symbols", "sym", "sym."}
PARAM_WORDS = {"parameter", "parameters", "characteristic", "characteristics", "description", "item", "rating", "parameter/condition"}
COND_WORDS = {"conditions", "condition", "conditions^(1)"}

# A part-number-like token: letters and digits mixed, 4+ characters (1N4007, BC547, LM358-N, L7805C).
PART_TOKEN = re.compile(r"^\*{0,2}([A-Z]{0,6}\d[A-Z0-9]{1,12}(?:[-/][A-Z0-9.]{1,6})?|[A-Z]{1,6}\d{2,}[A-Z0-9]*(?:-[A-Z0-9.]{1,5})?)[,;:]?$")
POLARITY = {"npn": "NPN", "pnp": "PNP", "n-channel": "N", "p-channel": "P", "n-ch": "N", "p-ch": "P"}

SECTION_PATTERNS = [
    ("ratings", re.compile(r"absolute\s*maximum|maximum\s*ratings|absolute\s*ratings|limiting\s*values|grenzwerte|\bmaximum rating", re.I)),
    ("recommended", re.compile(r"recommended\s*operating", re.I)),
    ("thermal", re.compile(r"thermal\s*(characteristics|data|resistance|information|metric)", re.I)),
    ("characteristics", re.compile(r"electrical\s*(characteristics|specifications)|\bspecifications\b|\bcharacteristics\b|kennwerte|\bparameters\b", re.I)),
    ("summary", re.compile(r"product\s*summary|features|key\s*(parameters|specifications)|description", re.I)),
    ("typical", re.compile(r"typical\s*(performance|characteristics|curves)", re.I)),
]


def section_of(text: str) -> str | None:
    t = clean_text(text)
    if len(t) > 120:
        return None
    if t.endswith(".") and len(t.split()) > 3 and not re.match(r"^(table\s*)?\d+(\.\d+)*\.?\s", t, re.I):
        return None  # a sentence ("... contact the Sales Office for specifications.") is no heading
    for name, pat in SECTION_PATTERNS:
        if pat.search(t):
            return name
    return None


@dataclass
class Column:
    role: str  # min | typ | max | value | unit | symbol | param | cond
    x0: float
    x1: float
    variant: str | None = None
    polarity: str | None = None
    condition: str = ""  # a condition printed above the column ("TJ = 25 °C")

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def is_value(self) -> bool:
        return self.role in ("min", "typ", "max", "value")


@dataclass
class Cell:
    column: int  # index into Table.columns
    quantity: Quantity | None  # None: an empty cell (placeholder)
    text: str
    x: float = 0.0  # centre of the printed value
    bold: bool = False  # printed in boldface (in many sheets: a limit over the full temperature range)


@dataclass
class _LineInfo:
    line: Line
    cells: list[Cell] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    symbol: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    cond: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # variant / polarity / note tokens in label columns
    zone_conds: list[tuple[float, str]] = field(default_factory=list)  # conditions printed over value columns
    zone_text: list[str] = field(default_factory=list)  # non-numeric text over the value columns
    sym_src: "_LineInfo | None" = None  # the line whose symbol this row takes
    name_srcs: list = field(default_factory=list)  # the lines whose name this row takes

    @property
    def y(self) -> float:
        return (self.line.top + self.line.bottom) / 2

    @property
    def has_values(self) -> bool:
        return any(c.quantity is not None for c in self.cells)

    @property
    def has_label(self) -> bool:
        return bool(self.symbol or self.name)


@dataclass
class Row:
    page: int
    y: float
    name: str
    symbol: str
    conditions: str
    cells: list[Cell]
    unit: str
    text: str  # the source line(s), for evidence
    table: "Table"
    tags: list[str] = field(default_factory=list)  # part numbers / polarity printed on the row
    column_conditions: list[tuple[float, str]] = field(default_factory=list)  # (x, condition) over the cells
    unit_candidates: list[tuple[float, str]] = field(default_factory=list)  # (distance, unit) nearby
    size: float = 8.0

    @property
    def label(self) -> str:
        return f"{self.symbol} {self.name}".strip()

    def values(self) -> list[tuple[Column, Quantity]]:
        return [(self.table.columns[c.column], c.quantity) for c in self.cells if c.quantity is not None]


@dataclass
class Table:
    page: int
    top: float
    columns: list[Column]
    title: str = ""
    section: str = "characteristics"
    default_conditions: str = ""
    headerless: bool = False
    rows: list[Row] = field(default_factory=list)
    header_text: str = ""

    @property
    def value_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.is_value]

    @property
    def variants(self) -> list[str]:
        return sorted({c.variant for c in self.columns if c.variant})


# ---- header detection ----------------------------------------------------------------------------

def _norm_word(w: str) -> str:
    return clean_text(w).lower().strip(":*()^").rstrip("^(1)").strip()


def _header_roles(line: Line) -> list[tuple[str, Word]]:
    """Header words of a line with their column role."""
    words = line.words
    roles: list[tuple[str, Word]] = []
    i = 0
    while i < len(words):
        w = words[i]
        t = _norm_word(w.text)
        nxt = _norm_word(words[i + 1].text) if i + 1 < len(words) else ""
        if t == "test" and nxt.startswith("condition"):
            merged = Word("Test conditions", w.x0, words[i + 1].x1, w.top, w.bottom, w.size)
            roles.append(("cond", merged))
            i += 2
            continue
        if t in KIND_WORDS:
            roles.append((KIND_WORDS[t], w))
        elif t in UNIT_WORDS:
            roles.append(("unit", w))
        elif t in SYMBOL_WORDS:
            roles.append(("symbol", w))
        elif t.startswith("condition") or t in COND_WORDS or (re.fullmatch(r"t\^?[aj](\^?\(\d\))?", t) and not nxt.startswith("=")):
            roles.append(("cond", w))
        elif t in PARAM_WORDS:
            roles.append(("param", w))
        elif t in ("value", "values", "limit", "limits", "ratings"):
            roles.append(("value", w))
        i += 1
    return roles


def _is_header(line: Line) -> bool:
    roles = _header_roles(line)
    kinds = {r for r, _ in roles if r in ("min", "typ", "max")}
    names = {r for r, _ in roles}
    if len(line.words) > 16:
        return False
    numeric = sum(1 for w in line.words if parse_number(w.text) is not None)
    if numeric > 2:
        return False
    if len(kinds) >= 2:
        return True
    if ("unit" in names or "symbol" in names) and (kinds or "value" in names):
        return True
    if "symbol" in names and "param" in names:
        return True
    if "param" in names and "unit" in names:
        return True
    return False


def _is_family_header(lines: list[Line], i: int) -> bool:
    """A header whose value columns are part numbers: "Symbol ... Units" over (or beside) a row
    of three or more part numbers, one column per family member."""
    ln = lines[i]
    roles = {r for r, _ in _header_roles(ln)}
    if not roles & {"symbol", "unit", "param"} or len(ln.words) > 16:
        return False
    if sum(1 for w in ln.words if parse_number(w.text) is not None) > 1:
        return False
    if len(_part_tokens(ln)) >= 3:
        return True
    if i + 1 < len(lines):
        nxt = lines[i + 1]
        if nxt.top - ln.bottom <= 1.6 * ln.size and len(_part_tokens(nxt)) >= 3 and len(_part_tokens(nxt)) >= len(nxt.words) - 1:
            return True
    return False


def _part_tokens(line: Line) -> list[Word]:
    out = []
    for w in line.words:
        t = clean_text(w.text).upper().strip("*,;:()")
        if PART_TOKEN.match(t) and not re.fullmatch(r"\d+[A-Z]?", t) and any(c.isalpha() for c in t) and not re.match(r"^\d\d", t):
            out.append(w)
    return out


def _polarity_tokens(line: Line) -> list[Word]:
    return [w for w in line.words if _norm_word(w.text) in POLARITY]


def _build_columns(lines: list[Line], hi: int) -> tuple[list[Column], int, int]:
    """Columns from the header at lines[hi] and the super/sub-header lines around it.
    Returns (columns, first header line index, last header line index)."""
    core = lines[hi]
    size = core.size
    roles = _header_roles(core)
    first, last = hi, hi
    # sub-header lines below: only kind words or part numbers, no values
    kind_words: list[tuple[str, Word]] = [(r, w) for r, w in roles if r in ("min", "typ", "max")]
    variant_words: list[Word] = []
    polarity_words: list[Word] = []
    for j in (hi + 1, hi + 2, hi + 3):
        if j >= len(lines):
            break
        ln = lines[j]
        if ln.top - lines[j - 1].bottom > 1.6 * size:
            break
        sub_roles = _header_roles(ln)
        sub_kinds = [(r, w) for r, w in sub_roles if r in ("min", "typ", "max")]
        parts = _part_tokens(ln)
        numeric = [w for w in ln.words if parse_number(w.text) is not None]
        if numeric and not parts:
            break
        if sub_roles and not sub_kinds and not parts and len(sub_roles) == len(ln.words):
            # the second line of a multi-line header ("Min Typ Max" over "Symbol Parameter
            # Conditions Units", "TEST / CONDITIONS"): its text columns join, look further down
            have = {r for r, _ in roles}
            roles = roles + [(r, w) for r, w in sub_roles if r in ("symbol", "param", "cond", "unit") and r not in have]
            last = j
            continue
        if sub_kinds and len(sub_kinds) >= len(ln.words) - 1:
            kind_words += sub_kinds
            last = j
        elif parts and len(parts) >= max(1, len(ln.words) - 2):
            variant_words += parts
            last = j
        elif _polarity_tokens(ln) and len(_polarity_tokens(ln)) == len(ln.words):
            polarity_words += _polarity_tokens(ln)
            last = j
        else:
            break
    # super-header lines above: part numbers / polarity / "Value"
    for j in (hi - 1, hi - 2):
        if j < 0:
            break
        ln = lines[j]
        if lines[j + 1].top - ln.bottom > 1.8 * size:
            break
        parts = _part_tokens(ln)
        pols = _polarity_tokens(ln)
        words_norm = [_norm_word(w.text) for w in ln.words]
        if parts or pols:
            variant_words += parts
            polarity_words += pols
            first = j
        elif all(t in ("value", "values", "limits", "limit", "rating", "ratings") for t in words_norm):
            first = j
        else:
            break
    variant_words += [w for w in _part_tokens(core)]
    polarity_words += _polarity_tokens(core)

    cols: list[Column] = []
    text_roles = [(r, w) for r, w in roles if r in ("symbol", "param", "cond", "unit")]
    for r, w in text_roles:
        cols.append(Column(r, w.x0, w.x1))
    sym = next((w for r, w in text_roles if r == "symbol"), None)
    if sym is not None and not any(r == "param" for r, _ in text_roles) and sym.x0 > 12 * size:
        # "Symbols ... Units" with the parameter names in an unheaded column at the left margin
        left = min(ln.x0 for ln in lines)
        cols.append(Column("param", left, left + 4 * size))
    def owner(words: list[Word], x: float) -> Word | None:
        if not words:
            return None
        return min(words, key=lambda w: abs(w.xc - x))

    below_parts = [w for w in variant_words if w.top > core.bottom - 1]
    if len(kind_words) <= 1 and len(below_parts) >= 2:
        # "Max" over one column per part number (2N3904 / MMBT3904 / PZT3904)
        role = kind_words[0][0] if kind_words else "value"
        for w in below_parts:
            cols.append(Column(role, w.x0, w.x1, variant=clean_text(w.text).strip("*,;:")))
        variant_words = [w for w in variant_words if w not in below_parts]
    elif kind_words:
        for r, w in kind_words:
            cols.append(Column(r, w.x0, w.x1))
    else:
        # one value column per part number, else the Value/Max column
        below = [w for w in variant_words if w.top >= core.top - 1]
        above = [w for w in variant_words if w.top < core.top - 1]
        vw = below or above
        if vw:
            for w in vw:
                cols.append(Column("value", w.x0, w.x1, variant=clean_text(w.text).strip("*,;:")))
            variant_words = above if below else []
        else:
            for r, w in roles:
                if r == "value":
                    cols.append(Column("value", w.x0, w.x1))
    # attach variants and polarities to value columns
    vcols = [c for c in cols if c.is_value]
    _group_variants(vcols, variant_words)
    if variant_words or polarity_words:
        for c in vcols:
            if c.variant is None and variant_words:
                c.variant = _variant_for(c, variant_words, vcols)
            if polarity_words:
                p = owner(polarity_words, c.xc)
                c.polarity = POLARITY[_norm_word(p.text)] if p else None
        if not kind_words and cols and all(c.variant is None for c in vcols) and variant_words:
            pass
    # variant columns that are themselves the part tokens
    for c in vcols:
        if c.variant is None:
            for w in variant_words:
                if abs(w.xc - c.xc) < 1 and w.x0 == c.x0:
                    c.variant = clean_text(w.text).strip("*,;:")
    for c in vcols:
        if c.variant is None:
            # the column header itself is a part number (BS170 MMBF170)
            pass
    cols.sort(key=lambda c: c.x0)
    return cols, first, last


def _group_variants(vcols: list[Column], words: list[Word]) -> None:
    """Repeated Min/Typ/Max groups under a header of part numbers (one group per grade, each
    headed by a stack of part names): every column of a group takes all the names over it."""
    kinds = [c for c in vcols if c.role in ("min", "typ", "max") and c.variant is None]
    if len(kinds) < 4 or not words:
        return
    groups: list[list[Column]] = []
    for c in sorted(kinds, key=lambda c: c.x0):
        if groups and c.role not in {g.role for g in groups[-1]} and c.x0 - groups[-1][-1].x1 < 3 * (c.x1 - c.x0 + 4):
            groups[-1].append(c)
        else:
            groups.append([c])
    if len(groups) < 2:
        return
    edges = [(g[0].x0 + prev[-1].x1) / 2 for prev, g in zip(groups, groups[1:])]
    for k, g in enumerate(groups):
        lo = edges[k - 1] if k > 0 else g[0].x0 - 30
        hi = edges[k] if k < len(edges) else g[-1].x1 + 30
        names = [clean_text(w.text).strip("*,;:") for w in sorted(words, key=lambda w: (w.x0, w.top)) if lo <= w.xc < hi]
        for c in g:
            # a grade group whose names did not parse is some other grade, never the nearest one's
            c.variant = " ".join(names) if names else "(other grades)"


def _variant_for(col: Column, words: list[Word], vcols: list[Column]) -> str | None:
    """The part-number header standing over a value column: the nearest one whose span covers it."""
    if not words:
        return None
    # a column whose own header word is a part number is that variant
    for w in words:
        if abs(w.x0 - col.x0) < 0.5 and abs(w.x1 - col.x1) < 0.5:
            return clean_text(w.text).strip("*,;:")
    best = min(words, key=lambda w: abs(w.xc - col.xc))
    return clean_text(best.text).strip("*,;:")


# ---- line classification -------------------------------------------------------------------------

_COND_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9()^+\-]{0,12}\s*(=|≤|≥|<|>|@)\s*[-+±]?\d|^@|\bto\b\s*[-+]?\d|^(f|ƒ)\s*=|=\s*[A-Z]")
_NOTE = re.compile(r"^(\^.*|\(\d\)|\d\)|\*+|\(note\s*\d+\)|note\s*\d+|[a-e]\)|\^?\(\d+\))$", re.I)
_SYMBOLISH = re.compile(r"^[A-Za-zθΔ∆ΨψτηβRr][A-Za-z0-9()θ,/\-+]{0,14}$")


def _join(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def _value_tokens(words: list[Word]) -> list[tuple[Word, Quantity | None, str]]:
    """Numbers (with a glued or following unit) and placeholders among ``words``, in x order."""
    out: list[tuple[Word, Quantity | None, str]] = []
    i = 0
    while i < len(words):
        w = words[i]
        t = clean_text(w.text)
        t = re.sub(r"\^\S*$", "", t)
        if is_placeholder(t):
            out.append((w, None, t))
            i += 1
            continue
        # "±" or "<" as its own word before the number
        if t in ("±", "<", ">", "≤", "≥", "+", "-") and i + 1 < len(words) and parse_number(words[i + 1].text.split("^")[0]) is not None:
            nxt = words[i + 1]
            merged = Word(t + nxt.text, w.x0, nxt.x1, min(w.top, nxt.top), max(w.bottom, nxt.bottom), max(w.size, nxt.size))
            words = words[:i] + [merged] + words[i + 2:]
            continue
        q = parse_quantity(t)
        if q is not None:
            unit_txt = ""
            if not q.unit and i + 1 < len(words):
                nxt = words[i + 1]
                nt = clean_text(nxt.text)
                if nxt.x0 - w.x1 < 1.2 * w.size and parse_unit(nt) is not None and parse_quantity(nt) is None:
                    q2 = parse_quantity(t + nt)
                    if q2 is not None:
                        q = q2
                        unit_txt = nt
                        w = Word(t + " " + nt, w.x0, nxt.x1, w.top, w.bottom, w.size)
                        i += 1
            out.append((w, q, t + (" " + unit_txt if unit_txt else "")))
        i += 1
    return out


def _signs_rejoined(values: list, cols: list[Column], vidx: list[int]) -> list:
    """A minus sign set apart from its digits looks like a '–' placeholder ("–  60" for a PNP
    rating). A dash right before a number is its sign when both stand in the number's column,
    or when the dash's column already has a cell of its own on this line."""
    out: list = []
    taken: set[int] = set()
    k = 0
    while k < len(values):
        w, q, t = values[k]
        if q is None and t in ("-", "−", "–") and k + 1 < len(values):
            nw, nq, nt = values[k + 1]
            if nq is not None and nq.value > 0 and not nq.bound and 0 <= nw.x0 - w.x1 < 1.6 * max(w.size, nw.size, 1.0):
                col_dash = min(vidx, key=lambda c: abs(cols[c].xc - w.xc))
                col_num = min(vidx, key=lambda c: abs(cols[c].xc - nw.xc))
                if col_dash == col_num or col_dash in taken:
                    neg = Quantity(-nq.value, nq.unit, "-" + nq.printed, nq.bound)
                    merged = Word("-" + nw.text, w.x0, nw.x1, min(w.top, nw.top), max(w.bottom, nw.bottom), nw.size)
                    out.append((merged, neg, "-" + nt))
                    taken.add(col_num)
                    k += 2
                    continue
        out.append((w, q, t))
        taken.add(min(vidx, key=lambda c: abs(cols[c].xc - w.xc)))
        k += 1
    return out


_PREFIX_END = re.compile(r"(^|\d|/)[µumnpkMG\ufffd]$")
_UNIT_BASE = re.compile(r"^(A|V|s|F|Ω|W|S|Hz|C|H)\b")


def _merge_split_units(line: Line) -> Line:
    """'0.2 µ A' or '10µ A' (a prefix glyph set apart from its unit) -> one word."""
    words = line.words
    if len(words) < 2:
        return line
    out = [words[0]]
    for w in words[1:]:
        prev = out[-1]
        pt, wt = clean_text(prev.text), clean_text(w.text)
        if _PREFIX_END.search(pt) and _UNIT_BASE.match(wt) and w.x0 - prev.x1 < 0.9 * max(w.size, prev.size) and len(pt) <= 8:
            out[-1] = Word(prev.text + w.text, prev.x0, w.x1, min(prev.top, w.top), max(prev.bottom, w.bottom), max(prev.size, w.size), prev.bold)
        else:
            out.append(w)
    return Line(out) if len(out) != len(words) else line


def _classify(line: Line, table: Table) -> _LineInfo:
    line = _merge_split_units(line)
    info = _LineInfo(line)
    cols = table.columns
    vidx = table.value_columns
    if not vidx:
        return info
    vcols = [cols[i] for i in vidx]
    spacing = (
        min(b.xc - a.xc for a, b in zip(vcols, vcols[1:])) if len(vcols) > 1 else max(30.0, 2.5 * (vcols[0].x1 - vcols[0].x0))
    )
    zone_lo = min(c.xc for c in vcols) - 0.7 * spacing
    zone_hi = max(c.xc for c in vcols) + 0.7 * spacing
    # text columns bound the value zone
    for c in cols:
        if not c.is_value and c.role != "unit":
            if c.xc < min(v.xc for v in vcols):
                zone_lo = max(zone_lo, c.x1 + 2) if c.role != "param" or table.headerless else zone_lo
            elif c.xc > max(v.xc for v in vcols):
                zone_hi = min(zone_hi, c.x0 - 1)
    unit_col = next((c for c in cols if c.role == "unit"), None)
    # numbers that are the value of a printed condition ("TJ = 25 °C") are not cells
    cond_values = set()
    ws = line.words
    for k, w in enumerate(ws):
        prev = clean_text(ws[k - 1].text) if k > 0 else ""
        if prev.endswith("=") or (prev in ("<", "≤", ">", "≥") and k > 1 and re.match(r"^[A-Za-z]", ws[k - 2].text)):
            cond_values.add(id(w))
            if k + 1 < len(ws) and parse_unit(clean_text(ws[k + 1].text)) is not None:
                cond_values.add(id(ws[k + 1]))
    in_zone = [w for w in line.words if zone_lo <= w.xc <= zone_hi and id(w) not in cond_values]
    values = _signs_rejoined(_value_tokens(in_zone), cols, vidx)
    used = set()
    for w, q, t in values:
        # the value's own header sits over it: nearest value column by centre
        j = min(vidx, key=lambda k: abs(cols[k].xc - w.xc))
        if q is not None and unit_col is not None and abs(w.xc - unit_col.xc) < abs(w.xc - cols[j].xc) and not q.unit:
            continue
        info.cells.append(Cell(j, q, t, w.xc, w.bold))
        used.add(id(w))
        for ow in in_zone:
            if ow.x0 >= w.x0 - 0.1 and ow.x1 <= w.x1 + 0.1:
                used.add(id(ow))
    rest = [w for w in line.words if id(w) not in used]
    # condition phrases printed over the value columns ("TJ = 25 °C   TJ = 100 °C") stay whole
    zone_cond_words: set[int] = set()
    text_right = max((c.x1 for c in cols if not c.is_value and c.role in ("symbol", "param")), default=-1e9)
    phrase: list[Word] = []
    for w in rest + [None]:
        if w is not None and phrase and w.x0 - phrase[-1].x1 < 1.3 * w.size:
            phrase.append(w)
            continue
        if phrase:
            ptxt = clean_text(_join(phrase))
            pc = (phrase[0].x0 + phrase[-1].x1) / 2
            if re.match(r"^[A-Za-z][A-Za-z0-9()^]{0,8}\s*(=|≤|≥|<|>)\s*[-+±]?\d", ptxt) and pc > text_right and pc >= zone_lo - 30:
                info.zone_conds.append((pc, ptxt))
                zone_cond_words.update(id(x) for x in phrase)
        phrase = [w] if w is not None else []
    text_cols = [c for c in cols if not c.is_value]
    others = [c for c in cols if c is not unit_col]
    for w in rest:
        t = clean_text(w.text)
        if unit_col is not None and (
            parse_unit(t) is not None or t in ("\ufffd", "W", "m", "mW", "k", "%VO", "%/V") or re.fullmatch(r"[fpnuµmkM]?\ufffd", t)
        ):
            du = abs(w.xc - unit_col.xc)
            near_other = min((abs(w.xc - c.xc) for c in others), default=1e9)
            if du <= max(12.0, 0.6 * (unit_col.x1 - unit_col.x0) + 8) or (du < near_other and du < 40):
                info.units.append(t)
                continue
        if id(w) in zone_cond_words:
            continue
        if zone_lo <= w.xc <= zone_hi:
            if _COND_LIKE.search(t) or "=" in t:
                info.cond.append(t)
            else:
                info.other.append(t)
                info.zone_text.append(t)
            continue
        col = min(text_cols, key=lambda c: _dist(c, w)) if text_cols else None
        role = col.role if col else "param"
        if role == "unit":
            role = "param" if w.xc < min(v.xc for v in vcols) else "cond"
        if role == "symbol":
            info.symbol.append(t)
        elif role == "cond":
            info.cond.append(t)
        else:
            info.name.append(t)
    if info.name and info.name[0].startswith("(") and info.has_values:
        # a parenthesised line label in a value row is its test condition: "(iF = 0.5 Amps)"
        info.cond = info.name + info.cond
        info.name = []
    _split_label(info)
    return info


def _dist(c: Column, w: Word) -> float:
    if c.x0 - 2 <= w.xc <= c.x1 + 2:
        return 0.0
    # text columns extend to the right of their header word
    if w.xc > c.x1:
        return (w.xc - c.x1) * 0.5
    return c.x0 - w.xc


def _is_part_tag(tok: str) -> bool:
    up = tok.strip(":,;()*").upper()
    if len(up) < 4 or "=" in up or not re.search(r"\d", up) or not re.search(r"[A-Z]", up):
        return False
    if re.match(r"^[VIRCQTP][A-Z]{0,4}\(?\w*\)?$", up) or re.match(r"^\d", up) and not re.match(r"^\d[A-Z]\d{3}", up):
        return False
    return bool(PART_TOKEN.match(up)) and not re.search(r"(MA|UA|µA|NA|MV|KHZ|MHZ|HZ|NS|US|MS|PF|NF|V|A|W|S)$", up) or bool(re.match(r"^[A-Z]{1,5}\d{2,}", up)) and "-" in up or "/" in up and bool(re.match(r"^[A-Z]{1,5}\d{2,}", up))


def is_variant_token(tok: str) -> bool:
    """A part number printed as a row label (a family member's sub-row): letters and a run of
    three or more digits ("PN2222A", "2N2907", "LM1117-3.3"), unlike a symbol ("VCE(sat)", "PD")."""
    up = clean_text(tok).upper().strip("*,;:()")
    if len(up) < 4 or "=" in up or "(" in up:
        return False
    return bool(PART_TOKEN.match(up)) and bool(re.search(r"\d{3,}", up)) and bool(re.search(r"[A-Z]", up)) \
        and parse_quantity(up) is None and not re.fullmatch(r"\d+[A-Z]{1,3}", up)


_TEMP_COND = re.compile(
    r"T\s*min\s*\x00?\s*(≤|<=?)\s*\x00?\s*T\s*(amb|a|j|c)\s*\x00?\s*(≤|<=?)\s*\x00?\s*T\s*max"
    r"|T\s*(amb|a|j|c|case)\s*\x00?\s*=\s*\x00?\s*[+-]?\d+\s*°?\s*C",
    re.I,
)


def _split_label(info: _LineInfo) -> None:
    """Move condition text out of the name, note markers and part-number tags out of labels."""
    # a note reference split over two words ("(Note" "6)") is not part of a label
    for attr in ("name", "symbol"):
        toks = getattr(info, attr)
        if any(t.lower().startswith("(note") for t in toks):
            text = re.sub(r"\(\s*notes?\s*[\d,\s]*\)?", " ", " ".join(toks), flags=re.I)
            setattr(info, attr, text.split())
    # a temperature condition set across the symbol and name columns ("Tamb = +25°C",
    # "Tmin ≤ Tamb ≤ Tmax") is a condition, wherever it stands
    if info.symbol or info.name:
        both = " ".join(info.symbol + ["\x00"] + info.name)
        m = _TEMP_COND.search(both)
        if m:
            info.cond.insert(0, m.group(0).replace("\x00", " ").strip())
            rest = (both[: m.start()] + " " + both[m.end():])
            sym_part, _, name_part = rest.partition("\x00") if "\x00" in rest else (rest if m.start() > both.index("\x00") else "", "", rest)
            info.symbol, info.name = sym_part.split(), name_part.split()
    name = info.name
    # "V^+" | "= 5 V": a condition key left in the name column, its value in the next column
    if name and info.cond and re.match(r"^\s*(=|<|>|≤|≥)", info.cond[0]) and re.match(r"^[A-Za-z][A-Za-z0-9()^+\-]{0,10}$", name[-1]):
        info.cond[0] = name[-1] + " " + info.cond[0]
        name = name[:-1]
    if name and info.cond and re.match(r"^([A-Za-z][\w()\-]{0,10}\s*(=|≤|≥|<|>)|[\d.]+\s*[a-zA-Zµ]*\s*(≤|≥|<|>)|(=|≤|≥|<|>))$", " ".join(name)):
        # a test condition that starts left of its column ("IOUT =" | "10mA, VIN = 7V")
        info.cond = [" ".join(name + info.cond)]
        name = []
    if name and info.cond:
        # "Dropout Voltage IOUT =" | "100mA": the condition's key stayed with the name
        tm = re.search(r"(?:^|\s)([A-Za-z][\w()\-]{0,10}\s*(=|≤|≥|<|>))$", " ".join(name))
        if tm:
            info.cond[0] = tm.group(1) + " " + info.cond[0]
            name = " ".join(name)[: tm.start()].split()
    if name:
        # conditions start at the first "X = value" pattern in the name text
        text = " ".join(name)
        m = re.search(r"(?:(?<=\s)|^)[(\[]?(@\s*)?[A-Za-z][A-Za-z0-9()^+\-]{0,10}\s*(=|≤|≥|<|>)\s*[-+±]?\s*[\dA-Z(]", text)
        if m and m.start() > 0:
            info.cond.insert(0, text[m.start():])
            name = text[: m.start()].split()
        elif m and m.start() == 0:
            info.cond.insert(0, text)
            name = []
        else:
            name = text.split()
    # a symbol printed after the conditions ("VGS = VDS, ID = 1 mA  VGS(th)")
    if info.cond and not info.symbol:
        toks = " ".join(info.cond).split()
        moved = []
        while toks and _SYMBOLISH.match(toks[-1]) and not re.search(r"[=<>≤≥]", toks[-1]) and not parse_unit(toks[-1].strip("(),")) \
                and toks[-1].count("(") == toks[-1].count(")") and re.search(r"[A-Z]", toks[-1]) \
                and toks[-1].strip("(),").lower() not in ("amps", "amp", "volts", "volt", "dc", "ac", "typ", "max", "min") \
                and (len(toks) < 2 or not re.search(r"[=<>≤≥]$", toks[-2])) and toks[-1].lower() not in ("to", "and", "mhz", "khz", "hz") \
                and not re.fullmatch(r"[a-z]+", toks[-1]):
            moved.insert(0, toks.pop())
        if moved and toks:
            info.symbol = moved
            info.cond = [" ".join(toks)]
    # conditions spilling into the symbol column ("VF  Tamb = 25 °C")
    if info.symbol:
        stext = " ".join(info.symbol)
        m = re.search(r"(?:^|\s)[(\[]?[A-Za-z][A-Za-z0-9()^+\-]{0,10}\s*(=|≤|≥|<|>)\s*[-+±]?\s*[\dA-Z(]", stext)
        if m:
            info.cond.insert(0, stext[m.start():].strip())
            info.symbol = stext[: m.start()].split()
    # the symbol column holds a symbol; words spilling into it from the name belong to the name
    if len(info.symbol) > 1:
        keep_sym: list[str] = []
        for k, t in enumerate(info.symbol):
            wordy = bool(re.search(r"[a-z]{3,}", t)) and (len(t) > 5 or "-" in t) or (
                len(t) >= 4 and t[0].isupper() and t[1:].isalpha() and t[1:].islower() and bool(re.search(r"[aeiou]", t[1:])))
            if k > 0 and wordy:
                name = info.symbol[k:] + name
                break
            keep_sym.append(t)
        info.symbol = keep_sym
    if len(info.symbol) == 1 and name and len(info.symbol[0]) >= 5 and info.symbol[0][0].isupper() and info.symbol[0][1:].isalpha() \
            and info.symbol[0][1:].islower() and re.search(r"[aeiou]", info.symbol[0][1:]):
        # a capitalised word ("Input") is the start of the name, not a symbol
        name = info.symbol + name
        info.symbol = []
    kept = []
    for t in name:
        tt = t.strip(":,")
        if not tt or re.fullmatch(r"[:;,.\-–]+", tt):
            continue
        if _NOTE.match(tt):
            continue
        if tt.upper() in ("DC", "AC", "PULSED", "PULSE"):
            info.cond.append(tt)
            continue
        if tt.lower() in POLARITY or tt.upper() in ("ALL",):
            info.other.append(tt)
            continue
        up = tt.upper().strip("*")
        if (PART_TOKEN.match(up) and any(ch.isdigit() for ch in up) and len(up) >= 4 and not re.match(r"^[VIRCQTP][A-Z]{0,4}\(?\w*\)?$", up)) or is_variant_token(tt):
            info.other.append(tt)
            continue
        kept.append(t)
    info.name = kept
    info.symbol = [s for s in info.symbol if not _NOTE.match(s.strip(":,"))]
    # a part number in the symbol column names the variant of a sub-row ("PN2222A  40")
    if any(is_variant_token(s) for s in info.symbol):
        info.other += [s for s in info.symbol if is_variant_token(s)]
        info.symbol = [s for s in info.symbol if not is_variant_token(s) and s.lower() not in ("only",)]
    # part numbers printed in the conditions column are row tags ("IC = 150 mA  BD139-10")
    if info.cond:
        ctoks = " ".join(info.cond).split()
        parts = [t for t in ctoks if _is_part_tag(t)]
        if parts:
            info.other += parts
            info.cond = [" ".join(t for t in ctoks if t not in parts)]
    if info.name and all(re.fullmatch(r"[\d.,\s%()]+", t) for t in info.name):
        info.other += info.name
        info.name = []


# ---- rows ---------------------------------------------------------------------------------------

def _assign_rows(infos: list[_LineInfo]) -> list[tuple[_LineInfo, list[_LineInfo]]]:
    """Pair every value line with the lines that carry its label (symbol and name), unit and
    conditions. Symbols and names are assigned separately: a symbol cell and a name cell of one
    parameter may be merged over different rows."""
    value_idx = [i for i, inf in enumerate(infos) if inf.has_values]
    label_only = [i for i, inf in enumerate(infos) if not inf.has_values and inf.has_label]
    gaps = sorted(infos[b].y - infos[a].y for a, b in zip(value_idx, value_idx[1:]))
    pitch = gaps[len(gaps) // 2] if gaps else 12.0
    owners: dict[str, dict[int, tuple[float, int]]] = {"symbol": {}, "name": {}}
    for channel in ("symbol", "name"):
        runs: dict[int, tuple[list[int], list[int], bool]] = {}
        claimants: dict[int, list[tuple[float, int]]] = {}
        for li in label_only:
            inf = infos[li]
            if not getattr(inf, channel):
                continue
            has = (lambda x, c=channel: bool(getattr(x, c)))
            above, below = [], []
            sym_between = False
            j = li - 1
            while j >= 0 and not has(infos[j]):
                if infos[j].has_values:
                    above.append(j)
                sym_between |= bool(infos[j].symbol)
                j -= 1
            j = li + 1
            while j < len(infos) and not has(infos[j]):
                if infos[j].has_values:
                    below.append(j)
                sym_between |= bool(infos[j].symbol)
                j += 1
            # a label set between two rows no further apart than rows usually are is a merged
            # cell centred on its group: it owns as many rows above as below. A label on a line
            # of its own (a title over rows that carry their own symbols) owns the rows below.
            centred = bool(above and below) and (infos[below[0]].y - infos[above[0]].y) < 1.6 * pitch
            if channel == "name" and not inf.symbol and sym_between:
                centred = False
            if _variants_of(inf):
                # a label line naming a family member heads the rows below it
                centred = False
            claim = below + (above if centred else [])
            if not below and above and j >= len(infos):
                claim = above[:1]
            runs[li] = (above if centred else [], below, centred)
            for v in claim:
                claimants.setdefault(v, []).append((abs(infos[v].y - inf.y), li))
        owner = {v: min(c) for v, c in claimants.items()}
        # balance: a centred label owns no more rows above it than below it
        for _ in range(4):
            changed = False
            for li, (above, below, centred) in runs.items():
                if not centred:
                    continue
                nb = sum(1 for v in below if owner.get(v, (0, -1))[1] == li)
                mine = [v for v in above if owner.get(v, (0, -1))[1] == li]  # nearest first
                for v in mine[nb:]:
                    rest = [c for c in claimants[v] if c[1] != li]
                    claimants[v] = rest
                    if rest:
                        owner[v] = min(rest)
                    else:
                        owner.pop(v, None)
                    changed = True
            if not changed:
                break
        owners[channel] = owner
    # label-only lines that own no row continue the name of the nearest row (wrapped name cells)
    claimed_by = {li for own in owners.values() for _, li in own.values()}
    extra: dict[int, list[int]] = {}
    for li in label_only:
        if li in claimed_by or (infos[li].symbol and (infos[li].units or infos[li].zone_text)):
            # a line with its own symbol, unit and a non-numeric value ("PD/(VIN-VOUT)",
            # "Internally limited") is a parameter of its own
            continue
        y = infos[li].y
        near = [v for v in value_idx if abs(infos[v].y - y) <= 1.8 * infos[li].line.size]
        if not near:
            continue
        own = [v for v in near if infos[v].has_label]
        pool = own or near
        v = min(pool, key=lambda v: abs(infos[v].y - y))
        extra.setdefault(v, []).append(li)
    pairs: list[tuple[_LineInfo, list[_LineInfo]]] = []
    last_label: int | None = None
    for i in range(len(infos)):
        inf = infos[i]
        if not inf.has_values:
            if inf.has_label and i in claimed_by:
                last_label = i
            continue
        sym_src = i if inf.symbol else (owners["symbol"][i][1] if i in owners["symbol"] else None)
        name_src = i if inf.name else (owners["name"][i][1] if i in owners["name"] else None)
        if sym_src is None and name_src is None and last_label is not None:
            # a row without a label continues the group above
            sym_src = name_src = last_label
        if inf.has_label or sym_src is not None or name_src is not None:
            last_label = i if inf.has_label else (sym_src if sym_src is not None else name_src)
        group = [inf]
        for src in (sym_src, name_src):
            if src is not None and infos[src] not in group:
                group.append(infos[src])
        group += [infos[k] for k in extra.get(i, []) if infos[k] not in group]
        inf.sym_src = infos[sym_src] if sym_src is not None else None
        inf.name_srcs = ([infos[name_src]] if name_src is not None else []) + [infos[k] for k in extra.get(i, [])]
        pairs.append((inf, group))
    return pairs


def _row_unit(inf: _LineInfo, group: list[_LineInfo], infos: list[_LineInfo], idx: int) -> str:
    if inf.units:
        return inf.units[0]
    for g in group:
        if g.units and not g.has_values:
            return g.units[0]
    return ""


def _variants_of(inf: _LineInfo) -> list[str]:
    return [t for t in inf.other if is_variant_token(t)]


def _variant_rows(table: Table, start: int, infos: list[_LineInfo], meta: list[tuple[int, int | None]]) -> None:
    """Family sub-rows: rows of one parameter that differ by part number.

    - Stacked variant names one line off their values ("VCEO 30 / PN2222 40 / PN2222A"): when a
      parameter's group has as many variant names as value rows, they pair in order.
    - Otherwise a continuation row (no label of its own) keeps the variant of the row above."""
    rows = table.rows[start:]
    groups: list[list[int]] = []
    for n, (i, src) in enumerate(meta):
        if groups and src is not None and meta[groups[-1][-1]][1] == src:
            groups[-1].append(n)
        else:
            groups.append([n])
    bounds = [min(meta[g[0]][0], meta[g[0]][1] if meta[g[0]][1] is not None else meta[g[0]][0]) for g in groups] + [len(infos)]
    for gi, g in enumerate(groups):
        lo, hi = bounds[gi], bounds[gi + 1]
        names = [_variants_of(infos[k]) for k in range(lo, hi)]
        names = [v for v in names if len(v) == 1]
        own = [_variants_of(infos[meta[n][0]]) for n in g]
        if len(g) >= 2 and len(names) == len(g) and [o[0] if o else None for o in own] != [v[0] for v in names]:
            for n, v in zip(g, names):
                rows[n].tags = [t for t in rows[n].tags if not is_variant_token(t)] + v
            continue
        # each row keeps the variant named nearest above it in its group (on its own line, as
        # "LM1117-5.0" over its two rows, or on the row a continuation row follows)
        for n, o in zip(g, own):
            if o:
                continue
            i = meta[n][0]
            for k in range(i - 1, lo - 1, -1):
                vk = _variants_of(infos[k])
                if vk:
                    if not infos[i].has_label or not infos[k].has_values:
                        rows[n].tags = [t for t in rows[n].tags if not is_variant_token(t)] + vk
                    break


_SYMBOL_IN_NAME = re.compile(r"^[a-zα-ω]?[A-Z][A-Z0-9]{1,5}(\([A-Za-z]{1,4}\))?$")


def _rejoin_labels(rows: list[Row]) -> None:
    """A label split over two value rows ("Large-signal  25°C  differential" over "AVD voltage
    Full range amplification"): when two adjacent value rows each print part of a name and only
    one of them a symbol, both are that one parameter, and both take the joined label."""
    k = 0
    while k + 1 < len(rows):
        a, b = rows[k], rows[k + 1]
        close = 0 < b.y - a.y <= 2.6 * max(a.size, b.size)
        sym_a = a.symbol.split() or [t for t in a.name.split() if _SYMBOL_IN_NAME.match(t)]
        sym_b = b.symbol.split() or [t for t in b.name.split() if _SYMBOL_IN_NAME.match(t)]
        if close and a.name and b.name and bool(sym_a) != bool(sym_b) and not a.tags and not b.tags:
            words_a = [re.sub(r"\^?\(\d\)$", "", t) for t in a.name.split() if t not in sym_a]
            words_b = [re.sub(r"\^?\(\d\)$", "", t) for t in b.name.split() if t not in sym_b]
            if words_a and words_b and words_b[0][:1].islower() and len(words_a) <= 5 and len(words_b) <= 5 and not re.search(r"\d", " ".join(words_a + words_b)):
                name = " ".join(words_a + words_b)
                sym = " ".join(sym_a or sym_b)
                for r in (a, b):
                    r.name, r.symbol = name, sym
                k += 2
                continue
        k += 1


def _build_rows(table: Table, infos: list[_LineInfo], page: int) -> None:
    pairs = _assign_rows(infos)
    index = {id(inf): i for i, inf in enumerate(infos)}
    zone_conds: list[tuple[float, str]] = []
    start = len(table.rows)
    meta: list[tuple[int, int | None]] = []
    for n, (inf, group) in enumerate(pairs):
        i = index[id(inf)]
        src = inf.sym_src if inf.sym_src is not None else (inf.name_srcs[0] if inf.name_srcs else None)
        meta.append((i, i if inf.has_label else (index[id(src)] if src is not None else None)))
        # conditions printed over the value columns on a line without values apply to the rows
        # below it ("TJ = 25 °C   TJ = 100 °C" over two columns), until the next such line
        for k in range(i, -1, -1):
            if infos[k].zone_conds and (not infos[k].has_values or k == i):
                zone_conds = infos[k].zone_conds
                break
            if k < i and infos[k].has_values and infos[k].has_label and k != i:
                zone_conds = []
                break
        name_lines = sorted(inf.name_srcs, key=lambda g: g.y)
        name = " ".join(" ".join(g.name) for g in name_lines if g.name)
        symbol = " ".join(inf.sym_src.symbol) if inf.sym_src is not None else ""
        if not symbol and not inf.name and inf.sym_src is None and inf.name_srcs:
            symbol = " ".join(inf.name_srcs[0].symbol)
        conds = list(inf.cond)
        for g in group:
            if g is not inf and not g.has_values and g.cond:
                conds = conds + g.cond
        # continuation lines directly below with conditions only
        j = i + 1
        while j < len(infos) and not infos[j].has_values and not infos[j].has_label and infos[j].cond:
            nxt_val = next((k for k in range(j + 1, len(infos)) if infos[k].has_values), None)
            if nxt_val is not None and abs(infos[nxt_val].y - infos[j].y) < abs(infos[j].y - inf.y) * 0.8:
                break
            conds += infos[j].cond
            j += 1
        # condition lines just above that belong to this row (no values, no label, nearer to us)
        j = i - 1
        while j >= 0 and not infos[j].has_values and not infos[j].has_label and infos[j].cond:
            prev_val = next((k for k in range(j - 1, -1, -1) if infos[k].has_values), None)
            if prev_val is None or abs(infos[j].y - inf.y) < abs(infos[j].y - infos[prev_val].y):
                conds = infos[j].cond + conds
            j -= 1
        unit = _row_unit(inf, group, infos, i)
        cands = []
        for k in range(max(0, i - 5), min(len(infos), i + 6)):
            for u in infos[k].units:
                cands.append((abs(infos[k].y - inf.y), u))
        cands.sort(key=lambda du: du[0])
        tags = list(inf.other) if inf.other else [t for g in group for t in g.other]
        src_lines = []
        for g in sorted(group, key=lambda g: g.y):
            if g.line.text not in src_lines:
                src_lines.append(g.line.text)
        table.rows.append(
            Row(
                page=page,
                y=inf.line.top,
                name=clean_text(name),
                symbol=clean_text(symbol),
                conditions=clean_text(" ".join(conds)),
                cells=list(inf.cells),
                unit=unit,
                text=" | ".join(src_lines),
                table=table,
                tags=tags,
                column_conditions=list(zone_conds),
                unit_candidates=cands,
                size=inf.line.size,
            )
        )
    _rejoin_labels(table.rows[start:])
    _variant_rows(table, start, infos, meta)


# ---- tables on a page ---------------------------------------------------------------------------

def _is_heading(line: Line, body_size: float) -> bool:
    t = line.text.strip()
    if not t or len(t) > 110:
        return False
    if section_of(t) is None:
        return False
    if any(parse_number(w.text) is not None for w in line.words[1:]) and not re.match(r"^(table|\d+(\.\d+)*)\b", t, re.I):
        # "Thermal Resistance Junction to Ambient 100 K/W" is a row, not a heading
        nums = [w for w in line.words if parse_number(w.text) is not None]
        if len(nums) >= 1 and not re.search(r"(unless|otherwise|T[AJ]\s*=)", t, re.I):
            return False
    bold = any(w.bold for w in line.words)
    upper = t.upper() == t and len(t) > 6
    return bold or upper or line.size > body_size * 1.08 or bool(re.match(r"^(table\s*\d+|\d+(\.\d+)+)\b", t, re.I)) or True


def find_tables(lines: list[Line], page: int, prev_tail: str = "") -> list[Table]:
    """All tables on a page, header-led and headerless (under a ratings/characteristics heading)."""
    if not lines:
        return []
    sizes = sorted(ln.size for ln in lines)
    body = sizes[len(sizes) // 2]
    tables: list[Table] = []
    headers = [i for i, ln in enumerate(lines) if _is_header(ln) or _is_family_header(lines, i)]
    # the section and title in force at each line
    section, title, default_cond = None, "", ""
    heading_at: dict[int, tuple[str | None, str, str]] = {}
    for i, ln in enumerate(lines):
        if _is_heading(ln, body):
            sec = section_of(ln.text)
            if sec:
                section, title = sec, clean_text(ln.text)
                default_cond = ""
        if re.search(r"unless\s+otherwise|T[AJ]\s*=\s*\+?25", ln.text, re.I) and len(ln.text) < 260 and not _is_header(ln):
            default_cond = (default_cond + " " + clean_text(ln.text)).strip() if i - 1 in heading_at else clean_text(ln.text)
        heading_at[i] = (section, title, default_cond)
    used: set[int] = set()
    consumed = -1
    built = []
    for hi in headers:
        if hi <= consumed:
            continue
        cols, first, last = _build_columns(lines, hi)
        consumed = last
        built.append((hi, cols, first, last))
    headers = [b[0] for b in built]
    for n, (hi, cols, first, last) in enumerate(built):
        if not any(c.is_value for c in cols):
            continue
        sec, ttl, dcond = heading_at.get(first - 1, (None, "", "")) if first > 0 else (None, "", "")
        for k in range(first, last + 1):
            own = section_of(re.sub(r"\b[A-Z0-9]*\d[A-Z0-9-]*\b", "", lines[k].text))
            if own and own != "summary":
                sec, ttl = own, clean_text(lines[k].text)
        if first == 0 and prev_tail:
            dcond = prev_tail
        end = built[n + 1][2] if n + 1 < len(built) else len(lines)
        title_line = lines[first - 1].text if first > 0 and len(lines[first - 1].text) < 120 else ""
        table = Table(
            page=page,
            top=lines[first].top,
            columns=cols,
            title=clean_text(title_line if section_of(title_line) or re.match(r"^table", title_line, re.I) else (ttl or title_line)),
            section=_table_section(sec, lines[first].text + " " + title_line, cols),
            default_conditions=dcond,
            header_text=" | ".join(lines[k].text for k in range(first, last + 1)),
        )
        # stop earlier at a heading, a footnote or a long gap
        body_lines = []
        infos = []
        size = lines[hi].size
        prev = lines[last]
        for j in range(last + 1, end):
            ln = lines[j]
            if ln.top - prev.bottom > 3.5 * size:
                break
            if section_of(ln.text) and _is_heading(ln, body) and not any(parse_number(w.text) is not None for w in ln.words) and j > last + 1 and _looks_like_title(ln, body):
                # a sub-heading inside a table ("OFF CHARACTERISTICS") does not end it; a new title does
                if re.match(r"^(table\s*\d+|\d+(\.\d+)+\s)", ln.text.strip(), re.I) or ln.size > size * 1.15:
                    break
            info = _classify(ln, table)
            if not info.has_values and j > last + 1 and (
                re.match(r"^\s*(notes?\s*:|\d{1,2}\.|\(\d{1,2}\)|\^?\d\)|\*{1,3}|[a-f]\.)\s*[A-Z][a-z]+", ln.text)
                and len(ln.text.split()) >= 4 or _is_prose(ln.text)
            ):
                # a footnote ("2. Pulse Test: Pulse Width ≤ 300 µs") closes the table
                break
            body_lines.append(j)
            infos.append(info)
            prev = ln
        _build_rows(table, infos, page)
        tables.append(table)
        used.update(range(first, (body_lines[-1] + 1) if body_lines else last + 1))
    # headerless regions under a ratings or characteristics heading
    tables += _headerless(lines, page, used, body)
    return tables


def _segments(ln: Line) -> list[list[Word]]:
    """The words of a line in runs separated by wide gaps (side-by-side lists)."""
    out: list[list[Word]] = []
    for w in ln.words:
        if out and w.x0 - out[-1][-1].x1 <= 2.5 * min(w.size, out[-1][-1].size):
            out[-1].append(w)
        else:
            out.append([w])
    return out


_PROSE = re.compile(r"\b(the|is|are|of|be|can|may|with|this|that|which|for|when|than|should|will)\b", re.I)


def _is_prose(text: str) -> bool:
    """Sentences (notes, descriptions) are not table rows."""
    t = clean_text(text)
    if re.match(r"^\s*(\(\d+\)|\d\.|\*+|note|notes)\s", t, re.I) and len(t.split()) > 6:
        return True
    words = t.split()
    return len(words) > 10 and len(_PROSE.findall(t)) >= 3


def _looks_like_title(ln: Line, body: float) -> bool:
    t = ln.text.strip()
    return len(t) < 90


def _table_section(sec: str | None, header: str, cols: list[Column]) -> str:
    kinds = {c.role for c in cols if c.role in ("min", "typ", "max")}
    if sec == "ratings":
        return "ratings"
    if sec == "recommended":
        return "recommended"
    if sec == "thermal":
        return "thermal"
    if sec in ("characteristics", None, "summary", "typical"):
        if not kinds and sec in (None, "summary"):
            # "Symbol Parameter Value Unit" with no min/typ/max: a ratings table
            return "ratings"
        return "characteristics" if kinds else (sec or "ratings")
    return sec


_TRAILING_QTY = re.compile(r"^[<>≤≥]?[±+\-]?\d")


def _headerless(lines: list[Line], page: int, used: set[int], body: float) -> list[Table]:
    """Rating lists without a column header: one value column where the numbers stand."""
    out: list[Table] = []
    i = 0
    n = len(lines)
    while i < n:
        if i in used:
            i += 1
            continue
        sec = section_of(lines[i].text) if len(lines[i].text) < 90 else None
        if sec not in ("ratings", "characteristics", "recommended", "summary"):
            i += 1
            continue
        start = i + 1
        region = []
        j = start
        while j < n and j not in used:
            if j > start and section_of(lines[j].text) and len(lines[j].text) < 60 and not any(
                parse_number(w.text) is not None for w in lines[j].words
            ):
                break
            region.append(j)
            j += 1
        i = j
        if not region:
            continue
        # where do numbers with units stand? one column at their median x
        xs = []
        for k in region:
            for w, q, _ in _value_tokens(lines[k].words):
                if q is not None and (q.unit or True) and w.x0 > lines[k].x0 + 40:
                    xs.append(w.xc)
        if len(xs) < 2:
            continue
        xs.sort()
        med = xs[len(xs) // 2]
        col = Column("value", med - 25, med + 25)
        table = Table(page=page, top=lines[region[0]].top, columns=[Column("param", lines[region[0]].x0, lines[region[0]].x0 + 40), col],
                      title=clean_text(lines[start - 1].text), section=sec if sec != "summary" else "summary", headerless=True)
        infos = []
        for k in region:
            ln = lines[k]
            if _is_prose(ln.text):
                continue
            inf = _LineInfo(ln)
            toks = _value_tokens(ln.words)
            # the value of a rating line is its last number (with unit) right of the label
            cand = [(w, q, t) for w, q, t in toks if q is not None and w.x0 > ln.x0 + 30 and abs(w.xc - med) < 120]
            seg = _segments(ln)
            if len(seg) > 1:
                # two rating lists side by side: each segment is "label ... value"; take the
                # segment whose value stands nearest the column, else the first with a value
                entries: list[tuple[list[Word], list]] = []  # (words, value tokens)
                for sg in seg:
                    vals = [(w, q, t) for w, q, t in _value_tokens(sg) if q is not None]
                    only_values = all(
                        parse_quantity(clean_text(w.text)) is not None or parse_unit(clean_text(w.text)) is not None for w in sg)
                    if only_values and entries:
                        # a value segment belongs to the label (and values) before it
                        entries[-1][0].extend(sg)
                        entries[-1][1].extend(vals)
                        continue
                    if entries and not entries[-1][1] and len(entries[-1][0]) <= 2:
                        # a symbol set apart from its name ("VIN   Supply Input Voltage")
                        entries[-1][0].extend(sg)
                        entries[-1][1].extend((w, q, t) for w, q, t in vals if w.x0 > sg[0].x0 + 30)
                        continue
                    entries.append((list(sg), [(w, q, t) for w, q, t in vals if w.x0 > sg[0].x0 + 30]))
                per = []
                for words, vals in entries:
                    if vals:
                        near_vals = [v for v in vals if abs(v[0].xc - med) < 120]
                        per.append((words, (near_vals or vals)[-1]))
                if per:
                    near = [p for p in per if abs(p[1][0].xc - med) < 120]
                    sg, best = (near or per)[0]
                    cand = [best]
                    ln = Line(list(sg))
            if cand:
                w, q, t = cand[-1]
                unit = ""
                if not q.unit:
                    after = [x for x in ln.words if x.x0 >= w.x1 - 0.5]
                    if after:
                        unit = clean_text(after[0].text) if after[0] is not w else ""
                        if len(after) > 1 and after[0] is w:
                            unit = clean_text(after[1].text)
                inf.cells.append(Cell(1, q, t, w.xc))
                if unit and parse_unit(unit) is not None:
                    inf.units.append(unit)
                label_words = [x for x in ln.words if x.x1 <= w.x0 + 0.5 and x is not w]
                # drop a '±' or '<' glued to the value, leader dots
                text = " ".join(x.text for x in label_words)
                text = re.sub(r"\.{3,}", " ", text)
                toks = text.split()
                while toks and toks[-1] in ("±", "<", ">", "≤", "="):
                    toks.pop()
                inf.name = toks
            else:
                text = re.sub(r"\.{3,}", " ", ln.text)
                inf.name = text.split()
                u = [clean_text(x.text) for x in ln.words if x.xc > med - 30 and parse_unit(clean_text(x.text)) is not None]
                inf.units += u[:1]
            _split_label(inf)
            infos.append(inf)
        _build_rows(table, infos, page)
        out.append(table)
    return out
