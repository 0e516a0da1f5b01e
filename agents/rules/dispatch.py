"""Placing every non-power need: each kind of part goes to the rule that knows how to wire it."""

from __future__ import annotations

from agents.models import Need
from agents.rules import parts as P
from agents.rules.ac_switch import connect_ac_loads
from agents.rules.amplifier_output import speaker_on_amplifier
from agents.rules.builder import Board
from agents.rules.channel_supply import channel_outputs, feed_channel_loads, load_supply_pins
from agents.rules.button_input import add_button, add_keypad
from agents.rules.context import PlanContext
from agents.rules.current_sense import insert_current_sensors
from agents.rules.direct_drive import drive_required_inputs
from agents.rules.divider_block import pot_to_adc, sensor_divider
from agents.rules.i2c_mux import place_mux
from agents.rules.led_driver import add_digits, add_led
from agents.rules.level_shift import is_level_shifter
from agents.rules.load_switch import add_load
from agents.rules.channel_load import add_channel_load
from agents.rules.manual_switch import switch_loads
from agents.rules.module_wiring import expander_outputs, is_expander, wire_module
from agents.rules.motor_drivers import place_motors
from agents.rules.pin_allocator import PinsExhausted
from agents.rules.voltage_watch import measures_voltage, watch_voltage
from agents.rules.current_path import wire_current_paths
from circuit.hazard import contact_pins, isolated_contacts
from circuit.units import format_value

# lower runs first: scarce pin capabilities before plain GPIO
KIND_ORDER = {
    "expander": 0, "i2c_mux": 0, "module": 1, "resistive_sensor": 2, "pot": 2, "driver": 3, "motor": 4,
    "servo": 4, "relay_coil": 6, "keypad": 5, "digits": 5, "led_multi": 6, "load": 6, "channel_load": 6, "ac_load": 6, "button": 7, "led": 8,
    "passive": 9, "transistor": 9, "diode": 9, "source": 10, "converter": 10, "board": 10, "other": 11,
}


def _board_for(need: Need, boards: list[Board], ctx: PlanContext, i: int) -> Board | None:
    """With several boards, a part named once per board goes to each; sensors go to the remote one."""
    if not boards:
        return None
    if len(boards) == 1:
        return boards[0]
    if need.qty >= len(boards):
        return boards[i % len(boards)]
    rec = ctx.b.lib[need.key]
    if "wireless_link" in ctx.options and rec.category == "sensor":
        return boards[-1]
    return boards[0]


def place_all(ctx: PlanContext, boards: list[Board], by_kind: dict[str, list[Need]], used: set[int]) -> None:
    b = ctx.b
    items = [(KIND_ORDER.get(k, 11), i, k, n) for k, ns in by_kind.items() for i, n in enumerate(ns)
             if id(n) not in used and k not in ("board", "source", "converter")]
    # a driver whose channels other parts take (a PCA9685 for servos) goes before those parts
    items.sort(key=lambda t: (t[0], not channel_outputs(ctx.b.lib[t[3].key]), t[1]))
    # a named shifter goes where logic levels differ (LV on the lower rail, HV on the higher), never
    # wired like a module on one rail: the links that need one take it first
    for _, _, _, n in items:
        if is_level_shifter(b.lib[n.key]):
            ctx.levels.wanted += [n.key] * n.qty
            used.add(id(n))
    items = [t for t in items if id(t[3]) not in used]
    _share_gpio_budget(ctx, boards, items)
    drivers = [n for _, _, k, n in items if k == "driver"]
    motors = [n for _, _, k, n in items if k == "motor"]
    # relay modules first: a load placed after them is switched by their contacts
    early: set[int] = set()

    named_relay = any(n.explicit and isolated_contacts(b.lib[n.key]) for _, _, _, n in items)
    for _, _, kind, n in items:
        if kind == "module" and boards and _has_contacts(b.lib[n.key]) and named_relay and not n.explicit:
            early.add(id(n))  # the relay the request names switches the load; an added module would sit idle
            continue
        if kind == "module" and boards and _has_contacts(b.lib[n.key]):
            for q in range(n.qty):
                mark = _mark(b)
                try:
                    place_one(ctx, kind, n, _board_for(n, boards, ctx, q))
                except PinsExhausted as e:
                    _rollback(b, mark)
                    b.unmet(f"{n.phrase} could not be placed: {e}.")
            early.add(id(n))
    if drivers or motors:
        done = place_motors(ctx, boards[0] if boards else None, drivers, motors)
    else:
        done = set()
    done = set(done) | early
    mux_children: list[Need] = []
    muxes = [n for _, _, k, n in items if k == "i2c_mux"]
    for _, _, kind, n in items:
        if id(n) in done or kind in ("driver", "motor", "i2c_mux"):
            continue
        if muxes and kind == "module" and n.qty > 1 and _is_i2c(ctx, n.key):
            mux_children.append(n)
            continue
        if kind == "digits":
            bd = _board_for(n, boards, ctx, 0)
            if bd is not None:
                add_digits(ctx, n.key, n.qty, dict(n.attrs), bd)
            continue
        left_out, why = 0, ""
        if n.qty > 1 and len(boards) <= 1 and kind in ("module", "expander") and P.chain_pins(b.lib[n.key]) \
                and not is_expander(b.lib[n.key]):
            # a strip or ring of chained pixels is one part of that many, on one data line (an expander's chips
            # are packages of their own, each with its outputs: chained below)
            n = n.model_copy(update={"qty": 1, "attrs": {**n.attrs, "count": n.qty}})
        chain = P.chain_pins(b.lib[n.key]) if n.qty > 1 and len(boards) <= 1 else None
        first = None
        for q in range(n.qty):
            if chain and first is not None:
                first = _chain_next(ctx, n, first, chain, _board_for(n, boards, ctx, q) if kind == "expander" else None)
                continue
            bd = _board_for(n, boards, ctx, q)
            prev = b.domain
            if bd is not None:
                b.domain = _domain_of(ctx, bd)
            mark = _mark(b)
            try:
                first = place_one(ctx, kind, n, bd)
            except PinsExhausted as e:
                _rollback(b, mark)  # a part that cannot be wired is not left half-drawn
                left_out, why = left_out + 1, str(e)
            finally:
                b.domain = prev
        if left_out:
            b.unmet(f"{left_out} of {n.qty} × {n.phrase} could not be placed: {why}. Use a board with more I/O "
                    f"pins, or an I/O expander (74HC595 for outputs, MCP23017/PCF8574 over I2C).")
    if not boards:
        switch_loads(ctx, [n for _, _, k, n in items if k == "button" and id(n) not in done])
        drive_required_inputs(ctx)  # a sensor module's switching output into a relay module's IN
    ctx.levels.place_wanted(boards[0] if boards else None)
    insert_current_sensors(ctx)
    wire_current_paths(ctx)  # a current the user brings: in series between two terminals
    for n in muxes:
        place_mux(ctx, n, boards[0] if boards else None, mux_children)
    if any(k in ("ac_load", "ac_source") for _, _, k, _ in items):
        connect_ac_loads(ctx)


