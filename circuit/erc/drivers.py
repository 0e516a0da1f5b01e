"""Output contention: two push-pull outputs on one net fight whenever they disagree."""

from __future__ import annotations

from circuit.erc.context import ErcContext
from circuit.findings import Severity

RULES = {
    "ERC-MULTIPLE-DRIVERS": (Severity.MAJOR, "Two outputs drive the same net."),
}


def check(ctx: ErcContext) -> None:
    for net in ctx.nl.nets:
        if ctx.group_voltage(net.pins[0]) is not None:
            continue  # an output on a rail is reported by the power rules
        outs = []
        for o in net.pins:
            p = ctx.pin(o)
            if p is None or ctx.is_open_drain(p):
                continue
            if p.type in ("digital_out", "analog_out"):
                outs.append(o)
        if len({ctx.part_of(o) for o in outs}) < 2:
            continue
        ctx.add(
            "ERC-MULTIPLE-DRIVERS", Severity.MAJOR,
            f"{' and '.join(outs[:3])} are outputs wired together. When one drives HIGH and the other LOW they "
            "short each other out and both can be damaged. Each net should have one output; connect the "
            "outputs to separate input pins.",
            outs,
        )
