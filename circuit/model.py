"""CircuitJSON: the document the design pipeline produces and users keep.

It is the CircuitLM / Wokwi diagram style, so existing tools and datasets read it::

    {"version": 1, "title": "Blink",
     "parts": [{"id": "R1", "type": "resistor", "attrs": {"value": "220"}, "top": 0, "left": 0, "rotate": 0}],
     "connections": [["R1:1", "U1:D13", "green", []]]}

A part's ``type`` is a knowledge-base key; a connection endpoint is ``partId:pinName``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_serializer

ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
AttrValue = Union[str, float, int, bool]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Designator, unique in the document: R1, LED1, U1")
    type: str = Field(description="Knowledge-base key, e.g. arduino-uno, resistor, led")
    attrs: dict[str, AttrValue] = Field(default_factory=dict, description="value, color, label ...")
    top: float = 0.0
    left: float = 0.0
    rotate: float = 0.0


class Connection(BaseModel):
    """One wire: ``[from, to, color, route]`` in the document."""

    source: str
    target: str
    color: str = "green"
    route: list[Any] = Field(default_factory=list)

    @model_serializer
    def _as_list(self) -> list:
        return [self.source, self.target, self.color, list(self.route)]


class Circuit(BaseModel):
    model_config = ConfigDict(extra="allow")

    version: int = 1
    title: str = ""
    parts: list[Part] = Field(default_factory=list)
    connections: list[Connection] = Field(default_factory=list)

    @field_validator("connections", mode="before")
    @classmethod
    def _conn_lists(cls, v: Any) -> Any:
        if not isinstance(v, list):
            return v
        out = []
        for c in v:
            if isinstance(c, (list, tuple)):
                c = list(c)
                d = {"source": c[0] if len(c) > 0 else "", "target": c[1] if len(c) > 1 else ""}
                if len(c) > 2 and c[2] is not None:
                    d["color"] = c[2]
                if len(c) > 3 and c[3] is not None:
                    d["route"] = c[3]
                out.append(d)
            else:
                out.append(c)
        return out

    # ---- convenience ---------------------------------------------------------------
    def part(self, pid: str) -> Part | None:
        for p in self.parts:
            if p.id == pid:
                return p
        return None

    def parts_of(self, *types: str) -> list[Part]:
        return [p for p in self.parts if p.type in types]

    def connect(self, a: str, b: str, color: str = "green") -> None:
        self.connections.append(Connection(source=a, target=b, color=color))

    def next_id(self, prefix: str) -> str:
        used = {p.id for p in self.parts}
        i = 1
        while f"{prefix}{i}" in used:
            i += 1
        return f"{prefix}{i}"

    def to_dict(self) -> dict:
        return self.model_dump(mode="json")

    def to_json(self, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")


def split_endpoint(endpoint: str) -> tuple[str, str] | None:
    """``"U1:D13"`` → ``("U1", "D13")``; None when it is not ``part:pin``."""
    if not isinstance(endpoint, str) or endpoint.count(":") < 1:
        return None
    pid, pin = endpoint.split(":", 1)
    pid, pin = pid.strip(), pin.strip()
    if not pid or not pin:
        return None
    return pid, pin


def schema() -> dict:
    """The JSON Schema of a CircuitJSON document (also shipped as circuit/circuitjson.schema.json)."""
    return json.loads((Path(__file__).parent / "circuitjson.schema.json").read_text(encoding="utf-8"))
