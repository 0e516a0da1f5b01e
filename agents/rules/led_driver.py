"""LEDs, RGB LEDs and 7-segment digits: each LED channel gets its own series resistor sized from
the driving pin's high level, the LED's forward voltage and the current both can take.

Several digits share their segment lines (one resistor and one pin per segment) and each digit's
common pin is switched by a transistor (multiplexing): the common carries every lit segment's
current, more than a GPIO may sink or source.
"""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.builder import Board
from agents.rules.context import DriveOutput, PlanContext
from agents.rules.led_resistor import CannotLight, led_resistor
from agents.rules.load_switch import base_resistor, low_side_switch
from circuit.switch_choice import pick_bjt
from circuit.units import format_value
from knowledge.record import ComponentRecord


def _drive_from_board(ctx: PlanContext, board: Board, user: str, pwm: bool = False, sink: bool = False) -> DriveOutput:
    alloc = board.alloc.take("pwm" if pwm else "gpio", user, "out", fallback_gpio=True)
    ep = ctx.b.use_pin(board, alloc, user, f"sinks {user}" if sink else f"drives {user}")
    return DriveOutput(ep, alloc.pin.v_out or board.logic, _pin_budget(ctx, board, alloc.pin.i_max), board.id)


def _pin_budget(ctx: PlanContext, board: Board, i_max: float | None) -> float | None:
    """A pin's own limit, or its share of the chip's package limit when many LEDs hang on it."""
    share = ctx.led_share.get(board.id)
    if share is None:
        return i_max
    return min(i_max, share) if i_max else share


def next_drive(ctx: PlanContext, board: Board | None, user: str, pwm: bool = False) -> DriveOutput | None:
    """An expander output when the design has one free, else a controller pin."""
    if ctx.expander_outputs and not pwm:
        return ctx.expander_outputs.pop(0)
    if board is None:
        return None
    return _drive_from_board(ctx, board, user, pwm)


def _series_resistor(ctx: PlanContext, pid: str, rec: ComponentRecord, attrs: dict, drive_ep: str, v_high: float,
                     i_max: float | None, led_ep: str, label: str, vf: float | None = None) -> str:
    vf = vf if vf is not None else P.vf_of(rec, attrs)
    try:
        lr = led_resistor(v_high, vf, rec.ratings.if_nom, i_max)
    except CannotLight as e:
        ctx.b.unmet(f"{label}: {e}.")
        return ""
    rid = ctx.b.add("resistor", f"current limit for {label}", serves=pid)
    r1, r2 = P.two_terminals(ctx.b.rec(rid))
    ctx.b.wire(drive_ep, f"{rid}:{r1}", "signal", f"drives {label}")
    ctx.b.wire(f"{rid}:{r2}", led_ep, "signal", f"current-limited feed of {label}")
    ctx.b.value(rid, lr.ohms, "Ω", lr.formula, f"series resistor of {label}: {lr.why}")
    return rid


HEADROOM_MIN = 0.6  # V across the resistor below which the LED current depends on Vf more than on R


def _switched_from_rail(ctx: PlanContext, board: Board, pid: str, rec: ComponentRecord, attrs: dict,
                        drive: DriveOutput, anode: str, cathode: str, vf: float) -> bool:
    """An LED whose forward voltage the pin's high level cannot overcome (a blue LED on 3.3 V): fed
    from a higher rail through its resistor, switched on its cathode by a transistor the pin drives."""
    b = ctx.b
    rails = [r for r in b.domain_rails() if r.volts >= vf + 1.0 and r.headroom() >= 0.03]
    if not rails:
        return False
    rail = min(rails, key=lambda r: r.volts)
    lr = led_resistor(rail.volts - 0.2, vf, rec.ratings.if_nom)
    rid = b.add("resistor", f"current limit for {pid}", serves=pid)
    r1, r2 = P.two_terminals(b.rec(rid))
    b.power(f"{rid}:{r1}", rail, lr.current, f"{rail.name} feeds {pid}")
    b.wire(f"{rid}:{r2}", f"{pid}:{anode}", "signal", f"current-limited feed of {pid}")
    b.value(rid, lr.ohms, "Ω", lr.formula.replace(format_value(rail.volts - 0.2, "V"),
                                                   f"({format_value(rail.volts, 'V')} − 0.2 V across the switch)"),
            f"series resistor of {pid}: {lr.why}")
    low_side_switch(ctx, board, pid, f"{pid}:{cathode}", rail.volts, lr.current, control_ep=drive.endpoint,
                    v_drive=drive.v_high, i_pin=drive.i_max)
    b.note(f"{pid}'s forward voltage ({format_value(vf, 'V')}) is too close to the pin's "
           f"{format_value(drive.v_high, 'V')} high level, so it runs from {rail.name} and the pin switches it "
           f"through a transistor.")
    return True


