"""Bus rules: I2C/SPI lines crossed (SDA↔SCL, MOSI↔MISO), UART TX↔TX / RX↔RX, a bus line on
a pin without that hardware function, I2C without pull-ups, a UART wired one way only, and a
dual-mode (I2C or SPI) part wired half in each mode or left on I2C with its chip select floating.

Roles come from pin function tags: a module pin usually has exactly one role in a bus family
(its SDA pin is ``i2c_sda``); an MCU pin lists every alternate function it has. A net holding two
pins whose only roles differ (an SDA and an SCL) is crossed. UART is crossed by design: TX must
meet RX, so two TX (or two RX) on one net is the mistake.
"""

from __future__ import annotations

import re

from circuit.erc.context import ErcContext
from circuit.erc.pullups import _onboard_pullers, pull_resistors
from circuit.findings import Severity
from circuit.units import format_value

RULES = {
    "ERC-BUS-I2C-MISMATCH": (Severity.MAJOR, "I2C lines are crossed: SDA is wired to SCL."),
    "ERC-BUS-SPI-MISMATCH": (Severity.MAJOR, "SPI lines are crossed (MOSI to MISO, or a data line to the clock)."),
    "ERC-BUS-UART-MISMATCH": (Severity.MAJOR, "UART wired TX to TX or RX to RX (TX must go to RX)."),
    "ERC-BUS-PIN-FUNCTION": (Severity.MINOR, "A bus line goes to an MCU pin without that hardware function (needs a software bus)."),
    "ERC-I2C-NO-PULLUP": (Severity.WARNING, "An I2C line has no pull-up resistor and no module on it provides one."),
    "ERC-UART-TX-NO-RX": (Severity.WARNING, "A UART link is wired in one direction only (TX connected, RX not, or the reverse)."),
    "ERC-BUS-MIXED-MODE": (Severity.MAJOR, "A part that speaks I2C or SPI is wired half in each mode, or sits on I2C with its chip select floating."),
}

FAMILIES = {
    "I2C": ("ERC-BUS-I2C-MISMATCH", ("i2c_sda", "i2c_scl")),
    "SPI": ("ERC-BUS-SPI-MISMATCH", ("spi_mosi", "spi_miso", "spi_sck")),
}
ROLE_NAME = {"i2c_sda": "SDA", "i2c_scl": "SCL", "spi_mosi": "MOSI", "spi_miso": "MISO", "spi_sck": "SCK",
             "uart_tx": "TX", "uart_rx": "RX"}


def _roles(ctx: ErcContext, ep: str, family: tuple[str, ...]) -> set[str]:
    p = ctx.pin(ep)
    return set(p.functions) & set(family) if p is not None else set()


def _first_bus_family(ctx: ErcContext, ep: str) -> str | None:
    """The bus family of the first bus function a pin lists (a BMP280's SDA says i2c_sda before spi_mosi)."""
    p = ctx.pin(ep)
    for f in p.functions if p is not None else []:
        for fam, (_, roles) in FAMILIES.items():
            if f in roles:
                return fam
    return None


def _pin_with_role(ctx: ErcContext, pid: str, role: str) -> str | None:
    rec = ctx.rec(pid)
    for p in rec.pins:
        if role in p.functions:
            return f"{pid}:{p.name}"
    return None


def _module_first(ctx: ErcContext, eps: list[str]) -> list[str]:
    return sorted(eps, key=lambda e: (ctx.is_mcu(ctx.part_of(e)), e))


BUS_ROLES = {r for _, roles in FAMILIES.values() for r in roles}


