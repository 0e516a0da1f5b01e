"""What a request's verb works on, read as a load with a typed supply, and the switch that takes it
(knowledge.load_kinds, knowledge.acted_on: switched_object, mains_load, dc_switch).

Phrasings here are not benchmark queries: each works on a thing (an appliance no record is, a 12 V load a record is)
either from a board or as the thing wanted itself.
"""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.acted_on import ActedOn
from knowledge.embedding_cache import VectorCache
from knowledge.load_kinds import VECTORS_FILE, LoadKinds, load_catalog
from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def _first(retriever: Retriever, query: str) -> str:
    return retriever.search(query).matches[0].key


def test_the_catalog_is_typed_and_its_vectors_are_shipped():
    kinds = load_catalog()
    assert kinds and all(k.supply == "mains" for k in kinds)
    assert len({k.kind for k in kinds}) == len(kinds)
    found, missing = VectorCache.load(VECTORS_FILE).lookup([k.description for k in kinds])
    assert not missing, "knowledge/load_kind_vectors.npz is stale: run python -m knowledge.load_kinds"


def test_the_object_is_the_verbs_not_the_boards(retriever):
    acted: ActedOn = retriever._acted
    # a particle between the verb and its object; the board named as an earlier object does the switching
    assert acted.switched_object("have the nano shut off the deep fryer")[1] == "deep fryer"
    # the thing a quantity belongs to ("the speed of ..."), and a possessive 's
    verb, words, volts = acted.switched_object("set the speed of a 24 v blower from the uno")
    assert words == "blower" and volts == [24.0]
    assert acted.switched_object("slowly dim a 12 v lamp's glow")[1] == "lamp"
    # "that" opens a relative clause, not an object; a request asking how much has no load
    assert acted.switched_object("a small board that fits into a breadboard") is None
    assert acted.switched_object("how much power does the fridge draw") is None


def test_a_thing_on_mains_is_read_by_its_stated_voltage_or_its_kind(retriever):
    acted: ActedOn = retriever._acted
    kinds: LoadKinds = retriever._load_kinds

    def mains(query: str) -> bool:
        verb, words, volts = acted.switched_object(query)
        vec = retriever._encode([words])[0]
        kind, cos = kinds.read(vec)
        return acted.mains_load(volts, cos, bool(kinds.mains[kind]), retriever._doc_similarities(vec))

    assert mains("let the esp32 switch the 230 v pump in the cellar")  # the voltage stated on it
    assert mains("have the pico shut off the electric grill")  # an appliance no record is: its kind runs on mains
    assert not mains("let the esp32 switch the 12 v pump")  # a low voltage stated on it
    assert not mains("let the esp32 switch the led strip")  # a load record reads nearer than any mains kind


def test_a_mains_appliance_switched_from_a_board_ranks_contacts_rated_for_it(retriever):
    for query in ("have the pico shut off the electric grill", "let the uno switch the 230 v pump in the cellar"):
        first = retriever.library[_first(retriever, query)]
        assert any(set(p.functions or ()) & {"contact_no"} and (p.v_max or 0) >= 230 for p in first.pins), query


def test_a_dc_load_from_a_pin_takes_a_switch_that_pin_turns_fully_on(retriever):
    acted: ActedOn = retriever._acted
    pos = retriever._key_pos
    strip = pos["led-strip-12v"]
    # the logic level: a board's, else a voltage stated beside the load's that is a board's logic level
    assert acted.stated_level("switch a 12 v strip from a 3.3 v pin", [12.0]) == pytest.approx(3.3)
    assert acted.stated_level("switch a 12 v strip", [12.0]) is None
    delta = acted.dc_switch(strip, "switch", [12.0], 3.3)
    up = {k for k in ("irlz44n", "irf540n", "ao3401", "tip120", "relay-module") if delta[pos[k]] > 0}
    # a logic-level N-MOSFET; not one whose gate needs 10 V, not a P-type one (its gate swings to 12 V), not a
    # darlington (no gate), not contacts
    assert up == {"irlz44n"}
    assert delta[strip] < 0 and delta[pos["esp32-devkit-v1"]] < 0
    # no logic level, a load the pin's level reaches, a brushed motor (which way is asked), a verb of its own with
    # no board named: nothing
    assert acted.dc_switch(strip, "switch", [12.0], None) is None
    assert acted.dc_switch(pos["buzzer"], "switch", [], 5.0) is None
    assert acted.dc_switch(pos["dc-motor"], "run", [12.0], 3.3) is None
    assert acted.dc_switch(pos["lamp-12v"], "light", [12.0], 3.3) is None
    assert acted.dc_switch(pos["lamp-12v"], "light", [12.0], 3.3, ["esp32-devkit-v1"]) is not None


