"""Design faults a QA pass found (the gates passed them): each test builds a real request with the
rules backend and checks the wiring out of the netlist."""

from __future__ import annotations

from circuit.model import Circuit
from circuit.netlist import Netlist
from pipelines.design import design


def _run(request: str, library):
    turn = design(request, backend="rules")
    assert not turn.get("stopped"), turn.get("stopped")
    c = Circuit.model_validate(turn["circuit"])
    return turn, c, Netlist(c, library)


def test_decoupling_capacitor_is_a_ceramic_across_the_ics_supply(library):
    turn, c, nl = _run("Arduino Uno driving eight LEDs through a 74HC595 shift register", library)
    assert turn["passed"], turn["findings"]
    ic = next(p for p in c.parts if p.type == "74hc595")
    caps = [p for p in c.parts if library[p.type].spice.kind == "capacitor"]
    assert caps and all(p.type == "ceramic-capacitor" for p in caps), [p.type for p in caps]
    vcc = next(pin.name for pin in library["74hc595"].pins if pin.type == "power_in")
    on_vcc = [o for o in nl.neighbours(f"{ic.id}:{vcc}") if o.split(":")[0] in {p.id for p in caps}]
    assert on_vcc, "a 100 nF ceramic sits on the 74HC595's supply pin"


def test_i2c_sensor_on_esp32_c3_gets_its_i2c_pins(library):
    """The C3's only I2C-tagged SCL is its BOOT strap (GPIO9): safe for a pulled-up I2C line,
    so the BH1750 is wired rather than left out."""
    turn, c, nl = _run("Read a BH1750 light sensor with an ESP32-C3", library)
    assert turn["passed"], turn["findings"]
    mcu = next(p for p in c.parts if library[p.type].is_mcu)
    sensor = next(p for p in c.parts if p.type == "bh1750")
    for line in ("SDA", "SCL"):
        mcu_pins = [o for o in nl.neighbours(f"{sensor.id}:{line}") if o.split(":")[0] == mcu.id]
        assert len(mcu_pins) == 1, line
        assert f"i2c_{line.lower()}" in nl.pin(mcu_pins[0]).functions


def test_pin_allocator_keeps_psram_pins_and_boot_pins_for_last(library):
    from agents.rules.pin_allocator import PinAllocator, PinsExhausted, memory_bus

    rec = library["esp32-s3-devkitc"]
    reserved = {p.name for p in rec.pins if memory_bus(p)}
    assert reserved == {"35", "36", "37"}, "the record notes GPIO35-37 as octal PSRAM"
    a = PinAllocator("U1", rec)
    order = []
    try:
        while True:
            order.append(a.take("gpio", "LED", "out").pin.name)
    except PinsExhausted:
        pass
    assert set(order[-3:]) == reserved
    boot = {p.name for p in rec.pins if "boot" in p.functions}
    assert boot and not boot & set(order), "a boot strap never drives an LED"


def _feeds_board_vin(c, nl, library, board_pin="VIN"):
    mcu = next(p for p in c.parts if library[p.type].is_mcu)
    return nl.net_of(f"{mcu.id}:{board_pin}")


def test_9v_battery_feeds_the_esp32_devkit_vin(library):
    """DevKit VIN is a two-way pin (USB 5 V out, 4.5-12 V in): a 9 V battery goes there."""
    turn, c, nl = _run("9 V battery powering an ESP32 that blinks an LED", library)
    assert turn["passed"], turn["findings"]
    bat = next(p for p in c.parts if p.type == "battery-9v")
    plus = next(p.name for p in library["battery-9v"].pins if p.type == "power_out")
    assert nl.connected(f"{bat.id}:{plus}", f"{next(p.id for p in c.parts if library[p.type].is_mcu)}:VIN")


def test_18650_reaches_the_esp32_through_a_converter_rated_for_its_voltage(library):
    turn, c, nl = _run("An 18650 cell powering an ESP32 with an LED", library)
    assert turn["passed"], turn["findings"]
    bat = next(p for p in c.parts if p.type == "18650-battery")
    mcu = next(p for p in c.parts if library[p.type].is_mcu)
    # the bare cell reaches it through a protection board (its BAT+ and OUT+ are one node)
    assert any(library[p.type].safety.cell_protection for p in c.parts)
    conv = [p for p in c.parts if library[p.type].category == "power" and p.id != bat.id
            and not library[p.type].safety.cell_protection]
    assert len(conv) == 1
    rec = library[conv[0].type]
    vin = next(p.name for p in rec.pins if p.type == "power_in")
    vout = next(p.name for p in rec.pins if p.type == "power_out")
    assert nl.connected(f"{bat.id}:+", f"{conv[0].id}:{vin}")
    assert nl.connected(f"{conv[0].id}:{vout}", f"{mcu.id}:VIN")
    # its input range covers a Li-ion cell (3.0-4.2 V)
    assert (rec.supply.v_min or 0) <= 3.0 and (rec.ratings.v_in_max or rec.supply.v_max) >= 4.2


