"""Which way a message travels where a request says little of it: a place named by one of several glosses (the
cloud, a push notification), the local network as the ordinary way online (knowledge.link_network.online_default),
a place out of a network's reach, and another board named as the other end (knowledge.place_words.other_board)."""

from __future__ import annotations

import pytest

from knowledge.destinations import load_catalog
from knowledge.link_network import LOCAL_FIRST
from knowledge.place_words import other_board
from knowledge.retrieval import Retriever

CELLULAR = {"sim800l", "a7670", "sim7600"}


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def test_a_place_may_be_glossed_several_ways():
    internet = {d.destination: d for d in load_catalog()}["internet"]
    assert len(internet.gloss) >= 2 and all(isinstance(g, str) and g for g in internet.gloss)


@pytest.mark.parametrize("text, place", [
    ("keep the boiler pressure in the cloud", "internet"),
    ("a notification when the loft hatch is opened", "internet"),
    ("a cloud of dust over the workbench", None),   # the word names the next noun's kind, no place data goes to
])
def test_words_name_the_internet_by_any_of_its_glosses(retriever, text, place):
    named = retriever._place_words.named(text)
    assert (place in named) if place else "internet" not in named, named


@pytest.mark.parametrize("text, out", [
    ("the shed is out of reach of the router", True),
    ("a hut beyond the wifi", True),
    ("take the sensor out of the box and post its readings over wifi", False),
])
def test_a_place_out_of_a_networks_reach_refuses_it(retriever, text, out):
    assert retriever._network.out_of_reach(text) is out
    assert retriever._network.refuses(text) is out


@pytest.mark.parametrize("text, asks", [
    ("post the readings over 4g", True),
    ("a gsm modem to upload the readings", True),
    ("post the readings to my phone", False),
    ("post the readings over the home network", False),
])
def test_the_mobile_network_is_asked_by_name(retriever, text, asks):
    assert retriever._network.asks_cellular(text) is asks


def test_online_the_local_network_is_the_ordinary_way(retriever):
    default = retriever._network.online_default("post the readings to a server")
    assert set(default) == CELLULAR and all(d == -LOCAL_FIRST for d in default.values())
    assert retriever._network.online_default("post the readings to a server over 4g") == {}
    assert retriever._network.online_default("post the readings to a server from a barn without wifi") == {}


@pytest.mark.parametrize("text, other", [
    ("send the count to a second arduino", True),
    ("let it talk with another esp32", True),
    ("a board like another arduino", False),    # no end a message goes to
    ("send the count to another room", False),  # not a board
])
def test_another_board_named_as_the_other_end(retriever, text, other):
    from knowledge.lexical import stem
    assert other_board(text, lambda w: stem(w) in retriever._names_board) is other


def test_a_board_without_a_network_goes_online_through_a_local_network_add_on(retriever):
    res = retriever.search("my arduino mega should upload its readings to a cloud server")
    assert res.matches[0].key in {"esp-01", "w5500", "enc28j60"} and not res.ood, res.as_dict()


def test_readings_sent_to_another_board_want_a_link_not_the_sensor(retriever):
    res = retriever.search("hand the barometer reading from my nano to a second nano")
    keys = [m.key for m in res.matches]
    assert keys[0] in retriever._destinations.serving("another-board"), keys


@pytest.mark.parametrize("text, lacked", [
    ("the pro mini in the shed has no radio", {"radio"}),
    ("my uno doesn't have wifi", {"wifi"}),
    ("a nano that lacks bluetooth", {"bluetooth"}),
    ("the cabin has no wifi", set()),             # a place lacks it: there the link must work without it
    ("link two unos with no wires", set()),       # no verb of having: a refusal of the wire
])
def test_what_a_named_board_lacks_is_a_fact_about_it(retriever, text, lacked):
    from knowledge.lexical import stem
    from knowledge.link_medium import lacked_words
    assert set(lacked_words(text, lambda w: stem(w) in retriever._names_board)) >= lacked
    if not lacked:
        assert not {"wifi", "wires"} & lacked_words(text, lambda w: stem(w) in retriever._names_board)


def test_a_board_that_lacks_a_radio_wants_one_added_not_a_cable(retriever):
    res = retriever.search("my nano in the barn has no radio; send its count to the house 40 m off")
    keys = [m.key for m in res.matches]
    media = retriever._medium.media
    assert "radio" in media.get(keys[0], set()) and not res.ood, keys


def test_words_asking_how_data_travels_make_the_data_context(retriever):
    # the data's words put the sensors first; "without wires" asks a radio link, so the link is the need (and a
    # quantity no part measures is what is sent, not a reason to call the request out of library)
    res = retriever.search("get the wind speed from the top of the mast to the cabin without wires")
    keys = [m.key for m in res.matches]
    assert "radio" in retriever._medium.media.get(keys[0], set()) and not res.ood, res.as_dict()
