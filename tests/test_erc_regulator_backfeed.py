"""A board fed on its regulated 3V3 pin while its own regulator is fed too (USB on VIN, an adapter on 5V):
two supplies drive one rail (issue 11). Pins and ranges come from the records (a pin with ``v_range``)."""

from __future__ import annotations

import pytest

from circuit.erc import run_erc
from circuit.findings import Severity
from tests.erc_util import build, rules

LDO = "U2=ams1117-3.3 C1=electrolytic-capacitor(10u) C2=electrolytic-capacitor(22u)"
LDO_W = "C1:+~U2:IN C1:-~U2:GND C2:+~U2:OUT C2:-~U2:GND U2:OUT~U1:3V3 U2:GND~U1:GND"
RULE = "ERC-REGULATOR-BACKFEED"

CASES = [
    # USB 5 V on VIN and an LDO on 3V3; the LDO alone on 3V3 is one supply
    (RULE,
     build(f"U1=esp32-devkit-v1 P1=usb-5v-supply B1=power-supply-5v {LDO}",
           f"P1:5V~U1:VIN P1:GND~U1:GND B1:+~U2:IN B1:-~U2:GND {LDO_W}"),
     build(f"U1=esp32-devkit-v1 B1=power-supply-5v {LDO}", f"B1:+~U2:IN B1:-~U2:GND {LDO_W}")),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_and_not_on_good(library, rule, bad, good):
    assert rule in rules(bad, library)
    assert rule not in rules(good, library)


@pytest.mark.parametrize("board,five", [("esp32-devkit-v1", "VIN"), ("esp32-c3-devkitm", "5V"), ("esp32-s3-devkitc", "5V")])
def test_3v3_fed_while_the_board_regulator_is_fed_is_major(library, board, five):
    bad = build(f"U1={board} P1=usb-5v-supply B1=power-supply-5v {LDO}",
                f"P1:5V~U1:{five} P1:GND~U1:GND B1:+~U2:IN B1:-~U2:GND {LDO_W}")
    hits = [f for f in run_erc(bad, library) if f.rule == RULE]
    assert hits and hits[0].severity == Severity.MAJOR
    assert f"U1:3V3" in hits[0].where and f"U1:{five}" in hits[0].where


def test_one_feed_at_a_time_is_fine(library):
    only_3v3 = build(f"U1=esp32-devkit-v1 B1=power-supply-5v {LDO}", f"B1:+~U2:IN B1:-~U2:GND {LDO_W}")
    assert RULE not in rules(only_3v3, library)
    # fed on VIN, the 3V3 pin is an output powering a sensor: nothing is fed twice
    only_vin = build("U1=esp32-devkit-v1 P1=usb-5v-supply S1=bme280",
                     "P1:5V~U1:VIN P1:GND~U1:GND U1:3V3~S1:VCC S1:GND~U1:GND S1:SDA~U1:D21 S1:SCL~U1:D22")
    assert RULE not in rules(only_vin, library)
