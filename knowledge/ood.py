"""Is the requested part in the library at all? A calibrated out-of-distribution test.

The evidence for the best candidate of a search (``OODFeatures``) goes through a logistic
model whose weights and threshold are fitted on a calibration split of labelled queries by
``benchmarks/calibrate_ood.py`` and stored in ``knowledge/ood_calibration.json``. The model
gives P(in library); below the threshold the request is flagged out-of-distribution and the
caller gets the near-misses instead of a silent wrong mapping.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from knowledge import lazy_imports
from knowledge.measurands import MARGIN as MEASURAND_MARGIN
from knowledge.products import MARGIN as PRODUCT_MARGIN

CALIBRATION_FILE = Path(__file__).resolve().parent / "ood_calibration.json"

FEATURES = ("semantic", "lexical", "coverage", "name_gap", "unknown_words", "unknown_part_number", "margin",
            "slip", "capability", "context", "words", "need", "need_margin", "need_agrees", "phrasing",
            "keywords", "keywords_top", "rare_gap", "rarest_gap", "value_conflict", "number_gap", "spread",
            "version_conflict", "other_part", "measurand")
# evidence computed beside the model's inputs and reported with them (``OODFeatures``), not yet weighed: a refit with them
# (2026-12-07) gained on the calibration split's out-of-fold figures but lost held-out precision against the shipped fit
EVIDENCE_ONLY = ("product", "head_gap")


# The direction each piece of evidence may push P(in library), in either regime: more meaning or name fit never
# makes a request less likely to be in the library, more unexplained words or unknown part numbers never more.
# The fit keeps each weight (and its described-regime weight) on that side or at zero, so correlated features
# cannot trade signs and a request unlike the calibration queries is not read backwards (a 0.18 cosine and
# three unknown words scored as in library). Features not listed may take either sign.
SIGNS = {
    "semantic": 1, "lexical": 1, "coverage": 1, "margin": 1, "slip": 1, "capability": 1, "need": 1,
    "need_margin": 1, "need_agrees": 1, "keywords": 1, "keywords_top": 1, "measurand": 1,
    "name_gap": -1, "unknown_words": -1, "unknown_part_number": -1, "rare_gap": -1, "rarest_gap": -1,
    "value_conflict": -1, "number_gap": -1, "version_conflict": -1, "other_part": -1, "product": -1,
    "head_gap": -1,
}

DESCRIBED_WORDS = 4  # content words from which a request describes a need rather than naming a part
CLAUSE_WORDS = 2     # grammar words (is, my, how, ...) from which a request is a sentence about a need
NAME_WORDS = 6       # content words up to which a request without grammar words may be a part's name
DESIGN = FEATURES + tuple(f"described*{f}" for f in FEATURES) + ("described",)


@dataclass(frozen=True)
class OODFeatures:
    semantic: float            # cosine of the request with the candidate's texts (best, plus a share of the next)
    lexical: float             # part-number / whole-name / typo evidence for the candidate, 0..1
    coverage: float            # share of the request's content words the candidate's texts use
    name_gap: float            # for a request worded as a name (no grammar words, <= 6 content words): share
                               # of its words not in the candidate's names ("Nano 33 BLE Sense" for the Nano 33 IoT)
    unknown_words: float       # share of the request's content words the whole library never uses
    unknown_part_number: float  # 1 when the request holds a part number the library lacks
    margin: float              # fused score of the candidate minus the best part sharing no capability with it
                               # (a kit and its driver tying serve one need: no doubt whether the library has it)
    slip: float = 0.0          # 1 when the candidate was reached through a misspelling of one of its names
    capability: float = 0.0    # best cosine of the request (its wanted part) with the candidate's meaning texts
    context: float = 0.0       # 1 when a board named in the request was set aside as context
    words: float = 0.0         # content words in the request, capped at 8 (a described need vs a name)
    need: float = 0.0          # best cosine of the request with the candidate's capability descriptions
    need_margin: float = 0.0   # that cosine minus the best capability cosine of a part sharing no capability with it
    need_agrees: float = 0.0   # 1 when the part whose capability fits best is the candidate
    phrasing: float = 0.0      # best cosine with any capability text minus best with any name: a need, or a name?
    keywords: float = 0.0      # BM25 of the request against the candidate's own words (knowledge.keywords)
    keywords_top: float = 0.0  # 1 when no other part shares more (rare) words with the request
    rare_gap: float = 0.0      # IDF-weighted share of the request's words the candidate's own words lack
    rarest_gap: float = 0.0    # the rarest such word's IDF over the IDF of a word no part uses
    value_conflict: float = 0.0  # 1 when the candidate is named with another value of a unit asked for, -1 the same
    number_gap: float = 0.0    # share of the request's bare numbers and short ids (4.1, R4, 16) the candidate lacks
    spread: float = 0.0        # entropy of the semantic scores of the 20 best parts (flat: nothing stands out)
    version_conflict: float = 0.0  # 1 when the request puts another number where the candidate's names put theirs
    other_part: float = 0.0    # 1 when a part number the library lacks is a known real part (knowledge.real_parts)
    measurand: float = 0.0     # cosine of the best quantity the candidate measures minus the best no part measures
                               # (knowledge.measurands; 0 for a candidate that measures nothing)
    product: float = -1.0      # cosine of the best finished product or kind of part no record is minus the best the
                               # library answers (knowledge.products), read from the whole request however faintly
                               # it reads as that product and whatever it names (-1: every product is served)
    head_gap: float = 0.0      # for a request split by a context cue or "with" into the thing asked and what it is
                               # for or has, the share of the thing's words not in the candidate's names ("a Raspberry
                               # Pi Zero | for a tiny project" against the Pico: zero); 0 where nothing splits it
    # grammar words in the request (is, my, how, ...), capped at 4: a sentence, not a name. It only picks the
    # regime (``described``), it is no input of its own: that the benchmark's sentences are mostly in the
    # library says nothing about a request
    grammar: float = field(default=0.0, metadata={"regime_only": True})

    def vector(self) -> list[float]:
        return [float(getattr(self, f)) for f in FEATURES]

    @property
    def described(self) -> bool:
        """The request describes a need (it reads more like a capability than like a part's name, or
        runs to several content words, or is a sentence) rather than naming a part."""
        return self.phrasing > 0 or self.words >= DESCRIBED_WORDS or self.grammar >= CLAUSE_WORDS

    def design(self) -> list[float]:
        """The model's inputs: the features, the features again for a request that describes a need
        (zero for one that names a part), and that regime itself. A described need and a named part
        give the same evidence different weight (a 0.5 cosine is weak for a name, fair for a need)."""
        x = self.vector()
        d = 1.0 if self.described else 0.0
        return x + [v * d for v in x] + [d]

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class OODModel:
    """P(in library) = sigmoid(bias + w . standardised(features)); flagged when below the threshold
    of the request's regime: ``threshold`` for a request that names a part, ``threshold_described``
    for one that describes a need (the same probability means a different thing in each; None: the same)."""

    weights: list[float]
    bias: float
    mean: list[float]
    scale: list[float]
    threshold: float
    source: str = "defaults"
    threshold_described: float | None = None
    # how far (cosine) a quantity no record measures must lead everything the library answers for a request to be
    # out of library by that alone (knowledge.measurands; fitted on the calibration split by calibrate_ood.py)
    measurand_margin: float = MEASURAND_MARGIN
    # the same for a finished product, instrument or assembly no record is (knowledge.products)
    product_margin: float = PRODUCT_MARGIN

    def threshold_for(self, f: OODFeatures) -> float:
        if f.described and self.threshold_described is not None:
            return self.threshold_described
        return self.threshold

    def probability(self, f: OODFeatures) -> float:
        return self.probability_of(f.design())

    def probability_of(self, row: list[float]) -> float:
        """P(in library) for one design row (``OODFeatures.design``)."""
        z = self.bias
        for w, x, m, s in zip(self.weights, row, self.mean, self.scale):
            z += w * (x - m) / (s or 1.0)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def is_ood(self, f: OODFeatures) -> bool:
        return self.probability(f) < self.threshold_for(f)

    @classmethod
    def defaults(cls) -> "OODModel":
        # Hand-set starting point, used only until calibrate_ood.py has written the file.
        pad = [0.0] * (len(DESIGN) - 11)
        return cls(
            weights=[10.0, 3.0, 3.0, -2.0, -3.0, -4.0, 0.5, 2.0, 3.0, 0.0, 0.0] + pad,
            bias=0.0,
            mean=[0.55, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0] + pad,
            scale=[1.0] * len(DESIGN),
            threshold=0.5,
        )

    @classmethod
    def load(cls, path: Path | None = None) -> "OODModel":
        path = Path(path) if path else CALIBRATION_FILE
        if not path.is_file():
            return cls.defaults()
        data = json.loads(path.read_text(encoding="utf-8"))
        if list(data.get("features", [])) != list(FEATURES) or len(data.get("weights", [])) != len(DESIGN):
            return cls.defaults()  # written for another feature set: re-run calibrate_ood.py
        return cls(
            weights=[float(x) for x in data["weights"]],
            bias=float(data["bias"]),
            mean=[float(x) for x in data["mean"]],
            scale=[float(x) for x in data["scale"]],
            threshold=float(data["threshold"]),
            source=str(path.name),
            threshold_described=(float(data["threshold_described"]) if data.get("threshold_described") is not None
                                 else None),
            measurand_margin=float(data.get("measurand_margin", MEASURAND_MARGIN)),
            product_margin=float(data.get("product_margin", PRODUCT_MARGIN)),
        )


def design_bounds() -> list[tuple[float | None, float | None]]:
    """Bounds on each design weight from ``SIGNS`` (a feature and its described-regime copy alike)."""
    out = []
    for name in DESIGN:
        sign = SIGNS.get(name.split("*")[-1], 0)
        out.append((0.0, None) if sign > 0 else (None, 0.0) if sign < 0 else (None, None))
    return out


def fit_logistic(X: list[list[float]], y: list[int], l2: float = 1.0,
                 bounds: list[tuple[float | None, float | None]] | None = None
                 ) -> tuple[list[float], float, list[float], list[float]]:
    """L2-regularised logistic regression on standardised features (weights, bias, mean, scale); ``bounds``
    keeps each weight on one side of zero (``design_bounds``)."""
    minimize = lazy_imports.scipy_optimize().minimize
    A = np.asarray(X, dtype=float)
    t = np.asarray(y, dtype=float)
    mean = A.mean(axis=0)
    scale = A.std(axis=0)
    scale[scale < 1e-9] = 1.0
    Z = (A - mean) / scale
    n, d = Z.shape

    def loss(theta):
        w, b = theta[:d], theta[d]
        z = Z @ w + b
        # log(1 + e^z) - t z, stable
        lse = np.logaddexp(0.0, z)
        val = (lse - t * z).sum() / n + l2 * (w @ w) / (2 * n)
        p = 1.0 / (1.0 + np.exp(-z))
        g = np.concatenate([Z.T @ (p - t) / n + l2 * w / n, [(p - t).sum() / n]])
        return val, g

    limits = (list(bounds) if bounds is not None else [(None, None)] * d) + [(None, None)]
    res = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", bounds=limits)
    return res.x[:d].tolist(), float(res.x[d]), mean.tolist(), scale.tolist()
