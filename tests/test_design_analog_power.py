"""Power trees and analog stages planned from the requirements and the records: cells in series as one
protected pack, a stated voltage for a board, op-amp and comparator stages, 555 one-shots and counters.
Real requests in, the netlist checked out (not the requests of the benchmark)."""

from __future__ import annotations

from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.units import parse_value
from knowledge.library import Library
from agents.understand.rules import understand_rules
from agents.rules.text import duration_s, gain, rate_hz
from pipelines.design import design


def _run(request: str, library):
    turn = design(request, backend="rules")
    assert not turn.get("stopped"), turn.get("stopped")
    c = Circuit.model_validate(turn["circuit"])
    return turn, c, Netlist(c, library)


def _of(c: Circuit, key: str):
    return [p for p in c.parts if p.type == key]


def test_three_cells_in_series_are_one_protected_pack_that_feeds_the_driver(library):
    turn, c, nl = _run("a rover on three 18650 cells in series with an L293D driving two DC motors from an Arduino Nano",
                       library)
    assert turn["passed"], turn.get("findings")
    pack = _of(c, "18650-battery")
    assert len(pack) == 1 and int(pack[0].attrs["cells"]) == 3
    assert abs(parse_value(pack[0].attrs["voltage"], "V") - 11.1) < 0.05
    bms = [p for p in c.parts if library[p.type].safety.cell_protection and library[p.type].safety.cell is None]
    assert len(bms) == 1 and abs(library[bms[0].type].ratings.v_out - 11.1) < 0.1
    # no wall adapter: every source in the design is the pack
    sources = [p for p in c.parts if library[p.type].category == "power" and library[p.type].ratings.capacity_ah is None
               and not library[p.type].pins_of_type("power_in")]
    assert not sources, [p.type for p in sources]
    # the driver's motor supply is the protected pack (its P+), not a converter
    drv = _of(c, "l293d")[0]
    motor_pin = next(p.name for p in library["l293d"].pins_of_type("power_in") if "motor" in p.functions
                     or p.name.upper() in ("VCC2", "VS", "VMOT"))
    assert abs(nl.net_voltage(nl.net_of(f"{drv.id}:{motor_pin}")) - 11.1) < 0.05


def test_a_voltage_given_to_a_board_is_made_for_it(library):
    turn, c, nl = _run("two 18650 cells in parallel, and 5 V for an ESP32 from them", library)
    assert turn["passed"], turn.get("findings")
    assert int(_of(c, "18650-battery")[0].attrs["cells"]) == 2
    boost = [p for p in c.parts if library[p.type].provides and library[p.type].provides[0].capability == "step-up"]
    assert boost, [p.type for p in c.parts]


def test_gain_and_rates_are_read_as_stated():
    assert gain("a stage with a gain of about 30") == 30
    assert gain("gain of -4") == -4
    assert gain("amplify it twelve times") == 12
    assert rate_hz("blink three times a second") == 3
    assert abs(rate_hz("a flash every 4 seconds") - 0.25) < 1e-9
    assert duration_s("keep it on for 30 seconds") == 30


def test_an_op_amp_stage_uses_its_own_record_and_needs_no_controller(library):
    lib = Library.default()
    req = understand_rules("LM358 non-inverting stage, gain 7, on a 12 V supply", lib)
    assert req.analog_blocks == ["opamp_noninverting"] and req.constraints.targets["gain"] == 7
    turn, c, nl = _run("LM358 non-inverting stage, gain 7, on a 12 V supply", library)
    assert turn["passed"], turn.get("findings")
    assert not [p for p in c.parts if library[p.type].is_mcu]
    assert len(_of(c, "lm358")) == 1
    vals = {p.id: parse_value(p.attrs["value"], "Ω") for p in c.parts if p.type == "resistor" and "value" in p.attrs}
    u = _of(c, "lm358")[0]
    rf = next(o.split(":")[0] for o in nl.neighbours(f"{u.id}:1OUT") if o.split(":")[0] in vals)
    rg = next(o.split(":")[0] for o in nl.neighbours(f"{u.id}:1IN-") if o.split(":")[0] in vals and o.split(":")[0] != rf)
    assert abs(1 + vals[rf] / vals[rg] - 7) / 7 < 0.05


