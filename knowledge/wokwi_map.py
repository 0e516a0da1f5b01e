"""How library parts are drawn in the Wokwi simulator (data: ``knowledge/maps/wokwi.yaml``).

Each entry names the Wokwi part type, the complete list of that part's Wokwi pins (so the map can
be checked), and how our pin names become Wokwi pin names: an explicit ``pins`` table, then
``patterns`` (regex with a replacement), then the same name when Wokwi has it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from knowledge import yaml_load

MAP_FILE = Path(__file__).parent / "maps" / "wokwi.yaml"


class PinPattern(BaseModel):
    model_config = ConfigDict(extra="forbid")
    match: str
    to: str


class WokwiPart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str = Field(pattern=r"^(wokwi|board)-[a-z0-9-]+$")
    wokwi_pins: list[str] = Field(min_length=1)
    pins: dict[str, str] = Field(default_factory=dict)
    patterns: list[PinPattern] = Field(default_factory=list)
    attrs: dict[str, str] = Field(default_factory=dict)
    value_attr: str | None = None
    value_unit: str | None = None
    color_attr: str | None = None
    unmapped: dict[str, str] = Field(default_factory=dict, description="our pins Wokwi's part lacks, and why")

    @model_validator(mode="after")
    def _targets_exist(self) -> "WokwiPart":
        bad = sorted(v for v in self.pins.values() if v not in self.wokwi_pins)
        if bad:
            raise ValueError(f"{self.type}: pins map to {bad}, which are not among its Wokwi pins")
        for p in self.patterns:
            re.compile(p.match)
        return self

    def pin(self, ours: str) -> str | None:
        """The Wokwi pin for our pin name, or None when this Wokwi part has no such pin."""
        if ours in self.pins:
            return self.pins[ours]
        for p in self.patterns:
            if re.fullmatch(p.match, ours):
                cand = re.sub(p.match, p.to, ours)
                if cand in self.wokwi_pins:
                    return cand
        return ours if ours in self.wokwi_pins else None


@lru_cache(maxsize=1)
def wokwi_map() -> dict[str, WokwiPart]:
    """Library key -> how Wokwi draws it."""
    # libyaml's loader when PyYAML has it: the map grows with the library and is read by every cold design
    raw = yaml_load.safe_load(MAP_FILE.read_text(encoding="utf-8")) or {}
    return {str(k): WokwiPart.model_validate(v) for k, v in raw.items()}
