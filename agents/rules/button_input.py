"""Buttons, switches and keypads on controller inputs.

A button joins an input pin to ground when pressed; the pin idles high through the pin's own
internal pull-up when the record says it has one (declared on the board so firmware enables it),
otherwise through a 10 kΩ resistor to the logic rail. When the request asks for a resistor (or a
pull-down), the resistor is fitted. A matrix keypad's rows and columns each take a pin; the
column inputs use internal pull-ups.
"""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.pin_allocator import Allocation
from agents.rules.pullups import BUTTON_PULL, declare_internal_pullup, resistor_pull
from circuit.units import format_value


def _take_input(board: Board, user: str, want_pullup: bool, interrupt: bool = False):
    fn = "interrupt" if interrupt else "gpio"
    cands = board.alloc.candidates(fn, "in", user) or board.alloc.candidates("gpio", "in", user)
    if want_pullup:
        with_pu = [p for p in cands if p.pullup]
        if with_pu:
            cands = with_pu
    if not cands:
        return board.alloc.take("gpio", user, "in")
    pin = cands[0]
    alloc = Allocation(pin, fn if fn in pin.functions else "gpio", user)
    board.alloc.used[pin.name] = alloc
    return alloc


def add_button(ctx: PlanContext, key: str, attrs: dict, board: Board, pull: str = "auto", role: str = "push button") -> str:
    """pull: auto (internal pull-up if the pin has one), up (external resistor), down (external)."""
    b = ctx.b
    rec = b.lib[key]
    if ctx.expander_inputs and pull != "down":
        return _button_on_expander(ctx, key, attrs, role, pull)
    pid = b.add(key, role, attrs)
    t1, t2 = P.two_terminals(rec)
    alloc = _take_input(board, pid, want_pullup=(pull == "auto"))
    ep = b.use_pin(board, alloc, pid, "reads the button")
    rail = ctx.logic_rail(board)
    b.wire(ep, f"{pid}:{t1}", "signal", f"{pid} to its input pin")
    if pull == "down":
        b.power(f"{pid}:{t2}", rail, 0.0, f"{pid} pulls the pin up to {rail.name} when pressed") if rail else None
        resistor_pull(b, ep, None, BUTTON_PULL, f"pull-down for {pid}", pid,
                      f"{format_value(BUTTON_PULL, 'Ω')}: {format_value((rail.volts if rail else 5) / BUTTON_PULL, 'A')} "
                      "flows only while pressed; the pin reads LOW when released", to_ground=True)
        b.note(f"{pid} reads HIGH when pressed (10 kΩ pull-down).")
        return pid
    b.to_ground(f"{pid}:{t2}", f"{pid} pulls the pin to ground when pressed")
    if pull == "auto" and alloc.pin.pullup:
        declare_internal_pullup(b, board, alloc.pin.name, pid)
        return pid
    if rail is None:
        b.unmet(f"{pid} needs a pull-up to the logic rail.")
        return pid
    resistor_pull(b, ep, rail.endpoint, BUTTON_PULL, f"pull-up for {pid}", pid,
                  f"{format_value(BUTTON_PULL, 'Ω')} to {rail.name}: {format_value(rail.volts / BUTTON_PULL, 'A')} flows only "
                  "while pressed; the pin reads HIGH when released, LOW when pressed")
    return pid


def _button_on_expander(ctx: PlanContext, key: str, attrs: dict, role: str, pull: str) -> str:
    """A button on a free port line of the design's I/O expander (the expander is there to give the
    controller more inputs): the line idles high through the expander's own pull-up when its record
    has one, else through a 10 kΩ resistor to the expander's rail; pressed, it reads low."""
    b = ctx.b
    line = ctx.expander_inputs.pop(0)
    pid = b.add(key, role, attrs)
    t1, t2 = P.two_terminals(b.lib[key])
    b.wire(line.endpoint, f"{pid}:{t1}", "signal", f"{pid} to {line.endpoint}")
    b.to_ground(f"{pid}:{t2}", f"{pid} pulls the line to ground when pressed")
    port = line.endpoint.split(":", 1)[1]
    if pull == "auto" and line.pullup:
        b.set_attr(pid, "pull", f"internal pull-up on {line.endpoint}")
        b.note(f"{pid} is read on {line.owner} {port}: enable that line's internal pull-up in firmware; "
               f"it reads LOW while {pid} is pressed.")
        return pid
    rail = b.find_rail(line.volts - 0.15, line.volts + 0.15)
    if rail is None:
        b.unmet(f"{pid} needs a pull-up to {line.owner}'s supply rail.")
        return pid
    resistor_pull(b, line.endpoint, rail.endpoint, BUTTON_PULL, f"pull-up for {pid}", pid,
                  f"{format_value(BUTTON_PULL, 'Ω')} to {rail.name}: {format_value(rail.volts / BUTTON_PULL, 'A')} flows only "
                  f"while pressed; {line.owner} {port} reads HIGH when released, LOW when pressed")
    return pid


def add_keypad(ctx: PlanContext, key: str, attrs: dict, board: Board) -> str:
    """A matrix keypad: rows driven, columns read with internal pull-ups."""
    b = ctx.b
    rec = b.lib[key]
    pid = b.add(key, "matrix keypad", attrs)
    names = [p.name for p in P.unique_pins(rec) if p.type != "nc"]
    rows = [n for n in names if n.upper().startswith("R")]
    cols = [n for n in names if n.upper().startswith("C")]
    if not rows or not cols:
        half = len(names) // 2
        rows, cols = names[:half], names[half:]
    for r in rows:
        alloc = board.alloc.take("gpio", pid, "out")
        ep = b.use_pin(board, alloc, f"{pid}:{r}", "keypad row (driven LOW one at a time)")
        b.wire(ep, f"{pid}:{r}", "signal", f"keypad row {r}")
    for c in cols:
        alloc = _take_input(board, pid, want_pullup=True)
        ep = b.use_pin(board, alloc, f"{pid}:{c}", "keypad column (read)")
        b.wire(ep, f"{pid}:{c}", "signal", f"keypad column {c}")
        if alloc.pin.pullup:
            declare_internal_pullup(b, board, alloc.pin.name, pid)
        else:
            rail = ctx.logic_rail(board)
            if rail is not None:
                resistor_pull(b, ep, rail.endpoint, BUTTON_PULL, f"pull-up for keypad column {c}", pid)
    return pid
