"""Choosing E-series values with SPICE in the loop, and a random-search baseline.

The sizer starts from the block's analytic guess, ranks nearby E-series combinations by the
block's analytic prediction corrected by what SPICE has shown so far (a space-mapping factor per
measure: simulated / predicted at the last simulated point), and simulates the most promising
candidate until every spec holds. Blocks without an analytic model fall back to a discrete
coordinate search driven by simulations alone.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field

from circuit.sizing.block import Block, Evaluation, Infeasible, Param
from circuit.sizing.spec import Spec
from circuit.units import e_series_values, format_value


@dataclass
class SizingResult:
    block: str
    values: dict[str, float]
    measures: dict[str, float]
    met: bool
    sims: int
    specs: list[Spec]
    series: str
    history: list[tuple[dict[str, float], dict[str, float]]] = field(default_factory=list)
    message: str = ""

    @property
    def worst_error(self) -> float:
        errs = [s.rel_error(self.measures.get(s.name)) for s in self.specs]
        return max(errs) if errs else 0.0


def cost(specs: list[Spec], measures: dict[str, float]) -> float:
    return sum(s.error(measures.get(s.name)) for s in specs)


def all_met(specs: list[Spec], measures: dict[str, float]) -> bool:
    return all(s.met(measures.get(s.name)) for s in specs)


def candidates(p: Param, series: str) -> list[float]:
    """The values ``p`` may take: its own series where it names one (capacitors stocked in E6), else ``series``."""
    return e_series_values(p.series or series, p.lo, p.hi)


def _index_near(values: list[float], x: float) -> int:
    best = min(range(len(values)), key=lambda i: abs(math.log(values[i] / x)))
    return best


class _Evaluator:
    def __init__(self, block: Block, budget: int):
        self.block = block
        self.budget = budget
        self.sims = 0
        self.cache: dict[tuple, Evaluation] = {}
        self.history: list[tuple[dict[str, float], dict[str, float]]] = []

    def __call__(self, values: dict[str, float]) -> Evaluation | None:
        key = tuple(sorted(values.items()))
        if key in self.cache:
            return self.cache[key]
        if self.sims >= self.budget:
            return None
        ev = self.block.evaluate(values)
        self.sims += ev.sims
        self.cache[key] = ev
        self.history.append((dict(values), dict(ev.measures)))
        return ev


CENTRE_OK = 0.1     # a met design within a tenth of its windows of the targets needs no more search
REFINE_SIMS = 4     # at most this many extra simulations looking for a more central one


def with_implied(block: Block, specs: list[Spec]) -> list[Spec]:
    """The stated specs plus the block's implied ones for measures the request left open."""
    named = {s.name for s in specs}
    return list(specs) + [s for s in block.default_specs() if s.name not in named]


def centre_distance(specs: list[Spec], measures: dict[str, float]) -> float:
    """How far from the middle of their windows the '=' specs sit (0 = on target, 1 = at the edge)."""
    d = 0.0
    for s in specs:
        v = measures.get(s.name)
        if s.op == "=" and v is not None and math.isfinite(v):
            d = max(d, abs(v - s.target) / max(abs(s.target) * s.tol, 1e-30))
    return d


