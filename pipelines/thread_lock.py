"""One writer per conversation thread.

Two processes that edit one thread at once would each start from the same checkpoint and the
later write would silently drop the other's turn. A turn therefore holds the thread's lock from
reading the thread to writing it back: a Postgres advisory lock when threads live in Postgres
(it holds across machines), else an exclusive ``flock`` on a file under ``$CIRCUITSMITH_HOME/locks``.
A second writer waits its turn; after ``wait`` seconds it gives up with :class:`ThreadBusy`.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from knowledge.library import user_home

__all__ = ["ThreadBusy", "thread_lock"]


class ThreadBusy(RuntimeError):
    """Another design or chat kept the thread past the wait; the message says so."""


def _key(thread: str) -> int:
    return int.from_bytes(hashlib.sha256(f"circuitsmith-thread:{thread}".encode()).digest()[:8], "big", signed=True)


def _busy(thread: str, wait: float) -> ThreadBusy:
    return ThreadBusy(f"thread {thread!r} is busy: another design or chat is editing it (waited {wait:g} s); "
                      "try again when it has finished")


@contextmanager
def _pg_lock(conn, thread: str, wait: float) -> Iterator[None]:
    key = _key(thread)
    deadline = time.monotonic() + wait
    while True:
        row = conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (key,)).fetchone()
        got = row["got"] if isinstance(row, dict) else row[0]
        if got:
            break
        if time.monotonic() >= deadline:
            raise _busy(thread, wait)
        time.sleep(0.1)
    try:
        yield
    finally:
        try:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
        except Exception:  # the connection is gone: the server has released its locks with it
            pass


@contextmanager
def _file_lock(thread: str, wait: float) -> Iterator[None]:
    folder = user_home() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"thread-{hashlib.sha256(thread.encode()).hexdigest()[:24]}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy(thread, wait) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


_LOCAL: dict[tuple[int, str], threading.Lock] = {}
_LOCAL_GUARD = threading.Lock()


@contextmanager
def _memory_lock(checkpointer, thread: str, wait: float) -> Iterator[None]:
    """An in-memory checkpointer lives in one process: a lock per (checkpointer, thread) is enough."""
    with _LOCAL_GUARD:
        lock = _LOCAL.setdefault((id(checkpointer), thread), threading.Lock())
    if not lock.acquire(timeout=wait):
        raise _busy(thread, wait)
    try:
        yield
    finally:
        lock.release()


@contextmanager
def thread_lock(checkpointer, thread: str, wait: float = 600.0) -> Iterator[None]:
    """Hold ``thread`` for one turn (see the module doc)."""
    if type(checkpointer).__module__.startswith("langgraph.checkpoint.memory"):
        with _memory_lock(checkpointer, thread, wait):
            yield
        return
    conn = getattr(checkpointer, "conn", None)
    if conn is not None and type(conn).__module__.startswith("psycopg") and hasattr(conn, "execute"):
        with _pg_lock(conn, thread, wait):
            yield
        return
    with _file_lock(thread, wait):
        yield
