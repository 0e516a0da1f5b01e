"""Power rules: shorts, rails tied together, outputs on rails, over-/under-voltage, missing
power or ground, and supplies without a common ground."""

from __future__ import annotations

from circuit.erc.context import V_TOL, ErcContext, _DSU, fmt
from circuit.erc.inductive_loads import coil_terminals
from circuit.findings import Severity
from circuit.units import format_value, nearest_e

RULES = {
    "ERC-SUPPLY-SHORT": (Severity.CRITICAL, "A supply rail is wired to ground (directly, or through zero-ohm parts or inductors)."),
    "ERC-RAILS-SHORTED": (Severity.CRITICAL, "Two supply rails of different voltage are wired together."),
    "ERC-OUTPUT-TO-RAIL": (Severity.CRITICAL, "An output pin (GPIO) is wired straight to a supply rail or ground."),
    "ERC-PIN-OVERVOLTAGE": (Severity.CRITICAL, "A pin gets more voltage than its absolute maximum rating."),
    "ERC-NO-POWER": (Severity.CRITICAL, "An IC or module has no supply connected to its power pin (a module "
                     "with its own power connector, such as a charger's USB jack, is fed through that)."),
    "ERC-NO-GROUND": (Severity.CRITICAL, "An IC, module or supply has no ground connection."),
    "ERC-SWITCH-SHORTS-SUPPLY": (Severity.MAJOR, "A switch joins a rail straight to ground: pressing it shorts the supply."),
    "ERC-SUPPLY-UNDERVOLTAGE": (Severity.MAJOR, "A part is powered below its minimum supply voltage, so it will not work."),
    "ERC-NO-COMMON-GROUND": (Severity.MAJOR, "Parts that exchange signals are powered from supplies whose grounds are not joined."),
    "ERC-SUPPLY-ABOVE-RATED": (Severity.MINOR, "A part is powered above its recommended (but below its absolute maximum) voltage."),
    "ERC-SUPPLY-OVERLOAD": (Severity.MAJOR, "The parts on a supply pin draw more current (typically) than the pin can give."),
}


def _direct_wire(ctx: ErcContext, eps_a: list[str], eps_b: list[str]) -> tuple[str, str] | None:
    a, b = set(eps_a), set(eps_b)
    for c in ctx.circuit.connections:
        if (c.source in a and c.target in b) or (c.source in b and c.target in a):
            return c.source, c.target
    return None


def _short_parts_between(ctx: ErcContext, group) -> list[str]:
    nets = {n.name for n in group.nets}
    out = []
    for pid in ctx.parts:
        if ctx.is_short_element(pid):
            rec = ctx.rec(pid)
            touched = {ctx.net(f"{pid}:{n}").name for n in rec.pin_names if ctx.net(f"{pid}:{n}")}
            if len(touched) > 1 and touched <= nets:
                out.append(pid)
    return out


