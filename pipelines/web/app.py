"""``circuitsmith serve``: the web chat, a FastAPI app with one page of plain JavaScript.

- Design chat: a message runs the design graph on its thread and streams the stages as server-sent
  events (the graph's own stream), then the design: schematic, findings with fix hints, wiring list,
  BOM, SPICE operating point and every export to download. Threads live in the same checkpointer as
  the CLI's (SQLite, or Postgres when DATABASE_URL is set) and are listed and resumable.
- Datasheets: upload a PDF, get the parameter table with page and source text, MODEL.lib and plots.
- Sizing: a spec in words, the report and the response plot.

Safety: every string reaches the page as JSON and is put in the DOM as text, never as markup; files
are served only by fixed names from the data folder; uploads have size and type limits and are
stored under generated names; one design runs at a time per thread; a failing LLM or pipeline ends
the stream with an error event instead of a hung request.
"""

from __future__ import annotations

import csv
import io
import json
import queue
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

from fastapi import FastAPI, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from agents.llm import LLMConfig
from circuit.export import OUTPUT_FILES
from knowledge.library import user_home
from pipelines.datasheet import process_datasheet
from pipelines.design import DesignSession, make_checkpointer
from pipelines.report import banner
from pipelines.sizing import report_markdown, run_sizing, summary, write_outputs
from pipelines.web.threads import THREAD_ID, ThreadBusy, ThreadIndex

