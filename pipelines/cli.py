"""The ``circuitsmith`` command line: one sub-command per job."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from pipelines.terminal import plain

# Order is the order shown in --help.
COMMANDS = ["design", "chat", "check", "size", "extract", "kb", "serve"]
EXIT_INTERNAL = 70  # an unexpected error: one line on stderr, the traceback in a log file


def _load_commands():
    """Each command's interface (pipelines/commands/NAME.py: its help and arguments), light to import."""
    return [importlib.import_module(f"pipelines.commands.{name}") for name in COMMANDS]


def _runner(name: str):
    """The command's ``run``, from pipelines/commands/NAME_run.py: only the command being run is imported,
    so ``--help`` and one command never load what the others need (the design graph, the web server)."""
    return importlib.import_module(f"pipelines.commands.{name}_run").run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="circuitsmith",
        description="Circuit-design assistant: requests to validated circuits, datasheets to SPICE models, values sized by simulation.",
        epilog="Run 'circuitsmith COMMAND --help' for a command's options and an example. "
               f"Exit status {EXIT_INTERNAL}: an unexpected error (one line here, the details in a log file).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _load_commands():
        p = sub.add_parser(
            mod.NAME,
            help=mod.HELP,
            description=mod.HELP,
            epilog=f"example:\n  {mod.EXAMPLE}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        mod.add_arguments(p)
        p.set_defaults(_command=mod.NAME)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_command", None):
        parser.print_help()
        return 2
    try:
        return int(_runner(args._command)(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `circuitsmith ... | head`: the reader left; nothing to report
        return 0
    except Exception as e:  # no traceback reaches a user: one line, the details in a log file
        log = write_crash_log(argv if argv is not None else sys.argv[1:])
        what = plain(f"{type(e).__name__}: {e}").replace("\n", " ")[:300]
        print(f"error: unexpected {what} (details in {log}; please report it)", file=sys.stderr)
        return EXIT_INTERNAL


def write_crash_log(argv: list[str]) -> str:
    """Write the current exception's traceback to a log file; returns its path."""
    text = f"circuitsmith {' '.join(map(str, argv))}\n\n{traceback.format_exc()}"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for folder in (Path(os.environ.get("CIRCUITSMITH_HOME", Path.home() / ".local" / "share" / "circuitsmith")) / "logs",
                   Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"circuitsmith-error-{stamp}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8", errors="backslashreplace")
            return str(path)
        except OSError:
            continue
    return "(no log could be written)"


if __name__ == "__main__":
    sys.exit(main())
