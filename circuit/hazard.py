"""Hazard classes: which parts of a circuit carry a dangerous voltage, read from record data.

Every source and net gets a voltage class:

* **SELV** (safety extra-low voltage): at most 50 V AC (RMS) or 120 V ripple-free DC (IEC 61140);
* **hazardous**: above that;
* **mains**: hazardous, and fed from the wall (a record with ``safety.mains_source`` or a pin whose
  function is ``mains_live`` / ``mains_neutral``: a mains input, an outlet, an AC-DC module's input).

Hazard travels galvanically: along wires, and through a part from any of its pins to the others,
except across an isolation barrier the record declares (``isolation``: a relay's coil and contacts,
an optocoupler's LED and output, a transformer's windings, an isolated converter's input and output)
and except into a protective-earth pin. A *zone* is one such galvanically joined piece of the circuit;
a zone holding a hazardous source is hazardous as a whole, and anything of the low-voltage circuit
inside it (a controller, a ground pin, a supply pin of a part not rated for the voltage) is a fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.units import UnitError, parse_value
from knowledge.library import Library
from knowledge.record import ComponentRecord

SELV_AC_V = 50.0    # RMS
SELV_DC_V = 120.0   # ripple-free
MAINS_DEFAULT_V = 230.0
MAINS_FUNCTIONS = {"mains_live", "mains_neutral"}
EARTH_FUNCTION = "protective_earth"
LOW_VOLTAGE_TYPES = {"ground", "power_in", "power_out", "digital_in", "digital_out", "digital_io", "analog_in", "analog_out"}


class VoltageClass(str, Enum):
    SELV = "SELV"
    HAZARDOUS = "hazardous"
    MAINS = "mains"

    @property
    def hazardous(self) -> bool:
        return self is not VoltageClass.SELV


def classify(volts: float | None, *, ac: bool) -> VoltageClass:
    """SELV at or below 50 V AC / 120 V DC, hazardous above."""
    if volts is None:
        return VoltageClass.SELV
    return VoltageClass.HAZARDOUS if volts > (SELV_AC_V if ac else SELV_DC_V) else VoltageClass.SELV


# ---- what a record is ------------------------------------------------------------------------
def mains_pins(rec: ComponentRecord) -> list[str]:
    return [p.name for p in rec.pins if MAINS_FUNCTIONS & set(p.functions)]


def live_pin(rec: ComponentRecord) -> str | None:
    return next((p.name for p in rec.pins if "mains_live" in p.functions), None)


def neutral_pin(rec: ComponentRecord) -> str | None:
    return next((p.name for p in rec.pins if "mains_neutral" in p.functions), None)


def is_mains_source(rec: ComponentRecord) -> bool:
    return rec.safety.mains_source


def is_isolated_supply(rec: ComponentRecord) -> bool:
    """A converter with mains pins on one side of a declared barrier and a DC output on the other."""
    mains = set(mains_pins(rec))
    outs = {p.name for p in rec.pins_of_type("power_out")}
    return bool(mains and outs) and any(
        (mains <= set(b.side_a) and outs <= set(b.side_b)) or (mains <= set(b.side_b) and outs <= set(b.side_a))
        for b in rec.isolation)


def is_mains_load(rec: ComponentRecord) -> bool:
    """A part the mains feeds (an outlet, an appliance terminal): mains pins, not a source, no barrier."""
    return bool(live_pin(rec)) and not is_mains_source(rec) and not is_isolated_supply(rec)


def is_dc_source(rec: ComponentRecord) -> bool:
    """A battery, cell, adapter or bench supply: a DC source of its own (not a converter fed from elsewhere)."""
    return rec.spice.kind == "battery" and bool(rec.pins_of_type("power_out")) and not mains_pins(rec)


CONTACT_FUNCTIONS = ("contact_common", "contact_no", "contact_nc")


def contact_pins(rec: ComponentRecord) -> dict[str, str]:
    """Switch-contact function -> the part's pin serving it (first of each), e.g. {"contact_no": "NO"}."""
    out: dict[str, str] = {}
    for p in rec.pins:
        for f in CONTACT_FUNCTIONS:
            if f in p.functions and f not in out:
                out[f] = p.name
    return out


def isolated_contacts(rec: ComponentRecord) -> bool:
    """Switch contacts on their own side of a declared isolation barrier (a relay, a relay module)."""
    names = {p.name for p in rec.pins if set(CONTACT_FUNCTIONS) & set(p.functions)}
    return bool(names) and any(names <= set(b.side_a) or names <= set(b.side_b) for b in rec.isolation)


def is_cell(rec: ComponentRecord) -> bool:
    return rec.safety.cell is not None


def attr_volts(attrs: dict, key: str = "voltage") -> float | None:
    raw = attrs.get(key)
    if raw is None:
        return None
    try:
        return parse_value(raw, "V")
    except (UnitError, ValueError):
        return None


