"""How each microcontroller pin is driven in the DC operating point.

CircuitJSON does not say which GPIO the firmware makes an output; the wiring does. A pin is
an **output** when it feeds something that takes current (an LED or diode, a motor or coil,
a transistor base or gate, a module input or supply pin); otherwise it is an **input**,
read through whatever sets its level (a pull-up, a divider, a sensor's output). An output
is driven **HIGH** when its load returns to ground (the worst case for sourcing) and **LOW**
when its load hangs from a supply rail (an LED wired to 5 V lights when the pin sinks).
"""

from __future__ import annotations

from dataclasses import dataclass

from circuit.netlist import Net, Netlist
from circuit.led_colors import rgb_channel
from knowledge.record import ComponentRecord

__all__ = ["Drive", "plan_drives", "effective_kind", "terminal_pins", "led_channels", "RESISTIVE_KINDS", "LOAD_KINDS"]

RESISTIVE_KINDS = {"resistor", "potentiometer", "inductor"}
LOAD_KINDS = {"led", "diode", "zener", "load"}
MODULE_KINDS = {"module", "opamp", "subckt", "ic"}


@dataclass(frozen=True)
class Drive:
    output: bool
    high: bool = True
    why: str = ""

    @property
    def label(self) -> str:
        if not self.output:
            return "input (high impedance)"
        return "output driven HIGH" if self.high else "output driven LOW"


def effective_kind(rec: ComponentRecord) -> str:
    """The SPICE kind a record is modelled as; records without one fall back on what their pins say."""
    kind = rec.spice.kind
    if kind != "none":
        return kind
    if rec.category == "microcontroller":
        return "mcu"
    if rec.pins_of_type("power_in", "power_out") and rec.pins_of_type("ground"):
        return "module"
    return "none"


_ROLE_NAMES = {
    "npn": (("collector", "C"), ("base", "B"), ("emitter", "E")),
    "pnp": (("collector", "C"), ("base", "B"), ("emitter", "E")),
    "nmos": (("drain", "D"), ("gate", "G"), ("source", "S")),
    "pmos": (("drain", "D"), ("gate", "G"), ("source", "S")),
    "diode": (("anode", "A"), ("cathode", "K")),
    "zener": (("anode", "A"), ("cathode", "K")),
    "led": (("anode", "A"), ("cathode", "K")),
}


def terminal_pins(rec: ComponentRecord, kind: str | None = None) -> list[str]:
    """Pin names in SPICE terminal order: the record's ``spice.terminals``, else found by
    function tag or usual name (C B E, D G S, anode cathode), else the first pins."""
    if rec.spice.terminals:
        return list(rec.spice.terminals)
    kind = kind or effective_kind(rec)
    roles = _ROLE_NAMES.get(kind)
    if roles:
        out = []
        for func, short in roles:
            found = rec.pins_with(func)
            if not found:
                p = rec.pin(short) or rec.pin(short.lower()) or rec.pin(func)
                found = [p] if p else []
            if not found:
                break
            out.append(found[0].name)
        if len(out) == len(roles):
            return out
        if kind in ("diode", "zener", "led") and rec.pin("+") and rec.pin("-"):
            return [rec.pin("+").name, rec.pin("-").name]
    names = rec.pin_names
    if kind in ("resistor", "capacitor", "inductor", "switch", "diode", "zener", "led", "battery", "load"):
        return names[:2]
    if kind == "potentiometer":
        return names[:3]
    return names


def led_channels(rec: ComponentRecord, attrs: dict | None = None) -> list[tuple[str, str, str | None]]:
    """The diodes inside an LED part as ``(anode pin, cathode pin, colour or None)``: one for a plain
    LED, one per colour or segment for an RGB LED or a 7-segment display sharing a COM pin. The
    common pin is an anode when ``attrs.common == "anode"`` or the record tags it anode."""
    attrs = attrs or {}
    terms = terminal_pins(rec, "led")
    commons = [n for n in rec.pin_names if n.upper().startswith("COM")]
    if not commons:
        return [(terms[0], terms[1], None)] if len(terms) >= 2 else []
    common = commons[0]
    said = str(attrs.get("common", "")).strip().lower()
    cpin = rec.pin(common)
    anode_common = said == "anode" or (
        said != "cathode" and cpin is not None and bool({"anode", "led_anode"} & set(cpin.functions))
    )
    out: list[tuple[str, str, str | None]] = []
    for n in rec.pin_names:
        p = rec.pin(n)
        if n in commons or p is None or p.type in ("nc", "power_in", "power_out", "ground"):
            continue
        colour = rgb_channel(rec, n)  # an RGB LED's channel; its forward voltage: circuit.led_colors
        out.append((common, n, colour) if anode_common else (n, common, colour))
    return out


