"""Readings that were too narrow (issue 11): a part named by what it works on, a thing named by where it
stands, a message sent with no destination said, an input a device's name implies.

The requests here are phrased for these tests (not taken from any benchmark). Assertions read the
capabilities the library's records provide, so they hold as records are added.
"""

from __future__ import annotations

from agents.understand.rules import understand_rules


def _needs(text: str, library) -> set[str]:
    return {n.capability for n in understand_rules(text, library).needs}


def _directions(library, caps: set[str]) -> set[str]:
    return {c.direction for r in library for c in r.provides if c.capability in caps}


def test_a_relay_named_by_what_it_switches_is_the_switching_part(library):
    # "the heater relay" asks for switching, and the relay named does it: no second switching part is asked
    req = understand_rules("a Pico watches a water level sensor to switch a pump relay", library)
    named = {p.key for p in req.named_parts}
    relays = {k for k in named if library[k].category == "actuator"}
    assert relays, named
    assert not {n.capability for n in req.needs if n.words.endswith("relay")}, req.needs


def test_a_thing_named_by_where_it_stands_is_one_thing(library):
    # "a garden LED": a plain LED or an addressable one are two ways of doing one thing, not two needs
    req = understand_rules("a garden LED that lights up when evening comes, with no microcontroller", library)
    asked = next(a for a in req.asked if a.words == "a garden LED")
    assert len(asked.any_of) > 1, asked  # the gate takes either reading of the clause
    needed = {n.capability for n in req.needs}
    assert len(needed & set(asked.any_of)) == 1, req.needs


def test_a_clause_saying_what_a_named_part_does_asks_for_nothing_more(library):
    # "... LED that lights itself up": what the LED does, not a switch
    req = understand_rules("no microcontroller: a cupboard LED that switches on once the door lets the dark in",
                           library)
    assert "led" in {p.key for p in req.named_parts} or any("LED" in n.words for n in req.needs)
    assert not any(n.words == "switches on" for n in req.needs), req.needs
    assert not any(a.words == "switches on" for a in req.asked), req.asked


def test_a_message_with_no_destination_goes_to_the_one_asking(library):
    caps = _needs("a luggage tag that texts its whereabouts", library)
    assert "communicate" in _directions(library, caps), caps
    assert "gps-position" in caps or "sense" in _directions(library, caps), caps


def test_charging_from_a_cable_is_no_message(library):
    # a cable named beside "tops up" is how it is charged, not a link the request asks for
    req = understand_rules("a rechargeable torch that charges from a USB lead, no microcontroller", library)
    assert "communicate" not in _directions(library, {n.capability for n in req.needs}), req.needs


def test_a_chime_is_rung_by_a_press(library):
    caps = _needs("a reception chime", library)
    assert "button-input" in caps and "make-sound" in caps, caps


def test_a_noise_is_what_a_siren_makes_not_what_it_hears(library):
    # the head noun "noise" reads as something sensed; a siren makes it: no microphone is implied
    caps = _needs("a siren noise for a model police car", library)
    assert not {c for c in caps if c.startswith("sense")}, caps


def test_a_counter_for_a_wheel_counts_its_turns(library):
    # what the thing is for narrows what it notices: a wheel's turns
    caps = _needs("a trip meter for my unicycle's wheel", library)
    assert "sense-magnet" in caps, caps


def test_the_one_unexplained_voltage_is_a_named_regulators_output(library):
    # the source explains 12 V; the 6 V is what the adjustable regulator is asked to make
    req = understand_rules("wire an LM317 so it makes 6 V out of a 12 V adapter", library)
    reg = next(p for p in req.named_parts if library[p.key].ratings.v_out_adjustable)
    assert reg.attrs.get("voltage") == "6 V", req.named_parts
    # a voltage it cannot make from its source (above it) is not taken as its output
    req = understand_rules("an LM317 fed from a 9 V battery, for a 12 V fan", library)
    reg = next(p for p in req.named_parts if library[p.key].ratings.v_out_adjustable)
    assert "voltage" not in reg.attrs, req.named_parts


def test_what_a_thing_is_for_picks_among_its_close_readings(library):
    # "a miles counter" alone reads several close ways of noticing (a distance, a knob, a position, a wheel's
    # turns); "for my tricycle" picks the wheel's turns
    caps = _needs("a miles counter for my tricycle", library)
    assert "sense-magnet" in caps, caps
    # a purpose that reads as something the name alone never read ("for a toy fire engine": a flame) adds nothing
    caps = _needs("a siren noise for a toy fire engine", library)
    assert not {c for c in caps if c.startswith("sense")}, caps


def test_a_no_rules_out_one_kind_of_thing_not_its_look_alikes(library):
    # "without any microcontroller" reads a clock source close behind the controller: a blinker with no
    # controller needs a timer, so only the controller is refused
    for text in ("a blinking LED without any microcontroller", "a flashing bike light, without any microcontroller"):
        req = understand_rules(text, library)
        assert req.constraints.no_controller, text
        assert not req.constraints.forbidden, (text, req.constraints.forbidden)
    # a runner-up of the same kind is still refused with it ("no buzzer": no sounder of either sort)
    req = understand_rules("a night light with no relay or buzzer", library)
    assert "make-sound" in req.constraints.forbidden
