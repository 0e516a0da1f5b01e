"""Reading a request into typed requirements (agents/understand): outputs that take turns, a delay said with
swapped letters, a switch a person works, a cell listed with "+", a thing named by its head noun, a stated rate,
a fraction of a unit."""

from __future__ import annotations

from agents.rules.phrases import leftover_chunks
from agents.rules.mentions import mention_index
from agents.rules.power_tree import is_source
from agents.understand.rules import understand_rules


def _behaviours(text, library):
    return [(t.behaviour, t.duration_s) for t in understand_rules(text, library).timing]


def test_outputs_that_take_turns_alternate(library):
    for text in ("two yellow LEDs taking turns on a level crossing, no microcontroller",
                 "a pair of green LEDs lit by turns from an NE555"):
        assert [b for b, _ in _behaviours(text, library)] == ["alternate"], text


def test_an_output_that_turns_on_with_the_dark_is_no_alternation(library):
    # "turns on" shares a word with "taking turns": it says when the output is on, not that outputs take turns
    assert _behaviours("an LDR turns on three white LEDs once it is dark, without a microcontroller", library) == []


def test_a_delay_said_with_two_letters_swapped_is_a_delay(library):
    assert _behaviours("a red LED that truns on 8 seconds after power up, no microcontroller", library) == \
        [("delay", 8.0)]


def test_a_fraction_of_a_unit_sizes_the_timer(library):
    assert _behaviours("a buzzer that stays on for half a minute once the push button is pressed, no mcu", library) == \
        [("one-shot", 30.0)]


def test_an_on_off_switch_is_one_a_person_works(library):
    for text in ("9 V battery, yellow LED and an on-off switch", "a fan on a 12 V battery with an on/off switch"):
        caps = [n.capability for n in understand_rules(text, library).needs]
        assert "select-switch" in caps and "switch-load" not in caps, (text, caps)


def test_a_cell_listed_with_a_plus_is_the_cell(library):
    req = understand_rules("li-ion cell + green led + toggle switch", library)
    cells = [p.key for p in req.named_parts if is_source(library[p.key])]
    assert cells and not any(n.capability.startswith("protect-cell") for n in req.needs), (cells, req.needs)


def test_words_before_a_count_are_not_the_part(library):
    text = "for the shed I'd love three little lamps"
    assert leftover_chunks(text, mention_index(library).spot(text), library) == []


def test_a_project_is_read_by_its_head_noun_as_one_of_a_kind(library):
    # "lantern" alone reads as little; "a lantern" is a light
    caps = [n.capability for n in understand_rules("a camping lantern with an 18650 cell", library).needs]
    assert "indicator-light" in caps, caps


def test_a_clause_that_only_states_a_rate_asks_for_nothing(library):
    req = understand_rules("NE555 blinking a blue LED, about 4 times per second, no microcontroller", library)
    assert not any("times per second" in n.words for n in req.needs), req.needs
    assert req.timing and req.timing[0].frequency_hz == 4.0
