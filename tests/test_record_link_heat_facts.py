"""Typed link and heat facts on the records (issue 18): how a link travels (``Capability.medium``), whether it or a
ranged sensor needs a line of sight (``Capability.line_of_sight``), and a power part's free-air thermal figures
(``Ratings.theta_ja`` / ``theta_jc`` / ``t_j_max``): validated, required by the completeness check, cited."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from knowledge.completeness import missing_fields
from knowledge.library import BUILTIN_DIR, Library
from knowledge.record import Capability, ComponentRecord

LIB = Library.from_dirs([BUILTIN_DIR])


def test_a_medium_belongs_to_a_link_and_a_wire_has_no_line_of_sight():
    Capability(capability="rs485", description="a long wired bus", direction="communicate", medium="wire")
    Capability(capability="ir", description="an infrared remote", direction="sense", medium="infrared",
               line_of_sight=True)
    with pytest.raises(ValidationError):
        Capability(capability="regulate-5v", description="make 5 V", direction="power", medium="wire")
    with pytest.raises(ValidationError):
        Capability(capability="rs485", description="a long wired bus", direction="communicate", medium="wire",
                   line_of_sight=False)
    with pytest.raises(ValidationError):
        Capability(capability="ir", description="an infrared link", direction="communicate", medium="infrared",
                   line_of_sight=False)


def test_a_module_carries_no_more_in_free_air_than_its_rating():
    data = LIB["lm2596-buck-converter"].model_dump()
    data["ratings"]["i_free_air"] = 5.0  # above its 3 A rating
    with pytest.raises(ValidationError):
        ComponentRecord.model_validate(data)


def test_thermal_resistance_needs_the_junction_limit_and_the_case_is_nearer_than_the_air():
    rec = LIB["irlz44n"]
    data = rec.model_dump()
    data["ratings"]["t_j_max"] = None
    with pytest.raises(ValidationError):
        ComponentRecord.model_validate(data)
    data = rec.model_dump()
    data["ratings"]["theta_jc"] = 70.0  # above theta_ja 62
    with pytest.raises(ValidationError):
        ComponentRecord.model_validate(data)


def test_every_link_says_how_it_travels_and_radio_and_infrared_say_whether_they_need_sight():
    links = [(r.key, c) for r in LIB for c in r.provides if c.direction == "communicate"]
    assert len(links) >= 60
    assert all(c.medium for _, c in links)
    media = {c.medium for _, c in links}
    assert {"wire", "radio"} <= media
    for key, c in links:
        if c.medium == "radio":
            assert c.line_of_sight is False, key
    assert {c.line_of_sight for c in LIB["ir-receiver"].provides} == {True}
    assert {c.medium for c in LIB["max485"].provides if c.direction == "communicate"} == {"wire"}
    # ranged sensors: a PIR needs a clear view, a microwave radar sees through a cover
    assert all(c.line_of_sight for c in LIB["pir-motion"].provides if c.range_m)
    assert not any(c.line_of_sight for c in LIB["rcwl-0516"].provides if c.range_m)


def test_power_transistors_and_linear_regulators_carry_cited_free_air_figures():
    lib = LIB
    for key in ("irlz44n", "irf520n", "tip120", "lm7805", "ams1117-3.3", "lm7812"):
        r = lib[key].ratings
        assert r.theta_ja and r.t_j_max, key
        # cited: in the source (generated families) or in a comment beside the ratings (hand-written records)
        assert "C/W" in lib[key].source or "C/W" in (BUILTIN_DIR / f"{key}.yaml").read_text(), key
    # a tab a heatsink bolts to has a junction-to-case figure; a SOT-223's heatsink is the board
    assert lib["lm7805"].ratings.theta_jc == pytest.approx(5.0)
    assert lib["ams1117-3.3"].ratings.theta_jc is None


def test_the_check_finds_a_missing_medium_line_of_sight_or_thermal_figure():
    hc12 = LIB["hc-12"]
    caps = [c.model_copy(update={"medium": None, "line_of_sight": None}) for c in hc12.provides]
    gaps = missing_fields(hc12.model_copy(update={"provides": caps}))
    assert any("medium" in g for g in gaps)
    caps = [c.model_copy(update={"line_of_sight": None}) for c in hc12.provides]
    assert any("line_of_sight" in g for g in missing_fields(hc12.model_copy(update={"provides": caps})))
    pir = LIB["pir-motion"]
    caps = [c.model_copy(update={"line_of_sight": None}) for c in pir.provides]
    assert any("line_of_sight" in g for g in missing_fields(pir.model_copy(update={"provides": caps})))
    fet = LIB["irlz44n"]
    bare = fet.model_copy(update={"ratings": fet.ratings.model_copy(update={"theta_ja": None, "theta_jc": None,
                                                                              "t_j_max": None})})
    assert set(missing_fields(bare)) == {"ratings.theta_ja", "ratings.t_j_max"}
    buck = LIB["mp1584-buck-converter"]
    bare = buck.model_copy(update={"ratings": buck.ratings.model_copy(update={"i_free_air": None})})
    assert any("i_free_air" in g for g in missing_fields(bare))
    # a 100 mA small-signal transistor is not held to it
    small = LIB["bc548"]
    assert small.ratings.theta_ja is None and "ratings.theta_ja" not in missing_fields(small)
