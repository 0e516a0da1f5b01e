"""Who powers whom: sources, boards, regulators and converters, and which rail each part runs on.

A part goes on a rail whose voltage its record accepts and whose current budget still has room,
preferring the controller's logic level (no level shifting needed). When no rail fits, a
regulator is added from a higher rail (linear for small currents, a switching buck for large
ones, a boost converter from a lower one); when there is no higher rail either, a source of the
right voltage is added and the reason is written in the plan.
"""

from __future__ import annotations

from agents.rules import parts as P
from agents.rules.builder import DesignBuilder, RailInfo
from agents.rules.decoupling import add_cap
from agents.rules.mains_feed import feed_from_mains
from circuit.netlist import rail_name
from circuit.power_feed import accepts_power_in
from circuit.units import e_neighbours, format_value, nearest_e, parse_value
from knowledge.preference import commonness_rank, preference
from knowledge.record import ComponentRecord, Pin

LINEAR_MAX_W = 1.0  # above this a linear regulator would need a heatsink: use a switching converter
SUPPLY_DERATING = 0.8  # a supply added for a load carries it continuously at no more than this share of its rating


def source_volts(rec: ComponentRecord, attrs: dict | None = None) -> float | None:
    """Voltage a source part provides (battery, supply, converter output)."""
    attrs = attrs or {}
    for k in ("voltage", "v_out"):
        if k in attrs:
            try:
                return parse_value(attrs[k], "V")
            except ValueError:
                pass
    outs = P.power_out_pins(rec)
    for p in outs:
        if p.v_out:
            return p.v_out
        v = P.volts_in_name(p.name)
        if v:
            return v
    return rec.ratings.v_out or rec.ratings.v_nominal


def configurable(rec: ComponentRecord) -> bool:
    """A source whose voltage is whatever its attrs say (a generic battery, a barrel jack's adapter):
    its rail pin carries no voltage of its own."""
    if rec.ratings.v_out_adjustable:
        return True
    outs = P.power_out_pins(rec)
    return bool(outs) and all(p.v_out is None and P.volts_in_name(p.name) is None for p in outs)


def is_source(rec: ComponentRecord) -> bool:
    """A part that makes a rail from nothing upstream (battery, bench supply, adapter)."""
    return rec.category == "power" and bool(P.power_out_pins(rec)) and not P.power_in_pins(rec) \
        and not _input_terminals(rec) and not any("mains_live" in p.functions for p in rec.pins)


def feedback_pin(rec: ComponentRecord) -> Pin | None:
    """The pin an adjustable regulator with no ground pin (LM317) holds its output its reference voltage
    above (function ``vref``); None for any other part."""
    if not rec.ratings.v_out_adjustable or rec.pins_of_type("ground"):
        return None
    return next((p for p in rec.pins if "vref" in p.functions), None)


def regulates_current(rec: ComponentRecord) -> bool:
    """A linear regulator that can be wired as a current source: adjustable, holding its output a reference
    voltage (``spice.params.v_ref``) above its feedback pin."""
    return converter_kind(rec) == "linear" and feedback_pin(rec) is not None and "v_ref" in rec.spice.params


def feedback_top(v_ref: float) -> float:
    """R1, from the output to the feedback pin: about 5 mA through it, the minimum load such a regulator needs."""
    return nearest_e(v_ref / 5e-3, "E24")


def is_supply_unit(rec: ComponentRecord) -> bool:
    """A source that is a supply unit (a wall adapter, a bench supply, a USB port), by its ``source_kind``:
    steady at its voltage for as long as it is plugged in, unlike a battery or a solar panel."""
    return rec.source_kind in ("adapter", "bench", "usb")


def charges(charger: ComponentRecord, cell: ComponentRecord) -> bool:
    """A charger charges a cell its charge voltage suits (record data: the cell's nominal voltage within
    80-100 % of the charger's output voltage, and a capacity: a cell, not a supply)."""
    v, nominal = charger.ratings.v_out, cell.ratings.v_nominal
    return bool(charger.safety.charger and v and nominal and cell.ratings.capacity_ah and 0.8 * v <= nominal <= v)


def is_converter(rec: ComponentRecord) -> bool:
    return rec.category == "power" and bool(P.power_out_pins(rec)) and (bool(P.power_in_pins(rec)) or bool(_input_terminals(rec)))


def _input_terminals(rec: ComponentRecord) -> list[Pin]:
    return [p for p in rec.pins if p.type == "power_in"]