def _chain_next(ctx: PlanContext, n: Need, prev: str, chain: tuple[str, str], board: Board | None = None) -> str:
    """The next part in a chain: powered like the one before it, its data from that one's output. An expander's
    next chip (``board``: the controller) is wired as a part of its own but for its serial input, which takes the
    one before's serial output, and its clock inputs, which share the one before's clock lines (record pin
    functions): the chain takes no more controller pins than its first chip."""
    b = ctx.b
    din, dout = chain
    pid = b.add(n.key, f"{n.phrase} (next in the chain after {prev})", dict(n.attrs))
    rec = b.lib[n.key]
    if board is not None:
        shared = [p.name for p in rec.pins if p.type == "digital_in" and "clock" in p.functions]
        wire_module(ctx, pid, board, skip={din, *shared})
        b.wire(f"{prev}:{dout}", f"{pid}:{din}", "signal", f"data chain: {prev} {dout} into {pid} {din}")
        for name in shared:
            b.wire(f"{prev}:{name}", f"{pid}:{name}", "signal", f"{pid} {name} shares {prev}'s {name} line")
        return pid
    for pin in rec.pins:
        if pin.type not in ("power_in", "ground"):
            continue
        mine = f"{prev}:{pin.name}"
        for w in list(b.plan.wires):
            other = w.b if w.a == mine else (w.a if w.b == mine else None)
            if other is None:
                continue
            rail = next((r for r in b.rails if r.endpoint == other), None)
            if rail is not None:
                b.power(f"{pid}:{pin.name}", rail, rec.supply.current_max or rec.supply.current_typ or 0.0,
                        f"{rail.name} powers {pid}")
            else:
                b.wire(f"{pid}:{pin.name}", other, w.kind, f"{pid} {pin.name} as {prev}")
            break
    b.wire(f"{prev}:{dout}", f"{pid}:{din}", "signal", f"data chain: {prev} {dout} into {pid} {din}")
    return pid


def _domain_of(ctx: PlanContext, bd: Board) -> str:
    for r in ctx.b.rails:
        if r.owner == bd.id:
            return r.domain
    return "main"


def _is_i2c(ctx: PlanContext, key: str) -> bool:
    rec = ctx.b.lib[key]
    return any({"i2c_sda", "i2c_scl"} & set(p.functions) for p in rec.pins)