def add_led(ctx: PlanContext, key: str, attrs: dict, board: Board | None, pwm: bool = False,
            drive: DriveOutput | None = None, role: str = "indicator LED") -> str:
    b = ctx.b
    rec = b.lib[key]
    pid = b.add(key, role, attrs)
    an, ca = P.led_pins(rec)
    if len(an) <= 1 and len(ca) <= 1:
        anode, cathode = P.two_terminals(rec)
        drive = drive or next_drive(ctx, board, pid, pwm)
        vf = P.vf_of(rec, attrs)
        if drive is not None and board is not None and drive.v_high - vf < HEADROOM_MIN:
            if _switched_from_rail(ctx, board, pid, rec, attrs, drive, anode, cathode, vf):
                return pid
        if drive is None:
            rail = ctx.logic_rail(board) or (b.domain_rails()[0] if b.domain_rails() else None)
            if rail is None:
                b.unmet(f"{pid} has nothing to drive it.")
                return pid
            # a battery's own limit bounds the LED current like a pin's would (a CR2032 gives 3 mA)
            limit = rail.headroom() if rail.kind == "source" and rail.budget is not None else None
            drive = DriveOutput(rail.endpoint, rail.volts, limit, rail.owner)
            rail.load += min(rec.ratings.if_nom or 0.015, 0.75 * limit) if limit else (rec.ratings.if_nom or 0.015)
        _series_resistor(ctx, pid, rec, attrs, drive.endpoint, drive.v_high, drive.i_max, f"{pid}:{anode}", pid)
        b.to_ground(f"{pid}:{cathode}", f"{pid} cathode returns to ground")
        return pid
    _multi_led(ctx, pid, rec, attrs, board)
    return pid


def common_anode(rec: ComponentRecord, attrs: dict) -> bool:
    an, ca = P.led_pins(rec)
    c = str(attrs.get("common", "")).lower()
    if c in ("anode", "ca", "common anode"):
        return len(ca) >= len(an)
    if c in ("cathode", "cc", "common cathode"):
        return False
    return len(an) < len(ca)


def channels_and_commons(rec: ComponentRecord, attrs: dict) -> tuple[list[str], list[str], bool]:
    an, ca = P.led_pins(rec)
    ca_common = common_anode(rec, attrs)
    if ca_common:
        return [p.name for p in ca], [p.name for p in an], True
    return [p.name for p in an], [p.name for p in ca], False


def _multi_led(ctx: PlanContext, pid: str, rec: ComponentRecord, attrs: dict, board: Board | None) -> None:
    """An RGB LED or one 7-segment digit: a resistor per channel, the common to ground (or the rail)."""
    b = ctx.b
    chans, commons, is_ca = channels_and_commons(rec, attrs)
    rail = ctx.logic_rail(board)
    for ch in chans:
        label = f"{pid} {ch}"
        if is_ca:
            # common anode: the pin sinks the channel's current; it is on when the pin is LOW
            if board is None:
                b.to_ground(f"{pid}:{ch}", label)
                continue
            alloc = board.alloc.take("gpio", pid, "out", fallback_gpio=True)
            ep = b.use_pin(board, alloc, f"{pid}:{ch}", f"sinks {label} (LOW = on)")
            v_rail = rail.volts if rail else board.logic
            _series_resistor(ctx, pid, rec, attrs, ep, v_rail, _pin_budget(ctx, board, alloc.pin.i_max), f"{pid}:{ch}", label)
        else:
            drive = next_drive(ctx, board, pid)
            if drive is None:
                continue
            _series_resistor(ctx, pid, rec, attrs, drive.endpoint, drive.v_high, drive.i_max, f"{pid}:{ch}", label)
    for com in distinct_pins(rec, commons):
        if is_ca:
            if rail is not None:
                b.power(f"{pid}:{com}", rail, 0.0, f"common anode of {pid}")
        else:
            b.to_ground(f"{pid}:{com}", f"common cathode of {pid}")
    if is_ca:
        b.note(f"{pid} is common-anode: a channel lights when its pin is LOW.")


