"""Loading CircuitJSON without trusting it.

Whatever arrives (a user's file, an LLM's answer), loading returns the usable part of the
document plus findings with their location: unknown part types, pins the part does not have,
duplicate ids and malformed endpoints are findings, not crashes. Only input that is not a
JSON object at all raises :class:`CircuitReadError`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import process as fuzz_process

from circuit.findings import Finding, Severity
from circuit.limits import DEFAULT_LIMITS, InputLimitError, Limits, check_circuit_size, check_tree, parse_json, read_input_file
from circuit.model import ID_RE, Circuit, Connection, Part, split_endpoint
from circuit.units import UnitError, parse_value
from knowledge.library import Library


class CircuitReadError(ValueError):
    """The input is not a CircuitJSON document at all (unreadable, not JSON, not an object), or it is
    beyond an input limit (:mod:`circuit.limits`): the message is one line naming the field."""


# A value beyond these is no component anyone can buy: 1e400 (infinite), 1e300 Ω, 1e-300 F.
ABSURD_ABOVE = 1e15
ABSURD_BELOW = 1e-18


@dataclass
class LoadResult:
    circuit: Circuit
    findings: list[Finding] = field(default_factory=list)


def _suggest(name: str, choices: list[str]) -> str:
    if not choices:
        return ""
    best = fuzz_process.extractOne(name, choices)
    return f" (did you mean {best[0]!r}?)" if best and best[1] >= 70 else ""


def read_document(source: str | Path | dict, limits: Limits = DEFAULT_LIMITS) -> dict:
    """The document as a dict, measured against the input limits (raises CircuitReadError)."""
    try:
        if isinstance(source, dict):
            data = check_tree(source, limits)
        else:
            if isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith("{")):
                text = read_input_file(source, limits, "CircuitJSON file")
            else:
                text = source
            try:
                data = parse_json(text, limits)
            except json.JSONDecodeError as e:
                raise CircuitReadError(f"not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from e
        if not isinstance(data, dict):
            raise CircuitReadError(f"a CircuitJSON document is a JSON object, found {type(data).__name__}")
        check_circuit_size(data, limits)
    except InputLimitError as e:
        raise CircuitReadError(str(e)) from None
    return data


def absurd_number(value) -> str | None:
    """Why a numeric attribute cannot be a real value (None when it can, or when it is not a number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return "is not a finite number"
    if isinstance(value, str):
        low = value.strip().lower().lstrip("+-")
        if low in ("nan", "inf", "infinity"):
            return "is not a finite number"
        try:
            value = float(value.strip()) if not any(c.isalpha() and c not in "eE" for c in value) else parse_value(value)
        except (UnitError, ValueError, OverflowError):
            return None  # words (a label, a colour): not a number at all
    try:
        x = abs(float(value))
    except OverflowError:
        return "is beyond any real value"
    if not math.isfinite(x):
        return "is not a finite number"
    if x > ABSURD_ABOVE or (0 < x < ABSURD_BELOW):
        return f"is beyond any real component (|x| over {ABSURD_ABOVE:g} or under {ABSURD_BELOW:g})"
    return None


def load_circuit(source: str | Path | dict | Circuit, library: Library | None = None) -> LoadResult:
    """Load and structurally check a document. Findings use rule ids ``SCHEMA-*`` and ``ERC-*``."""
    library = library or Library.default()
    if isinstance(source, Circuit):
        data = source.to_dict()
    else:
        data = read_document(source)
    findings: list[Finding] = []

    def add(rule: str, sev: Severity, msg: str, where: list[str], fix: str | None = None) -> None:
        findings.append(Finding(rule=rule, severity=sev, message=msg, where=where, fix=fix, source="schema"))

    version = data.get("version", 1)
    if version != 1:
        add("SCHEMA-VERSION", Severity.WARNING, f"document version {version!r}; circuitsmith writes version 1", [])
    title = data.get("title", "")
    if not isinstance(title, str):
        title = str(title)

    parts: list[Part] = []
    raw_parts = data.get("parts", [])
    if not isinstance(raw_parts, list):
        add("SCHEMA-PARTS", Severity.CRITICAL, "'parts' must be a list of parts", ["parts"])
        raw_parts = []
    seen_ids: set[str] = set()
    for i, rp in enumerate(raw_parts):
        loc = f"parts[{i}]"
        if not isinstance(rp, dict):
            add("SCHEMA-PART", Severity.CRITICAL, f"{loc} is not an object", [loc])
            continue
        pid = rp.get("id")
        if not isinstance(pid, str) or not ID_RE.match(pid):
            add(
                "SCHEMA-PART-ID", Severity.CRITICAL,
                f"{loc} has the id {pid!r}; ids are a letter followed by letters, digits or _ (R1, LED2, U1)",
                [loc],
            )
            continue
        if pid in seen_ids:
            add("SCHEMA-DUPLICATE-ID", Severity.CRITICAL,
                f"two parts are called {pid}; every part needs its own id", [pid, loc],
                fix=f"rename_part({pid})")
            continue
        seen_ids.add(pid)
        ptype = rp.get("type")
        if isinstance(ptype, str) and ptype.startswith("wokwi-") and ptype[6:] in library:
            ptype = ptype[6:]
        if not isinstance(ptype, str) or not ptype:
            add("SCHEMA-PART-TYPE", Severity.CRITICAL, f"part {pid} has no type", [pid])
            continue
        attrs = rp.get("attrs", {}) or {}
        if not isinstance(attrs, dict):
            add("SCHEMA-ATTRS", Severity.MINOR, f"part {pid}: attrs must be an object; ignored", [pid])
            attrs = {}
        clean_attrs = {}
        for k, v in attrs.items():
            bad = absurd_number(v)
            if bad:
                add("SCHEMA-VALUE", Severity.CRITICAL,
                    f"part {pid}: attribute {str(k)!r} = {str(v)[:40]!r} {bad}; the value was not used",
                    [pid], fix=f"set_value({pid}, {k})")
                continue
            if isinstance(v, (str, int, float, bool)):
                clean_attrs[str(k)] = v
            else:
                add("SCHEMA-ATTRS", Severity.MINOR, f"part {pid}: attr {k!r} is not a plain value; ignored", [pid])
        pos = {}
        for k in ("top", "left", "rotate"):
            v = rp.get(k, 0)
            pos[k] = float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0
            if not math.isfinite(pos[k]) or abs(pos[k]) > 1e7:
                add("SCHEMA-VALUE", Severity.MINOR, f"part {pid}: position {k!r} = {v!r} is out of range; 0 was used",
                    [pid])
                pos[k] = 0.0
        part = Part(id=pid, type=ptype, attrs=clean_attrs, **pos)
        parts.append(part)
        if ptype not in library:
            add(
                "ERC-UNKNOWN-PART", Severity.CRITICAL,
                f"part {pid} is a {ptype!r}, which is not in the component library, so nobody can check or build it"
                + _suggest(ptype, library.keys()),
                [pid],
                fix=f"replace_part({pid})",
            )

    if not raw_parts:
        add("SCHEMA-EMPTY", Severity.CRITICAL,
            "the document has no parts, so there is nothing to check; a CircuitJSON document lists its parts "
            "under \"parts\" and its wires under \"connections\"", ["parts"])

    by_id = {p.id: p for p in parts}
    connections: list[Connection] = []
    raw_conns = data.get("connections", [])
    if not isinstance(raw_conns, list):
        add("SCHEMA-CONNECTIONS", Severity.CRITICAL, "'connections' must be a list", ["connections"])
        raw_conns = []
    for i, rc in enumerate(raw_conns):
        loc = f"connections[{i}]"
        if isinstance(rc, dict):
            rc = [rc.get("source"), rc.get("target"), rc.get("color", "green"), rc.get("route", [])]
        if not isinstance(rc, (list, tuple)) or len(rc) < 2:
            add("SCHEMA-CONNECTION", Severity.CRITICAL, f"{loc} must be [from, to, color, route]", [loc])
            continue
        ends = []
        ok = True
        for end in rc[:2]:
            sp = split_endpoint(end) if isinstance(end, str) else None
            if sp is None:
                add("SCHEMA-ENDPOINT", Severity.CRITICAL,
                    f"{loc}: {end!r} is not an endpoint; write partId:pinName, e.g. U1:D13", [loc])
                ok = False
                continue
            pid, pin = sp
            part = by_id.get(pid)
            if part is None:
                add("ERC-UNKNOWN-PART-ID", Severity.CRITICAL,
                    f"{loc}: wire goes to {pid!r}, but there is no part with that id" + _suggest(pid, list(by_id)),
                    [end, loc])
                ok = False
                continue
            rec = library.get(part.type)
            if rec is not None and rec.pin(pin) is None:
                add("ERC-UNKNOWN-PIN", Severity.CRITICAL,
                    f"{loc}: {part.type} {pid} has no pin called {pin!r}" + _suggest(pin, rec.pin_names)
                    + f"; its pins are {', '.join(rec.pin_names)}",
                    [end], fix=f"rename_pin({end})")
                ok = False
                continue
            if rec is not None:
                canonical = rec.pin(pin).name  # an alias like GPIO2 becomes D2
                end = f"{pid}:{canonical}"
            ends.append(end)
        if not ok:
            continue
        color = rc[2] if len(rc) > 2 and isinstance(rc[2], str) else "green"
        route = rc[3] if len(rc) > 3 and isinstance(rc[3], list) else []
        if ends[0] == ends[1]:
            add("ERC-SELF-CONNECTION", Severity.MINOR,
                f"{loc} connects {ends[0]} to itself; the wire does nothing", [ends[0]],
                fix=f"remove_connection({ends[0]}, {ends[1]})")
            continue
        connections.append(Connection(source=ends[0], target=ends[1], color=color, route=route))

    circuit = Circuit(version=1, title=title, parts=parts, connections=connections)
    return LoadResult(circuit=circuit, findings=findings)
