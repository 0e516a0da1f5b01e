"""A sizing block's built circuit as parts: a bill of parts for the report and CircuitJSON for the designer.

A block's :meth:`~circuit.sizing.block.Block.build` is SPICE element lines. Parts that are not a
plain R, C or L carry one annotation comment line before them naming their knowledge-base key
(and, when the record has no SPICE terminal list, the pin names in node order)::

    *@ Q1 key=2n2222
    Q1 c b 0 Q2N2222
    *@ XU1 key=ne555 pins=GND,TRIG,OUT,RESET,CTRL,THR,DISCH,VCC

Pin names come from the record's ``spice.terminals`` (the order SPICE lists the nodes in), so the
CircuitJSON endpoints are real pins of real library parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from circuit.model import Circuit, Part
from circuit.units import format_value
from knowledge.library import Library

__all__ = ["ParsedPart", "parse_build", "bill_of_parts", "netlist_to_circuit", "SubcircuitError"]

_PASSIVE = {"R": ("resistor", "Ω", ["1", "2"]), "C": ("capacitor", "F", ["+", "-"]), "L": ("inductor", "H", ["1", "2"])}
_SPICE_NUM = re.compile(r"^([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(meg|[fpnumkgt])?", re.I)
_SCALE = {"f": 1e-15, "p": 1e-12, "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "meg": 1e6, "g": 1e9, "t": 1e12}


class SubcircuitError(ValueError):
    """A built circuit names a part the knowledge base does not have."""


@dataclass
class ParsedPart:
    ref: str
    key: str
    nodes: list[str]
    pins: list[str]
    value: float | None = None
    unit: str = ""
    attrs: dict[str, str] | None = None


def spice_value(token: str) -> float:
    m = _SPICE_NUM.match(token.strip())
    if not m:
        raise ValueError(f"not a SPICE number: {token!r}")
    return float(m.group(1)) * _SCALE.get((m.group(2) or "").lower(), 1.0)


def _library() -> Library:
    return Library.default()


def parse_build(text: str) -> list[ParsedPart]:
    """The parts of a built circuit (SPICE element lines with *@ annotations), in order."""
    notes: dict[str, dict[str, str]] = {}
    parts: list[ParsedPart] = []
    in_sub = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("*@"):
            bits = line[2:].split()
            if bits:
                notes[bits[0].upper()] = dict(b.split("=", 1) for b in bits[1:] if "=" in b)
            continue
        low = line.lower()
        if low.startswith(".subckt"):
            in_sub = True
            continue
        if low.startswith(".ends"):
            in_sub = False
            continue
        if in_sub or line.startswith(("*", ".", "+")):
            continue
        tok = line.split()
        ref = tok[0]
        letter = ref[0].upper()
        note = notes.get(ref.upper(), {})
        if letter in _PASSIVE and "key" not in note:
            key, unit, pins = _PASSIVE[letter]
            parts.append(ParsedPart(ref, key, tok[1:3], pins, spice_value(tok[3]), unit))
            continue
        key = note.get("key")
        if not key:
            raise SubcircuitError(f"{ref}: no knowledge-base key annotated for this part")
        if "pins" in note:
            pins = note["pins"].split(",")
        else:
            rec = _library().get(key)
            if rec is None or rec.spice is None or not rec.spice.terminals:
                raise SubcircuitError(f"{ref}: the record {key!r} gives no SPICE terminal order")
            pins = list(rec.spice.terminals)
        nodes = tok[1:1 + len(pins)]
        value = spice_value(tok[3]) if letter in _PASSIVE else None
        unit = _PASSIVE[letter][1] if letter in _PASSIVE else ""
        attrs = {k: v for k, v in note.items() if k not in ("key", "pins")}
        parts.append(ParsedPart(ref, key, nodes, pins, value, unit, attrs or None))
    return parts


def bill_of_parts(text: str, searched: set[str]) -> list[tuple[str, str, str]]:
    """(designator, value, role) for every part: "chosen by the search" or "set from the design"."""
    out = []
    for p in parse_build(text):
        if p.value is not None:
            val = format_value(p.value, p.unit)
        else:
            val = p.key.upper() + (f" ({', '.join(f'{k} {v}' for k, v in (p.attrs or {}).items())})" if p.attrs else "")
        out.append((p.ref, val, "chosen by the search" if p.ref in searched else "set from the design"))
    return out


def netlist_to_circuit(text: str, prefix: str = "", title: str = "", ports: dict[str, str] | None = None) -> Circuit:
    """CircuitJSON for a built circuit. Nets become chains of connections; the port nodes and ground
    are listed in the document's ``nets`` field ({node: [part:pin, ...]}) for the caller to wire."""
    lib = _library()
    circ = Circuit(title=title)
    nets: dict[str, list[str]] = {}
    for p in parse_build(text):
        if p.key not in lib:
            raise SubcircuitError(f"{p.ref}: {p.key!r} is not a knowledge-base part")
        pid = f"{prefix}{p.ref}"
        attrs: dict[str, str] = dict(p.attrs or {})
        if p.value is not None:
            attrs["value"] = format_value(p.value, p.unit)
        circ.parts.append(Part(id=pid, type=p.key, attrs=attrs))
        for node, pin in zip(p.nodes, p.pins):
            nets.setdefault(node, []).append(f"{pid}:{pin}")
    for node, ends in nets.items():
        for a, b in zip(ends, ends[1:]):
            circ.connect(a, b, "black" if node == "0" else "green")
    shown = {("GND" if n == "0" else n): ends for n, ends in nets.items() if n == "0" or n in (ports or {})}
    circ.nets = shown  # type: ignore[attr-defined]  (Circuit allows extra fields)
    return circ
