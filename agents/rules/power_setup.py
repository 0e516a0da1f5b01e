"""The power side of a design, set up before any part is wired: named sources (batteries,
supplies), chargers, converters and regulators in a chain, then the controller boards fed from
the most suitable rail (or USB), with their regulated pins registered as rails."""

from __future__ import annotations

from agents.models import Need
from agents.rules import parts as P
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.decoupling import stated_decoupling
from agents.rules.analog import pot_pins
from agents.rules.power_tree import converter_kind, feedback_pin, feedback_top, out_pin, regulates_current, source_volts, \
    supply_inputs
from circuit.units import format_value, nearest_e, parse_value
from knowledge.preference import most_preferred, preference

LITHIUM = {"li-ion", "lipo", "lifepo4"}
PROTECTION = "cell protection"  # the phrase of a protection board the planner adds itself
INTERMITTENT = ("solar",)  # source kinds whose output comes and goes (record: source_kind): a charger's input only


def _volts(n: Need, attr: str = "voltage") -> float | None:
    v = n.attrs.get(attr)
    if v is None:
        return None
    try:
        return parse_value(v, "V")
    except ValueError:
        return None


def _is_battery(ctx: PlanContext, owner: str) -> bool:
    part = ctx.b.plan.part(owner)
    if part is None:
        return False
    rec = ctx.b.lib[part.type]
    # a cell or pack, or the board that charges or protects one (its output is the cell's voltage)
    return rec.source_kind == "battery" or rec.safety.cell is not None or rec.safety.charger \
        or rec.safety.cell_protection


def build_power(ctx: PlanContext, by_kind: dict[str, list[Need]]) -> list[Board]:
    b = ctx.b
    sources = []
    for n in by_kind.get("source", []):
        volts = _volts(n)
        if volts is None and ctx.ident.supply_volts and len(by_kind.get("source", [])) == 1:
            rec = b.lib[n.key]
            v0 = source_volts(rec)
            if v0 is None or rec.ratings.v_out_adjustable:
                volts = ctx.ident.supply_volts
        series, parallel = _cells(n, "series"), _cells(n, "parallel")
        sources.append(ctx.power.add_source(n.key, volts, n.why or "power source", series=series, parallel=parallel))

    made = []
    for n in _cell_protection(ctx, by_kind):
        if b.lib[n.key].safety.charger:
            rail = _charger(ctx, n, sources, feed_input=False)
        else:
            rail = _protector(ctx, n, sources)
        if rail is not None:
            sources.append(rail)  # the protected pack stands where the bare one stood
    # a board that only protects a cell goes on the cell first: a charger then charges through its output
    convs = sorted(by_kind.get("converter", []), key=lambda n: ({"charger": 0, "boost": 1, "buck-boost": 1, "buck": 2,
                                                                 "linear": 3}[converter_kind(b.lib[n.key])],
                                                                not _only_protects(b.lib[n.key])))
    for n in convs:
        rec = b.lib[n.key]
        kind = converter_kind(rec)
        if "current_source" in ctx.ident.topologies and regulates_current(rec):
            continue  # wired as the current source (agents/rules/current_source.py), not as a rail
        if _only_protects(rec):
            rail = _protector(ctx, n, sources)
            if rail is not None:
                sources.append(rail)  # the protected pack stands where the bare one stood
            continue
        if kind == "charger":
            made.append(_charger(ctx, n, sources))
            continue
        vout = _volts(n)
        stated = vout is not None
        if vout is None:
            vout = source_volts(rec) or 5.0
        live = [r for r in b.domain_rails() if r.kind in ("source", "regulator")]
        if kind == "boost":
            cands = [r for r in live if r.volts < vout]
            src = max(cands, key=lambda r: (r.kind == "regulator", r.volts)) if cands else None
        elif kind == "buck-boost":
            # any rail its input range takes, above or below the output: the highest source
            hi = rec.ratings.v_in_max or rec.supply.v_max or float("inf")
            cands = [r for r in live if (rec.supply.v_min or 0.0) - 1e-6 <= r.volts <= hi + 1e-6]
            src = max(cands, key=lambda r: (r.kind == "source", r.volts)) if cands else None
        else:
            cands = [r for r in live if r.volts > vout + (rec.ratings.dropout or 0.5)]
            src = max(cands, key=lambda r: r.volts) if cands else None
        if src is None:
            need_v = 3.7 if kind == "boost" else (12.0 if vout <= 9 else 24.0)
            if kind == "buck-boost":
                need_v = max(rec.supply.v_min or 0.0, 3.7)
            src = ctx.power.source_for(need_v, 1.0, f"input supply for the {kind} converter")
        # an adjustable regulator's feedback divider only for a voltage the request sets: guessed, its
        # feedback pin stays open and the check says what to set
        knob = None
        if not stated and feedback_pin(rec) is not None and "v_ref" in rec.spice.params:
            # no voltage given but a potentiometer in the design: it is the knob that sets the voltage
            knob = next((p for p in by_kind.get("pot", []) if p.qty == 1), None)
        made.append(ctx.power.add_converter(n.key, src, vout, f"({format_value(vout, 'V')} rail)", feedback=stated))
        if knob is not None and made[-1] is not None and src is not None:
            by_kind["pot"].remove(knob)
            _voltage_knob(ctx, made[-1].owner, rec, src, knob)

    boards: list[Board] = []
    board_needs = by_kind.get("board", [])
    count = sum(n.qty for n in board_needs)
    wireless = "wireless_link" in ctx.options and count > 1
    idx = 0
    for n in board_needs:
        for _ in range(n.qty):
            if wireless and idx > 0:
                b.domain = f"site{idx + 1}"
            pid = b.add(n.key, "controller" if count == 1 else f"controller {idx + 1}")
            bd = b.add_board(pid)
            feed = None if b.domain != "main" else _board_feed(ctx, bd, made, sources, _volts(n, "supply"))
            sentence = ctx.power.power_board(pid, feed)
            gnds = P.ground_pins(bd.rec)
            if gnds:
                if b.ground is None:
                    b.set_ground(f"{pid}:{gnds[0].name}")
                b.ground_part(pid, f"{pid} ground")
            stated_decoupling(b, pid)  # a bare chip's capacitors, one per supply pin its record names
            ctx.power.board_rails(pid)
            b.note(sentence + ".")
            boards.append(bd)
            idx += 1
    b.domain = "main"
    if wireless:
        b.note("The boards are separate circuits (each with its own supply); they talk by radio.")
    return boards


