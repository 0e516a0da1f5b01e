"""A real uvicorn server for the web chat on 127.0.0.1 (a free port), for API and browser tests."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(data_dir: Path, backend: str = "rules"):
    """The server keeps its threads under ``data_dir`` (its own CIRCUITSMITH_HOME), never the user's."""
    import pytest

    from pipelines.web.app import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CIRCUITSMITH_HOME", str(data_dir / "home"))
        with _serve(create_app(data_dir, backend=backend)) as base:
            yield base


@contextmanager
def _serve(app):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", timeout_graceful_shutdown=2))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/threads", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        raise RuntimeError("the web server did not start")
    try:
        yield base
    finally:
        server.should_exit = True
        t.join(timeout=10)


def design_turn(base: str, thread: str, text: str, timeout: float = 120.0) -> list[tuple[str, dict]]:
    """POST one message and read its server-sent events to the end."""
    import json

    events = []
    with httpx.stream("POST", f"{base}/api/threads/{thread}/messages", json={"text": text}, timeout=timeout) as r:
        r.raise_for_status()
        buf = ""
        for chunk in r.iter_text():
            buf += chunk
            while "\n\n" in buf:
                block, buf = buf.split("\n\n", 1)
                lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
                events.append((lines.get("event", ""), json.loads(lines.get("data", "{}"))))
    return events
