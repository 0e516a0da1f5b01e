"""Stated quantities against the parts' ratings: the requirement gate's check that a design can stand what
the request says it must (the voltage it runs from, the current a load draws, the battery it charges).

The ERC judges the voltages and currents the circuit itself carries; a request can state more than the
circuit shows: "step 48 V down to 5 V" designed with a 12 V supply in front of a 40 V converter, or "a 3 A
motor" wired to a 2 A driver with the library's small motor standing in for the user's. Each check reads
typed data only: the stated quantity from :class:`~agents.understand.requirements.Requirements` and the
ratings from the records (:mod:`circuit.part_ratings`):

- the voltage the design runs from, against the parts that take the design's input (those on the outputs
  of the design's own sources, else the ones nothing inside the design feeds): each must be rated for it,
  whether the design's own source gives that voltage or stands in for it at another;
- a load's current, against every part on its path that carries it (a driver's output, a transistor's
  drain or collector, a controller's pin, a supply's or a regulator's output; through a series resistor),
  and against an LED's own maximum;
- the battery a charger charges, against the cell voltage the charger charges to.

Every miss names the part, its rating and the stated quantity, and says what would fix it: the library
parts of the same kind rated for it, or that the library has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from circuit.netlist import Net, Netlist
from circuit.part_ratings import (carries_current, current_limit, current_rating, input_limit, is_primary_source, source_volts,
                                  supply_input_pins, takes_supply)
from circuit.units import UnitError, format_value, parse_value
from knowledge.library import Library
from knowledge.record import ComponentRecord, Pin

__all__ = ["Verdict", "input_verdicts", "supply_verdicts", "current_verdicts", "supply_current_verdicts",
           "charge_verdicts", "stated_amps", "element_amps", "running_amps", "source_draw_verdicts"]

MARGIN = 0.02          # a stated quantity within 2 % of a rating is within it (rounding of the figures)
SOURCE_TOLERANCE = 0.15  # a source within 15 % of the stated voltage gives it (as the requirement gate's _near)
SHOWN = 3              # alternatives named in a fix


@dataclass
class Verdict:
    """One rating judged: met (rule None) or missed, with the finding's parts."""

    label: str
    rule: str | None = None
    message: str = ""
    where: list[str] = field(default_factory=list)
    fix: str | None = None

    @property
    def met(self) -> bool:
        return self.rule is None


def _v(x: float) -> str:
    return format_value(x, "V")


def _a(x: float) -> str:
    return format_value(x, "A")


