"""Inductive loads (motors, relay coils, solenoids): a coil switched by a semiconductor needs a
flyback path — a diode across it (cathode to the supply side) or a driver that has one built in.

A coil switched only by a mechanical switch or wired straight across a supply has no transistor
to kill, so it is not flagged. A flyback diode the wrong way round conducts straight from the
supply through the switch the moment it turns on: that is a Critical short.
"""

from __future__ import annotations

from circuit.erc.context import ErcContext
from circuit.erc.paths import role
from circuit.findings import Severity

RULES = {
    "ERC-INDUCTIVE-NO-FLYBACK": (Severity.MAJOR, "A motor, relay coil or solenoid is switched by a transistor or pin with no flyback diode or protected driver."),
    "ERC-FLYBACK-REVERSED": (Severity.CRITICAL, "A flyback diode is wired the wrong way round and shorts the supply when the load switches on."),
}

SEMI_FUNCTIONS = {"collector", "drain", "emitter", "source"}
CONTACTS = {"contact_common", "contact_no", "contact_nc"}


def coil_terminals(ctx: ErcContext, pid: str) -> list[str]:
    """The raw coil leads: passive pins tagged coil/motor (else every passive pin that is not a relay
    contact). A part that takes power on power_in/ground pins (an active buzzer, a servo, a module)
    drives its coil with its own electronics and has none."""
    rec = ctx.rec(pid)
    passive = [p for p in rec.pins if p.type == "passive" and not (CONTACTS & set(p.functions))]
    tagged = [p for p in passive if {"coil", "motor"} & set(p.functions)]
    return list(dict.fromkeys(f"{pid}:{p.name}" for p in (tagged or passive)))


def _semiconductor_on(ctx: ErcContext, ep: str) -> str | None:
    g = ctx.group(ep)
    if g is None:
        return None
    pid = ctx.part_of(ep)
    for o in g.pins:
        if ctx.part_of(o) == pid:
            continue
        p = ctx.pin(o)
        if p is None:
            continue
        if p.type in ("digital_io", "digital_out", "analog_out") or SEMI_FUNCTIONS & set(p.functions):
            return o
    return None


def _protected_driver_on(ctx: ErcContext, ep: str) -> str | None:
    g = ctx.group(ep)
    if g is None:
        return None
    for o in g.pins:
        rec = ctx.rec(ctx.part_of(o))
        p = ctx.pin(o)
        if rec is not None and rec.flags.protected_driver and p is not None and p.type not in ("ground", "power_in", "power_out"):
            return o
    return None


def _supply_side(ctx: ErcContext, a: str, b: str) -> tuple[str, str] | None:
    """(supply-side terminal, switched-side terminal), when one can tell."""

    def high(ep: str) -> bool:
        g = ctx.group(ep, switched=True)
        return bool(g) and not ctx.grounds_in(g) and any((v or 0) > 0 for _, v in ctx.rails_in(g))

    def low(ep: str) -> bool:
        g = ctx.group(ep)
        if g is None:
            return False
        if ctx.grounds_in(g):
            return True
        return any(SEMI_FUNCTIONS & set(ctx.pin(o).functions) for o in g.pins if ctx.pin(o) is not None)

    if high(a) and not high(b):
        return a, b
    if high(b) and not high(a):
        return b, a
    if low(b) and not low(a):
        return a, b
    if low(a) and not low(b):
        return b, a
    return None


def _diodes_across(ctx: ErcContext, a: str, b: str) -> list[tuple[str, str, str]]:
    """(diode id, its anode endpoint, its cathode endpoint) for diodes whose pins sit on a's and b's nets."""
    ga, gb = ctx.group(a), ctx.group(b)
    if ga is None or gb is None or ga is gb:
        return []
    out = []
    for pid in ctx.parts:
        if not ctx.is_diode(pid):
            continue
        rec = ctx.rec(pid)
        an = next((f"{pid}:{p.name}" for p in rec.pins if role(ctx, f"{pid}:{p.name}") == "anode"), None)
        ca = next((f"{pid}:{p.name}" for p in rec.pins if role(ctx, f"{pid}:{p.name}") == "cathode"), None)
        if an is None or ca is None:
            continue
        gan, gca = ctx.group(an), ctx.group(ca)
        if {id(gan), id(gca)} == {id(ga), id(gb)}:
            out.append((pid, an, ca))
    return out


def check(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or not rec.flags.inductive or rec.flags.protected_driver or rec.category == "passive":
            continue  # a bare inductor is a filter/converter element, not a load
        terms = [e for e in coil_terminals(ctx, pid) if ctx.connected(e)]
        if not terms:
            continue
        if any(_protected_driver_on(ctx, t) for t in terms):
            continue
        semi = next((s for t in terms if (s := _semiconductor_on(ctx, t))), None)
        if semi is None:
            continue  # across a supply or behind a mechanical switch: nothing to protect
        drive = ctx.pin(semi)
        if drive is not None and "speaker" in drive.functions:
            continue  # an audio amplifier's speaker output is made to drive the coil (it is never switched off)
        all_terms = coil_terminals(ctx, pid)
        on_gpio = ctx.is_mcu(ctx.part_of(semi)) and ctx.can_drive(ctx.pin(semi))
        if on_gpio and len(all_terms) == 2:
            # a diode alone would leave the coil on the pin: the repair is a transistor driver with one
            fix = f"insert_transistor_driver({semi}, {pid})"
        elif len(all_terms) == 2 and len(terms) == 2:
            a, b = terms
            diodes = _diodes_across(ctx, a, b)
            sides = _supply_side(ctx, a, b)
            if diodes:
                if sides is not None:
                    supply, _ = sides
                    g_supply = ctx.group(supply)
                    for did, an, ca in diodes:
                        if ctx.group(an) is g_supply:
                            ctx.add(
                                "ERC-FLYBACK-REVERSED", Severity.CRITICAL,
                                f"Diode {did} across {ctx.label(pid)} is the wrong way round: its anode is on the "
                                "supply side, so as soon as the load is switched on the diode conducts straight "
                                "from the supply through the switch — a short that burns the diode or the transistor. "
                                "The cathode (band) must face the supply.",
                                [did, an, ca, supply],
                                f"swap_wires({an}, {ca})",
                            )
                continue
            fix = f"add_flyback_diode({sides[0]}, {sides[1]})" if sides else None
        else:
            fix = None
        ctx.add(
            "ERC-INDUCTIVE-NO-FLYBACK", Severity.MAJOR,
            f"{ctx.label(pid)} is an inductive load (a coil) switched by {semi}, with no flyback diode. When it switches "
            "off, the coil's stored energy makes a voltage spike of tens of volts that destroys the transistor or "
            "pin. Put a diode (e.g. 1N4007) across it, band toward the supply, or drive it from a driver "
            "module with built-in diodes.",
            [pid, semi] + terms[:2], fix,
        )
