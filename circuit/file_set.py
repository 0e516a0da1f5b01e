"""A set of output files that lands whole: readers (and a rerun after kill -9) see the old set or
the new one, never a mix.

:func:`publish_set` has the set written into a hidden staging folder beside the target, then
puts it in place with one rename: ``renameat2(RENAME_EXCHANGE)`` swaps a target folder that holds
only earlier outputs atomically (Linux; two renames elsewhere). A target folder that also holds
the user's own files is never moved: the new files are renamed into it one by one instead.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Callable, Iterable

__all__ = ["publish_set"]

STAGING = ".{name}.new-"
STALE_AFTER = 600.0  # seconds: a staging folder this old belongs to a run that was killed


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0


def _only_outputs(folder: Path, names: set[str]) -> bool:
    tops = {n.split("/", 1)[0] for n in names}
    for entry in folder.iterdir():
        if entry.name in tops or (entry.name.startswith(".") and entry.name.endswith(".tmp")):
            continue  # our outputs, or a temporary file of an interrupted atomic write
        return False
    return True


def _clean_stale(target: Path) -> None:
    prefix = STAGING.format(name=target.name)
    now = time.time()
    for entry in target.parent.glob(prefix + "*"):
        try:
            if now - entry.stat().st_mtime > STALE_AFTER:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            pass


def publish_set(target: str | Path, write: Callable[[Path], dict[str, Path]],
                names: Iterable[str]) -> dict[str, Path]:
    """Call ``write(staging)`` to write the set, then publish it at ``target``; returns name -> final path.

    ``names`` are every name the set may hold (earlier outputs of those names may be replaced)."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} is a file, not a folder: choose a folder for the outputs (-o DIR)")
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(target)
    staging = target.parent / f"{STAGING.format(name=target.name)}{uuid.uuid4().hex[:10]}"
    staging.mkdir()
    try:
        written = write(staging)
        rel = {name: Path(p).relative_to(staging) for name, p in written.items()}
        known = set(names) | set(rel)
        if not target.exists():
            os.rename(staging, target)
        elif _only_outputs(target, known):
            if not _exchange(staging, target):
                old = target.parent / f"{staging.name}-old"
                os.rename(target, old)
                os.rename(staging, target)
                staging = old
        else:  # the user's own files live there: move ours in, one atomic rename per file
            for name, r in rel.items():
                dest = target / r
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / r, dest)
            for name in known - set(rel):  # an earlier output this set no longer has
                stale = target / name
                if stale.is_file():
                    stale.unlink()
        return {name: target / r for name, r in rel.items()}
    finally:
        shutil.rmtree(staging, ignore_errors=True)
