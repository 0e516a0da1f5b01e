"""Which sources a circuit measures the voltage of, read from its nets: for the requirement gate.

A controller's ADC pin reads a source (a battery, panel or supply: a primary source's + terminal) when its net is

- the source's + net itself (the source within the ADC's range, wired straight);
- the tap of a resistor divider: a resistor from the source's + net and one to ground, nothing else driving it;
- the output of a divider board (an ``analog_out`` whose record gives its share of its input,
  ``spice.params.out_gain``) whose input is on the source's + net.

A voltage the user brings has no source part: it arrives on an input terminal (a record that provides
:data:`INPUT_TERMINAL`), one position on ground, the other the measured node. Given the top of the range the
request measures (``measured``), such a terminal's measured node counts as a source whose peak is that top.

Each reading says what share of the source reaches the pin, so the source at the highest voltage it gives
(:mod:`circuit.source_peak`, or the range measured) can be held to the controller's ADC range (its logic level).
"""

from __future__ import annotations

from dataclasses import dataclass

from circuit.model import Circuit
from circuit.netlist import Net, Netlist
from circuit.part_ratings import is_primary_source
from circuit.source_peak import source_peak
from circuit.units import UnitError, parse_value
from knowledge.library import Library

__all__ = ["INPUT_TERMINAL", "MEASURED_WHERE", "VOLTAGE", "VoltageReading", "record_range", "voltage_readings"]

VOLTAGE = "sense-voltage"  # the capability a voltage measurement provides
INPUT_TERMINAL = "wire-terminal"  # the capability of a part that takes external wires in (a screw terminal)
MEASURED_WHERE = "the top of the range measured"


@dataclass(frozen=True)
class VoltageReading:
    source: str          # the source's part id
    source_type: str     # its library key
    pin: str             # the ADC endpoint reading it
    via: str             # how: "straight", "R1/R2", "U2 (voltage-sensor-module)"
    share: float         # the share of the source's voltage at the pin
    peak: float          # the source's highest voltage in use
    full: float          # the ADC's range (the controller's logic level)
    where: str           # where the peak comes from
    terminal: bool = False  # the source is an input terminal carrying the voltage measured (no source part)

    @property
    def at_pin(self) -> float:
        return self.peak * self.share

    @property
    def fits(self) -> bool:
        return self.at_pin <= self.full * 1.02


def record_range(library: Library) -> float | None:
    """The range a voltage measurement takes when the request states none and names no source: the highest input
    rating among the library's voltage-measuring boards (a divider board's ``power_in`` ``v_max``), what a user
    would take off the shelf to measure "a voltage"."""
    tops = [p.v_max for r in library if any(c.capability == VOLTAGE for c in r.provides)
            and r.pins_of_type("analog_out") for p in r.pins_of_type("power_in") if p.v_max]
    return max(tops) if tops else None


def _logic(rec) -> float | None:
    if rec.supply.logic_level:
        return rec.supply.logic_level
    outs = [p.v_out for p in rec.pins if p.type in ("digital_io", "digital_out") and p.v_out]
    return max(outs) if outs else None


def _ohms(part) -> float | None:
    v = part.attrs.get("value") if part is not None else None
    if v is None:
        return None
    try:
        return float(v) if isinstance(v, (int, float)) else float(parse_value(str(v), "Ω"))
    except (UnitError, ValueError):
        return None


def voltage_readings(circuit: Circuit, library: Library, nets: Netlist | None = None,
                     measured: float | None = None) -> list[VoltageReading]:
    """``measured``: the top of the range a request measures on an input terminal (none: terminals are no
    sources)."""
    nets = nets or Netlist(circuit, library)
    parts = {p.id: p for p in circuit.parts}
    # source + nets: net -> (part id, record)
    sources: dict[int, tuple[str, object]] = {}
    for p in circuit.parts:
        rec = library.get(p.type)
        if rec is None or not is_primary_source(rec):
            continue
        for pin in rec.pins_of_type("power_out")[:1]:
            net = nets.net_of(f"{p.id}:{pin.name}")
            if net is not None:
                sources.setdefault(id(net), (p.id, rec))

    def grounded(net: Net | None) -> bool:
        return net is not None and any(pin is not None and pin.type == "ground" for _, pin in nets.pins_on(net))

    terminals: set[str] = set()
    for p in circuit.parts if measured else []:
        rec = library.get(p.type)
        if rec is None or not any(c.capability == INPUT_TERMINAL for c in rec.provides):
            continue
        pin_nets = [nets.net_of(f"{p.id}:{pin.name}") for pin in rec.pins]
        live = [n for n in pin_nets if n is not None and not grounded(n)]
        if len(live) == 1 and any(grounded(n) for n in pin_nets) and id(live[0]) not in sources:
            sources[id(live[0])] = (p.id, rec)  # the measured node, its other position on ground
            terminals.add(p.id)

    def other_end(ep: str) -> Net | None:
        pid, name = ep.split(":", 1)
        rec = nets.record(pid)
        if rec is None or rec.spice.kind != "resistor":
            return None
        ends = [f"{pid}:{n}" for n in rec.pin_names if n != name]
        return nets.net_of(ends[0]) if ends else None

    out: list[VoltageReading] = []
    for c in circuit.parts:
        rec = library.get(c.type)
        if rec is None or not rec.is_mcu:
            continue
        full = _logic(rec)
        if not full:
            continue
        for pin in rec.pins:
            if "adc" not in pin.functions:
                continue
            ep = f"{c.id}:{pin.name}"
            net = nets.net_of(ep)
            if net is None:
                continue
            found: list[tuple[str, object, str, float]] = []
            if id(net) in sources:
                found.append((*sources[id(net)], "straight", 1.0))
            resistors = [(e, p) for e, p in nets.pins_on(net) if (r := nets.record(e.split(":")[0])) is not None
                         and r.spice.kind == "resistor"]
            tops = [(e, sources[id(n)]) for e, _ in resistors if (n := other_end(e)) is not None and id(n) in sources]
            bottoms = [e for e, _ in resistors if grounded(other_end(e))]
            drivers = [e for e, p in nets.pins_on(net, "analog_out", "digital_out", "power_out")]
            if len(tops) == 1 and len(bottoms) == 1 and len(resistors) == 2 and not drivers:
                (te, src), be = tops[0], bottoms[0]
                r1, r2 = _ohms(parts.get(te.split(":")[0])), _ohms(parts.get(be.split(":")[0]))
                if r1 and r2:
                    found.append((*src, f"{te.split(':')[0]}/{be.split(':')[0]}", r2 / (r1 + r2)))
            for e, p in nets.pins_on(net, "analog_out"):
                mid = e.split(":")[0]
                mrec = nets.record(mid)
                gain = mrec.spice.params.get("out_gain") if mrec is not None else None
                if not gain:
                    continue
                for ip in mrec.pins_of_type("power_in"):
                    n = nets.net_of(f"{mid}:{ip.name}")
                    if n is not None and id(n) in sources:
                        found.append((*sources[id(n)], f"{mid} ({mrec.key})", float(gain)))
            for sid, srec, via, share in found:
                peak, where = (measured, MEASURED_WHERE) if sid in terminals else source_peak(parts[sid], srec)
                if peak is not None:
                    out.append(VoltageReading(sid, parts[sid].type, ep, via, share, peak, full, where,
                                              terminal=sid in terminals))
    return out
