"""Every record carries the fields its kind requires (issue 18), and the check finds a gap when one is made."""

from __future__ import annotations

from knowledge.completeness import check, kind_of, missing_fields
from knowledge.library import BUILTIN_DIR, Library


def _builtin() -> Library:
    return Library.from_dirs([BUILTIN_DIR])


def test_every_builtin_record_is_complete_for_its_kind():
    gaps = check(_builtin())
    assert not gaps, "records missing fields:\n  " + "\n  ".join(f"{k}: {v}" for k, v in sorted(gaps.items()))


def test_the_check_reports_what_a_record_of_each_kind_leaves_out():
    lib = _builtin()
    bjt = lib["2n3904"]
    assert kind_of(bjt) == "bjt" and missing_fields(bjt) == []
    stripped = bjt.model_copy(update={"spice": bjt.spice.model_copy(update={"model": None}),
                                      "ratings": bjt.ratings.model_copy(update={"hfe": None})})
    assert set(missing_fields(stripped)) == {"spice.model", "ratings.hfe"}

    sensor = lib["ina219"]
    assert kind_of(sensor) == "supplied"
    scl = next(p for p in sensor.pins if p.name == "SCL")
    pins = [p.model_copy(update={"v_max": None}) if p is scl else p for p in sensor.pins]
    broken = sensor.model_copy(update={"pins": pins, "provides": [],
                                       "supply": sensor.supply.model_copy(update={"current_max": None, "v_min": None})})
    assert set(missing_fields(broken)) == {"pins[SCL].v_max", "provides", "supply.v_min/v_max",
                                           "supply.current_max or requires.peak_current"}

    reg = lib["ams1117-3.3"]
    assert kind_of(reg) == "regulator"
    assert missing_fields(reg.model_copy(update={"ratings": reg.ratings.model_copy(update={"v_out": None})})) == [
        "ratings.v_out (or v_out_adjustable)"]


def test_kb_check_prints_the_count(capsys):
    from pipelines.cli import main

    assert main(["kb", "check"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.endswith(" 0 missing") and "records checked" in last


def test_every_supply_and_converter_says_what_it_provides_mains_fed_or_not():
    """A record that makes a supply (a power_out pin: adapters, converters, AC-DC modules, enclosed mains
    supplies) states ``provides``; only the wall itself and mains terminals (no power_out) are exempt."""
    lib = _builtin()
    supplies = [r for r in lib if r.pins_of_type("power_out") and not r.is_mcu]
    assert {"ac-dc-module-5v", "power-supply-5v-20a", "power-supply-5v"} <= {r.key for r in supplies}
    assert [r.key for r in supplies if not r.provides] == []
    module = lib["ac-dc-module-5v"]
    assert "provides" in missing_fields(module.model_copy(update={"provides": []}))  # mains pins exempt nothing
    inlet = lib["mains-input"]
    assert "provides" not in missing_fields(inlet.model_copy(update={"provides": []}))
