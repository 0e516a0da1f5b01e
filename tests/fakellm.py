"""A scripted, fault-injecting OpenAI-compatible server for tests, on 127.0.0.1.

The real ``openai`` client talks to it over real HTTP. Each request to
``/v1/chat/completions`` takes the next step of the script (or asks ``responder``):

- ``{"json": obj}`` / ``{"content": "text"}``: a normal answer
- ``{"status": 500, "body": {...}, "headers": {"Retry-After": "1"}}``: an HTTP error
- ``{"delay": 2.0, ...}``: wait before answering (combine with any other step)
- ``{"drop": True}``: close the connection without answering
- ``{"garbage": True}``: a 200 whose body is not JSON
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


class FakeLLM:
    def __init__(self, script: list[dict] | None = None, responder: Callable[[dict], dict] | None = None):
        self.script = list(script or [])
        self.responder = responder
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # /v1/models
                self._send(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {}
                with server._lock:
                    server.requests.append(body)
                    step = server.script.pop(0) if server.script else None
                if step is None:
                    step = server.responder(body) if server.responder else {"content": "{}"}
                if step.get("delay"):
                    time.sleep(step["delay"])
                if step.get("drop"):
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    self.connection.close()
                    self.close_connection = True
                    return
                if "status" in step:
                    self._send(step["status"], step.get("body", {"error": {"message": "injected error"}}), step.get("headers"))
                    return
                if step.get("garbage"):
                    data = b"<html>not json"
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                content = json.dumps(step["json"]) if "json" in step else step.get("content", "")
                prompt_tokens = sum(len(str(m.get("content", ""))) // 4 for m in body.get("messages", []))
                self._send(200, {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "fake"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(content) // 4,
                              "total_tokens": prompt_tokens + len(content) // 4},
                })

            def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, str(v))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "FakeLLM":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def env(self, **extra: str) -> dict[str, str]:
        """Environment that points circuitsmith at this server."""
        out = {"CIRCUITSMITH_LLM_BASE_URL": self.base_url, "CIRCUITSMITH_LLM_API_KEY": "test",
               "CIRCUITSMITH_LLM_MODEL": "fake", "CIRCUITSMITH_LLM_TIMEOUT": "5"}
        out.update(extra)
        return out