def test_named_regulator_sits_between_the_supply_and_the_board(library):
    turn, c, nl = _run("Arduino Nano powered from a 12 V adapter through an LM7805", library)
    assert turn["passed"], turn["findings"]
    reg = next(p for p in c.parts if p.type == "lm7805")
    nano = next(p for p in c.parts if p.type == "arduino-nano")
    out = next(p.name for p in library["lm7805"].pins if p.type == "power_out")
    fed = [p.name for p in library["arduino-nano"].pins if p.type in ("power_in", "power_out")
           and nl.connected(f"{nano.id}:{p.name}", f"{reg.id}:{out}")]
    assert fed, "the LM7805's output powers the Nano"
    assert not nl.connected(f"{nano.id}:VIN", f"{next(p.id for p in c.parts if p.type.startswith('power-supply'))}:+")


def test_addressable_led_strip_is_one_part_with_its_count_fed_from_one_pin(library):
    # a strip of N pixels is one part with count N (issue 10), fed through its data resistor
    turn, c, nl = _run("Arduino Uno with an 8-pixel WS2812B strip", library)
    assert turn["passed"], turn["findings"]
    px = [p for p in c.parts if p.type == "ws2812b"]
    assert len(px) == 1 and int(px[0].attrs.get("count")) == 8
    strip = px[0]
    mcu = next(p for p in c.parts if library[p.type].is_mcu)

    def feeders(ep):  # what drives the pin: its neighbours, and through a series resistor (the record's data resistor)
        out = []
        for o in nl.neighbours(ep):
            part = c.part(o.split(":")[0])
            if part.type == "resistor":
                other = next(n for n in ("1", "2") if not o.endswith(f":{n}"))
                out += nl.neighbours(f"{part.id}:{other}")
            out.append(o)
        return out

    assert [o for o in feeders(f"{strip.id}:DIN") if o.startswith(f"{mcu.id}:")], "a controller pin feeds the strip"
    assert any(p.type == "resistor" and any(nl.connected(f"{p.id}:{n}", f"{strip.id}:DIN") for n in ("1", "2"))
               for p in c.parts), "the data line has its series resistor"


def test_named_level_shifter_bridges_the_two_rails(library):
    turn, c, nl = _run("ESP32 reading an HC-SR04 through a logic level shifter", library)
    assert turn["passed"], turn["findings"]
    shifters = [p for p in c.parts if p.type == "logic-level-shifter"]
    assert len(shifters) == 1
    sh = shifters[0].id
    lv, hv = nl.net_voltage(nl.net_of(f"{sh}:LV")), nl.net_voltage(nl.net_of(f"{sh}:HV"))
    assert lv is not None and hv is not None and abs(lv - 3.3) < 0.2 and abs(hv - 5.0) < 0.3, (lv, hv)
    sensor = next(p for p in c.parts if p.type == "hc-sr04")
    (ch,) = [o for o in nl.neighbours(f"{sensor.id}:ECHO") if o.startswith(f"{sh}:HV")]
    mcu = next(p for p in c.parts if library[p.type].is_mcu)
    low = ch.replace(":HV", ":LV")
    assert any(o.startswith(f"{mcu.id}:") for o in nl.neighbours(low)), "the LV side goes to the ESP32"


