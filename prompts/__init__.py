"""Prompt templates as text files, loaded by name: ``load("plan")`` reads ``prompts/plan.txt``."""

from __future__ import annotations

import re
from pathlib import Path

_DIR = Path(__file__).resolve().parent
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def load(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"bad prompt name {name!r}")
    path = _DIR / f"{name}.txt"
    if not path.is_file():
        raise FileNotFoundError(f"no prompt template {name!r} in {_DIR}")
    return path.read_text(encoding="utf-8")
