"""Which way a sensor switches the output, found by simulating the circuit at both ends of its range.

A design with no controller that switches an output (an LED, a buzzer, a motor, a relay module's
logic input) from a resistive sensor (an LDR, a thermistor, a force or bend sensor) does what was
asked only when the output is on at the end of the sensed range the request named (bright or dark,
hot or cold, pressed) and off at the other end; one wired the wrong way round passes every electrical
check and does the opposite. The sensor's resistance at each end of its range is record data
(``ratings.r_low_high``). The circuit is solved by ngspice twice, with every such sensor at its
low-end and then at its high-end resistance, and each output's state is read from the solution: the
current through a two-lead output against its rating, the level on a module's logic input against its
supply. Nothing here reads request text: which end must switch the output on is the caller's
(the typed requirement, or a benchmark's expectation).

With a controller in the design the firmware decides what a reading does, so there is nothing to
check here (:func:`read_switching` returns ``None``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.sim import SimulationError, simulate
from circuit.spice_checks import OperatingPoint
from circuit.spice_netlist import build_deck
from circuit.units import format_value
from knowledge.library import Library
from knowledge.record import ComponentRecord

End = Literal["high", "low"]
OUTPUT_CATEGORIES = ("indicator", "audio", "actuator")
ON_SHARE = 0.25    # a two-lead output is on from this share of its rated current
OFF_SHARE = 0.05   # and off below this share
LEVEL_ON, LEVEL_OFF = 0.7, 0.3  # a logic input's level, as a share of its supply
I_FLOOR = 1e-3     # the rated current taken when a record gives none, A


@dataclass
class OutputState:
    pid: str
    what: str                 # "current" | "level"
    low: float                # the measure with the sensed quantity at the low end (A, or share of supply)
    high: float
    state_low: str = "off"    # "on" | "off" | "part"
    state_high: str = "off"

    def state(self, end: End) -> str:
        return self.state_high if end == "high" else self.state_low

    def shown(self, end: End) -> str:
        v = self.high if end == "high" else self.low
        return format_value(v, "A") if self.what == "current" else f"{v:.0%} of its supply"


@dataclass
class SwitchReading:
    sensors: list[str] = field(default_factory=list)
    outputs: list[OutputState] = field(default_factory=list)
    error: str | None = None
    fix: str | None = None     # the fixer's hint that makes the sensor swap places with its divider partner

    def switching(self, end: End) -> list[OutputState]:
        """Outputs on at ``end`` and off at the other end."""
        other: End = "low" if end == "high" else "high"
        return [o for o in self.outputs if o.state(end) == "on" and o.state(other) == "off"]


def sensing_parts(circuit: Circuit, library: Library, capability: str | None = None) -> list[tuple[str, ComponentRecord]]:
    """The circuit's resistive sensors (those providing ``capability`` when given)."""
    out = []
    for p in circuit.parts:
        rec = library.get(p.type)
        if rec is None or rec.category != "sensor" or rec.spice.kind != "resistor":
            continue
        if capability and not any(c.capability == capability for c in rec.provides):
            continue
        out.append((p.id, rec))
    return out


