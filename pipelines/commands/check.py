"""``circuitsmith check``: the ERC and the SPICE gate on any CircuitJSON file."""

from __future__ import annotations

import argparse
import json
import sys

NAME = "check"
HELP = "Check a CircuitJSON file with the electrical rule check and the SPICE gate (a linter for circuits)."
EXAMPLE = "circuitsmith check my-circuit.json          # table of findings; exit 0 pass, 1 fail, 2 unreadable\n  circuitsmith check my-circuit.json --json   # one JSON object on stdout"

SEV_STYLE = {"Critical": "bold red", "Major": "red", "Minor": "yellow", "Warning": "cyan"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="CircuitJSON file to check")
    parser.add_argument("--json", action="store_true", help='print one JSON object {"pass", "findings"} instead of a table')
    parser.add_argument("--no-spice", action="store_true", help="skip the SPICE operating-point gate (ERC only)")


def _print_table(path: str, report, skipped: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    from pipelines.terminal import safe as escape  # controls stripped, markup escaped

    console = Console()
    title = escape(report.circuit.title or path)
    if report.findings:
        table = Table(title=f"Findings for {title}", show_lines=True, expand=True)
        table.add_column("Severity / rule / where", overflow="fold", max_width=28)
        table.add_column("What is wrong, and the fix", ratio=1)
        for f in report.findings:
            sev = f.severity.value
            head = f"[{SEV_STYLE[sev]}]{sev}[/]\n{escape(f.rule)}"
            if f.where:
                head += f"\n[dim]{escape(', '.join(f.where))}[/]"
            body = escape(f.message) + (f"\n[green]fix: {escape(f.fix)}[/]" if f.fix else "")
            table.add_row(head, body)
        console.print(table)
    counts = report.counts()
    summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "no findings"
    verdict = "[bold green]PASS[/]" if report.passed else "[bold red]FAIL[/]"
    note = "" if report.spice_ran else (" (SPICE gate skipped by --no-spice)" if skipped else " (SPICE gate could not run)")
    console.print(f"{verdict} {escape(path)}: {summary}{note}. A design passes with no Critical and no Major finding.",
                  highlight=False)


def run(args: argparse.Namespace) -> int:
    from circuit.gates import check_circuit
    from circuit.load import CircuitReadError
    from knowledge.library import Library, LibraryError

    try:
        library = Library.default()
    except LibraryError as e:
        print(f"error: the component library is broken: {e}", file=sys.stderr)
        return 2
    from circuit.load import read_document
    from pipelines.terminal import plain

    try:
        document = read_document(args.file)  # the input limits: bytes, depth, sizes, regular files only
        if not document.get("parts"):
            raise CircuitReadError("the document has no parts, so there is nothing to check "
                                   "(a CircuitJSON document lists \"parts\" and \"connections\")")
        report = check_circuit(document, library, spice=not args.no_spice)
    except CircuitReadError as e:
        print(plain(f"error: cannot check {args.file}: {e}").replace("\n", " "), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        _print_table(args.file, report, skipped=args.no_spice)
    return 0 if report.passed else 1
