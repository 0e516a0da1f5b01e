"""The out-of-library model's fit: each weight keeps the side of zero its evidence allows."""

from __future__ import annotations

import json

from knowledge.ood import CALIBRATION_FILE, DESIGN, SIGNS, design_bounds, fit_logistic


def test_a_bounded_fit_keeps_a_correlated_features_weight_from_turning_negative():
    # y follows x0; x1 is x0 with noise that, unbounded, takes a negative weight against x0's
    X = [[i / 10, i / 10 + (0.3 if i % 2 else -0.3)] for i in range(20)]
    y = [1 if i >= 10 or i % 2 == 0 and i > 6 else 0 for i in range(20)]
    free, *_ = fit_logistic(X, y, l2=0.01)
    bounded, *_ = fit_logistic(X, y, l2=0.01, bounds=[(0.0, None), (0.0, None)])
    assert min(free) < 0 and min(bounded) >= 0, (free, bounded)


def test_the_shipped_calibration_respects_the_signs_of_the_evidence():
    data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    assert len(design_bounds()) == len(DESIGN) == len(data["weights"])
    for name, w in zip(DESIGN, data["weights"]):
        sign = SIGNS.get(name.split("*")[-1], 0)
        assert w * sign >= -1e-9, (name, w)
