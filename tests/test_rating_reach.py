"""A voltage, current or power beyond every rating of the library is a part the library lacks."""

from __future__ import annotations

import pytest

from knowledge.library import Library
from knowledge.rating_reach import Reach, stated_quantities
from knowledge.retrieval import Retriever
from tests.library_util import copy_records


def test_stated_quantities_read_volts_amperes_and_watts_with_their_prefixes():
    assert stated_quantities("measure a voltage of 10 kV") == [(10000.0, "V")]
    assert stated_quantities("300 amps on the cable, 50 kw heater") == [(300.0, "A"), (50000.0, "W")]
    assert stated_quantities("step 24v down to 3.3 V at 500 mA") == [(24.0, "V"), (3.3, "V"), (0.5, "A")]
    # part numbers, frequencies, distances and a spaced "a" (an article as often as amperes) are none
    assert stated_quantities("IRF540N 16MHz crystal 1 m away, 4 a day, 10k resistor, lm7805") == []
    # the letter of a part number is no ampere (03962A, 2004A), nor is a piece of one ("PAM 8403 amp")
    assert stated_quantities("03962A charger, 2004A display, 43A driver") == [(43.0, "A")]
    assert stated_quantities("pam 8403 amp", part_tokens={"pam", "8403"}) == []


def test_the_reach_is_the_largest_typed_rating_and_a_request_beyond_it_is_out_of_library(tmp_path):
    dest = copy_records(tmp_path / "parts", ["1n4007", "irf3205", "ina219", "lm35", "relay-module", "pam8403"])
    lib = Library.from_dirs([dest])
    reach = Reach.of_records(lib)
    assert reach.volts == pytest.approx(1000.0) and reach.amps == pytest.approx(110.0)
    assert reach.watts >= 55.0 * 110.0  # one part's voltage times its current
    assert reach.exceeded_by("measure a voltage of 10 kV") and reach.exceeded_by("a current of 300 amps")
    assert not reach.exceeded_by("rectifier diode for 1000 V") and not reach.exceeded_by("switch 40 A at 12 V")
    assert not Reach.of_records([]).exceeded_by("10 kV")  # a library with no ratings tells nothing

    r = Retriever(lib, index_path=tmp_path / "index", progress=False)
    res = r.search("measure a voltage of 10 kv")
    assert res.beyond_reach and res.ood and res.ruled_out and res.matches, res.as_dict()
    for query in ("03962A charger board", "2004A HD44780 display with 16 pins", "pam 8403 amp"):
        assert not r.search(query).beyond_reach, query
    res = r.search("measure current up to 3 amps on a 12 v line")
    assert not res.beyond_reach and res.matches[0].key == "ina219", res.as_dict()
