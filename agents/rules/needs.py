"""From :class:`Requirements` to the parts list the planner lays out, by record data only.

No request text is read here. Named parts are kept as named (never swapped for another part
number, except a self-oscillating sounder when tones are asked for); each needed capability no
named part provides gets the record that provides it best (the one the request's words matched,
within the ratings the request states); sensing needs are covered by as few sensors as the records
allow; the stated source powers the circuit; drivers bring the motors they drive; the board is the
one named, else one that provides what the needs ask for, else none when the request rules a
controller out; then the parts beginners forget (:mod:`agents.rules.companions`).
"""

from __future__ import annotations

from agents.models import Identification, Need
from agents.rules.board_choice import choose_board
from agents.rules.companions import companions
from circuit.current_reading import MEASURED_A, carries_current
from agents.rules.display_expander import display_expanders
from agents.rules.comparator_stage import COMPARE
from agents.rules.kinds import is_motor, is_stepper, kind_of
from agents.rules.motor_drivers import driver_outputs, drives_dc, drives_steppers
from agents.rules.power_needs import power_needs
from agents.rules.power_setup import INTERMITTENT
from agents.rules.rated_choice import rated_for, stated_loads
from agents.rules.power_tree import charges, converter_kind, is_converter, is_source, is_supply_unit, need_role, \
    source_volts
from agents.rules.sounders import tone_sounder_for
from agents.rules.timer_astable import is_555
from agents.understand.requirements import NeededFunction, Requirements
from circuit.hazard import SELV_AC_V, is_mains_load, isolated_contacts
from knowledge.capabilities import capability_index, providers
from knowledge.library import Library
from knowledge.preference import commonness_rank, most_preferred, preference
from knowledge.record import ComponentRecord

RADIO_LONG_RANGE_M = 30.0  # beyond this a 2.4 GHz module gets unreliable and a long-range radio is chosen
BOARD_FEATURES = ("wifi", "bluetooth")
SWITCH_BLOCKS = {"transistor_switch", "light_sensor_switch", "timer_astable", "comparator"}


