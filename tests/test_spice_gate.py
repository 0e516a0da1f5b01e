"""The SPICE gate: operating-point currents and voltages checked against hand calculations and ratings."""

from __future__ import annotations

import math

import pytest

from circuit.findings import Severity
from circuit.led_colors import COLOUR_VF, RGB_CHANNEL_VF
from circuit.model import Circuit
from circuit.spice_gate import run_spice_gate, simulation_findings
from circuit.spice_netlist import THERMAL_VOLTAGE
from knowledge.library import Library
from knowledge.record import ComponentRecord


def circuit(parts, connections, title="test") -> Circuit:
    return Circuit.model_validate({
        "title": title,
        "parts": [{"id": pid, "type": t, "attrs": attrs} for pid, t, attrs in parts],
        "connections": connections,
    })


def rules(report) -> set[str]:
    return {f.rule for f in report.findings}


def led_current_by_hand(v_drive: float, r_series: float, vf_nom=COLOUR_VF["red"], i_nom=0.02, n=1.6, rs=8.0) -> float:
    """Solve I = (V - Vf(I)) / R with Vf(I) = Vf_nom + n·Vt·ln(I/I_nom) + RS·(I - I_nom), by fixed point."""
    i = (v_drive - vf_nom) / (r_series + rs)
    for _ in range(100):
        vf = vf_nom + n * THERMAL_VOLTAGE * math.log(i / i_nom) + rs * (i - i_nom)
        i = 0.5 * i + 0.5 * (v_drive - vf) / r_series
    return i


def blink(r=None, pin="D13"):
    parts = [("U1", "arduino-uno", {}), ("LED1", "led", {"color": "red"})]
    if r is None:
        return circuit(parts, [[f"U1:{pin}", "LED1:+"], ["LED1:-", "U1:GND"]])
    parts.append(("R1", "resistor", {"value": r}))
    return circuit(parts, [[f"U1:{pin}", "R1:1"], ["R1:2", "LED1:+"], ["LED1:-", "U1:GND"]])


def test_led_with_resistor_passes_at_the_hand_calculated_current(library):
    rep = run_spice_gate(blink("220"), library)
    # 5 V behind the ATmega's 25 Ω output resistance, 220 Ω, a red LED (1.85 V at 20 mA)
    expected = led_current_by_hand(5.0, 220 + 25)
    assert 0.012 < expected < 0.014
    assert rep.current("LED1:+") == pytest.approx(expected, rel=0.01)
    assert rep.current("U1:D13") == pytest.approx(-expected, rel=0.01)  # the pin sources it
    assert rep.node_voltages["GND"] == 0.0
    assert rep.node_voltages["N1"] == pytest.approx(5 - 25 * expected, abs=0.01)
    assert rep.ok and not rep.findings


def test_led_without_resistor_is_over_its_rating_and_the_pins(library):
    rep = run_spice_gate(blink(None), library)
    expected = led_current_by_hand(5.0, 25)  # only the pin's own output resistance limits it
    assert rep.current("LED1:+") == pytest.approx(expected, rel=0.02)
    assert expected > 0.08
    assert not rep.ok
    led = next(f for f in rep.findings if f.rule == "SPICE-LED-OVERCURRENT")
    assert led.severity is Severity.MAJOR and led.source == "spice"
    assert "LED1 would carry" in led.message and "its limit is 30 mA" in led.message
    assert "add a 220 Ω resistor in series" in led.message  # (5 - 1.85) V / 15 mA, E12 upward
    assert led.fix == "insert_series_resistor(LED1:+, 220 Ω)"
    pin = next(f for f in rep.findings if f.rule == "SPICE-PIN-OVERCURRENT")
    assert "U1:D13" in pin.where and "source" in pin.message and "20 mA" in pin.message


def test_small_resistor_is_flagged_and_the_resistor_resized(library):
    rep = run_spice_gate(blink("47"), library)
    f = next(f for f in rep.findings if f.rule == "SPICE-LED-OVERCURRENT")
    assert f.fix == "set_value(R1, 220 Ω)" and "raise R1 from 47 Ω to 220 Ω" in f.message


