"""benchmarks/erc_bench.py scores each severity on its own: a rule reported at the wrong severity is
a miss at one and a false alarm at the other, and the summary's minimum shows it."""

from benchmarks.erc_bench import CORPUS, per_severity, score
from circuit.findings import Severity

ACCEPTANCE = ["uno-mg996r-on-5v-pin", "nano-sim800l-on-5v-pin", "uno-ws2812b-strip-bare", "uno-lm358-inputs-floating",
              "esp32-ams1117-100n-output", "uno-mg996r-buck-6v-good", "nano-sim800l-own-supply-good",
              "uno-ws2812b-strip-good", "uno-lm358-follower-pot-good", "esp32-ams1117-good"]


def test_the_acceptance_circuits_score_per_severity(library):
    rows, totals = score([CORPUS / f"{n}.json" for n in ACCEPTANCE], library)
    assert not [r for r in rows if r["error"]]
    assert per_severity(totals).endswith("min 1.00"), per_severity(totals)
    bad = {r["name"]: r["expected"] for r in rows if not r["exp_pass"]}
    assert ("Major", "ERC-PEAK-CURRENT") in bad["uno-mg996r-on-5v-pin"]
    assert ("Major", "ERC-REQUIRED-PIN-FLOATING") in bad["uno-lm358-inputs-floating"]


def test_a_wrong_severity_counts_against_both_severities():
    totals = {s.value: {"tp": 0, "fp": 0, "fn": 0} for s in Severity}
    totals["Major"]["fn"] = 1       # expected Major ...
    totals["Minor"]["fp"] = 1       # ... reported as Minor
    totals["Critical"]["tp"] = 3
    line = per_severity(totals)
    assert "Major —/0.00" in line and "Minor 0.00/—" in line and line.endswith("min 0.00")
