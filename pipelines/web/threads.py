"""The web chat's thread index (titles, last use) and one-writer-per-thread locks."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

THREAD_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class ThreadBusy(RuntimeError):
    """Another design is running on this thread."""


class ThreadIndex:
    """Which threads exist, their titles and when they were last used (SQLite in the data folder)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS threads (id TEXT PRIMARY KEY, title TEXT, updated REAL)")
        self._db.commit()
        self._mutex = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def touch(self, thread: str, title: str) -> None:
        with self._mutex:
            self._db.execute("INSERT INTO threads(id, title, updated) VALUES(?, ?, ?) ON CONFLICT(id) DO UPDATE "
                             "SET title = excluded.title, updated = excluded.updated", (thread, title[:200], time.time()))
            self._db.commit()

    def list(self, limit: int = 100) -> list[dict]:
        with self._mutex:
            rows = self._db.execute("SELECT id, title, updated FROM threads ORDER BY updated DESC LIMIT ?", (limit,))
            return [{"id": r[0], "title": r[1], "updated": r[2]} for r in rows.fetchall()]

    @contextmanager
    def writer(self, thread: str, wait: float = 60.0):
        """Hold the thread for one design turn; a second turn waits, then is told the thread is busy."""
        with self._mutex:
            lock = self._locks.setdefault(thread, threading.Lock())
        if not lock.acquire(timeout=wait):
            raise ThreadBusy(f"thread {thread!r} is busy with another design; try again when it finishes")
        try:
            yield
        finally:
            lock.release()
