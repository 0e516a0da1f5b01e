"""No extraction rule is keyed to a file, vendor or part number of the labelled development set.

The labels are read at test time; every string literal of the datasheet code (docstrings and
comments are documentation and may cite examples) is searched for the labelled part numbers,
their stems, the manufacturers and the file names.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODE = sorted((REPO / "knowledge" / "datasheet").glob("*.py")) + [REPO / "agents" / "extract.py"] + sorted((REPO / "pipelines").glob("datasheet*.py"))
_GENERIC = {"international", "national", "central", "texas", "alpha", "micro", "diodes", "general", "semiconductor", "semiconductors", "electronic", "electronics", "technology", "components", "incorporated"}


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                docs.add(id(first.value))
    return [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def _needles(shared: Path) -> list[str]:
    out: set[str] = set()
    for lf in sorted((shared / "datasets" / "datasheets" / "labels").glob("*.json")):
        lab = json.loads(lf.read_text(encoding="utf-8"))
        part = str(lab.get("part", "")).split()[0].strip("(),;")
        out.add(part.upper())
        stem = re.match(r"[A-Z0-9]+", part.upper())
        if stem and len(stem.group(0)) >= 4:
            out.add(stem.group(0))
        out.add(lf.stem.upper())
        maker = re.sub(r"\s*\(.*", "", str(lab.get("manufacturer", "")))
        out.add(maker.upper())
        for tok in re.findall(r"[A-Za-z]{4,}", maker):
            if tok.lower() not in _GENERIC:
                out.add(tok.upper())
    return sorted(n for n in out if len(n) >= 4)


def test_no_rule_names_a_labelled_part_vendor_or_file(shared_dir):
    needles = _needles(shared_dir)
    assert len(needles) > 40  # parts, stems, files and makers of the 35 labelled sheets
    offenders = []
    for path in CODE:
        for line, text in _literals(path):
            up = text.upper()
            for n in needles:
                if re.search(rf"(?<![A-Z0-9]){re.escape(n)}(?![A-Z0-9])", up):
                    offenders.append(f"{path.relative_to(REPO)}:{line}: {n!r} in {text[:60]!r}")
    assert not offenders, "\n".join(offenders)


def test_the_scan_sees_a_planted_part_number(tmp_path):
    planted = tmp_path / "rule.py"
    planted.write_text('"""Doc 1N4148."""\nSPECIAL = {"1N4148": 1}\n', encoding="utf-8")
    lits = _literals(planted)
    assert [t for _, t in lits] == ["1N4148"]  # the docstring is skipped, the literal is seen
