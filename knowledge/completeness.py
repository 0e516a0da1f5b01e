"""The fields each kind of record must carry (issue 18: one standard for every record).

``ComponentRecord`` validates what a record says; this module checks what it leaves out. A part's
kind is read from its data (its SPICE kind, its category, whether it takes a supply), and each kind
needs the facts the gates reason from:

- every record: a description, aliases, pins, a cited source and, unless it is a generic passive or
  a mains source or terminal, what it ``provides`` (a supply or converter always: anything with a
  ``power_out`` pin, mains-fed or not);
- a part that takes a supply (a ``power_in`` pin, and not a load, cell or switch): the supply range,
  a peak current (``supply.current_max`` or ``requires.peak_current``; a regulator's is its output rating) and a voltage limit on every
  input pin;
- a microcontroller: its logic level and a voltage and current limit on every GPIO;
- a BJT / MOSFET / diode / LED / zener: a model card and the ratings the gates compare against;
- an op-amp: its SPICE figures and input common-mode range; a regulator: output voltage (or
  adjustable), output current and input maximum; any power part that makes an output from an input
  (unless it is a charger or a cell-protection board): how it converts (``conversion``); a cell or source: its nominal (or output) voltage; a load: its rated
  voltage and current;
- every companion: the value the fixer adds;
- every link: how it travels (``medium``) and, through the air, whether it needs a line of sight; a sensor with a
  typed reach: whether it needs one; a transistor or linear regulator rated for 1 A or more: its free-air thermal
  resistance and highest junction temperature (what it sheds without a heatsink); a switching converter module: the
  current it carries with no heatsink added.

    python -m knowledge.completeness      # one line per record with gaps, then "N missing"
"""

from __future__ import annotations

import argparse
import sys
from typing import Iterable

from knowledge.library import BUILTIN_DIR, Library
from knowledge.record import ComponentRecord

_UNSUPPLIED_KINDS = {"load", "battery", "switch", "resistor", "capacitor", "inductor", "potentiometer",
                     "diode", "led", "zener", "npn", "pnp", "nmos", "pmos"}
_INPUT_TYPES = ("digital_in", "digital_io", "analog_in")


def kind_of(rec: ComponentRecord) -> str:
    """The kind whose standard the record is held to."""
    k = rec.spice.kind
    if rec.is_mcu:
        return "microcontroller"
    if k in ("npn", "pnp"):
        return "bjt"
    if k in ("nmos", "pmos"):
        return "mosfet"
    if k in ("diode", "zener", "led", "opamp", "regulator", "battery", "load"):
        return k
    if rec.category == "passive" or k in ("resistor", "capacitor", "inductor", "potentiometer", "switch"):
        return "passive"
    if rec.pins_of_type("power_in"):
        return "supplied"
    return "other"


def _is_mains_source(rec: ComponentRecord) -> bool:
    """The wall itself or a mains terminal (an inlet, an outlet): it provides no function of its own. A part
    with mains pins that makes a supply (an AC-DC module, an enclosed power supply: a ``power_out`` pin) is
    not: it says what it provides like any other supply."""
    if rec.pins_of_type("power_out"):
        return False
    return rec.safety.mains_source or any(
        f in ("mains_live", "mains_neutral") for p in rec.pins for f in p.functions)


def missing_fields(rec: ComponentRecord) -> list[str]:
    """The fields ``rec`` lacks for its kind (empty when complete)."""
    out: list[str] = []
    if not rec.description.strip():
        out.append("description")
    if not rec.aliases:
        out.append("aliases")
    if len(rec.source.strip()) < 10:
        out.append("source (name the datasheet)")
    if not rec.pins:
        out.append("pins")
    kind = kind_of(rec)
    if not rec.provides and kind != "passive" and not _is_mains_source(rec):
        out.append("provides")
    r, s = rec.ratings, rec.supply
    supplied = bool(rec.pins_of_type("power_in")) and rec.spice.kind not in _UNSUPPLIED_KINDS
    if supplied:
        if s.v_min is None or s.v_max is None:
            out.append("supply.v_min/v_max")
        if s.current_max is None and rec.requires.peak_current is None and rec.spice.kind != "regulator":
            out.append("supply.current_max or requires.peak_current")
        for p in rec.pins_of_type(*_INPUT_TYPES):
            if p.v_max is None:
                out.append(f"pins[{p.name}].v_max")
    if kind == "microcontroller":
        if s.logic_level is None:
            out.append("supply.logic_level")
        for p in rec.pins_with("gpio"):
            if p.v_max is None or p.i_max is None:
                out.append(f"pins[{p.name}].v_max/i_max")
    need: dict[str, tuple[str, ...]] = {
        "bjt": ("vce_max", "ic_max", "hfe"),
        "mosfet": ("vds_max", "id_max", "vgs_th", "rds_on"),
        "diode": ("vr_max", "if_max"),
        "zener": ("vz",),
        "led": ("vf", "if_max"),
        "regulator": ("i_out_max", "v_in_max"),
    }
    for field in need.get(kind, ()):
        if getattr(r, field) is None:
            out.append(f"ratings.{field}")
    if kind in ("bjt", "mosfet", "diode", "zener", "led"):
        if not rec.spice.model:
            out.append("spice.model")
        if not rec.spice.terminals:
            out.append("spice.terminals")
    if kind == "battery" and r.v_nominal is None and r.v_out is None:
        out.append("ratings.v_nominal (or v_out)")
    if kind == "regulator" and r.v_out is None and not r.v_out_adjustable:
        out.append("ratings.v_out (or v_out_adjustable)")
    if rec.category == "power" and rec.pins_of_type("power_in") and rec.pins_of_type("power_out") \
            and rec.conversion is None and not (rec.safety.charger or rec.safety.cell_protection):
        out.append("conversion (linear, buck, boost or buck-boost)")
    if kind == "regulator" and r.v_out_adjustable and not rec.pins_of_type("ground"):
        fb = [p for p in rec.pins if "vref" in p.functions]
        if not fb:
            out.append("a pin with the vref function (the feedback pin an adjustable regulator holds its output above)")
        if "v_ref" not in rec.spice.params:
            out.append("spice.params.v_ref (the reference the feedback divider is sized from)")
        out += [f"requires.required_pins: {p.name} (a floating feedback pin sets no voltage)" for p in fb
                if p.name not in rec.requires.required_pins]
    if kind == "opamp":
        for p in ("gbw", "avol", "slew"):
            if p not in rec.spice.params:
                out.append(f"spice.params.{p}")
        if rec.requires.input_common_mode is None:
            out.append("requires.input_common_mode")
    if kind == "load" and r.v_rated is None:
        out.append("ratings.v_rated")
    out += _load_kind_gaps(rec)
    out += _link_and_heat_gaps(rec, kind)
    for c in rec.requires.companions:
        if c.typical is None:
            out.append(f"requires.companions[{c.kind}].typical")
    return out


