"""Starter-firmware drivers as data (``drivers.yaml``) and the choice of one for each served part."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from circuit.firmware.links import ServedPart
from knowledge import yaml_load
from knowledge.record import ComponentRecord

DRIVERS_FILE = Path(__file__).parent / "drivers.yaml"

ByArch = str | dict[str, str]


class Match(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keys: list[str] = Field(default_factory=list)
    pins: list[str] = Field(default_factory=list)
    functions: list[str] = Field(default_factory=list)
    pin_types: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    spice_kinds: list[str] = Field(default_factory=list)
    mcu_functions: list[str] = Field(default_factory=list)


class Driver(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    match: Match
    todo: str | None = None
    includes: list[str] | dict[str, list[str]] = Field(default_factory=list)
    globals: ByArch = ""
    helpers: ByArch = ""
    setup: ByArch = ""
    loop: ByArch = ""
    params: dict[str, dict[str, str]] = Field(default_factory=dict)

    def code(self, field: str, arch: str) -> str:
        v = getattr(self, field)
        if isinstance(v, dict):
            return v.get(arch, v.get("default", ""))
        return v

    def include_list(self, arch: str) -> list[str]:
        if isinstance(self.includes, dict):
            return self.includes.get(arch, self.includes.get("default", []))
        return self.includes


@lru_cache(maxsize=1)
def drivers() -> list[Driver]:
    raw = yaml_load.safe_load(DRIVERS_FILE.read_text(encoding="utf-8")) or {}
    return [Driver.model_validate(d) for d in raw.get("drivers", [])]


def _matches(m: Match, served: ServedPart, mcu: ComponentRecord) -> bool:
    rec = served.record
    linked = {lk.part_pin for lk in served.links}
    pins = [rec.pin(n) for n in linked]
    if m.keys and rec.key not in m.keys:
        return False
    if m.pins and not all(rec.pin(want) is not None and rec.pin(want).name in linked for want in m.pins):
        return False
    if m.functions and not any(p is not None and set(p.functions) & set(m.functions) for p in pins):
        return False
    if m.pin_types and not any(p is not None and p.type in m.pin_types for p in pins):
        return False
    if m.categories and rec.category not in m.categories:
        return False
    if m.spice_kinds and rec.spice.kind not in m.spice_kinds:
        return False
    if m.mcu_functions:
        for lk in served.links:
            mp = mcu.pin(lk.mcu_pin)
            if mp is None or not set(m.mcu_functions) <= set(mp.functions):
                return False
    return True


def choose_driver(served: ServedPart, mcu: ComponentRecord) -> Driver | None:
    """The first driver whose match holds for the part (None only when the table has no fallback)."""
    return next((d for d in drivers() if _matches(d.match, served, mcu)), None)
