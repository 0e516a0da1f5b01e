"""The requirement gate: does the finished circuit do what was asked?

It runs after the ERC and the SPICE gate and checks a CircuitJSON against the typed
:class:`~agents.understand.requirements.Requirements` that understanding produced. It is
deterministic and reads only typed data: the request's named parts and counts, the functions it
needs (matched against the records' ``provides``), and its constraints (the named board, "no
microcontroller", the power source, the logic voltage, parts ruled out), and the quantities it states against
the parts' ratings (:mod:`circuit.rating_gate`: the input voltage, a load's current, a part's supply, the
battery a charger charges, the supply's current). It never reads request text.

A part takes part in the design when at least one of its pins is wired; it counts as many as its
``count`` (``cells``, ``pixels``, ``leds``) attribute says, so a 30-pixel strip is one part that counts 30.

Every miss is a Major finding (rule ``REQ-...``, source ``requirements``) with a plain message and a
fix hint, so it fails the design and goes through the repair loop like any other finding. Hints the
fixer can apply safely are its operations (``rewire`` the loads of an extra supply onto the stated
battery, then ``remove_part`` it); the others (``add_part``, ``replace_part``, ``replan_without``)
ask the planner for another plan: taking a controller out by hand would leave its loads undriven.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.understand.requirements import Requirements
from circuit.current_reading import CURRENT, MEASURED_A, path_pins, path_rating
from circuit.findings import Finding, Severity
from circuit.hazard import SELV_DC_V, is_mains_load, isolated_contacts
from circuit.idle_switch import idle_switches
from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.part_ratings import is_battery, is_primary_source, source_volts
from circuit.rating_gate import (charge_verdicts, current_verdicts, element_amps, input_verdicts,
                                 source_draw_verdicts, stated_amps,
                                 supply_current_verdicts,
                                 supply_verdicts)
from circuit.timer_reading import answering, read_timers
from circuit.trigger_check import read_switching
from circuit.units import UnitError, parse_value
from circuit.voltage_reading import VOLTAGE, VoltageReading, record_range, voltage_readings

MEASURED_V = "measured_v"  # Requirements.constraints.targets: the top of a voltage range measured on an input
from knowledge.library import Library
from knowledge.record import ComponentRecord

MULTIPLICITY_ATTRS = ("count", "cells", "cells_series", "pixels", "leds")
VOLT_TOLERANCE = 0.15       # a stated source voltage is matched within 15 %
LOGIC_TOLERANCE = 0.3       # V, a controller's logic level against the stated logic voltage
BATTERY_KINDS = {"battery", "cells", "coin-cell"}
SUPPLY_KINDS = {"wall-adapter", "bench-supply", "usb"}
SUPPLY_PINS = {"power_in", "ground", "nc"}
PLUG_IN = {"adapter", "bench", "usb"}  # record source_kind of a supply that plugs into a socket (not a cell, a panel)
BASIC_DEVICES = {"resistor", "capacitor", "inductor", "diode", "led", "zener", "npn", "pnp", "nmos", "pmos"}


@dataclass
class RequirementCheck:
    """The gate's answer: one line per requirement met or not, and a finding per miss."""

    met: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.unmet

    def as_json(self) -> dict:
        return {"met": list(self.met), "unmet": list(self.unmet)}

    def miss(self, rule: str, what: str, message: str, where: list[str] | None = None, fix: str | None = None) -> None:
        self.unmet.append(what)
        self.findings.append(Finding(rule=rule, severity=Severity.MAJOR, message=message, where=where or [],
                                     fix=fix, source="requirements"))


