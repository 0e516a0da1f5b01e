"""What every ERC rule needs to know about a circuit, computed once.

The rules reason over three views of connectivity:

* **nets** — pins joined by wires (and by a part's internal groups), from :class:`circuit.netlist.Netlist`;
* **hard groups** — nets joined through anything that is a DC short: a resistor of 1 Ω or less
  (zero-ohm links), an inductor, a part whose record is a wire/jumper, and a switch or jumper whose
  attrs say it is closed (``"closed": true`` / ``"state": "closed"``). A supply short and two
  rails tied together are found on these;
* **switched groups** — hard groups further joined through switch contacts (push-buttons, slide
  switches, relay contacts) as if every switch were pressed: the worst case for the voltage a
  pin can see.

A push-button is open by default, so a button alone is never a short; a button that joins a rail
straight to ground shorts the supply every time it is pressed, which the power rules report as a
Major finding of its own (``ERC-SWITCH-SHORTS-SUPPLY``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from circuit.findings import Finding, Severity
from circuit.model import Circuit, Part, split_endpoint
from circuit.netlist import Net, Netlist
from circuit.power_feed import fed_power_pins
from circuit.units import UnitError, format_value, parse_value
from knowledge.library import Library
from knowledge.record import ComponentRecord, Pin

ZERO_OHM = 1.0  # a resistor at or below this is a wire as far as shorts are concerned
V_TOL = 0.1  # volts of slack before a voltage counts as "above" a limit

# pin types that are a supply rail or ground
RAIL_TYPES = ("power_out", "ground")
SWITCH_FUNCTIONS = {"contact_common", "contact_no", "contact_nc"}
OPEN_DRAIN_BUS = {"i2c_sda", "i2c_scl", "data", "onewire"}
I2C_ROLES = {"i2c_sda", "i2c_scl"}
CLOSED_WORDS = {"closed", "on", "shorted", "true", "1", "yes"}


def _truthy(v: object) -> bool:
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() in CLOSED_WORDS


class _DSU:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


@dataclass
class Group:
    """A set of nets joined by DC shorts (hard) or also by switches (switched)."""

    key: str
    nets: list[Net] = field(default_factory=list)

    @property
    def pins(self) -> list[str]:
        return [p for n in self.nets for p in n.pins]


class ErcContext:
    """The netlist, the records and the derived views every rule shares."""

    def __init__(self, circuit: Circuit, library: Library):
        self.circuit = circuit
        self.library = library
        self.nl = Netlist(circuit, library)
        self.parts: dict[str, Part] = {p.id: p for p in circuit.parts}
        self.findings: list[Finding] = []
        # board rail pins an outside supply feeds (ESP32 VIN from a battery): inputs, not sources
        self.fed: dict[str, str] = fed_power_pins(self.nl)

    # ---- reporting ------------------------------------------------------------------
    def add(self, rule: str, severity: Severity, message: str, where: list[str], fix: str | None = None) -> None:
        self.findings.append(
            Finding(rule=rule, severity=severity, message=message, where=list(dict.fromkeys(where)), fix=fix, source="erc")
        )

    # ---- parts and pins -------------------------------------------------------------
    def rec(self, pid: str) -> ComponentRecord | None:
        return self.nl.record(pid)

    def pin(self, ep: str) -> Pin | None:
        return self.nl.pin(ep)

    def part_of(self, ep: str) -> str:
        return ep.split(":", 1)[0]

    def pin_name(self, ep: str) -> str:
        return ep.split(":", 1)[1]

    def label(self, pid: str) -> str:
        """'the LED LED1' style name for messages."""
        rec = self.rec(pid)
        return f"{rec.name} {pid}" if rec else pid

    def kind(self, pid: str) -> str:
        rec = self.rec(pid)
        return rec.spice.kind if rec else "none"

    def is_mcu(self, pid: str) -> bool:
        rec = self.rec(pid)
        return bool(rec and rec.is_mcu)

    def value(self, pid: str) -> float | None:
        """The part's value (Ω, F, H) from its attrs, or the record's default; None if unreadable."""
        part, rec = self.parts.get(pid), self.rec(pid)
        if part is None or rec is None or not rec.value_attr:
            return None
        raw = part.attrs.get(rec.value_attr, rec.default_value)
        if raw is None:
            return None
        try:
            return parse_value(raw, rec.value_unit)
        except (UnitError, ValueError):
            return None

    def is_resistor(self, pid: str) -> bool:
        return self.kind(pid) == "resistor"

    def is_capacitor(self, pid: str) -> bool:
        return self.kind(pid) == "capacitor"

    def is_led(self, pid: str) -> bool:
        rec = self.rec(pid)
        return bool(rec and (rec.flags.needs_series_resistor or rec.spice.kind == "led"))

    def is_diode(self, pid: str) -> bool:
        """A rectifier/zener/TVS diode (not an LED)."""
        return self.kind(pid) in ("diode", "zener")

    def is_switch(self, pid: str) -> bool:
        rec = self.rec(pid)
        if rec is None:
            return False
        if rec.spice.kind == "switch":
            return True
        return rec.category == "input" and len(rec.pin_names) == 2 and all(
            SWITCH_FUNCTIONS & set(p.functions) for p in rec.pins
        )

    def is_closed(self, pid: str) -> bool:
        part = self.parts.get(pid)
        if part is None:
            return False
        return any(_truthy(part.attrs[k]) for k in ("closed", "state", "jumper") if k in part.attrs)

    def is_short_element(self, pid: str) -> bool:
        """A part that is a DC short: ≤1 Ω resistor, inductor, wire/jumper, a switch declared closed."""
        k = self.kind(pid)
        if k == "resistor":
            v = self.value(pid)
            return v is not None and v <= ZERO_OHM
        if k == "inductor":
            return True
        rec = self.rec(pid)
        if rec is not None and rec.key in ("wire", "jumper", "jumper-wire", "zero-ohm-resistor"):
            return True
        if self.is_switch(pid) and self.is_closed(pid):
            return True
        return False

    def other_terminal(self, ep: str) -> str | None:
        """For a two-terminal part, the endpoint of its other pin."""
        pid = self.part_of(ep)
        rec = self.rec(pid)
        if rec is None or len(rec.pin_names) != 2:
            return None
        name = self.pin_name(ep)
        p = rec.pin(name)
        if p is None:
            return None
        others = [n for n in rec.pin_names if n != p.name]
        return f"{pid}:{others[0]}" if others else None

    def connected(self, ep: str) -> bool:
        return self.nl.net_of(ep) is not None

    def net(self, ep: str) -> Net | None:
        return self.nl.net_of(ep)

    def others_on_net(self, ep: str, *, same_part: bool = False) -> list[str]:
        net = self.net(ep)
        if net is None:
            return []
        pid = self.part_of(ep)
        own = set(self._own_pins(ep))
        return [p for p in net.pins if p not in own and (same_part or self.part_of(p) != pid)]

    def drivers_on_net(self, ep: str) -> list[tuple[str, float]]:
        """(endpoint, volts) of every pin on ep's net that drives a level (:meth:`drive_voltage`), memoised per net."""
        net = self.net(ep)
        if net is None:
            return []
        memo = self.__dict__.setdefault("_drivers_memo", {})
        if id(net) not in memo or memo[id(net)][0] is not net:
            memo[id(net)] = (net, [(o, v) for o in net.pins if (v := self.drive_voltage(o)) is not None])
        return list(memo[id(net)][1])

    def _own_pins(self, ep: str) -> list[str]:
        sp = split_endpoint(ep)
        if sp is None:
            return [ep]
        rec = self.rec(sp[0])
        if rec is None:
            return [ep]
        p = rec.pin(sp[1])
        return [f"{sp[0]}:{p.name}"] if p else [ep]

    # ---- pin roles ------------------------------------------------------------------
    @staticmethod
    def can_drive(pin: Pin | None) -> bool:
        """A push-pull output (or GPIO) that can force its net high and low."""
        if pin is None:
            return False
        if "input_only" in pin.functions:
            return False
        return pin.type in ("digital_out", "analog_out", "digital_io")

    @staticmethod
    def is_open_drain(pin: Pin | None) -> bool:
        return bool(pin and "open_drain" in pin.functions)

    def on_open_drain_bus(self, ep: str) -> bool:
        memo = self.__dict__.setdefault("_odb_memo", {})
        if ep not in memo:
            memo[ep] = self._on_open_drain_bus(ep)
        return memo[ep]

    def _on_open_drain_bus(self, ep: str) -> bool:
        """True when the pin sits on an I2C / one-wire / single-bus data line with an open-drain partner:
        the bus protocol then only pulls the line LOW and never drives it HIGH (Wire, DHT, OneWire)."""
        pin = self.pin(ep)
        if pin is None:
            return False
        pid = self.part_of(ep)
        mine = I2C_ROLES & set(pin.functions)
        for o in self.others_on_net(ep):
            q = self.pin(o)
            if q is None or self.part_of(o) == pid:
                continue
            if self.is_open_drain(q) and OPEN_DRAIN_BUS & set(q.functions):
                return True
            if mine & set(q.functions):
                return True  # an I2C line (SDA to SDA, SCL to SCL): I2C drives LOW only, pull-ups make HIGH
        return False

    def drive_voltage(self, ep: str) -> float | None:
        """The high level an output drives: its v_out, else the part's supply/logic voltage."""
        memo = self.__dict__.setdefault("_drive_memo", {})
        if ep not in memo:
            memo[ep] = self._drive_voltage(ep)
        return memo[ep]

    def _drive_voltage(self, ep: str) -> float | None:
        pin = self.pin(ep)
        if not self.can_drive(pin) or self.is_open_drain(pin) or self.on_open_drain_bus(ep):
            return None
        pid = self.part_of(ep)
        side = self._side_supply(pid, pin)
        if side is not None:
            return side  # a channel of a two-rail part (a level shifter's LV1 rests at its LV rail)
        supply = self.part_supply_voltage(pid)
        if pin.v_out is not None:
            if self.is_mcu(pid) or supply is None:
                return pin.v_out
            return min(pin.v_out, supply)  # a module cannot drive above the supply it gets
        rec = self.rec(pid)
        gain = rec.spice.params.get("out_gain") if rec is not None and pin.type == "analog_out" else None
        if supply is not None and gain:
            return supply * gain  # a divider board gives a fixed share of its input (record: spice.params.out_gain)
        return supply

    def power_inputs(self, pid: str) -> list[Pin]:
        """The pins the part takes its supply on: its power_in pins and any rail pin fed from outside."""
        rec = self.rec(pid)
        if rec is None:
            return []
        return rec.pins_of_type("power_in") + [p for p in rec.pins_of_type("power_out") if f"{pid}:{p.name}" in self.fed]

    def pin_type(self, ep: str) -> str | None:
        """The pin's electrical type in this circuit: a board rail pin fed from outside is a power input."""
        p = self.pin(ep)
        if p is None:
            return None
        return "power_in" if self.canonical(ep) in self.fed else p.type

    def canonical(self, ep: str) -> str:
        own = self._own_pins(ep)
        return own[0] if own else ep

    def _side_supply(self, pid: str, pin: Pin) -> float | None:
        """For a part with several supply pins (LV/HV, VA/VB), the voltage of the one a channel pin is
        named after (LV1 -> LV), when a rail feeds it."""
        ins = self.power_inputs(pid)
        if len(ins) < 2:
            return None
        names = sorted((p for p in ins if pin.name.upper().startswith(p.name.upper())
                        and pin.name[len(p.name):].isdigit()), key=lambda p: -len(p.name))
        if not names:
            return None
        v = self.group_voltage(f"{pid}:{names[0].name}", switched=True)
        return v if v else None

    def part_supply_voltage(self, pid: str) -> float | None:
        """The voltage on the part's power input(s) (max of the rails reaching them), else its logic level."""
        rec = self.rec(pid)
        if rec is None:
            return None
        volts = []
        ins = self.power_inputs(pid)
        # a driver's motor supply (VMOT, VS) feeds its outputs, not its logic: its VDD sets the logic level
        logic = [p for p in ins if "motor" not in p.functions] or ins
        for p in logic:
            v = self.group_voltage(f"{pid}:{p.name}", switched=True)
            if v is not None and v > 0:
                volts.append(v)
        if volts:
            return max(volts)
        return rec.supply.logic_level

    def logic_level(self, pid: str) -> float | None:
        rec = self.rec(pid)
        if rec is None:
            return None
        if rec.is_mcu and rec.supply.logic_level is not None:
            return rec.supply.logic_level
        v = self.part_supply_voltage(pid)
        if rec.flags.onboard_regulator and rec.supply.logic_level is not None:
            # a module with its own regulator runs its logic at that regulator's output
            return min(v, rec.supply.logic_level) if v else rec.supply.logic_level
        return v if v is not None else rec.supply.logic_level

    # ---- groups --------------------------------------------------------------------
    def _groups(self, switched: bool) -> tuple[dict[str, str], dict[str, Group]]:
        dsu = _DSU()
        for n in self.nl.nets:
            dsu.find(n.name)
        for pid in self.parts:
            bridge = self.is_short_element(pid) or (switched and self._is_contact_part(pid))
            if not bridge:
                continue
            names = [self.nl.net_of(f"{pid}:{n}") for n in self._bridge_pins(pid, switched)]
            names = [n.name for n in names if n is not None]
            for a in names[1:]:
                dsu.union(names[0], a)
        by_net: dict[str, str] = {}
        groups: dict[str, Group] = {}
        for n in self.nl.nets:
            root = dsu.find(n.name)
            by_net[n.name] = root
            groups.setdefault(root, Group(key=root)).nets.append(n)
        return by_net, groups

    def _is_contact_part(self, pid: str) -> bool:
        if self.is_switch(pid):
            return True
        rec = self.rec(pid)
        return bool(rec and any(SWITCH_FUNCTIONS & set(p.functions) for p in rec.pins))

    def _bridge_pins(self, pid: str, switched: bool) -> list[str]:
        rec = self.rec(pid)
        if rec is None:
            return []
        if self.is_short_element(pid) or self.is_switch(pid):
            return rec.pin_names
        # the contact pins of a relay: common joins NO and NC as if actuated either way
        return [p.name for p in rec.pins if SWITCH_FUNCTIONS & set(p.functions)]

    @cached_property
    def _hard(self) -> tuple[dict[str, str], dict[str, Group]]:
        return self._groups(switched=False)

    @cached_property
    def _switched(self) -> tuple[dict[str, str], dict[str, Group]]:
        return self._groups(switched=True)

    def group(self, ep_or_net: str | Net, switched: bool = False) -> Group | None:
        by_net, groups = self._switched if switched else self._hard
        if isinstance(ep_or_net, Net):
            name = ep_or_net.name
        elif ":" in ep_or_net:
            net = self.net(ep_or_net)
            if net is None:
                return None
            name = net.name
        else:
            name = ep_or_net
        root = by_net.get(name)
        return groups.get(root) if root else None

    def groups(self, switched: bool = False) -> list[Group]:
        return list((self._switched if switched else self._hard)[1].values())

    def rails_in(self, group: Group | None) -> list[tuple[str, float | None]]:
        """(endpoint, voltage) of every power_out pin in the group."""
        if group is None:
            return []
        memo = self.__dict__.setdefault("_rails_memo", {})
        if id(group) in memo and memo[id(group)][0] is group:
            return list(memo[id(group)][1])
        out = self._rails_in(group)
        memo[id(group)] = (group, out)
        return list(out)

    def _rails_in(self, group: Group) -> list[tuple[str, float | None]]:
        out = []
        for ep in group.pins:
            p = self.pin(ep)
            if p is not None and p.type == "power_out" and ep not in self.fed:
                out.append((ep, self.nl.rail_voltage_of_pin(ep)))
        return out

    def grounds_in(self, group: Group | None) -> list[str]:
        if group is None:
            return []
        memo = self.__dict__.setdefault("_grounds_memo", {})
        if id(group) in memo and memo[id(group)][0] is group:
            return list(memo[id(group)][1])
        out = [ep for ep in group.pins if (p := self.pin(ep)) is not None and p.type == "ground"]
        memo[id(group)] = (group, out)
        return list(out)

    def group_voltage(self, ep: str, switched: bool = False) -> float | None:
        """0 for a ground group, else the highest rail voltage reaching the pin; None when no rail does."""
        g = self.group(ep, switched=switched)
        if g is None:
            return None
        if self.grounds_in(g):
            return 0.0
        volts = [v for _, v in self.rails_in(g) if v is not None]
        return max(volts) if volts else None

    def is_ground(self, ep: str) -> bool:
        return bool(self.grounds_in(self.group(ep)))

    def is_rail(self, ep: str) -> bool:
        """On a hard group fed by a supply rail (and not ground)."""
        g = self.group(ep)
        return bool(self.rails_in(g)) and not self.grounds_in(g)

    def clamp_voltage(self, ep: str) -> float | None:
        """The lowest zener voltage clamping this pin's net to ground (cathode on the net), if any."""
        net = self.net(ep)
        if net is None:
            return None
        out = []
        for o in net.pins:
            zid = self.part_of(o)
            rec = self.rec(zid)
            if rec is None or self.kind(zid) != "zener" or not rec.ratings.vz:
                continue
            p = self.pin(o)
            other = self.other_terminal(o)
            if p is not None and "cathode" in p.functions and other is not None and self.is_ground(other):
                out.append(rec.ratings.vz)
        return min(out) if out else None

    # ---- rails to fix things with ---------------------------------------------------
    def rail_pins(self):
        """(part id, record, pin, endpoint, volts) of every rail pin that can feed a fix: not IOREF, and
        not a board's VIN fed from outside (it carries that supply, not its USB 5 V)."""
        for pid in self.parts:
            rec = self.rec(pid)
            if rec is None:
                continue
            for p in rec.pins_of_type("power_out"):
                ep = f"{pid}:{p.name}"
                if ep in self.fed or p.name.upper() == "IOREF":
                    continue
                v = self.nl.rail_voltage_of_pin(ep)
                if v is not None:
                    yield pid, rec, p, ep, v

    def rail_pin_for(self, voltage: float, prefer: str | None = None, feeding: str | None = None) -> str | None:
        """A power_out pin providing ``voltage`` (±0.15 V), preferring part ``prefer`` and MCUs. ``feeding``: the
        part the rail is to feed; a rail it makes itself, or one made further on from its own output, cannot
        (a converter's input moved onto its own output feeds nothing)."""
        below = self.powered_from(feeding) if feeding is not None else set()
        cands = [((0 if pid == prefer else 1 if rec.is_mcu else 2, -(p.i_max or 0)), ep)
                 for pid, rec, p, ep, v in self.rail_pins() if abs(v - voltage) <= 0.15 and pid not in below]
        return sorted(cands)[0][1] if cands else None

    def powered_from(self, pid: str) -> set[str]:
        """``pid`` and every part powered from its rail outputs, directly or through other parts: those with a
        supply input (a power_in pin, or a rail pin fed from outside) on a net one of these outputs is on."""
        seen, todo = {pid}, [pid]
        while todo:
            cur = todo.pop()
            rec = self.rec(cur)
            for p in rec.pins_of_type("power_out") if rec is not None else []:
                ep = f"{cur}:{p.name}"
                if ep in self.fed or self.net(ep) is None:
                    continue  # a rail pin fed from outside takes power there, it does not give it
                for other in self.others_on_net(ep):
                    oid = self.part_of(other)
                    if oid not in seen and self.pin_type(other) == "power_in":
                        seen.add(oid)
                        todo.append(oid)
        return seen

    def ground_pin_for(self, prefer: str | None = None) -> str | None:
        cands = []
        for pid in self.parts:
            rec = self.rec(pid)
            if rec is None:
                continue
            for p in rec.pins_of_type("ground"):
                ep = f"{pid}:{p.name}"
                rank = (0 if pid == prefer else 1 if rec.is_mcu else 2, 0 if self.connected(ep) else 1)
                cands.append((rank, ep))
        return sorted(cands)[0][1] if cands else None


def fmt(value: float | None, unit: str) -> str:
    return "?" if value is None else format_value(value, unit)


def fmt_ma(amps: float | None) -> str:
    if amps is None:
        return "?"
    ma = amps * 1000
    return f"{ma:.0f} mA" if ma >= 10 else f"{ma:.1f} mA"