def test_led_too_dim_is_minor(library):
    rep = run_spice_gate(blink("100k"), library)
    assert rep.current("LED1:+") == pytest.approx(led_current_by_hand(5.0, 100e3 + 25), rel=0.05)
    f = next(f for f in rep.findings if f.rule == "SPICE-LED-DIM")
    assert f.severity is Severity.MINOR and rep.ok


def test_led_to_5v_makes_the_pin_sink(library):
    """An LED hanging from 5 V lights when the GPIO goes LOW: the gate drives it LOW and checks sinking."""
    c = circuit([("U1", "arduino-uno", {}), ("LED1", "led", {"color": "red"}), ("R1", "resistor", {"value": "220"})],
                [["U1:5V", "R1:1"], ["R1:2", "LED1:+"], ["LED1:-", "U1:D7"], ["U1:GND", "U1:GND"]])
    rep = run_spice_gate(c, library)
    assert rep.deck.drives["U1:D7"].output and not rep.deck.drives["U1:D7"].high
    expected = led_current_by_hand(5.0, 220 + 25 + 0.05)
    assert rep.current("U1:D7") == pytest.approx(expected, rel=0.01)  # flows INTO the pin
    assert rep.ok


def test_reversed_led_is_reported(library):
    c = circuit([("U1", "arduino-uno", {}), ("LED1", "led", {"color": "red"}), ("R1", "resistor", {"value": "220"})],
                [["U1:D13", "R1:1"], ["R1:2", "LED1:-"], ["LED1:+", "U1:GND"]])
    rep = run_spice_gate(c, library)
    f = next(f for f in rep.findings if f.rule == "SPICE-LED-REVERSED")
    assert f.fix == "swap_wires(LED1:+, LED1:-)" and "wrong way round" in f.message


def test_rgb_of_colours_sets_vf(library):
    """A blue LED on a 3.3 V ESP32 pin with a resistor sized for a red one carries far less."""
    def esp_led(color):
        c = circuit([("U1", "esp32-devkit-v1", {}), ("LED1", "led", {"color": color}), ("R1", "resistor", {"value": "68"})],
                    [["U1:D4", "R1:1"], ["R1:2", "LED1:+"], ["LED1:-", "U1:GND"]])
        return run_spice_gate(c, library)
    red, blue = esp_led("red"), esp_led("blue")
    assert red.current("LED1:+") == pytest.approx(led_current_by_hand(3.3, 68 + 35), rel=0.02)
    assert blue.current("LED1:+") < 0.3 * red.current("LED1:+")


def test_rgb_led_channels_each_checked(library):
    c = circuit(
        [("U1", "arduino-uno", {}), ("L1", "rgb-led", {}), ("R1", "resistor", {"value": "220"}),
         ("R2", "resistor", {"value": "220"})],
        [["U1:D9", "R1:1"], ["R1:2", "L1:R"], ["U1:D10", "R2:1"], ["R2:2", "L1:B"], ["L1:G", "U1:D11"],
         ["L1:COM", "U1:GND"]],
    )
    rep = run_spice_gate(c, library)
    assert all(rep.deck.drives[f"U1:{p}"].high for p in ("D9", "D10", "D11"))
    assert rep.current("L1:R") == pytest.approx(led_current_by_hand(5.0, 245, RGB_CHANNEL_VF["red"]), rel=0.02)
    # blue drops 3.2 V: (5 - 3.2) / 245 Ω is about 7 mA
    assert rep.current("L1:B") == pytest.approx(led_current_by_hand(5.0, 245, RGB_CHANNEL_VF["blue"]), rel=0.03)
    assert -rep.current("L1:COM") == pytest.approx(sum(rep.current(f"L1:{p}") for p in "RGB"), rel=1e-6)
    over = [f for f in rep.findings if f.rule == "SPICE-LED-OVERCURRENT"]
    assert [f.where for f in over] == [["L1", "L1:G"]] and over[0].message.startswith("L1 (G) would carry")