def sections(rec: ComponentRecord) -> list[list[str]]:
    """The part's pins in galvanic sections: each side of each declared barrier, every other pin together;
    a protective-earth pin joins nothing."""
    listed: set[str] = set()
    out: list[list[str]] = []
    for b in rec.isolation:
        out += [list(b.side_a), list(b.side_b)]
        listed |= set(b.side_a) | set(b.side_b)
    earth = {p.name for p in rec.pins if EARTH_FUNCTION in p.functions}
    rest = [n for n in rec.pin_names if n not in listed and n not in earth]
    if rest:
        out.append(rest)
    return out


# ---- the map over one circuit ----------------------------------------------------------------
@dataclass
class Seed:
    endpoint: str
    volts: float | None      # None: a mains pin whose voltage comes from its source (230 V assumed)
    ac: bool
    mains: bool
    why: str
    source: bool = False     # the part is the source of the voltage (not a load's mains terminal)


@dataclass
class Zone:
    key: str
    nodes: set[str] = field(default_factory=set)
    seeds: list[Seed] = field(default_factory=list)

    @property
    def _drivers(self) -> list[Seed]:
        """The seeds that set the zone's voltage: its sources, else the mains terminals of its loads."""
        return [s for s in self.seeds if s.source] or self.seeds

    @property
    def mains(self) -> bool:
        return any(s.mains for s in self._drivers)

    @property
    def volts(self) -> float:
        known = [s.volts for s in self._drivers if s.volts is not None]
        return max(known) if known else MAINS_DEFAULT_V

    @property
    def ac(self) -> bool:
        return any(s.ac for s in self._drivers)

    @property
    def klass(self) -> VoltageClass:
        if not self.seeds:
            return VoltageClass.SELV
        if not classify(self.volts, ac=self.ac).hazardous:
            return VoltageClass.SELV
        return VoltageClass.MAINS if self.mains else VoltageClass.HAZARDOUS

    @property
    def seed_parts(self) -> list[str]:
        return list(dict.fromkeys(s.endpoint.split(":", 1)[0] for s in self.seeds))


