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


def test_the_margin_is_taken_over_the_best_part_that_serves_another_need(library):
    """A kit and its driver board share a typed capability (the load cell and the HX711 both sense weight): their
    near-tie is no doubt whether the library serves the request, so the margin is measured against the best part
    sharing no capability with the first; parts of unrelated capabilities stay rivals."""
    from knowledge.retrieval import Retriever, _kin_matrix

    keys = ["load-cell", "hx711", "relay-module", "28byj-48", "uln2003-driver"]
    kin = _kin_matrix(library, keys)
    assert kin[0, 1] and kin[1, 0] and kin[3, 4] and not kin[0, 2] and not kin[2, 3] and kin.diagonal().all()
    r = Retriever.default()
    res = r.search("a weighing kit: strain gauge plus amplifier")
    first, second = res.matches[0], res.matches[1]
    assert {first.key, second.key} == {"load-cell", "hx711"}, res.as_dict()
    assert res.features.margin > first.score - second.score + 0.2 and not res.ood, res.as_dict()
