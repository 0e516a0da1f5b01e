"""The rules design pipeline end to end: real requests in, real wiring checked out of the netlist."""

from __future__ import annotations

import pytest

from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.units import nearest_e, parse_value
from pipelines.design import design


def _run(request: str, library):
    turn = design(request, backend="rules")
    assert not turn.get("stopped"), turn.get("stopped")
    c = Circuit.model_validate(turn["circuit"])
    return turn, c, Netlist(c, library)


def _parts(c: Circuit, library, pred):
    return [p for p in c.parts if pred(library[p.type])]


def _mcu(c, library):
    return _parts(c, library, lambda r: r.is_mcu)[0]


def _other_end(nl: Netlist, rid: str, ep: str) -> str:
    a, b = nl.record(rid).pin_names
    return f"{rid}:{b}" if ep.endswith(f":{a}") else f"{rid}:{a}"


def _resistors_on(nl: Netlist, ep: str) -> list[str]:
    return [o for o in nl.neighbours(ep) if nl.record(o.split(":")[0]).spice.kind == "resistor"]


@pytest.mark.parametrize("request_text, vf_key", [
    ("Blink an LED using an Arduino Uno", None),
    ("Make an ESP32 flash a red LED", "led-red"),
])
def test_led_resistor_follows_supply_vf_and_pin_current(library, request_text, vf_key):
    turn, c, nl = _run(request_text, library)
    assert turn["passed"], turn["findings"]
    led = _parts(c, library, lambda r: r.flags.needs_series_resistor)[0]
    rec = library[led.type]
    if vf_key:
        assert led.type == vf_key
    anode = next(p.name for p in rec.pins if "anode" in p.functions)
    cathode = next(p.name for p in rec.pins if "cathode" in p.functions)
    assert nl.net_of(f"{led.id}:{cathode}").name == "GND"
    (r_ep,) = _resistors_on(nl, f"{led.id}:{anode}")
    rid = r_ep.split(":")[0]
    drive = [o for o in nl.neighbours(_other_end(nl, rid, r_ep)) if o.split(":")[0] == _mcu(c, library).id]
    assert len(drive) == 1, "the resistor's other end goes to a controller pin"
    pin = nl.pin(drive[0])
    # R = (V_pin − Vf) / I, with I = the LED's nominal current but at most 75 % of the pin's rating,
    # rounded up to E24 so the current never exceeds it
    current = min(rec.ratings.if_nom, 0.75 * pin.i_max)
    expected = nearest_e((pin.v_out - rec.ratings.vf) / current, "E24", mode="up")
    got = parse_value(c.part(rid).attrs["value"], "Ω")
    assert got == pytest.approx(expected)
    assert any(v["part"] == rid and "R = (" in v["formula"] for v in turn["plan"]["values"])


def test_blue_led_on_a_3v3_pin_runs_from_a_higher_rail_through_a_transistor(library):
    turn, c, nl = _run("Make an ESP32 flash a blue LED", library)
    assert turn["passed"], turn["findings"]
    led = next(p for p in c.parts if p.type == "led-blue")
    rec = library["led-blue"]
    anode = next(p.name for p in rec.pins if "anode" in p.functions)
    cathode = next(p.name for p in rec.pins if "cathode" in p.functions)
    (r_ep,) = _resistors_on(nl, f"{led.id}:{anode}")
    rid = r_ep.split(":")[0]
    rail_v = nl.net_voltage(nl.net_of(_other_end(nl, rid, r_ep)))
    assert rail_v is not None and rail_v - rec.ratings.vf >= 1.0, "fed from a rail with headroom over Vf"
    switch = [o for o in nl.neighbours(f"{led.id}:{cathode}") if library[c.part(o.split(':')[0]).type].spice.kind in ("npn", "nmos")]
    assert switch
    expected = nearest_e((rail_v - 0.2 - rec.ratings.vf) / rec.ratings.if_nom, "E24", mode="up")
    assert parse_value(c.part(rid).attrs["value"], "Ω") == pytest.approx(expected)