def test_a_comparator_with_a_thermistor_switches_a_buzzer_through_a_transistor(library):
    turn, c, nl = _run("LM393 and an NTC thermistor turn on a buzzer when it gets warm, no microcontroller", library)
    assert turn["passed"], turn.get("findings")
    u = _of(c, "lm393")[0]
    assert not [p for p in c.parts if library[p.type].is_mcu]
    # the open-collector output is pulled up and drives a transistor's base resistor
    on_out = [o.split(":")[0] for o in nl.neighbours(f"{u.id}:1OUT")]
    assert sum(1 for pid in on_out if nl.record(pid).spice.kind == "resistor") >= 2
    assert [p for p in c.parts if library[p.type].spice.kind in ("npn", "nmos")]


def test_a_555_one_shot_is_started_by_the_button(library):
    turn, c, nl = _run("one NE555 keeps an LED lit for 20 seconds after I press a button, no microcontroller", library)
    assert turn["passed"], turn.get("findings")
    u = _of(c, "ne555")[0]
    btn = _of(c, "push-button")[0]
    assert any(o.startswith(btn.id + ":") for o in nl.neighbours(f"{u.id}:TRIG"))
    r = next(p for p in c.parts if p.type == "resistor" and any(o == f"{u.id}:THR" for o in nl.neighbours(f"{p.id}:2")
                                                                  + nl.neighbours(f"{p.id}:1")))
    cap = next(p for p in c.parts if library[p.type].spice.kind == "capacitor"
               and any(o == f"{u.id}:THR" for o in nl.neighbours(f"{p.id}:{library[p.type].pin_names[0]}")))
    t = 1.1 * parse_value(r.attrs["value"], "Ω") * parse_value(cap.attrs["value"], "F")
    assert abs(t - 20) / 20 < 0.15


def test_an_output_voltage_asked_of_a_stated_source_is_converted_and_brought_out(library):
    """"3 V of cells raised to 5 V": a boost converter set to the voltage asked, from the cells, and its
    output on a terminal (nothing else in the design takes it); a lower voltage from a higher source is a
    converter whose record drops it."""
    from agents.rules.power_tree import converter_kind, is_converter

    turn, c, nl = _run("a pair of AA cells stepped up to 5 volts for a gadget", library)
    assert turn["passed"], [f["message"] for f in turn["findings"] if f["severity"] in ("Critical", "Major")]
    convs = [p for p in c.parts if is_converter(library[p.type])]
    assert convs and converter_kind(library[convs[0].type]) in ("boost", "buck-boost"), [p.type for p in c.parts]
    conv = convs[0]
    out = nl.net_of(f"{conv.id}:{next(p.name for p in library[conv.type].pins if p.type == 'power_out')}")
    others = [ep for ep in out.pins if not ep.startswith(conv.id + ":")] if out is not None else []
    assert others, "the boosted rail goes nowhere"
    assert abs(parse_value(conv.attrs.get("voltage", "0 V"), "V") - 5.0) < 0.05 or library[conv.type].ratings.v_out == 5.0

    req = understand_rules("a 15 V supply turned into 3.3 V for trying out sensors", library)
    ups = [n for n in req.needs if n.target.get("volts") == 3.3]
    assert ups, req.needs
    provs = [r for r in library if any(cap.capability == ups[0].capability for cap in r.provides)]
    assert provs and all(is_converter(r) and converter_kind(r) != "boost" for r in provs)


def test_a_voltage_that_rates_a_named_part_is_not_an_output_asked_for(library):
    req = understand_rules("a 5 V relay module on an ESP32 powered from a 12 V adapter", library)
    assert not [n for n in req.needs if n.target.get("volts") == 5.0], req.needs


