"""Small test libraries: real records copied from knowledge/parts into a folder of their own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.library import BUILTIN_DIR


def copy_records(dest: Path, keys) -> Path:
    """Copy the shipped records ``keys`` into ``dest`` (created); a key with no record fails the test."""
    dest.mkdir(parents=True, exist_ok=True)
    for key in keys:
        src = BUILTIN_DIR / f"{key}.yaml"
        if not src.is_file():
            pytest.fail(f"the test library needs the record {src}")
        shutil.copy(src, dest / src.name)
    return dest
