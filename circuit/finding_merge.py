"""One fault, one finding: the ERC reads the wiring ("LED1 has no resistor"), the simulation measures
it ("LED1 would carry 97 mA"). :func:`merge_overlaps` folds findings that describe the same fault on
the same part or pin into one, so a report lists each fault once: the ERC's explanation (it says why
and what to do), the worst severity of the group, every part involved, and the simulation's numbers
appended ("Simulated: LED1 would carry 96.8 mA ..."). Used by the gates (circuit/gates.py) and by the
ERC's de-duplication (circuit/erc)."""

from __future__ import annotations

import re

from circuit.findings import Finding


# Rules that describe the same fault, by fault class; each rule names its subject (the LED, the pin).
_LED_CURRENT = {"ERC-LED-NO-RESISTOR", "SPICE-LED-OVERCURRENT"}
_LED_DIM = {"SPICE-LED-DIM"}
_LED_REVERSED = {"ERC-LED-REVERSED", "SPICE-LED-REVERSED"}
_PIN_CURRENT = {"ERC-GPIO-OVERCURRENT", "SPICE-PIN-OVERCURRENT"}
_OVER_VOLTAGE = {"ERC-PIN-OVERVOLTAGE", "ERC-PULLUP-OVERVOLTAGE", "SPICE-OVERVOLTAGE", "SPICE-SUPPLY-HIGH",
                 "ERC-SUPPLY-ABOVE-RATED"}
_RAILS = {"ERC-RAILS-SHORTED", "SPICE-SUPPLY-BACKFEED"}
_UNDER_VOLTAGE = {"ERC-SUPPLY-UNDERVOLTAGE", "SPICE-SUPPLY-LOW"}
_SWITCH_SHORT = {"ERC-SWITCH-SHORTS-SUPPLY", "SPICE-SWITCH-OVERCURRENT"}
_DIODE = {"ERC-FLYBACK-REVERSED", "SPICE-DIODE-OVERCURRENT"}


def _part(ep: str) -> str:
    return ep.split(":", 1)[0]


def fault_keys(f: Finding) -> set[tuple[str, str]]:
    """(fault class, subject) pairs a finding describes; two findings sharing one describe one fault."""
    w = list(f.where)
    if not w:
        return set()
    keys: set[tuple[str, str]] = set()
    rule = f.rule
    if rule in _LED_CURRENT:
        keys.add(("led-current", _part(w[0])))
    elif rule == "ERC-LED-RESISTOR-RANGE":
        keys.add(("led-dim" if "too large" in f.message else "led-current", _part(w[0])))
    elif rule in _LED_DIM:
        keys.add(("led-dim", _part(w[0])))
    elif rule in _LED_REVERSED:
        keys.add(("led-reversed", _part(w[0])))
    elif rule in _PIN_CURRENT:
        keys.add(("pin-current", w[0]))
        # a module powered from the pin sags below its supply range: the same overloaded pin
        keys.update(("under-voltage", x) for x in w[1:] if ":" in x)
        # a pin overloaded through an LED is that LED's missing (or too small) resistor
        keys.update(("led-current", x) for x in w[1:] if ":" not in x)
    elif rule == "ERC-INDUCTIVE-NO-FLYBACK" and len(w) > 1:
        keys.add(("pin-current", w[1]))  # a coil straight on a GPIO: one fault, one fix (a driver)
    elif rule == "ERC-PULLUP-OVERVOLTAGE":  # one pull-up lifting several pins: one fault, one fix
        keys.update(k for x in w if ":" in x for k in (("over-voltage", x), ("rails", x)))
    elif rule in _OVER_VOLTAGE:
        keys.update({("over-voltage", w[0]), ("rails", w[0])})
    elif rule in _RAILS:
        keys.update(("rails", x) for x in w if ":" in x)
    elif rule == "ERC-SUPPLY-SHORT":
        keys.update(("short", x) for x in w if ":" in x)
    elif rule == "ERC-SUPPLY-OVERLOAD":
        keys.add(("short", w[0]))
    elif rule == "SPICE-SUPPLY-OVERLOAD":
        keys.add(("short", w[0]))
        # drawn through a pressed switch, or through a diode that conducts where it should block
        keys.update(k for x in w[1:] if ":" not in x for k in (("switch-short", x), ("diode", x)))
    elif rule in ("ERC-LOAD-OVERVOLTAGE", "SPICE-LOAD-OVERVOLTAGE"):
        keys.add(("load-voltage", _part(w[0])))
    elif rule in ("ERC-CAP-REVERSED", "SPICE-CAP-REVERSED"):
        keys.add(("cap-reversed", _part(w[0])))
    elif rule in _UNDER_VOLTAGE:
        keys.add(("under-voltage", w[0]))
    elif rule in _SWITCH_SHORT:
        keys.add(("switch-short", _part(w[0])))
    elif rule in _DIODE:
        keys.add(("diode", _part(w[0])))
    return keys


