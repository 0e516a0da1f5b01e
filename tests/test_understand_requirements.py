"""Understanding by meaning: requests in ordinary words -> typed Requirements -> a design that does it.

Assertions read record data (what a part provides, its ratings, its category), never a fixed
answer list: a request is served when some part in the design provides the function asked for.
"""

from __future__ import annotations

import pytest

from agents.understand.requirements import Requirements
from agents.understand.rules import understand_rules
from circuit.model import Circuit
from pipelines.design import design


def _req(text: str, library) -> Requirements:
    req = understand_rules(text, library)
    Requirements.model_validate(req.model_dump())  # the one schema, round-trips
    return req


def _design(text: str, library):
    turn = design(text, backend="rules")
    assert not turn.get("stopped"), turn.get("stopped")
    assert turn["passed"], [f["message"] for f in turn["findings"] if f["severity"] in ("Critical", "Major")]
    return turn, Circuit.model_validate(turn["circuit"])


def _provides(library, key: str, capability: str) -> bool:
    return any(c.capability == capability for c in library[key].provides)


def _direction(library, capability: str) -> str | None:
    return next((c.direction for r in library for c in r.provides if c.capability == capability), None)


def _with(c: Circuit, library, capability: str) -> list:
    return [p for p in c.parts if _provides(library, p.type, capability)]


# ---- counts ----------------------------------------------------------------------------------
def test_counts_written_many_ways(library):
    req = _req("an esp32 with a few white leds, 2x 18650 cells and a 24 led ws2812b ring", library)
    by_cat = {library[p.key].category: p for p in req.named_parts}
    leds = [p for p in req.named_parts if library[p.key].category == "indicator"]
    assert leds and leds[0].count >= 2  # "a few" is more than one
    cells = [p for p in req.named_parts if library[p.key].category == "power"]
    assert cells and cells[0].count == 2
    strips = [p for p in req.named_parts if _provides(library, p.key, "addressable-leds")]
    assert len(strips) == 1 and strips[0].count == 24  # one strip of 24, not 24 plain LEDs plus one pixel
    assert "microcontroller" in by_cat


def test_listed_colours_each_name_one_part(library):
    req = _req("red, yellow and green LEDs on a nano", library)
    leds = [p for p in req.named_parts if library[p.key].category == "indicator"]
    assert len({p.key for p in leds}) == 3 and sum(p.count for p in leds) == 3
    req = _req("two red and three green leds on a pico", library)
    assert sorted(p.count for p in req.named_parts if library[p.key].category == "indicator") == [2, 3]


def test_plural_part_numbers_and_grids_are_counts(library):
    req = _req("an esp32 reading three DS18B20s", library)
    assert [p.count for p in req.named_parts if _provides(library, p.key, "sense-temperature")] == [3]
    req = _req("a 4x4 grid of ws2812b pixels on a nano", library)
    assert [p.count for p in req.named_parts if _provides(library, p.key, "addressable-leds")] == [16]
    req = _req("an 8x8 led matrix with a max7219 on an uno", library)  # a matrix is one part, not 64
    assert all(p.count == 1 for p in req.named_parts)


def test_one_each_counts_a_need_per_part(library):
    req = _req("three 12v pumps on an esp32, each with its own soil probe", library)
    soil = [n for n in req.needs if _direction(library, n.capability) == "sense"]
    assert soil and soil[0].count == 3


def test_misspelt_words_are_read_as_the_library_words(library):
    req = _req("arduino uno with a joystik and a smal dc moter", library)
    cats = {library[p.key].category for p in req.named_parts}
    assert {"microcontroller", "input", "actuator"} <= cats
    assert any(_provides(library, p.key, "joystick-input") for p in req.named_parts)
    assert any(library[p.key].category == "actuator" for p in req.named_parts)
    assert any("moter" in n for n in req.notes)
    # real words the library does not use, and part numbers, stay as written
    req = _req("my kid wants a garage alarm with an hc-sr04", library)
    assert not any("garage" in n or "kid" in n for n in req.notes)


def test_a_board_in_a_clause_does_not_hide_what_the_clause_asks(library):
    req = _req("ESP32 reading a soil moisture probe", library)
    assert "sense-soil-moisture" in {n.capability for n in req.needs}
    req = _req("soil moisture + nano + led", library)
    assert "sense-soil-moisture" in {n.capability for n in req.needs}


def test_cells_in_series_are_the_source(library):
    req = _req("robot with two dc motors, an l298n, an arduino uno and 3x 18650 cells", library)
    src = req.constraints.source
    assert src is not None and src.kind == "cells" and src.cells_series == 3
    assert src.total_volts == pytest.approx(3 * library[src.key].ratings.v_nominal, rel=0.05)