def test_button_uses_internal_pullup_or_a_resistor(library):
    turn, c, nl = _run("Arduino Uno with a push button that toggles an LED", library)
    assert turn["passed"]
    sw = _parts(c, library, lambda r: r.spice.kind == "switch")[0]
    mcu = _mcu(c, library)
    t1, t2 = library[sw.type].pin_names[:2]
    on_mcu = [o for t in (t1, t2) for o in nl.neighbours(f"{sw.id}:{t}") if o.startswith(mcu.id + ":")]
    pins = [o for o in on_mcu if nl.pin(o).type in ("digital_io", "digital_in")]
    assert len(pins) == 1
    mcu_pin = nl.pin(pins[0])
    assert {nl.net_of(f"{sw.id}:{t}").name for t in (t1, t2)} >= {"GND"}
    # the Uno's GPIOs have internal pull-ups: the design uses one and says so
    assert mcu_pin.pullup
    assert mcu_pin.name in str(mcu.attrs.get("pullups", "")).split(",")
    assert "INPUT_PULLUP" in " ".join(turn["plan"]["notes"])


def test_button_gets_a_resistor_when_asked(library):
    turn, c, nl = _run("Wire a buzzer to an ESP32 so it sounds when a push-button is pressed. "
                       "Use a resistor for the button.", library)
    assert turn["passed"]
    sw = _parts(c, library, lambda r: r.spice.kind == "switch")[0]
    mcu = _mcu(c, library)
    signal = next(o for t in library[sw.type].pin_names for o in nl.neighbours(f"{sw.id}:{t}")
                  if o.startswith(mcu.id + ":") and nl.pin(o).type == "digital_io")
    pulls = _resistors_on(nl, signal)
    assert pulls, "a resistor sits on the button's input"
    far = nl.net_of(_other_end(nl, pulls[0].split(":")[0], pulls[0]))
    assert nl.net_voltage(far) in (0.0, 3.3)
    assert parse_value(c.part(pulls[0].split(":")[0]).attrs["value"], "Ω") == pytest.approx(10e3)


def test_i2c_parts_land_on_i2c_capable_pins(library):
    turn, c, nl = _run("Connect an MPU6050 and an SSD1306 OLED display to an ESP32. Both use I2C.", library)
    assert turn["passed"]
    mcu = _mcu(c, library)
    for key in ("mpu6050", "ssd1306"):
        part = next(p for p in c.parts if p.type == key)
        rec = library[key]
        for fn in ("i2c_sda", "i2c_scl"):
            pin = next(p for p in rec.pins if fn in p.functions)
            mcu_pins = [nl.pin(o) for o in nl.net_of(f"{part.id}:{pin.name}").pins if o.startswith(mcu.id + ":")]
            assert mcu_pins and all(fn in p.functions for p in mcu_pins), (key, fn)
        # a 3.3 V board: the modules run from its 3.3 V rail, so no level shifting is needed
        vcc = next(p for p in rec.pins if p.type == "power_in")
        assert nl.net_voltage(nl.net_of(f"{part.id}:{vcc.name}")) == pytest.approx(3.3)


def test_motor_goes_through_a_switch_with_a_flyback_diode(library):
    turn, c, nl = _run("Arduino Uno running a small DC motor", library)
    assert turn["passed"], turn["findings"]
    motor = next(p for p in c.parts if p.type == "dc-motor")
    mcu = _mcu(c, library)
    plus, minus = (f"{motor.id}:{n}" for n in library["dc-motor"].pin_names[:2])
    for ep in (plus, minus):
        assert not any(o.startswith(mcu.id + ":") and nl.pin(o).type.startswith("digital") for o in nl.neighbours(ep))
    supply_side = plus if nl.net_voltage(nl.net_of(plus)) else minus
    switched = minus if supply_side == plus else plus
    assert nl.net_voltage(nl.net_of(supply_side)) > 0
    switch = [o for o in nl.neighbours(switched) if library[c.part(o.split(":")[0]).type].spice.kind in ("nmos", "npn")]
    assert switch, "the motor's return goes through a transistor"
    diodes = [p for p in c.parts if library[p.type].spice.kind == "diode"]
    assert diodes
    d = diodes[0]
    rec = library[d.type]
    k = next(p.name for p in rec.pins if "cathode" in p.functions)
    a = next(p.name for p in rec.pins if "anode" in p.functions)
    assert nl.connected(f"{d.id}:{k}", supply_side) and nl.connected(f"{d.id}:{a}", switched)


