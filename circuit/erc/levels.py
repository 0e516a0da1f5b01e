"""Logic levels: an output's HIGH must clear the receiver's input-high threshold (VIH).

The receiver's VIH is its record's ``supply.vih_min`` (given at its ``logic_level``), scaled to the
supply it actually gets. When a 5 V-logic part does not state VIH, CMOS 0.7·VCC is assumed, and
only a Minor "marginal" finding can come of it; a Major "too low" needs the datasheet figure.
Over-voltage (5 V into a 3.3 V pin) is the power rules' business.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext, fmt
from circuit.findings import Severity

RULES = {
    "ERC-LOGIC-LEVEL-TOO-LOW": (Severity.MAJOR, "An output's HIGH level is below the receiving input's VIH, so HIGH is not seen."),
    "ERC-LOGIC-LEVEL-MARGINAL": (Severity.MINOR, "A 3.3 V output drives a 5 V logic input with little margin over its VIH."),
}
MARGIN = 0.4  # volts of VIH margin below which a link is marginal


def receiver_vih(ctx: ErcContext, pid: str) -> tuple[float, float, bool] | None:
    """(VIH, receiver supply, stated) for a part's logic inputs, or None when unknown."""
    rec = ctx.rec(pid)
    if rec is None:
        return None
    vcc = ctx.logic_level(pid)
    if vcc is None:
        return None
    s = rec.supply
    if s.vih_min is not None:
        base = s.logic_level or vcc
        return s.vih_min * (vcc / base if base else 1.0), vcc, True
    return 0.7 * vcc, vcc, False


def check(ctx: ErcContext) -> None:
    for net in ctx.nl.nets:
        if ctx.group_voltage(net.pins[0]) is not None:
            continue
        drivers = [(o, v) for o in net.pins if (v := ctx.drive_voltage(o)) is not None]
        if not drivers:
            continue
        for o in net.pins:
            p = ctx.pin(o)
            if p is None or p.type not in ("digital_in", "digital_io"):
                continue
            rid = ctx.part_of(o)
            info = receiver_vih(ctx, rid)
            if info is None:
                continue
            vih, vcc, stated = info
            rec = ctx.rec(rid)
            if rec.supply.five_v_tolerant and vcc < 4.5:
                continue
            for d, v_oh in drivers:
                if ctx.part_of(d) == rid or v_oh >= vcc - 0.2:
                    continue
                margin = v_oh - vih
                if margin >= MARGIN:
                    continue
                if margin < 0 and stated:
                    ctx.add(
                        "ERC-LOGIC-LEVEL-TOO-LOW", Severity.MAJOR,
                        f"{d} drives only {fmt(v_oh, 'V')} when HIGH, but {o} ({ctx.label(rid)}, powered at "
                        f"{fmt(vcc, 'V')}) needs at least {fmt(vih, 'V')} to see a HIGH. The signal will not be "
                        "read correctly: use a level shifter (e.g. a 74AHCT125 or a MOSFET shifter).",
                        [d, o],
                    )
                else:
                    ctx.add(
                        "ERC-LOGIC-LEVEL-MARGINAL", Severity.MINOR,
                        f"{d} is a {fmt(v_oh, 'V')} output driving {o} ({ctx.label(rid)}, {fmt(vcc, 'V')} logic) "
                        f"whose input-high threshold is about {fmt(vih, 'V')}: only {fmt(max(margin, 0), 'V')} of "
                        "margin. It may work on the bench and fail with noise or long wires; a level shifter "
                        "makes it reliable.",
                        [d, o],
                    )
                break