class BusPlan:
    """Which bus (I2C or SPI) each pair of parts talks over, and which nets are lines of which bus.

    A pin can serve several buses: a BMP280's SDA is also its SPI data input, a Pico's GP4 is I2C0 SDA
    and SPI0 RX. Between two parts the bus is the family that makes the most links consistent (both
    ends share a role in it); ties go to the family both ends name first, then to I2C. A link is
    crossed only when both ends have roles in that family and share none."""

    def __init__(self, ctx: ErcContext):
        self.links: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for net in ctx.nl.nets:
            bus = [o for o in net.pins if _roles(ctx, o, tuple(BUS_ROLES))]
            if not bus:
                continue
            for a in bus:
                for b in net.pins:
                    pa, pb = ctx.part_of(a), ctx.part_of(b)
                    if pa == pb or (b not in bus and not ctx.is_mcu(pb)):
                        continue  # a bus pin and a resistor or a plain module pin are no bus link
                    if b in bus and (ctx.is_mcu(pb), b) < (ctx.is_mcu(pa), a):
                        continue  # one link per pin pair, the MCU pin second
                    key = (pa, pb) if pa < pb else (pb, pa)
                    self.links.setdefault(key, []).append((a, b))
        self.family: dict[tuple[str, str], str] = {}
        self.line: dict[str, str] = {}  # net name -> bus family of the line
        for key, links in self.links.items():
            fam = self._choose(ctx, links)
            if fam is None:
                continue
            self.family[key] = fam
            roles = FAMILIES[fam][1]
            for a, b in links:
                if _roles(ctx, a, roles) and _roles(ctx, b, roles):
                    self.line[ctx.net(a).name] = fam
                elif _roles(ctx, a, roles) and not _roles(ctx, b, tuple(BUS_ROLES)):
                    self.line.setdefault(ctx.net(a).name, fam)  # a bus pin on an MCU pin with no bus function

    @staticmethod
    def _choose(ctx: ErcContext, links: list[tuple[str, str]]) -> str | None:
        best, best_score = None, None
        for fam, (_, roles) in FAMILIES.items():
            shared = both = named = one = 0
            for a, b in links:
                ra, rb = _roles(ctx, a, roles), _roles(ctx, b, roles)
                one += bool(ra or rb)
                both += bool(ra and rb)
                shared += bool(ra & rb)
                named += (_first_bus_family(ctx, a) == fam) + (_first_bus_family(ctx, b) == fam)
            if not one:
                continue
            score = (shared, both, named, fam == "I2C")
            if best_score is None or score > best_score:
                best, best_score = fam, score
        return best

    def pairs(self):
        for key, links in self.links.items():
            fam = self.family.get(key)
            if fam is not None:
                yield fam, links


def _crossed(ctx: ErcContext, plan: BusPlan) -> None:
    reported: set[frozenset] = set()
    for fam, links in plan.pairs():
        rule, roles = FAMILIES[fam]
        for a, b in links:
            ra, rb = _roles(ctx, a, roles), _roles(ctx, b, roles)
            if not ra or not rb or ra & rb:
                continue
            # the MCU's pin says what the line is; between two modules the first one (by id) is wrong
            if ctx.is_mcu(ctx.part_of(b)) and not ctx.is_mcu(ctx.part_of(a)):
                o, other = a, b
            else:
                o, other = _module_first(ctx, [a, b])[0], _module_first(ctx, [a, b])[1]
            r_o, r_line = _roles(ctx, o, roles), _roles(ctx, other, roles)
            r = sorted(r_o)[0]
            # the role of the line: one the wrong part has on another pin (so a swap can fix it)
            line_role = next((x for x in sorted(r_line) if _pin_with_role(ctx, ctx.part_of(o), x)), sorted(r_line)[0])
            key = frozenset((o, line_role, r))
            if key in reported:
                continue
            partner = _pin_with_role(ctx, ctx.part_of(o), line_role)
            fix = None
            if partner:
                pnet = ctx.net(partner)
                mirror = pnet is None or any(
                    r in _roles(ctx, q, roles) and q != partner and ctx.part_of(q) == ctx.part_of(other)
                    for q in pnet.pins
                )
                if mirror:
                    fix = f"swap_wires({o}, {partner})"
                    reported.add(frozenset((partner, r, line_role)))
            reported.add(key)
            ctx.add(
                rule, Severity.MAJOR,
                f"{fam} lines are crossed: {o} is the {ROLE_NAME[r]} pin but it is wired to the "
                f"{ROLE_NAME[line_role]} line ({other}). {ROLE_NAME[r]} must go to "
                f"{ROLE_NAME[r]}; the bus will not work until the wires are swapped.",
                [o, other] + ([partner] if partner else []), fix,
            )


