import math

import pytest

from circuit.units import E_SERIES, UnitError, e_series_values, format_value, nearest_e, parse_value


@pytest.mark.parametrize(
    "text,expected",
    [
        ("4k7", 4700), ("4.7k", 4700), ("10uF", 10e-6), ("100 nF", 100e-9), ("1M", 1e6),
        ("2.2 Ω", 2.2), ("2R2", 2.2), ("220", 220), ("1meg", 1e6), ("330 ohm", 330),
        ("4u7", 4.7e-6), ("10 mA", 0.01), ("3.3V", 3.3), ("1.5e3", 1500), ("100p", 100e-12),
        ("47µF", 47e-6), (0.5, 0.5),
    ],
)
def test_parse(text, expected):
    assert math.isclose(parse_value(text), expected, rel_tol=1e-12)


@pytest.mark.parametrize("bad", ["", "abc", "4k7k", "1..2", "nan", None, True])
def test_parse_rejects(bad):
    with pytest.raises(UnitError):
        parse_value(bad)


def test_parse_unit_mismatch():
    with pytest.raises(UnitError, match="expected a value in Ω"):
        parse_value("10uF", "Ω")
    assert parse_value("220", "Ω") == 220


@pytest.mark.parametrize(
    "value,unit,text",
    [(4700, "Ω", "4.7 kΩ"), (100e-9, "F", "100 nF"), (1e6, "Ω", "1 MΩ"), (0.02, "A", "20 mA"),
     (2.2, "Ω", "2.2 Ω"), (999.9, "Ω", "1 kΩ"), (0, "V", "0 V"), (-5, "V", "-5 V")],
)
def test_format(value, unit, text):
    assert format_value(value, unit) == text


def test_e_series_tables():
    assert len(E_SERIES["E6"]) == 6 and len(E_SERIES["E12"]) == 12
    assert len(E_SERIES["E24"]) == 24 and len(E_SERIES["E96"]) == 96
    assert 9.09 in E_SERIES["E96"] and 4.99 in E_SERIES["E96"]


def test_nearest_e():
    assert nearest_e(237, "E12") == 220
    assert nearest_e(237, "E24") == 240
    assert nearest_e(150, "E24", "up") == 150
    assert nearest_e(151, "E24", "up") == 160
    assert nearest_e(151, "E24", "down") == 150
    assert nearest_e(4990, "E96") == 4990
    assert nearest_e(0.8e-6, "E6") == pytest.approx(0.68e-6)
    assert e_series_values("E6", 1000, 10000) == [1000, 1500, 2200, 3300, 4700, 6800, 10000]
