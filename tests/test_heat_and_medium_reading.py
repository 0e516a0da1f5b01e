"""A request's conditions read against the records' typed heat and link facts (issue 18): the heat a part makes at
a stated current against what it sheds without a heatsink (knowledge.heat_reading), the medium a link must travel
and whether something stands in its way (knowledge.link_medium, knowledge.word_senses), and the hook in retrieval."""

from __future__ import annotations

import pytest

from circuit.quantities import find_quantities
from knowledge.heat_reading import (BURNS, COOL, FREE, FREE_ASKED, NEEDS_SINK, HeatFacts, dissipation, refuses_heat,
                                    sheds, stated_ambient)
from knowledge.library import Library
from knowledge.link_medium import OTHER_MEDIUM, MediumFacts
from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def lib() -> Library:
    return Library.default()


@pytest.fixture(scope="module")
def heat(lib) -> HeatFacts:
    return HeatFacts.of_records(lib)


@pytest.fixture(scope="module")
def medium(lib) -> MediumFacts:
    return MediumFacts.of_records(lib)


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def test_dissipation_and_what_a_package_sheds_come_from_typed_ratings(lib):
    fet, darlington, reg = lib["irlz44n"], lib["tip120"], lib["lm7805"]
    assert dissipation(fet, 5.0) == pytest.approx(25 * 0.025 * 1.5)       # I² x RDS(on), hot
    assert dissipation(darlington, 3.0) == pytest.approx(3.0 * 2.0)       # I x VCE(sat)
    assert dissipation(reg, 1.0, drop=7.0) == pytest.approx(7.0)          # (Vin - Vout) x I
    assert dissipation(reg, 1.0) is None                                  # no voltage to drop stated
    assert sheds(fet) == pytest.approx((175 - 25) / 62)                   # TO-220 in still air
    assert sheds(reg, heatsink=True) > sheds(reg)                         # its tab takes a heatsink
    assert sheds(lib["ams1117-3.3"], heatsink=True) == sheds(lib["ams1117-3.3"])  # a SOT-223 takes none
    assert sheds(fet, ambient=100.0) < sheds(fet)
    assert sheds(lib["lm2596-buck-converter"]) is None                     # a module types no thermal figure


def test_a_temperature_in_celsius_is_read_as_the_ambient():
    assert [(q.value, q.unit) for q in find_quantities("in a 60 °C box")] == [(60.0, "°C")]
    assert stated_ambient("switch 6 A inside a 70 °C enclosure") == pytest.approx(70.0)
    assert stated_ambient("switch 6 A") == pytest.approx(25.0)
    assert stated_ambient("heat the oven to 250 °C") == pytest.approx(25.0)  # no surroundings are that hot


def test_switches_and_regulators_are_judged_at_the_stated_current(heat):
    fit = heat.fit(5.0)
    assert fit.verdicts["irlz44n"] == "free" and fit.deltas["irlz44n"] == pytest.approx(FREE)
    assert fit.verdicts["tip120"] == "sink" and fit.deltas["tip120"] == pytest.approx(-NEEDS_SINK)
    assert fit.verdicts["2n2222"] == "burns" and fit.deltas["2n2222"] == pytest.approx(-BURNS)
    assert "lm7805" not in fit.verdicts  # no voltage to drop: the regulators are not judged
    asked = heat.fit(5.0, no_heatsink=True)
    assert asked.deltas["irlz44n"] == pytest.approx(FREE_ASKED) and asked.deltas["tip120"] == pytest.approx(-BURNS)
    # a SOT-23 MOSFET at its 5 A rating sheds the heat in free air, but near its junction's limit: it runs hot,
    # and fits less than a TO-220 one far from it (each judged by the share of its headroom the heat leaves)
    verdict, spare = heat.judge("irlml6344", 5.0)
    assert verdict == "free" and spare < COOL < heat.judge("irlz44n", 5.0)[1]
    assert asked.deltas["irlml6344"] == pytest.approx(FREE_ASKED * spare / COOL)
    assert 0 < asked.deltas["irlml6344"] < asked.deltas["irlz44n"]
    # 12 V to 5 V at 1 A: 7 W, a TO-220 on a heatsink, never a SOT-223; the transistors are not judged
    reg = heat.fit(1.0, pairs=[(12.0, 5.0)])
    assert reg.verdicts["lm7805"] == "sink" and reg.verdicts["ams1117-5.0"] == "burns"
    assert "irlz44n" not in reg.verdicts
    assert heat.fit(0.2, pairs=[(5.0, 3.3)]).verdicts["ams1117-3.3"] == "free"
    # a switching module is read by the current it carries as sold, with no heatsink added (i_free_air)
    buck = heat.fit(2.5, pairs=[(12.0, 5.0)])
    assert buck.verdicts["lm2596-buck-converter"] == "sink" and buck.verdicts["xl4015-buck-converter"] == "free"
    assert heat.fit(1.0, pairs=[(12.0, 5.0)]).verdicts["lm2596-buck-converter"] == "free"
    assert "lm2596-buck-converter" not in heat.fit(1.0).verdicts  # no conversion stated: not judged
    hot = heat.fit(6.0, ambient=150.0)
    assert hot.verdicts["irlz44n"] != "free"
    assert heat.fit(None).deltas == {}


