"""An I2C multiplexer: its upstream SDA/SCL on the controller's bus, and identical I2C parts (same
fixed address) one per downstream channel so they never answer at the same time."""

from __future__ import annotations

from agents.models import Need
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.module_wiring import i2c_pairs, wire_module


def place_mux(ctx: PlanContext, need: Need, board: Board | None, children: list[Need]) -> None:
    b = ctx.b
    for _ in range(need.qty):
        mid = b.add(need.key, "I2C multiplexer (one channel per same-address device)", dict(need.attrs))
        rec = b.rec(mid)
        pairs = i2c_pairs(rec)
        down = pairs[1:]
        skip = {p.name for pair in down for p in pair}
        wire_module(ctx, mid, board, skip=skip)
        ch = 0
        for n in children:
            for _ in range(n.qty):
                pid = b.add(n.key, f"I2C device on {mid} channel {ch}", dict(n.attrs))
                if ch >= len(down):
                    wire_module(ctx, pid, board)
                    continue
                sda, scl = down[ch]
                wire_module(ctx, pid, board, i2c_port=(f"{mid}:{sda.name}", f"{mid}:{scl.name}"))
                b.note(f"{pid} sits on {mid} channel {ch} ({sda.name}/{scl.name}); select the channel before talking to it.")
                ch += 1
        children = []
