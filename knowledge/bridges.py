"""Pin pairs that pass a logic signal straight through a part (data: ``knowledge/maps/bridges.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from knowledge import yaml_load

BRIDGES_FILE = Path(__file__).parent / "maps" / "bridges.yaml"


@lru_cache(maxsize=1)
def signal_bridges() -> dict[str, list[tuple[str, str]]]:
    """Library key -> [(pin, pin)] pairs joined by a signal path inside the part."""
    raw = yaml_load.safe_load(BRIDGES_FILE.read_text(encoding="utf-8")) or {}
    return {str(k): [(str(a), str(b)) for a, b in v] for k, v in raw.items()}