def _board_feed(ctx: PlanContext, bd: Board, made, sources, want: float | None = None):
    opts = ctx.options
    if "board_power:usb" in opts:
        return None
    if want is not None and (_accepts_input(bd, want) or _matches_5v_pin(bd, want)):
        # the voltage the request gives the board: a rail at it, else one made from the highest source
        b = ctx.b
        rail = b.find_rail(want - 0.26, want + 0.26, exclude_kinds=("board",))
        live = [r for r in list(made) + list(sources) if r is not None and r.domain == b.domain
                and abs(r.volts - want) > 0.5]
        if rail is None and live:
            # from the highest source above it (a buck or linear regulator), else up from below (a boost)
            above = [r for r in live if r.volts > want]
            src = max(above or live, key=lambda r: r.volts)
            rail = ctx.power.regulated(src, want, bd.rec.supply.current_max or 0.2, f"to power {bd.id}")
        if rail is not None:
            return rail
    if "board_power:barrel" in opts:
        cands = [r for r in sources if _accepts_input(bd, r.volts)]
        return cands[0] if cands else None
    # the lowest voltage the board accepts: least heat in its regulator, and a converter built to
    # lift a load's voltage stays the load's
    # through the board's supply input (Uno Vin); a board with no supply input (ESP32 DevKit: VIN is
    # its USB 5 V pin) takes a regulated 5 V there. A board that has a supply input is never back-fed
    # on its regulated 5V pin (that fights its regulator): it stays on USB and shares the ground.
    has_input = bool(supply_inputs(bd.rec))
    # a regulator the request names is there to power the board: it sits between the source and the
    # board (12 V -> LM7805 -> Nano 5V), never beside it while the board takes the raw source
    named = [r for r in made if r is not None and r.domain == ctx.b.domain and r.kind == "regulator"
             and not r.feeds and (_accepts_input(bd, r.volts) or _matches_5v_pin(bd, r.volts))]
    if named:
        return min(named, key=lambda r: r.volts)
    cands = [r for r in list(made) + list(sources)
             if r is not None and r.domain == ctx.b.domain
             and (_accepts_input(bd, r.volts) or (not has_input and _matches_5v_pin(bd, r.volts)))]
    if not cands:
        # a battery the request names and nothing converts: the board is what it is for, through a
        # regulator or converter (power_board picks one by ratings) when its voltage does not fit
        converted = {r.owner for r in made if r is not None}
        batteries = list(sources) + [r for r in made if r is not None and r.kind == "source"]  # a charger's output
        spare = [r for r in batteries if r.domain == ctx.b.domain and _is_battery(ctx, r.owner)
                 and not any(f in converted for f in r.feeds) and has_input and _can_supply(ctx, r, bd)]
        if not spare:
            # the source the request says the design runs from ("from a 24 V supply"), above what the board
            # takes: the board still runs from it, through a converter rated for it (power_board picks one)
            spare = [r for r in sources if r.domain == ctx.b.domain and _stated_source(ctx, r)
                     and not any(f in converted for f in r.feeds) and _can_supply(ctx, r, bd)]
        return spare[0] if spare else None
    return min(cands, key=lambda r: (r.volts, r.kind != "regulator"))


