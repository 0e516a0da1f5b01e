"""A sizing building block: a parameterised circuit with a SPICE testbench and measurable specs.

A block declares its free components (:class:`Param`), what it can measure (``measures``), the
spec and condition slots a request fills (:class:`Slot`, each with a description the
understanding layer matches words against), an analytic first guess, an optional analytic
prediction (used to rank candidate E-series values before spending simulations), the circuit as a
person builds it (:meth:`Block.build`: every part with its value, bias dividers and coupling
capacitors included, on named port nodes), the testbench decks around it, and how to read the
measures from SPICE. :meth:`Block.to_circuit` turns the built circuit into CircuitJSON with
knowledge-base part keys, for the designer to reuse as a sub-circuit.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from circuit.sim import SimulationError, simulate, spice_number
from circuit.sizing.subcircuit import bill_of_parts, netlist_to_circuit
from circuit.sizing.spec import Spec
from knowledge.library import Library
from knowledge.role_defaults import default_part


@dataclass(frozen=True)
class Param:
    name: str                 # designator in the testbench: R1, C1, RF ...
    kind: str                 # "R", "C" or "L"
    lo: float
    hi: float
    tolerance: float | None = None  # part tolerance for the Monte Carlo; defaults by kind
    series: str | None = None  # the E-series its values come from, where not the search's (a timing capacitor: E6)

    @property
    def unit(self) -> str:
        return {"R": "Ω", "C": "F", "L": "H"}[self.kind]

    @property
    def default_tolerance(self) -> float:
        if self.tolerance is not None:
            return self.tolerance
        return {"R": 0.01, "C": 0.10, "L": 0.10}[self.kind]


@dataclass(frozen=True)
class Slot:
    """One thing a request can state about a block.

    ``role``: "spec" (a measure to meet), "env" (a condition: supply, load, input amplitude) or
    "fixed" (a part value the user already chose; ``name`` is its designator). ``description`` is
    what the slot means in words; quantities are matched to slots by their unit and by the words
    around them compared with it. ``inequality``: the slot takes "at least"/"at most" (a bandwidth,
    a current limit); otherwise its op is ``op`` whatever the words say ("noise above 50 Hz" is a
    corner, not a floor). ``pair``: a ± value also sets this env key to the negative (±12 V rails).
    ``range_keys``: a range ("9–12 V") fills these two env keys.
    """

    name: str
    unit: str
    description: str
    role: str = "spec"
    op: str = "="
    inequality: bool = False
    required: bool = False
    tol: float = 0.05
    pair: str | None = None
    range_keys: tuple[str, str] | None = None
    peak: bool = False        # an amplitude: Vpp / Vrms are read as their peak
    prior: float = 0.0        # > 0: may take a value whose surrounding words say nothing (a supply named by value alone)


@dataclass(frozen=True)
class DefaultPart:
    """A ``default_env`` entry for the block's device when the request names none: the record the
    library makes the default for ``job`` (its ``default_for``, knowledge/role_defaults.py)."""

    job: str


def default_key(job: str) -> str:
    """The key of the library's default part for ``job`` (a signal diode in a block's netlist ...)."""
    return default_part(Library.default(), job).key


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
    description: ClassVar[str] = ""                # what it is and does, in words (block choice by meaning)
    device: ClassVar[str | None] = None            # the kind of named part it is built around: opamp, npn, nmos, 555, regulator
    passes: ClassVar[str | None] = None            # a filter: the frequencies it keeps, "low", "high" or "band"
    slots: ClassVar[tuple[Slot, ...]] = ()         # what a request can state about it
    named_values: ClassVar[dict[str, tuple[str, float]]] = {}  # a word that is a value: response name -> (slot, value)
    requires_one_of: ClassVar[tuple[tuple[str, ...], ...]] = ()  # alternative sets of slots, one must be given
    ratios: ClassVar[dict[str, tuple[str, str]]] = {}  # a spec stated as two conditions: name -> (numerator, denominator)
    ports: ClassVar[dict[str, str]] = {}           # node name in build() -> what connects there
    measures: ClassVar[dict[str, str]] = {}        # measure name -> unit
    default_env: ClassVar[dict[str, Any]] = {}
    env: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        merged = dict(self.default_env)
        # keep the conditions this block uses; a request may mention others (a supply named twice, say)
        merged.update({k: v for k, v in (self.env or {}).items() if k in self.default_env or k == "fixed"})
        for k, v in merged.items():
            if isinstance(v, DefaultPart):
                merged[k] = default_key(v.job)
        self.env = merged
        self.env["fixed"] = dict(self.env.get("fixed") or {})
        self.derive_env()

    @classmethod
    def derived_specs(cls, env: dict[str, Any]) -> dict[str, float]:
        """Specs a request states through conditions (a gain as the level out over the level in, from ``ratios``;
        a 555's frequency from its on and off times)."""
        return {name: abs(env[num] / env[den]) for name, (num, den) in cls.ratios.items() if env.get(num) and env.get(den)}

    def derive_env(self) -> None:
        """Complete conditions that follow from others (a load resistance from its voltage and current)."""

    @property
    def fixed(self) -> dict[str, float]:
        """Part values the user chose; the search keeps them."""
        names = {p.name for p in self.params()}
        return {k: float(v) for k, v in self.env.get("fixed", {}).items() if k in names}

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
    def build(self, values: dict[str, float]) -> str:
        """The circuit a person builds: every part with its value (models included), on the nodes named
        in ``ports``; no sources. The testbench decks wrap exactly these lines."""

    @abstractmethod
    def decks(self, values: dict[str, float]) -> list[tuple[str, str]]:
        """(analysis name, deck) pairs to simulate for the measures."""

    def default_specs(self) -> list:
        """Specs implied when a request states none (a switch must saturate)."""
        return []

    def notes(self, values: dict[str, float]) -> list[str]:
        """Extra findings for the report (clipping at the stated input amplitude, duty-cycle limits)."""
        return []

    @abstractmethod
    def read(self, results: dict[str, Any], values: dict[str, float]) -> dict[str, float]:
        """Measures from the simulation results (keyed by analysis name)."""

    def check_feasible(self, specs: dict[str, Spec]) -> None:
        """Raise Infeasible with the binding limit when no values can meet the specs."""

    def adapt(self, specs: dict[str, Spec]) -> None:
        """Choose the topology variant the specs need (a steering diode for a 555 at 50 % duty)."""

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
        """The circuit as built, then the main testbench around it, for the user's records.

        Everything above ``TESTBENCH_MARK`` is the circuit (ports: ``self.ports``); below it are the
        sources and the analysis, which a person replaces by their own signal and supply."""
        title, deck = self.decks(values)[0]
        body = self.build(values)
        head = [f"* {self.title}: the circuit as built", "* ports: " + ", ".join(f"{k} = {v}" for k, v in self.ports.items())]
        rest = deck.split("\n", 1)[1] if "\n" in deck else ""
        tb = rest.replace(body, "")
        return "\n".join(head) + "\n" + body.rstrip("\n") + "\n" + TESTBENCH_MARK + "\n" + tb.lstrip("\n")

    def bill(self, values: dict[str, float]) -> list[tuple[str, str, str]]:
        """Every part of the built circuit: (designator, value, what it is), the searched ones and the
        derived ones (bias dividers, coupling and bypass capacitors, feedback resistors)."""
        return bill_of_parts(self.build(values), set(v for v in values))

    def to_circuit(self, values: dict[str, float], prefix: str = "", title: str | None = None):
        """The built circuit as CircuitJSON (circuit.model.Circuit): parts with knowledge-base keys and
        values, connections pin to pin; port nodes are left as labelled nets for the caller to wire.
        ``prefix`` keeps designators unique when several blocks go into one design."""
        return netlist_to_circuit(self.build(values), prefix=prefix, title=title or self.title, ports=self.ports)


# A SPICE number, with the simulator's own check that it is finite.
fmt = spice_number

TESTBENCH_MARK = "* ---- testbench: sources and analysis, not part of the build ----"
