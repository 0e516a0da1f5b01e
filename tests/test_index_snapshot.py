"""The rows of the part index kept beside its store (knowledge/index_snapshot.py): read back without
opening Chroma when the library and the store are unchanged, equal to what the store holds; any change
(another library, a touched or deleted store, a damaged copy) goes through Chroma again."""

from __future__ import annotations

import os

import numpy as np
import pytest

from knowledge import index as index_mod
from knowledge.index import PartIndex
from knowledge.index_snapshot import snapshot_path
from knowledge.library import Library
from knowledge.retrieval import Retriever
from tests.library_util import copy_records

KEYS = ["hc-sr04", "bme280", "dht22", "ssd1306", "mpu6050", "push-button"]


@pytest.fixture
def small(tmp_path) -> Library:
    return Library.from_dirs([copy_records(tmp_path / "lib", KEYS)])


@pytest.fixture
def opened(monkeypatch) -> list:
    """Every time the Chroma store is opened."""
    calls = []
    real = index_mod.client_from_env

    def spy(path=None):
        calls.append(path)
        return real(path)
    monkeypatch.setattr(index_mod, "client_from_env", spy)
    return calls


def _rows(idx: PartIndex):
    return idx.ids, idx.keys, idx.fields, idx.texts


def test_unchanged_store_is_read_from_the_kept_rows_equal_to_chromas(small, tmp_path, opened):
    folder = tmp_path / "index"
    first = PartIndex(small, progress=False, path=folder).ensure()
    assert len(opened) == 1 and snapshot_path(folder).is_file()
    assert set(first.keys) == set(KEYS)
    again = PartIndex(small, progress=False, path=folder).ensure()
    assert len(opened) == 1  # Chroma was not opened
    assert _rows(again) == _rows(first)
    assert again.matrix.dtype == np.float32 and np.array_equal(again.matrix, first.matrix)
    assert again.report.action == "fresh"
    # the same searches, numpy over the kept rows and Chroma's own (opened on demand)
    for semantic in ("numpy", "chroma"):
        a = Retriever(small, index=PartIndex(small, progress=False, path=folder), semantic=semantic)
        b = Retriever(small, index=first, semantic=semantic)
        for q in ("ultrasonic distance sensor", "humidity and pressure", "bme208", "tilt sensing"):
            assert [(m.key, round(m.score, 6)) for m in a.search(q, k=3).matches] == \
                [(m.key, round(m.score, 6)) for m in b.search(q, k=3).matches], (semantic, q)
    assert len(opened) == 2  # once more, for the Chroma search only


def test_another_library_or_a_changed_store_goes_through_chroma(small, tmp_path, opened):
    folder = tmp_path / "index"
    PartIndex(small, progress=False, path=folder).ensure()
    fewer = Library([r for r in small if r.key != "dht22"])
    other = PartIndex(fewer, progress=False, path=folder).ensure()
    assert len(opened) == 2 and "dht22" not in other.keys and other.report.action == "updated"
    # the store now holds the smaller library: the first one is brought back through Chroma too
    back = PartIndex(small, progress=False, path=folder).ensure()
    assert len(opened) == 3 and "dht22" in back.keys
    PartIndex(small, progress=False, path=folder).ensure()
    assert len(opened) == 3
    store = folder / "chroma.sqlite3"
    st = store.stat()
    os.utime(store, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # written by someone else
    again = PartIndex(small, progress=False, path=folder).ensure()
    assert len(opened) == 4 and _rows(again) == _rows(back)


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 not a zip", None])
def test_a_damaged_copy_or_a_deleted_store_goes_through_chroma(small, tmp_path, opened, damage):
    folder = tmp_path / "index"
    first = PartIndex(small, progress=False, path=folder).ensure()
    if damage is None:
        index_mod.reset_index(folder)  # the store deleted: rebuilt, not served from the copy
        index_mod.lazy_imports.chromadb().api.client.SharedSystemClient.clear_system_cache()
    else:
        snapshot_path(folder).write_bytes(damage)
    again = PartIndex(small, progress=False, path=folder).ensure()
    assert len(opened) == 2
    assert _rows(again) == _rows(first) and np.array_equal(again.matrix, first.matrix)
    if damage is None:
        assert again.report.action == "built"
