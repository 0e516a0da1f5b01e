"""Pull-up and pull-down rules: switch inputs must not float, open-drain lines need a pull-up,
pull-ups must not be doubled, and a pull-up must not lift a pin above its rating.

An internal pull-up counts only when it is *declared*, because firmware has to enable it: on the
MCU part, attr ``input_pullup`` (or ``input_pulldown``) lists the pins, e.g.
``"input_pullup": "D2, D3"``; or on the switch part, ``"internal_pullup": true``.
"""

from __future__ import annotations

import re

from circuit.erc.context import ErcContext, fmt
from circuit.erc.power import _rail_in_range
from circuit.findings import Severity
from circuit.units import format_value

RULES = {
    "ERC-FLOATING-INPUT": (Severity.MAJOR, "A switch on an input pin has no pull-up or pull-down, so the input floats when the switch is open."),
    "ERC-PULLUP-OVERVOLTAGE": (Severity.CRITICAL, "A pull-up (external or on a module) lifts a pin above its absolute maximum voltage."),
    "ERC-REDUNDANT-PULLUP": (Severity.MINOR, "A line has more pull-ups than it needs (two resistors, or one on top of a declared or on-board pull-up)."),
    "ERC-OPEN-DRAIN-NO-PULLUP": (Severity.WARNING, "An open-drain output has no pull-up resistor, so it can never read HIGH."),
}

PULL_ATTRS = {"up": ("input_pullup", "pullups", "internal_pullups"), "down": ("input_pulldown", "pulldowns", "internal_pulldowns")}
BUS_FUNCTIONS = {"i2c_sda", "i2c_scl"}
ONBOARD_PULLED = BUS_FUNCTIONS | {"data", "onewire"}  # the lines a module's on-board pull-ups hold


def declared_pulls(ctx: ErcContext, direction: str) -> set[str]:
    """Endpoints whose internal pull-up (``up``) or pull-down (``down``) is declared in attrs."""
    out: set[str] = set()
    for pid, part in ctx.parts.items():
        rec = ctx.rec(pid)
        if rec is None:
            continue
        for key in PULL_ATTRS[direction]:
            raw = part.attrs.get(key)
            if not isinstance(raw, str):
                continue
            for name in re.split(r"[\s,;]+", raw.strip()):
                p = rec.pin(name) if name else None
                if p is not None and (p.pullup if direction == "up" else p.pulldown):
                    out.add(f"{pid}:{p.name}")
    if direction == "up":
        for pid, part in ctx.parts.items():
            if ctx.is_switch(pid) and part.attrs.get("internal_pullup") in (True, "true", "yes", 1):
                for n in ctx.rec(pid).pin_names:
                    for o in ctx.others_on_net(f"{pid}:{n}"):
                        p = ctx.pin(o)
                        if p is not None and p.pullup:
                            out.add(o)
    return out


def pull_resistors(ctx: ErcContext, net_ep: str) -> list[tuple[str, str, float]]:
    """(resistor id, 'up'|'down', rail volts) for resistors from this pin's net to a rail or ground."""
    net = ctx.net(net_ep)
    if net is None:
        return []
    out = []
    for o in net.pins:
        rid = ctx.part_of(o)
        if not ctx.is_resistor(rid):
            continue
        other = ctx.other_terminal(o)
        if other is None or ctx.net(other) is net:
            continue
        v = ctx.group_voltage(other)
        if v is None:
            continue
        out.append((rid, "down" if v == 0 else "up", v))
    return out


def _input_pins(ctx: ErcContext, group) -> list[str]:
    out = []
    for ep in group.pins:
        p = ctx.pin(ep)
        if p is not None and p.type in ("digital_in", "digital_io") and not ctx.is_switch(ctx.part_of(ep)):
            out.append(ep)
    return out


