"""Family sheets: --part selects a member; without it the part comes from the file name or the
title; a title that names a range of members ("ZR500 THRU ZR503") gives one device line per
member; too many members asks for --part, naming them."""

from __future__ import annotations

import pytest

from pipelines.datasheet import MAX_MEMBERS, process_datasheet
from tests.pdfgen import Page, write_pdf


def _family(path, n: int):
    members = [f"ZR{500 + i}" for i in range(n)]
    p = Page().text(60, 40, f"{members[0]} THRU {members[-1]}", 16).text(60, 70, "Silicon Rectifier Diodes", 12)
    p.text(60, 110, "MAXIMUM RATINGS AND ELECTRICAL CHARACTERISTICS", 10)
    y = 135
    p.text(60, y, "Parameter", 8).text(230, y, "Symbol", 8)
    for k, m in enumerate(members):
        p.text(280 + 30 * k, y, m, 7)
    p.text(280 + 30 * n, y, "Unit", 8)
    for name, sym, vals, unit in (("Maximum repetitive peak reverse voltage", "VRRM", [50 * (k + 1) for k in range(n)], "V"),
                                  ("Maximum average forward current", "IF(AV)", [1] * n, "A")):
        y += 16
        p.text(60, y, name, 8).text(230, y, sym, 8)
        for k, v in enumerate(vals):
            p.text(282 + 30 * k, y, str(v), 8)
        p.text(280 + 30 * n, y, unit, 8)
    return write_pdf(path, [p]), members


def test_every_member_is_a_device_line_without_part(tmp_path):
    pdf, members = _family(tmp_path / "rectifiers.pdf", 4)
    row = process_datasheet(pdf, tmp_path / "out")
    devs = row["devices"]
    assert [d["part"] for d in devs] == members
    assert [d["json"]["params"]["VRRM"]["value"] for d in devs] == [50, 100, 150, 200]
    assert len({d["dir"] for d in devs}) == 4  # a folder each


def test_part_selects_a_member_and_the_file_name_names_one(tmp_path):
    pdf, _ = _family(tmp_path / "rectifiers.pdf", 4)
    row = process_datasheet(pdf, tmp_path / "out", "ZR502")
    assert "devices" not in row and row["part"] == "ZR502" and row["json"]["params"]["VRRM"]["value"] == 150
    named, _ = _family(tmp_path / "ZR503_sheet.pdf", 4)
    row = process_datasheet(named, tmp_path / "out2")
    assert "devices" not in row and row["part"] == "ZR503" and row["json"]["params"]["VRRM"]["value"] == 200


def test_too_many_members_asks_for_part(tmp_path):
    pdf, members = _family(tmp_path / "rectifiers.pdf", MAX_MEMBERS + 2)
    row = process_datasheet(pdf, tmp_path / "out")
    assert row["status"] == "error" and row["reason"] == "several_parts"
    assert row["error"].startswith("several parts in this sheet: pass --part (found: ZR500, ZR501")
