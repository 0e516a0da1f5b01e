"""No controller: a sensor module's switching output drives the input a module must have driven.

Without a board nothing else would drive a module's required input (record: ``requires.required_pins``,
a relay module's IN): a sensor module that switches an output itself (a ``digital_out`` pin: a sound or
motion module's comparator output) drives it directly when the sensor's output level reaches the input's
logic-high level (both modules' supply voltages, their records' ``vih_min``/logic level). A required
input left with no driver is a gap the plan reports, never a silent float. Reads the plan and the records.
"""

from __future__ import annotations

from agents.rules.context import PlanContext
from circuit.units import format_value


def drive_required_inputs(ctx: PlanContext) -> None:
    b = ctx.b
    used = {e for w in b.plan.wires for e in (w.a, w.b)}
    outputs = []
    for part in b.plan.parts:
        rec = b.lib.get(part.type)
        if rec is None or rec.category != "sensor":
            continue
        for pin in rec.pins:
            ep = f"{part.id}:{pin.name}"
            if pin.type == "digital_out" and ep not in used:
                outputs.append((part, pin, ep))
    for part in list(b.plan.parts):
        rec = b.lib.get(part.type)
        if rec is None or rec.category == "sensor":
            continue
        for name in rec.requires.required_pins:
            pin = next((p for p in rec.pins if p.name == name), None)
            ep = f"{part.id}:{name}"
            if pin is None or pin.type not in ("digital_in", "digital_io") or ep in used:
                continue
            src = next((o for o in outputs if _reaches(ctx, o[0].id, part.id)), None)
            if src is None:
                continue
            outputs.remove(src)
            sensor, spin, sep = src
            b.wire(sep, ep, "signal", f"{sensor.id}'s {spin.name} switches {part.id}'s {name}")
            used |= {sep, ep}
            b.note(f"No controller: {sensor.id}'s switching output {spin.name} drives {part.id}'s {name} directly "
                   f"(set the trigger level on {sensor.id}).")


def _reaches(ctx: PlanContext, sensor_id: str, part_id: str) -> bool:
    """The sensor's output high (its supply voltage) reaches the input's logic-high level."""
    b = ctx.b
    vs = ctx.power.part_volts.get(sensor_id)
    vp = ctx.power.part_volts.get(part_id)
    rec = b.rec(part_id)
    need = rec.supply.vih_min or (0.6 * (rec.supply.logic_level or vp or 5.0))
    if vs is None:
        return True
    if vs + 1e-6 < need:
        b.note(f"{sensor_id}'s output high ({format_value(vs, 'V')}) is below {part_id}'s input-high level "
               f"({format_value(need, 'V')}).")
        return False
    return True
