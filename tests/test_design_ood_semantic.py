"""Out-of-library detection with the knowledge base's semantic retriever (one model load)."""

from __future__ import annotations

from pipelines.design import design


def test_an_unknown_driver_is_flagged_with_the_drivers_the_library_has(library):
    # a real stepper driver the library does not hold (the TMC2209 served here until it got a record)
    assert not any("tmc5160" in " ".join([r.key, r.name, *r.aliases]).lower() for r in library)
    turn = design("ESP32 with a TMC5160 stepper driver and a NEMA 17", backend="rules")
    assert turn["stopped"] and turn["ood"]
    item = turn["ood"][0]
    assert "tmc5160" in item["phrase"]
    near = [m["key"] for m in item["near_misses"]]
    assert near and all(k in library for k in near)
    # the closest parts are stepper drivers, by what they do
    assert any("stepper" in (library[k].name + " " + library[k].description).lower() for k in near[:2])


def test_a_known_part_by_a_descriptive_name_is_not_flagged(library):
    turn = design("Arduino Uno with an ultrasonic distance sensor and a buzzer", backend="rules")
    assert not turn.get("stopped") and turn["passed"]
    assert "hc-sr04" in [p["type"] for p in turn["circuit"]["parts"]]


def test_near_misses_are_of_the_kind_the_phrase_asks_for(library):
    """Parts the library lacks, phrased as people name them: every near-miss offered provides what the
    phrase asks for by meaning (a temperature part for a thermocouple amplifier, not a MAX-numbered
    pulse oximeter), and a phrase that asks for no capability still gets the closest parts."""
    from agents.retrieve import near_misses

    cases = {
        "MAX31856 universal thermocouple amplifier": {"sense-temperature"},
        "an MCP9808 precision temperature sensor": {"sense-temperature"},
        "Si7021 humidity sensor breakout": {"sense-humidity"},
        "BNO055 orientation sensor": {"sense-orientation", "sense-heading"},
    }
    for phrase, wanted in cases.items():
        near = near_misses(library, phrase)
        assert near, phrase
        kinds = [{c.capability for c in library[m["key"]].provides} for m in near]
        assert all(k & wanted for k in kinds), (phrase, [m["key"] for m in near])
    assert near_misses(library, "a flux capacitor")
