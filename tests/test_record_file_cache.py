"""The parsed copy of the part files: same records as parsing, follows edits, survives a broken copy."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from knowledge.library import BUILTIN_DIR, Library, LibraryError
from knowledge.record_file_cache import FILE_NAME, RecordFileCache

PARTS = ["resistor", "led", "dht22", "ssd1306", "arduino-uno"]


@pytest.fixture
def parts(tmp_path):
    d = tmp_path / "parts"
    d.mkdir()
    for k in PARTS:
        shutil.copy(BUILTIN_DIR / f"{k}.yaml", d / f"{k}.yaml")
    return d


def dumped(lib: Library) -> dict:
    return {r.key: r.model_dump() for r in lib}


def test_a_library_from_the_copy_is_the_library_from_the_files(parts, tmp_path):
    plain = Library.from_dirs([parts])
    first = Library.from_dirs([parts], cache=RecordFileCache(tmp_path / "cache"))
    copy = json.loads((tmp_path / "cache" / FILE_NAME).read_text())
    assert sorted(copy["files"]) == sorted(str(parts / f"{k}.yaml") for k in PARTS)
    second = Library.from_dirs([parts], cache=RecordFileCache(tmp_path / "cache"))
    assert dumped(plain) == dumped(first) == dumped(second)
    assert plain.sources == second.sources


def test_an_edited_added_or_removed_file_is_read_again(parts, tmp_path):
    Library.from_dirs([parts], cache=RecordFileCache(tmp_path / "cache"))
    led = parts / "led.yaml"
    led.write_text(led.read_text().replace("\nname: ", "\nname: Edited ", 1))
    st = led.stat()
    os.utime(led, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    shutil.copy(BUILTIN_DIR / "bme280.yaml", parts / "bme280.yaml")
    (parts / "dht22.yaml").unlink()
    lib = Library.from_dirs([parts], cache=RecordFileCache(tmp_path / "cache"))
    assert lib["led"].name.startswith("Edited ")
    assert "bme280" in lib and "dht22" not in lib
    copy = json.loads((tmp_path / "cache" / FILE_NAME).read_text())
    assert str(parts / "dht22.yaml") not in copy["files"] and str(parts / "bme280.yaml") in copy["files"]


def test_a_broken_or_foreign_copy_is_ignored(parts, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    for text in ["{not json", json.dumps({"format": 999, "files": {}}), json.dumps([1, 2])]:
        (cache / FILE_NAME).write_text(text)
        assert dumped(Library.from_dirs([parts], cache=RecordFileCache(cache))) == dumped(Library.from_dirs([parts]))


def test_a_copy_never_lets_an_invalid_record_through(parts, tmp_path):
    """The copy holds raw data: every record is validated on load, so a tampered copy is caught."""
    Library.from_dirs([parts], cache=RecordFileCache(tmp_path / "cache"))
    path = tmp_path / "cache" / FILE_NAME
    copy = json.loads(path.read_text())
    copy["files"][str(parts / "led.yaml")]["items"][0][1]["pins"] = "not a list"
    path.write_text(json.dumps(copy))
    with pytest.raises(LibraryError, match="pins"):
        Library.from_dirs([parts], cache=RecordFileCache(tmp_path / "cache"))


def test_a_file_with_a_yaml_error_still_names_itself(parts, tmp_path):
    (parts / "bad.yaml").write_text("key: [unclosed\n")
    with pytest.raises(LibraryError, match="bad.yaml"):
        Library.from_dirs([parts], cache=RecordFileCache(tmp_path / "cache"))


def test_the_default_library_keeps_its_copy_in_the_home(monkeypatch, tmp_path):
    from knowledge import library as library_module

    monkeypatch.setenv("CIRCUITSMITH_HOME", str(tmp_path / "home"))
    library_module._default_library.cache_clear()
    try:
        lib = Library.default()
        assert (tmp_path / "home" / "cache" / FILE_NAME).is_file()
        library_module._default_library.cache_clear()
        assert dumped(Library.default()) == dumped(lib)
    finally:
        library_module._default_library.cache_clear()
