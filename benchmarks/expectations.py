"""The generalisation benchmark's expectations: load them, check them against a finished design.

``benchmarks/requests/requests.yaml`` holds design requests written from the category sheet
``benchmarks/requests/sheet.yaml``; each carries expectations written before any design was made
(see the header of requests.yaml for the notation). :func:`load_requests` validates the files
against the component library (every key and group must exist), and :func:`evaluate` checks one
design's CircuitJSON, or its stop, against one request and says which expectations were met.

A part counts when at least one of its pins is wired; it counts as many as its ``count``
(``cells``, ``pixels``, ``leds``) attribute says, so a 30-pixel strip is one part that counts 30.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from circuit.model import Circuit
from circuit.quantities import QuantityError, parse_quantity
from circuit.timer_reading import TIMING_MODES, answering, driven_by_controller, read_timers
from circuit.trigger_check import read_switching
from knowledge.library import Library

HERE = Path(__file__).resolve().parent / "requests"
SHEET = HERE / "sheet.yaml"
REQUESTS = HERE / "requests.yaml"
MULTIPLICITY_ATTRS = ("count", "cells", "cells_series", "pixels", "leds")
_TERM = re.compile(r"^\s*(?P<term>[@a-z0-9][a-z0-9:._+-]*)\s*(?:x\s*(?P<n>\d+))?\s*$")


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    cat: str
    style: str
    cells: dict[str, str] = Field(default_factory=dict)
    request: str = Field(min_length=3)
    need: list[str] = Field(default_factory=list)
    forbid: list[str] = Field(default_factory=list)
    board: str | None = None
    stop: bool = False
    near: list[str] = Field(default_factory=list)
    near_forbid: list[str] = Field(default_factory=list)
    on_when: Literal["high", "low"] | None = None
    # a quantity the request states (input volts, a load's current, a battery's voltage) is beyond the ratings of
    # every library part that could do the job, or of the part it names: the design must not be marked PASS,
    # and a blocking finding of the requirement gate must name the rating (rule REQ-RATING-...)
    refuse: bool = False
    # what the output does in time: "blink [N Hz]", "alternate [N Hz]", "one-shot [N s]", "delay [N s]", "fade"
    timing: str | None = None
    # rules whose findings (any severity, warnings included) must not be in the design: a part the design leaves
    # in a state its record warns of (an enable or reset input floating) is wrong even where no gate blocks it
    findings_forbid: list[str] = Field(default_factory=list)


def parse_timing(item: str) -> tuple[str, float | None]:
    """'blink 2 Hz' -> ('blink', 2.0); 'one-shot 30 s' -> ('one-shot', 30.0); 'fade' -> ('fade', None)."""
    mode, _, figure = item.strip().partition(" ")
    if mode not in TIMING_MODES:
        raise BenchFileError(f"timing {item!r}: the mode must be one of {', '.join(TIMING_MODES)}")
    if not figure.strip():
        return mode, None
    unit = "s" if mode in ("one-shot", "delay") else "Hz"
    try:
        return mode, parse_quantity(figure, unit).value
    except (QuantityError, ValueError) as e:
        raise BenchFileError(f"timing {item!r}: {e}") from None


class Sheet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    axes: dict[str, list[str]]
    categories: dict[str, str]
    styles: dict[str, str]
    groups: dict[str, list[str]]


class BenchFileError(ValueError):
    """The sheet or the requests file is inconsistent (an unknown key, group, axis or category)."""


@dataclass
class Outcome:
    """What one design did against its request's expectations."""

    met: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)   # "expectation: why"

    @property
    def ok(self) -> bool:
        return not self.unmet


class Terms:
    """Resolves expectation terms (key, @group, category:X, cap:slug, spice:kind) to sets of library keys."""

    def __init__(self, sheet: Sheet, library: Library):
        self.sheet = sheet
        self.library = library

    def keys(self, term: str, _seen: frozenset[str] = frozenset()) -> set[str]:
        if term.startswith("@"):
            name = term[1:]
            if name not in self.sheet.groups:
                raise BenchFileError(f"unknown group {term!r} (groups: {sorted(self.sheet.groups)})")
            if name in _seen:
                raise BenchFileError(f"group {term!r} includes itself")
            out: set[str] = set()
            for t in self.sheet.groups[name]:
                out |= self.keys(t, _seen | {name})
            return out
        if term.startswith("category:"):
            cat = term.split(":", 1)[1]
            found = {r.key for r in self.library if r.category == cat}
            if not found:
                raise BenchFileError(f"no record has category {cat!r}")
            return found
        if term.startswith("spice:"):  # every record the SPICE gate models as this kind (npn, nmos, diode ...)
            kind = term.split(":", 1)[1]
            found = {r.key for r in self.library if r.spice.kind == kind}
            if not found:
                raise BenchFileError(f"no record has spice kind {kind!r}")
            return found
        if term.startswith("cap:"):
            slug = term.split(":", 1)[1]  # records fill `provides` over time: an unknown slug matches nothing yet
            return {r.key for r in self.library if any(c.capability == slug for c in r.provides)}
        if term not in self.library:
            raise BenchFileError(f"{term!r} is not a library key")
        return {term}


