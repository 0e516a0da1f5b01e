"""The planner held to the ratings a request states: a driver rated for the stated motor current, as many
drivers as the motors need, a converter's input never "repaired" onto its own output, and a load of many
elements (a panel of pixels) counted against the stated supply from its record's per-element current."""

from __future__ import annotations

import json

import pytest

from agents.models import Need, Resolution
from agents.rules.need_swaps import rating_swaps, swap_needs
from agents.rules.needs import identification_from
from agents.rules.rated_choice import load_amps_for, rated_for, stated_loads
from agents.understand.requirements import Constraints, NamedPart, NeededFunction, PowerSource, Requirements
from circuit.erc import run_erc
from circuit.erc.context import ErcContext
from circuit.findings import Finding, Severity
from circuit.fixes import apply_fixes
from circuit.model import Circuit
from circuit.part_ratings import current_rating, input_limit
from circuit.rating_gate import element_amps
from circuit.requirement_gate import check_requirements
from knowledge.library import Library
from pipelines.cli import main
from pipelines.design import repair_node

REVERSE = "dc-motor-speed-and-direction"


def doc(parts, wires):
    return {"version": 1, "title": "t", "parts": [{"id": i, "type": t, "attrs": a} for i, t, a in parts],
            "connections": [[a, b, "green", []] for a, b in wires]}


def motor_request(amps: str | None, count: int = 1, board: str = "esp32-devkit-v1") -> Requirements:
    attrs = {"current": amps} if amps else {}
    return Requirements(named_parts=[NamedPart(key=board), NamedPart(key="dc-motor", count=count, attrs=attrs)],
                        needs=[NeededFunction(capability=REVERSE, words="forwards and backwards")],
                        constraints=Constraints(board=board))


def drivers(ident, library):
    return [n for n in ident.needs if n.key and library[n.key].category == "driver"]


# ---- the driver is chosen by its rating -------------------------------------------------------------------
@pytest.mark.parametrize("amps", ["2.5 A", "3 A", "10 A"])
def test_a_stated_motor_current_gets_a_driver_rated_for_it(library, amps):
    ident = identification_from(motor_request(amps), library)
    [d] = drivers(ident, library)
    need = float(amps.split()[0])
    assert current_rating(library[d.key]) >= need, (d.key, current_rating(library[d.key]))


def test_without_a_stated_current_the_usual_driver_stays(library):
    small = identification_from(motor_request(None), library)
    rated = identification_from(motor_request("0.4 A"), library)
    assert [d.key for d in drivers(small, library)] == [d.key for d in drivers(rated, library)]


def test_no_driver_rated_for_it_keeps_one_and_the_gate_says_so(library):
    # nothing in the library reverses 500 A: the planner still designs, and the rating is the gate's to refuse
    ident = identification_from(motor_request("500 A"), library)
    assert len(drivers(ident, library)) == 1


def test_the_rating_filter_reads_what_a_driver_drives(library):
    loads = [(library["dc-motor"], 3.0), (library["led"], 0.02)]
    l298n, drv = library["l298n"], library["drv8871"]
    assert load_amps_for(l298n, loads) == 3.0   # it drives DC motors: the motor's current
    assert [r.key for r in rated_for([l298n, drv], loads)] == ["drv8871"]
    assert rated_for([l298n], [(library["dc-motor"], 50.0)]) == [l298n]  # none rated: all kept
    req = motor_request("3 A")
    assert [(r.key, a) for r, a in stated_loads(req, library)] == [("dc-motor", 3.0)]  # the board draws nothing here


def test_two_motors_get_as_many_single_bridge_drivers(library):
    ident = identification_from(motor_request("3 A", count=2), library)
    [d] = drivers(ident, library)
    per = sum(1 for p in library[d.key].pins if "motor" in p.functions) // 2
    assert d.qty * per >= 2


