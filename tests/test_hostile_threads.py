"""One writer per conversation thread: seven concurrent turns on one thread all land, in some
order, on SQLite and on Postgres (a real server started on 127.0.0.1); a writer that cannot get
the thread in time fails with a clear "thread busy"; a design's files land as one set."""

from __future__ import annotations

import threading
import time

import pytest

from pipelines.settings import DesignSettings
from pipelines.thread_lock import ThreadBusy, thread_lock
from tests.test_design_postgres import _missing as _pg_missing
from tests.test_design_postgres import database_url  # noqa: F401  (the fixture: a real server)

TURNS = ["add a buzzer", "what does the resistor do?", "add a push button", "why is there a resistor?",
         "which pin drives the LED?", "what is the supply voltage?", "how much current does the LED draw?"]


def _concurrent_turns(thread: str) -> list[str]:
    from pipelines.design import DesignSession

    DesignSession(thread=thread, backend="rules").send("Blink an LED on an Arduino Uno")
    errors: list[BaseException] = []

    def one(msg: str) -> None:
        try:
            DesignSession(thread=thread, backend="rules").send(msg)
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    workers = [threading.Thread(target=one, args=(m,)) for m in TURNS]
    for w in workers:
        w.start()
    for w in workers:
        w.join(240)
    assert not any(w.is_alive() for w in workers), "a turn hung"
    assert not errors, errors
    state = DesignSession(thread=thread, backend="rules").state()
    return [t["content"] for t in state.get("turns") or [] if t.get("role") == "user"]


def test_seven_concurrent_turns_all_land_on_sqlite(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    said = _concurrent_turns("t-sqlite")
    assert sorted(said[1:]) == sorted(TURNS), said


@pytest.mark.skipif(_pg_missing() is not None, reason=_pg_missing() or "")
def test_seven_concurrent_turns_all_land_on_postgres(database_url, monkeypatch):  # noqa: F811
    monkeypatch.setenv("DATABASE_URL", database_url)
    said = _concurrent_turns("t-postgres")
    assert sorted(said[1:]) == sorted(TURNS), said


def test_a_writer_that_waits_too_long_is_told_the_thread_is_busy(monkeypatch):
    from langgraph.checkpoint.memory import InMemorySaver

    from pipelines.design import DesignSession

    monkeypatch.delenv("DATABASE_URL", raising=False)
    saver = InMemorySaver()
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with thread_lock(saver, "t-busy"), thread_lock(None, "t-busy"):  # the in-process and the file lock
            held.set()
            release.wait(10)

    t = threading.Thread(target=holder)
    t.start()
    try:
        assert held.wait(5)
        session = DesignSession(thread="t-busy", backend="rules", checkpointer=saver,
                                settings=DesignSettings(thread_wait=0.3))
        t0 = time.monotonic()
        with pytest.raises(ThreadBusy, match="busy"):
            session.send("Blink an LED on an Arduino Uno")
        with pytest.raises(ThreadBusy, match="busy"), thread_lock(None, "t-busy", wait=0.3):
            pass
        assert time.monotonic() - t0 < 3
    finally:
        release.set()
        t.join(5)
