"""Running ngspice in-process (PySpice over libngspice), one simulation at a time.

ngspice's shared library is not thread-safe, so every call goes through one lock. A run that
does not converge or outlives its timeout raises :class:`SimulationError` with ngspice's own
words; callers turn that into a finding, never a crash or a hang.

Netlists reaching :func:`simulate` are built by circuitsmith's netlisters, which escape all
user text; :func:`simulate` refuses any deck that contains control or file-access commands as
a last line of defence.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from knowledge import lazy_imports

__all__ = ["SimulationError", "SimResult", "simulate", "simulate_inprocess", "ngspice_available", "LIBRARY_CANDIDATES", "stats", "shutdown", "prestart"]

LIBRARY_CANDIDATES = [
    os.environ.get("NGSPICE_LIBRARY_PATH", ""),
    "/usr/lib/x86_64-linux-gnu/libngspice.so.0",
    "/usr/lib/aarch64-linux-gnu/libngspice.so.0",
    "/usr/lib/libngspice.so.0",
    "/usr/local/lib/libngspice.so",
    "/usr/lib/x86_64-linux-gnu/libngspice.so",
]

_LOCK = threading.RLock()
_WORKER_LOCK = threading.Lock()
_WORKER = None
_ENGINE = None
_ENGINE_ERROR: str | None = None

# Lines a deck may never carry: anything that runs commands, reads/writes files or scripts ngspice.
_FORBIDDEN = re.compile(
    r"^\s*\.(control|endc|include|inc|lib|exec|shell|system|save\s+all\s*>|param\s+.*\$\(|csparam|write)\b"
    r"|^\s*(shell|system|source|write|wrdata|load|cd|setcs|sh)\b",
    re.IGNORECASE | re.MULTILINE,
)


class SimulationError(RuntimeError):
    """ngspice could not produce a result (no convergence, timeout, bad deck, no ngspice)."""


@dataclass
class SimResult:
    plot: str
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    seconds: float = 0.0
    log: str = ""

    def __getitem__(self, name: str) -> np.ndarray:
        key = name.lower()
        if key not in self.vectors:
            raise KeyError(f"no vector {name!r}; have {sorted(self.vectors)[:20]}")
        return self.vectors[key]

    def get(self, name: str, default=None):
        return self.vectors.get(name.lower(), default)

    def scalar(self, name: str) -> float:
        v = self[name]
        return float(np.real(v[0] if np.ndim(v) else v))

    def node(self, name: str) -> float:
        """DC operating-point voltage of a node."""
        return self.scalar(name)

    def current(self, source: str) -> float:
        """Current through a voltage source (ngspice's sign: into the + terminal)."""
        return self.scalar(f"{source}#branch")


@dataclass
class _Stats:
    runs: int = 0
    seconds: float = 0.0


stats = _Stats()


def _library_path() -> str | None:
    for cand in LIBRARY_CANDIDATES:
        if cand and Path(cand).exists():
            return cand
    return None


def _engine():
    global _ENGINE, _ENGINE_ERROR
    if _ENGINE is not None:
        return _ENGINE
    if _ENGINE_ERROR is not None:
        raise SimulationError(_ENGINE_ERROR)
    path = _library_path()
    if path is None:
        _ENGINE_ERROR = (
            "ngspice is not installed: run `apt-get install -y ngspice libngspice0` "
            "(or set NGSPICE_LIBRARY_PATH to libngspice.so)"
        )
        raise SimulationError(_ENGINE_ERROR)
    logging.getLogger("PySpice").setLevel(logging.CRITICAL)
    NgSpiceShared = lazy_imports.ngspice_shared().NgSpiceShared
    NgSpiceShared.LIBRARY_PATH = path
    _patch_callbacks(NgSpiceShared)
    try:
        _ENGINE = NgSpiceShared.new_instance()
    except Exception as e:  # pragma: no cover - depends on the system library
        _ENGINE_ERROR = f"cannot start ngspice from {path}: {e}"
        raise SimulationError(_ENGINE_ERROR) from e
    return _ENGINE


def _patch_callbacks(cls) -> None:
    """PySpice 1.5's background-thread callback returns None where C expects an int, which
    makes cffi print a traceback on every background run; return 0 as the API asks."""
    ffi = lazy_imports.ngspice_shared().ffi
    def _background_thread_running(not_running, ngspice_id, user_data):
        # ngspice passes true when the background thread has *stopped*
        self = ffi.from_handle(user_data)
        self._is_running = not bool(not_running)
        return 0

    cls._background_thread_running = staticmethod(_background_thread_running)


def ngspice_available() -> bool:
    try:
        _engine()
        return True
    except SimulationError:
        return False


def check_deck(netlist: str) -> None:
    """Refuse decks with control blocks or file/shell access (raises SimulationError)."""
    m = _FORBIDDEN.search(netlist)
    if m:
        raise SimulationError(f"refusing to simulate a deck containing {m.group(0).strip()!r}")


class _Poisoned(SimulationError):
    """ngspice refused a deck in a way that leaves the shared library unusable ("cannot recover")."""


def simulate_inprocess(netlist: str, timeout: float = 10.0) -> SimResult:
    """Run a deck in this process's libngspice. After some netlist errors ngspice cannot recover and
    must be unloaded; that raises :class:`_Poisoned`, and the engine refuses further work."""
    global _ENGINE_ERROR
    check_deck(netlist)
    with _LOCK:
        ng = _engine()
        t0 = time.perf_counter()
        try:
            ng.destroy()
        except Exception:
            pass
        ng.clear_output()
        try:
            ng.load_circuit(netlist)
        except Exception as e:
            msg = f"ngspice rejected the netlist: {_tail(ng, e)}"
            if "cannot recover" in " ".join(ng._stderr + ng._stdout).lower() or "ngSpice_Circ" in str(e):
                _ENGINE_ERROR = "ngspice must be restarted after: " + msg
                raise _Poisoned(msg) from e
            raise SimulationError(msg) from e
        if ng._error_in_stderr and "error" in ng.stderr.lower():
            raise SimulationError(f"ngspice rejected the netlist: {_tail(ng)}")
        before = set(ng.plot_names)
        try:
            # PySpice's run(background=True) raises its running flag only after bg_run returns, so a fast
            # deck can finish first and leave the flag stuck; raise it before starting the thread instead.
            # Call the C API directly: PySpice's exec_command raises on any earlier "error" text in the
            # output (gmin-stepping chatter) while the background run goes on regardless.
            ng._is_running = True
            rc = ng._ngspice_shared.ngSpice_Command(b"bg_run")
            if rc:
                raise RuntimeError(f"bg_run returned {rc}")
        except Exception as e:
            try:
                ng._ngspice_shared.ngSpice_Command(b"bg_halt")
            except Exception:
                pass
            _wait_stopped(ng)
            ng._is_running = False
            raise SimulationError(f"ngspice failed: {_tail(ng, e)}") from e
        deadline = t0 + timeout
        idle_since = None
        seen_running = False
        while True:
            if not ng._is_running:  # set by run(background=True), cleared by ngspice's callback
                break
            # the callback can be missed (a deck ngspice refused to start): trust the C API after 20 ms idle
            # once the run was seen going; before that the background thread may simply not have started
            # yet (a busy machine), so give it a full second before calling the run over
            if not ng._ngspice_shared.ngSpice_running():
                now = time.perf_counter()
                idle_since = idle_since or now
                if now - idle_since > (0.02 if seen_running else 1.0):
                    ng._is_running = False
                    break
            else:
                seen_running = True
                idle_since = None
            if time.perf_counter() > deadline:
                try:
                    ng.halt()
                except Exception:
                    pass
                finally:
                    _wait_stopped(ng)
                raise SimulationError(f"simulation did not finish within {timeout:g} s (halted)")
            time.sleep(0.0005)
        elapsed = time.perf_counter() - t0
        output = "\n".join(ng._stdout + ng._stderr).lower()
        for marker in ("simulation(s) aborted", "simulation interrupted", "timestep too small", "iteration limit reached"):
            if marker in output:
                raise SimulationError(f"the simulation did not converge ({marker}): {_tail(ng)}")
        names = [p for p in ng.plot_names if p not in before and p != "const"]
        if not names:
            raise SimulationError(f"no result: the simulation did not converge or failed. {_tail(ng)}")
        plot_name = ng.last_plot
        if plot_name not in names:
            plot_name = names[0]
        plot = ng.plot(None, plot_name)
        vectors = {}
        for k, v in plot.items():
            data = getattr(v, "_data", None)
            if data is not None:
                vectors[k.lower()] = np.array(data)
        if not vectors:
            raise SimulationError(f"no result vectors: {_tail(ng)}")
        return SimResult(plot=plot_name, vectors=vectors, seconds=elapsed, log=ng.stderr)


def _wait_stopped(ng, limit: float = 2.0) -> None:
    t = time.perf_counter()
    while ng._ngspice_shared.ngSpice_running() and time.perf_counter() - t < limit:
        time.sleep(0.001)


def _tail(ng, exc: Exception | None = None) -> str:
    text = " ".join(line.strip() for line in ng._stderr[-6:] if line.strip())
    if exc is not None and not text:
        text = str(exc)
    return text or "no message from ngspice"


_NAME_SAFE = re.compile(r"[^A-Za-z0-9_]")


def spice_name(text: str, prefix: str = "") -> str:
    """A SPICE-safe identifier made from user text: letters, digits and _ only, never a dot-command."""
    clean = _NAME_SAFE.sub("_", str(text))[:40] or "x"
    if not clean[0].isalpha():
        clean = "x" + clean
    return f"{prefix}{clean}"


def spice_number(value: float) -> str:
    """A float as a SPICE number (no units, no user text)."""
    v = float(value)
    if not np.isfinite(v):
        raise SimulationError(f"not a finite value: {value!r}")
    return f"{v:.6g}"


# ---------------------------------------------------------------------------- worker process
class _Worker:
    """A child process (``python -m circuit.sim_worker``) that owns libngspice, talking over two
    private pipes. A crash, a hang or an unrecoverable ngspice state costs one simulation (a
    SimulationError), never the caller's process."""

    def __init__(self) -> None:
        r1, w1 = os.pipe()
        r2, w2 = os.pipe()
        env = dict(os.environ)
        env["CIRCUITSMITH_SIM_INPROC"] = "1"
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "circuit.sim_worker", str(r1), str(w2), str(os.getpid())],
            pass_fds=(r1, w2), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=env, close_fds=True,
        )
        os.close(r1)
        os.close(w2)
        self.tx = Connection(w1, readable=False)
        self.rx = Connection(r2, writable=False)
        self.owner = os.getpid()  # the process that started it (it dies with that process)

    def forget(self) -> None:
        """In a forked child: close this copy of the pipes, leaving the parent's worker running."""
        for c in (self.tx, self.rx):
            try:
                c.close()
            except Exception:
                pass

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.wait(2)
        except Exception:
            pass
        for c in (self.tx, self.rx):
            try:
                c.close()
            except Exception:
                pass

    def run(self, deck: str, timeout: float) -> SimResult:
        try:
            self.tx.send((deck, timeout))
        except (BrokenPipeError, OSError):
            self.kill()
            raise SimulationError("the ngspice worker stopped (restarted for the next run)") from None
        # the child enforces the timeout itself; the margin covers start-up and a child that hangs outright
        if not self.rx.poll(timeout + 20.0):
            self.kill()
            raise SimulationError(f"simulation did not finish within {timeout:g} s (ngspice restarted)")
        try:
            kind, payload = self.rx.recv()
        except (EOFError, OSError):
            self.kill()
            raise SimulationError("ngspice crashed on this netlist (restarted for the next run)") from None
        if kind == "ok":
            return payload
        if kind == "poisoned":  # ngspice cannot go on after this deck: the next run gets a new worker
            self.kill()
        raise SimulationError(payload)