def test_five_volt_output_into_a_3v3_board_is_divided(library):
    turn, c, nl = _run("ESP32 with an HC-SR04 distance sensor", library)
    assert turn["passed"]
    hc = next(p for p in c.parts if p.type == "hc-sr04")
    echo = next(p for p in library["hc-sr04"].pins if p.type == "digital_out")
    net = nl.net_of(f"{hc.id}:{echo.name}")
    mcu = _mcu(c, library)
    assert not any(o.startswith(mcu.id + ":") for o in net.pins), "ECHO is not wired straight to the ESP32"
    (top_ep,) = _resistors_on(nl, f"{hc.id}:{echo.name}")
    top = top_ep.split(":")[0]
    tap = _other_end(nl, top, top_ep)
    bottom = [o for o in _resistors_on(nl, tap) if not o.startswith(top + ":")][0].split(":")[0]
    r1 = parse_value(c.part(top).attrs["value"], "Ω")
    r2 = parse_value(c.part(bottom).attrs["value"], "Ω")
    assert 5.0 * r2 / (r1 + r2) <= 3.6
    assert any(o.startswith(mcu.id + ":") for o in nl.net_of(tap).pins)


def test_analog_requests_without_a_board(library):
    turn, c, nl = _run("Show me how to use an inductor and a capacitor to create a LC filter for "
                       "smoothing the output of a switching regulator.", library)
    assert turn["passed"]
    kinds = {library[p.type].spice.kind for p in c.parts}
    assert {"inductor", "capacitor"} <= kinds
    assert not any(library[p.type].is_mcu for p in c.parts)
    ind = next(p for p in c.parts if library[p.type].spice.kind == "inductor")
    cap = next(p for p in c.parts if library[p.type].spice.kind == "capacitor" and p.attrs.get("value")
               and parse_value(p.attrs["value"], "F") >= 1e-6)
    l_h = parse_value(ind.attrs["value"], "H")
    c_f = parse_value(cap.attrs["value"], "F")
    fc = 1 / (2 * 3.14159 * (l_h * c_f) ** 0.5)
    assert fc < 150e3 / 10, "the corner sits well below the regulator's switching frequency"


def test_differently_worded_request_still_gets_real_wiring(library):
    turn, c, nl = _run("I'd like my Uno to light up a green LED whenever someone presses a tactile switch", library)
    assert turn["passed"]
    types = {p.type for p in c.parts}
    assert "led-green" in types and "push-button" in types
    assert turn["findings"] == [] or all(f["severity"] not in ("Critical", "Major") for f in turn["findings"])


def test_many_leds_share_the_chips_package_current(library):
    turn, c, nl = _run("Arduino Mega with 30 LEDs", library)
    assert turn["passed"], turn["findings"]
    mcu = _mcu(c, library)
    limit = library[mcu.type].spice.params["i_gpio_total"]
    total = 0.0
    leds = [p for p in c.parts if library[p.type].flags.needs_series_resistor]
    assert len(leds) == 30
    for led in leds:
        rec = library[led.type]
        anode = next(p.name for p in rec.pins if "anode" in p.functions)
        (r_ep,) = _resistors_on(nl, f"{led.id}:{anode}")
        ohms = parse_value(c.part(r_ep.split(":")[0]).attrs["value"], "Ω")
        total += (5.0 - rec.ratings.vf) / ohms
    assert total <= limit, "the LEDs together stay inside the ATmega's 200 mA"


