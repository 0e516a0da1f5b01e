"""What ``circuitsmith check`` does once its arguments are parsed (the interface: pipelines/commands/check.py)."""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console
from rich.table import Table

from circuit.findings import sort_findings
from circuit.gates import check_circuit
from circuit.load import CircuitReadError, read_document
from circuit.requirement_gate import check_requirements, gate_error
from knowledge.library import Library, LibraryError
from pipelines.requirements_source import requirements_for_request, saved_requirements
from pipelines.terminal import plain, safe as escape

SEV_STYLE = {"Critical": "bold red", "Major": "red", "Minor": "yellow", "Warning": "cyan"}


def _print_table(path: str, report, skipped: bool = False) -> None:
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
    try:
        library = Library.default()
    except LibraryError as e:
        print(f"error: the component library is broken: {e}", file=sys.stderr)
        return 2
    try:
        document = read_document(args.file)  # the input limits: bytes, depth, sizes, regular files only
        if not document.get("parts"):
            raise CircuitReadError("the document has no parts, so there is nothing to check "
                                   "(a CircuitJSON document lists \"parts\" and \"connections\")")
        report = check_circuit(document, library, spice=not args.no_spice)
    except CircuitReadError as e:
        print(plain(f"error: cannot check {args.file}: {e}").replace("\n", " "), file=sys.stderr)
        return 2
    try:
        asked = _requirements(args, library, document)  # the document as read within the input limits
    except ValueError as e:
        print(plain(f"error: cannot read the request saved in {args.file}: {e} (pass --request TEXT or --no-request)"),
              file=sys.stderr)
        return 2
    result = None
    if asked is not None:
        try:
            result = check_requirements(report.circuit, asked, library)
        except Exception as e:  # a gate that cannot run fails closed
            result = gate_error(e)
        report.findings = sort_findings(report.findings + result.findings)
    if args.json:
        out = report.as_json()
        if result is not None:
            out["requirements"] = result.as_json()
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print_table(args.file, report, skipped=args.no_spice)
        if result is not None:
            _print_requirements(result)
    return 0 if report.passed else 1


def _requirements(args: argparse.Namespace, library, doc: dict | None = None):
    """The requirements to check against: from --request, else saved in the file, else None."""
    if args.request is not None and args.request.strip():
        return requirements_for_request(args.request.strip()[:4000], library)
    if args.no_request:
        return None
    if doc is None:
        try:
            doc = json.loads(open(args.file, encoding="utf-8").read())
        except (OSError, ValueError):
            return None  # check_circuit read it; a file it could read but json cannot is not a saved design
    if not isinstance(doc, dict):
        return None
    saved = saved_requirements(doc)
    if saved is not None:
        return saved
    if isinstance(doc.get("request"), str) and doc["request"].strip():
        return requirements_for_request(doc["request"].strip()[:4000], library)
    return None


def _print_requirements(result) -> None:
    console = Console()
    console.print(f"Against the request: {len(result.met)} met, {len(result.unmet)} not met.", highlight=False)
    for m in result.unmet:
        console.print(f"  [red]not met:[/] {escape(m)}", highlight=False)
