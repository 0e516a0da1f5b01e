"""Text for a terminal: every string from users, files, models and paths passes through here.

:func:`plain` strips what a terminal would obey instead of showing (ESC sequences that set the
window title or clear the screen, other C0/C1 controls, bidirectional overrides such as U+202E
that reorder what the reader sees) and lone surrogates no terminal can encode; :func:`safe` also
escapes rich markup, so ``[/b]`` in a file name prints as written.
"""

from __future__ import annotations

import re

from rich.markup import escape

__all__ = ["plain", "safe"]

# ESC sequences first (CSI ... final byte, OSC ... BEL/ST), so their printable tails go with them.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def plain(text: object) -> str:
    """``text`` without terminal controls (tabs and newlines stay)."""
    s = text if isinstance(text, str) else str(text)
    if not _CONTROLS.search(s):
        return s
    return _CONTROLS.sub("", _ESCAPES.sub("", s))


def safe(text: object) -> str:
    """``text`` for rich markup: controls stripped and markup escaped."""
    return escape(plain(text))