def stated_amps(value) -> float | None:
    """A stated current ('3 A', '60 mA', 0.5) in A; None when there is none or it cannot be read."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amps = float(value) if isinstance(value, (int, float)) else float(parse_value(str(value), "A"))
    except (UnitError, ValueError):
        return None
    return amps if amps > 0 else None


def _ground(nets: Netlist, net: Net) -> bool:
    return bool(nets.pins_on(net, "ground"))


def _wired(nets: Netlist) -> list[str]:
    return [pid for pid in nets.parts if any(nets.is_connected(ep) for ep in nets.part_pins(pid))]


def _label(nets: Netlist, pid: str) -> str:
    rec = nets.record(pid)
    return f"{pid} ({rec.key})" if rec is not None else pid


# ---- the voltage the design runs from ------------------------------------------------------------------
def _delivers(nets: Netlist, net: Net, pid: str) -> bool:
    """Something inside the design other than ``pid`` feeds ``net``: a rail pin that is not a board's two-way
    supply input (a part's own output wired back to its input feeds nothing)."""
    for ep, pin in nets.pins_on(net, "power_out"):
        if ep.startswith(pid + ":"):
            continue
        rec = nets.record(ep.split(":", 1)[0])
        if rec is not None and pin is not None and not takes_supply(rec, pin):
            return True
    return False


def _input_stage(nets: Netlist, sources: list[str]) -> list[tuple[str, Pin | None]]:
    """The supply inputs that take the design's input: those on its sources' outputs; with no source feeding
    anything, those on nets nothing inside the design feeds, and the controllers fed by none (their USB)."""
    out: list[tuple[str, Pin | None]] = []
    for sid in sources:
        rec = nets.record(sid)
        for pin in rec.pins_of_type("power_out") if rec else []:
            net = nets.net_of(f"{sid}:{pin.name}")
            for ep, p in nets.pins_on(net, "power_in", "power_out") if net is not None else []:
                prec = nets.record(ep.split(":", 1)[0])
                if not ep.startswith(sid + ":") and prec is not None and p is not None and takes_supply(prec, p):
                    out.append((ep, p))
    if out:
        return out
    for pid in _wired(nets):
        rec = nets.record(pid)
        if rec is None or is_primary_source(rec):
            continue
        fed = False
        for pin in rec.pins:
            if not takes_supply(rec, pin):
                continue
            net = nets.net_of(f"{pid}:{pin.name}")
            if net is None:
                continue
            if _delivers(nets, net, pid):
                fed = True
            elif pin.type == "power_in":
                out.append((f"{pid}:{pin.name}", pin))
                fed = True
        if rec.is_mcu and not fed:
            out.append((pid, None))  # a board on its own USB port takes the design's input there
    return out


def _is_converter(r: ComponentRecord) -> bool:
    return (r.category == "power" and bool(r.pins_of_type("power_in")) and bool(r.pins_of_type("power_out"))
            and not r.safety.charger)


def _converters_for(volts: float, library: Library, target: ComponentRecord) -> list[ComponentRecord]:
    """Library converters rated to take ``volts`` in that can give what ``target`` takes (a converter in its place:
    its own output; a part it would feed: a voltage within its supply range), the nearest input rating first."""
    if _is_converter(target):
        lo = hi = target.ratings.v_out if not target.ratings.v_out_adjustable else None
    else:
        lo, hi = target.supply.v_min, input_limit(target)

    def gives(r: ComponentRecord) -> bool:
        if r.conversion == "boost" and hi is not None and hi < volts:
            return False  # a step-up cannot bring the input down to what the part takes
        out = r.ratings.v_out
        if r.ratings.v_out_adjustable or out is None:
            return True
        if out > volts and r.conversion not in ("boost", "buck-boost"):
            return False
        return (lo is None or out >= lo * (1 - MARGIN)) and (hi is None or out <= hi * (1 + MARGIN))

    recs = [r for r in library if _is_converter(r) and (lim := input_limit(r)) is not None and lim >= volts
            and gives(r)]
    return sorted(recs, key=lambda r: (input_limit(r), r.key))


def input_verdicts(volts: float, words: str, nets: Netlist, library: Library) -> list[Verdict]:
    """The parts that take the design's input must be rated for the ``volts`` the request says it runs from."""
    label = f"rating: runs from {_v(volts)}"
    wired = _wired(nets)
    sources = [pid for pid in wired if (r := nets.record(pid)) is not None and is_primary_source(r)]
    giving = [pid for pid in sources if (v := source_volts(nets.parts[pid], nets.record(pid))) is not None
              and abs(v - volts) <= SOURCE_TOLERANCE * volts]
    stage = _input_stage(nets, giving or sources)  # (a cell the stated source charges is no input of its own)
    if not stage:
        return []
    over: list[tuple[str, ComponentRecord, float]] = []
    rated: list[str] = []
    for ep, pin in stage:
        pid = ep.split(":", 1)[0]
        rec = nets.record(pid)
        lim = input_limit(rec, pin) if rec is not None else None
        if lim is None:
            continue
        if volts > lim * (1 + MARGIN):
            if pid not in [p for p, _, _ in over]:
                over.append((pid, rec, lim))
        elif pid not in rated:
            rated.append(pid)
    if not over:
        return [Verdict(f"{label}: {', '.join(rated)} rated for it")] if rated else []
    pid, rec, lim = over[0]
    fed = [s for s in sources if s not in giving]
    instead = (f"; the design feeds it from {', '.join(_label(nets, s) for s in fed)} instead of the stated "
               f"{_v(volts)}" if fed and not giving else "")
    alts = [r for r in _converters_for(volts, library, rec) if r.key != rec.key]
    if alts:
        names = ", ".join(f"{r.key} (up to {_v(input_limit(r))})" for r in alts[:SHOWN])
        how = ("a converter rated for it in its place" if _is_converter(rec)
               else "a converter rated for it between the input and it")
        fix_words = f" Fix: {how}, e.g. {names}."
        fix = f"replace_part({pid}, {alts[0].key})" if _is_converter(rec) else f"add_part({alts[0].key})"
    else:
        best = max((r for r in library if _is_converter(r) and input_limit(r) is not None),
                   key=lambda r: input_limit(r), default=None)
        top = f" (the highest rated takes {_v(input_limit(best))}: {best.key})" if best is not None else ""
        fix_words = (f" No converter in the library is rated for {_v(volts)} in{top}: the design needs one that is "
                     f"(add its record with `circuitsmith kb add`), or a lower input voltage.")
        fix = None
    others = "".join(f"; {_label(nets, p)} takes at most {_v(lv)}" for p, _, lv in over[1:SHOWN])
    return [Verdict(f"{label}: {_label(nets, pid)} takes at most {_v(lim)}", "REQ-RATING-INPUT",
                    f"The request says the design runs from {_v(volts)} ('{words}'), but {_label(nets, pid)} is "
                    f"rated for at most {_v(lim)} in{others}{instead}.{fix_words}",
                    [p for p, _, _ in over] + fed, fix)]


# ---- the supply the request gives a named part -----------------------------------------------------------
def _supply_ranges(rec: ComponentRecord) -> list[tuple[float | None, float | None]]:
    """(lowest, highest) supply each of the part's supply inputs takes: a pin's own range (a board's 3V3 pin,
    a driver's motor input), else the part's recommended range (its top as :func:`input_limit` reads it)."""
    pins = supply_input_pins(rec) or [None]
    out = []
    for p in pins:
        if p is not None and p.v_range is not None:
            out.append((p.v_range[0], p.v_range[1]))
        else:
            out.append((rec.supply.v_min, input_limit(rec, p)))
    return [r for r in out if r != (None, None)]


def supply_verdicts(key: str, volts: float, words: str, library: Library) -> list[Verdict]:
    """A part the request asks to be fed ``volts`` ("12 V for the Pico") must be rated for that supply at one of
    its supply inputs: a design that feeds it so damages it, and one that feeds it another voltage does not do
    what was asked. (Below its range is not judged here: a board also takes 5 V at its USB port or rail pin.)"""
    rec = library.get(key)
    if rec is None:
        return []
    ranges = [(lo, hi) for lo, hi in _supply_ranges(rec) if hi is not None]
    if not ranges:
        return []
    label = f"rating: {key} on {_v(volts)}"
    if any(volts <= hi * (1 + MARGIN) for _, hi in ranges):
        return [Verdict(f"{label}: not above its rated supply")]
    rng = " or ".join(f"{_v(lo)} to {_v(hi)}" if lo is not None else f"at most {_v(hi)}" for lo, hi in ranges)
    return [Verdict(f"{label}: rated {rng}", "REQ-RATING-SUPPLY",
                    f"The request asks for {key} on {_v(volts)} ('{words}'), but it is rated for a supply of {rng}: "
                    f"{_v(volts)} would damage it. Feed it within its range (through a regulator or step-down "
                    f"converter from {_v(volts)}, if that is what the design runs from).", [], None)]


# ---- the current a load draws ----------------------------------------------------------------------------
def _carriers(nets: Netlist, pid: str) -> list[tuple[str, ComponentRecord, Pin]]:
    """The pins of other parts that carry the current of load ``pid``: on the nets of its pins (ground nets
    aside: the return), and one series resistor further (an LED's resistor to a controller's pin)."""
    out: list[tuple[str, ComponentRecord, Pin]] = []
    seen: set[str] = set()
    todo = [(ep, 0) for ep in nets.part_pins(pid)]
    while todo:
        ep, hops = todo.pop(0)
        net = nets.net_of(ep)
        if net is None or net.name in seen or _ground(nets, net):
            continue
        seen.add(net.name)
        sources = [e for e, p in nets.pins_on(net, "power_out")
                   if (r := nets.record(e.split(":", 1)[0])) is not None and p is not None and not takes_supply(r, p)]
        for other, pin in nets.pins_on(net):
            oid = other.split(":", 1)[0]
            rec = nets.record(oid)
            if oid == pid or rec is None or pin is None:
                continue
            if rec.spice.kind == "resistor" and hops == 0:
                todo += [(e, 1) for e in nets.part_pins(oid) if e != other]
                continue
            if takes_supply(rec, pin) and (pin.type == "power_in" or sources):
                continue  # a supply input (a board's VIN fed by the rail) takes current, it does not give it
            if carries_current(rec, pin):
                out.append((other, rec, pin))
    return out


def _pin_rating(rec: ComponentRecord) -> float | None:
    """The most any current-carrying pin of the record is rated for (for comparing alternatives)."""
    return current_rating(rec)


def _same_job(rec: ComponentRecord, library: Library) -> list[ComponentRecord]:
    """Library records that could stand where ``rec`` does: a capability in common; for a source, one of the
    same voltage; for a transistor, one of the same kind."""
    caps = {c.capability for c in rec.provides}
    out = []
    for r in library:
        if r.key == rec.key or r.is_mcu:
            continue
        if is_primary_source(rec):
            if is_primary_source(r) and r.ratings.v_nominal and rec.ratings.v_nominal \
                    and abs(r.ratings.v_nominal - rec.ratings.v_nominal) <= 0.05 * rec.ratings.v_nominal:
                out.append(r)
        elif rec.spice.kind in ("nmos", "pmos", "npn", "pnp"):
            if r.spice.kind == rec.spice.kind:
                out.append(r)
        elif caps & {c.capability for c in r.provides}:
            out.append(r)
    return out


def _rated_for(amps: float, recs: list[ComponentRecord]) -> list[ComponentRecord]:
    return sorted((r for r in recs if (x := _pin_rating(r)) is not None and x >= amps),
                  key=lambda r: (_pin_rating(r), r.key))


def current_verdicts(what: str, amps: float, words: str, loads: list[str], nets: Netlist,
                     library: Library) -> list[Verdict]:
    """Every part on the path of the placed loads ``loads`` (part ids) must be rated for the stated ``amps``."""
    label = f"rating: {what} draws {_a(amps)}"
    out: list[Verdict] = []
    judged: list[str] = []
    for pid in loads:
        rec = nets.record(pid)
        if rec is None:
            continue
        if rec.spice.kind == "led" and rec.ratings.if_max is not None and amps > rec.ratings.if_max * (1 + MARGIN):
            alts = [r for r in _same_job(rec, library) if r.spice.kind == "led"
                    and r.ratings.if_max is not None and r.ratings.if_max >= amps]
            fix_words = (f"use an LED rated for it, e.g. {', '.join(r.key for r in alts[:SHOWN])}" if alts else
                         f"no {rec.category} LED in the library is rated for {_a(amps)}: add the record of one "
                         "that is (`circuitsmith kb add`), or ask for less current")
            out.append(Verdict(f"{label}: {pid} is rated {_a(rec.ratings.if_max)}", "REQ-RATING-CURRENT",
                               f"The request asks for {_a(amps)} through {_label(nets, pid)} ('{words}'), but it is "
                               f"rated for at most {_a(rec.ratings.if_max)}; {fix_words}.", [pid],
                               f"replace_part({pid}, {alts[0].key})" if alts else None))
        missed: set[str] = set()
        for ep, crec, pin in _carriers(nets, pid):
            lim = current_limit(crec, pin)
            cid = ep.split(":", 1)[0]
            if lim is None:
                continue
            if amps <= lim * (1 + MARGIN):
                judged.append(f"{cid}:{pin.name} {_a(lim)}")
                continue
            if cid in missed:
                continue  # one finding per part (both outputs of a driver carry the same current)
            missed.add(cid)
            if crec.is_mcu:
                switches = [r for r in library if r.spice.kind in ("nmos", "npn") and r.category != "passive"]
                alts = _rated_for(amps, switches)
                fix_words = (f"switch it through a transistor or driver rated for {_a(amps)} (e.g. "
                             f"{', '.join(r.key for r in alts[:SHOWN])})" if alts else
                             f"no switch in the library is rated for {_a(amps)}")
                fix = None
            else:
                alts = _rated_for(amps, _same_job(crec, library))
                fix_words = (f"use a part rated for it instead, e.g. "
                             + ", ".join(f"{r.key} ({_a(_pin_rating(r))})" for r in alts[:SHOWN]) if alts else
                             f"no part in the library that does the job of {crec.key} is rated for {_a(amps)}: add "
                             "the record of one that is (`circuitsmith kb add`)")
                fix = f"replace_part({cid}, {alts[0].key})" if alts else None
            out.append(Verdict(f"{label}: {cid} {pin.name} is rated {_a(lim)}", "REQ-RATING-CURRENT",
                               f"The request says {what} draws {_a(amps)} ('{words}'), but {pin.name} of "
                               f"{_label(nets, cid)}, which carries that current to {pid}, is rated for at most "
                               f"{_a(lim)}; {fix_words}.", [cid, pid], fix))
    if not out and judged:
        out.append(Verdict(f"{label}: " + ", ".join(dict.fromkeys(judged))))
    return out


# ---- what the stated supply gives against what the stated loads draw ----------------------------------------
def element_amps(rec: ComponentRecord) -> float | None:
    """What one element of a load the request counts (a pixel of a strip, one of several motors) draws as its
    record states it, A: its rated running current, else its typical supply current; None for a part that
    gives current (a source, a converter, a controller) or whose record states none."""
    if rec.is_mcu or rec.category == "power" or is_primary_source(rec):
        return None
    amps = rec.ratings.i_rated or rec.supply.current_typ
    return amps if amps and amps > 0 else None


def supply_current_verdicts(gives: float, words: str, volts: float | None, loads: list[tuple[str, float, int]],
                            library: Library, estimated: set[str] | frozenset[str] = frozenset()) -> list[Verdict]:
    """The request's own supply ("a 12 V 1 A adapter") must give what the loads it states draw together
    (``loads``: key, amps each, count): a design on that supply browns out or trips it. ``estimated``: the keys
    whose figure is their record's (a load of many elements the request counts but gives no current for)."""
    if not loads:
        return []
    total = sum(a * n for _, a, n in loads)
    label = f"rating: the stated supply gives {_a(gives)}"
    if total <= gives * (1 + MARGIN):
        return [Verdict(f"{label}, the stated loads draw {_a(total)}")]
    drawn = ", ".join(f"{key} {_a(a)}" + (f" x{n}" if n > 1 else "")
                      + (" (its record's typical draw)" if key in estimated else "") for key, a, n in loads)
    alts = sorted((r for r in library if is_primary_source(r) and r.ratings.v_nominal is not None
                   and (volts is None or abs(r.ratings.v_nominal - volts) <= 0.05 * volts)
                   and (x := _pin_rating(r) or r.ratings.i_out_max) is not None and x >= total),
                  key=lambda r: (_pin_rating(r) or r.ratings.i_out_max, r.key))
    fix_words = (f"a supply rated for at least {_a(total)} would, e.g. "
                 + ", ".join(f"{r.key} ({_a(_pin_rating(r) or r.ratings.i_out_max)})" for r in alts[:SHOWN])
                 if alts else f"no source in the library{f' of {_v(volts)}' if volts else ''} gives {_a(total)}: "
                 "add the record of one that does (`circuitsmith kb add`)")
    return [Verdict(f"{label}, the stated loads draw {_a(total)}", "REQ-RATING-CURRENT",
                    f"The request's supply gives at most {_a(gives)} ('{words}'), but the loads it states draw "
                    f"{_a(total)} ({drawn}): it cannot run them; {fix_words}.", [], None)]


# ---- the source the request names, against what the design draws ------------------------------------------
def running_amps(rec: ComponentRecord) -> float | None:
    """What a part draws while it runs, as its record states it, A: a board's or a module's typical supply
    current (else its rated current), a light with no supply pin its forward current; None for a part that gives
    current (a source, a converter) or that draws nothing stated."""
    if is_primary_source(rec) or rec.category == "power":
        return None
    if rec.pins_of_type("power_in") or rec.is_mcu:  # (a board's supply pins may all be two-way outputs)
        amps = rec.supply.current_typ or rec.ratings.i_rated or rec.supply.current_max
    elif rec.spice.kind == "led":
        amps = rec.ratings.if_nom
    else:  # a resistor, a diode, a transistor: what it carries is another part's current
        return None
    return float(amps) if amps and amps > 0 else None


def source_draw_verdicts(key: str, parallel: int, volts: float | None, words: str, loads: list[tuple[str, ComponentRecord]],
                         library: Library) -> list[Verdict]:
    """The source the request names ("from a CR2032") must give what the design's parts draw (``loads``: part id
    and record); a source that cannot is left powering nothing, and the design cannot be built as asked: the
    miss names the source's rating, what the parts draw, and what would run them. A part whose supply range
    starts above the source's voltage is named too (it would need a converter, which draws more again)."""
    rec = library.get(key)
    if rec is None:
        return []
    each = current_rating(rec) or rec.ratings.i_out_max
    draws = [(pid, r, a) for pid, r in loads if (a := running_amps(r)) is not None]
    if each is None or not draws:
        return []
    gives = each * max(parallel, 1)
    total = sum(a for _, _, a in draws)
    label = f"rating: {key} gives {_a(gives)}"
    if total <= gives * (1 + MARGIN):
        return [Verdict(f"{label}, the design draws {_a(total)}")]
    drawn = ", ".join(f"{pid} ({r.key}) {_a(a)}" for pid, r, a in sorted(draws, key=lambda d: -d[2])[:4])
    short = [(pid, r) for pid, r in loads if volts and r.supply.v_min and r.supply.v_min > volts * (1 + MARGIN)]
    above = (" " + ", ".join(f"{pid} ({r.key}) needs at least {_v(r.supply.v_min)}" for pid, r in short[:3])
             + f", more than its {_v(volts)}.") if short else ""
    alts = sorted((r for r in library if is_primary_source(r) and volts and r.ratings.v_nominal is not None
                   and abs(r.ratings.v_nominal - volts) <= SOURCE_TOLERANCE * volts
                   and (x := current_rating(r) or r.ratings.i_out_max) is not None and x >= total),
                  key=lambda r: (current_rating(r) or r.ratings.i_out_max, r.key))
    fix_words = (f"run it from a source rated for at least {_a(total)}"
                 + (f" (e.g. {', '.join(r.key for r in alts[:SHOWN])})" if alts else " (a USB or wall supply, or a "
                    "pack of larger cells, through a regulator where the parts need another voltage)")
                 + ", or choose parts that draw less")
    return [Verdict(f"{label}, the design draws {_a(total)}", "REQ-RATING-CURRENT",
                    f"The request says the design runs from {words}, which gives at most {_a(gives)} ({key}'s "
                    f"record), but its parts draw {_a(total)} ({drawn}): the source cannot run them, so it powers "
                    f"nothing in this design.{above} To build it, {fix_words}.", [pid for pid, _, _ in draws[:4]],
                    None)]


# ---- the battery a charger charges -----------------------------------------------------------------------
def charge_verdicts(volts: float, words: str, nets: Netlist, library: Library) -> list[Verdict]:
    """A charger in the design charges cells to its output voltage: the stated battery must not be above it."""
    out = []
    for pid in _wired(nets):
        rec = nets.record(pid)
        if rec is None or not rec.safety.charger or rec.ratings.v_out is None:
            continue
        top = rec.ratings.v_out
        label = f"rating: charges a {_v(volts)} battery"
        if volts <= top * (1 + MARGIN):
            out.append(Verdict(f"{label}: {pid} charges to {_v(top)}"))
            continue
        alts = sorted((r for r in library if r.safety.charger and r.ratings.v_out is not None
                       and 0.8 * r.ratings.v_out <= volts <= r.ratings.v_out * (1 + MARGIN)), key=lambda r: r.key)
        fix_words = (f"use a charger made for it, e.g. {', '.join(r.key for r in alts[:SHOWN])}" if alts else
                     f"no charger in the library charges a {_v(volts)} battery: add the record of one that does "
                     "(`circuitsmith kb add`)")
        out.append(Verdict(f"{label}: {pid} charges to {_v(top)}", "REQ-RATING-CHARGE",
                           f"The request's battery is {_v(volts)} ('{words}'), but {_label(nets, pid)} charges cells "
                           f"to {_v(top)} at most; {fix_words}.", [pid],
                           f"replace_part({pid}, {alts[0].key})" if alts else None))
    return out
