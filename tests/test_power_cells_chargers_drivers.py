"""Cells counted as a pack, a charger fed by the source the request names, a buck-boost fed from a pack above
its output, and servos on a PWM driver's channels: real requests in, the netlist checked out."""

from __future__ import annotations

from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.units import parse_value
from pipelines.design import design


def _run(request: str, library):
    turn = design(request, backend="rules")
    assert not turn.get("stopped"), turn.get("stopped")
    c = Circuit.model_validate(turn["circuit"])
    return turn, c, Netlist(c, library)


def _of(c: Circuit, key: str):
    return [p for p in c.parts if p.type == key]


def _peers(nl: Netlist, endpoint: str) -> set[str]:
    net = nl.net_of(endpoint)
    return {ep for ep, _ in nl.pins_on(net)} - {endpoint} if net else set()


def test_a_count_of_aa_cells_is_one_pack_of_that_many_in_series(library):
    for request, n in (("3 AA batteries powering an Arduino Nano and a buzzer", 3),
                       ("two AA cells lighting a red LED", 2)):
        _, c, _ = _run(request, library)
        cells = _of(c, "aa-cell")
        assert len(cells) == 1, [p.type for p in c.parts]
        assert int(cells[0].attrs["cells_series"]) == n
        assert abs(parse_value(cells[0].attrs["voltage"], "V") - 1.5 * n) < 0.05
        assert not _of(c, "aa-battery-pack")


def test_a_named_pack_with_its_count_in_its_name_is_one_pack(library):
    _, c, _ = _run("4 AA batteries running a buzzer from an Arduino Nano", library)
    assert len(_of(c, "aa-battery-pack")) == 1 and not _of(c, "aa-cell")


def test_a_solar_panel_feeds_the_solar_charger_and_nothing_else(library):
    turn, c, nl = _run("solar panel + cn3791 + 18650 cell", library)
    assert turn["passed"], turn.get("findings")
    panel, charger = _of(c, "solar-panel-6v")[0], _of(c, "cn3791-solar-charger")[0]
    rec = library["cn3791-solar-charger"]
    charge_in = rec.pins_of_type("power_in")[0].name
    peers = _peers(nl, f"{panel.id}:+")
    assert f"{charger.id}:{charge_in}" in peers
    others = {e.split(":")[0] for e in peers} - {panel.id, charger.id}
    assert not others, others  # no board or module runs straight from the panel
    walls = [p for p in c.parts if library[p.type].source_kind == "adapter"]
    assert not walls, [p.type for p in walls]


def test_a_buck_boost_takes_a_pack_above_its_output(library):
    _, c, nl = _run("XL6009 buck-boost module keeping 5V from 4 AA batteries for 5 white LEDs", library)
    conv, pack = _of(c, "xl6009-buck-boost-converter")[0], _of(c, "aa-battery-pack")[0]
    assert f"{pack.id}:+" in _peers(nl, f"{conv.id}:IN+")
    assert not _of(c, "18650-battery")


def test_servos_take_the_pwm_driver_channels_not_controller_pins(library):
    turn, c, nl = _run("PCA9685 board running 8 SG90 servos for a robot arm, controlled by an Arduino Uno", library)
    assert turn["passed"], turn.get("findings")
    driver = _of(c, "pca9685")[0]
    servos = _of(c, "sg90")
    assert len(servos) == 8
    channels = set()
    for s in servos:
        peers = _peers(nl, f"{s.id}:PWM")
        on_driver = {e for e in peers if e.startswith(f"{driver.id}:PWM")}
        assert len(on_driver) == 1, (s.id, peers)
        channels |= on_driver
        assert not any(e.startswith("U1:") for e in peers), peers
    assert len(channels) == 8  # one channel each
    # the driver's channels are outputs to servos, never wired back to the controller
    for p in library["pca9685"].pins:
        if p.name.startswith("PWM"):
            assert not any(e.startswith("U1:") for e in _peers(nl, f"{driver.id}:{p.name}"))
