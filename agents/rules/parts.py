"""Reading a component record the way an engineer reads a datasheet: which pin is the anode,
the base, the gate; what voltage a part runs from and how much current it draws.

Everything here reasons from the record's pin types, pin functions and ratings; names are
only a fallback for records that leave a function tag out.
"""

from __future__ import annotations

import re

from agents.rules.led_resistor import vf_for_colour
from knowledge.record import ComponentRecord, Pin

_VOLT_NAME = re.compile(r"^\+?(\d+(?:[.,V]\d+)?)\s*V?$", re.IGNORECASE)


def pin_by_function(rec: ComponentRecord, *functions: str) -> Pin | None:
    for f in functions:
        for p in rec.pins:
            if f in p.functions:
                return p
    return None


def pin_by_name(rec: ComponentRecord, *names: str) -> Pin | None:
    for n in names:
        p = rec.pin(n)
        if p is not None:
            return p
    low = {n.lower() for n in names}
    for p in rec.pins:
        if p.name.lower() in low or any(a.lower() in low for a in p.aliases):
            return p
    return None


def two_terminals(rec: ComponentRecord) -> tuple[str, str]:
    """(positive/anode/first, negative/cathode/second) pin names of a two-terminal part."""
    pos = pin_by_function(rec, "anode", "led_anode")
    neg = pin_by_function(rec, "cathode", "led_cathode")
    if pos and neg:
        return pos.name, neg.name
    pos = pin_by_name(rec, "+", "pos", "positive", "VCC", "V+", "IN+", "P1", "1", "A")
    neg = pin_by_name(rec, "-", "neg", "negative", "GND", "V-", "IN-", "P2", "2", "B")
    if pos and neg and pos.name != neg.name:
        return pos.name, neg.name
    if len(rec.spice.terminals) >= 2:
        return rec.spice.terminals[0], rec.spice.terminals[1]
    names = [n for n in rec.pin_names if (rec.pin(n) and rec.pin(n).type != "nc")]
    if len(names) < 2:
        raise ValueError(f"{rec.key} does not have two terminals")
    return names[0], names[1]


def bjt_pins(rec: ComponentRecord) -> tuple[str, str, str]:
    b = pin_by_function(rec, "base") or pin_by_name(rec, "B", "base")
    c = pin_by_function(rec, "collector") or pin_by_name(rec, "C", "collector")
    e = pin_by_function(rec, "emitter") or pin_by_name(rec, "E", "emitter")
    if not (b and c and e):
        raise ValueError(f"{rec.key} has no base/collector/emitter pins")
    return b.name, c.name, e.name


def fet_pins(rec: ComponentRecord) -> tuple[str, str, str]:
    g = pin_by_function(rec, "gate") or pin_by_name(rec, "G", "gate")
    d = pin_by_function(rec, "drain") or pin_by_name(rec, "D", "drain")
    s = pin_by_function(rec, "source") or pin_by_name(rec, "S", "source")
    if not (g and d and s):
        raise ValueError(f"{rec.key} has no gate/drain/source pins")
    return g.name, d.name, s.name


def unique_pins(rec: ComponentRecord, *types: str) -> list[Pin]:
    """Pins of these types, one per internal group (a board's three GND pins count once)."""
    out: list[Pin] = []
    groups: set[str] = set()
    names: set[str] = set()
    for p in rec.pins:
        if types and p.type not in types:
            continue
        if p.name in names:
            continue
        if p.group:
            if p.group in groups:
                continue
            groups.add(p.group)
        names.add(p.name)
        out.append(p)
    return out


def ground_pins(rec: ComponentRecord) -> list[Pin]:
    """The part's own ground pins, one per internal group. A protection circuit's cell-side pin
    (``cell_negative``: a protection board's B-) is not among them: only the cell's - goes there, and the
    circuit's ground is the part's protected ground (P-), or the protection is bypassed."""
    return [p for p in unique_pins(rec, "ground") if "cell_negative" not in p.functions] or \
        [p for p in rec.pins if p.type == "ground" and "cell_negative" not in p.functions][:1]


def cell_negative_pin(rec: ComponentRecord) -> Pin | None:
    """A protection circuit's cell-side ground pin (B-), if the part has one."""
    return next((p for p in rec.pins if "cell_negative" in p.functions), None)


def power_in_pins(rec: ComponentRecord) -> list[Pin]:
    return unique_pins(rec, "power_in")


def power_out_pins(rec: ComponentRecord) -> list[Pin]:
    return unique_pins(rec, "power_out")


def volts_in_name(name: str) -> float | None:
    """'5V' → 5.0, '3.3V' → 3.3, '3V3' → 3.3, '12V' → 12.0; None for VCC, VIN ..."""
    m = _VOLT_NAME.match(name.strip().replace(",", "."))
    if not m:
        return None
    txt = m.group(1).upper()
    if "V" in txt:
        txt = txt.replace("V", ".")
    elif not name.strip().upper().endswith("V"):
        return None  # a bare number is a pin number, not a voltage
    try:
        return float(txt)
    except ValueError:
        return None


