"""Numbers and units as datasheets print them: one test per form (knowledge.datasheet.normalize,
plus the table-level forms: a minus sign set apart from its digits, a unit cell spanning a group
of rows, stacked per-variant sub-rows)."""

from __future__ import annotations

import pytest

from knowledge.datasheet.layout import Line, Word
from knowledge.datasheet.normalize import parse_quantity, parse_unit
from knowledge.datasheet.tables import find_tables


def test_dc_suffixed_units():
    assert parse_unit("Vdc") == (1.0, "V")
    assert parse_quantity("600 mAdc").value == pytest.approx(0.6) and parse_quantity("600 mAdc").unit == "A"
    assert parse_quantity("10 µAdc").value == pytest.approx(1e-5)
    assert parse_unit("Vac") == (1.0, "V")


def test_capital_s_is_seconds_where_a_time_is_expected():
    assert parse_quantity("35 nS", expect="s").unit == "s"
    assert parse_quantity("35 nS", expect="s").value == pytest.approx(35e-9)
    assert parse_quantity("100 mS").unit == "S"  # a transconductance stays siemens


def test_range_cells():
    q = parse_quantity("100–600")
    assert (q.value, q.upper) == (100.0, 600.0)
    q = parse_quantity("2.4 to 3.6 V")
    assert q.unit == "V" and (q.value, q.upper) == (pytest.approx(2.4), pytest.approx(3.6))
    assert parse_quantity("600–100") is None  # not a range: a misread


def test_inline_typ():
    assert parse_quantity("0.25 Typ").bound == "typ"
    q = parse_quantity("Typ 0.5 V")
    assert q.bound == "typ" and q.value == pytest.approx(0.5) and q.unit == "V"


def test_bounds():
    assert parse_quantity(">100").bound == ">"
    q = parse_quantity("<5 nA")
    assert q.bound == "<" and q.value == pytest.approx(5e-9)


def test_typographic_minus():
    assert parse_quantity("–5 V").value == -5.0
    assert parse_quantity("−0.4").value == pytest.approx(-0.4)


def _w(text, x0, top=100.0, size=9.0):
    return Word(text, x0, x0 + max(1.0, 5.0 * len(text)) if text not in ("-",) else x0, top, top + size, size)


def _header(top=80.0):
    return Line([_w("SYMBOL", 50, top), _w("PARAMETER", 150, top), _w("MIN.", 430, top), _w("MAX.", 470, top), _w("UNIT", 513, top)])


def test_minus_sign_split_from_its_digits():
    # "VCBO collector-base voltage  -(min placeholder)  -60 (sign printed apart)  V"
    row = Line([_w("VCBO", 53, 110), _w("collector-base", 103, 110), _w("-", 421.6, 110), _w("-", 458.9, 110), _w("60", 469.2, 110), _w("V", 506.5, 110)])
    t = find_tables([_header(), row], page=1)[0]
    r = t.rows[0]
    vals = [(t.columns[c.column].role, c.quantity.value) for c in r.cells if c.quantity is not None]
    assert vals == [("max", -60.0)]


def test_unit_cell_spanning_a_group_of_rows():
    # one "mV" cell printed once, centred on a group of three saturation-voltage rows
    lines = [_header()] + [
        Line([_w("VCEsat", 53, y), _w("saturation", 103, y), _w("voltage", 160, y), _w(v, 470, y)] + ([_w("mV", 513, y)] if y == 122 else []))
        for y, v in ((110, "300"), (122, "400"), (134, "500"))
    ]
    t = find_tables(lines, page=1)[0]
    assert len(t.rows) == 3
    assert all(r.unit == "mV" or r.unit_candidates[0][1] == "mV" for r in t.rows)


def test_stacked_variant_names_one_line_off_their_values():
    hdr = Line([_w("Rating", 100, 80), _w("Symbol", 210, 80), _w("Value", 265, 80), _w("Unit", 310, 80)])
    lines = [
        hdr,
        Line([_w("Collector-Emitter", 65, 100), _w("Voltage", 126, 100), _w("VCEO", 213, 100), _w("30", 268, 100), _w("Vdc", 312, 100)]),
        Line([_w("XY2222", 171, 110), _w("40", 268, 110)]),
        Line([_w("XY2222A", 166, 119)]),
    ]
    t = find_tables(lines, page=1)[0]
    tagged = {tuple(r.tags): r.cells[0].quantity.value for r in t.rows}
    assert tagged == {("XY2222",): 30.0, ("XY2222A",): 40.0}
