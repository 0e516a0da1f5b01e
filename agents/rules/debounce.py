"""A hardware-debounced button: pull-up, the button to ground, an RC low-pass, then a Schmitt-trigger
input (a record whose capability is debounce-signal and whose inputs are Schmitt inputs) that squares
the slow edge. τ = R·C ≈ 10 ms outlasts contact bounce. The Schmitt output goes to a controller pin when
there is one; the chip's unused inputs are tied to ground (CMOS inputs must not float)."""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.analog import capacitor, supply_rail, two
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.decoupling import add_cap
from agents.rules.values import size_block
from circuit.units import format_value
from knowledge.preference import most_preferred

BOUNCE_S = 0.01  # contacts settle within a few ms: τ of about 10 ms covers it
DEBOUNCE = "debounce-signal"


def block_rc_debounce(ctx: PlanContext, board: Board | None, by_kind) -> set[int]:
    b = ctx.b
    lib = b.lib
    chip = next((n for ns in by_kind.values() for n in ns if n.key and any(c.capability == DEBOUNCE
                                                                          for c in lib[n.key].provides)), None)
    found = None if chip else most_preferred(r for r in lib if any(c.capability == DEBOUNCE for c in r.provides))
    key = chip.key if chip else (found.key if found else None)
    buttons = by_kind.get("button", [])
    if key is None or not buttons:
        return set()
    rec = lib[key]
    rail = (ctx.logic_rail(board) if board is not None else None) or supply_rail(ctx, board)
    if rail is None:
        return set()
    uid = b.add(key, "Schmitt trigger: squares the debounced edge", dict(chip.attrs) if chip else {})
    for p in P.power_in_pins(rec):
        b.power(f"{uid}:{p.name}", rail, rec.supply.current_max or 0.001, f"{rail.name} powers {uid}")
    b.ground_part(uid)
    add_cap(b, rail.endpoint, 100e-9, f"decoupling for {uid}", uid)
    ins = [p for p in rec.pins if p.type == "digital_in"]
    outs = [p for p in rec.pins if p.type == "digital_out"]
    used = {id(chip)} if chip else set()
    s = size_block("rc_debounce", {"vcc": rail.volts}, [("tau", "=", BOUNCE_S, 0.2)], {"R1": 10e3, "C1": BOUNCE_S / 10e3})
    r_val = s.values.get("R1", 10e3)
    c_val = s.values.get("C1", BOUNCE_S / r_val)
    ckey = capacitor(ctx, c_val)
    k = 0
    for n in buttons:
        for _ in range(n.qty):
            if k >= min(len(ins), len(outs)):
                break
            sw = b.add(n.key, "button (debounced in hardware)", dict(n.attrs))
            s1, s2 = P.two_terminals(lib[n.key])
            pu = b.add("resistor", f"pull-up of {sw}", serves=sw)
            rr = b.add("resistor", f"RC debounce resistor of {sw}", serves=sw)
            cc = b.add(ckey, f"RC debounce capacitor of {sw}", serves=sw) if ckey else None
            p1, p2 = two(ctx, pu)
            q1, q2 = two(ctx, rr)
            b.power(f"{pu}:{p1}", rail, rail.volts / 10e3, "pull-up")
            b.wire(f"{pu}:{p2}", f"{sw}:{s1}", "signal", "idles high")
            b.to_ground(f"{sw}:{s2}", "button to ground")
            b.wire(f"{sw}:{s1}", f"{rr}:{q1}", "signal", "into the RC filter")
            b.wire(f"{rr}:{q2}", f"{uid}:{ins[k].name}", "signal", "slow edge into the Schmitt input")
            if cc:
                c1, c2 = two(ctx, cc)
                b.wire(f"{cc}:{c1}", f"{uid}:{ins[k].name}", "signal", "RC filter capacitor")
                b.to_ground(f"{cc}:{c2}", "filter capacitor to ground")
                b.value(cc, c_val, "F", f"τ = R·C = {format_value(r_val, 'Ω')} × {format_value(c_val, 'F')} = "
                        f"{format_value(r_val * c_val, 's')}", f"outlasts contact bounce ({s.method})")
            b.value(pu, 10e3, "Ω", "10 kΩ", "holds the input high while the button is open")
            b.value(rr, r_val, "Ω", f"τ = R·C = {format_value(r_val * c_val, 's')}", "with the capacitor, filters the bounce")
            out_ep = f"{uid}:{outs[k].name}"
            if board is not None:
                alloc = board.alloc.take("gpio", uid, "in")
                ep = b.use_pin(board, alloc, out_ep, f"reads {sw} (debounced, high while pressed)")
                b.wire(ep, out_ep, "signal", f"debounced {sw} to the controller")
            k += 1
        used.add(id(n))
    for p in ins[k:]:
        b.to_ground(f"{uid}:{p.name}", "unused Schmitt input tied low (CMOS inputs must not float)")
    return used
