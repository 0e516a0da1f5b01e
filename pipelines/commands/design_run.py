"""What ``circuitsmith design`` does once its arguments are parsed (the interface: pipelines/commands/design.py)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver
from rich.console import Console

from agents.backend import LLMUnavailable, llm_client
from circuit.limits import clean_string
from knowledge.library import Library, LibraryError
from pipelines.design import DesignSession, make_checkpointer
from pipelines.llm_options import LLMOptionError, apply_llm_arguments, design_settings
from pipelines.llm_usage import usage_json
from pipelines.terminal import safe as escape
from pipelines.thread_lock import ThreadBusy

EXIT_PASS, EXIT_FAIL, EXIT_INPUT, EXIT_OOD = 0, 1, 2, 3
STAGE_WORDS = {
    "route": "reading the request", "identify": "identifying parts", "retrieve": "looking up parts",
    "plan": "planning pins, rails and values", "synthesize": "writing CircuitJSON", "erc": "electrical rule check",
    "spice": "SPICE operating point", "requirements": "checking against the request", "repair": "repairing",
    "judge": "LLM judge", "render": "drawing and exporting",
    "answer": "summing up", "explain": "answering",
}


def run(args: argparse.Namespace) -> int:
    err = Console(stderr=True, highlight=False)
    request = clean_string(args.request or "").strip()  # lone surrogates (undecodable argv bytes) become U+FFFD
    if not request:
        err.print("[red]error:[/] the request is empty: describe the circuit, e.g. "
                  "circuitsmith design \"Blink an LED on an Arduino Uno\"")
        return EXIT_INPUT
    if len(request) > 4000:
        err.print("[red]error:[/] the request is longer than 4000 characters; shorten it")
        return EXIT_INPUT
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        err.print(f"[red]error:[/] {escape(str(out))} exists and is not a folder; choose another -o")
        return EXIT_INPUT
    try:
        apply_llm_arguments(args)  # --llm-url, --llm-model, --llm-model-for AGENT=MODEL, ... set CIRCUITSMITH_LLM_*
    except LLMOptionError as e:
        err.print(f"[red]error:[/] {escape(str(e))}")
        return EXIT_INPUT
    backend = "rules" if args.rules else ("llm" if args.llm else None)
    t0 = time.perf_counter()
    try:
        Library.default()  # a broken record file is a clear error here, not a traceback mid-design

        if backend == "llm":
            llm_client("llm")
        if args.thread:
            checkpointer = make_checkpointer()
        else:
            checkpointer = InMemorySaver()
        session = DesignSession(thread=args.thread, backend=backend, checkpointer=checkpointer,
                                settings=design_settings(args))
    except LLMUnavailable as e:
        err.print(f"[red]error:[/] {escape(str(e))}")
        return EXIT_INPUT
    except (LibraryError, RuntimeError) as e:
        err.print(f"[red]error:[/] {escape(str(e))}")
        return EXIT_INPUT

    last = [time.perf_counter()]

    def on_stage(node: str, update: dict) -> None:
        now = time.perf_counter()
        took = (update.get("timings") or {}).get(node, now - last[0])
        last[0] = now
        extra = ""
        if node in ("erc", "spice", "requirements") and "findings" in update:
            blocking = sum(1 for f in update["findings"] if f.get("severity") in ("Critical", "Major"))
            extra = f": {blocking} blocking" if blocking else ": ok"
        if node == "repair" and update.get("repairs"):
            extra = ": " + update["repairs"][-1]
        err.print(f"[green]✓[/] {STAGE_WORDS.get(node, node)} [dim]({took:.2f} s)[/]{escape(extra)}")


    try:
        with err.status("designing…", spinner="dots"):
            turn = session.send(request, out_dir=str(out), on_stage=on_stage,
                                check_firmware=bool(getattr(args, "check_firmware", False)),
                                exports=tuple(getattr(args, "export", None) or ()))
    except ThreadBusy as e:
        err.print(f"[red]error:[/] {escape(str(e))}")
        return EXIT_INPUT
    except OSError as e:
        err.print(f"[red]error:[/] cannot write the outputs: {escape(str(e))}")
        return EXIT_INPUT
    seconds = round(time.perf_counter() - t0, 3)
    if args.json:
        print(json.dumps(summary_json(turn, seconds), ensure_ascii=False))
    else:
        print(turn.get("answer", ""))
    if turn.get("stopped"):
        if not args.json:
            err.print(f"[yellow]{escape(turn['stopped'])}[/]")
        return EXIT_OOD if turn.get("ood") else EXIT_INPUT
    if turn.get("mode") == "question":
        return EXIT_PASS
    if not turn.get("passed"):
        err.print("[bold red]The design fails its checks[/] (see the findings above and report.md).")
        return EXIT_FAIL
    return EXIT_PASS


def summary_json(turn: dict, seconds: float) -> dict:
    llm = usage_json(turn.get("llm"))  # only when an LLM ran: per-agent and total tokens, latency, fallbacks
    return {
        "pass": bool(turn.get("passed")) and not turn.get("stopped"),
        "findings": [{k: f.get(k) for k in ("rule", "severity", "message", "where", "fix")}
                     for f in turn.get("findings") or []],
        "ood": turn.get("ood") or [],
        "requirements": {"met": list((turn.get("requirements_check") or {}).get("met") or []),
                         "unmet": list((turn.get("requirements_check") or {}).get("unmet") or [])},
        "backends": turn.get("backends") or {},
        "mode": turn.get("mode") or "design",
        "changes": list(turn.get("changes") or []),
        "outputs": turn.get("outputs") or {},
        **({"firmware": turn["firmware"]} if turn.get("firmware") else {}),
        "seconds": seconds,
        **({"llm": llm} if llm else {}),
    }