# ---- needs by meaning ------------------------------------------------------------------------
def test_a_message_and_a_door_are_needs_not_parts(library):
    req = _req("text me when my front door opens", library)
    caps = {n.capability for n in req.needs}
    assert "send-sms" in caps and "detect-door-open" in caps
    assert not req.unknown


def test_a_named_part_explains_its_clause(library):
    # the servos are the arm: no motor driver is needed for them
    req = _req("a robot arm with an esp32 and four sg90 servos", library)
    assert not any(n.capability.startswith("dc-motor") for n in req.needs)


def test_project_words_are_not_parts(library):
    req = _req("a precision cnc actuator block with an arduino uno", library)
    assert not req.unknown
    assert any("cnc" in d for d in req.descriptive) or req.needs


def test_negation_rules_out_instead_of_asking(library):
    req = _req("two arduinos sending readings across the garden without wifi", library)
    assert "wifi" in req.constraints.forbidden
    assert "wifi" not in {n.capability for n in req.needs}
    req = _req("blink two red leds with a 555, no microcontroller", library)
    assert req.constraints.no_controller and req.constraints.board is None


@pytest.mark.parametrize("text", [
    "an LM311 comparing a thermistor against a pot to light a red led, no micro",
    "no mcu: a tilt switch sounding a piezo through a bc547",
    "bc547, reed switch, led, no mcu",
    "without an mcu, a tilt switch sounds a piezo",
    "a tilt switch sounding a piezo through a bc547, no MCUs",
    "an MCU-free tilt alarm: a tilt switch, a bc547 and a piezo",
])
def test_class_word_cut_short_rules_out_every_controller(library, text):
    req = _req(text, library)
    assert req.constraints.no_controller and req.constraints.board is None
    assert not any(library[p.key].is_mcu for p in req.named_parts)


@pytest.mark.parametrize("text, board", [
    ("an esp32 logging humidity in the bathroom with a dht22; do not let the esp32 get steamed", "esp32-devkit-v1"),
    ("never let the nano overheat: it drives a fan through a mosfet from a ds18b20", "arduino-nano"),
])
def test_a_negated_verb_about_the_board_keeps_it(library, text, board):
    req = _req(text, library)
    assert req.constraints.board == board and not req.constraints.no_controller
    assert board not in req.constraints.forbidden


def test_a_clipped_word_before_a_noun_modifies_it(library):
    # "micro" here is the size of the servo, not the controller
    req = _req("an esp32 sweeping a servo, no micro servo though", library)
    assert not req.constraints.no_controller
    req = _req("an esp32 whose mcu free pins switch a relay", library)
    assert not req.constraints.no_controller and req.constraints.board == "esp32-devkit-v1"


# ---- end to end ------------------------------------------------------------------------------
def test_night_light_without_a_controller(library):
    turn, c = _design("night light: an LDR turns on a few white leds when it gets dark, no microcontroller", library)
    kinds = [library[p.type] for p in c.parts]
    assert not any(r.is_mcu for r in kinds)
    assert sum(1 for r in kinds if r.category == "indicator") >= 2
    assert any(r.spice.kind in ("npn", "nmos", "pnp") or _provides(library, r.key, "compare-threshold") for r in kinds)


def test_motor_speed_and_direction_gets_an_h_bridge_rated_for_the_motor(library):
    turn, c = _design("control a 12V DC motor's speed and direction from an arduino nano with a potentiometer", library)
    bridges = _with(c, library, "dc-motor-speed-and-direction")
    assert bridges
    rec = library[bridges[0].type]
    assert max(p.v_max or 0 for p in rec.pins if p.type == "power_in") >= 12


def test_a_pc_fan_is_the_library_fan(library):
    turn, c = _design("12v pc fan speed control from an uno through a mosfet plus a ds18b20", library)
    assert _with(c, library, "cooling-fan")


def _net(c: Circuit, endpoint: str) -> set[str]:
    """Every endpoint wired (directly or through other wires) to ``endpoint``."""
    adj: dict[str, set[str]] = {}
    for w in c.connections:
        adj.setdefault(w.source, set()).add(w.target)
        adj.setdefault(w.target, set()).add(w.source)
    seen, todo = {endpoint}, [endpoint]
    while todo:
        for o in adj.get(todo.pop(), ()):
            if o not in seen:
                seen.add(o)
                todo.append(o)
    return seen