def test_supply_budget_of_a_board_pin(library):
    c = circuit([("U1", "arduino-uno", {}), ("R1", "resistor", {"value": "47"})],
                [["U1:3.3V", "R1:1"], ["R1:2", "U1:GND"]])
    rep = run_spice_gate(c, library)
    assert rep.current("R1:1") == pytest.approx(3.3 / (47 + 0.05), rel=1e-3)
    f = next(f for f in rep.findings if f.rule == "SPICE-SUPPLY-OVERLOAD")
    assert f.severity is Severity.MAJOR and "U1:3.3V" in f.where and "R1" in f.where
    assert "70.1 mA" in f.message and "50 mA" in f.message


def test_resistor_power(library):
    c = circuit([("U1", "arduino-uno", {}), ("R1", "resistor", {"value": "47"})],
                [["U1:5V", "R1:1"], ["R1:2", "U1:GND"]])
    rep = run_spice_gate(c, library)
    f = next(f for f in rep.findings if f.rule == "SPICE-RESISTOR-POWER")
    assert "531 mW" in f.message and "rated 2 W" in f.message  # 5² / 47
    assert "SPICE-SUPPLY-OVERLOAD" not in rules(rep)  # 106 mA is within the 5 V pin's 500 mA


def divider(top: str, bottom: str, pin="D34") -> Circuit:
    """5 V from an Uno, divided down into an ESP32 input (grounds tied)."""
    return circuit(
        [("U1", "arduino-uno", {}), ("U2", "esp32-devkit-v1", {}),
         ("R1", "resistor", {"value": top}), ("R2", "resistor", {"value": bottom})],
        [["U1:5V", "R1:1"], ["R1:2", "R2:1"], ["R2:2", "U1:GND"], ["R1:2", f"U2:{pin}"], ["U2:GND", "U1:GND"]],
    )


def test_divider_too_high_for_a_3v3_pin(library):
    rep = run_spice_gate(divider("1k", "10k"), library)
    v = rep.node_voltages["N1"]
    assert v == pytest.approx(5 * 10 / 11, rel=0.002)  # the ESP32 input's leakage is negligible
    f = next(f for f in rep.findings if f.rule == "SPICE-OVERVOLTAGE")
    assert f.severity is Severity.CRITICAL and f.where == ["U2:D34"]
    assert "4.55 V" in f.message and "3.6 V" in f.message
    assert f.fix.startswith("insert_voltage_divider(U2:D34, 10 kΩ,")
    assert not rep.ok


def test_correct_divider_passes(library):
    rep = run_spice_gate(divider("10k", "20k"), library)
    assert rep.node_voltages["N1"] == pytest.approx(5 * 20 / 30, rel=0.002)
    assert rep.ok and not rep.findings


def test_5v_straight_into_an_esp32_gpio(library):
    c = circuit([("U1", "arduino-uno", {}), ("U2", "esp32-devkit-v1", {})],
                [["U1:5V", "U2:D4"], ["U2:GND", "U1:GND"]])
    rep = run_spice_gate(c, library)
    assert not rep.deck.drives["U2:D4"].output  # the rail drives it, so the GPIO is read as an input
    assert any(f.rule == "SPICE-OVERVOLTAGE" and f.where == ["U2:D4"] for f in rep.findings)


def test_uart_from_a_5v_board_into_an_esp32(library):
    """UART lines idle HIGH: a 5 V board's TX puts 5 V on the ESP32's RX; the ESP32's TX into the Uno is fine."""
    c = circuit([("U1", "arduino-uno", {}), ("U2", "esp32-devkit-v1", {})],
                [["U1:TX0", "U2:RX2"], ["U2:TX2", "U1:RX0"], ["U2:GND", "U1:GND"]])
    rep = run_spice_gate(c, library)
    assert rep.deck.drives["U1:TX0"].high and rep.deck.drives["U2:TX2"].output
    assert [(f.rule, f.where) for f in rep.findings] == [("SPICE-OVERVOLTAGE", ["U2:RX2"])]