def _shorts(ctx: ErcContext) -> None:
    for g in ctx.groups():
        grounds = ctx.grounds_in(g)
        rails = [(ep, v) for ep, v in ctx.rails_in(g)]
        if grounds and rails:
            live = [ep for ep, v in rails if v is None or v > 0]
            if not live:
                continue
            via = _short_parts_between(ctx, g)
            how = f" through {', '.join(via)}" if via else ""
            wire = _direct_wire(ctx, live, grounds)
            fix = f"remove_connection({wire[0]}, {wire[1]})" if wire else (
                f"remove_part({via[0]})" if len(via) == 1 and ctx.kind(via[0]) == "resistor" else None)
            names = ", ".join(live[:3])
            ctx.add(
                "ERC-SUPPLY-SHORT", Severity.CRITICAL,
                f"The supply {names} is connected straight to ground{how}. That is a short circuit: "
                "the moment power is applied a huge current flows, the regulator or battery overheats and "
                "parts can burn. A supply pin must reach ground only through a load.",
                live[:3] + grounds[:1] + via, fix,
            )
            continue
        known = [(ep, v) for ep, v in rails if v is not None]
        volts = sorted({round(v, 2) for _, v in known})
        if len(volts) >= 2 and volts[-1] - volts[0] > 0.25:
            hi = [ep for ep, v in known if round(v, 2) == volts[-1]]
            # a rail pin that also takes power in (a board's VIN/VBUS: v_max above its own v_out) may be fed
            lower = [ep for ep, v in known if round(v, 2) != volts[-1]]
            lo = [ep for ep in lower if ctx.pin(ep).v_max is None]
            for ep in lower:
                p = ctx.pin(ep)
                if p.v_max is not None and p.v_max < volts[-1] - V_TOL:
                    ctx.add(
                        "ERC-PIN-OVERVOLTAGE", Severity.CRITICAL,
                        f"{p.name} of {ctx.label(ctx.part_of(ep))} accepts at most {fmt(p.v_max, 'V')}, but "
                        f"{hi[0]} feeds it {fmt(volts[-1], 'V')}. That exceeds its absolute maximum rating and "
                        "destroys its regulator. Use a supply within its range.",
                        [ep, hi[0]],
                    )
            if not lo:
                continue
            wire = _direct_wire(ctx, hi, lo)
            ctx.add(
                "ERC-RAILS-SHORTED", Severity.CRITICAL,
                f"Two different supply voltages are wired together: {hi[0]} ({fmt(volts[-1], 'V')}) and "
                f"{lo[0]} ({fmt(volts[0], 'V')}). The higher supply forces current back into the lower one "
                "and can destroy its regulator and everything on that rail. Keep each rail on its own wire.",
                hi[:2] + lo[:2],
                f"remove_connection({wire[0]}, {wire[1]})" if wire else None,
            )