def read_switching(circuit: Circuit, library: Library, capability: str | None = None,
                   timeout: float = 10.0) -> SwitchReading | None:
    """The state of every output with the sensors at each end of their range; ``None`` when there is
    nothing to read (a controller decides, no resistive sensor, or no output)."""
    nl = Netlist(circuit, library)
    wired = {ep.split(":", 1)[0] for net in nl.nets for ep in net.pins}
    if any((r := library.get(p.type)) is not None and r.is_mcu and p.id in wired for p in circuit.parts):
        return None
    sensors = [(pid, rec) for pid, rec in sensing_parts(circuit, library, capability) if pid in wired]
    outputs = [p for p in circuit.parts if p.id in wired and (r := library.get(p.type)) is not None
               and r.category in OUTPUT_CATEGORIES and not r.is_mcu]
    if not sensors or not outputs:
        return None
    reading = SwitchReading(sensors=[pid for pid, _ in sensors])
    missing = [pid for pid, rec in sensors if rec.ratings.r_low_high is None]
    if missing:
        reading.error = (f"the record of {', '.join(missing)} does not state its resistance at the ends of what it "
                         "senses, so which way it switches cannot be simulated")
        return reading
    solved = {}
    for end, idx in (("low", 0), ("high", 1)):
        c = circuit.model_copy(deep=True)
        for pid, rec in sensors:
            part = c.part(pid)
            part.attrs[rec.value_attr or "value"] = f"{rec.ratings.r_low_high[idx]:g}"
        deck = build_deck(c, library, netlist=Netlist(c, library), comparators=True)
        try:
            result = simulate(deck.text, timeout=timeout)
        except SimulationError as e:
            reading.error = f"the circuit could not be simulated with the sensors at their {end} end ({str(e)[:160]})"
            return reading
        solved[end] = OperatingPoint(deck, result, Netlist(c, library))
    for p in outputs:
        rec = library[p.type]
        state = _measure(p.id, rec, solved["low"], solved["high"])
        if state is not None:
            reading.outputs.append(state)
    if not reading.outputs:
        return None
    reading.fix = swap_hint(circuit, library, nl, [pid for pid, _ in sensors])
    return reading


def _measure(pid: str, rec: ComponentRecord, low: OperatingPoint, high: OperatingPoint) -> OutputState | None:
    logic = [p for p in rec.pins if p.type == "digital_in"]
    supply = [p for p in rec.pins if p.type == "power_in"]
    if logic and supply:
        vin = f"{pid}:{logic[0].name}"
        vcc = f"{pid}:{supply[0].name}"

        def level(op: OperatingPoint) -> float | None:
            v, s = op.pin_v_part(vin), op.pin_v_part(vcc)
            return None if v is None or not s else v / s

        a, b = level(low), level(high)
        if a is None or b is None:
            return None
        st = OutputState(pid, "level", a, b)
        st.state_low, st.state_high = (_level_state(x) for x in (a, b))
        return st
    terms = [p.name for p in rec.pins if p.type in ("passive", "power_in")]
    if not terms:
        return None
    ep = f"{pid}:{terms[0]}"
    a, b = abs(low.pin_i(ep)), abs(high.pin_i(ep))
    rated = rec.ratings.if_nom or rec.ratings.i_rated or rec.supply.current_typ or I_FLOOR
    st = OutputState(pid, "current", a, b)
    st.state_low, st.state_high = (_current_state(x, rated) for x in (a, b))
    return st


def _level_state(share: float) -> str:
    return "on" if share >= LEVEL_ON else "off" if share <= LEVEL_OFF else "part"


def _current_state(amps: float, rated: float) -> str:
    return "on" if amps >= ON_SHARE * rated else "off" if amps <= OFF_SHARE * rated else "part"


def swap_hint(circuit: Circuit, library: Library, nl: Netlist, sensors: list[str]) -> str | None:
    """``swap_wires(S:far, R:far)``: the sensor and the fixed resistor it forms a divider with exchange
    places (the sensor's far end on a rail or ground, the resistor's far end on the other one), which
    turns the divider's response the other way round and leaves every other connection as it was."""
    for sid in sensors:
        ends = [ep for ep in nl.part_pins(sid) if nl.net_of(ep) is not None]
        if len(ends) != 2:
            continue
        for node_ep, far_ep in (ends, ends[::-1]):
            node, far = nl.net_of(node_ep), nl.net_of(far_ep)
            if nl.net_voltage(far) is None or nl.net_voltage(node) is not None:
                continue
            for ep in node.pins:
                pid = ep.split(":", 1)[0]
                rec = nl.record(pid)
                if pid == sid or rec is None or rec.spice.kind != "resistor" or rec.category == "sensor":
                    continue
                other = [x for x in nl.part_pins(pid) if x != ep and nl.net_of(x) is not None]
                if len(other) != 1:
                    continue
                v_other, v_far = nl.net_voltage(nl.net_of(other[0])), nl.net_voltage(far)
                if v_other is not None and v_other != v_far:
                    return f"swap_wires({far_ep}, {other[0]})"
    return None


__all__ = ["OutputState", "SwitchReading", "read_switching", "sensing_parts", "swap_hint"]
