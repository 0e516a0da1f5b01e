"""What ``circuitsmith serve`` does once its arguments are parsed (the interface: pipelines/commands/serve.py)."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.markup import escape

from knowledge import lazy_imports
from pipelines.web.app import create_app

_LOCAL = {"127.0.0.1", "localhost", "::1"}


def run(args: argparse.Namespace) -> int:
    err = Console(stderr=True, highlight=False)
    if not 1 <= args.port <= 65535:
        err.print("[red]error:[/] --port must be between 1 and 65535")
        return 2
    if args.host not in _LOCAL and not args.allow_remote:
        err.print(f"[red]error:[/] {escape(args.host)} is reachable from other machines and the web chat has no login; "
                  "pass --allow-remote if you mean it")
        return 2
    if args.host not in _LOCAL:
        err.print(f"[yellow]warning:[/] listening on {escape(args.host)}: anyone who can reach it can run designs here")
    uvicorn = lazy_imports.uvicorn()
    app = create_app(args.data, backend="rules" if args.rules else None)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    err.print(f"circuitsmith web chat: open http://{shown}:{args.port}/  (Ctrl-C stops it)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
