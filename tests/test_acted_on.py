"""The thing a request acts on or measures, and the part that acts (knowledge.acted_on).

Phrasings here are not benchmark queries: each names a load (a strip, a pump, a motor) either as what the wanted
part switches or drives, or as the part wanted itself, and checks the typed roles and the ranking.
"""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.acted_on import ActedOn, drives, is_load, is_source
from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def _first(retriever: Retriever, query: str) -> str:
    return retriever.search(query).matches[0].key


def test_roles_are_read_from_typed_record_data(retriever):
    lib = retriever.library
    # loads: they act when power is put across them, draw a rated current and take no signal
    for key in ("led-strip-12v", "water-pump-12v", "dc-motor", "solenoid"):
        assert is_load(lib[key]), key
    # a relay's contacts, a MOSFET's gate, a driver's inputs: they switch or drive, they are no loads
    for key in ("relay-module", "relay-5v", "irlz44n", "l298n", "servo"):
        assert not is_load(lib[key]), key
    for key in ("irlz44n", "l298n", "relay-5v", "tip120"):
        assert drives(lib[key]), key
    assert not drives(lib["led-strip-12v"])
    assert is_source(lib["solar-panel-12v"]) and not is_load(lib["solar-panel-12v"])


def test_a_person_operated_switch_is_no_measuring_actor(retriever):
    acted = retriever._acted
    toggle = retriever._key_pos["toggle-switch"]
    rows = np.flatnonzero(acted.load_actor_rows)
    assert toggle not in set(acted.row_part[rows].tolist())
    ina = retriever._key_pos["ina219"]
    assert ina in set(acted.row_part[rows].tolist())


def test_only_a_named_load_is_read_again(retriever):
    acted: ActedOn = retriever._acted
    strip = retriever._key_pos["led-strip-12v"]
    mcu = retriever._key_pos["esp32-devkit-v1"]
    assert acted.candidate(mcu, "blink a light from an esp32") is None  # the first part is no load
    assert acted.candidate(strip, "a 12 v led strip") is None  # nothing but its name and values
    assert acted.candidate(strip, "warm white light for a bookcase") is None  # its name is not in the request
    rest = acted.candidate(strip, "fade the led strip in and out from a pin")
    assert rest is not None and "strip" not in rest.split() and "fade" in rest.split()
    # the object of a verb that only says it is wanted
    assert acted.candidate(strip, "use a led strip to light the hallway") is None


def test_switching_a_named_load_from_a_board_ranks_the_switch(retriever):
    first = _first(retriever, "have the uno turn my 12 v aquarium pump on and off")
    assert first not in {"water-pump-12v"}
    assert retriever._acted.loads[retriever._key_pos[first]] == False  # noqa: E712  (a switch, not another load)


def test_asking_for_the_load_itself_keeps_it(retriever):
    assert _first(retriever, "a submersible 12 v pump for a fountain") == "water-pump-12v"
    assert _first(retriever, "a little motor to spin a paper windmill") == "dc-motor"
    assert _first(retriever, "a pull type solenoid to push a pin out") == "solenoid"


def test_the_reading_leads_only_where_the_action_is_another_parts(retriever):
    acted: ActedOn = retriever._acted
    strip = retriever._key_pos["led-strip-12v"]

    def reading(query: str):
        rest = acted.candidate(strip, query)
        assert rest is not None
        sims = retriever._doc_similarities(retriever._encode([query])[0])
        rest_sims = retriever._doc_similarities(retriever._encode([rest])[0])
        return acted.read(strip, sims, rest_sims)

    assert reading("switch the led strip on and off with a transistor from a gpio").acted
    assert not reading("light the kitchen worktop with a warm led strip").acted


def test_a_reading_asked_of_a_load_ranks_a_measuring_part(retriever):
    acted: ActedOn = retriever._acted
    assert acted.asks_reading("how hot does the led strip get")  # how much of something there is
    assert not acted.asks_reading("pump water out of the cellar")  # the pump's own verb acts
    first = _first(retriever, "how hot does the led strip get")
    pos = retriever._key_pos[first]
    assert not acted.loads[pos] and not acted.only_acts[pos]
    # the load's own verb, with a purpose that reads like sensing, is still the load
    assert _first(retriever, "pump water out of the cellar after a flood") == "water-pump-12v"


def test_a_load_as_the_verbs_object_is_worked_on_when_it_cannot_do_the_verb_or_the_board_cannot_run_it(retriever):
    acted: ActedOn = retriever._acted
    strip = retriever._key_pos["led-strip-12v"]
    motor = retriever._key_pos["dc-motor"]
    # a strip lights; it does not fade itself
    assert acted.worked_on(strip, "fade a 12 v led strip in the evening")
    # a motor spins by itself: only a board that cannot run it from a pin (typed: 20 mA pins, 0.66 A motor) makes
    # the spinning another part's work
    assert not acted.worked_on(motor, "spin a dc motor slowly")
    assert acted.worked_on(motor, "spin a dc motor slowly", boards={"esp32-devkit-v1"})
    # not the object of the opening verb, or a verb that only says it is wanted
    assert not acted.worked_on(motor, "a dc motor that an esp32 can spin", boards={"esp32-devkit-v1"})
    assert not acted.worked_on(motor, "use a dc motor with an esp32", boards={"esp32-devkit-v1"})


