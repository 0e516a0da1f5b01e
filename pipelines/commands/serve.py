"""``circuitsmith serve``: the web chat for designs, datasheets and sizing."""

from __future__ import annotations

import argparse

NAME = "serve"
HELP = "Start the web chat (designs, datasheets, sizing) on this machine; open the printed URL in a browser."
EXAMPLE = "circuitsmith serve --port 8000   # then open http://127.0.0.1:8000/"

_LOCAL = {"127.0.0.1", "localhost", "::1"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--allow-remote", action="store_true",
                        help="needed to listen on an address other people can reach (there is no login)")
    parser.add_argument("--data", help="folder for threads' outputs, uploads and jobs (default: CIRCUITSMITH_HOME/web)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--rules", action="store_true", help="use the offline rules for every agent")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markup import escape

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
    import uvicorn

    from pipelines.web.app import create_app

    app = create_app(args.data, backend="rules" if args.rules else None)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    err.print(f"circuitsmith web chat: open http://{shown}:{args.port}/  (Ctrl-C stops it)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
