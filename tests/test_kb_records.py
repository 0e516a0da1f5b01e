"""The curated component records: every file validates, keys are unique, MCU pins carry limits,
and every semiconductor model card simulates in ngspice to a physically sensible operating point
that agrees with the ratings written next to it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from knowledge.library import BUILTIN_DIR, Library, parse_record
from knowledge.record import ComponentRecord

PART_FILES = sorted(BUILTIN_DIR.glob("*.yaml"))
MIN_RECORDS = 150


@lru_cache(maxsize=1)
def _builtin() -> Library:
    """The shipped records only (no user folder), loaded once for the whole module."""
    return Library.from_dirs([BUILTIN_DIR])


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def _records_of(path: Path) -> list[ComponentRecord]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    items = data["parts"] if isinstance(data, dict) and "parts" in data else [data]
    return [parse_record(str(path), item) for item in items]


# ---- the library as a whole ---------------------------------------------------------------

def test_library_holds_at_least_150_records():
    lib = _builtin()
    assert len(lib) >= MIN_RECORDS, f"only {len(lib)} records in {BUILTIN_DIR}"


@pytest.mark.parametrize("path", PART_FILES, ids=lambda p: p.name)
def test_every_record_file_validates_and_is_named_for_its_key(path):
    recs = _records_of(path)
    assert recs, f"{path.name} holds no record"
    if len(recs) == 1:
        assert recs[0].key == path.stem, f"{path.name} holds key {recs[0].key!r}; name the file <key>.yaml"
    for r in recs:
        assert r.pins, f"{r.key}: a part without pins cannot be wired"
        assert len(r.source) >= 10, f"{r.key}: name the datasheet in source"


def test_keys_are_unique_across_files():
    seen: dict[str, str] = {}
    for path in PART_FILES:
        for r in _records_of(path):
            assert r.key not in seen, f"key {r.key!r} in both {seen.get(r.key)} and {path.name}"
            seen[r.key] = path.name


def _compact(text: str) -> str:
    """A name as retrieval compares whole requests: lower case, letters and digits only."""
    import re

    return re.sub(r"[^a-z0-9]", "", text.lower())


def ambiguous_names(records) -> list[str]:
    """Aliases shared by two records or equal to another record's key or name, and names two
    records share (case, spaces and punctuation ignored: "5V Relay" = "5v-relay")."""
    owners: dict[str, dict[str, str]] = {}  # compact form -> {key: how that record uses it}
    for r in records:
        owners.setdefault(_compact(r.key), {})[r.key] = "key"
        owners.setdefault(_compact(r.name), {}).setdefault(r.key, "name")
    problems = []
    for r in records:
        for alias in r.aliases:
            c = _compact(alias)
            if not c:
                problems.append(f"{r.key}: alias {alias!r} has no letters or digits")
                continue
            others = {k: how for k, how in owners.get(c, {}).items() if k != r.key}
            if others:
                problems.append(f"{r.key}: alias {alias!r} is also " +
                                ", ".join(f"{k}'s {how}" for k, how in sorted(others.items())))
            owners.setdefault(c, {}).setdefault(r.key, f"alias {alias!r}")
    names: dict[str, str] = {}
    for r in records:
        other = names.setdefault(_compact(r.name), r.key)
        if other != r.key:
            problems.append(f"{r.key} and {other} have the same name {r.name!r}")
    return problems


def test_every_alias_names_one_part_only():
    """"rectifier diode" must mean one part. Generic words belong to the generic (CircuitLM) part
    a beginner means (diode, led, capacitor, servo, relay-module); part numbers and named kinds
    (1N4007, "electrolytic capacitor", "red LED") belong to the specific record."""
    problems = ambiguous_names(list(_builtin()))
    assert not problems, f"{len(problems)} ambiguous name(s):\n  " + "\n  ".join(problems)


def test_ambiguity_check_reports_shared_aliases_keys_and_names():
    lib = _builtin()
    diode, n4007, led = lib["diode"], lib["1n4007"], lib["led"]
    records = [
        diode,
        n4007.model_copy(update={"aliases": [*n4007.aliases, "Rectifier-Diode", "DIODE"]}),
        led.model_copy(update={"name": diode.name}),
    ]
    problems = ambiguous_names(records)
    assert any("'Rectifier-Diode'" in p and "diode's alias" in p for p in problems), problems
    assert any("'DIODE'" in p and "diode's key" in p for p in problems), problems
    assert any("same name" in p for p in problems), problems
    assert ambiguous_names([diode, n4007, led]) == []


# ---- microcontroller boards -----------------------------------------------------------------

MCUS = [r for r in _builtin() if r.is_mcu]


@pytest.mark.parametrize("rec", MCUS, ids=lambda r: r.key)
def test_every_mcu_gpio_has_voltage_and_current_limits(rec):
    gpios = rec.pins_with("gpio")
    assert len(gpios) >= 5, f"{rec.key}: a board with {len(gpios)} GPIOs"
    for p in gpios:
        assert p.v_max is not None and p.i_max is not None, f"{rec.key}:{p.name} lacks v_max/i_max"
        assert 3.0 <= p.v_max <= 6.0, f"{rec.key}:{p.name} v_max {p.v_max} is not a logic-pin limit"
        assert 0 < p.i_max <= 0.05, f"{rec.key}:{p.name} i_max {p.i_max} A is not a GPIO current"
    assert rec.supply.logic_level in (3.3, 5.0), f"{rec.key}: logic level {rec.supply.logic_level}"
    if rec.supply.logic_level == 3.3 and rec.supply.five_v_tolerant:
        assert all(p.v_max >= 5.0 for p in gpios), f"{rec.key}: claims 5 V tolerance but has pins that are not"
    assert rec.supply.logic_level == 3.3 or all(p.v_max >= 5.0 for p in gpios), f"{rec.key}: a 5 V board with 3.3 V pins"
    assert rec.pins_of_type("ground"), f"{rec.key}: no ground pin"
    assert rec.pins_of_type("power_out", "power_in"), f"{rec.key}: no power pin"


# ---- semiconductor model cards in ngspice ---------------------------------------------------

SEMI_KINDS = {"diode", "led", "zener", "npn", "pnp", "nmos", "pmos"}


SEMIS = [r for r in _builtin() if r.spice.kind in SEMI_KINDS and r.spice.model]


@pytest.mark.parametrize("rec", [r for r in _builtin() if r.spice.model], ids=lambda r: r.key)
def test_model_cards_pass_the_netlisters_strict_parser(rec):
    from circuit.spice_safe import parse_model

    card = parse_model(rec.spice.model)
    expected = {"diode": "D", "led": "D", "zener": "D", "npn": "NPN", "pnp": "PNP", "nmos": "VDMOS", "pmos": "VDMOS"}
    if rec.spice.kind in expected:
        assert card.type == expected[rec.spice.kind], f"{rec.key}: a {rec.spice.kind} with a {card.type} card"
    if rec.spice.kind == "pmos":
        assert "pchan" in card.flags, f"{rec.key}: a P-channel VDMOS card needs the pchan flag"
    assert set(rec.spice.terminals) <= set(rec.pin_names)


def _element(rec: ComponentRecord, nodes: dict[str, str]) -> str:
    """The device line plus its model card; ``nodes`` maps the roles
    (a/k, c/b/e, d/g/s) to deck nodes in the order of spice.terminals."""
    kind = rec.spice.kind
    ports = " ".join(nodes[t] for t in rec.spice.terminals)
    letter = {"diode": "D", "led": "D", "zener": "D", "npn": "Q", "pnp": "Q", "nmos": "M", "pmos": "M"}[kind]
    return f"{letter}1 {ports} DUT\n.model DUT {rec.spice.model}\n"


def _op(body: str):
    from circuit.sim import SimulationError, simulate

    deck = f"* {body.splitlines()[0]}\n{body}.op\n.end\n"
    try:
        return simulate(deck, timeout=3)
    except SimulationError as e:
        # circuit.sim can lose ngspice's "finished" callback when a tiny .op completes before
        # run(background=True) raises its running flag; a lost run is retried once.
        if "did not finish" not in str(e):
            raise
        return simulate(deck, timeout=3)


def _map(rec: ComponentRecord, **role_nodes: str) -> dict[str, str]:
    """Map terminal pin names to nodes by the function each pin serves."""
    roles = {"anode": "a", "cathode": "k", "collector": "c", "base": "b", "emitter": "e",
             "drain": "d", "gate": "g", "source": "s"}
    out = {}
    for t in rec.spice.terminals:
        pin = rec.pin(t)
        role = next((roles[f] for f in pin.functions if f in roles), None)
        assert role in role_nodes, f"{rec.key}: terminal {t} serves no known role ({pin.functions})"
        out[t] = role_nodes[role]
    return out


@pytest.fixture(scope="module")
def ngspice():
    from circuit.sim import ngspice_available

    if not ngspice_available():
        pytest.skip("ngspice (libngspice) is not installed")


@pytest.mark.parametrize("rec", [r for r in SEMIS if r.spice.kind in ("diode", "led", "zener")], ids=lambda r: r.key)
def test_diode_model_forward_voltage(rec, ngspice):
    def vf(i: float) -> float:
        return _op(f"I1 0 a DC {i}\n" + _element(rec, _map(rec, a="a", k="0"))).node("a")

    v10 = vf(10e-3)
    if rec.spice.kind == "led":
        assert 1.0 <= v10 <= 3.6, f"{rec.key}: LED Vf {v10:.3f} V at 10 mA (infrared ~1.1 V to blue/white ~3.3 V)"
        if rec.ratings.vf and rec.ratings.if_nom:  # the card is fitted to the typical Vf
            v = vf(rec.ratings.if_nom)
            assert abs(v - rec.ratings.vf) <= 0.1 * rec.ratings.vf, f"{rec.key}: model {v:.3f} V vs rated {rec.ratings.vf} V"
    else:
        assert 0.15 <= v10 <= 1.2, f"{rec.key}: diode Vf {v10:.3f} V at 10 mA"
        if rec.ratings.vf and rec.ratings.if_nom:  # rated vf is the datasheet maximum at if_nom
            v = vf(rec.ratings.if_nom)
            assert v <= 1.05 * rec.ratings.vf, f"{rec.key}: model {v:.3f} V exceeds the rated {rec.ratings.vf} V"
    if rec.spice.kind == "zener":
        assert rec.ratings.vz, f"{rec.key}: a zener without vz"
        # reverse-biased at 20 mA: close to (a little under) its rated voltage
        vr = _op("I1 0 k DC 20m\n" + _element(rec, _map(rec, a="0", k="k"))).node("k")
        assert 0.8 * rec.ratings.vz <= vr <= 1.02 * rec.ratings.vz, f"{rec.key}: Vz {vr:.3f} V at 20 mA"
    elif rec.ratings.vr_max:
        # blocks at its rated reverse voltage: leakage under 1 mA
        r = _op(f"V1 k 0 DC {0.9 * rec.ratings.vr_max}\n" + _element(rec, _map(rec, a="0", k="k")))
        assert abs(r.current("v1")) < 1e-3, f"{rec.key}: leaks {r.current('v1')} A at 90 % of VR"


def _is_darlington(rec: ComponentRecord) -> bool:
    return (rec.ratings.hfe or 0) >= 500


@pytest.mark.parametrize("rec", [r for r in SEMIS if r.spice.kind in ("npn", "pnp")], ids=lambda r: r.key)
def test_bjt_model_biases_sensibly(rec, ngspice):
    pnp = rec.spice.kind == "pnp"
    darlington = _is_darlington(rec)
    ic_target = 0.5 if darlington else min(10e-3, 0.1 * (rec.ratings.ic_max or 0.1))
    ib = ic_target / (1000 if darlington else max(rec.ratings.hfe or 100, 100))
    if not pnp:  # base current forced in, collector held at 5 V
        deck = f"IB 0 b DC {ib}\nVC c 0 DC 5\n" + _element(rec, _map(rec, c="c", b="b", e="0"))
        r = _op(deck)
        vbe, ic = r.node("b"), -r.current("vc")
    else:  # emitter at 5 V, collector at 0 V, base current pulled out
        deck = f"VE e 0 DC 5\nIB b 0 DC {ib}\n" + _element(rec, _map(rec, c="0", b="b", e="e"))
        r = _op(deck)
        vbe, ic = 5 - r.node("b"), -r.current("ve") - ib
    lo, hi = (1.0, 2.5) if darlington else (0.5, 0.9)
    assert lo <= vbe <= hi, f"{rec.key}: Vbe {vbe:.3f} V at Ib {ib:g} A"
    beta = ic / ib
    if rec.ratings.hfe:
        assert beta >= 0.8 * rec.ratings.hfe, f"{rec.key}: model gain {beta:.0f} under the rated minimum {rec.ratings.hfe}"
    assert beta < 5000 if not darlington else beta < 50000


@pytest.mark.parametrize("rec", [r for r in SEMIS if r.spice.kind in ("nmos", "pmos")], ids=lambda r: r.key)
def test_mosfet_model_switches(rec, ngspice):
    p = rec.spice.kind == "pmos"
    vdd = 12.0
    i_load = min(1.0, 0.1 * (rec.ratings.id_max or 1.0))
    rl = vdd / i_load

    def vds(vgs: float) -> float:
        if not p:
            deck = f"V1 vdd 0 DC {vdd}\nRL vdd d {rl}\nVG g 0 DC {vgs}\n" + _element(rec, _map(rec, d="d", g="g", s="0"))
            return _op(deck).node("d")
        deck = f"V1 vdd 0 DC {vdd}\nRL d 0 {rl}\nVG g 0 DC {vdd - vgs}\n" + _element(rec, _map(rec, d="d", g="g", s="vdd"))
        return vdd - _op(deck).node("d")

    assert vds(10.0) < 0.05 * vdd, f"{rec.key}: does not conduct with |Vgs| = 10 V"
    assert vds(0.0) > 0.99 * vdd, f"{rec.key}: conducts with Vgs = 0 V"
    if rec.ratings.rds_on and rec.ratings.rds_on_vgs:
        # the model's on-resistance at the rated gate drive is within the datasheet maximum
        vg = rec.ratings.rds_on_vgs
        on = vds(vg)
        rds = on / ((vdd - on) / rl)
        assert rds <= rec.ratings.rds_on, f"{rec.key}: model RDS(on) {rds:.4f} ohm > rated {rec.ratings.rds_on} at {vg} V"
    if rec.ratings.vgs_th:
        # below threshold it blocks: at half the threshold less than 1 mA flows
        off = vds(0.5 * rec.ratings.vgs_th)
        assert (vdd - off) / rl < 1e-3, f"{rec.key}: conducts at half its threshold"


def test_a_mains_source_says_what_kind_of_source_it_is():
    """``source_kind: mains`` and ``safety.mains_source`` go together: the record that brings mains in is a
    source of its own kind (not a battery, adapter or USB port), and the model rejects one without the other."""
    lib = Library.default()
    mains = [r for r in lib if r.safety.mains_source]
    assert mains and all(r.source_kind == "mains" for r in mains)
    data = yaml.safe_load((BUILTIN_DIR / "mains-input.yaml").read_text(encoding="utf-8"))
    without_kind = {k: v for k, v in data.items() if k != "source_kind"}
    with pytest.raises(ValueError, match="mains"):
        ComponentRecord.model_validate(without_kind)
    flipped = dict(data, safety={"mains_source": False})
    with pytest.raises(ValueError, match="mains"):
        ComponentRecord.model_validate(flipped)
