"""Which way signals flow through a circuit, from record data: what feeds the controller and what it drives.

A part wired to the controller by signal nets (not only by supply or ground) is an *input* when its record's
capabilities only sense (a sensor, a button, a knob) and an *output* when they only act (an LED, a buzzer, a
motor driver, a display); a part that does both, or neither (a radio, a level shifter, a resistor), has no
direction. A schematic reads left to right when inputs sit left of the controller and outputs right of it
(``circuit.schematic_lint`` measures that on the drawing).
"""

from __future__ import annotations

from circuit.netlist import Netlist
from circuit.render.place import net_kind

INPUT, OUTPUT = -1, 1

__all__ = ["INPUT", "OUTPUT", "controller", "directions"]


def controller(netlist: Netlist) -> str | None:
    """The microcontroller (the one with the most connected pins when there are several), else None."""
    best, most = None, -1
    for pid, part in netlist.parts.items():
        rec = netlist.library.get(part.type)
        if rec is None or not rec.is_mcu:
            continue
        n = sum(1 for net in netlist.nets for ep in net.pins if ep.split(":", 1)[0] == pid)
        if n > most:
            best, most = pid, n
    return best


def directions(netlist: Netlist) -> tuple[str | None, dict[str, int]]:
    """(controller, part -> INPUT or OUTPUT) for the parts reached from the controller over signal nets."""
    hub = controller(netlist)
    if hub is None:
        return None, {}
    signal = [n for n in netlist.nets if net_kind(netlist, n) == "signal"]
    by_part: dict[str, list] = {}
    for n in signal:
        for ep in n.pins:
            by_part.setdefault(ep.split(":", 1)[0], []).append(n)
    reached, queue = {hub}, [hub]
    while queue:
        pid = queue.pop()
        for n in by_part.get(pid, []):
            for ep in n.pins:
                other = ep.split(":", 1)[0]
                if other not in reached:
                    reached.add(other)
                    queue.append(other)
    out: dict[str, int] = {}
    for pid in sorted(reached - {hub}):
        rec = netlist.library.get(netlist.parts[pid].type)
        if rec is None:
            continue
        dirs = {c.direction for c in rec.provides}
        if ("sense" in dirs) != ("act" in dirs):
            out[pid] = INPUT if "sense" in dirs else OUTPUT
    return hub, out
