"""``circuitsmith chat``: talk to the design pipeline in the terminal; a thread resumes later."""

from __future__ import annotations

import argparse

NAME = "chat"
HELP = "Chat with the design pipeline: design, then edit ('add a buzzer', 'use an ESP32 instead') and ask ('why R2?')."
EXAMPLE = ("circuitsmith chat --thread desk-lamp -o out/\n"
           "  (type undo to go back one version, /quit to leave; run the same command later to continue the thread)")


# Words that end the chat instead of going to the designer as a request.
LEAVE_WORDS = {"/quit", "/exit", "/q", "quit", "exit", "bye", "goodbye", "q"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--thread", default="default", help="conversation thread to start or continue (default: default)")
    parser.add_argument("-o", "--out", default=None, help="write the design's files here after every change")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--rules", action="store_true", help="use the offline rules for every agent")
    mode.add_argument("--llm", action="store_true", help="use the configured LLM")

    from pipelines.llm_options import add_llm_arguments

    add_llm_arguments(parser)


def _ask_choice(console, question: dict) -> dict:
    """Ask which library part to use for each out-of-library phrase."""
    from pipelines.terminal import safe as escape  # controls stripped, markup escaped

    picks: dict[str, str | None] = {}
    for o in question.get("ood", []):
        near = o.get("near_misses") or []
        console.print(f"[yellow]'{escape(o['phrase'])}' is not in the component library.[/]")
        for i, m in enumerate(near, 1):
            console.print(f"  {i}. {escape(m['key'])} — {escape(m.get('name', ''))}")
        console.print("  0. leave it out")
        while True:
            try:
                raw = console.input("choose a number> ").strip()
            except EOFError:
                raw = "0"
            if raw.isdigit() and 0 <= int(raw) <= len(near):
                picks[o["phrase"]] = near[int(raw) - 1]["key"] if int(raw) else None
                break
            console.print(f"type a number from 0 to {len(near)}")
    return picks


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from pipelines.terminal import safe as escape  # controls stripped, markup escaped

    from agents.backend import LLMUnavailable
    from pipelines.commands.design import STAGE_WORDS

    console = Console(highlight=False)
    from pipelines.llm_options import LLMOptionError, apply_llm_arguments

    try:
        apply_llm_arguments(args)  # --llm-url, --llm-model, --llm-model-for AGENT=MODEL, ... set CIRCUITSMITH_LLM_*
    except LLMOptionError as e:
        console.print(f"[red]error:[/] {escape(str(e))}")
        return 2
    backend = "rules" if args.rules else ("llm" if args.llm else None)
    from knowledge.library import Library, LibraryError

    try:
        Library.default()
    except LibraryError as e:
        console.print(f"[red]error:[/] {escape(str(e))}")
        return 2
    try:
        from pipelines.design import DesignSession

        if backend == "llm":
            from agents.backend import llm_client

            llm_client("llm")
        from pipelines.llm_options import design_settings

        session = DesignSession(thread=args.thread, backend=backend, interactive=True, settings=design_settings(args))
    except (LLMUnavailable, RuntimeError) as e:
        console.print(f"[red]error:[/] {escape(str(e))}")
        return 2

    state = session.state()
    if state.get("circuit"):
        console.print(f"[dim]Continuing thread '{escape(session.thread)}': {escape(state.get('title', ''))} "
                      f"({len(state.get('turns') or [])} messages so far).[/]")
    else:
        console.print(f"[dim]New thread '{escape(session.thread)}'. Describe a circuit, then edit it (\"remove the "
                      "buzzer\", \"make R1 330 Ω\"); undo goes back one version; exit (or Ctrl-D) to leave.[/]")

    def on_stage(node: str, update: dict) -> None:
        console.print(f"[dim]  · {STAGE_WORDS.get(node, node)}[/]")

    from circuit.limits import clean_string
    from pipelines.thread_lock import ThreadBusy

    pending = session.pending()
    while True:
        try:
            if pending is not None:
                turn = session.resume(_ask_choice(console, pending), on_stage=on_stage)
            else:
                message = clean_string(console.input("[bold]you>[/] ")).strip()
                if not message:
                    continue
                if len(message) > 4000:
                    console.print("[red]that message is longer than 4000 characters; shorten it[/]")
                    continue
                if message.lower().strip(" .!") in LEAVE_WORDS:
                    console.print("[dim]bye (the thread is saved)[/]")
                    return 0
                turn = session.send(message, out_dir=args.out, on_stage=on_stage)
        except ThreadBusy as e:  # another chat or design holds the thread past the wait: say so, keep the chat
            console.print(f"[red]{escape(str(e))}[/]")
            continue
        except EOFError:
            console.print()
            return 0
        except KeyboardInterrupt:
            console.print("\n[dim]bye (the thread is saved)[/]")
            return 0
        pending = turn.waiting
        if pending is None:
            console.print(f"[bold cyan]circuitsmith>[/] {escape(turn.get('answer', ''))}")
