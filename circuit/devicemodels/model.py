"""A device model built from datasheet figures: the ngspice text, its terminals, the defaults it
assumed and its verification report."""

from __future__ import annotations

from dataclasses import dataclass, field

from circuit.sim import spice_name
from circuit.spice_safe import ModelCard

from .device import Device
from .verification import Verification

__all__ = ["DeviceModel", "ModelError", "VT"]

VT = 0.025865  # kT/q at ngspice's default 27 °C


class ModelError(ValueError):
    """A device that cannot be modelled (unknown class, missing the figures the model needs)."""


@dataclass
class DeviceModel:
    """An ngspice model of one device.

    ``model_type`` is ``D``, ``NPN``, ``PNP`` or ``VDMOS`` for a ``.model`` card (``params`` are
    its parameters), or None for a subcircuit (``subckt`` holds the whole ``.subckt ... .ends``
    text, ``ports`` its port order). ``terminals`` are the component-record pin names in SPICE
    terminal order (A K / C B E / D G S / IN+ IN- V+ V- OUT / IN OUT GND)."""

    part: str
    device_class: str
    kind: str
    name: str
    params: dict[str, float]
    terminals: list[str]
    device: Device
    verification: Verification
    model_type: str | None = None
    flags: list[str] = field(default_factory=list)
    subckt: str | None = None
    ports: list[str] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)  # datasheet figures a subckt was built from

    @property
    def source(self) -> str:
        return self.device.source

    @property
    def passed(self) -> bool:
        return self.verification.passed

    def card(self) -> ModelCard:
        if self.model_type is None:
            raise ModelError(f"{self.part} is a subcircuit, not a .model card")
        return ModelCard(self.model_type, dict(self.params), list(self.flags))

    def model_text(self) -> str:
        """The card body, ``TYPE(NAME=value ...)``, as a component record's ``spice.model``."""
        line = self.card().card("x")
        return line.split(" ", 2)[2]

    def model_line(self) -> str:
        """The ``.model NAME TYPE(...)`` line."""
        return self.card().card(self.name)

    def spice_text(self) -> str:
        """What a netlist needs to use the device: the ``.model`` line or the ``.subckt`` block."""
        return self.subckt if self.model_type is None else self.model_line()

    def instance(self, ref: str, nodes: list[str]) -> str:
        """An element line using the model (``D1 a k NAME``, ``XU1 ... NAME``); ``nodes`` in terminal order."""
        letter = {"D": "D", "NPN": "Q", "PNP": "Q", "VDMOS": "M"}.get(self.model_type or "", "X")
        ref = spice_name(ref)
        ref = ref if ref.upper().startswith(letter) else f"{letter}{ref}"
        return f"{ref} {' '.join(spice_name(n) if n != '0' else '0' for n in nodes)} {self.name}"
