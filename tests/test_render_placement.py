"""Placement: parts sit next to what they connect to (a module behind a level shifter goes beyond the
shifter, on the same side of the board; a decoupling capacitor keeps its place by the pin it serves)."""

from __future__ import annotations

from circuit.model import Circuit
from circuit.render import plan, render_svg
from circuit.schematic_lint import lint_circuit
from knowledge.library import Library
from tests.circuit_util import circuit


def _behind_shifter(board: str, radio: str, sensor: str, sensor_out: str, pins: dict[str, str]) -> Circuit:
    """A 3.3 V SPI radio on a 5 V board: three lines through a level shifter, MISO straight to the board,
    and an analog sensor on another pin."""
    lines = [("SCK", "13"), ("MOSI", "11"), ("NSS", "10")]
    wires = [("U3:LV", pins["3v3"]), ("U3:HV", pins["5v"]), ("U3:GND", pins["gnd"]), ("U2:GND", pins["gnd"]),
             ("U2:VCC", pins["3v3"]), (f"U2:MISO", pins["miso"]), ("U4:VCC", pins["5v"]), ("U4:GND", pins["gnd"]),
             (f"U4:{sensor_out}", pins["adc"])]
    for k, (sig, d) in enumerate(lines, start=1):
        wires += [(f"U2:{sig}", f"U3:LV{k}"), (f"U3:HV{k}", f"U1:D{d}")]
    return circuit("radio behind a level shifter",
                   [("U1", board), ("U2", radio), ("U3", "logic-level-shifter"), ("U4", sensor)], wires)


NANO = {"3v3": "U1:3V3", "5v": "U1:5V", "gnd": "U1:GND", "miso": "U1:D12", "adc": "U1:A0"}


def test_a_module_behind_a_level_shifter_sits_beyond_it(library: Library):
    """The shifter goes between the board and the radio, all three in a row: the radio's wires to the shifter
    do not run round the board (they used to loop 900 px when the shifter landed on the board's far side)."""
    for sensor, out in (("soil-moisture-sensor", "OUT"), ("potentiometer", "OUT")):
        design = _behind_shifter("arduino-nano", "sx1278-lora", sensor, out, NANO)
        p = plan(design, library)
        board, radio, shifter = (p.placed[i].footprint() for i in ("U1", "U2", "U3"))
        left = shifter.cx < board.cx
        assert (radio.cx < board.cx) == left, "the radio and its level shifter sit on one side of the board"
        assert min(radio.cx, board.cx) < shifter.cx < max(radio.cx, board.cx), "the shifter sits between them"
        rep = lint_circuit(design, library, render_svg(design, library))
        assert rep.ok, rep.issues


def test_a_decoupling_capacitor_keeps_room_by_its_pin(library: Library):
    """A module wired through a level shifter whose supply pin faces a crowded gap still gets its capacitor
    beside that pin: the part it serves keeps room for it while parts are fixed."""
    design = circuit(
        "sensor and particle counter behind a level shifter",
        [("U1", "arduino-uno"), ("U2", "apds9960"), ("U3", "logic-level-shifter"), ("U4", "pms5003"),
         ("C1", "ceramic-capacitor", {"value": "100nF"}), ("R1", "resistor", {"value": "10k"}),
         ("R2", "resistor", {"value": "18k"})],
        [("U2:VL", "U1:3.3V"), ("U2:VCC", "U1:3.3V"), ("U2:GND", "U1:GND"), ("U3:LV", "U1:3.3V"),
         ("U3:HV", "U1:5V"), ("U3:GND", "U1:GND"), ("U2:SDA", "U3:LV1"), ("U3:HV1", "U1:A4"),
         ("U2:SCL", "U3:LV2"), ("U3:HV2", "U1:A5"), ("U4:VCC", "U1:5V"), ("U4:GND", "U1:GND"),
         ("C1:1", "U4:VCC"), ("C1:2", "U1:GND"), ("U4:SET", "U3:LV3"), ("U3:HV3", "U1:D4"),
         ("U4:RX", "U3:LV4"), ("U3:HV4", "U1:D8"), ("U1:D7", "U4:TX"), ("U1:5V", "R1:1"),
         ("R1:2", "U4:RESET"), ("R2:1", "U4:RESET"), ("R2:2", "U4:GND")],
    )
    p = plan(design, library)
    cap, mod = p.placed["C1"], p.placed["U4"]
    vx, vy = mod.tip("VCC")
    far = min(abs(cap.tip(n)[0] - vx) + abs(cap.tip(n)[1] - vy) for n in cap.shape.pins)
    assert far <= 250, f"C1 is {far:.0f} px from U4:VCC"
    rep = lint_circuit(design, library, render_svg(design, library))
    assert rep.ok, rep.issues


def test_sensors_sit_left_of_the_board_and_loads_right(library: Library):
    """Signals flow left to right: parts whose records only sense (a DHT22 on a two-way data pin, an I2C
    sensor, a button) are drawn left of the controller, parts that only act (an LED behind its resistor, a
    buzzer) right of it, whatever their pin types say."""
    from circuit.netlist import Netlist
    from circuit.signal_flow import INPUT, directions

    design = circuit(
        "sensors in, indicators out",
        [("U1", "arduino-uno"), ("U2", "dht22"), ("R1", "resistor", {"value": "10k"}), ("U3", "bme280"),
         ("SW1", "push-button"), ("R2", "resistor", {"value": "220"}), ("LED1", "led"), ("BZ1", "buzzer")],
        [("U2:VCC", "U1:5V"), ("U2:GND", "U1:GND"), ("U2:DATA", "U1:D2"), ("R1:1", "U1:5V"), ("R1:2", "U2:DATA"),
         ("U3:3.3V", "U1:3.3V"), ("U3:GND", "U1:GND"), ("U3:SDA", "U1:A4"), ("U3:SCL", "U1:A5"),
         ("SW1:1", "U1:D3"), ("SW1:2", "U1:GND"), ("U1:D9", "R2:1"), ("R2:2", "LED1:+"), ("LED1:-", "U1:GND"),
         ("BZ1:VCC", "U1:D8"), ("BZ1:GND", "U1:GND")],
    )
    hub, dirs = directions(Netlist(design, library))
    assert hub == "U1" and {p for p, d in dirs.items() if d == INPUT} == {"U2", "U3", "SW1"}
    p = plan(design, library)
    board = p.placed["U1"].footprint()
    for pid, d in dirs.items():
        box = p.placed[pid].footprint()
        assert (box.right <= board.x) if d == INPUT else (box.x >= board.right), f"{pid} is on the wrong side"
    rep = lint_circuit(design, library, render_svg(design, library))
    assert rep.ok and rep.measures["flow"] == [len(dirs), len(dirs)], rep.issues