_WHEN = re.compile(r"\s*\(this happens [^)]*\)\.?\s*$")
_QUANTITY = re.compile(r"\d(?:\.\d+)?\s?[pnuµmkM]?(?:A|V|W|Ω)\b")

# Which finding of a merged group speaks for it: the ERC's explanation of the cause first.
PRIMARY_ORDER = [
    "ERC-SUPPLY-SHORT", "ERC-RAILS-SHORTED", "ERC-SWITCH-SHORTS-SUPPLY", "ERC-PIN-OVERVOLTAGE",
    "ERC-PULLUP-OVERVOLTAGE", "ERC-LED-REVERSED", "ERC-LED-NO-RESISTOR", "ERC-LED-RESISTOR-RANGE",
    "ERC-GPIO-OVERCURRENT", "ERC-INDUCTIVE-NO-FLYBACK", "ERC-FLYBACK-REVERSED", "ERC-SUPPLY-UNDERVOLTAGE",
    "ERC-SUPPLY-ABOVE-RATED", "ERC-SUPPLY-OVERLOAD",
]


def _when(text: str) -> str:
    m = _WHEN.search(text)
    return m.group(0).strip().rstrip(".") if m else ""


def _measurement(f: Finding) -> str:
    """What the simulation measured, without its advice: 'LED1 would carry 96.8 mA (its limit is 30 mA)'."""
    text = _WHEN.sub("", f.message.strip())
    clauses = [c.strip() for c in re.split(r":\s", text)]
    claim = clauses[0]
    if not _QUANTITY.search(claim):
        # 'LED1 is the wrong way round: it has 5 V across it backwards, so it stays dark.'
        more = next((c for c in clauses[1:] if _QUANTITY.search(c)), None)
        if more:
            claim += ": " + re.split(r",\s(?:so|which)\b|\.\s", more)[0]
    claim = re.split(r",\s(?:so|which)\b", claim)[0].rstrip(". ")
    return claim[:1].lower() + claim[1:] if claim.startswith("The ") else claim


def merge_overlaps(findings: list[Finding]) -> list[Finding]:
    """Fold findings that describe the same fault on the same part or pin into one (see the module doc)."""
    n = len(findings)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for i, f in enumerate(findings):
        for k in fault_keys(f):
            if k in owner:
                parent[find(i)] = find(owner[k])
            else:
                owner[k] = i
    groups: dict[int, list[Finding]] = {}
    for i, f in enumerate(findings):
        groups.setdefault(find(i), []).append(f)
    out = []
    for members in groups.values():
        if len(members) == 1:
            out.append(members[0])
            continue
        ranked = sorted(members, key=lambda f: (
            f.source == "spice", f.severity.rank,
            PRIMARY_ORDER.index(f.rule) if f.rule in PRIMARY_ORDER else len(PRIMARY_ORDER)))
        primary = ranked[0]
        severity = min((f.severity for f in members), key=lambda s: s.rank)
        where = list(dict.fromkeys(x for f in [primary] + ranked[1:] for x in f.where))
        fix = primary.fix or next((f.fix for f in sorted(members, key=lambda f: f.severity.rank) if f.fix), None)
        message = primary.message
        sims = [f for f in ranked[1:] if f.source == "spice"]
        numbers = list(dict.fromkeys(m for f in sims if (m := _measurement(f)) and m not in message))
        if numbers:
            whens = {_when(f.message) for f in sims}
            when = next(iter(whens)) if len(whens) == 1 else ""
            message = message.rstrip() + " Simulated: " + "; ".join(numbers) + (f" {when}" if when else "") + "."
        out.append(primary.model_copy(update={"severity": severity, "where": where, "fix": fix, "message": message}))
    return out
