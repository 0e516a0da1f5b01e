"""``circuitsmith check``: the ERC and the SPICE gate on any CircuitJSON file, and the requirement
gate when the request is known (``--request TEXT``, or the request a design saved in its circuit.json)."""

from __future__ import annotations

import argparse

NAME = "check"
HELP = "Check a CircuitJSON file with the electrical rule check and the SPICE gate (a linter for circuits)."
EXAMPLE = ("circuitsmith check my-circuit.json          # table of findings; exit 0 pass, 1 fail, 2 unreadable\n"
           "  circuitsmith check my-circuit.json --json   # one JSON object on stdout\n"
           "  circuitsmith check my-circuit.json --request \"a 12 V fan from an Uno\"   # also against what was asked")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="CircuitJSON file to check")
    parser.add_argument("--json", action="store_true", help='print one JSON object {"pass", "findings"} instead of a table')
    parser.add_argument("--no-spice", action="store_true", help="skip the SPICE operating-point gate (ERC only)")
    parser.add_argument("--request", help="check the circuit against this request too (the requirement gate); "
                        "without it, the request a design saved in the file is used, if any")
    parser.add_argument("--no-request", action="store_true", help="ignore a request saved in the file")
