"""Voltage dividers: two resistors from a rail to a tap the controller reads; a two-terminal
resistive sensor (LDR, FSR, flex) read through a divider with a fixed resistor at the geometric
mean of its range; a potentiometer across the rail with its wiper on an ADC pin.
"""

from __future__ import annotations


from agents.rules import parts as P
from agents.rules.analog import pot_pins, supply_rail, two
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.values import divider
from circuit.units import format_value, nearest_e
from knowledge.record import ComponentRecord


def block_divider(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    if by_kind.get("resistive_sensor"):
        return set()  # the sensor and its fixed resistor are the divider
    for n in by_kind.get("module", []):
        rec = ctx.b.lib[n.key]
        if rec.category == "sensor" and any(p.type == "analog_out" for p in rec.pins):
            return set()  # a sensor module with an analog output is its own divider
    b = ctx.b
    rail = supply_rail(ctx, board)
    if rail is None:
        return set()
    vin = rail.volts
    vout = ctx.ident.numbers.get("vout")
    if not vout or not 0 < vout < vin:
        vout = vin / 2
        if board is not None:
            vout = min(vout, board.logic * 0.9)
    s, formula = divider(vin, vout)
    r1 = b.add("resistor", "divider top (R1)")
    r2 = b.add("resistor", "divider bottom (R2)")
    a1, a2 = two(ctx, r1)
    c1, c2 = two(ctx, r2)
    b.power(f"{r1}:{a1}", rail, vin / (s.values["R1"] + s.values["R2"]), "divider input")
    b.wire(f"{r1}:{a2}", f"{r2}:{c1}", "signal", "divider tap (Vout)")
    b.to_ground(f"{r2}:{c2}", "divider bottom")
    b.value(r1, s.values["R1"], "Ω", formula, f"top of the divider ({s.method})")
    b.value(r2, s.values["R2"], "Ω", formula, f"bottom of the divider: the tap sits at {format_value(vout, 'V')}")
    if board is not None:
        alloc = board.alloc.take("adc", r2, "in")
        ep = b.use_pin(board, alloc, f"{r2}:{c1}", "reads the divider's output")
        b.wire(ep, f"{r2}:{c1}", "signal", "divider output to the ADC")
    return {id(n) for n in by_kind.get("passive", []) if b.lib[n.key].spice.kind == "resistor"}


def sensor_divider(ctx: PlanContext, key: str, attrs: dict, board: Board | None) -> str:
    """A two-terminal resistive sensor (LDR, FSR, flex) read through a divider with a fixed
    resistor equal to the geometric mean of its resistance range (best sensitivity)."""
    b = ctx.b
    rec = b.lib[key]
    pid = b.add(key, "resistive sensor (read through a voltage divider)", attrs)
    rail = supply_rail(ctx, board)
    t1, t2 = P.two_terminals(rec)
    r_lo, r_hi = resistance_range(rec)
    r_fixed = nearest_e((r_lo * r_hi) ** 0.5, "E12")
    rid = b.add("resistor", f"fixed half of {pid}'s divider", serves=pid)
    a1, a2 = two(ctx, rid)
    if rail is not None:
        b.power(f"{pid}:{t1}", rail, rail.volts / (r_fixed + r_lo), f"{pid} top of the divider")
    b.wire(f"{pid}:{t2}", f"{rid}:{a1}", "signal", "divider tap")
    b.to_ground(f"{rid}:{a2}", "divider bottom")
    v = rail.volts if rail else 5.0
    formula = (f"R = √(R_min × R_max) = √({format_value(r_lo, 'Ω')} × {format_value(r_hi, 'Ω')}) → "
               f"{format_value(r_fixed, 'Ω')}; Vout = {format_value(v, 'V')} × R/(R + R_sensor)")
    b.value(rid, r_fixed, "Ω", formula, f"gives the widest voltage swing over {pid}'s range")
    if board is not None:
        alloc = board.alloc.take("adc", pid, "in")
        ep = b.use_pin(board, alloc, f"{pid} divider", f"reads {pid} as a voltage")
        b.wire(ep, f"{rid}:{a1}", "signal", f"{pid} divider output to the ADC")
    return pid


def resistance_range(rec: ComponentRecord) -> tuple[float, float]:
    """The sensor's lowest and highest resistance, from its record's ``ratings.r_low_high`` (``kb check``
    requires it of a resistive sensor); a decade either side of 10 kΩ when a user record leaves it out."""
    if rec.ratings.r_low_high is None:
        return 1e3, 100e3
    lo, hi = sorted(rec.ratings.r_low_high)
    return max(lo, 100.0), hi


def pot_to_adc(ctx: PlanContext, key: str, attrs: dict, board: Board | None) -> str:
    b = ctx.b
    rec = b.lib[key]
    pid = b.add(key, "potentiometer (sets a level the controller reads)", attrs)
    a, w, c = pot_pins(rec)
    rail = supply_rail(ctx, board, ctx.adc_inputs[0].volts if ctx.adc_inputs else None)  # the ADC's own range
    if rail is not None:
        b.power(f"{pid}:{a}", rail, 0.0005, f"{pid} end to {rail.name}")
    b.to_ground(f"{pid}:{c}", f"{pid} end to ground")
    if ctx.adc_inputs:
        # the design's ADC chip is there to read more analog levels: its free channel takes the wiper
        ch = ctx.adc_inputs.pop(0)
        b.wire(ch.endpoint, f"{pid}:{w}", "signal", f"{pid} wiper to {ch.endpoint}")
    elif board is not None:
        alloc = board.alloc.take("adc", pid, "in")
        ep = b.use_pin(board, alloc, f"{pid}:{w}", f"reads {pid}'s wiper")
        b.wire(ep, f"{pid}:{w}", "signal", f"{pid} wiper to the ADC")
    if not b.plan.part(pid).attrs.get("value"):
        b.value(pid, 10e3, "Ω", "10 kΩ across the rail draws 0.5 mA at 5 V",
                "a standard value: low enough for the ADC's input, high enough to waste little current")
    return pid