def _switch_shorts(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        if not ctx.is_switch(pid) or ctx.is_closed(pid):
            continue
        rec = ctx.rec(pid)
        live, gnd = [], []
        for n in rec.pin_names:
            ep = f"{pid}:{n}"
            g = ctx.group(ep)
            if g is None:
                continue
            if ctx.grounds_in(g):
                gnd.append(ep)
            elif any(v is None or v > 0 for _, v in ctx.rails_in(g)):
                live.append(ep)
        if live and gnd:
            ctx.add(
                "ERC-SWITCH-SHORTS-SUPPLY", Severity.MAJOR,
                f"Switch {pid} connects a supply rail straight to ground: every time it is pressed it shorts "
                "the supply. A button should connect an input pin to the rail or to ground, with a pull-up or "
                "pull-down resistor on the pin.",
                [pid] + live[:1] + gnd[:1],
            )


def _outputs_on_rails(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None:
            continue
        for p in rec.pins:
            if not ctx.can_drive(p):
                continue
            ep = f"{pid}:{p.name}"
            g = ctx.group(ep)
            if g is None:
                continue
            rails = [r for r, v in ctx.rails_in(g) if v is None or v > 0]
            grounds = [] if ctx.is_open_drain(p) else ctx.grounds_in(g)
            targets = rails or grounds
            if not targets or (rails and ctx.grounds_in(g)):
                continue  # a rail-to-ground short is reported on its own
            what = "a supply rail" if rails else "ground"
            wire = _direct_wire(ctx, [ep], targets)
            ctx.add(
                "ERC-OUTPUT-TO-RAIL", Severity.CRITICAL,
                f"{p.name} of {ctx.label(pid)} is an output pin wired straight to {what} ({targets[0]}). "
                f"When the program drives it {'LOW' if rails else 'HIGH'} it shorts the supply through the pin "
                "and destroys it. Connect the pin to the input or the resistor it is meant to drive instead.",
                [ep, targets[0]],
                f"remove_connection({wire[0]}, {wire[1]})" if wire else None,
            )


def _sources_on(ctx: ErcContext, ep: str) -> list[tuple[str, float, str]]:
    """(endpoint, volts, kind) of what raises this pin's net: rails (switched group) and other parts' outputs."""
    out = []
    g = ctx.group(ep, switched=True)
    if g is not None:
        for r, v in ctx.rails_in(g):
            if v is not None:
                out.append((r, v, "rail"))
    if ctx.group_voltage(ep) is not None:
        return out  # on a rail or ground net an output only fights the rail (ERC-OUTPUT-TO-RAIL)
    pid = ctx.part_of(ep)
    for other, v in ctx.drivers_on_net(ep):  # the net's outputs, found once per net (large nets stay linear)
        if ctx.part_of(other) != pid:
            out.append((other, v, "output"))
    return out


def _single_power_pin(ctx: ErcContext, pid: str) -> str | None:
    """The part's only supply input (a fed VIN counts), whose range is the part's supply range."""
    names = list(dict.fromkeys(p.name for p in ctx.power_inputs(pid)))
    return names[0] if len(names) == 1 else None


def _rail_in_range(ctx: ErcContext, rec, limit: float, prefer: str | None, pid: str | None = None) -> str | None:
    """A rail pin whose voltage suits the part ``pid``: within its supply range and not above ``limit``, and not
    one the part makes itself or that is made from its output (it cannot feed its own input)."""
    s = rec.supply
    for v in (3.3, 5.0, 12.0, 9.0, 1.8):
        if v > limit + 1e-9:
            continue
        if s.v_min is not None and v < s.v_min - V_TOL:
            continue
        if s.v_max is not None and v > s.v_max + V_TOL:
            continue
        ep = ctx.rail_pin_for(v, prefer, feeding=pid)
        if ep:
            return ep
    return None


def _divider(v_in: float, v_target: float) -> tuple[float, float]:
    top = 10e3
    bottom = nearest_e(top * v_target / max(v_in - v_target, 1e-3), "E12", "down")
    return top, bottom


def _voltages(ctx: ErcContext) -> None:
    mcu = next((pid for pid in ctx.parts if ctx.is_mcu(pid)), None)
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None:
            continue
        single = _single_power_pin(ctx, pid)
        for p in rec.pins:
            ep = f"{pid}:{p.name}"
            ptype = ctx.pin_type(ep)
            if not ctx.connected(ep) or ptype in ("power_out", "ground", "nc"):
                continue
            srcs = _sources_on(ctx, ep)
            if not srcs:
                continue
            top_ep, top_v, top_kind = max(srcs, key=lambda s: s[1])
            limit = p.v_max
            # a board pin that takes its chip's supply straight in (a 3V3 pin, its v_range) has no regulator
            # to spare it: its range ends where it ends (a 3.7 V cell on a 3.6 V pin is over it)
            slack = 0.0 if p.v_range is not None and ctx.canonical(ep) in ctx.fed else V_TOL
            if ptype == "power_in" and p.name == single and rec.supply.v_abs_max is not None:
                limit = min(limit, rec.supply.v_abs_max) if limit is not None else rec.supply.v_abs_max
            if limit is not None and top_v > limit + slack + 1e-9:
                fix = None
                if ptype == "power_in":
                    rail = _rail_in_range(ctx, rec, limit, mcu, pid)
                    fix = f"move_wire({ep}, {rail})" if rail else None
                    advice = "Power it from a rail it is rated for."
                elif top_kind == "output" and p.type in ("digital_in", "digital_io", "analog_in"):
                    target = min(limit - 0.3, ctx.logic_level(pid) or limit)
                    r1, r2 = _divider(top_v, target)
                    fix = f"insert_voltage_divider({ep}, {format_value(r1, 'Ω')}, {format_value(r2, 'Ω')})"
                    advice = ("Put a voltage divider (e.g. 10 kΩ from the output, "
                              f"{format_value(r2, 'Ω')} to ground) or a level shifter between them.")
                else:
                    advice = "Use a level shifter or a voltage divider, or a part rated for this voltage."
                ctx.add(
                    "ERC-PIN-OVERVOLTAGE", Severity.CRITICAL,
                    f"{p.name} of {ctx.label(pid)} can take at most {fmt(limit, 'V')}, but {top_ep} puts "
                    f"{fmt(top_v, 'V')} on it. That exceeds the absolute maximum rating and damages the part. {advice}",
                    [ep, top_ep], fix,
                )
                continue
            if ptype != "power_in" or p.name != single:
                continue
            rails = [s for s in srcs if s[2] == "rail"]
            if not rails:
                continue
            v = max(s[1] for s in rails)
            s = rec.supply
            if p.v_range is not None:  # a pin that states its own supply range (a board's 3V3 pin taking 3.3 V)
                s = s.model_copy(update={"v_min": p.v_range[0], "v_max": p.v_range[1]})
            if s.v_min is not None and v < s.v_min - V_TOL:
                rail = _rail_in_range(ctx, rec, s.v_abs_max or s.v_max or 99, mcu, pid)
                ctx.add(
                    "ERC-SUPPLY-UNDERVOLTAGE", Severity.MAJOR,
                    f"{ctx.label(pid)} needs at least {fmt(s.v_min, 'V')} on {p.name}, but it gets "
                    f"{fmt(v, 'V')} from {rails[0][0]}. It will not work reliably (or at all) at that voltage."
                    + (f" Connect {p.name} to {rail} instead." if rail else ""),
                    [ep, rails[0][0]],
                    f"move_wire({ep}, {rail})" if rail else None,
                )
            elif s.v_max is not None and v > s.v_max + V_TOL:
                ctx.add(
                    "ERC-SUPPLY-ABOVE-RATED", Severity.MINOR,
                    f"{ctx.label(pid)} is rated for up to {fmt(s.v_max, 'V')} on {p.name} but gets {fmt(v, 'V')}. "
                    "It is below the absolute maximum, but it runs hot and its life is shorter.",
                    [ep, rails[0][0]],
                )


def _divided_nets(ctx: ErcContext) -> None:
    """A resistive divider (resistors from a net to known voltages, nothing else driving it) must not
    put more on an input than it takes: V = Σ(Vi/Ri) / Σ(1/Ri)."""
    for net in ctx.nl.nets:
        first = net.pins[0]
        if ctx.group_voltage(first) is not None or ctx.group_voltage(first, switched=True) is not None:
            continue
        # a dedicated output on the net drives it; a GPIO (digital_io) here is the one reading the divider
        if any(ctx.drive_voltage(o) is not None and ctx.pin(o).type != "digital_io" for o in net.pins):
            continue
        legs = []  # (resistor id, ohms, volts at its far end)
        unknown = False
        for o in net.pins:
            rid = ctx.part_of(o)
            if not ctx.is_resistor(rid):
                continue
            far, r = ctx.other_terminal(o), ctx.value(rid)
            if far is None or r is None or r <= 0 or ctx.net(far) is net:
                continue
            v = ctx.group_voltage(far)
            if v is None:
                drives = [d for q in (ctx.net(far).pins if ctx.net(far) else []) if (d := ctx.drive_voltage(q))]
                v = max(drives) if drives else None
            if v is None:
                unknown = True
                break
            legs.append((rid, r, v))
        if unknown or len(legs) < 2 or not any(v == 0 for *_, v in legs) or not any(v > 0 for *_, v in legs):
            continue
        v_node = sum(v / r for _, r, v in legs) / sum(1 / r for _, r, _ in legs)
        clamp = ctx.clamp_voltage(first)
        if clamp is not None:
            v_node = min(v_node, clamp)  # a zener to ground holds the node at its voltage
        for o in net.pins:
            p = ctx.pin(o)
            if p is None or p.v_max is None or p.type not in ("digital_in", "digital_io", "analog_in"):
                continue
            if v_node <= p.v_max + V_TOL:
                continue
            fix, advice = None, "Change the divider so the pin stays below its limit, or use a level shifter."
            tops = [leg for leg in legs if leg[2] > 0]
            bottoms = [leg for leg in legs if leg[2] == 0]
            if len(tops) == 1 and len(bottoms) == 1:
                (rt, _, vs), (_, rb, _) = tops[0], bottoms[0]
                target = min(p.v_max - 0.3, ctx.logic_level(ctx.part_of(o)) or p.v_max)
                new_top = nearest_e(rb * (vs - target) / target, "E12", "up")
                fix = f"set_value({rt}, {format_value(new_top, 'Ω')})"
                advice = (f"Make {rt} {format_value(new_top, 'Ω')}: the pin then sees about "
                          f"{fmt(vs * rb / (new_top + rb), 'V')}.")
            ctx.add(
                "ERC-PIN-OVERVOLTAGE", Severity.CRITICAL,
                f"The resistor divider {' / '.join(leg[0] for leg in legs)} puts about {fmt(v_node, 'V')} on "
                f"{p.name} of {ctx.label(ctx.part_of(o))}, which can take at most {fmt(p.v_max, 'V')}. {advice}",
                [o] + [leg[0] for leg in legs], fix,
            )


def _potentiometers(ctx: ErcContext) -> None:
    """A knob across two voltages puts anything between them on its wiper: the highest end must suit
    every pin on the wiper (turned fully up, a pot across 5 V puts 5 V on a 3.3 V ADC pin)."""
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or rec.spice.kind != "potentiometer" or len(rec.spice.terminals) != 3:
            continue
        end_a, wiper, end_b = (f"{pid}:{n}" for n in rec.spice.terminals)
        ends = [(e, ctx.group_voltage(e, switched=True)) for e in (end_a, end_b) if ctx.connected(e)]
        if not ctx.connected(wiper) or not ends or any(v is None for _, v in ends):
            continue
        high_ep, v_high = max(ends, key=lambda t: t[1])
        if v_high <= 0 or ctx.group_voltage(wiper) is not None:
            continue
        for o in ctx.others_on_net(wiper):
            p = ctx.pin(o)
            if p is None or p.v_max is None or p.type not in ("digital_in", "digital_io", "analog_in"):
                continue
            if v_high <= p.v_max + V_TOL:
                continue
            owner = ctx.part_of(o)
            level = min(p.v_max, ctx.logic_level(owner) or p.v_max)
            rail = ctx.rail_pin_for(level, prefer=owner) or ctx.rail_pin_for(3.3, prefer=owner)
            ctx.add(
                "ERC-PIN-OVERVOLTAGE", Severity.CRITICAL,
                f"Potentiometer {pid} spans {fmt(v_high, 'V')} ({high_ep}) and its wiper goes to {p.name} of "
                f"{ctx.label(owner)}, which can take at most {fmt(p.v_max, 'V')}: turned fully up, the knob "
                "puts the whole supply on the pin and damages it. Connect the potentiometer's end to the "
                f"{fmt(level, 'V')} rail instead" + (f" ({rail})." if rail else "."),
                [o, pid, high_ep],
                f"move_wire({high_ep}, {rail})" if rail else None,
            )


def _rail_budget(ctx: ErcContext) -> None:
    """The typical draw of everything powered from a rail pin against what the pin can give: modules'
    supply currents, boards fed from it, and coils or motors hanging from it (their rated current)."""
    for g in ctx.groups():
        rails = [(ep, v) for ep, v in ctx.rails_in(g) if v]
        if not rails or ctx.grounds_in(g):
            continue
        limits = [ctx.pin(ep).i_max for ep, _ in rails]
        if any(lim is None for lim in limits):
            continue  # a source with no stated limit (a bench supply) is not judged here
        limit = sum(limits)
        v = max(v for _, v in rails)
        loads: list[tuple[float, str]] = []
        counted: set[str] = set()
        sources = {ctx.part_of(ep) for ep, _ in rails}
        for ep in g.pins:
            pid = ctx.part_of(ep)
            rec = ctx.rec(pid)
            if rec is None or pid in counted or pid in sources:
                continue
            if ctx.pin_type(ep) == "power_in" and rec.spice.kind != "regulator":
                i = rec.supply.current_typ
            elif rec.category != "passive" and ep in coil_terminals(ctx, pid) and (
                    rec.flags.inductive or rec.ratings.i_rated) and not rec.flags.protected_driver:
                r = rec.ratings
                i = r.i_rated or (v / r.r_coil if r.r_coil else None)
            else:
                continue
            if i:
                counted.add(pid)
                loads.append((i, pid))
        total = sum(i for i, _ in loads)
        if total <= limit * 1.05 or not loads:
            continue
        loads.sort(reverse=True)
        rail = rails[0][0]
        ctx.add(
            "ERC-SUPPLY-OVERLOAD", Severity.MAJOR,
            f"{rail} can give {fmt_a(limit)}, but what it powers typically draws {fmt_a(total)} ("
            + ", ".join(f"{pid} {fmt_a(i)}" for i, pid in loads[:4])
            + "). The rail sags or its regulator overheats and the board resets. Power the heavy parts from "
            "a supply rated for them (with a common ground).",
            [rail] + [pid for _, pid in loads[:4]],
        )


def fmt_a(amps: float) -> str:
    return format_value(amps, "A")


def _powered(ctx: ErcContext, ep: str) -> bool:
    g = ctx.group(ep, switched=True)
    if g is not None and any(v is None or v > 0 for _, v in ctx.rails_in(g)):
        return True
    return any(ctx.drive_voltage(o) for o in ctx.others_on_net(ep))


def _main_ground(ctx: ErcContext, exclude: str) -> str | None:
    """A ground pin on the most populated ground group, preferring an MCU's or a supply's."""
    best = None
    for g in ctx.groups():
        gnds = [e for e in ctx.grounds_in(g) if ctx.part_of(e) != exclude]
        if not gnds:
            continue
        parts = {ctx.part_of(e) for e in g.pins}
        score = (len(parts), any(ctx.is_mcu(ctx.part_of(e)) for e in gnds))
        gnds.sort(key=lambda e: (not ctx.is_mcu(ctx.part_of(e)),))
        if best is None or score > best[0]:
            best = (score, gnds[0])
    if best:
        return best[1]
    fallback = ctx.ground_pin_for()
    return fallback if fallback and ctx.part_of(fallback) != exclude else None


def _power_and_ground(ctx: ErcContext) -> None:
    mcu = next((pid for pid in ctx.parts if ctx.is_mcu(pid)), None)
    grounded_parts = {ctx.part_of(e) for g in ctx.groups() for e in ctx.grounds_in(g)}
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or rec.category == "passive":
            continue
        # a USB-powered board needs its ground wired only when something else in the circuit has one
        others_grounded = bool(grounded_parts - {pid})
        pins = [f"{pid}:{n}" for n in rec.pin_names]
        used = [e for e in pins if ctx.connected(e)]
        if not used:
            continue  # a part wired to nothing is reported by the connectivity rules
        power = [f"{pid}:{p.name}" for p in rec.pins_of_type("power_in")]
        grounds = [f"{pid}:{p.name}" for p in rec.pins_of_type("ground")]
        signal_used = [e for e in used if e not in grounds]
        # a part with a supply connector of its own (a TP4056's USB jack) is powered through it when
        # nothing feeds its power pins: that is how it is normally used, not a missing supply
        if power and not rec.is_mcu and not rec.flags.onboard_power_connector and not any(
                _powered(ctx, e) for e in power):
            fix = None
            if len(power) == 1 and not ctx.connected(power[0]):
                limit = rec.supply.v_abs_max or (ctx.pin(power[0]).v_max if ctx.pin(power[0]) else None) or 99
                rail = _rail_in_range(ctx, rec, limit, mcu, pid)
                fix = f"connect({power[0]}, {rail})" if rail else None
            wired = [e for e in power if ctx.connected(e)]
            detail = ("its power pin goes to a wire that no supply feeds" if wired
                      else f"nothing is connected to its power pin{'s' if len(power) > 1 else ''} "
                           f"({', '.join(ctx.pin_name(e) for e in power)})")
            rng = ""
            if rec.supply.v_min is not None and rec.supply.v_max is not None:
                rng = f" It needs {fmt(rec.supply.v_min, 'V')} to {fmt(rec.supply.v_max, 'V')}."
            ctx.add(
                "ERC-NO-POWER", Severity.CRITICAL,
                f"{ctx.label(pid)} has no power: {detail}, so it cannot work.{rng}",
                power, fix,
            )
        if grounds and signal_used and (not rec.is_mcu or others_grounded):
            ok = False
            for e in grounds:
                g = ctx.group(e)
                if g is not None and any(ctx.part_of(x) != pid for x in g.pins):
                    ok = True
                    break
            if not ok:
                target = _main_ground(ctx, pid)
                if rec.is_mcu:
                    # a USB-powered board works by itself; what is missing is the shared reference
                    ctx.add(
                        "ERC-NO-COMMON-GROUND", Severity.MAJOR,
                        f"{ctx.label(pid)} is powered over USB, but its GND is not joined to the ground of the "
                        "other parts it is wired to. Its signals mean nothing without a shared ground: connect "
                        f"{grounds[0]} to the circuit's ground.",
                        grounds[:1] + ([target] if target else []),
                        f"connect({grounds[0]}, {target})" if target else None,
                    )
                    continue
                ctx.add(
                    "ERC-NO-GROUND", Severity.CRITICAL,
                    f"{ctx.label(pid)} has no ground connection: its {ctx.pin_name(grounds[0])} pin is not wired "
                    "to the rest of the circuit. Without ground no current can flow back, so it cannot work "
                    "(and its signals have no reference).",
                    grounds[:1],
                    f"connect({grounds[0]}, {target})" if target else None,
                )


def _is_source(ctx: ErcContext, pid: str) -> bool:
    rec = ctx.rec(pid)
    return bool(rec and (rec.is_mcu or rec.pins_of_type("power_out")))


def _common_ground(ctx: ErcContext) -> None:
    """Ground clusters that are linked by signals must be one ground."""
    comp = _DSU()
    for n in ctx.nl.nets:
        comp.find(n.name)
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None:
            continue
        isolating = not ctx.is_switch(pid)
        nets = []
        for p in rec.pins:
            if isolating and {"contact_common", "contact_no", "contact_nc"} & set(p.functions):
                continue
            net = ctx.net(f"{pid}:{p.name}")
            if net is not None:
                nets.append(net.name)
        for n in nets[1:]:
            comp.union(nets[0], n)
    # ground clusters: hard groups holding ground pins, merged when one part has grounds in several
    clusters = _DSU()
    ground_groups: dict[str, list[str]] = {}
    for g in ctx.groups():
        gnds = ctx.grounds_in(g)
        # a supply's ground: a ground pin of a part that provides a rail (battery, adapter, board,
        # regulator). A module whose GND is switched by a transistor is not a supply ground.
        if any(_is_source(ctx, ctx.part_of(e)) for e in gnds):
            ground_groups[g.key] = gnds
            clusters.find(g.key)
    by_part: dict[str, str] = {}
    for key, gnds in ground_groups.items():
        for e in gnds:
            pid = ctx.part_of(e)
            if pid in by_part:
                clusters.union(by_part[pid], key)
            else:
                by_part[pid] = key
    per_component: dict[str, dict[str, list[str]]] = {}
    for key, gnds in ground_groups.items():
        g = ctx.group(key)
        component = comp.find(g.nets[0].name)
        per_component.setdefault(component, {}).setdefault(clusters.find(key), []).extend(gnds)
    for cl in per_component.values():
        if len(cl) < 2:
            continue

        def rank(item):
            gnds = item[1]
            return (not any(ctx.is_mcu(ctx.part_of(e)) for e in gnds), -len(gnds))

        ordered = sorted(cl.items(), key=rank)
        main = sorted(ordered[0][1], key=lambda e: not ctx.is_mcu(ctx.part_of(e)))[0]
        for _, gnds in ordered[1:]:
            other = gnds[0]
            ctx.add(
                "ERC-NO-COMMON-GROUND", Severity.MAJOR,
                f"{ctx.label(ctx.part_of(other))} and {ctx.label(ctx.part_of(main))} exchange signals but their "
                f"grounds are not connected ({other} and {main} are separate). A signal voltage only means "
                "something relative to a shared ground: join the grounds of all supplies with one wire.",
                [main, other], f"connect({other}, {main})",
            )


def check(ctx: ErcContext) -> None:
    _shorts(ctx)
    _switch_shorts(ctx)
    _outputs_on_rails(ctx)
    _voltages(ctx)
    _divided_nets(ctx)
    _potentiometers(ctx)
    _rail_budget(ctx)
    _power_and_ground(ctx)
    _common_ground(ctx)


__all__ = ["RULES", "check"]
