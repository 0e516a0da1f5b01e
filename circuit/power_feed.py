"""Which board power pins take power in: a rail pin that is also an input, fed from outside.

A development board's VIN/5V pin often works both ways. On an ESP32 DevKit V1 the pin marked VIN
carries USB's 5 V out when the board runs from USB, and is the 4.5-12 V input of the on-board
AMS1117 regulator when it does not. The library records such a pin as ``power_out`` (its USB
voltage in ``v_out``) with a ``v_max`` above that voltage: the most it takes as an input.

When another part's supply (a battery, an adapter, a regulator output, another board's 5 V pin)
reaches such a pin, the pin is an input: the board is powered from it, so it is not a second
source fighting the first, and the voltage on it must lie within the board's supply range. The
ERC and the SPICE gate both ask this module, so they agree on it.

A supply reaches a pin through wires and through what conducts at DC on a power path: switches
and relay contacts (in any position: a power switch is meant to be closed), fuses, jumpers and
other resistors of 1 Ω or less, inductors, and diodes in their forward direction (reverse-polarity
protection). A regulated rail pin the record also gives a ``v_range`` (the range it takes a supply
over: an ESP32 DevKit's 3V3 pin takes 3.0-3.6 V from a regulated 3.3 V source, bypassing the board's
AMS1117) is an input the same way, and the voltage on it is held to that range. A pin that is only a
rail (no ``v_max`` above its ``v_out`` and no ``v_range``, such as an Uno's 3.3V pin) is never an
input: a source on it is two supplies tied together.
"""

from __future__ import annotations

from circuit.netlist import Netlist
from circuit.units import UnitError, parse_value
from knowledge.record import ComponentRecord, Pin

__all__ = ["accepts_power_in", "fed_power_pins", "is_hard_source", "upstream_source"]

INPUT_MARGIN = 0.5  # v_max must exceed v_out by this much for a rail pin to count as an input too
SWITCH_FUNCTIONS = {"contact_common", "contact_no", "contact_nc"}


def accepts_power_in(rec: ComponentRecord | None, pin: Pin | None) -> bool:
    """A board's rail pin that is also a supply input (ESP32 DevKit VIN: 5 V out from USB, 4.5-12 V in;
    its 3V3 pin: 3.0-3.6 V in, its ``v_range``)."""
    if rec is None or pin is None or pin.type != "power_out":
        return False
    if not (rec.flags.onboard_regulator or rec.is_mcu):
        return False
    if pin.v_range is not None:
        return True
    return pin.v_max is not None and pin.v_out is not None and pin.v_max > pin.v_out + INPUT_MARGIN


def is_hard_source(nl: Netlist, ep: str) -> bool:
    """A power_out pin that only ever gives power (a battery, an adapter, a regulator output, a 3V3 rail)."""
    pin = nl.pin(ep)
    if pin is None or pin.type != "power_out":
        return False
    return not accepts_power_in(nl.record(ep.split(":", 1)[0]), pin)


def _ohms(nl: Netlist, pid: str, rec: ComponentRecord) -> float | None:
    raw = nl.parts[pid].attrs.get(rec.value_attr or "value", rec.default_value)
    if raw is None:
        return None
    try:
        return parse_value(raw, rec.value_unit or "Ω")
    except (UnitError, ValueError):
        return None


def _conducting_steps(nl: Netlist, pid: str) -> list[tuple[str, str]]:
    """(from pin, to pin) pairs a supply current can pass through this part, toward its load."""
    rec = nl.record(pid)
    if rec is None:
        return []
    kind = rec.spice.kind
    names = rec.pin_names
    if kind == "switch" or (rec.category == "input" and len(names) == 2
                            and all(SWITCH_FUNCTIONS & set(p.functions) for p in rec.pins)):
        return [(a, b) for a in names for b in names if a != b]
    contacts = [p.name for p in rec.pins if SWITCH_FUNCTIONS & set(p.functions)]
    if contacts and kind != "switch":
        return [(a, b) for a in contacts for b in contacts if a != b]
    if kind == "inductor" or (kind == "resistor" and len(names) == 2 and (r := _ohms(nl, pid, rec)) is not None
                              and r <= 1.0):
        return [(names[0], names[1]), (names[1], names[0])]
    if kind == "diode":
        an = next((p.name for p in rec.pins if {"anode"} & set(p.functions)), None)
        ca = next((p.name for p in rec.pins if {"cathode"} & set(p.functions)), None)
        if an and ca:
            return [(an, ca)]
    return []


def _upstream(nl: Netlist) -> dict[str, set[str]]:
    """For each net, the nets that can push supply current into it through a conducting part."""
    up: dict[str, set[str]] = {}
    for pid in nl.parts:
        for a, b in _conducting_steps(nl, pid):
            na, nb = nl.net_of(f"{pid}:{a}"), nl.net_of(f"{pid}:{b}")
            if na is not None and nb is not None and na.name != nb.name:
                up.setdefault(nb.name, set()).add(na.name)
    return up


def upstream_source(nl: Netlist, ep: str, _up: dict[str, set[str]] | None = None) -> str | None:
    """The hard source (another part's supply pin) that reaches pin ``ep``, or None."""
    net = nl.net_of(ep)
    if net is None:
        return None
    up = _up if _up is not None else _upstream(nl)
    pid = ep.split(":", 1)[0]
    seen, frontier = {net.name}, [net.name]
    while frontier:
        name = frontier.pop(0)
        n = nl.net(name)
        for other in n.pins if n is not None else []:
            if other.split(":", 1)[0] != pid and is_hard_source(nl, other):
                return other
        for u in sorted(up.get(name, ())):
            if u not in seen:
                seen.add(u)
                frontier.append(u)
    return None


def fed_power_pins(nl: Netlist) -> dict[str, str]:
    """Board rail pins that an outside supply feeds: ``{endpoint: the feeding source's endpoint}``."""
    out: dict[str, str] = {}
    up = _upstream(nl)
    for pid in nl.parts:
        rec = nl.record(pid)
        if rec is None:
            continue
        for pin in rec.pins:
            ep = f"{pid}:{pin.name}"
            if ep in out or not accepts_power_in(rec, pin):
                continue
            source = upstream_source(nl, ep, up)
            if source is not None:
                out[ep] = source
    return out
