"""A supply chosen by its voltage alone is the smallest whose record rating covers the load (issue 11).

"a 5 V supply" for a board and a sensor must not be a 10 A brick, and forty pixels at full white must get
one rated for them. The requests are phrased for these tests; assertions read record ratings, so they hold
as supplies are added to the library.
"""

from __future__ import annotations

import pytest

from agents.rules.needs import identification_from
from agents.rules.power_needs import load_amps, rated_amps, source_key
from agents.rules.power_tree import is_source, is_supply_unit, source_volts
from agents.understand.rules import understand_rules


def _units_at(library, volts: float):
    return [r for r in library if is_source(r) and is_supply_unit(r) and (v := source_volts(r)) is not None
            and abs(v - volts) < 0.3 and rated_amps(r) is not None]


def _smallest_covering(library, volts: float, amps: float):
    fits = [r for r in _units_at(library, volts) if rated_amps(r) >= amps]
    return min(rated_amps(r) for r in fits)


def test_the_smallest_rated_supply_that_covers_the_load_is_chosen(library):
    units = _units_at(library, 5.0)
    assert len({rated_amps(r) for r in units}) > 2  # several 5 V supplies of different ratings to choose among
    for amps in (0.6, 3.0, 7.0):
        rec = library[source_key(library, 5.0, amps)]
        assert rated_amps(rec) >= amps, (amps, rec.key)
        assert rated_amps(rec) == _smallest_covering(library, 5.0, amps), (amps, rec.key)


def test_a_load_no_supply_covers_gets_the_largest(library):
    biggest = max(rated_amps(r) for r in _units_at(library, 5.0))
    assert rated_amps(library[source_key(library, 5.0, biggest * 10)]) == biggest


def _source_need(text: str, library):
    ident = identification_from(understand_rules(text, library), library)
    src = [n for n in ident.needs if n.key and is_source(library[n.key])]
    assert len(src) == 1, ident.needs
    return ident, library[src[0].key]


def test_a_supply_stated_by_its_voltage_is_sized_to_the_parts_it_powers(library):
    ident, rec = _source_need("an Arduino Uno reading a DS18B20 probe, all on a 5 V supply", library)
    amps = load_amps(library, ident.needs)
    assert 0 < amps < 1.0, amps
    assert rated_amps(rec) == _smallest_covering(library, 5.0, amps), rec.key


def test_many_pixels_ask_for_a_bigger_supply(library):
    ident, rec = _source_need("an ESP32 with 30 WS2812B LEDs on a 5 V supply", library)
    amps = load_amps(library, ident.needs)
    assert amps > 1.5, amps  # thirty pixels at full white
    assert rated_amps(rec) == _smallest_covering(library, 5.0, amps), rec.key


def test_a_supply_named_as_a_part_is_not_a_supply_to_build(library):
    # "psu" is the trade's word for a supply unit; named as the design's source, it is that part
    req = understand_rules("an Arduino Nano moving an SG90 servo, 5v psu", library)
    assert any(is_source(library[p.key]) for p in req.named_parts), req.named_parts
    assert "dc_supply" not in req.analog_blocks, req.analog_blocks


def test_a_supply_read_by_meaning_is_sized_to_the_load_too(library):
    # no supply is named: "a 5 volt plug-in brick" is read by meaning as a 5 V supply unit; its words choose
    # the kind of supply, the record ratings its size
    ident = identification_from(understand_rules("a Nano and a relay module running off a 5 volt plug-in brick",
                                                 library), library)
    src = [library[n.key] for n in ident.needs if n.key and is_source(library[n.key])]
    assert len(src) == 1 and is_supply_unit(src[0]), ident.needs
    amps = load_amps(library, ident.needs, source_volts(src[0]))
    caps = {c.capability for c in src[0].provides if c.direction == "power"}
    same = [r for r in _units_at(library, source_volts(src[0])) if any(c.capability in caps for c in r.provides)]
    assert len(same) > 2 and rated_amps(src[0]) >= amps
    assert rated_amps(src[0]) == min(rated_amps(r) for r in same if rated_amps(r) >= amps), src[0].key


@pytest.mark.parametrize("text, amps", [("an ESP32 switching a 12 V fan from a 12 V 8 A supply", 8.0),
                                        ("a Nano running a 12 V fan from a 12 volt 2 amp wall wart", 2.0)])
def test_a_supply_stated_with_its_current_is_the_one_rated_for_it(library, text, amps):
    ident, rec = _source_need(text, library)
    assert rated_amps(rec) == _smallest_covering(library, 12.0, amps), rec.key