def test_what_acts_on_a_load_is_never_a_load_or_a_source(retriever):
    # a supply whose texts name the load it feeds ranks no higher than the switch for it
    res = retriever.search("fade a 12 v led strip up and down from an esp32 pin")
    first = retriever._key_pos[res.matches[0].key]
    assert not retriever._acted.loads[first] and not retriever._acted.sources[first]


def test_a_request_opening_with_the_loads_name_asks_for_the_load(retriever):
    acted: ActedOn = retriever._acted
    pump = retriever._key_pos["water-pump-12v"]
    # the part is the head of the request; what follows says what it is for
    assert acted.candidate(pump, "a 12 volt pump to empty the rain barrel") is None
    assert acted.candidate(pump, "water pump that an arduino can switch") is None
    # (only the name's own words, articles and numbers are read as its name: an adjective of its own, "submersible
    # pump", is a word the reading cannot place, and the request is read by meaning as before)
    # the head is something else, the pump is named after it
    assert acted.candidate(pump, "the current the pump draws") is not None


def test_the_verb_after_a_wanting_verb_acts_on_its_object():
    from knowledge.acted_on import acting_verb
    from knowledge.lexical import tokens

    for query, verb, obj in (("let the uno dim the long strip above the desk", "dim", {"long", "strip"}),
                             ("i would like my esp32 to power the old desk fan", "power", {"old", "desk", "fan"}),
                             ("fade a strip from a pin", "fade", {"strip"})):
        toks = tokens(query)
        got, positions = acting_verb(query, toks)
        assert got == verb, query
        assert obj <= {toks[i] for i in positions}, query
    assert acting_verb("a 12 v strip", tokens("a 12 v strip")) == (None, set())


def test_an_unnamed_appliance_switched_by_a_board_ranks_the_switch(retriever):
    # no record is a kettle: a load's texts read nearest, and the board cannot run that load from a pin (typed:
    # its rated current against the board's pin current); the part that switches it ranks first
    query = "let the esp32 turn the electric kettle on at seven"
    acted: ActedOn = retriever._acted
    res = retriever.search(query)
    first = res.matches[0].key
    assert not acted.loads[retriever._key_pos[first]] and drives(retriever.library[first])
    assert any(set(p.functions or ()) & {"contact_no"} for p in retriever.library[first].pins)


def test_an_unnamed_load_is_read_only_with_a_board_it_cannot_run_from(retriever):
    acted: ActedOn = retriever._acted
    solenoid = retriever._key_pos["solenoid"]
    outlet = retriever._key_pos["ac-power-output"]  # the appliance end of a mains circuit: a kettle's nearest load
    query = "turn the kettle on at seven"
    assert acted.unnamed(outlet, query)
    sims = retriever._doc_similarities(retriever._encode([query])[0])
    # the same reading, with no board named: nothing says a pin cannot run it, so nothing is read
    assert not acted.read(outlet, sims, sims, query, (), named=False).acted
    assert acted.read(outlet, sims, sims, query, ("esp32-devkit-v1",), named=False).acted
    # a request that says what the load itself does wants the load ("pull")
    assert acted.says_own_verb(solenoid, "pull the bolt back from the esp32")
    # a source is never read unnamed: it is not run from a pin
    assert not acted.unnamed(retriever._key_pos["solar-panel-12v"], "keep the cabin lit from the esp32")


def test_the_switch_must_take_the_load_by_its_typed_ratings(retriever):
    acted: ActedOn = retriever._acted
    pos = retriever._key_pos

    def fits(load: str) -> set[str]:
        ok = acted.fits_load(pos[load])
        return {k for k in ("relay-module", "ssr-40da", "irlz44n", "l298n", "uln2003-driver", "a4988") if ok[pos[k]]}

    # a load rated at a mains voltage: alternating current, only contacts rated for it switch it
    assert fits("ac-power-output") == {"relay-module", "ssr-40da"}
    # a strip is no winding: a motor or stepper driver is not made for it; a one-way switch or contacts are
    assert fits("led-strip-12v") == {"relay-module", "ssr-40da", "irlz44n"}
    # a unipolar geared stepper's coils: its darlington array, not a bipolar driver (motor coils)
    assert "uln2003-driver" in fits("28byj-48") and "a4988" not in fits("28byj-48")
    # a brushed motor: an H-bridge drives it
    assert "l298n" in fits("dc-motor")
    # a path rated below the load's current does not take it (0.5 A outputs, a 0.65 A solenoid)
    assert "uln2003-driver" not in fits("solenoid")


def test_a_load_named_beside_a_sibling_ranked_first_is_what_is_worked_on(retriever):
    acted: ActedOn = retriever._acted
    motor = retriever._key_pos["dc-motor"]
    # the fan is named by name; a motor ranks first by meaning: the fan's words are what the request names
    rest = acted.candidate(motor, "start the 12 v fan from a spare pin", {"fan-12v"})
    assert rest is not None and "fan" not in rest.split() and "start" in rest.split()
    # the request opens with the named load: it asks for the load
    assert acted.candidate(motor, "a 12 v fan for the enclosure", {"fan-12v"}) is None
    # no other load named: nothing to read
    assert acted.candidate(motor, "start the 12 v fan from a spare pin", {"esp32-devkit-v1"}) is None
