"""From a topology name (``Identification.topologies``) to the analog block that builds it.

Each block lives in its own module and shares its look-ups through :mod:`agents.rules.analog`;
this module only maps names to blocks, so the blocks and their shared look-ups import no cycle.
"""

from __future__ import annotations

from agents.models import Need
from agents.rules.led_resistor import CannotLight
from agents.rules.builder import Board
from agents.rules.comparator_stage import block_comparator
from agents.rules.context import PlanContext
from agents.rules.current_source import block_current_source
from agents.rules.dc_supply import block_dc_supply
from agents.rules.debounce import block_rc_debounce
from agents.rules.divider_block import block_divider
from agents.rules.filter_blocks import block_lc, block_rc
from agents.rules.opamp_stage import block_opamp
from agents.rules.rheostat import block_rheostat
from agents.rules.timer_astable import block_timer_astable
from agents.rules.transistor_switch import block_transistor_switch
from agents.rules.zener_shunt import block_zener_shunt

BLOCKS = {
    "divider": block_divider,
    "rc_lowpass": block_rc,
    "rc_highpass": lambda c, bd, k: block_rc(c, bd, k, highpass=True),
    "lc_lowpass": block_lc,
    "dc_supply": block_dc_supply,
    "timer_astable": block_timer_astable,
    "rheostat": block_rheostat,
    "transistor_switch": block_transistor_switch,
    "light_sensor_switch": block_transistor_switch,
    "comparator": block_comparator,
    "zener_shunt": block_zener_shunt,
    "current_source": block_current_source,
    "rc_debounce": block_rc_debounce,
    "opamp_noninverting": block_opamp,
    "opamp_inverting": lambda c, bd, k: block_opamp(c, bd, k, inverting_stage=True),
}


def build_topologies(ctx: PlanContext, board: Board | None, by_kind: dict[str, list[Need]]) -> set[int]:
    """Build every topology the identification names; the indices of the needs the blocks used."""
    used: set[int] = set()
    for topo in ctx.ident.topologies:
        fn = BLOCKS.get(topo)
        if fn is not None:
            try:
                used |= fn(ctx, board, by_kind) or set()
            except CannotLight as e:
                # (a block whose LED its own output cannot light fails the design plainly, saying what to change)
                ctx.b.unmet(f"the {topo.replace('_', ' ')} stage: {e}.")
                used |= {id(n) for n in by_kind.get("led", [])}
    return used
