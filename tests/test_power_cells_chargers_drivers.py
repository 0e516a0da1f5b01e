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


def test_a_speaker_goes_across_a_bridge_tied_amplifier_output(library):
    turn, c, nl = _run("ESP32 with a MAX98357A I2S amplifier driving a speaker", library)
    assert turn["passed"], turn.get("findings")
    amp, spk = _of(c, "max98357a")[0], _of(c, "speaker")[0]
    assert _peers(nl, f"{spk.id}:+") == {f"{amp.id}:SPK+"}
    assert _peers(nl, f"{spk.id}:-") == {f"{amp.id}:SPK-"}
    assert not _of(c, "lm386")  # the named class-D amplifier is the amplifier


def test_a_single_ended_amplifier_output_reaches_the_speaker_through_a_dc_blocking_capacitor(library):
    _, c, nl = _run("LM386 amplifier driving an 8 ohm speaker from an Arduino Uno tone pin", library)
    amp, spk = _of(c, "lm386")[0], _of(c, "speaker")[0]
    on_out = _peers(nl, f"{amp.id}:VOUT")
    caps = [e.split(":")[0] for e in on_out if library[c.part(e.split(":")[0]).type].value_unit == "F"]
    assert len(caps) == 1, on_out
    cap = c.part(caps[0])
    assert parse_value(cap.attrs["value"], "F") >= 1 / (2 * 3.1416 * 8.0 * 100.0)  # passes 100 Hz into 8 ohm
    other = [p.name for p in library[cap.type].pins if f"{cap.id}:{p.name}" not in on_out]
    assert f"{spk.id}:+" in _peers(nl, f"{cap.id}:{other[0]}")
    assert not any(library[c.part(e.split(":")[0]).type].is_mcu for e in on_out)  # not read back by an ADC
    assert not any(p.type in ("tip120",) for p in c.parts)  # no transistor switching the speaker


def test_a_protection_board_guards_the_cell_and_a_usb_output_is_boosted_from_it(library):
    # a board that only protects (record: cell_protection, no charger) goes on the cell; the charger charges
    # through its output, and a USB output is boosted from the cell, not fed by a wall adapter added for it
    from agents.rules.power_tree import converter_kind, is_source
    turn, c, nl = _run("one 18650 cell, a TP4056 charging board, a separate 1S BMS and a USB-A socket", library)
    sources = [p for p in c.parts if is_source(library[p.type])]
    assert [library[p.type].safety.cell for p in sources] == ["li-ion"], [p.type for p in sources]
    guard = next(p for p in c.parts if library[p.type].safety.cell_protection and not library[p.type].safety.charger
                 and library[p.type].safety.cell is None)
    b_in = library[guard.type].pins_of_type("power_in")[0].name
    cell = sources[0]
    assert any(ep.startswith(f"{cell.id}:") for ep in _peers(nl, f"{guard.id}:{b_in}"))
    boosts = [p for p in c.parts if converter_kind(library[p.type]) == "boost"]
    socket = next(p for p in c.parts if library[p.type].category == "interface")
    s_in = library[socket.type].pins_of_type("power_in")[0].name
    assert boosts and any(ep.startswith(f"{boosts[0].id}:") for ep in _peers(nl, f"{socket.id}:{s_in}"))
    assert turn.get("passed"), [f for f in turn.get("findings") or [] if f.get("severity") in ("Critical", "Major")]


def test_a_charger_whose_cell_pin_goes_by_an_alias_is_wired_to_the_cell(library):
    # a bare charger module names its cell pin "B+" (alias BAT+): it is still the pin the cell goes on
    turn, c, nl = _run("a lipo cell, an unprotected tp4056 and a 1S BMS lighting a white LED", library)
    charger = next(p for p in c.parts if library[p.type].safety.charger)
    pack = {p.id for p in c.parts if library[p.type].ratings.capacity_ah or library[p.type].safety.cell_protection} \
        - {charger.id}
    # a supply pin of the charger (not its ground) shares a net with the cell or the board protecting it
    live = [pin.name for pin in library[charger.type].pins if pin.type != "ground"]
    assert any(ep.split(":", 1)[0] in pack for name in live for ep in _peers(nl, f"{charger.id}:{name}")), live
    assert turn.get("passed"), [f for f in turn.get("findings") or [] if f.get("severity") in ("Critical", "Major")]