def parse_alternatives(item: str) -> list[tuple[str, int]]:
    """'a x2|@b' -> [('a', 2), ('@b', 1)]."""
    out = []
    for alt in item.split("|"):
        m = _TERM.match(alt)
        if not m:
            raise BenchFileError(f"cannot read expectation term {alt!r} in {item!r}")
        out.append((m.group("term"), int(m.group("n") or 1)))
    return out


@dataclass
class Bench:
    sheet: Sheet
    requests: list[Request]
    terms: Terms

    def validate(self) -> None:
        seen: set[str] = set()
        for r in self.requests:
            where = f"request {r.id}"
            if r.id in seen:
                raise BenchFileError(f"{where}: duplicate id")
            seen.add(r.id)
            if r.cat not in self.sheet.categories:
                raise BenchFileError(f"{where}: category {r.cat!r} is not on the sheet")
            if r.style not in self.sheet.styles:
                raise BenchFileError(f"{where}: style {r.style!r} is not on the sheet")
            for axis, value in r.cells.items():
                if value not in self.sheet.axes.get(axis, []):
                    raise BenchFileError(f"{where}: {axis}={value!r} is not a value of that axis on the sheet")
            if not (r.need or r.forbid or r.board or r.stop or r.timing or r.refuse or r.findings_forbid):
                raise BenchFileError(f"{where}: no expectation")
            if r.refuse and (r.stop or r.need or r.board):
                raise BenchFileError(f"{where}: a refuse case names nothing it needs (the design must not pass)")
            if r.stop and (r.need or r.board or not r.near):
                raise BenchFileError(f"{where}: a stop case names its near-misses (near) and nothing it needs")
            for item in r.need + r.forbid + r.near + r.near_forbid:
                for term, _ in parse_alternatives(item):
                    try:
                        self.terms.keys(term)
                    except BenchFileError as e:
                        raise BenchFileError(f"{where}: {e}") from None
            if r.timing is not None:
                try:
                    parse_timing(r.timing)
                except BenchFileError as e:
                    raise BenchFileError(f"{where}: {e}") from None
            if r.board is not None and (r.board not in self.terms.library
                                        or not self.terms.library.get(r.board).is_mcu):
                raise BenchFileError(f"{where}: board {r.board!r} is not a controller in the library")