def load_channels(rec: ComponentRecord | None) -> int:
    """How many loads one part drives: its load outputs (pins with the ``motor`` or ``coil`` function) in
    pairs (a dual H-bridge: two motors), or one."""
    outs = {p.name for p in rec.pins if {"motor", "coil"} & set(p.functions) and p.type not in
            ("power_in", "ground", "digital_in", "analog_in", "power_out", "nc")} if rec is not None else set()
    return max(1, len(outs) // 2)


def multiplicity(attrs: dict) -> int:
    for a in MULTIPLICITY_ATTRS:
        try:
            n = int(float(attrs.get(a)))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if n >= 1:
            return n
    return 1


class _Design:
    """The parts of a circuit that take part in it, by library key.

    ``parts``: a pin beyond its supply is wired (a sensor with only VCC and GND wired measures nothing
    for anyone); a part with supply pins only (a fan's two leads) takes part once any pin is wired.
    ``touched``: any pin wired (a board that only powers the rest is still a controller in the design).
    """

    def __init__(self, circuit: Circuit, library: Library, measured: float | None = None):
        self.library = library
        self.measured = measured  # the top of the voltage range the request measures on an input terminal
        pins: dict[str, set[str]] = {}
        for c in circuit.connections:
            for ep in (c.source, c.target):
                if ":" in ep:
                    pid, pin = ep.split(":", 1)
                    pins.setdefault(pid, set()).add(pin)
        self.touched = [p for p in circuit.parts if p.id in pins]
        # a switch whose load side is wired to nothing while another part switches the load: a bystander
        self.idle = idle_switches(circuit, library, pins)
        self.parts = [p for p in self.touched if self._serves(p, pins[p.id]) and p.id not in self.idle]
        self.unwired = [p for p in circuit.parts if p not in self.parts]
        self.wires = [(c.source, c.target) for c in circuit.connections]
        self.nets = Netlist(circuit, library)
        self.circuit = circuit

    def _serves(self, part, wired: set[str]) -> bool:
        rec = self.library.get(part.type)
        if rec is None or all(p.type in SUPPLY_PINS for p in rec.pins):
            return True
        return any((pin := rec.pin(name)) is None or pin.type not in SUPPLY_PINS for name in wired)

    def wired_at(self, ep: str) -> list[str]:
        """The endpoints wired straight to ``ep``."""
        return [b if a == ep else a for a, b in self.wires if ep in (a, b)]

    def of(self, keys: set[str]) -> list:
        return [p for p in self.parts if p.type in keys]

    def count(self, keys: set[str]) -> int:
        return sum(multiplicity(p.attrs) for p in self.of(keys))

    def channels(self, keys: set[str]) -> int:
        """How many loads the parts of ``keys`` can each take, summed: a driver's load outputs (record: pins
        with the ``motor`` or ``coil`` function) in pairs, one bridge per pair; one for any other part."""
        return sum(multiplicity(p.attrs) * load_channels(self.record(p)) for p in self.of(keys))

    def record(self, part) -> ComponentRecord | None:
        return self.library.get(part.type)

    def controllers(self) -> list:
        return [p for p in self.touched if (r := self.record(p)) is not None and r.is_mcu]

    def fed_by(self, part) -> list[str]:
        """The supply inputs (``power_in`` pins of other parts) on the nets of ``part``'s outputs."""
        rec = self.record(part)
        out: list[str] = []
        for pin in rec.pins_of_type("power_out") if rec else []:
            net = self.nets.net_of(f"{part.id}:{pin.name}")
            for ep, _ in self.nets.pins_on(net, "power_in") if net is not None else []:
                if not ep.startswith(part.id + ":") and ep not in out:
                    out.append(ep)
        return out

    def charges(self, ep: str) -> bool:
        """``ep`` is a charger's input: what feeds it charges the stated battery, it does not power the design."""
        rec = self.nets.record(ep.split(":", 1)[0])
        return rec is not None and rec.safety.charger

    def voltage_readings(self) -> list[VoltageReading]:
        """The sources an ADC pin of a controller reads the voltage of (:mod:`circuit.voltage_reading`)."""
        if "_readings" not in self.__dict__:
            self.__dict__["_readings"] = voltage_readings(self.circuit, self.library, self.nets, self.measured)
        return self.__dict__["_readings"]

    def providers(self, capability: str) -> set[str]:
        return {r.key for r in self.library if any(c.capability == capability for c in r.provides)}

    def in_firmware(self, capability: str) -> list:
        """The wired controllers that serve ``capability`` in firmware: one the records describe as a behaviour in
        time (a timer's blinking, counting down, a delay) is the program's to do where a controller is wired, as
        the planner decides (:func:`agents.rules.needs._parts_for_needs`)."""
        timed = any(c.capability == capability and c.behaviour for r in self.library for c in r.provides)
        return [p for p in self.controllers() if p in self.parts] if timed else []

    def plugged_in(self, keys: set[str]) -> list:
        """Wired parts with a supply socket of their own (record: onboard_power_connector) that a plug-in supply
        among ``keys`` (a source that is a supply unit: adapter, bench, USB) plugs into: "recharge it from a USB
        port" is the charger's own USB socket, no supply part of the design."""
        volts = []
        for k in keys:
            r = self.library.get(k)
            outs = r.pins_of_type("power_out") if r is not None else []
            if r is None or r.category != "power" or r.pins_of_type("power_in") or r.source_kind not in PLUG_IN \
                    or not outs or outs[0].v_out is None:
                return []  # some provider is no plug-in supply: only a part of the design answers
            volts.append(outs[0].v_out)
        return [p for p in self.touched if (r := self.record(p)) is not None and r.flags.onboard_power_connector
                and any((r.supply.v_min is None or v >= r.supply.v_min - 1e-6)
                        and (r.supply.v_max is None or v <= r.supply.v_max + 1e-6) for v in volts)]


def family(key: str, library: Library, words: str = "") -> set[str]:
    """The keys that answer a request naming ``key``: itself, and for a basic device (capacitor, LED,
    transistor, diode ...) the records of the same kind where one side is named by kind alone, without
    a part number ('capacitor' is met by an electrolytic capacitor, 'led' by a red LED; a 2N2222 is not
    met by a BC547). ``words``: what the request said; words without a part number ('a transistor', read
    as the most common one) name the kind, which any record of that kind answers."""
    rec = library.get(key)
    shared = _bare_numbers(words, key)
    if rec is not None and shared:
        # a bare part number ("a 555", "a 7805"): the maker's prefix left off, every record of that kind whose
        # part number it is (NE555, TLC555) answers it; the planner takes the one whose ratings fit
        return {key} | {r.key for r in library if r.category == rec.category
                        and any(re.search(rf"(?<!\d){n}(?!\d)", r.key) for n in shared)}
    if rec is not None and rec.category == "power" and rec.spice.kind not in BASIC_DEVICES and words \
            and not any(ch.isdigit() for ch in words) and any(ch.isdigit() for ch in key):
        # a converter named by its kind alone ("a boost converter"): any converter doing the same conversion
        # (the same power capabilities) answers it; the planner takes one whose input range fits the source
        caps = {c.capability for c in rec.provides if c.direction == "power"}
        return {key} | {r.key for r in library if r.category == "power" and caps
                        and caps == {c.capability for c in r.provides if c.direction == "power"}}
    if rec is None or rec.spice.kind not in BASIC_DEVICES:
        return {key}
    if words and not any(ch.isdigit() for ch in words) and any(ch.isdigit() for ch in key):
        return {r.key for r in library if r.category == rec.category and r.spice.kind == rec.spice.kind}
    return {key} | {r.key for r in library
                    if r.category == rec.category and r.spice.kind == rec.spice.kind
                    and (_kind_of(rec.key, r.key) or _kind_of(r.key, key))}


def _bare_numbers(words: str, key: str) -> list[str]:
    """The numbers of three digits or more that ``words`` says alone (no letters on them) and that stand in
    ``key``'s part number with letters before them: "555" of NE555; none for words that say the whole part
    number ("ne555", "tlc555")."""
    nums = re.findall(r"(?<![\w-])(\d{3,})(?![\w-])", words or "")
    return [n for n in nums if re.search(rf"[a-z]{n}(?!\d)", key)]


def _kind_of(general: str, specific: str) -> bool:
    """``general`` names a kind (no part number) that ``specific`` is one of: a part number, or the
    kind's words and more ('capacitor' -> 'electrolytic-capacitor'; not 'ceramic-' -> 'electrolytic-capacitor')."""
    if any(ch.isdigit() for ch in general):
        return False
    return any(ch.isdigit() for ch in specific) or set(general.split("-")) <= set(specific.split("-"))


def _ids(parts) -> str:
    return ", ".join(f"{p.id} ({p.type})" for p in parts)


def _near(a: float, b: float, tol: float = VOLT_TOLERANCE) -> bool:
    return abs(a - b) <= tol * max(abs(b), 1e-9)


# ---- the checks ----------------------------------------------------------------------------------
def _named_parts(req: Requirements, d: _Design, out: RequirementCheck) -> None:
    board = req.constraints.board
    src = req.constraints.source
    source = src.key if src is not None else None
    cells = src.cells_series * src.cells_parallel if src is not None else 0
    named_keys = {p.key for p in req.named_parts}
    for np in req.named_parts:
        if np.key == board or (np.key == source and np.count <= cells):
            continue  # the board and the source are checked as constraints (more of it than the pack: here)
        rec = d.library.get(np.key)
        label = f"{np.key} x{np.count}" if np.count > 1 else np.key
        asked = f" ('{np.words}')" if np.words else ""
        keys = family(np.key, d.library, np.words)
        have = d.count(keys)
        if have >= np.count:
            out.met.append(f"part {label}: " + ", ".join(p.id for p in d.of(keys)))
            continue
        if have:
            out.miss("REQ-PART-COUNT", f"part {label}: has {have}",
                     f"The request asks for {np.count} x {np.key}{asked}, but the design has {have}.",
                     [p.id for p in d.of(keys)], f"add_part({np.key}, count={np.count - have})")
            continue
        # swapped: a part of the same kind that the request did not name stands where it should be
        kind = rec.category if rec is not None else None
        stand_ins = [p for p in d.parts if p.type not in named_keys and p.type != board
                     and (r := d.record(p)) is not None and kind is not None and r.category == kind
                     and r.category not in ("passive", "semiconductor")
                     and is_primary_source(r) == is_primary_source(rec)]
        if stand_ins:
            out.miss("REQ-PART-SWAPPED", f"part {label}: swapped for {stand_ins[0].type}",
                     f"The request names {np.key}{asked}, but the design uses {_ids(stand_ins)} instead; "
                     f"a named part is kept as named.", [p.id for p in stand_ins],
                     f"replace_part({stand_ins[0].id}, {np.key})")
        else:
            unwired = [p for p in d.unwired if p.type == np.key]
            idle = [p for p in unwired if p.id in d.idle]
            why = (f" ({_ids(idle)} is placed, but its load side is wired to nothing: "
                   f"{', '.join(sorted({d.idle[p.id] for p in idle}))} switches the load)") if idle else \
                f" ({_ids(unwired)} is placed, but nothing beyond its supply is wired)" if unwired else ""
            out.miss("REQ-PART-MISSING", f"part {label}: missing",
                     f"The request names {np.key}{asked}, but the design does not contain it{why}.",
                     [p.id for p in unwired], f"add_part({np.key}, count={np.count})")


def _needs(req: Requirements, d: _Design, out: RequirementCheck) -> None:
    for need in req.needs:
        if need.capability == VOLTAGE:
            _voltage_measured(req, need, d, out)
            continue
        if need.capability == CURRENT and req.constraints.targets.get(MEASURED_A):
            _current_measured(need, d, out, req.constraints.targets[MEASURED_A])
            continue
        keys = d.providers(need.capability)
        label = f"function {need.capability}" + (f" x{need.count}" if need.count > 1 else "")
        asked = f" ('{need.words}')" if need.words else ""
        if not keys:  # fail closed: nothing in the library can be shown to provide it
            out.miss("REQ-FUNCTION-UNKNOWN", f"{label}: no library part provides it",
                     f"The request needs '{need.capability}'{asked}, and no part in the library lists that "
                     f"capability, so the design cannot be shown to provide it.", [],
                     None)
            continue
        have = d.count(keys)
        if have >= need.count or need.count > 1 and d.channels(keys) >= need.count:
            out.met.append(f"{label}: " + ", ".join(f"{p.id} ({p.type})" for p in d.of(keys)))
            continue
        sockets = d.plugged_in(keys) if not have else []
        if sockets:
            out.met.append(f"{label}: plugged into " + ", ".join(f"{p.id} ({p.type})'s own socket" for p in sockets))
            continue
        if not have and (fw := d.in_firmware(need.capability)):
            out.met.append(f"{label}: {', '.join(p.id for p in fw)} does it in firmware")
            continue
        some = sorted(keys)[:6]
        out.miss("REQ-FUNCTION-MISSING", f"{label}: " + (f"{have} of {need.count}" if have else "missing"),
                 f"The request needs '{need.capability}'{asked}" + (f" {need.count} times" if need.count > 1 else "")
                 + f", but {'only ' + str(have) if have else 'no'} wired part of the design provides it "
                 f"(parts that do: {', '.join(some)}{' ...' if len(keys) > 6 else ''}).",
                 [p.id for p in d.of(keys)], f"add_part({some[0]}, count={need.count - have})")


def _varied(req: Requirements, d: _Design, out: RequirementCheck) -> None:
    """A mains load asked at a varied level ("dim a 230 V lamp": the need's ``target['varied']``, read by
    understanding) is switched through contacts (a relay's, a solid-state relay's), which only turn it fully on or
    off: dimming or slowing it takes phase control, and the design has none."""
    for need in req.needs:
        if not need.target.get("varied"):
            continue
        loads = [p for p in d.of(d.providers(need.capability)) if (r := d.record(p)) is not None and is_mains_load(r)]
        if not loads:
            continue
        switches = [p for p in d.parts if (r := d.record(p)) is not None and isolated_contacts(r)]
        via = f" through {_ids(switches)}" if switches else ""
        out.miss("REQ-VARIED-ON-OFF", f"'{need.words}': {_ids(loads)} is only switched on and off{via}",
                 f"The request asks '{need.words}' at a varied level, but the design switches {_ids(loads)}{via}, "
                 "whose contacts only turn a mains load fully on or off. Dimming or slowing a mains load takes phase "
                 "control (a triac dimmer with zero-cross detection), which this design does not have.",
                 [p.id for p in loads + switches])


def _watched(req: Requirements, d: _Design) -> set[str]:
    """The sources a voltage measurement is of: those the request names, else any in the design."""
    named = {n.key for n in req.named_parts} | ({req.constraints.source.key} if req.constraints.source else set())
    named = {k for k in named if k and (r := d.library.get(k)) is not None and is_primary_source(r)}
    return named or {p.type for p in d.touched if (r := d.record(p)) is not None and is_primary_source(r)}


def _voltage_measured(req: Requirements, need, d: _Design, out: RequirementCheck) -> None:
    """A voltage measurement is met by the circuit's nets, not by a part's presence: an ADC pin of a controller
    reads the watched source (straight, through a divider or a divider board) and the source at its highest
    voltage stays within the ADC's range."""
    label = f"function {need.capability}" + (f" x{need.count}" if need.count > 1 else "")
    asked = f" ('{need.words}')" if need.words else ""
    watched = _watched(req, d)
    if not d.measured and not watched and (top := record_range(d.library)):
        # no range stated and no source to measure: the voltage the user brings, up to what the library's
        # voltage-measuring board takes (the planner sizes for the same)
        d.measured = top
        d.__dict__.pop("_readings", None)
    if d.measured:
        _input_measured(need, d, out, label, asked)
        return
    readings = [r for r in d.voltage_readings() if r.source_type in watched]
    good = {r.source: r for r in readings if r.fits}
    if len(good) >= need.count:
        out.met.append(f"{label}: " + "; ".join(
            f"{r.source} ({r.source_type}) read on {r.pin} via {r.via}: {r.peak:.3g} V at most ({r.where}) gives "
            f"{r.at_pin:.3g} V of the {r.full:g} V ADC" for r in good.values()))
        return
    over = [r for r in readings if not r.fits]
    if over:
        r = over[0]
        out.miss("REQ-VOLTAGE-RANGE", f"{label}: {r.source} reads {r.at_pin:.3g} V on {r.pin}",
                 f"The request asks for the voltage of {r.source} ({r.source_type}){asked}; at its highest, "
                 f"{r.peak:.3g} V ({r.where}), {r.via} puts {r.at_pin:.3g} V on {r.pin}, above the "
                 f"{r.full:g} V the controller's ADC reads (and may take).", [r.source, r.pin.split(':')[0]], None)
        return
    what = ", ".join(sorted(watched)) or "a source"
    some = sorted(d.providers(VOLTAGE))[:1]
    out.miss("REQ-VOLTAGE-UNMEASURED", f"{label}: no ADC pin reads {what}",
             f"The request asks for the voltage of {what}{asked}, but no ADC pin of a controller reads it (straight, "
             "through a resistor divider or a divider board whose input is on the source's + terminal).",
             [], f"add_part({some[0]})" if some else None)


def _input_measured(need, d: _Design, out: RequirementCheck, label: str, asked: str) -> None:
    """A voltage the user brings, up to the top of the range asked: an ADC pin reads an input terminal (its
    measured node; the other position on ground), straight, through a divider or a divider board, and the top of
    the range stays within the ADC's range there and within the input rating of a board it passes through.
    A source part the design holds (a battery that runs it) is not what was asked to be measured."""
    top = d.measured
    if top > SELV_DC_V:
        out.miss("REQ-RATING-MEASURED", f"{label}: {top:g} V is above extra-low voltage ({SELV_DC_V:g} V DC)",
                 f"The request measures up to {top:g} V{asked}: above the {SELV_DC_V:g} V DC extra-low-voltage limit "
                 "a resistor divider shares the controller's ground and puts the measured voltage on the low-voltage "
                 "side; that takes an isolated measurement, which no part of the design gives.", [], None)
        return
    readings = [r for r in d.voltage_readings() if r.terminal]
    for r in readings:
        part = r.via.split(" ", 1)[0]
        rec = next((d.record(p) for p in d.parts if p.id == part), None)
        lim = min((p.v_max for p in rec.pins_of_type("power_in") if p.v_max), default=None) if rec else None
        if lim is not None and top > lim * 1.02:
            out.miss("REQ-RATING-MEASURED", f"{label}: {part} ({rec.key}) takes at most {lim:g} V",
                     f"The request measures up to {top:g} V{asked}; {part} ({rec.key}) is rated for at most "
                     f"{lim:g} V on its input, so it cannot measure the top of the range.", [part], None)
            return
    good = {r.source: r for r in readings if r.fits}
    if len(good) >= need.count:
        out.met.append(f"{label}: " + "; ".join(
            f"input {r.source} ({r.source_type}) read on {r.pin} via {r.via}: {r.peak:.3g} V ({r.where}) gives "
            f"{r.at_pin:.3g} V of the {r.full:g} V ADC" for r in good.values()))
        return
    over = [r for r in readings if not r.fits]
    if over:
        r = over[0]
        out.miss("REQ-VOLTAGE-RANGE", f"{label}: {top:g} V on input {r.source} reads {r.at_pin:.3g} V on {r.pin}",
                 f"The request measures up to {top:g} V{asked}; {r.via} puts {r.at_pin:.3g} V on {r.pin} at the top "
                 f"of the range, above the {r.full:g} V the controller's ADC reads (and may take).",
                 [r.source, r.pin.split(':')[0]], None)
        return
    have = f"only {len(good)} of {need.count}" if good else "none"
    out.miss("REQ-VOLTAGE-UNMEASURED", f"{label}: no ADC pin reads an input up to {top:g} V ({have})",
             f"The request measures a voltage up to {top:g} V{asked}, but no ADC pin of a controller reads an input "
             "terminal carrying it (its measured node straight, through a resistor divider or a divider board; its "
             "other position on ground).", [], None)


def _current_measured(need, d: _Design, out: RequirementCheck, top: float) -> None:
    """A current measured up to ``top``: a wired current sensor carries it, its current path (record: the two
    current-rated passive pins) in series, both ends wired to something beyond it on two different nets, and
    rated for the top of the range."""
    label = f"function {need.capability}" + (f" x{need.count}" if need.count > 1 else "")
    asked = f" ('{need.words}')" if need.words else ""
    sensors = d.of(d.providers(CURRENT))
    carried, short = [], []
    for p in sensors:
        rec = d.record(p)
        pins = path_pins(rec)
        nets = [d.nets.net_of(f"{p.id}:{x.name}") for x in pins]
        if len(nets) != 2 or None in nets or nets[0] is nets[1] or not all(
                any(not ep.startswith(p.id + ":") for ep, _ in d.nets.pins_on(n)) for n in nets):
            continue
        (carried if path_rating(rec) >= top * 0.999 else short).append(p)
    if len(carried) >= need.count:
        out.met.append(f"{label}: " + ", ".join(
            f"{p.id} ({p.type}) in series, its path rated {path_rating(d.record(p)):g} A for up to {top:g} A"
            for p in carried))
        return
    if short:
        p = short[0]
        out.miss("REQ-RATING-MEASURED", f"{label}: {p.id} ({p.type}) carries at most {path_rating(d.record(p)):g} A",
                 f"The request measures up to {top:g} A{asked}; {p.id} ({p.type})'s current path is rated for "
                 f"{path_rating(d.record(p)):g} A.", [p.id], None)
        return
    best = max((r for r in d.library if CURRENT in {c.capability for c in r.provides} and path_rating(r)),
               key=path_rating, default=None)
    if best is None or path_rating(best) < top * 0.999:
        # fail closed, saying why: no part of the library could carry it
        most = f"{best.key}'s, {path_rating(best):g} A" if best is not None else "none"
        out.miss("REQ-RATING-MEASURED", f"{label}: no library current sensor carries {top:g} A",
                 f"The request measures up to {top:g} A{asked}; the highest current path a current sensor of the "
                 f"library is rated for is {most}.", [], None)
        return
    out.miss("REQ-CURRENT-UNMEASURED", f"{label}: no current sensor carries the current measured",
             f"The request measures a current up to {top:g} A{asked}, but no wired current sensor has its current "
             "path in series (both ends wired, to two different nets).", [p.id for p in sensors], None)


def _voltage_parts(req: Requirements, d: _Design, out: RequirementCheck) -> None:
    """A voltage-measuring part in the design (a divider board) measures a source on an ADC pin, within its range."""
    readings = d.voltage_readings()
    for p in d.of(d.providers(VOLTAGE)):
        mine = [r for r in readings if r.via.split(" ", 1)[0] == p.id]
        if any(r.fits for r in mine):
            continue
        if mine:
            r = mine[0]
            out.miss("REQ-VOLTAGE-RANGE", f"{p.id} ({p.type}): {r.source} reads {r.at_pin:.3g} V on {r.pin}",
                     f"{p.id} gives {r.share:g} of {r.source}'s voltage; at its highest, {r.peak:.3g} V ({r.where}), "
                     f"that is {r.at_pin:.3g} V on {r.pin}, above the {r.full:g} V the controller's ADC reads.",
                     [p.id, r.pin.split(':')[0]], None)
        else:
            out.miss("REQ-VOLTAGE-UNMEASURED", f"{p.id} ({p.type}): measures no source on an ADC pin",
                     f"{p.id} is there to measure a voltage, but its input is on no source's + terminal or its "
                     "output on no ADC pin of a controller.", [p.id], None)


def _asked(req: Requirements, d: _Design, out: RequirementCheck) -> None:
    """Every clause understanding read as asking for something is answered by a wired part that provides
    one of its readings, whether or not a need was taken from it: a need dropped upstream (two readings
    too close to choose) fails the design here instead of passing unseen."""
    for a in req.asked:
        caps = [c for c in a.any_of if d.providers(c)]
        if not caps:  # fail closed: nothing in the library can be shown to answer it
            out.miss("REQ-ASKED-UNANSWERED", f"'{a.words}': no library part provides " + " or ".join(a.any_of),
                     f"The request says '{a.words}', read as asking for {' or '.join(a.any_of)}; no part in the "
                     f"library lists that, so the design cannot be shown to do it.", [], None)
            continue
        if answers := _answered(d, caps):
            out.met.append(f"'{a.words}': {answers}")
            continue
        some = sorted(d.providers(caps[0]))[:6]
        out.miss("REQ-ASKED-UNANSWERED", f"'{a.words}': nothing provides " + " or ".join(caps),
                 f"The request says '{a.words}', read as asking for {' or '.join(caps)}, but no wired part of "
                 f"the design provides any of them (parts that do: {', '.join(some)}).", [],
                 f"add_part({some[0]})")


def _answered(d: _Design, caps: list[str]) -> str:
    """What in the design answers any of ``caps`` (capabilities the library provides), said for the report: its
    wired parts that provide one, else the firmware parts that do, else, for a voltage, the ADC pins reading a
    source in range; "" when nothing does."""
    keys = set().union(*(d.providers(c) for c in caps)) if caps else set()
    have = d.of(keys) or [p for c in caps for p in d.in_firmware(c)]
    if have:
        return ", ".join(f"{p.id} ({p.type})" for p in have)
    if VOLTAGE in caps and (read := [r for r in d.voltage_readings() if r.fits and (r.terminal or not d.measured)]):
        return ", ".join(f"{r.source} read on {r.pin} via {r.via}" for r in read)
    return ""


def _unread(req: Requirements, d: _Design, out: RequirementCheck) -> None:
    """A condition the request states that understanding read as nothing (``Requirements.unread``): the design
    can only be shown to notice it where a wired part gives one of its close readings; else it fails closed."""
    for a in req.unread:
        caps = [c for c in a.any_of if d.providers(c)]
        if answers := _answered(d, caps):
            out.met.append(f"condition '{a.words}': {answers}")
            continue
        out.miss("REQ-CONDITION-UNREAD", f"condition '{a.words}': nothing notices it",
                 f"The request asks for something to happen when {a.words}, but nothing in the design notices that: "
                 f"the request was not read as asking for a part that does (closest readings: "
                 f"{', '.join(a.any_of)}), so the design cannot be shown to do what was asked.", [], None)
        # (no part is proposed: a reading too faint to take is no better a guess for the repair loop)


def _board(req: Requirements, d: _Design, out: RequirementCheck) -> None:
    c = req.constraints
    mcus = d.controllers()
    if c.no_controller:
        if mcus:
            out.miss("REQ-NO-CONTROLLER", "no controller: has " + ", ".join(p.type for p in mcus),
                     f"The request rules out a microcontroller, but the design has {_ids(mcus)}.",
                     [p.id for p in mcus], f"replan_without({mcus[0].id})")
        else:
            out.met.append("no controller")
    if c.board:
        mine = [p for p in mcus if p.type == c.board]
        others = [p for p in mcus if p.type != c.board]
        if mine:
            out.met.append(f"board {c.board}: " + ", ".join(p.id for p in mine))
        elif others:
            out.miss("REQ-BOARD-SWAPPED", f"board {c.board}: swapped for {others[0].type}",
                     f"The request names the {c.board} board, but the design uses {_ids(others)} instead.",
                     [p.id for p in others], f"replace_part({others[0].id}, {c.board})")
        else:
            loose = [p for p in d.unwired if p.type == c.board]
            out.miss("REQ-BOARD-MISSING", f"board {c.board}: " + ("not wired" if loose else "missing"),
                     f"The request names the {c.board} board, but "
                     + (f"{_ids(loose)} is not wired to anything." if loose else "the design has no controller."),
                     [p.id for p in loose], None if loose else f"add_part({c.board})")
    if c.logic_volts is not None:
        levels = [(p, r.supply.logic_level) for p in mcus if (r := d.record(p)) is not None and r.supply.logic_level]
        wrong = [(p, v) for p, v in levels if abs(v - c.logic_volts) > LOGIC_TOLERANCE]
        if wrong:
            p, v = wrong[0]
            out.miss("REQ-LOGIC-VOLTS", f"logic {c.logic_volts:g} V: {p.type} is {v:g} V",
                     f"The request asks for {c.logic_volts:g} V logic, but {p.id} ({p.type}) works at {v:g} V.",
                     [p.id], None)
        elif levels:
            out.met.append(f"logic {c.logic_volts:g} V")


def _source(req: Requirements, d: _Design, out: RequirementCheck) -> None:
    src = req.constraints.source
    if src is None or (src.kind in ("board", "unknown", "mains", "solar") and src.key is None
                       and not (src.kind == "unknown" and src.total_volts is not None)):
        return  # (a voltage stated alone, "from 3 V", is checked: some source of it must power the design)
    sources = [(p, r) for p in d.touched if (r := d.record(p)) is not None and is_primary_source(r)]
    want_battery = src.kind in BATTERY_KINDS or (src.key is not None and (r := d.library.get(src.key)) is not None
                                                 and is_battery(r))
    cells = src.cells_series * src.cells_parallel
    words = src.words or (f"{cells} x {src.key}" if src.key else src.kind)
    if src.key:
        label = f"source {src.key}" + (f" x{cells}" if cells > 1 else "")
        have = d.count({src.key})
        if have >= cells:
            out.met.append(f"{label}: " + ", ".join(p.id for p in d.of({src.key})))
        elif (refused := [v for v in _source_draw(src, words, d) if not v.met]):
            # placed, or not, it powers nothing: what the design draws is beyond the source's rating
            out.miss(refused[0].rule, refused[0].label, refused[0].message, refused[0].where, refused[0].fix)
        else:
            loose = [p for p in d.unwired if p.type == src.key]
            out.miss("REQ-SOURCE-MISSING", f"{label}: " + (f"has {have}" if have else "missing"),
                     f"The request says the circuit runs from {words}, but the design has "
                     f"{have or 'no'} {src.key}" + (f" powering it ({_ids(loose)} is placed, but powers nothing)"
                                                    if loose and not have else "")
                     + (f" ({cells} are needed)" if cells > 1 else "") + ".",
                     [p.id for p in d.of({src.key})], f"add_part({src.key}, count={cells - have})")
    else:
        # a source powers the design when its output is wired (a cell with only its - on ground powers nothing);
        # a voltage stated alone may come from a battery or a supply
        kind_ok = [(p, r) for p, r in sources if p in d.parts
                   and (src.kind == "unknown" or is_battery(r) == want_battery)]
        total = src.total_volts
        if total is not None:
            matching = [(p, r) for p, r in kind_ok
                        if (v := source_volts(p, r)) is not None
                        and (_near(v, total) or _near(v * d.count({p.type}), total))]
        else:
            matching = kind_ok
        label = f"source {src.kind}" + (f" {total:g} V" if total is not None else "")
        if matching:
            out.met.append(f"{label}: " + ", ".join(f"{p.id} ({p.type})" for p, _ in matching))
        elif src.kind == "usb" and d.controllers():
            out.met.append(f"{label}: the board's USB port")
        else:
            out.miss("REQ-SOURCE-MISSING", f"{label}: missing",
                     f"The request says the circuit runs from {words}, but no "
                     f"{'battery' if want_battery else 'source' if src.kind == 'unknown' else 'supply'}"
                     + (f" of {total:g} V" if total is not None else "")
                     + " powers the design" + (f" (it has {_ids([p for p, _ in sources])})" if sources else "") + ".",
                     [p.id for p, _ in sources], None)
    if want_battery:  # a battery-powered design takes no power from the wall
        named = {n.key for n in req.named_parts} | {src.key}
        # a supply that feeds nothing but a charger's input charges the battery: it is not another source
        extra = [p for p, r in sources if not is_battery(r) and p.type not in named
                 and not ((fed := d.fed_by(p)) and all(d.charges(ep) for ep in fed))]
        if extra:
            volts = src.total_volts
            if volts is None:  # the named cells' own voltage, in series as stated
                volts = next((v * src.cells_series for p, r in sources
                              if is_battery(r) and (v := source_volts(p, r)) is not None), None)
            short = _too_low(extra[0], volts, d)
            out.miss("REQ-SOURCE-EXTRA", "source: also powered by " + ", ".join(p.type for p in extra),
                     f"The request says the circuit runs from {words}, but the design also takes power from "
                     f"{_ids(extra)}; what it feeds belongs on the stated source."
                     + (f" {short[0]} needs at least {short[1]:g} V, more than the {volts:g} V battery gives: "
                        f"it needs a part that works from {volts:g} V (or a converter that makes its voltage "
                        f"from the battery)." if short else ""),
                     [p.id for p in extra],
                     None if short else _move_loads_hint(extra[0], [p for p, r in sources if is_battery(r)], d))


def _source_draw(src, words: str, d: _Design) -> list:
    """The named source's rating against what the design's other wired parts draw (:mod:`circuit.rating_gate`)."""
    loads = [(p.id, r) for p in d.touched if p.type != src.key and (r := d.record(p)) is not None]
    volts = src.total_volts
    if volts is None and (rec := d.library.get(src.key)) is not None and rec.ratings.v_nominal:
        volts = rec.ratings.v_nominal * src.cells_series
    return source_draw_verdicts(src.key, src.cells_parallel, volts, words, loads, d.library)


def _too_low(extra, volts: float | None, d: _Design) -> tuple[str, float] | None:
    """A load on the extra supply that the stated battery cannot run (its minimum supply is above the
    battery's voltage): moving it onto the battery only trades this miss for an undervoltage."""
    if volts is None:
        return None
    for ep in d.fed_by(extra):
        rec = d.nets.record(ep.split(":", 1)[0])
        if rec is not None and not d.charges(ep) and rec.supply.v_min is not None \
                and rec.supply.v_min > volts * (1 + VOLT_TOLERANCE):
            return f"{ep.split(':', 1)[0]} ({rec.key})", rec.supply.v_min
    return None


def _move_loads_hint(extra, batteries: list, d: _Design) -> str | None:
    """Move what the extra source feeds onto the stated battery's output; once nothing is left, remove it.
    A charger's input stays on the supply that charges (only the other loads move, one a round)."""
    rec = d.record(extra)
    outs = [f"{extra.id}:{pin.name}" for pin in (rec.pins_of_type("power_out") if rec else [])]
    fed = [ep for ep in outs if d.wired_at(ep)]
    if not fed:
        return f"remove_part({extra.id})"
    loads = [ep for ep in d.fed_by(extra) if not d.charges(ep)]
    charging = any(d.charges(ep) for ep in d.fed_by(extra))
    for b in batteries:
        brec = d.record(b)
        for pin in brec.pins_of_type("power_out") if brec else []:
            ep = f"{b.id}:{pin.name}"
            # the pack's output: a + terminal wired to something other than another cell
            if any(n.split(":", 1)[0] not in {x.id for x in batteries} for n in d.wired_at(ep)):
                if charging:
                    return f"move_wire({loads[0]}, {ep})" if loads else None
                return f"rewire({fed[0]}, {ep})"
    return None


def _stated_volts(req: Requirements, d: _Design, out: RequirementCheck) -> None:
    """Voltages the request states for a named part: a converter's output ('a buck down to 5 V') and the
    supply it gives a board ('5 V for the ESP32'). A placed part at another voltage does not do what was asked."""
    for np in req.named_parts:
        for attr, pin_type, what in (("voltage", "power_out", "output"), ("supply", "power_in", "supply")):
            want = _volts(np.attrs.get(attr))
            placed = d.of(family(np.key, d.library, np.words))
            if want is None or not placed:
                continue
            have = [(p, v) for p in placed for v in _pin_volts(p, pin_type, d)]
            label = f"part {np.key} {what} {want:g} V"
            if any(_near(v, want) for _, v in have):
                out.met.append(f"{label}: " + ", ".join(p.id for p, v in have if _near(v, want)))
                continue
            if not have:
                # no supply pin wired (a board on its USB port) or none of that kind (a coil's two leads):
                # the rails' checks (ERC load voltage, power) judge it
                continue
            got = ", ".join(f"{p.id} at {v:g} V" for p, v in have)
            asked = f" ('{np.words}')" if np.words else ""
            out.miss("REQ-PART-VOLTAGE", f"{label}: {got}",
                     f"The request asks for {np.key}{asked} with {want:g} V {'out' if what == 'output' else 'in'}, "
                     f"but the design has {got}.", [p.id for p in placed], None)


def _volts(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value) if isinstance(value, (int, float)) else float(parse_value(str(value), "V"))
    except (UnitError, ValueError):
        return None


def _pin_volts(part, pin_type: str, d: _Design) -> list[float]:
    """The voltages on ``part``'s wired pins of ``pin_type``: what an output gives, what an input gets."""
    rec = d.record(part)
    out = []
    for pin in rec.pins_of_type(pin_type) if rec else []:
        ep = f"{part.id}:{pin.name}"
        net = d.nets.net_of(ep)
        if net is None:
            continue
        v = d.nets.rail_voltage_of_pin(ep) if pin_type == "power_out" else d.nets.net_voltage(net)
        if v is not None:
            out.append(v)
    return out


def _ratings(req: Requirements, d: _Design, out: RequirementCheck) -> None:
    """Quantities the request states against the ratings of the parts that must stand them
    (:mod:`circuit.rating_gate`): the voltage the design runs from, the supply asked for a named part, a named
    load's current, the battery a charger charges. Mains is the hazard checks' (an AC input the parts are not rated in DC volts for)."""
    verdicts = []
    src = req.constraints.source
    volts = src.total_volts if src is not None and src.kind != "mains" else None
    if volts:
        words = src.words or f"{volts:g} V"
        verdicts += input_verdicts(volts, words, d.nets, d.library)
        if src.kind in BATTERY_KINDS or (src.key is not None and (r := d.library.get(src.key)) is not None
                                         and is_battery(r)):
            verdicts += charge_verdicts(volts, words, d.nets, d.library)
    for np in req.named_parts:
        supply = _volts(np.attrs.get("supply"))
        if supply is not None:
            verdicts += supply_verdicts(np.key, supply, np.words or np.key, d.library)
        amps = stated_amps(np.attrs.get("current"))
        if amps is not None:
            placed = [p.id for p in d.of(family(np.key, d.library, np.words))]
            verdicts += current_verdicts(np.key, amps, np.words or np.key, placed, d.nets, d.library)
    # what the request's own supply gives ("a 12 V 1 A adapter") against what the loads it states draw together
    gives = [(src.max_current, src.words, src.total_volts)] if src is not None and src.max_current else []
    gives += [(n.target["amps"], n.words, n.target.get("volts")) for n in req.needs if n.target.get("amps")]
    loads = [(np.key, a, np.count) for np in req.named_parts if (a := stated_amps(np.attrs.get("current")))]
    # a load made of many elements (a panel of 256 pixels) draws its count times what its record says one draws,
    # stated or not: many small currents add up to more than a small supply gives
    estimated = []
    for np in req.named_parts:
        rec = d.library.get(np.key)
        n = max([np.count] + [multiplicity(p.attrs) for p in d.of({np.key})])
        if rec is None or n < 2 or stated_amps(np.attrs.get("current")) or (each := element_amps(rec)) is None:
            continue
        estimated.append((np.key, each, n))
    if gives:
        amps, words, v = min(gives, key=lambda g: g[0])
        verdicts += supply_current_verdicts(amps, words or f"{amps:g} A", v, loads + estimated, d.library,
                                            estimated={k for k, _, _ in estimated})
    for v in verdicts:
        if v.met:
            out.met.append(v.label)
        else:
            out.miss(v.rule, v.label, v.message, v.where, v.fix)


def _forbidden(req: Requirements, d: _Design, out: RequirementCheck) -> None:
    for item in req.constraints.forbidden:
        keys = {item} if item in d.library else d.providers(item)
        present = [p for p in d.touched if p.type in keys]
        if present:
            out.miss("REQ-FORBIDDEN", f"ruled out {item}: has " + ", ".join(p.type for p in present),
                     f"The request rules out {item}, but the design has {_ids(present)}.",
                     [p.id for p in present], f"replan_without({present[0].id})")
        else:
            out.met.append(f"ruled out {item}: absent")


def _triggers(req: Requirements, c: Circuit, d: _Design, out: RequirementCheck) -> None:
    """A sensor that switches the output must switch it on at the end of its range the request named
    (bright or dark, hot or cold): the circuit is simulated at both ends (:mod:`circuit.trigger_check`).
    A design with a controller is the firmware's to decide; one that cannot be simulated fails closed."""
    for t in req.triggers:
        what = f"on when {t.capability.removeprefix('sense-')} is {t.when}"
        reading = read_switching(c, d.library, t.capability)
        if reading is None:
            continue
        if reading.error:
            out.miss("REQ-TRIGGER-UNCHECKED", f"{what}: not shown",
                     f"The request asks for the output {what} ('{t.words}'), but {reading.error}.", reading.sensors)
            continue
        other = "low" if t.when == "high" else "high"
        right, wrong = reading.switching(t.when), reading.switching(other)
        sensors = ", ".join(reading.sensors)
        if right and not wrong:
            out.met.append(f"{what}: " + ", ".join(f"{o.pid} on at {t.when}, off at {other}" for o in right))
        elif wrong:
            shown = "; ".join(f"{o.pid} {o.shown(t.when)} at the {t.when} end, {o.shown(other)} at the {other} end"
                              for o in wrong)
            out.miss("REQ-TRIGGER-REVERSED", f"{what}: does the opposite",
                     f"The request asks for the output {what} ('{t.words}'), but {sensors} switches it the other "
                     f"way round: simulated, {shown}.", reading.sensors + [o.pid for o in wrong], reading.fix)
        else:
            shown = "; ".join(f"{o.pid} {o.state_low} at the low end, {o.state_high} at the high end"
                              for o in reading.outputs)
            out.miss("REQ-TRIGGER-NO-SWITCH", f"{what}: {sensors} does not switch the output",
                     f"The request asks for the output {what} ('{t.words}'), but across {sensors}'s range the "
                     f"output does not switch: simulated, {shown}.", reading.sensors + [o.pid for o in reading.outputs])


def _timing(req: Requirements, c: Circuit, d: _Design, out: RequirementCheck) -> None:
    """An output asked to blink, alternate or stay on for a while must do so: with a controller its firmware
    times it; with none a timer must run in that mode, its frequency or pulse (simulated with the values the
    circuit carries, :mod:`circuit.timer_reading`) within tolerance of a figure the request states."""
    for t in req.timing:
        figure = t.frequency_hz if t.behaviour in ("blink", "alternate", "fade") else t.duration_s
        unit = "Hz" if t.behaviour in ("blink", "alternate", "fade") else "s"
        what = f"timing {t.behaviour}" + (f" at {figure:.3g} {unit}" if figure else "")
        # a board, or a programmable module running the design itself (record ``programmable``: an ESP-01)
        runners = d.controllers() or [p for p in d.touched if (r := d.record(p)) is not None and r.programmable]
        if runners:
            out.met.append(f"{what}: {', '.join(p.id for p in runners)} times it in firmware")
            continue
        readings = read_timers(c, d.library)
        hit = answering(readings, t.behaviour, figure)
        if hit is not None:
            out.met.append(f"{what}: {hit.describe()}")
            continue
        shown = "; ".join(f"{r.describe()}, lighting {', '.join(p for ps in r.phases.values() for p in ps) or 'nothing'}"
                          for r in readings) or "no controller and no timer in the design"
        out.miss("REQ-TIMING", f"{what}: not met", f"The request asks for outputs that {t.behaviour} "
                 f"('{t.words}')" + (f" at {figure:.3g} {unit}" if figure else "") + f", but the design does not: "
                 f"{shown}.", [r.pid for r in readings])


def check_requirements(circuit: Circuit | dict, requirements: Requirements, library: Library) -> RequirementCheck:
    """Check ``circuit`` against ``requirements``; every miss is a Major ``REQ-...`` finding."""
    c = circuit if isinstance(circuit, Circuit) else Circuit.model_validate(circuit)
    d = _Design(c, library, requirements.constraints.targets.get(MEASURED_V))
    out = RequirementCheck()
    _board(requirements, d, out)
    _named_parts(requirements, d, out)
    _needs(requirements, d, out)
    _varied(requirements, d, out)
    _voltage_parts(requirements, d, out)
    _asked(requirements, d, out)
    _unread(requirements, d, out)
    _source(requirements, d, out)
    _stated_volts(requirements, d, out)
    _ratings(requirements, d, out)
    _forbidden(requirements, d, out)
    _triggers(requirements, c, d, out)
    _timing(requirements, c, d, out)
    return out


def gate_error(e: Exception) -> RequirementCheck:
    """The gate could not run: the design fails closed, saying why."""
    out = RequirementCheck()
    out.miss("REQ-GATE-ERROR", f"the requirement check could not run ({type(e).__name__})",
             f"The check against the request could not run ({type(e).__name__}: {str(e)[:200]}), so the design "
             "cannot be shown to do what was asked.")
    return out


__all__ = ["RequirementCheck", "check_requirements", "gate_error", "is_battery", "is_primary_source", "multiplicity"]