def _live_worker() -> _Worker:
    """This process's running worker, started when there is none (call with _WORKER_LOCK held)."""
    global _WORKER
    if _WORKER is not None and _WORKER.owner != os.getpid():
        # a forked child (a batch worker) holds a copy of its parent's worker: never use or kill it
        _WORKER.forget()
        _WORKER = None
    if _WORKER is None or not _WORKER.alive():
        if _WORKER is not None:
            _WORKER.kill()
        _WORKER = _Worker()
    return _WORKER


def prestart() -> None:
    """Start the ngspice worker now, without waiting for it, so that its start-up (a Python process
    loading PySpice and libngspice, ~0.3 s) runs beside the caller's own work instead of before the
    first simulation. Nothing happens when ngspice runs in-process, is not installed, or a worker is
    already running; a worker that cannot start is left to :func:`simulate`, which reports why."""
    if os.environ.get("CIRCUITSMITH_SIM_INPROC") == "1" or _library_path() is None:
        return
    with _WORKER_LOCK:
        try:
            _live_worker()
        except OSError:
            pass


def simulate(netlist: str, timeout: float = 10.0) -> SimResult:
    """Run a complete deck (title line, elements, one analysis card such as ``.op``/``.ac``/``.tran``,
    ``.end``) and return the vectors of the plot it produced, keyed by lower-case name
    (``out``, ``v1#branch``, ``time``, ``frequency``).

    ngspice runs in a supervised worker process (set ``CIRCUITSMITH_SIM_INPROC=1`` to run it in this
    process instead); a crash or an unrecoverable ngspice state restarts the worker."""
    check_deck(netlist)
    if os.environ.get("CIRCUITSMITH_SIM_INPROC") == "1":
        return simulate_inprocess(netlist, timeout)
    if _library_path() is None:
        raise SimulationError(
            "ngspice is not installed: run `apt-get install -y ngspice libngspice0` "
            "(or set NGSPICE_LIBRARY_PATH to libngspice.so)"
        )
    with _WORKER_LOCK:
        worker = _live_worker()
        t0 = time.perf_counter()
        try:
            res = worker.run(netlist, timeout)
        finally:
            stats.runs += 1
            stats.seconds += time.perf_counter() - t0
        return res


def shutdown() -> None:
    """Stop the worker process (also done at interpreter exit)."""
    global _WORKER
    with _WORKER_LOCK:
        if _WORKER is not None:
            try:
                _WORKER.tx.send(None)
                _WORKER.proc.wait(1)
            except Exception:
                pass
            _WORKER.kill()
            _WORKER = None


import atexit  # noqa: E402

atexit.register(shutdown)
