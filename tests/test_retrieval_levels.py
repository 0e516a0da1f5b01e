"""Two voltages in one request: a power conversion, or the levels of two things whose signals must meet
(knowledge.conversion levels, knowledge.retrieval)."""

from __future__ import annotations

import pytest

from knowledge.conversion import holds_levels, signal_levels, stated_voltages
from knowledge.library import Library
from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def test_stated_voltages_are_read_in_order_once_each():
    assert stated_voltages("a 5 V board and a 3v3 sensor") == [5.0, 3.3]
    assert stated_voltages("5 volt in, 5 V out") == [5.0]
    assert stated_voltages("a relay module") == []


def test_a_level_shifters_signal_pins_sit_at_both_levels_and_a_regulators_do_not():
    lib = Library.default()
    assert signal_levels(lib["logic-level-shifter"]) == {3.3, 5.0}
    assert len(signal_levels(lib["ams1117-3.3"])) < 2
    assert holds_levels({3.3, 5.0}, [5.0, 3.3]) and not holds_levels({3.3, 5.0}, [12.0, 3.3])


@pytest.mark.parametrize("query", [
    "let a 5 V sensor and a 3.3 V pico share signals",
    "pass data lines between 5 V and 3.3 V chips",
    "join the uart of a 5 v module to a 3.3 v microcontroller",
])
def test_signals_between_two_voltages_rank_a_level_shifter_first(retriever, query):
    assert retriever.search(query).matches[0].key in {"logic-level-shifter", "bss138"}


@pytest.mark.parametrize("query, wanted", [
    ("get a 3.3 V rail out of a 5 V supply", {"ams1117-3.3", "lm1117-3.3", "ap2112k-3.3", "mcp1700-3.3",
                                              "lp2950-3.3", "xc6206-3.3", "ht7333-ldo", "ld1117"}),
    ("step 12 V down to 5 V", {"lm2596-buck-converter", "mp1584-buck-converter", "xl4015-buck-converter",
                               "mini-360-buck-converter", "lm7805"}),
])
def test_a_power_conversion_between_two_voltages_still_ranks_a_converter(retriever, query, wanted):
    assert retriever.search(query).matches[0].key in wanted
