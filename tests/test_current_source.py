"""An adjustable regulator asked for a current, not a voltage, is wired as a constant-current source
(agents/rules/current_source.py): OUT -> set resistor -> ADJ, the LEDs in series from ADJ to ground.

The requests are phrased for these tests (not taken from any benchmark); the regulator and LEDs are found
from record data (a linear regulator holding its output ``v_ref`` above its feedback pin; LED kind)."""

from __future__ import annotations

from agents.rules.power_tree import feedback_pin, regulates_current
from agents.understand.rules import understand_rules
from circuit.units import parse_value
from pipelines.design import design
from tests.design_util import run_passing


def test_a_current_asked_of_a_regulator_beside_leds_makes_it_a_current_source(library):
    req = understand_rules("two red LEDs kept at 10 mA by an LM317, fed from a 9 V battery", library)
    assert "current_source" in req.analog_blocks
    assert abs(req.constraints.targets["current_a"] - 0.01) < 1e-9
    # the trade term says it without a figure
    req = understand_rules("a constant current LED driver with an LM317 and a green LED", library)
    assert "current_source" in req.analog_blocks and "current_a" not in req.constraints.targets
    # a voltage asked of it keeps it a voltage regulator
    req = understand_rules("an LM317 making 5 V from a 9 V battery for a red LED", library)
    assert "current_source" not in req.analog_blocks


def test_the_current_source_is_wired_and_sized(library):
    turn, c, nl = run_passing("two red LEDs kept at 10 mA by an LM317, fed from a 9 V battery, no microcontroller",
                              library)
    reg = next(p for p in c.parts if regulates_current(library[p.type]))
    rec = library[reg.type]
    out = rec.pins_of_type("power_out")[0].name
    adj = feedback_pin(rec).name
    fed = [(p, end) for p in c.parts if p.type == "resistor" for end in ("1", "2")
           if nl.connected(f"{reg.id}:{out}", f"{p.id}:{end}")]
    assert len(fed) == 1, [p.id for p in c.parts]
    r, end = fed[0]
    other = "2" if end == "1" else "1"
    assert nl.connected(f"{r.id}:{other}", f"{reg.id}:{adj}")
    ohms = parse_value(str(r.attrs["value"]), "Ω")
    assert abs(rec.spice.params["v_ref"] / ohms - 0.01) < 0.001, ohms
    leds = [p for p in c.parts if library[p.type].spice.kind == "led"]
    assert len(leds) == 2
    # no series resistor of their own and no controller: the regulator holds the current
    assert not any(library[p.type].is_mcu for p in c.parts)
    assert sum(1 for p in c.parts if p.type == "resistor") == 1


def test_a_current_source_starved_of_headroom_says_the_supply_it_needs(library):
    # three white LEDs (about 3.2 V each) plus the regulator's 1.25 V and its dropout do not fit in 12 V: the
    # gate says so, and the voltage it asks for is the LEDs' string plus the regulator's, not a divider's
    # ratio read off a node that rides on the LEDs (it said "at least 49 V")
    turn = design("an LM317 holding three white LEDs in series at 20 mA from a 12 V adapter, no microcontroller",
                  backend="rules")
    drop = [f for f in turn["findings"] if f["rule"] == "SPICE-REGULATOR-DROPOUT"]
    assert drop and not turn["passed"], [f["message"] for f in turn["findings"]]
    asked = parse_value(drop[0]["message"].rsplit("at least", 1)[1].strip(" ."), "V")
    assert 12.0 < asked < 16.0, drop[0]["message"]
