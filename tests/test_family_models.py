"""The generated family records (knowledge/families.py): the files on disk are what the table makes,
and every op-amp's figures drive a real SPICE stage (the BJT/MOSFET/diode/zener cards are simulated
for every record in tests/test_kb_records.py)."""

from __future__ import annotations

import pytest
import yaml

from circuit.sizing.blocks import make_block
from circuit.sizing.optimize import size
from circuit.sizing.spec import Spec
from knowledge import families
from knowledge.library import BUILTIN_DIR, parse_record

RECORDS = families.records()


def test_the_files_are_what_the_table_generates():
    for rec in RECORDS:
        path = BUILTIN_DIR / f"{rec['key']}.yaml"
        assert path.exists(), f"{path.name}: run `python -m knowledge.families`"
        on_disk = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert on_disk == rec, f"{path.name} differs from its table row: run `python -m knowledge.families`"
        parsed = parse_record(str(path), on_disk)
        assert parsed.source
        if parsed.spice.model:  # a model card is fitted to the cited figures, and says so
            assert "FITTED" in parsed.notes, path.name


@pytest.mark.parametrize("rec", [r for r in RECORDS if r["spice"]["kind"] == "opamp"], ids=lambda r: r["key"])
def test_every_family_opamp_amplifies_with_its_own_figures(rec):
    s = rec["supply"]
    split = rec["requires"]["input_common_mode"][0] > 1.0 or s["v_min"] > 5.5  # needs headroom below the input
    env = ({"vcc": 12.0, "vee": -12.0} if split else {"vcc": 5.0 if s["v_max"] >= 5.0 else 3.3, "vee": 0.0})
    res = size(make_block("noninverting_amplifier", {"opamp": rec["key"], **env}), [Spec("gain", "=", 2.0, 0.05)])
    assert res.met, (rec["key"], res.measures)
    assert res.measures["gain"] == pytest.approx(2.0, rel=0.05)
    gbw = rec["spice"]["params"]["gbw"]
    assert 0.3 * gbw <= res.measures["bandwidth"] <= 0.7 * gbw, (rec["key"], res.measures["bandwidth"], gbw)
