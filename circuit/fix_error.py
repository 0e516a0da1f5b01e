"""The error of a fix hint that cannot be applied to a circuit (shared by circuit/fixes.py and
circuit/mains_fix.py, which it would otherwise tie in a loop)."""

from __future__ import annotations


class FixError(ValueError):
    """A hint that cannot be applied to this circuit."""
