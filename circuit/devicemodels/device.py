"""A device's datasheet parameters, read from a label file, an extraction or a plain dict.

Input shape (the labels under ``datasets/datasheets/labels`` and what extraction produces)::

    {"part": "IRF540N", "class": "mosfet",
     "params": {"RDS_on": {"value": 0.044, "kind": "max", "unit": "ohm",
                           "conditions": "VGS=10V, ID=16A"}, ...},
     "extra_params": {...}}

``conditions`` may be text (parsed here) or a dict of symbol -> SI value. Values are SI; signs as
printed (P-channel and PNP values are negative).

A :class:`Spec` is one datasheet figure at one set of test conditions with its min/typ/max merged
(``VGS_th_min`` and ``VGS_th_max`` at ``ID=250 µA`` become one spec) and the value a model should
hit: the typ when printed; the middle of min and max when both are (geometric for ratios such as
hFE); else the one limit printed (the model then sits at that limit, a worst case).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from knowledge.datasheet.normalize import parse_conditions as _parse

__all__ = ["Param", "Spec", "Device", "DeviceError", "parse_conditions", "load_device"]


class DeviceError(ValueError):
    """Input that cannot describe a device (no class, no parameters, a value that is not a number)."""


# Quantities the modelling half knows, longest first so "VBE_sat" wins over "VBE".
QUANTITIES = sorted(
    {
        # diode
        "VRRM", "IF_avg", "IF_cont", "IFSM", "VF", "IR", "CJ", "trr", "PD", "VR",
        # bjt
        "VCEO", "VCBO", "VEBO", "IC_max", "hFE", "VCE_sat", "VBE_sat", "VBE_on", "fT", "Cob", "Cib",
        # mosfet
        "VDS_max", "VGS_max", "ID_cont", "RDS_on", "VGS_th", "gfs", "Ciss", "Coss", "Crss", "Qg", "VSD",
        "RG", "td_on", "td_off", "tr", "tf",
        # op-amp
        "VS", "VOS", "IB", "IOS", "GBW", "SR", "AVOL", "CMRR", "PSRR", "IQ", "VOH", "VOL", "IOUT_sc", "ISC",
        # regulator
        "VIN_max", "VOUT_nom", "VOUT", "VREF", "VDROP", "IOUT_max", "line_reg", "load_reg", "I_limit", "IADJ",
    },
    key=len,
    reverse=True,
)
_KINDS = ("rating", "min", "typ", "max")
# Geometric middle for quantities spread over a ratio (hFE 100..300 -> 173), arithmetic otherwise.
_GEOMETRIC = {"hFE", "gfs", "AVOL", "IB", "IQ", "RDS_on"}
# Skip entries whose names say they are not the part's plain figure.
_SKIP_TAGS = {"group", "sus", "alt"}
_HOT = 35.0  # a figure at a junction/ambient temperature above this (°C) is not a 25 °C point


def parse_conditions(text: str) -> dict[str, Any]:
    """Test conditions as symbol -> SI value ("VGS=10V, ID=16A" -> {"VGS": 10.0, "ID": 16.0});
    ranges become [lo, hi], "VDS=VGS" becomes {"VDS": "VGS"}. Uses the datasheet normaliser of
    :mod:`knowledge.datasheet.normalize` (one parser for both halves of the pipeline)."""
    try:
        return dict(_parse(str(text or "")))
    except Exception:  # a parser failure costs the conditions, never the device
        return {}


def _norm_cond(cond: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in (cond or {}).items():
        key = str(k).strip()
        up = key.upper()
        if up in ("TAMB",):
            up = "TA"
        if up == "F":
            up = "f"
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out[up] = float(v)
        elif isinstance(v, (list, tuple)):
            vals = [float(x) for x in v if isinstance(x, (int, float)) and not isinstance(x, bool)]
            out[up] = vals if len(vals) > 1 else (vals[0] if vals else None)
        elif isinstance(v, str):
            out[up] = v.strip().upper()
    return out


@dataclass
class Param:
    """One datasheet figure as given: label-style name, SI value, kind, unit, conditions."""

    name: str
    value: float
    kind: str = "typ"
    unit: str = ""
    conditions: dict[str, Any] = field(default_factory=dict)
    conditions_text: str = ""
    extra: bool = False
    page: int | None = None

    @property
    def quantity(self) -> str | None:
        return _quantity_of(self.name)[0]

    @property
    def hot(self) -> bool:
        for key in ("TJ", "TA", "TC"):
            t = self.conditions.get(key)
            if isinstance(t, float) and t > _HOT:
                return True
        return False


def _quantity_of(name: str) -> tuple[str | None, list[str]]:
    for q in QUANTITIES:
        if name == q or name.startswith(q + "_"):
            rest = [t for t in name[len(q):].split("_") if t]
            return q, rest
        if name.lower() == q.lower() or name.lower().startswith(q.lower() + "_"):
            rest = [t for t in name[len(q):].split("_") if t]
            return q, rest
    return None, []


@dataclass
class Spec:
    """One quantity at one set of test conditions, min/typ/max merged."""

    quantity: str
    conditions: dict[str, Any]
    conditions_text: str
    unit: str
    min: float | None = None
    typ: float | None = None
    max: float | None = None
    rating: float | None = None
    names: list[str] = field(default_factory=list)
    extra: bool = True

    @property
    def target(self) -> float | None:
        """The value a model should reproduce (see the module docstring)."""
        if self.typ is not None:
            return self.typ
        if self.min is not None and self.max is not None:
            lo, hi = self.min, self.max
            if self.quantity in _GEOMETRIC and lo * hi > 0:
                return math.copysign(math.sqrt(lo * hi), lo)
            return (lo + hi) / 2.0
        for v in (self.max, self.min, self.rating):
            if v is not None:
                return v
        return None

    @property
    def basis(self) -> str:
        """How :attr:`target` was chosen, in words for the report."""
        if self.typ is not None:
            return "typ"
        if self.min is not None and self.max is not None:
            return "mid of min and max"
        for k in ("max", "min", "rating"):
            if getattr(self, k) is not None:
                return k
        return "?"

    def cond(self, key: str, default: float | None = None) -> float | None:
        v = self.conditions.get(key)
        if isinstance(v, list):
            v = v[0] if v else None
        return v if isinstance(v, float) else default


@dataclass
class Device:
    """A device's datasheet parameters: part name, class, every figure (main and supporting)."""

    part: str
    device_class: str
    params: list[Param]
    source: str = ""
    polarity: str | None = None  # "n"/"p" (MOSFET), "npn"/"pnp" (BJT); None = infer
    notes: str = ""

    # ---- construction -----------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict, source: str = "") -> "Device":
        """From a label-format dict (``part``, ``class``, ``params``, ``extra_params``)."""
        if not isinstance(data, dict):
            raise DeviceError(f"a device must be a mapping with part, class and params, found {type(data).__name__}")
        dclass = str(data.get("class") or data.get("device_class") or "").strip().lower()
        if not dclass:
            raise DeviceError("the device has no 'class' (diode, bjt, mosfet, opamp or regulator)")
        params: list[Param] = []
        for section, extra in (("params", False), ("extra_params", True)):
            block = data.get(section) or {}
            if not isinstance(block, dict):
                raise DeviceError(f"'{section}' must map names to {{value, kind, unit, conditions}}")
            for name, entry in block.items():
                params.append(_param(str(name), entry, extra))
        if not params:
            raise DeviceError("the device has no parameters")
        part = str(data.get("part") or "device").strip() or "device"
        return cls(part=part, device_class=dclass, params=params, source=source or str(data.get("file") or ""),
                   polarity=data.get("polarity"), notes=str(data.get("notes") or ""))

    @classmethod
    def from_extraction(cls, extraction: Any, source: str = "") -> "Device":
        """From a :class:`knowledge.datasheet.model.Extraction` (its ``params`` list of ParamValue)."""
        params = []
        for p in extraction.params:
            params.append(Param(name=p.name, value=float(p.value),
                                kind=p.kind, unit=p.unit, conditions=_norm_cond(p.conditions) or
                                _norm_cond(parse_conditions(p.conditions_text)),
                                conditions_text=p.conditions_text, page=p.page))
        if not params:
            raise DeviceError("the extraction holds no parameters")
        return cls(part=extraction.part or Path(extraction.file).stem, device_class=extraction.device_class.lower(),
                   params=params, source=source or Path(extraction.file).name)

    @classmethod
    def coerce(cls, obj: Any, source: str = "") -> "Device":
        if isinstance(obj, Device):
            return obj
        if isinstance(obj, dict):
            return cls.from_dict(obj, source)
        if hasattr(obj, "params") and hasattr(obj, "device_class"):
            return cls.from_extraction(obj, source)
        raise DeviceError(f"cannot read a device from {type(obj).__name__}")

    # ---- queries ----------------------------------------------------------------------------
    @property
    def short_part(self) -> str:
        """The part number without the label's commentary ("1N4007 (datasheet covers ...)" -> "1N4007")."""
        head = re.split(r"[\s(;,]", self.part.strip(), maxsplit=1)[0]
        return head or "device"

    def text(self) -> str:
        """Everything the datasheet said in words (part, conditions, notes), for keyword tests."""
        return " ".join([self.part, self.notes] + [p.conditions_text for p in self.params]).lower()

    def entries(self, quantity: str) -> list[Param]:
        out = []
        for p in self.params:
            q, rest = _quantity_of(p.name)
            if q != quantity or any(t.lower() in _SKIP_TAGS for t in rest) or p.hot:
                continue
            out.append(p)
        return out

    def specs(self, quantity: str, keys: Iterable[str] = ()) -> list[Spec]:
        """The figures of one quantity grouped by their test conditions (``keys``: the condition
        symbols that tell two test points apart, e.g. ("IF",) for VF); main params first."""
        keys = tuple(keys)
        groups: list[Spec] = []
        for p in sorted(self.entries(quantity), key=lambda p: p.extra):
            ckey = {k: p.conditions.get(k) for k in keys if isinstance(p.conditions.get(k), (float, list))}
            spec = next((g for g in groups if _same_conditions(g.conditions, ckey, keys)), None)
            if spec is None:
                spec = Spec(quantity, dict(p.conditions), p.conditions_text, p.unit, extra=p.extra)
                groups.append(spec)
            else:
                for k, v in p.conditions.items():
                    spec.conditions.setdefault(k, v)
            kind = p.kind if p.kind in _KINDS else "typ"
            if getattr(spec, kind) is None:
                setattr(spec, kind, p.value)
            spec.names.append(p.name)
            spec.extra = spec.extra and p.extra
        return groups

    def spec(self, quantity: str, keys: Iterable[str] = ()) -> Spec | None:
        """The main figure of a quantity (the first group: the params entry before extras)."""
        s = self.specs(quantity, keys)
        return s[0] if s else None

    def value(self, quantity: str, default: float | None = None) -> float | None:
        s = self.spec(quantity)
        t = s.target if s else None
        return default if t is None else t

    def rating(self, quantity: str) -> float | None:
        for p in self.entries(quantity):
            if p.kind == "rating":
                return p.value
        s = self.spec(quantity)
        return s.target if s else None