def test_words_that_refuse_heat_or_a_wire_are_read_by_meaning_and_negation(retriever, medium):
    words = retriever._heat_words
    assert words.read("switch 5 A without a heatsink")[1] == {"heat"}
    assert words.read("a transistor for a 3 A pump that does not get hot")[1] == {"heat"}
    assert words.read("a mosfet on a big heatsink")[1] == frozenset()
    # staying cool asked is heat refused; a particle that ends the request takes no object ("heating up")
    assert refuses_heat(*words.read("a regulator that stays cool"))
    assert refuses_heat(*words.read("drop 12 V to 5 V without it heating up"))
    assert not refuses_heat(*words.read("a mosfet on a big heatsink"))
    assert not refuses_heat(*words.read("measure the temperature of a 3 A heater"))
    assert medium.senses.read("two boards joined by a 50 m cable") == ({"wire"}, frozenset())
    assert medium.senses.read("pass readings along with no cable at all") == (frozenset(), {"wire"})
    assert medium.senses.read("a wireless link between the sheds")[0] == {"radio"}
    assert medium.senses.read("wire up a bluetooth module") == (frozenset(), frozenset())  # a verb, not a medium


def test_the_medium_asked_ranks_links_of_another_medium_out(medium):
    wired = medium.fit("join the two boards over 60 m of cable")
    assert wired.deltas["max485"] > 0 and wired.deltas["nrf24l01"] == pytest.approx(-OTHER_MEDIUM)
    unwired = medium.fit("no cable may run between the two boxes")
    assert unwired.deltas["max485"] == pytest.approx(-OTHER_MEDIUM) and unwired.deltas["hc-12"] > 0
    assert "pir-motion" not in wired.deltas  # a part with no link is left alone
    assert medium.fit("blink an led").deltas == {}


def test_something_in_the_way_ranks_line_of_sight_parts_down(medium):
    assert medium.obstructed("pass the readings up through the ceiling to the attic")
    assert medium.obstructed("steer the car with no line of sight to it")
    assert not medium.obstructed("follow a black line on the floor")
    assert not medium.obstructed("count people walking through the door")
    fit = medium.fit("signal the shed from behind the garage wall", obstructed=True)
    assert fit.deltas["ir-receiver"] < 0 and fit.deltas["pir-motion"] < 0
    assert fit.deltas["rcwl-0516"] > 0 and fit.deltas["nrf24l01"] > 0


def test_a_link_whose_ends_are_in_different_rooms_ranks_infrared_down(medium):
    assert medium.separated("pick up a handheld remote from the next room")
    assert medium.separated("signal a board on another floor of the house")
    assert not medium.separated("control the lamp from a phone in the same room")
    assert not medium.separated("log the temperature again the next day")
    assert not medium.separated("send the reading to another board")
    fit = medium.fit("a remote in a different room", separated=True)
    assert fit.obstructed and fit.deltas["ir-receiver"] < 0 and fit.deltas["rf-433-rx"] > 0
    assert "pir-motion" not in fit.deltas  # a sensor with no link medium senses the room it is placed in


@pytest.mark.parametrize("query, wanted", [
    ("a transistor to switch 7 A to a heater with no heatsink", {"irlb8721", "irf3205", "irlz44n", "stp55nf06l",
                                                                "fqp30n06l", "irl540n", "irlz34n", "irf540n", "mosfet",
                                                                "irfz44n"}),
    ("carry readings to the garage along 25 m of wire", {"max485", "tja1050", "mcp2515"}),
])
def test_retrieval_reads_the_conditions_against_the_typed_facts(retriever, query, wanted):
    res = retriever.search(query, k=3)
    assert res.matches[0].key in wanted, res.matches


def test_a_part_that_cannot_shed_the_heat_ranks_below_one_that_can(retriever):
    # 8.7 V dropped at 0.7 A is 6 W: no SOT-223 regulator sheds that; a switching converter makes little heat
    keys = [m.key for m in retriever.search("a 3.3 V rail from 12 V for a 700 mA load", k=10).matches]
    sot223 = [keys.index(k) for k in ("ams1117-3.3", "lm1117-3.3") if k in keys] or [99]
    bucks = [keys.index(k) for k in ("mp1584-buck-converter", "lm2596-buck-converter", "mini-360-buck-converter",
                                     "xl4015-buck-converter") if k in keys]
    assert bucks and min(bucks) < min(sot223), keys