def distinct_pins(rec: ComponentRecord, names: list[str]) -> list[str]:
    """Common pins joined inside the part (same group) need one wire, not one each."""
    out, groups = [], set()
    for n in names:
        p = rec.pin(n)
        if p is not None and p.group:
            if p.group in groups:
                continue
            groups.add(p.group)
        out.append(n)
    return out


def add_digits(ctx: PlanContext, key: str, qty: int, attrs: dict, board: Board) -> list[str]:
    """Several multi-segment digits, multiplexed: shared segment lines, one transistor per common."""
    b = ctx.b
    rec = b.lib[key]
    if qty == 1:
        return [add_led(ctx, key, attrs, board, role="display digit")]
    chans, commons, is_ca = channels_and_commons(rec, attrs)
    if not is_ca and len(ctx.expander_outputs) >= qty * len(chans):
        # expander outputs enough for every segment of every digit: each digit lit steadily from its own outputs,
        # its common to ground (no multiplexing)
        return [add_led(ctx, key, attrs, board, role=f"display digit {i + 1}") for i in range(qty)]
    pids = [b.add(key, f"display digit {i + 1}", attrs) for i in range(qty)]
    vf = P.vf_of(rec, attrs)
    for ch in chans:
        if ctx.expander_outputs and not is_ca:  # (an expander's output drives the segment line: the board's pins
            drive = ctx.expander_outputs.pop(0)  # are too few, agents/rules/display_expander.py)
        else:
            alloc = board.alloc.take("gpio", pids[0], "out", fallback_gpio=True)
            drive = DriveOutput(b.use_pin(board, alloc, f"segment {ch} of every digit", "segment line (multiplexed)"),
                                alloc.pin.v_out or board.logic, _pin_budget(ctx, board, alloc.pin.i_max), board.id)
        ep = drive.endpoint
        lr = led_resistor(drive.v_high, vf, rec.ratings.if_nom, drive.i_max)
        rid = b.add("resistor", f"segment {ch} current limit", serves=pids[0])
        r1, r2 = P.two_terminals(b.rec(rid))
        b.wire(ep, f"{rid}:{r1}", "signal", f"segment {ch}")
        for pid in pids:
            b.wire(f"{rid}:{r2}", f"{pid}:{ch}", "signal", f"segment {ch} shared by all digits")
        b.value(rid, lr.ohms, "Ω", lr.formula, f"one resistor per segment line: {lr.why}")
    seg_i = (rec.ratings.if_nom or 0.015)
    i_common = seg_i * len(chans)
    bjt = pick_bjt(b.lib, 6.0, i_common, pnp=is_ca)
    for pid in pids:
        for com in distinct_pins(rec, commons):
            alloc = board.alloc.take("gpio", pid, "out", fallback_gpio=True)
            ep = b.use_pin(board, alloc, f"{pid} digit select", "digit select (through a transistor)")
            if bjt is None:
                b.wire(ep, f"{pid}:{com}", "signal", f"digit select {pid}")
                b.note(f"{pid}'s common carries up to {format_value(i_common, 'A')}; drive it through a transistor.")
                continue
            qid = b.add(bjt, f"digit switch for {pid}", serves=pid)
            bp, cp, ep_ = P.bjt_pins(b.rec(qid))
            rb, formula, why = base_resistor(b.lib[bjt], alloc.pin.v_out or board.logic, i_common, alloc.pin.i_max)
            rid = b.add("resistor", f"base resistor of {qid}", serves=qid)
            r1, r2 = P.two_terminals(b.rec(rid))
            b.wire(ep, f"{rid}:{r1}", "signal", f"selects {pid}")
            b.wire(f"{rid}:{r2}", f"{qid}:{bp}", "signal", f"base of {qid}")
            b.value(rid, rb, "Ω", formula, why)
            if is_ca:
                rail = ctx.logic_rail(board)
                if rail is not None:
                    b.power(f"{qid}:{ep_}", rail, i_common, f"{qid} switches the common anode of {pid}")
                b.wire(f"{qid}:{cp}", f"{pid}:{com}", "signal", f"common anode of {pid}")
            else:
                b.wire(f"{pid}:{com}", f"{qid}:{cp}", "signal", f"common cathode of {pid}")
                b.to_ground(f"{qid}:{ep_}", f"{qid} emitter to ground")
    b.note(f"The {qty} digits are multiplexed: segments share {len(chans)} pins; firmware lights one digit at a "
           f"time (a few ms each) through its transistor.")
    return pids
