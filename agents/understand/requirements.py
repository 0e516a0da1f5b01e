"""The typed result of understanding a design request: the only thing the planner receives.

Understanding (rules or LLM) reads the request text and produces :class:`Requirements`; the planner
reasons from it and the records; the requirement gate checks the finished CircuitJSON against it.
Every entry keeps the words that asked for it (``words``), so a report can quote the request.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NamedPart(_Model):
    """A library part the request names (or clearly means), with how many."""

    key: str = Field(description="Component-library key, e.g. ws2812b")
    count: int = Field(default=1, ge=1, le=1024, description="How many; a strip/ring of N addressable LEDs is one part with count N")
    words: str = Field(default="", description="The words of the request that named it")
    attrs: dict[str, str | float | int | bool] = Field(default_factory=dict, description="colour, value, voltage ... when stated")


class NeededFunction(_Model):
    """A function the design must provide, whichever part provides it."""

    capability: str = Field(description="Capability slug, as in the records' `provides` (send-sms, sense-light ...)")
    words: str = Field(default="", description="The words that asked for it")
    count: int = Field(default=1, ge=1, le=64)
    target: dict[str, float] = Field(default_factory=dict, description="Numbers that go with it: volts, amps, hz, seconds ...")
    score: float | None = Field(default=None, description="Match confidence when found by meaning (0..1)")


class AskedFunction(_Model):
    """One clause of the request read on its own: the capabilities it reads as asking for, any of which
    answers it. The requirement gate checks every clause is answered by a wired part, so a need that
    understanding left out (two readings too close to pick one) still fails the design rather than pass."""

    words: str = Field(description="The clause")
    any_of: list[str] = Field(default_factory=list, description="Capability slugs, best first; one wired provider answers it")
    score: float | None = None


class Trigger(_Model):
    """Which end of a sensed quantity the request wants the output switched on at, when it says
    ("beeps when light falls on it": high; "an LED that comes on when it gets dark": low). The
    requirement gate simulates a design with no controller at both ends of its sensor's range and holds
    it to this (:mod:`circuit.trigger_check`)."""

    capability: str = Field(description="The sensing capability slug whose reading switches the output (sense-light ...)")
    when: Literal["high", "low"] = Field(description="'high': on when the quantity is high (bright, hot, pressed); "
                                                     "'low': on when it is low (dark, cold)")
    words: str = Field(default="", description="The words that said so")


class TimingNeed(_Model):
    """What an output does in time ("a blinking LED", "beeps every 2 seconds", "stays on for 30 seconds after a
    press"): a controller's firmware serves it where there is one; with none, a timing part in the right mode,
    sized to the figure stated. The requirement gate simulates the timer to hold a design to it
    (:mod:`circuit.timer_reading`)."""

    behaviour: Literal["blink", "alternate", "one-shot", "delay", "fade"] = Field(
        description="blink: on and off over and over; alternate: two outputs taking turns; one-shot: on for a set "
                    "time once started; delay: on a set time after it is started; fade: up and down smoothly")
    frequency_hz: float | None = Field(default=None, description="The rate stated for a repeating behaviour, Hz")
    duration_s: float | None = Field(default=None, description="The time stated for a timed behaviour, s")
    words: str = Field(default="", description="The words that said so")
    score: float | None = None


SourceKind = Literal["battery", "cells", "coin-cell", "usb", "wall-adapter", "bench-supply", "mains", "solar", "board", "unknown"]


class PowerSource(_Model):
    kind: SourceKind = "unknown"
    volts: float | None = None
    key: str | None = Field(default=None, description="Library key of the source part, when one is named (18650-battery)")
    cells_series: int = Field(default=1, ge=1, le=64)
    cells_parallel: int = Field(default=1, ge=1, le=64)
    max_current: float | None = Field(default=None, description="What it can deliver, A, when stated")
    words: str = ""

    @property
    def total_volts(self) -> float | None:
        return None if self.volts is None else self.volts * self.cells_series


class Constraints(_Model):
    board: str | None = Field(default=None, description="Library key of the named controller board")
    no_controller: bool = Field(default=False, description="'no microcontroller', 'discrete parts only', 'just a 555'")
    source: PowerSource | None = None
    logic_volts: float | None = None
    targets: dict[str, float] = Field(default_factory=dict, description="Stated values in SI: frequency_hz, current_a, duration_s ...")
    environment: dict[str, float] = Field(default_factory=dict, description="temp_max_c, temp_min_c ... when stated")
    forbidden: list[str] = Field(default_factory=list, description="Library keys or capabilities the request rules out")
    wants_controller: bool = Field(default=False, description="The request asks for a controller without naming one")
    load_volts: float | None = Field(default=None, description="The voltage a load (motor, solenoid, strip) needs, when stated")


class UnknownMention(_Model):
    """Words that name a part the library may lack (a part-number shape or a component noun)."""

    words: str
    count: int = Field(default=1, ge=1, le=1024)
    near_misses: list[dict] = Field(default_factory=list, description="[{key, score, name}] best library candidates of the same kind")


class Requirements(_Model):
    named_parts: list[NamedPart] = Field(default_factory=list)
    needs: list[NeededFunction] = Field(default_factory=list)
    # the rules' reading of each clause, for the requirement gate; not part of the schema a model answers in
    asked: SkipJsonSchema[list[AskedFunction]] = Field(default_factory=list)
    # which end of a sensed quantity switches the output on, as the rules read it; checked by simulation
    triggers: SkipJsonSchema[list[Trigger]] = Field(default_factory=list)
    # what the outputs do in time, as the rules read it; served by a controller, else by a timer the gate simulates
    timing: SkipJsonSchema[list[TimingNeed]] = Field(default_factory=list)
    # conditions the request states that nothing above reads (agents/understand/open_conditions.py), with their
    # close readings as something that notices: the requirement gate fails closed unless one is wired
    unread: SkipJsonSchema[list[AskedFunction]] = Field(default_factory=list)
    constraints: Constraints = Field(default_factory=Constraints)
    unknown: list[UnknownMention] = Field(default_factory=list)
    descriptive: list[str] = Field(default_factory=list, description="Project names and goals: not parts")
    analog_blocks: list[str] = Field(default_factory=list, description="Sizing blocks asked for (rc_lowpass, ne555_astable ...)")
    preferences: list[str] = Field(default_factory=list, description="Design choices the request states: pwm, "
                                   "prefer_mosfet, pullups_requested, button_pull:down, board_power:usb, spi_link, tones ...")
    notes: list[str] = Field(default_factory=list, description="What understanding decided and why (alternatives offered ...)")

    def named(self, key: str) -> NamedPart | None:
        return next((p for p in self.named_parts if p.key == key), None)