def _floating_switch_inputs(ctx: ErcContext, ups: set[str], downs: set[str]) -> None:
    seen: set[str] = set()
    for sid in ctx.parts:
        if not ctx.is_switch(sid) or ctx.is_closed(sid):
            continue
        rec = ctx.rec(sid)
        sides = [f"{sid}:{n}" for n in rec.pin_names if ctx.connected(f"{sid}:{n}")]
        for rail_side in sides:
            g_rail = ctx.group(rail_side)
            to_ground = bool(ctx.grounds_in(g_rail))
            to_rail = not to_ground and any((v or 0) > 0 for _, v in ctx.rails_in(g_rail))
            if not (to_ground or to_rail):
                continue
            for in_side in sides:
                g_in = ctx.group(in_side)
                if g_in is g_rail or ctx.grounds_in(g_in) or ctx.rails_in(g_in):
                    continue
                inputs = _input_pins(ctx, g_in)
                if not inputs:
                    continue
                key = ctx.net(in_side).name
                if key in seen:
                    continue
                seen.add(key)
                need = "up" if to_ground else "down"
                pulls = [r for r in pull_resistors(ctx, in_side) if r[1] == need]
                declared = ups if need == "up" else downs
                if pulls or any(i in declared for i in inputs):
                    continue
                target = inputs[0]
                p = ctx.pin(target)
                internal = (p.pullup if need == "up" else p.pulldown)
                hint = (f" (or enable the pin's internal pull-{need} in the program: "
                        f"pinMode({p.name}, INPUT_PULL{need.upper()}), and declare it)" if internal else "")
                ctx.add(
                    "ERC-FLOATING-INPUT", Severity.MAJOR,
                    f"Switch {sid} connects {target} to {'ground' if to_ground else 'the supply'}, but when the "
                    f"switch is open nothing holds the pin {'HIGH' if to_ground else 'LOW'}: the input floats and "
                    f"reads random values. Add a 10 kΩ pull-{need} resistor from the pin to "
                    f"{'the supply' if to_ground else 'ground'}{hint}.",
                    [sid, target],
                    f"add_pull{need}({target}, {format_value(10e3, 'Ω')})",
                )


def _open_drain(ctx: ErcContext, ups: set[str]) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or rec.is_mcu:
            continue
        for p in rec.pins:
            if not ctx.is_open_drain(p) or BUS_FUNCTIONS & set(p.functions):
                continue
            if rec.flags.onboard_pullups and ONBOARD_PULLED & set(p.functions):
                continue
            ep = f"{pid}:{p.name}"
            net = ctx.net(ep)
            if net is None or ctx.group_voltage(ep) is not None:
                continue
            readers = [o for o in ctx.others_on_net(ep) if (q := ctx.pin(o)) is not None and q.type in ("digital_in", "digital_io")]
            if not readers:
                continue
            if any(r[1] == "up" for r in pull_resistors(ctx, ep)) or any(o in ups for o in net.pins):
                continue
            if any((r := ctx.rec(ctx.part_of(o))) is not None and r.flags.onboard_pullups for o in net.pins):
                continue
            ctx.add(
                "ERC-OPEN-DRAIN-NO-PULLUP", Severity.WARNING,
                f"{p.name} of {ctx.label(pid)} is an open-drain output: it can only pull the line LOW. With no "
                f"pull-up resistor the line never reads HIGH reliably. Add a 10 kΩ resistor from {p.name} to "
                "the supply.",
                [ep] + readers[:1], f"add_pullup({ep}, {format_value(10e3, 'Ω')})",
            )


def _divided_voltage(ctx: ErcContext, resistors: list[tuple[str, str, float]]) -> float | None:
    """Voltage of a node tied by resistors to rails and ground (Millman): Σ(V/R) / Σ(1/R)."""
    num = den = 0.0
    for rid, _, v in resistors:
        r = ctx.value(rid)
        if r is None or r <= 0:
            return None
        num += v / r
        den += 1 / r
    return num / den if den else None


def _onboard_pullers(ctx: ErcContext, net) -> list[tuple[str, float | None]]:
    """(part id, volts) of modules on the net whose own pull-ups hold this line (I2C/open-drain pins)."""
    out = []
    for o in net.pins:
        pid = ctx.part_of(o)
        rec = ctx.rec(pid)
        p = ctx.pin(o)
        if rec is None or p is None or not rec.flags.onboard_pullups:
            continue
        if ONBOARD_PULLED & set(p.functions):
            # pull-ups sit on the module's logic rail: its own regulator's output, else its supply
            v = rec.supply.logic_level if rec.flags.onboard_regulator and rec.supply.logic_level else ctx.part_supply_voltage(pid)
            out.append((pid, v))
    return out


