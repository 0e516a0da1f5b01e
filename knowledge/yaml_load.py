"""Reading YAML the fast way: libyaml's safe loader when PyYAML was built with it (the same YAML,
about ten times faster than the pure-Python loader), else the pure-Python one. A cold command reads
every record and the shipped maps (drivers, boards, bridges, KiCad, Wokwi), so they all load here."""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with :data:`SAFE_LOADER` (raises ``yaml.YAMLError`` on bad YAML)."""
    return yaml.load(text, Loader=SAFE_LOADER)
