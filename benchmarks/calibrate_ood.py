"""Fit the out-of-distribution model on the calibration split of the retrieval queries.

    .venv/bin/python benchmarks/calibrate_ood.py [--l2 1.0]

Computes the OOD evidence (``knowledge.ood.FEATURES``) of every calibration query against the
current library, fits an L2-regularised logistic regression for P(in library), picks the
thresholds (one for requests that name a part, one for requests that describe a need) that
maximise the smaller of OOD precision and recall over out-of-fold probabilities (5-fold
cross-validation on the calibration split; the middle of the best range),
and writes ``knowledge/ood_calibration.json``. ``benchmarks/retrieval_bench.py`` reports on the
held-out split. Re-run after the library changes a lot. It first refreshes the shipped text
vectors (``knowledge/part_vectors.npz``, see ``knowledge.embedding_cache``) so the index it
calibrates on is the one a fresh install builds; ``--keep-vectors`` skips that.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from query_split import check_expected, correct, load_queries  # noqa: E402


def ood_f1(probs, labels, thr):
    flagged = [p < thr for p in probs]
    tp = sum(1 for f, y in zip(flagged, labels) if f and y == 0)
    fp = sum(1 for f, y in zip(flagged, labels) if f and y == 1)
    fn = sum(1 for f, y in zip(flagged, labels) if not f and y == 0)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return f1, prec, rec


FOLDS = 5


def folds_of(n: int, folds: int = FOLDS) -> list[list[int]]:
    """A fixed shuffle of 0..n-1 cut into folds (the same on every run)."""
    order = sorted(range(n), key=lambda i: (i * 7919) % n)
    return [order[f::folds] for f in range(folds)]


def out_of_fold(X, y, l2: float, folds: int = FOLDS) -> list[float]:
    """P(in library) of every calibration query from a model fitted on the other folds: what the
    model says about queries it has not seen, for choosing the penalty and the threshold."""
    from knowledge.ood import OODModel, design_bounds, fit_logistic

    probs = [0.0] * len(X)
    for test in folds_of(len(X), folds):
        held = set(test)
        tr = [i for i in range(len(X)) if i not in held]
        w, b, m, s = fit_logistic([X[i] for i in tr], [y[i] for i in tr], l2=l2, bounds=design_bounds())
        model = OODModel(weights=w, bias=b, mean=m, scale=s, threshold=0.5)
        for i in test:
            probs[i] = model.probability_of(X[i])
    return probs


def choose_l2(X, y, grid=(0.1, 0.3, 1.0, 3.0, 10.0)) -> float:
    """The L2 penalty with the lowest cross-validated log-loss on the calibration split."""
    import math

    best = None
    for l2 in grid:
        probs = out_of_fold(X, y, l2)
        loss = -sum(math.log(min(max(p if t else 1 - p, 1e-6), 1.0)) for p, t in zip(probs, y))
        if best is None or loss < best[0]:
            best = (loss, l2)
    return best[1]


def _runs(mask):
    """For each cell of a boolean grid, how many True cells run from it leftwards and rightwards
    (itself included), as two arrays; 0 where the cell is False."""
    import numpy as np

    left = np.zeros(mask.shape, dtype=int)
    right = np.zeros(mask.shape, dtype=int)
    for c in range(mask.shape[1]):
        left[:, c] = np.where(mask[:, c], (left[:, c - 1] if c else 0) + 1, 0)
    for c in range(mask.shape[1] - 1, -1, -1):
        right[:, c] = np.where(mask[:, c], (right[:, c + 1] if c + 1 < mask.shape[1] else 0) + 1, 0)
    return left, right


def _deepest(mask):
    """The True cell of a boolean grid with the most clearance to a False cell or the edge along
    its row and its column; ties to the one nearest the True cells' centre."""
    import numpy as np

    left, right = _runs(mask)
    up, down = (a.T for a in _runs(mask.T))
    clearance = np.minimum(np.minimum(left, right), np.minimum(up, down))
    cells = np.argwhere(clearance == clearance.max())
    centre = np.argwhere(mask).mean(0)
    i, j = cells[int(np.argmin(((cells - centre) ** 2).sum(1)))]
    return int(i), int(j)


