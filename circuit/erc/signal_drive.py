"""Sounders on steady DC: a speaker's coil, or a buzzer without its own oscillator, wired so that only a
supply or ground can reach either lead makes no sound (a click when power comes on, then heat).

Record data decides which parts need a changing signal (``requires.signal_drive``). A lead is steady when
everything that reaches it, through resistors, potentiometers and switches, is a supply rail or ground; a pin that can
drive a level (a GPIO, an output) or switch one (a transistor, an IC) on the way is a signal, and then
the rule stays quiet.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext
from circuit.findings import Severity

RULES = {
    "ERC-SOUNDER-STEADY-DC": (Severity.MAJOR, "A speaker or a buzzer without its own oscillator sits on steady DC "
                              "(a supply or ground on both leads): it makes no sound."),
}


def _steady(ctx: ErcContext, ep: str, pid: str) -> bool:
    """Only rails and ground reach ``ep`` (through resistors and switches), and at least one does."""
    seen, todo, reached = {ep}, [ep], False
    while todo:
        cur = todo.pop()
        if ctx.is_ground(cur) or ctx.is_rail(cur):
            reached = True
        for o in ctx.others_on_net(cur):
            if o in seen:
                continue
            seen.add(o)
            other = ctx.part_of(o)
            pin = ctx.pin(o)
            if other == pid or ctx.is_capacitor(other):
                continue  # its own other lead is judged on its own; a capacitor carries no steady current
            if pin is not None and pin.type in ("power_out", "ground", "power_in"):
                # (a part's supply input on the net says the net is a supply, not a signal)
                reached = True
                continue
            if ctx.is_resistor(other) or ctx.is_switch(other):
                far = ctx.other_terminal(o)
                if far is not None and far not in seen:
                    seen.add(far)
                    todo.append(far)
                continue
            if ctx.kind(other) == "potentiometer":
                # a potentiometer is a resistor with a tap: what reaches any of its legs reaches the others
                for name in ctx.rec(other).pin_names:
                    far = f"{other}:{name}"
                    if far not in seen and ctx.connected(far):
                        seen.add(far)
                        todo.append(far)
                continue
            return False  # anything else (a GPIO, a transistor, an IC's output) may bring a signal
    return reached


def check(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or not rec.requires.signal_drive:
            continue
        leads = [f"{pid}:{p.name}" for p in rec.pins if ctx.connected(f"{pid}:{p.name}")]
        if len(leads) < 2 or not all(_steady(ctx, ep, pid) for ep in leads):
            continue
        ctx.add(
            "ERC-SOUNDER-STEADY-DC", Severity.MAJOR,
            f"{ctx.label(pid)} needs a changing signal to make a sound, but only a supply and ground reach its leads "
            f"({', '.join(leads)}): on steady DC it clicks once and its coil just heats. Drive it with a tone: from a "
            "controller pin (through a transistor for a speaker), a 555 oscillator, or an amplifier.",
            leads,
        )
