"""Requests stated as a goal on an object, and a conversion stated for a board (issue 18): the part that serves the
goal or makes the conversion ranks first, not the object or the board named."""

from __future__ import annotations

import pytest

from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def _first(retriever, text):
    return retriever.search(text).matches[0].key


def test_a_battery_kept_from_running_flat_is_watched(retriever):
    # the capability texts of the parts that watch a battery say what a person keeps it from (MAX17043 ALRT, a
    # divider's falling voltage): the battery named is what is watched
    assert _first(retriever, "make sure the boat's 12 V battery bank is not drained flat") in {
        "voltage-sensor-module", "ina219", "ina226"}
    assert _first(retriever, "an alert before the lipo cell in my drone runs empty") in {
        "max17043", "voltage-sensor-module", "ina219", "ina226"}


def test_a_plant_kept_from_drying_out_is_sensed_in_its_soil(retriever):
    assert _first(retriever, "stop my potted basil drying out while I am away") == "soil-moisture-sensor"


def test_a_board_named_beside_a_stated_conversion_is_what_it_powers(retriever):
    # "for an esp32" names boards as the host; two voltages state a conversion: a converter is wanted
    first = _first(retriever, "3.3 V for an esp32 from a 12 V battery")
    assert retriever.library[first].category == "power" and first not in retriever._boards
    first = _first(retriever, "5 V for my arduino nano from a 12 V car battery")
    assert retriever.library[first].category == "power"
    # ... while a board asked for by its facts stays the answer
    assert _first(retriever, "esp32 board") == "esp32-devkit-v1"
    assert _first(retriever, "a 3.3 V arduino that runs from 5 V") == "arduino-pro-mini-3v3"