def test_a_polarised_load_takes_no_reversing_driver(retriever):
    acted: ActedOn = retriever._acted
    pos = retriever._key_pos
    ok = acted.fits_load(pos["fan-12v"])
    assert ok[pos["irlz44n"]] and not ok[pos["l298n"]]  # a fan's electronics run one way
    assert acted.fits_load(pos["dc-motor"])[pos["l298n"]]  # a brushed motor reverses
    assert _first(retriever, "set the speed of a 12 v fan from the esp32 with pwm") not in ("l298n", "l293d", "drv8871")


def test_a_number_before_a_unit_word_is_a_value_not_a_part_number(retriever):
    # "120 volt" is a voltage (as "120 V" is), not the number of a TIP120; a part number typed alone still is one
    assert "tip120" not in retriever.lexical.match("wire the 120 volt porch lamp to my esp32").part_number
    assert "tip120" in retriever.lexical.match("a tip 120 for the motor").part_number


def test_a_word_naming_a_family_of_boards_gives_their_lowest_logic_level(retriever):
    acted: ActedOn = retriever._acted
    # "an arduino" names several boards: the switch must be driven at the lowest of their levels
    levels = {acted.logic_level[b] for b in acted.board_named(["arduino"]) if b in acted.logic_level}
    assert acted.stated_level("switch a 24 v valve from an arduino", [24.0]) == min(levels)
    # a word other parts' names share ("board") names no board
    assert "board" not in acted.board_words


def test_a_reversing_driver_is_not_wanted_for_a_polarised_load_worked_on(retriever):
    acted: ActedOn = retriever._acted
    pos = retriever._key_pos
    query = "slow the 12 v fan down with pwm"
    sims = retriever._doc_similarities(retriever._encode([query])[0])
    rest = acted.candidate(pos["fan-12v"], query, {"fan-12v"})
    assert rest is not None
    rest_sims = retriever._doc_similarities(retriever._encode([rest])[0])
    delta = acted.adjust(pos["fan-12v"], query, sims, rest_sims)
    assert delta[pos["l298n"]] < 0 <= delta[pos["irlz44n"]]  # a fan runs one way: an H-bridge's reversing is no use
    # a brushed motor reverses: its drivers are not ranked down for it
    motor = "slow the dc motor down with pwm"
    sims = retriever._doc_similarities(retriever._encode([motor])[0])
    rest = acted.candidate(pos["dc-motor"], motor, {"dc-motor"})
    if rest is not None:
        rest_sims = retriever._doc_similarities(retriever._encode([rest])[0])
        assert acted.adjust(pos["dc-motor"], motor, sims, rest_sims)[pos["l298n"]] >= 0


def test_only_contacts_rated_for_mains_switch_a_mains_appliance(retriever):
    acted: ActedOn = retriever._acted
    pos = retriever._key_pos
    delta = acted.mains_switch([230.0])
    assert delta[pos["relay-module"]] > 0 and delta[pos["ssr-40da"]] > 0
    # a path not rated for mains (a logic MOSFET, a regulator's output) and a part with no switched path (a timer)
    # are not the switch; a sensor is left alone (it may read what sets the switching off)
    assert delta[pos["irlz44n"]] < 0 and delta[pos["lm7806"]] < 0 and delta[pos["ne555"]] < 0
    assert delta[pos["ldr"]] == 0
    # a request whose words also read as a timer starting and stopping something: the appliance's switch
    assert _first(retriever, "let my program start and stop the rice cooker") in (
        "relay-module", "relay-5v", "ssr-40da", "relay-2ch", "relay-4ch", "relay-8ch", "relay-dpdt")
