"""The requirement gate (circuit/requirement_gate.py) on hand-built Requirements and real circuits."""

from __future__ import annotations

import pytest

from agents.understand.requirements import Constraints, NamedPart, NeededFunction, PowerSource, Requirements
from circuit.fixes import apply_fixes
from circuit.model import Circuit
from circuit.requirement_gate import check_requirements, gate_error, is_battery, is_primary_source
from knowledge.record import Capability


def doc(parts, wires):
    return {"version": 1, "title": "t", "parts": [{"id": i, "type": t, "attrs": a} for i, t, a in parts],
            "connections": [[a, b, "green", []] for a, b in wires]}


STRIP = doc(
    [("U1", "raspberry-pi-pico", {}), ("LED1", "ws2812b", {"count": 30}), ("PS1", "power-supply-12v", {}),
     ("U2", "lm2596-buck-converter", {}), ("R1", "resistor", {"value": "330"})],
    [("PS1:+", "U2:IN+"), ("PS1:-", "U2:IN-"), ("U2:OUT+", "LED1:5V"), ("U2:OUT+", "U1:VSYS"),
     ("U2:OUT-", "LED1:GND"), ("U1:GND", "LED1:GND"), ("U1:GP2", "R1:1"), ("R1:2", "LED1:DIN")])


def rules(check):
    return sorted(f.rule for f in check.findings)


def test_named_parts_counts_and_board_met(library):
    req = Requirements(named_parts=[NamedPart(key="ws2812b", count=30), NamedPart(key="lm2596-buck-converter")],
                       constraints=Constraints(board="raspberry-pi-pico"))
    check = check_requirements(STRIP, req, library)
    assert check.passed and not check.findings
    assert "part ws2812b x30: LED1" in check.met and "board raspberry-pi-pico: U1" in check.met


def test_count_short_missing_and_swapped_parts_are_major(library):
    req = Requirements(named_parts=[NamedPart(key="ws2812b", count=60, words="60 pixel strip"),
                                    NamedPart(key="ssd1306"), NamedPart(key="mt3608")],
                       constraints=Constraints(board="arduino-nano"))
    check = check_requirements(STRIP, req, library)
    assert rules(check) == ["REQ-BOARD-SWAPPED", "REQ-PART-COUNT", "REQ-PART-MISSING", "REQ-PART-SWAPPED"]
    assert all(f.severity.value == "Major" and f.source == "requirements" and f.message for f in check.findings)
    by = {f.rule: f for f in check.findings}
    assert by["REQ-PART-COUNT"].fix == "add_part(ws2812b, count=30)" and "60 pixel strip" in by["REQ-PART-COUNT"].message
    assert by["REQ-PART-SWAPPED"].where == ["U2"]  # a buck module stands where the named boost should be
    assert by["REQ-BOARD-SWAPPED"].fix == "replace_part(U1, arduino-nano)"
    assert len(check.unmet) == 4


def test_a_part_named_by_kind_is_met_by_any_of_that_kind(library):
    lc = doc([("L1", "inductor", {}), ("C1", "electrolytic-capacitor", {}), ("Q1", "bc547", {}),
              ("D1", "led-red", {}), ("D2", "led", {"color": "red"})],
             [("L1:1", "C1:+"), ("Q1:C", "D1:C"), ("D1:A", "D2:C")])
    req = Requirements(named_parts=[NamedPart(key="capacitor"), NamedPart(key="led", count=2),
                                    NamedPart(key="npn-transistor")])
    assert check_requirements(lc, req, library).passed
    named_number = Requirements(named_parts=[NamedPart(key="2n2222"), NamedPart(key="ceramic-capacitor")])
    assert rules(check_requirements(lc, named_number, library)) == ["REQ-PART-MISSING", "REQ-PART-MISSING"]


