"""Needs stated in passing: a word that names one capability clearly, and the means a clause names.

The requests here are phrased for these tests (not taken from any benchmark). Assertions read the
capabilities the library's records provide, so they hold as records are added.
"""

from __future__ import annotations

from agents.understand.needs import clauses
from agents.rules.text import normalize
from agents.understand.rules import understand_rules


def _caps(text: str, library) -> set[str]:
    return {n.capability for n in understand_rules(text, library).needs}


def _providers(library, capability: str) -> set[str]:
    return {r.key for r in library if any(c.capability == capability for c in r.provides)}


def test_clauses_keep_the_word_that_joins_them():
    got = [(c.text, c.joined_by) for c in clauses("ping me through bluetooth when the lid opens")]
    assert got == [("ping me", ""), ("bluetooth", "through"), ("the lid opens", "when")]


def test_a_clear_word_decides_between_close_readings(library):
    # the clause alone is close between light and motion; the word "dark" settles it
    caps = _caps("sound a buzzer once the garage gets dark", library)
    assert "sense-light" in caps and _providers(library, "sense-light")
    assert "sense-motion" not in caps


def test_the_means_named_replaces_a_guess_of_the_same_kind(library):
    for text in ("ping me through bluetooth when the lid opens", "message me over wifi"):
        caps = _caps(text, library)
        asked = "bluetooth" if "bluetooth" in text else "wifi"
        assert asked in caps, (text, caps)
        # no cellular part: the message goes over the link the request names
        assert not caps & {"send-sms", "phone-call", "cellular-data"}, (text, caps)


def test_a_clear_word_adds_nothing_a_named_part_already_does(library):
    req = understand_rules("an LDR on a nano that beeps a buzzer at dusk", library)
    named = {p.key for p in req.named_parts}
    assert "ldr" in named
    provided = {c.capability for k in named for c in library[k].provides}
    assert not {n.capability for n in req.needs} & provided


def test_every_clause_that_asks_for_something_is_kept_for_the_gate(library):
    req = understand_rules("Garden monitor: a buzzer on a nano, and a light sensing part for when dusk falls", library)
    # the heading names the project; it asks for nothing the gate could check
    assert not any(a.words.startswith("Garden monitor") for a in req.asked)
    for a in req.asked:
        assert a.any_of and all(_providers(library, c) for c in a.any_of), a


def test_a_battery_named_by_its_kind_is_a_need(library):
    req = understand_rules("an INA219 on an Uno reporting how full a battery is", library)
    power = [n for n in req.needs if n.words == "battery"]
    assert power and all(r.source_kind == "battery" for r in library
                         if any(c.capability == power[0].capability for c in r.provides) and r.source_kind)
    assert not any(n.words == "battery" for n in understand_rules("an INA219 on an Uno, no battery", library).needs)


def test_a_negation_ends_at_punctuation(library):
    # "no battery" rules out a battery; the board after the comma is the one to use
    req = understand_rules("no battery, a nano from usb reading a DHT22", library)
    assert "arduino-nano" in {p.key for p in req.named_parts}
    assert "arduino-nano" not in req.constraints.forbidden and not req.constraints.no_controller
    # within its clause it still rules the part out
    req = understand_rules("not a DHT11, a nano with a DHT22", library)
    assert "dht11" in req.constraints.forbidden and {"arduino-nano", "dht22"} <= {p.key for p in req.named_parts}


def test_a_source_ruled_out_by_meaning_is_not_a_need(library):
    req = understand_rules("nothing runs on batteries; an uno on its usb cable with a DHT22", library)
    assert not any(library[k].source_kind == "battery" for n in req.needs for k in _providers(library, n.capability)
                   if library[k].source_kind)


def test_a_real_word_one_edit_from_a_name_beside_its_other_words_is_that_name(library):
    from agents.understand.spelling import correct

    # "dependant" is an English word, but beside "light" and "resistor" it is the part's name
    text, fixes = correct("a light dependant resistor on a nano", library)
    assert fixes == [("dependant", "dependent")] and "light dependent resistor" in text
    keys = {p.key for p in understand_rules("a light dependant resistor on a nano", library).named_parts}
    assert keys & (_providers(library, "sense-light")) and "resistor" not in keys
    # alone, it is the word written
    assert correct("my dependant sister wants a nano with a buzzer", library)[1] == []
    # a lone letter of a name ("USB-A socket") makes no name with the word after it: "a pocket" stays
    assert correct("a pocket torch with a white led", library)[1] == []


