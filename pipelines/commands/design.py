"""``circuitsmith design``: a request in plain words to a checked, simulated, drawn circuit."""

from __future__ import annotations

import argparse

from pipelines.llm_options import add_llm_arguments

NAME = "design"
HELP = "Design a circuit from a request in plain words: plan, CircuitJSON, ERC + SPICE checks, schematic and exports."
EXAMPLE = ('circuitsmith design "Blink an LED with a button on an Arduino Uno" -o out/\n'
           '  circuitsmith design "add a buzzer" --thread my-project -o out/   # edit the design of a thread\n'
           '  circuitsmith design "undo" --thread my-project -o out/           # back to the previous version\n'
           "  exit status: 0 passes its checks, 1 fails them, 2 bad input (or nothing to design), 3 stopped on a part the library lacks")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("request", help="what to build, in plain words (quote it)")
    parser.add_argument("-o", "--out", default="out", help="folder for circuit.json, schematic.svg, netlist.cir, "
                        "bom.csv, wiring.md and report.md (default: out)")
    parser.add_argument("--json", action="store_true",
                        help='print one JSON summary on stdout: {"pass", "findings", "ood", "requirements", "backends", "mode", "changes", "outputs", "seconds"}')
    parser.add_argument("--thread", help="keep the design in this named conversation thread (a later run or "
                        "`circuitsmith chat --thread NAME` continues it)")
    parser.add_argument("--check-firmware", action="store_true",
                        help="build the starter sketch firmware/sketch.ino: a real compile for AVR boards (Debian's "
                             "arduino-builder), a syntax check for others; the result is in report.md and --json")
    parser.add_argument("--export", action="append", choices=["kicad", "png", "wokwi"], default=[],
                        help="extra exports (repeatable): kicad writes kicad/netlist.net (the kicad extra: SKiDL and "
                             "KiCad's symbol libraries); png writes share.png (the schematic with "
                             "the wiring list beside it); wokwi's diagram.json is always written")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--rules", action="store_true", help="use the offline rules for every agent")
    mode.add_argument("--llm", action="store_true", help="use the configured LLM (fails when none is configured)")


    add_llm_arguments(parser)