def test_an_unwired_part_does_not_count(library):
    loose = doc([("U1", "arduino-uno", {}), ("M1", "sim800l", {})], [])
    check = check_requirements(loose, Requirements(named_parts=[NamedPart(key="sim800l")]), library)
    assert rules(check) == ["REQ-PART-MISSING"] and "nothing beyond its supply is wired" in check.findings[0].message
    # powered only: it serves nothing; a board that only powers the rest is still a controller
    powered = doc([("U1", "arduino-uno", {}), ("M1", "sim800l", {})], [("U1:5V", "M1:5V"), ("U1:GND", "M1:GND")])
    check = check_requirements(powered, Requirements(named_parts=[NamedPart(key="sim800l")],
                                                     constraints=Constraints(no_controller=True)), library)
    assert rules(check) == ["REQ-NO-CONTROLLER", "REQ-PART-MISSING"]
    fan = doc([("M1", "fan-12v", {}), ("PS1", "power-supply-12v", {})], [("PS1:+", "M1:+"), ("PS1:-", "M1:-")])
    assert check_requirements(fan, Requirements(named_parts=[NamedPart(key="fan-12v")]), library).passed


def test_needs_are_met_by_a_wired_part_that_provides_them(library):
    lib = library
    rec = lib.get("sim800l").model_copy(deep=True)
    rec.provides = [Capability(capability="send-sms", description="send a text message", direction="communicate")]
    lib = _with(lib, rec)
    req = Requirements(needs=[NeededFunction(capability="send-sms", words="text me")])
    with_modem = doc([("U1", "arduino-uno", {}), ("M1", "sim800l", {})], [("U1:D7", "M1:RXD")])
    assert check_requirements(with_modem, req, lib).passed
    without = doc([("U1", "arduino-uno", {}), ("D1", "led", {})], [("U1:D7", "D1:A")])
    check = check_requirements(without, req, lib)
    assert rules(check) == ["REQ-FUNCTION-MISSING"] and "text me" in check.findings[0].message
    # a capability no record provides cannot be shown to be met: fail closed
    check = check_requirements(with_modem, Requirements(needs=[NeededFunction(capability="teleport")]), lib)
    assert rules(check) == ["REQ-FUNCTION-UNKNOWN"]


def test_no_controller_and_forbidden(library):
    req = Requirements(constraints=Constraints(no_controller=True, forbidden=["lm2596-buck-converter"]))
    check = check_requirements(STRIP, req, library)
    assert rules(check) == ["REQ-FORBIDDEN", "REQ-NO-CONTROLLER"]
    # taking the board out by hand would leave its loads undriven: these go back to the planner
    assert apply_fixes(Circuit.model_validate(STRIP), check.findings, library)[1] == []
    night = doc([("R1", "ldr", {}), ("Q1", "2n2222", {}), ("D1", "led-white", {})], [("R1:1", "Q1:B"), ("Q1:C", "D1:C")])
    assert check_requirements(night, req, library).passed


def test_stated_battery_is_used_and_no_wall_supply(library):
    req = Requirements(constraints=Constraints(source=PowerSource(kind="cells", key="18650-battery", cells_series=2)))
    check = check_requirements(STRIP, req, library)
    assert rules(check) == ["REQ-SOURCE-EXTRA", "REQ-SOURCE-MISSING"]  # a wall supply, no cells
    car = doc([("U1", "arduino-uno", {}), ("BT1", "18650-battery", {}), ("BT2", "18650-battery", {}),
               ("U3", "l298n", {}), ("PS1", "power-supply-5v", {})],
              [("BT1:+", "BT2:-"), ("BT2:+", "U3:12V"), ("BT1:-", "U3:GND"), ("PS1:+", "U1:VIN"), ("PS1:-", "U1:GND")])
    check = check_requirements(car, req, library)
    assert rules(check) == ["REQ-SOURCE-EXTRA"]
    assert check.findings[0].fix == "rewire(PS1:+, BT2:+)"  # onto the pack's output, not the cell link
    fixed, applied = apply_fixes(Circuit.model_validate(car), check.findings, library)
    assert applied and ["BT2:+", "U1:VIN"] in [sorted([c.source, c.target]) for c in fixed.connections]
    check = check_requirements(fixed, req, library)  # the next round takes the idle supply out
    assert check.findings[0].fix == "remove_part(PS1)"
    fixed, _ = apply_fixes(fixed, check.findings, library)
    assert check_requirements(fixed, req, library).passed
    by_volts = Requirements(constraints=Constraints(source=PowerSource(kind="battery", volts=9.0)))
    assert rules(check_requirements(car, by_volts, library)) == ["REQ-SOURCE-EXTRA", "REQ-SOURCE-MISSING"]
    nine = doc([("U1", "arduino-uno", {}), ("BT1", "battery-9v", {})], [("BT1:VCC", "U1:VIN"), ("BT1:GND", "U1:GND")])
    assert check_requirements(nine, by_volts, library).passed
    assert is_battery(library.get("cr2032")) and not is_battery(library.get("power-supply-12v"))
    assert is_primary_source(library.get("dc-barrel-jack")) and not is_primary_source(library.get("lm7805"))


