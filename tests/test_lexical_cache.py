"""The lexical index kept on disk (knowledge/lexical_cache.py): read back equal to a fresh build, built
afresh when a record file changes, a damaged copy rebuilt, nothing kept for a library held in memory."""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path

import pytest

import knowledge.lexical_cache as lc
from knowledge.lexical import LexicalIndex
from knowledge.lexical_cache import PREFIX, SUFFIX, cache_key, lexical_index
from knowledge.library import BUILTIN_DIR, Library

QUERIES = ["hc sr04", "HCSR-04 sonar", "bme208 on an esp32", "MCP2551 can transceiver", "nema 23 stepper driver",
           "zorblax 9000 widget", "a 16x2 lcd for my uno"]


def _kept(home: Path) -> list[Path]:
    return sorted((home / "cache").glob(f"{PREFIX}*{SUFFIX}"))


def _no_build(monkeypatch) -> None:
    def fail(self, library):
        raise AssertionError("the lexical index was built, not read back")
    monkeypatch.setattr(LexicalIndex, "__init__", fail)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("CIRCUITSMITH_HOME", str(tmp_path))
    return tmp_path


def _user_record(home: Path, alias: str) -> Path:
    """A user record (the HC-SR04's file under another key) with one alias of its own."""
    text = (BUILTIN_DIR / "hc-sr04.yaml").read_text(encoding="utf-8")
    text = text.replace("key: hc-sr04", "key: test-ranger", 1).replace("aliases: [", f"aliases: [{alias}, ", 1)
    path = home / "parts" / "test-ranger.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_kept_index_reads_back_equal_to_a_fresh_build(home, monkeypatch):
    lib = Library.default()
    assert cache_key(lib) is not None
    fresh = lexical_index(lib)
    assert len(_kept(home)) == 1
    built = LexicalIndex(lib)
    assert fresh.__dict__ == built.__dict__
    _no_build(monkeypatch)
    kept = lexical_index(lib)
    assert kept is not fresh
    assert kept.__dict__ == built.__dict__
    for q in QUERIES:
        assert kept.match(q) == built.match(q), q


def test_a_changed_record_file_builds_the_index_afresh(home, monkeypatch):
    record = _user_record(home, "zorblax 8000")
    first = lexical_index(Library.default())
    assert "zorblax8000" in first.exact and "zorblax9000" not in first.exact
    _user_record(home, "zorblax 9000")
    lib = Library.default()
    assert record.is_file() and lib.get("test-ranger").aliases[0] == "zorblax 9000"
    second = lexical_index(lib)
    assert "zorblax9000" in second.exact and "zorblax8000" not in second.exact
    assert second.match("zorblax 9000").exact == {"test-ranger": 1}
    assert len(_kept(home)) == 1  # the copy for the old file is gone
    _no_build(monkeypatch)
    assert lexical_index(lib).__dict__ == second.__dict__


@pytest.mark.parametrize("damage", [b"", b"not marshal data", b"\xe9\x00\x00", None])
def test_a_damaged_copy_is_rebuilt_not_an_error(home, damage):
    lib = Library.default()
    built = lexical_index(lib)
    (path,) = _kept(home)
    if damage is None:  # marshal data of another shape
        damage = marshal.dumps({"exact": 1, "something": [1, 2]})
    path.write_bytes(damage)
    again = lexical_index(lib)
    assert again.__dict__ == built.__dict__
    assert path.read_bytes() != damage  # the copy was written again


def test_a_library_held_in_memory_is_built_and_not_kept(home):
    lib = Library.from_dirs([BUILTIN_DIR])
    assert cache_key(lib) is None
    index = lexical_index(lib)
    assert "hcsr04" in index.exact
    assert _kept(home) == []


def test_a_changed_word_list_the_build_reads_changes_the_key(home, tmp_path, monkeypatch):
    # a record's verbs are read from knowledge/verbs.txt while the index is built: a new list is a new index
    code = tmp_path / "knowledge"
    shutil.copytree(lc._CODE_DIR, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(lc, "_CODE_DIR", code)
    lib = Library.default()
    before = cache_key(lib)
    with open(code / "verbs.txt", "a", encoding="utf-8") as f:
        f.write("zorblax\n")
    assert cache_key(lib) != before