def load_bench(library: Library | None = None, sheet: Path = SHEET, requests: Path = REQUESTS) -> Bench:
    library = library or Library.default()
    try:
        sh = Sheet.model_validate(yaml.safe_load(sheet.read_text(encoding="utf-8")))
        raw = yaml.safe_load(requests.read_text(encoding="utf-8"))
        reqs = [Request.model_validate(x) for x in raw["requests"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as e:
        raise BenchFileError(f"cannot read the benchmark files: {e}") from e
    bench = Bench(sheet=sh, requests=reqs, terms=Terms(sh, library))
    bench.validate()
    return bench


# ---- checking a design --------------------------------------------------------------------------
def multiplicity(part: dict) -> int:
    attrs = part.get("attrs") or {}
    for a in MULTIPLICITY_ATTRS:
        v = attrs.get(a)
        try:
            n = int(float(v))
        except (TypeError, ValueError):
            continue
        if n >= 1:
            return n
    return 1


def wired_counts(circuit: dict) -> dict[str, int]:
    """Library key -> how many of it the design holds with at least one pin wired."""
    wired: set[str] = set()
    for conn in circuit.get("connections") or []:
        for ep in list(conn)[:2]:
            if isinstance(ep, str) and ":" in ep:
                wired.add(ep.split(":", 1)[0])
    counts: dict[str, int] = {}
    for p in circuit.get("parts") or []:
        if p.get("id") in wired:
            counts[p.get("type", "")] = counts.get(p.get("type", ""), 0) + multiplicity(p)
    return counts


def _count(counts: dict[str, int], keys: Iterable[str]) -> int:
    return sum(counts.get(k, 0) for k in keys)


def evaluate(req: Request, terms: Terms, circuit: dict | None, stopped: str | None = None,
             near_misses: Iterable[str] = (), passed: bool = False, findings: Iterable[dict] = ()) -> Outcome:
    """Check one design (its CircuitJSON, or the stop it ended in) against one request. ``passed`` and
    ``findings`` (the turn's verdict and findings) are what a ``refuse`` case is judged by."""
    out = Outcome()
    if req.refuse:
        return _refused(passed, stopped, findings, out)
    if req.stop:
        if not stopped:
            out.unmet.append("stop: the design went ahead with a part the library lacks")
            return out
        out.met.append("stop")
        near = set(near_misses)
        want = set().union(*(terms.keys(t) for item in req.near for t, _ in parse_alternatives(item)))
        if near & want:
            out.met.append("near: " + ", ".join(sorted(near & want)))
        else:
            out.unmet.append(f"near: none of the near-misses ({', '.join(sorted(near)) or 'none'}) is of the same kind")
        bad = near & set().union(*(terms.keys(t) for item in req.near_forbid for t, _ in parse_alternatives(item)))
        if bad:
            out.unmet.append("near_forbid: offered " + ", ".join(sorted(bad)))
        return out
    if stopped or not circuit:
        out.unmet.append(f"design: stopped ({(stopped or 'no circuit')[:120]})")
        return out
    counts = wired_counts(circuit)
    for item in req.need:
        best = []
        for term, n in parse_alternatives(item):
            have = _count(counts, terms.keys(term))
            if have >= n:
                out.met.append(item)
                break
            best.append(f"{term} {have}/{n}")
        else:
            out.unmet.append(f"need {item}: " + ", ".join(best))
    for item in req.forbid:
        for term, _ in parse_alternatives(item):
            present = sorted(k for k in terms.keys(term) if counts.get(k))
            if present:
                out.unmet.append(f"forbid {term}: has {', '.join(present)}")
            else:
                out.met.append(f"forbid {term}")
    if req.on_when:
        _on_when(req.on_when, terms.library, circuit, counts, out)
    if req.timing:
        _timing(req.timing, terms.library, circuit, out)
    for rule in req.findings_forbid:
        hit = sorted({str(f.get("where") or "") for f in findings if f.get("rule") == rule})
        if hit:
            out.unmet.append(f"findings_forbid {rule}: at {'; '.join(hit)[:120]}")
        else:
            out.met.append(f"findings_forbid {rule}")
    if req.board:
        mcus = {r.key for r in terms.library if r.is_mcu}
        present = sorted(k for k in mcus if counts.get(k))
        if present == [req.board]:
            out.met.append(f"board {req.board}")
        else:
            out.unmet.append(f"board {req.board}: the design's controllers are {', '.join(present) or 'none'}")
    return out


RATING_RULE = "REQ-RATING"  # the requirement gate's findings on a stated quantity beyond a part's rating


def _refused(passed: bool, stopped: str | None, findings: Iterable[dict], out: Outcome) -> Outcome:
    """A refuse case: not marked PASS, and a blocking finding names the rating the stated quantity exceeds."""
    if passed:
        out.unmet.append("refuse: marked PASS although a stated quantity is beyond the parts' ratings")
        return out
    blocking = [f for f in findings if f.get("severity") in ("Critical", "Major")]
    named = [f for f in blocking if str(f.get("rule", "")).startswith(RATING_RULE)]
    if named:
        out.met.append("refuse: " + ", ".join(sorted({f["rule"] for f in named})))
    else:
        why = (stopped or "").strip()[:80] or ", ".join(sorted({str(f.get("rule")) for f in blocking})) or "nothing"
        out.unmet.append(f"refuse: not passed, but no finding names the exceeded rating ({why})")
    return out


def _on_when(end: str, library: Library, circuit: dict, counts: dict[str, int], out: Outcome) -> None:
    """The output is on with the sensed quantity at ``end`` of the sensor's range and off at the other,
    simulated (:mod:`circuit.trigger_check`); with a controller the firmware decides, so it is met."""
    item = f"on_when {end}"
    if any(counts.get(r.key) for r in library if r.is_mcu):
        out.met.append(f"{item} (a controller decides)")
        return
    try:
        reading = read_switching(Circuit.model_validate(circuit), library)
    except Exception as e:  # an expectation that cannot be checked is not met
        out.unmet.append(f"{item}: not checked ({type(e).__name__})")
        return
    if reading is None or reading.error:
        out.unmet.append(f"{item}: no resistive sensor switching an output could be simulated"
                         + (f" ({reading.error[:80]})" if reading is not None and reading.error else ""))
        return
    other = "low" if end == "high" else "high"
    right, wrong = reading.switching(end), reading.switching(other)
    if right and not wrong:
        out.met.append(item)
    else:
        out.unmet.append(f"{item}: " + ", ".join(f"{o.pid} {o.state_low} at low, {o.state_high} at high"
                                                  for o in reading.outputs))


def _timing(item: str, library: Library, circuit: dict, out: Outcome) -> None:
    """The output does in time what was asked (:mod:`circuit.timer_reading`: the timer's mode and its figure
    simulated); with a controller in the design the firmware decides, so it is met."""
    mode, figure = parse_timing(item)
    label = f"timing {item}"
    try:
        c = Circuit.model_validate(circuit)
        if driven_by_controller(c, library):
            out.met.append(f"{label} (a controller decides)")
            return
        readings = read_timers(c, library)
    except Exception as e:  # an expectation that cannot be checked is not met
        out.unmet.append(f"{label}: not checked ({type(e).__name__})")
        return
    t = answering(readings, mode, figure)
    if t is not None:
        out.met.append(f"{label}: {t.describe()}")
        return
    out.unmet.append(f"{label}: " + ("; ".join(f"{t.describe()} lighting {t.phases or 'nothing'}" for t in readings)
                                     or "no controller and no timer in the design"))


__all__ = ["Bench", "BenchFileError", "Outcome", "Request", "Sheet", "Terms", "evaluate", "load_bench",
           "multiplicity", "parse_alternatives", "parse_timing", "wired_counts"]