def _supplies_on(c: Circuit, library, endpoint: str) -> list[float]:
    """What the power outputs on an endpoint's net can deliver, A (None ratings left out)."""
    types = {p.id: p.type for p in c.parts}
    out = []
    for ep in _net(c, endpoint):
        pid, pin = ep.split(":", 1)
        rec = library[types[pid]]
        p = rec.pin(pin)
        if p is not None and p.type == "power_out" and not rec.is_mcu:
            out.append(p.i_max or rec.ratings.i_out_max or 0.0)
    return out


def test_sms_door_alarm(library):
    turn, c = _design("text me when my front door opens", library)
    assert _with(c, library, "send-sms") and _with(c, library, "detect-door-open")
    assert turn["requirements"]["needs"]
    # the messaging part's supply pin hangs on a supply rated for its transmit peaks
    gsm = _with(c, library, "send-sms")[0]
    rec = library[gsm.type]
    peak = rec.requires.peak_current or rec.supply.current_max
    pins = rec.requires.peak_pins or [p.name for p in rec.pins if p.type == "power_in"]
    assert any(max(_supplies_on(c, library, f"{gsm.id}:{pin}") or [0.0]) >= peak for pin in pins)


def test_a_strip_of_pixels_is_one_part_budgeted_for_all_of_them(library):
    turn, c = _design("12v to 5v buck converter powering a raspberry pi pico and a 30 led ws2812b strip", library)
    strips = _with(c, library, "addressable-leds")
    assert len(strips) == 1 and strips[0].attrs.get("count") == 30
    s = strips[0]
    rec = library[s.type]
    supply = next(p.name for p in rec.pins if p.type == "power_in")
    assert max(_supplies_on(c, library, f"{s.id}:{supply}")) >= 30 * rec.supply.current_max  # 1.8 A
    # its companions: a resistor in the data line, a bulk capacitor across its supply
    types = {p.id: p.type for p in c.parts}
    data_in = next(p.name for p in rec.pins if p.type == "digital_in")
    assert any(library[types[ep.split(":")[0]]].spice.kind == "resistor"
               for ep in _net(c, f"{s.id}:{data_in}") - {f"{s.id}:{data_in}"})
    assert any(library[types[ep.split(":")[0]]].spice.kind == "capacitor" for ep in _net(c, f"{s.id}:{supply}"))


@pytest.mark.parametrize("text,n", [
    ("WS2812B strip of 30 LEDs on an Arduino Uno", 30),
    ("an ESP32 driving a ws2812b strip with 60 leds", 60),
    ("nano driving an addressable LED strip of 16 LEDs", 16),
])
def test_a_count_after_a_strip_is_its_length_not_more_parts(library, text, n):
    """'a strip of 30 LEDs' is one strip of 30 pixels, not a strip and 30 plain LEDs."""
    req = _req(text, library)
    strip = req.named("ws2812b")
    assert strip is not None and strip.count == n
    assert req.named("led") is None


def test_a_higher_output_than_the_stated_cell_is_a_step_up(library):
    """"5 V out" of one lithium cell cannot come from a regulator that only drops a voltage: understanding
    asks for the capability boost converters provide, with the output voltage as its target."""
    from agents.rules.power_tree import converter_kind, is_converter

    req = _req("an 18650 cell, and the output must be a steady 5 V", library)
    assert req.constraints.source is not None and req.constraints.source.total_volts < 5
    ups = [n for n in req.needs if any(is_converter(r) and converter_kind(r) == "boost"
                                       for r in library if _provides(library, r.key, n.capability))]
    assert ups and ups[0].target.get("volts") == 5.0, req.needs


def test_a_charger_asked_for_brings_the_cell_it_charges(library):
    """A charger found for a need gets the rechargeable cell its charge voltage suits, from record data."""
    from agents.rules.needs import identification_from
    from agents.rules.power_tree import converter_kind, is_converter, is_source

    ident = identification_from(_req("a desk light whose battery charges over USB", library), library)
    keys = [n.key for n in ident.needs if n.key]
    chargers = [library[k] for k in keys if is_converter(library[k]) and converter_kind(library[k]) == "charger"]
    assert chargers, keys
    cells = [library[k] for k in keys if is_source(library[k]) and library[k].ratings.capacity_ah]
    assert cells and all(0.8 * chargers[0].ratings.v_out <= c.ratings.v_nominal <= chargers[0].ratings.v_out
                         for c in cells), keys


def test_a_decimal_voltage_is_not_cut_at_its_point():
    from agents.understand.needs import clauses

    texts = [c.text for c in clauses("give me a clean 3.3 V output, then light an LED when it passes 2.5 V.")]
    assert any("3.3 V" in t for t in texts) and any("2.5 V" in t for t in texts), texts


