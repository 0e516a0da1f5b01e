"""The library of sizing blocks, by key."""

from __future__ import annotations

from circuit.sizing.block import Block
from circuit.sizing.blocks.bus_pullup import I2CPullup
from circuit.sizing.blocks.opamp_stages import (
    Comparator, DifferenceAmplifier, Differentiator, Integrator, InvertingAmplifier, NonInvertingAmplifier,
    SallenKeyLowPass, SchmittTrigger, SummingAmplifier,
)
from circuit.sizing.blocks.oscillators import PhaseShift, WienBridge
from circuit.sizing.blocks.passive import (
    LedDriver, RCDebounce, RCHighPass, RCLowPass, RLCBandPass, RLHighPass, RLLowPass, VoltageDivider,
)
from circuit.sizing.blocks.timers_regulators import Astable555, LM317Regulator, Monostable555, ZenerRegulator
from circuit.sizing.blocks.timer_outputs import Delay555, Fade555, FadeSink555
from circuit.sizing.blocks.transistor_stages import BjtSwitch, CommonEmitter, MosfetSwitch

BLOCKS: dict[str, type[Block]] = {
    cls.key: cls
    for cls in (
        VoltageDivider, LedDriver, RCLowPass, RCHighPass, RLLowPass, RLHighPass, RLCBandPass,
        SallenKeyLowPass, InvertingAmplifier, NonInvertingAmplifier, DifferenceAmplifier, SummingAmplifier,
        Integrator, Differentiator, Comparator, SchmittTrigger, BjtSwitch, MosfetSwitch, CommonEmitter,
        Astable555, Monostable555, LM317Regulator, ZenerRegulator, WienBridge, PhaseShift, RCDebounce, I2CPullup,
    )
}


# Blocks the planner sizes and the gates simulate inside a design (a 555 delay-on timer, a fading LED), not
# offered to a sizing request read from words (agents/size_reading.py chooses among BLOCKS only).
DESIGN_BLOCKS: dict[str, type[Block]] = {cls.key: cls for cls in (Delay555, Fade555, FadeSink555)}


def make_block(key: str, env: dict | None = None) -> Block:
    known = {**BLOCKS, **DESIGN_BLOCKS}
    if key not in known:
        raise KeyError(f"no sizing block {key!r}; known: {', '.join(sorted(known))}")
    return known[key](env=dict(env or {}))