def _stated_source(ctx: PlanContext, rail) -> bool:
    """The rail is the source the request states the design runs from (its voltage, within 15 %)."""
    v = ctx.ident.supply_volts
    return bool(v) and rail.kind == "source" and abs(rail.volts - v) <= 0.15 * v


def _can_supply(ctx: PlanContext, src, bd: Board) -> bool:
    """Whether a source can deliver what the board draws (a CR2032 cannot run an Uno)."""
    rec = ctx.b.lib[ctx.b.plan.part(src.owner).type]
    limits = [x for x in [rec.ratings.i_out_max] + [p.i_max for p in P.power_out_pins(rec)] if x]
    need = (bd.rec.supply.current_typ or 0.05) * 5.0 / max(src.volts, 0.5)  # a converter's input draw
    return not limits or min(limits) >= need


def _accepts_input(bd: Board, volts: float) -> bool:
    for p in supply_inputs(bd.rec):
        lo = bd.rec.supply.v_min
        hi = bd.rec.supply.v_max or p.v_max
        if (lo is None or volts >= lo - 1e-6) and (hi is None or volts <= hi + 1e-6):
            return True
    return False


def _matches_5v_pin(bd: Board, volts: float) -> bool:
    for p in P.power_out_pins(bd.rec):
        v = p.v_out or P.volts_in_name(p.name)
        if v and abs(v - volts) < 0.26 and (p.i_max is None or p.i_max >= 0.1):
            return True
    return False


def _cells(n: Need, how: str) -> int:
    """Cells in series or in parallel in a source the requirements describe as a pack (attrs)."""
    try:
        return max(1, int(float(n.attrs.get(f"cells_{how}", 1))))
    except (TypeError, ValueError):
        return 1


def _voltage_knob(ctx: PlanContext, pid: str, rec, src, knob: Need) -> None:
    """An adjustable regulator set by a potentiometer (a bench supply's knob): R1 from its output to its
    feedback pin, the pot as a variable R2 from that pin to ground (wiper tied to its grounded end), sized
    so that turned fully up the output reaches what the input's headroom allows."""
    b = ctx.b
    fb, out = feedback_pin(rec), out_pin(rec)
    v_ref = rec.spice.params["v_ref"]
    r1 = feedback_top(v_ref)
    top_v = src.volts - (rec.ratings.dropout or 0.0)
    r2_max = r1 * max(top_v / v_ref - 1, 1.0)
    a1, a2 = P.two_terminals(b.lib["resistor"])
    rid = b.add("resistor", f"feedback divider top (R1) of {pid}", serves=pid)
    b.wire(f"{rid}:{a1}", f"{pid}:{out.name}", "power", f"R1 from {pid}'s output to its {fb.name} pin")
    b.wire(f"{rid}:{a2}", f"{pid}:{fb.name}", "signal", f"{pid}'s {fb.name} pin at the divider tap")
    b.value(rid, r1, "Ω", f"R1 = VREF / 5 mA = {format_value(v_ref, 'V')} / 5 mA → {format_value(r1, 'Ω')}",
            f"carries the minimum load current {pid} needs to regulate")
    vid = b.add(knob.key, f"voltage-set knob (variable R2) of {pid}", dict(knob.attrs), serves=pid)
    e1, w, e2 = pot_pins(b.lib[knob.key])
    b.wire(f"{vid}:{e1}", f"{pid}:{fb.name}", "signal", f"the knob from {pid}'s {fb.name} pin")
    b.wire(f"{vid}:{w}", f"{vid}:{e2}", "signal", "wiper tied to the grounded end: a variable resistor")
    b.to_ground(f"{vid}:{e2}", "the knob's grounded end")
    if not b.plan.part(vid).attrs.get("value"):
        value = nearest_e(r2_max, "E3", "up")
        b.value(vid, value, "Ω", f"VOUT = VREF × (1 + R2/R1): {format_value(v_ref, 'V')} at 0 Ω up to "
                f"{format_value(top_v, 'V')} (input minus dropout) at R2 = {format_value(r2_max, 'Ω')}",
                f"turns {pid}'s output from {format_value(v_ref, 'V')} up to what its input allows")