def _uart(ctx: ErcContext) -> None:
    reported: set[str] = set()
    for net in ctx.nl.nets:
        tx = [o for o in net.pins if "uart_tx" in _roles(ctx, o, ("uart_tx", "uart_rx")) and "uart_rx" not in _roles(ctx, o, ("uart_tx", "uart_rx"))]
        rx = [o for o in net.pins if "uart_rx" in _roles(ctx, o, ("uart_tx", "uart_rx")) and "uart_tx" not in _roles(ctx, o, ("uart_tx", "uart_rx"))]
        for same, name, want in ((tx, "TX", "uart_rx"), (rx, "RX", "uart_tx")):
            if len({ctx.part_of(o) for o in same}) < 2:
                continue
            mod = _module_first(ctx, same)[0]
            if mod in reported:
                continue
            partner = _pin_with_role(ctx, ctx.part_of(mod), want)
            reported.update({mod} | ({partner} if partner else set()))
            other = next(o for o in same if ctx.part_of(o) != ctx.part_of(mod))
            ctx.add(
                "ERC-BUS-UART-MISMATCH", Severity.MAJOR,
                f"Serial (UART) wires are not crossed: {mod} ({name}) is wired to {other} ({name}). One side's "
                f"TX (transmit) must go to the other side's RX (receive); {name}-to-{name} means nobody "
                f"listens{' and two outputs fight' if name == 'TX' else ''}. Swap the module's TX and RX wires.",
                [mod, other] + ([partner] if partner else []),
                f"swap_wires({mod}, {partner})" if partner else None,
            )


def _pin_function(ctx: ErcContext, plan: BusPlan) -> None:
    reported: set[str] = set()
    for fam, links in plan.pairs():
        roles = FAMILIES[fam][1]
        for a, b in links:
            mod, o = (a, b) if ctx.is_mcu(ctx.part_of(b)) else (b, a)
            if ctx.is_mcu(ctx.part_of(mod)) or not ctx.is_mcu(ctx.part_of(o)) or o in reported:
                continue
            r_mod = _roles(ctx, mod, roles)
            p = ctx.pin(o)
            if len(r_mod) != 1 or p is None or p.type not in ("digital_io", "digital_in", "digital_out"):
                continue
            if set(p.functions) & set(roles):
                continue  # it has a role in this bus (crossed lines are reported above)
            reported.add(o)
            rec = ctx.rec(ctx.part_of(o))
            role = next(iter(r_mod))
            hw = [q.name for q in rec.pins if role in q.functions]
            ctx.add(
                "ERC-BUS-PIN-FUNCTION", Severity.MINOR,
                f"{mod} ({ROLE_NAME[role]}) goes to {o}, which has no hardware {fam} {ROLE_NAME[role]} "
                f"function. It only works with a software (bit-banged) {fam} library"
                + (f"; the hardware {ROLE_NAME[role]} pin is {', '.join(hw)}." if hw else "."),
                [mod, o],
                f"rewire({o}, {ctx.part_of(o)}:{hw[0]})" if len(hw) == 1 and not ctx.connected(f"{ctx.part_of(o)}:{hw[0]}") else None,
            )


