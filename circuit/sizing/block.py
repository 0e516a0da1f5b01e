"""A sizing building block: a parameterised circuit with a SPICE testbench and measurable specs.

A block declares its free components (:class:`Param`), what it can measure (``measures``), an
analytic first guess, an optional analytic prediction (used to rank candidate E-series values
before spending simulations), the testbench deck, and how to read the measures from SPICE.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from circuit.sim import SimulationError, simulate, spice_number
from circuit.sizing.spec import Spec


@dataclass(frozen=True)
class Param:
    name: str                 # designator in the testbench: R1, C1, RF ...
    kind: str                 # "R", "C" or "L"
    lo: float
    hi: float
    tolerance: float | None = None  # part tolerance for the Monte Carlo; defaults by kind

    @property
    def unit(self) -> str:
        return {"R": "Ω", "C": "F", "L": "H"}[self.kind]

    @property
    def default_tolerance(self) -> float:
        if self.tolerance is not None:
            return self.tolerance
        return {"R": 0.01, "C": 0.10, "L": 0.10}[self.kind]


@dataclass
class Evaluation:
    measures: dict[str, float]
    sims: int
    error: str | None = None


class Infeasible(ValueError):
    """No value can meet the spec; the message names the limit that binds."""


@dataclass
class Block(ABC):
    """Base class. Subclasses set the class attributes and implement params/guess/decks/read."""

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    words: ClassVar[tuple[str, ...]] = ()          # how people name it (for spec parsing)
    measures: ClassVar[dict[str, str]] = {}        # measure name -> unit
    default_env: ClassVar[dict[str, Any]] = {}
    env: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        merged = dict(self.default_env)
        # keep the conditions this block uses; a request may mention others (a supply named twice, say)
        merged.update({k: v for k, v in (self.env or {}).items() if k in self.default_env})
        self.env = merged

    # ---- to implement ----------------------------------------------------------------
    @abstractmethod
    def params(self) -> list[Param]:
        """The free components and the ranges they may take."""

    @abstractmethod
    def guess(self, specs: dict[str, Spec]) -> dict[str, float]:
        """Continuous first guess from the textbook equations."""

    def predict(self, values: dict[str, float]) -> dict[str, float] | None:
        """Analytic measures for ``values`` (no simulation), or None when there is no model."""
        return None

    @abstractmethod
    def decks(self, values: dict[str, float]) -> list[tuple[str, str]]:
        """(analysis name, deck) pairs to simulate for the measures."""

    @abstractmethod
    def read(self, results: dict[str, Any], values: dict[str, float]) -> dict[str, float]:
        """Measures from the simulation results (keyed by analysis name)."""

    def check_feasible(self, specs: dict[str, Spec]) -> None:
        """Raise Infeasible with the binding limit when no values can meet the specs."""

    # ---- provided ----------------------------------------------------------------------
    def evaluate(self, values: dict[str, float], timeout: float = 10.0) -> Evaluation:
        results: dict[str, Any] = {}
        sims = 0
        for name, deck in self.decks(values):
            sims += 1
            try:
                results[name] = simulate(deck, timeout=timeout)
            except SimulationError as e:
                return Evaluation({}, sims, f"{name}: {e}")
        try:
            measured = self.read(results, values)
            return Evaluation({k: v for k, v in measured.items() if k in self.measures}, sims)
        except (KeyError, ValueError, IndexError, ZeroDivisionError) as e:
            return Evaluation({}, sims, f"could not measure: {e}")

    def netlist(self, values: dict[str, float]) -> str:
        """The main testbench deck, for the user's records."""
        return self.decks(values)[0][1]


# A SPICE number, with the simulator's own check that it is finite.
fmt = spice_number
