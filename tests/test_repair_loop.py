"""The repair loop applies what the gates propose where the decision is made, and PASS stays true: a clause
left unanswered is asked for as a need (when the library agrees with its reading), a source named for parts
it cannot run is refused with its rating, a source chosen by voltage alone is rated for the load, and a
timer named by its bare number runs from the supply there is."""

from __future__ import annotations

from agents.rules.asked_repair import ask_for_unanswered
from agents.rules.power_needs import source_choice
from agents.understand.requirements import AskedFunction, Requirements
from circuit.model import Circuit
from circuit.requirement_gate import family
from pipelines.design import design


def _finding(fix: str) -> dict:
    return {"rule": "REQ-ASKED-UNANSWERED", "severity": "Major", "message": "", "where": [], "fix": fix,
            "source": "requirements"}


def test_an_unanswered_clause_is_planned_again_with_a_part_that_answers_it(library):
    turn = design("fan runs quicker whenever the attic heats up", backend="rules")
    assert turn["passed"], turn["findings"]
    c = Circuit.model_validate(turn["circuit"])
    cooling = {r.key for r in library if any(p.capability == "cooling-fan" for p in r.provides)}
    assert any(p.type in cooling for p in c.parts), [p.type for p in c.parts]
    assert any("REQ-ASKED-UNANSWERED" in r for r in turn["repairs"]), turn["repairs"]


def test_a_reading_the_library_does_not_agree_with_is_not_guessed(library):
    req = Requirements(asked=[AskedFunction(words="speeds up", any_of=["gps-position", "adjust-knob"])])
    tried: list[str] = []
    new, done = ask_for_unanswered([_finding("add_part(gps)")], req, library, tried)
    assert new is None and not done
    # and each clause is tried once a turn: the bounded loop does not ask again
    assert tried == ["asked:speeds up"]
    assert ask_for_unanswered([_finding("add_part(gps)")], req, library, tried) == (None, [])


def test_an_agreed_reading_becomes_a_need(library):
    req = Requirements(asked=[AskedFunction(words="fan runs quicker", any_of=["cooling-fan", "spin-motor"])])
    new, done = ask_for_unanswered([_finding("add_part(fan-12v)")], req, library, [])
    assert new is not None and done
    assert [n.capability for n in new.needs] == ["cooling-fan"]


def test_a_coin_cell_named_for_a_board_is_refused_with_its_rating():
    turn = design("a coin cell powering an Arduino Uno with a TM1637 display", backend="rules")
    assert not turn["passed"]
    rated = [f for f in turn["findings"] if f["rule"] == "REQ-RATING-CURRENT"]
    assert rated and "3 mA" in rated[0]["message"], turn["findings"]


def test_a_coin_cell_that_can_light_an_led_still_does():
    turn = design("CR2032 coin cell lighting a red LED through a resistor, no microcontroller", backend="rules")
    assert turn["passed"], turn["findings"]


def test_a_source_chosen_by_voltage_is_rated_for_the_load(library):
    assert source_choice(library, 3.0, 0.001) == ("cr2032", 1)  # a coin cell runs a few microamps
    key, series = source_choice(library, 3.0, 0.02)  # not an LED: cells in series that are rated for it
    assert series == 2 and library[key].source_kind == "battery" and (library[key].ratings.i_out_max or 0) >= 0.02
    assert source_choice(library, 9.0, 0.05) == ("battery-9v", 1)  # a single source rated for it stays first


def test_a_bare_part_number_names_every_record_that_carries_it(library):
    assert family("ne555", library, "555") >= {"ne555", "tlc555"}
    assert family("ne555", library, "ne555") == {"ne555"}
    assert family("tlc555", library, "TLC555") == {"tlc555"}


def test_a_555_fades_an_led_from_3_volts_through_the_low_side_stage(library):
    """A follower puts a VBE and the LED's drop under the ramp: from 3 V it lights nothing. The stage is
    chosen from the rail, and the gate's simulation shows the LED current ramping."""
    turn = design("a TLC555 fading an LED in and out from 3 V", backend="rules")
    assert turn["passed"], turn["findings"]
    met = [m for m in turn["requirements_check"]["met"] if m.startswith("timing fade")]
    assert met and "fading LED1" in met[0], turn["requirements_check"]
    c = Circuit.model_validate(turn["circuit"])
    assert any(p.type == "tlc555" for p in c.parts)


def test_the_fade_stage_follows_the_rail():
    from circuit.sizing.blocks.timer_outputs import fade_stage
    astable = {"RA": 10e3, "RB": 68e3, "C1": 10e-6, "vf": 2.0, "i_led": 0.015, "v_min": 2.0, "v_max": 15.0}
    assert fade_stage({**astable, "vcc": 9.0, "v_drop": 1.7}) == "ne555_fade"
    assert fade_stage({**astable, "vcc": 3.0, "v_drop": 0.3}) == "ne555_fade_sink"


def _led_on(source: str, extra: list[dict], wires: list[list]) -> Circuit:
    parts = [{"id": "BT1", "type": source, "attrs": {}}, {"id": "R1", "type": "resistor", "attrs": {"value": "1 kΩ"}},
             {"id": "LED1", "type": "led", "attrs": {}}] + extra
    conns = [["BT1:+", "R1:1", "red", []], ["R1:2", "LED1:A", "green", []], ["LED1:K", "BT1:-", "black", []]] + wires
    return Circuit.model_validate({"version": 1, "title": "", "parts": parts, "connections": conns})


def test_a_voltage_stated_alone_must_be_what_powers_the_design(library):
    from agents.understand.requirements import Constraints, PowerSource
    from circuit.requirement_gate import check_requirements

    req = Requirements(constraints=Constraints(source=PowerSource(kind="unknown", volts=3.0, words="3 V")))
    # a 9 V battery lights the LED; the 3 V cell beside it has only its - on ground: it powers nothing
    idle = [{"id": "BT2", "type": "cr2032", "attrs": {}}]
    wrong = check_requirements(_led_on("battery-9v", idle, [["BT2:-", "BT1:-", "black", []]]), req, library)
    assert not wrong.passed and any(f.rule == "REQ-SOURCE-MISSING" for f in wrong.findings), wrong.unmet
    right = check_requirements(_led_on("cr2032", [], []), req, library)
    assert right.passed, right.unmet


def test_a_mains_voltage_is_still_a_mains_source(library):
    found = source_choice(library, 230.0, 0.1)
    assert found is not None and library[found[0]].safety.mains_source and found[1] == 1


def test_a_lesser_reading_is_not_taken_for_the_clause(library):
    """The library's best part for the words answers only a lesser reading: the best one, which the request
    also implies, is not answered by it, so nothing is asked and the finding stands."""
    req = Requirements(asked=[AskedFunction(words="automatic landing lamp",
                                            any_of=["switch-mains", "indicator-light", "lamp-light"])])
    assert ask_for_unanswered([_finding("add_part(relay-module)")], req, library, []) == (None, [])