class HazardMap:
    """Voltage classes of every zone, net and part of one circuit."""

    def __init__(self, circuit: Circuit, library: Library, netlist: Netlist | None = None):
        self.circuit = circuit
        self.library = library
        self.nl = netlist or Netlist(circuit, library)
        self.parts = {p.id: p for p in circuit.parts}

    def rec(self, pid: str) -> ComponentRecord | None:
        return self.nl.record(pid)

    def node(self, ep: str) -> str:
        net = self.nl.net_of(ep)
        return f"net:{net.name}" if net is not None else f"pin:{ep}"

    def source_volts(self, pid: str) -> float | None:
        """The voltage a source part provides (attrs.voltage, else its record)."""
        rec, part = self.rec(pid), self.parts.get(pid)
        if rec is None or part is None:
            return None
        if rec.safety.mains_source:
            return attr_volts(part.attrs) or rec.safety.v_ac or MAINS_DEFAULT_V
        volts = [v for p in rec.pins_of_type("power_out") if (v := self.nl.rail_voltage_of_pin(f"{pid}:{p.name}")) is not None]
        return max(volts) if volts else None

    def source_class(self, pid: str) -> VoltageClass:
        rec = self.rec(pid)
        if rec is None:
            return VoltageClass.SELV
        if rec.safety.mains_source:
            return VoltageClass.MAINS if classify(self.source_volts(pid), ac=True).hazardous else VoltageClass.SELV
        if is_dc_source(rec):
            return classify(self.source_volts(pid), ac=False)
        return VoltageClass.SELV

    @cached_property
    def seeds(self) -> list[Seed]:
        out: list[Seed] = []
        for pid in self.parts:
            rec = self.rec(pid)
            if rec is None:
                continue
            mp = mains_pins(rec)
            if rec.safety.mains_source:
                v = self.source_volts(pid)
                out += [Seed(f"{pid}:{n}", v, True, True, f"{rec.name} {pid}", source=True) for n in mp]
            elif mp:
                out += [Seed(f"{pid}:{n}", None, True, True, f"{rec.name} {pid} (a mains part)") for n in mp]
            elif is_dc_source(rec) and self.source_class(pid).hazardous:
                v = self.source_volts(pid)
                out += [Seed(f"{pid}:{n}", v, False, False, f"{rec.name} {pid} at {v:g} V DC", source=True)
                        for n in rec.pin_names]
        return out

    @cached_property
    def _dsu(self) -> dict[str, str]:
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for pid in self.parts:
            rec = self.rec(pid)
            if rec is None:
                continue
            for sec in sections(rec):
                nodes = [self.node(f"{pid}:{n}") for n in sec]
                for n in nodes[1:]:
                    ra, rb = find(nodes[0]), find(n)
                    if ra != rb:
                        parent[rb] = ra
        for n in self.nl.nets:
            find(f"net:{n.name}")
        return {k: find(k) for k in list(parent)}

    def zone_key(self, ep: str) -> str:
        n = self.node(ep)
        return self._dsu.get(n, n)

    @cached_property
    def zones(self) -> list[Zone]:
        """The hazardous zones (SELV zones are not listed)."""
        by_key: dict[str, Zone] = {}
        for s in self.seeds:
            k = self.zone_key(s.endpoint)
            by_key.setdefault(k, Zone(key=k)).seeds.append(s)
        for node, root in self._dsu.items():
            if root in by_key:
                by_key[root].nodes.add(node)
        for z in by_key.values():
            for s in z.seeds:
                z.nodes.add(self.node(s.endpoint))
        return [z for z in by_key.values() if z.klass.hazardous]

    def zone_of(self, ep: str) -> Zone | None:
        k = self.zone_key(ep)
        return next((z for z in self.zones if z.key == k), None)

    def pins_in(self, zone: Zone) -> list[str]:
        """Endpoints of every pin of every part that has a pin in the zone, if that pin is in it."""
        out = []
        for pid in self.parts:
            rec = self.rec(pid)
            if rec is None:
                continue
            for n in rec.pin_names:
                ep = f"{pid}:{n}"
                if self.node(ep) in zone.nodes:
                    out.append(ep)
        return out

    def net_class(self, net_name: str) -> VoltageClass:
        node = f"net:{net_name}"
        root = self._dsu.get(node, node)
        z = next((z for z in self.zones if z.key == root), None)
        return z.klass if z else VoltageClass.SELV

    @cached_property
    def hazardous_pins(self) -> list[str]:
        return [ep for z in self.zones for ep in self.pins_in(z)]

    @cached_property
    def hazardous_parts(self) -> list[str]:
        """Parts with a pin on the hazardous side (a relay whose contacts switch mains is one)."""
        return list(dict.fromkeys(ep.split(":", 1)[0] for ep in self.hazardous_pins))

    @property
    def has_hazard(self) -> bool:
        return bool(self.zones)

    def headline(self) -> str | None:
        """'230 V AC mains' / '150 V DC' for the worst zone, or None."""
        if not self.zones:
            return None
        z = max(self.zones, key=lambda z: (z.mains, z.volts))
        return f"{z.volts:g} V AC mains" if z.mains else f"{z.volts:g} V {'AC' if z.ac else 'DC'}"

    def rated_for(self, ep: str, volts: float) -> bool:
        """The pin (or its part) is rated for ``volts`` on it."""
        pin = self.nl.pin(ep)
        rec = self.rec(ep.split(":", 1)[0])
        if pin is None or rec is None:
            return False
        limits = [x for x in (pin.v_max, rec.supply.v_abs_max, rec.supply.v_max) if x is not None]
        return bool(limits) and max(limits) >= volts

    def low_voltage_pins(self, zone: Zone) -> list[str]:
        """Pins of the low-voltage circuit caught in a hazardous zone: a controller's pins, grounds, supply
        and logic pins of parts not rated for the zone's voltage (never the hazardous sources themselves)."""
        seeds = set(zone.seed_parts)
        out = []
        for ep in self.pins_in(zone):
            pid = ep.split(":", 1)[0]
            if pid in seeds:
                continue
            rec, pin = self.rec(pid), self.nl.pin(ep)
            if rec is None or pin is None:
                continue
            if rec.is_mcu or (pin.type in LOW_VOLTAGE_TYPES and not self.rated_for(ep, zone.volts)):
                out.append(ep)
        return out


__all__ = [
    "SELV_AC_V", "SELV_DC_V", "VoltageClass", "classify", "HazardMap", "Zone", "Seed", "mains_pins", "live_pin",
    "neutral_pin", "is_mains_source", "is_mains_load", "is_isolated_supply", "is_dc_source", "is_cell", "sections",
    "safety_banner",
]


# ---- what people read ------------------------------------------------------------------------
def safety_banner(circuit: Circuit | dict, library: Library | None = None) -> str | None:
    """A plain safety warning for a design with a hazardous net (None without one): it opens the report,
    the wiring list and the chat answer."""
    library = library or Library.default()
    if isinstance(circuit, dict):
        try:
            circuit = Circuit.model_validate(circuit)
        except ValueError:
            return None
    hm = HazardMap(circuit, library)
    what = hm.headline()
    if what is None:
        return None
    parts = ", ".join(hm.hazardous_parts[:8])
    return (f"DANGER: this design carries {what} ({parts}), which can kill. Build that side inside a closed, "
            "insulated enclosure, keep the fuse in the live wire, keep it apart from the low-voltage board (no shared "
            "ground), and never touch or work on it while it is plugged in. If you are a beginner, do not wire mains "
            "yourself: use a certified smart plug or an enclosed, certified relay module instead.")
