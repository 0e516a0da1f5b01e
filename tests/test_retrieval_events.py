"""Functional requests ranked by what a part's records say it does (issue 18, retr-top1).

Phrasings here are not benchmark queries; each names an event or a use in everyday words and the part
whose datasheet function serves it must rank first.
"""

from __future__ import annotations

import pytest

from knowledge.retrieval import Retriever

ACCELEROMETERS = {"adxl345", "mpu6050", "lsm6ds3", "mpu9250", "icm-20948"}


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


@pytest.mark.parametrize("query", [
    "notice when the bin is bumped by a car",
    "find out if the laptop bag was dropped",
    "sense a jolt on the trailer hitch",
    "notice when the crate is shaken",
    "tell whether the tablet lies flat or stands upright",
])
def test_a_jolt_a_fall_or_which_way_a_thing_lies_ranks_an_accelerometer_first(retriever, query):
    """An accelerometer's tap, free-fall and activity interrupts and its gravity reading are what these
    events are; the records say so in plain words, so a tilt switch, a light or a temperature sensor
    (which share the request's other words) no longer rank above it."""
    res = retriever.search(query, k=3)
    assert res.matches[0].key in ACCELEROMETERS, res.as_dict()
