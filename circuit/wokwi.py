"""Wokwi ``diagram.json``: the design as a Wokwi simulator project.

Parts map to Wokwi part types and pins through the data in ``knowledge/maps/wokwi.yaml``; every
attribute is a string, as Wokwi expects. A part Wokwi cannot draw is left out, and so is each wire
that touches it; both are listed in :attr:`WokwiDiagram.missing` for the report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from circuit.model import Circuit, Part, split_endpoint
from circuit.units import parse_value
from knowledge.library import Library
from knowledge.bridges import signal_bridges
from knowledge.wokwi_map import WokwiPart, wokwi_map

__all__ = ["WokwiDiagram", "to_wokwi"]


@dataclass
class WokwiDiagram:
    diagram: dict
    mapped: list[tuple[str, str]] = field(default_factory=list)   # our wires written as they are
    bridged: list[tuple[str, str]] = field(default_factory=list)  # wires through a pass-through part
    missing: list[str] = field(default_factory=list)              # "LED1 (led-uv): no Wokwi part"
    dropped: list[tuple[str, str]] = field(default_factory=list)  # wires not drawn

    def to_json(self) -> str:
        return json.dumps(self.diagram, indent=2, ensure_ascii=False) + "\n"

    def note(self) -> str:
        """A plain paragraph for the report, or '' when everything maps."""
        if not self.missing and not self.dropped:
            return ""
        lines = ["Wokwi (diagram.json) leaves out what its simulator has no part for:"]
        lines += [f"- {m}" for m in self.missing]
        if self.bridged:
            lines.append(f"- {len(self.bridged)} signal(s) wired straight through the parts above that only pass them on")
        if self.dropped:
            lines.append(f"- {len(self.dropped)} wire(s) touching those parts")
        return "\n".join(lines)


def _attrs(part: Part, wp: WokwiPart) -> dict[str, str]:
    out = {k: str(v) for k, v in wp.attrs.items()}
    if wp.value_attr and "value" in part.attrs:
        try:
            out[wp.value_attr] = f"{parse_value(part.attrs['value'], wp.value_unit):.6g}"
        except ValueError:
            out[wp.value_attr] = str(part.attrs["value"])
    if wp.color_attr and "color" in part.attrs:
        out[wp.color_attr] = str(part.attrs["color"])
    return out


def to_wokwi(circuit: Circuit, library: Library | None = None) -> WokwiDiagram:
    library = library or Library.default()
    table = wokwi_map()
    parts, kept = [], {}
    missing: list[str] = []
    for i, part in enumerate(circuit.parts):
        wp = table.get(part.type)
        if wp is None:
            rec = library.get(part.type)
            missing.append(f"{part.id} ({rec.name if rec else part.type}): Wokwi has no part for it")
            continue
        kept[part.id] = (part, wp)
        col, row = i % 5, i // 5
        parts.append({"type": wp.type, "id": part.id, "top": float(part.top or row * 160),
                      "left": float(part.left or col * 180), "attrs": _attrs(part, wp)})
    bridges = signal_bridges()

    def canonical(ep: str) -> tuple[str, str] | None:
        sp = split_endpoint(ep)
        if sp is None or sp[0] not in circuit_parts:
            return None
        rec = library.get(circuit_parts[sp[0]].type)
        pin = rec.pin(sp[1]) if rec else None
        return sp[0], pin.name if pin else sp[1]

    def wokwi_end(end: tuple[str, str] | None) -> str | None:
        if end is None or end[0] not in kept:
            return None
        name = kept[end[0]][1].pin(end[1])
        return f"{end[0]}:{name}" if name else None

    circuit_parts = {p.id: p for p in circuit.parts}
    adjacent: dict[tuple[str, str], list[tuple[str, str]]] = {}
    connections, mapped, dropped = [], [], []
    for c in circuit.connections:
        a, b = canonical(c.source), canonical(c.target)
        if a and b:
            adjacent.setdefault(a, []).append(b)
            adjacent.setdefault(b, []).append(a)
        ends = [wokwi_end(a), wokwi_end(b)]
        if None in ends:
            dropped.append((c.source, c.target))
            continue
        connections.append([ends[0], ends[1], c.color or "green", []])
        mapped.append((c.source, c.target))
    bridged = []
    for pid, part in circuit_parts.items():
        for pa, pb in bridges.get(part.type, []):
            left = [w for w in map(wokwi_end, adjacent.get((pid, pa), [])) if w]
            right = [w for w in map(wokwi_end, adjacent.get((pid, pb), [])) if w]
            for r in right[:1] if left else []:
                connections.append([left[0], r, "green", []])
                bridged.append((left[0], r))
    diagram = {"version": 1, "author": "circuitsmith", "editor": "wokwi", "parts": parts,
               "connections": connections, "dependencies": {}}
    return WokwiDiagram(diagram, mapped=mapped, bridged=bridged, missing=missing, dropped=dropped)
