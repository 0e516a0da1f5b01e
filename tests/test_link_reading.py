"""Getting data somewhere: a distance a request states, read against the parts' typed reach
(knowledge.link_reading, ``Capability.range_m``, the hook in knowledge.retrieval)."""

from __future__ import annotations

import pytest

from circuit.quantities import metres_of
from knowledge.library import Library
from knowledge.link_reading import NO_LINK, REACH, SHORT, LinkReach, stated_distance
from knowledge.record import Capability
from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


@pytest.fixture(scope="module")
def reach() -> LinkReach:
    return LinkReach.of_records(Library.default())


def test_length_units_are_read_by_pint_and_english_words_are_not():
    assert metres_of("km") == pytest.approx(1000.0) and metres_of("kilometres") == pytest.approx(1000.0)
    assert metres_of("miles") == pytest.approx(1609.344) and metres_of("feet") == pytest.approx(0.3048)
    assert metres_of("m") == pytest.approx(1.0) and metres_of("yards") == pytest.approx(0.9144)
    # "in" is English first; "pin" would be a pico-inch, "link" and "chain" surveyors' units: no distances
    for word in ("in", "pin", "pins", "link", "chain", "point", "away", "volts"):
        assert metres_of(word) is None, word


def test_a_stated_distance_is_read_in_metres_whichever_way_it_is_written():
    assert stated_distance("a probe in a pond 1.5 km from the shed") == pytest.approx(1500.0)
    assert stated_distance("two towers 700m apart") == pytest.approx(700.0)
    assert stated_distance("a shed a quarter mile down the lane") == pytest.approx(402.336)
    assert stated_distance("half a mile of fence") == pytest.approx(804.672)
    assert stated_distance("nodes twelve kilometres apart, or 3 km") == pytest.approx(12000.0)  # the largest
    assert stated_distance("poles three hundred metres apart") == pytest.approx(300.0)
    assert stated_distance("a thousand yards of field") == pytest.approx(914.4)
    assert stated_distance("sheds hundreds of feet apart") == pytest.approx(60.96)  # at least two hundred
    assert stated_distance("a few hundred metres up the hill") == pytest.approx(200.0)
    assert stated_distance("a keypad with 16 pins and 4 rows") is None
    assert stated_distance("blink an led twice a second") is None
    # a size: a length before a word naming the thing it measures; a piece of a part number is no length
    assert stated_distance("a 0.96 inch oled", names_size={"oled"}.__contains__) is None
    assert stated_distance("neo-6m receiver", skip={"6m"}) is None


def test_range_is_a_typed_positive_field_of_a_capability():
    cap = Capability(capability="long-range-radio", direction="communicate", range_m=1000, description="a radio")
    assert cap.range_m == 1000.0
    with pytest.raises(ValueError):
        Capability(capability="x", direction="communicate", range_m=0, description="a radio")


def test_the_library_types_the_reach_of_its_radios_buses_and_ranged_sensors(reach):
    assert reach.link_range["hc-12"] == pytest.approx(1000.0)
    assert reach.link_range["sx1278-lora"] > reach.link_range["hc-12"] > reach.link_range["nrf24l01"]
    assert reach.link_range["max485"] >= 1000.0 and reach.link_range["w5500"] == pytest.approx(100.0)
    assert reach.sense_range["hc-sr04"] == pytest.approx(4.0) and reach.sense_range["tf-luna"] == pytest.approx(8.0)
    assert {"sim800l", "esp-01", "hc05"} <= reach.linked and "soil-moisture-sensor" not in reach.linked
    assert 4.0 <= reach.sense_reach < 100.0


def test_a_separation_beyond_every_sensing_reach_asks_for_a_link_that_covers_it(reach):
    keys = ["hc-12", "sx1278-lora", "nrf24l01", "sim800l", "soil-moisture-sensor", "load-cell"]
    fit = reach.fit(1500.0, (), keys)
    assert fit.carry and fit.distance == pytest.approx(1500.0)
    assert fit.deltas["sx1278-lora"] == REACH and "sx1278-lora" in fit.reached
    # a link that falls short cannot carry the data there, no more than a part with no link
    assert fit.deltas["hc-12"] == -NO_LINK and fit.deltas["nrf24l01"] == -NO_LINK and "hc-12" not in fit.reached
    assert fit.deltas["soil-moisture-sensor"] == -NO_LINK and fit.deltas["load-cell"] == -NO_LINK
    assert "sim800l" not in fit.deltas  # a link with no typed reach (a modem reaches wherever the network does)
    # within what a sensor sees, a distance is no separation
    assert not reach.fit(3.0, (), keys).carry and not reach.fit(3.0, (), keys).deltas
    assert not reach.fit(None, (), keys).deltas


def test_a_sensing_distance_ranks_the_sensors_that_see_that_far(reach):
    assert "sense-distance" in reach.ranged_slugs and "sense-motion" in reach.ranged_slugs
    near = reach.fit(6.0, {"sense-distance"}, ["hc-sr04", "tf-luna", "sx1278-lora"])
    assert not near.carry and near.deltas["hc-sr04"] == -SHORT and near.deltas["tf-luna"] == REACH
    assert "pir-motion" not in near.deltas and "sx1278-lora" not in near.deltas  # another quantity; no sensor


@pytest.mark.parametrize("query, wanted", [
    ("collect the pond temperature from a jetty 4 km across the lake", {"sx1278-lora", "rfm95"}),
    ("a moisture probe in an allotment 1.2 km away should report to my desk", {"sx1278-lora", "rfm95"}),
    ("exchange bytes between two microcontrollers that sit 700 metres apart", {"hc-12", "sx1278-lora", "rfm95"}),
])
def test_data_carried_over_a_stated_distance_ranks_a_link_that_reaches_it(retriever, query, wanted):
    res = retriever.search(query)
    assert res.matches[0].key in wanted and not res.ood, res.as_dict()


def test_a_link_that_falls_short_ranks_below_one_that_reaches(retriever):
    keys = [m.key for m in retriever.search("send a counter value between two boards 5 km apart", k=10).matches]
    assert keys[0] in {"sx1278-lora", "rfm95"}
    assert "hc-12" not in keys or keys.index("hc-12") > keys.index(keys[0])


def test_a_short_sensing_distance_is_no_link_request(retriever):
    res = retriever.search("measure how far a wall is, up to 7 metres away")
    assert res.matches[0].key in {"tf-luna"}, res.as_dict()
    assert retriever.search("ring an alarm when someone walks within 3 m of the door").matches[0].key not in \
        {"hc-12", "sx1278-lora", "rfm95", "nrf24l01"}
