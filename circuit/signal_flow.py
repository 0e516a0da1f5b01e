"""Which way signals flow through a circuit, from record data: what feeds the controller and what it drives.

A part on the controller's signal lines (directly or past a two-terminal part such as a series resistor) is an *input* when its record's
capabilities only sense (a sensor, a button, a knob) and an *output* when they only act (an LED, a buzzer, a
motor driver, a display); a part that does both, or neither (a radio, a level shifter, a resistor), has no
direction. A schematic reads left to right when inputs sit left of the controller and outputs right of it
(``circuit.schematic_lint`` measures that on the drawing).
"""

from __future__ import annotations

from circuit.netlist import Netlist
from circuit.net_kinds import net_kind

INPUT, OUTPUT = -1, 1

__all__ = ["INPUT", "OUTPUT", "controller", "directions", "part_direction"]


def part_direction(rec) -> int:
    """INPUT for a record whose capabilities only sense, OUTPUT for one that only acts, else 0."""
    if rec is None:
        return 0
    dirs = {c.direction for c in rec.provides}
    if ("sense" in dirs) == ("act" in dirs):
        return 0
    return INPUT if "sense" in dirs else OUTPUT


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
    """(controller, part -> INPUT or OUTPUT) for the parts on the controller's signal lines, directly or
    through two-terminal parts."""
    hub = controller(netlist)
    if hub is None:
        return None, {}
    signal = [n for n in netlist.nets if net_kind(netlist, n) == "signal"]
    by_part: dict[str, list] = {}
    for n in signal:
        for ep in n.pins:
            by_part.setdefault(ep.split(":", 1)[0], []).append(n)
    # the parts on the controller's lines, and past a series part (a resistor before an LED), not what
    # hangs beyond a module (a display's contrast knob is the display's, not an input of the controller)
    reached, queue = {hub}, [hub]
    while queue:
        pid = queue.pop()
        rec = netlist.library.get(netlist.parts[pid].type)
        if pid != hub and (rec is None or len(rec.pins) > 2):
            continue
        for n in by_part.get(pid, []):
            for ep in n.pins:
                other = ep.split(":", 1)[0]
                if other not in reached:
                    reached.add(other)
                    queue.append(other)
    out: dict[str, int] = {}
    for pid in sorted(reached - {hub}):
        d = part_direction(netlist.library.get(netlist.parts[pid].type))
        if d:
            out[pid] = d
    return hub, out
