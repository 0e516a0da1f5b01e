"""Logic levels: an output's HIGH must clear the receiver's input-high threshold (VIH).

The receiver's VIH is its record's ``supply.vih_min`` (given at its ``logic_level``), scaled to the
supply it actually gets. On an open-drain line (I2C, one-wire) nobody drives HIGH: the pull-up
resistors (or a module's on-board pull-ups) set the HIGH level, so a 3.3 V pull-up on the I2C bus
of a 5 V board is judged the same way as a 3.3 V output. When a 5 V-logic part does not state VIH, CMOS 0.7·VCC is assumed, and
only a Minor "marginal" finding can come of it; a Major "too low" needs the datasheet figure.
Over-voltage (5 V into a 3.3 V pin) is the power rules' business.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext, fmt
from circuit.erc.pullups import _onboard_pullers, pull_resistors
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


def _pull_up_level(ctx: ErcContext, net) -> list[tuple[str, float]]:
    """(pull-up, volts) that set the HIGH level of an open-drain line, when they all go to one voltage."""
    ups = [(rid, v) for rid, d, v in pull_resistors(ctx, net.pins[0]) if d == "up"]
    ups += [(mid, v) for mid, v in _onboard_pullers(ctx, net) if v]
    if not ups or len({round(v, 2) for _, v in ups}) != 1:
        return []
    return ups[:1]


def check(ctx: ErcContext) -> None:
    for net in ctx.nl.nets:
        if ctx.group_voltage(net.pins[0]) is not None:
            continue
        # logic drivers only: an analog output (a sensor's voltage) is read by an ADC, not as HIGH/LOW
        drivers = [(o, v) for o in net.pins if getattr(ctx.pin(o), "type", None) != "analog_out" and (v := ctx.drive_voltage(o)) is not None]
        pulled = False
        if not drivers and any(ctx.on_open_drain_bus(o) or ctx.is_open_drain(ctx.pin(o)) for o in net.pins):
            drivers, pulled = _pull_up_level(ctx, net), True
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
                if pulled:
                    what = (f"resistor {d}" if ctx.is_resistor(ctx.part_of(d)) else f"the on-board pull-ups of {ctx.label(d)}")
                    src = f"This open-drain line is pulled up to only {fmt(v_oh, 'V')} (by {what})"
                else:
                    src = f"{d} drives only {fmt(v_oh, 'V')} when HIGH"
                if margin < 0 and stated:
                    ctx.add(
                        "ERC-LOGIC-LEVEL-TOO-LOW", Severity.MAJOR,
                        f"{src}, but {o} ({ctx.label(rid)}, powered at "
                        f"{fmt(vcc, 'V')}) needs at least {fmt(vih, 'V')} to see a HIGH. The signal will not be "
                        "read correctly: use a level shifter (e.g. a 74AHCT125 or a MOSFET shifter).",
                        [d, o],
                    )
                else:
                    ctx.add(
                        "ERC-LOGIC-LEVEL-MARGINAL", Severity.MINOR,
                        (f"{src}, and {o} ({ctx.label(rid)}, {fmt(vcc, 'V')} logic) has" if pulled else
                         f"{d} is a {fmt(v_oh, 'V')} output driving {o} ({ctx.label(rid)}, {fmt(vcc, 'V')} logic), "
                         "which has")
                        + (f" an input-high threshold of about {fmt(vih, 'V')} (0.7 x its supply; its datasheet "
                           "figure is not in the library), above that HIGH level. It may not switch at all, or "
                           "only on the bench; a level shifter "
                           if margin < 0 else
                           f" an input-high threshold of about {fmt(vih, 'V')}: only {fmt(margin, 'V')} "
                           "of margin. It may work on the bench and fail with noise or long wires; a level shifter ")
                        + ("(a BSS138 I2C shifter) makes it reliable." if pulled else "makes it reliable."),
                        [d, o],
                    )
                break