def test_logic_volts(library):
    req = Requirements(constraints=Constraints(logic_volts=3.3))
    assert rules(check_requirements(STRIP, req, library)) == []
    uno = doc([("U1", "arduino-uno", {}), ("D1", "led", {})], [("U1:D7", "D1:A")])
    assert rules(check_requirements(uno, req, library)) == ["REQ-LOGIC-VOLTS"]


def test_gate_error_fails_closed():
    check = gate_error(ValueError("broken"))
    assert not check.passed and check.findings[0].severity.value == "Major"


def _with(library, rec):
    from knowledge.library import Library

    recs = {r.key: r for r in library}
    recs[rec.key] = rec
    return Library(list(recs.values()))


@pytest.fixture(autouse=True)
def _pins_exist(library):
    for d in (STRIP,):
        for p in d["parts"]:
            assert library.get(p["type"]) is not None


def test_a_supply_that_only_charges_the_stated_battery_is_not_another_source(library):
    """The charger's input supply charges the cell; the loads still run from the cell (record data: a charger)."""
    req = Requirements(constraints=Constraints(source=PowerSource(kind="cells", key="18650-battery")))
    backup = doc([("BT1", "18650-battery", {}), ("U1", "tp4056", {}), ("PS1", "power-supply-5v", {}),
                  ("U2", "mt3608", {}), ("U3", "esp32-devkit-v1", {})],
                 [("PS1:+", "U1:IN+"), ("PS1:-", "U1:IN-"), ("U1:BAT+", "BT1:+"), ("U1:BAT-", "BT1:-"),
                  ("U1:OUT+", "U2:IN+"), ("U1:OUT-", "U2:IN-"), ("U2:OUT+", "U3:VIN"), ("U2:OUT-", "U3:GND")])
    assert check_requirements(backup, req, library).passed
    # the same supply also feeding the converter is another source: only that load moves to the cell
    both = doc([(i, t, a) for i, t, a in [(p["id"], p["type"], p["attrs"]) for p in backup["parts"]]],
               [("PS1:+", "U1:IN+"), ("PS1:-", "U1:IN-"), ("U1:BAT+", "BT1:+"), ("U1:BAT-", "BT1:-"),
                ("PS1:+", "U2:IN+"), ("U1:OUT-", "U2:IN-"), ("U2:OUT+", "U3:VIN"), ("U2:OUT-", "U3:GND")])
    check = check_requirements(both, req, library)
    assert rules(check) == ["REQ-SOURCE-EXTRA"] and check.findings[0].fix == "move_wire(U2:VIN+, BT1:+)"
    fixed, applied = apply_fixes(Circuit.model_validate(both), check.findings, library)
    assert applied and check_requirements(fixed, req, library).passed
    assert ["PS1:+", "U1:IN+"] in [sorted([c.source, c.target]) for c in fixed.connections]
    # a load the cell cannot run (its minimum supply is above 3.7 V) is not moved onto it: the finding says why
    xl = Circuit.model_validate(both)
    xl.part("U2").type = "lm2596-boost-converter"
    check = check_requirements(xl, req, library)
    assert rules(check) == ["REQ-SOURCE-EXTRA"] and check.findings[0].fix is None
    assert "needs at least 5 V" in check.findings[0].message


