"""A speaker goes on an audio amplifier's output, not on a controller pin.

An amplifier record marks its speaker outputs with the pin function ``speaker``. Two such pins on one part
are a bridge-tied output (MAX98357A, DFPlayer): the speaker goes across them, neither side is ground. One
such pin is a single-ended output of a single-supply amplifier (LM386): it idles at half the supply, so the
speaker goes from it to ground through a series capacitor large enough to pass the bass into the speaker's
coil (f = 1 / (2 pi R C) at most ``LOW_CUTOFF_HZ``).
"""

from __future__ import annotations

import math

from agents.rules import parts as P
from agents.rules.context import PlanContext
from agents.rules.decoupling import ELECTROLYTIC, cap_rating
from circuit.units import format_value, nearest_e

LOW_CUTOFF_HZ = 100.0


def free_speaker_outputs(ctx: PlanContext) -> tuple[str, list[str]] | None:
    """(part id, its unwired speaker-output pins) of the first amplifier in the design with any free."""
    b = ctx.b
    used = {e for w in b.plan.wires for e in (w.a, w.b)}
    for part in b.plan.parts:
        rec = b.lib.get(part.type)
        if rec is None or rec.is_mcu:
            continue
        pins = [p.name for p in P.unique_pins(rec) if "speaker" in p.functions and f"{part.id}:{p.name}" not in used]
        if pins:
            return part.id, pins
    return None


def speaker_on_amplifier(ctx: PlanContext, key: str, attrs: dict) -> str | None:
    """Place the speaker ``key`` on a free amplifier output; None when the design has no amplifier output free."""
    found = free_speaker_outputs(ctx)
    if found is None:
        return None
    b = ctx.b
    amp, outs = found
    rec = b.lib[key]
    plus, minus = P.two_terminals(rec)
    pid = b.add(key, f"speaker on {amp}'s output", attrs)
    if len(outs) >= 2:
        b.wire(f"{amp}:{outs[0]}", f"{pid}:{plus}", "load", f"{pid} across {amp}'s bridge-tied output")
        b.wire(f"{amp}:{outs[1]}", f"{pid}:{minus}", "load", f"{pid} across {amp}'s bridge-tied output")
        return pid
    r = rec.ratings.r_coil or 8.0
    farads = nearest_e(1.0 / (2 * math.pi * r * LOW_CUTOFF_HZ), "E6", mode="up")
    if ELECTROLYTIC not in b.lib:
        b.wire(f"{amp}:{outs[0]}", f"{pid}:{plus}", "load", f"{pid} on {amp}'s output")
        b.note(f"Put a {format_value(farads, 'F')} capacitor in series with {pid}: {amp}'s output idles at half "
               "its supply (no electrolytic capacitor in the library).")
    else:
        why = f"blocks the DC of {amp}'s output (it idles at half its supply) and passes audio into {pid}"
        cid = b.add(ELECTROLYTIC, why, serves=pid)
        cap = b.lib[ELECTROLYTIC]
        cpos, cneg = P.two_terminals(cap)
        rail = next((r for r in b.rails if amp in r.feeds), None)
        if rail is not None:
            b.set_attr(cid, "voltage", format_value(cap_rating(rail.volts), "V"))
        b.wire(f"{amp}:{outs[0]}", f"{cid}:{cpos}", "load", why)
        b.wire(f"{cid}:{cneg}", f"{pid}:{plus}", "load", why)
        b.value(cid, farads, "F", formula=f"C >= 1 / (2π × {r:g} Ω × {LOW_CUTOFF_HZ:g} Hz)",
                why=f"passes audio down to {LOW_CUTOFF_HZ:g} Hz into the {r:g} Ω coil")
    b.to_ground(f"{pid}:{minus}", f"{pid} return")
    return pid


def is_speaker_amplifier(rec) -> bool:
    return any("speaker" in p.functions for p in rec.pins)


def drive_audio_input(ctx: PlanContext, board, pid: str, pin, rec) -> None:
    """A speaker amplifier's analog input, driven from a controller PWM (tone) pin: a divider brings the logic
    swing down to half the input's rating (LM386: +/-0.4 V); the amplifier's other analog inputs go to ground
    (the datasheet's single-ended circuit). ``pin``: the input the record requires driven."""
    b = ctx.b
    ep = f"{pid}:{pin.name}"
    logic = board.logic
    limit = pin.v_max if pin.v_max is not None else logic
    if limit >= logic:
        alloc = board.alloc.take("pwm", pid, "out", fallback_gpio=True)
        b.wire(b.use_pin(board, alloc, ep, f"drives {pid} {pin.name}"), ep, "signal", f"audio into {pid}")
        return
    r_bottom = 1000.0
    r_top = nearest_e(r_bottom * (logic / (limit / 2) - 1), "E12", mode="up")
    peak = logic * r_bottom / (r_top + r_bottom)
    alloc = board.alloc.take("pwm", pid, "out", fallback_gpio=True)
    mcu_ep = b.use_pin(board, alloc, ep, f"tone/PWM audio into {pid} {pin.name}")
    why = f"divides the {format_value(logic, 'V')} tone signal down to {format_value(peak, 'V')} for {pid} {pin.name} " \
          f"(rated {format_value(limit, 'V')})"
    rt = b.add("resistor", why, serves=pid)
    rb = b.add("resistor", why, serves=pid)
    b.wire(mcu_ep, f"{rt}:1", "signal", why)
    b.wire(f"{rt}:2", ep, "signal", why)
    b.wire(f"{rb}:1", ep, "signal", why)
    b.to_ground(f"{rb}:2", why)
    b.value(rt, r_top, "Ω", formula=f"R_top = R_bottom × (V_logic / (V_max/2) − 1) = {r_bottom:g} Ω × "
            f"({logic:g} / {limit / 2:g} − 1) → E12 up", why=why)
    b.value(rb, r_bottom, "Ω", why=why)