def _load_kind_gaps(rec: ComponentRecord) -> list[str]:
    """The typed facts the planner's rules classify loads and drivers by, instead of their wording: what a
    motor or sounder is (``actuator``), what a motor driver drives (``drives``), a resistive sensor's range."""
    out: list[str] = []
    passive = {p.name for p in rec.pins if p.type == "passive"}
    motor_leads = {p.name for p in rec.pins if p.name in passive and "motor" in p.functions}
    coil_leads = {p.name for p in rec.pins if p.name in passive and "coil" in p.functions}
    if rec.category == "actuator" and (len(motor_leads) >= 2 or len(coil_leads) >= 4) and rec.actuator is None:
        out.append("actuator (dc-motor or stepper)")
    if rec.category == "audio" and len(rec.pin_names) == 2 and rec.actuator is None:
        out.append("actuator (buzzer or speaker)")
    outputs = {p.name for p in rec.pins if p.type not in ("power_in", "ground") and {"motor", "coil"} & set(p.functions)}
    if rec.category == "driver" and len(outputs) >= 2 and not rec.drives:
        out.append("drives (dc-motor, stepper)")
    if rec.drives:
        for p in rec.pins_of_type("power_in"):
            if "motor" in p.functions and p.v_range is None:
                out.append(f"pins[{p.name}].v_range (the motor supply's working range)")
    if rec.category == "sensor" and len(rec.pin_names) == 2 and passive == set(rec.pin_names) \
            and rec.ratings.r_low_high is None and rec.spice.kind != "switch":
        out.append("ratings.r_low_high")
    return out


THERMAL_AMPS = 1.0  # a transistor or linear regulator rated for this current or more: what it dissipates matters


def _link_and_heat_gaps(rec: ComponentRecord, kind: str) -> list[str]:
    """The facts a request's conditions are read against (knowledge.link_medium, knowledge.heat_reading): how each
    link travels (``medium``, and for one through the air whether it needs a line of sight), whether a ranged
    sensor sees through things, and what a power transistor or linear regulator sheds without a heatsink."""
    out: list[str] = []
    for i, c in enumerate(rec.provides):
        if c.direction == "communicate" and c.medium is None:
            out.append(f"provides[{i}].medium (wire, radio or infrared)")
        if c.medium in ("radio", "infrared") and c.line_of_sight is None:
            out.append(f"provides[{i}].line_of_sight")
        if c.direction == "sense" and c.range_m is not None and c.line_of_sight is None:
            out.append(f"provides[{i}].line_of_sight (does it sense through a wall or a cover?)")
    r = rec.ratings
    rated = max((x for x in (r.id_max, r.ic_max, r.i_out_max) if x), default=0.0)
    if (kind in ("bjt", "mosfet") or rec.conversion == "linear") and rated >= THERMAL_AMPS:
        out += [f"ratings.{f}" for f in ("theta_ja", "t_j_max") if getattr(r, f) is None]
    if rec.conversion in ("buck", "boost", "buck-boost") and r.i_free_air is None:
        out.append("ratings.i_free_air (what the module carries with no heatsink added)")
    return out


def check(records: Iterable[ComponentRecord]) -> dict[str, list[str]]:
    """key -> missing fields, for the records with gaps."""
    return {r.key: gaps for r in records if (gaps := missing_fields(r))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="List records missing a field their kind requires.")
    ap.add_argument("--all", action="store_true", help="the user's parts too (default: the built-in records)")
    args = ap.parse_args(argv)
    lib = Library.default() if args.all else Library.from_dirs([BUILTIN_DIR])
    gaps = check(lib)
    for key, fields in sorted(gaps.items()):
        print(f"{key} ({kind_of(lib[key])}): {', '.join(fields)}")
    n = sum(len(v) for v in gaps.values())
    print(f"{len(lib)} records checked, {len(gaps)} incomplete, {n} missing")
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