def _i2c_pullups(ctx: ErcContext, plan: BusPlan) -> None:
    for net in ctx.nl.nets:
        if plan.line.get(net.name) != "I2C":
            continue  # an SPI line on a dual-role pin (a BMP280's SDA used as MOSI) needs no pull-up
        bus = [o for o in net.pins if _roles(ctx, o, ("i2c_sda", "i2c_scl"))]
        if len({ctx.part_of(o) for o in bus}) < 2 or ctx.group_voltage(bus[0]) is not None:
            continue  # not a bus between parts, or a line tied to a rail (reported elsewhere)
        if any(r[1] == "up" for r in pull_resistors(ctx, bus[0])) or _onboard_pullers(ctx, net):
            continue
        mod = _module_first(ctx, bus)[0]
        role = ROLE_NAME[next(iter(_roles(ctx, mod, ("i2c_sda", "i2c_scl"))))]
        ctx.add(
            "ERC-I2C-NO-PULLUP", Severity.WARNING,
            f"The I2C {role} line ({', '.join(bus)}) has no pull-up resistor, and no module on it has its own. "
            "I2C pins only pull LOW; without a pull-up (typically 4.7 kΩ to the logic supply) the bus "
            "does not work reliably.",
            bus, f"add_pullup({mod}, {format_value(4.7e3, 'Ω')})",
        )


def _uart_one_way(ctx: ErcContext) -> None:
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or rec.is_mcu:
            continue
        txs = [f"{pid}:{p.name}" for p in rec.pins if "uart_tx" in p.functions]
        rxs = [f"{pid}:{p.name}" for p in rec.pins if "uart_rx" in p.functions]
        if len(txs) != 1 or len(rxs) != 1:
            continue
        tx, rx = txs[0], rxs[0]
        if ctx.connected(tx) == ctx.connected(rx):
            continue
        wired, loose = (tx, rx) if ctx.connected(tx) else (rx, tx)
        fix = None
        # pair with the MCU's matching UART pin: RX2 <-> TX2, RX0 <-> TX0
        for o in ctx.others_on_net(wired):
            if not ctx.is_mcu(ctx.part_of(o)):
                continue
            m = re.match(r"^(RX|TX)(\w*)$", ctx.pin_name(o), re.IGNORECASE)
            if m:
                mate = ("TX" if m.group(1).upper() == "RX" else "RX") + m.group(2)
                mrec = ctx.rec(ctx.part_of(o))
                mp = mrec.pin(mate)
                if mp is not None and not ctx.connected(f"{ctx.part_of(o)}:{mp.name}"):
                    fix = f"connect({loose}, {ctx.part_of(o)}:{mp.name})"
            break
        direction = ("the board can listen to it but cannot send it anything"
                     if wired == tx else "the board can send to it but never hears its replies")
        ctx.add(
            "ERC-UART-TX-NO-RX", Severity.WARNING,
            f"{ctx.label(pid)}'s serial {ctx.pin_name(wired)} is wired but its {ctx.pin_name(loose)} is not, so "
            f"{direction}. Wire {ctx.pin_name(loose)} too unless one-way is intended.",
            [wired, loose], fix,
        )


I2C_ROLES = {"i2c_sda", "i2c_scl"}
SPI_ROLES = {"spi_mosi", "spi_miso", "spi_sck"}
CS_ROLES = {"spi_cs", "chip_select"}
_SHIFT_SIDE = re.compile(r"^(LV|HV|A|B)(\d+)$", re.IGNORECASE)
_MATE = {"LV": "HV", "HV": "LV", "A": "B", "B": "A"}


def _controller_pins(ctx: ErcContext, ep: str) -> list[str]:
    """MCU pins a module pin reaches: on its own net, or across one level-shifter channel (LV1↔HV1)."""
    out = [o for o in ctx.others_on_net(ep) if ctx.is_mcu(ctx.part_of(o))]
    for o in ctx.others_on_net(ep):
        pid = ctx.part_of(o)
        m = _SHIFT_SIDE.match(ctx.pin_name(o))
        rec = ctx.rec(pid)
        if ctx.is_mcu(pid) or m is None or rec is None or rec.category not in ("interface", "ic", "module"):
            continue
        mate = rec.pin(_MATE[m.group(1).upper()] + m.group(2))
        if mate is not None and ctx.connected(f"{pid}:{mate.name}"):
            out += [q for q in ctx.others_on_net(f"{pid}:{mate.name}") if ctx.is_mcu(ctx.part_of(q))]
    return out