@pytest.mark.parametrize("text", ["a gadget that chirps whenever daylight hits it",
                                  "make something that squeaks if light shines into the box"])
def test_a_condition_clause_asks_for_what_notices_it_not_for_an_output(library, text):
    """'... when light gets in': the clause after when/if/once is the trigger; it asks for a sensing
    capability, never for an output (a light to switch on) or a supply."""
    req = _req(text, library)
    trig = [n for n in req.needs if _direction(library, n.capability) == "sense"]
    assert trig, req.needs
    cond = [n for n in req.needs if n.words and any(w in n.words.lower() for w in ("daylight", "light shines"))]
    assert cond and all(_direction(library, n.capability) not in ("act", "power") for n in cond), req.needs



@pytest.mark.parametrize("text", [
    "a DS18B20 in the aquarium that texts its reading to my phone",
    "a water leak probe under the sink that texts a warning to my mobile",
])
def test_an_action_toward_the_users_phone_is_read_with_its_destination(library, text):
    # "texts ... to my phone": a text message, not a text display
    req = _req(text, library)
    needed = {n.capability for n in req.needs}
    assert any(_direction(library, c) == "communicate" and "sms" in c for c in needed), needed
    assert not any(c.startswith("show-") for c in needed)


def test_a_destination_does_not_invent_a_link(library):
    req = _req("send the tank level to my phone through bluetooth", library)
    assert "send-sms" not in {n.capability for n in req.needs}


def test_what_a_thing_senses_is_read_with_what_it_is_for(library):
    # a distance tally alone reads as a range finder; for a wheel, it counts the wheel's turns
    needed = {n.capability for n in _req("a distance tally for the rear wheel of my go-kart", library).needs}
    wheel = {c.capability for c in library["a3144"].provides}
    assert needed & wheel and "sense-distance" not in needed, needed


def test_a_purpose_adds_no_sensing_to_an_output(library):
    # a noise maker for a model fire engine senses no flame
    req = _req("a siren noise for a model fire engine, no microcontroller", library)
    assert not any(_direction(library, n.capability) == "sense" for n in req.needs)


@pytest.mark.parametrize("text", ["a front door chime", "an electronic door chime for the flat"])
def test_a_chime_is_rung_by_a_press(library, text):
    # read two close ways on its input side (a press, a door opening), the head noun settles it
    needed = {n.capability for n in _req(text, library).needs}
    pressed = {c.capability for c in library["push-button"].provides}
    assert needed & pressed and "detect-door-open" not in needed, needed


@pytest.mark.parametrize("text", ["sound a beeper once the drawer lets daylight in",
                                  "a paper towel dispenser that spins a motor when someone puts a hand in front of it"])
def test_a_condition_is_what_happens_not_where(library, text):
    req = _req(text, library)
    needed = {n.capability for n in req.needs}
    assert "detect-door-open" not in needed
    assert any(_direction(library, c) == "sense" for c in needed), needed


@pytest.mark.parametrize("text", ["text me when the letterbox is opened",
                                  "beep when the toolbox lid is opened",
                                  "light an LED when the mailbox is opened",
                                  "sound the buzzer if the garden gate is opened"])
def test_a_condition_read_faintly_but_one_way_by_what_happens_is_asked(library, text):
    """'... when the letterbox is opened': the thing opened is an unusual word, so the clause as a whole reads
    faintly; what happens to it ('is opened') reads one way of noticing only, and that is asked."""
    req = _req(text, library)
    cond = [n for n in req.needs if n.words and "opened" in n.words]
    assert cond and all(_direction(library, n.capability) == "sense" for n in cond), req.needs
    assert any(set(a.any_of) & {n.capability for n in cond} for a in req.asked), req.asked


@pytest.mark.parametrize("text,key,count", [
    ("control 4 servos with potentiometers for a robot arm", "potentiometer", 4),
    ("four servos, each controlled by its own potentiometer", "potentiometer", 4),
    ("three LEDs with resistors on a breadboard", "resistor", 3),
    ("two stepper motors, each on their own A4988", "a4988", 2),
])
def test_one_part_for_each_of_the_parts_just_counted(library, text, key, count):
    """'N Xs with Ys' (a plural with no count of its own) and 'its own Y' give one Y per X."""
    named = {p.key: p.count for p in _req(text, library).named_parts}
    assert named.get(key) == count, named


@pytest.mark.parametrize("text", ["an arduino with buttons and leds",
                                  "a hazard light that flashes on its own with two LEDs"])
def test_a_plural_beside_one_part_is_not_multiplied(library, text):
    named = {p.key: p.count for p in _req(text, library).named_parts}
    assert all(c <= 2 for c in named.values()), named