def supply_inputs(rec) -> list:
    """Pins that take a supply in: power inputs, and two-way rail pins (ESP32 DevKit VIN)."""
    return P.power_in_pins(rec) + [p for p in P.power_out_pins(rec) if accepts_power_in(rec, p)]


def out_pin(rec: ComponentRecord) -> Pin | None:
    outs = [p for p in P.power_out_pins(rec)]
    for p in outs:
        if "BAT" not in p.name.upper():
            return p
    return outs[0] if outs else None


def converter_kind(rec: ComponentRecord) -> str:
    """linear | buck | boost | buck-boost | charger, from the record's data: a charger or a cell-protection
    board cares for a cell ("charger": it is no voltage conversion); otherwise its ``conversion``
    (knowledge/completeness.py holds every library converter to stating it; unstated means linear)."""
    if rec.safety.charger or (rec.safety.cell_protection and rec.safety.cell is None):
        return "charger"
    return rec.conversion or "linear"


class PowerTree:
    """Rails of one design, and how to get a rail of a given voltage."""

    def __init__(self, b: DesignBuilder):
        self.b = b
        self.part_volts: dict[str, float] = {}  # supply voltage each powered part runs on

    # ---- sources -----------------------------------------------------------------------
    def add_source(self, key: str, volts: float | None = None, why: str = "", series: int = 1,
                   parallel: int = 1) -> RailInfo:
        """A source part; ``series`` x ``parallel`` cells of a cell record make one pack of them (its
        voltage ``series`` times the cell's, its current ``parallel`` times)."""
        rec = self.b.lib[key]
        attrs: dict = {}
        v = None if configurable(rec) and volts is not None else source_volts(rec)
        if series * parallel > 1 and v is not None:
            volts = v * series
            attrs.update({"cells": str(series * parallel), "cells_series": str(series),
                          "cells_parallel": str(parallel)})
        if volts is not None and (v is None or abs(v - volts) > 0.05):
            attrs["voltage"] = format_value(volts, "V")
            v = volts
        pid = self.b.add(key, why or "power source", attrs)
        feed_from_mains(self.b, pid)  # a supply that takes mains in (an enclosed 5 V 20 A unit): its mains side
        out = out_pin(rec)
        neg = P.ground_pins(rec)
        if neg:
            self.b.set_ground(f"{pid}:{neg[0].name}")
            self.b.ground_part(pid)
        budget = None
        if out and out.i_max:
            budget = out.i_max * parallel
        elif rec.ratings.i_out_max:
            budget = rec.ratings.i_out_max * parallel
        name = rail_name(v) if v else "VIN"
        if any(r.name == name for r in self.b.rails):
            name = f"{name}_{pid}"
        return self.b.add_rail(name, v or 0.0, f"{pid}:{out.name}", budget, pid, kind="source")

    def source_for(self, volts: float, current: float, why: str) -> RailInfo | None:
        """A new source part of this voltage (a battery or supply the library has)."""
        best: tuple[tuple, str] | None = None
        for rec in self.b.lib:
            if not is_source(rec):
                continue
            adjustable = configurable(rec)
            v = None if adjustable else source_volts(rec)
            if v is None and not adjustable:
                continue
            if adjustable and rec.ratings.v_rated is not None and volts > rec.ratings.v_rated + 1e-6:
                continue  # set to a voltage above what it is rated for (a barrel jack at 36 V)
            if v is not None and abs(v - volts) > 0.05:
                continue
            cap = rec.ratings.i_out_max or (out_pin(rec).i_max if out_pin(rec) else None)
            if cap is not None and cap * SUPPLY_DERATING < current:
                continue  # a supply run at its full rating all the time runs hot and folds back on any surge
            # a supply of exactly that voltage first (wall/bench supply before a battery), then a
            # source whose voltage is set by its attrs
            score = (0 if v is not None else 2) + (0 if is_supply_unit(rec) else 0.5)
            # among equals the more common (a 10 A brick is for a purpose), then the smallest rated for the current
            score = (score, commonness_rank(rec), cap if cap is not None else float("inf"))
            if best is None or score < best[0]:
                best = (score, rec.key)
        if best is None:
            return None
        return self.add_source(best[1], volts, why)

    # ---- boards --------------------------------------------------------------------------
    def board_rails(self, pid: str) -> None:
        """Register a board's regulated outputs (5V, 3V3 ...) as rails."""
        rec = self.b.rec(pid)
        for p in P.power_out_pins(rec):
            v = p.v_out or P.volts_in_name(p.name)
            if not v or (p.i_max is not None and p.i_max < 0.005):
                continue  # IOREF and the like are references, not supplies
            if self._fed_at_other_voltage(f"{pid}:{p.name}", v):
                continue  # a two-way pin fed from outside (9 V on DevKit VIN) is an input, not a 5 V rail
            name = rail_name(v)
            if any(r.name == name for r in self.b.rails):
                name = f"{name}_{pid}"
            self.b.add_rail(name, v, f"{pid}:{p.name}", p.i_max, pid, kind="board")

    def _fed_at_other_voltage(self, ep: str, v: float) -> bool:
        rails = {r.endpoint: r for r in self.b.rails}
        for w in self.b.plan.wires:
            other = w.b if w.a == ep else (w.a if w.b == ep else None)
            if other in rails and abs(rails[other].volts - v) > 0.26:
                return True
        return False

    def power_board(self, pid: str, source: RailInfo | None) -> str:
        """Feed a board from a source rail through the input its record accepts; returns a sentence."""
        rec = self.b.rec(pid)
        ins = supply_inputs(rec)
        # a bare chip (no regulator, no connector of its own) has no USB jack: it is fed on all its supply pins
        bare = not (rec.flags.onboard_regulator or rec.flags.onboard_power_connector)
        draw = rec.supply.current_typ or 0.05  # the board itself; what it feeds is counted on its own rails
        if source is None and bare and ins:
            # the supply it is given is sized for its peaks (a radio's transmit burst), not its average
            source = self.rail_for(rec, ins[0], max(draw, P.peak_draw(rec)), rec.supply.logic_level, pid)
        if source is None:
            return f"{pid} is powered from its USB connector"

        def takes(p) -> bool:
            lo, hi = P.supply_range(rec, p)
            if P.volts_in_name(p.name) is None:
                lo, hi = rec.supply.v_min, rec.supply.v_max or p.v_max
            return (lo is None or source.volts >= lo - 1e-6) and (hi is None or source.volts <= hi + 1e-6)

        for p in ins:
            if takes(p):
                self.b.power(f"{pid}:{p.name}", source, draw, f"{source.name} powers {pid} through {p.name}")
                if bare:
                    self._feed_other_supply_pins(pid, p, source)
                return f"{pid} takes {format_value(source.volts, 'V')} on {p.name}"
        # a regulated rail straight into the board's own regulated pin (5V pin from a 5 V converter)
        for p in P.power_out_pins(rec):
            v = p.v_out or P.volts_in_name(p.name)
            if v and abs(v - source.volts) < 0.26:
                self.b.power(f"{pid}:{p.name}", source, draw, f"{source.name} feeds {pid}'s {p.name} pin (bypasses its regulator)")
                return f"{pid} takes a regulated {format_value(source.volts, 'V')} on its {p.name} pin"
        target = ins[0] if ins else None
        want = self.feed_volts(rec, target, bare)
        # the regulator is sized for all the board may draw (what its own pins pass on to the parts on them),
        # so a linear one is chosen only where that would not burn watts
        rail = self.regulated(source, want, max(draw, rec.supply.current_max or 0.0), f"to power {pid}")
        if target is not None and rail is not None:
            self.b.power(f"{pid}:{target.name}", rail, draw)
            if bare:
                self._feed_other_supply_pins(pid, target, rail)
            return f"{pid} takes {format_value(rail.volts, 'V')} from {rail.owner}"
        return f"{pid} is powered from its USB connector"

    def feed_volts(self, rec: ComponentRecord, target: Pin | None, bare: bool = False) -> float:
        """The voltage to make for a board's supply input from a source it cannot take as it is.

        A two-way pin (DevKit VIN) wants the voltage it carries from USB; a bare chip its logic level. An input
        whose range holds what the board's own USB rail carries (Pico VSYS, 1.8-5.5 V, and its 5 V VBUS) takes
        that: the voltage the board is built around. Otherwise the voltage that supply units and fixed regulators
        of the library are made for nearest the middle of the input's range (Uno Vin, 7-12 V: 9 V), never its
        edge, where the board's own regulator drops out or runs hot."""
        if target is not None and target.type == "power_out" and target.v_out:
            return target.v_out
        if bare and rec.supply.logic_level:
            return rec.supply.logic_level
        lo, hi = (P.supply_range(rec, target) if target is not None else (None, None))
        if P.volts_in_name(target.name if target is not None else "") is None:
            lo, hi = rec.supply.v_min, rec.supply.v_max or (target.v_max if target is not None else None)
        if lo is None or hi is None:
            return lo or 5.0
        own = [v for p in P.power_out_pins(rec) if (v := p.v_out) and lo <= v <= hi and not accepts_power_in(rec, p)
               and (p.i_max is None or p.i_max >= 0.1) and abs(v - (rec.supply.logic_level or 0.0)) > 0.26]
        if own:
            return max(own)
        made = sorted({round(v, 2) for r in self.b.lib if (is_source(r) and is_supply_unit(r) or is_converter(r)
                                                            and converter_kind(r) != "charger")
                       and not configurable(r) and not r.ratings.v_out_adjustable
                       and (v := source_volts(r)) is not None and lo <= v <= hi})
        if not made:
            return lo
        mid = (lo + hi) / 2
        return min(made, key=lambda v: (abs(v - mid), v))

    def _feed_other_supply_pins(self, pid: str, fed, rail: RailInfo) -> None:
        """A bare chip's other supply pins (AVCC beside VCC) take the rail its main supply pin takes."""
        rec = self.b.rec(pid)
        for q in P.power_in_pins(rec):
            lo, hi = P.supply_range(rec, q)
            if q.name != fed.name and (lo is None or rail.volts >= lo - 1e-6) and (hi is None or rail.volts <= hi + 1e-6):
                self.b.power(f"{pid}:{q.name}", rail, 0.0, f"{rail.name} also feeds {pid}'s {q.name}")

    # ---- rails for parts -----------------------------------------------------------------
    def rail_for(self, rec: ComponentRecord, pin: Pin | None, current: float, prefer: float | None,
                 who: str) -> RailInfo | None:
        lo, hi = P.supply_range(rec, pin)
        if lo is None and hi is None:
            lo, hi = (None, 5.5)
        rail = self.b.find_rail(lo, hi, current, prefer)
        if rail is not None:
            return rail
        # a rail of the right voltage that is out of current: say so and add a supply
        target = prefer if prefer is not None and (lo is None or prefer >= lo) and (hi is None or prefer <= hi) else None
        if target is None:
            for v in (5.0, 3.3, 12.0, 9.0, 24.0, 6.0):
                if (lo is None or v >= lo - 1e-6) and (hi is None or v <= hi + 1e-6):
                    target = v
                    break
        if target is None:
            target = hi or lo
        if target is None:
            return None
        higher = [r for r in self.b.domain_rails() if r.volts > target + 0.5 and r.headroom() >= current]
        if higher:
            src = sorted(higher, key=lambda r: r.volts)[0]
            return self.regulated(src, target, current, f"for {who}")
        # boost only from a battery or supply; a board's regulated pin is not a converter's input
        # (below the part's own minimum counts: a 4.5 V pack under a 4.75-5.25 V load is boosted too)
        floor = min(target - 0.5, lo - 1e-6) if lo is not None else target - 0.5
        lower = [r for r in self.b.domain_rails() if r.kind == "source" and r.volts < floor
                 and r.headroom() >= current * target / max(r.volts, 0.1)]
        if lower:
            src = sorted(lower, key=lambda r: -r.volts)[0]
            return self.regulated(src, target, current, f"for {who}")
        above = None if self._supply_unit_gives(target) else self._supply_unit_above(target)
        if above is not None and self._pick_regulator(above, target, current) is not None:
            # no supply unit is sold at that voltage (nobody sells a 3.3 V adapter): the nearest one above it,
            # and a regulator down to it, not a jack set to a voltage no adapter gives
            src = self.source_for(above, current * target / above, f"{format_value(above, 'V')} supply for {who}")
            if src is not None:
                return self.regulated(src, target, current, f"for {who}")
        return self.source_for(target, current, f"{format_value(target, 'V')} supply for {who}")

    def _supply_unit_gives(self, volts: float) -> bool:
        """Whether the library has a supply unit (adapter, bench supply, USB port) made for ``volts``."""
        return any(is_source(r) and is_supply_unit(r) and not configurable(r)
                   and (v := source_volts(r)) is not None and abs(v - volts) <= 0.05 for r in self.b.lib)

    def _supply_unit_above(self, volts: float) -> float | None:
        """The lowest voltage above ``volts`` a supply unit of the library is made for (a regulator's headroom
        above it: a linear regulator's dropout), or None."""
        ups = [v for r in self.b.lib if is_source(r) and is_supply_unit(r) and not configurable(r)
               and (v := source_volts(r)) is not None and v >= volts + 1.0]
        return min(ups) if ups else None

    def regulated(self, src: RailInfo, volts: float, current: float, why: str,
                  prefer: str | None = None) -> RailInfo | None:
        """A regulator/converter from ``src`` to ``volts`` (the library's best fit); ``prefer``: "linear"
        when the design is a linear regulator's datasheet circuit."""
        best = self._pick_regulator(src.volts, volts, current, prefer)
        if best is None:
            self.b.unmet(f"No regulator in the library makes {format_value(volts, 'V')} from {src.name}; "
                        f"add one with `circuitsmith kb add`.")
            return None
        return self.add_converter(best.key, src, volts, why)

    def _pick_regulator(self, src_volts: float, volts: float, current: float,
                        prefer: str | None = None) -> ComponentRecord | None:
        """The library's best regulator or converter from ``src_volts`` to ``volts`` for ``current``, or None."""
        kind_needed = "boost" if volts > src_volts else ("buck" if (src_volts - volts) * current > LINEAR_MAX_W else "linear")
        if prefer == "linear" and volts < src_volts:
            kind_needed = "linear"
        best: tuple[tuple, ComponentRecord] | None = None
        for rec in self.b.lib:
            if not is_converter(rec):
                continue
            kind = converter_kind(rec)
            if kind == "charger":
                continue
            if kind_needed == "boost" and kind != "boost":
                continue
            if kind_needed != "boost" and kind == "boost":
                continue
            vout = source_volts(rec)
            adjustable = rec.ratings.v_out_adjustable
            if vout is not None and abs(vout - volts) > 0.1 and not adjustable:
                continue
            if vout is None and not adjustable:
                continue
            vin_max = rec.ratings.v_in_max or rec.supply.v_max
            if vin_max is not None and src_volts > vin_max:
                continue
            if rec.supply.v_min is not None and src_volts < rec.supply.v_min - 1e-6:
                continue  # below the converter's input range (XL6009 needs 5 V; an 18650 gives 3-4.2 V)
            if kind == "linear" and volts + (rec.ratings.dropout or 1.5) > src_volts:
                continue
            imax = rec.ratings.i_out_max
            if imax is not None and imax < current:
                continue
            score = (0 if kind == kind_needed else 1) + (0.5 if adjustable and vout is None else 0) + (0 if vout is not None and abs(vout - volts) < 0.1 else 0.2)
            score = (score, preference(rec))  # among equals the most common part (knowledge/preference.py)
            if best is None or score < best[0]:
                best = (score, rec)
        return best[1] if best is not None else None

    def add_converter(self, key: str, src: RailInfo | None, volts: float | None, why: str,
                      feedback: bool = True) -> RailInfo:
        rec = self.b.lib[key]
        vout = source_volts(rec)
        attrs = {}
        if volts is not None and (vout is None or abs(vout - volts) > 0.05):
            attrs["voltage"] = format_value(volts, "V")
            vout = volts
        kind = converter_kind(rec)
        pid = self.b.add(key, f"{kind} regulator {why}".strip(), attrs)
        ins = _input_terminals(rec)
        if src is not None and ins:
            self.b.power(f"{pid}:{ins[0].name}", src, 0.0, f"{src.name} into {pid}")
        self.b.ground_part(pid, f"{pid} ground")
        out = out_pin(rec)
        budget = rec.ratings.i_out_max or (out.i_max if out else None)
        name = rail_name(vout) if vout else f"OUT_{pid}"
        if any(r.name == name for r in self.b.rails):
            name = f"{name}_{pid}"
        rail = self.b.add_rail(name, vout or 0.0, f"{pid}:{out.name}", budget, pid, kind="regulator")
        if src is not None and vout:
            self.b.note(
                f"{pid} ({rec.name}) makes {format_value(vout, 'V')} from {format_value(src.volts, 'V')} {why}."
            )
        self._decouple_regulator(pid, rec, src, rail)
        if vout and feedback:
            self._feedback_divider(pid, rec, out, vout, src)
        return rail

    def _feedback_divider(self, pid: str, rec: ComponentRecord, out: Pin, vout: float, src: RailInfo | None) -> None:
        """An adjustable regulator with no ground pin (LM317, LD1117 ADJ) holds its output its reference
        voltage (record: ``spice.params.v_ref``) above its feedback pin (function ``vref``), which must not
        float: R1 from the output to that pin carries about 5 mA (the minimum load such a regulator needs),
        R2 from it to ground sets VOUT = VREF × (1 + R2/R1): the 1 % (E96) value nearest the asked voltage
        that the input's headroom still regulates (input minus the record's dropout)."""
        fb = feedback_pin(rec)
        v_ref = rec.spice.params.get("v_ref")
        if fb is None or v_ref is None or vout <= v_ref or "resistor" not in self.b.lib:
            return
        r1 = feedback_top(v_ref)
        ideal = r1 * (vout / v_ref - 1)
        top_v = src.volts - (rec.ratings.dropout or 0.0) if src is not None else None
        fits = [r for r in e_neighbours(ideal, "E96") if top_v is None or v_ref * (1 + r / r1) <= top_v + 1e-9]
        r2 = min(fits, key=lambda r: abs(r - ideal)) if fits else nearest_e(ideal, "E96", "down")
        made = v_ref * (1 + r2 / r1)
        formula = (f"VOUT = VREF × (1 + R2/R1) = {format_value(v_ref, 'V')} × (1 + {format_value(r2, 'Ω')}/"
                   f"{format_value(r1, 'Ω')}) = {format_value(made, 'V')}")
        a1, a2 = P.two_terminals(self.b.lib["resistor"])
        top = self.b.add("resistor", f"feedback divider top (R1) of {pid}", serves=pid)
        bottom = self.b.add("resistor", f"feedback divider bottom (R2) of {pid}", serves=pid)
        self.b.wire(f"{top}:{a1}", f"{pid}:{out.name}", "power", f"R1 from {pid}'s output to its {fb.name} pin")
        self.b.wire(f"{top}:{a2}", f"{pid}:{fb.name}", "signal", f"{pid}'s {fb.name} pin at the divider tap")
        self.b.wire(f"{bottom}:{a1}", f"{pid}:{fb.name}", "signal", f"{pid}'s {fb.name} pin at the divider tap")
        self.b.to_ground(f"{bottom}:{a2}", f"R2 from {pid}'s {fb.name} pin to ground")
        self.b.value(top, r1, "Ω", f"R1 = VREF / 5 mA = {format_value(v_ref, 'V')} / 5 mA → {format_value(r1, 'Ω')}",
                     f"carries the minimum load current {pid} needs to regulate")
        self.b.value(bottom, r2, "Ω", formula, f"sets {pid}'s output to {format_value(made, 'V')}")

    def _decouple_regulator(self, pid: str, rec: ComponentRecord, src: RailInfo | None, rail: RailInfo) -> None:
        """A bare linear regulator needs its input and output capacitors (datasheet application circuit):
        the values its record's ``requires.companions`` state, else 330 nF in and 100 nF out."""
        if rec.flags.decoupling_onboard or rec.category != "power" or converter_kind(rec) != "linear":
            return
        if "capacitor" not in self.b.lib:
            return
        stated = {c.kind: c.typical or c.min for c in rec.requires.companions}
        if src is not None:
            add_cap(self.b, src.endpoint, stated.get("input-capacitor") or 330e-9, f"input capacitor of {pid}", pid)
        add_cap(self.b, rail.endpoint, stated.get("output-capacitor") or 100e-9, f"output capacitor of {pid}", pid)

    # ---- current budget -----------------------------------------------------------------
    def check_budgets(self) -> None:
        for r in self.b.rails:
            if r.budget is not None and r.load > r.budget + 1e-9:
                self.b.unmet(
                    f"{r.name} ({r.endpoint}) is asked for {format_value(r.load, 'A')} but can give "
                    f"{format_value(r.budget, 'A')}."
                )
            elif r.budget is not None and r.peak > r.budget + 1e-9:
                self.b.note(
                    f"{r.name} ({r.endpoint}) runs {format_value(r.load, 'A')}, but peaks (servo stalls, radio bursts) "
                    f"can reach {format_value(r.peak, 'A')}, above its {format_value(r.budget, 'A')}: the heavy parts need "
                    f"a supply rated for their peaks, grounds joined (a capacitor only smooths short spikes)."
                )


def need_role(rec: ComponentRecord) -> str:
    """The role a part plays in a parts list: controller, supply, driver or part."""
    if rec.is_mcu:
        return "controller"
    if is_source(rec) or is_converter(rec):
        return "supply"
    if rec.category == "driver":
        return "driver"
    return "part"
