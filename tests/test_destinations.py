"""Where a request sends data (knowledge.destinations): the place read by meaning against a catalog, the parts
whose typed capabilities get data there, and a board named without that link asking for an add-on."""

from __future__ import annotations

import pytest

from knowledge.destinations import CLEAR_PLACE, REACHES, DestinationIndex, DestinationReading, load_catalog, reaching
from knowledge.library import Library
from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def test_the_catalog_names_each_place_and_the_capabilities_that_reach_it():
    catalog = {d.destination: d for d in load_catalog()}
    assert {"mobile-phone", "internet", "another-board", "file"} <= set(catalog)
    assert all(d.phrasings and d.capabilities for d in catalog.values())
    index = DestinationIndex(Library.default())
    assert {"esp-01", "w5500", "sim7600"} <= index.serving("internet")
    assert "sim800l" in index.serving("mobile-phone") and "esp-01" not in index.serving("mobile-phone")
    assert "micro-sd-card" in index.serving("file") and not index.serving(None)


@pytest.mark.parametrize("text, place", [
    ("send an sms to my mobile phone", "mobile-phone"),
    ("publish the counter to an online dashboard", "internet"),
    ("keep the log in a file on an sd card", "file"),
    ("the pond pump starts at dawn", None),
])
def test_a_request_reads_as_getting_data_to_a_place_or_to_none(retriever, text, place):
    assert retriever._destinations.read(retriever._encode([text])[0]).destination == place


def test_a_board_named_without_the_link_wants_an_add_on_and_one_with_it_does_not(retriever):
    vec = retriever._encode(["publish the counter to an online dashboard"])[0]
    boards = retriever._boards
    without = reaching(retriever._destinations, vec, {"arduino-uno"}, boards)
    assert without["esp-01"] == REACHES and without["w5500"] == REACHES
    assert without["esp32-devkit-v1"] == -REACHES  # another board would replace the Uno, not add to it
    with_link = reaching(retriever._destinations, vec, {"esp32-devkit-v1"}, boards)
    assert with_link["esp32-devkit-v1"] == REACHES  # its record has Wi-Fi: the board is the part, no module
    assert "esp-01" not in with_link and with_link["esp8266-nodemcu"] == -REACHES  # another board would replace it
    assert reaching(retriever._destinations, retriever._encode(["the pond pump starts at dawn"])[0]) == {}


def test_data_sent_online_from_a_board_without_wifi_ranks_a_module_for_it(retriever):
    res = retriever.search("publish the readings of my uno to an online dashboard")
    assert res.matches[0].key in {"esp-01", "w5500", "enc28j60"}, res.as_dict()


def test_a_message_to_a_mobile_phone_ranks_a_cellular_modem(retriever):
    res = retriever.search("message my mobile wherever I am when the pump stops")
    assert res.matches[0].key in {"sim800l", "a7670", "sim7600"} and not res.ood, res.as_dict()


@pytest.mark.parametrize("query, wanted", [
    ("have my mobile ring when the cat flap opens", {"sim800l", "a7670", "sim7600"}),
    ("sound a buzzer when the cat flap opens", {"buzzer", "active-buzzer", "passive-buzzer"}),
    ("vibrate my wristband when the phone rings", {"vibration-motor"}),
])
def test_an_action_that_reaches_a_phone_wants_the_link_and_a_local_one_does_not(retriever, query, wanted):
    assert retriever.search(query).matches[0].key in wanted


def test_a_board_named_with_the_link_the_request_fits_is_that_link_without_a_place(retriever):
    """No place read, but the capability the request fits best is a link: a board named that provides it does what
    is asked; one that lacks it changes nothing (the request may be asking for another board)."""
    vec = retriever._encode(["serve a page of values over wifi"])[0]
    assert retriever._destinations.read(vec).destination is None
    fitted = retriever._fitted_link(retriever._semantic(vec)[1])
    assert {"esp8266-nodemcu", "esp-01"} <= fitted and "arduino-uno" not in fitted
    boards = retriever._boards
    has = reaching(retriever._destinations, vec, {"esp8266-nodemcu"}, boards, fitted)
    assert has["esp8266-nodemcu"] == REACHES and has["esp32-devkit-v1"] == -REACHES and "esp-01" not in has
    assert reaching(retriever._destinations, vec, {"arduino-uno"}, boards, fitted) == {}
    sensing = retriever._encode(["measure the air pressure"])[0]
    assert not retriever._fitted_link(retriever._semantic(sensing)[1])