def _bus_modes(ctx: ErcContext, pid: str) -> dict[str, list[str]]:
    """{"I2C": [module pins], "SPI": [...]}: the controller bus functions the part's pins are wired to
    (a pin counts for a family when it and the controller pin share a role in it)."""
    modes: dict[str, list[str]] = {}
    for p in ctx.rec(pid).pins:
        ep = f"{pid}:{p.name}"
        if not ctx.connected(ep):
            continue
        fns = set(p.functions)
        if not fns & (I2C_ROLES | SPI_ROLES | CS_ROLES):
            continue  # no bus role on this pin: nothing to match (and no walk over its whole net)
        for o in _controller_pins(ctx, ep):
            theirs = set(ctx.pin(o).functions) if ctx.pin(o) is not None else set()
            if fns & theirs & I2C_ROLES:
                modes.setdefault("I2C", []).append(ep)
            elif fns & theirs & (SPI_ROLES | CS_ROLES):
                modes.setdefault("SPI", []).append(ep)
    return modes


def _mixed_mode(ctx: ErcContext) -> None:
    """A part whose pins serve I2C or SPI (BMP280: SCK=SCL, SDI=SDA, SDO=address, CSB=mode) runs in
    one mode at a time: wired to both buses it works in neither, and on I2C its chip select must be
    held high (BMP280 datasheet section 5: a low CSB at power-up latches SPI mode; floating can read low)."""
    for pid in ctx.parts:
        rec = ctx.rec(pid)
        if rec is None or rec.is_mcu:
            continue
        modes = _bus_modes(ctx, pid)
        if "I2C" in modes and "SPI" in modes:
            i2c, spi = sorted(set(modes["I2C"])), sorted(set(modes["SPI"]))
            ctx.add(
                "ERC-BUS-MIXED-MODE", Severity.MAJOR,
                f"{ctx.label(pid)} is wired half as I2C ({', '.join(ctx.pin_name(e) for e in i2c)}) and half as "
                f"SPI ({', '.join(ctx.pin_name(e) for e in spi)}). It talks one bus at a time, so it works on "
                "neither. Pick one: for I2C tie the chip select to the part's supply and its data-out pin to "
                "GND or the supply (it sets the I2C address); for SPI wire all four pins to the controller's SPI bus.",
                i2c + spi,
            )
            continue
        dual = any(I2C_ROLES & set(p.functions) and SPI_ROLES & set(p.functions) for p in rec.pins)
        if not dual or "I2C" not in modes:
            continue
        for cs in rec.pins:
            ep = f"{pid}:{cs.name}"
            if not CS_ROLES & set(cs.functions) or cs.pullup or cs.pulldown or ctx.connected(ep):
                continue
            vcc = next((f"{pid}:{q.name}" for q in ctx.power_inputs(pid) if ctx.connected(f"{pid}:{q.name}")), None)
            ctx.add(
                "ERC-BUS-MIXED-MODE", Severity.MAJOR,
                f"{ctx.label(pid)} is on the I2C bus but its chip select {cs.name} is left floating. Held low "
                "(or floating low) at power-up it switches the part to SPI mode and it stops answering on I2C. "
                f"Tie {cs.name} to the part's supply"
                + (f" ({ctx.pin_name(vcc)})." if vcc else "."),
                [ep] + ([vcc] if vcc else []),
                f"connect({ep}, {vcc})" if vcc else None,
            )


def check(ctx: ErcContext) -> None:
    plan = BusPlan(ctx)
    _crossed(ctx, plan)
    _uart(ctx)
    _pin_function(ctx, plan)
    _i2c_pullups(ctx, plan)
    _uart_one_way(ctx)
    _mixed_mode(ctx)
