"""A component record (the knowledge-base YAML) for a modelled device, so ``circuitsmith kb add``
can take a datasheet-derived part with its verified model.

Pins are named for the package: diode A/K, transistor B/C/E, MOSFET G/D/S, op-amp
IN+/IN-/OUT/V+/V-, regulator IN/OUT/GND (or ADJ). Ratings come from the datasheet figures as
magnitudes; the model card (or subcircuit) and its terminal order go in ``spice``; ``source``
names the datasheet file.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from circuit.units import format_value

from .model import DeviceModel

__all__ = ["component_record", "record_yaml", "record_key"]


def record_key(part: str) -> str:
    """A knowledge-base key from a part number ("IRF540N" -> "irf540n")."""
    key = re.sub(r"[^a-z0-9._+-]+", "-", part.lower()).strip("-._+")
    return key if key and key[0].isalnum() else f"part-{key or 'x'}"


def _one_line(text: str, limit: int = 200) -> str:
    s = re.sub(r"\s+", " ", str(text)).strip()
    s = re.sub(r"[^\w .,:;()%/+\-°µΩ=<>±'\"]", " ", s)
    return s[:limit]


def _mag(x: float | None) -> float | None:
    return None if x is None else abs(float(x))


def _datasheet_name(model: DeviceModel, source: str | None) -> str:
    src = source or model.device.source or ""
    name = Path(src).name if src else ""
    if name.lower().endswith(".json"):  # a label / PARAMS file is named after its PDF
        name = Path(name).stem + ".pdf"
    return _one_line(name) or "datasheet"


def _ratings(model: DeviceModel) -> tuple[dict, dict]:
    d = model.device
    r: dict = {}
    supply: dict = {}
    if model.device_class == "diode":
        vf = d.spec("VF", keys=("IF",))
        r["vf"] = _mag(vf.target) if vf else None
        r["if_nom"] = _mag(vf.cond("IF")) if vf else None
        r["if_max"] = _mag(d.rating("IF_avg") or d.rating("IF_cont"))
        r["vr_max"] = _mag(d.rating("VRRM") or d.rating("VR"))
    elif model.device_class == "bjt":
        hfe = d.spec("hFE", keys=("IC", "VCE"))
        r["vce_max"] = _mag(d.rating("VCEO"))
        r["ic_max"] = _mag(d.rating("IC_max"))
        r["hfe"] = _mag(hfe.min if hfe and hfe.min is not None else (hfe.target if hfe else None))
        r["vbe_on"] = _mag(d.value("VBE_on") or d.value("VBE_sat"))
        r["vce_sat"] = _mag(d.value("VCE_sat"))
    elif model.device_class == "mosfet":
        rds = d.spec("RDS_on", keys=("VGS", "ID"))
        r["vds_max"] = _mag(d.rating("VDS_max"))
        r["vgs_max"] = _mag(d.rating("VGS_max"))
        r["id_max"] = _mag(d.rating("ID_cont"))
        r["vgs_th"] = _mag(d.value("VGS_th"))
        r["rds_on"] = _mag(rds.max if rds and rds.max is not None else (rds.target if rds else None))
        r["rds_on_vgs"] = _mag(rds.cond("VGS")) if rds else None
    elif model.device_class == "regulator":
        adjustable = model.terminals[-1] == "ADJ"
        r["v_out"] = model.figures.get("VREF") if adjustable else model.figures.get("VOUT")
        r["v_out_adjustable"] = adjustable
        r["i_out_max"] = _mag(d.rating("IOUT_max"))
        r["dropout"] = model.figures.get("VDROP")
        r["v_in_max"] = _mag(d.rating("VIN_max"))
        iq = model.figures.get("IQ")
        if iq:
            supply["current_typ"] = iq
    elif model.device_class == "opamp":
        vs = d.spec("VS")
        if vs is not None:
            supply["v_min"] = _mag(vs.min)
            supply["v_max"] = _mag(vs.max)
        supply["current_typ"] = model.figures.get("IQ")
    if model.device_class != "opamp":
        r["power_max"] = _mag(d.rating("PD"))
    return {k: v for k, v in r.items() if v is not None}, {k: v for k, v in supply.items() if v is not None}


def _pins(model: DeviceModel) -> list[dict]:
    d = model.device
    c = model.device_class
    if c == "diode":
        return [
            {"name": "A", "type": "passive", "functions": ["anode"], "aliases": ["anode", "+"]},
            {"name": "K", "type": "passive", "functions": ["cathode"], "aliases": ["cathode", "-", "C"],
             "description": "Marked by the band"},
        ]
    if c == "bjt":
        return [
            {"name": "B", "type": "passive", "functions": ["base"], "aliases": ["base"]},
            {"name": "C", "type": "passive", "functions": ["collector"], "aliases": ["collector"]},
            {"name": "E", "type": "passive", "functions": ["emitter"], "aliases": ["emitter"]},
        ]
    if c == "mosfet":
        vgs = _mag(d.rating("VGS_max"))
        gate = {"name": "G", "type": "passive", "functions": ["gate"], "aliases": ["gate"]}
        if vgs:
            gate["description"] = f"Gate, ±{format_value(vgs, 'V')} max to the source"
        return [gate,
                {"name": "D", "type": "passive", "functions": ["drain"], "aliases": ["drain"]},
                {"name": "S", "type": "passive", "functions": ["source"], "aliases": ["source"]}]
    if c == "opamp":
        vs = d.spec("VS")
        vmax = _mag(vs.max) if vs is not None and vs.max is not None else None
        pins = [
            {"name": "IN+", "type": "analog_in", "aliases": ["+IN", "INP", "non-inverting input"]},
            {"name": "IN-", "type": "analog_in", "aliases": ["-IN", "INN", "inverting input"]},
            {"name": "OUT", "type": "analog_out", "aliases": ["OUTPUT", "VOUT"], "i_max": model.figures.get("ILIM")},
            {"name": "V+", "type": "power_in", "aliases": ["VCC", "VDD", "V+IN"]},
            {"name": "V-", "type": "ground", "aliases": ["VEE", "VSS", "GND"]},
        ]
        if vmax:
            for p in pins[:2] + pins[3:4]:
                p["v_max"] = vmax
        return [{k: v for k, v in p.items() if v is not None} for p in pins]
    # regulator
    adjustable = model.terminals[-1] == "ADJ"
    vin_max = _mag(d.rating("VIN_max"))
    i_out = _mag(d.rating("IOUT_max"))
    pins = [
        {"name": "IN", "type": "power_in", "aliases": ["VIN", "INPUT"], "v_max": vin_max},
        {"name": "OUT", "type": "power_out", "aliases": ["VOUT", "OUTPUT"], "i_max": i_out,
         "v_out": None if adjustable else model.figures.get("VOUT")},
    ]
    if adjustable:
        pins.append({"name": "ADJ", "type": "passive", "functions": ["vref"], "aliases": ["ADJUST"],
                     "description": "Output sits VREF above this pin"})
    else:
        pins.append({"name": "GND", "type": "ground", "aliases": ["COM", "0V"]})
    return [{k: v for k, v in p.items() if v is not None} for p in pins]


_CATEGORY = {"diode": "semiconductor", "bjt": "semiconductor", "mosfet": "semiconductor", "opamp": "ic",
             "regulator": "power"}
_DESIGNATOR = {"diode": "D", "bjt": "Q", "mosfet": "Q", "opamp": "U", "regulator": "U"}
_KIND_WORDS = {"diode": "diode", "npn": "NPN transistor", "pnp": "PNP transistor", "nmos": "N-channel MOSFET",
               "pmos": "P-channel MOSFET", "opamp": "op-amp", "regulator": "linear regulator"}


def _description(model: DeviceModel, ratings: dict) -> str:
    units = {"vf": "V", "if_nom": "A", "if_max": "A", "vr_max": "V", "vce_max": "V", "ic_max": "A", "vds_max": "V",
             "id_max": "A", "rds_on": "Ω", "vgs_th": "V", "v_out": "V", "i_out_max": "A", "dropout": "V"}
    words = {"vr_max": "reverse", "if_max": "forward", "vf": "VF", "vce_max": "VCEO", "ic_max": "IC",
             "vds_max": "VDS", "id_max": "ID", "rds_on": "RDS(on)", "vgs_th": "VGS(th)", "v_out": "output",
             "i_out_max": "output current", "dropout": "dropout"}
    facts = [f"{words[k]} {format_value(ratings[k], units[k])}" for k in words if k in ratings]
    if model.device_class == "opamp":
        f = model.figures
        facts = [f"GBW {format_value(f['GBW'], 'Hz')}", f"slew {f['SR'] / 1e6:.3g} V/µs",
                 f"supply current {format_value(f['IQ'], 'A')} per amplifier"]
    v = model.verification
    state = "verified" if v.passed else "NOT verified"
    return (f"{_KIND_WORDS.get(model.kind, model.device_class)} {_one_line(model.part, 40)}: {', '.join(facts)}. "
            f"SPICE model fitted to the datasheet ({state}: {v.n_passed}/{len(v.points)} test points within 10 %).")


def component_record(model: DeviceModel, source: str | None = None, key: str | None = None) -> dict:
    """A record dict that :func:`knowledge.library.parse_record` accepts (and ``kb add`` can take as YAML).

    ``source``: the datasheet file name (default: the device's source, a ``.json`` label renamed to
    its ``.pdf``)."""
    ratings, supply = _ratings(model)
    c = model.device_class
    spice: dict = {"kind": model.kind, "terminals": list(model.terminals)}
    if model.model_type is not None:
        spice["model"] = model.model_text()
    else:
        spice["subckt"] = model.subckt
        if c == "opamp":
            f = model.figures
            spice["params"] = {"avol": f["AVOL"], "gbw": f["GBW"], "vos": f["VOS"], "ib": (f["IB+"] + f["IB-"]) / 2,
                               "iq": f["IQ"], "vout_headroom_high": f["VOH headroom"],
                               "vout_headroom_low": f["VOL headroom"], "iout_max": f["ILIM"], "slew": f["SR"]}
        else:
            spice["params"] = {"r_out": model.figures["ROUT"]}
            if "VREF" in model.figures:
                spice["params"]["v_ref"] = model.figures["VREF"]
    part = _one_line(model.part, 60) or "part"
    v = model.verification
    notes = [v.summary() + "."]
    if model.defaults:
        notes.append("Defaults (not in the datasheet): " + "; ".join(f"{k} {why}" for k, why in model.defaults.items()))
    if c == "mosfet" and model.kind == "pmos" or c == "bjt" and model.kind == "pnp":
        notes.append("Ratings are magnitudes (the datasheet prints them negative).")
    data = {
        "key": key or record_key(part),
        "name": f"{part} {_KIND_WORDS.get(model.kind, c)}",
        "category": _CATEGORY[c],
        "designator": _DESIGNATOR[c],
        "aliases": [part],
        "description": _description(model, ratings),
        "ratings": ratings,
        "supply": supply,
        "flags": {"polarized": True} if c == "diode" else {},
        "pins": _pins(model),
        "spice": spice,
        "source": f"{_datasheet_name(model, source)}: figures read from the datasheet; model fitted and verified "
                  f"by circuitsmith",
        "notes": " ".join(notes),
    }
    return {k: v for k, v in data.items() if v not in ({}, None)}


def record_yaml(model: DeviceModel, source: str | None = None, key: str | None = None) -> str:
    """The record as YAML text (one record per file, as ``knowledge/parts`` keeps them)."""
    return yaml.dump(component_record(model, source, key), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=110)


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (a subcircuit) as literal blocks, readable in the record file."""


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