def test_a_stated_voltage_is_the_voltage_the_part_gives_or_gets(library):
    """'a buck converter down to 5 V', '5 V for the Pico': the placed part at another voltage does not do what was asked."""
    req = Requirements(named_parts=[NamedPart(key="lm2596-buck-converter", attrs={"voltage": "5 V"}, words="buck"),
                                    NamedPart(key="raspberry-pi-pico", attrs={"supply": "5 V"})])
    check = check_requirements(STRIP, req, library)  # the record's 5 V output feeds VSYS
    assert check.passed and "part lm2596-buck-converter output 5 V: U2" in check.met
    assert "part raspberry-pi-pico supply 5 V: U1" in check.met
    three = Circuit.model_validate(STRIP)
    three.part("U2").attrs["voltage"] = "3.3 V"
    check = check_requirements(three, req, library)
    assert rules(check) == ["REQ-PART-VOLTAGE", "REQ-PART-VOLTAGE"]
    assert "with 5 V out, but the design has U2 at 3.3 V" in check.findings[0].message
    # a part with no wired pin of that kind (a board on its USB port, a coil's leads) is left to the rail checks
    usb = doc([("U1", "raspberry-pi-pico", {}), ("D1", "led", {})], [("U1:GP2", "D1:A")])
    assert check_requirements(usb, Requirements(named_parts=[NamedPart(key="raspberry-pi-pico",
                                                                        attrs={"supply": "3.3 V"})]), library).passed
    # ... but a supply beyond the part's rating fails whatever the design does (circuit/rating_gate.py)
    assert rules(check_requirements(usb, Requirements(named_parts=[NamedPart(
        key="raspberry-pi-pico", attrs={"supply": "9 V"})]), library)) == ["REQ-RATING-SUPPLY"]


def test_a_clause_read_two_ways_is_answered_by_either_or_fails(library):
    from agents.understand.requirements import AskedFunction

    # understanding could not choose between two readings, so it took no need; the gate still asks
    req = Requirements(asked=[AskedFunction(words="once the cellar goes dark", any_of=["sense-light", "sense-motion"])])
    with_ldr = doc([("U1", "arduino-uno", {}), ("R1", "ldr", {})], [("U1:A0", "R1:1")])
    check = check_requirements(with_ldr, req, library)
    assert check.passed and any("cellar" in m for m in check.met)
    without = doc([("U1", "arduino-uno", {}), ("D1", "led", {})], [("U1:D7", "D1:A")])
    check = check_requirements(without, req, library)
    assert rules(check) == ["REQ-ASKED-UNANSWERED"] and "cellar" in check.findings[0].message
    assert check.findings[0].severity.value == "Major"
    # a reading no record provides cannot be shown to be answered: fail closed
    unknown = Requirements(asked=[AskedFunction(words="beam me up", any_of=["teleport"])])
    assert rules(check_requirements(with_ldr, unknown, library)) == ["REQ-ASKED-UNANSWERED"]


def test_a_plug_in_supply_is_met_by_a_parts_own_socket(library):
    # "recharge it from a USB port": the charger module's own USB socket takes the plug; no supply part is placed
    usb = next(c.capability for c in library["usb-5v-supply"].provides if c.direction == "power")
    charged = doc([("BT1", "18650-battery", {}), ("U1", "tp4056", {}), ("LED1", "led-white", {}), ("R1", "resistor", {"value": "47"})],
                  [("U1:BAT+", "BT1:+"), ("U1:BAT-", "BT1:-"), ("U1:OUT+", "R1:1"), ("R1:2", "LED1:A"),
                   ("LED1:K", "U1:OUT-")])
    req = Requirements(needs=[NeededFunction(capability=usb, words="recharge it from a USB port")])
    check = check_requirements(charged, req, library)
    assert check.passed, check.findings
    # without a part that has a socket of its own, the need is still a miss
    bare = doc([("BT1", "18650-battery", {}), ("LED1", "led-white", {}), ("R1", "resistor", {"value": "47"})],
               [("BT1:+", "R1:1"), ("R1:2", "LED1:A"), ("LED1:K", "BT1:-")])
    assert "REQ-FUNCTION-MISSING" in rules(check_requirements(bare, req, library))