def identification_from(req: Requirements, lib: Library) -> Identification:
    ident = Identification(topologies=list(req.analog_blocks), notes=list(req.notes))
    ident.notes += [f"option:{p}" for p in req.preferences]
    c = req.constraints
    ident.supply_volts = c.source.total_volts if c.source and c.source.volts is not None else None
    ident.load_volts = c.load_volts
    ident.numbers = {k: v for k, v in c.targets.items() if k in ("cutoff_hz", "gain", "vout", "threshold_v",
                                                                    "frequency_hz", "duration_s", "split_supply_v",
                                                                    "current_a", "measured_v", "measured_a")}
    needs: list[Need] = []
    for p in req.named_parts:
        if p.key not in lib or p.key in c.forbidden:
            continue
        attrs = dict(p.attrs)
        if c.source is not None and c.source.key == p.key and c.source.cells_series * c.source.cells_parallel > 1:
            # the stated cells make one pack: in series they add their voltages, in parallel their currents
            attrs.update({"cells_series": c.source.cells_series, "cells_parallel": c.source.cells_parallel})
        needs.append(Need(phrase=p.words or p.key, key=p.key, qty=p.count, role=need_role(lib[p.key]), explicit=True,
                          attrs=attrs))
    for u in req.unknown:
        needs.append(Need(phrase=u.words, key=None, qty=u.count, role="part", explicit=True, why="named in the request"))

    wants = {n.capability for n in req.needs}
    board_features = [f for f in BOARD_FEATURES if f in wants]
    for f in board_features:
        ident.notes.append(f"option:{f}")
    _parts_for_needs(req, lib, needs, skip=set(board_features) if not any(
        n.key and lib[n.key].is_mcu for n in needs) else set())

    if "tones" in req.preferences or "play-tones" in wants:
        for n in needs:
            if n.key:
                n.key = tone_sounder_for(lib, n.key) or n.key

    _motors_for_drivers(lib, needs)
    _drivers_for_motors(lib, needs)
    _storage_for_intermittent(req, lib, needs)
    _cells_for_chargers(req, lib, needs)
    _chargers_take_their_own_supply(lib, needs)
    _relay_for_mains_loads(req, lib, needs)
    _boards_and_links(req, lib, needs, ident)
    power_needs(req, lib, needs, ident)

    if "transistor_switch" in ident.topologies and any(n.key and lib[n.key].category == "sensor" for n in needs):
        ident.topologies = ["light_sensor_switch" if t == "transistor_switch" else t for t in ident.topologies]
    if any(n.key and n.explicit and any(cap.capability == COMPARE for cap in lib[n.key].provides) for n in needs) \
            and "comparator" not in ident.topologies:
        ident.topologies.append("comparator")  # a named comparator compares: that is its stage
    if "comparator" in ident.topologies:
        # one chip compares; an op-amp named with it is the comparator, not a gain stage
        ident.topologies = [t for t in ident.topologies if not t.startswith("opamp_")]
        ident.topologies = [t for t in ident.topologies if t not in ("transistor_switch", "light_sensor_switch")]
    if any(n.key and lib[n.key].spice.kind == "opamp" for n in needs) and not any(
            t.startswith("opamp_") or t == "comparator" for t in ident.topologies):
        # a named op-amp is a gain stage (its inputs float otherwise): non-inverting unless stated
        ident.topologies.append("opamp_noninverting")
    if "rc_debounce" in ident.topologies and not any(n.key and any(
            cap.capability == "debounce-signal" for cap in lib[n.key].provides) for n in needs):
        ident.topologies.remove("rc_debounce")  # without a Schmitt part the controller debounces in software
    if c.no_controller and c.targets.get("frequency_hz") and not any(n.key and is_555(lib[n.key]) for n in needs):
        # something that repeats at a stated rate with no controller: a timer provides it
        key = next((k for k in providers(lib, "timing") if is_555(lib[k]) and k not in c.forbidden), None)
        if key:
            needs.append(Need(phrase="timer", key=key, qty=1, role="part", explicit=False,
                              why=f"repeats at {c.targets['frequency_hz']:g} Hz with no controller"))
    if c.no_controller and any(n.key and lib[n.key].requires.signal_drive for n in needs) \
            and not any(n.key and is_555(lib[n.key]) for n in needs):
        # a load that sounds only on a square wave (record: signal_drive), with no controller to make one:
        # a timer's astable oscillator drives it
        key = next((k for k in providers(lib, "timing") if is_555(lib[k]) and k not in c.forbidden), None)
        if key:
            needs.append(Need(phrase="oscillator", key=key, qty=1, role="part", explicit=False,
                              why="drives a load that needs a square wave, with no controller"))
    ident.behaviour = req.timing[0].behaviour if req.timing else None
    if c.no_controller:
        _timer_for_timing(req, lib, needs, ident, c.forbidden)
    _timer_stage(lib, needs, ident)  # a timer named or added: its stage, before the board is chosen

    if c.no_controller and not set(ident.topologies) & SWITCH_BLOCKS:
        # no controller: a sensor that switches a light does it through a transistor
        kinds = {kind_of(lib[n.key]) for n in needs if n.key}
        if (kinds & {"resistive_sensor", "module"} and "led" in kinds) or \
                ("resistive_sensor" in kinds and "load" in kinds):
            ident.topologies.append("light_sensor_switch")
            ident.notes.append("no controller: the sensor switches the LEDs through a transistor")
        elif {"pot", "transistor", "led"} <= kinds:
            ident.topologies.append("transistor_switch")
            ident.notes.append("no controller: the knob drives the transistor that switches the LEDs")
    ident.needs = needs
    if c.no_controller:
        ident.needs = [n for n in ident.needs if not (n.key and lib[n.key].is_mcu)]
        ident.board = None
    else:
        ident.board = choose_board(lib, ident, wants_controller=c.wants_controller)
    if ident.board is None and not c.no_controller:
        # nothing else asked for a controller ("a red LED that flashes, on a 9 V battery"): what is timed is
        # timed by a timer chip, as with no controller allowed
        _timer_for_timing(req, lib, ident.needs, ident, c.forbidden)
    if ident.board is None and not set(ident.topologies) & SWITCH_BLOCKS:
        _dark_switch_for_sunlit_lights(lib, ident)
    ident.needs += display_expanders(lib, ident, set(c.forbidden))  # a display with more lines than the board has
    merged = _merge(ident.needs)
    ident.needs = merged + companions(lib, ident)
    return ident