def test_a_5v_board_talks_to_a_3v3_spi_part_through_a_level_shifter_the_right_way_round(library):
    turn, c, nl = _run("An Arduino Uno reads an MFRC522 RFID reader via SPI", library)
    assert turn["passed"], turn["findings"]
    mcu = _mcu(c, library)
    rfid = next(p for p in c.parts if p.type == "mfrc522")
    shifter = next(p for p in c.parts if "level" in library[p.type].name.lower())
    srec = library[shifter.type]
    lv = next(p.name for p in srec.pins if p.type == "power_in" and p.name.upper().startswith("LV"))
    hv = next(p.name for p in srec.pins if p.type == "power_in" and p.name.upper().startswith("HV"))
    assert nl.net_voltage(nl.net_of(f"{shifter.id}:{lv}")) == pytest.approx(3.3)
    assert nl.net_voltage(nl.net_of(f"{shifter.id}:{hv}")) == pytest.approx(5.0)
    mosi = next(p.name for p in library["mfrc522"].pins if "spi_mosi" in p.functions)
    ends = nl.net_of(f"{rfid.id}:{mosi}").pins
    side = [e.split(":")[1] for e in ends if e.startswith(shifter.id + ":")]
    assert side and side[0].upper().startswith("LV"), "the 3.3 V part sits on the low-voltage side"
    n = side[0][2:]
    far = nl.net_of(f"{shifter.id}:HV{n}").pins
    assert any(e.startswith(mcu.id + ":") and "spi_mosi" in nl.pin(e).functions for e in far)


@pytest.mark.parametrize("request_text", ["ten push buttons read through a PCF8574 by an Arduino Nano",
                                          "an ESP32 reading 6 potentiometers through an MCP3008"])
def test_inputs_go_to_the_chip_that_adds_them(library, request_text):
    """An I/O expander or an ADC chip in the design gives the controller its inputs: every button or
    wiper takes one of the chip's own lines while it has one free (the controller sees the chip over its
    bus), and the chip's lines are not wired to controller pins."""
    turn, c, nl = _run(request_text, library)
    assert turn["passed"], [f["message"] for f in turn["findings"] if f["severity"] in ("Critical", "Major")]
    mcu = _mcu(c, library)
    chip = _parts(c, library, lambda r: r.category in ("ic", "interface") and any(
        p.type in ("digital_io", "analog_in") for p in r.pins))[0]
    lines = [f"{chip.id}:{p.name}" for p in library[chip.type].pins if p.type in ("digital_io", "analog_in")
             and not ({"i2c_sda", "i2c_scl", "spi_miso", "spi_mosi", "spi_sck", "interrupt"} & set(p.functions))]
    inputs = _parts(c, library, lambda r: r.spice.kind in ("switch", "potentiometer") or r.key == "potentiometer")
    asked = 10 if "buttons" in request_text else 6
    assert sum(int(p.attrs.get("count", 1) or 1) for p in inputs) >= asked
    chip_fed, mcu_fed = 0, 0
    for p in inputs:
        on_chip = [o for t in nl.part_pins(p.id) for o in nl.neighbours(t) if o in lines]
        on_mcu = [o for t in nl.part_pins(p.id) for o in nl.neighbours(t)
                  if o.startswith(mcu.id + ":") and nl.pin(o).type not in ("power_in", "power_out", "ground")]
        assert bool(on_chip) != bool(on_mcu), (p.id, on_chip, on_mcu)
        chip_fed, mcu_fed = chip_fed + bool(on_chip), mcu_fed + bool(on_mcu)
    # the chip's lines are used first; only what they cannot hold goes to the controller's own pins
    assert chip_fed == min(len(inputs), len(lines)) and mcu_fed == len(inputs) - chip_fed
    for ln in lines:
        assert not any(o.startswith(mcu.id + ":") for o in nl.neighbours(ln)), ln
