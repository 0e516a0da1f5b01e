"""Netlisting a CircuitJSON for ngspice: every part stood in by what it does at DC.

* supplies: batteries are a source behind their internal resistance; a board's 5V/3V3 pins are
  sources behind a small resistance (their current limit stays in the record for the gate);
  regulators give their output voltage, or their input minus the dropout when starved, and take
  the output current (or power, for switchers) from their input;
* a board powered from outside (a battery on an Uno's Vin, or on an ESP32 DevKit's VIN, which is a
  USB 5 V output otherwise: :mod:`circuit.power_feed`) takes its own draw plus everything its rails
  and pins deliver from that input, as its on-board linear regulator does;
* node 0 is the net holding the supplies' and boards' ground pins (not a module's GND that a
  transistor switches);
* microcontroller pins: outputs are sources behind the pin's output resistance (ATmega ~25 Ω,
  ESP32 ~35 Ω), driven HIGH or LOW as :mod:`circuit.spice_drive` decides; inputs are high
  impedance with leakage;
* modules and ICs are their rated supply current as a resistor between their power and ground
  pins; their outputs are sources at their logic level, never above the supply they get;
* LEDs, diodes, transistors and MOSFETs use the record's model (an LED's curve passes through the
  forward voltage of :mod:`circuit.led_colors`); passives are themselves; switches are open (or closed for a second run);
  motors and coils are their coil resistance; a potentiometer is two resistors.

Every connected pin is reached through a 0 V source, so the operating point gives the current in
every pin. Nothing a user or an LLM wrote reaches the deck as text: see :mod:`circuit.spice_safe`.

``spice.params`` a record may set (SI units; defaults in brackets):

==================  ==========================================================================
``r_out``           output resistance of a GPIO (mcu) or logic output (module) [25/35 Ω, 100 Ω]
``r_in``            input resistance of a GPIO (mcu) or module input [10 MΩ, 1 MΩ]
``r_rail``          series resistance of a board's rail pin [0.05 Ω]
``i_gpio_total``    package limit for all GPIO currents together (mcu) [none]
``r_int``           internal resistance of a battery or supply [0.5 Ω]
``efficiency``      a switching regulator: its input takes output power / efficiency [linear]
``boost``           1 for a boost converter (never below its input) [0]
``v_ref``           reference of an adjustable regulator with an ADJ pin (LM317) [1.25 V]
``r_on``            contact resistance of a closed switch [0.1 Ω]
``brushed``         1 for a brushed DC motor (running current behind the winding), 0 for a coil
``polar_from``      a polarized capacitor of unknown kind is polar only from this capacitance (the
                    generic ``capacitor``: 1 µF; :mod:`circuit.capacitor_polarity`) [polar at any value]
==================  ==========================================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from circuit.findings import Finding, Severity
from circuit.led_colors import COLOUR_VF, colour_key, forward_voltage, record_colour
from circuit.model import Circuit
from circuit.netlist import Net, Netlist
from circuit.power_feed import fed_power_pins, upstream_source
from circuit.sim import spice_number
from circuit.spice_drive import Drive, effective_kind, led_channels, plan_drives, terminal_pins
from circuit.spice_safe import (
    ModelCard,
    NameRegistry,
    SpiceTextError,
    check_analysis,
    comment,
    comment_text,
    parse_model,
    pin_token,
    title_line,
)
from circuit.units import UnitError, format_value, parse_value
from knowledge.library import Library
from knowledge.record import ComponentRecord, Pin

__all__ = ["Deck", "Device", "build_deck", "LED_VF_BY_COLOR", "THERMAL_VOLTAGE"]

THERMAL_VOLTAGE = 0.025865  # kT/q at ngspice's default 27 °C
IS_FLOOR = 1e-24  # ngspice treats diode saturation currents much below ~1e-30 A as that floor

# Typical forward voltage at 20 mA by colour: the one table in circuit.led_colors.
LED_VF_BY_COLOR = COLOUR_VF

# Defaults when a record gives none (each documented where it is used).
R_OUT_DEFAULT = {5.0: 25.0, 3.3: 35.0}   # GPIO output resistance: ATmega328P / ESP32 VOH curves
R_RAIL = 0.05                             # a board's rail pin: regulator output + traces
R_IN_MCU = 10e6                           # GPIO input: ~0.5 µA leakage at 5 V
R_IN_MODULE = 1e6                         # a module's logic input
R_OUT_MODULE = 100.0                      # a module's logic output
R_PROTECT = 0.05                          # a cell protection switch while on (FS8205A: 2 x 25 mOhm)
R_SWITCH_ON = 0.1                         # a closed contact
R_SHUNT = 1e9                             # every node to ground, so floating nodes still solve
DEFAULT_MODELS = {
    "led": "D(IS=1e-20 N=1.6 RS=8 BV=5 IBV=10u)",
    "diode": "D(IS=2.52n N=1.752 RS=0.568 BV=100 IBV=100u)",  # 1N4148
    "zener": "D(IS=1e-14 N=1 RS=2 BV=5.1 IBV=1m)",
    "npn": "NPN(IS=6.7f BF=200 VAF=74 RB=10 RC=1)",            # 2N3904-like
    "pnp": "PNP(IS=6.5f BF=180 VAF=74 RB=10 RC=1)",            # 2N3906-like
}
_MODEL_TYPE_FOR = {"led": "D", "diode": "D", "zener": "D", "npn": "NPN", "pnp": "PNP", "nmos": "VDMOS", "pmos": "VDMOS"}


@dataclass
class Device:
    """One modelled thing the gate will check: which pins play which role."""

    pid: str
    kind: str  # led, diode, zener, npn, pnp, nmos, pmos, resistor, capacitor, switch, load, regulator, battery
    pins: dict[str, str] = field(default_factory=dict)  # role -> endpoint ("a", "k", "c", "b", "e", "in", "out" ...)
    value: float | None = None
    info: dict[str, object] = field(default_factory=dict)


@dataclass
class Source:
    """A pin the deck drives: a rail, a GPIO output, a module output, a battery or regulator output."""

    pid: str
    endpoint: str
    role: str  # rail, gpio, module_out, battery, regulator, connector (a module's own power jack)
    volts: float | None


@dataclass
class Deck:
    """A complete ngspice deck and the maps the SPICE gate reads its results with."""

    text: str
    node_of_net: dict[str, str] = field(default_factory=dict)
    element_of_part: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    pin_node: dict[str, str] = field(default_factory=dict)   # endpoint -> node at the part's side of its ammeter
    ammeter: dict[str, str] = field(default_factory=dict)    # endpoint -> 0 V source measuring current into the part
    ref_node: dict[str, str] = field(default_factory=dict)   # part id -> node its sources are referred to
    drives: dict[str, Drive] = field(default_factory=dict)
    devices: list[Device] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    switches_closed: bool = False
    analysis: str = ".op"
    fed_inputs: dict[str, str] = field(default_factory=dict)  # board rail pin -> the outside supply feeding it

    def save(self, path: str | Path) -> Path:
        p = Path(path)
        p.write_text(self.text, encoding="utf-8")
        return p


def build_deck(
    circuit: Circuit,
    library: Library | None = None,
    analysis: str = ".op",
    switches: str = "open",
    netlist: Netlist | None = None,
    knobs: str = "drawn",
    comparators: bool = True,
) -> Deck:
    """Netlist ``circuit`` for ngspice.

    ``switches`` is ``"open"`` (as drawn; a switch whose attrs say ``closed``/``on`` stays closed)
    or ``"closed"`` (every button pressed); ``knobs`` is ``"drawn"`` (a potentiometer at its
    ``position`` attr, else half way) or ``"full"`` (every potentiometer turned fully up);
    ``comparators`` (on by default) models each op-amp or comparator channel whose inputs and output are
    wired by its behaviour instead of a fixed output level: an op-amp as a finite-gain amplifier (its
    record's ``spice.params.avol``) whose output swings between its supply rails less its output headroom,
    a comparator as an ideal comparator (its output high or low, or an open collector sinking or open, by
    which input is higher); off, every output sits at a fixed level. Raises
    :class:`circuit.spice_safe.SpiceTextError` only for a bad ``analysis`` argument (a programming
    error); problems in the circuit become findings and notes on the deck."""
    if switches not in ("open", "closed"):
        raise ValueError("switches must be 'open' or 'closed'")
    if knobs not in ("drawn", "full"):
        raise ValueError("knobs must be 'drawn' or 'full'")
    library = library or Library.default()
    analysis = check_analysis(analysis)
    nl = netlist or Netlist(circuit, library)
    return _Builder(circuit, library, nl, analysis, switches == "closed", knobs == "full", comparators).build()


class _Builder:
    def __init__(self, circuit: Circuit, library: Library, nl: Netlist, analysis: str, closed: bool,
                 knobs_full: bool = False, comparators: bool = False) -> None:
        self.knobs_full = knobs_full
        self.comparators = comparators
        self.circuit, self.library, self.nl = circuit, library, nl
        self.names = NameRegistry()
        self.lines: list[str] = []
        self.models: list[str] = []
        self.deck = Deck(text="", analysis=analysis, switches_closed=closed)
        self.deck.drives = plan_drives(nl)
        self.fed = fed_power_pins(nl)  # board rail pins fed from outside (ESP32 VIN from a battery)
        self.deck.fed_inputs = dict(self.fed)
        self._group_node: dict[tuple[str, str], str] = {}
        self._head_idx = 0

    # ---- nodes ------------------------------------------------------------------------------
    def _net_nodes(self) -> None:
        nets = self.nl.nets
        ground = self._reference_net(nets)
        if ground is None:
            ground = self._battery_negative_net()
            if ground is not None:
                self.deck.notes.append(f"no ground net: the negative terminal of the supply ({ground.name}) is the reference")
        for net in nets:
            node = "0" if net is ground else self.names.take(net.name)
            self.deck.node_of_net[net.name] = node

    def _reference_net(self, nets):
        """The circuit's ground: of the nets holding ground pins, the one with the supplies' and boards'
        grounds on it (a module whose GND a transistor switches has a ground pin too, but is no reference)."""
        best, best_score = None, None
        for net in nets:
            grounds = [ep for ep in net.pins if (p := self.nl.pin(ep)) is not None and p.type == "ground"]
            if not grounds:
                continue
            sources = 0
            for ep in grounds:
                rec = self.nl.record(ep.split(":", 1)[0])
                if rec is not None and (effective_kind(rec) in ("mcu", "battery", "regulator") or rec.pins_of_type("power_out")):
                    sources += 1
            cell_side = any("cell_negative" in p.functions for ep in grounds if (p := self.nl.pin(ep)) is not None)
            score = (not cell_side, sources, net.name == "GND", len(grounds))
            if best_score is None or score > best_score:
                best, best_score = net, score
        return best

    def _battery_negative_net(self):
        for pid, part in self.nl.parts.items():
            rec = self.nl.record(pid)
            if rec is not None and effective_kind(rec) == "battery":
                terms = terminal_pins(rec, "battery")
                if len(terms) >= 2:
                    net = self.nl.net_of(f"{pid}:{terms[1]}")
                    if net is not None:
                        return net
        return None

    def pin_node(self, pid: str, pin: Pin) -> str:
        """The node at the part's side of this pin's ammeter (shared by pins joined inside the part)."""
        ep = f"{pid}:{pin.name}"
        if ep in self.deck.pin_node:
            return self.deck.pin_node[ep]
        key = (pid, f"group:{pin.group}" if pin.group else pin.name)
        node = self._group_node.get(key)
        if node is None:
            node = self.names.take(f"{pid}_{pin_token(pin.name)}")
            self._group_node[key] = node
            net = self.nl.net_of(ep)
            if net is not None:
                am = self.names.take(f"am_{pid}_{pin_token(pin.name)}", "V")
                self.lines.append(f"{am} {self.deck.node_of_net[net.name]} {node} 0")
                self._record_ammeter(pid, pin, am)
        self.deck.pin_node[ep] = node
        return node

    def _record_ammeter(self, pid: str, pin: Pin, am: str) -> None:
        rec = self.nl.record(pid)
        members = [pin]
        if pin.group and rec is not None:
            members = [p for p in rec.pins if p.group == pin.group]
        for p in members:
            self.deck.ammeter.setdefault(f"{pid}:{p.name}", am)

    def node_of(self, pid: str, rec: ComponentRecord, name: str) -> str:
        pin = rec.pin(name)
        if pin is None:  # records are validated, so this is a terminal list naming a missing pin
            return self.names.take(f"{pid}_{pin_token(name)}_missing")
        return self.pin_node(pid, pin)

    def connected(self, pid: str, name: str) -> bool:
        return self.nl.net_of(f"{pid}:{name}") is not None

    def ref(self, pid: str, rec: ComponentRecord) -> str:
        """A part's own ground: its (first connected) ground pin, else an internal node."""
        if pid in self.deck.ref_node:
            return self.deck.ref_node[pid]
        grounds = [p for p in rec.pins_of_type("ground") if "cell_negative" not in p.functions] or \
            rec.pins_of_type("ground")
        chosen = next((g for g in grounds if self.connected(pid, g.name)), grounds[0] if grounds else None)
        node = self.pin_node(pid, chosen) if chosen else self.names.take(f"{pid}_ref")
        self.deck.ref_node[pid] = node
        return node

    # ---- emit helpers -----------------------------------------------------------------------
    def element(self, pid: str, letter: str, base: str, *fields: str) -> str:
        name = self.names.take(base, letter)
        self.lines.append(" ".join((name,) + fields))
        self.deck.element_of_part.setdefault(pid, []).append(name)
        return name

    def describe(self, text: str) -> None:
        """Replace the part's heading comment with a more precise one."""
        self.lines[self._head_idx] = comment(text)

    def finding(self, rule: str, sev: Severity, msg: str, where: list[str], fix: str | None = None) -> None:
        self.deck.findings.append(Finding(rule=rule, severity=sev, message=msg, where=where, fix=fix, source="spice"))

    def model(self, pid: str, kind: str, rec: ComponentRecord) -> ModelCard:
        want = _MODEL_TYPE_FOR[kind]
        text = rec.spice.model
        if text:
            try:
                card = parse_model(text)
                if card.type == want or (want == "VDMOS" and card.type == "VDMOS"):
                    return card
                problem = f"its model is a {card.type}, not a {want}"
            except SpiceTextError as e:
                problem = str(e)
            self.finding(
                "SPICE-BAD-MODEL", Severity.WARNING,
                f"The library's SPICE model for {rec.name} could not be used ({problem}); {pid} is simulated "
                "with a generic model instead.",
                [pid],
            )
        if kind in ("nmos", "pmos"):
            return _mosfet_card(rec, kind)
        card = parse_model(DEFAULT_MODELS[kind])
        r = rec.ratings
        if kind in ("npn", "pnp") and r.hfe:
            card.set("BF", r.hfe)
        if kind == "zener" and r.vz:
            card.set("BV", r.vz)
        if kind in ("diode", "led") and r.vr_max:
            card.set("BV", max(r.vr_max, 1.0))
        return card

    def value(self, pid: str, rec: ComponentRecord, positive: bool = True) -> float | None:
        """The part's value in SI units; a missing or unreadable value is a finding and the default is used."""
        part = self.nl.parts[pid]
        attr = rec.value_attr or "value"
        unit = rec.value_unit
        default = None
        if rec.default_value is not None:
            try:
                default = parse_value(rec.default_value, unit)
            except UnitError:
                default = None
        dtxt = format_value(default, unit or "") if default is not None else None
        raw = part.attrs.get(attr)
        fix_val = dtxt or "a value"
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if rec.category == "sensor" and default is not None:
                # an LDR or a thermistor has no value to write: its resistance is what it measures
                self.deck.notes.append(f"{pid} ({rec.name}): simulated at its nominal {dtxt}")
                return default
            self.finding(
                "SPICE-NO-VALUE", Severity.WARNING,
                f"{pid} ({rec.name}) has no {attr}"
                + (f"; it is simulated as {dtxt}. Write the value you mean in its '{attr}' attribute." if dtxt else
                   f"; it is left out of the simulation. Write a value in its '{attr}' attribute."),
                [pid], fix=f"set_value({pid}, {fix_val})",
            )
            return default
        try:
            v = parse_value(raw, unit)
        except UnitError:
            shown = comment_text(raw, limit=24)
            self.finding(
                "SPICE-BAD-VALUE", Severity.MAJOR,
                f"{pid} ({rec.name}) has the {attr} '{shown}', which is not a value: write a number with an "
                f"optional prefix and unit such as 220, 4k7, 10uF or 100 nF"
                + (f". It is simulated as {dtxt} for now." if dtxt else "."),
                [pid], fix=f"set_value({pid}, {fix_val})",
            )
            return default
        if positive and not v > 0:
            self.finding(
                "SPICE-BAD-VALUE", Severity.MAJOR,
                f"{pid} ({rec.name}) has the {attr} {format_value(v, unit or '')}; it must be more than zero"
                + (f". It is simulated as {dtxt} for now." if dtxt else "."),
                [pid], fix=f"set_value({pid}, {fix_val})",
            )
            return default
        return v

    # ---- build ------------------------------------------------------------------------------
    def build(self) -> Deck:
        self._net_nodes()
        head = [
            title_line(self.circuit.title),
            comment("Generated by circuitsmith from CircuitJSON for ngspice (DC operating point)."),
            comment("Nodes are the nets of the circuit, ground is node 0. Every connected pin is reached"),
            comment("through a 0 V source named V_am_<part>_<pin>, whose current is the current into that pin."),
            comment("The nets by the names the schematic, wiring list and report use:"),
        ]
        # one line per net: the same names as the other outputs, with the node SPICE reads
        head += [comment(f"net {name} = node {node}") for name, node in self.deck.node_of_net.items()]
        if self.deck.switches_closed:
            head.append(comment("This run has every switch and button closed (pressed)."))
        if self.knobs_full:
            head.append(comment("This run has every potentiometer turned fully up."))
        for part in self.circuit.parts:
            pid = part.id
            if pid not in self.nl.parts or self.nl.parts[pid] is not part:
                continue
            rec = self.library.get(part.type)
            if rec is None:
                self.lines.append(comment(f"{pid}: unknown part type, left out"))
                self.deck.notes.append(f"{comment_text(pid, 40)}: its type is not in the library, so it is left out")
                continue
            if not any(self.connected(pid, n) for n in rec.pin_names):
                self.deck.notes.append(f"{pid}: not connected, left out")
                continue
            kind = effective_kind(rec)
            self.lines.append("")
            self.lines.append(comment(f"{pid}: {rec.name} ({_KIND_WORDS.get(kind, kind)})"))
            self._head_idx = len(self.lines) - 1
            handler = getattr(self, f"_part_{kind}", None)
            if handler is None:
                self.lines.append(comment(f"{pid}: not simulated; its pins are left open"))
                self.deck.notes.append(f"{pid} ({rec.name}): no DC model, left open")
                continue
            handler(pid, rec)
        nodes = [n for n in self.deck.node_of_net.values() if n != "0"]
        tail = ["", comment("Device models (from the component library)")] + self.models if self.models else []
        tail += [
            "",
            comment(f"Every node has {format_value(R_SHUNT, 'Ω')} to ground so that open nodes still solve."),
            f".options rshunt={spice_number(R_SHUNT)}",
            self.deck.analysis,
            ".end",
        ]
        if not nodes and not self.deck.element_of_part:
            self.deck.notes.append("nothing to simulate")
        self.deck.text = "\n".join(head + self.lines + tail) + "\n"
        return self.deck

    # ---- part kinds ---------------------------------------------------------------------------
    def _two(self, pid: str, rec: ComponentRecord, kind: str) -> tuple[list[str], list[str]]:
        terms = terminal_pins(rec, kind)
        return terms, [self.node_of(pid, rec, t) for t in terms]

    def _passive(self, pid: str, rec: ComponentRecord, kind: str, letter: str, unit: str, note: str = "",
                 roles: tuple[str, str] | None = None) -> None:
        """A two-terminal R, C or L from the part's value; ``roles`` registers it for the checks."""
        terms, nodes = self._two(pid, rec, kind)
        v = self.value(pid, rec)
        if v is None or len(nodes) < 2:
            if kind == "resistor":
                self.lines.append(comment(f"{pid}: no usable value, left open"))
            return
        self.describe(f"{pid}: {rec.name} {format_value(v, unit)}{note}")
        self.element(pid, letter, pid, nodes[0], nodes[1], spice_number(v))
        if roles:
            self.deck.devices.append(Device(pid, kind, {roles[0]: f"{pid}:{terms[0]}", roles[1]: f"{pid}:{terms[1]}"}, v))

    def _part_resistor(self, pid: str, rec: ComponentRecord) -> None:
        self._passive(pid, rec, "resistor", "R", "Ω", roles=("1", "2"))

    def _part_capacitor(self, pid: str, rec: ComponentRecord) -> None:
        self._passive(pid, rec, "capacitor", "C", "F", " (open at DC)", roles=("+", "-"))

    def _part_inductor(self, pid: str, rec: ComponentRecord) -> None:
        self._passive(pid, rec, "inductor", "L", "H", " (a short at DC)")

    def _part_potentiometer(self, pid: str, rec: ComponentRecord) -> None:
        terms, nodes = self._two(pid, rec, "potentiometer")
        v = self.value(pid, rec)
        if v is None or len(nodes) < 3:
            return
        pos = 0.5
        raw = self.nl.parts[pid].attrs.get("position")
        if self.knobs_full:
            pos = 1.0
        elif raw is not None:
            try:
                pos = min(1.0, max(0.0, float(parse_value(raw))))
            except UnitError:
                pos = 0.5
        # position: how far the wiper is from the last terminal towards the first (1 = fully up)
        r1, r2 = max(v * (1 - pos), 1.0), max(v * pos, 1.0)
        self.describe(f"{pid}: {rec.name} {format_value(v, 'Ω')}, wiper at {pos:.0%}: two resistors")
        self.deck.devices.append(Device(pid, "potentiometer", {"1": f"{pid}:{terms[0]}", "w": f"{pid}:{terms[1]}",
                                                               "2": f"{pid}:{terms[2]}"}, v, info={"position": pos}))
        self.element(pid, "R", f"{pid}_a", nodes[0], nodes[1], spice_number(r1))
        self.element(pid, "R", f"{pid}_b", nodes[1], nodes[2], spice_number(r2))

    def _part_switch(self, pid: str, rec: ComponentRecord) -> None:
        terms, nodes = self._two(pid, rec, "switch")
        if len(nodes) < 2:
            return
        r_on = rec.spice.params.get("r_on", R_SWITCH_ON)
        attrs = self.nl.parts[pid].attrs
        drawn_closed = any(str(attrs.get(k, "")).strip().lower() in _CLOSED_WORDS for k in ("closed", "state", "pressed"))
        closed = self.deck.switches_closed or drawn_closed
        pair = (0, 1) if closed else ((0, 2) if len(nodes) > 2 else None)
        self.deck.devices.append(Device(pid, "switch", {"1": f"{pid}:{terms[0]}", "2": f"{pid}:{terms[1]}"},
                                        info={"closed": closed}))
        if pair is None:
            self.lines.append(comment(f"{pid}: open (not pressed)"))
            return
        self.lines.append(comment(f"{pid}: {'closed (pressed)' if closed else 'resting contact'}"))
        self.element(pid, "R", pid, nodes[pair[0]], nodes[pair[1]], spice_number(r_on))

    def _diode(self, pid: str, rec: ComponentRecord, kind: str, a: str, k: str, card: ModelCard, label: str) -> None:
        mname = self.names.take(f"{pid}_{label}" if label else pid, "DM")
        self.models.append(card.card(mname))
        na, nk = self.node_of(pid, rec, a), self.node_of(pid, rec, k)
        self.element(pid, "D", f"{pid}_{label}" if label else pid, na, nk, mname)

    def _part_diode(self, pid: str, rec: ComponentRecord, kind: str = "diode") -> None:
        terms = terminal_pins(rec, kind)
        if len(terms) < 2:
            return
        card = self.model(pid, kind, rec)
        self._diode(pid, rec, kind, terms[0], terms[1], card, "")
        self.deck.devices.append(Device(pid, kind, {"a": f"{pid}:{terms[0]}", "k": f"{pid}:{terms[1]}"}))

    def _part_zener(self, pid: str, rec: ComponentRecord) -> None:
        self._part_diode(pid, rec, "zener")

    def _part_led(self, pid: str, rec: ComponentRecord) -> None:
        part = self.nl.parts[pid]
        base = self.model(pid, "led", rec)
        pairs = led_channels(rec, part.attrs)  # anode, cathode, colour
        commons = [n for n in rec.pin_names if n.upper().startswith("COM")]
        said = part.attrs.get("color", part.attrs.get("colour"))
        if said is not None and colour_key(said) is None:
            self.deck.notes.append(f"{pid}: colour not recognised, using the record's forward voltage")
        elif said is not None and record_colour(rec) not in (None, colour_key(said)):
            self.deck.notes.append(f"{pid}: its colour attr says {colour_key(said)} but the part is a "
                                   f"{record_colour(rec)} LED; its own forward voltage is used")
        for a, k, _channel in pairs:
            led = forward_voltage(rec, part.attrs, (a, k))
            colour, vf = led.colour, led.vf
            card = ModelCard(base.type, dict(base.params), list(base.flags))
            i_nom = rec.ratings.if_nom or 0.02
            # move the record's curve so that it passes through this forward voltage at the nominal current
            # (the ERC and the sizing engine take the same figure: circuit.led_colors)
            n = card.get("N", 1.0) or 1.0
            rs = card.get("RS", 0.0) or 0.0
            drop = max(vf - i_nom * rs, 0.1)
            i_s = i_nom / math.exp(drop / (n * THERMAL_VOLTAGE))
            if i_s < IS_FLOOR:  # ngspice clamps tiny saturation currents: steepen N instead
                i_s = IS_FLOOR
                card.set("N", drop / (THERMAL_VOLTAGE * math.log(i_nom / i_s)))
            card.set("IS", i_s)
            label = pin_token(k if a == (commons[0] if commons else None) else a) if len(pairs) > 1 else ""
            self.lines.append(comment(f"{pid}{' ' + label if label else ''}: {colour or 'LED'}, "
                                      f"forward voltage {format_value(vf, 'V')} at {format_value(i_nom, 'A')}"))
            self._diode(pid, rec, "led", a, k, card, label)
            self.deck.devices.append(Device(pid, "led", {"a": f"{pid}:{a}", "k": f"{pid}:{k}"},
                                            info={"vf": vf, "colour": colour, "label": label}))

    def _part_npn(self, pid: str, rec: ComponentRecord, kind: str = "npn") -> None:
        terms = terminal_pins(rec, kind)
        if len(terms) < 3:
            return
        card = self.model(pid, kind, rec)
        mname = self.names.take(pid, "QM")
        self.models.append(card.card(mname))
        c, b, e = (self.node_of(pid, rec, t) for t in terms[:3])
        self.element(pid, "Q", pid, c, b, e, mname)
        self.deck.devices.append(Device(pid, kind, {"c": f"{pid}:{terms[0]}", "b": f"{pid}:{terms[1]}",
                                                    "e": f"{pid}:{terms[2]}"}))

    def _part_pnp(self, pid: str, rec: ComponentRecord) -> None:
        self._part_npn(pid, rec, "pnp")

    def _part_nmos(self, pid: str, rec: ComponentRecord, kind: str = "nmos") -> None:
        terms = terminal_pins(rec, kind)
        if len(terms) < 3:
            return
        card = self.model(pid, kind, rec)
        if kind == "pmos" and "pchan" not in card.flags:
            card.flags = [f for f in card.flags if f != "nchan"] + ["pchan"]
        mname = self.names.take(pid, "MM")
        self.models.append(card.card(mname))
        d, g, s = (self.node_of(pid, rec, t) for t in terms[:3])
        self.element(pid, "M", pid, d, g, s, mname)
        self.deck.devices.append(Device(pid, kind, {"d": f"{pid}:{terms[0]}", "g": f"{pid}:{terms[1]}",
                                                    "s": f"{pid}:{terms[2]}"}))

    def _part_pmos(self, pid: str, rec: ComponentRecord) -> None:
        self._part_nmos(pid, rec, "pmos")

    def _part_load(self, pid: str, rec: ComponentRecord) -> None:
        """Coils and solenoids: their coil resistance between each pair of terminals. A brushed DC
        motor: its running current (set by its load torque, not by the voltage, because of its
        back-EMF), limited by its winding resistance at low voltage: I = I_run·tanh(V / (R_w·I_run))."""
        r = rec.ratings
        terms = terminal_pins(rec, "load")
        r_w = r.r_coil or ((r.v_rated / r.i_stall) if r.v_rated and r.i_stall else None)
        if _is_brushed_motor(rec) and r.i_rated and r_w and len(terms) >= 2:
            a, b = terms[0], terms[1]
            na, nb = self.node_of(pid, rec, a), self.node_of(pid, rec, b)
            self.describe(f"{pid}: {rec.name}, running current {format_value(r.i_rated, 'A')}, winding "
                          f"{format_value(r_w, 'Ω')}")
            k = spice_number(r_w * r.i_rated)
            self.element(pid, "B", pid, na, nb, f"I={spice_number(r.i_rated)}*tanh(v({na},{nb})/{k})")
            self.deck.devices.append(Device(pid, "load", {"1": f"{pid}:{a}", "2": f"{pid}:{b}"}, r_w,
                                            info={"how": "running current behind the winding resistance",
                                                  "i_run": r.i_rated}))
            return
        if r.r_coil:
            res, how = r.r_coil, "coil resistance"
        elif r.v_rated and r.i_rated:
            res, how = r.v_rated / r.i_rated, "rated voltage over rated current"
        elif r.v_rated and r.i_stall:
            res, how = r.v_rated / r.i_stall, "rated voltage over stall current"
        elif rec.supply.current_typ and (rec.supply.v_max or rec.supply.v_min):
            v = rec.supply.v_max or rec.supply.v_min
            res, how = v / rec.supply.current_typ, "supply voltage over typical current"
        else:
            self.lines.append(comment(f"{pid}: no coil resistance or rated current in the library, left open"))
            self.deck.notes.append(f"{pid} ({rec.name}): no coil resistance known, left open")
            return
        pairs = [terms[i : i + 2] for i in range(0, len(terms) - 1, 2)]
        for i, (a, b) in enumerate(pairs):
            self.lines.append(comment(f"{pid}: {format_value(res, 'Ω')} ({how})"))
            self.element(pid, "R", f"{pid}_coil{i + 1}" if len(pairs) > 1 else pid,
                         self.node_of(pid, rec, a), self.node_of(pid, rec, b), spice_number(res))
            self.deck.devices.append(Device(pid, "load", {"1": f"{pid}:{a}", "2": f"{pid}:{b}"}, res,
                                            info={"how": how}))

    def _part_battery(self, pid: str, rec: ComponentRecord) -> None:
        terms = terminal_pins(rec, "battery")
        plus = next((p.name for p in rec.pins_of_type("power_out")), terms[0] if terms else None)
        minus = next((p.name for p in rec.pins_of_type("ground")), terms[1] if len(terms) > 1 else None)
        if plus is None or minus is None:
            return
        volts = self.nl.rail_voltage_of_pin(f"{pid}:{plus}") or rec.ratings.v_nominal
        if volts is None:
            self.deck.notes.append(f"{pid}: battery voltage unknown, left out")
            return
        r_int = rec.spice.params.get("r_int", 0.5)
        hi = self.names.take(f"{pid}_emf")
        np_, nm = self.node_of(pid, rec, plus), self.node_of(pid, rec, minus)
        self.describe(f"{pid}: {rec.name}, {format_value(volts, 'V')} behind {format_value(r_int, 'Ω')}")
        self.element(pid, "V", pid, hi, nm, f"DC {spice_number(volts)}")
        self.element(pid, "R", f"{pid}_int", hi, np_, spice_number(r_int))
        self.deck.sources.append(Source(pid, f"{pid}:{plus}", "battery", volts))

    def _part_regulator(self, pid: str, rec: ComponentRecord) -> None:
        ins = rec.pins_of_type("power_in")
        outs = rec.pins_of_type("power_out")
        if not ins or not outs:
            self.lines.append(comment(f"{pid}: regulator without input/output pins in the library, left open"))
            return
        # an adjustable regulator without a ground pin (LM317) holds OUT a reference voltage above ADJ
        adj = next((p for p in rec.pins if p.name.upper() in ("ADJ", "ADJUST") or "vref" in p.functions), None)
        adjustable = adj is not None and not rec.pins_of_type("ground") and self.connected(pid, adj.name)
        g = "0" if adjustable else self.ref(pid, rec)
        pin_in = next((p for p in ins if self.connected(pid, p.name)), ins[0])
        n_in = self.pin_node(pid, pin_in)
        r = rec.ratings
        eff = rec.spice.params.get("efficiency")
        boost = rec.spice.params.get("boost", 0.0) > 0
        buck_boost = rec.spice.params.get("buck_boost", 0.0) > 0
        drop = r.dropout if r.dropout is not None else (0.0 if boost or buck_boost else 1.0)
        v_ref = rec.spice.params.get("v_ref", 1.25)
        for pout in outs:
            if not self.connected(pid, pout.name):
                continue
            ep = f"{pid}:{pout.name}"
            vin = f"v({n_in},{g})" if g != "0" else f"v({n_in})"
            n_out = self.pin_node(pid, pout)
            internal = self.names.take(f"{pid}_{pin_token(pout.name)}_src")
            if adjustable:
                assert adj is not None
                n_adj = self.pin_node(pid, adj)
                vout = None
                expr = f"min(v({n_adj})+{spice_number(v_ref)},max(0,{vin}-{spice_number(drop)}))"
                how = f"{format_value(v_ref, 'V')} above its {adj.name} pin, or its input minus {format_value(drop, 'V')}"
            else:
                vout = self.nl.rail_voltage_of_pin(ep) or r.v_out
                if vout is None:
                    self.lines.append(comment(f"{pid} {pout.name}: output voltage unknown, left open"))
                    self.deck.notes.append(f"{pid}: output voltage unknown (set its 'voltage' attribute), left open")
                    continue
                if buck_boost:  # a SEPIC holds its set point from inputs above or below it, once in its input range
                    vmin = rec.supply.v_min or 1.5
                    expr = f"{spice_number(vout)}*min(1,max(0,{vin})/{spice_number(vmin)})"
                    how = f"{format_value(vout, 'V')} from any input of {format_value(vmin, 'V')} or more, above or below it"
                elif boost:  # below its set point a boost converter passes its input on, less a diode drop
                    expr = f"max({spice_number(vout)}*min(1,max(0,{vin})/1.5),{vin}-0.4)"
                    how = f"{format_value(vout, 'V')} once its input is above 1.5 V, never below its input"
                else:
                    expr = f"min({spice_number(vout)},max(0,{vin}-{spice_number(drop)}))"
                    how = f"{format_value(vout, 'V')}, or its input minus {format_value(drop, 'V')} dropout"
            self.lines.append(comment(f"{pid} {pout.name}: {how}"))
            self.element(pid, "B", f"{pid}_{pin_token(pout.name)}", internal, g, f"V={expr}")
            self.element(pid, "R", f"{pid}_{pin_token(pout.name)}_out", internal, n_out,
                         spice_number(rec.spice.params.get("r_out", R_RAIL)))
            am = self.deck.ammeter.get(ep)
            if am:
                # current drawn from the output = -i(ammeter); the input supplies it (or its power, for a switcher)
                if eff:
                    vo = f"v({n_out},{g})" if g != "0" else f"v({n_out})"
                    iexpr = f"max(0,-i({am}))*max(0,{vo})/({spice_number(eff)}*max({vin},0.5))"
                    self.lines.append(comment(f"{pid}: its input takes the output power at {eff:.0%} efficiency"))
                else:
                    iexpr = f"max(0,-i({am}))"
                    self.lines.append(comment(f"{pid}: its input carries the output current (linear regulator)"))
                self.element(pid, "B", f"{pid}_{pin_token(pout.name)}_in", n_in, g, f"I={iexpr}")
            self.deck.sources.append(Source(pid, ep, "regulator", vout))
            roles = {"in": f"{pid}:{pin_in.name}", "out": ep}
            if adjustable and adj is not None:
                roles["adj"] = f"{pid}:{adj.name}"
            self.deck.devices.append(Device(pid, "regulator", roles, vout,
                                            info={"dropout": drop, "efficiency": eff, "boost": boost,
                                                  "adjustable": adjustable, "v_ref": v_ref}))
        self._module_load(pid, rec, g, only_if_known=True)

    def _part_mcu(self, pid: str, rec: ComponentRecord) -> None:
        g = self.ref(pid, rec)
        level = rec.supply.logic_level or 5.0
        r_out = rec.spice.params.get("r_out") or R_OUT_DEFAULT.get(level, 30.0)
        r_in = rec.spice.params.get("r_in", R_IN_MCU)
        r_rail = rec.spice.params.get("r_rail", R_RAIL)
        seen: set[str] = set()
        rails: list[str] = []    # endpoints of the board's own rails and driven pins (sources)
        inputs: list[Pin] = []   # supply inputs an outside source feeds
        for pin in rec.pins:
            ep = f"{pid}:{pin.name}"
            if ep in seen or not self.connected(pid, pin.name):
                continue
            seen.add(ep)
            tok = pin_token(pin.name)
            if pin.type == "power_out" and ep in self.fed:
                inputs.append(pin)
            elif pin.type == "power_out":
                if self._rail(pid, rec, pin, g, r_rail, "rail"):
                    rails.append(ep)
            elif pin.type == "power_in":
                if self._fed(ep):
                    inputs.append(pin)
                else:
                    self._supply_load(pid, rec, pin, g)
            elif pin.type in ("digital_io", "digital_out", "analog_out", "digital_in", "analog_in"):
                drive = self.deck.drives.get(ep)
                node = self.pin_node(pid, pin)
                if drive is not None and drive.output:
                    v = (pin.v_out or level) if drive.high else 0.0
                    internal = self.names.take(f"{pid}_{tok}_drv")
                    self.lines.append(comment(f"{pid} {pin.name}: {drive.label} ({drive.why}), "
                                              f"{format_value(v, 'V')} behind {format_value(r_out, 'Ω')}"))
                    self.element(pid, "V", f"{pid}_{tok}", internal, g, f"DC {spice_number(v)}")
                    self.element(pid, "R", f"{pid}_{tok}_out", internal, node, spice_number(r_out))
                    self.deck.sources.append(Source(pid, ep, "gpio", v))
                    rails.append(ep)  # what a pin sources comes out of the board's supply too
                else:
                    self.lines.append(comment(f"{pid} {pin.name}: input, {format_value(r_in, 'Ω')} leakage"))
                    self.element(pid, "R", f"{pid}_{tok}_in", node, g, spice_number(r_in))
        if inputs:
            self._board_input(pid, rec, inputs[0], g, rails)

    def _fed(self, ep: str) -> bool:
        """A supply input with a source on its net (or behind a switch, fuse or diode)."""
        net = self.nl.net_of(ep)
        if net is None:
            return False
        if self._net_voltage(net):
            return True
        return upstream_source(self.nl, ep) is not None

    def _board_input(self, pid: str, rec: ComponentRecord, pin: Pin, g: str, rails: list[str]) -> None:
        """A board powered through ``pin``: its own draw plus whatever its rails deliver flows in there
        (its on-board regulator is linear), fading out below 1.5 V so an unfed input still solves."""
        node = self.pin_node(pid, pin)
        own = rec.supply.current_typ or 0.0
        terms = [spice_number(own)] + [f"max(0,-i({am}))" for ep in rails if (am := self.deck.ammeter.get(ep))]
        v = f"v({node},{g})" if g != "0" else f"v({node})"
        self.lines.append(comment(f"{pid} {pin.name}: powered from outside here; the board takes "
                                  f"{format_value(own, 'A')} plus what its rails and pins deliver"))
        self.element(pid, "B", f"{pid}_{pin_token(pin.name)}_in", node, g,
                     f"I=({'+'.join(terms)})*max(0,min(1,{v}-0.5))")
        self.deck.devices.append(Device(pid, "board_input", {"in": f"{pid}:{pin.name}"}, own,
                                        info={"outputs": list(rails)}))

    def _net_voltage(self, net: Net) -> float | None:
        """Nominal voltage of a net from its real sources (a fed board VIN is not one); 0 for ground."""
        volts = []
        for ep in net.pins:
            p = self.nl.pin(ep)
            if p is None:
                continue
            if p.type == "ground":
                return 0.0
            if p.type == "power_out" and ep not in self.fed:
                v = self.nl.rail_voltage_of_pin(ep)
                if v is not None:
                    volts.append(v)
        return max(volts) if volts else None

    def _rail(self, pid: str, rec: ComponentRecord, pin: Pin, g: str, r_src: float, role: str) -> bool:
        ep = f"{pid}:{pin.name}"
        volts = self.nl.rail_voltage_of_pin(ep)
        if volts is None:
            self.lines.append(comment(f"{pid} {pin.name}: rail voltage unknown, left open"))
            return False
        tok = pin_token(pin.name)
        internal = self.names.take(f"{pid}_{tok}_src")
        limit = f", limit {format_value(pin.i_max, 'A')}" if pin.i_max else ""
        self.lines.append(comment(f"{pid} {pin.name}: {format_value(volts, 'V')} rail behind "
                                  f"{format_value(r_src, 'Ω')}{limit}"))
        self.element(pid, "V", f"{pid}_{tok}", internal, g, f"DC {spice_number(volts)}")
        self.element(pid, "R", f"{pid}_{tok}_src", internal, self.pin_node(pid, pin), spice_number(r_src))
        self.deck.sources.append(Source(pid, ep, role, volts))
        return True

    def _supply_volts(self, pid: str, rec: ComponentRecord, pin: Pin) -> float | None:
        net = self.nl.net_of(f"{pid}:{pin.name}")
        v = self._net_voltage(net) if net is not None else None
        if v:
            return v
        for ep in net.pins if net is not None else []:  # fed from a GPIO driven HIGH: its logic level
            drive = self.deck.drives.get(ep)
            src = self.nl.pin(ep)
            owner = self.nl.record(ep.split(":", 1)[0])
            if drive is not None and drive.output and drive.high and src is not None and owner is not None:
                return src.v_out or owner.supply.logic_level or 5.0
        s = rec.supply
        if s.v_min and s.v_max:
            return (s.v_min + s.v_max) / 2
        return s.v_max or s.v_min or rec.ratings.v_rated

    def _supply_load(self, pid: str, rec: ComponentRecord, pin: Pin, g: str) -> bool:
        i = rec.supply.current_typ
        v = self._supply_volts(pid, rec, pin)
        if not i or not v:
            self.lines.append(comment(f"{pid} {pin.name}: supply current unknown, not loaded"))
            return False
        res = v / i
        self.lines.append(comment(f"{pid} {pin.name}: draws {format_value(i, 'A')} at {format_value(v, 'V')} "
                                  f"({format_value(res, 'Ω')})"))
        self.element(pid, "R", f"{pid}_{pin_token(pin.name)}_load", self.pin_node(pid, pin), g, spice_number(res))
        return True

    def _module_load(self, pid: str, rec: ComponentRecord, g: str, only_if_known: bool = False) -> None:
        ins = [p for p in rec.pins_of_type("power_in") if self.connected(pid, p.name)]
        if not ins:
            return
        if only_if_known and not rec.supply.current_typ:
            return
        with_v = [p for p in ins if (n := self.nl.net_of(f"{pid}:{p.name}")) is not None and self._net_voltage(n)]
        self._supply_load(pid, rec, (with_v or ins)[0], g)

    def _own_connector(self, pid: str, rec: ComponentRecord, g: str) -> Pin | None:
        """A module fed through a connector of its own (a TP4056's USB jack, ``flags.onboard_power_connector``)
        when no supply in the circuit reaches its power input: the connector is a source at the middle of
        the module's supply range on that input, and the module draws its supply current from it."""
        ins = rec.pins_of_type("power_in")
        if not rec.flags.onboard_power_connector or not ins:
            return None
        if any(self.connected(pid, p.name) and self._fed(f"{pid}:{p.name}") for p in ins):
            return None  # fed from the circuit: an ordinary supply input
        s = rec.supply
        volts = (s.v_min + s.v_max) / 2 if s.v_min and s.v_max else (s.v_max or s.v_min)
        if not volts:
            return None
        pin = ins[0]
        node = self.pin_node(pid, pin)
        internal = self.names.take(f"{pid}_{pin_token(pin.name)}_jack")
        self.lines.append(comment(f"{pid} {pin.name}: no supply in the circuit reaches it; the module runs from its "
                                  f"own power connector, {format_value(volts, 'V')} behind {format_value(R_RAIL, 'Ω')}"))
        self.element(pid, "V", f"{pid}_{pin_token(pin.name)}_jack", internal, g, f"DC {spice_number(volts)}")
        self.element(pid, "R", f"{pid}_{pin_token(pin.name)}_jack", internal, node, spice_number(R_RAIL))
        self.deck.sources.append(Source(pid, f"{pid}:{pin.name}", "connector", volts))
        self.deck.notes.append(f"{pid} ({rec.name}): powered through its own connector (nothing in the circuit "
                               f"feeds {pin.name}), simulated as {format_value(volts, 'V')} there")
        if rec.supply.current_typ:
            self._supply_load(pid, rec, pin, g)
        return pin

    def _part_module(self, pid: str, rec: ComponentRecord) -> None:
        g = self.ref(pid, rec)
        jack = self._own_connector(pid, rec, g)
        if jack is None:
            self._module_load(pid, rec, g)
        supply_pins = [p for p in rec.pins_of_type("power_in") if self.connected(pid, p.name)]
        if jack is not None:
            supply_pins = [jack]
        r_out = rec.spice.params.get("r_out", R_OUT_MODULE)
        r_in = rec.spice.params.get("r_in", R_IN_MODULE)
        seen: set[str] = set()
        compared = self._compared_outputs(pid, rec, supply_pins) if self.comparators else {}
        for pin in rec.pins:
            ep = f"{pid}:{pin.name}"
            if ep in seen or not self.connected(pid, pin.name):
                continue
            seen.add(ep)
            tok = pin_token(pin.name)
            if pin.name in compared:
                self._comparator_output(pid, rec, pin, g, supply_pins[0], *compared[pin.name])
            elif pin.type == "power_out" and ep in self.fed:
                self.lines.append(comment(f"{pid} {pin.name}: fed from outside, an input here"))
            elif pin.type == "power_out":
                self._rail(pid, rec, pin, g, rec.spice.params.get("r_rail", 0.1), "rail")
            elif pin.type in ("digital_out", "analog_out"):
                node = self.pin_node(pid, pin)
                internal = self.names.take(f"{pid}_{tok}_drv")
                level = pin.v_out or rec.supply.logic_level
                if level and supply_pins:
                    # an output cannot rise above the supply the module actually gets (HC-SR04 on 3.3 V)
                    sup = self.pin_node(pid, supply_pins[0])
                    vsup = f"v({sup},{g})" if g != "0" else f"v({sup})"
                    self.lines.append(comment(f"{pid} {pin.name}: output HIGH, {format_value(level, 'V')} or its supply "
                                              f"if lower, behind {format_value(r_out, 'Ω')}"))
                    self.element(pid, "B", f"{pid}_{tok}", internal, g,
                                 f"V=min({spice_number(level)},max(0,{vsup}))")
                elif level:
                    self.lines.append(comment(f"{pid} {pin.name}: output HIGH, {format_value(level, 'V')} behind "
                                              f"{format_value(r_out, 'Ω')}"))
                    self.element(pid, "V", f"{pid}_{tok}", internal, g, f"DC {spice_number(level)}")
                elif supply_pins:
                    sup = self.pin_node(pid, supply_pins[0])
                    # a divider board gives a fixed share of its input (record: spice.params.out_gain)
                    gain = rec.spice.params.get("out_gain", 1.0)
                    share = "its supply voltage" if gain == 1.0 else f"{gain:g} of its input voltage"
                    self.lines.append(comment(f"{pid} {pin.name}: output HIGH at {share}, behind "
                                              f"{format_value(r_out, 'Ω')}"))
                    self.element(pid, "E", f"{pid}_{tok}", internal, g, sup, g, spice_number(gain))
                else:
                    self.lines.append(comment(f"{pid} {pin.name}: output level unknown, left open"))
                    continue
                self.element(pid, "R", f"{pid}_{tok}_out", internal, node, spice_number(r_out))
                self.deck.sources.append(Source(pid, ep, "module_out", level))
            elif "cell_negative" in pin.functions and self.pin_node(pid, pin) != g:
                r_on = rec.spice.params.get("r_protect", R_PROTECT)
                self.lines.append(comment(f"{pid} {pin.name}: the cell's - reaches its protected ground through the "
                                          f"protection switch, {format_value(r_on, 'Ω')} while on"))
                self.element(pid, "R", f"{pid}_{tok}_switch", self.pin_node(pid, pin), g, spice_number(r_on))
            elif pin.type in ("digital_in", "analog_in", "digital_io"):
                self.lines.append(comment(f"{pid} {pin.name}: input, {format_value(r_in, 'Ω')}"))
                self.element(pid, "R", f"{pid}_{tok}_in", self.pin_node(pid, pin), g, spice_number(r_in))

    def _compared_outputs(self, pid: str, rec: ComponentRecord, supply_pins: list[Pin]) -> dict[str, tuple[str, str]]:
        """Output pin -> (IN+, IN-) of each op-amp or comparator channel with its inputs and output wired,
        from the record's channels (``requires.units``: OUT, IN-, IN+) or its SPICE terminals."""
        if not supply_pins or not (rec.spice.kind == "opamp" or any(c.capability == "compare-threshold"
                                                                    for c in rec.provides)):
            return {}
        units = [(u[0], u[2], u[1]) for u in rec.requires.units if len(u) >= 3]
        t = rec.spice.terminals
        if not units and rec.spice.kind == "opamp" and len(t) >= 5:
            units = [(t[4], t[0], t[1])]
        return {out: (inp, inn) for out, inp, inn in units
                if all(rec.pin(n) is not None and self.connected(pid, n) for n in (out, inp, inn))}

    def _comparator_output(self, pid: str, rec: ComponentRecord, pin: Pin, g: str, supply: Pin, inp: str,
                           inn: str) -> None:
        node = self.pin_node(pid, pin)
        vp, vn = self.node_of(pid, rec, inp), self.node_of(pid, rec, inn)
        ref = f",{g}" if g != "0" else ""
        avol = rec.spice.params.get("avol") if rec.spice.kind == "opamp" else None
        if avol:
            self._amplifier_output(pid, rec, pin, g, supply, inp, inn, avol)
            return
        step = f"(0.5+0.5*tanh(1000*(v({vp}{ref})-v({vn}{ref}))))"
        tok = pin_token(pin.name)
        if "open_drain" in pin.functions:
            self.lines.append(comment(f"{pid} {pin.name}: open collector, sinking while {inp} is below {inn}, "
                                      "else open (ideal comparator)"))
            self.element(pid, "B", f"{pid}_{tok}_oc", node, g, f"I=v({node}{ref})/{spice_number(R_OUT_MODULE)}*(1-{step})")
            return
        sup = self.pin_node(pid, supply)
        hi = rec.spice.params.get("vout_headroom_high", 0.0)
        lo = rec.spice.params.get("vout_headroom_low", 0.0)
        internal = self.names.take(f"{pid}_{tok}_drv")
        self.lines.append(comment(f"{pid} {pin.name}: high while {inp} is above {inn}, else low (ideal comparator)"))
        self.element(pid, "B", f"{pid}_{tok}", internal, g,
                     f"V={spice_number(lo)}+max(0,v({sup}{ref})-{spice_number(hi + lo)})*{step}")
        self.element(pid, "R", f"{pid}_{tok}_out", internal, node, spice_number(rec.spice.params.get("r_out", R_OUT_MODULE)))

    def _amplifier_output(self, pid: str, rec: ComponentRecord, pin: Pin, g: str, supply: Pin, inp: str, inn: str,
                          avol: float) -> None:
        """An op-amp channel: its open-loop gain (record ``avol``) on the input difference, the output held
        between its supply rails less the record's headroom (``vout_headroom_low``/``_high``), smoothly
        (tanh) so the operating point converges, behind its output resistance."""
        node = self.pin_node(pid, pin)
        vp, vn = self.node_of(pid, rec, inp), self.node_of(pid, rec, inn)
        ref = f",{g}" if g != "0" else ""
        sup = self.pin_node(pid, supply)
        hi = rec.spice.params.get("vout_headroom_high", 0.0)
        lo = rec.spice.params.get("vout_headroom_low", 0.0)
        span = f"max(0.01,v({sup}{ref})-{spice_number(hi + lo)})"
        tok = pin_token(pin.name)
        internal = self.names.take(f"{pid}_{tok}_drv")
        self.lines.append(comment(f"{pid} {pin.name}: open-loop gain {avol:g} on ({inp} - {inn}), swinging from "
                                  f"{format_value(lo, 'V')} above its ground to {format_value(hi, 'V')} below its supply"))
        self.element(pid, "B", f"{pid}_{tok}", internal, g,
                     f"V={spice_number(lo)}+{span}*(0.5+0.5*tanh({spice_number(2 * avol)}*(v({vp}{ref})-v({vn}{ref}))"
                     f"/{span}))")
        self.element(pid, "R", f"{pid}_{tok}_out", internal, node, spice_number(rec.spice.params.get("r_out", R_OUT_MODULE)))

    _part_opamp = _part_module
    _part_subckt = _part_module
    _part_ic = _part_module


_CLOSED_WORDS = {"closed", "on", "true", "1", "yes", "pressed"}

_KIND_WORDS = {
    "mcu": "microcontroller board", "module": "module, modelled as its rated supply current",
    "load": "coil or motor, modelled as its resistance", "led": "LED", "npn": "NPN transistor",
    "pnp": "PNP transistor", "nmos": "N-channel MOSFET", "pmos": "P-channel MOSFET",
    "regulator": "voltage regulator", "battery": "battery", "switch": "switch", "resistor": "resistor",
    "capacitor": "capacitor", "inductor": "inductor", "potentiometer": "potentiometer", "diode": "diode",
    "zener": "zener diode", "opamp": "op-amp, modelled by its open-loop gain and output swing (its supply current drawn)", "subckt": "IC",
}


def _is_brushed_motor(rec: ComponentRecord) -> bool:
    """A brushed DC motor (back-EMF), as opposed to a coil or a stepper phase (pure resistance)."""
    if "brushed" in rec.spice.params:
        return rec.spice.params["brushed"] > 0
    return rec.actuator == "dc-motor"


def _mosfet_card(rec: ComponentRecord, kind: str) -> ModelCard:
    """A VDMOS card from the datasheet ratings: threshold, and Kp so that Rds(on) holds at the rated gate drive."""
    r = rec.ratings
    vto = r.vgs_th if r.vgs_th is not None else (2.0 if kind == "nmos" else -2.0)
    vto_abs = abs(vto)
    rds = r.rds_on or 0.05
    vgs = abs(r.rds_on_vgs or 10.0)
    kp = 1.0 / (max(rds / 2, 1e-4) * max(vgs - vto_abs, 0.5))
    card = ModelCard("VDMOS", {"Vto": vto_abs if kind == "nmos" else -vto_abs, "Kp": kp, "Rd": rds / 2, "Rs": 0.0})
    if kind == "pmos":
        card.flags.append("pchan")
    return card
