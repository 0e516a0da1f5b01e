"""A JSON copy of the parsed part files, so that a cold command does not parse every YAML file again.

A cold ``circuitsmith design`` reads the whole library (400+ YAML files); parsing them is most of
the time the library costs, and it grows with every record. The parsed data of each file is kept in
``$CIRCUITSMITH_HOME/cache/record_files.json``, keyed by the file's path, modification time and size:

- a file whose time or size changed (an edited or added record) is parsed again, the rest come from
  the copy; a file that is gone drops out of it;
- the copy holds the raw data, not records: every record is still validated on load, so a stale or
  hand-edited copy can never let an invalid record through;
- a copy that is missing, unreadable, of another format or not writable is ignored (the files are
  parsed as before), never an error; data JSON cannot hold exactly (dates, NaN) is not copied;
- writes go to a temporary file that replaces the old copy, so concurrent commands never read half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable

FORMAT = 1
FILE_NAME = "record_files.json"

Items = list[tuple[str, dict]]


class RecordFileCache:
    """Parsed record files by (path, modification time, size)."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / FILE_NAME
        self._entries: dict[str, dict] = {}
        self._seen: set[str] = set()
        self._dirty = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("files"), dict):
            self._entries = data["files"]

    def items(self, path: Path, read: Callable[[Path], Iterable[tuple[str, dict]]]) -> Items:
        """The (where, data) pairs of one file: from the copy when the file is unchanged, else ``read(path)``."""
        key = str(path)
        self._seen.add(key)
        try:
            st = path.stat()
        except OSError:
            return list(read(path))  # read() says what is wrong with the file
        stamp = [st.st_mtime_ns, st.st_size]
        entry = self._entries.get(key)
        if isinstance(entry, dict) and entry.get("stamp") == stamp and isinstance(entry.get("items"), list):
            return [(str(w), d) for w, d in entry["items"]]
        items = list(read(path))
        try:
            exact = json.loads(json.dumps(items)) == [list(i) for i in items]
        except (TypeError, ValueError):
            exact = False
        if exact:
            self._entries[key] = {"stamp": stamp, "items": items}
        else:
            self._entries.pop(key, None)
        self._dirty = True
        return items

    def save(self) -> None:
        """Write the copy when something changed; files not asked for since loading drop out."""
        gone = set(self._entries) - self._seen
        if not (self._dirty or gone):
            return
        for key in gone:
            del self._entries[key]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".record_files-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    # dumps, not dump: dump streams through the pure-Python encoder, several times slower
                    f.write(json.dumps({"format": FORMAT, "files": self._entries}, ensure_ascii=False))
                os.replace(tmp, self.path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError:
            return  # a read-only home only costs the parse next time
        self._dirty = False
