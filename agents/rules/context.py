"""Shared state of one rules plan: the builder, the power tree, level shifting, I2C bus
membership, the drive outputs (controller pins or expander outputs) loads can use, and the inputs
other chips offer (expander port lines, ADC channels)."""

from __future__ import annotations

from dataclasses import dataclass, field

from agents.models import Identification
from agents.rules import parts as P
from agents.rules.builder import Board, DesignBuilder
from agents.rules.level_shift import LevelShifting
from agents.rules.power_tree import PowerTree
from knowledge.library import Library


@dataclass
class DriveOutput:
    """A pin that can drive a small load high: a controller GPIO or a shift-register output."""

    endpoint: str
    v_high: float
    i_max: float | None
    owner: str


@dataclass
class InputLine:
    """An input another chip offers the controller: an I/O expander's port line (a button reads it) or an
    ADC chip's channel (a potentiometer's wiper goes to it)."""

    endpoint: str
    volts: float
    owner: str
    pullup: bool = False


@dataclass
class PlanContext:
    lib: Library
    ident: Identification
    b: DesignBuilder = field(init=False)
    power: PowerTree = field(init=False)
    levels: LevelShifting = field(init=False)
    i2c: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # board id → [(part, volts)]
    expander_outputs: list[DriveOutput] = field(default_factory=list)
    expander_inputs: list[InputLine] = field(default_factory=list)  # port lines of I/O expanders, free
    adc_inputs: list[InputLine] = field(default_factory=list)  # channels of ADC chips, free
    options: set[str] = field(default_factory=set)
    led_share: dict[str, float] = field(default_factory=dict)  # board id -> current each directly driven LED may take
    channel_rails: dict = field(default_factory=dict)  # PWM driver id -> the rail its channels' loads share
    own_supply_rail: object = None  # the one supply the loads that need their own share (None: not made yet)

    def __post_init__(self) -> None:
        self.b = DesignBuilder(self.lib, "")
        self.power = PowerTree(self.b)
        self.levels = LevelShifting(self.b, self.power)

    # ---- power ---------------------------------------------------------------------
    def power_part(self, pid: str, prefer: float | None = None, current: float | None = None,
                   rail_given=None) -> float | None:
        """Put each (logic) supply pin of a part on a rail it accepts (``rail_given``: that rail); ground it.
        Returns its volts."""
        rec = self.b.rec(pid)
        draw = P.current_draw(rec) if current is None else current
        volts: float | None = None
        for pin in P.power_in_pins(rec):
            if P.is_load_supply_pin(rec, pin):
                continue
            rail = rail_given or self.power.rail_for(rec, pin, draw, prefer if volts is None else volts, pid)
            if rail is None:
                self.b.unmet(f"No rail can supply {pid}'s {pin.name}; connect a supply it accepts.")
                continue
            self.b.power(f"{pid}:{pin.name}", rail, draw, f"{rail.name} powers {pid}")
            if draw:  # the part's peak counts once, on the rail that carries its draw
                rail.peak += max(P.peak_draw(rec), draw)
            draw = 0.0
            if volts is None:
                volts = rail.volts
        self.b.ground_part(pid, f"{pid} ground")
        if volts is not None:
            self.power.part_volts[pid] = volts
        return volts

    def logic_rail(self, board: Board | None, volts: float | None = None):
        v = volts if volts is not None else (board.logic if board else 5.0)
        return self.b.find_rail(v - 0.15, v + 0.15)

    # ---- boards --------------------------------------------------------------------
    def board_for(self, pid: str | None = None) -> Board | None:
        return self.b.board()
