"""One entry point: datasheet figures in, a fitted and verified model out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from circuit.sim import spice_name

from .bjt import build_bjt
from .device import Device, DeviceError, load_device
from .diode import build_diode
from .model import DeviceModel, ModelError
from .mosfet import build_mosfet
from .opamp import build_opamp
from .regulator import build_regulator

__all__ = ["build_model", "model_from_file", "CLASSES", "canonical_class"]

_BUILDERS = {
    "diode": (build_diode, "D_"),
    "bjt": (build_bjt, "Q_"),
    "mosfet": (build_mosfet, "M_"),
    "opamp": (build_opamp, "OA_"),
    "regulator": (build_regulator, "REG_"),
}
CLASSES = tuple(_BUILDERS)
_ALIASES = {
    "diode": "diode", "rectifier": "diode", "schottky": "diode", "signal diode": "diode",
    "bjt": "bjt", "transistor": "bjt", "npn": "bjt", "pnp": "bjt", "bipolar": "bjt",
    "mosfet": "mosfet", "fet": "mosfet", "nmos": "mosfet", "pmos": "mosfet", "n-mosfet": "mosfet", "p-mosfet": "mosfet",
    "opamp": "opamp", "op-amp": "opamp", "op_amp": "opamp", "operational amplifier": "opamp", "amplifier": "opamp",
    "regulator": "regulator", "ldo": "regulator", "linear regulator": "regulator", "vreg": "regulator",
}


def canonical_class(name: str) -> str:
    c = _ALIASES.get(str(name).strip().lower())
    if c is None:
        raise ModelError(f"no model for device class {name!r}; known: {', '.join(CLASSES)}")
    return c


def build_model(device: Any, name: str | None = None, source: str = "") -> DeviceModel:
    """Fit and verify an ngspice model for one device.

    ``device``: a :class:`Device`, a label-format dict (``part``, ``class``, ``params``,
    ``extra_params``; conditions as text or dicts) or a ``knowledge.datasheet`` Extraction.
    ``name``: the SPICE model/subckt name (made safe; default class prefix + part number).
    Raises :class:`ModelError` / :class:`DeviceError` with what is missing; a model whose test
    points disagree is returned with ``verification.passed`` False, never raised."""
    dev = Device.coerce(device, source)
    if source and not dev.source:
        dev.source = source
    cls = canonical_class(dev.device_class)
    dev.device_class = cls
    builder, prefix = _BUILDERS[cls]
    model_name = spice_name(name) if name else spice_name(f"{prefix}{dev.short_part}")
    return builder(dev, model_name)


def model_from_file(path: str | Path, name: str | None = None) -> DeviceModel:
    """Build the model of a label / PARAMS JSON file (``DeviceError`` names the file on bad input)."""
    dev = load_device(path)
    return build_model(dev, name)


__all__ += ["DeviceError"]
