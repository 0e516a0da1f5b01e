"""A copy of the embedded part index's rows, so that a cold search need not open Chroma to read them.

``PartIndex`` searches in numpy over every vector the Chroma collection holds, so each cold command
read the whole collection back: importing Chroma and opening its store (~0.5 s of CPU) and its
``get()`` of ~10 000 vectors (~0.5 s), about half of a cold ``kb search``. After the store is brought
up to date, its rows (ids, keys, fields, texts, the normalised matrix) are written beside it, as
``.<index folder>.rows.npz`` next to the ``.<index folder>.lock`` file, and the next command reads them
in a few milliseconds when both hold:

- the library's index hash (``knowledge.index.index_hash``: the searchable texts, the model, the
  schema) is the one the rows were read for, so they are what the store holds for this library;
- every file of the store folder has the path, modification time and size it had just after they were
  read, so nothing (another library's update, a damaged or deleted store, a rebuild) changed the store.

Anything else (no copy, an unreadable or odd one, a Chroma server) goes through Chroma as before, and
a new copy is written. The copy holds plain arrays only (``allow_pickle=False``); writes go to a
temporary file that replaces the old one.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

FORMAT = 1


def snapshot_path(folder: Path) -> Path:
    return Path(folder).parent / f".{Path(folder).name}.rows.npz"


def store_stamp(folder: Path) -> list[list]:
    """(relative path, modification time, size) of every file of the store folder; empty when there is none."""
    out = []
    folder = Path(folder)
    for root, _dirs, files in os.walk(folder):
        for name in files:
            p = os.path.join(root, name)
            try:
                st = os.stat(p)
            except OSError:
                continue
            out.append([os.path.relpath(p, folder), st.st_mtime_ns, st.st_size])
    return sorted(out)


def _meta(index_hash: str, stamp: list[list]) -> str:
    return json.dumps({"format": FORMAT, "hash": index_hash, "stamp": stamp}, sort_keys=True)


def read(folder: Path, index_hash: str) -> tuple[list[str], list[str], list[str], list[str], np.ndarray] | None:
    """(ids, keys, fields, texts, matrix) kept for this library and an unchanged store, else None."""
    stamp = store_stamp(folder)
    if not stamp:
        return None
    try:
        with np.load(snapshot_path(folder), allow_pickle=False) as z:
            if str(z["meta"]) != _meta(index_hash, stamp):
                return None
            ids, keys, fields, texts = (z[n].tolist() for n in ("ids", "keys", "fields", "texts"))
            matrix = z["matrix"]
    except (OSError, KeyError, ValueError, TypeError, EOFError, zipfile.BadZipFile, zlib.error):
        return None
    n = len(ids)
    if not (len(keys) == len(fields) == len(texts) == n and matrix.ndim == 2 and matrix.shape[0] == n
            and matrix.dtype == np.float32 and all(isinstance(x, str) for x in ids)):
        return None
    return ids, keys, fields, texts, matrix


def write(folder: Path, index_hash: str, ids: list[str], keys: list[str], fields: list[str], texts: list[str],
          matrix: np.ndarray) -> bool:
    """Keep the rows just read from the store; False (and nothing kept) when the folder cannot be written."""
    stamp = store_stamp(folder)
    if not stamp or any(s.endswith("\x00") for col in (ids, keys, fields, texts) for s in col):
        return False  # nothing to stamp, or a text a numpy string array would cut short
    path = snapshot_path(folder)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + "-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, meta=np.array(_meta(index_hash, stamp)), ids=np.array(ids, dtype=str),
                         keys=np.array(keys, dtype=str), fields=np.array(fields, dtype=str),
                         texts=np.array(texts, dtype=str), matrix=np.asarray(matrix, dtype=np.float32))
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        return False
    return True
