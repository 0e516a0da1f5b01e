"""The library of sizing blocks, by key."""

from __future__ import annotations

from circuit.sizing.block import Block
from circuit.sizing.blocks.opamp_stages import (
    Comparator, DifferenceAmplifier, Differentiator, Integrator, InvertingAmplifier, NonInvertingAmplifier,
    SallenKeyLowPass, SchmittTrigger, SummingAmplifier,
)
from circuit.sizing.blocks.oscillators import PhaseShift, WienBridge
from circuit.sizing.blocks.passive import (
    LedDriver, RCDebounce, RCHighPass, RCLowPass, RLCBandPass, RLHighPass, RLLowPass, VoltageDivider,
)
from circuit.sizing.blocks.timers_regulators import Astable555, LM317Regulator, Monostable555, ZenerRegulator
from circuit.sizing.blocks.transistor_stages import BjtSwitch, CommonEmitter, MosfetSwitch

BLOCKS: dict[str, type[Block]] = {
    cls.key: cls
    for cls in (
        VoltageDivider, LedDriver, RCLowPass, RCHighPass, RLLowPass, RLHighPass, RLCBandPass,
        SallenKeyLowPass, InvertingAmplifier, NonInvertingAmplifier, DifferenceAmplifier, SummingAmplifier,
        Integrator, Differentiator, Comparator, SchmittTrigger, BjtSwitch, MosfetSwitch, CommonEmitter,
        Astable555, Monostable555, LM317Regulator, ZenerRegulator, WienBridge, PhaseShift, RCDebounce,
    )
}


def make_block(key: str, env: dict | None = None) -> Block:
    if key not in BLOCKS:
        raise KeyError(f"no sizing block {key!r}; known: {', '.join(sorted(BLOCKS))}")
    return BLOCKS[key](env=dict(env or {}))
