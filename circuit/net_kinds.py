"""What kind of net a net is, for drawing and wiring lists: the circuit ground, a supply rail, or a signal."""

from __future__ import annotations

import re

from circuit.netlist import Netlist

_N_NET = re.compile(r"^N\d+$")

__all__ = ["net_kind"]


def net_kind(netlist: Netlist, net) -> str:
    """``gnd`` (drawn with ground symbols), ``rail`` (drawn with rail labels) or ``signal`` (wired)."""
    types = {p.type for _, p in netlist.pins_on(net) if p is not None}
    if net.name in netlist.ground_nets:
        return "gnd"
    if "power_out" in types and not _N_NET.match(net.name):
        return "rail"
    return "signal"