def is_load_supply_pin(rec: ComponentRecord, pin: Pin) -> bool:
    """A driver's power input for the load (VMOT, 12V, B+), as opposed to its logic supply: the record
    gives it the ``motor`` (or ``coil``) function; its label is not read."""
    if "motor" in pin.functions or "coil" in pin.functions:
        return True
    if rec.category != "driver":
        return False
    logic = [p for p in power_in_pins(rec) if p is not pin]
    # a driver with two supply inputs: the one rated higher is the load supply
    if logic and pin.v_max is not None and all((q.v_max or 0) < pin.v_max for q in logic):
        return pin.v_max > 7.0
    return False


def supply_range(rec: ComponentRecord, pin: Pin | None = None) -> tuple[float | None, float | None]:
    """(v_min, v_max) the part (or one of its supply pins) accepts: a pin's own ``v_range`` first."""
    if pin is not None and pin.v_range is not None:
        return pin.v_range
    if pin is not None:
        named = volts_in_name(pin.name)
        if named is not None:
            return named * 0.9, named * 1.1
    lo, hi = rec.supply.v_min, rec.supply.v_max
    if pin is not None and pin.v_max is not None and hi is None:
        hi = pin.v_max
    if lo is None and hi is None and rec.ratings.v_rated is not None:
        v = rec.ratings.v_rated
        if "motor" in " ".join(f for p in rec.pins for f in p.functions) and rec.spice.kind == "load":
            # small brushed motors run from their nominal voltage up to about twice it
            return v * 0.9, v * 2.0
        return v * 0.9, v * 1.1
    return lo, hi


def accepts(rec: ComponentRecord, volts: float, pin: Pin | None = None) -> bool:
    lo, hi = supply_range(rec, pin)
    if lo is None and hi is None:
        return volts <= 5.5  # an unspecified module: hobby logic voltages only
    if lo is not None and volts < lo - 1e-6:
        return False
    if hi is not None and volts > hi + 1e-6:
        return False
    return True


def current_draw(rec: ComponentRecord) -> float:
    """Current a rail must budget for the part, A (0 when unknown): its running (typical or rated)
    current. Peaks above it (a servo's stall, a radio's transmit burst) are for bulk capacitance and
    are reported separately (:func:`peak_draw`)."""
    for v in (rec.supply.current_typ, rec.ratings.i_rated, rec.supply.current_max):
        if v:
            return float(v)
    return 0.0


def peak_draw(rec: ComponentRecord) -> float:
    return float(max(rec.supply.current_max or 0.0, rec.ratings.i_stall or 0.0, current_draw(rec)))


def is_two_terminal(rec: ComponentRecord) -> bool:
    return len([n for n in rec.pin_names if rec.pin(n).type != "nc"]) == 2


def is_inductive(rec: ComponentRecord) -> bool:
    return bool(rec.flags.inductive)


def is_board(rec: ComponentRecord) -> bool:
    return rec.category == "microcontroller"


def logic_level(rec: ComponentRecord) -> float | None:
    if rec.supply.logic_level:
        return rec.supply.logic_level
    outs = [p.v_out for p in rec.pins if p.type in ("digital_io", "digital_out") and p.v_out]
    return max(outs) if outs else None


def led_pins(rec: ComponentRecord) -> tuple[list[Pin], list[Pin]]:
    """(anode pins, cathode pins) of an LED-like part (LED, RGB LED, 7-segment digit)."""
    an = [p for p in unique_pins(rec) if {"led_anode", "anode"} & set(p.functions)]
    ca = [p for p in unique_pins(rec) if {"led_cathode", "cathode"} & set(p.functions)]
    return an, ca


def signal_pins(rec: ComponentRecord) -> list[Pin]:
    return [p for p in unique_pins(rec) if p.type in ("digital_in", "digital_out", "digital_io", "analog_in", "analog_out")]


def vf_of(rec: ComponentRecord, attrs: dict | None = None) -> float:
    """Forward voltage of an LED, taking its colour into account."""
    colour = str((attrs or {}).get("color", "") or "")
    base = rec.ratings.vf
    return vf_for_colour(colour, base)


def chain_pins(rec) -> tuple[str, str] | None:
    """(data in, data out) of a part built to be daisy-chained (WS2812B: DIN, DOUT): a strip of them
    is one data line from the controller, each pixel's DOUT into the next one's DIN."""
    ins = [p for p in rec.pins if p.type == "digital_in" and "data" in p.functions]
    outs = [p for p in rec.pins if p.type == "digital_out" and "data" in p.functions]
    if len(ins) == 1 and len(outs) == 1:
        return ins[0].name, outs[0].name
    return None