def _cell_protection(ctx: PlanContext, by_kind: dict[str, list[Need]]) -> list[Need]:
    """A bare lithium cell or pack (record: safety.cell, no cell_protection) never feeds the circuit
    directly: a protection board made for its voltage goes between, unless one is planned. One cell: a
    board that protects and charges it; cells in series: a board whose protected output is the pack's
    voltage (a multi-cell protection board; a one-cell charger would overcharge nothing and protect nothing)."""
    lib = ctx.b.lib
    planned = [n for n in by_kind.get("converter", []) + by_kind.get("source", [])
               if lib[n.key].safety.cell_protection and lib[n.key].safety.cell is None]
    bare = [n for n in by_kind.get("source", []) if lib[n.key].safety.cell in LITHIUM
            and not lib[n.key].safety.cell_protection]
    if not bare or planned:
        return []
    cell = lib[bare[0].key]
    series = _cells(bare[0], "series")
    why = f"protects the bare {cell.safety.cell} " + (f"pack of {series} cells in series" if series > 1 else "cell") \
        + " (over-discharge, overcurrent, short)"
    pack = (source_volts(cell) or 0.0) * series
    fits = [r for r in lib if r.safety.cell_protection and r.safety.cell is None and not r.safety.charger
            and (o := out_pin(r)) is not None and o.v_out is not None and abs(o.v_out - pack) <= 0.05 * pack]
    # one cell: a board that protects and charges it, unless a charger is planned already (one that does not
    # protect, a solar charger): then a board that only protects, made for one cell
    charging = any(lib[n.key].safety.charger for n in by_kind.get("converter", []))
    if series == 1 and not (charging and fits):
        found = most_preferred(r for r in lib if r.safety.cell_protection and r.safety.charger and r.safety.cell is None
                               and converter_kind(r) == "charger")
        key = found.key if found else None
        return [Need(phrase=PROTECTION, key=key, qty=1, role="supply", explicit=False, why=why)] if key else []
    if not fits:
        ctx.b.note(f"The {series}-cell {cell.safety.cell} pack ({format_value(pack, 'V')}) needs a {series}S protection "
                   "board between it and the circuit; the library has none: add one with `circuitsmith kb add`.")
        return []
    fits.sort(key=lambda r: (-(r.ratings.i_out_max or 0.0), preference(r)))
    return [Need(phrase=PROTECTION, key=fits[0].key, qty=1, role="supply", explicit=False, why=why)]


def _only_protects(rec) -> bool:
    """A cell protection board that does not charge (record: safety.cell_protection, no charger): it sits
    between the cell and everything else, and takes no charging input of its own."""
    return bool(rec.safety.cell_protection) and not rec.safety.charger and rec.safety.cell is None


def _protector(ctx: PlanContext, n: Need, sources):
    """A pack protection board: the pack on its power input (B+), the grounds joined, each tap lead to a
    junction between cells; its protected output (P+) becomes the rail in place of the bare pack."""
    b = ctx.b
    rec = b.lib[n.key]
    bat = next((r for r in sources if _is_battery(ctx, r.owner)), None)
    ins = P.power_in_pins(rec)
    out = out_pin(rec)
    if bat is None or not ins or out is None:
        return None
    pid = b.add(n.key, "battery pack protection")
    b.wire(f"{pid}:{ins[0].name}", bat.endpoint, "power", "pack + to the protection board's B+")
    bat.domain = "hidden"  # loads take the protected output, not the bare pack
    b.ground_part(pid, f"{pid} ground")
    _guard(b, pid, bat.owner)
    taps = [p.name for p in rec.pins if p.type == "passive"]
    if taps:
        b.note(f"{pid}: wire its tap leads ({', '.join(taps)}) to the junctions between the cells of "
               f"{bat.owner}, in order from the pack's -: the board watches each cell through them.")
    rail = b.add_rail(f"VPACK_{pid}", bat.volts, f"{pid}:{out.name}", rec.ratings.i_out_max or out.i_max, pid,
                      kind="source")
    b.note(f"{pid} protects {bat.owner} (over-discharge, overcurrent, short) and feeds the load from {out.name}.")
    return rail