def test_button_to_5v_on_a_3v3_pin_only_fails_when_pressed(library):
    c = circuit(
        [("U1", "arduino-uno", {}), ("U2", "esp32-devkit-v1", {}), ("SW1", "push-button", {}),
         ("R1", "resistor", {"value": "10k"})],
        [["U1:5V", "SW1:1"], ["SW1:2", "U2:D4"], ["U2:D4", "R1:1"], ["R1:2", "U2:GND"], ["U2:GND", "U1:GND"]],
    )
    rep = run_spice_gate(c, library)
    assert [s.name for s in rep.scenarios] == ["as drawn", "switches pressed"]
    assert rep.scenarios[0].node_voltages["N1"] == pytest.approx(0, abs=1e-3)
    assert rep.scenarios[1].node_voltages["N1"] == pytest.approx(5, abs=0.01)
    f = next(f for f in rep.findings if f.rule == "SPICE-OVERVOLTAGE")
    assert "while SW1 is pressed" in f.message and "SW1" in f.where


def test_transistor_switch_keeps_the_gpio_within_limits(library):
    c = circuit(
        [("U1", "arduino-uno", {}), ("RB", "resistor", {"value": "1k"}), ("Q1", "2n3904", {}),
         ("RL", "resistor", {"value": "150"}), ("D1", "1n4007", {})],
        [["U1:D9", "RB:1"], ["RB:2", "Q1:B"], ["Q1:E", "U1:GND"], ["U1:5V", "RL:1"], ["RL:2", "Q1:C"],
         ["D1:K", "U1:5V"], ["D1:A", "Q1:C"]],
    )
    rep = run_spice_gate(c, library)
    ib = rep.current("Q1:B")
    assert ib == pytest.approx((5 - 0.8) / (1000 + 25), rel=0.05)
    assert rep.current("Q1:C") == pytest.approx((5 - 0.1) / 150, rel=0.05)
    assert rep.ok, [str(f) for f in rep.findings]


def test_transistor_base_without_resistor(library):
    c = circuit(
        [("U1", "arduino-uno", {}), ("Q1", "2n3904", {}), ("RL", "resistor", {"value": "68"})],
        [["U1:D9", "Q1:B"], ["Q1:E", "U1:GND"], ["U1:5V", "RL:1"], ["RL:2", "Q1:C"]],
    )
    rep = run_spice_gate(c, library)
    f = next(f for f in rep.findings if f.rule == "SPICE-PIN-OVERCURRENT")
    assert "base resistor" in f.message and f.fix.startswith("insert_series_resistor(Q1:B,")


def test_dc_motor_straight_on_a_gpio(library):
    motor = library["dc-motor"]
    c = circuit([("U1", "arduino-uno", {}), ("M1", "dc-motor", {})], [["U1:D9", "M1:+"], ["M1:-", "U1:GND"]])
    rep = run_spice_gate(c, library)
    assert rep.deck.drives["U1:D9"].output and rep.deck.drives["U1:D9"].high
    # the pin (25 Ω) stalls the motor: its current is bounded by 5 V / (25 Ω + winding) and well above 20 mA
    i = -rep.current("U1:D9")
    assert 0.12 < i < 5 / (25 + motor.ratings.r_coil)
    assert rep.current("M1:+") == pytest.approx(i, rel=1e-3)
    f = next(f for f in rep.findings if f.rule == "SPICE-PIN-OVERCURRENT")
    assert f.severity is Severity.MAJOR and "M1" in f.where and "its limit is 20 mA" in f.message
    assert "transistor" in f.message and f.fix == "insert_transistor_driver(U1:D9, M1)"


