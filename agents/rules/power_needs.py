"""The power parts the requirements imply, from record data: a source of the stated voltage when
the request gives only a voltage, a boost converter when the load needs more than the source gives,
the load's own supply when only the load's voltage is stated.

A source chosen by its voltage alone is the smallest whose rated output covers the load the needs add up
to (each part's running current from its record, times its count): "a 5 V supply" for a board and a
sensor is not a 10 A brick; forty pixels at full white get one rated for them."""

from __future__ import annotations

from agents.models import Identification, Need
from agents.rules import parts as P
from agents.rules.part_search import looks_like_part_number
from agents.rules.power_setup import LITHIUM  # (cells that need a protection board: never put in series here)
from agents.rules.power_tree import configurable, converter_kind, is_converter, is_source, is_supply_unit, out_pin, \
    source_volts
from agents.understand.requirements import Requirements
from circuit.hazard import SELV_AC_V, SELV_DC_V
from knowledge.library import Library
from knowledge.preference import most_preferred, preference
from knowledge.record import ComponentRecord


def power_needs(req: Requirements, lib: Library, needs: list[Need], ident: Identification) -> None:
    _supply_asked_by_meaning(req, lib, needs, ident)
    supply, load = ident.supply_volts, ident.load_volts
    _sized_supplies(lib, needs)
    _converters_for_the_source(lib, needs, supply)
    for n in needs:
        if n.key and is_converter(lib[n.key]) and "voltage" not in n.attrs:
            kind = converter_kind(lib[n.key])
            if kind in ("boost", "buck-boost") and load:
                n.attrs["voltage"] = f"{load:g} V"
            elif kind in ("buck", "boost", "buck-boost"):  # no load voltage stated: the 5 V most boards and USB gadgets take
                n.attrs["voltage"] = "5 V"
    if supply and not any(n.key and is_source(lib[n.key]) for n in needs):
        # a supply stated with its current ("a 12 V 8 A supply") is the one rated for it: what the user has
        src = req.constraints.source
        stated = src.max_current if src is not None and src.max_current else None
        found = source_choice(lib, supply, stated or load_amps(lib, needs, supply))
        if found:
            key, series = found
            attrs: dict = {"voltage": f"{supply:g} V"}
            if series > 1:
                attrs["cells_series"] = series  # (the pack's voltage: series times the cell's)
            needs.append(Need(phrase=f"{supply:g} V supply", key=key, qty=1, role="supply", explicit=False,
                              attrs=attrs, why="the supply the request names"))
    if load and supply and load > supply + 0.5 and not any(
            n.key and is_converter(lib[n.key]) and converter_kind(lib[n.key]) == "boost" for n in needs):
        boosts = [r for r in lib if is_converter(r) and converter_kind(r) == "boost"
                  and (r.ratings.v_in_max is None or r.ratings.v_in_max >= supply)]
        if boosts:
            boosts.sort(key=lambda r: (-(r.ratings.i_out_max or 0), preference(r)))
            needs.append(Need(phrase="boost converter", key=boosts[0].key, qty=1, role="supply", explicit=False,
                              attrs={"voltage": f"{load:g} V"},
                              why=f"the load needs {load:g} V, above the {supply:g} V supply"))
    if load and not supply and any(n.key and lib[n.key].category in ("actuator", "driver") for n in needs):
        key = source_key(lib, load, load_amps(lib, needs, load))
        if key and not any(n.key and is_source(lib[n.key]) for n in needs):
            needs.append(Need(phrase=f"{load:g} V supply", key=key, qty=1, role="supply", explicit=False,
                              attrs={"voltage": f"{load:g} V"}, why="the load's supply"))