def _guard(b, pid: str, cell_owner: str) -> None:
    """A part with a cell-side ground pin (record: ``cell_negative``, a protection board's B-) takes the
    cell's - there alone; the circuit's ground moves to the part's protected ground (P-)."""
    rec = b.rec(pid)
    neg, own = P.cell_negative_pin(rec), P.ground_pins(rec)
    cell = [f"{cell_owner}:{g.name}" for g in P.ground_pins(b.rec(cell_owner))]
    if neg is None or not own or not cell:
        return
    b.guard_ground(cell, f"{pid}:{own[0].name}", f"{pid}:{neg.name}",
                   f"{cell_owner}'s - to {pid}'s {neg.name} only: the protection switches the ground")


def _charging_source(ctx: PlanContext, rec, sources):
    """The design's non-battery source whose voltage the charger's input range takes (from its record), if any."""
    lo = rec.supply.v_min or 0.0
    hi = min(v for v in (rec.supply.v_max, *(p.v_max for p in P.power_in_pins(rec))) if v is not None) \
        if (rec.supply.v_max or any(p.v_max for p in P.power_in_pins(rec))) else None
    for r in sources:
        if r is None or r.kind != "source" or _is_battery(ctx, r.owner) or r.domain != ctx.b.domain:
            continue
        if lo - 1e-6 <= r.volts and (hi is None or r.volts <= hi + 1e-6):
            return r
    return None


def _charger(ctx: PlanContext, n: Need, sources, feed_input: bool = True):
    """A Li-ion charger: battery on its BAT pins, 5 V on its input, its load output becomes the rail. Added
    only to protect a bare cell (``feed_input`` False), its charging input is left to its own USB jack."""
    b = ctx.b
    rec = b.lib[n.key]
    pid = b.add(n.key, "battery charger and protection")
    # a protected cell is charged through its protection board's output (P+), so the over-charge cut-off
    # guards the charger too; else the cell itself
    bat = next((r for r in sources if _is_battery(ctx, r.owner) and r.domain != "hidden"), None) or \
        next((r for r in sources if _is_battery(ctx, r.owner)), None)
    # (the cell's pins by name or by an alias the record gives them: "B+" of a bare charger is its BAT+)
    bat_pins = [p for p in rec.pins if any("BAT" in n.upper() for n in (p.name, *p.aliases))]
    bat_plus = next((p for p in bat_pins if "+" in p.name or p.type != "ground"), None)
    if bat is not None and bat_plus is not None:
        b.wire(f"{pid}:{bat_plus.name}", bat.endpoint, "power", "battery to the charger's BAT+")
        bat.domain = "hidden"  # loads take the protected output, not the bare cell
    b.ground_part(pid, f"{pid} ground")
    if bat is not None and bat_plus is not None:
        _guard(b, pid, bat.owner)
    for p in rec.pins:
        if p.type == "passive" and p in bat_pins and p is not bat_plus:
            b.to_ground(f"{pid}:{p.name}", "battery negative")
    ins = [p for p in P.power_in_pins(rec)]
    feeder = _charging_source(ctx, rec, sources) if ins and feed_input else None
    if feeder is not None:
        # a source the request names that the charger's input takes (a solar panel on a solar charger) is
        # its charging input; the circuit runs from the battery side, not from the source itself
        owner = b.lib[b.plan.part(feeder.owner).type] if b.plan.part(feeder.owner) else None
        steady = owner is None or owner.source_kind not in (None, *INTERMITTENT)
        # a source that is not a steady supply (a panel) gives the charger what it has, and loads take the
        # battery side; an adapter or USB port also stays a rail for the rest of the circuit
        amps = 1.0 if steady or feeder.budget is None else min(1.0, feeder.budget)
        b.power(f"{pid}:{ins[0].name}", feeder, amps, f"charging input from {feeder.owner}")
        if not steady:
            feeder.domain = "hidden"
    elif ins and (feed_input or not rec.flags.onboard_power_connector):
        # a charger with its own USB jack charges from it unless the design has a 5 V rail anyway: the
        # battery is the circuit's source, not a wall adapter added for the charger
        five = b.find_rail(4.75, 5.25) or (None if rec.flags.onboard_power_connector else
                                           ctx.power.source_for(5.0, 1.0, "5 V charging input (USB adapter)"))
        if five is not None:
            b.power(f"{pid}:{ins[0].name}", five, 1.0, "charging input")
    out = out_pin(rec)
    v = bat.volts if bat is not None else (rec.ratings.v_out or 3.7)
    if out is None:
        return bat
    rail = b.add_rail(f"VBAT_{pid}", v, f"{pid}:{out.name}", rec.ratings.i_out_max or (out.i_max if out else None),
                      pid, kind="source")
    guard = " (protected against over-discharge)" if rec.safety.cell_protection else ""
    b.note(f"{pid} charges the battery and feeds the load from {out.name}{guard}.")
    return rail