def size(block: Block, specs: list[Spec], series: str = "E24", budget: int = 60,
         max_radius: int = 8) -> SizingResult:
    """Find E-series values meeting ``specs`` (plus the block's implied specs) within ``budget`` simulations.

    Part values the request fixed (``block.fixed``) stay as given; among candidates predicted to meet
    every spec, the one predicted nearest the centre of the windows is simulated first."""
    specs = with_implied(block, specs)
    block.adapt({s.name: s for s in specs})
    block.check_feasible({s.name: s for s in specs})
    params = block.params()
    fixed = block.fixed
    grids = {p.name: ([fixed[p.name]] if p.name in fixed else candidates(p, series)) for p in params}
    for p in params:
        if not grids[p.name]:
            raise ValueError(f"{p.name}: no {series} values between {p.lo:g} and {p.hi:g}")
    guess = {**block.guess({s.name: s for s in specs}), **fixed}
    for p in params:
        g = guess.get(p.name)
        if p.name in fixed or g is None:
            continue
        if not math.isfinite(g) or g <= 0 or g < p.lo / 3 or g > p.hi * 3:
            raise Infeasible(f"{p.name} would have to be about {format_value(g, p.unit) if math.isfinite(g) else g}, far "
                             f"outside the {format_value(p.lo, p.unit)} to {format_value(p.hi, p.unit)} this "
                             f"{block.title.lower()} is built with: the spec is beyond what this circuit does well")
    center = {p.name: _index_near(grids[p.name], guess[p.name]) for p in params}
    ev = _Evaluator(block, budget)
    to_values = lambda idx: {n: grids[n][i] for n, i in idx.items()}  # noqa: E731

    best_idx, best_cost, best_meas = None, math.inf, {}
    has_model = block.predict(to_values(center)) is not None
    correction: dict[str, float] = {}
    names = [p.name for p in params]
    max_r = max_radius if len(params) <= 2 else (5 if len(params) == 3 else 3)

    def corrected(pred: dict[str, float]) -> dict[str, float]:
        return {k: v * correction.get(k, 1.0) for k, v in pred.items()}

    def centres() -> list[dict[str, int]]:
        """The guess, then the same design at other impedance levels (R×k, L×k, C÷k keeps every ratio
        and time constant), for specs that only the right impedance level can meet (an input
        resistance floor, a gain that needs a particular E-series ratio)."""
        out = [dict(center)]
        for k in (2.0, 0.5, 3.0, 1 / 3, 5.0, 0.2, 10.0, 0.1):
            c = {}
            for p in params:
                x = guess[p.name] * (k if p.kind in ("R", "L") else 1 / k)
                x = min(max(x, p.lo), p.hi)
                c[p.name] = _index_near(grids[p.name], x)
            if c not in out:
                out.append(c)
        return out

    def find_candidate(tried: set[tuple]) -> dict[str, int] | None:
        """The untried combination predicted to meet every spec nearest the windows' centres (searching
        ring by ring around each centre; the first ring with a hit and the next are compared), else the
        best predicted one seen."""
        best: tuple[float, dict[str, int]] | None = None
        for c in centres():
            hits: list[tuple[float, int, dict[str, int]]] = []
            stop_at = None
            for r_ in range(0, max_r + 1):
                if stop_at is not None and r_ > stop_at:
                    break
                ranges = [range(max(0, c[n] - r_), min(len(grids[n]), c[n] + r_ + 1)) for n in names]
                ring = []
                for combo in _limited_product(ranges, 20000):
                    if r_ and max(abs(combo[i] - c[n]) for i, n in enumerate(names)) != r_:
                        continue
                    if combo in tried:
                        continue
                    idx = dict(zip(names, combo))
                    pred = block.predict(to_values(idx))
                    if pred is None:
                        continue
                    cp = corrected(pred)
                    ring.append((cost(specs, cp), centre_distance(specs, cp), sum(abs(idx[n] - c[n]) for n in names), idx))
                if ring:
                    ring.sort(key=lambda t: (t[0], t[1], t[2]))
                    hits += [(t[1], t[2], t[3]) for t in ring if t[0] == 0]
                    if hits and stop_at is None:
                        stop_at = r_ + 2
                    if best is None or ring[0][0] < best[0]:
                        best = (ring[0][0], ring[0][3])
            if hits:
                hits.sort(key=lambda t: (t[0], t[1]))
                return hits[0][2]
        return best[1] if best else None

    tried: set[tuple] = set()
    refine = 0
    while ev.sims < budget:
        if has_model:
            idx = find_candidate(tried)
            if idx is None:
                break
            tried.add(tuple(idx[n] for n in names))
            values = to_values(idx)
            e = ev(values)
            if e is None:
                break
            if e.error:
                continue
            pred = block.predict(values) or {}
            for k, v in e.measures.items():
                pv = pred.get(k)
                if pv and v and math.isfinite(v) and math.isfinite(pv) and pv != 0 and (v / pv) > 0:
                    correction[k] = v / pv
            c = cost(specs, e.measures)
            if c == 0 and best_cost == 0:
                # both meet: keep the one nearer the windows' centres (it survives part tolerances better)
                if centre_distance(specs, e.measures) < centre_distance(specs, best_meas):
                    best_idx, best_meas = dict(idx), e.measures
            elif c < best_cost:
                best_idx, best_cost, best_meas = dict(idx), c, e.measures
                center = dict(idx)
            if best_cost == 0:
                # met; near an edge, spend a few more simulations on a more central candidate
                refine += 1
                if centre_distance(specs, best_meas) <= CENTRE_OK or refine > REFINE_SIMS:
                    break
        else:
            # coordinate search on simulations
            if best_idx is None:
                e = ev(to_values(center))
                if e is None:
                    break
                best_idx, best_meas = dict(center), e.measures
                best_cost = cost(specs, e.measures) if not e.error else math.inf
                if not e.error and all_met(specs, e.measures):
                    break
            improved = False
            for p in params:
                for step in (1, -1, 2, -2):
                    idx = dict(best_idx)
                    idx[p.name] = min(max(idx[p.name] + step, 0), len(grids[p.name]) - 1)
                    if idx == best_idx:
                        continue
                    e = ev(to_values(idx))
                    if e is None:
                        break
                    if e.error:
                        continue
                    c = cost(specs, e.measures)
                    if c < best_cost:
                        best_idx, best_cost, best_meas = idx, c, e.measures
                        improved = True
                        break
                if all_met(specs, best_meas) or ev.sims >= budget:
                    break
            if all_met(specs, best_meas) or not improved:
                break

    values = to_values(best_idx) if best_idx is not None else to_values(center)
    met = best_idx is not None and all_met(specs, best_meas)
    msg = "" if met else _why_not(specs, best_meas, ev.sims, budget, params, values)
    return SizingResult(block.key, values, best_meas, met, ev.sims, list(specs), series, ev.history, msg)