def test_dc_motor_behind_a_mosfet_runs_at_its_running_current(library):
    motor = library["dc-motor"]
    parts = [("U1", "arduino-uno", {}), ("M1", "dc-motor", {}), ("Q1", "mosfet", {}), ("D1", "diode", {}),
             ("RG", "resistor", {"value": "220"}), ("RP", "resistor", {"value": "100k"})]
    wires = [["U1:D9", "RG:1"], ["RG:2", "Q1:G"], ["Q1:G", "RP:1"], ["RP:2", "U1:GND"], ["Q1:S", "U1:GND"],
             ["M1:-", "Q1:D"], ["D1:+", "Q1:D"]]
    # from the Uno's own 5 V pin: the motor's 660 mA is more than the USB-fed pin's 500 mA
    rep = run_spice_gate(circuit(parts, wires + [["U1:5V", "M1:+"], ["D1:-", "U1:5V"]]), library)
    assert rep.deck.drives["U1:D9"].high  # a gate with a pull-down is still an output
    assert rep.current("M1:+") == pytest.approx(motor.ratings.i_rated, rel=0.01)
    f = next(f for f in rep.findings if f.rule == "SPICE-SUPPLY-OVERLOAD")
    assert f.where[:2] == ["U1:5V", "M1"] and "660 mA" in f.message and "500 mA" in f.message
    # from its own battery pack, grounds tied: it passes
    parts.append(("B1", "aa-battery-pack", {}))
    rep = run_spice_gate(circuit(parts, wires + [["B1:+", "M1:+"], ["D1:-", "B1:+"], ["B1:-", "U1:GND"]]), library)
    assert rep.current("M1:+") == pytest.approx(motor.ratings.i_rated, rel=0.01)
    assert rep.current("B1:+") == pytest.approx(-motor.ratings.i_rated, rel=0.01)
    assert rep.ok, [str(f) for f in rep.findings]


def test_linear_regulator_dropout_and_budget(library):
    def reg(supply, load):
        return circuit(
            [("B1", supply, {}), ("U1", "lm7805", {}), ("R1", "resistor", {"value": load, "power": "5W"})],
            [["B1:+", "U1:IN"], ["B1:-", "U1:GND"], ["U1:OUT", "R1:1"], ["R1:2", "U1:GND"]],
        )
    ok = run_spice_gate(reg("power-supply-12v", "100"), library)
    assert ok.node_voltages["5V"] == pytest.approx(5.0, abs=0.01)
    assert ok.current("U1:IN") == pytest.approx(ok.current("R1:1"), rel=1e-3)  # linear: Iin = Iout
    assert ok.ok, [str(f) for f in ok.findings]
    starved = run_spice_gate(reg("aa-battery-pack", "100"), library)  # 6 V in, 2 V dropout
    assert starved.node_voltages["5V"] == pytest.approx(starved.node_voltages["6V"] - 2.0, abs=0.01)
    assert [f.rule for f in starved.findings] == ["SPICE-REGULATOR-DROPOUT"]
    assert "feed it at least 7 V" in starved.findings[0].message
    heavy = run_spice_gate(reg("power-supply-12v", "2.2"), library)  # 2.3 A from a 1.5 A regulator
    assert "SPICE-SUPPLY-OVERLOAD" in rules(heavy)


def test_buck_converter_takes_power_not_current(library):
    c = circuit(
        [("B1", "power-supply-12v", {}), ("U1", "lm2596-buck-converter", {}), ("R1", "resistor", {"value": "10", "power": "5W"})],
        [["B1:+", "U1:IN+"], ["B1:-", "U1:IN-"], ["U1:OUT+", "R1:1"], ["R1:2", "U1:OUT-"]],
    )
    rep = run_spice_gate(c, library)
    p_out = rep.node_voltages["5V"] * rep.current("R1:1")
    eff = library["lm2596-buck-converter"].spice.params["efficiency"]
    p_in = rep.node_voltages["12V"] * rep.current("U1:IN+")
    quiescent = rep.node_voltages["12V"] * library["lm2596-buck-converter"].supply.current_typ
    assert p_in == pytest.approx(p_out / eff + quiescent, rel=0.01)
    assert rep.ok


