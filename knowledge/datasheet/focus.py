"""Document focusing: which part a job is about, and which columns, rows and tables speak for it.

One datasheet often covers a family (1N4001…1N4007, BC546/547/548, L7805…L7824, LM158/LM258/
LM358/LM2904). The target part number decides:
- table columns headed by part numbers (take the 1N4007 column; a value centred over several
  columns is a merged cell and counts for each of them),
- rows tagged with part numbers (": BC547/550", "AMS1117-3.3", "BS170"),
- whole tables titled for some variants ("Electrical characteristics of L7805C").

A match is graded: 3 exact, 2 when the printed name is the stem of the target (LM358 for LM358-N,
IRLML6344 for IRLML6344TRPbF), 1 when the target is the stem of the printed name (L7805 for
L7805C), 0 otherwise (LM358 is not LM358A).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

__all__ = ["norm_part", "part_score", "expand_parts", "infer_part", "best_score", "PART_RE"]

PART_RE = re.compile(r"\b(?:[A-Z]{1,6}\d{2,}[A-Z0-9]*(?:[-/.#][A-Z0-9.]{1,6})*|\d[A-Z]\d{3,}[A-Z0-9]*)\b")
_NOT_PARTS = re.compile(
    r"^(SOT|TO|DO|SOD|SOIC|PDIP|DIP|MSOP|TSSOP|SC|DFN|QFN|SMA|SMB|SMC|MELF|DPAK|D2PAK|JESD|JEDEC|IEC|AEC|ISO|MIL|UL|DS|REV|RTH|PAGE|FIG|NOTE|AN|SN|SLVS|SNOS|E\d|R\d|J-STD|EN|RoHS|Q101|IPC|HBM|CDM|MM|LLC|PPAP|ANSI)",
    re.I,
)


def norm_part(text: str) -> str:
    t = text.upper().strip(" *,;:()[]")
    return re.sub(r"[^A-Z0-9.]", "", t).rstrip(".")


def part_score(target: str, printed: str) -> int:
    a, b = norm_part(target), norm_part(printed)
    if not a or not b or len(b) < 3:
        return 0
    if a == b:
        return 3
    # grade letters after the stem are a different part (LM358A is not LM358)
    if a.startswith(b) and len(b) >= 4:
        rest = a[len(b):]
        # LM358-N / IRLML6344TRPBF / MBR0520LT3G: the printed stem names our part
        return 2 if not re.fullmatch(r"[A-Z]", rest) or rest in ("N",) else 1
    if b.startswith(a) and len(a) >= 4:
        return 1
    return 0


def expand_parts(text: str) -> list[str]:
    """Part numbers printed in a cell: 'BC547/550' -> BC547, BC550; 'BD135-16/BD139-16' -> both."""
    out: list[str] = []
    for chunk in re.split(r"[\s,;]+", text.strip(" :*")):
        if not chunk:
            continue
        pieces = chunk.split("/")
        first = pieces[0]
        m = re.match(r"^([A-Z]*\d*?[A-Z]+)(\d+.*)$", first.upper())
        prefix = m.group(1) if m else ""
        for k, p in enumerate(pieces):
            p = p.strip()
            if not p:
                continue
            if k > 0 and p[0].isdigit() and prefix and not re.match(r"^\d[A-Z]", p):
                p = prefix + p
            out.append(p)
    return [p for p in out if PART_RE.fullmatch(p.upper()) and not _NOT_PARTS.match(p)]


def best_score(target: str | None, tokens: list[str]) -> int:
    if not target:
        return 0
    best = 0
    for t in tokens:
        for p in expand_parts(t):
            best = max(best, part_score(target, p))
    return best


def _candidates(text: str) -> list[str]:
    out = []
    for m in PART_RE.finditer(text.upper()):
        tok = m.group(0)
        if _NOT_PARTS.match(tok) or len(tok) < 4 or not re.search(r"\d", tok) or not re.search(r"[A-Z]", tok):
            continue
        if re.fullmatch(r"\d+[A-Z]{1,3}", tok):  # 100V, 25MA
            continue
        out.append(tok)
    return out


_RANGE = re.compile(r"([A-Z0-9][A-Z0-9.\-]{3,})\s*(?:THRU|THROUGH|TO|-|–|—|\.\.\.|…)\s*([A-Z0-9][A-Z0-9.\-]{3,})")


def _family_range(text: str) -> bool:
    """The first lines name a range of family members ("SS12 THRU SS1200", "1N5820 - 1N5822")."""
    head = "\n".join(text.upper().splitlines()[:12])
    for m in _RANGE.finditer(head):
        a, b = m.group(1), m.group(2)
        if PART_RE.fullmatch(a) and PART_RE.fullmatch(b) and a != b and re.match(r"[A-Z]*\d?[A-Z]*", a).group(0) == re.match(r"[A-Z]*\d?[A-Z]*", b).group(0):
            return True
    return False


def infer_part(pages_text: list[str], filename: str | Path | None = None) -> str | None:
    """The part a document is about: a part-number token of the file name that the document
    prints, else the most frequent part-number token of the first pages."""
    first = "\n".join(pages_text[:3])
    cands = Counter(c for c in _candidates(first) if len(c) <= 14)
    if filename:
        stem = Path(filename).stem
        everything = "\n".join(pages_text).upper().replace(" ", "")
        for tok in re.split(r"[_\s]+|__", stem):
            up = tok.upper()
            if len(up) >= 4 and re.search(r"\d", up) and re.search(r"[A-Z]", up):
                if up in everything or any(part_score(up, c) >= 2 or part_score(c, up) >= 2 for c in cands):
                    return tok
    if not cands:
        return None
    if _family_range(first):
        # the title names a range of members ("1N4001 THRU 1N4007"): no single part
        return None
    # the title part: frequent, early, and short (the family stem rather than an ordering code)
    ranked = sorted(cands.items(), key=lambda kv: (-kv[1], first.upper().find(kv[0]), len(kv[0])))
    return ranked[0][0]