def test_a_compound_word_is_read_by_its_head(library):
    from agents.understand.spelling import compound_head
    from knowledge.capabilities import capability_index

    pieces = capability_index(library).embedder.word_pieces
    # the model reads "dustbin" as dust + bin; a dustbin is a bin, not dust to be measured
    assert compound_head("dustbin", pieces("dustbin"), library) == "bin"
    dust = _caps("keep an eye on the dust in my workshop", library)
    assert dust and not dust & _caps("keep an eye on the dustbin in my workshop", library)
    # words the records use, or the model reads whole, are read as written
    for word in ("sensor", "temperature", "greenhouse"):
        assert compound_head(word, pieces(word), library) is None



def test_a_word_that_names_one_capability_clearly_is_held_to_by_the_gate(library):
    # whether or not the whole clause agreed, the gate asks for what the word clearly names
    req = understand_rules("switch the porch lights from a tablet over wifi", library)
    assert any(a.words.lower() == "wifi" and a.any_of == ["wifi"] for a in req.asked)
    # a word the clause did not ask for is not held to ("a toy fire engine" asks for no flame sensing)
    req = understand_rules("a siren noise for a toy fire engine", library)
    assert all(len(a.any_of) > 1 or a.any_of[0] in {n.capability for n in req.needs} for a in req.asked)
    # a word a named part does the same kind of thing as describes that part: nothing more is asked
    req = understand_rules("an esp32 on wifi with a DHT22", library)
    assert not any(a.any_of == ["wifi"] for a in req.asked)


def test_a_negated_board_rules_out_that_board_not_every_controller(library):
    # a board's own name negated: that board is ruled out and the one named instead is kept
    req = understand_rules("log a DS18B20 on a Pico, I don't want the nano for it", library)
    assert "arduino-nano" in req.constraints.forbidden and not req.constraints.no_controller
    assert req.constraints.board == "raspberry-pi-pico"
    # the negation reaches its noun across the words between them, within its clause
    req = understand_rules("a soil probe read by some board, but never built on a nano", library)
    assert "arduino-nano" in req.constraints.forbidden and not req.constraints.no_controller
    # the class word, or the name the library gives its stand-in for the class, rules out every controller
    for text in ("an LDR lights a lamp through a transistor, no microcontroller",
                 "an LDR lights a lamp through a transistor, no arduino"):
        req = understand_rules(text, library)
        assert req.constraints.no_controller and not any(library[p.key].is_mcu for p in req.named_parts), text


def test_the_things_name_is_read_by_its_head_noun(library):
    # the opening name, followed by what the thing has: a word of the name that only says which kind of
    # thing it is (a fire engine's "fire") asks for nothing; a name whose head is the function asks for it
    for text in ("a toy fire truck with a wailing siren and two flashing LEDs",
                 "fire brigade model with a siren and a blue blinking light"):
        caps = _caps(text, library)
        assert not any(_direction_of(library, c) == "sense" for c in caps), (text, caps)
        assert any(_direction_of(library, c) == "act" for c in caps), (text, caps)  # what it has is asked for
    caps = _caps("a bicycle headlight with an 18650 cell", library)
    assert any(_direction_of(library, c) == "act" for c in caps), caps


def _direction_of(library, capability: str) -> str | None:
    return next((c.direction for r in library for c in r.provides if c.capability == capability), None)


def test_a_thing_named_alone_implies_the_side_the_request_lacks(library):
    # a bell someone presses: the name reads as an output, and as the input that sets it off
    caps = _caps("a reception desk bell", library)
    assert {_direction_of(library, c) for c in caps} >= {"sense", "act"}, caps
    # a meter: what it measures, and something that shows it
    caps = _caps("a humidity meter for the bathroom", library)
    assert {_direction_of(library, c) for c in caps} >= {"sense", "act"}, caps
    # a noise alone is an output: nothing sets it off that its words name clearly
    caps = _caps("a wailing police siren sound, no controller", library)
    assert caps and all(_direction_of(library, c) == "act" for c in caps), caps


def test_a_part_number_is_one_word_of_a_name(library):
    # "A3144 hall sensor" does not make "a" and "hall" a pair of name words: "a call bell" stays a call bell
    assert "call" in normalize(understand_rules("a call bell for the nurse station", library).needs[0].words)


def test_a_thing_that_moves_its_own_lid_needs_an_actuator_not_a_lid_sensor(library):
    # the thing opens its lid: something moves it; "when the lid opens" is what a sensor notices
    caps = _caps("a bird feeder that raises its lid every morning", library)
    assert any(_direction_of(library, c) == "act" for c in caps), caps
    assert not any(_direction_of(library, c) == "sense" and "open" in " ".join(
        d.description for r in library for d in r.provides if d.capability == c) for c in caps), caps
    caps = _caps("beep a buzzer when the lid of the cookie tin opens", library)
    assert any(_direction_of(library, c) == "sense" for c in caps), caps