# ---- a converter's input is never moved onto its own output -------------------------------------------------
OVER = doc([("J1", "dc-barrel-jack", {"voltage": "48 V"}), ("U1", "lm2596-buck-converter", {}),
            ("J2", "screw-terminal", {})],
           [("J1:+", "U1:IN+"), ("J1:-", "U1:IN-"), ("U1:OUT+", "J2:1"), ("U1:OUT-", "J2:2")])


def test_an_over_voltage_fix_never_feeds_a_converter_from_itself(library):
    found = [f for f in run_erc(OVER, library) if f.rule == "ERC-PIN-OVERVOLTAGE"]
    assert found, "48 V on a 40 V input is over its rating"
    assert not any(f.fix and "U1:OUT" in f.fix for f in found)
    fixed, _ = apply_fixes(Circuit.model_validate(OVER), found, library)
    wires = {frozenset((c.source, c.target)) for c in fixed.connections}
    assert frozenset(("J1:+", "U1:IN+")) in wires and frozenset(("U1:IN+", "U1:OUT+")) not in wires


def test_move_wire_refuses_a_part_feeding_itself(library):
    f = Finding(rule="ERC-PIN-OVERVOLTAGE", severity=Severity.CRITICAL, message="m", where=["U1:IN+"],
                fix="move_wire(U1:IN+, U1:OUT+)")
    fixed, applied = apply_fixes(Circuit.model_validate(OVER), [f], library)
    assert applied == []
    assert fixed.connections == Circuit.model_validate(OVER).connections


def test_what_a_part_powers_follows_its_outputs(library):
    chain = doc([("J1", "dc-barrel-jack", {"voltage": "24 V"}), ("U1", "lm2596-buck-converter", {}),
                 ("S1", "hc-sr04", {})],
                [("J1:+", "U1:IN+"), ("J1:-", "U1:IN-"), ("U1:OUT+", "S1:VCC"), ("U1:OUT-", "S1:GND")])
    ctx = ErcContext(Circuit.model_validate(chain), library)
    assert ctx.powered_from("J1") == {"J1", "U1", "S1"}
    assert ctx.powered_from("U1") == {"U1", "S1"} and ctx.powered_from("S1") == {"S1"}


# ---- many elements against the stated supply -----------------------------------------------------------------
def pixels(n: int, amps: float) -> tuple[dict, Requirements]:
    circuit = doc([("PS1", "power-supply-5v", {}), ("U1", "esp32-devkit-v1", {}), ("LED1", "ws2812b", {"count": n})],
                  [("PS1:+", "U1:VIN"), ("PS1:-", "U1:GND"), ("PS1:+", "LED1:5V"), ("PS1:-", "LED1:GND"),
                   ("U1:GPIO16", "LED1:DIN")])
    req = Requirements(named_parts=[NamedPart(key="ws2812b", count=n), NamedPart(key="esp32-devkit-v1")],
                       constraints=Constraints(source=PowerSource(volts=5.0, max_current=amps, words="5 V")))
    return circuit, req


def test_a_pixel_panel_is_counted_against_the_stated_supply(library):
    each = element_amps(library["ws2812b"])
    assert each and each < 0.1  # the record is one pixel
    circuit, req = pixels(256, 2.0)
    found = [f for f in check_requirements(circuit, req, library).findings if f.rule == "REQ-RATING-CURRENT"]
    assert found and "ws2812b" in found[0].message and "x256" in found[0].message
    circuit, req = pixels(30, 4.0)
    check = check_requirements(circuit, req, library)
    assert not [f for f in check.findings if f.rule == "REQ-RATING-CURRENT"]
    assert any("the stated supply gives 4 A" in m for m in check.met)


def test_a_source_or_a_board_is_no_element_load(library):
    assert element_amps(library["power-supply-5v"]) is None and element_amps(library["arduino-uno"]) is None


# ---- the repair loop applies the gate's replace suggestion ---------------------------------------------------
def _finding(fix: str, rule: str = "REQ-RATING-CURRENT") -> dict:
    return {"rule": rule, "severity": "Major", "message": "m", "where": [], "fix": fix, "source": "requirements"}


