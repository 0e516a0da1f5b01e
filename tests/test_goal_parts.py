"""A request that names only a goal gets the parts the goal needs (agents.understand.goal_parts), read by meaning
from the records (knowledge.goal_fit); a digit display with more lines than the board has goes through an output
expander (agents.rules.display_expander).

The phrasings here are not benchmark requests: each names an everyday thing to build and nothing else.
"""

from __future__ import annotations

import numpy as np
import pytest

from agents.models import Identification, Need
from agents.rules.display_expander import display_expanders
from agents.rules.needs import identification_from
from agents.understand.rules import understand_rules
from knowledge.goal_fit import GoalFits
from knowledge.library import Library
from knowledge.retrieval import Retriever
from pipelines.design import design


@pytest.fixture(scope="module")
def lib() -> Library:
    return Library.default()


def _directions(lib, req):
    return {c.direction for n in req.needs for r in lib if (c := next(
        (c for c in r.provides if c.capability == n.capability), None)) is not None}


@pytest.mark.parametrize("request_text", [
    "a score counter for board game nights",
    "a stopwatch for the swimming club",
])
def test_a_goal_naming_no_part_reads_an_output_and_an_input(lib, request_text):
    """Nothing in these names a part; the design still gets something that shows and something a person works."""
    req = understand_rules(request_text, lib)
    assert not req.named_parts
    assert _directions(lib, req) >= {"act", "sense"}, req.needs
    shown = [n for n in req.needs if any(c.capability == n.capability and r.category == "display"
                                         for r in lib for c in r.provides)]
    assert shown, req.needs
    assert any("names no part" in note for note in req.notes)
    ident = identification_from(req, lib)
    assert ident.board is not None and lib[ident.board].is_mcu  # a display needs a controller to drive it
    assert any(n.key and lib[n.key].category == "display" for n in ident.needs)
    assert any(n.key and lib[n.key].category == "input" for n in ident.needs)


def test_a_request_that_names_no_thing_stays_empty(lib):
    for text in ("hello there", "build something cool", "thanks a lot"):
        req = understand_rules(text, lib)
        assert not req.needs and not req.named_parts, (text, req.needs)


def test_a_request_naming_its_parts_is_not_read_as_a_goal(lib):
    req = understand_rules("an Arduino Uno with a DS18B20 and an SSD1306", lib)
    assert not any("names no part" in note for note in req.notes)
    assert {p.key for p in req.named_parts} >= {"ds18b20", "ssd1306"}


@pytest.mark.parametrize("text", [
    "charge a lithium cell from a little solar panel on the allotment shed",
    "feed a Raspberry Pi Pico from a 12 V car battery",
])
def test_a_request_about_power_is_not_read_as_a_goal(lib, text):
    """A source named or a supply stated asks for power: no display or button is added to it."""
    req = understand_rules(text, lib)
    assert not any("names no part" in note for note in req.notes), req.notes


def test_with_no_controller_no_input_is_added_unasked(lib):
    """An input would have to switch the output itself: the goal gets its output, and no button nobody asked for."""
    req = understand_rules("a softly pulsing glow lamp for the nursery, no microcontroller", lib)
    assert req.constraints.no_controller
    assert not any(n.capability == "button-input" for n in req.needs), req.needs


def test_goal_fits_credit_a_records_use_text_to_every_capability_it_provides(lib):
    """One fit per capability, typed by direction; a use text speaks for each capability of its record."""
    r = Retriever.default()
    fits = GoalFits.of_index(lib, r.index)
    rows = [i for i, (k, f) in enumerate(zip(r.index.keys, r.index.fields)) if k == "tm1638" and f == "use"]
    assert rows
    sims = np.zeros(len(r.index.keys), dtype=np.float32)
    sims[rows[0]] = 0.9
    ranked = fits.rank(sims)
    assert len({f.capability for f in ranked}) == len(ranked)
    top = {f.capability for f in ranked if f.score == pytest.approx(0.9)}
    assert top == {c.capability for c in lib["tm1638"].provides}
    assert {f.direction for f in ranked if f.capability in top} == {c.direction for c in lib["tm1638"].provides}


def _ident(board: str, *needs: tuple[str, int]) -> Identification:
    return Identification(board=board, needs=[Need(phrase=k, key=k, qty=q) for k, q in needs])


def test_a_digit_on_a_board_with_too_few_pins_gets_a_shift_register(lib):
    out = display_expanders(lib, _ident("attiny85", ("attiny85", 1), ("7-segment-display", 1)))
    assert [n.key for n in out] and all(any(c.capability == "gpio-expansion" for c in lib[n.key].provides)
                                        and lib[n.key].category == "ic" for n in out)
    assert not out[0].explicit and "I/O pins" in out[0].why


def test_no_expander_where_the_board_has_the_pins_or_one_is_named(lib):
    assert display_expanders(lib, _ident("arduino-uno", ("arduino-uno", 1), ("7-segment-display", 4))) == []
    assert display_expanders(lib, _ident("attiny85", ("attiny85", 1), ("7-segment-display", 1),
                                         ("74hc595", 1))) == []
    assert display_expanders(lib, _ident("attiny85", ("attiny85", 1), ("tm1637", 1))) == []  # two lines of its own


def test_the_design_wires_the_digit_through_the_expander(lib):
    """The planner drives the segment lines from the expander's outputs, and the board's few pins suffice."""
    turn = design("one seven segment digit showing a dice roll on an ATtiny85 chip")
    plan = turn.get("plan") or {}
    types = [p["type"] for p in plan.get("parts", [])]
    assert "74hc595" in types and "7-segment-display" in types, types
    assert not plan.get("unmet"), plan.get("unmet")
    wires = plan.get("wires", [])
    u = next(p["id"] for p in plan["parts"] if p["type"] == "74hc595")
    seg = {w["a"] for w in wires if w["b"].startswith("DS")} | {w["b"] for w in wires if w["a"].startswith("DS")}
    assert seg  # the digit is wired
    resistors_from_expander = [w for w in wires if w["a"].startswith(f"{u}:Q") or w["b"].startswith(f"{u}:Q")]
    assert len(resistors_from_expander) >= 7


def test_digits_with_an_expander_output_for_every_segment_are_driven_steadily(lib):
    """Two named shift registers give 16 outputs: each digit lights from its own register, common to ground,
    instead of sharing one register's lines multiplexed (and leaving the other idle)."""
    turn = design("two 7-segment digits fed by two 74HC595 shift registers from an Arduino Nano")
    plan = turn.get("plan") or {}
    ids = {p["id"]: p["type"] for p in plan.get("parts", [])}
    regs = sorted(i for i, t in ids.items() if t == "74hc595")
    digits = sorted(i for i, t in ids.items() if t == "7-segment-display")
    assert len(regs) == 2 and len(digits) == 2, ids
    wires = plan.get("wires", [])

    def feeding(digit):  # the register whose output reaches this digit's segment a through its resistor
        res = {w["a"].split(":")[0] for w in wires if w["b"] == f"{digit}:a"} | \
              {w["b"].split(":")[0] for w in wires if w["a"] == f"{digit}:a"}
        return {e.split(":")[0] for w in wires for e in (w["a"], w["b"])
                if any(w["a"].startswith(f"{r}:") or w["b"].startswith(f"{r}:") for r in res)
                and e.split(":")[0] in regs}

    assert feeding(digits[0]) and feeding(digits[1]) and feeding(digits[0]) != feeding(digits[1])
