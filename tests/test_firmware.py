"""Starter firmware: pins from the wiring, every part exercised, and a real build."""

from __future__ import annotations

import re

import pytest

from circuit.firmware.check import check_sketch, toolchain_ready
from circuit.firmware.links import served_parts
from circuit.firmware.sketch import generate_sketch
from circuit.model import Circuit
from pipelines.design import design

needs_avr = pytest.mark.skipif(not toolchain_ready(), reason="the offline AVR toolchain is not installed "
                               "(make install adds arduino-builder, arduino-core-avr, gcc-avr, avr-libc)")


def _consts(text: str) -> dict[str, str]:
    return dict(re.findall(r"const uint8_t (\w+) = (\w+);", text))


def _uno_led_button() -> Circuit:
    return Circuit.model_validate({"title": "test", "parts": [
        {"id": "U1", "type": "arduino-uno", "attrs": {"pullups": "D7"}},
        {"id": "R1", "type": "resistor", "attrs": {"value": "220"}}, {"id": "LED1", "type": "led-red"},
        {"id": "SW1", "type": "push-button"}],
        "connections": [["U1:D9", "R1:1"], ["R1:2", "LED1:+"], ["LED1:-", "U1:GND"],
                        ["U1:D7", "SW1:1"], ["SW1:2", "U1:GND"]]})


def test_pin_constants_and_modes_follow_the_wiring():
    sketch = generate_sketch(_uno_led_button())
    consts = _consts(sketch.text)
    assert consts == {"LED1_POS": "9", "SW1_P1": "7"}
    assert "pinMode(SW1_P1, INPUT_PULLUP);" in sketch.text      # the design relies on the internal pull-up
    assert "analogWrite(LED1_POS" in sketch.text                  # D9 has PWM: the LED fades
    assert sketch.drivers == {"LED1": "led-fade", "SW1": "digital-input"}


def test_led_on_a_pin_without_pwm_blinks():
    c = _uno_led_button()
    c.connections[0].source = "U1:D12"
    sketch = generate_sketch(c)
    assert "analogWrite" not in sketch.text and "digitalWrite(LED1_POS, HIGH)" in sketch.text


def test_transistor_switched_load_is_traced_to_the_load():
    c = Circuit.model_validate({"parts": [
        {"id": "U1", "type": "arduino-uno"}, {"id": "R1", "type": "resistor", "attrs": {"value": "1k"}},
        {"id": "Q1", "type": "2n2222"}, {"id": "BZ1", "type": "passive-buzzer"}],
        "connections": [["U1:D8", "R1:1"], ["R1:2", "Q1:B"], ["Q1:E", "U1:GND"], ["Q1:C", "BZ1:-"], ["BZ1:+", "U1:5V"]]})
    served = {s.part.id: s for s in served_parts(c)}
    assert served["BZ1"].switched_by == "Q1" and served["BZ1"].links[0].via == ["R1", "Q1"]
    sketch = generate_sketch(c)
    assert sketch.drivers["BZ1"] == "tone" and "tone(BZ1_NEG, 1000, 200);" in sketch.text


@needs_avr
def test_demo_design_sketch_compiles_for_the_uno(tmp_path):
    turn = design("Blink an LED with a button on an Arduino Uno", backend="rules", out_dir=str(tmp_path))
    text = (tmp_path / "firmware" / "sketch.ino").read_text()
    circuit = Circuit.model_validate(turn["circuit"])
    # each constant names the controller pin the wire really goes to
    for name, value in _consts(text).items():
        pid = name.split("_", 1)[0]
        assert any(pid == p.id for p in circuit.parts)
        assert re.search(rf"U\d+ (D{value}|{value}) -> {pid} ", text), name
    result = check_sketch(generate_sketch(circuit))
    assert result.compiled is True, result.errors


@needs_avr
def test_a_broken_sketch_fails_the_build():
    sketch = generate_sketch(_uno_led_button())
    sketch.text = sketch.text.replace("void loop() {", "void loop() { undeclared_call();", 1)
    result = check_sketch(sketch)
    assert result.compiled is False and any("undeclared_call" in e for e in result.errors)


def test_other_boards_get_a_syntax_check_that_can_fail():
    c = _uno_led_button()
    c.parts[0].type = "esp32-devkit-v1"
    c.parts[0].attrs = {}
    c.connections[0].source, c.connections[3].source = "U1:D25", "U1:D26"
    sketch = generate_sketch(c)
    assert _consts(sketch.text) == {"LED1_POS": "25", "SW1_P1": "26"}
    good = check_sketch(sketch)
    assert good.compiled == "syntax-only", good.errors
    sketch.text += "\nint broken( {\n"
    assert check_sketch(sketch).compiled is False


@pytest.mark.parametrize("board, led_pin, button_pin, want", [
    ("stm32-blackpill", "PB6", "PB7", {"LED1_POS": "PB6", "SW1_P1": "PB7"}),       # port pin names (STM32duino)
    ("seeed-xiao-esp32c3", "D1", "D2", {"LED1_POS": "3", "SW1_P1": "4"}),         # XIAO labels -> GPIO numbers
    ("arduino-nano-esp32", "D5", "D6", {"LED1_POS": "5", "SW1_P1": "6"}),         # Arduino numbering, not GPIO
    ("teensy-40", "9", "7", {"LED1_POS": "9", "SW1_P1": "7"}),
])
def test_new_boards_name_their_pins_as_their_core_does(board, led_pin, button_pin, want):
    c = _uno_led_button()
    c.parts[0].type = board
    c.parts[0].attrs = {}
    c.connections[0].source, c.connections[3].source = f"U1:{led_pin}", f"U1:{button_pin}"
    sketch = generate_sketch(c)
    assert _consts(sketch.text) == want
    assert check_sketch(sketch).compiled == "syntax-only"


@needs_avr
def test_part_without_starter_code_gets_a_todo_and_the_rest_still_builds():
    c = Circuit.model_validate({"parts": [
        {"id": "U1", "type": "arduino-nano"}, {"id": "R1", "type": "resistor", "attrs": {"value": "330"}},
        {"id": "D1", "type": "ws2812b"}, {"id": "U2", "type": "hc-sr04"}],
        "connections": [["U1:D6", "R1:1"], ["R1:2", "D1:DIN"], ["D1:5V", "U1:5V"], ["D1:GND", "U1:GND"],
                        ["U1:D2", "U2:TRIG"], ["U1:D3", "U2:ECHO"], ["U2:VCC", "U1:5V"], ["U2:GND", "U1:GND"]]})
    sketch = generate_sketch(c)
    assert "D1" in sketch.todo and re.search(r"// TODO D1 \(.*\): .*NeoPixel", sketch.text)
    assert sketch.drivers == {"U2": "ultrasonic"}
    assert check_sketch(sketch).compiled is True


def test_no_board_no_sketch():
    c = Circuit.model_validate({"parts": [{"id": "B1", "type": "battery-9v"}, {"id": "LED1", "type": "led"}],
                                "connections": [["B1:+", "LED1:+"]]})
    assert generate_sketch(c) is None
