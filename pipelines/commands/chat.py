"""``circuitsmith chat``: talk to the design pipeline in the terminal; a thread resumes later."""

from __future__ import annotations

import argparse

from pipelines.llm_options import add_llm_arguments

NAME = "chat"
HELP = "Chat with the design pipeline: design, then edit ('add a buzzer', 'use an ESP32 instead') and ask ('why R2?')."
EXAMPLE = ("circuitsmith chat --thread desk-lamp -o out/\n"
           "  (type undo to go back one version, /quit to leave; run the same command later to continue the thread)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--thread", default="default", help="conversation thread to start or continue (default: default)")
    parser.add_argument("-o", "--out", default=None, help="write the design's files here after every change")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--rules", action="store_true", help="use the offline rules for every agent")
    mode.add_argument("--llm", action="store_true", help="use the configured LLM")


    add_llm_arguments(parser)
