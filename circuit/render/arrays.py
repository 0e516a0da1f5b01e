"""Arrays on the schematic: many identical parts drawn once, with a count.

Two shapes of repetition are found in the netlist (never from part names):

- a **chain**: parts of one type, each one's output pin the only other pin on the next one's input
  net (a strip of addressable LEDs, daisy-chained shift registers), sharing every other net. It is
  drawn as its first part, whose output pin carries the net the last part's output drives;
- **parallel copies**: groups of parts joined only among themselves (an LED and its resistor) whose
  types, values and outside nets are the same (four LEDs each with a resistor across one switched
  line, three 100 nF capacitors across one rail). The first copy is drawn; the others are counted.

The netlist keeps every part and net; only the drawing folds them, so net names agree with the
other outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from circuit.netlist import Netlist

MIN_CHAIN = 3    # links before a chain is folded
MIN_COPIES = 3   # copies before parallel groups are folded


@dataclass
class Array:
    members: list[str]                                        # part ids; the first is drawn
    copies: int                                               # how many the symbol stands for
    pin_net: dict[str, str] = field(default_factory=dict)     # drawn part's pin -> net it shows instead
    hidden: list[str] = field(default_factory=list)           # parts not drawn

    @property
    def first(self) -> str:
        return self.members[0]

    def label(self) -> str:
        return f"{self.members[0]}…{self.members[-1]} ×{self.copies}"


def _pin_type(netlist: Netlist, ep: str) -> str | None:
    p = netlist.pin(ep)
    return p.type if p is not None else None


def _value(part) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in part.attrs.items() if k not in ("label", "name")))


def find_arrays(netlist: Netlist, kinds: dict[str, str]) -> list[Array]:
    """The chains and parallel copies worth folding, each part in at most one array. ``kinds``: net name
    -> ``signal`` / ``rail`` / ``gnd`` (how the sheet draws it)."""
    parts = netlist.parts
    nets_of: dict[str, dict[str, str]] = {}
    for net in netlist.nets:
        for ep in net.pins:
            pid, pin = ep.split(":", 1)
            nets_of.setdefault(pid, {})[pin] = net.name
    used: set[str] = set()
    out = _chains(netlist, nets_of, used)
    out += _copies(netlist, nets_of, used, kinds)
    return out


def _chains(netlist: Netlist, nets_of: dict[str, dict[str, str]], used: set[str]) -> list[Array]:
    nxt: dict[str, tuple[str, str, str]] = {}   # part -> (its out pin, next part, next's in pin)
    prev: dict[str, str] = {}
    for net in netlist.nets:
        if len(net.pins) != 2:
            continue
        (a, pa), (b, pb) = (ep.split(":", 1) for ep in net.pins)
        if a == b or netlist.parts[a].type != netlist.parts[b].type:
            continue
        ta, tb = _pin_type(netlist, net.pins[0]), _pin_type(netlist, net.pins[1])
        if (ta, tb) == ("digital_in", "digital_out"):
            (a, pa), (b, pb) = (b, pb), (a, pa)
        elif (ta, tb) != ("digital_out", "digital_in"):
            continue
        if a in nxt or b in prev:
            continue
        nxt[a] = (pa, b, pb)
        prev[b] = a
    out = []
    for start in [p for p in nxt if p not in prev]:
        members, cur, seen = [start], start, {start}
        while cur in nxt and nxt[cur][1] not in seen:
            cur = nxt[cur][1]
            members.append(cur)
            seen.add(cur)
        if len(members) < MIN_CHAIN + 1:
            continue
        out_pin, _, in_pin = nxt[start]
        # every other pin of every member on the same net as the first one's
        rest = {p: n for p, n in nets_of.get(start, {}).items() if p not in (out_pin, in_pin)}
        if any({p: n for p, n in nets_of.get(m, {}).items() if p not in (out_pin, in_pin)} != rest
               for m in members[1:]):
            continue
        last_out = nets_of.get(members[-1], {}).get(out_pin)
        arr = Array(members, len(members), hidden=members[1:])
        if last_out is not None:
            arr.pin_net[out_pin] = last_out
        out.append(arr)
        used.update(members)
    return out


def _copies(netlist: Netlist, nets_of: dict[str, dict[str, str]], used: set[str],
            kinds: dict[str, str]) -> list[Array]:
    # groups: parts joined by nets that touch nothing outside the group
    size = {n.name: len({ep.split(":", 1)[0] for ep in n.pins}) for n in netlist.nets}
    owner: dict[str, set[str]] = {}
    for n in netlist.nets:
        owner[n.name] = {ep.split(":", 1)[0] for ep in n.pins}
    parent = {pid: pid for pid in netlist.parts if pid not in used}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for n in netlist.nets:
        pids = [p for p in owner[n.name] if p in parent]
        if size[n.name] == 2 and len(pids) == 2:
            parent[find(pids[0])] = find(pids[1])
    groups: dict[str, list[str]] = {}
    order = {pid: i for i, pid in enumerate(netlist.parts)}
    for pid in parent:
        groups.setdefault(find(pid), []).append(pid)
    sigs: dict[tuple, list[list[str]]] = {}
    for members in groups.values():
        if len(members) > 3 or not any(nets_of.get(m) for m in members):
            continue
        inside = {n for m in members for n in nets_of.get(m, {}).values() if owner[n] <= set(members)}
        outside = {n for m in members for n in nets_of.get(m, {}).values()} - inside
        # companions across the rails alone (a 100 nF at each IC) each serve their own part: not folded
        if not any(kinds.get(n) == "signal" for n in outside):
            continue

        def role(m: str) -> tuple:
            part = netlist.parts[m]
            pins = tuple(sorted((p, "*" if n in inside else n) for p, n in nets_of.get(m, {}).items()))
            return (part.type, _value(part), pins)

        members.sort(key=lambda m: (role(m), order[m]))
        sigs.setdefault(tuple(role(m) for m in members), []).append(members)
    out = []
    for copies in sigs.values():
        if len(copies) < MIN_COPIES:
            continue
        copies.sort(key=lambda ms: order[ms[0]])
        first = copies[0]
        for ms in copies:
            used.update(ms)
        for i, pid in enumerate(first):
            same_role = [ms[i] for ms in copies]
            out.append(Array(same_role, len(copies), hidden=same_role[1:]))
    return out
