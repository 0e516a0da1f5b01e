"""The part index is a cache of the library and heals itself: concurrent first uses wait on one
build (six processes at once all succeed), and a corrupted store is rebuilt on the next search
with a one-line notice."""

from __future__ import annotations

import multiprocessing as mp
import os

import pytest


def _first_use(home: str, q) -> None:
    try:
        os.environ["CIRCUITSMITH_HOME"] = home
        from knowledge.index import PartIndex
        from knowledge.library import Library

        idx = PartIndex(Library.default(), progress=False).ensure()
        q.put(("ok", len(idx)))
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        q.put(("error", f"{type(e).__name__}: {e}"))


def test_six_concurrent_first_uses_all_succeed(tmp_path, library):
    # fresh interpreters ("spawn"): a fork of this process would inherit the locks of its threads
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    procs = [ctx.Process(target=_first_use, args=(str(tmp_path / "home"), q)) for _ in range(6)]
    for p in procs:
        p.start()
    results = [q.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(30)
    assert all(r[0] == "ok" for r in results), results
    assert len({r[1] for r in results}) == 1 and results[0][1] > 0


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_corrupted_index_is_rebuilt_on_the_next_search(damage, tmp_path, monkeypatch, capsys, library):
    from knowledge.index import PartIndex, index_dir

    monkeypatch.setenv("CIRCUITSMITH_HOME", str(tmp_path / "home"))
    first = PartIndex(library, progress=False).ensure()
    n = len(first)
    store = index_dir() / "chroma.sqlite3"
    assert store.is_file()
    _forget_chroma_clients()
    if damage == "garbage":
        store.write_bytes(b"this is not a database" * 1000)
    else:
        with open(store, "r+b") as fh:
            fh.truncate(store.stat().st_size // 3)
    capsys.readouterr()
    again = PartIndex(library, progress=False).ensure()
    assert len(again) == n
    err = capsys.readouterr().err
    assert "rebuilding it from the library" in err and len(err.strip().splitlines()) == 1


def _forget_chroma_clients() -> None:
    # a new process would open the damaged file; in this one, drop Chroma's per-path client cache
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