def _dark_switch_for_sunlit_lights(lib: Library, ident: Identification) -> None:
    """Lights whose only energy comes from a source that comes and goes with the light (record ``source_kind``:
    solar), stored in a cell, with no controller and nothing else to switch them: they are for when that light
    is gone, so a light sensor switches them on in the dark (``light_sensor_switch``, dark-activated)."""
    recs = [lib[n.key] for n in ident.needs if n.key]
    srcs = [r for r in recs if is_source(r)]
    if not any(r.source_kind in INTERMITTENT for r in srcs) or not any(_cell(r) for r in srcs):
        return
    kinds = {kind_of(r) for r in recs}
    if "led" not in kinds or not kinds <= {"led", "source", "converter", "passive", "diode"}:
        return  # something else is driven, or something (a sensor, a switch) already decides
    key = next((k for k in providers(lib, "sense-light") if kind_of(lib[k]) == "resistive_sensor"), None)
    if key is None:
        return
    ident.needs.append(Need(phrase="light sensor", key=key, qty=1, role="part", explicit=False,
                            why="switches the sun-charged lights on when it gets dark"))
    ident.topologies.append("light_sensor_switch")
    ident.notes.append("no controller: the lights run from the cell the sun charges, switched on in the dark by a "
                       "light sensor through a transistor")


# ---- needs -> parts ----------------------------------------------------------------------------
def _parts_for_needs(req: Requirements, lib: Library, needs: list[Need], skip: set[str]) -> None:
    have: set[str] = set()
    for n in needs:
        if n.key:
            have |= {c.capability for c in lib[n.key].provides}
    # what an output does in time (records describe it as a ``behaviour``) is a controller's firmware where
    # there may be one: a part for it only where the request rules a controller out
    timed = {c.capability for r in lib for c in r.provides if c.behaviour} if not req.constraints.no_controller else set()
    todo = [n for n in req.needs if n.capability not in have and n.capability not in skip and n.capability not in timed]
    # sensing: as few sensors as cover the quantities asked for (one BME280 for temperature,
    # humidity and pressure)
    sense = [n for n in todo if _direction(lib, n.capability) == "sense"]
    rest = [n for n in todo if n not in sense]
    while sense:
        best = None
        for rec in lib:
            if rec.key in req.constraints.forbidden:
                continue
            caps = {c.capability for c in rec.provides}
            cover = [n for n in sense if n.capability in caps]
            if not cover:
                continue
            amps = max((n.target.get(MEASURED_A) or 0.0 for n in cover), default=0.0)
            if amps and not carries_current(rec, amps):
                continue  # a current measured up to what its path is not rated for
            # among sensors that cover as much, one whose output an input can use as it is (not a bare capsule's
            # millivolts: record ``requires.small_signal``), and with no controller not one whose only output is
            # an analog voltage (nothing would compare it: a threshold output, a digital_out pin, switches by
            # itself, and a two-lead sensor sits in a divider); then with as few pins, the most common
            # (knowledge/preference.py)
            usable = not rec.requires.small_signal
            switches = not req.constraints.no_controller or any(p.type == "digital_out" for p in rec.pins) \
                or not any(p.type == "analog_out" for p in rec.pins)
            score = (len(cover), usable, switches, sum(1 for n in cover if _matched(n, rec)), -len(rec.pins),
                     -commonness_rank(rec))
            if best is None or score > best[0]:
                best = (score, rec, cover)
        if best is None:
            break
        _, rec, cover = best
        needs.append(Need(phrase=" and ".join(n.words for n in cover), key=rec.key, qty=max(n.count for n in cover),
                          role=need_role(rec), explicit=False, why="provides " + ", ".join(n.capability for n in cover)))
        sense = [n for n in sense if n not in cover]
    for n in rest:
        capability = n.capability
        if capability == "short-range-radio" and req.constraints.targets.get("distance_m", 0) > RADIO_LONG_RANGE_M:
            capability = "long-range-radio"
        key = _pick_provider(req, lib, n, capability)
        if key is None or any(m.key == key for m in needs):
            continue
        attrs: dict = {}
        if lib[key].category == "power" and n.target.get("volts") and (not lib[key].ratings.v_out
                                                                       or lib[key].ratings.v_out_adjustable):
            attrs = {"voltage": f"{n.target['volts']:g} V"}  # an adjustable converter set to the output asked for
        qty = n.count
        if _direction(lib, capability) == "communicate" and "radio" in capability:
            boards = sum(m.qty for m in needs if m.key and lib[m.key].is_mcu)
            qty = max(qty, boards, 2 if boards >= 2 else 1)
        needs.append(Need(phrase=n.words or capability, key=key, qty=qty, role=need_role(lib[key]), explicit=False,
                          attrs=attrs, why=f"provides {capability}" + (f" (asked: '{n.words}')" if n.words else "")))


