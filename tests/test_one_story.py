"""One story in the outputs (issue 11): the report's parts table, the plan and the CircuitJSON agree.

Over designs of the generalisation benchmark's requests (two of every category): a part the table says
is in the design is placed (itself or a part of its kind), a part of the needed kind that was placed
is not reported missing, and parts the checks' fixes added or removed are stated with the final count.
"""

from __future__ import annotations

import re

import pytest

from benchmarks.expectations import load_bench
from circuit.requirement_gate import family
from pipelines.design import design
from pipelines.report import design_report


def _sample(library) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for r in load_bench(library).requests:
        if r.stop or seen.get(r.cat, 0) >= 2:
            continue
        seen[r.cat] = seen.get(r.cat, 0) + 1
        out.append(r.request)
    return out


def _needs_rows(report: str) -> list[list[str]]:
    m = re.search(r"### What it needs\n\n\|.*\|\n\|[-|]+\n((?:\|.*\|\n)+)", report)
    return [[c.strip() for c in row.strip().strip("|").split("|")] for row in m.group(1).splitlines()] if m else []


@pytest.fixture(scope="module")
def designs(library):
    return [design(text, backend="rules") for text in _sample(library)]


def test_the_parts_table_says_what_was_placed(designs, library):
    checked = 0
    for st in designs:
        if not st.get("circuit"):
            continue
        parts = {p["id"]: p["type"] for p in st["circuit"]["parts"]}
        for key, _qty, _why, _named, where in _needs_rows(design_report(st)):
            kin = family(key, library) if key in library else {key}
            here = [i for i, t in parts.items() if t in kin]
            if where == "no":
                assert not here, f"{st['request']!r}: {key} is reported missing but {here} are placed"
            else:
                ids = [w.split(" (")[0].strip() for w in where.split(",")]
                assert ids and all(parts.get(i) in kin for i in ids), f"{st['request']!r}: {key} -> {where}"
            checked += 1
    assert checked >= 10


def test_parts_the_fixes_changed_are_stated_with_the_final_count(designs):
    for st in designs:
        if not st.get("circuit"):
            continue
        planned = {p["id"]: p["type"] for p in (st.get("plan") or {}).get("parts") or []}
        parts = {p["id"]: p["type"] for p in st["circuit"]["parts"]}
        report = design_report(st)
        line = next((x for x in report.splitlines() if x.startswith("After planning")), None)
        if planned == parts:
            assert line is None
            continue
        assert line is not None and f"the design has {len(parts)} parts" in line, st["request"]
        for pid, typ in parts.items():
            if planned.get(pid) != typ:
                assert f"{pid} ({typ})" in line.replace("\\", "")
