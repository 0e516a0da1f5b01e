"""Readings whose miss let a design pass without meeting its request: a source stated as the network the design runs
from, a count before a load with its rating between, a part ruled out by a verb of leaving out.

The requests here are phrased for these tests (not taken from any benchmark).
"""

from __future__ import annotations

import pytest

from agents.rules.part_search import looks_like_part_number
from agents.rules.text import quantity_before, token_spans
from agents.understand.exclusion import excludes, verb_phrase
from agents.understand.rules import understand_rules
from circuit.quantities import find_quantities


def _count(text: str) -> int | None:
    toks = [t for t, _, _ in token_spans(text)]
    return quantity_before(toks, len(toks) - 1)


@pytest.mark.parametrize("text, n", [("five 2 A fans", 5), ("two 24 V 3 A heaters", 2), ("eight 30 mA lamps", 8),
                                     ("a pair of 0.5 A pumps", 2), ("nine twelve volt fans", 9), ("a 6 V lamp", 1)])
def test_a_count_reads_past_the_ratings_between_it_and_the_part(text, n):
    assert _count(text) == n


def test_a_rating_alone_is_no_count():
    assert _count("with 9 V lamps") is None
    assert _count("6 v fans") is None


def test_a_load_counted_before_its_rating_is_that_many(library):
    req = understand_rules("three 2 A DC motors on an Arduino Mega", library)
    motors = [p for p in req.named_parts if p.key == "dc-motor"]
    assert motors and motors[0].count == 3


def test_a_figure_with_its_current_kind_is_a_quantity_not_a_part_number():
    q = find_quantities("a 36VDC line and 120VAC mains")
    assert [(x.value, x.unit) for x in q] == [(36.0, "V"), (120.0, "V")]
    assert not looks_like_part_number("36vdc")
    assert looks_like_part_number("lm2596")


@pytest.mark.parametrize("text, volts", [
    ("an Uno with an LED that runs off the 36 V DC bus in my workshop", 36.0),
    ("my caravan has a 24 V DC system; a Nano with a DHT11 should run from it", 24.0),
    ("a Pico measuring light, fed from the 18 V line of the machine", 18.0),
    ("an ESP32 reading a BMP280, powered on a tractor's 36 volt electrics", 36.0),
])
def test_a_network_the_design_runs_from_is_its_source(library, text, volts):
    req = understand_rules(text, library)
    src = req.constraints.source
    assert src is not None and src.volts == volts and src.kind != "mains"
    assert src.key is not None and any(p.key == src.key for p in req.named_parts)  # a part stands for it


@pytest.mark.parametrize("text", ["I need a 3.3 V rail for my sensors", "an Uno whose LED runs at 2 V"])
def test_a_voltage_that_is_not_where_power_comes_from_is_no_source(library, text):
    assert understand_rules(text, library).constraints.source is None


def test_the_verb_phrase_ends_where_the_noun_phrase_opens():
    assert verb_phrase("please leave out any microcontroller") == "please leave out"
    assert verb_phrase("I'd rather skip the relay") == "id rather skip"


@pytest.mark.parametrize("words", ["leave out", "exclude", "omit", "please omit"])
def test_verbs_of_leaving_out_rule_out(words):
    assert excludes(words)


@pytest.mark.parametrize("words", ["use", "add", "please include", "wire up", "i d like", "connect", "give me"])
def test_verbs_of_taking_in_do_not(words):
    assert not excludes(words)


@pytest.mark.parametrize("text", ["a flashing LED on a 9 V battery; please leave out any microcontroller",
                                  "an LED that fades in and out, exclude the microcontroller"])
def test_a_controller_left_out_is_no_controller(library, text):
    req = understand_rules(text, library)
    assert req.constraints.no_controller
    assert not any(library[p.key].is_mcu for p in req.named_parts)


def test_a_part_left_out_is_ruled_out_and_the_rest_kept(library):
    req = understand_rules("an ESP32 with a DHT22 logging online; omit the LCD", library)
    keys = {p.key for p in req.named_parts}
    assert "dht22" in keys and "esp32-devkit-v1" in keys
    assert not any(library[k].category == "display" for k in keys)
    assert req.constraints.forbidden


def test_a_part_taken_in_is_kept(library):
    req = understand_rules("an ESP32 with a DHT22; please add an LCD", library)
    assert any(library[p.key].category == "display" for p in req.named_parts)
