"""Compact circuit builder for the ERC tests.

    build("U1=arduino-uno R1=resistor(220) LED1=led(color=red)",
          "U1:D13~R1:1 R1:2~LED1:+ LED1:-~U1:GND")

Parts are ``id=type`` with optional ``(value)`` or ``(key=val;key=val)`` attrs; wires are
``a~b`` pairs separated by spaces or commas.
"""

from __future__ import annotations

import re

from circuit.erc import run_erc

_PART = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)=([a-z0-9._+-]+)(?:\((.*)\))?$")


def build(parts: str, wires: str = "", title: str = "test") -> dict:
    out_parts = []
    for tok in parts.split():
        m = _PART.match(tok)
        if not m:
            raise ValueError(f"bad part spec {tok!r}")
        pid, typ, args = m.groups()
        attrs: dict = {}
        if args:
            for item in args.split(";"):
                if "=" in item:
                    k, v = item.split("=", 1)
                    attrs[k] = {"true": True, "false": False}.get(v, v)
                else:
                    attrs["value"] = item
        out_parts.append({"id": pid, "type": typ, "attrs": attrs, "top": 0, "left": 0, "rotate": 0})
    conns = []
    for tok in re.split(r"[\s,]+", wires.strip()):
        if not tok:
            continue
        a, b = tok.split("~")
        conns.append([a, b, "green", []])
    return {"version": 1, "title": title, "parts": out_parts, "connections": conns}


def rules(doc, library) -> set[str]:
    return {f.rule for f in run_erc(doc, library)}


def findings(doc, library, rule: str | None = None):
    fs = run_erc(doc, library)
    return [f for f in fs if rule is None or f.rule == rule]


def blocking(doc, library) -> list[str]:
    return [str(f) for f in run_erc(doc, library) if f.severity.blocking]