def test_potentiometer_from_5v_into_an_esp32_adc_when_turned_up(library):
    c = circuit(
        [("U1", "arduino-uno", {}), ("U2", "esp32-devkit-v1", {}), ("RV1", "potentiometer", {"value": "10k"})],
        [["U1:5V", "RV1:VCC"], ["RV1:GND", "U1:GND"], ["RV1:OUT", "U2:D34"], ["U2:GND", "U1:GND"]],
    )
    rep = run_spice_gate(c, library)
    assert rep.node_voltages["N1"] == pytest.approx(2.5, abs=0.01)  # half way as drawn
    assert rep.scenarios[1].node_voltages["N1"] == pytest.approx(5.0, abs=0.01)
    f = next(f for f in rep.findings if f.rule == "SPICE-OVERVOLTAGE")
    assert "RV1 turned fully up" in f.message and f.where[0] == "U2:D34"
    c.parts[2].attrs["value"] = "10k"
    c.connections[0].source = "U2:3V3"  # the same pot across the ESP32's own 3.3 V rail is fine
    rep = run_spice_gate(c, library)
    assert rep.ok and rep.scenarios[1].node_voltages["3V3"] == pytest.approx(3.3, abs=0.01)


def test_electrolytic_reversed_but_not_a_ceramic(library):
    c = circuit(
        [("U1", "arduino-uno", {}), ("C1", "capacitor", {"value": "100u"}), ("C2", "capacitor", {"value": "100n"})],
        [["U1:5V", "C1:-"], ["C1:+", "U1:GND"], ["U1:5V", "C2:-"], ["C2:+", "U1:GND"]],
    )
    rep = run_spice_gate(c, library)
    assert [(f.rule, f.where) for f in rep.findings] == [("SPICE-CAP-REVERSED", ["C1"])]


def test_module_powered_from_a_gpio_draws_its_rated_current(library):
    buzzer = library["buzzer"]
    c = circuit([("U1", "arduino-uno", {}), ("BZ1", "buzzer", {})], [["BZ1:VCC", "U1:D8"], ["BZ1:GND", "U1:GND"]])
    rep = run_spice_gate(c, library)
    r_load = 5.0 / buzzer.supply.current_typ  # its rated current at the 5 V it is made for
    expected = 5.0 / (r_load + 25)
    assert rep.current("BZ1:VCC") == pytest.approx(expected, rel=1e-3)
    over = [f for f in rep.findings if f.rule == "SPICE-PIN-OVERCURRENT"]
    assert bool(over) == (expected > 0.02 * 1.02)
    if over:
        assert over[0].fix == "insert_transistor_driver(U1:D8, BZ1)" and "supply rail" in over[0].message


def test_nonconvergent_and_timed_out_decks_become_findings():
    r, f = simulation_findings("t\nV1 a 0 1\nV2 a 0 2\n.op\n.end\n", timeout=5)
    assert r is None and f[0].rule == "SPICE-NO-CONVERGENCE" and f[0].severity is Severity.MAJOR
    slow = "t\nV1 a 0 SIN(0 1 1meg)\nR1 a b 1k\nC1 b 0 1n\n.tran 1p 10m\n.end\n"
    r, f = simulation_findings(slow, timeout=0.3)
    assert r is None and f[0].rule == "SPICE-NO-CONVERGENCE" and "0.3 s limit" in f[0].message


def test_a_model_that_cannot_converge_is_a_finding_not_a_crash(library):
    base = library["1n4007"].model_dump()
    base["key"] = "odd-diode"
    base["spice"]["model"] = "D(IS=1e-14 N=1 RS=0 BV=0.1 IBV=1e6)"  # a user's record with an absurd breakdown
    lib = Library(list(library) + [ComponentRecord.model_validate(base)])
    c = circuit([("U1", "arduino-uno", {}), ("D1", "odd-diode", {}), ("D2", "odd-diode", {})],
                [["U1:5V", "D1:A"], ["D1:K", "D2:K"], ["D2:A", "U1:GND"]])
    rep = run_spice_gate(c, lib, timeout=5)
    assert [f.rule for f in rep.findings] == ["SPICE-NO-CONVERGENCE"] and not rep.ok
    assert rep.deck is not None and rep.currents == {}


def test_gate_reports_hostile_values_without_crashing(library):
    c = blink("1k\n.control\nshell rm -rf /\n.endc")
    rep = run_spice_gate(c, library)
    assert "SPICE-BAD-VALUE" in rules(rep) and not rep.ok
    assert ".control" not in rep.deck.text