@pytest.mark.parametrize("query", [
    "the trail a hiker walked, as coordinates",
    "where has the runaway goat gone",
])
def test_where_something_went_ranks_a_satellite_receiver(retriever, query):
    res = retriever.search(query)
    assert res.matches[0].key in {"gps", "neo-7m", "neo-m8n"} and not res.ood, res.as_dict()


@pytest.mark.parametrize("query, wanted", [
    ("keep every humidity reading in a file for later", {"micro-sd-card"}),
    ("upload the temperature to a web server from my arduino uno", {"esp-01", "w5500", "enc28j60"}),
])
def test_what_is_sent_or_kept_is_context_for_the_part_that_gets_it_there(retriever, query, wanted):
    res = retriever.search(query)
    assert res.matches[0].key in wanted and not res.ood, res.as_dict()


def test_a_place_reads_clearly_only_ahead_of_every_other_place(retriever):
    kept = retriever._destinations.read(retriever._encode(["keep every humidity reading in a file for later"])[0])
    assert kept.destination == "file" and kept.clear
    assert not DestinationReading("phone-app", 0.5, CLEAR_PLACE / 2).clear  # near two places: a word for a thing
    assert not DestinationReading(None, 0.3, 0.3).clear


def test_a_place_is_named_word_by_word_where_the_data_outweighs_it_in_the_vector(retriever):
    words = retriever._place_words
    assert set(words.named("text me the soil moisture of the vegetable bed")) == {"mobile-phone"}
    assert set(words.named("my nano should put the pressure on a web server")) == {"internet"}
    assert set(words.named("show the pond temperature in an app on my android")) == {"phone-app"}
    # no place: one refused, a word saying what kind of thing the next is, what a part is for, a part of the build
    assert not words.named("log readings without any internet")
    assert not words.named("save the readings to a text file")
    assert not words.named("a stand for a smartphone")
    assert not words.named("a 5 V board with an sd card slot")


def test_only_places_outside_the_build_reached_by_a_link_may_be_named_by_a_word():
    catalog = {d.destination: d for d in load_catalog()}
    assert {k for k, d in catalog.items() if d.outside} == {"mobile-phone", "phone-app", "internet"}
    assert all(d.gloss for d in catalog.values())


@pytest.mark.parametrize("query, wanted", [
    ("text me the humidity of the cellar each night", {"sim800l", "a7670", "sim7600"}),
    ("sms the fuel level of the generator to me", {"sim800l", "a7670", "sim7600"}),
])
def test_data_sent_to_a_place_the_words_name_is_context_for_the_link(retriever, query, wanted):
    res = retriever.search(query, k=3)
    assert res.matches[0].key in wanted and not res.ood, res.as_dict()


def test_a_sensor_stays_wanted_where_no_word_names_a_place(retriever):
    assert retriever.search("measure the humidity of the cellar each night", k=3).matches[0].key not in {
        "sim800l", "a7670", "sim7600"}


def test_a_part_with_no_link_ranks_out_where_data_clearly_goes_where_only_a_link_reaches(retriever):
    """Read clearly as sending to the internet from a board without Wi-Fi: a display or a switch cannot get the
    readings there; the add-on that can is first."""
    res = retriever.search("put the readings of my arduino uno online on a website", k=5)
    keys = [m.key for m in res.matches]
    assert keys[0] in {"esp-01", "w5500", "enc28j60"}, res.as_dict()
    assert not {"lcd-i2c", "lcd1602", "ssd1306"} & set(keys[:3])