def test_555_on_its_own_is_an_astable_with_sized_timing_parts_and_the_led(library):
    from circuit.units import parse_value

    turn, c, nl = _run("Blink an LED with a 555 timer", library)
    assert turn["passed"], turn["findings"]
    assert not any(library[p.type].is_mcu for p in c.parts), "a 555 blinker needs no controller"
    u = next(p.id for p in c.parts if p.type == "ne555")
    res = {p.id: parse_value(p.attrs["value"], "Ω") for p in c.parts if p.type == "resistor"}
    ra = [r for r in res if nl.connected(f"{r}:1", f"{u}:DISCH") or nl.connected(f"{r}:2", f"{u}:DISCH")]
    assert len(ra) == 2, "RA and RB meet at DISCH"
    rb = next(r for r in ra if nl.connected(f"{r}:1", f"{u}:THR") or nl.connected(f"{r}:2", f"{u}:THR"))
    ra_ = next(r for r in ra if r != rb)
    assert nl.connected(f"{u}:TRIG", f"{u}:THR")
    timing = [p for p in c.parts if library[p.type].spice.kind == "capacitor"
              and any(nl.connected(f"{p.id}:{n}", f"{u}:THR") for n in library[p.type].pin_names)]
    assert len(timing) == 1
    cap = parse_value(timing[0].attrs["value"], "F")
    f = 1.44 / ((res[ra_] + 2 * res[rb]) * cap)
    assert 0.3 < f < 3, f  # a visible blink
    led = next(p for p in c.parts if p.type == "led")
    assert any(nl.connected(f"{u}:OUT", f"{r}:{t}") and nl.connected(f"{r}:{'2' if t == '1' else '1'}", f"{led.id}:+")
               for r in res for t in ("1", "2"))


def test_ina219_shunt_is_in_series_with_the_motor_supply(library):
    turn, c, nl = _run("Measure a DC motor's current with an INA219 and an Arduino Uno", library)
    assert turn["passed"], turn["findings"]
    ina = next(p.id for p in c.parts if p.type == "ina219")
    motor = next(p.id for p in c.parts if p.type == "dc-motor")
    assert nl.connected(f"{ina}:VIN-", f"{motor}:+"), "the load side of the shunt feeds the motor"
    src = nl.net_of(f"{ina}:VIN+")
    assert src is not nl.net_of(f"{motor}:+")
    assert any(library[nl.record(o.split(":")[0]).key].category == "power" for o in src.pins), \
        "the supply side of the shunt is the motor's source"


def test_tones_use_a_passive_buzzer_on_a_pwm_pin(library):
    from agents.rules.sounders import self_oscillating

    turn, c, nl = _run("Play a melody on a buzzer with an Arduino Uno", library)
    assert turn["passed"], turn["findings"]
    sounders = [p for p in c.parts if "buzzer" in p.type]
    assert len(sounders) == 1 and not self_oscillating(library[sounders[0].type]), [p.type for p in sounders]
    mcu = next(p for p in c.parts if library[p.type].is_mcu)
    driven = [ep for ep in (f"{mcu.id}:{p.name}" for p in library[mcu.type].pins)
              if nl.net_of(ep) is not None and nl.pin(ep).type == "digital_io"
              and any(not o.startswith(f"{mcu.id}:") for o in nl.net_of(ep).pins)]
    assert driven and all("pwm" in nl.pin(ep).functions for ep in driven), driven


def test_coin_cell_lights_the_led_itself_within_its_current(library):
    from circuit.units import parse_value

    turn, c, nl = _run("A CR2032 coin cell lighting an LED", library)
    assert turn["passed"], turn["findings"]
    assert not any(library[p.type].is_mcu for p in c.parts), "a battery and an LED need no controller"
    cell = next(p.id for p in c.parts if p.type == "cr2032")
    r = next(p for p in c.parts if p.type == "resistor")
    led = next(p.id for p in c.parts if p.type == "led")
    assert nl.connected(f"{cell}:+", f"{r.id}:1") and nl.connected(f"{r.id}:2", f"{led}:+")
    assert nl.connected(f"{led}:-", f"{cell}:-")
    i = (3.0 - library["led"].ratings.vf) / parse_value(r.attrs["value"], "Ω")
    assert i <= library["cr2032"].ratings.i_out_max


def test_count_written_after_the_part_is_the_quantity(library):
    turn, c, nl = _run("Arduino Uno with LEDs x4", library)
    assert turn["passed"], turn["findings"]
    leds = [p for p in c.parts if library[p.type].spice.kind == "led"]
    assert len(leds) == 4
    mcu = next(p for p in c.parts if library[p.type].is_mcu)
    # each LED on its own controller pin through its own resistor
    pins = set()
    for led in leds:
        for r in (o.split(":")[0] for o in nl.neighbours(f"{led.id}:+")):
            pins |= {o for o in nl.net_of(f"{r}:1").pins + nl.net_of(f"{r}:2").pins if o.startswith(f"{mcu.id}:")}
    assert len(pins) == 4