def _pick_provider(req: Requirements, lib: Library, need: NeededFunction, capability: str) -> str | None:
    cands = [lib[k] for k in providers(lib, capability) if k not in req.constraints.forbidden]
    if not cands:
        return None
    if _direction(lib, capability) == "act":
        # a part that carries a load's current (a driver, a switch) rated for what the request says it draws:
        # a rating is a must, the words' closeness a preference among the parts that have it
        cands = rated_for(cands, stated_loads(req, lib))
    cands = _closest_to_words(lib, cands, capability, need.words)
    src = req.constraints.source.total_volts if req.constraints.source else None
    if src:
        # a converter fed from the stated source must take its voltage (a boost that needs 5 V in cannot
        # start from one lithium cell)
        fed = [r for r in cands if (r.supply.v_min or 0.0) <= src <= (r.supply.v_max or r.ratings.v_in_max or src)]
        cands = fed or cands
    load_v = need.target.get("volts")
    if load_v:
        # a load the request gives a voltage ("a 120 V fan") is served by a part rated for it; a mains-level
        # load no record takes is left to the path that voltage takes (a switched outlet), a low-voltage one
        # keeps the closest part and the ERC's supply-range check says what to change
        rated_loads = [r for r in cands if r.category == "driver" or _load_supply_max(r) is None
                       or _load_supply_max(r) >= load_v]
        if not rated_loads and load_v > SELV_AC_V:
            return None
        cands = rated_loads or cands
    volts = req.constraints.load_volts or (req.constraints.source.total_volts if req.constraints.source else None)
    if volts and any(_motor_supply_max(r) for r in cands):
        # the supply pin's rating is an absolute maximum, not an operating point: the motor supply stays below it
        rated = [r for r in cands if (_motor_supply_max(r) or 0) > volts + 1e-6]
        cands = rated or cands
    # a module with its own driver (a relay board, a MOSFET module) before a bare part that needs one,
    # then the most common part that does the job (knowledge/preference.py), then the smallest: fewest pins,
    # then the lowest output rating
    cands.sort(key=lambda r: (not (r.flags.protected_driver or r.flags.onboard_regulator or r.category == "driver"),
                              commonness_rank(r), len(r.pins), r.ratings.i_out_max or 0.0, preference(r)))
    return cands[0].key


WORDS_TIE = 0.05  # providers whose descriptions match the asking words within this of the best are all fine


def _closest_to_words(lib: Library, cands: list[ComponentRecord], capability: str, words: str) -> list[ComponentRecord]:
    """The providers whose own descriptions of the capability match the words that asked for it (a
    charger "from USB", not one "from a solar panel"); all of them when the words do not tell them apart."""
    if len(cands) < 2 or not words:
        return cands
    try:
        index = capability_index(lib)
        row = index.embed([words])[0] @ index.vectors.T
    except Exception:  # no embedding model here: every provider stays
        return cands
    best: dict[str, float] = {}
    for e, score in zip(index.entries, row):
        if e.capability == capability and e.end is None:  # (descriptions of one end are for its direction)
            best[e.key] = max(best.get(e.key, -1.0), float(score))
    top = max((best.get(r.key, -1.0) for r in cands), default=-1.0)
    return [r for r in cands if best.get(r.key, -1.0) >= top - WORDS_TIE] or cands


def _matched(need: NeededFunction, rec: ComponentRecord) -> bool:
    return any(c.capability == need.capability for c in rec.provides) and bool(need.words)


def _direction(lib: Library, capability: str) -> str | None:
    for r in lib:
        for c in r.provides:
            if c.capability == capability:
                return c.direction
    return None


def _load_supply_max(rec: ComponentRecord) -> float | None:
    """The highest supply a load takes: its record's supply range, else its supply pins' ratings."""
    if rec.supply.v_max:
        return rec.supply.v_max
    vs = [p.v_max for p in rec.pins if p.type == "power_in" and p.v_max]
    return max(vs) if vs else None


def _motor_supply_max(rec: ComponentRecord) -> float | None:
    """The highest supply a driver's power stage takes (its load supply pin's rating)."""
    if rec.category != "driver":
        return None
    vs = [p.v_max for p in rec.pins if p.type == "power_in" and p.v_max]
    return max(vs) if vs else rec.supply.v_max


