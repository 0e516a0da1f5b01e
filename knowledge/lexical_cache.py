"""A built lexical index kept on disk, so that a cold command does not build it again.

Building ``knowledge.lexical.LexicalIndex`` (every name, alias and text of 400+ records tokenised and
scanned for part numbers) is about a third of a second of CPU, and every cold ``kb search``,
``design`` and ``serve`` paid it (make demo's first step grew 13 % with the part-number features).
Its result is plain data (dicts, sets, lists of strings), so it is kept in
``$CIRCUITSMITH_HOME/cache/lexical-KEY.marshal`` (``marshal``: builtin types only, no code is run on
load) and loaded in about 20 ms:

- the KEY covers what the index is built from: the library's record files (path, modification time and
  size, ``Library.fingerprint``), the code that builds it (every module of the ``knowledge`` package,
  by name, modification time and size, with the word lists it reads while building, ``verbs.txt`` and
  ``real_part_numbers.txt``) and the Python version (marshal's format). Any change builds it
  afresh; a library held only in memory (tests, ``Library(records)``) has no fingerprint and is always built;
- a copy that is missing, unreadable or not of the index's shape is ignored and rebuilt, never an error;
  a home that is not writable only costs the build next time;
- writes go to a temporary file that replaces the old one, and older copies are removed.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.lexical import LexicalIndex
from knowledge.library import user_home

if TYPE_CHECKING:  # pragma: no cover
    from knowledge.library import Library

FORMAT = 1
PREFIX = "lexical-"
SUFFIX = ".marshal"
_CODE_DIR = Path(__file__).resolve().parent
# modules outside the package that building the index reads: the units reader (a number and a unit word is a value)
_READS = (_CODE_DIR.parent / "circuit" / "quantities.py",)
# the names LexicalIndex.__init__ assigns (and reads): a kept dict with any other name is not an index
_FIELDS = frozenset(LexicalIndex.__init__.__code__.co_names)


def _code_stamp() -> tuple:
    """(name, modification time, size) of every module and word list (``*.txt``) of the knowledge package, and of
    the modules outside it the build reads (``_READS``): the code that builds the index and the data it reads
    while building (a record's verbs come from ``verbs.txt``)."""
    out = []
    with os.scandir(_CODE_DIR) as entries:
        for e in entries:
            if e.name.endswith((".py", ".txt")):
                st = e.stat()
                out.append((e.name, st.st_mtime_ns, st.st_size))
    for path in _READS:
        st = path.stat()
        out.append((f"{path.parent.name}/{path.name}", st.st_mtime_ns, st.st_size))
    return tuple(sorted(out))


def cache_key(library: "Library") -> str | None:
    """What a kept index must have been built from, or None for a library that came from no files."""
    fingerprint = getattr(library, "fingerprint", None)
    if not fingerprint:
        return None
    h = hashlib.sha256(repr((FORMAT, sys.version, str(_CODE_DIR), _code_stamp(), fingerprint)).encode())
    return h.hexdigest()[:24]


def cache_path(key: str, folder: Path | None = None) -> Path:
    return Path(folder or user_home() / "cache") / f"{PREFIX}{key}{SUFFIX}"


def _read(path: Path) -> LexicalIndex | None:
    try:
        state = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(state, dict) or not state or not all(isinstance(k, str) for k in state) or \
            not {"exact", "pn", "vocab", "words"} <= set(state) or not set(state) <= _FIELDS:
        return None
    index = LexicalIndex.__new__(LexicalIndex)
    index.__dict__.update(state)
    return index


def _write(path: Path, index: LexicalIndex) -> bool:
    try:
        data = marshal.dumps(index.__dict__)
    except ValueError:  # an attribute marshal cannot hold: the index is simply built each time
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lexical-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for old in path.parent.glob(f"{PREFIX}*{SUFFIX}"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return False
    return True


def lexical_index(library: "Library", folder: Path | None = None) -> LexicalIndex:
    """The library's lexical index: the kept copy when it was built from the same files and code, else built
    (and kept)."""
    key = cache_key(library)
    if key is None:
        return LexicalIndex(library)
    path = cache_path(key, folder)
    index = _read(path)
    if index is None:
        index = LexicalIndex(library)
        _write(path, index)
    return index
