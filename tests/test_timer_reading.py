"""What a timer in a finished circuit does (circuit/timer_reading.py): its mode read from the wiring, its
frequency or pulse length simulated with the values it carries, the outputs it drives in each phase; and
the benchmark's ``timing`` expectation that holds a design to it."""

from __future__ import annotations

import pytest

from benchmarks.expectations import BenchFileError, Outcome, _timing, parse_timing
from circuit.timer_reading import answering, read_timers
from tests.circuit_util import circuit


def astable(ra="10k", rb="68k", c="10u", alternate=False, controller=False):
    """A 9 V battery, an NE555 astable (RA, RB, C), one LED lit while OUT is high (and one while it is low)."""
    parts = [("BT1", "battery-9v"), ("U1", "ne555"), ("R1", "resistor", {"value": ra}),
             ("R2", "resistor", {"value": rb}), ("C1", "electrolytic-capacitor", {"value": c}),
             ("C2", "ceramic-capacitor", {"value": "10n"}), ("R3", "resistor", {"value": "680"}), ("D1", "led")]
    wires = [("BT1:+", "U1:VCC"), ("U1:RESET", "U1:VCC"), ("U1:GND", "BT1:-"), ("BT1:+", "R1:1"), ("R1:2", "U1:DISCH"),
             ("R2:1", "U1:DISCH"), ("R2:2", "U1:THR"), ("U1:TRIG", "U1:THR"), ("C1:+", "U1:THR"), ("C1:-", "BT1:-"),
             ("C2:1", "U1:CTRL"), ("C2:2", "BT1:-"), ("U1:OUT", "R3:1"), ("R3:2", "D1:+"), ("D1:-", "BT1:-")]
    if alternate:
        parts += [("R4", "resistor", {"value": "680"}), ("D2", "led")]
        wires += [("BT1:+", "D2:+"), ("D2:-", "R4:1"), ("R4:2", "U1:OUT")]
    if controller:
        parts.append(("U2", "arduino-nano"))
        wires += [("U2:GND", "BT1:-"), ("U2:D2", "U1:RESET")]
    return circuit("555 astable", parts, wires)


def one_shot(r="270k", c="100u"):
    """An NE555 monostable started by a button on TRIG (10 kΩ pull-up), lighting an LED for its pulse."""
    parts = [("BT1", "battery-9v"), ("U1", "ne555"), ("R1", "resistor", {"value": r}),
             ("C1", "electrolytic-capacitor", {"value": c}), ("R2", "resistor", {"value": "10k"}),
             ("SW1", "push-button"), ("R3", "resistor", {"value": "680"}), ("D1", "led")]
    wires = [("BT1:+", "U1:VCC"), ("U1:RESET", "U1:VCC"), ("U1:GND", "BT1:-"), ("BT1:+", "R1:1"), ("R1:2", "U1:THR"),
             ("U1:THR", "U1:DISCH"), ("C1:+", "U1:THR"), ("C1:-", "BT1:-"), ("BT1:+", "R2:1"), ("R2:2", "U1:TRIG"),
             ("SW1:1", "U1:TRIG"), ("SW1:2", "BT1:-"), ("U1:OUT", "R3:1"), ("R3:2", "D1:+"), ("D1:-", "BT1:-")]
    return circuit("555 one-shot", parts, wires)


def test_an_astable_is_read_and_its_frequency_simulated(library):
    (t,) = read_timers(astable(), library)
    assert t.mode == "astable" and t.method == "SPICE"
    # f = 1/(ln2 (RA + 2 RB) C) = 0.98 Hz for 10k, 68k, 10 µF
    assert t.frequency_hz == pytest.approx(1 / (0.693 * (10e3 + 2 * 68e3) * 10e-6), rel=0.05)
    assert t.phases == {"high": ["D1"]} and not t.alternates
    assert answering([t], "blink", 1.0) is t and answering([t], "blink", 2.0) is None
    assert answering([t], "alternate") is None and answering([t], "one-shot") is None


def test_two_leds_on_both_phases_alternate(library):
    (t,) = read_timers(astable(alternate=True), library)
    assert t.phases == {"high": ["D1"], "low": ["D2"]} and t.alternates
    assert answering([t], "alternate", 1.0) is t


def test_a_one_shot_is_read_and_its_pulse_simulated(library):
    (t,) = read_timers(one_shot(), library)
    assert t.mode == "monostable" and t.method == "SPICE"
    assert t.pulse_s == pytest.approx(1.1 * 270e3 * 100e-6, rel=0.05)  # 29.7 s
    assert answering([t], "one-shot", 30) is t and answering([t], "one-shot", 60) is None
    assert answering([t], "blink") is None and answering([t], "delay", 30) is None  # lit during, not after


def test_the_benchmark_expectation_reads_the_timer(library):
    assert parse_timing("blink 2 Hz") == ("blink", 2.0) and parse_timing("fade") == ("fade", None)
    assert parse_timing("one-shot 90 s") == ("one-shot", 90.0)
    with pytest.raises(BenchFileError):
        parse_timing("strobe")
    met, unmet = Outcome(), Outcome()
    _timing("blink 1 Hz", library, astable().to_dict(), met)
    _timing("blink 5 Hz", library, astable().to_dict(), unmet)
    assert met.ok and not unmet.ok and "astable at" in unmet.unmet[0]
    # a controller in the design times the output in firmware
    ctl = Outcome()
    _timing("alternate", library, astable(controller=True).to_dict(), ctl)
    assert ctl.ok and "controller" in ctl.met[0]