def _motors_for_drivers(lib: Library, needs: list[Need]) -> None:
    drivers = [n for n in needs if n.key and lib[n.key].category == "driver" and driver_outputs(lib[n.key])]
    if not drivers or any(n.key and (is_motor(lib[n.key]) or is_stepper(lib[n.key])) for n in needs):
        return
    for d in drivers:
        rec = lib[d.key]
        stepper = drives_steppers(rec) and not drives_dc(rec)
        cands = [r for r in lib if (is_stepper(r) if stepper else (is_motor(r) and not is_stepper(r)))
                 and not r.provides == []]
        if not cands:
            continue
        cands.sort(key=lambda r: (r.category != "actuator", commonness_rank(r), len(r.aliases) * -1, preference(r)))
        if stepper:
            qty = d.qty
        else:
            qty = d.qty * max(1, len(driver_outputs(rec)) // 2)
        needs.append(Need(phrase="stepper motor" if stepper else "dc motor", key=cands[0].key, qty=qty, role="part",
                          explicit=False, why=f"the {d.phrase} drives it"))


def _drivers_for_motors(lib: Library, needs: list[Need]) -> None:
    """A driver the planner chose (not named) comes as many times as the motors need: each DC motor takes two of
    its outputs (record: the pins with the ``motor`` function), so a one-bridge driver serves one motor and a
    dual bridge two."""
    motors = sum(n.qty for n in needs if n.key and is_motor(lib[n.key]) and not is_stepper(lib[n.key]))
    for d in needs:
        rec = lib[d.key] if d.key else None
        if rec is None or d.explicit or rec.category != "driver" or not drives_dc(rec):
            continue
        per = len(driver_outputs(rec)) // 2
        if per and motors:
            # as many as the motors fill, no more: a need counted by its motors ("two dc motors" asks for
            # speed and direction twice) is one dual bridge, not two
            d.qty = -(-motors // per)


def _relay_for_mains_loads(req: Requirements, lib: Library, needs: list[Need]) -> None:
    """A mains load (an outlet, a lamp on the wall) is switched through contacts isolated from their coil:
    with none asked for, the most common record that has them."""

    loads = [n for n in needs if n.key and is_mains_load(lib[n.key])]
    if not loads or any(n.key and isolated_contacts(lib[n.key]) for n in needs):
        return
    rec = most_preferred(r for r in lib if isolated_contacts(r) and r.key not in req.constraints.forbidden)
    if rec is not None:
        needs.append(Need(phrase="relay", key=rec.key, qty=1, role=need_role(rec), explicit=False,
                          why=f"switches {loads[0].phrase} with contacts isolated from its coil"))


def _cells_for_chargers(req: Requirements, lib: Library, needs: list[Need]) -> None:
    """A charger charges a cell: with none stated, the rechargeable cell its charge voltage suits (the
    largest capacity whose nominal voltage is within 80-100 % of the charge voltage)."""

    def battery(r: ComponentRecord) -> bool:
        return is_source(r) and bool(r.ratings.capacity_ah)

    if any(n.key and battery(lib[n.key]) for n in needs) or (req.constraints.source and req.constraints.source.key):
        return
    for n in [n for n in needs if n.key and is_converter(lib[n.key]) and converter_kind(lib[n.key]) == "charger"]:
        cells = [r for r in lib if battery(r) and charges(lib[n.key], r) and r.key not in req.constraints.forbidden]
        if cells:
            cell = max(cells, key=lambda r: (r.ratings.capacity_ah, r.key))
            needs.append(Need(phrase="rechargeable cell", key=cell.key, qty=1, role=need_role(cell), explicit=False,
                              why=f"the cell {n.phrase} charges"))
            return


def _storage_for_intermittent(req: Requirements, lib: Library, needs: list[Need]) -> None:
    """A source whose output comes and goes (record ``source_kind``: a solar panel) as the design's only source
    cannot run its loads when it is gone (a garden light at night): it charges a cell that runs them. The
    charger is one whose input range takes the source's voltage (record ``supply``), the cell one it charges
    (the largest capacity); either one the request already has is kept."""
    srcs = [lib[n.key] for n in needs if n.key and is_source(lib[n.key])]
    if not srcs or any(r.source_kind not in INTERMITTENT for r in srcs):
        return  # no intermittent source, or a battery or a supply unit beside it
    if not any(n.key and not is_source(lib[n.key]) and lib[n.key].category != "power" for n in needs):
        return  # nothing to run
    v = max((source_volts(r) or 0.0) for r in srcs)
    forbidden = req.constraints.forbidden
    charger = next((lib[n.key] for n in needs if n.key and is_converter(lib[n.key]) and lib[n.key].safety.charger),
                   None)
    if charger is None:
        fits = [r for r in lib if is_converter(r) and converter_kind(r) == "charger" and r.safety.charger
                and r.key not in forbidden and (r.supply.v_min or 0) <= v <= (r.supply.v_max or 0)
                and any(_cell(c) and charges(r, c) for c in lib)]
        if not fits:
            return
        charger = min(fits, key=lambda r: (commonness_rank(r), preference(r)))
        needs.append(Need(phrase="charger", key=charger.key, qty=1, role=need_role(charger), explicit=False,
                          why=f"charges a cell from the {srcs[0].name}, whose output comes and goes"))
    if not any(n.key and _cell(lib[n.key]) for n in needs):
        cells = [c for c in lib if _cell(c) and charges(charger, c) and c.key not in forbidden]
        if cells:
            cell = max(cells, key=lambda r: (r.ratings.capacity_ah, r.key))
            needs.append(Need(phrase="rechargeable cell", key=cell.key, qty=1, role=need_role(cell), explicit=False,
                              why=f"stores the {srcs[0].name}'s charge for when it gives none"))


def _cell(r: ComponentRecord) -> bool:
    return is_source(r) and bool(r.ratings.capacity_ah)


def _chargers_take_their_own_supply(lib: Library, needs: list[Need]) -> None:
    """A supply read from the request's words (not named), steady and at a voltage a needed charger takes, is
    that charger's input: a charger with a socket of its own (record: onboard_power_connector) is plugged
    into it there ("recharge it from a USB port"), so no supply part is added for it."""
    chargers = [lib[n.key] for n in needs if n.key and is_converter(lib[n.key]) and converter_kind(lib[n.key]) == "charger"
                and lib[n.key].flags.onboard_power_connector]
    if not chargers:
        return

    def taken(r: ComponentRecord) -> bool:
        v = source_volts(r)
        return is_supply_unit(r) and v is not None and any(
            (c.supply.v_min is None or v >= c.supply.v_min - 1e-6) and (c.supply.v_max is None or v <= c.supply.v_max + 1e-6)
            for c in chargers)

    needs[:] = [n for n in needs if n.explicit or not n.key or not is_source(lib[n.key]) or not taken(lib[n.key])]


def _boards_and_links(req: Requirements, lib: Library, needs: list[Need], ident: Identification) -> None:
    boards = [n for n in needs if n.key and lib[n.key].is_mcu]
    count = sum(n.qty for n in boards)
    radios = [n for n in needs if n.key and lib[n.key].category == "communication"
              and any("radio" in c.capability for c in lib[n.key].provides)]
    if count >= 2:
        if radios:
            ident.notes.append("option:wireless_link")
            for r in radios:
                r.qty = max(r.qty, count)


def _timer_for_timing(req: Requirements, lib: Library, needs: list[Need], ident: Identification,
                      forbidden) -> None:
    """An output that blinks, alternates or is timed, with no controller to time it: a part whose record makes
    that behaviour, and whose timing network the planner builds (the 555's pins)."""
    if req.timing and not any(n.key and is_555(lib[n.key]) for n in needs):
        t = req.timing[0]
        key = next((r.key for r in lib if r.key not in forbidden and is_555(r)
                    and any(cap.behaviour == t.behaviour for cap in r.provides)), None)
        if key:
            needs.append(Need(phrase=t.words or "timer", key=key, qty=1, role="part", explicit=False,
                              why=f"{t.behaviour} with no controller ('{t.words}')"))
    _timer_stage(lib, needs, ident)


def _timer_stage(lib: Library, needs: list[Need], ident: Identification) -> None:
    """A 555 among the needs with no controller beside it runs as its own stage (``timer_astable``)."""
    if any(n.key and is_555(lib[n.key]) for n in needs) and not any(
            n.key and lib[n.key].is_mcu for n in needs) and "timer_astable" not in ident.topologies:
        ident.topologies.append("timer_astable")


def _merge(needs: list[Need]) -> list[Need]:
    """One need per key (explicit wins, quantities: the larger)."""
    out: list[Need] = []
    by_key: dict[str, Need] = {}
    for n in needs:
        if n.key is None:
            if not any(o.key is None and o.phrase == n.phrase for o in out):
                out.append(n)
            continue
        prev = by_key.get(n.key)
        if prev is None:
            by_key[n.key] = n
            out.append(n)
            continue
        prev.qty = max(prev.qty, n.qty)
        prev.explicit = prev.explicit or n.explicit
        prev.attrs.update(n.attrs)
    return out