def test_named_relay_module_switches_the_load_with_its_contacts(library):
    turn, c, nl = _run("Switch a 12 V fan with a relay module from an ESP32", library)
    assert turn["passed"], turn["findings"]
    k = next(p.id for p in c.parts if p.type == "relay-module")
    fan = next(p.id for p in c.parts if p.type == "fan-12v")
    assert nl.connected(f"{k}:NO", f"{fan}:+")
    assert nl.net_voltage(nl.net_of(f"{k}:COM")) == 12.0
    assert not any(library[p.type].spice.kind in ("nmos", "npn") for p in c.parts), "no transistor beside the relay"


def test_devkit_vin_fed_from_a_battery_is_not_a_5v_rail_for_modules(library):
    turn, c, nl = _run("9 V battery powering an ESP32 with an HC-SR04", library)
    assert turn["passed"], turn["findings"]
    s = next(p.id for p in c.parts if p.type == "hc-sr04")
    v = nl.net_voltage(nl.net_of(f"{s}:VCC"))
    assert v is not None and abs(v - 5.0) < 0.3, v


def test_auto_level_shifter_has_lv_on_3v3_and_hv_on_5v(library):
    """An SSD1306 board on 5 V talks at 3.3 V (its own regulator): the shifter's sides differ."""
    turn, c, nl = _run("Uno measuring distance with an ultrasonic sensor and showing it on an OLED", library)
    assert turn["passed"], turn["findings"]
    for sh in (p.id for p in c.parts if p.type == "logic-level-shifter"):
        lv, hv = nl.net_voltage(nl.net_of(f"{sh}:LV")), nl.net_voltage(nl.net_of(f"{sh}:HV"))
        assert lv is not None and hv is not None and hv - lv > 1.0, (lv, hv)


def test_a_buzzer_is_not_switched_by_the_relay_meant_for_a_lamp(library):
    """Relay contacts are for power loads: a buzzer beeps through a transistor, and the relay's
    contacts stay free for the lamp."""
    turn, c, nl = _run("ESP32 with a relay for a lamp and a buzzer", library)
    assert turn["passed"], turn["findings"]
    relay = next(p for p in c.parts if p.type == "relay-module")
    buzzer = next(p for p in c.parts if p.type == "buzzer")
    for contact in ("COM", "NO", "NC"):
        assert not any(o.startswith(buzzer.id + ":") for o in nl.neighbours(f"{relay.id}:{contact}")), contact
    switches = {o.split(":")[0] for o in nl.neighbours(f"{buzzer.id}:GND")}
    assert any(library[next(p.type for p in c.parts if p.id == s)].spice.kind in ("npn", "nmos") for s in switches)


def test_several_shift_registers_are_one_chain_on_three_controller_pins(library):
    """Two or more serial-in shift registers are daisy-chained from the record's pins: each one's serial out into
    the next one's serial in, the clock inputs shared, so the chain takes the first chip's controller pins only."""
    turn, c, nl = _run("an Arduino Nano lighting twenty-four LEDs through three 74HC595 chips", library)
    assert turn["passed"], turn["findings"]
    rec = library["74hc595"]
    chips = [p.id for p in c.parts if p.type == "74hc595"]
    assert len(chips) == 3
    mcu = next(p.id for p in c.parts if library[p.type].is_mcu)
    din = next(p.name for p in rec.pins if p.type == "digital_in" and "data" in p.functions)
    dout = next(p.name for p in rec.pins if p.type == "digital_out" and "data" in p.functions)
    clocks = [p.name for p in rec.pins if p.type == "digital_in" and "clock" in p.functions]
    fed = [ch for ch in chips if any(o.split(":")[0] == mcu for o in nl.neighbours(f"{ch}:{din}"))]
    assert len(fed) == 1, "only the first chip's serial input comes from the controller"
    order = [fed[0]]
    while len(order) < len(chips):
        nxt = [o.split(":")[0] for o in nl.neighbours(f"{order[-1]}:{dout}") if o.endswith(f":{din}")]
        assert len(nxt) == 1, f"{order[-1]}'s serial out feeds the next chip's serial in"
        order.append(nxt[0])
    for clk in clocks:
        on_mcu = {o for ch in chips for o in nl.neighbours(f"{ch}:{clk}") if o.split(":")[0] == mcu}
        assert len(on_mcu) == 1, f"{clk} is one controller line shared by every chip"
    leds = [p for p in c.parts if library[p.type].category == "indicator" or p.type.startswith("led")]
    assert len(leds) >= 24
