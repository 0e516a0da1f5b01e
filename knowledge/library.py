"""The component library: curated records loaded from data files and validated on load.

Records live in ``knowledge/parts/*.yaml`` (one part, or a family under ``parts:``), plus
any records a user added with ``circuitsmith kb add`` (in ``$CIRCUITSMITH_HOME/parts``).
A wrong record is an error that names the file and the field, never a silent skip.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import yaml
from pydantic import ValidationError

from knowledge import yaml_load
from knowledge.record import ComponentRecord, Pin
from knowledge.record_file_cache import RecordFileCache

BUILTIN_DIR = Path(__file__).resolve().parent / "parts"


class LibraryError(ValueError):
    """A record file that cannot be used; the message names the file and what to fix."""


def user_home() -> Path:
    # an empty CIRCUITSMITH_HOME is unset, not the current folder
    return Path(os.environ.get("CIRCUITSMITH_HOME") or Path.home() / ".local" / "share" / "circuitsmith")


def user_parts_dir() -> Path:
    return user_home() / "parts"


def _records_in(path: Path) -> Iterator[tuple[str, dict]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise LibraryError(f"{path}: cannot read ({e.strerror})") from e
    try:
        data = yaml_load.safe_load(text)
    except yaml.YAMLError as e:
        where = getattr(e, "problem_mark", None)
        line = f" line {where.line + 1}" if where is not None else ""
        raise LibraryError(f"{path}{line}: not valid YAML ({getattr(e, 'problem', e)})") from e
    if data is None:
        raise LibraryError(f"{path}: the file is empty; it should hold a record or 'parts: [...]'")
    if isinstance(data, dict) and "parts" in data:
        items = data["parts"]
        if not isinstance(items, list):
            raise LibraryError(f"{path}: 'parts' must be a list of records")
        for i, item in enumerate(items):
            yield f"{path} parts[{i}]", item
    elif isinstance(data, dict):
        yield str(path), data
    else:
        raise LibraryError(f"{path}: expected a record (a mapping) or 'parts: [...]', found {type(data).__name__}")


def parse_record(where: str, data: object) -> ComponentRecord:
    """Validate one record; errors name the place and the field."""
    if not isinstance(data, dict):
        raise LibraryError(f"{where}: a record must be a mapping, found {type(data).__name__}")
    try:
        return ComponentRecord.model_validate(data)
    except ValidationError as e:
        key = data.get("key", "?")
        problems = "; ".join(
            f"{'.'.join(str(x) for x in err['loc']) or '(record)'}: {err['msg']}" for err in e.errors()
        )
        raise LibraryError(f"{where} (key {key!r}): {problems}") from e


def read_records(path: Path) -> list[tuple[str, dict, ComponentRecord]]:
    """Every record in one file, validated: (where, raw data, record); LibraryError names file and field."""
    return [(where, data, parse_record(where, data)) for where, data in _records_in(Path(path))]


class Library:
    """All known parts by key, with pin lookups that accept pin aliases."""

    def __init__(self, records: Iterable[ComponentRecord], sources: dict[str, str] | None = None):
        self._records: dict[str, ComponentRecord] = {}
        self._alias_index: dict[str, str] = {}
        self.sources: dict[str, str] = {}
        # (path, mtime, size) of the record files it was read from (Library.default()); None when built in memory
        self.fingerprint: tuple | None = None
        for r in records:
            if r.key in self._records:
                first = (sources or {}).get(r.key, "an earlier file")
                raise LibraryError(f"duplicate key {r.key!r}: defined in {first} and again")
            self._records[r.key] = r
            if sources and r.key in sources:
                self.sources[r.key] = sources[r.key]

    # ---- loading -------------------------------------------------------------------
    @classmethod
    def from_dirs(cls, dirs: Iterable[Path], cache: RecordFileCache | None = None) -> "Library":
        """Every record in these folders; ``cache`` (optional) holds the parsed data of unchanged files."""
        records: list[ComponentRecord] = []
        where_by_key: dict[str, str] = {}
        for d in dirs:
            d = Path(d)
            if not d.is_dir():
                continue
            for path in sorted(list(d.glob("*.yaml")) + list(d.glob("*.yml")) + list(d.glob("*.json"))):
                for where, data in (cache.items(path, _records_in) if cache else _records_in(path)):
                    rec = parse_record(where, data)
                    if rec.key in where_by_key:
                        raise LibraryError(
                            f"duplicate key {rec.key!r}: defined in {where_by_key[rec.key]} and in {where}; "
                            "rename one or remove the copy"
                        )
                    where_by_key[rec.key] = where
                    records.append(rec)
        if cache:
            cache.save()
        return cls(records, where_by_key)

    @classmethod
    def default(cls) -> "Library":
        return _default_library(_dirs_fingerprint())

    # ---- queries -------------------------------------------------------------------
    def __contains__(self, key: object) -> bool:
        return key in self._records

    def __iter__(self) -> Iterator[ComponentRecord]:
        return iter(self._records.values())

    def __len__(self) -> int:
        return len(self._records)

    def keys(self) -> list[str]:
        return list(self._records)

    def get(self, key: str) -> ComponentRecord | None:
        return self._records.get(key)

    def __getitem__(self, key: str) -> ComponentRecord:
        rec = self._records.get(key)
        if rec is None:
            raise KeyError(f"no part {key!r} in the library")
        return rec

    def pin(self, key: str, pin: str) -> Pin | None:
        rec = self._records.get(key)
        return rec.pin(pin) if rec else None

    def by_category(self, category: str) -> list[ComponentRecord]:
        return [r for r in self._records.values() if r.category == category]

    def content_hash(self) -> str:
        h = hashlib.sha256()
        for key in sorted(self._records):
            h.update(self._records[key].model_dump_json().encode())
        return h.hexdigest()[:16]


def _library_dirs() -> list[Path]:
    dirs = [BUILTIN_DIR, user_parts_dir()]
    extra = os.environ.get("CIRCUITSMITH_KB_DIRS")
    if extra:
        dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    return dirs


def _dirs_fingerprint() -> tuple:
    """(path, mtime, size) of every record file: asked on every Library.default(), so plain strings
    from one directory scan (no Path objects to build and sort for 400+ files)."""
    out = []
    for d in _library_dirs():
        try:
            entries = sorted((e.path, e) for e in os.scandir(d) if e.name.endswith((".yaml", ".yml", ".json")))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for path, e in entries:
            st = e.stat()
            out.append((path, st.st_mtime_ns, st.st_size))
    return tuple(out)


@lru_cache(maxsize=4)
def _default_library(_fingerprint: tuple) -> Library:
    lib = Library.from_dirs(_library_dirs(), cache=RecordFileCache(user_home() / "cache"))
    lib.fingerprint = _fingerprint
    return lib
