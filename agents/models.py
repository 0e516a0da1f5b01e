"""The documents the design agents hand each other (and ask an LLM for, as structured output).

identify → :class:`Identification` (what the request needs, with the parts beginners forget)
retrieve → :class:`Resolution` (library keys, out-of-library items with near-misses)
plan     → :class:`Plan` (parts, wires with reasons, MCU pin uses, rails, values with their math)
synthesize → a CircuitJSON document (``circuit.model.Circuit``)
judge    → :class:`Verdict`

All of them are plain pydantic models so the graph state (and its checkpoints) hold them as
JSON, and an LLM can be asked for exactly this shape.
"""

from __future__ import annotations

from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field

AttrValue = Union[str, float, int, bool]

Role = Literal["controller", "part", "companion", "supply", "driver"]


class Need(BaseModel):
    """One kind of part the design needs."""

    model_config = ConfigDict(extra="ignore")

    phrase: str = Field(description="The words of the request this comes from, or what it is for")
    key: str | None = Field(default=None, description="Component-library key when known, e.g. hc-sr04")
    qty: int = Field(default=1, ge=1, le=1024)  # (a panel of addressable pixels is one part counted per pixel, as NamedPart)
    role: Role = "part"
    why: str = Field(default="", description="Why the design needs it, in plain words")
    explicit: bool = Field(default=True, description="The request names it (False: inferred, a part beginners forget)")
    attrs: dict[str, AttrValue] = Field(default_factory=dict, description="colour, voltage ... when the request says")


class Identification(BaseModel):
    model_config = ConfigDict(extra="ignore")

    needs: list[Need] = Field(default_factory=list)
    topologies: list[str] = Field(
        default_factory=list,
        description="Analog building blocks asked for: divider, rc_lowpass, rc_highpass, lc_lowpass, "
        "dc_supply, rheostat, transistor_switch, opamp_noninverting, opamp_inverting, light_sensor_switch",
    )
    board: str | None = Field(default=None, description="Library key of the controller board, if any")
    supply_volts: float | None = Field(default=None, description="Main supply voltage the request names (9 V battery, 12 V source)")
    load_volts: float | None = Field(default=None, description="Voltage a load (motor, solenoid, strip) needs, if stated")
    numbers: dict[str, float] = Field(default_factory=dict, description="Figures the request gives: cutoff_hz, gain, vout ...")
    behaviour: str | None = Field(default=None, description="What the outputs do in time where no controller times "
                                  "them: blink, alternate, one-shot, delay, fade")
    notes: list[str] = Field(default_factory=list)


class OutOfLibrary(BaseModel):
    phrase: str
    qty: int = 1
    near_misses: list[dict] = Field(default_factory=list, description="[{key, score, name}] best library candidates")


class Resolution(BaseModel):
    needs: list[Need] = Field(default_factory=list, description="Needs with library keys")
    ood: list[OutOfLibrary] = Field(default_factory=list)


class PlannedPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(description="Designator: U1, R1, LED1, Q1 ...")
    type: str = Field(description="Component-library key")
    attrs: dict[str, AttrValue] = Field(default_factory=dict)
    role: str = Field(default="", description="What it does in this design")
    serves: str | None = Field(default=None, description="The part it exists for (R1 serves LED1)")


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")

    a: str = Field(description="partId:pin")
    b: str = Field(description="partId:pin")
    kind: Literal["power", "ground", "signal", "bus", "load"] = "signal"
    why: str = ""


class PinUse(BaseModel):
    model_config = ConfigDict(extra="ignore")

    pin: str = Field(description="Controller endpoint, e.g. U1:D9")
    function: str = Field(description="What the pin does: pwm, adc, i2c_sda, gpio in, gpio out ...")
    serves: str = Field(description="The part/pin it drives or reads")
    why: str = ""


class Rail(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    volts: float
    source: str = Field(description="Endpoint that provides it (U1:5V, PS1:OUT+)")
    budget_a: float | None = Field(default=None, description="Current it can supply, A")
    load_a: float = Field(default=0.0, description="Worst-case current the design draws from it, A")
    feeds: list[str] = Field(default_factory=list)


class ValueChoice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    part: str
    value: str = Field(description="Chosen value in engineering notation, e.g. 150 Ω")
    formula: str = Field(default="", description="The math, e.g. R = (5 V − 2.0 V) / 20 mA = 150 Ω")
    why: str = ""


class Plan(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: str = ""
    summary: str = ""
    parts: list[PlannedPart] = Field(default_factory=list)
    wires: list[Wire] = Field(default_factory=list)
    pins: list[PinUse] = Field(default_factory=list)
    rails: list[Rail] = Field(default_factory=list)
    values: list[ValueChoice] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    unmet: list[str] = Field(default_factory=list, description="What the plan could not do (out of pins, no part for a job)")

    def part(self, pid: str) -> PlannedPart | None:
        for p in self.parts:
            if p.id == pid:
                return p
        return None


class Verdict(BaseModel):
    """The judge's second opinion: reported, never silently applied."""

    model_config = ConfigDict(extra="ignore")

    ok: bool = Field(description="True when the design does what was asked without context flaws")
    score: float = Field(default=0.0, ge=0.0, le=10.0, description="0-10")
    concerns: list[str] = Field(default_factory=list)
    summary: str = ""


class Answer(BaseModel):
    """A grounded answer to a question about the current design."""

    model_config = ConfigDict(extra="ignore")

    text: str
    refers_to: list[str] = Field(default_factory=list, description="Part ids the answer is about")


class DocPart(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    type: str
    attrs: dict[str, AttrValue] = Field(default_factory=dict)


class DocConnection(BaseModel):
    model_config = ConfigDict(extra="ignore")

    source: str = Field(description="partId:pin")
    target: str = Field(description="partId:pin")
    color: str = "green"


class CircuitDoc(BaseModel):
    """A CircuitJSON document as an LLM writes it; loaded (and checked) like any user file."""

    model_config = ConfigDict(extra="ignore")

    title: str = ""
    parts: list[DocPart] = Field(default_factory=list)
    connections: list[DocConnection] = Field(default_factory=list)

    def to_document(self) -> dict:
        return {
            "version": 1,
            "title": self.title,
            "parts": [{"id": p.id, "type": p.type, "attrs": dict(p.attrs)} for p in self.parts],
            "connections": [[c.source, c.target, c.color, []] for c in self.connections],
        }