def _supply_asked_by_meaning(req: Requirements, lib: Library, needs: list[Need], ident: Identification) -> None:
    """A supply the request asks for in words no part name answers to ("all from one 24 VDC power supply") is
    the supply it states, as much as one it names: the one source chosen for a power capability the request
    asks for gives the design's supply voltage (record: its output), when no other was read."""
    if ident.supply_volts is not None:
        return
    asked = {n.capability for n in req.needs}
    found = [n for n in needs if n.key and is_source(lib[n.key]) and not n.explicit
             and any(c.capability in asked and c.direction == "power" for c in lib[n.key].provides)]
    volts = {v for n in found if (v := source_volts(lib[n.key], n.attrs))}
    if len(found) == 1 and len(volts) == 1:
        ident.supply_volts = volts.pop()


def _converters_for_the_source(lib: Library, needs: list[Need], supply: float | None) -> None:
    """A converter asked for by its kind alone ("a boost converter", no part number) whose input range
    (record: supply.v_min/v_max) leaves out every source the design has is swapped for the preferred one of
    the same kind that takes it (a 3.7 V cell: an MT3608-class boost, not one that needs 5 V in). A converter
    named by its part number stays, and the ERC says why it will not run."""
    volts = [v for n in needs if n.key and is_source(lib[n.key]) and (v := source_volts(lib[n.key], n.attrs))]
    volts += [supply] if supply else []
    if not volts:
        return

    def takes(r: ComponentRecord, v: float) -> bool:
        return (r.supply.v_min is None or v >= r.supply.v_min - 1e-6) and \
            (r.supply.v_max is None or v <= r.supply.v_max + 1e-6)

    for n in needs:
        rec = lib[n.key] if n.key else None
        if rec is None or not is_converter(rec) or any(looks_like_part_number(w.replace("-", "")) for w in n.phrase.split()) \
                or any(takes(rec, v) for v in volts):
            continue
        kind = converter_kind(rec)
        if kind not in ("buck", "boost", "buck-boost"):
            continue  # a charger takes its charging input, not the cell it charges
        fits = [r for r in lib if r.key != rec.key and is_converter(r) and converter_kind(r) == kind
                and any(takes(r, v) for v in volts)]
        if fits:
            n.key = min(fits, key=preference).key
            n.why = (n.why + "; " if n.why else "") + f"a {kind} converter that takes the source's voltage"


def load_amps(lib: Library, needs: list[Need], volts: float | None = None) -> float:
    """What the needed parts draw together from a source of ``volts`` (record data): each part's running
    current times its count, a chain of pixels at full draw (software can light them all white at once);
    a part whose supply range ends below ``volts`` sits behind a converter, so the source gives its power
    at its own voltage (less the converter's efficiency). Peaks (a stall, a radio burst) are the ERC's to
    check against the supply chosen; sources and converters draw nothing of their own here."""
    eff = min((float(lib[n.key].spice.params.get("efficiency") or 1.0) for n in needs
               if n.key and n.key in lib and is_converter(lib[n.key])), default=1.0)
    total = 0.0
    for n in needs:
        rec = lib.get(n.key) if n.key else None
        if rec is None or is_source(rec) or is_converter(rec):
            continue
        try:
            chained = max(1, int(n.attrs.get("count", 1) or 1))
        except (TypeError, ValueError):
            chained = 1
        # (a light with no supply pin of its own, an LED, draws the forward current it is lit at)
        runs = P.current_draw(rec) or float(rec.ratings.if_nom or 0.0)
        each = (rec.supply.current_max or runs) if n.qty * chained > 1 and P.chain_pins(rec) else runs
        amps = n.qty * chained * each
        hi = rec.supply.v_max
        if volts and hi is not None and hi < volts - 0.3:
            amps *= hi / (volts * eff)  # its power through a converter, at the source's voltage
        total += amps
    return total


def rated_amps(rec: ComponentRecord) -> float | None:
    """The current a source's record says it gives: its output pin's rating, else its rated output."""
    pin = out_pin(rec)
    for v in ((pin.i_max if pin is not None else None), rec.ratings.i_out_max):
        if v:
            return float(v)
    return None


MAX_SERIES = 4  # cells in one holder, for a pack chosen by its voltage alone


