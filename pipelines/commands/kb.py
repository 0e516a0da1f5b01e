"""``circuitsmith kb``: search, show, list and add parts of the component knowledge base."""

from __future__ import annotations

import argparse

NAME = "kb"
HELP = "Search the component library, show a part's pinout, list parts, add your own parts."
EXAMPLE = 'circuitsmith kb search "ultrasonic distance sensor"'

_SUB = {
    "search": (
        "find parts by name, part number or description",
        "Find the parts a request means (hybrid semantic + part-number + typo matching). A request "
        "for a part the library lacks is flagged out-of-distribution and lists the nearest parts.",
        'circuitsmith kb search "thing that measures distance with sound" -k 3\n'
        "  circuitsmith kb search IRLZ44N --json\n"
        "  circuitsmith kb search --batch bom.txt --json   # one query per line -> one JSON object per line",
    ),
    "show": (
        "print a part with its pinout",
        "Print one part: description, supply, ratings, flags, SPICE model, source and its pinout table "
        "(pin, type, functions, limits).",
        "circuitsmith kb show hc-sr04",
    ),
    "list": (
        "list the parts, optionally of one category",
        "List the parts in the library, optionally of one category.",
        "circuitsmith kb list --category sensor",
    ),
    "add": (
        "validate a part record file and add it",
        "Validate a part record file (YAML/JSON, one record or 'parts: [...]'), add it to your library "
        "(in $CIRCUITSMITH_HOME/parts) and update the search index.",
        "circuitsmith kb add my-sensor.yaml\n  circuitsmith kb add my-sensor.yaml --replace",
    ),
    "check": (
        "list records missing a field their kind requires",
        "Check every record against the standard of its kind (supply range and peak current of a supplied "
        "part, limits on its input pins, model cards and ratings of discretes, capabilities, cited source) "
        "and list the gaps; the last line counts them. Exit status 1 when any field is missing.",
        "circuitsmith kb check",
    ),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="kb_command", metavar="SUBCOMMAND")

    def subparser(name: str) -> argparse.ArgumentParser:
        short, help_text, example = _SUB[name]
        return sub.add_parser(
            name,
            help=short,
            description=help_text,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    p = subparser("search")
    p.add_argument("query", nargs="*", help="what you are looking for (a name, part number or description)")
    p.add_argument("-k", type=int, default=5, metavar="N", help="how many matches to list (default 5)")
    p.add_argument("--json", action="store_true", help='print {"query", "ood", "matches": [{"key", "score"}]}')
    p.add_argument("--batch", metavar="FILE", help="read one query per line from FILE ('-' for stdin)")

    p = subparser("show")
    p.add_argument("key", help="part key (a name or alias is resolved too)")
    p.add_argument("--json", action="store_true", help="print the full record as JSON")

    p = subparser("list")
    p.add_argument("--category", metavar="C", help="only parts of this category (sensor, display, power, ...)")
    p.add_argument("--json", action="store_true", help="print a JSON list of {key, name, category}")

    p = subparser("add")
    p.add_argument("file", help="a part record file (.yaml, .yml or .json)")
    p.add_argument("--replace", action="store_true", help="replace a part you added earlier under the same key")

    subparser("check")
