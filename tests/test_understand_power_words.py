"""Power words read for what they say (issue 11): a shortened word ("batt") is the word it shortens, and a
source named with its output side after it ("usb 5v out") is what the design gives out, not its source.

The requests are phrased for these tests; assertions read record data (capabilities, directions), so they
hold as records are added.
"""

from __future__ import annotations

from agents.rules.power_tree import is_source
from agents.understand.rules import understand_rules
from agents.understand.spelling import correction


def test_a_shortened_word_is_the_word_the_records_name(library):
    assert correction("batt", library) == "battery"
    assert correction("thresh", library) == "threshold"


def test_everyday_words_that_begin_a_record_word_stay_as_written(library):
    # "came" begins "camera", "sock" "socket", "plan" a vendor's name: they are words of their own
    for w in ("came", "sock", "plan", "hope", "speak", "desk"):
        assert correction(w, library) is None, w


def _outward(library, capability: str) -> bool:
    return any(c.capability == capability and c.direction == "act" for r in library for c in r.provides)


def test_a_source_named_with_its_output_side_is_given_out(library):
    req = understand_rules("an 18650 cell with a charger board, 5v usb out for gadgets", library)
    sources = [p.key for p in req.named_parts if is_source(library[p.key])]
    assert sources and all(library[k].safety.cell for k in sources), req.named_parts
    assert any(_outward(library, n.capability) for n in req.needs), req.needs
    # and nothing read from those words asks for power taken in
    assert not any("power" in _direction(library, n.capability) for n in req.needs if "out" in n.words.split()), req.needs


def test_a_source_without_an_output_side_is_the_source(library):
    req = understand_rules("an ESP32 reading a BME280, running off usb 5v", library)
    src = req.constraints.source
    assert src is not None and src.key and library[src.key].source_kind == "usb", src
    assert not any(_outward(library, n.capability) for n in req.needs), req.needs


def _direction(library, capability: str) -> set[str]:
    return {c.direction for r in library for c in r.provides if c.capability == capability}


def test_how_a_thing_is_powered_is_read_beside_what_its_name_does(library):
    # "rechargeable" says how the bike light is powered; the light's name does not rule that out
    req = understand_rules("a rechargeable bike light with two white LEDs", library)
    assert any("power" in _direction(library, n.capability) for n in req.needs), req.needs


def test_a_clause_after_a_thing_says_more_of_it(library):
    # "a night light | I can recharge over USB": the thing gives light, the clause says it is charged
    req = understand_rules("a night light I can recharge over USB", library)
    caps = {n.capability for n in req.needs}
    assert any(library[k].safety.charger for c in caps for k in (r.key for r in library
                                                                 if any(x.capability == c for x in r.provides))), caps
    assert any("act" in _direction(library, c) for c in caps), caps


def test_a_count_written_in_words_is_read(library):
    req = understand_rules("twenty four neopixels on a raspberry pi pico", library)
    assert max(p.count for p in req.named_parts) == 24, req.named_parts
    req = understand_rules("an ESP32 driving forty WS2812B pixels", library)
    assert max(p.count for p in req.named_parts) == 40, req.named_parts


def test_close_readings_settle_on_the_one_that_works_on_a_named_part(library):
    # "charging" reads as a USB supply and as charging a cell, too close to choose; with a cell named, the
    # reading whose parts charge that cell is meant (record data: charge voltage against the cell's)
    from agents.rules.power_tree import charges
    # ("w/" is "with": the clause after it is no -ing phrase describing the cell)
    for text in ("an 18650 cell with charging, and a piezo buzzer", "a lipo cell w/ charging + a piezo buzzer"):
        req = understand_rules(text, library)
        cells = [library[p.key] for p in req.named_parts if library[p.key].ratings.capacity_ah]
        assert cells, req.named_parts
        makers = {n.capability: [r for r in library if any(c.capability == n.capability for c in r.provides)]
                  for n in req.needs}
        assert any(charges(m, cells[0]) for ms in makers.values() for m in ms), (text, req.needs)


def test_a_thing_listed_after_a_named_part_is_not_that_part(library):
    # "a charging board" reads first as the cell's own power; listed as a thing of its own, it is the charger
    from agents.rules.power_tree import charges
    req = understand_rules("parts on my desk: a lipo cell, a charging board, and a piezo buzzer", library)
    cells = [library[p.key] for p in req.named_parts if library[p.key].ratings.capacity_ah]
    assert cells, req.named_parts
    assert any(charges(m, cells[0]) for n in req.needs for m in library
               if any(c.capability == n.capability for c in m.provides)), req.needs