def _redundant_and_overvoltage(ctx: ErcContext, ups: set[str]) -> None:
    for net in ctx.nl.nets:
        if ctx.group_voltage(net.pins[0]) is not None:
            continue  # a rail or ground net itself
        every = pull_resistors(ctx, net.pins[0])
        pulls = [r for r in every if r[1] == "up"]
        if pulls and any(d == "down" for _, d, _ in every):
            # resistors to a rail and to ground make a divider: the line sits at the divided voltage
            node = _divided_voltage(ctx, every)
            if node is not None:
                pulls = [(rid, d, node) for rid, d, _ in pulls]
        onboard = _onboard_pullers(ctx, net)
        internal = [o for o in net.pins if o in ups]
        signal = [o for o in net.pins if (p := ctx.pin(o)) is not None and p.type in ("digital_in", "digital_io", "digital_out", "analog_in")]
        if not signal:
            continue
        # over-voltage through a pull-up: one finding per pull-up, naming every pin it lifts too high
        over: dict[str, tuple[float, list[str]]] = {}
        clamp = ctx.clamp_voltage(net.pins[0])  # a zener to ground holds the line at its voltage
        if clamp is not None:
            pulls = [(rid, d, min(v, clamp)) for rid, d, v in pulls]
            onboard = [(mid, min(v, clamp) if v is not None else v) for mid, v in onboard]
        for o in signal:
            p = ctx.pin(o)
            if p.v_max is None:
                continue
            for src, v in [(rid, v) for rid, _, v in pulls] + [(mid, v) for mid, v in onboard if mid != ctx.part_of(o)]:
                if v is not None and v > p.v_max + 0.1:
                    over.setdefault(src, (v, []))[1].append(o)
                    break
        for src, (v, pins) in over.items():
            pins.sort(key=lambda e: ctx.pin(e).v_max)
            o = pins[0]
            p = ctx.pin(o)
            fix = None
            if ctx.is_resistor(src):
                rail = None
                for lv in (ctx.logic_level(ctx.part_of(o)), ctx.rec(ctx.part_of(o)).supply.logic_level, 3.3, 1.8):
                    if lv is not None and lv <= p.v_max and (rail := ctx.rail_pin_for(lv)):
                        break
                rail_end = next((f"{src}:{n}" for n in ctx.rec(src).pin_names
                                 if ctx.net(f"{src}:{n}") is not net), None)
                fix = f"move_wire({rail_end}, {rail})" if rail and rail_end else None
                how = f"pull-up resistor {src} goes to {fmt(v, 'V')}"
            else:
                mrec = ctx.rec(src)
                vcc = next((f"{src}:{q.name}" for q in mrec.pins_of_type("power_in")), None)
                rail = _rail_in_range(ctx, mrec, p.v_max, None, src)
                fix = f"move_wire({vcc}, {rail})" if rail and vcc else None
                how = f"{ctx.label(src)} has its own pull-ups to its {fmt(v, 'V')} supply"
            who = (f"{o} tolerates" if len(pins) == 1
                   else f"{', '.join(pins)} are on this line; {o} tolerates")
            ctx.add(
                "ERC-PULLUP-OVERVOLTAGE", Severity.CRITICAL,
                f"{who} at most {fmt(p.v_max, 'V')}, but the {how}, so the line idles at "
                f"{fmt(v, 'V')}: above the pin's absolute maximum rating, which damages it. Pull the line up "
                "to the lower voltage"
                + (f" (power {src} from {rail})" if rail and not ctx.is_resistor(src) else "")
                + " or use a level shifter.",
                pins + [src], fix,
            )
        # redundant pull-ups
        if len(pulls) >= 2:
            ctx.add(
                "ERC-REDUNDANT-PULLUP", Severity.MINOR,
                f"{', '.join(r[0] for r in pulls)} are all pull-ups on the same line ({signal[0]}). One is enough; "
                "in parallel they make a stronger pull-up that wastes current and can be too strong for the pin.",
                [r[0] for r in pulls] + signal[:1], f"remove_part({pulls[-1][0]})",
            )
        elif pulls and internal:
            ctx.add(
                "ERC-REDUNDANT-PULLUP", Severity.MINOR,
                f"{signal[0]} has both an internal pull-up (declared) and the external pull-up {pulls[0][0]}. "
                "One of them is enough.",
                [pulls[0][0]] + internal[:1], f"remove_part({pulls[0][0]})",
            )
        elif pulls and onboard and any(BUS_FUNCTIONS & set(ctx.pin(o).functions) for o in signal):
            ctx.add(
                "ERC-REDUNDANT-PULLUP", Severity.MINOR,
                f"{ctx.label(onboard[0][0])} already has pull-up resistors on this I2C line, so {pulls[0][0]} is "
                "not needed.",
                [pulls[0][0], onboard[0][0]], f"remove_part({pulls[0][0]})",
            )


def check(ctx: ErcContext) -> None:
    ups, downs = declared_pulls(ctx, "up"), declared_pulls(ctx, "down")
    _floating_switch_inputs(ctx, ups, downs)
    _open_drain(ctx, ups)
    _redundant_and_overvoltage(ctx, ups)