def random_search(block: Block, specs: list[Spec], series: str = "E24", budget: int = 60, seed: int = 0) -> SizingResult:
    """Baseline: log-uniform random E-series values, same simulation budget."""
    rng = random.Random(seed)
    params = block.params()
    grids = {p.name: candidates(p, series) for p in params}
    ev = _Evaluator(block, budget)
    best, best_cost, best_meas = None, math.inf, {}
    while ev.sims < budget:
        values = {n: g[rng.randrange(len(g))] for n, g in grids.items()}
        e = ev(values)
        if e is None:
            break
        if e.error:
            continue
        c = cost(specs, e.measures)
        if c < best_cost:
            best, best_cost, best_meas = values, c, e.measures
        if all_met(specs, e.measures):
            break
    met = best is not None and all_met(specs, best_meas)
    return SizingResult(block.key, best or {}, best_meas, met, ev.sims, list(specs), series, ev.history)


def _limited_product(ranges, limit: int):
    n = 0
    for combo in itertools.product(*ranges):
        yield combo
        n += 1
        if n >= limit:
            return


def _why_not(specs: list[Spec], measures: dict[str, float], sims: int, budget: int, params=(), values=None) -> str:
    """What was missed, by how much, and which part sits at the end of the range it is built with (the limit
    that binds: the spec needs more than this circuit gives)."""
    def got(s: Spec) -> str:
        v = measures.get(s.name)
        return "not measured" if v is None or not math.isfinite(v) else f"got {format_value(v, s.unit)}"

    missed = [f"{s.describe()} ({got(s)})" for s in specs if not s.met(measures.get(s.name))]
    msg = f"not met after {sims} of {budget} simulations: " + "; ".join(missed)
    ends = [f"{p.name} is at its {'lowest' if values[p.name] <= p.lo * 1.05 else 'highest'}, "
            f"{format_value(values[p.name], p.unit)}" for p in params
            if values and p.name in values and (values[p.name] <= p.lo * 1.05 or values[p.name] >= p.hi / 1.05)]
    if ends:
        msg += "; " + ", ".join(ends) + ": the specs need more than this circuit gives"
    return msg
