"""The typed result of understanding a follow-up that edits the current design.

A follow-up ("move the RGB LED to PWM pins", "use a 9 V battery instead", "remove the buzzer",
"make R1 330 Ω") is read into a list of operations, each naming exactly what it changes; everything
it does not name stays as it was (:mod:`agents.rules.edits` applies them, :mod:`agents.rules.plan_edit`
keeps designators, pins and values and lists the difference).

Targets are the design's own designators (``LED1``, ``R1``, ``U1``); new parts are library keys.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from agents.understand.requirements import PowerSource


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid")

    words: str = Field(default="", description="The words of the message this operation comes from")


class AddPart(_Op):
    op: Literal["add"] = "add"
    key: str = Field(description="Library key of the part to add")
    count: int = Field(default=1, ge=1, le=64)
    attrs: dict[str, str | float | int | bool] = Field(default_factory=dict)


class RemovePart(_Op):
    op: Literal["remove"] = "remove"
    target: str = Field(description="Designator of the part to remove (its companions go with it)")
    count: int | None = Field(default=None, ge=1, le=64, description="How many of several alike (None: all)")


class ReplacePart(_Op):
    op: Literal["replace"] = "replace"
    target: str = Field(description="Designator of the part replaced")
    key: str = Field(description="Library key of the part that takes its place")


class SwapBoard(_Op):
    op: Literal["board"] = "board"
    target: str | None = Field(default=None, description="Designator of the board replaced")
    key: str = Field(description="Library key of the new controller board")


class SetValue(_Op):
    op: Literal["value"] = "value"
    target: str = Field(description="Designator of the part whose value changes")
    value: float = Field(description="The new value in SI units")
    unit: str = Field(description="Ω, F, H ...")


class MovePins(_Op):
    op: Literal["pins"] = "pins"
    target: str = Field(description="Designator of the part whose controller pins move")
    function: str | None = Field(default=None, description="The capability the new pins must have (pwm, adc ...)")
    pins: list[str] = Field(default_factory=list, description="Named controller pins, in the order given")


class SetSupply(_Op):
    op: Literal["supply"] = "supply"
    source: PowerSource
    key: str | None = Field(default=None, description="Library key of the source part")


EditOp = Annotated[Union[AddPart, RemovePart, ReplacePart, SwapBoard, SetValue, MovePins, SetSupply],
                   Field(discriminator="op")]


class EditRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ops: list[EditOp] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="What could not be read or done, in plain words")
    unknown: list[str] = Field(default_factory=list, description="Part words the library lacks")
