"""The SPICE gate's rules: what the DC operating point says about currents and voltages.

Each rule reads the solved operating point (:class:`OperatingPoint`) and the deck's maps, and
reports :class:`circuit.findings.Finding` objects in the ERC's format (``source="spice"``):

* ``SPICE-PIN-OVERCURRENT`` a pin sources or sinks more than its limit (GPIO vs ``i_max``);
* ``SPICE-MCU-TOTAL-CURRENT`` all GPIOs together exceed the chip's package limit;
* ``SPICE-SUPPLY-OVERLOAD`` / ``SPICE-SUPPLY-BACKFEED`` a rail, battery or regulator is asked for
  more than it can give, or is pushed into by another supply (the supply budget);
* ``SPICE-REGULATOR-DROPOUT`` / ``SPICE-REGULATOR-HEAT`` a regulator starved at its input or too hot;
* ``SPICE-LED-OVERCURRENT`` / ``SPICE-LED-DIM`` / ``SPICE-LED-REVERSED`` an LED's current against its rating;
* ``SPICE-OVERVOLTAGE`` / ``SPICE-UNDERVOLTAGE`` a node outside a connected pin's voltage range;
  ``SPICE-SUPPLY-HIGH`` / ``SPICE-SUPPLY-LOW`` a module's supply outside its working range;
* ``SPICE-DIODE-*``, ``SPICE-TRANSISTOR-*``, ``SPICE-RESISTOR-POWER``, ``SPICE-CAP-*``,
  ``SPICE-SWITCH-OVERCURRENT`` device ratings;
* ``SPICE-LOAD-OVERVOLTAGE`` a motor or coil above its rating or range (:mod:`circuit.load_rating`).

Numbers in messages are printed in engineering notation (:func:`circuit.units.format_value`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from circuit.capacitor_polarity import is_polar
from circuit.findings import Finding, Severity
from circuit.load_rating import is_motor, load_overvoltage, rated_top, rating_words
from circuit.netlist import Netlist
from circuit.sim import SimResult
from circuit.spice_netlist import Deck, Device
from circuit.units import UnitError, format_value, nearest_e, parse_value
from knowledge.record import ComponentRecord

__all__ = ["OperatingPoint", "CHECKS", "run_checks"]

I_TOL = 0.02      # 2 % over a current limit before it counts (model and rounding slack)
V_TOL = 0.1       # volts over a voltage limit before it counts
LED_VISIBLE = 1e-3  # below this an indicator LED is hard to see
LED_OFF = 20e-6     # below this the LED is simply off
LED_TARGET = 0.75   # aim a suggested LED resistor at 75 % of the LED's nominal current


def fmt(value: float, unit: str) -> str:
    return format_value(value, unit)


class OperatingPoint:
    """Voltages and currents of one solved deck, looked up by net, pin and part."""

    def __init__(self, deck: Deck, result: SimResult, nl: Netlist):
        self.deck, self.result, self.nl = deck, result, nl

    def node(self, node: str | None) -> float:
        if node is None or node == "0":
            return 0.0
        v = self.result.get(node.lower())
        return float(v[0].real) if v is not None else 0.0

    def net_v(self, net_name: str) -> float | None:
        node = self.deck.node_of_net.get(net_name)
        return None if node is None else self.node(node)

    def pin_v(self, ep: str) -> float | None:
        """Voltage of a pin against circuit ground (node 0)."""
        node = self.deck.pin_node.get(ep)
        return None if node is None else self.node(node)

    def pin_v_part(self, ep: str) -> float | None:
        """Voltage of a pin against its own part's ground pin (what its ratings refer to)."""
        v = self.pin_v(ep)
        if v is None:
            return None
        ref = self.deck.ref_node.get(ep.split(":", 1)[0])
        return v - self.node(ref) if ref else v

    def pin_i(self, ep: str) -> float:
        """Current flowing into the part through this pin, A (0 when the pin is not connected)."""
        am = self.deck.ammeter.get(ep)
        if am is None:
            return 0.0
        v = self.result.get(f"{am.lower()}#branch")
        return float(v[0].real) if v is not None else 0.0

    def node_voltages(self) -> dict[str, float]:
        return {net: self.node(node) for net, node in self.deck.node_of_net.items()}

    def currents(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for ep in self.deck.ammeter:
            pid, pin = ep.split(":", 1)
            out.setdefault(pid, {})[pin] = self.pin_i(ep)
        return out


@dataclass
class _Ctx:
    op: OperatingPoint
    deck: Deck
    nl: Netlist
    findings: list[Finding] = field(default_factory=list)
    backfed: set[str] = field(default_factory=set)  # supply pins another supply pushes into

    def add(self, rule: str, sev: Severity, msg: str, where: Iterable[str], fix: str | None = None) -> None:
        self.findings.append(
            Finding(rule=rule, severity=sev, message=msg, where=list(dict.fromkeys(where)), fix=fix, source="spice")
        )

    def rec(self, pid: str) -> ComponentRecord | None:
        return self.nl.record(pid)

    def label(self, pid: str) -> str:
        rec = self.rec(pid)
        return f"{pid} ({rec.name})" if rec else pid

    def ground_ok(self, pid: str) -> bool:
        """Ratings refer to the part's ground pin: only judge parts whose ground is wired (or that have none)."""
        rec = self.rec(pid)
        if rec is None:
            return False
        grounds = rec.pins_of_type("ground")
        return not grounds or any(self.nl.is_connected(f"{pid}:{g.name}") for g in grounds)


# ---- helpers: what sits on a net ---------------------------------------------------------------

def _devices(ctx: _Ctx, kind: str | tuple[str, ...]) -> list[Device]:
    kinds = (kind,) if isinstance(kind, str) else kind
    return [d for d in ctx.deck.devices if d.kind in kinds]


def _loads_beyond(ctx: _Ctx, ep: str) -> list[Device]:
    """Devices on the pin's net or one resistor further (what a GPIO is feeding)."""
    net = ctx.nl.net_of(ep)
    if net is None:
        return []
    nets = {net.name}
    for d in _devices(ctx, "resistor"):
        ends = [ctx.nl.net_of(e) for e in d.pins.values()]
        names = [n.name for n in ends if n is not None]
        if net.name in names:
            nets.update(names)
    out = []
    for d in ctx.deck.devices:
        if d.kind in ("led", "load", "npn", "pnp", "nmos", "pmos", "diode") and any(
            (n := ctx.nl.net_of(e)) is not None and n.name in nets for e in d.pins.values()
        ):
            out.append(d)
    return out


def _series_path(ctx: _Ctx, ep: str, away_from: str) -> tuple[float | None, float, list[Device]]:
    """Walk from ``ep``'s net through resistors to a driven node: (its nominal volts, ohms passed, resistors)."""
    net = ctx.nl.net_of(ep)
    if net is None:
        return None, 0.0, []
    src_level = {s.endpoint: s.volts for s in ctx.deck.sources}
    seen = {net.name, away_from}
    frontier = [(net, 0.0, [])]
    while frontier:
        n, ohms, path = frontier.pop(0)
        if n.name == "GND":
            return 0.0, ohms, path
        for e in n.pins:
            if e in src_level and src_level[e] is not None:
                return src_level[e], ohms, path
        v = ctx.nl.net_voltage(n)
        if v is not None:
            return v, ohms, path
        for d in _devices(ctx, "resistor"):
            ends = [ctx.nl.net_of(x) for x in d.pins.values()]
            if any(x is not None and x.name == n.name for x in ends):
                for x in ends:
                    if x is not None and x.name not in seen:
                        seen.add(x.name)
                        frontier.append((x, ohms + (d.value or 0.0), path + [d]))
    return None, 0.0, []


def _led_resistor(ctx: _Ctx, d: Device, rec: ComponentRecord, i_limit: float | None = None
                  ) -> tuple[float | None, list[Device]]:
    """The series resistor that would give the LED ~75 % of its nominal current (and keep a driving
    pin under ``i_limit``), and the resistors in its path now."""
    vf = float(d.info.get("vf") or rec.ratings.vf or 2.0)
    a_net, k_net = ctx.nl.net_of(d.pins["a"]), ctx.nl.net_of(d.pins["k"])
    if a_net is None or k_net is None:
        return None, []
    v_hi, _, rs_hi = _series_path(ctx, d.pins["a"], k_net.name)
    v_lo, _, rs_lo = _series_path(ctx, d.pins["k"], a_net.name)
    if v_hi is None:
        return None, rs_hi + rs_lo
    v_lo = v_lo or 0.0
    target = LED_TARGET * (rec.ratings.if_nom or 0.02)
    if i_limit:
        target = min(target, 0.9 * i_limit)
    if v_hi - v_lo <= vf:
        return None, rs_hi + rs_lo
    return nearest_e((v_hi - v_lo - vf) / target, "E12", "up"), rs_hi + rs_lo


def _powered_from(ctx: _Ctx, ep: str) -> list[str]:
    """Parts whose supply pin is wired to this pin's net (a module run from a GPIO)."""
    net = ctx.nl.net_of(ep)
    if net is None:
        return []
    own = ep.split(":", 1)[0]
    return list(dict.fromkeys(
        e.split(":", 1)[0] for e in net.pins
        if not e.startswith(own + ":") and (p := ctx.nl.pin(e)) is not None and p.type == "power_in"
    ))


def _limit_advice_for_gpio(ctx: _Ctx, ep: str, i: float, limit: float) -> tuple[str, str | None]:
    powered = _powered_from(ctx, ep)
    if powered:
        m = powered[0]
        return (f"{m} takes its supply current from the pin: power it from a supply rail, and switch it with a "
                "transistor if it must be turned on and off", f"insert_transistor_driver({ep}, {m})")
    loads = _loads_beyond(ctx, ep)
    coils = [d for d in loads if d.kind == "load"]
    leds = [d for d in loads if d.kind == "led"]
    if coils:
        m = coils[0].pid
        return (f"drive {m} through a transistor or MOSFET (with a flyback diode) or a driver module instead "
                "of straight from the pin", f"insert_transistor_driver({ep}, {m})")
    if leds:
        rec = ctx.rec(leds[0].pid)
        r_new, existing = _led_resistor(ctx, leds[0], rec, i_limit=limit) if rec else (None, [])
        if r_new is not None and existing:
            return (f"use {fmt(r_new, 'Ω')} for {existing[0].pid} instead of {fmt(existing[0].value or 0, 'Ω')}",
                    f"set_value({existing[0].pid}, {fmt(r_new, 'Ω')})")
        if r_new is not None:
            return (f"add a {fmt(r_new, 'Ω')} resistor in series with {leds[0].pid}",
                    f"insert_series_resistor({leds[0].pins['a']}, {fmt(r_new, 'Ω')})")
    bases = [d for d in loads if d.kind in ("npn", "pnp")]
    if bases:
        v = abs(ctx.op.pin_v_part(ep) or 5.0)
        r = nearest_e(max(v - 0.7, 0.5) / (0.5 * limit), "E12", "up")
        return (f"put a base resistor of about {fmt(r, 'Ω')} between the pin and {bases[0].pid}",
                f"insert_series_resistor({bases[0].pins['b']}, {fmt(r, 'Ω')})")
    return ("take the load off the pin: use a larger resistor, or drive it through a transistor or a driver", None)


# ---- rules -----------------------------------------------------------------------------------

def check_pin_currents(ctx: _Ctx) -> None:
    """Every signal pin's current within its limit (a GPIO sourcing or sinking more than i_max)."""
    for pid in ctx.nl.parts:
        rec = ctx.rec(pid)
        if rec is None:
            continue
        for name in rec.pin_names:
            pin = rec.pin(name)
            ep = f"{pid}:{name}"
            if pin is None or pin.i_max is None or pin.type in ("power_out", "ground", "power_in", "passive"):
                continue
            if ep not in ctx.deck.ammeter:
                continue
            i = ctx.op.pin_i(ep)
            if abs(i) <= pin.i_max * (1 + I_TOL):
                continue
            verb = "source" if i < 0 else "sink"
            advice, fix = _limit_advice_for_gpio(ctx, ep, i, pin.i_max)
            ctx.add(
                "SPICE-PIN-OVERCURRENT", Severity.MAJOR,
                f"{pin.name} of {ctx.label(pid)} would {verb} {fmt(abs(i), 'A')} (its limit is "
                f"{fmt(pin.i_max, 'A')}): {advice}.",
                [ep] + list(dict.fromkeys(_powered_from(ctx, ep) + [d.pid for d in _loads_beyond(ctx, ep)]))[:2], fix,
            )


def check_mcu_total(ctx: _Ctx) -> None:
    """All GPIO currents of one chip together within its package limit (spice.params.i_gpio_total)."""
    for pid in ctx.nl.parts:
        rec = ctx.rec(pid)
        if rec is None or "i_gpio_total" not in rec.spice.params:
            continue
        limit = rec.spice.params["i_gpio_total"]
        gpio = [s.endpoint for s in ctx.deck.sources if s.pid == pid and s.role == "gpio"]
        total = sum(abs(ctx.op.pin_i(ep)) for ep in gpio)
        if total > limit * (1 + I_TOL):
            ctx.add(
                "SPICE-MCU-TOTAL-CURRENT", Severity.MAJOR,
                f"The outputs of {ctx.label(pid)} would carry {fmt(total, 'A')} together, more than the chip's "
                f"{fmt(limit, 'A')} limit: move the heavier loads onto transistors or a driver.",
                [pid] + gpio[:4],
            )


def _consumers(ctx: _Ctx, ep: str) -> str:
    net = ctx.nl.net_of(ep)
    if net is None:
        return ""
    rows = []
    for e in net.pins:
        if e == ep:
            continue
        i = ctx.op.pin_i(e)
        if i > 1e-3:
            rows.append((i, e.split(":", 1)[0]))
    rows.sort(reverse=True)
    if not rows:
        return ""
    return " (" + ", ".join(f"{pid} {fmt(i, 'A')}" for i, pid in rows[:4]) + ")"


def check_supply_budget(ctx: _Ctx) -> None:
    """Rails, batteries and regulator outputs: the sum of their loads against what they can give.

    A source that another one pushes current into (two supplies of different voltage on one rail) is
    one fault, reported once on the source pushed into; the pushing supply's "overload" is that same
    current, so it is not reported again."""
    rows = []
    for s in ctx.deck.sources:
        if s.role not in ("rail", "battery", "regulator"):
            continue
        rec = ctx.rec(s.pid)
        pin = ctx.nl.pin(s.endpoint)
        if rec is None or pin is None:
            continue
        limit = pin.i_max
        if limit is None and s.role in ("regulator", "battery"):
            limit = rec.ratings.i_out_max
        out = -ctx.op.pin_i(s.endpoint)  # current leaving the part through its supply pin
        rows.append((s, rec, pin, limit, out))
    backfed = {}
    for s, rec, pin, limit, out in rows:
        if -out > (max(0.01, 0.1 * limit) if limit else 0.05):
            backfed[s.endpoint] = (s, pin, limit, -out)
    ctx.backfed = set(backfed)
    backfed_parts = {s.pid for s, *_ in backfed.values()}
    for s, rec, pin, limit, out in rows:
        name = f"the {pin.name} pin of {ctx.label(s.pid)}" if s.role == "rail" else ctx.label(s.pid)
        if s.endpoint in backfed:
            pushers = [t.endpoint for t, *_ in rows if t.endpoint not in backfed and t.pid != s.pid
                       and _same_net(ctx, t.endpoint, s.endpoint)]
            over = limit is not None and -out > limit * (1 + I_TOL)
            ctx.add(
                "SPICE-SUPPLY-BACKFEED", Severity.CRITICAL if over else Severity.MAJOR,
                f"{fmt(-out, 'A')} would flow back into {name}"
                + (f" from {pushers[0]}" if pushers else "")
                + ": another supply is pushing into it"
                + (f", far more than the {fmt(limit, 'A')} it is rated for, which destroys its regulator" if over else "")
                + ". Connect only one source to each rail.",
                [s.endpoint] + pushers[:1],
            )
            continue
        if limit is not None and out > limit * (1 + I_TOL):
            consumers = _consumers_where(ctx, s.endpoint)
            into_supplies = sum(ctx.op.pin_i(ep) for ep in backfed if _same_net(ctx, ep, s.endpoint))
            if into_supplies > 0.9 * out:
                continue  # it flows into another supply: reported once, as that supply's backfeed
            ctx.add(
                "SPICE-SUPPLY-OVERLOAD", Severity.MAJOR,
                f"{name[0].upper() + name[1:]} would have to supply {fmt(out, 'A')}{_consumers(ctx, s.endpoint)}, "
                f"but it can give only {fmt(limit, 'A')}: power the heavy loads from a separate supply or a "
                "regulator rated for them (with a common ground).",
                [s.endpoint] + consumers,
            )


def _same_net(ctx: _Ctx, a: str, b: str) -> bool:
    na, nb = ctx.nl.net_of(a), ctx.nl.net_of(b)
    return na is not None and nb is not None and na.name == nb.name


def _consumers_where(ctx: _Ctx, ep: str) -> list[str]:
    net = ctx.nl.net_of(ep)
    if net is None:
        return []
    return [e.split(":", 1)[0] for e in net.pins if e != ep and ctx.op.pin_i(e) > 1e-3][:4]


def _adj_is_a_divider(ctx: _Ctx, d: Device) -> bool:
    """Whether the regulator's ADJ pin is a divider's tap: nothing but resistors and capacitors besides it."""
    net = ctx.nl.net_of(d.pins["adj"])
    if net is None:
        return False
    passive = {x.pid for x in ctx.deck.devices if x.kind in ("resistor", "capacitor")}
    return all(e.split(":", 1)[0] in passive for e in net.pins if e != d.pins["adj"])


def check_regulators(ctx: _Ctx) -> None:
    """A regulator starved at its input (dropout), over its input rating, or dissipating too much."""
    for d in _devices(ctx, "regulator"):
        rec = ctx.rec(d.pid)
        if rec is None or not ctx.ground_ok(d.pid):
            continue
        vin = ctx.op.pin_v_part(d.pins["in"]) or 0.0
        vout = ctx.op.pin_v_part(d.pins["out"]) or 0.0
        iout = max(0.0, -ctx.op.pin_i(d.pins["out"]))
        nominal = d.value or 0.0
        drop = float(d.info.get("dropout") or 0.0)
        if not d.info.get("boost") and vin > 0.5 and nominal and vout < 0.97 * nominal:
            ctx.add(
                "SPICE-REGULATOR-DROPOUT", Severity.MAJOR,
                f"{ctx.label(d.pid)} gets only {fmt(vin, 'V')} at its input, so its output sags to "
                f"{fmt(vout, 'V')} instead of {fmt(nominal, 'V')}: feed it at least {fmt(nominal + drop, 'V')}.",
                [d.pins["in"], d.pins["out"]],
            )
        if d.info.get("adjustable") and vin > 0.5 and "adj" in d.pins:
            v_ref = float(d.info.get("v_ref") or 1.25)
            v_adj = ctx.op.pin_v(d.pins["adj"]) or 0.0
            # in regulation OUT sits v_ref above ADJ. Where ADJ is a divider's tap (only resistors and capacitors
            # beside the regulator), the tap follows OUT, so the divider's ratio sets the target; where ADJ rides
            # on a load (a current source: OUT -> R -> ADJ -> LEDs), OUT is wanted v_ref above where ADJ is
            k = v_adj / vout if vout > 0.1 else 1.0
            target = v_ref / (1 - k) if 0 <= k < 0.98 and _adj_is_a_divider(ctx, d) else v_adj + v_ref
            if vout < target - 0.05:
                ctx.add(
                    "SPICE-REGULATOR-DROPOUT", Severity.MAJOR,
                    f"{ctx.label(d.pid)} gets only {fmt(vin, 'V')} at its input, so its output sags to "
                    f"{fmt(vout, 'V')} instead of about {fmt(target, 'V')}: it needs {fmt(drop, 'V')} of headroom, "
                    f"so feed it at least {fmt(target + drop, 'V')}.",
                    [d.pins["in"], d.pins["out"]],
                )
        vmax = rec.ratings.v_in_max
        if d.info.get("adjustable") and vmax is not None and vin - vout > vmax + V_TOL:
            ctx.add(
                "SPICE-OVERVOLTAGE", Severity.CRITICAL,
                f"{ctx.label(d.pid)} would have {fmt(vin - vout, 'V')} between its input and output, above its "
                f"{fmt(vmax, 'V')} maximum: use a lower input voltage.",
                [d.pins["in"]],
            )
        elif vmax is not None and vin > vmax + V_TOL and (ctx.nl.pin(d.pins["in"]) or None) is not None \
                and ctx.nl.pin(d.pins["in"]).v_max is None:
            ctx.add(
                "SPICE-OVERVOLTAGE", Severity.CRITICAL,
                f"{ctx.label(d.pid)} would get {fmt(vin, 'V')} at its input, above its {fmt(vmax, 'V')} maximum: "
                "use a lower supply or a regulator rated for it.",
                [d.pins["in"]],
            )
        pmax = rec.ratings.power_max
        if not d.info.get("efficiency") and pmax:
            p = max(0.0, vin - vout) * iout
            if p > pmax * (1 + I_TOL):
                ctx.add(
                    "SPICE-REGULATOR-HEAT", Severity.MAJOR,
                    f"{ctx.label(d.pid)} would turn {fmt(p, 'W')} into heat ({fmt(vin - vout, 'V')} across it at "
                    f"{fmt(iout, 'A')}), more than its {fmt(pmax, 'W')}: lower its input voltage, add a heatsink or "
                    "use a switching (buck) converter.",
                    [d.pid],
                )


def check_leds(ctx: _Ctx) -> None:
    """LED currents within rating; too little to see; reversed."""
    for d in _devices(ctx, "led"):
        rec = ctx.rec(d.pid)
        if rec is None:
            continue
        a, k = d.pins["a"], d.pins["k"]
        if a not in ctx.deck.ammeter or k not in ctx.deck.ammeter:
            continue
        i = ctx.op.pin_i(a)
        vak = (ctx.op.pin_v(a) or 0.0) - (ctx.op.pin_v(k) or 0.0)
        name = d.pid + (f" ({d.info['label']})" if d.info.get("label") else "")
        if_max = rec.ratings.if_max
        if if_max and i > if_max * (1 + I_TOL):
            r_new, existing = _led_resistor(ctx, d, rec)
            if r_new is not None and existing:
                advice = f"raise {existing[0].pid} from {fmt(existing[0].value or 0, 'Ω')} to {fmt(r_new, 'Ω')}"
                fix = f"set_value({existing[0].pid}, {fmt(r_new, 'Ω')})"
            elif r_new is not None:
                advice = f"add a {fmt(r_new, 'Ω')} resistor in series"
                fix = f"insert_series_resistor({a}, {fmt(r_new, 'Ω')})"
            else:
                advice = "add a resistor in series to limit its current"
                fix = None
            ctx.add(
                "SPICE-LED-OVERCURRENT", Severity.MAJOR,
                f"{name} would carry {fmt(i, 'A')} (its limit is {fmt(if_max, 'A')}): {advice}.",
                [d.pid, a], fix,
            )
        elif LED_OFF < i < LED_VISIBLE:
            r_new, existing = _led_resistor(ctx, d, rec)
            hint = (f": use about {fmt(r_new, 'Ω')} for {existing[0].pid}" if r_new is not None and existing else
                    ": use a smaller series resistor")
            ctx.add(
                "SPICE-LED-DIM", Severity.MINOR,
                f"{name} would carry only {fmt(i, 'A')}, so it will be hard to see{hint}.",
                [d.pid],
                f"set_value({existing[0].pid}, {fmt(r_new, 'Ω')})" if r_new is not None and existing else None,
            )
        if i < LED_OFF and vak < -1.0:
            vr = rec.ratings.vr_max
            over = vr is not None and -vak > vr + V_TOL
            ctx.add(
                "SPICE-LED-REVERSED", Severity.MAJOR if over else Severity.MINOR,
                f"{name} is the wrong way round: it has {fmt(-vak, 'V')} across it backwards"
                + (f", more than the {fmt(vr, 'V')} it can block" if over else "")
                + ", so it stays dark. Swap its legs (the longer leg, +, goes to the positive side).",
                [d.pid], f"swap_wires({a}, {k})",
            )


def check_diodes(ctx: _Ctx) -> None:
    for d in _devices(ctx, ("diode", "zener")):
        rec = ctx.rec(d.pid)
        if rec is None:
            continue
        a, k = d.pins["a"], d.pins["k"]
        i = ctx.op.pin_i(a)
        vr = (ctx.op.pin_v(k) or 0.0) - (ctx.op.pin_v(a) or 0.0)
        if rec.ratings.if_max and i > rec.ratings.if_max * (1 + I_TOL):
            ctx.add(
                "SPICE-DIODE-OVERCURRENT", Severity.MAJOR,
                f"{ctx.label(d.pid)} would carry {fmt(i, 'A')} forward (its limit is {fmt(rec.ratings.if_max, 'A')}): "
                "add resistance in its path or use a bigger diode.",
                [d.pid],
            )
        if d.kind == "zener" and rec.ratings.power_max and i < 0:
            p = abs(i) * max(vr, 0.0)
            if p > rec.ratings.power_max * (1 + I_TOL):
                ctx.add(
                    "SPICE-DIODE-POWER", Severity.MAJOR,
                    f"{ctx.label(d.pid)} would dissipate {fmt(p, 'W')} (its limit is {fmt(rec.ratings.power_max, 'W')}): "
                    "raise the resistor that feeds it.",
                    [d.pid],
                )
        if d.kind == "diode" and rec.ratings.vr_max and vr > rec.ratings.vr_max + V_TOL:
            ctx.add(
                "SPICE-DIODE-REVERSE-VOLTAGE", Severity.MAJOR,
                f"{ctx.label(d.pid)} would block {fmt(vr, 'V')}, more than its {fmt(rec.ratings.vr_max, 'V')} rating: "
                "use a diode with a higher reverse voltage.",
                [d.pid],
            )


def check_transistors(ctx: _Ctx) -> None:
    """BJT and MOSFET current and dissipation against their ratings."""
    for d in _devices(ctx, ("npn", "pnp", "nmos", "pmos")):
        rec = ctx.rec(d.pid)
        if rec is None:
            continue
        r = rec.ratings
        if d.kind in ("npn", "pnp"):
            c, b, e = d.pins["c"], d.pins["b"], d.pins["e"]
            ic, ib = ctx.op.pin_i(c), ctx.op.pin_i(b)
            vce = (ctx.op.pin_v(c) or 0.0) - (ctx.op.pin_v(e) or 0.0)
            vbe = (ctx.op.pin_v(b) or 0.0) - (ctx.op.pin_v(e) or 0.0)
            p = abs(vce * ic) + abs(vbe * ib)
            i_main, i_lim, what = abs(ic), r.ic_max, "collector"
            hint = "give it more base current (a smaller base resistor) so it switches fully on, or use a bigger transistor"
        else:
            dd, g, s = d.pins["d"], d.pins["g"], d.pins["s"]
            idr = ctx.op.pin_i(dd)
            vds = (ctx.op.pin_v(dd) or 0.0) - (ctx.op.pin_v(s) or 0.0)
            p = abs(vds * idr)
            i_main, i_lim, what = abs(idr), r.id_max, "drain"
            hint = "drive its gate harder (a logic-level MOSFET fully on at your GPIO voltage) or use a bigger MOSFET"
        if i_lim and i_main > i_lim * (1 + I_TOL):
            ctx.add(
                "SPICE-TRANSISTOR-OVERCURRENT", Severity.MAJOR,
                f"{ctx.label(d.pid)} would carry {fmt(i_main, 'A')} at its {what} (its limit is {fmt(i_lim, 'A')}): "
                "use a transistor rated for the load.",
                [d.pid],
            )
        if r.power_max and p > r.power_max * (1 + I_TOL):
            ctx.add(
                "SPICE-TRANSISTOR-POWER", Severity.MAJOR,
                f"{ctx.label(d.pid)} would dissipate {fmt(p, 'W')} (its limit is {fmt(r.power_max, 'W')}): {hint}.",
                [d.pid],
            )


def check_resistors(ctx: _Ctx) -> None:
    for d in _devices(ctx, "resistor"):
        rec = ctx.rec(d.pid)
        if rec is None or not d.value:
            continue
        limit = rec.ratings.power_max
        raw = ctx.nl.parts[d.pid].attrs.get("power")
        if raw is not None:
            try:
                limit = parse_value(raw, "W")
            except UnitError:
                pass
        if not limit:
            continue
        v = (ctx.op.pin_v(d.pins["1"]) or 0.0) - (ctx.op.pin_v(d.pins["2"]) or 0.0)
        p = v * v / d.value
        if p > limit * (1 + I_TOL):
            ctx.add(
                "SPICE-RESISTOR-POWER", Severity.MAJOR,
                f"{d.pid} ({fmt(d.value, 'Ω')}) would dissipate {fmt(p, 'W')}, more than its {fmt(limit, 'W')} rating: "
                f"use a resistor rated {fmt(_power_rating(p), 'W')} or more, or a larger value.",
                [d.pid],
            )


_POWER_RATINGS = (0.125, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 25.0, 50.0)


def _power_rating(p: float) -> float:
    """The smallest common resistor power rating with a 2x margin over ``p``."""
    return next((r for r in _POWER_RATINGS if r >= 2 * p), _POWER_RATINGS[-1])


def check_capacitors(ctx: _Ctx) -> None:
    for d in _devices(ctx, "capacitor"):
        rec = ctx.rec(d.pid)
        if rec is None:
            continue
        v = (ctx.op.pin_v(d.pins["+"]) or 0.0) - (ctx.op.pin_v(d.pins["-"]) or 0.0)
        # a generic capacitor below 1 µF is ceramic or film in practice, and those have no polarity
        if is_polar(rec, d.value) and v < -0.5:
            ctx.add(
                "SPICE-CAP-REVERSED", Severity.MAJOR,
                f"{d.pid} is an electrolytic capacitor with {fmt(-v, 'V')} across it backwards: turn it round "
                "(its - stripe goes to the lower voltage).",
                [d.pid], f"swap_wires({d.pins['+']}, {d.pins['-']})",
            )
        rating = rec.ratings.v_rated
        raw = ctx.nl.parts[d.pid].attrs.get("voltage")
        if raw is not None:
            try:
                rating = parse_value(raw, "V")
            except UnitError:
                pass
        if rating and abs(v) > rating + V_TOL:
            ctx.add(
                "SPICE-CAP-OVERVOLTAGE", Severity.MAJOR,
                f"{d.pid} would hold {fmt(abs(v), 'V')}, above its {fmt(rating, 'V')} rating: use a capacitor "
                "rated for at least 1.5 times the voltage.",
                [d.pid],
            )


def check_switches(ctx: _Ctx) -> None:
    for d in _devices(ctx, "switch"):
        rec = ctx.rec(d.pid)
        if rec is None or not rec.ratings.i_rated:
            continue
        i = abs(ctx.op.pin_i(d.pins["1"]))
        if i > rec.ratings.i_rated * (1 + I_TOL):
            ctx.add(
                "SPICE-SWITCH-OVERCURRENT", Severity.MAJOR,
                f"{ctx.label(d.pid)} would carry {fmt(i, 'A')} when closed, more than its {fmt(rec.ratings.i_rated, 'A')} "
                "rating: let it switch a transistor or a relay instead of the load itself.",
                [d.pid],
            )


def _divider(v_in: float, v_target: float) -> tuple[float, float]:
    r1 = 10e3
    r2 = nearest_e(r1 * v_target / max(v_in - v_target, 1e-3), "E12", "down")
    return r1, r2


def check_pin_voltages(ctx: _Ctx) -> None:
    """Every node within the voltage range of the pins on it (pin v_max / v_min; module supply ranges)."""
    # a regulator's input range is check_regulators' job (dropout says more than "supply low")
    regulators = {pid for pid in ctx.nl.parts if (r := ctx.rec(pid)) is not None and r.spice.kind == "regulator"}
    fought: set[str] | None = None
    for pid in ctx.nl.parts:
        rec = ctx.rec(pid)
        if rec is None or not ctx.ground_ok(pid):
            continue
        powers = rec.pins_of_type("power_in")
        single = powers[0].name if len(powers) == 1 else None
        for name in rec.pin_names:
            pin = rec.pin(name)
            ep = f"{pid}:{name}"
            if pin is None or ep not in ctx.deck.ammeter or pin.type in ("ground", "nc"):
                continue
            v = ctx.op.pin_v_part(ep)
            if v is None:
                continue
            limit = pin.v_max
            if pin.type == "power_in" and name == single and rec.supply.v_abs_max is not None:
                limit = min(limit, rec.supply.v_abs_max) if limit is not None else rec.supply.v_abs_max
            if limit is not None and v > limit + V_TOL:
                if pin.type == "power_in" or ep in ctx.deck.fed_inputs:
                    advice, fix = "power it from a rail it is rated for", None
                else:
                    level = rec.supply.logic_level or limit
                    r1, r2 = _divider(v, min(limit - 0.3, level))
                    advice = (f"put a voltage divider ({fmt(r1, 'Ω')} from the signal, {fmt(r2, 'Ω')} to ground) "
                              "or a level shifter in front of it")
                    fix = f"insert_voltage_divider({ep}, {fmt(r1, 'Ω')}, {fmt(r2, 'Ω')})"
                ctx.add(
                    "SPICE-OVERVOLTAGE", Severity.CRITICAL,
                    f"{pin.name} of {ctx.label(pid)} would see {fmt(v, 'V')}, above its {fmt(limit, 'V')} maximum, "
                    f"which damages it: {advice}.",
                    [ep], fix,
                )
                continue
            if pin.v_min is not None and v < pin.v_min - V_TOL:
                ctx.add(
                    "SPICE-UNDERVOLTAGE", Severity.CRITICAL,
                    f"{pin.name} of {ctx.label(pid)} would be pulled to {fmt(v, 'V')}, below its {fmt(pin.v_min, 'V')} "
                    "minimum: keep it between ground and its supply (a series resistor and a clamp diode, or "
                    "check the polarity).",
                    [ep],
                )
                continue
            if fought is None:
                fought = {n.name for ep in ctx.backfed if (n := ctx.nl.net_of(ep)) is not None}
            if (net := ctx.nl.net_of(ep)) is not None and net.name in fought:
                continue  # two supplies fighting on this rail: its voltage is that fault, reported once
            if pin.type == "power_in" and name == single and not rec.is_mcu and pid not in regulators:
                s = rec.supply
                if s.v_max is not None and v > s.v_max * 1.03 + V_TOL:
                    ctx.add(
                        "SPICE-SUPPLY-HIGH", Severity.MAJOR,
                        f"{ctx.label(pid)} would get {fmt(v, 'V')} on {pin.name}; it is made for "
                        f"{fmt(s.v_min or 0, 'V')} to {fmt(s.v_max, 'V')}: feed it from a lower rail.",
                        [ep],
                    )
                elif s.v_min is not None and 0.5 < v < s.v_min * 0.95:
                    ctx.add(
                        "SPICE-SUPPLY-LOW", Severity.MAJOR,
                        f"{ctx.label(pid)} would get only {fmt(v, 'V')} on {pin.name}, but needs at least "
                        f"{fmt(s.v_min, 'V')} to work: feed it from a higher rail.",
                        [ep],
                    )


def check_load_voltage(ctx: _Ctx) -> None:
    """Motors and coils against their rated voltage (the policy of :mod:`circuit.load_rating`)."""
    for d in _devices(ctx, "load"):
        rec = ctx.rec(d.pid)
        v_top = rated_top(rec)
        if not v_top or "1" not in d.pins or "2" not in d.pins:
            continue
        v = abs((ctx.op.pin_v(d.pins["1"]) or 0.0) - (ctx.op.pin_v(d.pins["2"]) or 0.0))
        sev = load_overvoltage(rec, v)
        if sev is None:
            continue
        kind = "motor" if is_motor(rec) else "coil"
        of = "the top of its range" if v_top != rec.ratings.v_rated else "its rating"
        ctx.add(
            "SPICE-LOAD-OVERVOLTAGE", sev,
            f"{ctx.label(d.pid)} would have {fmt(v, 'V')} across it, {v / v_top:.1f} times {of} "
            f"({rating_words(rec)}): the {kind} {'wears out early' if sev is Severity.MINOR else 'burns out'}; "
            "power it from a supply within its rating.",
            [d.pid],
        )


CHECKS: list[Callable[[_Ctx], None]] = [
    check_pin_currents,
    check_mcu_total,
    check_supply_budget,
    check_regulators,
    check_leds,
    check_diodes,
    check_transistors,
    check_resistors,
    check_capacitors,
    check_switches,
    check_pin_voltages,
    check_load_voltage,
]


def run_checks(op: OperatingPoint) -> list[Finding]:
    ctx = _Ctx(op=op, deck=op.deck, nl=op.nl)
    for check in CHECKS:
        check(ctx)
    return ctx.findings
