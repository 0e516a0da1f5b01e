"""Requirement coverage: does a design contain, and wire by its function, every part its request names?

Passing the gates is not enough: a design that leaves out what was asked passes every rule. This
check is deliberately independent of the design pipeline's own identify step: the parts a request
names are found with the knowledge base's lexical index (``knowledge.lexical.LexicalIndex``: keys,
names, aliases and part numbers, longest match first), and the design is read back through its
netlist.

A named part is *covered* when a part of that kind is in the design and

- every supply pin sits on a net fed by a rail inside the part's supply range, and its ground pin
  on ground;
- with a controller in the design, each bus pin (I2C, SPI, UART) reaches a controller pin with the
  matching capability (directly, or through a resistor divider or a level-shifter channel), an
  analog output reaches an ADC-capable pin, a PWM input a PWM-capable pin, and at least one of its
  signal pins reaches the controller;
- a motor, solenoid, pump or relay coil is not on a controller pin directly (it goes through a
  driver or a transistor), and a coil has a flyback path unless its driver provides one;
- an LED reaches its driver through a resistor; a button reaches a controller input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from circuit.model import Circuit
from circuit.netlist import Netlist
from knowledge.lexical import LexicalIndex, compact, tokens
from knowledge.library import Library

MAX_WINDOW = 5
QTY = {"two": 2, "dual": 2, "pair": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8}
BUS_FUNCS = ("i2c_sda", "i2c_scl", "spi_mosi", "spi_miso", "spi_sck", "uart_tx", "uart_rx")
MATCH = {"i2c_sda": {"i2c_sda"}, "i2c_scl": {"i2c_scl"}, "spi_mosi": {"spi_mosi"}, "spi_miso": {"spi_miso"},
         "spi_sck": {"spi_sck"}, "uart_tx": {"uart_rx", "gpio"}, "uart_rx": {"uart_tx", "gpio"}}


FEATURES = {"power", "ac", "wifi", "wi fi", "bluetooth", "usb", "gpio", "adc", "pwm", "i2c", "spi", "uart"}
ANY_BOARD = {"microcontroller", "mcu", "controller", "board"}


@dataclass
class Requirement:
    phrase: str
    keys: list[str]           # any of these satisfies it
    qty: int = 1
    family: str | None = None  # a generic name ("motor", "pressure sensor"): any part called that satisfies it


@dataclass
class CoverageResult:
    required: list[Requirement] = field(default_factory=list)
    met: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)   # "phrase: why"

    @property
    def score(self) -> float:
        return 1.0 if not self.required else len(self.met) / len(self.required)


_INDEX: dict[int, tuple[Library, LexicalIndex]] = {}


def lexical(library: Library) -> LexicalIndex:
    hit = _INDEX.get(id(library))
    if hit is None or hit[0] is not library:
        _INDEX.clear()
        hit = _INDEX[id(library)] = (library, LexicalIndex(library))
    return hit[1]


def named_parts(request: str, library: Library) -> list[Requirement]:
    """Parts the request names, by key/name/alias/part number; "A or B" is one requirement."""
    lx = lexical(library)
    out: list[Requirement] = []
    for clause in re.split(r"[,.;:!?()]", request):
        toks = tokens(clause)
        i = 0
        prev_end = -10
        while i < len(toks):
            hit = None
            for n in range(min(MAX_WINDOW, len(toks) - i), 0, -1):
                window = toks[i:i + n]
                forms = {compact(" ".join(window))}
                if window[-1].endswith("s") and len(window[-1]) > 3:
                    forms.add(compact(" ".join(window[:-1] + [window[-1][:-1]])))
                for f in forms:
                    if f in lx.exact:
                        hit = (n, sorted(lx.exact[f]), " ".join(window))
                        break
                if hit:
                    break
            if not hit:
                i += 1
                continue
            n, keys, phrase = hit
            if phrase in FEATURES:
                i += n
                continue
            qty = 1
            if i > 0 and toks[i - 1] in QTY:
                qty = QTY[toks[i - 1]]
            elif i > 0 and toks[i - 1].isdigit() and 1 < int(toks[i - 1]) <= 16:
                qty = int(toks[i - 1])
            levels = lx.exact.get(compact(phrase), {})
            generic = not any(c.isdigit() for c in phrase) and (n == 1 or max(levels.values() or [1]) <= 1)
            family = phrase if generic else None
            if out and i - prev_end <= 1 and i > 0 and toks[i - 1] == "or":
                out[-1].keys = sorted(set(out[-1].keys) | set(keys))  # "ESP32 or HC-05"
            elif out and i == prev_end and (set(keys) & set(out[-1].keys) or (generic and (
                    len(keys) > 1 or {library[k].category for k in keys} & {library[k].category for k in out[-1].keys}))):
                pass  # "SSD1306 OLED", "L298N stepper driver", "BMP280 barometer": one part named twice in a row
            else:
                out.append(Requirement(phrase, keys, qty, family))
            prev_end = i + n
            i += n
    # one requirement per part
    merged: list[Requirement] = []
    for r in out:
        same = next((m for m in merged if set(m.keys) == set(r.keys)), None)
        if same is None:
            merged.append(r)
        else:
            same.qty = max(same.qty, r.qty)
    return merged


# ---- wiring checks ----------------------------------------------------------------------------
class _Design:
    def __init__(self, circuit: Circuit, library: Library):
        self.c = circuit
        self.lib = library
        self.nl = Netlist(circuit, library)
        self.mcus = [p.id for p in circuit.parts if library.get(p.type) is not None and library[p.type].is_mcu]

    def rec(self, pid: str):
        return self.nl.record(pid)

    def reach(self, ep: str, depth: int = 3) -> list[str]:
        """Endpoints reachable from ``ep`` across wires, resistors and level-shifter channels."""
        seen_nets, out = set(), []
        frontier = [ep]
        for _ in range(depth):
            nxt = []
            for e in frontier:
                net = self.nl.net_of(e)
                if net is None or net.name in seen_nets:
                    continue
                if net.name == "GND" or self.nl.net_voltage(net) is not None:
                    continue  # rails and ground are not signal paths
                seen_nets.add(net.name)
                for other in net.pins:
                    out.append(other)
                    pid, pin = other.split(":", 1)
                    rec = self.rec(pid)
                    if rec is None:
                        continue
                    if rec.spice.kind == "resistor" and len(rec.pin_names) == 2:
                        a, b = rec.pin_names
                        nxt.append(f"{pid}:{b if pin == a else a}")
                    m = re.match(r"^(LV|HV|A|B)(\d+)$", pin)
                    if m and "level" in (rec.name + " " + " ".join(rec.aliases)).lower():
                        side = {"LV": "HV", "HV": "LV", "A": "B", "B": "A"}[m.group(1)]
                        nxt.append(f"{pid}:{side}{m.group(2)}")
            frontier = nxt
        return out

    def mcu_pins(self, ep: str) -> list:
        pins = []
        for o in self.reach(ep):
            pid = o.split(":", 1)[0]
            if pid in self.mcus:
                p = self.nl.pin(o)
                if p is not None:
                    pins.append(p)
        return pins


def _check_part(d: _Design, pid: str) -> str | None:
    """None when the part is wired by its function, else what is wrong."""
    rec = d.rec(pid)
    if rec is None:
        return "not a library part"
    pins = {p.name: p for p in rec.pins}
    # power and ground
    for p in pins.values():
        ep = f"{pid}:{p.name}"
        if p.type == "power_in":
            net = d.nl.net_of(ep)
            v = d.nl.net_voltage(net) if net is not None else None
            if v is None and net is not None:
                # through a filter inductor or a protection diode: look one part further
                for o in net.pins:
                    orec = d.rec(o.split(":")[0])
                    if orec is not None and orec.spice.kind in ("inductor", "diode") and len(orec.pin_names) == 2:
                        a, b = orec.pin_names
                        far = f"{o.split(':')[0]}:{b if o.split(':')[1] == a else a}"
                        fn = d.nl.net_of(far)
                        v = d.nl.net_voltage(fn) if fn is not None else None
                        if v:
                            break
            if not v:
                if rec.is_mcu or rec.flags.onboard_power_connector:
                    continue  # a board on USB, a charger on its own USB jack: nothing needed on the input pin
                return f"{p.name} has no supply"
            lo, hi = rec.supply.v_min, rec.supply.v_max
            named = re.match(r"^(\d+(?:\.\d+)?)V$", p.name)
            if named:
                lo, hi = float(named.group(1)) * 0.9, float(named.group(1)) * 1.1
            if p.v_max is not None and (hi is None or p.v_max > hi):
                # a supply input rated on its own (a driver's motor input, a module's wide-range VIN)
                lo, hi = (0.0, p.v_max) if ({"motor", "coil"} & set(p.functions) or named) else (lo, p.v_max)
            if (lo is not None and v < lo - 0.05) or (hi is not None and v > hi + 0.05):
                return f"{p.name} is on {v:g} V, outside its {lo}-{hi} V range"
        elif p.type == "ground" and not rec.is_mcu:
            net = d.nl.net_of(ep)
            if net is None or d.nl.net_voltage(net) != 0.0:
                if any(q.type == "ground" and d.nl.net_of(f"{pid}:{q.name}") is not None
                       and d.nl.net_voltage(d.nl.net_of(f"{pid}:{q.name}")) == 0.0 for q in pins.values()):
                    continue
                return f"{p.name} is not on ground"
    if rec.is_mcu:
        return None
    signals = [p for p in pins.values() if p.type in ("digital_in", "digital_out", "digital_io", "analog_in", "analog_out")]
    inductive = rec.flags.inductive
    passive = [p for p in pins.values() if p.type == "passive"]
    # a load: never straight on a controller pin when it is a coil or a motor
    is_load = rec.category == "actuator" and not any(p.type == "power_in" for p in pins.values())
    if is_load and (inductive or any("motor" in p.functions for p in passive)) and passive and d.mcus:
        for p in passive:
            for o in d.nl.neighbours(f"{pid}:{p.name}"):
                q = d.nl.pin(o)
                if o.split(":")[0] in d.mcus and q is not None and q.type not in ("power_in", "power_out", "ground"):
                    return f"{p.name} is wired straight to controller pin {o} (needs a driver or transistor)"
        drivers = [o for p in passive for o in d.nl.neighbours(f"{pid}:{p.name}")
                   if (d.rec(o.split(':')[0]) is not None and (d.rec(o.split(':')[0]).category == "driver"
                       or d.rec(o.split(':')[0]).spice.kind in ("npn", "nmos", "module")))]
        if d.mcus and not drivers:
            return "not driven by a driver or transistor"
        if inductive:
            protected = any(d.rec(o.split(":")[0]).flags.protected_driver for o in drivers if d.rec(o.split(":")[0]))
            diode = any(d.rec(o.split(":")[0]) is not None and d.rec(o.split(":")[0]).spice.kind == "diode"
                        for p in passive for o in d.nl.neighbours(f"{pid}:{p.name}"))
            if not (protected or diode):
                return "coil without a flyback path"
        return None
    if not d.mcus:
        # an analog circuit: every pin in use
        for p in pins.values():
            if p.type != "nc" and d.nl.net_of(f"{pid}:{p.name}") is None and p.type not in ("digital_out", "analog_out"):
                if rec.spice.kind == "potentiometer":
                    continue
                return f"{p.name} is not connected"
        return None
    # bus pins must meet the matching capability
    seen_funcs: set[str] = set()
    dual = any({f for f in p.functions if f.startswith("i2c")} and {f for f in p.functions if f.startswith("spi")}
               for p in signals)
    # wired for I2C when one of its I2C-capable pins lands on a controller pin that serves I2C
    on_i2c = dual and any(
        f.startswith("i2c")
        for p in signals if any(g.startswith("i2c") for g in p.functions)
        for q in d.mcu_pins(f"{pid}:{p.name}") for f in q.functions
    )
    for p in signals:
        funcs = sorted(set(p.functions) & set(BUS_FUNCS))
        if on_i2c and funcs and not any(f.startswith("i2c") for f in funcs):
            continue  # a dual-mode part wired for I2C: its SPI-only pins are mode/address straps
        if not funcs or all(f in seen_funcs for f in funcs):
            continue
        seen_funcs.update(funcs)
        mp = d.mcu_pins(f"{pid}:{p.name}")
        if not mp:
            # an I2C part behind a multiplexer reaches the controller through the mux
            if any(f.startswith("i2c") for f in funcs) and _behind_mux(d, pid, p.name):
                continue
            return f"{p.name} ({'/'.join(funcs)}) does not reach the controller"
        # a dual-mode pin (BMP280 SCL/SCK) is right on a pin that serves either of its roles
        if not any(MATCH[f] & set(q.functions) for f in funcs for q in mp):
            return f"{p.name} ({'/'.join(funcs)}) reaches {', '.join(q.name for q in mp)}, which cannot serve it"
    for p in signals:
        if p.type == "analog_out":
            mp = d.mcu_pins(f"{pid}:{p.name}")
            if mp and not any("adc" in q.functions or q.type == "analog_in" for q in mp):
                return f"{p.name} (analog) reaches a pin without an ADC"
        if "pwm" in p.functions and p.type == "digital_in":
            mp = d.mcu_pins(f"{pid}:{p.name}")
            if mp and not any("pwm" in q.functions for q in mp):
                return f"{p.name} (PWM input) reaches a pin without PWM"
    if signals:
        if not any(d.mcu_pins(f"{pid}:{p.name}") for p in signals) and not any(
                _behind_mux(d, pid, p.name) for p in signals):
            if not _driven_by_other(d, pid, signals):
                return "none of its signal pins reaches the controller"
        return None
    # two-terminal parts: LEDs, buttons, resistive sensors
    if passive:
        reach = [o for p in passive for o in d.reach(f"{pid}:{p.name}")]
        if not reach and not any(d.nl.net_of(f"{pid}:{p.name}") is not None for p in passive):
            return "not connected"
        if rec.flags.needs_series_resistor:
            ok = any(d.rec(o.split(":")[0]) is not None and d.rec(o.split(":")[0]).spice.kind in ("resistor", "potentiometer")
                     for p in passive for o in d.nl.neighbours(f"{pid}:{p.name}"))
            if not ok:
                return "LED without a series resistor"
    return None


def _behind_mux(d: _Design, pid: str, pin: str) -> bool:
    for o in d.nl.neighbours(f"{pid}:{pin}"):
        rec = d.rec(o.split(":")[0])
        if rec is not None and sum(1 for p in rec.pins if "i2c_sda" in p.functions) >= 3:
            return True
    return False


def _driven_by_other(d: _Design, pid: str, signals) -> bool:
    """A part driven by another part that the controller drives (a shift register's LEDs, a sensor into a transistor)."""
    for p in signals:
        for o in d.reach(f"{pid}:{p.name}"):
            rec = d.rec(o.split(":")[0])
            if rec is not None and not rec.is_mcu and o.split(":")[0] != pid and rec.spice.kind not in ("resistor",):
                return True
    return False


def coverage(request: str, circuit: Circuit | dict, library: Library) -> CoverageResult:
    if isinstance(circuit, dict):
        circuit = Circuit.model_validate(circuit)
    res = CoverageResult(required=named_parts(request, library))
    d = _Design(circuit, library)
    by_type: dict[str, list[str]] = {}
    for p in circuit.parts:
        by_type.setdefault(p.type, []).append(p.id)
    for req in res.required:
        ids = [pid for k in req.keys for pid in by_type.get(k, [])]
        if not ids and req.phrase in ANY_BOARD:
            ids = list(d.mcus)
        if not ids:
            # a generic semiconductor ("N-channel MOSFET", "transistor"): any part of that kind
            kinds = {library[k].spice.kind for k in req.keys if k in library
                     and library[k].spice.kind in ("npn", "pnp", "nmos", "pmos", "diode", "led")}
            ids = [p.id for p in circuit.parts if library.get(p.type) is not None and library[p.type].spice.kind in kinds]
        if not ids and req.family:
            fam = req.family.lower().rstrip("s")
            for p in circuit.parts:
                rec = library.get(p.type)
                if rec is None:
                    continue
                words = set(tokens(" ".join([rec.key.replace("-", " "), rec.name, " ".join(rec.aliases), rec.description])))
                words |= {w.rstrip("s") for w in words}
                if all(w.rstrip("s") in words for w in fam.split()):
                    ids.append(p.id)
        if not ids:
            res.missed.append(f"{req.phrase}: not in the design")
            continue
        if len(ids) < req.qty:
            res.missed.append(f"{req.phrase}: {len(ids)} of {req.qty} in the design")
            continue
        problems = [(pid, _check_part(d, pid)) for pid in ids]
        bad = [f"{pid} {why}" for pid, why in problems if why]
        if len(bad) == len(ids) or (bad and req.qty > 1 and len(ids) - len(bad) < req.qty):
            res.missed.append(f"{req.phrase}: " + "; ".join(bad[:2]))
        else:
            res.met.append(req.phrase)
    return res