class _Topology:
    """Which pins conduct to which at DC, for the drive decision."""

    def __init__(self, nl: Netlist) -> None:
        self.nl = nl
        self.resistive: dict[str, list[str]] = {}  # endpoint -> endpoints reached through a resistive part
        self.loadlink: dict[str, list[str]] = {}   # endpoint -> endpoints reached through a load
        self.load_pins: set[str] = set()
        self.mcu_parts: set[str] = set()
        for pid in nl.parts:
            rec = nl.record(pid)
            if rec is None:
                continue
            kind = effective_kind(rec)
            eps = [f"{pid}:{n}" for n in terminal_pins(rec, kind)]
            if kind == "mcu":
                self.mcu_parts.add(pid)
            elif kind in RESISTIVE_KINDS:
                self._link(self.resistive, eps)
            elif kind == "led":
                for a, k, _ in led_channels(rec, nl.parts[pid].attrs):
                    self.load_pins.update((f"{pid}:{a}", f"{pid}:{k}"))
                    self._link(self.loadlink, [f"{pid}:{a}", f"{pid}:{k}"])
            elif kind in LOAD_KINDS:
                self.load_pins.update(eps)
                if kind == "load" and len(eps) >= 2 and len(eps) % 2 == 0:
                    for i in range(0, len(eps), 2):
                        self._link(self.loadlink, eps[i : i + 2])
                else:
                    self._link(self.loadlink, eps)
            elif kind in ("npn", "pnp", "nmos", "pmos") and len(eps) == 3:
                self.load_pins.add(eps[1])  # base / gate
                self._link(self.loadlink, [eps[1], eps[2]])
            elif kind in MODULE_KINDS or kind == "regulator":
                pins_in = [f"{pid}:{p.name}" for p in rec.pins_of_type("power_in")]
                gnds = [f"{pid}:{p.name}" for p in rec.pins_of_type("ground")]
                self.load_pins.update(pins_in)
                self.load_pins.update(f"{pid}:{p.name}" for p in rec.pins_of_type("digital_in"))
                for a in pins_in:
                    for g in gnds[:1]:
                        self._link(self.loadlink, [a, g])

    @staticmethod
    def _link(table: dict[str, list[str]], eps: list[str]) -> None:
        for a in eps:
            for b in eps:
                if a != b:
                    table.setdefault(a, []).append(b)

    def is_driver(self, ep: str, own_part: str) -> bool:
        pid = ep.split(":", 1)[0]
        if pid == own_part:
            return False
        pin = self.nl.pin(ep)
        if pin is None:
            return False
        if pin.type in ("power_out", "ground"):
            return True
        return pin.type in ("digital_out", "analog_out") and pid not in self.mcu_parts

    def walk(self, start: Net, tables: list[dict[str, list[str]]], own_part: str) -> list[Net]:
        seen = [start]
        i = 0
        while i < len(seen):
            net = seen[i]
            i += 1
            for ep in net.pins:
                if ep.split(":", 1)[0] == own_part:
                    continue
                for table in tables:
                    for other in table.get(ep, []):
                        n2 = self.nl.net_of(other)
                        if n2 is not None and n2 not in seen:
                            seen.append(n2)
        return seen


def plan_drives(nl: Netlist) -> dict[str, Drive]:
    """The drive of every connected MCU signal pin, keyed by endpoint."""
    topo = _Topology(nl)
    out: dict[str, Drive] = {}
    for pid in topo.mcu_parts:
        rec = nl.record(pid)
        assert rec is not None
        for pin in rec.pins:
            ep = f"{pid}:{pin.name}"
            if ep in out:
                continue
            net = nl.net_of(ep)
            if net is None:
                continue
            if pin.type in ("digital_in", "analog_in"):
                out[ep] = Drive(False, why="an input-only pin")
                continue
            if pin.type not in ("digital_io", "digital_out", "analog_out"):
                continue
            if "uart_tx" in pin.functions and any(
                (q := nl.pin(o)) is not None and "uart_rx" in q.functions for o in net.pins if not o.startswith(pid + ":")
            ):
                out[ep] = Drive(True, True, why="a UART transmit line, which idles HIGH")
                continue
            out[ep] = _decide(topo, pid, pin.type, net)
    return out


# Buses whose lines are open-drain: the MCU only ever pulls them low, the pull-ups set the high level.
OPEN_DRAIN_FUNCTIONS = {"i2c_sda", "i2c_scl", "onewire", "open_drain"}


def _decide(topo: _Topology, pid: str, ptype: str, net: Net) -> Drive:
    nl = topo.nl
    if ptype != "digital_out" and any(topo.is_driver(ep, pid) for ep in net.pins):
        return Drive(False, why="something else drives this net")
    if any(
        (p := nl.pin(ep)) is not None and OPEN_DRAIN_FUNCTIONS & set(p.functions)
        for ep in net.pins if not ep.startswith(pid + ":")
    ):
        return Drive(False, why="an open-drain bus line (I2C, 1-Wire): the pull-ups set its high level")
    resistive = topo.walk(net, [topo.resistive], pid)
    has_load = any(ep in topo.load_pins for n in resistive for ep in n.pins if not ep.startswith(pid + ":"))
    if not has_load:
        if ptype == "digital_out":
            return Drive(True, True, why="an output-only pin")
        driven = any(topo.is_driver(ep, pid) for n in resistive for ep in n.pins)
        return Drive(False, why="read through a pull resistor or divider" if driven else "nothing on it takes current")
    reach = topo.walk(net, [topo.resistive, topo.loadlink], pid)
    to_ground = any(
        n.name == "GND" or any((p := nl.pin(ep)) is not None and p.type == "ground" for ep in n.pins) for n in reach
    )
    to_rail = any(
        (p := nl.pin(ep)) is not None and p.type == "power_out" and not ep.startswith(pid + ":")
        for n in reach
        for ep in n.pins
    ) or any(
        (p := nl.pin(ep)) is not None and p.type == "power_out" and ep.startswith(pid + ":")
        for n in reach[1:]
        for ep in n.pins
    )
    if to_rail and not to_ground:
        return Drive(True, False, why="its load hangs from a supply rail, so the pin sinks it")
    return Drive(True, True, why="its load returns to ground, so the pin sources it")