def _same_conditions(a: dict, b: dict, keys: tuple[str, ...]) -> bool:
    for k in keys:
        va, vb = a.get(k), b.get(k)
        if isinstance(va, list):
            va = va[0]
        if isinstance(vb, list):
            vb = vb[0]
        if va is None and vb is None:
            continue
        if va is None or vb is None:
            # a figure without the symbol joins a group that has it only when nothing else differs
            continue
        if not isinstance(va, float) or not isinstance(vb, float):
            return False
        if abs(abs(va) - abs(vb)) > 0.01 * max(abs(va), abs(vb), 1e-30):
            return False
    return True


def _param(name: str, entry: Any, extra: bool) -> Param:
    if isinstance(entry, (int, float)) and not isinstance(entry, bool):
        return Param(name=name, value=float(entry), extra=extra)
    if not isinstance(entry, dict):
        raise DeviceError(f"parameter {name!r}: expected {{value, kind, unit, conditions}}, found {type(entry).__name__}")
    raw = entry.get("value")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise DeviceError(f"parameter {name!r}: value {raw!r} is not a number (give SI units: 0.044, not '44 mΩ')") from None
    if not math.isfinite(value):
        raise DeviceError(f"parameter {name!r}: value {raw!r} is not finite")
    kind = str(entry.get("kind") or "typ").lower()
    if kind not in _KINDS:
        kind = "typ"
    cond = entry.get("conditions")
    text = str(entry.get("conditions_text") or "")
    if isinstance(cond, dict):
        conditions = _norm_cond(cond)
        if not conditions and text:
            conditions = _norm_cond(parse_conditions(text))
    else:
        text = text or str(cond or "")
        conditions = _norm_cond(parse_conditions(text))
    page = entry.get("page")
    return Param(name=name, value=value, kind=kind, unit=str(entry.get("unit") or ""), conditions=conditions,
                 conditions_text=text, extra=extra, page=page if isinstance(page, int) else None)


def load_device(path: str | Path) -> Device:
    """A device from a label/PARAMS JSON file; DeviceError names the file and the problem."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise DeviceError(f"{p}: cannot read ({e.strerror})") from e
    except json.JSONDecodeError as e:
        raise DeviceError(f"{p}: not valid JSON (line {e.lineno}: {e.msg})") from e
    try:
        return Device.from_dict(data, source=p.name)
    except DeviceError as e:
        raise DeviceError(f"{p.name}: {e}") from e
