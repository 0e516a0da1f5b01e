"""``circuitsmith serve``: the web chat for designs, datasheets and sizing."""

from __future__ import annotations

import argparse

NAME = "serve"
HELP = "Start the web chat (designs, datasheets, sizing) on this machine; open the printed URL in a browser."
EXAMPLE = "circuitsmith serve --port 8000   # then open http://127.0.0.1:8000/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--allow-remote", action="store_true",
                        help="needed to listen on an address other people can reach (there is no login)")
    parser.add_argument("--data", help="folder for threads' outputs, uploads and jobs (default: CIRCUITSMITH_HOME/web)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--rules", action="store_true", help="use the offline rules for every agent")
