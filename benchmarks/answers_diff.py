"""Compare two answer dumps of ``retrieval_bench.py --dump``: queries whose top-3 or OOD decision changed.

    python benchmarks/answers_diff.py BEFORE.jsonl AFTER.jsonl [--conf]

Prints one line per changed query and a summary line; exits 1 when any answer changed (a speed-only change
must change none). ``--conf`` also counts confidences that moved by more than 0.001 (rounding aside).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--conf", action="store_true", help="count confidence changes above 0.001 too")
    args = ap.parse_args(argv)
    before, after = load(args.before), load(args.after)
    if [r["q"] for r in before] != [r["q"] for r in after]:
        print(f"error: the dumps ran different queries ({len(before)} vs {len(after)})", file=sys.stderr)
        return 2
    changed = conf = 0
    for b, a in zip(before, after):
        if b["top3"] != a["top3"] or b["ood"] != a["ood"]:
            changed += 1
            print(f"CHANGED {b['q']!r}: {b['top3']} ood={b['ood']} -> {a['top3']} ood={a['ood']}")
        elif abs(b["conf"] - a["conf"]) > 0.001:
            conf += 1
            if args.conf:
                print(f"conf {b['q']!r}: {b['conf']} -> {a['conf']}")
    bad = changed + (conf if args.conf else 0)
    print(f"SUMMARY answers n={len(before)} changed={changed} confidence_moved={conf} "
          f"{'SAME' if not bad else 'DIFFERENT'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