def source_key(lib: Library, volts: float, amps: float = 0.0) -> str | None:
    """The key of :func:`source_choice` (a pack of cells is its cell's key)."""
    found = source_choice(lib, volts, amps)
    return found[0] if found else None


def source_choice(lib: Library, volts: float, amps: float = 0.0) -> tuple[str, int] | None:
    """A source of ``volts`` and how many of it in series: one rated at it (the smallest rated for ``amps``, a
    steady supply unit before a cell or a panel; none rated for it: the largest), where no single one is rated
    for ``amps`` a pack of cells in series that makes the voltage and is (two AA cells for 3 V, not a 3 mA
    coin cell for an LED), else an adjustable/generic supply."""
    mains_rec = most_preferred(r for r in lib if r.safety.mains_source and (r.supply.v_min or 0) <= volts
                               <= (r.supply.v_max or r.ratings.v_rated or 0))
    mains = mains_rec.key if mains_rec else None
    if volts > SELV_DC_V or (volts > SELV_AC_V and mains):
        # no battery or adapter gives a mains voltage: that supply is mains, a source kind of its own
        return (mains, 1) if mains else None
    exact: list[ComponentRecord] = []
    adjustable = None
    for r in lib:
        if not is_source(r):
            continue
        v = None if configurable(r) else source_volts(r)
        if v is not None and abs(v - volts) < 0.3:
            exact.append(r)
        if v is None and (r.ratings.v_rated is None or volts <= r.ratings.v_rated + 1e-6):
            # (a jack rated 24 V takes no 36 V supply: the generic DC source stands for it)
            if adjustable is None or is_supply_unit(r):
                adjustable = r.key
    packs = [(r, n) for r in lib if is_source(r) and r.source_kind == "battery" and r.safety.cell is not None
             and r.safety.cell not in LITHIUM and not configurable(r) and (v := source_volts(r))
             for n in range(2, MAX_SERIES + 1) if abs(n * v - volts) < 0.3]
    choices = [(r, 1) for r in exact]
    if not any(_by_rating(r, amps)[0] is False for r in exact):
        choices += packs  # no single source is rated for the load: cells in series that are
    if choices:
        r, n = min(choices, key=lambda c: (*_by_rating(c[0], amps)[:1], c[1] > 1, *_by_rating(c[0], amps)[1:]))
        return r.key, n
    return (adjustable, 1) if adjustable else None


def _by_rating(r: ComponentRecord, amps: float) -> tuple:
    """Rank of a source for a load of ``amps``: one rated for it first, then a supply unit (adapter, USB) before a
    cell or a panel, then the smallest rating that covers it (none covers: the largest)."""
    rated = rated_amps(r)
    covers = rated is None or rated >= amps - 1e-9
    size = (rated if rated is not None else float("inf")) if covers else -(rated or 0.0)
    unit = is_supply_unit(r)  # a cell is chosen by what is common, not by the current it could give
    return (not covers, not unit, size if unit else 0.0, preference(r))


def _sized_supplies(lib: Library, needs: list[Need]) -> None:
    """A supply unit found by meaning (not named: "off a 5V plug-in power brick") is, among the supply units that
    provide the same power at the same voltage, the smallest rated for what the parts draw: the words chose the
    kind of supply, not its size."""
    for n in needs:
        rec = lib.get(n.key) if n.key else None
        if rec is None or n.explicit or not is_source(rec) or not is_supply_unit(rec) or configurable(rec):
            continue
        v, caps = source_volts(rec), {c.capability for c in rec.provides if c.direction == "power"}
        peers = [r for r in lib if is_source(r) and is_supply_unit(r) and not configurable(r)
                 and (pv := source_volts(r)) is not None and v is not None and abs(pv - v) < 0.3
                 and any(c.capability in caps for c in r.provides)]
        if len(peers) > 1:
            amps = load_amps(lib, needs, v)
            n.key = min(peers, key=lambda r: _by_rating(r, amps)).key