def choose_thresholds(probs, labels, described) -> tuple[float, float, float, float]:
    """One threshold for requests that name a part and one for requests that describe a need,
    chosen together to maximise the smaller of OOD precision and recall over all requests (then
    F1; the deepest point of the best region). Returns (named, described, precision, recall)."""
    import numpy as np

    grid = np.arange(1, 200) / 200
    p = np.asarray(probs, dtype=float)
    ood = np.asarray(labels) == 0
    d = np.asarray(described, dtype=bool)

    def counts(mask):  # flagged OOD / flagged in-library, per threshold, in one regime
        flagged = p[mask][None, :] < grid[:, None]
        return (flagged & ood[mask][None, :]).sum(1), (flagged & ~ood[mask][None, :]).sum(1)

    tp_n, fp_n = counts(~d)
    tp_d, fp_d = counts(d)
    tp = tp_n[:, None] + tp_d[None, :]
    fp = fp_n[:, None] + fp_d[None, :]
    n_ood = max(int(ood.sum()), 1)
    prec = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 1.0)
    rec = tp / n_ood
    f1 = np.where(prec + rec > 0, 2 * prec * rec / np.maximum(prec + rec, 1e-12), 0.0)
    score = np.minimum(prec, rec) + 1e-3 * f1
    tied = score >= float(score.max()) - 1e-9
    # Ties are broken by clearance, not by scan order: of the best cells, the one farthest (along its
    # row and column) from any cell that is not best, so a small change in the records cannot swing
    # the chosen pair from one end of a flat ridge to the other.
    i, j = _deepest(tied)
    return float(grid[i]), float(grid[j]), float(prec[i, j]), float(rec[i, j])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--queries", type=Path, default=None)
    ap.add_argument("--l2", type=float, default=None,
                    help="L2 penalty of the logistic fit (default: chosen by 5-fold cross-validation)")
    ap.add_argument("--out", type=Path, default=None, help="where to write (default knowledge/ood_calibration.json)")
    ap.add_argument("--right-only", action="store_true",
                    help="leave in-library queries whose top part is wrong out of the fit (default: fit them all)")
    ap.add_argument("--keep-vectors", action="store_true", help="do not refresh knowledge/part_vectors.npz first")
    args = ap.parse_args(argv)

    from rich.console import Console
    from rich.table import Table

    from knowledge.library import Library
    from knowledge.ood import (CALIBRATION_FILE, CLAUSE_WORDS, DESIGN, DESCRIBED_WORDS, FEATURES, OODModel,
                               design_bounds, fit_logistic)
    from knowledge.retrieval import Retriever

    queries = load_queries(args.queries)
    if not args.keep_vectors:
        from knowledge.embedding_cache import refresh

        vec = refresh()
        print(f"shipped vectors: {vec.texts} texts, {vec.embedded} embedded, {vec.dropped} dropped -> {vec.path.name}")
    lib = Library.default()
    missing = check_expected(queries, lib)
    if missing:
        print(f"error: the queries expect parts the library lacks: {', '.join(missing)}", file=sys.stderr)
        return 2
    cal = [q for q in queries if q["split"] == "calibration"]
    retr = Retriever(lib, ood_model=OODModel.defaults())
    results = retr.search_batch([q["q"] for q in cal], k=3)
    # The flag says "the library does not hold this part". That claim is false for every in-library
    # query, ranked right or wrong, so by default every calibration query is fitted with that truth
    # as its label (a wrong top part is a ranking failure the flag cannot repair, and flagging it
    # makes a false claim). --right-only fits "a right answer" against "absent", as before.
    keep = [i for i, q in enumerate(cal)
            if q["expect"] is None or not args.right_only or correct(q, [m.key for m in results[i].matches], False)]
    print(f"fit on {len(keep)} of {len(cal)} calibration queries "
          f"({len(cal) - len(keep)} in-library queries ranked wrong are left out)")
    cal = [cal[i] for i in keep]
    results = [results[i] for i in keep]
    X = [r.features.design() for r in results]
    y = [0 if q["expect"] is None else 1 for q in cal]
    l2 = args.l2 if args.l2 is not None else choose_l2(X, y)
    w, b, mean, scale = fit_logistic(X, y, l2=l2, bounds=design_bounds())
    model = OODModel(weights=w, bias=b, mean=mean, scale=scale, threshold=0.5)
    # The threshold is chosen on out-of-fold probabilities (each query judged by a model that did
    # not see it): chosen on the fitted points it would be too sure of itself. A request naming a
    # part outright is in-library whatever the model says, and one naming another version of a part
    # is out of it (as in Retriever._rank).
    outright = [r.named_outright for r in results]
    variant = [r.ruled_out for r in results]  # or a product a part only stands in for, or beyond every rating
    oof = [1.0 if o else 0.0 if v else p for o, v, p in zip(outright, variant, out_of_fold(X, y, l2))]
    described = [r.features.described for r in results]
    threshold, threshold_described, prec, rec = choose_thresholds(oof, y, described)
    model.threshold, model.threshold_described = threshold, threshold_described
    fitted = [1.0 if o else 0.0 if r.ruled_out else model.probability(r.features)
              for o, r in zip(outright, results)]
    flags = [p < model.threshold_for(r.features) for p, r in zip(fitted, results)]
    fit_tp = sum(1 for f, t in zip(flags, y) if f and t == 0)
    fit_prec = fit_tp / max(sum(flags), 1)
    fit_rec = fit_tp / max(y.count(0), 1)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0

    out = args.out or CALIBRATION_FILE
    payload = {
        "features": list(FEATURES),
        "design": f"features, features x described, described (described: phrasing > 0, >= {DESCRIBED_WORDS} content "
                  f"words or >= {CLAUSE_WORDS} grammar words)",
        "weights": [round(x, 6) for x in w],
        "bias": round(b, 6),
        "mean": [round(x, 6) for x in mean],
        "scale": [round(x, 6) for x in scale],
        "threshold": threshold,
        "threshold_described": threshold_described,
        "fitted_on": {
            "queries": str((args.queries or Path("benchmarks/retrieval_queries.jsonl")).as_posix()),
            "split": "calibration (sha256 of the lower-cased query, even)",
            "n": len(cal),
            "n_ood": y.count(0),
            "l2": l2,
            "library_parts": len(lib),
            "library_hash": lib.content_hash(),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        },
        "threshold_rule": f"one threshold per regime (names a part / describes a need), together maximising "
                          f"min(OOD precision, recall) over {FOLDS}-fold out-of-fold probabilities",
        "calibration_metrics": {"ood_precision": round(prec, 4), "ood_recall": round(rec, 4), "ood_f1": round(f1, 4),
                                "measured_on": f"{FOLDS}-fold out-of-fold probabilities of the calibration split",
                                "fitted_points_precision": round(fit_prec, 4), "fitted_points_recall": round(fit_rec, 4)},
    }
    Path(out).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")

    con = Console()
    t = Table(title="OOD model (standardised weights)")
    t.add_column("feature")
    t.add_column("weight", justify="right")
    t.add_column("mean", justify="right")
    for name, wi, mi in zip(DESIGN, w, mean):
        t.add_row(name, f"{wi:+.3f}", f"{mi:.3f}")
    con.print(t)
    print(f"calibration: {len(cal)} queries ({y.count(0)} out-of-library); L2 {l2}; threshold {threshold} "
          f"(described {threshold_described}); "
          f"out-of-fold OOD precision {prec:.3f} recall {rec:.3f} (on the fitted points {fit_prec:.3f} / "
          f"{fit_rec:.3f}) -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
