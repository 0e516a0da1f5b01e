"""What ``circuitsmith chat`` does once its arguments are parsed (the interface: pipelines/commands/chat.py)."""

from __future__ import annotations

import argparse

from rich.console import Console

from agents.backend import LLMUnavailable, llm_client
from circuit.limits import clean_string
from knowledge.library import Library, LibraryError
from pipelines.commands.design_run import STAGE_WORDS
from pipelines.design import DesignSession
from pipelines.llm_options import LLMOptionError, apply_llm_arguments, design_settings
from pipelines.terminal import safe as escape
from pipelines.thread_lock import ThreadBusy

# Words that end the chat instead of going to the designer as a request.
LEAVE_WORDS = {"/quit", "/exit", "/q", "quit", "exit", "bye", "goodbye", "q"}


def _ask_choice(console, question: dict) -> dict:
    """Ask which library part to use for each out-of-library phrase."""
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
    console = Console(highlight=False)
    try:
        apply_llm_arguments(args)  # --llm-url, --llm-model, --llm-model-for AGENT=MODEL, ... set CIRCUITSMITH_LLM_*
    except LLMOptionError as e:
        console.print(f"[red]error:[/] {escape(str(e))}")
        return 2
    backend = "rules" if args.rules else ("llm" if args.llm else None)
    try:
        Library.default()
    except LibraryError as e:
        console.print(f"[red]error:[/] {escape(str(e))}")
        return 2
    try:
        if backend == "llm":
            llm_client("llm")
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
