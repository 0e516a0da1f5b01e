"""What the requirement gate holds a design to before it says PASS (the truth of a PASS):

- a condition the request states that understanding read as nothing (agents/understand/open_conditions.py) is
  recorded with its close readings, and the gate fails closed (REQ-CONDITION-UNREAD) unless a wired part gives one;
- a modifier written without its hyphen ("a heat activated siren") says what sets the thing off, like the
  hyphenated one, and is no unknown part;
- a current stated for "each" of several named parts, and a supply's current written "12V 2A", reach the rating gate.

The phrasings are not benchmark requests.
"""

from __future__ import annotations

import pytest

from agents.rules.phrases import leftover_chunks
from agents.rules.mentions import mention_index
from agents.understand.compounds import compound_needs
from agents.understand.requirements import AskedFunction, Requirements
from agents.understand.rules import understand_rules
from circuit.requirement_gate import check_requirements


def doc(parts, wires):
    return {"version": 1, "title": "t", "parts": [{"id": i, "type": t, "attrs": {}} for i, t in parts],
            "connections": [[a, b, "green", []] for a, b in wires]}


BUZZER_ONLY = doc([("U1", "arduino-uno"), ("BZ1", "active-buzzer")],
                  [("U1:D8", "BZ1:+"), ("U1:GND", "BZ1:-")])
WITH_RANGER = doc([("U1", "arduino-uno"), ("BZ1", "active-buzzer"), ("U2", "hc-sr04")],
                  [("U1:D8", "BZ1:+"), ("U1:GND", "BZ1:-"), ("U1:5V", "U2:VCC"), ("U1:GND", "U2:GND"),
                   ("U1:D9", "U2:TRIG"), ("U1:D10", "U2:ECHO")])


def test_an_unread_condition_fails_closed_until_a_part_notices_it(library):
    req = Requirements(unread=[AskedFunction(words="the boat comes close", any_of=["sense-distance", "sense-motion"])])
    failed = check_requirements(BUZZER_ONLY, req, library)
    assert not failed.passed and [f.rule for f in failed.findings] == ["REQ-CONDITION-UNREAD"]
    met = check_requirements(WITH_RANGER, req, library)
    assert met.passed and any("U2 (hc-sr04)" in m for m in met.met)


def test_a_condition_nothing_reads_is_recorded_with_its_readings(library):
    req = understand_rules("a chime that rings out when the rowing boat comes close to the jetty", library)
    assert [a.words for a in req.unread] == ["the rowing boat comes close"]
    assert "sense-distance" in req.unread[0].any_of
    assert not any(n.capability == "sense-distance" for n in req.needs)  # (read too faintly to be a need)


@pytest.mark.parametrize("request_", [
    "beep when it gets dark",  # a trigger read from the clause
    "an LED that lights when the button is pressed",  # a named part in the clause
    "a torch that I can refill from a USB lead when it is empty",  # the one asking acts on the condition
])
def test_a_condition_that_is_read_is_not_open(library, request_):
    assert not understand_rules(request_, library).unread


def test_a_modifier_without_its_hyphen_says_what_sets_the_thing_off(library):
    needs, _ = compound_needs("a heat activated siren for the loft", library, set())
    assert [n.capability for n in needs] == ["sense-temperature"]
    for powered in ("a solar powered lamp for the shed", "an arduino controlled relay for the heater"):
        assert compound_needs(powered, library, set()) == ([], [])  # how it is powered or run, not a stimulus
    text = "a moisture controlled fan for the bathroom"
    chunks = leftover_chunks(text, mention_index(library).spot(text), library)
    assert not any("controlled" in c for c in chunks)  # "controlled" is the verb's form, no part name


def test_a_current_for_each_part_and_a_supply_written_close(library):
    req = understand_rules("an ESP32 switching three 12 V lamps, each taking 2 A, off a 12 V 5 A supply", library)
    lamps = [p for p in req.named_parts if p.key == "lamp-12v"]
    assert lamps and lamps[0].count == 3 and lamps[0].attrs.get("current") == "2 A"
    req = understand_rules("Uno switching a 12V lamp that draws 3 A from a 12V 1A adapter", library)
    assert req.constraints.source is not None and req.constraints.source.max_current == 1.0


def _strip(with_module_load: bool):
    wires = [("PS1:+", "LED1:+"), ("PS1:-", "U1:GND"), ("U1:D25", "Q2:TRIG"), ("U1:GND", "Q2:GND")]
    if with_module_load:  # the module carries the strip's current
        wires += [("PS1:+", "Q2:VIN+"), ("PS1:-", "Q2:VIN-"), ("LED1:-", "Q2:OUT-")]
    else:  # a MOSFET beside it does
        wires += [("U1:D26", "Q1:G"), ("LED1:-", "Q1:D"), ("Q1:S", "PS1:-")]
    parts = [("U1", "esp32-devkit-v1"), ("PS1", "power-supply-12v"), ("LED1", "led-strip-12v"), ("Q2", "d4184")]
    return doc(parts + ([] if with_module_load else [("Q1", "irlz44n")]), wires)


def test_a_named_switch_beside_the_one_switching_the_load_does_not_answer(library):
    from agents.understand.requirements import NamedPart

    req = Requirements(named_parts=[NamedPart(key="d4184", words="d4184 board"), NamedPart(key="led-strip-12v")])
    beside = check_requirements(_strip(False), req, library)
    assert [f.rule for f in beside.findings] == ["REQ-PART-MISSING"]
    assert "load side is wired to nothing: Q1 switches the load" in beside.findings[0].message
    assert check_requirements(_strip(True), req, library).passed


def test_amperes_glued_to_the_figure_and_pixels_counted_past_a_handful(library):
    from circuit.quantities import find_quantities

    assert [(q.value, q.unit) for q in find_quantities("a 9v 1a plug-in supply")] == [(9.0, "V"), (1.0, "A")]
    assert [q.unit for q in find_quantities("twice, 3 a day")] == [""]  # spaced, "a" is the article
    req = understand_rules("pico, 200 ws2812b, 5v 3a supply", library)
    pixels = [p for p in req.named_parts if p.key == "ws2812b"]
    assert pixels and pixels[0].count == 200
    assert any(n.target.get("amps") == 3.0 for n in req.needs) or \
        (req.constraints.source is not None and req.constraints.source.max_current == 3.0)


def test_a_current_after_a_voltage_rates_what_follows_not_the_part_before(library):
    req = understand_rules("nano with a 60 led ws2812b strip on a 5v 3a power brick", library)
    assert not any(p.attrs.get("current") for p in req.named_parts if p.key == "ws2812b")
