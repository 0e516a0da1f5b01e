"""Scoring an extraction against hand-checked labels (the format of shared/datasets/datasheets/labels).

- A label ``NAME`` / ``NAME_min`` / ``NAME_typ`` / ``NAME_max`` is the quantity NAME with the kind
  stored in the label entry.
- Exact match (EM): a prediction of that quantity and kind within 1 % of the label value.
- Value match (for precision/recall/F1): a prediction of that quantity, any kind, within 1 %.
- A predicted quantity the labels never mention (not in ``params`` nor ``extra_params``) counts
  against precision; an unlabelled kind of a labelled quantity (the max behind a labelled typ)
  cannot be judged and is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.datasheet.catalog import CATALOG
from knowledge.datasheet.model import Extraction

__all__ = ["Score", "score_extraction", "label_quantity", "label_part"]

_SUFFIX = re.compile(r"_(min|typ|max)$")


def label_quantity(name: str) -> str:
    """'RDS_on_max' -> 'RDS_on'; names that are quantities themselves (VDS_max, IC_max) stay."""
    if any(s.name == name for specs in CATALOG.values() for s in specs):
        return name
    return _SUFFIX.sub("", name)


def label_part(label: dict) -> str:
    """The part a label file is about: the first word of its ``part`` field (AMS1117-3.3, L7805C)."""
    return str(label.get("part", "")).split()[0].strip("(),;")


def _close(a: float, b: float, tol: float = 0.01) -> bool:
    if b == 0:
        return abs(a) < 1e-15
    return abs(a - b) <= tol * abs(b)


@dataclass
class Score:
    labels: int = 0
    exact: int = 0
    value_match: int = 0
    predicted_judged: int = 0
    covered: int = 0
    spurious: int = 0
    details: list[tuple[str, str, float | None, float | None, str]] = field(default_factory=list)  # name, kind, label, pred, status

    @property
    def em(self) -> float:
        return self.exact / self.labels if self.labels else 0.0

    @property
    def precision(self) -> float:
        d = self.predicted_judged + self.spurious
        return self.value_match / d if d else 0.0

    @property
    def recall(self) -> float:
        return self.value_match / self.labels if self.labels else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.labels if self.labels else 0.0

    def __iadd__(self, other: "Score") -> "Score":
        self.labels += other.labels
        self.exact += other.exact
        self.value_match += other.value_match
        self.predicted_judged += other.predicted_judged
        self.covered += other.covered
        self.spurious += other.spurious
        self.details += other.details
        return self


def score_extraction(ex: Extraction, label: dict) -> Score:
    s = Score()
    params = label.get("params", {})
    extra = label.get("extra_params", {})
    by_q: dict[str, list] = {}
    for p in ex.params:
        by_q.setdefault(p.name, []).append(p)
    for name, entry in params.items():
        q, kind, value = label_quantity(name), entry["kind"], float(entry["value"])
        s.labels += 1
        preds = by_q.get(q, [])
        same_kind = [p for p in preds if p.kind == kind]
        if preds:
            s.covered += 1
            s.predicted_judged += 1
        if same_kind and _close(same_kind[0].value, value):
            s.exact += 1
            s.value_match += 1
            s.details.append((name, kind, value, same_kind[0].value, "ok"))
        elif any(_close(p.value, value) for p in preds):
            s.value_match += 1
            p = next(p for p in preds if _close(p.value, value))
            s.details.append((name, kind, value, p.value, f"kind {p.kind}"))
        elif preds:
            p = same_kind[0] if same_kind else preds[0]
            s.details.append((name, kind, value, p.value, "wrong" if same_kind else f"wrong ({p.kind})"))
        else:
            s.details.append((name, kind, value, None, "missing"))
    known = list(params) + list(extra)
    for q, preds in by_q.items():
        if not any(k == q or k.startswith(q + "_") for k in known):
            s.spurious += 1
            s.details.append((q, preds[0].kind, None, preds[0].value, "spurious"))
    return s