def place_one(ctx: PlanContext, kind: str, n: Need, board: Board | None) -> str | None:
    b = ctx.b
    attrs = dict(n.attrs)
    if kind not in ("load", "motor", "channel_load"):
        attrs.pop("voltage", None)
    pwm = bool(attrs.pop("pwm", False)) or "pwm" in ctx.options
    if kind in ("led", "led_multi"):
        return add_led(ctx, n.key, attrs, board, pwm=pwm and kind == "led")
    if kind == "button":
        if board is None:
            return None  # a button without a controller is placed by its topology
        pull = "auto"
        if "button_pull:down" in ctx.options:
            pull = "down"
        elif "button_pull:external" in ctx.options or "pullups_requested" in ctx.options:
            pull = "up"
        return add_button(ctx, n.key, attrs, board, pull)
    if kind == "keypad" and board is not None:
        return add_keypad(ctx, n.key, attrs, board)
    if kind == "load":
        if b.lib[n.key].requires.signal_drive:
            pid = speaker_on_amplifier(ctx, n.key, attrs)
            if pid is not None:
                return pid

        prefer = "mosfet" if "prefer_mosfet" in ctx.options else None
        return add_load(ctx, n.key, attrs, board, pwm=pwm, prefer=prefer)
    if kind == "channel_load":
        return add_channel_load(ctx, n.key, attrs, board, prefer="mosfet" if "prefer_mosfet" in ctx.options else None)
    if kind == "relay_coil":
        rec = ctx.b.lib[n.key]
        coils = [p.name for p in rec.pins if "coil" in p.functions][:2]
        # a coil that switches contacts (a relay) is on or off; a coil that is the load itself (a solenoid's
        # plunger) may take PWM for a variable pull when the request asks for it
        contacts = any({"contact_common", "contact_no", "contact_nc"} & set(p.functions) for p in rec.pins)
        role = "relay (its coil switched by a transistor)" if contacts else "coil load switched by a transistor"
        return add_load(ctx, n.key, attrs, board, pwm=pwm and not contacts, role=role,
                        terminals=(coils[0], coils[1]))
    if kind == "resistive_sensor":
        return sensor_divider(ctx, n.key, attrs, board)
    if kind == "pot":
        return pot_to_adc(ctx, n.key, attrs, board)
    if kind == "module" and measures_voltage(b.lib[n.key]):
        return watch_voltage(ctx, n, attrs, board)
    if kind in ("module", "expander"):
        pid = b.add(n.key, n.why or n.phrase or "module", attrs)
        count = int(attrs.get("count", 1) or 1)
        rec = b.lib[n.key]
        # a strip of N pixels: its supply is sized for all of them at full draw (software can light
        # them all white at any time), not one pixel's typical current
        full = count * (rec.supply.current_max or rec.supply.current_typ or 0.0) if count > 1 else None
        if full:
            b.note(f"{pid} is {count} × {rec.name} on one data line; its supply is budgeted at "
                   f"{format_value(full, 'A')} ({count} × {format_value(full / count, 'A')} at full brightness).")
        wire_module(ctx, pid, board, current=full)
        if channel_outputs(rec) and load_supply_pins(rec):
            feed_channel_loads(ctx, pid, ctx.ident.needs)
        return pid
    if kind == "ac_load":
        return b.add(n.key, n.why or "mains load (switched by the relay)", attrs)
    if kind == "ac_source":
        if not n.explicit:
            v = n.attrs.get("voltage") or "mains voltage"
            b.note(f"No battery or adapter gives {v}: that is mains, so the design takes it from a mains input "
                   "(live, neutral, protective earth) kept apart from the low-voltage side.")
        return b.add(n.key, n.why or "mains supply", dict(n.attrs))
    # passives, transistors and diodes named on their own are used by the rules that need them
    return None


def _mark(b) -> tuple:
    p = b.plan
    return (len(p.parts), len(p.wires), len(p.pins), len(p.values), {k: v.load for k, v in enumerate(b.rails)},
            set(b._wired))


def _rollback(b, mark: tuple) -> None:
    n_parts, n_wires, n_pins, n_values, loads, wired = mark
    p = b.plan
    gone = {x.id for x in p.parts[n_parts:]}
    del p.parts[n_parts:]
    del p.wires[n_wires:]
    del p.values[n_values:]
    for use in p.pins[n_pins:]:
        board_id, pin = use.pin.split(":", 1)
        bd = b.board(board_id)
        if bd is not None:
            bd.alloc.release(pin)
    del p.pins[n_pins:]
    for i, r in enumerate(b.rails):
        if i in loads:
            r.load = loads[i]
            r.feeds = [f for f in r.feeds if f not in gone]
    b._wired = wired


def _share_gpio_budget(ctx: PlanContext, boards: list[Board], items) -> None:
    """A chip's GPIOs share one package limit (ATmega328P: 200 mA through VCC/GND): many LEDs on
    its pins each get a share of it."""
    if len(boards) != 1:
        return
    bd = boards[0]
    limit = bd.rec.spice.params.get("i_gpio_total")
    if not limit:
        return
    channels = 0
    spare = 0
    for _, _, kind, n in items:
        rec = ctx.b.lib[n.key]
        if kind in ("led", "led_multi"):
            an, ca = P.led_pins(rec)
            channels += max(len(an), len(ca), 1) * n.qty
        elif kind == "digits":
            an, ca = P.led_pins(rec)
            channels += max(len(an), len(ca))
        elif kind == "expander" and is_expander(rec):
            spare += len([p for p in expander_outputs(rec) if p.type == "digital_out"]) * n.qty  # LEDs take those
    direct = max(0, channels - spare)
    if direct:
        ctx.led_share[bd.id] = limit / direct


def _has_contacts(rec) -> bool:
    """A relay a controller can switch: contacts, and its own driver on board (a relay module)."""
    return bool(contact_pins(rec)) \
        and rec.category != "input" and any(p.type == "power_in" for p in rec.pins)