def test_a_rating_swap_is_made_where_the_planner_chose_the_part(library):
    circuit = doc([("U2", "a4988", {}), ("M1", "stepper-motor", {})], [])
    needs = [Need(phrase="stepper driver", key="a4988", role="companion", explicit=False),
             Need(phrase="stepper", key="stepper-motor")]
    swaps = rating_swaps([_finding("replace_part(U2, tb6600)"), _finding("replace_part(U2, tb6600)", "REQ-PART-SWAPPED")],
                         circuit, library)
    assert [(s.old, s.new) for s in swaps] == [("a4988", "tb6600")]  # rating findings only
    tried: list[str] = []
    new, done = swap_needs(needs, swaps, library, tried)
    assert [n.key for n in new] == ["tb6600", "stepper-motor"] and done and tried == ["a4988->tb6600"]
    assert needs[0].key == "a4988"  # the old needs are left as they were
    again, done = swap_needs(needs, swaps, library, tried)
    assert done == [] and [n.key for n in again] == ["a4988", "stepper-motor"]  # once a turn


def test_a_part_named_by_its_number_is_not_swapped(library):
    circuit = doc([("U2", "l298n", {})], [])
    swaps = rating_swaps([_finding("replace_part(U2, drv8871)")], circuit, library)
    named = [Need(phrase="L298N", key="l298n", role="driver", explicit=True)]
    new, done = swap_needs(named, swaps, library, [])
    assert done == [] and new[0].key == "l298n"
    chosen = [Need(phrase="driver", key="l298n", role="driver", explicit=False)]
    new, done = swap_needs(chosen, swaps, library, [])
    assert new[0].key == "drv8871" and done


def test_the_repair_step_plans_again_with_the_swap():
    state = {"circuit": doc([("U2", "a4988", {})], []), "round": 0,
             "resolution": Resolution(needs=[Need(phrase="stepper driver", key="a4988", explicit=False)]).model_dump(),
             "findings": [_finding("replace_part(U2, tb6600)")]}
    out = repair_node(state)
    assert out["next"] == "plan" and out["round"] == 1 and out["swaps_tried"] == ["a4988->tb6600"]
    assert [n["key"] for n in out["resolution"]["needs"]] == ["tb6600"]
    state.update(out)
    state["findings"] = [_finding("replace_part(U2, tb6600)")]
    assert repair_node(state)["next"] != "plan"  # tried once: the rules plan would be the same again


def test_a_stated_stepper_current_ends_on_a_driver_rated_for_it(tmp_path):
    rc = main(["design", "an Arduino Uno driving a NEMA17 stepper that draws 3 A", "-o", str(tmp_path), "--json",
               "--rules"])
    circuit = json.loads((tmp_path / "circuit.json").read_text())
    lib = Library.default()
    drivers = [p["type"] for p in circuit["parts"] if lib[p["type"]].category == "driver"]
    assert rc == 0 and drivers and all(current_rating(lib[k]) >= 3.0 for k in drivers)


# ---- a board runs from the stated source through a converter rated for it -----------------------------------
def test_a_board_runs_from_a_stated_source_above_its_input(tmp_path):
    rc = main(["design", "power an ESP32 from a 24 V supply, not from USB", "-o", str(tmp_path), "--json", "--rules"])
    circuit = Circuit.model_validate(json.loads((tmp_path / "circuit.json").read_text()))
    lib = Library.default()
    ctx = ErcContext(circuit, lib)
    [src] = [p.id for p in circuit.parts if p.type.startswith("power-supply")]
    [board] = [p.id for p in circuit.parts if lib[p.type].is_mcu]
    convs = [p for p in circuit.parts if lib[p.type].category == "power" and lib[p.type].pins_of_type("power_in")]
    assert rc == 0 and convs, "the 24 V source reaches the board through a converter"
    assert board in ctx.powered_from(src) and all(input_limit(lib[p.type]) >= 24 for p in convs)
