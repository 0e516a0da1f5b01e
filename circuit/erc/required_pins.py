"""Required inputs: pins a part's record marks as needing a level (``requires.required_pins``).

An op-amp's inputs, an HX711's bridge inputs, a stepper driver's STEP/DIR/RESET, a module's
enable pin: left floating, the part does nothing useful (or picks up noise and drifts), so a
required pin that is unconnected, or whose net has no DC path to an output, a rail or ground
(see :mod:`circuit.erc.bias`), is a Major finding. A spare unit of a multi-unit part (the second
amplifier of a dual op-amp with none of its pins wired) is not reported here. A pin the record
says to tie (``requires.tie``: an enable or reset held active) gets a pull-up or pull-down fix.
"""

from __future__ import annotations

from circuit.erc.bias import biased
from circuit.erc.context import ErcContext
from circuit.findings import Severity

PULL = "10 kΩ"  # holds an enable or reset input at its level; a pin can still override it

RULES = {
    "ERC-REQUIRED-PIN-FLOATING": (Severity.MAJOR, "An input the part's record marks as required (op-amp input, "
                                  "bridge input, STEP/DIR/RESET/enable) is unconnected or has no DC level."),
}


def _spare(ctx: ErcContext, pid: str, pin: str, units: list[list[str]]) -> bool:
    for unit in units:
        if pin in unit:
            return not any(ctx.connected(f"{pid}:{n}") for n in unit)
    return False


def floating_required(ctx: ErcContext, pid: str) -> list[str]:
    """The required pins of ``pid`` that float (endpoints), spare units left out."""
    rec = ctx.rec(pid)
    if rec is None or not rec.requires.required_pins:
        return []
    out = []
    for name in rec.requires.required_pins:
        pin = rec.pin(name)
        if pin is None or _spare(ctx, pid, pin.name, rec.requires.units):
            continue
        if pin.pullup or pin.pulldown:
            pass  # an internal pull sets the wrong level on a required pin (a driver held in standby)
        ep = f"{pid}:{pin.name}"
        if not biased(ctx, ep):
            out.append(ep)
    return out


def check(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        floating = floating_required(ctx, pid)
        if not floating:
            continue
        rec = ctx.rec(pid)
        names = ", ".join(ctx.pin_name(e) for e in floating)
        analog = any(ctx.pin(e).type == "analog_in" for e in floating)
        why = ("an analog input with no DC level drifts to wherever leakage takes it, so the output is "
               "meaningless" if analog else "the part needs a defined level there to do anything")
        tie = rec.requires.tie
        for group in ([e] for e in floating if ctx.pin_name(e) in tie and not ctx.connected(e)):
            ep = group[0]
            level = tie[ctx.pin_name(ep)]
            ctx.add(
                "ERC-REQUIRED-PIN-FLOATING", Severity.MAJOR,
                f"{ctx.label(pid)} needs {ctx.pin_name(ep)} held {level} to run, but it floats: {why}. Tie it {level} "
                f"(a {PULL} resistor to {'the logic supply' if level == 'high' else 'ground'}) or drive it from a pin.",
                group, f"{'add_pullup' if level == 'high' else 'add_pulldown'}({ep}, {PULL})",
            )
        rest = [e for e in floating if not (ctx.pin_name(e) in tie and not ctx.connected(e))]
        if not rest:
            continue
        names = ", ".join(ctx.pin_name(e) for e in rest)
        ctx.add(
            "ERC-REQUIRED-PIN-FLOATING", Severity.MAJOR,
            f"{ctx.label(pid)} needs {names} driven or biased, but {'they float' if len(rest) > 1 else 'it floats'} "
            f"(nothing connected, or only through a capacitor): {why}. Wire {'them' if len(rest) > 1 else 'it'} to "
            "the signal, a controller pin, or a resistor to a defined level as the datasheet shows.",
            rest,
        )
