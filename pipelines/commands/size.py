"""``circuitsmith size``: component values chosen and proven by SPICE in the loop."""

from __future__ import annotations

from pipelines.flags import int_range

NAME = "size"
HELP = "Choose E-series component values for a circuit block and prove them by SPICE simulation."
MAX_BUDGET = 1000  # simulations in the search
MAX_MC = 1000      # Monte Carlo builds
EXAMPLE = 'circuitsmith size "non-inverting amplifier, gain 11, LM358 at 5 V, bandwidth >= 50 kHz" -o out/'


def add_arguments(p) -> None:
    p.add_argument("request", nargs="?", help="what to size, in plain words")
    p.add_argument("--spec", metavar="FILE", help="a spec file (JSON/YAML: block, specs, env, series) instead of words")
    p.add_argument("-o", "--out", metavar="DIR", help="write values.json, netlist.cir, report.md and response plots here")
    p.add_argument("--budget", type=int_range(1, MAX_BUDGET), default=60,
                   help=f"most simulations to spend searching, 1 to {MAX_BUDGET} (default 60)")
    p.add_argument("--mc", type=int_range(0, MAX_MC), default=50,
                   help=f"Monte Carlo builds for the tolerance yield, 0 (skip) to {MAX_MC} (default 50)")
    p.add_argument("--json", action="store_true", help="print one JSON summary on stdout")
    p.add_argument("--list", action="store_true", help="list the blocks that can be sized and their specs")