STATIC = Path(__file__).parent / "static"
MAX_UPLOAD = 20 * 1024 * 1024  # bytes
MAX_REQUEST_CHARS = 4000
STAGE_WORDS = {
    "route": "reading the request", "identify": "identifying parts", "retrieve": "looking up parts",
    "plan": "planning pins, rails and values", "synthesize": "writing CircuitJSON", "erc": "electrical rule check",
    "spice": "SPICE operating point", "requirements": "checking the request is met", "repair": "repairing",
    "judge": "LLM judge", "render": "drawing and exporting", "answer": "summing up", "explain": "answering",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_DATASHEET_FILES = {"PARAMS.json", "MODEL.lib", "report.md", "record.yaml"}
_SIZING_FILES = {"report.md", "values.json", "netlist.cir", "response.svg", "response.png"}


class Message(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_REQUEST_CHARS)


class SizingAsk(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_REQUEST_CHARS)


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


def _check_thread(thread: str) -> str:
    if not THREAD_ID.match(thread or ""):
        raise HTTPException(400, "a thread name is 1-64 letters, digits, '-' or '_'")
    return thread


def _bom_rows(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


class WebApp:
    """State shared by the routes: the data folder, the checkpointer and the thread index."""

    def __init__(self, data_dir: Path, backend: str | None = None):
        self.data = data_dir
        self.data.mkdir(parents=True, exist_ok=True)
        self.backend = backend
        self.checkpointer = make_checkpointer()
        self.index = ThreadIndex(self.data / "threads.sqlite")
        self.jobs = threading.Lock()  # datasheet and sizing jobs: one at a time (they fill the CPU)

    def out_dir(self, thread: str) -> Path:
        return self.data / "threads" / thread / "out"

    def view(self, thread: str, state: dict) -> dict:
        """What the page shows of a thread's design."""
        out = self.out_dir(thread)
        files = [name for name in OUTPUT_FILES if (out / name).is_file()]
        wiring = (out / "wiring.md").read_text(encoding="utf-8") if (out / "wiring.md").is_file() else ""
        turns = [t for t in state.get("turns") or [] if isinstance(t, dict)]
        return {
            "thread": thread,
            "title": state.get("title") or "",
            "turns": [{"role": t.get("role"), "content": t.get("content")} for t in turns],
            "answer": state.get("answer") or "",
            "safety": banner(state) or "",
            "pass": bool(state.get("passed")) and not state.get("stopped"),
            "stopped": state.get("stopped"),
            "findings": [{k: f.get(k) for k in ("rule", "severity", "message", "fix")} for f in state.get("findings") or []],
            "spice": (state.get("spice") or {}).get("node_voltages") or {},
            "bom": _bom_rows(out / "bom.csv"),
            "wiring": wiring,
            "files": files,
            "backends": state.get("backends") or {},
            "llm": state.get("llm") or {},
            "version": len(turns),
        }

    def run_turn(self, thread: str, text: str) -> Iterator[str]:
        """Run one design turn in a worker thread; yield its stages, then the design, as SSE."""
        events: queue.Queue = queue.Queue()

        def on_stage(node: str, update: dict) -> None:
            extra = ""
            if node in ("erc", "spice", "requirements") and "findings" in update:
                blocking = sum(1 for f in update["findings"] if f.get("severity") in ("Critical", "Major"))
                extra = f"{blocking} blocking" if blocking else "ok"
            events.put(("stage", {"stage": node, "label": STAGE_WORDS.get(node, node), "note": extra}))

        def work() -> None:
            try:
                with self.index.writer(thread):
                    session = DesignSession(thread=thread, backend=self.backend, checkpointer=self.checkpointer)
                    turn = session.send(text, out_dir=str(self.out_dir(thread)), on_stage=on_stage)
                    self.index.touch(thread, turn.get("title") or text[:80])
                    events.put(("design", self.view(thread, dict(turn))))
            except ThreadBusy as e:
                events.put(("error", {"message": str(e)}))
            except Exception as e:  # the stream ends with the error instead of hanging the page
                events.put(("error", {"message": f"the design failed: {type(e).__name__}: {e}"}))
            finally:
                events.put(None)

        threading.Thread(target=work, name=f"design-{thread}", daemon=True).start()
        yield _sse("start", {"thread": thread, "at": time.time()})
        while True:
            item = events.get()
            if item is None:
                break
            yield _sse(*item)
        yield _sse("end", {})


def _save_upload(upload: UploadFile, folder: Path, limit: int) -> Path:
    """Copy an upload to a generated name under ``folder``, refusing more than ``limit`` bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}.pdf"
    size = 0
    head = b""
    with open(target, "wb") as fh:
        while True:
            chunk = upload.file.read(1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                fh.close()
                target.unlink(missing_ok=True)
                raise HTTPException(413, f"the file is larger than {limit // (1024 * 1024)} MB")
            if len(head) < 5:
                head += chunk[:5]
            fh.write(chunk)
    if not head.startswith(b"%PDF-"):
        target.unlink(missing_ok=True)
        raise HTTPException(415, "that is not a PDF file (it does not start with %PDF-)")
    return target


def create_app(data_dir: str | Path | None = None, backend: str | None = None) -> FastAPI:
    web = WebApp(Path(data_dir) if data_dir else user_home() / "web", backend=backend)
    app = FastAPI(title="circuitsmith", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = web

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_UPLOAD + 64 * 1024:
            return JSONResponse({"detail": f"the upload is larger than {MAX_UPLOAD // (1024 * 1024)} MB"}, status_code=413)
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))

    @app.get("/static/{name}")
    def static(name: str) -> FileResponse:
        allowed = {"app.js": "text/javascript", "style.css": "text/css"}
        if name not in allowed:
            raise HTTPException(404, "no such file")
        return FileResponse(STATIC / name, media_type=allowed[name])

    @app.get("/api/settings")
    def settings() -> dict:
        """The LLM settings (from the same variables as the CLI); never the key."""
        cfg = LLMConfig.from_env()
        if cfg is None or web.backend == "rules":
            return {"llm": False, "note": "no LLM configured: every agent runs on its rules"}
        return {"llm": True, "base_url": cfg.base_url, "model": cfg.model, "agent_models": cfg.agent_models,
                "agents": sorted(cfg.agents) if cfg.agents else "all"}

    @app.get("/api/threads")
    def threads() -> list[dict]:
        return web.index.list()

    @app.get("/api/threads/{thread}")
    def thread_state(thread: str) -> dict:
        _check_thread(thread)
        session = DesignSession(thread=thread, backend=web.backend, checkpointer=web.checkpointer)
        return web.view(thread, session.state())

    @app.post("/api/threads/{thread}/messages")
    def send(thread: str, msg: Message) -> StreamingResponse:
        _check_thread(thread)
        return StreamingResponse(web.run_turn(thread, msg.text.strip()), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    @app.get("/api/threads/{thread}/files/{name:path}")
    def thread_file(thread: str, name: str, download: int = 0) -> FileResponse:
        _check_thread(thread)
        if name not in OUTPUT_FILES:
            raise HTTPException(404, "no such output")
        path = web.out_dir(thread) / name
        if not path.is_file():
            raise HTTPException(404, "that output has not been written yet")
        media = {"svg": "image/svg+xml", "png": "image/png", "json": "application/json", "csv": "text/csv"}
        return FileResponse(path, media_type=media.get(name.rsplit(".", 1)[-1], "text/plain; charset=utf-8"),
                            filename=Path(name).name if download else None)

    @app.post("/api/datasheets")
    def datasheet(file: UploadFile, part: str | None = None) -> dict:
        job = uuid.uuid4().hex[:12]
        pdf = _save_upload(file, web.data / "uploads", MAX_UPLOAD)
        out_root = web.data / "datasheets" / job
        with web.jobs:
            row = process_datasheet(pdf, out_root, part=(part or None))
        if row.get("status") != "ok":
            return {"job": job, "ok": False, "error": row.get("error") or "the datasheet could not be read",
                    "file": file.filename or ""}
        device = Path(row["dir"])
        params = json.loads((device / "PARAMS.json").read_text(encoding="utf-8"))
        files = sorted(p.name for p in device.iterdir() if p.is_file() and (p.name in _DATASHEET_FILES or p.suffix == ".png"))
        (web.data / "datasheets" / job / "device.txt").write_text(device.name, encoding="utf-8")
        table = params.get("params") or {}
        rows = [{"name": name, "value": p.get("value"), "unit": p.get("unit"), "page": p.get("page"),
                 "conditions": p.get("conditions") or {}, "source": p.get("source") or ""}
                for name, p in (table.items() if isinstance(table, dict) else enumerate(table))]
        return {"job": job, "ok": True, "part": row.get("part"), "class": row.get("class"),
                "params": rows, "model": row.get("model"), "files": files, "file": file.filename or ""}

    @app.get("/api/datasheets/{job}/files/{name}")
    def datasheet_file(job: str, name: str) -> FileResponse:
        if not THREAD_ID.match(job) or not (name in _DATASHEET_FILES or (name.endswith(".png") and "/" not in name)):
            raise HTTPException(404, "no such file")
        marker = web.data / "datasheets" / job / "device.txt"
        if not marker.is_file():
            raise HTTPException(404, "no such job")
        device = web.data / "datasheets" / job / marker.read_text(encoding="utf-8").strip()
        path = device / name
        if not path.is_file() or web.data.resolve() not in path.resolve().parents:
            raise HTTPException(404, "no such file")
        return FileResponse(path)

    @app.post("/api/size")
    def size(ask: SizingAsk) -> dict:
        job = uuid.uuid4().hex[:12]
        with web.jobs:
            state = run_sizing(ask.text.strip(), budget=60, mc_runs=50)
            files = write_outputs(state, web.data / "sizing" / job)
        out = summary(state)
        return {"job": job, "summary": json.loads(json.dumps(out, default=float)),
                "report": report_markdown(state), "files": sorted(p.name for p in files.values())}

    @app.get("/api/size/{job}/files/{name}")
    def size_file(job: str, name: str) -> FileResponse:
        if not THREAD_ID.match(job) or name not in _SIZING_FILES:
            raise HTTPException(404, "no such file")
        path = web.data / "sizing" / job / name
        if not path.is_file():
            raise HTTPException(404, "no such file")
        return FileResponse(path)

    return app
