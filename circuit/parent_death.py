"""A child process that must not outlive its parent: a batch worker, an ngspice worker.

:func:`die_with_parent` asks Linux to send the child SIGKILL when the process that started it
dies (``prctl(PR_SET_PDEATHSIG)``, through ctypes), so kill -9 of ``extract`` takes its workers
and their ngspice processes with it; a daemon thread also polls the parent pid (no prctl off
Linux, and prctl follows the forking thread, not the process). A parent that died before the
call is noticed at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time

__all__ = ["die_with_parent"]

PR_SET_PDEATHSIG = 1


def _prctl_pdeathsig(sig: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int, interval: float) -> None:
    while True:
        time.sleep(interval)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)


def die_with_parent(parent: int, interval: float = 0.5, prctl: bool = False) -> None:
    """End this process when ``parent`` (the pid that started it) dies.

    ``prctl`` only where the parent started this process from its main thread: Linux sends the
    signal when the *thread* that forked dies, and a worker thread of a pool may end long before
    its process. The watch thread runs either way (a SIGKILL within ``interval`` seconds)."""
    if prctl:
        _prctl_pdeathsig(signal.SIGKILL)
    threading.Thread(target=_watch, args=(parent, interval), daemon=True, name="parent-watch").start()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGKILL)
