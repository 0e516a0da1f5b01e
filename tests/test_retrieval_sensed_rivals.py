"""A request read clearly as sensing one quantity: parts that measure only other quantities, and requests that only act.

Phrasings here are not benchmark queries. The quantity is read from the effect described (a lean, a jolt), the object it
happens on draws parts that measure something else on such objects (a bend sensor, a hall switch on a wheel): their
typed capabilities serve no part of the quantity read, so they step down. A request that opens with what parts only do
to a load (shake something) acts: the quantity the action makes is no reading asked for.
"""

from __future__ import annotations

import pytest

from knowledge.retrieval import Retriever

IMUS = {"adxl345", "mpu6050", "lsm6ds3", "mpu9250", "icm-20948"}


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def test_a_lean_asked_steps_a_bend_sensor_down(retriever):
    res = retriever.search("how far the caravan leans on the grass", k=3)
    keys = [m.key for m in res.matches]
    assert keys[0] in IMUS and "flex-sensor" not in keys, res.as_dict()


def test_a_jolt_asked_ranks_the_accelerometer_over_a_wheel_sensor(retriever):
    res = retriever.search("feel the jolt when the e-bike hits a kerb", k=3)
    assert res.matches[0].key in IMUS and not res.ood, res.as_dict()


def test_the_quantity_read_names_every_part_serving_it(retriever):
    vec = retriever._encode(["how steep is the ramp"])[0]
    quantity = retriever._measurands.sensed(vec)
    assert quantity.measurand == "orientation"
    assert {"adxl345", "mpu6050", "tilt-switch"} <= quantity.serving  # the switch too, though it tells no amount
    assert "tilt-switch" not in quantity.parts and quantity.parts <= quantity.serving
    assert "flex-sensor" in retriever._measurands.measuring - quantity.serving


def test_a_request_that_only_acts_asks_for_the_actuator(retriever):
    res = retriever.search("shake the pillow to wake me", k=3)
    assert res.matches[0].key == "vibration-motor", res.as_dict()


@pytest.mark.parametrize("query, wanted", [
    ("know when the meeting room air gets stuffy", {"scd40", "scd30", "mh-z19"}),
    ("how high the kite climbs above the field", {"pressure-sensor", "bme280", "bmp280", "bmp180", "bmp388", "dps310"}),
])
def test_what_a_quantity_shows_up_as_reads_as_that_quantity(retriever, query, wanted):
    """The catalog's signs and amounts say what a quantity shows up as (stuffy air: carbon dioxide; how high a thing
    climbs: altitude from air pressure): the parts measuring it rank first, not a humidity sensor in the same room or
    a compass on the kite."""
    res = retriever.search(query, k=3)
    assert res.matches[0].key in wanted and not res.ood, res.as_dict()
