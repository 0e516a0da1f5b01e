"""One table of LED forward voltages (circuit.led_colors), read alike by the ERC, the SPICE gate and
the sizing engine."""

from __future__ import annotations

import pytest

from circuit.erc import ErcContext
from circuit.erc.paths import led_vf
from circuit.led_colors import COLOUR_VF, RGB_CHANNEL_VF, colour_key, forward_voltage, record_colour
from circuit.load import load_circuit
from circuit.sizing.blocks import make_block
from circuit.sizing.devices import LED_VF
from circuit.spice_netlist import build_deck
from tests.erc_util import build, findings


def _ctx(doc, library):
    return ErcContext(load_circuit(doc, library).circuit, library)


def _deck(doc, library):
    return build_deck(load_circuit(doc, library).circuit, library)


def _spice_vf(deck, pid, pin=None):
    for d in deck.devices:
        if d.kind == "led" and d.pid == pid and (pin is None or f"{pid}:{pin}" in d.pins.values()):
            return d.info["vf"]
    raise AssertionError(f"no LED device {pid} {pin}")


RGB_ON_UNO = ("U1=arduino-uno L1=rgb-led R1=resistor(68) R2=resistor(150) R3=resistor(68)",
              "U1:D9~R1:1 R1:2~L1:G U1:D10~R2:1 R2:2~L1:R U1:D11~R3:1 R3:2~L1:B L1:COM~U1:GND")


def test_rgb_green_is_an_ingan_chip_in_the_erc_and_the_spice_gate(library):
    doc = build(*RGB_ON_UNO)
    ctx = _ctx(doc, library)
    assert led_vf(ctx, "L1", "G", "COM") == RGB_CHANNEL_VF["green"] == pytest.approx(3.2)
    assert _spice_vf(_deck(doc, library), "L1", "G") == RGB_CHANNEL_VF["green"]
    # (5 V - 3.2 V) / 68 Ω = 26 mA is within the chip's 30 mA; with a 2.2 V green it would be 41 mA
    assert not [f for f in findings(doc, library, "ERC-LED-RESISTOR-RANGE") if "L1" in " ".join(f.where)]


def test_rgb_channels_of_a_common_anode_part_keep_their_colours(library):
    doc = build("U1=arduino-uno L1=rgb-led(common=anode) R1=resistor(100)",
                "U1:5V~L1:COM L1:G~R1:1 R1:2~U1:D9")
    assert led_vf(_ctx(doc, library), "L1", "COM", "G") == RGB_CHANNEL_VF["green"]
    assert _spice_vf(_deck(doc, library), "L1", "G") == RGB_CHANNEL_VF["green"]


def test_red_is_one_figure_everywhere(library):
    doc = build("U1=arduino-uno R1=resistor(220) LED1=led(color=red) LED2=led",
                "U1:D13~R1:1 R1:2~LED1:+ LED1:-~U1:GND U1:D12~LED2:+ LED2:-~U1:GND")
    red = COLOUR_VF["red"]
    assert led_vf(_ctx(doc, library), "LED1") == red
    assert led_vf(_ctx(doc, library), "LED2") == red  # the generic LED is red without a colour
    deck = _deck(doc, library)
    assert _spice_vf(deck, "LED1") == red and _spice_vf(deck, "LED2") == red
    assert LED_VF["red"] == red
    assert make_block("led_driver", {"vsupply": 5.0, "color": "red"})._vf() == red
    assert library["led-red"].ratings.vf == red


def test_seven_segment_g_and_b_segments_are_not_green_and_blue(library):
    doc = build("U1=arduino-uno D1=7-segment-display R1=resistor(220) R2=resistor(220)",
                "U1:D2~R1:1 R1:2~D1:G U1:D3~R2:1 R2:2~D1:B D1:com~U1:GND")
    rec_vf = library["7-segment-display"].ratings.vf
    ctx = _ctx(doc, library)
    assert led_vf(ctx, "D1", "G", "com") == rec_vf and led_vf(ctx, "D1", "B", "com") == rec_vf
    deck = _deck(doc, library)
    assert _spice_vf(deck, "D1", "g") == rec_vf and _spice_vf(deck, "D1", "b") == rec_vf


def test_the_table_agrees_with_the_single_colour_records(library):
    for key in ("led-red", "led-yellow", "led-green", "led-white", "led-blue"):
        rec = library[key]
        colour = record_colour(rec)
        assert colour is not None and rec.ratings.if_nom == pytest.approx(0.02)
        # blue: two datasheets (Cree 3.2 V, Kingbright 3.3 V) within a tenth of a volt
        assert rec.ratings.vf == pytest.approx(COLOUR_VF[colour], abs=0.11), key


def test_a_coloured_record_keeps_its_own_forward_voltage(library):
    doc = build("U1=arduino-uno R1=resistor(220) LED1=led-red(color=blue)",
                "U1:D13~R1:1 R1:2~LED1:+ LED1:-~U1:GND")
    assert led_vf(_ctx(doc, library), "LED1") == library["led-red"].ratings.vf
    deck = _deck(doc, library)
    assert _spice_vf(deck, "LED1") == library["led-red"].ratings.vf
    assert any("blue" in n and "red" in n for n in deck.notes)


def test_colour_words():
    assert colour_key("Warm White") == "white" and colour_key("amber") == "orange"
    assert colour_key("octarine") is None and colour_key(3) is None


def test_forward_voltage_without_a_record_vf_falls_back_on_the_colour(library):
    rec = library["led"].model_copy(deep=True)
    rec.ratings.vf = None
    assert forward_voltage(rec, {}).vf == COLOUR_VF["red"]
    assert forward_voltage(rec, {"colour": "UV"}).vf == COLOUR_VF["uv"]