def test_a_sounder_that_needs_a_square_wave_gets_a_timer_when_there_is_no_controller(library):
    """No controller and a sounder whose record says it sounds only on a square wave (signal_drive): a
    555-pinned timer runs as an astable oscillator at an audible rate and drives it."""
    from agents.rules.timer_astable import is_555

    turn, c, nl = _run("a warbling tone maker, with no microcontroller at all", library)
    assert turn["passed"], [f["message"] for f in turn["findings"] if f["severity"] in ("Critical", "Major")]
    sounders = [p for p in c.parts if library[p.type].requires.signal_drive]
    timers = [p for p in c.parts if is_555(library[p.type])]
    assert sounders and timers, [p.type for p in c.parts]
    assert not any(library[p.type].is_mcu for p in c.parts)


def test_a_mains_load_gets_isolated_contacts_whose_input_is_driven(library):
    """A mains outlet asked for with a controller: a record with contacts isolated from their coil switches
    it, and that part's required input (record: requires.required_pins) is wired, not left floating."""
    from circuit.hazard import is_mains_load, isolated_contacts

    turn, c, nl = _run("an Arduino Uno turning a 230 V outlet on when an LDR sees darkness", library)
    assert turn["passed"], [f["message"] for f in turn["findings"] if f["severity"] in ("Critical", "Major")]
    assert any(is_mains_load(library[p.type]) for p in c.parts), [p.type for p in c.parts]
    relays = [p for p in c.parts if isolated_contacts(library[p.type])]
    assert relays, [p.type for p in c.parts]
    for r in relays:
        for pin in library[r.type].requires.required_pins:
            net = nl.net_of(f"{r.id}:{pin}")
            assert net is not None and len(net.pins) > 1, f"{r.id}:{pin} floats"


def test_a_light_sensor_switches_a_buzzer_through_a_transistor_without_a_controller(library):
    """No controller, a light-dependent resistor and a two-terminal sounder: the sensor's divider drives a
    transistor's base and the sounder sits in its collector (not on the battery, sounding all the time)."""

    turn, c, nl = _run("a buzzer that an LDR sets off, with no microcontroller", library)
    assert turn["passed"], [f["message"] for f in turn["findings"] if f["severity"] in ("Critical", "Major")]
    bjts = [p for p in c.parts if library[p.type].spice.kind == "npn"]
    sounders = [p for p in c.parts if library[p.type].category in ("audio", "actuator") and len(library[p.type].pins) == 2]
    assert bjts and sounders, [p.type for p in c.parts]
    q = library[bjts[0].type]
    collector = next(p.name for p in q.pins if p.name.upper().startswith("C"))
    net = nl.net_of(f"{bjts[0].id}:{collector}")
    assert net is not None and any(ep.startswith(sounders[0].id + ":") for ep in net.pins), net


def test_a_value_before_a_source_is_not_a_count(library):
    """'a 12 V wall adapter' is one adapter of 12 V, read by the units library, not twelve adapters."""
    req = understand_rules("a siren that runs off a 12 V wall adapter", library)
    assert [p.count for p in req.named_parts if library[p.key].category == "power"] == [1], req.named_parts


def test_a_load_above_nothing_runs_at_its_rated_voltage_from_a_higher_source(library):
    """A 5 V buzzer on a 12 V adapter gets a converter to its rated 5 V (not the top of its supply window)."""
    turn, c, nl = _run("a pushbutton beeps a 5 V buzzer, everything fed from a 12 V adapter, no microcontroller", library)
    assert turn["passed"], turn.get("findings")
    buzzer = next(p for p in c.parts if any(x.capability == "make-sound" for x in library[p.type].provides))
    conv = [p for p in c.parts if library[p.type].ratings.v_out is not None and library[p.type].category == "power"]
    assert conv and all(abs(library[p.type].ratings.v_out - 5.0) < 0.01 for p in conv), [p.type for p in conv]
    adapter = next(p for p in c.parts if p.type == "power-supply-12v")
    assert not any(nl.connected(f"{buzzer.id}:{pin.name}", f"{adapter.id}:+") for pin in library[buzzer.type].pins)
